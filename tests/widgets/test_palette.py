"""The block palette: every registered type, dragged out or inserted by double-click / Enter."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from editor.blocks import registry
from editor.blocks.base import Block, BlockType, aligned
from editor.document import Newsletter
from editor.i18n import set_language
from tests.widgets.canvas_support import drop, shown_canvas, top_ids
from widgets.mime_types import BLOCK_TYPE_MIME
from widgets.palette import Palette, block_type_mime

pytestmark = pytest.mark.gui


@dataclass
class NoteBlock(Block):
    """A throwaway type, registered by the test only."""

    TYPE: ClassVar[str] = "note"
    text: str = ""


@pytest.fixture
def note_type(tmp_path: Path) -> Iterator[BlockType]:
    (tmp_path / "icons" / "blocks").mkdir(parents=True)
    (tmp_path / "icons" / "blocks" / "note.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" '
        'r="8" fill="#f59e0b"/></svg>'
    )
    kind = BlockType(
        name="note",
        cls=NoteBlock,
        label=lambda: "Sticky note",
        view=lambda block, ctx, width, pad: aligned(block, text=block.text),
        text=lambda block, ctx: block.text,
        summary=lambda block: block.text,
        resources=tmp_path,
    )
    registry.register(kind)
    try:
        yield kind
    finally:
        registry.unregister("note")


def _palette(qtbot: QtBot) -> Palette:
    palette = Palette()
    qtbot.addWidget(palette)
    palette.resize(220, 500)
    palette.show()
    qtbot.waitExposed(palette)
    return palette


def test_every_registered_type_is_listed_with_its_icon_and_name(qtbot: QtBot) -> None:
    set_language("en")
    palette = _palette(qtbot)
    assert palette.type_names() == [kind.name for kind in registry.all_types()]
    for kind in registry.all_types():
        item = palette.item_for(kind.name)
        assert item is not None and item.text() == kind.label()
        assert not item.icon().isNull() and kind.label() in item.toolTip()
    assert palette.list.accessibleName() and palette.list.toolTip()


def test_a_new_type_shows_up_without_code_change(qtbot: QtBot, note_type: BlockType) -> None:
    palette = _palette(qtbot)
    item = palette.item_for("note")
    assert item is not None and item.text() == "Sticky note" and not item.icon().isNull()
    # ...and the canvas takes it, drawn by the generic card.
    session, canvas = shown_canvas(qtbot, Newsletter())
    assert drop(canvas, block_type_mime("note"), QPoint(450, 80))
    assert session.document.blocks[0].TYPE == "note"
    assert canvas.card(top_ids(session)[0]) is not None


def test_labels_follow_the_language(qtbot: QtBot) -> None:
    set_language("fr")
    try:
        palette = _palette(qtbot)
        assert palette.item_for("heading").text() == registry.block_type("heading").label()  # type: ignore[union-attr]
        assert palette.item_for("heading").text() != "Heading"  # type: ignore[union-attr]
    finally:
        set_language("en")


def test_double_click_and_enter_ask_for_an_insert(qtbot: QtBot) -> None:
    palette = _palette(qtbot)
    item = palette.item_for("button")
    assert item is not None
    rect = palette.list.visualItemRect(item)
    viewport = palette.list.viewport()
    with qtbot.waitSignal(palette.insert_requested) as asked:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked.args == ["button"]
    palette.list.setCurrentItem(palette.item_for("divider"))  # type: ignore[arg-type]
    palette.list.setFocus()
    with qtbot.waitSignal(palette.insert_requested) as asked:
        qtbot.keyClick(palette.list, Qt.Key.Key_Return)
    assert asked.args == ["divider"]


def test_dragging_an_item_carries_its_type(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    palette = _palette(qtbot)
    started: list[QMimeData] = []

    def exec_(drag: QDrag, *args: Any) -> Qt.DropAction:
        started.append(drag.mimeData())
        return Qt.DropAction.CopyAction

    monkeypatch.setattr(QDrag, "exec", exec_)
    item = palette.item_for("image")
    assert item is not None
    viewport = palette.list.viewport()
    start = palette.list.visualItemRect(item).center()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 4):
        qtbot.mouseMove(viewport, start + QPoint(step * QApplication.startDragDistance(), 0))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=start)
    assert len(started) == 1
    assert bytes(started[0].data(BLOCK_TYPE_MIME).data()) == b"image"
    assert palette.list.mimeTypes() == [BLOCK_TYPE_MIME]
    assert palette.type_names() == [kind.name for kind in registry.all_types()]  # nothing moved
