"""The contacts table: a lazy model over the store, smooth at 100,000 rows.

The model never holds the whole result. ``rowCount`` is :meth:`ContactStore.count` of the query;
rows are read a page at a time with :meth:`ContactStore.page` when the view first paints them,
and only the last few pages are kept. Changing the search, a filter or the sort is a new
:class:`ContactQuery`, which resets the model.

Some queries make the store sort every match for each page (a list of 100,000 contacts: about
0.1 s a page, a visible stutter while dragging the scroll bar). When a page takes longer than
:attr:`ContactsTableModel.SLOW_PAGE_S`, the model reads the query's ordered ids once
(:meth:`ContactStore.ids`, as the store suggests) and then each page by id
(:meth:`ContactStore.get_many`, a couple of milliseconds).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from editor.contacts.store import Contact, ContactQuery, ContactStore
from editor.i18n import _
from widgets.contacts.labels import basis_label, local_time, status_label

Index = QModelIndex | QPersistentModelIndex

# Column ids, in display order, with the ContactQuery.sort key of each (None: not sortable).
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("email", "email"),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("status", "status"),
    ("basis", "basis"),
    ("lists", None),
    ("updated", "updated_at"),
)
EMAIL, FIRST_NAME, LAST_NAME, STATUS, BASIS, LISTS, UPDATED = range(len(COLUMNS))

ContactRole = Qt.ItemDataRole.UserRole + 1  # the Contact of the row
IdRole = Qt.ItemDataRole.UserRole + 2  # its id

_MUTED = QColor(128, 128, 128)
_WARNING = QColor(190, 40, 30)


def column_title(column: int) -> str:
    titles = (
        _("Email"),
        _("First name"),
        _("Last name"),
        _("Status"),
        _("Lawful basis"),
        _("Lists"),
        _("Updated"),
    )
    return titles[column]


def sort_key(column: int) -> str | None:
    """The ContactQuery.sort of a column, None for one the store cannot sort by."""
    if 0 <= column < len(COLUMNS):
        return COLUMNS[column][1]
    return None


class ContactsTableModel(QAbstractTableModel):
    """Contacts matching a :class:`ContactQuery`, read from the store page by page.

    Attributes:
        PAGE_SIZE: rows per :meth:`ContactStore.page` call.
        MAX_PAGES: pages kept in the cache (the most recently used).
        SLOW_PAGE_S: a page read slower than this switches the query to ids (see above).
    """

    PAGE_SIZE = 200
    MAX_PAGES = 10
    SLOW_PAGE_S = 0.03

    def __init__(self, store: ContactStore, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = store
        self._query = ContactQuery()
        self._count = store.count(self._query)
        self._pages: OrderedDict[int, list[Contact]] = OrderedDict()
        self._ids: list[int] | None = None  # the query's ordered ids, once pages proved slow
        self._slow = False

    # -- the query ----------------------------------------------------------------------------

    @property
    def query(self) -> ContactQuery:
        return self._query

    def set_query(self, query: ContactQuery) -> None:
        """Show the contacts matching ``query`` (resets the model, even if equal: data moved)."""
        self.beginResetModel()
        self._query = query
        self._forget_rows()
        self._slow = False
        self._count = self._store.count(query)
        self.endResetModel()

    def refresh(self) -> None:
        """Re-read after the store changed. Same number of rows: the rows repaint in place and
        the selection stays; otherwise the model resets."""
        count = self._store.count(self._query)
        if count != self._count:
            self.set_query(self._query)
            return
        self._forget_rows()
        if count:
            self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(COLUMNS) - 1))

    # -- reading rows -------------------------------------------------------------------------

    def _forget_rows(self) -> None:
        self._pages.clear()
        self._ids = None

    def _read(self, offset: int) -> list[Contact]:
        if self._slow:
            if self._ids is None:
                self._ids = self._store.ids(self._query)
            return self._store.get_many(self._ids[offset : offset + self.PAGE_SIZE])
        start = time.perf_counter()
        page = self._store.page(self._query, offset, self.PAGE_SIZE)
        self._slow = time.perf_counter() - start > self.SLOW_PAGE_S
        return page

    def _page(self, number: int) -> list[Contact]:
        page = self._pages.get(number)
        if page is None:
            page = self._read(number * self.PAGE_SIZE)
            self._pages[number] = page
            while len(self._pages) > self.MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page

    def contact(self, row: int) -> Contact | None:
        """The contact shown on ``row`` (None past the end, e.g. deleted meanwhile)."""
        if not 0 <= row < self._count:
            return None
        page = self._page(row // self.PAGE_SIZE)
        offset = row % self.PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def ids_in_rows(self, ranges: list[tuple[int, int]]) -> list[int]:
        """The ids on rows ``first..last`` (inclusive) of each range, without reading the rows:
        a 100,000-row selection costs one id query per range."""
        ids: list[int] = []
        for first, last in ranges:
            first = max(first, 0)
            last = min(last, self._count - 1)
            if last < first:
                continue
            if self._ids is not None:
                ids.extend(self._ids[first : last + 1])
            elif last - first < self.PAGE_SIZE:
                ids.extend(c.id for r in range(first, last + 1) if (c := self.contact(r)))
            else:
                ids.extend(self._store.ids(self._query, offset=first, limit=last - first + 1))
        return list(dict.fromkeys(ids))

    # -- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(section)
        if role == Qt.ItemDataRole.ToolTipRole and sort_key(section) is None:
            return _("This column cannot be sorted.")
        return None

    # flags(): QAbstractTableModel's own (enabled, selectable) on purpose. Selecting all rows
    # makes Qt ask for the flags of every cell; a Python override costs seconds at 100,000.

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(COLUMNS):
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
            ContactRole,
            IdRole,
        ):
            return None
        contact = self.contact(index.row())
        if contact is None:
            return None
        if role == ContactRole:
            return contact
        if role == IdRole:
            return contact.id
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == STATUS and contact.status != "subscribed":
                return QBrush(_WARNING if contact.status != "unsubscribed" else _MUTED)
            if column == BASIS and contact.basis is None:
                return QBrush(_WARNING)
            return None
        text = self._text(contact, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == BASIS and contact.basis is None:
                return _("Without a lawful basis, this contact receives nothing.")
            return text if column in (EMAIL, LISTS) and text else None
        return text

    @staticmethod
    def _text(contact: Contact, column: int) -> str:
        if column == EMAIL:
            return contact.email
        if column == FIRST_NAME:
            return contact.first_name
        if column == LAST_NAME:
            return contact.last_name
        if column == STATUS:
            return status_label(contact.status)
        if column == BASIS:
            return basis_label(contact.basis)
        if column == LISTS:
            return ", ".join(contact.lists)
        return local_time(contact.updated_at)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = sort_key(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._query.sort and descending == self._query.descending:
            return
        q = self._query
        self.set_query(ContactQuery(q.search, q.status, q.basis, q.list_id, key, descending))
