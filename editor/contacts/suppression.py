"""The suppression list: addresses that must never be emailed again, kept as salted hashes.

Unsubscribed, bounced, complained and erased addresses are held as a salted SHA-256 of their
:func:`~editor.contacts.keys.email_key`: the list recognises an address in a later import but
cannot reveal it (an erased person leaves nothing readable). The salt is drawn once per database
(``meta.salt``), so two profiles' hashes never match. A contact is ``subscribed`` exactly when its
address is not here; only an explicit resubscription lifts an entry (see
:mod:`~editor.contacts.contacts_repo`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from editor.contacts.db import Database, StoreError, transaction
from editor.contacts.keys import email_key
from editor.contacts.model import INSERT_EVENT, SUPPRESSED_STATUSES, iso_utc
from editor.i18n import _

INSERT_SUPPRESSION = "INSERT INTO suppression (key, reason, at)"
ON_SUPPRESSION_CONFLICT = (
    " ON CONFLICT (key) DO UPDATE SET reason = excluded.reason, at = excluded.at"
)
UPSERT_SUPPRESSION = f"{INSERT_SUPPRESSION} VALUES (?, ?, ?){ON_SUPPRESSION_CONFLICT}"


class Suppression:
    """The suppression list of one database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        salt = db.connection.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()
        if salt is None:
            raise StoreError(
                _('The contacts database "{path}" is incomplete (no salt).').format(path=db.path)
            )
        self._salted = hashlib.sha256(bytes.fromhex(salt[0]))

    def key(self, email: str) -> str:
        """The salted SHA-256 kept for a suppressed address: recognises it, cannot reveal it."""
        return self.hash_key(email_key(email))

    def hash_key(self, key: str) -> str:
        """:meth:`key` of an address already folded with :func:`email_key`."""
        digest = self._salted.copy()
        digest.update(key.encode("utf-8"))
        return digest.hexdigest()

    def is_suppressed(self, email: str) -> bool:
        row = self.db.connection.execute(
            "SELECT 1 FROM suppression WHERE key = ?", (self.key(email),)
        ).fetchone()
        return row is not None

    def info(self, email: str) -> tuple[str, str] | None:
        """``(reason, at)`` if the address is suppressed."""
        row = self.db.connection.execute(
            "SELECT reason, at FROM suppression WHERE key = ?", (self.key(email),)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def count(self) -> int:
        return int(self.db.connection.execute("SELECT count(*) FROM suppression").fetchone()[0])

    def suppress(
        self, email: str, reason: str, *, source: str = "", now: str | None = None
    ) -> None:
        """Never email this address again (until an explicit resubscription).

        A subscribed contact with this address becomes ``reason`` when that is a status
        (bounced, complained), else unsubscribed, with the change in its history.
        """
        stamp = iso_utc(now)
        key = email_key(email)
        with transaction(self.db.connection) as conn:
            conn.execute(UPSERT_SUPPRESSION, (self.hash_key(key), reason, stamp))
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
                    INSERT_EVENT, (row[0], stamp, "status", "subscribed", status, reason, source)
                )

    def suppressed_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of these email keys are in the suppression list: one hash each, one query
        (none at all while the list is empty, as before a first send)."""
        conn = self.db.connection
        if conn.execute("SELECT 1 FROM suppression LIMIT 1").fetchone() is None:
            return set()
        hashes = {self.hash_key(key): key for key in keys}
        found = conn.execute(
            "SELECT key FROM suppression WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(hashes)),),
        )
        return {hashes[row[0]] for row in found}
