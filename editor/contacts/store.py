"""The contacts store: one :class:`~editor.db.Database` and the repositories over it.

Rules the store enforces, whoever calls it (import, UI, inbox sync, CLI):

* an address is unique case-insensitively (:func:`~editor.contacts.keys.email_key`);
* the suppression list holds a salted SHA-256 of every address that must not be emailed
  (:mod:`~editor.contacts.suppression`); a contact is ``subscribed`` exactly when its address is
  not suppressed; imports never resubscribe, only an explicit ``set_status`` (or ``add(...,
  resubscribe=True)``) does, and history records who did it and why;
* every change that matters for the law is written to the contact's history
  (:mod:`~editor.contacts.history`), deleted with the contact when the person is erased.

Each part lives in its own module: :mod:`~editor.contacts.query` (reading, the contacts view),
:mod:`~editor.contacts.contacts_repo` (changes by hand), :mod:`~editor.contacts.lists`,
:mod:`~editor.contacts.suppression`, :mod:`~editor.contacts.history`,
:mod:`~editor.contacts.bulk` (imports) and :mod:`~editor.contacts.erase`. :class:`ContactStore`
composes them over one database and offers their methods under one roof, as callers (UI, CLI,
importer, privacy) expect.

Threads: a store may be used from any thread; each thread gets its own SQLite connection
(:mod:`editor.db`). A background job may also open its own store on the same file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType

from editor.contacts.batch import Batch
from editor.contacts.bulk import BulkImport, BulkWriter
from editor.contacts.contacts_repo import ContactWriter
from editor.contacts.db import Database, StoreError, open_database
from editor.contacts.erase import Erasure
from editor.contacts.history import History
from editor.contacts.keys import email_key, sort_key
from editor.contacts.lists import Lists
from editor.contacts.model import (
    BASES,
    DB_NAME,
    ERASED,
    STATUSES,
    SUPPRESSED_STATUSES,
    Basis,
    BasisKind,
    Contact,
    ContactError,
    ContactInput,
    ContactQuery,
    Event,
    ListInfo,
    Status,
    UpsertResult,
    iso_utc,
    search_terms,
    utc_now,
)
from editor.contacts.query import SORTS, ContactReader
from editor.contacts.suppression import Suppression
from editor.settings import data_dir

__all__ = [
    "BASES",
    "DB_NAME",
    "ERASED",
    "SORTS",
    "STATUSES",
    "SUPPRESSED_STATUSES",
    "Basis",
    "BasisKind",
    "BulkWriter",
    "Contact",
    "ContactError",
    "ContactInput",
    "ContactQuery",
    "ContactStore",
    "Event",
    "ListInfo",
    "Status",
    "StoreError",
    "UpsertResult",
    "email_key",
    "iso_utc",
    "search_terms",
    "sort_key",
    "utc_now",
]


class ContactStore:
    """The contacts database of a profile (``data_dir()/contacts.sqlite3`` by default)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / DB_NAME
        self.db: Database = open_database(self.path)
        try:
            self.suppression = Suppression(self.db)
        except BaseException:
            self.db.close()
            raise
        self.mailing_lists = Lists(self.db)
        self.events = History(self.db)
        self.reader = ContactReader(self.db)
        self.writer = ContactWriter(self.db, self.mailing_lists, self.suppression)
        self.bulk = BulkImport(self.db, self.mailing_lists, self.suppression)
        self.erasure = Erasure(self.db, self.suppression)
        self.erasure.resume()  # an erasure a reader blocked last time is finished now

    # -- suppression (suppression) --
    def suppression_key(self, email: str) -> str:
        """See :meth:`Suppression.key`."""
        return self.suppression.key(email)

    def is_suppressed(self, email: str) -> bool:
        return self.suppression.is_suppressed(email)

    def suppression_info(self, email: str) -> tuple[str, str] | None:
        """``(reason, at)`` if the address is suppressed."""
        return self.suppression.info(email)

    def suppress(
        self, email: str, reason: str, *, source: str = "", now: str | None = None
    ) -> None:
        """Never email this address again (until an explicit resubscription)."""
        return self.suppression.suppress(email, reason, source=source, now=now)

    def suppressed_count(self) -> int:
        return self.suppression.count()

    # -- lists (mailing_lists) --
    def create_list(self, name: str, *, now: str | None = None) -> int:
        return self.mailing_lists.create(name, now=now)

    def list_id(self, name: str, create: bool = False) -> int | None:
        """The id of the list called ``name`` (case-insensitive), created if asked."""
        return self.mailing_lists.id_of(name, create)

    def lists(self) -> list[ListInfo]:
        """Every list with its number of contacts, in alphabetical order."""
        return self.mailing_lists.all()

    def rename_list(self, list_id: int, name: str) -> None:
        return self.mailing_lists.rename(list_id, name)

    def delete_list(self, list_id: int, *, now: str | None = None) -> int:
        """See :meth:`Lists.delete`."""
        return self.mailing_lists.delete(list_id, now=now)

    def add_to_list(
        self, ids: Iterable[int], list_id: int, *, source: str = "", now: str | None = None
    ) -> int:
        """Put contacts in a list; returns how many were not in it yet."""
        return self.mailing_lists.add_members(ids, list_id, source=source, now=now)

    def remove_from_list(
        self, ids: Iterable[int], list_id: int, *, source: str = "", now: str | None = None
    ) -> int:
        """See :meth:`Lists.remove_members`."""
        return self.mailing_lists.remove_members(ids, list_id, source=source, now=now)

    def memberships(self, contact_id: int) -> list[tuple[str, str]]:
        """``(list name, added_at)`` for each list the contact is in."""
        return self.mailing_lists.memberships(contact_id)

    # -- reading (reader) --
    def get(self, email: str) -> Contact | None:
        """The contact with this address, whatever its case."""
        return self.reader.get(email)

    def get_by_id(self, contact_id: int) -> Contact | None:
        return self.reader.get_by_id(contact_id)

    def get_many(self, ids: Sequence[int]) -> list[Contact]:
        """These contacts, in the order given (unknown ids skipped)."""
        return self.reader.get_many(ids)

    def known_fields(self) -> list[str]:
        """Custom field names used by at least one contact (for mapping and merge tags)."""
        return self.reader.known_fields()

    def count(self, q: ContactQuery | None = None) -> int:
        return self.reader.count(q)

    def page(self, q: ContactQuery, offset: int, limit: int) -> list[Contact]:
        """See :meth:`ContactReader.page`."""
        return self.reader.page(q, offset, limit)

    def ids(self, q: ContactQuery, *, offset: int = 0, limit: int = -1) -> list[int]:
        """The ids matching ``q`` in its order ("select all matching" in the table)."""
        return self.reader.ids(q, offset=offset, limit=limit)

    def iter_contacts(
        self, list_id: int | None = None, *, query: ContactQuery | None = None
    ) -> Iterator[Contact]:
        """See :meth:`ContactReader.iter_contacts`."""
        return self.reader.iter_contacts(list_id, query=query)

    def inactive(self, before: str, basis: str | None = None) -> list[Contact]:
        """Contacts whose last sign of life (the latest of last activity, last change and"""
        return self.reader.inactive(before, basis)

    # -- history (events) --
    def history(self, contact_id: int) -> list[Event]:
        """The contact's history, oldest first."""
        return self.events.of(contact_id)

    # -- writing (writer) --
    def add(
        self,
        contact: ContactInput,
        basis: Basis,
        list_id: int | None = None,
        *,
        resubscribe: bool = False,
        reason: str = "",
        now: str | None = None,
    ) -> int:
        """Add one contact by hand; returns its id."""
        return self.writer.add(
            contact, basis, list_id, resubscribe=resubscribe, reason=reason, now=now
        )

    def update(
        self,
        contact_id: int,
        *,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        fields: dict[str, str] | None = None,
        source: str = "",
        now: str | None = None,
    ) -> bool:
        """See :meth:`ContactWriter.update`."""
        return self.writer.update(
            contact_id,
            email=email,
            first_name=first_name,
            last_name=last_name,
            fields=fields,
            source=source,
            now=now,
        )

    def set_status(
        self,
        ids: Iterable[int],
        status: str,
        reason: str,
        source: str = "",
        *,
        now: str | None = None,
    ) -> int:
        """See :meth:`ContactWriter.set_status`."""
        return self.writer.set_status(ids, status, reason, source, now=now)

    def set_basis(self, ids: Iterable[int], basis: Basis, *, now: str | None = None) -> int:
        """Record a (new) lawful basis for contacts, e.g. consent collected again."""
        return self.writer.set_basis(ids, basis, now=now)

    def touch(self, ids: Iterable[int], when: str | None = None) -> None:
        """See :meth:`ContactWriter.touch`."""
        return self.writer.touch(ids, when)

    def delete(self, ids: Iterable[int]) -> int:
        """See :meth:`ContactWriter.delete`."""
        return self.writer.delete(ids)

    # -- imports (bulk) --
    def upsert_many(
        self,
        rows: Sequence[ContactInput],
        *,
        list_id: int | None,
        basis: Basis,
        now: str | None = None,
        fill_blanks: bool = False,
    ) -> UpsertResult:
        """Import a batch in one transaction (all or nothing)."""
        return self.bulk.upsert_many(
            rows, list_id=list_id, basis=basis, now=now, fill_blanks=fill_blanks
        )

    def upsert_batch(
        self,
        batch: Batch,
        *,
        list_id: int | None,
        basis: Basis,
        now: str | None = None,
        fill_blanks: bool = False,
    ) -> UpsertResult:
        """See :meth:`BulkImport.upsert_batch`."""
        return self.bulk.upsert_batch(
            batch, list_id=list_id, basis=basis, now=now, fill_blanks=fill_blanks
        )

    # -- erasure (erasure) --
    def erase(self, email: str, *, now: str | None = None) -> bool:
        """See :meth:`Erasure.erase`."""
        return self.erasure.erase(email, now=now)

    def erase_ids(self, ids: Iterable[int], *, now: str | None = None) -> int:
        """See :meth:`Erasure.erase_ids`."""
        return self.erasure.erase_ids(ids, now=now)

    def checkpoint(self) -> bool:
        """Flush the write-ahead log into the file; False if readers blocked it."""
        return self.erasure.checkpoint()

    @property
    def connection(self) -> sqlite3.Connection:
        """The calling thread's connection, for modules of this package; write through
        transaction(), never hand it to another thread."""
        return self.db.connection

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ContactStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
