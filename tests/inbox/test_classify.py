"""classify(): real MTA samples, the messages of issue 11 and hostile input (never a crash)."""

from __future__ import annotations

import pytest

from editor.inbox.classify import classify, message_key
from tests.inbox.samples import (
    EXPECTED,
    arf_report,
    as_ours,
    forged_original,
    our_original,
    out_of_office,
    postfix_dsn,
    sample,
    unsubscribe_reply,
    vacation_subject_only,
)

OURS = "<c0123456789abcdef.42.0123456789ab@example.org>"
TOKEN = "abcdefghijklmnopqrstuvwx"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_samples(name: str) -> None:
    kind, addresses, permanent = EXPECTED[name]
    found = classify(sample(name))
    assert found.kind == kind
    assert {f.address for f in found.failures} == addresses
    if addresses:
        assert any(f.permanent for f in found.failures) == permanent
        assert found.recipients and set(found.recipients) == addresses


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if e[0] == "backscatter"))
def test_real_samples_quoting_our_message_are_bounces(name: str) -> None:
    _kind, _addresses, permanent = EXPECTED[name]
    found = classify(as_ours(sample(name), OURS))
    assert found.kind == ("bounce" if permanent else "soft_bounce")
    assert found.original_message_id == OURS and found.original_looks_ours


def test_postfix_dsn_keeps_status_diagnostic_and_proof() -> None:
    found = classify(
        postfix_dsn("marie@example.net", our_original("marie@example.net", OURS, TOKEN))
    )
    assert found.kind == "bounce"
    assert found.recipients == ("marie@example.net",)
    assert found.status == "5.1.1" and "User unknown" in found.diagnostic
    assert found.original_message_id == OURS and found.token == TOKEN
    assert found.message_id == "<20260302090500.1A2B3C@mx.example.net>"
    assert found.date is not None and found.date.isoformat() == "2026-03-02T09:05:00+00:00"


def test_delay_is_temporary_whatever_the_status() -> None:
    original = our_original("marie@example.net", OURS, TOKEN)
    delayed = classify(postfix_dsn("marie@example.net", original, status="5.0.0", action="delayed"))
    assert delayed.kind == "soft_bounce"
    failed_4xx = classify(postfix_dsn("marie@example.net", original, status="4.4.1"))
    assert failed_4xx.kind == "soft_bounce" and failed_4xx.status == "4.4.1"
    success = classify(postfix_dsn("marie@example.net", original, action="delivered"))
    assert success.kind == "auto_reply"


def test_arf_complaint() -> None:
    found = classify(arf_report(our_original("Marie <marie@example.net>", OURS, TOKEN)))
    assert found.kind == "complaint"
    assert found.recipients == ("marie@example.net",)  # the original's To
    assert found.token == TOKEN and found.original_message_id == OURS
    redacted = classify(arf_report("To: redacted\nMessage-ID: <x@y>\n", rcpt_to="<r@example.net>"))
    assert redacted.kind == "complaint" and redacted.recipients == ("r@example.net",)
    not_spam = arf_report("To: a@b.org\n").replace(
        b"Feedback-Type: abuse", b"Feedback-Type: not-spam"
    )
    assert classify(not_spam).kind == "unrecognised"


def test_unsubscribe_replies() -> None:
    tagged = classify(
        unsubscribe_reply("Marie <marie@example.net>", f"news+unsub-{TOKEN}@example.org")
    )
    assert (tagged.kind, tagged.token, tagged.recipients) == (
        "unsubscribe",
        TOKEN,
        ("marie@example.net",),
    )
    upper = classify(unsubscribe_reply("m@x.org", f"NEWS+UNSUB-{TOKEN.upper()}@EXAMPLE.ORG"))
    assert upper.token == TOKEN
    damaged = classify(unsubscribe_reply("m@x.org", "news+unsub-tooshort@example.org"))
    assert damaged.kind == "unsubscribe" and damaged.token == ""
    for subject in ("Se désabonner", "unsubscribe", "[Désinscription]", "STOP"):
        found = classify(unsubscribe_reply("m@x.org", "news@example.org", subject=subject))
        assert found.kind == "unsubscribe", subject
    chat = classify(
        unsubscribe_reply("m@x.org", "news@example.org", subject="How do I unsubscribe?")
    )
    assert chat.kind == "unrecognised"


@pytest.mark.parametrize(
    "subject",
    [
        "Absence du bureau",
        "Réponse automatique : La lettre de mars",
        "Absent jusqu'au 16 mars",
        "Out of Office: La lettre de mars",
        "Automatic reply: La lettre de mars",
        "Auto: Re: news",
        "I am on vacation",
    ],
)
def test_auto_replies_by_subject(subject: str) -> None:
    assert classify(vacation_subject_only("x@y.org", subject, "<v@x>")).kind == "auto_reply"


def test_auto_replies_by_header() -> None:
    assert classify(out_of_office("x@y.org", french=True)).kind == "auto_reply"
    assert classify(out_of_office("x@y.org", french=False)).kind == "auto_reply"
    base = b"From: x@y.org\r\nSubject: Re: news\r\n"
    for extra in (b"X-Autoreply: yes\r\n", b"X-Autorespond: on\r\n", b"Precedence: auto_reply\r\n"):
        assert classify(base + extra + b"\r\nback soon").kind == "auto_reply"
    assert classify(base + b"Auto-Submitted: no\r\n\r\nThanks!").kind == "unrecognised"


def test_backscatter() -> None:
    found = classify(postfix_dsn("gina@example.net", forged_original("gina@example.net")))
    assert found.kind == "backscatter" and not found.original_looks_ours
    assert found.failure_kind == "bounce"


def test_message_key() -> None:
    assert message_key(b"x", "<a@b>") == "<a@b>"
    assert message_key(b"x", "").startswith("sha256:")
    assert message_key(b"x", "") != message_key(b"y", "")


HOSTILE = [
    b"",
    b"\x00" * 100,
    bytes(range(256)) * 50,
    b"Subject: =?x-unknown?q?caf=E9?=\r\nFrom: =?utf-8?b?!!!?=\r\n\r\nbody",
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\n'
    b"Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822;\r\nAction: failed\r\n",
    b"Content-Type: multipart/mixed; boundary=x\r\n\r\n" + b"--x\r\nContent-Type: multipart/mixed;"
    b" boundary=x\r\n\r\n" * 2000,
    b"Content-Type: message/rfc822\r\n\r\n" * 3000,
    b"From: a@b\r\nContent-Type: text/plain; charset=utf-99\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!",
    b"From: mailer-daemon@x.org\r\nSubject: Undeliverable\r\n\r\n" + b"A" * (6 * 1024 * 1024),
    b"Content-Type: message/feedback-report\r\n\r\nOriginal-Rcpt-To: \x00\xff@\r\n",
    b"To: news+unsub-" + b"a" * 5000 + b"@example.org\r\n\r\n",
]


@pytest.mark.parametrize("raw", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_input_never_crashes(raw: bytes) -> None:
    found = classify(raw)
    assert found.kind in ("unrecognised", "auto_reply", "unsubscribe", "bounce", "complaint")
    if raw.startswith(b"From: mailer-daemon"):
        assert found.kind == "unrecognised" and "bounce" in found.detail
