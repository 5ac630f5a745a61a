"""Feeding raw messages to :func:`editor.inbox.process.process_message`, a batch at a time.

The IMAP sync and the mbox/maildir import both read messages in batches (bounded memory) and
process each batch in ONE database transaction, together with whatever records how far they got
(the sync's last UID): after a crash, either the batch and its bookmark are both stored, or
neither is, and the next run starts again at the same message. A cancel request is honoured
between messages; what was processed until then is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from editor.contacts.store import ContactStore
    from editor.inbox.process import Tally
    from editor.inbox.subscriptions import SubscribeSettings

MAX_MESSAGE_BYTES = 2 * 1024 * 1024  # read of one message: headers, reports and quoted headers
BATCH_MESSAGES = 200
BATCH_BYTES = 16 * 1024 * 1024

#: ``progress(done, total)``: messages processed so far, and the total known so far.
Progress = Callable[[int, int], None]
#: Asked between messages: True stops the work (what is done stays done).
Cancelled = Callable[[], bool]

Key = TypeVar("Key")


def process_batch(
    store: ContactStore,
    messages: Iterable[tuple[Key, bytes]],
    tally: Tally,
    *,
    source: str,
    now: datetime | None = None,
    cancelled: Cancelled | None = None,
    bookmark: Callable[[list[Key]], None] | None = None,
    subscriptions: SubscribeSettings | None = None,
) -> tuple[list[Key], bool]:
    """Process ``messages`` (key, raw) in one transaction; ``bookmark(done_keys)`` runs last,
    inside it. Returns the keys processed and whether a cancel stopped it. Expired
    subscription requests are purged first (``subscriptions``: the mailbox's settings)."""
    from editor.inbox.process import process_message
    from editor.inbox.subscriptions import purge_expired
    from editor.sending.campaigns import CampaignStore

    campaigns = CampaignStore(store.db)
    done: list[Key] = []
    stopped = False
    with store.db.transaction() as conn:
        purge_expired(conn, now or datetime.now(UTC))
        for key, raw in messages:
            if cancelled is not None and cancelled():
                stopped = True
                break
            outcome = process_message(
                store,
                raw,
                now=now,
                source=source,
                campaigns=campaigns,
                subscriptions=subscriptions,
            )
            tally.add(outcome)
            done.append(key)
        if bookmark is not None:
            bookmark(done)
    return done, stopped
