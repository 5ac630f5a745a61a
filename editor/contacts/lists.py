"""Mailing lists and who is in them.

List names are unique case-insensitively through ``name_key`` (« Événements » and « événements »
are one list, which ``COLLATE NOCASE`` would not see: it folds ASCII only). Joining or leaving a
list is written to each contact's history; deleting a list keeps its contacts and notes it in
their history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from editor.contacts.db import Database, insert_rows, transaction
from editor.contacts.keys import fold, sort_key
from editor.contacts.model import INSERT_EVENTS, ContactError, ListInfo, ids_json, iso_utc
from editor.i18n import _


def clean_list_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ContactError(_("A list needs a name."))
    return cleaned


class Lists:
    """The lists of one database."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def name(self, list_id: int) -> str:
        """The list's name; a clear error if there is no such list."""
        row = self.db.connection.execute(
            "SELECT name FROM lists WHERE id = ?", (list_id,)
        ).fetchone()
        if row is None:
            raise ContactError(_("No such list (id {list_id}).").format(list_id=list_id))
        return str(row[0])

    def _name_taken(self, name: str, except_id: int | None = None) -> None:
        row = self.db.connection.execute(
            "SELECT id, name FROM lists WHERE name_key = ?", (fold(name),)
        ).fetchone()
        if row is not None and row[0] != except_id:
            raise ContactError(_('A list named "{row}" already exists.').format(row=row[1]))

    def create(self, name: str, *, now: str | None = None) -> int:
        name = clean_list_name(name)
        with transaction(self.db.connection) as conn:
            self._name_taken(name)
            cursor = conn.execute(
                "INSERT INTO lists (name, name_key, created_at) VALUES (?, ?, ?)",
                (name, fold(name), iso_utc(now)),
            )
            return int(cast(int, cursor.lastrowid))

    def id_of(self, name: str, create: bool = False) -> int | None:
        """The id of the list called ``name`` (case-insensitive), created if asked."""
        cleaned = " ".join(name.split())
        row = self.db.connection.execute(
            "SELECT id FROM lists WHERE name_key = ?", (fold(cleaned),)
        ).fetchone()
        if row is not None:
            return int(row[0])
        return self.create(cleaned) if create else None

    def all(self) -> list[ListInfo]:
        """Every list with its number of contacts, in alphabetical order."""
        rows = self.db.connection.execute(
            "SELECT l.id, l.name, (SELECT count(*) FROM memberships m WHERE m.list_id = l.id)"
            " FROM lists l"
        ).fetchall()
        infos = [ListInfo(row[0], row[1], row[2]) for row in rows]
        return sorted(infos, key=lambda info: (sort_key(info.name), info.name, info.id))

    def rename(self, list_id: int, name: str) -> None:
        name = clean_list_name(name)
        with transaction(self.db.connection) as conn:
            self.name(list_id)
            self._name_taken(name, except_id=list_id)
            conn.execute(
                "UPDATE lists SET name = ?, name_key = ? WHERE id = ?",
                (name, fold(name), list_id),
            )

    def delete(self, list_id: int, *, now: str | None = None) -> int:
        """Delete a list; its contacts stay (each history notes it). Returns how many it held."""
        stamp = iso_utc(now)
        with transaction(self.db.connection) as conn:
            name = self.name(list_id)
            cursor = conn.execute(
                "INSERT INTO events (contact_id, at, kind, old, new, reason, source)"
                " SELECT contact_id, ?, 'list_deleted', ?, NULL, '', '' FROM memberships"
                " WHERE list_id = ?",
                (stamp, name, list_id),
            )
            conn.execute("DELETE FROM lists WHERE id = ?", (list_id,))
            return cursor.rowcount

    def add_members(
        self, ids: Iterable[int], list_id: int, *, source: str = "", now: str | None = None
    ) -> int:
        """Put contacts in a list; returns how many were not in it yet."""
        stamp = iso_utc(now)
        with transaction(self.db.connection) as conn:
            name = self.name(list_id)
            rows = conn.execute(
                "SELECT id FROM contacts WHERE id IN (SELECT value FROM json_each(?))"
                " AND id NOT IN (SELECT contact_id FROM memberships WHERE list_id = ?)"
                " ORDER BY id",
                (ids_json(ids), list_id),
            ).fetchall()
            conn.execute(
                "INSERT INTO memberships (contact_id, list_id, added_at)"
                " SELECT value, ?, ? FROM json_each(?)",
                (list_id, stamp, ids_json(r[0] for r in rows)),
            )
            insert_rows(
                conn,
                INSERT_EVENTS,
                [(r[0], stamp, "list_added", None, name, "", source) for r in rows],
            )
            return len(rows)

    def remove_members(
        self, ids: Iterable[int], list_id: int, *, source: str = "", now: str | None = None
    ) -> int:
        """Take contacts out of a list (they stay in the store); returns how many were in it."""
        stamp = iso_utc(now)
        with transaction(self.db.connection) as conn:
            name = self.name(list_id)
            rows = conn.execute(
                "SELECT contact_id FROM memberships WHERE list_id = ?"
                " AND contact_id IN (SELECT value FROM json_each(?)) ORDER BY contact_id",
                (list_id, ids_json(ids)),
            ).fetchall()
            conn.execute(
                "DELETE FROM memberships WHERE list_id = ?"
                " AND contact_id IN (SELECT value FROM json_each(?))",
                (list_id, ids_json(r[0] for r in rows)),
            )
            insert_rows(
                conn,
                INSERT_EVENTS,
                [(r[0], stamp, "list_removed", name, None, "", source) for r in rows],
            )
            return len(rows)

    def memberships(self, contact_id: int) -> list[tuple[str, str]]:
        """``(list name, added_at)`` for each list the contact is in."""
        rows = self.db.connection.execute(
            "SELECT l.name, m.added_at FROM memberships m JOIN lists l ON l.id = m.list_id"
            " WHERE m.contact_id = ?",
            (contact_id,),
        ).fetchall()
        return sorted(((row[0], row[1]) for row in rows), key=lambda row: sort_key(row[0]))
