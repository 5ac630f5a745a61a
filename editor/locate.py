"""Where a block sits in a newsletter: its container (the top level or one column) and index.

A path names a column by the id of its columns block rather than by that block's position, so
it stays true while other blocks move around it; this is what lets a command's inverse put a
block back exactly where it was after any sequence of other commands has been undone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from editor.document import Block, ColumnsBlock, DocumentError, FooterBlock, Newsletter
from editor.i18n import _


@dataclass(frozen=True)
class BlockPath:
    """A slot in a container: ``index`` in the top level (``columns_id`` None) or in column
    ``column`` of the columns block ``columns_id``.

    As a target, ``index`` may equal the container's length (append at the end).
    """

    index: int
    columns_id: str | None = None
    column: int = 0

    @classmethod
    def top(cls, index: int) -> BlockPath:
        return cls(index)

    @classmethod
    def inside(cls, columns_id: str, column: int, index: int) -> BlockPath:
        return cls(index, columns_id, column)

    @property
    def is_top(self) -> bool:
        return self.columns_id is None

    def same_container(self, other: BlockPath) -> bool:
        return (self.columns_id, self.column if self.columns_id else 0) == (
            other.columns_id,
            other.column if other.columns_id else 0,
        )

    def at(self, index: int) -> BlockPath:
        """The same container, another index."""
        return BlockPath(index, self.columns_id, self.column)


def ids_of(block: Block) -> list[str]:
    """The ids of ``block`` and of the blocks it holds, in reading order."""
    return [b.id for b in subtree(block)]


def subtree(block: Block) -> Iterator[Block]:
    """``block`` then, for a columns block, every block of its columns in reading order."""
    yield block
    if isinstance(block, ColumnsBlock):
        for column in block.columns:
            yield from column.blocks


def locate(doc: Newsletter, block_id: str) -> BlockPath:
    """The path of block ``block_id``; :class:`DocumentError` when no block has that id."""
    for index, block in enumerate(doc.blocks):
        if block.id == block_id:
            return BlockPath(index)
        if isinstance(block, ColumnsBlock):
            for number, column in enumerate(block.columns):
                for inner, child in enumerate(column.blocks):
                    if child.id == block_id:
                        return BlockPath(inner, block.id, number)
    raise DocumentError(_('No block has the id "{block_id}".').format(block_id=block_id))


def find_block(doc: Newsletter, block_id: str) -> Block:
    """The block with id ``block_id`` (columns' children included), or :class:`DocumentError`."""
    path = locate(doc, block_id)
    return container(doc, path)[path.index]


def container(doc: Newsletter, path: BlockPath) -> list[Block]:
    """The live list of blocks ``path`` points into (its index is not checked here)."""
    if path.columns_id is None:
        return doc.blocks
    owner = find_block(doc, path.columns_id)
    if not isinstance(owner, ColumnsBlock):
        raise DocumentError(
            _('Block "{columns_id}" is not a columns block.').format(columns_id=path.columns_id)
        )
    if not 0 <= path.column < len(owner.columns):
        raise DocumentError(
            _('Columns block "{columns_id}" has no column {column}.').format(
                columns_id=path.columns_id, column=path.column + 1
            )
        )
    return owner.columns[path.column].blocks


def block_at(doc: Newsletter, path: BlockPath) -> Block:
    """The block at ``path``, or :class:`DocumentError` when the index is out of range."""
    blocks = container(doc, path)
    check_index(path.index, len(blocks) - 1)
    return blocks[path.index]


def check_index(index: int, last: int) -> None:
    """Refuse an index outside ``0..last`` (``last`` is the length for an insertion)."""
    if not 0 <= index <= last:
        raise DocumentError(
            _("Position {index} is out of range (0 to {last}).").format(index=index, last=last)
        )


def check_target(
    doc: Newsletter,
    path: BlockPath,
    block: Block,
    *,
    moving: bool = False,
    footer_rule: bool = True,
) -> None:
    """Refuse to put ``block`` at ``path`` when the container cannot hold it there.

    ``moving`` says ``block`` is already in the document: the target index is then counted as
    if it had left its container (see :class:`editor.commands.MoveBlock`). ``footer_rule``
    also applies :func:`check_footer_rule`; the inverses of commands turn it off, since they
    put a block back where it already was.
    """
    if path.columns_id is not None:
        if path.columns_id in ids_of(block):
            raise DocumentError(_("A block cannot be put inside itself."))
        if isinstance(block, (ColumnsBlock, FooterBlock)):
            raise DocumentError(_("A column cannot hold columns or a footer."))
    blocks = container(doc, path)
    size = len(blocks)
    if moving and any(b is block for b in blocks):
        size -= 1
    check_index(path.index, size)
    if footer_rule and path.is_top:
        check_footer_rule([b for b in blocks if b is not block], path.index, block)


def check_footer_rule(others: list[Block], index: int, block: Block) -> None:
    """Refuse what would break "one footer, and it is last" in the top level.

    ``others`` are the top-level blocks without ``block``, which would go at ``index``. Only
    the block being placed is judged, so a file from an older version that already breaks the
    rule (two footers, a block after the footer) can still be edited everywhere else.
    """
    if isinstance(block, FooterBlock):
        if any(isinstance(b, FooterBlock) for b in others):
            raise DocumentError(_("This newsletter already has a footer: it has only one."))
        if index != len(others):
            raise DocumentError(_("The footer always stays at the end of the newsletter."))
    elif any(isinstance(b, FooterBlock) for b in others[:index]):
        raise DocumentError(_("Nothing can go after the footer: it ends the newsletter."))


def unavailable_types(doc: Newsletter) -> dict[str, str]:
    """Block types no new block of which can go anywhere in ``doc``, with why (the palette and
    the Insert menu grey them out instead of refusing after the fact)."""
    if any(isinstance(b, FooterBlock) for b in doc.blocks):
        return {FooterBlock.TYPE: _("This newsletter already has a footer: it has only one.")}
    return {}


def can_place(doc: Newsletter, path: BlockPath, block: Block, *, moving: bool = False) -> bool:
    """Whether ``block`` may go at ``path`` (see :func:`check_target`), without raising."""
    try:
        check_target(doc, path, block, moving=moving)
    except DocumentError:
        return False
    return True
