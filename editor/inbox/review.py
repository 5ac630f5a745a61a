"""The review list: messages nobody could classify, kept (raw) for the user to decide.

The user reads one (:func:`raw_message`), then marks it as a bounce, a complaint or an
unsubscribe request — the same rules as :func:`~editor.inbox.process.process_message` apply,
to the contact the message names or to the address the user gives — or as not relevant, or
deletes it from the list. A decided message stays in ``inbox_messages`` with its new kind, so a
later sync does not bring it back.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal, get_args

from editor.contacts.db import transaction
from editor.contacts.model import iso_utc
from editor.contacts.store import ContactStore
from editor.inbox.classify import Classification, Kind, classify
from editor.inbox.dsn import Failure
from editor.inbox.process import INSERT_MESSAGE, Outcome, apply_classification, message_row

__all__ = [
    "MAX_REVIEW_BYTES",
    "Decision",
    "ReviewItem",
    "add_to_review",
    "delete",
    "mark",
    "raw_message",
    "review_count",
    "review_items",
]

#: Bytes of a message kept on the review list; enough to read any report, a 40 MB message
#: with attachments is cut (the mailbox still has it whole).
MAX_REVIEW_BYTES = 2 * 1024 * 1024

Decision = Literal["bounce", "complaint", "unsubscribe", "not_relevant"]
DECISIONS: tuple[Decision, ...] = get_args(Decision)


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One line of the review list (the raw message is read separately)."""

    id: int
    key: str
    message_id: str
    date: str | None  # the message's Date, ISO UTC
    sender: str
    subject: str
    source: str
    added_at: str
    size: int  # bytes kept


def add_to_review(
    conn: sqlite3.Connection,
    key: str,
    raw: bytes,
    found: Classification,
    *,
    source: str = "",
    now: datetime | None = None,
) -> None:
    """Put a message on the list (in the caller's transaction); once per key."""
    conn.execute(
        "INSERT INTO inbox_review (key, message_id, date, sender, subject, source, added_at, raw)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        (
            key,
            found.message_id,
            iso_utc(found.date) if found.date else None,
            found.sender,
            found.subject,
            source,
            iso_utc(now or datetime.now(UTC)),
            raw[:MAX_REVIEW_BYTES],
        ),
    )


def review_items(store: ContactStore, *, offset: int = 0, limit: int = -1) -> list[ReviewItem]:
    """The list, oldest first."""
    rows = store.connection.execute(
        "SELECT id, key, message_id, date, sender, subject, source, added_at, length(raw)"
        " FROM inbox_review ORDER BY id LIMIT ? OFFSET ?",
        (limit, offset),
    ).fetchall()
    return [ReviewItem(*row) for row in rows]


def review_count(store: ContactStore) -> int:
    return int(store.connection.execute("SELECT count(*) FROM inbox_review").fetchone()[0])


def raw_message(store: ContactStore, item_id: int) -> bytes | None:
    """The message as received (cut at :data:`MAX_REVIEW_BYTES`), None if not on the list."""
    row = store.connection.execute(
        "SELECT raw FROM inbox_review WHERE id = ?", (item_id,)
    ).fetchone()
    return bytes(row[0]) if row else None


def mark(
    store: ContactStore,
    item_id: int,
    decision: Decision,
    *,
    email: str | None = None,
    now: datetime | None = None,
    source: str = "",
) -> Outcome | None:
    """Decide about one message; None if it is not on the list.

    ``bounce`` (permanent), ``complaint`` and ``unsubscribe`` apply the rules to ``email`` when
    given (only if it is a contact), else to the contact the message names (our Message-ID or
    token in it, the failed or complaining address, the sender for an unsubscribe request).
    When that finds no contact the message stays on the list (``outcome.contact_id`` is None)
    so the user can name the address. ``not_relevant`` takes it off the list, changing nothing.
    """
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision: {decision!r}")
    moment = now or datetime.now(UTC)
    conn = store.connection
    with transaction(conn):
        row = conn.execute("SELECT key, raw FROM inbox_review WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            return None
        key, raw = str(row[0]), bytes(row[1])
        found = classify(raw)
        if decision == "not_relevant":
            outcome = Outcome(kind=found.kind, key=key, result="not relevant")
            _decided(conn, item_id, outcome, found, moment, source)
            return outcome
        kind: Kind = decision
        if decision == "bounce":
            # The user says it bounced for good: every failure found is permanent.
            found = replace(found, failures=tuple(Failure(f.address, True) for f in found.failures))
        if decision in ("complaint", "unsubscribe") and not found.recipients and found.sender:
            found = replace(found, recipients=(found.sender,))
        found = replace(found, kind=kind)
        outcome = apply_classification(store, found, key, now=moment, source=source, email=email)
        if outcome.contact_id is not None:
            _decided(conn, item_id, outcome, found, moment, source)
        return outcome


def delete(store: ContactStore, item_id: int) -> bool:
    """Take a message off the list without deciding (it stays known, a sync skips it)."""
    with transaction(store.connection) as conn:
        return conn.execute("DELETE FROM inbox_review WHERE id = ?", (item_id,)).rowcount > 0


def _decided(
    conn: sqlite3.Connection,
    item_id: int,
    outcome: Outcome,
    found: Classification,
    now: datetime,
    source: str,
) -> None:
    conn.execute("DELETE FROM inbox_review WHERE id = ?", (item_id,))
    conn.execute(
        INSERT_MESSAGE + " ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, contact_id ="
        " excluded.contact_id, campaign_id = excluded.campaign_id, delivery_id ="
        " excluded.delivery_id, processed_at = excluded.processed_at, result = excluded.result",
        message_row(outcome, found, now, source, "decided: " + (outcome.result or "")),
    )
