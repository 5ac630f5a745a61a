"""Each recipient's message: parsed back with the email package and compared with the slow,
reference path (:func:`editor.render.mime.build_message`), hostile values included."""

from __future__ import annotations

import email
import re
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from typing import Any

import pytest

from editor.document import (
    ButtonBlock,
    FooterBlock,
    ImageBlock,
    Newsletter,
    Sender,
    SocialBlock,
    SocialLink,
    TextBlock,
)
from editor.package import BulletinFile
from editor.render.context import unsubscribe_mailto_template
from editor.render.mime import MessageError, build_message
from editor.sending.frozen import FrozenNewsletter, freeze
from editor.sending.message import (
    MessageFactory,
    Recipient,
    format_address,
    make_list_id,
    make_message_id,
    quoted_printable,
)
from editor.sending.tokens import new_token, token_from_address
from tests.render.helpers import png

IMAGE = "images/" + "c" * 64 + ".png"
FIXED = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)


def document(page: str = "", one_click: bool = False, subject: str = "") -> BulletinFile:
    doc = Newsletter(
        subject=subject or "Nouvelles pour {{ first_name | default('vous') }} — {{ city }}",
        preheader="Le pain du mois",
        language="fr",
        sender=Sender(
            "Boulangerie Martin-Élise",
            "news@boulangerie.example",
            "bonjour@boulangerie.example",
            page,
            one_click,
        ),
        blocks=[
            TextBlock(
                html="<p>Bonjour {{ first_name }} {{ last_name }} de {{ city }} !</p>"
                "<p>{{ note | default('') }}</p>"
            ),
            ImageBlock(src=IMAGE, alt="Pain"),
            ButtonBlock(label="Voir", url="https://boulangerie.example/?m={{ email }}"),
            SocialBlock(links=[SocialLink(network="facebook", url="https://facebook.com/b")]),
            FooterBlock(company="Boulangerie Martin", address="1 rue du Pain"),
        ],
    )
    return BulletinFile(doc, {IMAGE: png()})


def factory(frozen: FrozenNewsletter, **changes: Any) -> MessageFactory:
    options: dict[str, Any] = {
        "from_name": "Boulangerie Martin-Élise",
        "from_email": "news@boulangerie.example",
        "reply_to": "bonjour@boulangerie.example",
        "list_id": "Boulangerie Martin",
        "campaign_uid": "3f2a",
        "now": lambda: FIXED,
    }
    options.update(changes)
    return MessageFactory(frozen, **options)


def parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def recipient(**values: Any) -> Recipient:
    fields = values.pop("fields", {"city": "Lyon"})
    values.setdefault("email", "zoe@exemple.fr")
    values.setdefault("token", new_token())
    return Recipient(delivery_id=7, contact_id=3, fields=fields, **values)


def raw_header(data: bytes, name: str) -> str:
    """A header's value as written (unfolded), before any decoding."""
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii").replace("\r\n ", " ")
    for line in head.split("\r\n"):
        if line.startswith(f"{name}: "):
            return line[len(name) + 2 :]
    raise KeyError(name)


def header_names(data: bytes) -> list[str]:
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii")
    return [line.split(":", 1)[0] for line in head.split("\r\n") if not line[:1].isspace()]


HOSTILE = [
    {"first_name": "Zoé", "last_name": "D'Arc"},
    {
        "first_name": 'Eve "the hacker"\r\nBcc: all@evil.example',
        "last_name": "<x@evil.example>, Mallory",
    },
    {"first_name": "🎉 Émile 😀", "last_name": "مريم‮ עברית"},
    {"first_name": "A" * 200, "last_name": "Ω" * 120},
    {"first_name": "Zoé-Marie Dupont-Étienne", "last_name": "de la Fontaine " * 4},
    {
        "first_name": "Jean",
        "fields": {
            "city": "Saint-Rémy\r\nX-Evil: 1",
            "note": "x" * 1200 + "\r\n.\r\nQUIT\r\n" + "é" * 500,
        },
    },
    {"first_name": "=?utf-8?b?SGk=?=", "last_name": "\t\x0b\x0c", "fields": {"city": "=?"}},
]


