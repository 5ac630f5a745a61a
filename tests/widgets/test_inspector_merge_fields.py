"""The merge-tag menu offers the contacts store's custom fields, read off the UI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from editor.contacts.store import DB_NAME, Basis, ContactInput, ContactStore
from editor.document import Newsletter, TextBlock
from editor.settings import data_dir
from widgets.inspector import Inspector
from widgets.inspector.text_panel import TextPanel
from widgets.session import EditSession

pytestmark = pytest.mark.gui

CONSENT = Basis("consent", "formulaire du site", "J'accepte")


def _add(path: Path, email: str, **fields: str) -> None:
    with ContactStore(path) as store:
        store.add(ContactInput(email, "Anne", "Martin", dict(fields)), CONSENT)


def _offered(inspector: Inspector) -> list[str]:
    panel = inspector.panel
    assert isinstance(panel, TextPanel)
    return [name for name, _label in panel.text.rich.merge_fields()]


def _text_inspector(qtbot: QtBot) -> Inspector:
    session = EditSession(Newsletter(blocks=[TextBlock(id="t1", html="<p>Bonjour</p>")]))
    inspector = Inspector(session)
    qtbot.addWidget(inspector)
    session.select("t1")
    return inspector


def test_the_menu_offers_the_stores_custom_fields(qtbot: QtBot) -> None:
    store = data_dir() / DB_NAME
    _add(store, "anne@example.org", Société="Atelier Lumière", Ville="Lyon")
    _add(store, "paul@example.org", Ville="Paris")
    inspector = _text_inspector(qtbot)
    qtbot.waitUntil(lambda: not inspector.merge_source.is_busy(), timeout=10_000)
    offered = _offered(inspector)
    assert offered[:3] == ["first_name", "last_name", "email"]
    assert set(offered[3:]) == {"Société", "Ville"}
    menu = inspector.panel.text.rich.merge_menu  # type: ignore[attr-defined]
    menu.aboutToShow.emit()
    texts = [action.text() for action in menu.actions()]
    assert any("Société" in text for text in texts) and any("Ville" in text for text in texts)


def test_no_store_yet_offers_the_builtin_fields_and_creates_nothing(qtbot: QtBot) -> None:
    inspector = _text_inspector(qtbot)
    assert not inspector.merge_source.is_busy()  # nothing to read: no task at all
    assert _offered(inspector) == ["first_name", "last_name", "email"]
    assert not (data_dir() / DB_NAME).exists()


def test_coming_back_to_the_window_reads_fields_added_meanwhile(qtbot: QtBot) -> None:
    store = data_dir() / DB_NAME
    _add(store, "anne@example.org", Ville="Lyon")
    inspector = _text_inspector(qtbot)
    inspector.show()
    qtbot.waitUntil(lambda: "Ville" in _offered(inspector), timeout=10_000)
    other = QWidget()  # the contacts window, say
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: other.isActiveWindow(), timeout=5_000)
    _add(store, "paul@example.org", Société="Boulangerie Paul")
    other.close()
    inspector.activateWindow()
    qtbot.waitUntil(lambda: "Société" in _offered(inspector), timeout=10_000)


def test_a_damaged_store_keeps_the_fields_offered(qtbot: QtBot) -> None:
    (data_dir() / DB_NAME).write_bytes(b"this is not a database at all" * 100)
    inspector = _text_inspector(qtbot)
    qtbot.waitUntil(lambda: not inspector.merge_source.is_busy(), timeout=10_000)
    assert _offered(inspector) == ["first_name", "last_name", "email"]
