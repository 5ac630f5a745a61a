"""The canvas by keyboard: select, move, duplicate, delete, cut, copy and paste blocks."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from editor.document import FooterBlock, HeadingBlock, ImageBlock, Newsletter, TextBlock
from tests.widgets.canvas_support import (
    column_ids,
    dump,
    sample_file,
    settle,
    shown_canvas,
    top_ids,
    undo_redo_identical,
)
from widgets.canvas import Canvas
from widgets.mime_types import BLOCKS_MIME
from widgets.session import EditSession

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier


def _focus(qtbot: QtBot, canvas: Canvas) -> None:
    canvas.activateWindow()
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)


def test_up_and_down_move_the_selection_in_reading_order(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    _focus(qtbot, canvas)
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    assert session.selected == "h1"  # nothing selected: the first block
    for expected in ("t1", "i1", "c1", "t2", "i2", "b1"):
        qtbot.keyClick(canvas, Qt.Key.Key_Down)
        assert session.selected == expected
    qtbot.keyClick(canvas, Qt.Key.Key_Up)
    assert session.selected == "i2"
    assert session.undo_stack.count() == 0


def test_ctrl_up_and_down_move_the_block_and_step_out_of_a_column(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    _focus(qtbot, canvas)
    session.select("b1")
    before = dump(session)
    qtbot.keyClick(canvas, Qt.Key.Key_Up, CTRL)
    assert top_ids(session) == ["h1", "t1", "i1", "b1", "c1", "d1", "f1"]
    undo_redo_identical(session, before)
    session.select("t2")  # first in its column: Ctrl+Up takes it out, before the columns
    before = dump(session)
    qtbot.keyClick(canvas, Qt.Key.Key_Up, CTRL)
    assert top_ids(session)[3:6] == ["b1", "t2", "c1"]
    assert column_ids(session, "c1") == [[], ["i2"]]
    assert session.selected == "t2"
    undo_redo_identical(session, before)
    session.select("h1")
    assert not canvas.block_actions.move_up.isEnabled()  # already at the top
    qtbot.keyClick(canvas, Qt.Key.Key_Down, CTRL)
    assert top_ids(session)[:2] == ["t1", "h1"]


def test_ctrl_d_duplicates_and_delete_removes(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    _focus(qtbot, canvas)
    session.select("t1")
    before = dump(session)
    qtbot.keyClick(canvas, Qt.Key.Key_D, CTRL)
    copy_id = top_ids(session)[2]
    assert copy_id not in ("t1", "i1") and session.selected == copy_id
    assert session.document.find(copy_id).html == session.document.find("t1").html  # type: ignore[union-attr]
    undo_redo_identical(session, before)
    session.select(copy_id)  # the undo took the selection away with the copy
    before = dump(session)
    qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert copy_id not in top_ids(session) and session.selected == "i1"  # the next one
    undo_redo_identical(session, before)
    session.select("")
    assert not canvas.block_actions.delete.isEnabled()


def test_shortcuts_belong_to_the_canvas_only_while_it_has_the_focus(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    session = EditSession(sample_file())
    canvas = Canvas(session, window)
    field = QLineEdit(window)  # e.g. the inspector's subject field, in the same window
    layout = QVBoxLayout(window)
    layout.addWidget(field)
    layout.addWidget(canvas)
    window.resize(900, 900)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    session.select("t1")
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_Down)
    assert session.selected == "t1"
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    qtbot.keyClick(canvas, Qt.Key.Key_Down)
    assert session.selected == "i1"


def test_copy_in_one_newsletter_and_paste_in_another(qtbot: QtBot) -> None:
    source, source_canvas = shown_canvas(qtbot, sample_file())
    _focus(qtbot, source_canvas)
    source.select("c1")
    qtbot.keyClick(source_canvas, Qt.Key.Key_C, CTRL)
    data = QApplication.clipboard().mimeData()
    assert data.hasFormat(BLOCKS_MIME) and data.hasHtml() and data.hasText()
    assert "Poterie le mardi" in data.html() and "data:image/png;base64," in data.html()
    assert "Poterie le mardi" in data.text()
    payload = json.loads(bytes(data.data(BLOCKS_MIME).data()))
    assert payload["source"] == source_canvas.token and payload["images"]
    assert source.undo_stack.count() == 0  # copying changes nothing

    target, target_canvas = shown_canvas(
        qtbot, Newsletter(blocks=[HeadingBlock(id="a"), FooterBlock(id="z")])
    )
    _focus(qtbot, target_canvas)
    assert target_canvas.block_actions.paste.isEnabled()
    target.select("a")
    before = dump(target)
    qtbot.keyClick(target_canvas, Qt.Key.Key_V, CTRL)
    pasted = target.document.blocks[1]
    assert pasted.TYPE == "columns" and pasted.id != "c1" and target.selected == pasted.id
    image = pasted.columns[1].blocks[0]  # type: ignore[attr-defined]
    assert image.id != "i2" and image.src in target.file.images
    assert target_canvas.card(image.id) is not None
    undo_redo_identical(target, before)
    # Pasted again: new ids again, no clash.
    qtbot.keyClick(target_canvas, Qt.Key.Key_V, CTRL)
    ids = [b.id for b in target.document.walk()]
    assert len(ids) == len(set(ids)) == 2 + 2 * 3


def test_paste_with_the_footer_or_nothing_selected_goes_before_the_footer(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    _focus(qtbot, canvas)
    session.select("h1")
    qtbot.keyClick(canvas, Qt.Key.Key_C, CTRL)
    session.select("f1")
    qtbot.keyClick(canvas, Qt.Key.Key_V, CTRL)
    assert top_ids(session)[-1] == "f1" and top_ids(session)[-2] == session.selected
    session.select("")
    qtbot.keyClick(canvas, Qt.Key.Key_V, CTRL)
    assert top_ids(session)[-1] == "f1" and len(top_ids(session)) == 9


def test_a_columns_block_pasted_inside_a_column_goes_after_the_columns(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    _focus(qtbot, canvas)
    session.select("c1")
    canvas.block_actions.copy.trigger()
    session.select("t2")
    canvas.block_actions.paste.trigger()
    assert top_ids(session)[3] == "c1" and session.document.blocks[4].TYPE == "columns"
    assert column_ids(session, "c1") == [["t2"], ["i2"]]


def test_cut_removes_and_paste_brings_back(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    _focus(qtbot, canvas)
    session.select("t1")
    before = dump(session)
    qtbot.keyClick(canvas, Qt.Key.Key_X, CTRL)
    assert "t1" not in top_ids(session)
    undo_redo_identical(session, before)
    session.select("h1")
    qtbot.keyClick(canvas, Qt.Key.Key_V, CTRL)
    pasted = session.document.blocks[1]
    assert isinstance(pasted, TextBlock) and "rouvre" in pasted.html and pasted.id != "t1"


def test_a_picture_on_the_clipboard_is_pasted_as_an_image_block(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    _focus(qtbot, canvas)
    picture = QImage(80, 40, QImage.Format.Format_RGB32)
    picture.fill(QColor("#10b981"))
    QApplication.clipboard().setImage(picture)  # e.g. a screenshot
    settle()
    assert canvas.block_actions.paste.isEnabled()
    session.select("t1")
    before = dump(session)
    qtbot.keyClick(canvas, Qt.Key.Key_V, CTRL)  # prepared for email off the UI thread
    qtbot.waitUntil(lambda: canvas.images_pending() == 0, timeout=10_000)
    pasted = session.document.blocks[2]
    assert isinstance(pasted, ImageBlock) and pasted.alt == "" and session.selected == pasted.id
    assert session.file.images[pasted.src].startswith(b"\x89PNG")
    assert QImage.fromData(session.file.images[pasted.src]).size() == picture.size()
    undo_redo_identical(session, before)


def test_a_wide_pasted_picture_is_resized_for_email_in_one_undo_step(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    _focus(qtbot, canvas)
    picture = QImage(3000, 200, QImage.Format.Format_RGB32)
    picture.fill(QColor("#6366f1"))
    QApplication.clipboard().setImage(picture)
    settle()
    session.select("t1")
    before = dump(session)
    qtbot.keyClick(canvas, Qt.Key.Key_V, CTRL)
    assert canvas.images_pending() == 1 and dump(session) == before  # not yet: in the background
    qtbot.waitUntil(lambda: canvas.images_pending() == 0, timeout=20_000)
    pasted = session.document.blocks[2]
    assert isinstance(pasted, ImageBlock)
    assert QImage.fromData(session.file.images[pasted.src]).width() == 2 * 600
    assert session.undo_stack.count() == 1
    undo_redo_identical(session, before)


def test_a_refused_paste_shows_the_core_error_and_changes_nothing(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    _focus(qtbot, canvas)
    data = QApplication.clipboard()
    from PySide6.QtCore import QMimeData

    mime = QMimeData()
    mime.setData(BLOCKS_MIME, b'{"blocks": [{"type": "carousel"}]}')
    data.setMimeData(mime)
    settle()
    before = dump(session)
    with qtbot.waitSignal(session.error) as error:
        qtbot.keyClick(canvas, Qt.Key.Key_V, CTRL)
    assert "Bulletin blocks" in error.args[0]
    assert dump(session) == before and session.undo_stack.count() == 0


def test_the_actions_for_the_edit_menu(qtbot: QtBot) -> None:
    _session, canvas = shown_canvas(qtbot, sample_file())
    actions = canvas.actions_for_menu()
    assert [a.text().replace("&", "") for a in actions] == [
        "Cut Block",
        "Copy Block",
        "Paste Blocks",
        "Duplicate Block",
        "Delete Block",
        "Move Block Up",
        "Move Block Down",
    ]
    assert all(a.shortcut() != QKeySequence() and a.toolTip() for a in actions)
    assert canvas.block_actions.duplicate.shortcut() == QKeySequence("Ctrl+D")
    assert all(
        a.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut for a in actions
    )
