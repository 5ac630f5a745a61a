"""Helpers for the canvas tests: a shown canvas, points on cards, real drag-and-drop events."""

from __future__ import annotations

import json
from typing import Literal

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from editor.document import (
    ButtonBlock,
    Column,
    ColumnsBlock,
    DividerBlock,
    FooterBlock,
    HeadingBlock,
    ImageBlock,
    Newsletter,
    TextBlock,
    to_json,
)
from editor.package import BulletinFile
from tests.widgets.conftest import png
from widgets.canvas import Canvas
from widgets.session import EditSession

ACTIONS = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction


def shown_canvas(
    qtbot: QtBot, file: BulletinFile | Newsletter, size: tuple[int, int] = (900, 1600)
) -> tuple[EditSession, Canvas]:
    session = EditSession(file)
    canvas = Canvas(session)
    qtbot.addWidget(canvas)
    canvas.resize(*size)
    canvas.show()
    qtbot.waitExposed(canvas)
    settle()
    return session, canvas


def settle() -> None:
    """Let layouts and queued shows run (no time passes: only posted events)."""
    for _ in range(3):
        QApplication.processEvents()


def dump(session: EditSession) -> str:
    return json.dumps(to_json(session.document), ensure_ascii=False)


def point(
    canvas: Canvas, block_id: str, where: Literal["top", "middle", "bottom"] = "middle"
) -> QPoint:
    """A point on a card, in canvas coordinates: just inside its top or bottom, or its middle."""
    card = canvas.card(block_id)
    assert card is not None, block_id
    y = {"top": 3, "middle": card.height() // 2, "bottom": card.height() - 3}[where]
    return card.mapTo(canvas, QPoint(card.width() // 2, y))


def on(widget: QWidget, canvas: Canvas) -> QPoint:
    """The middle of any widget of the canvas, in canvas coordinates."""
    return widget.mapTo(canvas, widget.rect().center())


def _drag_event(
    kind: type[QDragEnterEvent] | type[QDragMoveEvent], pos: QPoint, data: QMimeData
) -> QDragMoveEvent:
    """A drag event at ``pos``: PySide6 6.12 takes a QPointF (its QPoint form is deprecated),
    6.11 only a QPoint."""
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    try:
        return kind(QPointF(pos), ACTIONS, data, buttons, keys)  # type: ignore[arg-type]
    except TypeError:
        return kind(pos, ACTIONS, data, buttons, keys)


def drag_over(canvas: Canvas, data: QMimeData, pos: QPoint) -> bool:
    """Enter and move over the canvas with ``data``; whether the canvas would take it there."""
    enter = _drag_event(QDragEnterEvent, pos, data)
    QApplication.sendEvent(canvas, enter)
    if not enter.isAccepted():
        return False
    move = _drag_event(QDragMoveEvent, pos, data)
    QApplication.sendEvent(canvas, move)
    return move.isAccepted()


def drop(canvas: Canvas, data: QMimeData, pos: QPoint) -> bool:
    """A whole drag-and-drop onto the canvas at ``pos``: enter, move, drop; whether accepted."""
    over = drag_over(canvas, data, pos)
    event = QDropEvent(
        QPointF(pos), ACTIONS, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(canvas, event)
    settle()
    return over and event.isAccepted()


def sample_file() -> BulletinFile:
    """Most block kinds with fixed ids; a columns block holding a text and an image."""
    bf = BulletinFile()
    photo = bf.add_image(png(), "atelier.png")
    bf.newsletter = Newsletter(
        subject="Les nouvelles de l'atelier",
        blocks=[
            HeadingBlock(id="h1", text="Bonjour {{ first_name }} !"),
            TextBlock(id="t1", html="<p>L'atelier <strong>rouvre</strong> le 3 mars.</p>"),
            ImageBlock(id="i1", src=photo, alt="L'atelier au printemps"),
            ColumnsBlock(
                id="c1",
                columns=[
                    Column([TextBlock(id="t2", html="<p>Poterie le mardi</p>")]),
                    Column([ImageBlock(id="i2", src=photo, alt="Un bol")]),
                ],
            ),
            ButtonBlock(id="b1", label="Réserver", url="https://atelier.example/reserver"),
            DividerBlock(id="d1"),
            FooterBlock(id="f1", company="Atelier Lumière", address="3 rue des Potiers"),
        ],
    )
    return bf


def top_ids(session: EditSession) -> list[str]:
    return [b.id for b in session.document.blocks]


def column_ids(session: EditSession, columns_id: str) -> list[list[str]]:
    block = session.document.find(columns_id)
    assert isinstance(block, ColumnsBlock)
    return [[b.id for b in column.blocks] for column in block.columns]


def undo_redo_identical(session: EditSession, before: str) -> None:
    """Undo the last step: the JSON is byte for byte ``before``; redo: back to what it was."""
    after = dump(session)
    assert after != before
    session.undo_stack.undo()
    assert dump(session) == before
    session.undo_stack.redo()
    assert dump(session) == after
