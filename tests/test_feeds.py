"""Feeds against a real HTTP server on 127.0.0.1 serving the fixtures in tests/data/feeds/."""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import ssl
import threading
import urllib.parse
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from editor import feeds
from editor.feeds import FeedCache, FeedError, Post, fetch, parse, plain_text, shorten
from editor.i18n import set_language
from editor.settings import feeds_cache_dir
from editor.urls import web_uri as safe_url

DATA = Path(__file__).parent / "data" / "feeds"
RSS = "application/rss+xml; charset=UTF-8"


def fixture(name: str) -> bytes:
    return (DATA / name).read_bytes()


# ----------------------------------------------------------------------------------- the server


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    length: bool = True  # send Content-Length (False: the body ends when the connection does)


@dataclass
class Site:
    """A running local server: its base URL, the requests it saw, and a switch for slow routes."""

    base: str
    requests: list[tuple[str, dict[str, str]]]
    release: threading.Event
    hangups: dict[str, threading.Event]

    def url(self, path: str) -> str:
        return self.base + path

    def hung_up(self, path: str) -> bool:
        """Whether the client closed ``path``'s connection while the route was still going.

        Waits for the server thread to notice (it polls every 50 ms; the wait is a generous
        bound for a loaded machine, not a measurement).
        """
        return self.hangups.setdefault(path, threading.Event()).wait(timeout=20)


Route = Reply | Callable[[BaseHTTPRequestHandler, threading.Event], None]


