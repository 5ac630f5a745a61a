"""Erasure (GDPR art. 17): delete everything about a person but a salted hash of the address.

The hash goes to the suppression list with the reason ``erased``, so a later import of an old
file does not bring the person back; the history of other contacts loses the erased address
(:func:`~editor.contacts.history.scrub_addresses`). ``secure_delete`` zeroes the deleted rows;
:meth:`Erasure.finish` then empties the write-ahead log, where copies of the old pages
would otherwise stay. Another connection reading an older snapshot (another window, a
backup tool) blocks that: :meth:`Erasure.finish` retries for a second, then leaves a
marker file next to the database so the next opening of the store finishes the job
(:meth:`Erasure.resume`), and says so, since "erased" must not be claimed while a copy of the
data is still on disk. :mod:`editor.contacts.privacy` builds forget and purge on this.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

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
        self.pending_marker = Path(f"{db.path}.erase-pending")

    def erase(self, email: str, *, now: str | None = None) -> bool:
        """Delete everything about this address and keep only its salted hash, reason "erased",
        so it is never imported again. True if a contact was held (the hash is kept either way)."""
        stamp = iso_utc(now)
        key = email_key(email)
        with transaction(self.db.connection) as conn:
            cursor = conn.execute("DELETE FROM contacts WHERE email_key = ?", (key,))
            conn.execute(UPSERT_SUPPRESSION, (self.suppression.hash_key(key), ERASED, stamp))
            scrub_addresses(conn, {key})
            _drop_pending_requests(conn, {key})
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
            _drop_pending_requests(conn, {r[1] for r in rows})
            return len(rows)

    def checkpoint(self) -> bool:
        """Flush the write-ahead log into the file; False if readers blocked it."""
        return checkpoint(self.db.connection)

    def finish(self, wait_ms: int = 1000) -> bool:
        """Empty the write-ahead log after an erasure; False when readers kept blocking it.

        SQLite's busy handler retries the checkpoint for up to ``wait_ms`` (not the
        connection's usual 10 s: the user is waiting). On False the marker file stays, and
        :meth:`resume` completes the job later.
        """
        conn = self.db.connection
        usual = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute(f"PRAGMA busy_timeout = {int(wait_ms)}")
        try:
            done = self.checkpoint()
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(usual)}")
        if done:
            self.pending_marker.unlink(missing_ok=True)
        else:
            self.pending_marker.write_text(iso_utc() + "\n", encoding="utf-8")
        return done

    @property
    def pending(self) -> bool:
        """Whether an erasure still has copies of old pages in the write-ahead log."""
        return self.pending_marker.exists()

    def resume(self) -> bool:
        """At opening: finish an erasure a reader blocked last time (one attempt)."""
        return not self.pending or self.finish(wait_ms=200)


def _drop_pending_requests(conn: sqlite3.Connection, keys: set[str]) -> None:
    """Forget these addresses' unconfirmed subscription requests (address, first name, token,
    measurement line): an erased person must get no confirmation afterwards, and their reply
    to an earlier one must not bring them back. Runs in the caller's transaction."""
    if keys:
        conn.execute(
            "DELETE FROM subscription_requests WHERE email_key IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(keys)),),
        )
