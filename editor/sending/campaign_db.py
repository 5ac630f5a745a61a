"""The sending tables of the profile database: campaigns, their deliveries and delivery events.

Appended as schema version 3 to :data:`editor.contacts.db.MIGRATIONS` (never edited once
shipped). A campaign keeps its frozen newsletter as a BLOB, so what is sent on resume is what
was summarised and confirmed, whatever happens to the ``.bulletin`` file afterwards.

One row per recipient in ``deliveries`` is the persistent queue: ``queued`` → ``sending`` →
``sent`` | ``failed`` | ``unknown``, plus ``skipped`` rows (with ``skip_reason``) for the people
the audience left out, so counts and the per-recipient report come from one table. A delivery
keeps a snapshot of the merge values taken when the campaign was created: editing a contact
during a long campaign does not give half the list other values. ``account`` is copied onto each
delivery so the quotas count ``sent_at`` per account with one index, over all campaigns.
"""

from __future__ import annotations

import sqlite3

CAMPAIGN_STATES = ("draft", "scheduled", "sending", "paused", "done", "cancelled", "waiting")
DELIVERY_STATES = ("queued", "sending", "sent", "failed", "unknown", "skipped")


def _v3(conn: sqlite3.Connection) -> None:
    """Campaigns, deliveries and delivery events (issue 9)."""
    states = ", ".join(f"'{s}'" for s in CAMPAIGN_STATES)
    delivery_states = ", ".join(f"'{s}'" for s in DELIVERY_STATES)
    statements = [
        f"""CREATE TABLE campaigns (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid TEXT NOT NULL UNIQUE,
            subject TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ({states})),
            pause_reason TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            scheduled_at TEXT,
            started_at TEXT,
            finished_at TEXT,
            account TEXT NOT NULL,
            lists TEXT NOT NULL DEFAULT '[]',
            frozen BLOB NOT NULL,
            document TEXT NOT NULL DEFAULT '',
            spread INTEGER NOT NULL DEFAULT 1
        )""",
        "CREATE INDEX campaigns_due ON campaigns (status, scheduled_at)",
        f"""CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
            contact_id INTEGER,
            account TEXT NOT NULL,
            email TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            merge TEXT NOT NULL DEFAULT '{{}}',
            token TEXT UNIQUE,
            message_id TEXT UNIQUE,
            state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ({delivery_states})),
            skip_reason TEXT NOT NULL DEFAULT '',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            smtp_code INTEGER,
            smtp_reply TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            sent_at TEXT
        )""",
        "CREATE INDEX deliveries_state ON deliveries (campaign_id, state, id)",
        "CREATE INDEX deliveries_sent ON deliveries (account, sent_at) WHERE sent_at IS NOT NULL",
        "CREATE INDEX deliveries_contact ON deliveries (contact_id)",
        """CREATE TABLE delivery_events (
            id INTEGER PRIMARY KEY,
            delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX delivery_events_delivery ON delivery_events (delivery_id, id)",
    ]
    for statement in statements:
        conn.execute(statement)
