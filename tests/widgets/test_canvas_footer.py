""" "One footer, and it is last", as the canvas shows it: the drop indicator never offers a
place the core would refuse, and refusals are said, not silent."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from editor.document import Newsletter, TextBlock
from tests.widgets.canvas_support import (
    drag_over,
    drop,
    dump,
    point,
    sample_file,
    settle,
    shown_canvas,
    top_ids,
    undo_redo_identical,
)
from widgets.canvas.actions import blocks_mime
from widgets.palette import block_type_mime

pytestmark = pytest.mark.gui


def _indicator_y(canvas) -> int:  # type: ignore[no-untyped-def]
    return canvas._indicator.geometry().center().y()  # type: ignore[no-any-return]


def _top_of(canvas, block_id: str) -> int:  # type: ignore[no-untyped-def]
    return canvas.card(block_id).mapTo(canvas._page, QPoint(0, 0)).y()  # type: ignore[no-any-return]


def test_a_block_dropped_below_the_footer_lands_just_before_it(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    below = point(canvas, "f1", "bottom")
    assert drag_over(canvas, block_type_mime("text"), below)
    assert abs(_indicator_y(canvas) - _top_of(canvas, "f1")) <= 6  # the line is above it
    before = dump(session)
    assert drop(canvas, block_type_mime("text"), below)
    ids = top_ids(session)
    assert ids[-1] == "f1" and session.document.blocks[-2].TYPE == "text"
    undo_redo_identical(session, before)


def test_a_block_dragged_below_the_footer_moves_just_before_it(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    heading = blocks_mime([session.document.find("h1")], session, canvas.token)  # type: ignore[list-item]
    assert drop(canvas, heading, point(canvas, "f1", "bottom"))
    assert top_ids(session) == ["t1", "i1", "c1", "b1", "d1", "h1", "f1"]


def test_a_second_footer_is_refused_with_the_reason(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    before = dump(session)
    for where in (point(canvas, "h1", "top"), point(canvas, "f1", "bottom")):
        assert not drag_over(canvas, block_type_mime("footer"), where)
        assert not canvas._indicator.isVisible()
        with qtbot.waitSignal(session.error) as error:
            assert not drop(canvas, block_type_mime("footer"), where)
        assert "already has a footer" in error.args[0]
    assert dump(session) == before and session.undo_stack.count() == 0


def test_a_footer_dropped_anywhere_goes_last(qtbot: QtBot) -> None:
    doc = Newsletter(
        blocks=[TextBlock(id="a", html="<p>A</p>"), TextBlock(id="b", html="<p>B</p>")]
    )
    session, canvas = shown_canvas(qtbot, doc)
    top = point(canvas, "a", "top")
    assert drag_over(canvas, block_type_mime("footer"), top)
    bottom = canvas.card("b").mapTo(canvas._page, QPoint(0, canvas.card("b").height())).y()  # type: ignore[union-attr]
    assert abs(_indicator_y(canvas) - bottom) <= 6  # offered at the end only
    assert drop(canvas, block_type_mime("footer"), top)
    assert top_ids(session)[:2] == ["a", "b"] and session.document.blocks[2].TYPE == "footer"


def test_the_footer_dragged_up_stays_where_it_is(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    footer = blocks_mime([session.document.find("f1")], session, canvas.token)  # type: ignore[list-item]
    before = dump(session)
    drop(canvas, footer, point(canvas, "h1", "top"))
    assert dump(session) == before and session.undo_stack.count() == 0


def test_keyboard_moves_stop_at_the_footer(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    actions = canvas.block_actions
    session.select("f1")
    settle()
    assert not actions.move_up.isEnabled() and not actions.move_down.isEnabled()
    assert not actions.duplicate.isEnabled()  # one footer per newsletter
    session.select("d1")
    settle()
    assert actions.move_up.isEnabled() and not actions.move_down.isEnabled()
    before = dump(session)
    actions.move_down.trigger()
    assert dump(session) == before


def test_inserting_a_second_footer_from_the_palette_says_why(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from widgets.documents import OpenDocument
    from widgets.main_window import MainWindow

    discard = QMessageBox.StandardButton.Discard  # closing the edited window at teardown
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a: discard))
    win = MainWindow(OpenDocument(sample_file()))
    qtbot.addWidget(win)
    win.show()
    assert win.session is not None
    before = dump(win.session)
    win.session.select("t1")
    assert not win.insert_block("footer")
    QApplication.processEvents()
    assert "already has a footer" in win.statusBar().currentMessage()
    assert dump(win.session) == before and win.session.undo_stack.count() == 0
    win.session.select("f1")  # a new block "after the footer" goes just before it
    assert win.insert_block("text")
    assert [b.TYPE for b in win.session.document.blocks][-2:] == ["text", "footer"]


def test_the_palette_and_insert_menu_grey_out_a_second_footer(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from editor.commands import RemoveBlock
    from widgets.documents import OpenDocument
    from widgets.main_window import MainWindow

    discard = QMessageBox.StandardButton.Discard  # closing the edited window at teardown
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a: discard))
    win = MainWindow(OpenDocument(sample_file()))
    qtbot.addWidget(win)
    assert win.session is not None
    palette = win.block_palette
    footer_item = palette.item_for("footer")  # type: ignore[attr-defined]
    footer_action = next(a for a in win.insert_actions if a.data() == "footer")
    assert not footer_item.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "already has a footer" in footer_item.toolTip()
    assert not footer_action.isEnabled() and "already has a footer" in footer_action.toolTip()
    palette.list.itemDoubleClicked.emit(footer_item)  # a greyed entry inserts nothing
    assert win.session.undo_stack.count() == 0
    assert win.session.push(RemoveBlock("f1"))  # no footer any more: available again
    assert footer_item.flags() & Qt.ItemFlag.ItemIsEnabled and footer_action.isEnabled()
    text_item = palette.item_for("text")  # type: ignore[attr-defined]
    assert text_item.flags() & Qt.ItemFlag.ItemIsEnabled
