"""Consent to measuring opens and clicks given with a subscription by email: the request's
line is remembered (schema v7, a v6 database upgraded), the confirmation sent to a real SMTP
server (aiosmtpd) states it, and the reply records it with its proof; no line, no consent."""

from __future__ import annotations

import email
import sqlite3
from datetime import timedelta
from pathlib import Path

from editor.contacts.db import MIGRATIONS, SCHEMA_VERSION, connect, migrate_schema
from editor.contacts.model import Basis, ContactInput
from editor.contacts.store import ContactStore
from editor.db import schema_version
from editor.inbox.subscriptions import SubscribeSettings, pending_requests
from editor.tracking import consent
from tests.inbox.subscribe_samples import reply, request
from tests.inbox.support import NOW
from tests.inbox.test_subscriptions import mailbox, process
from tests.sending.campaign_support import account
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["smtp_server"]

MARIE = "marie@example.net"
LINE_FR = "Mesure des ouvertures et des clics : oui"
WITH_LINE = f"J’accepte de recevoir la lettre.\n{LINE_FR}\nPrénom (facultatif) : Marie\n"


def send_one(store: ContactStore, server: SmtpServer, count: int = 1) -> bytes:
    """Send the queued confirmations; the raw bytes of the last one received."""
    from editor.inbox.confirm_send import send_confirmations

    send_confirmations(store, mailbox(), account=account(server.port), now=NOW)
    return server.wait_for_messages(count)[-1][2]


def body_of(raw: bytes) -> str:
    payload = email.message_from_bytes(raw).get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode("utf-8")


