"""Acting on what comes back: :func:`process_message` ties a classified message to a contact
(and campaign) and applies the rules of issue 11.

Rules, in one transaction per message:

* permanent failure → a subscribed contact becomes ``bounced`` at once;
* temporary failure → recorded in ``soft_bounces``; the contact becomes ``bounced`` only after
  :data:`SOFT_LIMIT` of them in a row spread over at least :data:`SOFT_SPAN` (several notices
  about the same delivery count once; a resubscription starts the count again);
* complaint → ``complained`` (whatever the status was: it is the strongest signal);
* unsubscribe → ``unsubscribed``: the token's contact first, else the From address if it is a
  contact;
* automatic reply, backscatter → counted, nothing changed; unrecognised → the review list;
* subscription request → a confirmation is queued when the mailbox accepts subscriptions (else
  the review list); reply to a confirmation → the person is subscribed
  (:mod:`editor.inbox.subscriptions`). Both count in ``processed`` only.

Only contacts are ever changed; an address that is not a contact is left alone. Bounces and
unsubscriptions change only subscribed contacts (an unsubscribed person stays unsubscribed: their
own choice is the better record). Each change goes through
:meth:`~editor.contacts.store.ContactStore.set_status`, which writes the history and the
suppression list in the same transaction; the reason quotes the message's Date and Message-ID as
proof. A message is remembered by its Message-ID (or a hash of its bytes), so processing it again
changes nothing.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, cast

from editor.contacts.db import transaction
from editor.contacts.keys import email_key
from editor.contacts.model import iso_utc
from editor.contacts.store import ContactStore
from editor.i18n import _, ngettext
from editor.inbox.classify import Classification, Kind, classify, message_key
from editor.inbox.dsn import Failure
from editor.sending.campaigns import CampaignStore, DeliveryRef

if TYPE_CHECKING:
    from editor.inbox.subscriptions import SubscribeSettings

__all__ = [
    "SOFT_LIMIT",
    "SOFT_SPAN",
    "Change",
    "Outcome",
    "Tally",
    "apply_classification",
    "process_message",
]

SOFT_LIMIT = 3  # temporary failures in a row before an address counts as bounced
SOFT_SPAN = timedelta(days=7)  # … spread over at least this long
MAX_FUTURE = timedelta(days=1)  # a message dated later than this after now: its date is not used

#: The Tally's JSON key of each kind (``subscribe`` and ``confirm`` count in ``processed``
#: only: the JSON keys are a contract).
TALLY_KEYS: dict[str, str] = {
    "bounce": "bounces",
    "soft_bounce": "soft_bounces",
    "complaint": "complaints",
    "unsubscribe": "unsubscribes",
    "auto_reply": "auto_replies",
    "backscatter": "backscatter",
    "unrecognised": "unrecognised",
}


@dataclass(frozen=True, slots=True)
class Change:
    """A contact whose status changed: address, new status, the reason written in history."""

    email: str
    status: str
    reason: str


@dataclass(slots=True)
class Outcome:
    """What processing one message did.

    ``changed``: the status changes made (empty for a message already processed).
    ``duplicate``: the message had been processed before; nothing was done.
    ``reviewed``: it went to the review list. ``result``: a short English word for logs
    (``changed``, ``counted``, ``not a contact``, ``review``, ``already processed``…).
    """

    kind: Kind
    key: str
    changed: list[Change] = field(default_factory=list)
    contact_id: int | None = None
    campaign_id: int | None = None
    delivery_id: int | None = None
    duplicate: bool = False
    reviewed: bool = False
    result: str = ""
    classification: Classification | None = None


@dataclass(slots=True)
class Tally:
    """Outcomes added up into the ``inbox sync --json`` / ``inbox import --json`` shape.

    Every message counts in ``processed`` and in its kind's key (a message seen before counts
    under the kind it got then, with no change); ``changed`` lists each status change.
    """

    processed: int = 0
    bounces: int = 0
    soft_bounces: int = 0
    complaints: int = 0
    unsubscribes: int = 0
    auto_replies: int = 0
    backscatter: int = 0
    unrecognised: int = 0
    changed: list[Change] = field(default_factory=list)
    already_processed: int = 0  # not in the JSON: messages seen in an earlier run

    def add(self, outcome: Outcome) -> None:
        self.processed += 1
        key = TALLY_KEYS.get(outcome.kind)
        if key is not None:
            setattr(self, key, getattr(self, key) + 1)
        self.already_processed += outcome.duplicate
        self.changed.extend(outcome.changed)

    def to_json(self) -> dict[str, object]:
        """The JSON object of the CLI contract (a dict ready for ``json.dumps``)."""
        return {
            "processed": self.processed,
            "bounces": self.bounces,
            "soft_bounces": self.soft_bounces,
            "complaints": self.complaints,
            "unsubscribes": self.unsubscribes,
            "auto_replies": self.auto_replies,
            "backscatter": self.backscatter,
            "unrecognised": self.unrecognised,
            "changed": [
                {"email": c.email, "status": c.status, "reason": c.reason} for c in self.changed
            ],
        }


def process_message(
    store: ContactStore,
    raw: bytes,
    *,
    now: datetime | None = None,
    source: str = "",
    campaigns: CampaignStore | None = None,
    subscriptions: SubscribeSettings | None = None,
) -> Outcome:
    """Classify ``raw``, act on it and remember it (see the module doc).

    ``now``: the clock (UTC-aware; tests inject it). ``source``: where the message came from,
    as the history shows it (« mailbox "Newsletter" », « file bounces.mbox »).
    ``campaigns``: a :class:`CampaignStore` to reuse over many messages. ``subscriptions``:
    what the mailbox says about subscription requests (None: they go to the review list).
    """
    from editor.inbox import subscriptions as subs
    from editor.inbox.review import add_to_review

    moment = now or datetime.now(UTC)
    found = classify(raw)
    key = message_key(raw, found.message_id)
    conn = store.connection
    with transaction(conn):
        seen = conn.execute("SELECT kind FROM inbox_messages WHERE key = ?", (key,)).fetchone()
        if seen is not None:
            return Outcome(
                kind=cast(Kind, seen[0]),
                key=key,
                duplicate=True,
                result="already processed",
                classification=found,
            )
        accepted = subscriptions is not None and subscriptions.accept
        if found.kind == "unrecognised" or (found.kind == "subscribe" and not accepted):
            outcome = Outcome(kind=found.kind, key=key, classification=found)
            add_to_review(conn, key, raw, found, source=source, now=moment)
            outcome.reviewed, outcome.result = True, "review"
        elif found.kind == "subscribe" and subscriptions is not None:
            outcome = Outcome(kind=found.kind, key=key, classification=found)
            subs.handle_request(store, found, outcome, now=moment, settings=subscriptions)
        elif found.kind == "confirm":
            outcome = Outcome(kind=found.kind, key=key, classification=found)
            subs.purge_expired(conn, moment)
            subs.handle_confirmation(store, found, outcome, now=moment, source=source)
        else:
            outcome = apply_classification(
                store, found, key, now=moment, source=source, campaigns=campaigns
            )
        _remember(conn, outcome, found, moment, source)
        return outcome


def apply_classification(
    store: ContactStore,
    found: Classification,
    key: str,
    *,
    now: datetime,
    source: str = "",
    campaigns: CampaignStore | None = None,
    email: str | None = None,
) -> Outcome:
    """Apply the rules for ``found`` (its ``kind`` decides); ``email``: the contact the user
    named from the review list, instead of the one the message names. Runs in the caller's
    transaction; does not write ``inbox_messages``."""
    campaigns = campaigns or CampaignStore(store.db)
    source = source or _("inbox")
    delivery = _delivery(campaigns, found)
    kind: Kind = found.kind
    if kind == "backscatter" and delivery is not None:
        kind = found.failure_kind  # the send log knows the quoted Message-ID: ours after all
    outcome = Outcome(
        kind=kind,
        key=key,
        campaign_id=delivery.campaign_id if delivery else None,
        delivery_id=delivery.delivery_id if delivery else None,
        classification=found,
    )
    if kind in ("auto_reply", "backscatter", "unrecognised", "subscribe", "confirm"):
        outcome.result = "counted"
        return outcome
    targets = _targets(store, found, kind, delivery, email)
    if not targets:
        outcome.result = "not a contact"
        return outcome
    stamp = iso_utc(now)
    for contact_id, address, failure in targets:
        outcome.contact_id = outcome.contact_id or contact_id
        change = _apply_rule(store, found, kind, contact_id, address, failure, delivery, key, now)
        if change is None:
            continue
        status, reason = change
        if store.set_status([contact_id], status, reason, source, now=stamp):
            outcome.changed.append(Change(address, status, reason))
            if status == "bounced":
                store.connection.execute(
                    "DELETE FROM soft_bounces WHERE contact_id = ?", (contact_id,)
                )
    outcome.result = "changed" if outcome.changed else "counted"
    return outcome


# ------------------------------------------------------------------------------- resolution


def _delivery(campaigns: CampaignStore, found: Classification) -> DeliveryRef | None:
    """Our delivery the message is about: by the original's Message-ID, else by token."""
    if found.original_message_id:
        delivery = campaigns.delivery_by_message_id(found.original_message_id)
        if delivery is not None:
            return delivery
    if found.token:
        return campaigns.delivery_by_token(found.token)
    return None


