"""classify() on subscriptions by email: requests, confirmations, and what must never count as
a confirmation (automatic replies, bounces, mailing lists), hostile headers included."""

from __future__ import annotations

import pytest

from editor.inbox.classify import classify
from editor.inbox.subscribe_mail import (
    compose,
    confirm_address,
    confirm_token_from_address,
    is_subscribe_address,
    make_confirmation_id,
    new_token,
)
from tests.inbox.samples import out_of_office, unsubscribe_reply
from tests.inbox.subscribe_samples import SUBSCRIBE_TO, out_of_office_reply, reply, request
from tests.inbox.support import NOW

TOKEN = new_token()


def confirmation(to: str = "marie@example.net", token: str = TOKEN) -> bytes:
    return compose(
        to=to,
        from_email="news@example.org",
        from_name="Les Nouvelles",
        token=token,
        language="en",
        list_name="Readers",
        message_id=make_confirmation_id("example.org"),
        date=NOW,
    ).raw


def test_addresses() -> None:
    assert is_subscribe_address("news+subscribe@example.org")
    assert is_subscribe_address('"News" <News+Subscribe@Example.org>')
    assert is_subscribe_address("news+fr+subscribe@example.org")
    assert not is_subscribe_address("news+unsubscribe@example.org")
    assert not is_subscribe_address("subscribe@example.org")
    address = confirm_address("news@exämple.org", TOKEN)
    assert address == f"news+confirm-{TOKEN}@xn--exmple-cua.org"
    assert confirm_token_from_address(address.upper()) == TOKEN
    assert confirm_token_from_address("news+confirm-short@example.org") == ""


@pytest.mark.parametrize(
    ("to", "subject", "language"),
    [
        (SUBSCRIBE_TO, "Subscribe", "en"),
        (SUBSCRIBE_TO, "Abonnement", "fr"),
        ("news@example.org", "s'abonner", "fr"),
        ("news@example.org", "Inscription", "fr"),
        ("news@example.org", "subscribe me!", "en"),
        (SUBSCRIBE_TO, "hello there", "en"),
    ],
)
def test_requests_are_recognised_with_their_language(to: str, subject: str, language: str) -> None:
    found = classify(request("Marie <marie@example.net>", to=to, subject=subject))
    assert found.kind == "subscribe"
    assert found.recipients == ("marie@example.net",) and found.sender == "marie@example.net"
    assert found.name == "Marie"  # the form's « First name » line, not the display name
    assert found.language == language


def test_french_wording_in_the_body_and_no_name() -> None:
    body = "J’accepte de recevoir par courriel la lettre d’information.\nPrénom (facultatif) : \n"
    found = classify(request("marie@example.net", subject="", body=body))
    assert (found.kind, found.language, found.name) == ("subscribe", "fr", "")


@pytest.mark.parametrize(
    "raw",
    [
        request("a@example.net", to="news@example.org", subject="A question about subscribe"),
        request("a@example.net", to="news@example.org", subject="unsubscribe"),
        request("a@example.net", extra="Auto-Submitted: auto-replied\n"),
        request("a@example.net", extra="Return-Path: <>\n"),
        request("a@example.net", extra="Precedence: bulk\n"),
        request("a@example.net", extra="List-Id: <other.lists.example.com>\n"),
        request("MAILER-DAEMON@mx.example.net"),
        out_of_office("a@example.net", french=True),
    ],
)
def test_what_is_not_a_request(raw: bytes) -> None:
    assert classify(raw).kind != "subscribe"


def test_unsubscribe_reply_is_still_an_unsubscribe() -> None:
    raw = unsubscribe_reply("a@example.net", f"news+unsub-{new_token()}@example.org")
    assert classify(raw).kind == "unsubscribe"


def test_a_reply_to_the_confirmation_is_a_confirmation() -> None:
    sent = confirmation()
    found = classify(reply(sent, "Marie <marie@example.net>"))
    assert found.kind == "confirm" and found.token == TOKEN and found.sender == "marie@example.net"
    assert len(found.references) == 1
    # Sent to the From (a client ignoring Reply-To), only threaded: still a confirmation.
    threaded = classify(reply(sent, "marie@example.net", to_reply_to=False))
    assert threaded.kind == "confirm" and threaded.token == "" and threaded.references
    # Reply-To only, no threading headers (a client that strips them).
    bare = classify(reply(sent, "marie@example.net", in_reply_to=False))
    assert bare.kind == "confirm" and bare.token == TOKEN and bare.references == ()


