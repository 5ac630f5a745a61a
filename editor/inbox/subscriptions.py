"""Subscriptions by email with double opt-in, and no web server (issue 11).

A request (a message to ``local+subscribe@domain``, see :mod:`editor.inbox.classify`) creates a
pending request and queues a confirmation email (:mod:`editor.inbox.confirm_send` sends it after
the sync, through the mailbox's sending account). Replying to the confirmation subscribes the
person: the contact is created or resubscribed (an unsubscribed person confirming again gives
new consent), with the lawful basis « consent » whose proof is the confirmation's date,
Message-ID and exact wording (and the reply's), joins the list the mailbox names, and the
history says so. The request row is then deleted: the proof lives with the contact.

Anti-abuse, because anyone can write a request with someone else's address in From: at most
one confirmation per address per :data:`RESEND_AFTER`; none to an address suppressed after a
spam complaint; none to a contact already subscribed; at most :data:`MAX_QUEUED` requests
waiting per mailbox, and :data:`~editor.inbox.confirm_send.MAX_PER_SYNC` confirmations per sync.
A confirmation only counts from the requested address itself, never from a program (see the
classifier), and only with the secret token or the confirmation's Message-ID.

GDPR minimisation: an unconfirmed request is deleted :data:`EXPIRY` after it was made
(:func:`purge_expired`, run by every sync and import); only a first name given in the request
is kept, not the display name.

Measurement: a request carrying the signup form's « Mesure des ouvertures et des clics : oui »
line (:func:`~editor.inbox.subscribe_mail.measurement_line`) keeps it; its confirmation says
so, and confirming then also records the consent to measuring opens and clicks
(:func:`editor.tracking.consent.give_ids`) with its own proof. A request without the line, or a
confirmation whose wording did not state it, records none.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from editor.contacts.keys import email_key
from editor.contacts.model import Basis, ContactError, ContactInput, iso_utc
from editor.i18n import _, language
from editor.inbox.subscribe_mail import (
    LANGUAGES,
    asks_measurement_only,
    new_token,
    one_line,
    states_measurement,
)
from editor.tracking.consent import record as consent_record

if TYPE_CHECKING:
    from editor.contacts.store import ContactStore
    from editor.inbox.classify import Classification
    from editor.inbox.mailboxes import Mailbox
    from editor.inbox.process import Outcome

__all__ = [
    "EXPIRY",
    "MAX_QUEUED",
    "RESEND_AFTER",
    "PendingRequest",
    "SubscribeSettings",
    "handle_confirmation",
    "handle_request",
    "measurement_proof",
    "pending_requests",
    "purge_expired",
]

EXPIRY = timedelta(days=7)  # an unconfirmed request is deleted after this
RESEND_AFTER = timedelta(hours=24)  # one confirmation per address per this long at most
MAX_QUEUED = 200  # requests waiting for their confirmation, per mailbox
MAX_FUTURE = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class SubscribeSettings:
    """What a mailbox says about requests arriving in it (from its settings).

    ``accept``: requests get a confirmation (else they go to the review list, as before);
    ``list_name``: the list new subscribers join; ``language``: ``auto`` (the request's wording,
    else the app's language), ``fr`` or ``en``.
    """

    mailbox: str
    accept: bool = False
    list_name: str = ""
    language: str = "auto"

    @classmethod
    def of(cls, mailbox: Mailbox) -> SubscribeSettings:
        return cls(
            mailbox.name,
            mailbox.accept_subscriptions,
            mailbox.subscribe_list,
            mailbox.subscribe_language,
        )

    def language_for(self, found: Classification) -> str:
        if self.language in LANGUAGES:
            return self.language
        if found.language in LANGUAGES:
            return found.language
        return language() if language() in LANGUAGES else "en"


@dataclass(frozen=True, slots=True)
class PendingRequest:
    """One request waiting for its confirmation (a row of ``subscription_requests``)."""

    id: int
    email: str
    name: str
    list_name: str
    mailbox: str
    language: str
    token: str
    request_message_id: str
    requested_at: str
    state: str
    confirm_message_id: str
    confirm_sent_at: str | None
    confirm_wording: str
    attempts: int
    last_error: str
    expires_at: str
    request_date: str | None = None
    measurement: str = ""


_COLUMNS = (
    "id, email, name, list_name, mailbox, language, token, request_message_id, requested_at,"
    " state, confirm_message_id, confirm_sent_at, confirm_wording, attempts, last_error,"
    " expires_at, request_date, measurement"
)


def _request(conn: sqlite3.Connection, where: str, value: object) -> PendingRequest | None:
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM subscription_requests WHERE {where} = ?",  # noqa: S608
        (value,),
    ).fetchone()
    return PendingRequest(*row) if row else None


def pending_requests(store: ContactStore, mailbox: str | None = None) -> list[PendingRequest]:
    """Requests waiting (every mailbox's, or one's), oldest first."""
    sql = f"SELECT {_COLUMNS} FROM subscription_requests"  # noqa: S608
    args: tuple[object, ...] = ()
    if mailbox is not None:
        sql += " WHERE mailbox = ?"
        args = (mailbox,)
    return [PendingRequest(*row) for row in store.connection.execute(sql + " ORDER BY id", args)]


def purge_expired(conn: sqlite3.Connection, now: datetime) -> int:
    """Delete unconfirmed requests made more than :data:`EXPIRY` ago; how many went."""
    return conn.execute(
        "DELETE FROM subscription_requests WHERE expires_at <= ?", (iso_utc(now),)
    ).rowcount


def _valid_address(address: str) -> str:
    """The address if a confirmation can be sent to it (plain ASCII local part), else ''."""
    from editor.contacts.emails import validate_address

    address = address.strip()
    local = address.rpartition("@")[0]
    if not local.isascii() or len(address) > 254 or any(c in address for c in "\r\n\0 <>,;"):
        return ""
    return address if validate_address(address)[0] is not None else ""


def handle_request(
    store: ContactStore,
    found: Classification,
    outcome: Outcome,
    *,
    now: datetime,
    settings: SubscribeSettings,
) -> None:
    """Queue a confirmation for the request ``found`` (see the module doc for the limits);
    ``outcome.result`` says what was done. Runs in the caller's transaction."""
    conn = store.connection
    address = _valid_address(found.sender)
    if not address:
        outcome.result = "subscription request from an unusable address"
        return
    contact = store.get(address)
    outcome.contact_id = contact.id if contact else None
    if contact is not None and contact.status == "subscribed":
        if not found.measurement:
            outcome.result = "subscription request: already subscribed"
            return
        given = consent_record(store.db, address)
        if given is not None and given.active:
            outcome.result = "subscription request: already subscribed and measured"
            return
        # A subscriber asking to be measured: a confirmation about measurement alone.
    held = store.suppression_info(address)
    if held is not None and held[0] == "complained":
        outcome.result = "subscription request: address complained of spam, no confirmation"
        return
    key = email_key(address)
    stamp = iso_utc(now)
    expires = iso_utc(now + EXPIRY)
    lang = settings.language_for(found)
    request_date = iso_utc(found.date) if found.date and found.date <= now + MAX_FUTURE else None
    existing = _request(conn, "email_key", key)
    if existing is not None:
        if existing.state in ("queued", "sending"):
            outcome.result = "subscription request: confirmation already on its way"
            return
        last = existing.confirm_sent_at
        if last is not None and datetime.fromisoformat(last) > now - RESEND_AFTER:
            outcome.result = "subscription request: a confirmation was sent less than 24 h ago"
            return
        conn.execute(
            "UPDATE subscription_requests SET state = 'queued', name = ?, list_name = ?,"
            " mailbox = ?, language = ?, request_message_id = ?, request_date = ?,"
            " requested_at = ?, expires_at = ?, attempts = 0, last_error = '',"
            " measurement = ? WHERE id = ?",
            (
                found.name or existing.name,
                settings.list_name,
                settings.mailbox,
                lang,
                found.message_id,
                request_date,
                stamp,
                expires,
                found.measurement,  # the newest request's choice, stated by the new confirmation
                existing.id,
            ),
        )
        outcome.result = "subscription request: confirmation queued again"
        return
    waiting = conn.execute(
        "SELECT count(*) FROM subscription_requests WHERE mailbox = ? AND state = 'queued'",
        (settings.mailbox,),
    ).fetchone()[0]
    if waiting >= MAX_QUEUED:
        outcome.result = "subscription request: too many requests waiting, ignored"
        return
    conn.execute(
        "INSERT INTO subscription_requests (email, email_key, name, list_name, mailbox,"
        " language, token, request_message_id, request_date, requested_at, state, expires_at,"
        " measurement) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)",
        (
            address,
            key,
            found.name,
            settings.list_name,
            settings.mailbox,
            lang,
            new_token(),
            found.message_id,
            request_date,
            stamp,
            expires,
            found.measurement,
        ),
    )
    outcome.result = "subscription request: confirmation queued"


def _find(conn: sqlite3.Connection, found: Classification) -> PendingRequest | None:
    if found.token:
        request = _request(conn, "token", found.token)
        if request is not None:
            return request
    for message_id in found.references:
        request = _request(conn, "confirm_message_id", message_id)
        if request is not None:
            return request
    return None


def proof_text(request: PendingRequest, found: Classification, when: datetime) -> str:
    """The consent proof: the confirmation's date, Message-ID and exact wording, then the
    reply's date and Message-ID (in the language of the moment, as history reasons are)."""
    sent = request.confirm_sent_at or _("date unknown (the send was interrupted)")
    reply = found.message_id or _("without Message-ID")
    return _(
        "Confirmation email of {sent}, Message-ID {confirmation}, wording shown: « {wording} »;"
        " confirmed by the reply of {replied}, Message-ID {reply}"
    ).format(
        sent=sent,
        confirmation=request.confirm_message_id,
        wording=request.confirm_wording,
        replied=iso_utc(when),
        reply=reply,
    )


def _measurement_confirmed(request: PendingRequest, found: Classification) -> bool:
    """Whether this reply also consents to measurement: the request asked for it, and the
    confirmation replied to said so (the last one sent, whose wording is kept; a reply
    threaded to an earlier one, which may not have said so, does not count)."""
    if not request.measurement or not states_measurement(request.confirm_wording):
        return False
    return not found.references or request.confirm_message_id in found.references


def measurement_proof(request: PendingRequest, found: Classification, when: datetime) -> str:
    """The proof of the consent to measurement: the request's date, Message-ID and line as
    written, then the confirmation's Message-ID and the reply's, like :func:`proof_text`."""
    return _(
        "Asked for in the subscription request of {requested}, Message-ID {request}, by the "
        "line « {line} »; confirmed by the reply of {replied}, Message-ID {reply}, to the "
        "confirmation email {confirmation}, which stated it"
    ).format(
        requested=request.request_date or request.requested_at,
        request=request.request_message_id or _("without Message-ID"),
        line=request.measurement,
        replied=iso_utc(when),
        reply=found.message_id or _("without Message-ID"),
        confirmation=request.confirm_message_id,
    )


def handle_confirmation(
    store: ContactStore,
    found: Classification,
    outcome: Outcome,
    *,
    now: datetime,
    source: str,
) -> None:
    """Subscribe the person who replied to a confirmation, if it is theirs (see the module
    doc); ``outcome`` gets the change. Runs in the caller's transaction."""
    from editor.inbox.process import Change
    from editor.tracking.consent import give_ids

    conn = store.connection
    request = _find(conn, found)
    if request is None or not request.confirm_message_id:
        outcome.result = "confirmation: unknown or expired request"
        return
    if not found.sender or email_key(found.sender) != email_key(request.email):
        outcome.result = "confirmation: not from the requested address, ignored"
        return
    when = found.date if found.date is not None and found.date <= now + MAX_FUTURE else now
    contact = store.get(request.email)
    if asks_measurement_only(request.confirm_wording):
        # A subscriber asked about measurement alone: the subscription, its basis and lists
        # stay as they are, and a contact erased meanwhile is not brought back.
        if contact is not None and _measurement_confirmed(request, found):
            said = measurement_proof(request, found, when)
            give_ids(
                store.db, [contact.id], proof=said, now=iso_utc(when), source=source or _("email")
            )
            outcome.result = "confirmation: consent to measurement recorded"
        else:
            outcome.result = "confirmation: nothing to record"
        conn.execute("DELETE FROM subscription_requests WHERE id = ?", (request.id,))
        outcome.contact_id = contact.id if contact is not None else None
        return
    proof = proof_text(request, found, when)
    reason = _("Subscribed by email, confirmed by reply (double opt-in). {proof}").format(
        proof=one_line(proof, 4000)
    )
    measured = _measurement_confirmed(request, found)
    if measured:
        reason += " " + _("Consent to measuring opens and clicks recorded too.")
    where = source or _("email")
    basis = Basis(
        "consent",
        source=_("subscription by email ({source})").format(source=where),
        proof=proof,
        date=iso_utc(when),
    )
    stamp = iso_utc(now)
    list_id = store.list_id(request.list_name, create=True) if request.list_name else None
    contact = store.get(request.email)
    try:
        if contact is None:
            contact_id = store.add(
                ContactInput(request.email, first_name=request.name),
                basis,
                list_id,
                resubscribe=True,
                reason=reason,
                now=stamp,
            )
            outcome.changed.append(Change(request.email, "subscribed", reason))
        else:
            contact_id = contact.id
            if store.set_status([contact_id], "subscribed", reason, where, now=stamp):
                outcome.changed.append(Change(contact.email, "subscribed", reason))
            store.set_basis([contact_id], basis, now=stamp)
            if list_id is not None:
                store.add_to_list([contact_id], list_id, source=where, now=stamp)
    except ContactError:  # e.g. an address another contact took meanwhile: keep the request
        outcome.result = "confirmation: the contact could not be saved"
        return
    if measured:
        said = measurement_proof(request, found, when)
        give_ids(store.db, [contact_id], proof=said, now=iso_utc(when), source=where)
    conn.execute("DELETE FROM subscription_requests WHERE id = ?", (request.id,))
    outcome.contact_id = contact_id
    outcome.result = "confirmation: subscribed" if outcome.changed else "confirmation: recorded"