@contextmanager
def serve(routes: dict[str, Route], *, tls: bool = False) -> Iterator[Site]:
    """Serve ``routes`` on 127.0.0.1 (port 0) in a thread; shut down and join on exit.

    ``tls``: HTTPS with the self-signed certificate of tests/data/feeds (for 127.0.0.1).
    """
    release = threading.Event()
    requests: list[tuple[str, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = urllib.parse.unquote(self.path)
            requests.append((path, dict(self.headers.items())))
            route = routes.get(
                path, Reply(404, b"<h1>Not Found</h1>", {"Content-Type": "text/html"})
            )
            if callable(route):
                route(self, release)
                return
            self.send_response(route.status)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if route.length:
                self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests check what matters."""

    class Server(ThreadingHTTPServer):
        daemon_threads = False  # so server_close() joins every handler thread
        hangups: dict[str, threading.Event] = {}  # noqa: RUF012 (replaced per server below)

    server = Server(("127.0.0.1", 0), Handler)
    server.hangups = {}
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(DATA / "localhost-cert.pem", DATA / "localhost-key.pem")
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        scheme = "https" if tls else "http"
        yield Site(
            f"{scheme}://127.0.0.1:{server.server_address[1]}", requests, release, server.hangups
        )
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        assert not thread.is_alive()


def slow(handler: BaseHTTPRequestHandler, release: threading.Event) -> None:
    """Never answers: waits until the test is over (or the client hangs up, see ``hung_up``)."""
    handler.connection.settimeout(0.05)
    for _ in range(300):
        if release.is_set():
            return
        try:
            if handler.connection.recv(1) == b"":
                hung_up(handler).set()
                return
        except TimeoutError:
            continue
        except OSError:
            hung_up(handler).set()
            return


def dribble(handler: BaseHTTPRequestHandler, release: threading.Event, data: bytes) -> None:
    """Sends ``data`` then spaces one byte every 50 ms, until released, the client hangs up, or
    15 s have passed (so a client without a deadline fails the test instead of hanging it)."""
    stream = iter(data)
    try:
        for _ in range(300):
            if release.wait(0.05):
                return
            handler.wfile.write(bytes([next(stream, 32)]))
            handler.wfile.flush()
    except OSError:
        hung_up(handler).set()


def trickle(handler: BaseHTTPRequestHandler, release: threading.Event) -> None:
    """Answers at once, then sends its body one byte at a time, forever (until released)."""
    try:
        handler.send_response(200)
        handler.send_header("Content-Type", RSS)
        handler.end_headers()
        handler.wfile.write(b"<?xml version='1.0'?><rss version='2.0'><channel>")
    except OSError:
        return
    dribble(handler, release, b"")


def trickle_headers(handler: BaseHTTPRequestHandler, release: threading.Event) -> None:
    """Sends its status line and headers one byte at a time: each byte in time, never done."""
    dribble(handler, release, b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nX-Slow: ")


def hung_up(handler: BaseHTTPRequestHandler) -> threading.Event:
    """Set when the client closed the connection of this route before the server was done."""
    hangups: dict[str, threading.Event] = handler.server.hangups  # type: ignore[attr-defined]
    return hangups.setdefault(urllib.parse.unquote(handler.path), threading.Event())


def big_feed() -> bytes:
    items = "".join(
        f"<item><title>Article {i}</title><link>https://big.example/{i}</link>"
        f"<description>{'Lorem ipsum dolor sit amet. ' * 10}</description></item>"
        for i in range(100)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


ROUTES: dict[str, Route] = {
    "/feed/": Reply(body=fixture("wordpress.xml"), headers={"Content-Type": RSS}),
    "/atom.xml": Reply(body=fixture("atom.xml"), headers={"Content-Type": "application/atom+xml"}),
    "/media.xml": Reply(body=fixture("media.xml"), headers={"Content-Type": "text/xml"}),
    "/hostile.xml": Reply(body=fixture("hostile.xml"), headers={"Content-Type": RSS}),
    "/page/": Reply(body=fixture("page.html"), headers={"Content-Type": "text/html"}),
    "/broken/": Reply(500, b"Internal Server Error", {"Content-Type": "text/plain"}),
    "/gzip/feed/": Reply(
        body=gzip.compress(fixture("wordpress.xml")),
        headers={"Content-Type": RSS, "Content-Encoding": "gzip"},
    ),
    "/deflate/feed/": Reply(
        body=zlib.compress(fixture("wordpress.xml")),
        headers={"Content-Type": RSS, "Content-Encoding": "deflate"},
    ),
    "/big-declared.xml": Reply(body=big_feed(), headers={"Content-Type": RSS}),
    "/big-streamed.xml": Reply(body=big_feed(), headers={"Content-Type": RSS}, length=False),
    "/gzip-bomb.xml": Reply(
        body=gzip.compress(b"<rss>" + b" " * 2_000_000),
        headers={"Content-Type": RSS, "Content-Encoding": "gzip"},
    ),
    "/brotli.xml": Reply(body=b"xx", headers={"Content-Encoding": "br"}),
    "/old-feed": Reply(301, headers={"Location": "/feed/"}),
    "/to-ftp": Reply(302, headers={"Location": "ftp://127.0.0.1/feed.xml"}),
    "/loop": Reply(302, headers={"Location": "/loop"}),
    "/catégorie/café/feed/": Reply(body=fixture("atom.xml"), headers={"Content-Type": RSS}),
    "/empty/feed/": Reply(
        body=b'<?xml version="1.0"?><rss version="2.0"><channel><title>Vide</title>'
        b"<link>https://vide.example/</link><description>Rien</description></channel></rss>",
        headers={"Content-Type": RSS},
    ),
    "/slow/": slow,
    "/trickle/": trickle,
    "/trickle-headers/": trickle_headers,
}


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything goes straight to 127.0.0.1, whatever proxy the machine has configured."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "ftp_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "*")


@pytest.fixture
def site() -> Iterator[Site]:
    with serve(ROUTES) as running:
        yield running


def closed_port_url() -> str:
    """An address where nothing listens (connection refused), on this machine."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/feed/"


# ------------------------------------------------------------------------------------- parsing


def test_wordpress_feed_in_french(site: Site) -> None:
    posts = fetch(site.url("/feed/"))

    assert [p.link for p in posts] == [
        "https://brulerie.example/2024/11/cafe-chocolat-accord-parfait/",
        "https://brulerie.example/2024/11/atelier-latte-art/",
        "https://brulerie.example/2024/11/colombie-el-paraiso/",
    ]
    first, second, third = posts
    assert first.title == "Café & chocolat : l’accord parfait pour l’hiver"
    assert first.date == datetime(2024, 11, 19, 8, 30, tzinfo=UTC)
    assert second.date == datetime(2024, 11, 15, 16, 45, tzinfo=UTC)  # +0100 → UTC
    assert all(p.date is not None and p.date.utcoffset() == timedelta(0) for p in posts)

    # The description, cut at WordPress' "[…]": the "L'article … est apparu en premier" is gone.
    assert first.excerpt == (
        "Cet hiver, nous associons nos cafés d’Éthiopie aux chocolats de la maison Bernachon. "
        "Notes de fruits rouges, cacao amer & une pointe d’agrumes\u00a0: voici comment réussir "
        "l’accord chez vous."
    )
    # The first real image: the WordPress emoji before it is skipped.
    assert first.image == (
        "https://brulerie.example/wp-content/uploads/2024/11/cafe-chocolat-1024x683.jpg"
    )
    # A relative <img src> is resolved against the feed's own address.
    assert second.image == site.url("/wp-content/uploads/2024/11/latte-art.png")
    # Long descriptions are cut on a word boundary.
    assert 200 <= len(second.excerpt) <= feeds.EXCERPT_MAX + 1
    assert second.excerpt.endswith("à emporter…")
    # No description: the excerpt comes from content:encoded; its data: image is refused.
    assert third.excerpt == "Un café fermenté aux arômes de litchi & de rose."
    assert third.image == ""

    for post in posts:
        assert "<" not in post.title + post.excerpt
        assert "trackingPixel" not in post.excerpt
        assert "color:red" not in post.excerpt
        assert "evil.example" not in post.excerpt


def test_atom_feed(site: Site) -> None:
    slow_mornings, updated_only = fetch(site.url("/atom.xml"))

    assert slow_mornings.title == "Notes on slow mornings"
    assert slow_mornings.link == "https://notes.example/2024/slow-mornings"
    assert slow_mornings.date == datetime(2024, 10, 2, 18, 30, 2, tzinfo=UTC)  # published
    assert slow_mornings.excerpt == "Why we stopped checking email before nine."
    assert slow_mornings.image == "https://notes.example/img/mornings.webp"  # image enclosure

    assert updated_only.date == datetime(2024, 9, 12, 7, 0, tzinfo=UTC)  # falls back to updated
    assert updated_only.excerpt == (
        "A longer piece, published as XHTML content. It has two paragraphs."
    )
    assert updated_only.image == ""


def test_media_images_in_order_of_preference(site: Site) -> None:
    thumbnail, both, enclosure, hostile = fetch(site.url("/media.xml"))

    assert thumbnail.image == "https://galerie.example/thumbs/1.jpg"
    # media:content of image type wins over the thumbnail and the inline <img>; video skipped.
    assert both.image == "https://galerie.example/full/2.jpg"
    assert both.excerpt == "Avec image en ligne."
    assert enclosure.image == "https://galerie.example/covers/3.png"  # not the audio one
    assert hostile.image == ""  # javascript: thumbnail


def test_hostile_values_are_neutralised(site: Site) -> None:
    posts = fetch(site.url("/hostile.xml"))

    assert [p.link for p in posts] == ["", "", "", ""]  # javascript:, JaVaScRiPt:, data:, ftp:
    html_title, long_title, data_link, relative = posts
    assert html_title.title == "Bold claim"  # tags stripped, script contents dropped
    assert html_title.excerpt == "Plain words & more."
    assert html_title.image == ""  # data: thumbnail
    assert len(long_title.title) <= feeds.TITLE_MAX + 1
    assert long_title.title.endswith("Interminable…")
    assert long_title.excerpt == "fine"
    assert long_title.image == ""  # <img src="javascript:…">
    assert data_link.image == ""  # vbscript: enclosure
    assert relative.image == "http://cdn.hostile.example/pic.jpg"  # resolved, scheme-relative
    for post in posts:
        text = post.title + post.excerpt
        assert "<" not in text and "alert" not in text and "display:none" not in text


def test_empty_feed_has_no_posts(site: Site) -> None:
    assert fetch(site.url("/empty/feed/")) == []


def test_accented_feed_address(site: Site) -> None:
    posts = fetch(site.url("/catégorie/café/feed/"))
    assert len(posts) == 2
    assert site.requests[-1][0] == "/catégorie/café/feed/"


def test_request_headers(site: Site) -> None:
    fetch(site.url("/feed/"))
    _, headers = site.requests[-1]
    assert headers["User-Agent"] == "Bulletin/0.1"
    assert "gzip" in headers["Accept-Encoding"]


@pytest.mark.parametrize("path", ["/gzip/feed/", "/deflate/feed/"])
def test_compressed_responses(site: Site, path: str) -> None:
    assert fetch(site.url(path)) == fetch(site.url("/feed/"))


def test_redirect_is_followed(site: Site) -> None:
    assert fetch(site.url("/old-feed")) == fetch(site.url("/feed/"))


def test_feedparser_never_fetches_by_itself(site: Site) -> None:
    """Bytes that look like a URL or a path are parsed as a document, never opened."""
    for data in (site.url("/feed/").encode(), str(DATA / "wordpress.xml").encode()):
        with pytest.raises(FeedError):
            parse(data, url=site.url("/x"))
    assert site.requests == []


# -------------------------------------------------------------------------------------- errors


def test_html_page_is_not_a_feed(site: Site) -> None:
    url = site.url("/page/")
    with pytest.raises(FeedError) as caught:
        fetch(url)
    assert url in str(caught.value)
    assert "not an RSS or Atom feed" in str(caught.value)
    assert "/feed/" in str(caught.value)
    assert caught.value.url == url


@pytest.mark.parametrize(
    ("path", "cause"),
    [
        ("/nowhere/feed/", "page not found (HTTP error 404)"),
        ("/broken/", "server error (HTTP 500)"),
        ("/to-ftp", "redirected to an address that is not a web page"),
        ("/loop", "too many redirects"),
        ("/brotli.xml", 'unsupported compression "br"'),
    ],
)
def test_http_errors(site: Site, path: str, cause: str) -> None:
    url = site.url(path)
    with pytest.raises(FeedError) as caught:
        fetch(url)
    assert url in str(caught.value)
    assert cause in str(caught.value)


def test_messages_are_in_french_too(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_LANG", "fr")
    set_language("fr")
    url = site.url("/nowhere/feed/")
    with pytest.raises(FeedError) as caught:
        fetch(url)
    assert str(caught.value) == (
        f"Impossible de lire le flux « {url} » : page introuvable (erreur HTTP 404)."
    )


@pytest.mark.parametrize("path", ["/big-declared.xml", "/big-streamed.xml", "/gzip-bomb.xml"])
def test_oversize_response(site: Site, path: str) -> None:
    with pytest.raises(FeedError, match="larger than 10 kB"):
        fetch(site.url(path), max_bytes=10_000)


def test_oversize_limit_leaves_normal_feeds_alone(site: Site) -> None:
    assert len(fetch(site.url("/big-declared.xml"), max_bytes=100_000)) == feeds.MAX_POSTS


def test_timeout(site: Site) -> None:
    """A server that never answers: the read timeout fires and the connection is closed."""
    with pytest.raises(FeedError, match=r"did not answer in time \(0.3 s\)"):
        fetch(site.url("/slow/"), timeout=0.3)
    assert site.hung_up("/slow/")  # closed by the client while the server still waited
    assert not site.release.is_set()


@pytest.mark.parametrize("path", ["/trickle/", "/trickle-headers/"])
def test_trickling_server_hits_the_overall_deadline(site: Site, path: str) -> None:
    """One byte every 50 ms never trips the 0.3 s read timeout, in the headers or the body;
    the overall deadline (3 × timeout) cuts the connection while the server is still sending."""
    with pytest.raises(FeedError, match=r"did not answer in time \(0.3 s\)"):
        fetch(site.url(path), timeout=0.3)
    assert site.hung_up(path)  # the server's writes failed: we hung up, not the server
    assert not site.release.is_set()


def test_connection_refused() -> None:
    url = closed_port_url()
    with pytest.raises(FeedError, match="connection refused") as caught:
        fetch(url)
    assert url in str(caught.value)


def test_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_dns(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(FeedError, match="address not found") as caught:
        fetch("https://blog.example.invalid/feed/")
    assert "https://blog.example.invalid/feed/" in str(caught.value)


@pytest.mark.parametrize(
    "url", ["", "blog.example/feed/", "file:///etc/passwd", "javascript:alert(1)", "ftp://x/y"]
)
def test_invalid_addresses_are_refused_without_network(url: str) -> None:
    with pytest.raises(FeedError, match="invalid address"):
        fetch(url)


# --------------------------------------------------------------------------------------- cache


def test_cache_serves_posts_when_the_server_is_down(tmp_path: Path) -> None:
    cache = FeedCache(tmp_path)
    with serve(ROUTES) as running:
        url = running.url("/feed/")
        before = datetime.now(UTC)
        fetched = cache.refresh(url)
    # The server is gone: reading the cache needs no network.
    cached = cache.get(url)
    assert cached is not None
    assert cached.url == url
    assert cached.posts == fetched
    assert before <= cached.fetched_at <= datetime.now(UTC)
    assert cache.posts(url, 2) == fetched[:2]
    assert cache.posts(url, 10) == fetched
    assert cache.path(url).name == hashlib.sha256(url.encode()).hexdigest() + ".json"
    assert [p.name for p in tmp_path.iterdir()] == [cache.path(url).name]  # no temp files left


def test_refresh_failure_keeps_the_previous_cache(tmp_path: Path) -> None:
    cache = FeedCache(tmp_path)
    with serve(ROUTES) as running:
        url = running.url("/feed/")
        fetched = cache.refresh(url)
        stored = cache.path(url).read_bytes()
    # Same address, server down: the refresh fails loudly, the old copy stays.
    with pytest.raises(FeedError, match="connection refused"):
        cache.refresh(url)
    assert cache.path(url).read_bytes() == stored
    assert cache.posts(url, 3) == fetched


def test_refresh_error_response_keeps_the_previous_cache(tmp_path: Path) -> None:
    cache = FeedCache(tmp_path)
    routes = dict(ROUTES)
    with serve(routes) as running:
        url = running.url("/feed/")
        fetched = cache.refresh(url)
        stored = cache.path(url).read_bytes()
        # The site breaks: the same address now answers with an HTML page, then a 500.
        routes["/feed/"] = routes["/page/"]
        with pytest.raises(FeedError, match="not an RSS or Atom feed"):
            cache.refresh(url)
        routes["/feed/"] = routes["/broken/"]
        with pytest.raises(FeedError, match="HTTP 500"):
            cache.refresh(url)
    assert cache.path(url).read_bytes() == stored
    assert cache.posts(url, 3) == fetched


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"[]",
        b'{"format": 1}',
        b'{"format": 99, "url": "URL", "fetched_at": "2024-01-01T00:00:00+00:00", "posts": []}',
        b'{"format": 1, "url": "URL", "fetched_at": "yesterday", "posts": []}',
        b'{"format": 1, "url": "URL", "fetched_at": "2024-01-01T00:00:00+00:00", "posts": [3]}',
        b'{"format": 1, "url": "URL", "fetched_at": "2024-01-01T00:00:00+00:00",'
        b' "posts": [{"title": ["x"]}]}',
        b'{"format": 1, "url": "URL", "fetched_at": "2024-01-01T00:00:00+00:00",'
        b' "posts": [{"title": "x", "date": "soon"}]}',
        b'{"format": 1, "url": "https://elsewhere.example/feed/",'
        b' "fetched_at": "2024-01-01T00:00:00+00:00", "posts": []}',
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_corrupt_cache_is_ignored(tmp_path: Path, content: bytes) -> None:
    url = "https://blog.example/feed/"
    cache = FeedCache(tmp_path)
    cache.path(url).write_bytes(content.replace(b"URL", url.encode()))
    assert cache.get(url) is None
    assert cache.posts(url, 3) == []


def test_corrupt_cache_is_replaced_by_a_refresh(site: Site, tmp_path: Path) -> None:
    url = site.url("/feed/")
    cache = FeedCache(tmp_path)
    cache.path(url).write_text("{half a file", encoding="utf-8")
    assert cache.get(url) is None
    assert len(cache.refresh(url)) == 3
    assert len(cache.posts(url, 3)) == 3


def test_cached_links_are_checked_again(tmp_path: Path) -> None:
    url = "https://blog.example/feed/"
    cache = FeedCache(tmp_path)
    payload = {
        "format": 1,
        "url": url,
        "fetched_at": "2024-11-19T09:00:00+00:00",
        "posts": [
            {
                "title": "T",
                "link": "javascript:alert(1)",
                "date": "2024-11-19T08:30:00",
                "excerpt": "",
                "image": "data:image/png;base64,AAAA",
            }
        ],
    }
    cache.path(url).write_text(json.dumps(payload), encoding="utf-8")
    cached = cache.get(url)
    assert cached is not None
    assert cached.posts == [Post("T", "", datetime(2024, 11, 19, 8, 30, tzinfo=UTC), "", "")]


def test_missing_cache_and_default_directory(bulletin_home: Path) -> None:
    cache = FeedCache()
    assert cache.directory == feeds_cache_dir()
    assert cache.directory.is_relative_to(bulletin_home)
    assert cache.get("https://never.example/feed/") is None
    assert cache.posts("https://never.example/feed/", 3) == []


def test_post_json_round_trip() -> None:
    post = Post(
        title="Été « brûlant »",
        link="https://blog.example/ete/",
        date=datetime(2024, 7, 1, 6, 0, tzinfo=UTC),
        excerpt="Chaud\u00a0!",
        image="https://blog.example/ete.jpg",
    )
    assert Post.from_json(json.loads(json.dumps(post.to_json()))) == post
    undated = Post("Sans date")
    assert Post.from_json(undated.to_json()) == undated


# ----------------------------------------------------------------------------------- text/URLs


def test_plain_text() -> None:
    assert plain_text("<p>Un</p><p>deux</p>") == "Un deux"
    assert plain_text("a <script>alert(1)</script><style>p{}</style>b") == "a b"
    assert plain_text("Caf&eacute; &amp; th&#233; &lt;b&gt;") == "Café & thé <b>"
    assert plain_text("  lots \n\t of   space ") == "lots of space"
    assert plain_text("Vite\u00a0! « Oui »") == "Vite\u00a0! « Oui »"
    assert plain_text("bell\x07 char") == "bell char"
    assert plain_text("") == ""


def test_shorten() -> None:
    assert shorten("court", 10) == "court"
    assert shorten("un deux trois quatre", 12) == "un deux…"
    assert shorten("mot, virgule suivante", 7) == "mot…"  # trailing comma dropped
    assert shorten("x" * 50, 10) == "x" * 10 + "…"
    assert len(shorten("word " * 100, 260)) <= 261


def test_feed_urls_are_web_uris() -> None:
    """Feeds use the core's one URL check (editor/urls.py) for links, images and redirects."""
    assert feeds.web_uri is safe_url
    assert safe_url("https://blog.example/a?b=1#c") == "https://blog.example/a?b=1#c"
    assert safe_url("HTTP://Blog.Example/A") == "http://blog.example/A"
    assert safe_url("/img.png", "https://blog.example/feed/") == "https://blog.example/img.png"
    assert safe_url("https://café.example/été") == "https://xn--caf-dma.example/%C3%A9t%C3%A9"
    assert safe_url('https://x.example/"><script>') == "https://x.example/%22%3E%3Cscript%3E"
    for hostile in (
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,hi",
        "vbscript:x",
        "file:///etc/passwd",
        "https://",
        "https://x.example:99999/",
        "https://x.example/\x00",
        "https://x.example/" + "a" * 3000,
        "",
    ):
        assert safe_url(hostile) == "", hostile


# --------------------------------------------------------------------------- conditional requests


def conditional(etag: str = "", last_modified: str = "") -> Route:
    """The WordPress feed with validators; "304 Not Modified" when they come back unchanged."""

    def route(handler: BaseHTTPRequestHandler, release: threading.Event) -> None:
        same_etag = etag and handler.headers.get("If-None-Match") == etag
        same_date = last_modified and handler.headers.get("If-Modified-Since") == last_modified
        body = b"" if same_etag or same_date else fixture("wordpress.xml")
        handler.send_response(304 if same_etag or same_date else 200)
        if etag:
            handler.send_header("ETag", etag)
        if last_modified:
            handler.send_header("Last-Modified", last_modified)
        if body:
            handler.send_header("Content-Type", RSS)
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return route


def age(cache: FeedCache, url: str) -> None:
    """Make the stored copy look fetched long ago (to see a refresh move the date on)."""
    path = cache.path(url)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["fetched_at"] = "2020-01-01T00:00:00+00:00"
    path.write_text(json.dumps(data), encoding="utf-8")


def test_etag_is_sent_back_and_304_keeps_the_posts(tmp_path: Path) -> None:
    cache = FeedCache(tmp_path)
    with serve({"/feed/": conditional(etag='W/"v1"')}) as running:
        url = running.url("/feed/")
        fetched = cache.refresh(url)
        first = cache.get(url)
        assert first is not None and first.etag == 'W/"v1"' and first.last_modified == ""
        assert "If-None-Match" not in running.requests[0][1]  # nothing to send back yet
        age(cache, url)

        assert cache.refresh(url) == fetched
        assert running.requests[1][1]["If-None-Match"] == 'W/"v1"'
        assert "If-Modified-Since" not in running.requests[1][1]
    cached = cache.get(url)
    assert cached is not None
    assert cached.posts == fetched
    assert cached.etag == 'W/"v1"'
    assert cached.fetched_at > datetime(2020, 1, 2, tzinfo=UTC)  # the date moved on


def test_last_modified_is_sent_back(tmp_path: Path) -> None:
    date = "Tue, 19 Nov 2024 08:30:00 GMT"
    cache = FeedCache(tmp_path)
    with serve({"/feed/": conditional(last_modified=date)}) as running:
        url = running.url("/feed/")
        fetched = cache.refresh(url)
        age(cache, url)
        assert cache.refresh(url) == fetched
        assert running.requests[1][1]["If-Modified-Since"] == date
        assert "If-None-Match" not in running.requests[1][1]
    cached = cache.get(url)
    assert cached is not None and cached.last_modified == date and cached.posts == fetched
    assert cached.fetched_at > datetime(2020, 1, 2, tzinfo=UTC)


def test_changed_feed_replaces_the_validators(tmp_path: Path) -> None:
    cache = FeedCache(tmp_path)
    routes: dict[str, Route] = {"/feed/": conditional(etag='"v1"')}
    with serve(routes) as running:
        url = running.url("/feed/")
        cache.refresh(url)
        routes["/feed/"] = conditional(etag='"v2"')  # the site published: new ETag, full body
        cache.refresh(url)
        assert running.requests[1][1]["If-None-Match"] == '"v1"'
    cached = cache.get(url)
    assert cached is not None and cached.etag == '"v2"' and len(cached.posts) == 3


def test_unasked_304_is_an_error() -> None:
    """A 304 is only an answer to a conditional request: without a stored copy, it is an error."""
    with serve({"/feed/": Reply(304)}) as running, pytest.raises(FeedError, match="HTTP error 304"):
        fetch(running.url("/feed/"))


def test_fetch_if_changed_reports_not_modified() -> None:
    with serve({"/feed/": conditional(etag='"abc"')}) as running:
        url = running.url("/feed/")
        first = feeds.fetch_if_changed(url)
        assert first.posts is not None and len(first.posts) == 3 and first.etag == '"abc"'
        again = feeds.fetch_if_changed(url, etag=first.etag)
    assert again == feeds.Fetched(None, '"abc"', "")


def test_unsendable_validators_are_dropped(tmp_path: Path) -> None:
    """A validator with a line break (a corrupt cache, a hostile server) is never sent."""
    url = "https://blog.example/feed/"
    cache = FeedCache(tmp_path)
    payload = {
        "format": 1,
        "url": url,
        "fetched_at": "2024-11-19T09:00:00+00:00",
        "etag": '"x"\r\nX-Injected: 1',
        "last_modified": ["not", "a", "string"],
        "posts": [],
    }
    cache.path(url).write_text(json.dumps(payload), encoding="utf-8")
    cached = cache.get(url)
    assert cached is not None and cached.etag == "" and cached.last_modified == ""


def test_old_cache_files_stay_readable_and_refreshable(tmp_path: Path) -> None:
    """Cache files written before validators existed: read as having none, then upgraded."""
    cache = FeedCache(tmp_path)
    with serve({"/feed/": conditional(etag='"v1"')}) as running:
        url = running.url("/feed/")
        old = {
            "format": 1,
            "url": url,
            "fetched_at": "2024-11-19T09:00:00+00:00",
            "posts": [{"title": "Ancien", "link": "", "date": None, "excerpt": "", "image": ""}],
        }
        cache.path(url).write_text(json.dumps(old), encoding="utf-8")
        cached = cache.get(url)
        assert cached is not None and cached.posts == [Post("Ancien")] and cached.etag == ""
        assert len(cache.refresh(url)) == 3
        assert "If-None-Match" not in running.requests[0][1]
    refreshed = cache.get(url)
    assert refreshed is not None and refreshed.etag == '"v1"'


# ------------------------------------------------------------------------------ redirect policy


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml", "data:text/xml,<rss/>"]
)
def test_redirect_off_the_web_is_refused(location: str) -> None:
    with serve({"/feed/": Reply(302, headers={"Location": location})}) as running:
        url = running.url("/feed/")
        with pytest.raises(FeedError, match="redirected to an address that is not a web page"):
            fetch(url)
        assert [path for path, _ in running.requests] == ["/feed/"]


def test_redirect_loop_is_capped(site: Site) -> None:
    with pytest.raises(FeedError, match=r"too many redirects \(HTTP 302\)"):
        fetch(site.url("/loop"))
    assert [path for path, _ in site.requests] == ["/loop"] * (feeds.MAX_REDIRECTS + 1)


def test_redirect_chain_within_the_cap_is_followed() -> None:
    routes: dict[str, Route] = {
        f"/r{i}": Reply(307 if i % 2 else 301, headers={"Location": f"/r{i + 1}"})
        for i in range(feeds.MAX_REDIRECTS)
    }
    routes[f"/r{feeds.MAX_REDIRECTS}"] = ROUTES["/feed/"]
    with serve(routes) as running:
        posts = fetch(running.url("/r0"))
    # Relative links resolve against the final address.
    assert posts[1].image.startswith(running.url(f"/r{feeds.MAX_REDIRECTS}")[: -len("/r5")])
    assert len(posts) == 3


def test_only_bounded_encodings_are_asked_for(site: Site) -> None:
    fetch(site.url("/feed/"))
    assert site.requests[-1][1]["Accept-Encoding"] == "gzip, deflate"  # no br/zstd: unbounded


def test_raw_deflate_bomb_is_refused() -> None:
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    bomb = squeezer.compress(b"<rss>" + b" " * 5_000_000) + squeezer.flush()
    headers = {"Content-Type": RSS, "Content-Encoding": "deflate"}
    with serve({"/feed/": Reply(body=bomb, headers=headers)}) as running:
        assert len(bomb) < 10_000
        with pytest.raises(FeedError, match="larger than 100 kB"):
            fetch(running.url("/feed/"), max_bytes=100_000)


# ------------------------------------------------------------------------------------------ TLS


def test_untrusted_certificate_is_refused() -> None:
    with (
        serve(ROUTES, tls=True) as running,
        pytest.raises(FeedError, match="invalid security certificate"),
    ):
        fetch(running.url("/feed/"))


def test_https_feed_and_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over TLS too: the feed reads, and the overall deadline cuts headers sent a byte at a
    time (the deadline shuts down the TLS socket's descriptor, not just the plain one)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(DATA / "localhost-cert.pem"))
    with serve(ROUTES, tls=True) as running:
        assert len(fetch(running.url("/feed/"))) == 3
        with pytest.raises(FeedError, match=r"did not answer in time \(0.3 s\)"):
            fetch(running.url("/trickle-headers/"), timeout=0.3)
        assert running.hung_up("/trickle-headers/")
        assert not running.release.is_set()


# ------------------------------------------------------------------------------------- proxies


def test_system_http_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY set: the request goes to the proxy, naming the feed's full address."""
    routes: dict[str, Route] = {"http://blog.example/feed/": ROUTES["/feed/"]}
    with serve(routes) as proxy:
        monkeypatch.delenv("no_proxy")
        monkeypatch.setenv("HTTP_PROXY", proxy.base)
        assert len(fetch("http://blog.example/feed/")) == 3
    assert [path for path, _ in proxy.requests] == ["http://blog.example/feed/"]


def test_unsupported_socks_proxy_is_a_feed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("no_proxy")
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:9")
    # httpx needs socksio for SOCKS (not installed): an error message, not a crash.
    with pytest.raises(FeedError, match=r"network error|connection refused"):
        fetch("https://blog.example/feed/")
