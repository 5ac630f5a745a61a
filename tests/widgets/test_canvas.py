"""The canvas as a user drives it: cards drawn, click to select, drag and drop, all undoable."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDrag, QDropEvent, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QToolButton
from pytestqt.qtbot import QtBot

from editor.commands import SetBlockField, SetDocumentField
from editor.document import Column, ColumnsBlock, ImageBlock, Newsletter, PostsBlock, TextBlock
from editor.locate import BlockPath
from tests.widgets.canvas_support import (
    ACTIONS,
    column_ids,
    drag_over,
    drop,
    dump,
    on,
    png,
    point,
    sample_file,
    settle,
    shown_canvas,
    top_ids,
    undo_redo_identical,
)
from widgets.canvas.actions import blocks_mime
from widgets.canvas.cards import RichText, column_areas
from widgets.mime_types import BLOCK_TYPE_MIME, BLOCKS_MIME
from widgets.palette import block_type_mime

pytestmark = pytest.mark.gui


def _texts(widget: Any) -> str:
    labels = [*widget.findChildren(QLabel), *widget.findChildren(RichText)]
    return " ".join(label.text() for label in labels)


# ------------------------------------------------------------------------------- drawing


def test_every_block_is_drawn_with_the_theme(qtbot: QtBot) -> None:
    bf = sample_file()
    bf.newsletter.blocks.insert(2, ImageBlock(id="r1", src="https://cdn.example.org/a.png"))
    bf.newsletter.blocks.insert(3, PostsBlock(id="p1", feed_url="https://blog.example/feed"))
    session, canvas = shown_canvas(qtbot, bf)
    assert [c.block_id for c in canvas.cards()] == [b.id for b in session.document.walk()]
    heading = canvas.card("h1")
    assert heading is not None and "Bonjour" in _texts(heading)
    assert "{{ first_name }}" in _texts(heading)  # the merge tag shown as a chip, as written
    assert "<strong>rouvre</strong>" in _texts(canvas.card("t1"))
    picture = canvas.card("i1").findChildren(QLabel)[0]  # type: ignore[union-attr]
    assert not picture.pixmap().isNull()
    assert picture.pixmap().deviceIndependentSize().width() == 120  # its own size, not stretched
    assert "cdn.example.org" in _texts(canvas.card("r1"))  # remote: a placeholder, no network
    assert "No posts yet" in _texts(canvas.card("p1"))
    columns = canvas.card("c1")
    assert columns is not None and len(column_areas(columns)) == 2
    assert [[c.block_id for c in a.cards] for a in column_areas(columns)] == [["t2"], ["i2"]]
    assert "Réserver" in _texts(canvas.card("b1"))
    assert "Atelier Lumière" in _texts(canvas.card("f1"))
    page = canvas._page
    assert page.width() == session.document.theme.content_width
    # A theme change applies to every card at once.
    session.push(SetDocumentField("theme.content_background", "#fef3c7"))
    assert page.palette().color(QPalette.ColorRole.Window) == QColor("#fef3c7")
    session.push(SetDocumentField("theme.content_width", 480))
    settle()
    assert page.width() == 480


def test_an_empty_column_shows_a_drop_hint_and_an_empty_newsletter_says_what_to_do(
    qtbot: QtBot,
) -> None:
    session, canvas = shown_canvas(qtbot, Newsletter())
    assert canvas._empty.isVisible() and "drag blocks here" in canvas._empty.text()
    assert drop(canvas, block_type_mime("columns"), QPoint(450, 100))
    assert "Drop a block here" in _texts(canvas.card(top_ids(session)[0]))
    assert not canvas._empty.isVisible()


def test_only_the_changed_card_is_redrawn(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    before = {c.block_id: c for c in canvas.cards()}
    redrawn = canvas.rebuilds
    session.push(SetBlockField("h1", "text", "Bonsoir"))
    assert canvas.rebuilds == redrawn + 1
    assert canvas.card("h1") is not before["h1"] and "Bonsoir" in _texts(canvas.card("h1"))
    assert all(canvas.card(i) is before[i] for i in before if i != "h1")
    session.undo_stack.undo()
    assert "Bonjour" in _texts(canvas.card("h1"))


# ----------------------------------------------------------------------------- selection


def test_click_selects_a_card_with_its_toolbar_and_empty_space_the_newsletter(
    qtbot: QtBot,
) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    with qtbot.waitSignal(session.selection_changed) as selected:
        qtbot.mouseClick(canvas.card("t2"), Qt.MouseButton.LeftButton)
    assert selected.args == ["t2"] and session.selected == "t2"
    assert canvas.card("t2").selected and not canvas.card("c1").selected  # type: ignore[union-attr]
    bar = canvas._toolbar
    qtbot.waitUntil(bar.isVisible)
    names = [b.accessibleName() for b in bar.findChildren(QToolButton)]
    assert names == ["Move Block Up", "Move Block Down", "Duplicate Block", "Delete Block"]
    assert all(b.toolTip() and not b.icon().isNull() for b in bar.findChildren(QToolButton))
    assert canvas.hasFocus()
    # A click beside the newsletter selects the newsletter itself.
    qtbot.mouseClick(canvas._backdrop, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert session.selected == ""
    qtbot.waitUntil(lambda: not bar.isVisible())


def test_the_card_toolbar_pushes_commands(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    session.select("t1")
    settle()
    before = dump(session)
    up = canvas._toolbar.findChildren(QToolButton)[0]
    qtbot.mouseClick(up, Qt.MouseButton.LeftButton)
    assert top_ids(session)[:2] == ["t1", "h1"]
    undo_redo_identical(session, before)


def test_double_click_asks_for_the_block_editor(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    with qtbot.waitSignal(canvas.edit_requested) as asked:
        qtbot.mouseDClick(canvas.card("t1"), Qt.MouseButton.LeftButton)
    assert asked.args == ["t1"] and session.selected == "t1"


def test_selection_from_elsewhere_scrolls_to_the_card(qtbot: QtBot) -> None:
    bf = sample_file()
    bf.newsletter.blocks[1:1] = [TextBlock(id=f"x{n}", html="<p>…</p>" * 4) for n in range(12)]
    session, canvas = shown_canvas(qtbot, bf, size=(800, 400))
    bar = canvas._scroll.verticalScrollBar()
    assert bar.value() == 0
    session.select("f1")  # e.g. a finding clicked in the findings list
    assert bar.value() > 0
    footer = canvas.card("f1")
    assert footer is not None
    viewport = canvas._scroll.viewport()
    top = footer.mapTo(viewport, QPoint(0, 0)).y()
    assert 0 <= top < viewport.height()  # now in view
    canvas.scroll_to("h1")
    heading = canvas.card("h1")
    assert heading is not None and 0 <= heading.mapTo(viewport, QPoint(0, 0)).y() < 40
    # A short card near the bottom edge: scrolled so that its toolbar shows whole too.
    divider = canvas.card("d1")
    assert divider is not None and divider.height() < canvas._toolbar.sizeHint().height()
    top = divider.mapTo(canvas._backdrop, QPoint(0, 0)).y()
    bar.setValue(top - viewport.height() + divider.height())  # the divider just in view
    session.select("d1")
    qtbot.waitUntil(canvas._toolbar.isVisible)
    toolbar_bottom = canvas._toolbar.mapTo(viewport, QPoint(0, canvas._toolbar.height())).y()
    assert toolbar_bottom <= viewport.height()


# ------------------------------------------------------------------------- drag and drop


def test_a_drag_near_the_bottom_edge_scrolls_down(qtbot: QtBot) -> None:
    bf = sample_file()
    bf.newsletter.blocks[1:1] = [TextBlock(id=f"x{n}", html="<p>…</p>" * 4) for n in range(12)]
    _session, canvas = shown_canvas(qtbot, bf, size=(800, 400))
    bar = canvas._scroll.verticalScrollBar()
    drag_over(canvas, block_type_mime("text"), QPoint(400, canvas.height() - 5))
    assert bar.value() > 0


def test_redraw_draws_every_card_again(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    before = canvas.rebuilds
    canvas.redraw()  # e.g. after a language change
    assert canvas.rebuilds == before + len(session.document.blocks)
    assert [c.block_id for c in canvas.cards()] == [b.id for b in session.document.walk()]


def test_a_palette_type_dropped_at_a_position_is_inserted_there(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    before = dump(session)
    target = point(canvas, "i1", "top")  # upper half of the image: the gap before it
    assert drag_over(canvas, block_type_mime("button"), target)
    line = canvas._indicator
    assert line.isVisible()
    image_top = canvas.card("i1").mapTo(canvas._page, QPoint(0, 0)).y()  # type: ignore[union-attr]
    assert abs(line.geometry().center().y() - image_top) <= 4
    assert canvas.drop_path(target) == BlockPath(2)
    assert drop(canvas, block_type_mime("button"), target)
    assert not line.isVisible()
    new = session.document.blocks[2]
    assert new.TYPE == "button" and top_ids(session)[3] == "i1"
    assert session.selected == new.id
    undo_redo_identical(session, before)


def test_a_type_dropped_into_a_column_goes_into_that_column(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    before = dump(session)
    below_image = point(canvas, "i2", "bottom")
    assert canvas.drop_path(below_image) == BlockPath.inside("c1", 1, 1)
    assert drop(canvas, block_type_mime("text"), below_image)
    assert column_ids(session, "c1")[1][0] == "i2" and len(column_ids(session, "c1")[1]) == 2
    new_id = column_ids(session, "c1")[1][1]
    assert canvas.card(new_id) is not None
    undo_redo_identical(session, before)


def test_an_empty_column_takes_a_drop(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, Newsletter())
    drop(canvas, block_type_mime("columns"), QPoint(450, 100))
    columns_id = top_ids(session)[0]
    second = column_areas(canvas.card(columns_id))[1]  # type: ignore[arg-type]
    before = dump(session)
    assert drop(canvas, block_type_mime("heading"), on(second, canvas))
    assert [len(ids) for ids in column_ids(session, columns_id)] == [0, 1]
    undo_redo_identical(session, before)


def test_columns_and_footers_never_land_in_a_column(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    inside = point(canvas, "i2", "bottom")
    assert canvas.drop_path(inside, into_columns=False) is not None
    assert canvas.drop_path(inside, into_columns=False).is_top  # type: ignore[union-attr]
    before = top_ids(session)
    assert drop(canvas, block_type_mime("columns"), inside)
    assert len(top_ids(session)) == len(before) + 1
    assert column_ids(session, "c1") == [["t2"], ["i2"]]
    session.undo_stack.undo()
    # A columns block dragged over its own column: the drop goes beside it, never inside.
    own = blocks_mime([session.document.find("c1")], session, canvas.token)  # type: ignore[list-item]
    settle()
    inside = point(canvas, "i2", "bottom")
    assert canvas.drop_path(inside, into_columns=False) == BlockPath(4)
    before_json = dump(session)
    assert drop(canvas, own, inside)
    assert dump(session) == before_json  # dropped just after itself: nothing moved


def test_a_footer_dropped_over_a_column_goes_after_the_columns(qtbot: QtBot) -> None:
    columns = ColumnsBlock(
        id="c9", columns=[Column([TextBlock(id="t9", html="<p>A</p>")]), Column()]
    )
    session, canvas = shown_canvas(qtbot, Newsletter(blocks=[columns]))
    before = dump(session)
    assert drop(canvas, block_type_mime("footer"), point(canvas, "t9", "bottom"))
    assert session.document.blocks[1].TYPE == "footer"
    assert column_ids(session, "c9") == [["t9"], []]
    undo_redo_identical(session, before)


def test_reorder_by_dragging_a_card(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    before = dump(session)
    heading = blocks_mime([session.document.find("h1")], session, canvas.token)  # type: ignore[list-item]
    assert drop(canvas, heading, point(canvas, "b1", "bottom"))  # after the button
    assert top_ids(session) == ["t1", "i1", "c1", "b1", "h1", "d1", "f1"]
    assert session.undo_stack.count() == 1
    undo_redo_identical(session, before)


def test_move_a_block_between_columns_and_out_of_them(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    before = dump(session)
    text = blocks_mime([session.document.find("t2")], session, canvas.token)  # type: ignore[list-item]
    assert drop(canvas, text, point(canvas, "i2", "top"))
    assert column_ids(session, "c1") == [[], ["t2", "i2"]]
    undo_redo_identical(session, before)
    settle()
    middle = dump(session)
    image = blocks_mime([session.document.find("i2")], session, canvas.token)  # type: ignore[list-item]
    assert drop(canvas, image, point(canvas, "h1", "top"))
    assert top_ids(session)[0] == "i2" and column_ids(session, "c1") == [[], ["t2"]]
    undo_redo_identical(session, middle)


def test_blocks_from_another_window_are_copied_with_fresh_ids_and_their_images(
    qtbot: QtBot,
) -> None:
    session, canvas = shown_canvas(qtbot, Newsletter())
    other, other_canvas = shown_canvas(qtbot, sample_file())
    data = blocks_mime([other.document.find("c1")], other, other_canvas.token)  # type: ignore[list-item]
    before = dump(session)
    assert drop(canvas, data, QPoint(450, 80))
    copied = session.document.blocks[0]
    assert copied.TYPE == "columns" and copied.id != "c1"
    image = copied.columns[1].blocks[0]  # type: ignore[attr-defined]
    assert image.id != "i2" and image.src in session.file.images
    assert top_ids(other) == ["h1", "t1", "i1", "c1", "b1", "d1", "f1"]  # the source keeps it
    undo_redo_identical(session, before)


def test_an_image_file_dropped_from_the_desktop_becomes_an_image_block(
    qtbot: QtBot, tmp_path: Path
) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    photo = tmp_path / "Vitrine.PNG"
    photo.write_bytes(png(300, 200, "#f59e0b"))
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(photo))])
    before = dump(session)
    assert drop(canvas, data, point(canvas, "t2", "bottom"))  # in the first column
    qtbot.waitUntil(lambda: len(column_ids(session, "c1")[0]) == 2, timeout=10_000)
    new = session.document.find(column_ids(session, "c1")[0][1])
    assert isinstance(new, ImageBlock) and new.alt == ""  # the findings will ask for it
    stored = Image.open(io.BytesIO(session.file.images[new.src]))
    assert (stored.format, stored.size) == ("PNG", (300, 200))  # small enough: kept as it is
    assert session.undo_stack.count() == 1
    settle()
    picture = canvas.card(new.id).findChildren(QLabel)[0]  # type: ignore[union-attr]
    assert not picture.pixmap().isNull()
    undo_redo_identical(session, before)


def test_a_big_photo_dropped_is_made_light_off_the_ui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    """A 20-megapixel photo: the drop returns at once, the photo is resized to twice the width
    it is shown at (its column's share) and recompressed in the background, then inserted."""
    session, canvas = shown_canvas(qtbot, sample_file())
    photo = tmp_path / "IMG_0001.JPG"
    noise = Image.effect_noise((684, 456), 64).convert("RGB")
    noise.resize((5472, 3648)).save(photo, "JPEG", quality=95)  # 20 megapixels
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(photo))])
    before = dump(session)
    target = point(canvas, "i2", "bottom")  # the second column: half of 600 px
    assert drag_over(canvas, data, target)
    event = QDropEvent(
        QPointF(target), ACTIONS, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(canvas, event)  # no event loop turn: the result cannot be in yet
    assert event.isAccepted()
    assert canvas.images_pending() == 1 and dump(session) == before  # the drop did not wait
    with qtbot.waitSignal(canvas.preparing_changed, timeout=60_000) as done:
        pass
    assert done.args == [False]
    assert canvas.images_pending() == 0
    new = session.document.find(column_ids(session, "c1")[1][1])
    assert isinstance(new, ImageBlock)
    stored = session.file.images[new.src]
    assert len(stored) < photo.stat().st_size
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG"
        assert image.width == 2 * 300  # twice its column's width, the height in proportion
        assert image.height == 400
    assert session.undo_stack.count() == 1
    undo_redo_identical(session, before)


def test_a_file_that_is_not_an_image_is_refused_with_a_sentence(
    qtbot: QtBot, tmp_path: Path
) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    notes = tmp_path / "notes.txt"
    notes.write_text("Penser au pain")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(notes))])
    before = dump(session)
    assert not drag_over(canvas, data, point(canvas, "t1"))
    assert not canvas._indicator.isVisible()
    with qtbot.waitSignal(session.error) as error:
        assert not drop(canvas, data, point(canvas, "t1"))
    assert "notes.txt" in error.args[0] and "PNG" in error.args[0]
    assert dump(session) == before and session.undo_stack.count() == 0


