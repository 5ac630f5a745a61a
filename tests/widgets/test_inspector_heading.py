"""The heading's colour in the inspector: follows the theme when empty, contrast shown."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from editor.commands import SetDocumentField
from editor.document import HeadingBlock, to_json
from tests.widgets.conftest import sample_file
from widgets.inspector import Inspector
from widgets.session import EditSession

pytestmark = pytest.mark.gui


def test_heading_colour_follows_the_theme_and_shows_its_contrast(qtbot: QtBot) -> None:
    session = EditSession(sample_file())
    inspector = Inspector(session)
    qtbot.addWidget(inspector)
    inspector.resize(380, 900)
    inspector.show()
    heading = next(b for b in session.document.blocks if isinstance(b, HeadingBlock))
    session.select(heading.id)
    colour = inspector.panel.editors["color"]  # type: ignore[attr-defined]
    line = inspector.panel.contrast["color"]  # type: ignore[attr-defined]
    assert colour.hex.placeholderText() == "As in the theme"
    assert colour.fallback() == session.document.theme.heading_color
    assert line.isVisible() and "readable" in line.text()
    before = to_json(session.document)
    qtbot.keyClicks(colour.hex, "#FDE68A")  # pale yellow on white
    colour.hex.editingFinished.emit()
    assert heading.color == "#fde68a"  # normalised as it is set
    assert "hard to read" in line.text()
    assert session.push(SetDocumentField("theme.content_background", "#1f2937"))
    assert "readable" in line.text() and "hard" not in line.text()  # on a dark background
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert to_json(session.document) == before
    assert colour.hex.text() == "" and "readable" in line.text()


def test_the_canvas_draws_the_heading_in_its_colour(qtbot: QtBot) -> None:
    from editor.commands import SetBlockField
    from tests.widgets.canvas_support import shown_canvas
    from widgets.canvas.cards import RichText

    session, canvas = shown_canvas(qtbot, sample_file())
    heading = next(b for b in session.document.blocks if isinstance(b, HeadingBlock))
    assert session.push(SetBlockField(heading.id, "color", "#9A3412"))
    card = canvas.card(heading.id)
    assert card is not None
    assert any("#9a3412" in label.text() for label in card.findChildren(RichText))
