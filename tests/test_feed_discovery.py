"""Finding a site's feed from its home page, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.feeds import FeedCache, FeedError, RefreshCancel, RefreshCancelled, discover_feed
from tests.test_feeds import RSS, Reply, closed_port_url, fixture, serve

HTML = {"Content-Type": "text/html; charset=UTF-8"}
FEED = Reply(body=fixture("wordpress.xml"), headers={"Content-Type": RSS})
COMMENTS = Reply(
    body=b'<?xml version="1.0"?><rss version="2.0"><channel><title>Commentaires</title>'
    b"<item><title>Re: Colombie</title><link>https://brulerie.example/c/1</link></item>"
    b"</channel></rss>",
    headers={"Content-Type": RSS},
)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything goes straight to 127.0.0.1, whatever proxy the machine has configured."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "*")


def test_wordpress_home_page_announces_its_feed() -> None:
    routes = {
        "/": Reply(body=fixture("wordpress-home.html"), headers=HTML),
        "/feed/": FEED,
        "/comments/feed/": COMMENTS,
    }
    with serve(routes) as site:
        found = discover_feed(site.url("/"))
        assert found == site.url("/feed/")  # the posts, not the comments listed first
        paths = [path for path, _headers in site.requests]
    assert paths == ["/", "/feed/"]


def test_a_feed_address_is_its_own_feed() -> None:
    with serve({"/feed/": FEED}) as site:
        assert discover_feed(site.url("/feed/")) == site.url("/feed/")


def test_redirected_feed_gives_the_final_address() -> None:
    with serve({"/rss": Reply(301, headers={"Location": "/feed/"}), "/feed/": FEED}) as site:
        assert discover_feed(site.url("/rss")) == site.url("/feed/")


def test_wordpress_feed_address_is_tried_when_the_page_announces_none() -> None:
    routes = {"/": Reply(body=fixture("page.html"), headers=HTML), "/feed/": FEED}
    with serve(routes) as site:
        assert discover_feed(site.url("/")) == site.url("/feed/")


def test_wordpress_without_pretty_links() -> None:
    routes = {"/": Reply(body=fixture("page.html"), headers=HTML), "/?feed=rss2": FEED}
    with serve(routes) as site:
        assert discover_feed(site.url("/")) == site.url("/?feed=rss2")


def test_site_in_a_folder() -> None:
    routes = {"/blog/": Reply(body=fixture("page.html"), headers=HTML), "/blog/feed/": FEED}
    with serve(routes) as site:
        assert discover_feed(site.url("/blog/")) == site.url("/blog/feed/")


def test_announced_link_that_is_no_feed_is_skipped() -> None:
    page = (
        b'<html><head><link rel="alternate" type="application/atom+xml" href="/broken.xml">'
        b"</head><body>Accueil</body></html>"
    )
    routes = {
        "/": Reply(body=page, headers=HTML),
        "/broken.xml": Reply(body=b"<html>oops</html>", headers=HTML),
        "/feed/": FEED,
    }
    with serve(routes) as site:
        assert discover_feed(site.url("/")) == site.url("/feed/")


def test_announced_links_never_lead_off_the_web() -> None:
    page = (
        b'<html><head><link rel="alternate" type="application/rss+xml" '
        b'href="file:///etc/passwd"><link rel="alternate" type="application/rss+xml" '
        b'href="javascript:alert(1)"></head></html>'
    )
    with serve({"/": Reply(body=page, headers=HTML)}) as site:
        with pytest.raises(FeedError, match="no RSS or Atom feed was found"):
            discover_feed(site.url("/"))
        paths = [path for path, _headers in site.requests]
    assert paths == ["/", "/feed/", "/?feed=rss2"]


def test_no_feed_anywhere() -> None:
    routes = {"/": Reply(body=fixture("page.html"), headers=HTML)}
    with serve(routes) as site, pytest.raises(FeedError, match="no RSS or Atom feed was found"):
        discover_feed(site.url("/"))


def test_home_page_errors_are_said_as_they_are() -> None:
    with pytest.raises(FeedError, match="connection refused"):
        discover_feed(closed_port_url())
    with serve({}) as site, pytest.raises(FeedError, match="page not found"):
        discover_feed(site.url("/nowhere/"))


@pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "javascript:x"])
def test_only_web_addresses(url: str) -> None:
    with pytest.raises(FeedError, match="invalid address"):
        discover_feed(url)


def test_address_without_scheme_is_https(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def download(url: str, *args: object) -> object:
        seen.append(url)
        raise FeedError(url, "stop")

    monkeypatch.setattr("editor.feeds._download", download)
    with pytest.raises(FeedError):
        discover_feed("  brulerie.example ")
    assert seen == ["https://brulerie.example"]


# ------------------------------------------------------------------------ cancelling a refresh


def test_cancelled_refresh_stores_nothing(tmp_path: Path) -> None:
    cache = FeedCache(tmp_path)
    with serve({"/feed/": FEED}) as site:
        cancel = RefreshCancel()
        assert cancel.cancel() is True
        with pytest.raises(RefreshCancelled):
            cache.refresh(site.url("/feed/"), cancel=cancel)
        assert cache.get(site.url("/feed/")) is None

        late = RefreshCancel()
        posts = cache.refresh(site.url("/feed/"), cancel=late)
        assert late.cancel() is False  # too late: the posts are stored, and the UI is told so
        assert not late.cancelled
    cached = cache.get(site.url("/feed/"))
    assert cached is not None and [p.title for p in cached.posts] == [p.title for p in posts]