Target = tuple[int, str, Failure | None]  # contact id, its address, the failure about it


def _targets(
    store: ContactStore,
    found: Classification,
    kind: Kind,
    delivery: DeliveryRef | None,
    email: str | None,
) -> list[Target]:
    """The contacts to act on: never an address that is not a contact."""
    failures = found.failures
    if email is not None:
        contact = store.get(email)
        failure = _failure_for(failures, email)
        return [(contact.id, contact.email, failure)] if contact else []
    if delivery is not None and delivery.contact_id is not None:
        contact = store.get_by_id(delivery.contact_id)
        same_address = contact is not None and email_key(contact.email) == email_key(delivery.email)
        # A bounce is about the address we sent to: a contact who changed address since is
        # left alone (the old address is matched below only if it is someone's now).
        if contact is not None and (same_address or kind in ("complaint", "unsubscribe")):
            return [(contact.id, contact.email, _failure_for(failures, delivery.email))]
        if kind in ("bounce", "soft_bounce"):
            failures = failures or (Failure(delivery.email, kind == "bounce"),)
    targets: list[Target] = []
    if kind in ("bounce", "soft_bounce"):
        for failure in failures:
            contact = store.get(failure.address)
            if contact is not None and all(t[0] != contact.id for t in targets):
                targets.append((contact.id, contact.email, failure))
    elif kind in ("complaint", "unsubscribe"):
        for address in found.recipients:
            contact = store.get(address)
            if contact is not None and all(t[0] != contact.id for t in targets):
                targets.append((contact.id, contact.email, None))
    return targets


