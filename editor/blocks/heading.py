"""Heading: one line of title text, level 1 to 3, in the theme's heading colour or its own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from editor.blocks.base import (
    RULE,
    Align,
    Block,
    BlockType,
    DocumentError,
    aligned,
    check_align,
    check_color,
)
from editor.i18n import _

if TYPE_CHECKING:
    from editor.render.context import RenderContext


@dataclass
class HeadingBlock(Block):
    TYPE: ClassVar[str] = "heading"
    text: str = ""
    level: int = 1
    align: Align = "left"
    color: str = ""  # "" = the theme's heading colour (the same HTML as before the field)

    def validate(self) -> None:
        if self.level not in (1, 2, 3):
            raise DocumentError(_("A heading is level 1, 2 or 3."))
        check_align(self.align)
        if self.color:
            check_color(self.color, _("Heading"))


def _view(block: HeadingBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    return aligned(block, text=ctx.tags.mark_text(block.text), level=block.level, color=block.color)


def _text(block: HeadingBlock, ctx: RenderContext) -> str:
    text = ctx.tags.mark_text(" ".join(block.text.split()))
    # The underline is sized once merge tags are filled in: see ``render.text.underline``.
    return f"{text}\n{RULE}{'=' if block.level == 1 else '-'}" if block.level < 3 else text


def _summary(block: HeadingBlock) -> str:
    return f"H{block.level} · {block.text}"


BLOCK_TYPE = BlockType(
    name="heading",
    cls=HeadingBlock,
    label=lambda: _("Heading"),
    view=_view,
    text=_text,
    summary=_summary,
)
