"""A profile with contacts and one campaign « sent » to them: each delivery has the Message-ID
and token the runner would have given it, so reports can be tied back to the send log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from editor.contacts.store import ContactStore
from editor.sending.campaigns import CampaignStore
from editor.sending.message import make_message_id
from tests.sending.campaign_support import frozen, profile

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
READERS = [
    "alice@example.net",
    "bruno@example.net",
    "chloe@example.net",
    "denis@example.net",
    "emma@example.net",
    "farid@example.net",
    "gina@example.net",
]


@dataclass(frozen=True)
class Sent:
    """One delivery of the campaign: who, its Message-ID and unsubscribe token."""

    email: str
    contact_id: int
    delivery_id: int
    message_id: str
    token: str


def sent_campaign(path: Path, emails: list[str] = READERS) -> tuple[ContactStore, dict[str, Sent]]:
    """A store whose « Readers » list got one campaign: every delivery ``sent``."""
    store = profile(path, {"Readers": emails})
    campaigns = CampaignStore(store.db)
    campaign = campaigns.create(frozen(), lists=["Readers"], account="local", scheduled_at=None)
    sent: dict[str, Sent] = {}
    rows = store.connection.execute(
        "SELECT id, contact_id, email, token FROM deliveries WHERE campaign_id = ?",
        (campaign.id,),
    ).fetchall()
    with store.db.transaction() as conn:
        for delivery_id, contact_id, email, token in rows:
            message_id = make_message_id(campaign.uid, delivery_id, "example.org")
            conn.execute(
                "UPDATE deliveries SET state = 'sent', message_id = ?, sent_at = ? WHERE id = ?",
                (message_id, "2026-03-02T09:00:00Z", delivery_id),
            )
            sent[email] = Sent(email, contact_id, delivery_id, message_id, token)
    return store, sent


def statuses(store: ContactStore) -> dict[str, str]:
    """Every contact's status, by address."""
    rows = store.connection.execute("SELECT email, status FROM contacts").fetchall()
    return {email: status for email, status in rows}
