"""Subscriptions by email, processed and sent: a request queues one confirmation, sent once
through the mailbox's account to a real SMTP server (aiosmtpd); the reply subscribes the person
with the proof; the limits (24 h, complaints, subscribed contacts, per sync) and the expiry."""

from __future__ import annotations

import email
from datetime import datetime, timedelta

from editor.contacts.model import Basis, ContactInput
from editor.contacts.store import ContactStore
from editor.inbox.confirm_send import MAX_PER_SYNC, SendReport, send_confirmations
from editor.inbox.mailboxes import Mailbox
from editor.inbox.process import Tally, process_message
from editor.inbox.review import review_count
from editor.inbox.subscriptions import EXPIRY, SubscribeSettings, pending_requests
from tests.inbox.subscribe_samples import out_of_office_reply, reply, request
from tests.inbox.support import NOW
from tests.sending.campaign_support import account
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]

MARIE = "marie@example.net"
SETTINGS = SubscribeSettings("News", accept=True, list_name="Readers", language="auto")


def mailbox(**changes: object) -> Mailbox:
    box = Mailbox(
        "News",
        "127.0.0.1",
        1143,
        "none",
        "news",
        account="local",
        accept_subscriptions=True,
        subscribe_list="Readers",
    )
    for key, value in changes.items():
        setattr(box, key, value)
    return box


def process(
    store: ContactStore, *raws: bytes, now: datetime = NOW, settings: SubscribeSettings = SETTINGS
) -> Tally:
    tally = Tally()
    for raw in raws:
        tally.add(process_message(store, raw, now=now, source="test", subscriptions=settings))
    return tally


def send(store: ContactStore, server: SmtpServer, now: datetime = NOW, **kw: object) -> SendReport:
    return send_confirmations(
        store,
        mailbox(),
        account=account(server.port),
        now=now,
        **kw,  # type: ignore[arg-type]
    )


