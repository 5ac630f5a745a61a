"""The subscriptions-by-email table of the profile database (schema version 5, issue 11).

Appended to :data:`editor.contacts.db.MIGRATIONS`, never edited once shipped.
"""

from __future__ import annotations

import sqlite3


def _v5(conn: sqlite3.Connection) -> None:
    """Subscription requests by email waiting for their confirmation (double opt-in)."""
    del conn  # filled in by the subscriptions work
