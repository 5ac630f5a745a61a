"""Where a drop lands, from geometry alone: the pure function behind the canvas's indicator."""

from __future__ import annotations

from editor.locate import BlockPath
from widgets.canvas.drop import Container, Rect, Slot, drop_target

# A page 600 px wide: a heading (y 10-50), a columns block (50-150) whose two columns hold a
# text (60-100) and nothing, and a footer (150-200).
TOP = Container(
    Rect(0, 0, 600, 220),
    (
        Slot("h", Rect(0, 10, 600, 40)),
        Slot("c", Rect(0, 50, 600, 100)),
        Slot("f", Rect(0, 150, 600, 50)),
    ),
)
LEFT = Container(Rect(16, 56, 284, 88), (Slot("t", Rect(16, 60, 284, 40)),), "c", 0)
RIGHT = Container(Rect(300, 56, 284, 88), (), "c", 1)
PAGE = [TOP, LEFT, RIGHT]


def test_top_level_gaps_are_chosen_by_the_cards_middles() -> None:
    assert drop_target(PAGE, 100, 0).path == BlockPath(0)  # type: ignore[union-attr]
    assert drop_target(PAGE, 100, 29).path == BlockPath(0)  # type: ignore[union-attr]
    assert drop_target(PAGE, 100, 31).path == BlockPath(1)  # type: ignore[union-attr]
    assert drop_target(PAGE, 100, 180).path == BlockPath(3)  # type: ignore[union-attr]
    assert drop_target(PAGE, 100, 500).path == BlockPath(3)  # type: ignore[union-attr]


def test_the_indicator_sits_between_the_cards_across_the_container() -> None:
    drop = drop_target(PAGE, 100, 31)
    assert drop is not None
    assert drop.line.x == 0 and drop.line.width == 600
    assert 45 <= drop.line.y <= 52  # on the border between heading and columns
    end = drop_target(PAGE, 100, 500)
    assert end is not None and 195 <= end.line.y <= 202


def test_inside_a_column_the_drop_goes_into_it() -> None:
    assert drop_target(PAGE, 100, 70).path == BlockPath.inside("c", 0, 0)  # type: ignore[union-attr]
    assert drop_target(PAGE, 100, 90).path == BlockPath.inside("c", 0, 1)  # type: ignore[union-attr]
    empty = drop_target(PAGE, 400, 100)
    assert empty is not None and empty.path == BlockPath.inside("c", 1, 0)
    assert empty.line.x == 300 and empty.line.width == 284  # the column's own width
    assert 56 <= empty.line.y <= 66


def test_what_a_column_cannot_hold_goes_before_or_after_the_columns() -> None:
    assert drop_target(PAGE, 100, 70, into_columns=False).path == BlockPath(1)  # type: ignore[union-attr]
    assert drop_target(PAGE, 400, 120, into_columns=False).path == BlockPath(2)  # type: ignore[union-attr]


def test_gaps_between_columns_count_as_the_top_level() -> None:
    # x 5 is left of the first column (its padding): the columns block as a whole.
    assert drop_target(PAGE, 5, 120).path == BlockPath(2)  # type: ignore[union-attr]


def test_no_top_level_no_drop() -> None:
    assert drop_target([LEFT], 600, 600) is None
    assert drop_target([], 0, 0) is None
    empty_page = Container(Rect(0, 0, 600, 100), ())
    assert drop_target([empty_page], 300, 50).path == BlockPath(0)  # type: ignore[union-attr]
