"""Every block type, by JSON tag. Adding a type: one module here, one template, one icon."""

from __future__ import annotations

from editor.blocks import (
    button,
    columns,
    divider,
    footer,
    heading,
    html,
    image,
    posts,
    social,
    spacer,
    text,
)
from editor.blocks.base import Block, BlockType, DocumentError
from editor.i18n import _

BLOCK_TYPES: dict[str, BlockType] = {
    module.BLOCK_TYPE.name: module.BLOCK_TYPE
    for module in (
        heading,
        text,
        image,
        button,
        divider,
        spacer,
        social,
        columns,
        posts,
        footer,
        html,
    )
}


def block_type(name: str) -> BlockType:
    """The entry for a JSON ``type`` tag (or a block's ``TYPE``); DocumentError if unknown."""
    kind = BLOCK_TYPES.get(name)
    if kind is None:
        raise DocumentError(_('Unknown block type "{name}".').format(name=name))
    return kind


def type_of(block: Block) -> BlockType:
    """The entry for a block instance."""
    return block_type(block.TYPE)


def all_types() -> list[BlockType]:
    """Every registered type, in palette order."""
    return list(BLOCK_TYPES.values())


def register(kind: BlockType) -> None:
    """Add a block type (a plug-in, or a test's throwaway type); names must be unique."""
    if kind.name in BLOCK_TYPES:
        raise ValueError(f"block type already registered: {kind.name}")
    BLOCK_TYPES[kind.name] = kind


def unregister(name: str) -> None:
    """Remove a type added with :func:`register`."""
    BLOCK_TYPES.pop(name, None)
