"""The frozen copy: rendered once, self-contained, and read back into byte-identical messages."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

import pytest

from editor.document import (
    Newsletter,
    PostsBlock,
    Sender,
    SocialBlock,
    SocialLink,
    TextBlock,
)
from editor.feeds import Post
from editor.findings import MERGE_NOT_ALLOWED
from editor.merge import MergeTagError
from editor.package import BulletinFile
from editor.sending.frozen import FrozenError, freeze, from_bytes, to_bytes
from editor.sending.message import MessageFactory, Recipient
from tests.sending.test_message import IMAGE, document

FIXED = datetime(2026, 3, 2, 18, 30, tzinfo=UTC)


class Feeds:
    """The latest-posts block's source (what the feed cache gives the renderer)."""

    def __init__(self, titles: list[str]) -> None:
        self.titles = titles

    def posts(self, url: str, count: int) -> list[Post]:
        return [
            Post(title=t, link=f"https://blog.example/{i}", excerpt="", image="", date=None)
            for i, t in enumerate(self.titles[:count])
        ]


def messages(frozen_bytes: bytes) -> list[bytes]:
    frozen = from_bytes(frozen_bytes)
    factory = MessageFactory(
        frozen,
        from_name="Boulangerie",
        from_email="news@boulangerie.example",
        list_id="Boulangerie",
        campaign_uid="c1",
        now=lambda: FIXED,
    )
    people = [
        Recipient(1, 1, "zoe@exemple.fr", "Zoé", "Durand", {"city": "Lyon"}, "a" * 24),
        Recipient(2, 2, "bob@example.com", "", "", {"city": "Nice", "note": "é" * 90}, "b" * 24),
    ]
    return [factory.build(p, f"<c1.{p.delivery_id}.x@boulangerie.example>") for p in people]


def test_round_trip_gives_byte_identical_messages() -> None:
    frozen = freeze(document("https://boulangerie.example/u", one_click=True))
    data = to_bytes(frozen)
    again = to_bytes(from_bytes(data))
    assert again == data
    direct = MessageFactory(
        frozen,
        from_name="Boulangerie",
        from_email="news@boulangerie.example",
        list_id="Boulangerie",
        campaign_uid="c1",
        now=lambda: FIXED,
    )
    first = direct.build(
        Recipient(1, 1, "zoe@exemple.fr", "Zoé", "Durand", {"city": "Lyon"}, "a" * 24),
        "<c1.1.x@boulangerie.example>",
    )
    assert messages(data)[0] == first
    assert messages(data) == messages(again)


def test_frozen_copy_keeps_everything_it_needs() -> None:
    file = document()
    file.newsletter.blocks.append(
        SocialBlock(links=[SocialLink(network="instagram", url="https://instagram.com/b")])
    )
    frozen = freeze(file)
    back = from_bytes(to_bytes(frozen))
    # Document images and the bundled icons, so a resumed campaign never reads the app's files.
    assert set(back.images) == set(frozen.rendered.images) == set(frozen.images)
    assert IMAGE in back.images
    assert any(not ref.startswith("images/") for ref in back.images)  # the social icons
    assert back.images[IMAGE] == file.images[IMAGE]
    assert back.subject == file.newsletter.subject
    assert back.language == "fr"
    assert back.findings == frozen.findings
    assert back.rendered.tags.expressions.keys() == frozen.rendered.tags.expressions.keys()
    # Compact: the HTML is compressed, the images are stored once as they are.
    html_size = len(frozen.rendered.html.encode())
    assert len(to_bytes(frozen)) < html_size / 2 + sum(len(b) for b in frozen.images.values())


def test_merge_fields_are_the_contact_fields_used() -> None:
    frozen = freeze(document("https://boulangerie.example/u?e={{ email }}"))
    assert frozen.merge_fields() == {"first_name", "last_name", "city", "note", "email"}
    plain = freeze(BulletinFile(Newsletter(subject="Hi", blocks=[TextBlock(html="<p>x</p>")])))
    assert plain.merge_fields() == set()  # the unsubscribe token is the message's own


def test_posts_come_from_the_cache_when_frozen_and_stay() -> None:
    doc = Newsletter(
        subject="News",
        sender=Sender("Shop", "news@shop.example"),
        blocks=[PostsBlock(feed_url="https://blog.example/feed", count=2)],
    )
    feeds = Feeds(["Premier billet", "Second billet", "Troisième"])
    frozen = freeze(BulletinFile(doc), feeds)
    feeds.titles = ["Changed"]
    back = from_bytes(to_bytes(frozen))
    assert "Premier billet" in back.rendered.html and "Second billet" in back.rendered.text
    assert "Troisième" not in back.rendered.html and "Changed" not in back.rendered.html


def test_a_tag_outside_the_grammar_refuses_to_freeze() -> None:
    doc = Newsletter(subject="Hi", blocks=[TextBlock(html="<p>{{ ''.__class__ }}</p>")])
    with pytest.raises(MergeTagError) as caught:
        freeze(BulletinFile(doc))
    assert caught.value.code == MERGE_NOT_ALLOWED


def test_missing_image_refuses_to_freeze() -> None:
    file = document()
    file.images.clear()
    with pytest.raises(FrozenError):
        freeze(file)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: b"not a frozen newsletter",
        lambda d: d[:16] + struct.pack(">HI", 99, 0) + d[22:],
        lambda d: d[:30] + b"\x00" * 8 + d[38:],
        lambda d: d[: len(d) - 10],
    ],
)
def test_damaged_bytes_are_a_clear_error(damage: object) -> None:
    data = to_bytes(freeze(document()))
    with pytest.raises(FrozenError):
        from_bytes(damage(data))  # type: ignore[operator]
