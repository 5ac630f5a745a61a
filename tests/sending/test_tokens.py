"""Unsubscribe tokens: their shape, the tokened addresses, and links that never carry an address."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest

from editor.cli import run
from editor.document import Newsletter, Sender, TextBlock, from_json, to_json
from editor.package import BulletinFile, save
from editor.render.context import (
    TOKEN_TAG,
    unsubscribe_mailto_template,
    unsubscribe_page,
    unsubscribe_template,
)
from editor.render.engine import Renderer
from editor.sending.tokens import (
    SAMPLE_TOKEN,
    TOKEN_LENGTH,
    is_token,
    new_token,
    token_from_address,
    unsubscribe_mailto,
)


def test_new_tokens_are_long_random_lowercase_base32() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == TOKEN_LENGTH >= 16  # 5 bits a character: ≥ 80 bits
        assert set(token) <= set("abcdefghijklmnopqrstuvwxyz234567")
        assert is_token(token) and is_token(token.upper())
    assert is_token(SAMPLE_TOKEN)
    assert not is_token("[unsubscribe_token]") and not is_token("")


def test_tokened_address_and_back() -> None:
    token = new_token()
    address = unsubscribe_mailto("news@example.org", token)
    assert address == f"news+unsub-{token}@example.org"
    assert token_from_address(address) == token
    # A mail system that case-folds the local part still gives the same token.
    assert token_from_address(address.upper()) == token
    assert token_from_address(f'"Marie" <{address}>') == token


def test_idn_domain_is_ascii_and_an_existing_tag_is_kept() -> None:
    token = new_token()
    address = unsubscribe_mailto("lettre+fr@bäckerei.example", token)
    assert address == f"lettre+fr+unsub-{token}@xn--bckerei-5wa.example"
    assert token_from_address(address) == token


@pytest.mark.parametrize(
    "address",
    ["news@example.org", "news+fr@example.org", "news+unsub-short@example.org", "no-at-sign", ""],
)
def test_addresses_without_a_token_give_none(address: str) -> None:
    assert token_from_address(address) is None


@pytest.mark.parametrize("bad", ["", "no-at-sign", "a@", "a b@example.org", "a@b\r\nBcc: x"])
def test_unusable_sender_address_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        unsubscribe_mailto(bad, new_token())


def _doc(page: str = "", language: str = "en") -> Newsletter:
    return Newsletter(
        subject="News",
        language=language,
        sender=Sender("Shop", "news@shop.example", "hello@shop.example", page),
        blocks=[TextBlock(html="<p>x</p>")],
    )


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("https://shop.example/u", f"https://shop.example/u?token={TOKEN_TAG}"),
        ("https://shop.example/u?l=2", f"https://shop.example/u?l=2&token={TOKEN_TAG}"),
        ("https://shop.example/u#top", f"https://shop.example/u?token={TOKEN_TAG}#top"),
        ("https://shop.example/u/{{ token }}", f"https://shop.example/u/{TOKEN_TAG}"),
        ("https://shop.example/u?t={{unsubscribe_token}}", f"https://shop.example/u?t={TOKEN_TAG}"),
        # A page written for the address gets the token in its place.
        ("https://shop.example/u?email={{ email }}", f"https://shop.example/u?email={TOKEN_TAG}"),
        ("https://shop.example/u?e={{ email | lower }}", f"https://shop.example/u?e={TOKEN_TAG}"),
    ],
)
def test_page_carries_the_token(page: str, expected: str) -> None:
    assert unsubscribe_page(_doc(page)) == expected
    assert unsubscribe_template(_doc(page)) == expected


def test_no_page_is_a_tokened_mailto_to_the_reply_to_in_the_newsletter_language() -> None:
    assert unsubscribe_page(_doc()) == ""
    assert unsubscribe_template(_doc(language="fr")) == (
        f"mailto:hello+unsub-{TOKEN_TAG}@shop.example?subject=D%C3%A9sabonnement"
    )
    assert unsubscribe_mailto_template(_doc(language="en")).endswith("?subject=Unsubscribe")


@pytest.mark.parametrize("page", ["", "https://shop.example/u?email={{ email }}"])
def test_rendered_links_never_hold_the_address(page: str) -> None:
    rendered = Renderer().render(_doc(page))
    contact = {"email": "zoe@exemple.fr", "unsubscribe_token": "b" * 24}
    html = rendered.html_for(contact)
    text = rendered.text_for(contact)
    for out in (html, text):
        assert "zoe" not in out
        assert "b" * 24 in out
    # The preview (no token given) shows the sample token, never a placeholder.
    assert SAMPLE_TOKEN in rendered.html_for()


def test_one_click_flag_round_trips_through_json() -> None:
    doc = _doc("https://shop.example/u")
    assert doc.sender.one_click_unsubscribe is False
    doc.sender.one_click_unsubscribe = True
    data = to_json(doc)
    assert data["sender"]["one_click_unsubscribe"] is True
    assert from_json(data).sender.one_click_unsubscribe is True
    del data["sender"]["one_click_unsubscribe"]  # a document saved before the flag existed
    assert from_json(data).sender.one_click_unsubscribe is False


def test_render_eml_writes_a_sample_token_not_the_address(tmp_path: Path) -> None:
    doc = _doc("https://shop.example/unsubscribe?email={{ email }}")
    doc.sender.one_click_unsubscribe = True
    path = tmp_path / "n.bulletin"
    save(BulletinFile(doc), path)
    eml = tmp_path / "n.eml"
    assert run(["render", str(path), "--eml", str(eml)]) == 0
    raw = eml.read_bytes()
    assert b"marie.dupont%40example.com" not in raw and b"?email=marie" not in raw
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert str(msg["List-Unsubscribe"]).split() == [
        f"<mailto:hello+unsub-{SAMPLE_TOKEN}@shop.example?subject=Unsubscribe>,",
        f"<https://shop.example/unsubscribe?email={SAMPLE_TOKEN}>",
    ]
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html_part = msg.get_body(("html",))
    assert html_part is not None
    assert f"https://shop.example/unsubscribe?email={SAMPLE_TOKEN}" in html_part.get_content()
