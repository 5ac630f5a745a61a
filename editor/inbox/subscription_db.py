"""The subscriptions-by-email tables of the profile database (schema versions 5 and 7, issue 11).

Appended to :data:`editor.contacts.db.MIGRATIONS`, never edited once shipped.

* ``subscription_requests``: one row per address that asked to subscribe by email and has not
  confirmed yet (double opt-in). It holds only what the confirmation needs and what proves it:
  the address, a name if the request gave one, the list and mailbox it came through, the
  secret token of its ``local+confirm-TOKEN@domain`` reply address, the request's own
  Message-ID and date, and the confirmation sent (Message-ID, date, the exact wording shown).
  GDPR minimisation: the row is deleted when the person confirms (the proof then lives in the
  contact's lawful basis and history) or when it expires unconfirmed, 7 days after the request.
  ``state``: ``queued`` (a confirmation is to be sent), ``sending`` (handed to the SMTP server,
  not yet known to be accepted: never sent again automatically), ``sent``.
  Version 7 adds ``measurement``: the request's « Mesure des ouvertures et des clics : oui »
  line as written ('' when it had none), so that confirming also records the consent to
  measurement, with that line in its proof.
* ``mailbox_checks``: per mailbox, when it was last checked and how it went (counts as JSON,
  or the failure's kind and detail), worded when shown.
"""

from __future__ import annotations

import sqlite3

REQUEST_STATES = ("queued", "sending", "sent")


def _v5(conn: sqlite3.Connection) -> None:
    """Subscription requests waiting for their confirmation, and each mailbox's last check."""
    states = ", ".join(f"'{s}'" for s in REQUEST_STATES)
    statements = [
        f"""CREATE TABLE subscription_requests (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL DEFAULT '',
            list_name TEXT NOT NULL DEFAULT '',
            mailbox TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT 'en',
            token TEXT NOT NULL UNIQUE,
            request_message_id TEXT NOT NULL DEFAULT '',
            request_date TEXT,
            requested_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ({states})),
            confirm_message_id TEXT NOT NULL DEFAULT '',
            confirm_sent_at TEXT,
            confirm_wording TEXT NOT NULL DEFAULT '',
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT NOT NULL DEFAULT '',
            expires_at TEXT NOT NULL
        )""",
        "CREATE INDEX subscription_requests_queue ON subscription_requests (state, mailbox, id)",
        "CREATE INDEX subscription_requests_expiry ON subscription_requests (expires_at)",
        "CREATE INDEX subscription_requests_confirm ON subscription_requests (confirm_message_id)",
        """CREATE TABLE mailbox_checks (
            mailbox TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'cancelled', 'failed')),
            counts TEXT NOT NULL DEFAULT '{}',
            error TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT ''
        ) WITHOUT ROWID""",
    ]
    for statement in statements:
        conn.execute(statement)


def _v7(conn: sqlite3.Connection) -> None:
    """A request's consent to measuring opens and clicks, remembered until it is confirmed."""
    conn.execute(
        "ALTER TABLE subscription_requests ADD COLUMN measurement TEXT NOT NULL DEFAULT ''"
    )
