"""Hostile feeds: tens of thousands of items cost what the first hundred cost."""

from __future__ import annotations

from unittest import mock

import feedparser

from editor import feeds
from editor.feeds import MAX_ITEMS_PARSED, MAX_POSTS, _first_items, parse


def _rss(count: int) -> bytes:
    items = "".join(
        f"<item><title>Post {i}</title><link>https://ex.org/{i}</link>"
        f"<description>&lt;p&gt;Hello {i}&lt;/p&gt;</description></item>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>'
        f"{items}</channel></rss>"
    ).encode()


def _atom(count: int) -> bytes:
    entries = "".join(
        f'<atom:entry><atom:title>E{i}</atom:title><atom:link href="https://ex.org/{i}"/>'
        "</atom:entry>"
        for i in range(count)
    )
    return (
        '<?xml version="1.0"?><atom:feed xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<atom:title>T</atom:title>{entries}</atom:feed>"
    ).encode()


def test_a_feed_of_55000_items_hands_feedparser_only_the_first_hundred() -> None:
    data = _rss(55_000)
    seen: list[int] = []
    real = feedparser.parse

    def counting(stream: object, **kwargs: object) -> object:
        result = real(stream, **kwargs)
        seen.append(len(result["entries"]))
        return result

    with mock.patch.object(feeds.feedparser, "parse", counting):
        posts = parse(data, url="https://ex.org/feed")
    assert seen == [MAX_ITEMS_PARSED]
    assert [p.title for p in posts[:3]] == ["Post 0", "Post 1", "Post 2"]
    assert len(posts) == MAX_POSTS


def test_post_processing_stops_at_what_is_kept() -> None:
    calls: list[object] = []
    real = feeds._post

    def counting(entry: object, base: str) -> feeds.Post:
        calls.append(entry)
        return real(entry, base)

    with mock.patch.object(feeds, "_post", counting):
        parse(_rss(MAX_ITEMS_PARSED), url="https://ex.org/feed")
    assert len(calls) == MAX_POSTS


def test_the_cut_feed_stays_well_formed_for_rss_and_prefixed_atom() -> None:
    for data in (_rss(500), _atom(500)):
        cut = _first_items(data)
        assert len(cut) < len(data) / 3
        parsed = feedparser.parse(cut)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert len(parsed.entries) == MAX_ITEMS_PARSED
    assert _first_items(_rss(10)) == _rss(10)
