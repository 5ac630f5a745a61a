"""classify() on subscriptions by email: requests, confirmations, and what must never count as
a confirmation (automatic replies, bounces, mailing lists), hostile headers included."""

from __future__ import annotations

import pytest

from editor.inbox.classify import classify
from editor.inbox.subscribe_mail import (
    Confirmation,
    compose,
    confirm_address,
    confirm_token_from_address,
    is_subscribe_address,
    make_confirmation_id,
    measurement_line,
    new_token,
    states_measurement,
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


# -- the « Mesure des ouvertures et des clics : oui » line (the signup form's second button)


@pytest.mark.parametrize(
    ("body", "written"),
    [
        ("Mesure des ouvertures et des clics : oui", "Mesure des ouvertures et des clics : oui"),
        ("Measure my opens and clicks: yes", "Measure my opens and clicks: yes"),
        ("MESURE DES OUVERTURES ET DES CLICS : OUI", "MESURE DES OUVERTURES ET DES CLICS : OUI"),
        ("Mésure des ouvertures et des clics: Oui.", "Mésure des ouvertures et des clics: Oui."),
        ("Mesure des ouvertures et des clics\u00a0:\u00a0oui", None),  # no-break spaces
        ("Mesure des ouvertures et des clics\u202f: oui", None),
        ("  Measure   my  opens and clicks :yes  ", "Measure my opens and clicks :yes"),
        ("> Mesure des ouvertures et des clics : oui", "Mesure des ouvertures et des clics : oui"),
        (">> > Measure my opens and clicks: YES", "Measure my opens and clicks: YES"),
        ("Measurement of opens and clicks: yes", "Measurement of opens and clicks: yes"),
        ("Mesure des ouvertures et clics : oui", "Mesure des ouvertures et clics : oui"),
        ("J’accepte…\r\nMesure des ouvertures et des clics : oui\r\nPrénom : Marie\r\n", None),
    ],
)
def test_measurement_line_variants(body: str, written: str | None) -> None:
    found = measurement_line(body)
    assert found, body
    if written is not None:
        assert found == written
    assert "\n" not in found and "\r" not in found and not found.startswith(">")


@pytest.mark.parametrize(
    "body",
    [
        "",
        "I agree to receive the newsletter by email.\nFirst name (optional): Marie\n",
        "Mesure des ouvertures et des clics : non",
        "Measure my opens and clicks: no",
        "Measure my opens and clicks:",
        "Measure my opens and clicks: yes please",
        "Mesure des ouvertures et des clics : oui mais non",
        "Mesure des ouvertures et des clics : oui <script>alert(1)</script>",
        "Mesure des ouvertures et des clics : ouiiiiii",
        "Mesure des ouvertures et des clics : \x00oui",
        "I refuse. Measure my opens and clicks: yes",  # not the form's line
        "Mesure des ouvertures et des clics : oui\nMesure des ouvertures et des clics : non",
        "Measure my opens and clicks: " + "yes" * 100_000,
        "Measure my opens and clicks",
    ],
)
def test_measurement_line_is_strict(body: str) -> None:
    assert measurement_line(body) == ""


def test_measurement_line_far_down_a_huge_body_is_not_read() -> None:
    assert measurement_line("x\n" * 20_000 + "Measure my opens and clicks: yes\n") == ""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_signup_forms_bodies_are_read_back(lang: str) -> None:
    import urllib.parse

    from editor.signup import SignupSettings, subscribe_mailto_url

    s = SignupSettings(
        "Jardin", "rgpd@jardin.example", language=lang, mailto="news@example.org", list_name="N"
    )
    for flag in (False, True):
        url = subscribe_mailto_url(s, measurement=flag)
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        body = query["body"][0] + "Marie"  # the person types her first name
        raw = request("marie@example.net", subject=query["subject"][0], body=body)
        found = classify(raw)
        assert found.kind == "subscribe" and found.name == "Marie" and found.language == lang
        assert bool(found.measurement) is flag
        assert bool(measurement_line(body)) is flag


def test_a_request_remembers_its_measurement_line() -> None:
    body = "Bonjour\n> Mesure des ouvertures et des clics : oui\nPrénom : Marie\n"
    found = classify(request("marie@example.net", subject="Abonnement", body=body))
    assert found.kind == "subscribe" and found.name == "Marie"
    assert found.measurement == "Mesure des ouvertures et des clics : oui"
    assert classify(request("marie@example.net")).measurement == ""
    # A confirmation reply carrying the line is a confirmation, nothing more.
    assert classify(reply(confirmation(), "marie@example.net")).measurement == ""


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_confirmation_states_the_measurement_choice(lang: str) -> None:
    def made(measurement: bool) -> Confirmation:
        return compose(
            to="marie@example.net",
            from_email="news@example.org",
            from_name="Les Nouvelles",
            token=TOKEN,
            language=lang,
            list_name="Readers",
            message_id=make_confirmation_id("example.org"),
            date=NOW,
            measurement=measurement,
        )

    plain, measured = made(False), made(True)
    stated = {
        "fr": ("nous mesurions", "sur quels liens vous cliquez", "retirer cet accord"),
        "en": ("our measuring", "which of their links you click", "withdraw it at any time"),
    }[lang]
    assert all(words in measured.body for words in stated)
    assert "by writing to news@example.org" in measured.body or "écrivant à news@" in measured.body
    assert not any(words in plain.body for words in stated)
    assert states_measurement(measured.wording) and not states_measurement(plain.wording)
    # Still a plain, quoted-printable text whose confirmation paragraph comes first.
    body = measured.body
    assert body.index("répondez" if lang == "fr" else "reply to this") < body.index(stated[0])
    from email import message_from_bytes

    payload = message_from_bytes(measured.raw).get_payload(decode=True)
    assert isinstance(payload, bytes) and payload.decode("utf-8") == measured.body.replace(
        "\n", "\r\n"
    )


@pytest.mark.parametrize("raw", HOSTILE)
def test_hostile_messages_give_a_bounded_measurement(raw: bytes) -> None:
    found = classify(raw)
    assert found.measurement == ""