def test_a_fake_image_is_refused_by_the_core(qtbot: QtBot, tmp_path: Path) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    fake = tmp_path / "photo.png"
    fake.write_bytes(b"%PDF-1.4 not a picture")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(fake))])
    before = dump(session)
    with qtbot.waitSignal(session.error) as error:
        assert not drop(canvas, data, point(canvas, "t1"))
    assert "photo.png" in error.args[0]
    assert dump(session) == before


def test_unknown_data_is_not_taken(qtbot: QtBot) -> None:
    session, canvas = shown_canvas(qtbot, sample_file())
    text = QMimeData()
    text.setText("hello")
    assert not drag_over(canvas, text, point(canvas, "t1"))
    junk = QMimeData()
    junk.setData(BLOCKS_MIME, b"{not json")
    assert not drop(canvas, junk, point(canvas, "t1"))
    unknown = QMimeData()
    unknown.setData(BLOCK_TYPE_MIME, b"carousel")
    assert not drop(canvas, unknown, point(canvas, "t1"))
    assert session.undo_stack.count() == 0


def test_dragging_a_card_starts_a_move_with_the_block(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    _session, canvas = shown_canvas(qtbot, sample_file())
    started: list[QMimeData] = []

    def exec_(drag: QDrag, *args: Any) -> Qt.DropAction:
        started.append(drag.mimeData())
        return Qt.DropAction.MoveAction

    monkeypatch.setattr(QDrag, "exec", exec_)
    card = canvas.card("b1")
    assert card is not None
    start = card.rect().center()
    qtbot.mousePress(card, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(card, start + QPoint(0, QApplication.startDragDistance() + 5))
    qtbot.mouseRelease(card, Qt.MouseButton.LeftButton)
    assert len(started) == 1
    payload = json.loads(bytes(started[0].data(BLOCKS_MIME).data()))
    assert payload["source"] == canvas.token
    assert [b["id"] for b in payload["blocks"]] == ["b1"]
