"""The contacts store: contacts, lists, lawful bases, statuses with their history, suppression.

Rules the store enforces, whoever calls it (import, UI, inbox sync, CLI):

* an address is unique case-insensitively (:func:`email_key`);
* the suppression list holds a salted SHA-256 of every address that must not be emailed:
  unsubscribed, bounced, complained or erased. A contact is ``subscribed`` exactly when its
  address is not suppressed; imports never resubscribe a suppressed address, only an explicit
  :meth:`ContactStore.set_status` (or ``add(..., resubscribe=True)``) lifts it, and history
  records who did it and why;
* every change to a contact that matters for the law (creation, basis, status, lists, edits) is
  written to its history (``events``), deleted with the contact when the person is erased.

Imports go through :meth:`ContactStore.upsert_many`, built for batches of 100,000 rows: one
transaction, one query to find the existing contacts, Python deciding row by row and SQLite
writing set by set. The UI reads through :meth:`count`/:meth:`page` with a
:class:`ContactQuery`; search, filters and sort orders are served by indexes or a single pass
over a pre-folded ``search`` column.

A store (one SQLite connection) belongs to the thread that opened it: a background job opens
its own store on the same file, WAL lets it write while the UI reads.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, NamedTuple, cast

from editor.contacts.batch import Batch, Row
from editor.contacts.db import StoreError, checkpoint, connect, insert_rows, transaction
from editor.contacts.keys import SEP as _SEP
from editor.contacts.keys import dumps as _dumps
from editor.contacts.keys import email_key, sort_key
from editor.contacts.keys import encode_fields as _encode_fields
from editor.contacts.keys import fold as _fold
from editor.contacts.keys import search_text as _search_text
from editor.i18n import t
from editor.settings import data_dir

DB_NAME = "contacts.sqlite3"

Status = Literal["subscribed", "unsubscribed", "bounced", "complained"]
BasisKind = Literal["consent", "customer", "professional"]
STATUSES: tuple[Status, ...] = ("subscribed", "unsubscribed", "bounced", "complained")
SUPPRESSED_STATUSES: tuple[Status, ...] = ("unsubscribed", "bounced", "complained")
BASES: tuple[BasisKind, ...] = ("consent", "customer", "professional")
ERASED = "erased"  # suppression reason of a forgotten person

SORTS: tuple[str, ...] = (
    "email",
    "first_name",
    "last_name",
    "status",
    "basis",
    "created_at",
    "updated_at",
    "last_activity_at",
)
_SORT_COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("c.email_key",),
    "first_name": ("c.first_sort", "c.last_sort"),
    "last_name": ("c.last_sort", "c.first_sort"),
    "status": ("c.status",),
    "basis": ("c.basis",),
    "created_at": ("c.created_at",),
    "updated_at": ("c.updated_at",),
    "last_activity_at": ("c.last_activity_at",),
}
_CONTACT_COLUMNS = (
    "c.id, c.email, c.first_name, c.last_name, c.fields, c.status, c.basis, c.basis_source,"
    " c.basis_date, c.basis_proof, c.created_at, c.updated_at, c.last_activity_at,"
    " (SELECT json_group_array(l.name) FROM memberships m JOIN lists l ON l.id = m.list_id"
    " WHERE m.contact_id = c.id)"
)
# A contact's last sign of life: SQLite's max() of several values (NULL counts as oldest).
_LAST_SIGN = "max(coalesce(c.last_activity_at, ''), c.updated_at, c.created_at)"
_INSERT_CONTACT = (
    "INSERT INTO contacts (id, email, email_key, first_name, last_name, fields, status, basis,"
    " basis_source, basis_date, basis_proof, created_at, updated_at, search, first_sort,"
    " last_sort) VALUES (?, ?, ?, ?, ?, ?, 'subscribed', ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_EVENTS = "INSERT INTO events (contact_id, at, kind, old, new, reason, source)"
_INSERT_EVENT = (
    "INSERT INTO events (contact_id, at, kind, old, new, reason, source)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_SUPPRESSION = "INSERT INTO suppression (key, reason, at)"
_ON_SUPPRESSION_CONFLICT = (
    " ON CONFLICT (key) DO UPDATE SET reason = excluded.reason, at = excluded.at"
)
_UPSERT_SUPPRESSION = f"{_INSERT_SUPPRESSION} VALUES (?, ?, ?){_ON_SUPPRESSION_CONFLICT}"
_ITER_CHUNK = 1000

EventRow = tuple[int, str, str, str | None, str | None, str, str]


class ContactError(StoreError, ValueError):
    """A request the store refuses (unknown list, duplicate address...), explained for the user."""


# --- keys, folding, time ---------------------------------------------------------------------


def search_terms(search: str) -> list[str]:
    """The folded words of a search box: a contact matches when it contains every one."""
    return [_fold(word) for word in search.replace(_SEP, " ").split()]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_utc(value: str | datetime | None = None) -> str:
    """A timestamp as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC), the one form stored, so text order is time
    order. Naive values are taken as UTC; ``None`` is now."""
    if value is None:
        return utc_now()
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ContactError(
                t(f"Date invalide : « {value} ».", f'Invalid date: "{value}".')
            ) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _blank(value: str) -> bool:
    return not value or value.isspace()


def _ids_json(ids: Iterable[int]) -> str:
    return json.dumps([int(i) for i in ids])


# --- data ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Basis:
    """The lawful basis for emailing someone, with what proves it.

    ``source``: where the address came from (« formulaire du site », « salon 2025 »);
    ``proof``: e.g. the wording of the consent checkbox; ``date``: ISO date of the consent or
    relationship, empty for "when recorded".
    """

    kind: str
    source: str = ""
    proof: str = ""
    date: str = ""


@dataclass(slots=True)
class ContactInput:
    """One incoming contact; ``email`` already validated and trimmed by the caller."""

    email: str
    first_name: str = ""
    last_name: str = ""
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Contact:
    id: int
    email: str
    first_name: str
    last_name: str
    fields: dict[str, str]
    status: Status
    basis: BasisKind | None
    basis_source: str
    basis_date: str | None
    basis_proof: str
    lists: list[str]
    created_at: str
    updated_at: str
    last_activity_at: str | None


@dataclass(frozen=True, slots=True)
class ListInfo:
    id: int
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Event:
    """One line of a contact's history.

    ``kind`` is one of: ``created``/``imported`` (new = the list it went into, if any;
    reason = basis kind; the contact starts subscribed),
    ``updated`` (an import merged new values; old/new are JSON of the changed values),
    ``edited`` (same, by hand), ``basis`` (old/new = basis kind, reason = proof),
    ``status`` (old/new = status), ``list_added`` (new = list), ``list_removed``/``list_deleted``
    (old = list).
    """

    at: str
    kind: str
    old: str | None
    new: str | None
    reason: str
    source: str


@dataclass(slots=True)
class UpsertResult:
    """What an import did. ``updated`` counts existing contacts found in the batch (merged and
    put in the list), ``changed`` those of them whose stored data actually changed;
    ``suppressed`` lists the addresses skipped (suppressed or not subscribed), as given."""

    added: int = 0
    updated: int = 0
    suppressed: list[str] = field(default_factory=list)
    changed: int = 0


class _Target(NamedTuple):
    """Where and how a batch is imported, with the timestamp of the transaction."""

    list_id: int | None
    list_name: str | None
    kind: str
    basis: Basis
    basis_date: str
    stamp: str


@dataclass(frozen=True, slots=True)
class ContactQuery:
    """What the contacts table shows: ``search`` matches email, first and last name (every word,
    case-insensitively); ``sort`` is one of :data:`SORTS`, ties broken by id."""

    search: str = ""
    status: str | None = None
    basis: str | None = None
    list_id: int | None = None
    sort: str = "email"
    descending: bool = False


def _check_status(status: str) -> Status:
    if status not in STATUSES:
        raise ContactError(
            t(
                f"Statut inconnu : « {status} » (attendu : {', '.join(STATUSES)}).",
                f'Unknown status: "{status}" (expected: {", ".join(STATUSES)}).',
            )
        )
    return status


def _check_basis_kind(kind: str) -> BasisKind:
    if kind not in BASES:
        raise ContactError(
            t(
                f"Base légale inconnue : « {kind} » (attendu : consent, customer ou professional).",
                f'Unknown lawful basis: "{kind}" (expected: consent, customer or professional).',
            )
        )
    return kind


def _basis_date(basis: Basis, stamp: str) -> str:
    """The basis date as given when it is an ISO date, normalised to UTC when a timestamp."""
    text = basis.date.strip()
    if not text:
        return stamp
    if len(text) == 10:
        try:
            return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
        except ValueError:
            pass
    return iso_utc(text)


def _contact(row: Sequence[Any]) -> Contact:
    lists = sorted(json.loads(row[13]), key=sort_key) if row[13] != "[]" else []
    return Contact(
        id=row[0],
        email=row[1],
        first_name=row[2],
        last_name=row[3],
        fields=json.loads(row[4]) if row[4] != "{}" else {},
        status=row[5],
        basis=row[6],
        basis_source=row[7],
        basis_date=row[8],
        basis_proof=row[9],
        lists=lists,
        created_at=row[10],
        updated_at=row[11],
        last_activity_at=row[12],
    )


def _merge(
    key: str, old: tuple[str, str, str], new: tuple[str, str, dict[str, str]]
) -> tuple[tuple[Any, ...], str, str] | None:
    """An import merge: the new column values and the history's old/new JSON, None if nothing
    changes (blank incoming values never count)."""
    old_first, old_last, old_json = old
    first, last, fields = new
    first = first or old_first
    last = last or old_last
    old_fields: dict[str, str] = json.loads(old_json) if fields and old_json != "{}" else {}
    changed = {k: v for k, v in fields.items() if old_fields.get(k) != v}
    if first == old_first and last == old_last and not changed:
        return None
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if first != old_first:
        before["first_name"], after["first_name"] = old_first, first
    if last != old_last:
        before["last_name"], after["last_name"] = old_last, last
    if changed:
        before["fields"] = {k: old_fields.get(k, "") for k in changed}
        after["fields"] = changed
        merged = _encode_fields({**old_fields, **changed})
    else:
        merged = old_json
    values = (first, last, merged, _search_text(key, first, last), sort_key(first), sort_key(last))
    return values, _dumps(before), _dumps(after)


# --- the store -------------------------------------------------------------------------------


class ContactStore:
    """The contacts database of a profile (``data_dir()/contacts.sqlite3`` by default)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else data_dir() / DB_NAME
        self._conn = connect(self.path)
        try:
            salt = self._conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
            if salt is None:
                raise StoreError(
                    t(
                        f"La base de contacts « {self.path} » est incomplète (sel absent).",
                        f'The contacts database "{self.path}" is incomplete (no salt).',
                    )
                )
            self._salted = hashlib.sha256(bytes.fromhex(salt[0]))
        except BaseException:
            self._conn.close()
            raise

    # -- life cycle --

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection, for modules of this package; write through transaction()."""
        return self._conn

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> ContactStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def checkpoint(self) -> bool:
        """Flush the write-ahead log into the file (after erasures); False if readers blocked it."""
        return checkpoint(self._conn)

    # -- suppression --

    def suppression_key(self, email: str) -> str:
        """The salted SHA-256 kept for a suppressed address: recognises it, cannot reveal it."""
        digest = self._salted.copy()
        digest.update(email_key(email).encode("utf-8"))
        return digest.hexdigest()

    def _hash_key(self, key: str) -> str:
        digest = self._salted.copy()
        digest.update(key.encode("utf-8"))
        return digest.hexdigest()

    def is_suppressed(self, email: str) -> bool:
        row = self._conn.execute(
            "SELECT 1 FROM suppression WHERE key = ?", (self.suppression_key(email),)
        ).fetchone()
        return row is not None

    def suppression_info(self, email: str) -> tuple[str, str] | None:
        """``(reason, at)`` if the address is suppressed."""
        row = self._conn.execute(
            "SELECT reason, at FROM suppression WHERE key = ?", (self.suppression_key(email),)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def suppress(
        self, email: str, reason: str, *, source: str = "", now: str | None = None
    ) -> None:
        """Never email this address again (until an explicit resubscription).

        A subscribed contact with this address becomes ``reason`` when that is a status
        (bounced, complained), else unsubscribed, with the change in its history.
        """
        stamp = iso_utc(now)
        key = email_key(email)
        with transaction(self._conn) as conn:
            conn.execute(_UPSERT_SUPPRESSION, (self._hash_key(key), reason, stamp))
            row = conn.execute(
                "SELECT id, status FROM contacts WHERE email_key = ?", (key,)
            ).fetchone()
            if row is not None and row[1] == "subscribed":
                status = reason if reason in SUPPRESSED_STATUSES else "unsubscribed"
                conn.execute(
                    "UPDATE contacts SET status = ?, updated_at = ? WHERE id = ?",
                    (status, stamp, row[0]),
                )
                conn.execute(
                    _INSERT_EVENT, (row[0], stamp, "status", "subscribed", status, reason, source)
                )

    def suppressed_count(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM suppression").fetchone()[0])

    # -- lists --

    def _list_name(self, list_id: int) -> str:
        row = self._conn.execute("SELECT name FROM lists WHERE id = ?", (list_id,)).fetchone()
        if row is None:
            raise ContactError(
                t(f"Liste introuvable (n° {list_id}).", f"No such list (id {list_id}).")
            )
        return str(row[0])

    @staticmethod
    def _clean_list_name(name: str) -> str:
        cleaned = " ".join(name.split())
        if not cleaned:
            raise ContactError(t("Une liste doit avoir un nom.", "A list needs a name."))
        return cleaned

    def _name_taken(self, name: str, except_id: int | None = None) -> None:
        row = self._conn.execute(
            "SELECT id, name FROM lists WHERE name_key = ?", (_fold(name),)
        ).fetchone()
        if row is not None and row[0] != except_id:
            raise ContactError(
                t(
                    f"Une liste « {row[1]} » existe déjà.",
                    f'A list named "{row[1]}" already exists.',
                )
            )

    def create_list(self, name: str, *, now: str | None = None) -> int:
        name = self._clean_list_name(name)
        with transaction(self._conn) as conn:
            self._name_taken(name)
            cursor = conn.execute(
                "INSERT INTO lists (name, name_key, created_at) VALUES (?, ?, ?)",
                (name, _fold(name), iso_utc(now)),
            )
            return int(cast(int, cursor.lastrowid))

    def list_id(self, name: str, create: bool = False) -> int | None:
        """The id of the list called ``name`` (case-insensitive), created if asked."""
        cleaned = " ".join(name.split())
        row = self._conn.execute(
            "SELECT id FROM lists WHERE name_key = ?", (_fold(cleaned),)
        ).fetchone()
        if row is not None:
            return int(row[0])
        return self.create_list(cleaned) if create else None

    def lists(self) -> list[ListInfo]:
        """Every list with its number of contacts, in alphabetical order."""
        rows = self._conn.execute(
            "SELECT l.id, l.name, (SELECT count(*) FROM memberships m WHERE m.list_id = l.id)"
            " FROM lists l"
        ).fetchall()
        infos = [ListInfo(row[0], row[1], row[2]) for row in rows]
        return sorted(infos, key=lambda info: (sort_key(info.name), info.name, info.id))

    def rename_list(self, list_id: int, name: str) -> None:
        name = self._clean_list_name(name)
        with transaction(self._conn) as conn:
            self._list_name(list_id)
            self._name_taken(name, except_id=list_id)
            conn.execute(
                "UPDATE lists SET name = ?, name_key = ? WHERE id = ?",
                (name, _fold(name), list_id),
            )

    def delete_list(self, list_id: int, *, now: str | None = None) -> int:
        """Delete a list; its contacts stay (each history notes it). Returns how many it held."""
        stamp = iso_utc(now)
        with transaction(self._conn) as conn:
            name = self._list_name(list_id)
            cursor = conn.execute(
                "INSERT INTO events (contact_id, at, kind, old, new, reason, source)"
                " SELECT contact_id, ?, 'list_deleted', ?, NULL, '', '' FROM memberships"
                " WHERE list_id = ?",
                (stamp, name, list_id),
            )
            conn.execute("DELETE FROM lists WHERE id = ?", (list_id,))
            return cursor.rowcount

    # -- reading contacts --

    def get(self, email: str) -> Contact | None:
        """The contact with this address, whatever its case."""
        row = self._conn.execute(
            f"SELECT {_CONTACT_COLUMNS} FROM contacts c WHERE c.email_key = ?",  # noqa: S608
            (email_key(email),),
        ).fetchone()
        return _contact(row) if row else None

    def get_by_id(self, contact_id: int) -> Contact | None:
        row = self._conn.execute(
            f"SELECT {_CONTACT_COLUMNS} FROM contacts c WHERE c.id = ?",  # noqa: S608
            (contact_id,),
        ).fetchone()
        return _contact(row) if row else None

    def history(self, contact_id: int) -> list[Event]:
        """The contact's history, oldest first."""
        rows = self._conn.execute(
            "SELECT at, kind, old, new, reason, source FROM events WHERE contact_id = ?"
            " ORDER BY id",
            (contact_id,),
        ).fetchall()
        return [Event(*row) for row in rows]

    def memberships(self, contact_id: int) -> list[tuple[str, str]]:
        """``(list name, added_at)`` for each list the contact is in."""
        rows = self._conn.execute(
            "SELECT l.name, m.added_at FROM memberships m JOIN lists l ON l.id = m.list_id"
            " WHERE m.contact_id = ?",
            (contact_id,),
        ).fetchall()
        return sorted(((row[0], row[1]) for row in rows), key=lambda row: sort_key(row[0]))

    def known_fields(self) -> list[str]:
        """Custom field names used by at least one contact (for mapping and merge tags)."""
        rows = self._conn.execute(
            "SELECT DISTINCT j.key FROM contacts c, json_each(c.fields) j WHERE c.fields <> '{}'"
        ).fetchall()
        return sorted((str(row[0]) for row in rows), key=lambda name: (sort_key(name), name))

    # -- queries for the UI --

    @staticmethod
    def _where(q: ContactQuery) -> tuple[str, list[Any]]:
        """The WHERE clause of a query. ``+c.status``: a unary plus keeps SQLite from walking
        the status index for "subscribed", which matches nearly every row (measured: a scan is
        twice as fast); the index still serves sorting by status."""
        clauses: list[str] = []
        params: list[Any] = []
        for term in search_terms(q.search):
            clauses.append("instr(c.search, ?) > 0")
            params.append(term)
        if q.status is not None:
            clauses.append("+c.status = ?")
            params.append(_check_status(q.status))
        if q.basis is not None:
            clauses.append("+c.basis = ?")
            params.append(_check_basis_kind(q.basis))
        if q.list_id is not None:
            clauses.append(
                "EXISTS (SELECT 1 FROM memberships m WHERE m.contact_id = c.id AND m.list_id = ?)"
            )
            params.append(q.list_id)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    @staticmethod
    def _order(q: ContactQuery, filtered: bool) -> str:
        """The ORDER BY clause, ties broken by id. Unfiltered, the sort index gives any window
        in milliseconds; filtered, walking that index means a random table read per row, so
        the ``+`` makes SQLite scan the table in order and sort only the matches (2-4x faster)."""
        columns = _SORT_COLUMNS.get(q.sort)
        if columns is None:
            raise ContactError(
                t(
                    f"Tri inconnu : « {q.sort} » (attendu : {', '.join(SORTS)}).",
                    f'Unknown sort: "{q.sort}" (expected: {", ".join(SORTS)}).',
                )
            )
        direction = " DESC" if q.descending else ""
        terms = [f"{c}{direction}" for c in (*columns, "c.id")]
        if filtered:
            terms[0] = "+" + terms[0]
        return " ORDER BY " + ", ".join(terms)

    def count(self, q: ContactQuery | None = None) -> int:
        where, params = self._where(q or ContactQuery())
        sql = f"SELECT count(*) FROM contacts c{where}"  # noqa: S608
        return int(self._conn.execute(sql, params).fetchone()[0])

    def page(self, q: ContactQuery, offset: int, limit: int) -> list[Contact]:
        """Rows ``offset`` to ``offset + limit`` of the query, in its order (the table's window).

        The window is chosen on ids alone (index-only work, even 99,900 rows deep), then only
        those rows are read in full. A table model may also call :meth:`ids` once per query and
        :meth:`get_many` per window, which saves re-sorting on every scroll.
        """
        return self.get_many(self.ids(q, offset=offset, limit=max(0, limit)))

    def get_many(self, ids: Sequence[int]) -> list[Contact]:
        """These contacts, in the order given (unknown ids skipped)."""
        if not ids:
            return []
        sql = (
            f"SELECT {_CONTACT_COLUMNS} FROM contacts c"  # noqa: S608
            " WHERE c.id IN (SELECT value FROM json_each(?))"
        )
        found = {row[0]: row for row in self._conn.execute(sql, (_ids_json(ids),))}
        return [_contact(found[i]) for i in ids if i in found]

    def ids(self, q: ContactQuery, *, offset: int = 0, limit: int = -1) -> list[int]:
        """The ids matching ``q`` in its order ("select all matching" in the table)."""
        where, params = self._where(q)
        order = self._order(q, bool(where))
        sql = f"SELECT c.id FROM contacts c{where}{order} LIMIT ? OFFSET ?"  # noqa: S608
        rows = self._conn.execute(sql, [*params, limit, max(0, offset)]).fetchall()
        return [row[0] for row in rows]

    def iter_contacts(
        self, list_id: int | None = None, *, query: ContactQuery | None = None
    ) -> Iterator[Contact]:
        """Every contact (of a list, or matching ``query``'s filters) in creation order, read in
        chunks so an export of 100,000 contacts never holds them all nor keeps a cursor open."""
        q = query or ContactQuery()
        if list_id is not None:
            q = ContactQuery(q.search, q.status, q.basis, list_id)
        where, params = self._where(q)
        where = (where + " AND" if where else " WHERE") + " c.id > ?"
        sql = f"SELECT {_CONTACT_COLUMNS} FROM contacts c{where} ORDER BY c.id LIMIT ?"  # noqa: S608
        last = 0
        while True:
            rows = self._conn.execute(sql, [*params, last, _ITER_CHUNK]).fetchall()
            for row in rows:
                yield _contact(row)
            if len(rows) < _ITER_CHUNK:
                return
            last = rows[-1][0]

    def inactive(self, before: str, basis: str | None = None) -> list[Contact]:
        """Contacts whose last sign of life (the latest of last activity, last change and
        creation) is older than ``before`` (ISO UTC), optionally of one basis; oldest first.
        A consent renewed yesterday counts even if the last message sent is years old."""
        cutoff = iso_utc(before)
        clauses = f"{_LAST_SIGN} < ?"
        params: list[Any] = [cutoff]
        if basis is not None:
            clauses += " AND c.basis = ?"
            params.append(_check_basis_kind(basis))
        sql = (
            f"SELECT {_CONTACT_COLUMNS} FROM contacts c WHERE {clauses}"  # noqa: S608
            f" ORDER BY {_LAST_SIGN}, c.id"
        )
        return [_contact(row) for row in self._conn.execute(sql, params)]

    # -- writing contacts --

    def _next_id(self) -> int:
        row = self._conn.execute(
            "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0),"
            " coalesce((SELECT max(id) FROM contacts), 0))"
        ).fetchone()
        return int(row[0]) + 1

    def _suppressed_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of these email keys are in the suppression list: one hash each, one query."""
        if self._conn.execute("SELECT 1 FROM suppression LIMIT 1").fetchone() is None:
            return set()
        hashes = {self._hash_key(key): key for key in keys}
        found = self._conn.execute(
            "SELECT key FROM suppression WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(hashes)),),
        )
        return {hashes[row[0]] for row in found}

    def _existing_by_key(
        self, batch: dict[str, Row], list_id: int | None
    ) -> dict[str, tuple[Any, ...]]:
        """The stored contacts among the batch's keys, looked up in the email index: key, id,
        status, basis, first and last name, fields, and whether they are in the list.

        Measured against a 100,000-contact store with a 20,000-key batch: 0.03 s when none are
        stored, 0.08 s when all are; reading the whole table instead costs 0.24 s either way.
        """
        sql = (
            "SELECT c.email_key, c.id, c.status, c.basis, c.first_name, c.last_name, c.fields,"
            " EXISTS (SELECT 1 FROM memberships m WHERE m.contact_id = c.id AND m.list_id = ?)"
            " FROM contacts c WHERE c.email_key IN (SELECT value FROM json_each(?))"
        )
        keys = json.dumps(list(batch), ensure_ascii=False)
        return {row[0]: row for row in self._conn.execute(sql, (list_id, keys))}

    def upsert_many(
        self,
        rows: Sequence[ContactInput],
        *,
        list_id: int | None,
        basis: Basis,
        now: str | None = None,
        fill_blanks: bool = False,
    ) -> UpsertResult:
        """Import a batch in one transaction (all or nothing).

        New addresses become subscribed contacts with ``basis``. A suppressed address, or one
        whose contact is unsubscribed/bounced/complained, is left untouched and reported in
        ``suppressed``. An existing subscribed contact is merged: non-blank incoming names and
        field values overwrite, blank cells never erase, custom fields are merged, its basis is
        kept (``basis`` is recorded only if it had none), and it joins the list. Rows sharing an
        address (whatever the case) are merged in order, the first one's spelling kept. With
        ``fill_blanks`` an existing contact only gets the names and fields it lacks (an import's
        repeated rows, whose first occurrence was written by an earlier batch).
        """
        batch = Batch()
        for row in rows:
            email = row.email.strip()
            if not email:
                raise ContactError(t("Adresse e-mail vide.", "Empty email address."))
            batch.add(email, row.first_name, row.last_name, row.fields)
        return self.upsert_batch(
            batch, list_id=list_id, basis=basis, now=now, fill_blanks=fill_blanks
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
        """:meth:`upsert_many` for a prepared :class:`Batch` (see also :class:`BulkWriter`).

        Speed: the existing contacts are found with one query, Python decides only about them,
        and SQLite writes set by set: new rows go into an in-memory temporary table with a few
        multi-row statements, and from there into contacts, history and list with one statement
        each.
        """
        with transaction(self._conn):
            result, finish = self._upsert_start(batch, list_id, basis, now, fill_blanks)
            finish()
        return result

    def _upsert_start(
        self,
        batch: Batch,
        list_id: int | None,
        basis: Basis,
        now: str | None,
        fill_blanks: bool,
    ) -> tuple[UpsertResult, Callable[[], None]]:
        """The part of an upsert that needs Python, inside the caller's transaction. Returns
        the result and what is left to run: SQLite's set-based inserts, GIL-free."""
        kind = _check_basis_kind(basis.kind)
        stamp = iso_utc(now)
        result = UpsertResult()
        list_name = self._list_name(list_id) if list_id is not None else None
        target = _Target(list_id, list_name, kind, basis, _basis_date(basis, stamp), stamp)
        blocked = self._suppressed_keys(batch.rows)
        existing = self._existing_by_key(batch.rows, list_id)
        if not blocked and not existing:
            new_rows = list(batch.rows.values())  # a first import: nothing to decide
        else:
            new_rows = []
            merging: list[tuple[str, tuple[Any, ...]]] = []
            for key, row in batch.rows.items():
                found = existing.get(key)
                if key in blocked or (found is not None and found[2] != "subscribed"):
                    result.suppressed.append(row[0])
                elif found is None:
                    new_rows.append(row)
                else:
                    merging.append((key, found))
            self._merge_existing(batch, merging, target, fill_blanks, result)
        result.added = len(new_rows)
        if not new_rows:
            return result, _nothing
        first_id = self._load_new(new_rows)
        return result, partial(self._store_new, target, first_id)

    def _merge_existing(
        self,
        batch: Batch,
        merging: list[tuple[str, tuple[Any, ...]]],
        target: _Target,
        fill_blanks: bool,
        result: UpsertResult,
    ) -> None:
        """Merge batch rows into the subscribed contacts they match (see :meth:`upsert_many`):
        ``merging`` pairs each key with the stored row."""
        conn = self._conn
        list_id, list_name, kind, basis, basis_date, stamp = target
        updates: list[tuple[Any, ...]] = []
        basis_ids: list[int] = []
        joins: list[int] = []
        events: list[EventRow] = []
        source = basis.source
        no_fields: dict[str, str] = {}
        for key, found in merging:
            _, _, first, last, encoded = batch.rows[key][:5]
            _, contact_id, _, old_basis, old_first, old_last, old_json, member = found
            result.updated += 1
            fields = batch.fields.get(key, no_fields)
            if fill_blanks:
                first = "" if old_first else first
                last = "" if old_last else last
                if fields and old_json != "{}":
                    held = json.loads(old_json)
                    fields = {k: v for k, v in fields.items() if k not in held}
            if (
                (not first or first == old_first)
                and (not last or last == old_last)
                and (not fields or encoded == old_json)
            ):
                change = None  # the usual re-import: same values, no JSON decoding
            else:
                change = _merge(key, (old_first, old_last, old_json), (first, last, fields))
            if change is not None:
                updates.append((contact_id, *change[0]))
                events.append((contact_id, stamp, "updated", change[1], change[2], "", source))
            if old_basis is None:
                basis_ids.append(contact_id)
                events.append((contact_id, stamp, "basis", None, kind, basis.proof, source))
            if list_id is not None and not member:
                joins.append(contact_id)
                events.append((contact_id, stamp, "list_added", None, list_name, "", source))
        result.changed = len(updates)
        if updates:
            self._apply_updates(updates, stamp)
        if basis_ids:
            conn.execute(
                "UPDATE contacts SET basis = ?, basis_source = ?, basis_date = ?,"
                " basis_proof = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                (kind, source, basis_date, basis.proof, stamp, _ids_json(basis_ids)),
            )
        if joins:
            conn.execute(
                "INSERT OR IGNORE INTO memberships (contact_id, list_id, added_at)"
                " SELECT value, ?, ? FROM json_each(?)",
                (list_id, stamp, _ids_json(joins)),
            )
        insert_rows(conn, _INSERT_EVENTS, events)

    def _load_new(self, new_rows: list[Row]) -> int:
        """Put new contacts in a temporary table, numbered 1, 2, 3…; returns the id the first
        one will get (the following ones get the next ids, in order)."""
        conn = self._conn
        conn.execute("DROP TABLE IF EXISTS temp.incoming")
        conn.execute(
            "CREATE TEMP TABLE incoming (n INTEGER PRIMARY KEY, email, email_key, first_name,"
            " last_name, fields, search, first_sort, last_sort)"
        )
        insert_rows(
            conn,
            "INSERT INTO temp.incoming (email, email_key, first_name, last_name, fields,"
            " search, first_sort, last_sort)",
            new_rows,
        )
        return self._next_id()

    def _store_new(self, target: _Target, first_id: int) -> None:
        """Write the loaded contacts, their "imported" event and list membership, set by set."""
        conn = self._conn
        list_id, list_name, kind, basis, basis_date, stamp = target
        offset = first_id - 1
        try:
            conn.execute(
                "INSERT INTO contacts (id, email, email_key, first_name, last_name, fields,"
                " search, first_sort, last_sort, status, basis, basis_source, basis_date,"
                " basis_proof, created_at, updated_at)"
                " SELECT n + ?, email, email_key, first_name, last_name, fields,"
                " coalesce(search, email_key || char(31) || lower(first_name) || char(31)"
                " || lower(last_name)), coalesce(first_sort, lower(first_name)),"
                " coalesce(last_sort, lower(last_name)), 'subscribed', ?, ?, ?, ?, ?, ?"
                " FROM temp.incoming ORDER BY n",
                (offset, kind, basis.source, basis_date, basis.proof, stamp, stamp),
            )
            conn.execute(
                "INSERT INTO events (contact_id, at, kind, old, new, reason, source)"
                " SELECT n + ?, ?, 'imported', NULL, ?, ?, ? FROM temp.incoming ORDER BY n",
                (offset, stamp, list_name, kind, basis.source),
            )
            if list_id is not None:
                conn.execute(
                    "INSERT INTO memberships (contact_id, list_id, added_at)"
                    " SELECT n + ?, ?, ? FROM temp.incoming ORDER BY n",
                    (offset, list_id, stamp),
                )
        finally:
            conn.execute("DROP TABLE IF EXISTS temp.incoming")

    def _apply_updates(self, updates: list[tuple[Any, ...]], stamp: str) -> None:
        """Write merged values of existing contacts (id, first, last, fields, search, sorts)."""
        conn = self._conn
        conn.execute("DROP TABLE IF EXISTS temp.merged")
        conn.execute(
            "CREATE TEMP TABLE merged (id INTEGER PRIMARY KEY, first_name, last_name, fields,"
            " search, first_sort, last_sort)"
        )
        try:
            insert_rows(conn, "INSERT INTO temp.merged", updates)
            conn.execute(
                "UPDATE contacts SET first_name = m.first_name, last_name = m.last_name,"
                " fields = m.fields, search = m.search, first_sort = m.first_sort,"
                " last_sort = m.last_sort, updated_at = ? FROM temp.merged m"
                " WHERE contacts.id = m.id",
                (stamp,),
            )
        finally:
            conn.execute("DROP TABLE IF EXISTS temp.merged")

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
        """Add one contact by hand; returns its id.

        An address already in the store is refused. A suppressed address (unsubscribed or
        erased earlier) is refused too unless ``resubscribe`` is set: the person asked again,
        which history records with ``reason``.
        """
        kind = _check_basis_kind(basis.kind)
        stamp = iso_utc(now)
        email = contact.email.strip()
        if not email:
            raise ContactError(t("Adresse e-mail vide.", "Empty email address."))
        key = email_key(email)
        first = "" if _blank(contact.first_name) else contact.first_name
        last = "" if _blank(contact.last_name) else contact.last_name
        fields = {k: v for k, v in contact.fields.items() if not _blank(v)}
        with transaction(self._conn) as conn:
            if conn.execute("SELECT 1 FROM contacts WHERE email_key = ?", (key,)).fetchone():
                raise ContactError(
                    t(
                        f"Le contact « {email} » existe déjà.",
                        f'The contact "{email}" already exists.',
                    )
                )
            hashed = self._hash_key(key)
            held = conn.execute(
                "SELECT reason FROM suppression WHERE key = ?", (hashed,)
            ).fetchone()
            if held is not None and not resubscribe:
                raise ContactError(
                    t(
                        f"L’adresse « {email} » est sur la liste d’exclusion ({held[0]}) : "
                        "ne l’ajoutez que si la personne a redonné son accord.",
                        f'The address "{email}" is on the suppression list ({held[0]}): add it '
                        "only if the person agreed again.",
                    )
                )
            list_name = self._list_name(list_id) if list_id is not None else None
            contact_id = self._next_id()
            conn.execute(
                _INSERT_CONTACT,
                (
                    contact_id,
                    email,
                    key,
                    first,
                    last,
                    _dumps(fields),
                    kind,
                    basis.source,
                    _basis_date(basis, stamp),
                    basis.proof,
                    stamp,
                    stamp,
                    _search_text(key, first, last),
                    sort_key(first),
                    sort_key(last),
                ),
            )
            events: list[EventRow] = [
                (contact_id, stamp, "created", None, list_name, kind, basis.source)
            ]
            if held is not None:
                conn.execute("DELETE FROM suppression WHERE key = ?", (hashed,))
                events.append((contact_id, stamp, "status", held[0], "subscribed", reason, ""))
            if list_id is not None:
                conn.execute(
                    "INSERT INTO memberships (contact_id, list_id, added_at) VALUES (?, ?, ?)",
                    (contact_id, list_id, stamp),
                )
            conn.executemany(_INSERT_EVENT, events)
            return contact_id

    def _row(self, contact_id: int) -> tuple[Any, ...]:
        row = self._conn.execute(
            "SELECT id, email, email_key, first_name, last_name, fields, status FROM contacts"
            " WHERE id = ?",
            (contact_id,),
        ).fetchone()
        if row is None:
            raise ContactError(
                t(f"Contact introuvable (n° {contact_id}).", f"No such contact (id {contact_id}).")
            )
        return cast(tuple[Any, ...], row)

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
        """Edit a contact by hand (``None`` leaves a value alone; ``fields`` replaces the custom
        fields, blank values dropping theirs). Returns False when nothing changed."""
        stamp = iso_utc(now)
        with transaction(self._conn) as conn:
            _, old_email, old_key, old_first, old_last, old_json, status = self._row(contact_id)
            old_fields: dict[str, str] = json.loads(old_json)
            new_email = old_email if email is None else email.strip()
            new_first = old_first if first_name is None else first_name.strip()
            new_last = old_last if last_name is None else last_name.strip()
            new_fields = (
                old_fields
                if fields is None
                else {k.strip(): v for k, v in fields.items() if k.strip() and not _blank(v)}
            )
            if not new_email:
                raise ContactError(t("Adresse e-mail vide.", "Empty email address."))
            new_key = email_key(new_email)
            if new_key != old_key:
                other = conn.execute(
                    "SELECT email FROM contacts WHERE email_key = ?", (new_key,)
                ).fetchone()
                if other is not None:
                    raise ContactError(
                        t(
                            f"Un autre contact a déjà l’adresse « {other[0]} ».",
                            f'Another contact already has the address "{other[0]}".',
                        )
                    )
                hashed = self._hash_key(new_key)
                if (
                    status == "subscribed"
                    and self._conn.execute(
                        "SELECT 1 FROM suppression WHERE key = ?", (hashed,)
                    ).fetchone()
                ):
                    raise ContactError(
                        t(
                            f"L’adresse « {new_email} » est sur la liste d’exclusion.",
                            f'The address "{new_email}" is on the suppression list.',
                        )
                    )
                if status != "subscribed":
                    conn.execute(_UPSERT_SUPPRESSION, (hashed, status, stamp))
            before: dict[str, Any] = {}
            after: dict[str, Any] = {}
            for name, old, new in (
                ("email", old_email, new_email),
                ("first_name", old_first, new_first),
                ("last_name", old_last, new_last),
            ):
                if old != new:
                    before[name], after[name] = old, new
            if new_fields != old_fields:
                names = [
                    k
                    for k in {**old_fields, **new_fields}
                    if old_fields.get(k) != new_fields.get(k)
                ]
                before["fields"] = {k: old_fields.get(k, "") for k in names}
                after["fields"] = {k: new_fields.get(k, "") for k in names}
            if not after:
                return False
            conn.execute(
                "UPDATE contacts SET email = ?, email_key = ?, first_name = ?, last_name = ?,"
                " fields = ?, search = ?, first_sort = ?, last_sort = ?, updated_at = ?"
                " WHERE id = ?",
                (
                    new_email,
                    new_key,
                    new_first,
                    new_last,
                    _dumps(new_fields),
                    _search_text(new_key, new_first, new_last),
                    sort_key(new_first),
                    sort_key(new_last),
                    stamp,
                    contact_id,
                ),
            )
            conn.execute(
                _INSERT_EVENT,
                (contact_id, stamp, "edited", _dumps(before), _dumps(after), "", source),
            )
            return True

    def _existing(self, ids: Iterable[int], columns: str) -> list[tuple[Any, ...]]:
        sql = (
            f"SELECT {columns} FROM contacts"  # noqa: S608
            " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"
        )
        return self._conn.execute(sql, (_ids_json(ids),)).fetchall()

    def set_status(
        self,
        ids: Iterable[int],
        status: str,
        reason: str,
        source: str = "",
        *,
        now: str | None = None,
    ) -> int:
        """Change the status of contacts, with the reason in their history; returns how many
        changed. Leaving ``subscribed`` suppresses the address; coming back to it lifts the
        suppression: that is the one explicit way to resubscribe someone."""
        new = _check_status(status)
        stamp = iso_utc(now)
        with transaction(self._conn) as conn:
            rows = [r for r in self._existing(ids, "id, status, email_key") if r[1] != new]
            conn.execute(
                "UPDATE contacts SET status = ?, updated_at = ?"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (new, stamp, _ids_json(r[0] for r in rows)),
            )
            insert_rows(
                conn,
                _INSERT_EVENTS,
                [(r[0], stamp, "status", r[1], new, reason, source) for r in rows],
            )
            if new == "subscribed":
                conn.execute(
                    "DELETE FROM suppression WHERE key IN (SELECT value FROM json_each(?))",
                    (json.dumps([self._hash_key(r[2]) for r in rows]),),
                )
            else:
                insert_rows(
                    conn,
                    _INSERT_SUPPRESSION,
                    [(self._hash_key(r[2]), new, stamp) for r in rows],
                    _ON_SUPPRESSION_CONFLICT,
                )
            return len(rows)

    def set_basis(self, ids: Iterable[int], basis: Basis, *, now: str | None = None) -> int:
        """Record a (new) lawful basis for contacts, e.g. consent collected again."""
        kind = _check_basis_kind(basis.kind)
        stamp = iso_utc(now)
        date = _basis_date(basis, stamp)
        with transaction(self._conn) as conn:
            rows = self._existing(ids, "id, basis")
            conn.execute(
                "UPDATE contacts SET basis = ?, basis_source = ?, basis_date = ?,"
                " basis_proof = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                (kind, basis.source, date, basis.proof, stamp, _ids_json(r[0] for r in rows)),
            )
            insert_rows(
                conn,
                _INSERT_EVENTS,
                [(r[0], stamp, "basis", r[1], kind, basis.proof, basis.source) for r in rows],
            )
            return len(rows)

    def add_to_list(
        self, ids: Iterable[int], list_id: int, *, source: str = "", now: str | None = None
    ) -> int:
        """Put contacts in a list; returns how many were not in it yet."""
        stamp = iso_utc(now)
        with transaction(self._conn) as conn:
            name = self._list_name(list_id)
            rows = conn.execute(
                "SELECT id FROM contacts WHERE id IN (SELECT value FROM json_each(?))"
                " AND id NOT IN (SELECT contact_id FROM memberships WHERE list_id = ?)"
                " ORDER BY id",
                (_ids_json(ids), list_id),
            ).fetchall()
            conn.execute(
                "INSERT INTO memberships (contact_id, list_id, added_at)"
                " SELECT value, ?, ? FROM json_each(?)",
                (list_id, stamp, _ids_json(r[0] for r in rows)),
            )
            insert_rows(
                conn,
                _INSERT_EVENTS,
                [(r[0], stamp, "list_added", None, name, "", source) for r in rows],
            )
            return len(rows)

    def remove_from_list(
        self, ids: Iterable[int], list_id: int, *, source: str = "", now: str | None = None
    ) -> int:
        """Take contacts out of a list (they stay in the store); returns how many were in it."""
        stamp = iso_utc(now)
        with transaction(self._conn) as conn:
            name = self._list_name(list_id)
            rows = conn.execute(
                "SELECT contact_id FROM memberships WHERE list_id = ?"
                " AND contact_id IN (SELECT value FROM json_each(?)) ORDER BY contact_id",
                (list_id, _ids_json(ids)),
            ).fetchall()
            conn.execute(
                "DELETE FROM memberships WHERE list_id = ?"
                " AND contact_id IN (SELECT value FROM json_each(?))",
                (list_id, _ids_json(r[0] for r in rows)),
            )
            insert_rows(
                conn,
                _INSERT_EVENTS,
                [(r[0], stamp, "list_removed", name, None, "", source) for r in rows],
            )
            return len(rows)

    def touch(self, ids: Iterable[int], when: str | None = None) -> None:
        """Record activity (a message sent, opened, clicked): retention counts from the last."""
        stamp = iso_utc(when)
        with transaction(self._conn) as conn:
            conn.execute(
                "UPDATE contacts SET last_activity_at = ?"
                " WHERE id IN (SELECT value FROM json_each(?))"
                " AND (last_activity_at IS NULL OR last_activity_at < ?)",
                (stamp, _ids_json(ids), stamp),
            )

    def delete(self, ids: Iterable[int]) -> int:
        """Delete contacts with their history. Not an erasure: an active address may come back
        with a later import (suppressed ones stay suppressed). Use privacy.forget to erase."""
        with transaction(self._conn) as conn:
            cursor = conn.execute(
                "DELETE FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
                (_ids_json(ids),),
            )
            return cursor.rowcount

    def erase(self, email: str, *, now: str | None = None) -> bool:
        """Delete everything about this address and keep only its salted hash, reason "erased",
        so it is never imported again. True if a contact was held (the hash is kept either way)."""
        stamp = iso_utc(now)
        key = email_key(email)
        with transaction(self._conn) as conn:
            cursor = conn.execute("DELETE FROM contacts WHERE email_key = ?", (key,))
            conn.execute(_UPSERT_SUPPRESSION, (self._hash_key(key), ERASED, stamp))
            self._scrub_history({key})
            return cursor.rowcount > 0

    def erase_ids(self, ids: Iterable[int], *, now: str | None = None) -> int:
        """:meth:`erase` for contacts by id, in one transaction; returns how many were erased."""
        stamp = iso_utc(now)
        with transaction(self._conn) as conn:
            rows = self._existing(ids, "id, email_key")
            insert_rows(
                conn,
                _INSERT_SUPPRESSION,
                [(self._hash_key(r[1]), ERASED, stamp) for r in rows],
                _ON_SUPPRESSION_CONFLICT,
            )
            conn.execute(
                "DELETE FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
                (_ids_json(r[0] for r in rows),),
            )
            self._scrub_history({r[1] for r in rows})
            return len(rows)

    def _scrub_history(self, keys: set[str]) -> None:
        """Remove erased addresses from the history of other contacts: an address change
        (« edited », old → new) keeps the former address in the JSON of the contact that moved.
        Only the ``email`` entry goes; the rest of the edit stays in the history."""
        if not keys:
            return
        rows = self._conn.execute(
            "SELECT id, old, new FROM events WHERE kind = 'edited'"
            " AND (old LIKE '%\"email\":%' OR new LIKE '%\"email\":%')"
        ).fetchall()
        changes: list[tuple[str | None, str | None, int]] = []
        for event_id, *values in rows:
            scrubbed: list[str | None] = []
            for value in values:
                data = json.loads(value) if value else None
                if isinstance(data, dict) and email_key(str(data.get("email", ""))) in keys:
                    del data["email"]
                    value = _dumps(data)
                scrubbed.append(value)
            if scrubbed != values:
                changes.append((scrubbed[0], scrubbed[1], event_id))
        self._conn.executemany("UPDATE events SET old = ?, new = ? WHERE id = ?", changes)


