"""The inspector in the real main window: found by the window, following its session."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from editor.commands import SetDocumentField
from widgets.documents import OpenDocument
from widgets.inspector.form import FormPanel
from widgets.inspector.inspector import Inspector
from widgets.inspector.newsletter_panel import NewsletterPanel
from widgets.main_window import MainWindow

from .conftest import SUBJECT


def test_the_window_docks_the_inspector_of_its_session(
    qtbot: QtBot,
    window: MainWindow,
    sample: OpenDocument,
    show: Callable[[MainWindow, OpenDocument], None],
) -> None:
    show(window, sample)
    inspector = window.inspector
    assert isinstance(inspector, Inspector)
    session = window.session
    assert session is not None and inspector.session is session
    assert isinstance(inspector.panel, NewsletterPanel)
    divider = next(b for b in session.document.blocks if b.TYPE == "divider")
    session.select(divider.id)
    assert isinstance(inspector.panel, FormPanel) and inspector.panel.block_id == divider.id
    # An edit made elsewhere (the Edit menu's undo) shows in the inspector.
    session.select("")
    assert session.push(SetDocumentField("subject", "Avril à l'atelier"))
    panel = inspector.panel
    assert isinstance(panel, NewsletterPanel)
    assert panel.editors["subject"].value() == "Avril à l'atelier"
    window.undo_group.undo()
    assert panel.editors["subject"].value() == SUBJECT