@pytest.mark.parametrize(
    "extra",
    [
        "Auto-Submitted: auto-replied\n",
        "X-Autoreply: yes\n",
        "Return-Path: <>\n",
        "Precedence: junk\n",
        "List-Unsubscribe: <mailto:leave@lists.example.com>\n",
    ],
)
def test_automatic_replies_to_the_confirmation_never_confirm(extra: str) -> None:
    found = classify(reply(confirmation(), "marie@example.net", extra=extra))
    assert found.kind == "auto_reply"


def test_out_of_office_and_bounces_never_confirm() -> None:
    sent = confirmation()
    assert classify(out_of_office_reply(sent, "marie@example.net")).kind == "auto_reply"
    daemon = classify(reply(sent, "MAILER-DAEMON@mx.example.net"))
    assert daemon.kind == "auto_reply"
    vacation = reply(sent, "marie@example.net", subject_prefix="Out of office: ")
    assert classify(vacation).kind == "auto_reply"


def test_the_confirmation_message() -> None:
    raw = confirmation()
    assert b"\r\n\r\n" in raw and all(line.endswith(b"\r") for line in raw.split(b"\n")[:-1])
    from email import message_from_bytes

    msg = message_from_bytes(raw)
    assert msg["Reply-To"] == f"Les Nouvelles <news+confirm-{TOKEN}@example.org>"
    assert msg["From"] == "Les Nouvelles <news@example.org>" and msg["To"] == "marie@example.net"
    assert msg["Auto-Submitted"] == "auto-replied"
    assert msg["Message-ID"].startswith("<confirm.") and msg["Message-ID"].endswith("@example.org>")
    payload = msg.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode("utf-8")
    assert "reply to this message" in body and "ignore this message: nothing happens" in body
    # Our own confirmation, if it loops back to us, is an automatic message: nothing happens.
    assert classify(raw).kind == "auto_reply"


HOSTILE = [
    # CRLF and controls in a display name, broken encoded words, unknown charset
    b"From: =?utf-8?b?TWFyaWUNCkJjYzogZXZpbEBleGFtcGxlLmNvbQ==?= <marie@example.net>\r\n"
    b"To: news+subscribe@example.org\r\nSubject: =?x-unknown?q?Subscribe?=\r\n\r\nFirst name: "
    b"=?utf-8?q?broken\r\n",
    # raw 8-bit Latin-1 everywhere
    b"From: \xe9l\xe8ve <eleve@example.net>\r\nTo: news+subscribe@example.org\r\n"
    b"Subject: inscription \xe0 la lettre\r\n\r\nPr\xe9nom : \xc9lise\x00\r\n",
    # a megabyte header and a giant first name line
    b"From: a@example.net\r\nTo: news+subscribe@example.org\r\nX-Big: "
    + b"x" * 1_000_000
    + b"\r\nSubject: subscribe\r\n\r\nFirst name: "
    + b"y" * 100_000
    + b"\r\n",
    # no From at all, and a From that is not an address
    b"To: news+subscribe@example.org\r\nSubject: subscribe\r\n\r\n\r\n",
    b"From: not an address\r\nTo: news+subscribe@example.org\r\n\r\n",
    # a References header of 10,000 confirmation-looking ids
    b"From: a@example.net\r\nTo: news@example.org\r\nReferences: "
    + b" ".join(b"<confirm.%020x@example.org>" % i for i in range(10_000))
    + b"\r\n\r\nok\r\n",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_messages_give_an_answer(raw: bytes) -> None:
    found = classify(raw)
    assert found.kind in ("subscribe", "confirm", "unrecognised", "auto_reply")
    assert len(found.name) <= 100 and "\r" not in found.name and "\n" not in found.name
    if found.kind == "subscribe":
        assert found.sender and "@" in found.sender
        assert "evil" not in found.sender  # an address hidden in an encoded display name
