"""process_message: each kind of message ties to the right contact and applies the rules of
issue 11, checked contact by contact (including those that must not change), with the proof in
the history; the same message twice changes nothing; strangers are never touched."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from editor.contacts.store import ContactStore
from editor.inbox.process import Tally, process_message
from editor.inbox.review import review_count
from tests.inbox.samples import (
    arf_report,
    as_ours,
    forged_original,
    our_original,
    out_of_office,
    postfix_dsn,
    sample,
    unsubscribe_reply,
)
from tests.inbox.support import NOW, READERS, Sent, sent_campaign, statuses


@pytest.fixture
def sent(tmp_path: Path) -> Iterator[tuple[ContactStore, dict[str, Sent]]]:
    store, deliveries = sent_campaign(tmp_path / "c.sqlite3")
    try:
        yield store, deliveries
    finally:
        store.close()


def original_of(d: Sent) -> str:
    return our_original(d.email, d.message_id, d.token)


def test_every_kind_acts_on_the_right_contact_only(
    sent: tuple[ContactStore, dict[str, Sent]],
) -> None:
    store, d = sent
    alice, bruno, chloe, denis = (d[e] for e in READERS[:4])
    messages = [
        postfix_dsn(alice.email, original_of(alice)),  # permanent → bounced
        postfix_dsn(  # delay → counted only
            bruno.email,
            original_of(bruno),
            status="4.2.2",
            action="delayed",
            diagnostic="smtp; 452 4.2.2 Mailbox full",
            message_id="<delay-1@mx.example.net>",
        ),
        arf_report(original_of(chloe)),  # complaint, complainer redacted: the token names her
        unsubscribe_reply(
            "Someone Else <forwarded@example.com>", f"news+unsub-{denis.token}@example.org"
        ),  # the token wins over the From address
        unsubscribe_reply(
            "Emma <EMMA@example.net>", "news@example.org", message_id="<unsub-2@x>"
        ),  # no token: the From address, a contact
        unsubscribe_reply(
            "stranger@elsewhere.org", "news@example.org", message_id="<unsub-3@x>"
        ),  # no token, not a contact: nothing
        out_of_office("farid@example.net", french=True),
        out_of_office("gina@example.net", french=False, message_id="<ooo-2@x>"),
        postfix_dsn(  # backscatter: a forged message « from » us to gina
            "gina@example.net", forged_original("gina@example.net"), message_id="<bs-1@mx>"
        ),
        b"\x00\xff\xfe not a message \r\n\r\n\x81",  # garbage → review
    ]
    tally = Tally()
    for raw in messages:
        tally.add(process_message(store, raw, now=NOW, source="mailbox test"))
    assert statuses(store) == {
        "alice@example.net": "bounced",
        "bruno@example.net": "subscribed",
        "chloe@example.net": "complained",
        "denis@example.net": "unsubscribed",
        "emma@example.net": "unsubscribed",
        "farid@example.net": "subscribed",
        "gina@example.net": "subscribed",
    }
    assert store.get("stranger@elsewhere.org") is None
    assert not store.is_suppressed("stranger@elsewhere.org")
    assert not store.is_suppressed("forwarded@example.com")
    for email in ("alice@example.net", "chloe@example.net", "denis@example.net"):
        assert store.is_suppressed(email)
    report = tally.to_json()
    assert {k: v for k, v in report.items() if k != "changed"} == {
        "processed": 10,
        "bounces": 1,
        "soft_bounces": 1,
        "complaints": 1,
        "unsubscribes": 3,
        "auto_replies": 2,
        "backscatter": 1,
        "unrecognised": 1,
    }
    changed = report["changed"]
    assert isinstance(changed, list)
    assert [(c["email"], c["status"]) for c in changed] == [
        ("alice@example.net", "bounced"),
        ("chloe@example.net", "complained"),
        ("denis@example.net", "unsubscribed"),
        ("emma@example.net", "unsubscribed"),
    ]
    assert review_count(store) == 1


def test_history_keeps_the_proof(sent: tuple[ContactStore, dict[str, Sent]]) -> None:
    store, d = sent
    alice = d["alice@example.net"]
    process_message(store, postfix_dsn(alice.email, original_of(alice)), now=NOW, source="box")
    last = store.history(alice.contact_id)[-1]
    assert (last.kind, last.old, last.new, last.source) == (
        "status",
        "subscribed",
        "bounced",
        "box",
    )
    assert "5.1.1" in last.reason and "User unknown" in last.reason
    assert "2026-03-02 09:05 UTC" in last.reason  # the bounce's own Date
    assert "<20260302090500.1A2B3C@mx.example.net>" in last.reason  # and its Message-ID
    assert last.at == "2026-03-05T12:00:00Z"
    assert store.suppression_info(alice.email) is not None


def test_same_message_twice_changes_nothing(sent: tuple[ContactStore, dict[str, Sent]]) -> None:
    store, d = sent
    alice = d["alice@example.net"]
    raw = postfix_dsn(alice.email, original_of(alice))
    first = process_message(store, raw, now=NOW)
    events = len(store.history(alice.contact_id))
    # resubscribed by hand in between: a replay of the old bounce must not bounce her again
    store.set_status([alice.contact_id], "subscribed", "asked by phone")
    second = process_message(store, raw, now=NOW + timedelta(days=1))
    assert first.changed and not first.duplicate
    assert second.duplicate and second.changed == [] and second.kind == "bounce"
    assert store.get(alice.email).status == "subscribed"  # type: ignore[union-attr]
    assert len(store.history(alice.contact_id)) == events + 1  # only the resubscription
    garbage = b"no headers at all, just text"
    process_message(store, garbage, now=NOW)
    assert process_message(store, garbage, now=NOW).duplicate
    assert review_count(store) == 1


def test_backscatter_is_counted_even_for_a_contact(
    sent: tuple[ContactStore, dict[str, Sent]],
) -> None:
    store, _d = sent
    outcome = process_message(
        store, postfix_dsn("bruno@example.net", forged_original("bruno@example.net")), now=NOW
    )
    assert outcome.kind == "backscatter" and outcome.changed == []
    assert store.get("bruno@example.net").status == "subscribed"  # type: ignore[union-attr]


def test_real_mta_bounces_of_our_messages(tmp_path: Path) -> None:
    """flufl.bounce's real samples, their quoted Message-ID replaced by our delivery's: each
    failed address is a contact; permanent ones bounce, temporary ones do not yet."""
    cases = {
        "postfix_01": "xxxxx@local.ie",
        "exim_01": "delangen@its.tudelft.nl",
        "qmail_01": "psadisc@wwwmail.n-h.de",
        "simple_17": "internetsailing@gmail.com",
        "groupwise_02": "omarmo@thebas.com",
        "dsn_09": "pr@allen-heath.com",
        "microsoft_01": "DJBENNETT@IKON.COM",
        "dsn_17": "christine.barsas@sivarikeskus.fi",  # temporary
        "simple_28": "luis.hiam@gmail.com",  # temporary
    }
    bystander = "nobody.bounced@example.net"
    store, d = sent_campaign(tmp_path / "c.sqlite3", [*cases.values(), bystander])
    try:
        for name, email in cases.items():
            raw = as_ours(sample(name), d[email].message_id)
            outcome = process_message(store, raw, now=NOW)
            assert outcome.campaign_id is not None, name
        result = statuses(store)
        temporary = {"christine.barsas@sivarikeskus.fi", "luis.hiam@gmail.com", bystander}
        for email in cases.values():
            assert result[email] == ("subscribed" if email in temporary else "bounced"), email
        assert result[bystander] == "subscribed"
    finally:
        store.close()


def test_real_samples_as_they_are_change_nobody(tmp_path: Path) -> None:
    """The same samples unmodified quote other people's messages: backscatter for us, even
    when the failed address happens to be a contact."""
    store, _d = sent_campaign(tmp_path / "c.sqlite3", ["xxxxx@local.ie", "zzzzz@nfg.nl"])
    try:
        for name in ("postfix_01", "sendmail_01"):
            assert process_message(store, sample(name), now=NOW).kind == "backscatter"
        assert set(statuses(store).values()) == {"subscribed"}
    finally:
        store.close()


def test_bounce_without_quoted_original_uses_the_address(tmp_path: Path) -> None:
    store, _d = sent_campaign(tmp_path / "c.sqlite3", ["user@example.net", "other@example.net"])
    try:
        outcome = process_message(store, sample("qmail_07"), now=NOW)  # quotes nothing
        assert outcome.kind == "bounce" and outcome.campaign_id is None
        assert statuses(store) == {"user@example.net": "bounced", "other@example.net": "subscribed"}
        # a bounce naming a stranger: counted, nobody changed
        assert process_message(store, sample("aol_01"), now=NOW).changed == []
    finally:
        store.close()


def test_bounce_for_a_contact_who_changed_address(
    sent: tuple[ContactStore, dict[str, Sent]],
) -> None:
    store, d = sent
    alice = d["alice@example.net"]
    store.update(alice.contact_id, email="alice@new.example.net")
    outcome = process_message(store, postfix_dsn(alice.email, original_of(alice)), now=NOW)
    assert outcome.changed == []
    assert store.get("alice@new.example.net").status == "subscribed"  # type: ignore[union-attr]


def test_complaint_and_unsubscribe_of_already_suppressed(
    sent: tuple[ContactStore, dict[str, Sent]],
) -> None:
    store, d = sent
    chloe = d["chloe@example.net"]
    store.set_status([chloe.contact_id], "unsubscribed", "by hand")
    unsub = unsubscribe_reply("chloe@example.net", f"news+unsub-{chloe.token}@example.org")
    assert process_message(store, unsub, now=NOW).changed == []  # stays unsubscribed
    assert process_message(store, arf_report(original_of(chloe)), now=NOW).changed
    assert store.get(chloe.email).status == "complained"  # type: ignore[union-attr]


def test_complaint_with_original_rcpt_to_and_no_token(
    sent: tuple[ContactStore, dict[str, Sent]],
) -> None:
    store, _d = sent
    original = "From: news@example.org\nTo: undisclosed-recipients:;\nSubject: x\n"
    raw = arf_report(original, rcpt_to="gina@example.net")
    outcome = process_message(store, raw, now=NOW)
    assert outcome.kind == "complaint"
    assert [c.email for c in outcome.changed] == ["gina@example.net"]
