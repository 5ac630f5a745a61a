"""The lazy contacts model: Qt's model checks, and 100,000 rows read a page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from editor.contacts.store import ContactQuery, ContactStore
from tests.widgets.contacts.conftest import BIG
from widgets.contacts.table_model import (
    BASIS,
    EMAIL,
    FIRST_NAME,
    LISTS,
    STATUS,
    ContactRole,
    ContactsTableModel,
    IdRole,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def store(store_path: Path) -> Iterator[ContactStore]:
    with ContactStore(store_path) as s:
        yield s


@pytest.fixture
def big_store(big_store_path: Path) -> Iterator[ContactStore]:
    with ContactStore(big_store_path) as s:
        yield s


class PageSpy:
    """Counts the store's page reads (and the rows they asked for)."""

    def __init__(self, store: ContactStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[int, int]] = []
        real = store.page

        def page(query: ContactQuery, offset: int, limit: int) -> Any:
            self.calls.append((offset, limit))
            return real(query, offset, limit)

        monkeypatch.setattr(store, "page", page)


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "python-tester"])
def test_model_passes_the_model_tester(
    qtmodeltester: Any, store: ContactStore, force_py: bool
) -> None:
    model = ContactsTableModel(store)
    assert model.rowCount() == 300
    qtmodeltester.check(model, force_py=force_py)
    # The tester stays attached: every change below is checked too.
    model.set_query(ContactQuery(search="martin"))
    assert 0 < model.rowCount() < 300
    model.sort(FIRST_NAME, Qt.SortOrder.DescendingOrder)
    model.refresh()
    model.set_query(ContactQuery(search="nobody-has-this-name"))
    assert model.rowCount() == 0
    model.set_query(ContactQuery())
    assert model.rowCount() == 300


def test_rows_show_the_contacts(store: ContactStore) -> None:
    model = ContactsTableModel(store)
    first = store.page(ContactQuery(), 0, 1)[0]
    index = model.index(0, EMAIL)
    assert model.data(index) == first.email
    assert model.data(index, ContactRole) == first
    assert model.data(index, IdRole) == first.id
    assert model.data(model.index(0, LISTS)) == ", ".join(first.lists)
    assert model.data(model.index(0, STATUS)) in ("subscribed", "unsubscribed", "bounced")
    assert model.data(model.index(0, BASIS)) in ("consent", "existing customer", "professional")
    assert model.headerData(EMAIL, Qt.Orientation.Horizontal) == "Email"
    assert model.data(QModelIndex()) is None
    assert model.contact(300) is None


def test_scrolling_to_the_end_of_100000_rows_reads_a_few_pages(
    qtbot: QtBot, big_store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = PageSpy(big_store, monkeypatch)
    model = ContactsTableModel(big_store)
    assert model.rowCount() == BIG
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    view.scrollToBottom()
    qtbot.waitUntil(lambda: any(offset + limit >= BIG for offset, limit in spy.calls))
    qtbot.wait(50)  # let the view finish painting
    assert len(spy.calls) <= 4, spy.calls
    assert sum(limit for _, limit in spy.calls) <= 4 * model.PAGE_SIZE
    assert model.data(model.index(BIG - 1, EMAIL)) == f"user{BIG - 1:06d}@exemple.fr"
    # Jumping around keeps only a bounded cache.
    for row in range(0, BIG, BIG // 25):
        view.scrollTo(model.index(row, 0))
        qtbot.wait(1)
    assert model.rowCount() == BIG
    assert len(model._pages) <= model.MAX_PAGES


def test_search_and_filters_change_the_row_count(big_store: ContactStore) -> None:
    model = ContactsTableModel(big_store)
    model.set_query(ContactQuery(search="user00012"))
    assert model.rowCount() == 10  # user000120 … user000129
    assert model.data(model.index(0, EMAIL)) == "user000120@exemple.fr"
    model.set_query(ContactQuery(status="unsubscribed"))
    assert model.rowCount() == BIG // 10
    model.set_query(ContactQuery(basis="customer"))
    assert model.rowCount() == 0
    model.set_query(ContactQuery(search="USER0999", status="subscribed"))
    assert model.rowCount() == 90
    model.set_query(ContactQuery())
    assert model.rowCount() == BIG


def test_sorting_changes_the_first_row(big_store: ContactStore) -> None:
    model = ContactsTableModel(big_store)
    assert model.data(model.index(0, EMAIL)) == "user000000@exemple.fr"
    model.sort(EMAIL, Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "email" and model.query.descending
    assert model.data(model.index(0, EMAIL)) == f"user{BIG - 1:06d}@exemple.fr"
    model.sort(STATUS, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, STATUS)) == "unsubscribed"
    model.sort(FIRST_NAME, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, FIRST_NAME)) == "Amélie"
    model.sort(LISTS, Qt.SortOrder.AscendingOrder)  # not sortable: nothing changes
    assert model.query.sort == "first_name"


def test_ids_of_a_large_selection_need_no_rows(
    big_store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = PageSpy(big_store, monkeypatch)
    model = ContactsTableModel(big_store)
    ids = model.ids_in_rows([(0, 49_999), (90_000, BIG - 1)])
    assert len(ids) == 60_000 and len(set(ids)) == 60_000
    assert spy.calls == []
    assert model.ids_in_rows([(5, 7)]) == big_store.ids(ContactQuery(), offset=5, limit=3)


def test_slow_queries_read_ordered_ids_once(
    big_store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query whose pages are slow (the store sorts every match for each page) reads its
    ordered ids once, then each page by id; the rows are the same."""
    pages = PageSpy(big_store, monkeypatch)
    id_reads: list[ContactQuery] = []
    real_ids = big_store.ids

    def ids(query: ContactQuery, **kwargs: Any) -> list[int]:
        if not kwargs:
            id_reads.append(query)
        return real_ids(query, **kwargs)

    monkeypatch.setattr(big_store, "ids", ids)
    model = ContactsTableModel(big_store)
    model.SLOW_PAGE_S = 0.0  # every page counts as slow
    query = ContactQuery(status="subscribed", sort="last_name", descending=True)
    model.set_query(query)
    assert model.rowCount() == BIG - BIG // 10
    expected = big_store.page(query, 80_000, 3)
    top = big_store.page(query, 0, 1)[0]
    pages.calls.clear()
    assert model.contact(0) == top
    assert [model.contact(80_000 + i) for i in range(3)] == expected
    assert model.contact(89_999) is not None and model.contact(90_000) is None
    assert len(pages.calls) == 1 and len(id_reads) == 1  # one page() to notice, ids once
    assert model.ids_in_rows([(80_000, 80_002)]) == [c.id for c in expected]
    model.set_query(ContactQuery())  # a new query starts with page() again
    model.contact(0)
    assert len(pages.calls) == 2
