"""The measurement tables of the profile database (schema version 6, issue 11).

Appended to :data:`editor.contacts.db.MIGRATIONS`, never edited once shipped.

What is kept, and why no more (data minimisation, CNIL's position on email tracking pixels):

* ``tracking_consent``: a contact's consent to measurement, its date and proof, and the date
  it was withdrawn (kept as proof of when measuring stopped). Its own table, keyed by the
  contact, so the contacts table is untouched and erasing the contact removes it.
* ``tracking_campaigns``: whether a campaign was measured, decided once when it first runs (a
  resumed campaign keeps its decision), and through which endpoint.
* ``tracking_links``: the campaign's wrapped links by index, with their URL as written (merge
  tags as tags): the labels of the per-link counts. Nothing personal.
* ``tracking_deliveries``: the random measurement token of each consenting recipient's
  delivery. The token, never the address or the unsubscribe token, goes into the pixel and
  the links, so the user's endpoint only ever sees random strings.
* ``tracking_hits``: per measured delivery, one row per kind (``open``, or ``click`` on link
  N): the first hour it happened and how many times. That is exactly what unique opens,
  unique clicks and clicks per link need; no IP address, no user agent, no exact time.

Erasure: ``tracking_consent`` and ``tracking_deliveries`` reference the contact ``ON DELETE
CASCADE`` and ``tracking_hits`` references ``tracking_deliveries`` the same way, so deleting a
contact (:mod:`editor.contacts.erase`) removes every measurement row about them in the same
statement; the endpoint's log only holds tokens nobody can tie to them any more.
"""

from __future__ import annotations

import sqlite3


def _v6(conn: sqlite3.Connection) -> None:
    """Consent to measurement and the events read back from the user's endpoint."""
    statements = [
        """CREATE TABLE tracking_consent (
            contact_id INTEGER PRIMARY KEY REFERENCES contacts (id) ON DELETE CASCADE,
            given_at TEXT NOT NULL,
            proof TEXT NOT NULL DEFAULT '',
            withdrawn_at TEXT
        )""",
        """CREATE TABLE tracking_campaigns (
            campaign_id INTEGER PRIMARY KEY REFERENCES campaigns (id) ON DELETE CASCADE,
            measured INTEGER NOT NULL CHECK (measured IN (0, 1)),
            endpoint TEXT NOT NULL DEFAULT '',
            decided_at TEXT NOT NULL
        )""",
        """CREATE TABLE tracking_links (
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
            link INTEGER NOT NULL,
            url TEXT NOT NULL,
            PRIMARY KEY (campaign_id, link)
        ) WITHOUT ROWID""",
        """CREATE TABLE tracking_deliveries (
            delivery_id INTEGER PRIMARY KEY REFERENCES deliveries (id) ON DELETE CASCADE,
            campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
            contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
            token TEXT NOT NULL UNIQUE
        )""",
        "CREATE INDEX tracking_deliveries_campaign ON tracking_deliveries (campaign_id)",
        "CREATE INDEX tracking_deliveries_contact ON tracking_deliveries (contact_id)",
        """CREATE TABLE tracking_hits (
            delivery_id INTEGER NOT NULL
                REFERENCES tracking_deliveries (delivery_id) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (kind IN ('open', 'click')),
            link INTEGER NOT NULL DEFAULT -1,
            first_at TEXT NOT NULL,
            hits INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (delivery_id, kind, link)
        ) WITHOUT ROWID""",
        """CREATE TABLE tracking_cursor (
            endpoint TEXT PRIMARY KEY,
            cursor INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID""",
    ]
    for statement in statements:
        conn.execute(statement)