def _failure_for(failures: tuple[Failure, ...], address: str) -> Failure | None:
    """The failure about ``address``; else the most severe (the Message-ID proved which
    delivery it is, the MTA may name a forwarding address)."""
    wanted = address.strip().lower()
    for failure in failures:
        if failure.address.lower() == wanted:
            return failure
    return next((f for f in failures if f.permanent), failures[0] if failures else None)


# ------------------------------------------------------------------------------------ rules


def _apply_rule(
    store: ContactStore,
    found: Classification,
    kind: Kind,
    contact_id: int,
    address: str,
    failure: Failure | None,
    delivery: DeliveryRef | None,
    key: str,
    now: datetime,
) -> tuple[str, str] | None:
    """``(new status, reason)`` for this contact, or None when nothing changes."""
    contact = store.get_by_id(contact_id)
    if contact is None:
        return None
    proof = _proof(found)
    if kind == "complaint":
        if contact.status == "complained":
            return None
        return "complained", _("Spam complaint ({proof})").format(proof=proof)
    if contact.status != "subscribed":
        return None
    if kind == "unsubscribe":
        if found.token and delivery is not None:
            text = _("Unsubscribed by email with their personal link ({proof})")
        else:
            text = _("Unsubscribed by email from their address ({proof})")
        return "unsubscribed", text.format(proof=proof)
    if kind == "bounce" and (failure is None or failure.permanent):
        return "bounced", _("Permanent delivery failure{why} ({proof})").format(
            why=_why(failure), proof=proof
        )
    if kind in ("bounce", "soft_bounce"):
        return _soft_bounce(store, found, contact_id, failure, delivery, key, now, proof)
    return None


