"""Reading contacts: by address or id, and the pages, counts and id lists the contacts view shows.

Search, filters and sort orders are served by indexes or by a single pass over the pre-folded
``search`` column (SQLite's own case folding is ASCII-only). The table model reads the ordered
ids once per query (:meth:`ContactReader.ids`) and each visible window by id
(:meth:`ContactReader.get_many`), so scrolling never re-sorts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from editor.contacts.db import Database
from editor.contacts.keys import email_key, sort_key
from editor.contacts.model import (
    CONTACT_COLUMNS,
    Contact,
    ContactError,
    ContactQuery,
    check_basis_kind,
    check_status,
    contact_from_row,
    ids_json,
    iso_utc,
    search_terms,
)
from editor.i18n import _

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
# A contact's last sign of life: SQLite's max() of several values (NULL counts as oldest).
_LAST_SIGN = "max(coalesce(c.last_activity_at, ''), c.updated_at, c.created_at)"
_ITER_CHUNK = 1000


def where(q: ContactQuery) -> tuple[str, list[Any]]:
    """The WHERE clause of a query. ``+c.status``: a unary plus keeps SQLite from walking a
    status index for "subscribed", which matches nearly every row (measured: a scan is twice
    as fast)."""
    clauses: list[str] = []
    params: list[Any] = []
    for term in search_terms(q.search):
        clauses.append("instr(c.search, ?) > 0")
        params.append(term)
    if q.status is not None:
        clauses.append("+c.status = ?")
        params.append(check_status(q.status))
    if q.basis is not None:
        clauses.append("+c.basis = ?")
        params.append(check_basis_kind(q.basis))
    if q.list_id is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM memberships m WHERE m.contact_id = c.id AND m.list_id = ?)"
        )
        params.append(q.list_id)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def order(q: ContactQuery, filtered: bool) -> str:
    """The ORDER BY clause, ties broken by id. Filtered, the ``+`` keeps SQLite from walking an
    index in order (a random table read per row) and makes it scan the table and sort only the
    matches (2-4x faster)."""
    columns = _SORT_COLUMNS.get(q.sort)
    if columns is None:
        raise ContactError(
            _('Unknown sort: "{sort}" (expected: {sorts}).').format(
                sort=q.sort, sorts=", ".join(SORTS)
            )
        )
    direction = " DESC" if q.descending else ""
    terms = [f"{c}{direction}" for c in (*columns, "c.id")]
    if filtered:
        terms[0] = "+" + terms[0]
    return " ORDER BY " + ", ".join(terms)


class ContactReader:
    """Read-only queries on the contacts of one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get(self, email: str) -> Contact | None:
        """The contact with this address, whatever its case."""
        row = self.db.connection.execute(
            f"SELECT {CONTACT_COLUMNS} FROM contacts c WHERE c.email_key = ?",  # noqa: S608
            (email_key(email),),
        ).fetchone()
        return contact_from_row(row) if row else None

    def get_by_id(self, contact_id: int) -> Contact | None:
        row = self.db.connection.execute(
            f"SELECT {CONTACT_COLUMNS} FROM contacts c WHERE c.id = ?",  # noqa: S608
            (contact_id,),
        ).fetchone()
        return contact_from_row(row) if row else None

    def get_many(self, ids: Sequence[int]) -> list[Contact]:
        """These contacts, in the order given (unknown ids skipped)."""
        if not ids:
            return []
        sql = (
            f"SELECT {CONTACT_COLUMNS} FROM contacts c"  # noqa: S608
            " WHERE c.id IN (SELECT value FROM json_each(?))"
        )
        found = {row[0]: row for row in self.db.connection.execute(sql, (ids_json(ids),))}
        return [contact_from_row(found[i]) for i in ids if i in found]

    def known_fields(self) -> list[str]:
        """Custom field names used by at least one contact (for mapping and merge tags)."""
        rows = self.db.connection.execute(
            "SELECT DISTINCT j.key FROM contacts c, json_each(c.fields) j WHERE c.fields <> '{}'"
        ).fetchall()
        return sorted((str(row[0]) for row in rows), key=lambda name: (sort_key(name), name))

    def count(self, q: ContactQuery | None = None) -> int:
        clause, params = where(q or ContactQuery())
        sql = f"SELECT count(*) FROM contacts c{clause}"  # noqa: S608
        return int(self.db.connection.execute(sql, params).fetchone()[0])

    def page(self, q: ContactQuery, offset: int, limit: int) -> list[Contact]:
        """Rows ``offset`` to ``offset + limit`` of the query, in its order (the table's window).

        The window is chosen on ids alone (index-only work, even 99,900 rows deep), then only
        those rows are read in full.
        """
        return self.get_many(self.ids(q, offset=offset, limit=max(0, limit)))

    def ids_sql(self, q: ContactQuery) -> tuple[str, list[Any]]:
        """The statement behind :meth:`ids` (``LIMIT ? OFFSET ?`` left to bind)."""
        clause, params = where(q)
        sql = f"SELECT c.id FROM contacts c{clause}{order(q, bool(clause))} LIMIT ? OFFSET ?"  # noqa: S608
        return sql, params

    def ids(self, q: ContactQuery, *, offset: int = 0, limit: int = -1) -> list[int]:
        """The ids matching ``q`` in its order ("select all matching" in the table)."""
        sql, params = self.ids_sql(q)
        rows = self.db.connection.execute(sql, [*params, limit, max(0, offset)]).fetchall()
        return [row[0] for row in rows]

    def iter_contacts(
        self, list_id: int | None = None, *, query: ContactQuery | None = None
    ) -> Iterator[Contact]:
        """Every contact (of a list, or matching ``query``'s filters) in creation order, read in
        chunks so an export of 100,000 contacts never holds them all nor keeps a cursor open."""
        q = query or ContactQuery()
        if list_id is not None:
            q = ContactQuery(q.search, q.status, q.basis, list_id)
        clause, params = where(q)
        clause = (clause + " AND" if clause else " WHERE") + " c.id > ?"
        sql = f"SELECT {CONTACT_COLUMNS} FROM contacts c{clause} ORDER BY c.id LIMIT ?"  # noqa: S608
        last = 0
        while True:
            rows = self.db.connection.execute(sql, [*params, last, _ITER_CHUNK]).fetchall()
            for row in rows:
                yield contact_from_row(row)
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
            params.append(check_basis_kind(basis))
        sql = (
            f"SELECT {CONTACT_COLUMNS} FROM contacts c WHERE {clauses}"  # noqa: S608
            f" ORDER BY {_LAST_SIGN}, c.id"
        )
        return [contact_from_row(row) for row in self.db.connection.execute(sql, params)]
