"""Where a drop lands, from the cards' geometry alone (no widgets, no Qt: testable as is).

The canvas describes what it shows as :class:`Container` objects — the newsletter's top level
and each column of each columns block — holding the rectangles of their cards, in page
coordinates. :func:`drop_target` turns a cursor position into the :class:`BlockPath` of the gap
it points at (counted with every block in place, as :func:`editor.commands.gap_to_path` and
:class:`editor.commands.InsertBlock` expect) and the line to draw there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from editor.locate import BlockPath

LINE = 3  # thickness of the drop indicator, px


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.x + self.width

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def middle(self) -> float:
        return self.y + self.height / 2

    def contains(self, x: float, y: float) -> bool:
        return self.x <= x < self.right and self.y <= y < self.bottom


@dataclass(frozen=True)
class Slot:
    """One card of a container: the block it shows and where it is drawn."""

    block_id: str
    rect: Rect


@dataclass(frozen=True)
class Container:
    """The top level (``columns_id`` None) or one column, with its cards in order."""

    rect: Rect
    cards: tuple[Slot, ...]
    columns_id: str | None = None
    column: int = 0

    def path(self, index: int) -> BlockPath:
        return BlockPath(index, self.columns_id, self.column)


@dataclass(frozen=True)
class Drop:
    """Where a drop lands (``path``) and the indicator line to draw (``line``)."""

    path: BlockPath
    line: Rect


def drop_target(
    containers: Sequence[Container], x: float, y: float, *, into_columns: bool = True
) -> Drop | None:
    """The gap under ``(x, y)``: in the column under the cursor, else in the top level.

    ``into_columns`` False (a columns block or a footer being dragged: a column cannot hold
    them) ignores the columns, so the drop goes before or after the whole columns block.
    None when there is no top level to drop into.
    """
    if into_columns:
        for container in containers:
            if container.columns_id is not None and container.rect.contains(x, y):
                return _gap(container, y)
    top = next((c for c in containers if c.columns_id is None), None)
    return None if top is None else _gap(top, y)


def _gap(container: Container, y: float) -> Drop:
    """The gap of ``container`` nearest ``y``: before the first card whose middle is below."""
    cards = container.cards
    index = next((i for i, slot in enumerate(cards) if y < slot.rect.middle), len(cards))
    return gap_at(container, index)


def gap_at(container: Container, index: int) -> Drop:
    """The drop before card ``index`` of ``container`` (``len(cards)``: after the last)."""
    cards = container.cards
    if not cards:
        at = container.rect.y + min(8, container.rect.height // 2)
    elif index == 0:
        at = cards[0].rect.y
    elif index >= len(cards):
        at = cards[-1].rect.bottom
    else:
        at = (cards[index - 1].rect.bottom + cards[index].rect.y) // 2
    box = container.rect
    line = Rect(box.x, max(box.y, at - LINE // 2 - 1), box.width, LINE)
    return Drop(container.path(index), line)
