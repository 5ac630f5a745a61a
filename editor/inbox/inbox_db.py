"""The inbox tables of the profile database (schema version 4, issue 11).

Appended to :data:`editor.contacts.db.MIGRATIONS`, never edited once shipped.

* ``inbox_messages``: every message processed once, keyed by its Message-ID (or ``sha256:`` of
  the raw bytes when it has none), so processing the same message again changes nothing. It
  keeps what was decided (kind, contact, campaign, result) and the message's own Date and
  Message-ID, the proof quoted in the contact's history. No address is stored here: the contact
  id goes to NULL when the person is deleted or erased.
* ``inbox_review``: the messages nobody could classify, raw bytes kept until the user marks or
  deletes them.
* ``soft_bounces``: temporary failures per contact, so the rule « bounced after N in a row over
  at least a week » can be applied; deleted with the contact, cleared when the streak ends.
* ``mailbox_state``: per mailbox and folder, the UIDVALIDITY and last UID the sync has read.
"""

from __future__ import annotations

import sqlite3

INBOX_KINDS = (
    "bounce",
    "soft_bounce",
    "complaint",
    "unsubscribe",
    "auto_reply",
    "backscatter",
    "unrecognised",
    "subscribe",
)


def _v4(conn: sqlite3.Connection) -> None:
    """Processed inbox messages, the review list, soft bounces and the sync's mailbox state."""
    kinds = ", ".join(f"'{k}'" for k in INBOX_KINDS)
    statements = [
        f"""CREATE TABLE inbox_messages (
            key TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ({kinds})),
            contact_id INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
            campaign_id INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
            delivery_id INTEGER REFERENCES deliveries (id) ON DELETE SET NULL,
            message_id TEXT NOT NULL DEFAULT '',
            date TEXT,
            processed_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT '',
            result TEXT NOT NULL DEFAULT ''
        ) WITHOUT ROWID""",
        "CREATE INDEX inbox_messages_campaign ON inbox_messages (campaign_id, kind)",
        "CREATE INDEX inbox_messages_contact ON inbox_messages (contact_id)",
        """CREATE TABLE inbox_review (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL UNIQUE,
            message_id TEXT NOT NULL DEFAULT '',
            date TEXT,
            sender TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL,
            raw BLOB NOT NULL
        )""",
        """CREATE TABLE soft_bounces (
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            delivery_id INTEGER REFERENCES deliveries (id) ON DELETE SET NULL,
            campaign_id INTEGER REFERENCES campaigns (id) ON DELETE SET NULL,
            message_key TEXT NOT NULL,
            at TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT '',
            diagnostic TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX soft_bounces_contact ON soft_bounces (contact_id, at)",
        """CREATE TABLE mailbox_state (
            mailbox TEXT NOT NULL,
            folder TEXT NOT NULL,
            uidvalidity INTEGER NOT NULL,
            last_uid INTEGER NOT NULL,
            PRIMARY KEY (mailbox, folder)
        )""",
    ]
    for statement in statements:
        conn.execute(statement)