@pytest.mark.parametrize("values", HOSTILE)
@pytest.mark.parametrize("page", ["", "https://boulangerie.example/desinscription?e={{ email }}"])
def test_fast_message_matches_the_reference_path(values: dict[str, Any], page: str) -> None:
    file = document(page, one_click=True)
    frozen = freeze(file)
    person = recipient(**dict(values))
    data = factory(frozen).build(person, make_message_id("3f2a", 7, "boulangerie.example"))
    fast = parse(data)
    contact = dict(person.fields) | {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "unsubscribe_token": person.token,
    }
    slow = parse(
        build_message(
            frozen.rendered,
            sender_name="Boulangerie Martin-Élise",
            sender_email="news@boulangerie.example",
            reply_to="bonjour@boulangerie.example",
            images=file.images,
            contact=contact,
            unsubscribe_mailto=unsubscribe_mailto_template(file.newsletter),
            one_click=True,
        ).as_bytes()
    )
    for name in ("From", "Reply-To"):
        assert fast[name].addresses == slow[name].addresses, name
    # Python's parser puts a space between the encoded words of a long name (on both paths,
    # at different places); an RFC 2047 reader joins them: that is what the fast path must get.
    (fast_to,), (slow_to,) = fast["To"].addresses, slow["To"].addresses
    assert fast_to.addr_spec == slow_to.addr_spec == person.email
    assert fast_to.display_name.split() == slow_to.display_name.split() or "".join(
        fast_to.display_name.split()
    ) == "".join(slow_to.display_name.split())
    expected_name = " ".join(f"{person.first_name} {person.last_name}".split())
    raw_to = str(make_header(decode_header(raw_header(data, "To"))))
    if '"' not in raw_to:
        assert raw_to in (f"{expected_name} <{person.email}>", person.email)
    subject = " ".join(frozen.rendered.subject_for(contact).split())
    assert fast["Subject"] == subject
    if "=?" not in subject:  # the email package lets a value read as an encoded word
        assert slow["Subject"] == subject
    assert fast["List-Unsubscribe"].split() == slow["List-Unsubscribe"].split()
    assert fast["List-Unsubscribe-Post"] == slow["List-Unsubscribe-Post"]
    assert fast["Precedence"] == slow["Precedence"] == "bulk"
    for kind in ("plain", "html"):
        fast_body, slow_body = fast.get_body((kind,)), slow.get_body((kind,))
        assert fast_body is not None and slow_body is not None
        assert fast_body.get_content() == slow_body.get_content(), kind
    assert [p.get_content_type() for p in fast.walk()] == [
        p.get_content_type() for p in slow.walk()
    ]
    # No value added a header, and the bytes are 7-bit with short lines.
    assert header_names(data) == header_names(
        factory(frozen).build(recipient(), make_message_id("3f2a", 7, "boulangerie.example"))
    )
    assert data.isascii()
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    body = data.split(b"\r\n\r\n", 1)[1]
    content = [line for line in body.split(b"\r\n") if not line.startswith(b"Content-")]
    assert max(len(line) for line in content) <= 76  # QP and base64 lines
    assert b"\r" not in data.replace(b"\r\n", b"") and b"\n" not in data.replace(b"\r\n", b"")