def _soft_bounce(
    store: ContactStore,
    found: Classification,
    contact_id: int,
    failure: Failure | None,
    delivery: DeliveryRef | None,
    key: str,
    now: datetime,
    proof: str,
) -> tuple[str, str] | None:
    """Record a temporary failure; ``bounced`` once :data:`SOFT_LIMIT` of them in a row span
    at least :data:`SOFT_SPAN`."""
    conn = store.connection
    at = _when(found, now)
    conn.execute(
        "INSERT INTO soft_bounces (contact_id, delivery_id, campaign_id, message_key, at,"
        " status, diagnostic) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            contact_id,
            delivery.delivery_id if delivery else None,
            delivery.campaign_id if delivery else None,
            key,
            iso_utc(at),
            failure.status if failure else found.status,
            failure.diagnostic if failure else found.diagnostic,
        ),
    )
    count, first, last = _streak(conn, contact_id)
    if count < SOFT_LIMIT or first is None or last is None:
        return None
    span = datetime.fromisoformat(last) - datetime.fromisoformat(first)
    if span < SOFT_SPAN:
        return None
    days = max(span.days, 1)
    text = ngettext(
        "{count} temporary delivery failures in a row over {days} day{why} ({proof})",
        "{count} temporary delivery failures in a row over {days} days{why} ({proof})",
        days,
    )
    return "bounced", text.format(count=count, days=days, why=_why(failure), proof=proof)


def _streak(conn: sqlite3.Connection, contact_id: int) -> tuple[int, str | None, str | None]:
    """``(count, first, last)`` of the contact's temporary failures since it last became
    subscribed, one per delivery (or per message when no delivery is known)."""
    since = conn.execute(
        "SELECT max(at) FROM events WHERE contact_id = ? AND kind = 'status'"
        " AND new = 'subscribed'",
        (contact_id,),
    ).fetchone()[0]
    row = conn.execute(
        "SELECT count(DISTINCT coalesce('d' || delivery_id, message_key)), min(at), max(at)"
        " FROM soft_bounces WHERE contact_id = ? AND at >= ?",
        (contact_id, since or ""),
    ).fetchone()
    return int(row[0]), row[1], row[2]


def _when(found: Classification, now: datetime) -> datetime:
    """The message's own date, unless missing or implausibly in the future: then now."""
    if found.date is not None and found.date <= now + MAX_FUTURE:
        return found.date
    return now


def _why(failure: Failure | None) -> str:
    """`` (5.1.1: user unknown)`` or ''."""
    if failure is None:
        return ""
    parts = [p for p in (failure.status, failure.diagnostic) if p]
    return f" ({': '.join(parts)})" if parts else ""


def _proof(found: Classification) -> str:
    """The message's date and Message-ID, as the history quotes them."""
    when = found.date.strftime("%Y-%m-%d %H:%M UTC") if found.date else _("undated")
    if found.message_id:
        return _("message of {date}, Message-ID {message_id}").format(
            date=when, message_id=found.message_id
        )
    return _("message of {date}, without Message-ID").format(date=when)


INSERT_MESSAGE = (
    "INSERT INTO inbox_messages (key, kind, contact_id, campaign_id, delivery_id,"
    " message_id, date, processed_at, source, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def message_row(
    outcome: Outcome, found: Classification, now: datetime, source: str, result: str
) -> tuple[object, ...]:
    """The values of :data:`INSERT_MESSAGE` for a processed (or reviewed) message."""
    return (
        outcome.key,
        "subscribe" if outcome.kind == "confirm" else outcome.kind,  # schema 4's kinds
        outcome.contact_id,
        outcome.campaign_id,
        outcome.delivery_id,
        found.message_id,
        iso_utc(found.date) if found.date else None,
        iso_utc(now),
        source,
        result,
    )


def _remember(
    conn: sqlite3.Connection,
    outcome: Outcome,
    found: Classification,
    now: datetime,
    source: str,
) -> None:
    conn.execute(INSERT_MESSAGE, message_row(outcome, found, now, source, outcome.result))
