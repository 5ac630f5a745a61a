"""Fixtures for the contacts UI: stores of a few hundred and of 100,000 contacts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from editor.contacts.store import Basis, ContactStore
from tests.widgets.contacts.fake import fast_rows, populate
from widgets.contacts.window import ContactsWindow

BIG = 100_000


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A database of 300 realistic French contacts in three lists."""
    path = tmp_path / "contacts.sqlite3"
    with ContactStore(path) as store:
        populate(store, 300)
    return path


@pytest.fixture
def empty_store_path(tmp_path: Path) -> Path:
    path = tmp_path / "empty.sqlite3"
    ContactStore(path).close()
    return path


@pytest.fixture(scope="module")
def big_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100,000 contacts (about two seconds); shared by a module, so tests must not change it."""
    path = tmp_path_factory.mktemp("big") / "big.sqlite3"
    with ContactStore(path) as store:
        list_id = store.create_list("Tous")
        store.upsert_many(fast_rows(BIG), list_id=list_id, basis=Basis("consent"))
        store.set_status(range(1, BIG + 1, 10), "unsubscribed", "test")
    return path


@pytest.fixture
def window(qtbot: QtBot, store_path: Path) -> Iterator[ContactsWindow]:
    win = ContactsWindow(store_path)
    qtbot.addWidget(win)
    win.show()
    yield win