def _nothing() -> None:
    return None


class BulkWriter:
    """Writes an import's batches so that SQLite stores batch N while Python reads N + 1.

    Reading and checking rows is Python work; storing them is mostly SQLite work, which runs
    outside the GIL. Each :meth:`write` runs the Python part of one batch's transaction (finding
    the existing contacts, merging them, loading the new ones) on the calling thread, then hands
    the set-based inserts and the commit to a background thread and returns, so the caller can
    prepare the next batch meanwhile. Every batch is still one transaction, committed in order;
    the next :meth:`write` waits for the previous commit and raises its error, if any, and so
    does leaving the ``with`` block. Measured on 100,000 new contacts: about 20 % faster on two
    cores. The store must not be used otherwise until the block is left.
    """

    def __init__(self, store: ContactStore, *, list_id: int | None, basis: Basis) -> None:
        self._store = store
        self._list_id = list_id
        self._basis = basis
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="bulletin-import")
        self._pending: Future[None] | None = None

    def write(self, batch: Batch) -> UpsertResult:
        """Start storing ``batch``; its counts are final unless a later wait raises."""
        self.wait()
        conn = self._store.connection
        if conn.in_transaction:
            raise RuntimeError("BulkWriter.write inside an open transaction")
        conn.execute("BEGIN IMMEDIATE")
        try:
            result, finish = self._store._upsert_start(
                batch, self._list_id, self._basis, None, False
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self._pending = self._pool.submit(_finish, conn, finish)
        return result

    def wait(self) -> None:
        """Wait for the batch being committed; raise its error if it failed."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> BulkWriter:
        _SWITCHING.enter()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        try:
            if exc_type is None:
                self.wait()
            elif self._pending is not None:
                self._pending.exception()  # let it end; the caller's error is the one raised
        finally:
            self._pool.shutdown(wait=True)
            _SWITCHING.leave()


class _FastSwitching:
    """Python's GIL switch interval, lowered while any :class:`BulkWriter` is open.

    Why: when the writer thread's SQLite statement ends, it must get the GIL back from the
    reading thread, which hands it over only every switch interval (5 ms by default); the
    writer then sits idle. At 0.5 ms, 100,000 new contacts imported 10-15 % faster (measured,
    0.1 ms gave the same). Counted, so overlapping writers restore the setting only once.
    """

    INTERVAL = 0.0005

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved = sys.getswitchinterval()

    def enter(self) -> None:
        with self._lock:
            if self._users == 0:
                self._saved = sys.getswitchinterval()
                sys.setswitchinterval(min(self._saved, self.INTERVAL))
            self._users += 1

    def leave(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                sys.setswitchinterval(self._saved)


_SWITCHING = _FastSwitching()


def _finish(conn: sqlite3.Connection, finish: Callable[[], None]) -> None:
    """Run the rest of a transaction and commit it, or roll it back (on the writer thread)."""
    try:
        finish()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
