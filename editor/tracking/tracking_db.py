"""The measurement tables of the profile database (schema version 6, issue 11).

Appended to :data:`editor.contacts.db.MIGRATIONS`, never edited once shipped.
"""

from __future__ import annotations

import sqlite3


def _v6(conn: sqlite3.Connection) -> None:
    """Consent to measurement and the events read back from the user's endpoint."""
    del conn  # filled in by the tracking work
