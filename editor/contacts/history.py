"""A contact's history: every change that matters for the law, oldest first.

Creation and import (with the lawful basis), basis changes, status changes, list changes and
edits are written to ``events`` by the repository that makes the change, in the same transaction
(see :class:`~editor.contacts.model.Event` for the kinds). The history goes with the contact
when it is deleted or erased; :func:`scrub_addresses` removes an erased address from the history
of the contacts it remains in.
"""

from __future__ import annotations

import json
import sqlite3

from editor.contacts.db import Database
from editor.contacts.keys import dumps, email_key
from editor.contacts.model import Event


class History:
    """Reading contacts' histories."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def of(self, contact_id: int) -> list[Event]:
        """The contact's history, oldest first."""
        rows = self.db.connection.execute(
            "SELECT at, kind, old, new, reason, source FROM events WHERE contact_id = ?"
            " ORDER BY id",
            (contact_id,),
        ).fetchall()
        return [Event(*row) for row in rows]


def scrub_addresses(conn: sqlite3.Connection, keys: set[str]) -> None:
    """Remove erased addresses from the history of other contacts: an address change
    (« edited », old → new) keeps the former address in the JSON of the contact that moved.
    Only the ``email`` entry goes; the rest of the edit stays in the history. Runs in the
    caller's transaction."""
    if not keys:
        return
    rows = conn.execute(
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
                value = dumps(data)
            scrubbed.append(value)
        if scrubbed != values:
            changes.append((scrubbed[0], scrubbed[1], event_id))
    conn.executemany("UPDATE events SET old = ?, new = ? WHERE id = ?", changes)