def test_request_with_the_line_confirmed_records_the_consent_with_its_proof(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    process(store, request(f"Marie <{MARIE}>", subject="Abonnement", body=WITH_LINE))
    (pending,) = pending_requests(store)
    assert pending.measurement == LINE_FR and pending.request_date == "2026-03-05T11:00:00Z"
    raw = send_one(store, smtp_server)
    confirmation = email.message_from_bytes(raw)
    text = body_of(raw)
    assert "nous mesurions" in text and "en écrivant à news@example.org" in text
    assert consent.record(store.db, MARIE) is None  # nothing before the reply

    tally = process(store, reply(raw, f"Marie <{MARIE}>"), now=NOW + timedelta(hours=1))
    (change,) = tally.changed
    assert change.status == "subscribed" and "measuring opens and clicks" in change.reason
    contact = store.get(MARIE)
    assert contact is not None and contact.status == "subscribed" and contact.basis == "consent"
    record = consent.record(store.db, MARIE)
    assert record is not None and record.active
    assert record.given_at == "2026-03-05T12:30:00Z"  # the reply's date, as the basis's
    for part in (
        "2026-03-05T11:00:00Z",  # the request's date
        "<req-1@mail.example.com>",  # its Message-ID
        f"« {LINE_FR} »",  # the line as written
        confirmation["Message-ID"],
        "<reply-1@mail.example.com>",
        "2026-03-05T12:30:00Z",
    ):
        assert part in record.proof, part
    assert len(record.proof) <= consent.MAX_PROOF
    assert consent.consenting_count(store.db) == 1
    assert pending_requests(store) == []  # the line goes with the request


def test_request_without_the_line_records_no_consent(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    process(store, request(MARIE))
    assert pending_requests(store)[0].measurement == ""
    raw = send_one(store, smtp_server)
    assert "measuring" not in body_of(raw)
    tally = process(store, reply(raw, MARIE), now=NOW + timedelta(hours=1))
    assert [c.status for c in tally.changed] == ["subscribed"]
    assert "measuring" not in tally.changed[0].reason
    assert consent.record(store.db, MARIE) is None and consent.consenting_count(store.db) == 0


def test_a_line_saying_no_records_nothing(store: ContactStore, smtp_server: SmtpServer) -> None:
    body = "Measure my opens and clicks: no\nFirst name: Marie\n"
    process(store, request(MARIE, body=body))
    raw = send_one(store, smtp_server)
    process(store, reply(raw, MARIE), now=NOW + timedelta(hours=1))
    contact = store.get(MARIE)
    assert contact is not None and contact.status == "subscribed"
    assert consent.record(store.db, MARIE) is None


def test_resubscribing_with_the_line_gives_consent_again_after_a_withdrawal(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    store.add(ContactInput(MARIE), Basis("consent"))
    contact = store.get(MARIE)
    assert contact is not None
    consent.give(store.db, [MARIE], proof="old form", now="2025-01-01T00:00:00Z")
    consent.withdraw(store.db, [MARIE], now="2025-06-01T00:00:00Z")
    store.set_status([contact.id], "unsubscribed", "test")
    process(store, request(MARIE, body="Measure my opens and clicks: yes\n"))
    raw = send_one(store, smtp_server)
    assert "our measuring" in body_of(raw)
    process(store, reply(raw, MARIE), now=NOW + timedelta(hours=1))
    record = consent.record(store.db, MARIE)
    assert record is not None and record.active and "Measure my opens" in record.proof


def test_only_the_confirmation_that_stated_it_counts(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    """A new request replaces the choice; a reply to an earlier confirmation that did not say
    « measurement » never records it, whatever the newest request says."""
    process(store, request(MARIE))  # no line
    first = send_one(store, smtp_server)
    later = NOW + timedelta(hours=25)
    process(store, request(MARIE, message_id="<r2@x>", body=WITH_LINE), now=later)
    (pending,) = pending_requests(store)
    assert pending.measurement == LINE_FR and pending.state == "queued"
    # Her reply to the first confirmation arrives before the second one is sent.
    process(store, reply(first, MARIE), now=later)
    contact = store.get(MARIE)
    assert contact is not None and contact.status == "subscribed"
    assert consent.record(store.db, MARIE) is None


def test_a_reply_threaded_to_an_older_confirmation_does_not_count(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    process(store, request(MARIE))  # no line: the first confirmation says nothing of it
    first = send_one(store, smtp_server)
    later = NOW + timedelta(hours=25)
    process(store, request(MARIE, message_id="<r2@x>", body=WITH_LINE), now=later)
    from editor.inbox.confirm_send import send_confirmations

    send_confirmations(store, mailbox(), account=account(smtp_server.port), now=later)
    second = smtp_server.wait_for_messages(2)[-1][2]
    assert "nous mesurions" in body_of(second)
    # The token is the same in both: only the threading tells which one she answered.
    process(store, reply(first, MARIE), now=later + timedelta(minutes=5))
    assert store.get(MARIE) is not None and consent.record(store.db, MARIE) is None


def test_the_newest_request_without_the_line_withdraws_the_ask(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    process(store, request(MARIE, body=WITH_LINE))
    send_one(store, smtp_server)
    later = NOW + timedelta(hours=25)
    process(store, request(MARIE, message_id="<r2@x>"), now=later)
    assert pending_requests(store)[0].measurement == ""


def test_a_forced_language_states_it_in_that_language(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    english = SubscribeSettings("News", accept=True, list_name="Readers", language="en")
    process(store, request(MARIE, subject="Abonnement", body=WITH_LINE), settings=english)
    text = body_of(send_one(store, smtp_server))
    assert "our measuring" in text and "nous mesurions" not in text


def _v6_database(path: Path) -> None:
    """A database as version 6 left it, with a request waiting for its confirmation."""
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:6]:
        step(conn)
    conn.execute("PRAGMA user_version = 6")
    conn.execute(
        "INSERT INTO subscription_requests (email, email_key, token, requested_at, expires_at,"
        " request_message_id) VALUES (?, ?, ?, ?, ?, ?)",
        (MARIE, MARIE, "t" * 24, "2026-03-05T11:00:00Z", "2026-03-12T11:00:00Z", "<old@x>"),
    )
    conn.close()


def test_a_version_6_database_is_upgraded_and_keeps_its_requests(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _v6_database(path)
    conn = connect(path, migrate=False)
    try:
        assert migrate_schema(conn, path) == 6
        assert schema_version(conn) == SCHEMA_VERSION >= 7
        columns = {row[1] for row in conn.execute("PRAGMA table_info(subscription_requests)")}
        assert "measurement" in columns
        row = conn.execute("SELECT email, measurement FROM subscription_requests").fetchone()
        assert row == (MARIE, "")
    finally:
        conn.close()
    with ContactStore(path) as store:  # the store reads the old row
        (pending,) = pending_requests(store)
        assert (pending.email, pending.measurement, pending.request_message_id) == (
            MARIE,
            "",
            "<old@x>",
        )


def test_a_new_database_has_the_column(tmp_path: Path) -> None:
    conn = connect(tmp_path / "new.sqlite3")
    try:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(subscription_requests)")}
        assert "measurement" in columns
    finally:
        conn.close()


# -- a subscriber asking for measurement alone (the signup form's second button, used again)


def _subscriber(store: ContactStore) -> None:
    """Marie, subscribed as a customer on the list « Clients » (not the mailbox's « Readers »)."""
    list_id = store.list_id("Clients", create=True)
    store.add(ContactInput(MARIE, first_name="Marie"), Basis("customer"), list_id)


def test_a_subscriber_asking_for_measurement_gets_a_confirmation_about_it_alone(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    _subscriber(store)
    process(store, request(f"Marie <{MARIE}>", subject="Abonnement", body=WITH_LINE))
    (pending,) = pending_requests(store)
    raw = send_one(store, smtp_server)
    message = email.message_from_bytes(raw)
    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
    assert subject.startswith("Merci de confirmer : mesure de vos ouvertures et clics")
    text = body_of(raw)
    assert "inscrite à" in text and "en écrivant à news@example.org" in text
    assert "inscription" not in text  # it does not offer to subscribe
    tally = process(store, reply(raw, f"Marie <{MARIE}>"), now=NOW + timedelta(hours=1))
    assert tally.changed == []  # no status changed
    record = consent.record(store.db, MARIE)
    assert record is not None and record.active and LINE_FR in record.proof
    assert message["Message-ID"] in record.proof
    contact = store.get(MARIE)
    assert contact is not None
    assert (contact.status, contact.basis, contact.lists) == ("subscribed", "customer", ["Clients"])
    assert pending_requests(store) == []
    assert pending.measurement == LINE_FR


def test_a_subscriber_without_the_line_or_already_measured_gets_nothing(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    _subscriber(store)
    process(store, request(MARIE))  # subscribing again: nothing to do
    assert pending_requests(store) == []
    consent.give(store.db, [MARIE], proof="asked at the shop")
    process(store, request(MARIE, body=WITH_LINE))  # measured already
    assert pending_requests(store) == []


def test_a_measurement_confirmation_never_subscribes_or_brings_back_anyone(
    store: ContactStore, smtp_server: SmtpServer
) -> None:
    from editor.contacts.privacy import forget

    _subscriber(store)
    process(store, request(MARIE, body=WITH_LINE))
    raw = send_one(store, smtp_server)
    forget(store, MARIE)  # erased before replying
    tally = process(store, reply(raw, MARIE), now=NOW + timedelta(hours=1))
    assert tally.changed == [] and store.get(MARIE) is None
    assert consent.record(store.db, MARIE) is None and pending_requests(store) == []


def test_the_measurement_only_wording_in_english_is_recognised_as_such() -> None:
    from editor.inbox.subscribe_mail import asks_measurement_only, compose, states_measurement

    def wording(**kw: bool) -> str:
        return compose(
            to=MARIE,
            from_email="news@example.org",
            from_name="Les Nouvelles",
            token="t" * 24,
            language="en",
            list_name="",
            message_id="<c-1@example.org>",
            date=NOW,
            **kw,
        ).wording

    alone = wording(measurement=True, subscribed=True)
    assert alone.startswith("Please confirm: measuring your opens and clicks of the newsletter")
    assert "which is subscribed to" in alone and "by writing to news@example.org" in alone
    assert states_measurement(alone) and asks_measurement_only(alone)
    both = wording(measurement=True)
    assert states_measurement(both) and not asks_measurement_only(both)
    plain = wording(subscribed=True)  # no line: an ordinary confirmation
    assert not states_measurement(plain) and not asks_measurement_only(plain)
