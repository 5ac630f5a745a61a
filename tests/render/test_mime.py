"""The MIME message: structure, headers, CID images, personalisation."""

from __future__ import annotations

import email
import re
from email import policy

import pytest

from editor.document import ImageBlock, TextBlock
from editor.render.context import unsubscribe_mailto_template
from editor.render.engine import Renderer
from editor.render.mime import MessageError, build_message
from editor.sending.tokens import SAMPLE_TOKEN
from tests.render.helpers import newsletter, png

IMAGE = "images/" + "d" * 64 + ".png"


def message(
    contact: dict[str, str] | None = None, unsubscribe: str = "", *, one_click: bool = False
) -> email.message.EmailMessage:
    doc = newsletter(
        TextBlock(html="<p>Bonjour {{ first_name }}</p>"), ImageBlock(src=IMAGE, alt="Shop")
    )
    doc.subject = "News for {{ first_name }}"
    doc.sender.unsubscribe_url = unsubscribe
    images = {IMAGE: png()}
    rendered = Renderer(images).render(doc)
    msg = build_message(
        rendered,
        sender_name="Boulangerie Martin-Élise",
        sender_email="news@bakery.example",
        reply_to="hello@bakery.example",
        images=images,
        contact=contact,
        unsubscribe_mailto=unsubscribe_mailto_template(doc),
        one_click=one_click,
    )
    parsed = email.message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def test_structure_is_alternative_with_related_html_and_inline_images() -> None:
    msg = message({"email": "zoe@exemple.fr", "first_name": "Zoé"})
    assert msg.get_content_type() == "multipart/alternative"
    plain, related = msg.get_payload()  # type: ignore[misc]
    assert plain.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, image = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    cid = image["Content-ID"].strip("<>")
    assert f"cid:{cid}" in html_part.get_content()
    assert image.get_payload(decode=True) == png()


def test_headers_are_encoded_and_personalised() -> None:
    msg = message({"email": "zoe@exemple.fr", "first_name": "Zoé"})
    assert msg["Subject"] == "News for Zoé"
    assert msg["From"].addresses[0].display_name == "Boulangerie Martin-Élise"
    assert msg["To"].addresses[0].addr_spec == "zoe@exemple.fr"
    assert msg["Reply-To"] == "hello@bakery.example"
    assert msg["Message-ID"].endswith("@bakery.example>")
    # The tokened mailto (a sample token: no token was given), never the contact's address.
    assert str(msg["List-Unsubscribe"]).strip() == (
        f"<mailto:hello+unsub-{SAMPLE_TOKEN}@bakery.example?subject=Unsubscribe>"
    )
    assert "zoe" not in str(msg["List-Unsubscribe"])
    assert "Bonjour Zoé" in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_https_unsubscribe_is_one_click_when_the_page_accepts_it() -> None:
    msg = message(
        {"email": "zoe@exemple.fr", "unsubscribe_token": "a" * 24},
        unsubscribe="https://bakery.example/u?e={{ email }}",
        one_click=True,
    )
    # {{ email }} in the page's address carries the token instead of the address.
    assert str(msg["List-Unsubscribe"]).split() == [
        f"<mailto:hello+unsub-{'a' * 24}@bakery.example?subject=Unsubscribe>,",
        f"<https://bakery.example/u?e={'a' * 24}>",
    ]
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_https_unsubscribe_is_not_one_click_unless_the_page_accepts_it() -> None:
    msg = message({"email": "zoe@exemple.fr"}, unsubscribe="https://bakery.example/u")
    assert f"<https://bakery.example/u?token={SAMPLE_TOKEN}>" in str(msg["List-Unsubscribe"])
    assert msg["List-Unsubscribe-Post"] is None


def test_http_page_is_never_one_click() -> None:
    msg = message(
        {"email": "zoe@exemple.fr"}, unsubscribe="http://bakery.example/u", one_click=True
    )
    assert f"<http://bakery.example/u?token={SAMPLE_TOKEN}>" in str(msg["List-Unsubscribe"])
    assert msg["List-Unsubscribe-Post"] is None


def test_sample_contact_when_none_given() -> None:
    msg = message(None)
    assert msg["To"].addresses[0].addr_spec == "marie.dupont@example.com"


def test_bad_sender_address_is_a_clear_error() -> None:
    rendered = Renderer().render(newsletter(TextBlock(html="<p>x</p>")))
    with pytest.raises(MessageError, match="sender"):
        build_message(rendered, sender_name="X", sender_email="not-an-address", images={})


def _raw_headers(msg: email.message.EmailMessage) -> str:
    return msg.as_bytes().split(b"\r\n\r\n", 1)[0].decode("ascii")


def test_long_unsubscribe_url_is_not_encoded_as_an_encoded_word() -> None:
    url = "https://www.bakery.example/newsletter/unsubscribe/confirm?list=monthly&e={{ email }}"
    doc = newsletter(TextBlock(html="<p>x</p>"))
    doc.sender.unsubscribe_url = url
    msg = build_message(
        Renderer().render(doc),
        sender_name="B",
        sender_email="news@bakery.example",
        images={},
        contact={"email": "jean.pierre@example.com"},
    )
    expected = (
        "List-Unsubscribe: <https://www.bakery.example/newsletter/unsubscribe/confirm"
        f"?list=monthly&e={SAMPLE_TOKEN}>\r\n"
    )
    assert expected in _raw_headers(msg)


def test_unsubscribe_value_cannot_add_header_lines() -> None:
    doc = newsletter(TextBlock(html="<p>x</p>"))
    doc.sender.unsubscribe_url = "{{ link }}"
    contact = {"email": "a@b.example", "link": "https://x.example/u\r\nBcc: all@b.example"}
    msg = build_message(
        Renderer().render(doc),
        sender_name="B",
        sender_email="n@b.example",
        images={},
        contact=contact,
    )
    headers = _raw_headers(msg)
    assert "\r\nBcc:" not in headers
    assert (
        f"List-Unsubscribe: <https://x.example/u%0D%0ABcc:%20all@b.example?token={SAMPLE_TOKEN}>"
        in headers
    )


def test_message_id_and_from_use_an_ascii_domain() -> None:
    msg = build_message(
        Renderer().render(newsletter(TextBlock(html="<p>x</p>"))),
        sender_name="Boulangerie",
        sender_email=" news@bäckerei.example ",
        images={},
    )
    headers = _raw_headers(msg)
    assert "From: Boulangerie <news@xn--bckerei-5wa.example>\r\n" in headers
    assert re.search(r"Message-ID: <[^<>\s]+@xn--bckerei-5wa\.example>\r\n", headers)


def test_message_id_is_the_callers_or_a_fresh_default() -> None:
    rendered = Renderer().render(newsletter(TextBlock(html="<p>x</p>")))

    def build(message_id: str | None) -> email.message.EmailMessage:
        return build_message(
            rendered,
            sender_name="X",
            sender_email="news@bakery.example",
            images={},
            message_id=message_id,
        )

    chosen = "<campaign-7.contact-42@bakery.example>"
    assert build(chosen)["Message-ID"] == chosen
    first, second = build(None)["Message-ID"], build(None)["Message-ID"]
    assert first != second
    assert re.fullmatch(r"<[^<>@\s]+@bakery\.example>", first)
