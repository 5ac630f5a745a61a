"""Erasure (GDPR art. 17): delete everything about a person but a salted hash of the address.

The hash goes to the suppression list with the reason ``erased``, so a later import of an old
file does not bring the person back; the history of other contacts loses the erased address
(:func:`~editor.contacts.history.scrub_addresses`). ``secure_delete`` zeroes the deleted rows;
:meth:`Erasure.checkpoint` then empties the write-ahead log, where copies of the old pages
would otherwise stay. :mod:`editor.contacts.privacy` builds forget and purge on this.
"""

from __future__ import annotations

from collections.abc import Iterable

from editor.contacts.db import Database, checkpoint, insert_rows, transaction
from editor.contacts.history import scrub_addresses
from editor.contacts.keys import email_key
from editor.contacts.model import ERASED, ids_json, iso_utc
from editor.contacts.suppression import (
    INSERT_SUPPRESSION,
    ON_SUPPRESSION_CONFLICT,
    UPSERT_SUPPRESSION,
    Suppression,
)


class Erasure:
    """Erasing people from one database."""

    def __init__(self, db: Database, suppression: Suppression) -> None:
        self.db = db
        self.suppression = suppression

    def erase(self, email: str, *, now: str | None = None) -> bool:
        """Delete everything about this address and keep only its salted hash, reason "erased",
        so it is never imported again. True if a contact was held (the hash is kept either way)."""
        stamp = iso_utc(now)
        key = email_key(email)
        with transaction(self.db.connection) as conn:
            cursor = conn.execute("DELETE FROM contacts WHERE email_key = ?", (key,))
            conn.execute(UPSERT_SUPPRESSION, (self.suppression.hash_key(key), ERASED, stamp))
            scrub_addresses(conn, {key})
            return cursor.rowcount > 0

    def erase_ids(self, ids: Iterable[int], *, now: str | None = None) -> int:
        """:meth:`erase` for contacts by id, in one transaction; returns how many were erased."""
        stamp = iso_utc(now)
        with transaction(self.db.connection) as conn:
            rows = conn.execute(
                "SELECT id, email_key FROM contacts"
                " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
                (ids_json(ids),),
            ).fetchall()
            insert_rows(
                conn,
                INSERT_SUPPRESSION,
                [(self.suppression.hash_key(r[1]), ERASED, stamp) for r in rows],
                ON_SUPPRESSION_CONFLICT,
            )
            conn.execute(
                "DELETE FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
                (ids_json(r[0] for r in rows),),
            )
            scrub_addresses(conn, {r[1] for r in rows})
            return len(rows)

    def checkpoint(self) -> bool:
        """Flush the write-ahead log into the file; False if readers blocked it."""
        return checkpoint(self.db.connection)