def test_request_confirmation_reply_subscribes_with_the_proof(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    tally = process(store, request(f"Marie Curie <{MARIE}>"))
    assert tally.to_json()["processed"] == 1 and tally.changed == []
    assert all(v == 0 for k, v in tally.to_json().items() if k not in ("processed", "changed"))
    (pending,) = pending_requests(store)
    assert (pending.email, pending.name, pending.state, pending.language) == (
        MARIE,
        "Marie",
        "queued",
        "en",
    )
    assert store.get(MARIE) is None  # nothing before the confirmation

    report = send(store, smtp_server)
    assert report.sent == [MARIE] and report.waiting == 0 and report.problem == ""
    ((mail_from, rcpts, raw),) = smtp_server.wait_for_messages(1)
    assert (mail_from, rcpts) == ("bounces@example.org", [MARIE])
    msg = email.message_from_bytes(raw)
    assert msg["From"] == "Les Nouvelles <news@example.org>"
    assert msg["Reply-To"] == f"Les Nouvelles <news+confirm-{pending.token}@example.org>"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["In-Reply-To"] == "<req-1@mail.example.com>"
    assert msg["Message-ID"].startswith("<confirm.") and msg["Message-ID"].endswith("@example.org>")
    (sent,) = pending_requests(store)
    assert sent.state == "sent" and sent.confirm_message_id == msg["Message-ID"]
    assert "reply to this message" in sent.confirm_wording
    # A second send run sends nothing.
    assert send(store, smtp_server).sent == [] and len(smtp_server.messages) == 1

    later = NOW + timedelta(hours=1)
    tally = process(store, reply(raw, f"Marie <{MARIE}>"), now=later)
    assert tally.processed == 1 and tally.unsubscribes == 0
    (change,) = tally.changed
    assert (change.email, change.status) == (MARIE, "subscribed")
    assert msg["Message-ID"] in change.reason and "2026-03-05" in change.reason
    contact = store.get(MARIE)
    assert contact is not None and contact.status == "subscribed"
    assert contact.first_name == "Marie" and contact.lists == ["Readers"]
    assert contact.basis == "consent" and contact.basis_date == "2026-03-05T12:30:00Z"
    assert msg["Message-ID"] in contact.basis_proof
    assert sent.confirm_wording in contact.basis_proof  # the exact wording shown
    assert "<reply-1@mail.example.com>" in contact.basis_proof
    kinds = [e.kind for e in store.history(contact.id)]
    assert kinds[0] == "created"
    assert pending_requests(store) == []  # the request's data is gone: the proof is kept

    # The same reply again, or another one: nothing more.
    again = process(store, reply(raw, MARIE), now=later)
    assert again.changed == [] and again.already_processed == 1
    other = process(store, reply(raw, MARIE, message_id="<reply-2@x>"), now=later)
    assert other.changed == []


def test_replies_that_must_never_confirm(store: ContactStore, smtp_server: SmtpServer) -> None:
    process(store, request(MARIE))
    send(store, smtp_server)
    ((_f, _r, raw),) = smtp_server.wait_for_messages(1)
    later = NOW + timedelta(hours=2)
    tally = process(
        store,
        out_of_office_reply(raw, MARIE),  # her out-of-office answering the confirmation
        reply(raw, "someone.else@example.com", message_id="<r-other@x>"),  # not her address
        reply(raw, "MAILER-DAEMON@example.net", message_id="<r-daemon@x>"),
        now=later,
    )
    assert tally.processed == 3 and tally.auto_replies == 2 and tally.changed == []
    assert store.get(MARIE) is None and store.get("someone.else@example.com") is None
    assert [r.state for r in pending_requests(store)] == ["sent"]  # she still can confirm


def test_expired_requests_are_purged_and_cannot_be_confirmed(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    process(store, request(MARIE))
    send(store, smtp_server)
    ((_f, _r, raw),) = smtp_server.wait_for_messages(1)
    just_before = NOW + EXPIRY - timedelta(seconds=1)
    process(store, request("x@example.net", message_id="<x@x>"), now=just_before)
    assert len(pending_requests(store)) == 2
    after = NOW + EXPIRY + timedelta(seconds=1)
    tally = process(store, reply(raw, MARIE), now=after)  # the purge runs first
    assert tally.changed == [] and store.get(MARIE) is None
    assert [r.email for r in pending_requests(store)] == ["x@example.net"]
    assert store.connection.execute(
        "SELECT count(*) FROM subscription_requests WHERE email_key = ?", (MARIE,)
    ).fetchone() == (0,)


def test_one_confirmation_per_address_per_day(store: ContactStore, smtp_server: SmtpServer) -> None:
    process(store, request(MARIE))
    assert send(store, smtp_server).sent == [MARIE]
    (first,) = pending_requests(store)
    for hours, mid in ((1, "<r2@x>"), (23, "<r3@x>")):
        now = NOW + timedelta(hours=hours)
        process(store, request(MARIE, message_id=mid), now=now)
        assert send(store, smtp_server, now=now).sent == []
    assert len(smtp_server.messages) == 1
    now = NOW + timedelta(hours=25)
    process(store, request(MARIE, message_id="<r4@x>"), now=now)
    assert send(store, smtp_server, now=now).sent == [MARIE]
    assert len(smtp_server.wait_for_messages(2)) == 2
    (second,) = pending_requests(store)
    assert second.token == first.token  # the first confirmation's reply still works
    assert second.expires_at == "2026-03-13T13:00:00Z"  # 7 days from the new request


def test_complained_and_subscribed_addresses_get_nothing(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    store.suppress("angry@example.net", "complained")
    unsubscribed = "gone@example.net"
    store.add(ContactInput(unsubscribed), Basis("consent"))
    gone = store.get(unsubscribed)
    assert gone is not None
    store.set_status([gone.id], "unsubscribed", "test")
    tally = process(
        store,
        request("angry@example.net", message_id="<a@x>"),
        request("old@example.net", message_id="<b@x>"),  # already subscribed
        request(unsubscribed, message_id="<c@x>"),  # unsubscribed: may subscribe again
    )
    assert tally.processed == 3 and tally.changed == []
    assert [r.email for r in pending_requests(store)] == [unsubscribed]
    send(store, smtp_server)
    ((_f, rcpts, raw),) = smtp_server.wait_for_messages(1)
    assert rcpts == [unsubscribed]
    tally = process(store, reply(raw, unsubscribed), now=NOW + timedelta(hours=1))
    assert [(c.email, c.status) for c in tally.changed] == [(unsubscribed, "subscribed")]
    contact = store.get(unsubscribed)
    assert contact is not None and contact.status == "subscribed"
    assert contact.basis == "consent" and "Readers" in contact.lists
    assert not store.is_suppressed(unsubscribed)


def test_a_complaint_after_the_request_stops_the_confirmation(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    process(store, request(MARIE))
    store.suppress(MARIE, "complained")
    assert send(store, smtp_server).sent == [] and smtp_server.messages == []
    assert pending_requests(store) == []


def test_a_bounded_number_per_sync(store: ContactStore, smtp_server: SmtpServer) -> None:
    count = MAX_PER_SYNC + 5
    process(store, *(request(f"p{i}@example.net", message_id=f"<m{i}@x>") for i in range(count)))
    first = send(store, smtp_server)
    assert len(first.sent) == MAX_PER_SYNC and first.waiting == 5
    second = send(store, smtp_server)
    assert len(second.sent) == 5 and second.waiting == 0
    assert len(set(smtp_server.recipients())) == count == len(smtp_server.recipients())


def test_a_refused_send_waits_and_is_sent_once_later(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    process(store, request(MARIE), request("b@example.net", message_id="<b@x>"))
    smtp_server.rcpt_replies[MARIE] = "450 4.2.0 Try later"
    report = send(store, smtp_server)
    assert report.sent == ["b@example.net"] and report.failed == 1 and report.waiting == 1
    waiting = {r.email: r for r in pending_requests(store)}[MARIE]
    assert (waiting.state, waiting.attempts, waiting.confirm_message_id) == ("queued", 1, "")
    del smtp_server.rcpt_replies[MARIE]
    assert send(store, smtp_server).sent == [MARIE]
    assert sorted(smtp_server.recipients()) == ["b@example.net", MARIE]


def test_a_connection_lost_during_data_is_never_sent_again(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    process(store, request(MARIE))
    smtp_server.drop_messages = {1}
    report = send(store, smtp_server)
    assert report.sent == [] and report.uncertain == 1
    assert [r.state for r in pending_requests(store)] == ["sent"]
    assert send(store, smtp_server, now=NOW + timedelta(hours=2)).sent == []
    assert smtp_server.data_count == 1


def test_no_account_or_server_down_leaves_the_requests_waiting(store: ContactStore) -> None:
    process(store, request(MARIE))
    report = send_confirmations(store, mailbox(account=""), now=NOW)
    assert (report.problem, report.waiting, report.sent) == ("no_account", 1, [])
    assert "no sending account" in " ".join(report.lines())
    missing = send_confirmations(store, mailbox(account="gone"), now=NOW)
    assert missing.problem == "account_missing" and 'account "gone"' in " ".join(missing.lines())
    from tests.smtp_server import closed_port

    down = send_confirmations(store, mailbox(), account=account(closed_port()), now=NOW)
    assert down.problem == "refused" and down.waiting == 1
    assert [r.state for r in pending_requests(store)] == ["queued"]


def test_a_mailbox_that_does_not_accept_subscriptions_sends_them_to_review(
    store: ContactStore,
) -> None:
    off = SubscribeSettings("News", accept=False)
    tally = process(store, request(MARIE), settings=off)
    assert tally.unrecognised == 0 and review_count(store) == 1
    assert pending_requests(store) == []


def test_french_request_gets_a_french_confirmation(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    process(store, request(MARIE, subject="Abonnement", body="Bonjour\n"))
    send(store, smtp_server)
    ((_f, _r, raw),) = smtp_server.wait_for_messages(1)
    msg = email.message_from_bytes(raw)
    payload = msg.get_payload(decode=True)
    assert isinstance(payload, bytes)
    text = payload.decode("utf-8")
    assert "répondez à ce message" in text and "il ne se passe rien" in text
    assert msg["Content-Language"] == "fr"
    forced = SubscribeSettings("News", accept=True, list_name="Readers", language="en")
    process(
        store, request("b@example.net", subject="Abonnement", message_id="<b@x>"), settings=forced
    )
    assert {r.email: r.language for r in pending_requests(store)}["b@example.net"] == "en"


def test_hostile_requests_break_nothing(store: ContactStore, smtp_server: SmtpServer) -> None:
    from tests.inbox.test_subscribe_classify import HOSTILE

    tally = process(store, *HOSTILE)
    assert tally.processed == len(HOSTILE) and tally.changed == []
    queued = {r.email: r for r in pending_requests(store)}
    assert set(queued) == {MARIE, "eleve@example.net", "a@example.net"}
    assert queued["eleve@example.net"].name == "Élise"
    assert len(queued["a@example.net"].name) <= 100
    report = send(store, smtp_server)
    assert sorted(report.sent) == sorted(queued) and report.problem == ""
    for _f, rcpts, raw in smtp_server.wait_for_messages(3):
        assert rcpts[0] in queued and b"evil" not in raw
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert all(len(line) <= 998 for line in head.split(b"\r\n"))


def test_erasing_an_address_drops_its_pending_request(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    """Right to erasure: the request goes with the rest (no confirmation after it, and a reply
    to an earlier one subscribes nobody); purging contacts does the same."""
    from editor.contacts.privacy import forget, purge

    process(store, request(MARIE))
    send(store, smtp_server)
    raw = smtp_server.wait_for_messages(1)[-1][2]
    assert len(pending_requests(store)) == 1
    forget(store, MARIE)
    assert pending_requests(store) == []
    tally = process(store, reply(raw, MARIE), now=NOW + timedelta(hours=1))
    assert tally.changed == [] and store.get(MARIE) is None

    paul = "paul@example.net"
    contact_id = store.add(ContactInput(paul), Basis("consent"))
    store.set_status([contact_id], "unsubscribed", "test", "test")
    process(store, request(paul, message_id="<req-paul@mail.example.com>"))
    assert [p.email for p in pending_requests(store)] == [paul]
    assert purge(store, [contact_id]) == 1
    assert pending_requests(store) == []