def test_structure_headers_and_images() -> None:
    file = document()
    frozen = freeze(file)
    token = new_token()
    message_id = make_message_id("3f2a", 7, "bäckerei.example")
    data = factory(frozen).build(
        recipient(first_name="Zoé", last_name="Durand", token=token), message_id
    )
    msg = parse(data)
    assert msg.get_content_type() == "multipart/alternative"
    plain, related = msg.get_payload()  # type: ignore[misc]
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    assert related.get_param("type") == "text/html"
    html_part = related.get_payload()[0]
    assert html_part.get_content_type() == "text/html"
    html = html_part.get_content()
    # Every cid: the HTML uses has its part, with the image's very bytes.
    cids = set(re.findall(r'src="cid:([^"]+)"', html))
    parts = {p["Content-ID"].strip("<>"): p for p in related.get_payload()[1:]}
    assert cids and cids == set(parts)
    assert any(p.get_payload(decode=True) == png() for p in parts.values())
    assert "bulletin-image:" not in html
    # Headers.
    assert str(msg["To"]) == "Zoé Durand <zoe@exemple.fr>"
    assert msg["From"].addresses[0].display_name == "Boulangerie Martin-Élise"
    assert msg["Reply-To"] == "bonjour@boulangerie.example"
    assert msg["Subject"] == "Nouvelles pour Zoé — Lyon"
    assert msg["Date"].datetime == FIXED
    assert msg["Message-ID"] == message_id
    assert message_id.startswith("<c3f2a.7.") and message_id.endswith("@xn--bckerei-5wa.example>")
    assert msg["List-Id"] == "Boulangerie Martin <boulangerie-martin.boulangerie.example>"
    assert msg["X-Mailer"] == "Bulletin"
    assert msg["Precedence"] == "bulk" and msg["Auto-Submitted"] is None
    assert "Bonjour Zoé Durand de Lyon" in plain.get_content()
    assert "Bonjour Zoé Durand de Lyon" in html
    assert "https://boulangerie.example/?m=zoe%40exemple.fr" in html


def test_list_unsubscribe_without_a_page_is_the_tokened_mailto() -> None:
    token = new_token()
    msg = parse(factory(freeze(document())).build(recipient(token=token), "<a@b.example>"))
    expected = f"<mailto:bonjour+unsub-{token}@boulangerie.example?subject=D%C3%A9sabonnement>"
    assert msg["List-Unsubscribe"] == expected
    assert msg["List-Unsubscribe-Post"] is None
    assert token_from_address(f"bonjour+unsub-{token}@boulangerie.example") == token
    # The body's link is the same per-recipient value.
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f"mailto:bonjour+unsub-{token}@boulangerie.example" in html
    # The recipient's address is not in it (the random token may spell "zoe" by chance).
    assert "zoe" not in msg["List-Unsubscribe"].replace(token, "")


@pytest.mark.parametrize(
    ("page", "one_click", "post"),
    [
        ("https://boulangerie.example/u", False, False),
        ("https://boulangerie.example/u", True, True),
        ("http://boulangerie.example/u", True, False),
    ],
)
def test_list_unsubscribe_with_a_page(page: str, one_click: bool, post: bool) -> None:
    token = new_token()
    msg = parse(
        factory(freeze(document(page, one_click))).build(recipient(token=token), "<a@b.example>")
    )
    url = f"{page}?token={token}"
    assert msg["List-Unsubscribe"].split() == [
        f"<mailto:bonjour+unsub-{token}@boulangerie.example?subject=D%C3%A9sabonnement>,",
        f"<{url}>",
    ]
    assert (msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click") is post
    if not post:
        assert msg["List-Unsubscribe-Post"] is None
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert f'href="{url}"' in html
    assert "zoe" not in msg["List-Unsubscribe"].replace(token, "")


def test_injection_through_names_subject_and_fields_adds_no_header() -> None:
    evil = "x\r\nBcc: all@evil.example\r\n\r\n<script>"
    file = document(subject="Hi {{ city }}")
    frozen = freeze(file)
    fac = factory(frozen, from_name="Shop\r\nBcc: a@evil.example", subject_prefix="[TEST]\r\nX: 1")
    data = fac.build(
        recipient(first_name=evil, last_name="\x00\x1b", fields={"city": evil}),
        "<a@b.example>",
    )
    names = header_names(data)
    assert "Bcc" not in names and "X" not in names
    assert names.count("Subject") == 1
    msg = parse(data)
    assert "\n" not in str(msg["Subject"]) and msg["Subject"].startswith("[TEST] X: 1 Hi x Bcc:")
    assert msg["To"].addresses[0].addr_spec == "zoe@exemple.fr"
    assert "<script>" not in msg.get_body(("html",)).get_content()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "address",
    ["a@", "@b.example", "a b@example.org", "a@b.example\r\nBcc: x@y", "<a@b.example>", "é@b.fr"],
)
def test_unusable_recipient_address_is_refused(address: str) -> None:
    fac = factory(freeze(document()))
    with pytest.raises(MessageError):
        fac.build(recipient(email=address), "<a@b.example>")


