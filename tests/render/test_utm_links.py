"""UTM parameters in rendered newsletters: on promoted links only, in both parts, as set."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from editor.commands import SetDocumentField
from editor.document import (
    ButtonBlock,
    Column,
    ColumnsBlock,
    DocumentError,
    ImageBlock,
    Newsletter,
    PostsBlock,
    SocialBlock,
    SocialLink,
    TextBlock,
    Utm,
    from_json,
    normalised,
    to_json,
)
from editor.feeds import Post
from editor.render.engine import Renderer
from tests.render.helpers import newsletter

UTM = "utm_source=newsletter&amp;utm_medium=email&amp;utm_campaign=our-news"
UTM_TEXT = UTM.replace("&amp;", "&")


class OneFeed:
    def posts(self, url: str, count: int) -> list[Post]:
        return [Post("Levain", "https://blog.example/levain", datetime(2026, 3, 3, tzinfo=UTC))]


def _doc() -> Newsletter:
    return newsletter(
        TextBlock(
            id="t",
            html='<p><a href="https://x.example/a?b=1#top">shop</a> '
            '<a href="mailto:hi@x.example">write</a> <a href="tel:+33123">call</a></p>',
        ),
        ButtonBlock(id="b", label="Order", url="https://x.example/order?e={{ email }}"),
        ImageBlock(id="i", src="https://cdn.example/i.png", alt="Shop", link="https://x.example"),
        ColumnsBlock(
            id="c",
            columns=[
                Column([ButtonBlock(id="b2", label="In", url="https://x.example/col")]),
                Column(),
            ],
        ),
        PostsBlock(id="p", feed_url="https://blog.example/feed"),
        SocialBlock(id="s", links=[SocialLink("instagram", "https://instagram.com/bakery")]),
    )


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_promoted_links_carry_the_parameters_in_the_html() -> None:
    rendered = Renderer(feeds=OneFeed()).render(_doc())
    html = rendered.html_for({"email": "zoé@x.example"})
    hrefs = _hrefs(html)
    assert f"https://x.example/a?b=1&amp;{UTM}#top" in hrefs
    assert f"https://x.example/order?e=zo%C3%A9%40x.example&amp;{UTM}" in hrefs
    assert f"https://x.example/?{UTM}" in hrefs
    assert f"https://x.example/col?{UTM}" in hrefs
    assert f"https://blog.example/levain?{UTM}" in hrefs
    assert "https://cdn.example/i.png" in html  # an image's own address is not a link
    assert "mailto:hi@x.example" in hrefs
    assert "tel:+33123" in hrefs
    assert "https://instagram.com/bakery" in hrefs
    unsubscribe = [h for h in hrefs if "unsub" in h]
    assert unsubscribe
    assert not any("utm_" in h for h in unsubscribe)
    assert not any(
        "utm_" in h and ("instagram" in h or h.startswith(("mailto", "tel"))) for h in hrefs
    )


def test_the_text_part_carries_the_same_links() -> None:
    text = Renderer(feeds=OneFeed()).render(_doc()).text_for({"email": "a@x.example"})
    assert f"https://x.example/a?b=1&{UTM_TEXT}#top" in text
    assert f"https://x.example/order?e=a%40x.example&{UTM_TEXT}" in text
    assert f"https://x.example/?{UTM_TEXT}" in text
    assert f"https://blog.example/levain?{UTM_TEXT}" in text
    social = [line for line in text.splitlines() if "instagram.com" in line]
    assert social == ["Instagram: https://instagram.com/bakery"]
    unsubscribe = [line for line in text.splitlines() if "unsub" in line]
    assert unsubscribe
    assert not any("utm_" in line for line in unsubscribe)


def test_turned_off_no_link_changes_and_the_cache_follows() -> None:
    doc = _doc()
    renderer = Renderer(feeds=OneFeed())
    assert "utm_" in renderer.render(doc).html
    doc.utm.enabled = False
    rendered = renderer.render(doc)
    assert "utm_" not in rendered.html
    assert "utm_" not in rendered.text_for({"email": "a@x.example"})


def test_edited_values_are_used_and_encoded() -> None:
    doc = _doc()
    renderer = Renderer(feeds=OneFeed())
    doc.utm = Utm(source="lettre", medium="", campaign="Soldes d’été")
    html = renderer.render(doc).html
    assert (
        "https://x.example/col?utm_source=lettre&amp;utm_campaign=Soldes%20d%E2%80%99%C3%A9t%C3%A9"
        in html
    )
    assert "utm_medium" not in html
    doc.utm.campaign = ""
    doc.subject = "Octobre au fournil"
    assert "utm_campaign=octobre-au-fournil" in renderer.render(doc).html


def test_json_round_trip_and_old_files_get_the_default() -> None:
    doc = _doc()
    doc.utm = Utm(enabled=False, source="s", medium="m", campaign="c")
    data = to_json(doc)
    assert data["utm"] == {"enabled": False, "source": "s", "medium": "m", "campaign": "c"}
    assert from_json(data).utm == doc.utm
    del data["utm"]
    assert from_json(data).utm == Utm(True, "newsletter", "email", "")


@pytest.mark.parametrize(
    "bad",
    [
        {"enabled": "yes"},
        {"source": 3},
        {"campaign": "a\nb"},
        {"medium": "x" * 101},
        [],
    ],
)
def test_bad_utm_settings_are_refused_on_load(bad: object) -> None:
    data = to_json(_doc())
    data["utm"] = bad
    with pytest.raises(DocumentError):
        from_json(data)


def test_set_through_the_document_field_command_with_undo() -> None:
    doc = _doc()
    undo = SetDocumentField("utm.campaign", "spring").apply(doc)
    assert doc.utm.campaign == "spring"
    assert SetDocumentField("utm.campaign", "").label == "Edit link tracking"
    undo.apply(doc)
    assert doc.utm.campaign == ""
    SetDocumentField("utm.enabled", False).apply(doc)
    assert doc.utm.enabled is False
    with pytest.raises(DocumentError):
        SetDocumentField("utm.source", "a\tb").apply(doc)
    with pytest.raises(DocumentError):
        SetDocumentField("utm", Utm()).apply(doc)
    assert normalised(doc, "utm", Utm(source="x")) == Utm(source="x")
