"""Link wrapping and the pixel in the message factory: signed links for consenting recipients
only, the unsubscribe link never wrapped, everyone else's message byte for byte as today."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from editor.sending.frozen import FrozenNewsletter
from editor.sending.message import MessageFactory, Recipient
from editor.sending.tokens import new_token
from editor.tracking.campaign import link_plan
from editor.tracking.links import LinkPlan, Measurement, sign, wrap_html
from tests.sending.campaign_support import frozen
from tests.tracking.support import hrefs, html_of, params, text_of

ENDPOINT = "https://mesure.example/track.php"
SECRET = "links-test-secret-0123"
TOKEN = "MeasureTokenMeasure001"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def with_extra_links(f: FrozenNewsletter) -> FrozenNewsletter:
    """The starter plus a link with a merge tag in its query, one that is only a merge tag,
    a mailto and a second link carrying the unsubscribe token."""
    tags = f.rendered.tags
    extra = "".join(
        f'<a href="{html.escape(tags.mark_url(url), quote=True)}">x</a>'
        for url in (
            "https://shop.example/hello?name={{ first_name }}&utm_source=newsletter",
            "{{ website }}",
            "mailto:shop@example.org",
            "https://shop.example/prefs?t={{ unsubscribe_token }}",
        )
    )
    f.rendered.html = f.rendered.html.replace("</body>", extra + "</body>")
    return f


def factories(f: FrozenNewsletter, tokens: dict[int, str]) -> tuple[MessageFactory, MessageFactory]:
    measurement = Measurement(ENDPOINT, SECRET, tokens, link_plan(f))
    common = {
        "from_name": "Les Nouvelles",
        "from_email": "news@example.org",
        "list_id": "Readers",
        "campaign_uid": "c0ffee",
        "now": lambda: NOW,
    }
    return (
        MessageFactory(f, measurement=measurement, **common),  # type: ignore[arg-type]
        MessageFactory(f, **common),  # type: ignore[arg-type]
    )


def recipient(delivery_id: int, token: str) -> Recipient:
    return Recipient(
        delivery_id,
        delivery_id,
        f"reader{delivery_id}@example.org",
        "Zoé",
        "Martin",
        {"website": "https://zoe.example/"},
        token,
    )


@pytest.fixture
def newsletter() -> FrozenNewsletter:
    return with_extra_links(frozen())


def test_a_recipient_without_a_token_gets_todays_bytes(newsletter: FrozenNewsletter) -> None:
    measured, plain = factories(newsletter, {2: TOKEN})
    someone = recipient(1, new_token())
    assert measured.build(someone, "<a.1@example.org>") == plain.build(someone, "<a.1@example.org>")
    # An empty measurement (no consenting recipient) changes nothing either.
    nobody, _plain = factories(newsletter, {})
    assert nobody.build(someone, "<a.1@example.org>") == plain.build(someone, "<a.1@example.org>")


def test_consenting_recipient_gets_signed_links_and_the_pixel(
    newsletter: FrozenNewsletter,
) -> None:
    measured, plain = factories(newsletter, {2: TOKEN})
    reader = recipient(2, new_token())
    data = measured.build(reader, "<a.2@example.org>")
    before = hrefs(html_of(plain.build(reader, "<a.2@example.org>")))
    after = hrefs(html_of(data))
    assert len(before) == len(after)
    wrapped = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(wrapped) == len(link_plan(newsletter).labels) == 5  # 4 of the starter + 1
    for n, (original, link) in enumerate(wrapped):
        assert link.startswith(ENDPOINT + "?c=")
        p = params(link)
        assert (p["c"], p["l"], p["u"]) == (TOKEN, str(n), original)
        assert p["s"] == sign(SECRET, TOKEN, n, original)
    # UTM parameters come first, then the wrapping: the signed URL carries them.
    assert "utm_source=newsletter" in wrapped[0][0] == params(wrapped[0][1])["u"]
    # The merge value is in the signed URL (filled, then wrapped), percent-encoded.
    assert any(params(a)["u"].endswith("name=Zo%C3%A9&utm_source=newsletter") for _b, a in wrapped)
    # Left alone: the unsubscribe link, the link carrying the token, mailto, the link that is
    # only a merge tag (its address unknown until sending).
    kept = [b for b, a in zip(before, after, strict=True) if b == a]
    assert any("unsubscribe" in k and reader.token in k for k in kept)
    assert f"https://shop.example/prefs?t={reader.token}" in kept
    assert "mailto:shop@example.org" in kept and "https://zoe.example/" in kept
    page = html_of(data)
    pixel = f'<img src="{html.escape(ENDPOINT)}?o={TOKEN}" width="1" height="1"'
    assert page.count(pixel) == 1 and page.index(pixel) < page.index("</body>")
    # The text part is not measured; the headers' unsubscribe link is the usual one.
    assert text_of(data) == text_of(plain.build(reader, "<a.2@example.org>"))
    assert ENDPOINT not in data.split(b"\r\n\r\n", 1)[0].decode()


def test_the_unsubscribe_link_stays_even_if_a_plan_named_it() -> None:
    page = '<a href="https://s.example/unsub?t=tok123">u</a><a href="https://s.example/">s</a>'
    plan = LinkPlan(slots=(0, 1), labels=("x", "y"))
    out = wrap_html(
        page,
        plan,
        endpoint=ENDPOINT,
        secret=SECRET,
        token=TOKEN,
        unsubscribe=("https://s.example/unsub?t=tok123", "tok123"),
    )
    assert 'href="https://s.example/unsub?t=tok123"' in out
    assert out.count(ENDPOINT + "?c=") == 1


def test_labels_keep_merge_tags_and_leave_out_unsubscribe(newsletter: FrozenNewsletter) -> None:
    labels = link_plan(newsletter).labels
    assert "https://shop.example/hello?name={{ first_name }}&utm_source=newsletter" in labels
    assert not any("unsubscribe" in label or "prefs" in label for label in labels)
    assert all(not re.search(r"BMT[TQWC][0-9a-f]{12}Z", label) for label in labels)


def test_signature_is_over_token_link_and_url() -> None:
    base = sign(SECRET, TOKEN, 0, "https://a.example/")
    assert len(base) == 22
    assert base != sign(SECRET, TOKEN, 1, "https://a.example/")
    assert base != sign(SECRET, TOKEN, 0, "https://a.example/x")
    assert base != sign(SECRET, "OtherTokenOtherToken01", 0, "https://a.example/")
    assert base != sign("another-secret-0123", TOKEN, 0, "https://a.example/")