def test_message_id_and_token_are_required_and_checked() -> None:
    fac = factory(freeze(document()))
    with pytest.raises(MessageError):
        fac.build(recipient(), "no-brackets@b.example")
    with pytest.raises(MessageError):
        fac.build(recipient(), "<a@b.example>\r\nBcc: x@y")
    with pytest.raises(MessageError):
        fac.build(recipient(token=""), "<a@b.example>")


def test_a_field_this_contact_lacks_is_empty_and_takes_its_default() -> None:
    msg = parse(
        factory(freeze(document())).build(recipient(first_name="", fields={}), "<a@b.example>")
    )
    assert msg["Subject"] == "Nouvelles pour vous —"
    assert "Bonjour de !" in " ".join(msg.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]


def test_bad_sender_is_refused_once_per_campaign() -> None:
    with pytest.raises(MessageError):
        factory(freeze(document()), from_email="not-an-address")


def test_long_subject_is_folded_and_reads_back_whole() -> None:
    words = " ".join(f"mot{i}" for i in range(80))
    file = document(subject=words + " " + "y" * 950 + " fin")
    msg_bytes = factory(freeze(file)).build(recipient(), "<a@b.example>")
    assert parse(msg_bytes)["Subject"] == words + " " + "y" * 950 + " fin"
    assert max(len(line) for line in msg_bytes.split(b"\r\n")) <= 998


def test_boundaries_and_bytes_are_the_same_for_the_same_campaign() -> None:
    frozen = freeze(document())
    person = recipient()
    one = factory(frozen).build(person, "<a@b.example>")
    assert one == factory(frozen).build(person, "<a@b.example>")
    assert one != factory(frozen, campaign_uid="other").build(person, "<a@b.example>")


def test_address_formatting() -> None:
    assert format_address("", "a@b.example") == "a@b.example"
    assert format_address("Zoé", "a@b.example").startswith("=?utf-8?b?")
    assert format_address('Dr. "X"', "a@b.example") == '"Dr. \\"X\\"" <a@b.example>'
    assert format_address("Ann", "a@bäckerei.example") == "Ann <a@xn--bckerei-5wa.example>"
    list_id = make_list_id("Lettre d'Été", "bäckerei.example")
    assert list_id.endswith(" <lettre-d-ete.xn--bckerei-5wa.example>")
    assert str(make_header(decode_header(list_id))).startswith("Lettre d'Été <")
    assert make_list_id("", "b.example") == "<newsletter.b.example>"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Clients + Presse", "Clients + Presse <clients-presse.boulangerie.example>"),
        ("Clients >", '"Clients >" <clients.boulangerie.example>'),
        ('"News" <news.shop.example>', "News <news.shop.example>"),
        ("Été <ete.shop.example>", "=?utf-8?b?w4l0w6k=?= <ete.shop.example>"),
        (
            "x\r\nBcc: y@evil.example",
            '"x Bcc: y@evil.example" <x-bcc-y-evil-example.boulangerie.example>',
        ),
    ],
)
def test_list_id_from_a_name_or_a_whole_value(given: str, expected: str) -> None:
    data = factory(freeze(document()), list_id=given).build(recipient(), "<a@b.example>")
    assert raw_header(data, "List-Id") == expected
    assert "Bcc" not in header_names(data)


def test_unsafe_page_link_keeps_the_mailto_in_the_header() -> None:
    file = document("{{ site }}")
    token = new_token()
    data = factory(freeze(file)).build(
        recipient(token=token, fields={"city": "Lyon", "site": "javascript:alert(1)"}),
        "<a@b.example>",
    )
    expected = f"<mailto:bonjour+unsub-{token}@boulangerie.example?subject=D%C3%A9sabonnement>"
    assert raw_header(data, "List-Unsubscribe") == expected


def test_quoted_printable_lines_and_line_ends() -> None:
    text = "a" * 200 + "\n.\nfin \r\nb\rc"
    out = quoted_printable(text)
    assert all(len(line) <= 76 for line in out.split(b"\r\n"))
    assert b"\n" not in out.replace(b"\r\n", b"") and b"\r" not in out.replace(b"\r\n", b"")
    import quopri

    assert quopri.decodestring(out).decode() == "a" * 200 + "\r\n.\r\nfin \r\nb\r\nc"
