"""Contacts changed one by one or by selection: add, edit, status, lawful basis, activity, delete.

Every change that matters for the law is written to the contact's history in the same
transaction. Status and suppression move together: leaving ``subscribed`` suppresses the
address, and :meth:`ContactWriter.set_status` back to ``subscribed`` (or ``add(...,
resubscribe=True)``) is the one explicit way to lift it. Imports go through
:mod:`~editor.contacts.bulk` instead; erasure through :mod:`~editor.contacts.erase`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any, cast

from editor.contacts.db import Database, insert_rows, transaction
from editor.contacts.keys import dumps, email_key, search_text, sort_key
from editor.contacts.lists import Lists
from editor.contacts.model import (
    INSERT_EVENT,
    INSERT_EVENTS,
    Basis,
    ContactError,
    ContactInput,
    EventRow,
    basis_date,
    blank,
    check_basis_kind,
    check_status,
    ids_json,
    iso_utc,
)
from editor.contacts.suppression import (
    INSERT_SUPPRESSION,
    ON_SUPPRESSION_CONFLICT,
    UPSERT_SUPPRESSION,
    Suppression,
)
from editor.i18n import _

INSERT_CONTACT = (
    "INSERT INTO contacts (id, email, email_key, first_name, last_name, fields, status, basis,"
    " basis_source, basis_date, basis_proof, created_at, updated_at, search, first_sort,"
    " last_sort) VALUES (?, ?, ?, ?, ?, ?, 'subscribed', ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def next_id(conn: sqlite3.Connection) -> int:
    """The id the next contact gets: ``AUTOINCREMENT``'s, so ids of deleted contacts are never
    reused (a stale reference elsewhere never points at someone else). Inside the write lock,
    the ids after it are free too: imports number their new contacts from here."""
    row = conn.execute(
        "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'contacts'), 0),"
        " coalesce((SELECT max(id) FROM contacts), 0))"
    ).fetchone()
    return int(row[0]) + 1


class ContactWriter:
    """Changes to contacts by hand or by selection, in one database."""

    def __init__(self, db: Database, lists: Lists, suppression: Suppression) -> None:
        self.db = db
        self.lists = lists
        self.suppression = suppression

    def existing(self, ids: Iterable[int], columns: str) -> list[tuple[Any, ...]]:
        sql = (
            f"SELECT {columns} FROM contacts"  # noqa: S608
            " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id"
        )
        return self.db.connection.execute(sql, (ids_json(ids),)).fetchall()

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
        kind = check_basis_kind(basis.kind)
        stamp = iso_utc(now)
        email = contact.email.strip()
        if not email:
            raise ContactError(_("Empty email address."))
        key = email_key(email)
        first = "" if blank(contact.first_name) else contact.first_name
        last = "" if blank(contact.last_name) else contact.last_name
        fields = {k: v for k, v in contact.fields.items() if not blank(v)}
        with transaction(self.db.connection) as conn:
            if conn.execute("SELECT 1 FROM contacts WHERE email_key = ?", (key,)).fetchone():
                raise ContactError(_('The contact "{email}" already exists.').format(email=email))
            hashed = self.suppression.hash_key(key)
            held = conn.execute(
                "SELECT reason FROM suppression WHERE key = ?", (hashed,)
            ).fetchone()
            if held is not None and not resubscribe:
                raise ContactError(
                    _(
                        'The address "{email}" is on the suppression list ({held}): add '
                        "it only if the person agreed again."
                    ).format(email=email, held=held[0])
                )
            list_name = self.lists.name(list_id) if list_id is not None else None
            contact_id = next_id(conn)
            conn.execute(
                INSERT_CONTACT,
                (
                    contact_id,
                    email,
                    key,
                    first,
                    last,
                    dumps(fields),
                    kind,
                    basis.source,
                    basis_date(basis, stamp),
                    basis.proof,
                    stamp,
                    stamp,
                    search_text(key, first, last),
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
            conn.executemany(INSERT_EVENT, events)
            return contact_id

    def _row(self, contact_id: int) -> tuple[Any, ...]:
        row = self.db.connection.execute(
            "SELECT id, email, email_key, first_name, last_name, fields, status FROM contacts"
            " WHERE id = ?",
            (contact_id,),
        ).fetchone()
        if row is None:
            raise ContactError(
                _("No such contact (id {contact_id}).").format(contact_id=contact_id)
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
        with transaction(self.db.connection) as conn:
            _unused, old_email, old_key, old_first, old_last, old_json, status = self._row(
                contact_id
            )
            old_fields: dict[str, str] = json.loads(old_json)
            new_email = old_email if email is None else email.strip()
            new_first = old_first if first_name is None else first_name.strip()
            new_last = old_last if last_name is None else last_name.strip()
            new_fields = (
                old_fields
                if fields is None
                else {k.strip(): v for k, v in fields.items() if k.strip() and not blank(v)}
            )
            if not new_email:
                raise ContactError(_("Empty email address."))
            new_key = email_key(new_email)
            if new_key != old_key:
                other = conn.execute(
                    "SELECT email FROM contacts WHERE email_key = ?", (new_key,)
                ).fetchone()
                if other is not None:
                    raise ContactError(
                        _('Another contact already has the address "{other}".').format(
                            other=other[0]
                        )
                    )
                hashed = self.suppression.hash_key(new_key)
                if (
                    status == "subscribed"
                    and self.db.connection.execute(
                        "SELECT 1 FROM suppression WHERE key = ?", (hashed,)
                    ).fetchone()
                ):
                    raise ContactError(
                        _('The address "{new_email}" is on the suppression list.').format(
                            new_email=new_email
                        )
                    )
                if status != "subscribed":
                    conn.execute(UPSERT_SUPPRESSION, (hashed, status, stamp))
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
                    dumps(new_fields),
                    search_text(new_key, new_first, new_last),
                    sort_key(new_first),
                    sort_key(new_last),
                    stamp,
                    contact_id,
                ),
            )
            conn.execute(
                INSERT_EVENT,
                (contact_id, stamp, "edited", dumps(before), dumps(after), "", source),
            )
            return True

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
        new = check_status(status)
        stamp = iso_utc(now)
        with transaction(self.db.connection) as conn:
            rows = [r for r in self.existing(ids, "id, status, email_key") if r[1] != new]
            conn.execute(
                "UPDATE contacts SET status = ?, updated_at = ?"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (new, stamp, ids_json(r[0] for r in rows)),
            )
            insert_rows(
                conn,
                INSERT_EVENTS,
                [(r[0], stamp, "status", r[1], new, reason, source) for r in rows],
            )
            if new == "subscribed":
                conn.execute(
                    "DELETE FROM suppression WHERE key IN (SELECT value FROM json_each(?))",
                    (json.dumps([self.suppression.hash_key(r[2]) for r in rows]),),
                )
            else:
                insert_rows(
                    conn,
                    INSERT_SUPPRESSION,
                    [(self.suppression.hash_key(r[2]), new, stamp) for r in rows],
                    ON_SUPPRESSION_CONFLICT,
                )
            return len(rows)

    def set_basis(self, ids: Iterable[int], basis: Basis, *, now: str | None = None) -> int:
        """Record a (new) lawful basis for contacts, e.g. consent collected again."""
        kind = check_basis_kind(basis.kind)
        stamp = iso_utc(now)
        date = basis_date(basis, stamp)
        with transaction(self.db.connection) as conn:
            rows = self.existing(ids, "id, basis")
            conn.execute(
                "UPDATE contacts SET basis = ?, basis_source = ?, basis_date = ?,"
                " basis_proof = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                (kind, basis.source, date, basis.proof, stamp, ids_json(r[0] for r in rows)),
            )
            insert_rows(
                conn,
                INSERT_EVENTS,
                [(r[0], stamp, "basis", r[1], kind, basis.proof, basis.source) for r in rows],
            )
            return len(rows)

    def touch(self, ids: Iterable[int], when: str | None = None) -> None:
        """Record activity (a message sent, opened, clicked): retention counts from the last."""
        stamp = iso_utc(when)
        with transaction(self.db.connection) as conn:
            conn.execute(
                "UPDATE contacts SET last_activity_at = ?"
                " WHERE id IN (SELECT value FROM json_each(?))"
                " AND (last_activity_at IS NULL OR last_activity_at < ?)",
                (stamp, ids_json(ids), stamp),
            )

    def delete(self, ids: Iterable[int]) -> int:
        """Delete contacts with their history. Not an erasure: an active address may come back
        with a later import (suppressed ones stay suppressed). Use privacy.forget to erase."""
        with transaction(self.db.connection) as conn:
            cursor = conn.execute(
                "DELETE FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
                (ids_json(ids),),
            )
            return cursor.rowcount
