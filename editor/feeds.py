"""The data behind the latest-posts block: fetch a site's RSS/Atom feed, keep its last copy.

Feeds are untrusted input that ends up in an email, so everything is reduced to plain text and
http(s) URLs here, once, and the renderer only has to escape. Rendering never touches the
network: :class:`FeedCache` keeps the last fetched posts of each feed on disk, and the UI
refreshes them explicitly (a failed refresh keeps the previous copy).
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import html
import io
import itertools
import json
import re
import socket
import ssl
import threading
import time
import urllib.parse
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import feedparser
import httpx
import nh3

from editor.atomic import write_text_atomic
from editor.i18n import _
from editor.settings import feeds_cache_dir
from editor.urls import web_uri

USER_AGENT = "Bulletin/0.1"
TITLE_MAX = 200
EXCERPT_MAX = 260
MAX_POSTS = 50  # a block shows at most 10; the rest only bloats the cache
MAX_ITEMS_PARSED = 100  # items handed to feedparser: feeds list the newest first
_ITEM_END = re.compile(rb"</(?:[A-Za-z0-9_.-]+:)?(?:item|entry)\s*>", re.I)
CACHE_FORMAT = 1  # later keys (etag, last_modified) are optional: old files stay readable
MAX_REDIRECTS = 5

_SCHEMES = ("http", "https")
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")
# Block-level tags kept through nh3 only to become spaces, so "</p><p>" does not glue words.
_BREAK_TAGS = {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"}
_BREAK_TAGS |= {"blockquote", "figure", "figcaption", "tr", "td", "th", "hr", "pre", "section"}
_HIDDEN_TAGS = {"script", "style", "noscript", "template", "title"}
_TAG = re.compile(r"<[^>]*>")
_WHITESPACE = re.compile(r"\s+")
_NO_BREAK = frozenset("\u00a0\u202f")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# WordPress ends automatic excerpts with "[…]", then SEO plugins append "The post … appeared
# first on …": everything from the marker on is noise.
_WP_MORE = re.compile(r"\s*\[(?:…|\.\.\.)\]")


class FeedError(Exception):
    """A feed that could not be fetched or read; the message names the URL and the cause."""

    def __init__(self, url: str, cause: str) -> None:
        shown = url if len(url) <= 200 else url[:199] + "…"
        super().__init__(
            _('Cannot read the feed "{shown}": {cause}.').format(shown=shown, cause=cause)
        )
        self.url = url


@dataclass
class Post:
    """One feed entry, already safe: plain-text ``title``/``excerpt``, http(s) ``link``/``image``.

    ``date`` is timezone-aware UTC, or ``None`` when the feed gives none. Empty strings mean
    "absent" (e.g. a ``javascript:`` link is dropped, not kept).
    """

    title: str
    link: str = ""
    date: datetime | None = None
    excerpt: str = ""
    image: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "link": self.link,
            "date": self.date.isoformat() if self.date else None,
            "excerpt": self.excerpt,
            "image": self.image,
        }

    @classmethod
    def from_json(cls, data: Any) -> Post:
        """Rebuild a cached post; raise ValueError on anything we did not write ourselves."""
        if not isinstance(data, dict):
            raise ValueError("post is not an object")
        texts = {key: data.get(key, "") for key in ("title", "link", "excerpt", "image")}
        if not all(isinstance(value, str) for value in texts.values()):
            raise ValueError("post field is not a string")
        raw_date = data.get("date")
        if raw_date is not None and not isinstance(raw_date, str):
            raise ValueError("post date is not a string")
        return cls(
            title=texts["title"],
            link=web_uri(texts["link"]),
            date=_aware(datetime.fromisoformat(raw_date)) if raw_date else None,
            excerpt=texts["excerpt"],
            image=web_uri(texts["image"]),
        )


@dataclass
class CachedFeed:
    """The last successfully fetched posts of a feed, and when they were fetched (UTC).

    ``etag`` and ``last_modified`` are the server's validators for that copy ("" when it gave
    none), sent back on the next refresh so an unchanged feed costs no download.
    """

    url: str
    fetched_at: datetime
    posts: list[Post]
    etag: str = ""
    last_modified: str = ""


# ------------------------------------------------------------------------------------ text/URLs


def plain_text(markup: str) -> str:
    """Feed HTML (or text) as one line of plain text: tags and script/style contents gone.

    nh3 does the parsing (a real HTML5 parser, so no regex games with ``<scr<script>ipt>``);
    it keeps only block tags, which then become spaces, and escapes the text, which is then
    unescaped. No-break spaces survive so French « » : ! typography stays on one line.
    """
    if not markup:
        return ""
    cleaned = nh3.clean(markup, tags=_BREAK_TAGS, clean_content_tags=_HIDDEN_TAGS, attributes={})
    text = html.unescape(_TAG.sub(" ", cleaned))
    text = _CONTROL.sub("", text)
    return _WHITESPACE.sub(_collapse, text).strip()


def _collapse(match: re.Match[str]) -> str:
    run = match.group()
    return run[0] if set(run) <= _NO_BREAK else " "


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters plus "…", on a word boundary when possible."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rfind(" ")
    head = head[:cut] if cut > limit // 2 else text[:limit]
    return head.rstrip(" ,;:.-–—«(\"'\u00a0\u202f") + "…"


# ---------------------------------------------------------------------------------------- fetch


@dataclass
class Fetched:
    """One download: the posts, or ``None`` when the server answered "304 Not Modified".

    ``etag``/``last_modified`` are the validators the server gave, to send back next time.
    """

    posts: list[Post] | None
    etag: str = ""
    last_modified: str = ""


@dataclass
class _Response:
    body: bytes
    final_url: str
    content_type: str
    etag: str
    last_modified: str
    not_modified: bool


class _Deadline:
    """Cuts the connection when the whole download outlives its time, in whatever phase it is.

    httpx's timeouts bound each network wait, so a server sending its headers (or body) one
    byte at a time never trips them. A timer shuts the socket down instead: the blocked read
    returns at once, the request fails, and :attr:`expired` tells the caller why. The sockets
    come from httpcore's public ``trace`` extension (``connect_tcp``/``start_tls`` events).
    """

    def __init__(self, seconds: float) -> None:
        self.expired = threading.Event()
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        self._timer.join()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if not event.endswith((".connect_tcp.complete", ".start_tls.complete")):
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._sockets.append(sock)
                if self.expired.is_set():
                    _cut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            for sock in self._sockets:
                _cut(sock)


def _cut(sock: socket.socket) -> None:
    # socket.socket's own shutdown, even for an SSLSocket: it acts on the file descriptor and
    # leaves the TLS object alone, which the reading thread is still using.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def fetch(url: str, *, timeout: float = 10.0, max_bytes: int = 5_000_000) -> list[Post]:
    """Download and read the feed at ``url``; its posts in feed order (newest first, usually).

    ``timeout`` bounds each network wait, and the whole download (connecting, headers, body)
    to three times that, so a trickling server cannot hang a refresh. ``max_bytes`` bounds the
    download and, for compressed responses, the decompressed size. Raises :class:`FeedError`.
    """
    posts = fetch_if_changed(url, timeout=timeout, max_bytes=max_bytes).posts
    assert posts is not None  # "not modified" is refused when nothing was asked
    return posts


def fetch_if_changed(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    timeout: float = 10.0,
    max_bytes: int = 5_000_000,
) -> Fetched:
    """Like :func:`fetch`, sending back the validators of the copy already held.

    A server that still has the same feed answers "304 Not Modified" without a body:
    ``posts`` is then ``None`` and the held copy is still current.
    """
    validators = {
        name: value
        for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified))
        if _validator(value)
    }
    response = _download(url, timeout, max_bytes, validators)
    if response.not_modified:
        return Fetched(None, response.etag or etag, response.last_modified or last_modified)
    posts = parse(
        response.body, url=response.final_url, content_type=response.content_type, source=url
    )
    return Fetched(posts, response.etag, response.last_modified)


def _validator(value: object) -> str:
    """An ETag or Last-Modified value fit to send back (printable ASCII, bounded), else ""."""
    if not isinstance(value, str) or len(value) > 1024 or not value.isascii():
        return ""
    return value if value.isprintable() else ""


def _download(url: str, timeout: float, max_bytes: int, validators: dict[str, str]) -> _Response:
    current = web_uri(url)
    if not current:
        raise FeedError(
            url,
            _("invalid address (it must start with http:// or https://)"),
        )
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
        "text/xml;q=0.9, */*;q=0.5",
        "Accept-Encoding": "gzip, deflate",  # only what _decompress bounds
    }
    with _Deadline(3 * timeout) as deadline, _client(url, headers, timeout) as client:
        try:
            for _unused in range(MAX_REDIRECTS + 1):
                with client.stream(
                    "GET", current, headers=validators, extensions={"trace": deadline.trace}
                ) as response:
                    target = _redirect_target(response, current, url)
                    if target:
                        current = target
                        continue
                    result = _receive(response, url, max_bytes, bool(validators))
                if deadline.expired.is_set():  # the body was cut short
                    raise TimeoutError
                return result
        except FeedError:
            if deadline.expired.is_set():  # e.g. compressed data cut short by the deadline
                raise FeedError(url, _network_cause(TimeoutError(), timeout)) from None
            raise
        except httpx.InvalidURL as error:
            # Our own URL is valid (web_uri): httpx parses a redirect's Location even when it
            # does not follow it, and refuses what is no URL it could fetch (data:, …).
            raise FeedError(url, _not_web()) from error
        except (httpx.HTTPError, httpx.StreamError, OSError) as error:
            reason = TimeoutError() if deadline.expired.is_set() else error
            raise FeedError(url, _network_cause(reason, timeout)) from error
    raise FeedError(url, _http_cause(response.status_code))  # still redirected


def _client(url: str, headers: dict[str, str], timeout: float) -> httpx.Client:
    """An httpx client that follows no redirect by itself and honours the system's proxies."""
    try:
        return httpx.Client(headers=headers, timeout=timeout, follow_redirects=False)
    except ImportError as error:  # ALL_PROXY=socks5://…: httpx needs an extra package for it
        raise FeedError(url, _network_cause(error, timeout)) from error


def _redirect_target(response: httpx.Response, current: str, url: str) -> str:
    """Where a redirect leads (an http(s) URI), or "" when ``response`` is no redirect."""
    location = response.headers.get("Location", "")
    if response.status_code not in _REDIRECT_CODES or not location:
        return ""
    target = web_uri(location, current)
    if not target:
        raise FeedError(url, _not_web())
    return target


def _receive(response: httpx.Response, url: str, max_bytes: int, conditional: bool) -> _Response:
    """The body of a final response, refused as soon as it grows past ``max_bytes``."""
    status = response.status_code
    etag = _validator(response.headers.get("ETag", ""))
    last_modified = _validator(response.headers.get("Last-Modified", ""))
    if status == 304 and conditional:
        return _Response(b"", str(response.url), "", etag, last_modified, not_modified=True)
    if not 200 <= status < 300:
        raise FeedError(url, _http_cause(status))
    length = response.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > max_bytes:
        raise _too_big(url, max_bytes)
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_raw():  # raw: decompressed by _decompress, which bounds it
        total += len(chunk)
        if total > max_bytes:
            raise _too_big(url, max_bytes)
        chunks.append(chunk)
    encoding = response.headers.get("Content-Encoding", "").strip().lower()
    return _Response(
        _decompress(b"".join(chunks), encoding, url, max_bytes),
        str(response.url),
        response.headers.get("Content-Type", ""),
        etag,
        last_modified,
        not_modified=False,
    )


def _decompress(body: bytes, encoding: str, url: str, max_bytes: int) -> bytes:
    if encoding in ("", "identity"):
        return body
    if encoding in ("gzip", "x-gzip"):
        attempts = [16 + zlib.MAX_WBITS]
    elif encoding == "deflate":
        attempts = [zlib.MAX_WBITS, -zlib.MAX_WBITS]  # zlib-wrapped per the RFC, raw in practice
    else:
        raise FeedError(
            url,
            _('unsupported compression "{encoding}"').format(encoding=encoding),
        )
    for wbits in attempts:
        inflater = zlib.decompressobj(wbits)
        try:
            data = inflater.decompress(body, max_bytes + 1)
        except zlib.error:
            continue
        if len(data) > max_bytes or inflater.unconsumed_tail:
            raise _too_big(url, max_bytes)
        return data
    raise FeedError(url, _("unreadable compressed data"))


def _too_big(url: str, max_bytes: int) -> FeedError:
    if max_bytes >= 1_000_000:
        size = f"{max_bytes / 1_000_000:g}"
        return FeedError(url, _("the feed is larger than {size} MB").format(size=size))
    if max_bytes >= 1000:
        size = f"{max_bytes / 1000:g}"
        return FeedError(url, _("the feed is larger than {size} kB").format(size=size))
    return FeedError(
        url, _("the feed is larger than {max_bytes} bytes").format(max_bytes=max_bytes)
    )


def _not_web() -> str:
    return _("redirected to an address that is not a web page")


def _http_cause(code: int) -> str:
    if code == 404 or code == 410:
        return _("page not found (HTTP error {code})").format(code=code)
    if code in (401, 403):
        return _("access denied (HTTP error {code})").format(code=code)
    if code == 429:
        return _("the site is rate-limiting requests, try again later (HTTP error 429)")
    if code in _REDIRECT_CODES:  # still redirecting after MAX_REDIRECTS hops
        return _("too many redirects (HTTP {code})").format(code=code)
    if code >= 500:
        return _("server error (HTTP {code})").format(code=code)
    return _("HTTP error {code}").format(code=code)


def _network_cause(error: BaseException, timeout: float) -> str:
    """Why a download failed, for the user, from httpx's error or the system error under it."""
    reason = _root_cause(error)
    if isinstance(reason, socket.gaierror):
        return _("address not found (unknown domain name or no Internet connection)")
    if isinstance(reason, (TimeoutError, httpx.TimeoutException)):
        return _("the site did not answer in time ({timeout:g} s)").format(timeout=timeout)
    if isinstance(reason, ConnectionRefusedError):
        return _("connection refused by the server")
    closed = isinstance(reason, httpx.RemoteProtocolError) and "disconnected" in str(reason)
    if closed or isinstance(reason, (ConnectionResetError, BrokenPipeError)):
        return _("connection closed by the server")
    if isinstance(reason, ssl.SSLCertVerificationError):
        return _("invalid security certificate")
    if isinstance(reason, ssl.SSLError):
        return _("secure connection (TLS) failed")
    if isinstance(reason, (httpx.ProtocolError, httpx.DecodingError)):
        return _("invalid HTTP response")
    return _("network error ({reason})").format(reason=reason)


def _root_cause(error: BaseException) -> BaseException:
    """The system error (DNS, refused, TLS…) httpx's exception was raised from, if any."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, OSError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return error


# ------------------------------------------------------------------------------- discovery

_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml"})
MAX_FEED_LINKS = 3  # feeds announced by a page that are tried (posts, comments, a category)


def discover_feed(url: str, *, timeout: float = 10.0, max_bytes: int = 5_000_000) -> str:
    """The feed address of the site at ``url``, or ``url`` itself when it already is a feed.

    People know their site's address, not its feed's. The home page is read for the feeds it
    announces (``<link rel="alternate" type="application/rss+xml">``, or Atom), then
    WordPress's usual addresses are tried (``/feed/`` next to the page and at the root, then
    ``/?feed=rss2`` for sites without pretty links). A candidate counts only once it has been
    downloaded and read as a feed. An address without a scheme gets https://. Downloads keep
    :func:`fetch`'s limits, and no new candidate is tried once three times ``timeout`` has
    passed. Raises :class:`FeedError` (the home page's own error when it cannot be read).
    """
    address = url.strip()
    if address and "://" not in address:
        address = "https://" + address
    started = time.monotonic()
    page = _download(address, timeout, max_bytes, {})
    if _reads_as_feed(page):
        return page.final_url
    tried = {page.final_url}
    for candidate in _feed_candidates(page):
        if candidate in tried:
            continue
        if time.monotonic() - started > 3 * timeout:
            break
        tried.add(candidate)
        try:
            response = _download(candidate, timeout, max_bytes, {})
        except FeedError:
            continue
        if _reads_as_feed(response):
            return candidate
    raise FeedError(
        url,
        _(
            "no RSS or Atom feed was found on this site (for a WordPress site, check that "
            "the address is the site's home page)"
        ),
    )


def _reads_as_feed(response: _Response) -> bool:
    if "html" in response.content_type.lower():
        return False
    try:
        parse(response.body, url=response.final_url, content_type=response.content_type)
    except FeedError:
        return False
    return True


def _feed_candidates(page: _Response) -> list[str]:
    """Feeds the page announces (comment feeds last), then WordPress's usual addresses."""
    charset = re.search(r"charset=([\w-]+)", page.content_type, re.I)
    try:
        markup = page.body.decode(charset.group(1) if charset else "utf-8", "replace")
    except LookupError:  # an unknown charset name
        markup = page.body.decode("utf-8", "replace")
    finder = _FeedLinks()
    with contextlib.suppress(AssertionError):  # HTMLParser gives up on some broken markup
        finder.feed(markup)
        finder.close()
    announced = [web_uri(href, page.final_url) for href in finder.found]
    announced = [link for link in announced if link]
    announced.sort(key=lambda link: "comments" in urllib.parse.urlsplit(link).path.lower())
    guesses = [
        urllib.parse.urljoin(page.final_url, "feed/"),
        urllib.parse.urljoin(page.final_url, "/feed/"),
        urllib.parse.urljoin(page.final_url, "/?feed=rss2"),
    ]
    return list(dict.fromkeys(announced[:MAX_FEED_LINKS] + guesses))


class _FeedLinks(HTMLParser):
    """The ``href`` of every ``<link rel="alternate">`` of an RSS or Atom type, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        values = {name.lower(): value or "" for name, value in attrs}
        kind = values.get("type", "").split(";")[0].strip().lower()
        alternate = "alternate" in values.get("rel", "").lower().split()
        if alternate and kind in _FEED_TYPES and values.get("href", "").strip():
            self.found.append(values["href"])


# ---------------------------------------------------------------------------------------- parse


def parse(data: bytes, *, url: str, content_type: str = "", source: str = "") -> list[Post]:
    """The posts of feed ``data`` downloaded from ``url`` (the base for relative links).

    feedparser only ever sees bytes wrapped in a stream: given a str (or even bytes) it may
    open a URL or a local file. ``source`` is the address the user typed, for error messages.
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(_first_items(data)), response_headers=headers)
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        raise FeedError(
            source or url,
            _(
                "this is not an RSS or Atom feed (for a WordPress site, the feed "
                "address ends with /feed/)"
            ),
        )
    posts = (_post(entry, url) for entry in entries)
    kept = (post for post in posts if post.title or post.link or post.excerpt)
    return list(itertools.islice(kept, MAX_POSTS))  # later entries are never post-processed


def _first_items(data: bytes) -> bytes:
    """The feed cut after its first :data:`MAX_ITEMS_PARSED` items, closing tags kept.

    feedparser's cost grows with every item (a 5 MB feed of 55,000 items took close to a
    minute of CPU), and a block shows ten. The cut keeps the text after the last item
    (``</channel></rss>``, ``</feed>``) so the shortened feed is still well-formed.
    """
    ends = _ITEM_END.finditer(data)
    cut = next(itertools.islice(ends, MAX_ITEMS_PARSED - 1, None), None)
    if cut is None:
        return data
    last = None
    for last in ends:  # noqa: B007 (only the last one matters)
        pass
    if last is None:
        return data
    return data[: cut.end()] + data[last.end() :]


def _post(entry: Any, base: str) -> Post:
    summary = _text(dict.get(entry, "summary"))
    content = _content(entry)
    excerpt = plain_text(summary) or plain_text(content)
    more = _WP_MORE.search(excerpt)
    if more:
        excerpt = excerpt[: more.start()].rstrip()
        if excerpt and excerpt[-1] not in ".!?…":
            excerpt += "…"
    return Post(
        title=shorten(plain_text(_text(dict.get(entry, "title"))), TITLE_MAX),
        link=web_uri(_text(dict.get(entry, "link")), base),
        date=_date(entry),
        excerpt=shorten(excerpt, EXCERPT_MAX),
        image=_image(entry, content, summary, base),
    )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _content(entry: Any) -> str:
    """The entry's full content (content:encoded, Atom content), HTML parts first."""
    parts = dict.get(entry, "content") or []
    values = [p for p in parts if isinstance(p, dict) and isinstance(p.get("value"), str)]
    values.sort(key=lambda p: "html" not in str(p.get("type", "")))
    return str(values[0]["value"]) if values else ""


def _date(entry: Any) -> datetime | None:
    # dict.get, not entry.get: feedparser warns (DeprecationWarning) when "updated_parsed"
    # is read and only "published_parsed" exists.
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (TypeError, ValueError, OverflowError, OSError):
                continue
    return None


def _image(entry: Any, content: str, summary: str, base: str) -> str:
    """The first image: media:content, media:thumbnail, image enclosure, then inline <img>."""
    for url in _image_candidates(entry):
        image = web_uri(url, base)
        if image:
            return image
    for markup in (content, summary):
        image = _first_img(markup, base)
        if image:
            return image
    return ""


def _image_candidates(entry: Any) -> Iterator[str]:
    for media in dict.get(entry, "media_content") or []:
        if not isinstance(media, dict):
            continue
        medium = str(media.get("medium", "")).lower()
        kind = str(media.get("type", "")).lower()
        url = _text(media.get("url"))
        untyped = not medium and not kind
        if medium == "image" or kind.startswith("image/") or (untyped and _looks_like_image(url)):
            yield url
    for thumbnail in dict.get(entry, "media_thumbnail") or []:
        if isinstance(thumbnail, dict):
            yield _text(thumbnail.get("url"))
    for link in dict.get(entry, "links") or []:
        if (
            isinstance(link, dict)
            and link.get("rel") == "enclosure"
            and str(link.get("type", "")).lower().startswith("image/")
        ):
            yield _text(link.get("href"))


def _looks_like_image(url: str) -> bool:
    return urllib.parse.urlsplit(url).path.lower().endswith(_IMAGE_EXTENSIONS)


class _FirstImage(HTMLParser):
    """Finds the first real <img> of a post: not a WordPress emoji, not a tracking pixel."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.found = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found or tag != "img":
            return
        values = {name: value or "" for name, value in attrs}
        if "wp-smiley" in values.get("class", "") or "/images/core/emoji/" in values.get("src", ""):
            return
        if values.get("width") == "1" or values.get("height") == "1":
            return
        # Lazy-loading plugins put a data: placeholder in src and the real image aside.
        for name in ("src", "data-src", "data-lazy-src"):
            url = web_uri(values.get(name, ""), self.base)
            if url:
                self.found = url
                return


def _first_img(markup: str, base: str) -> str:
    if "<img" not in markup.lower():
        return ""
    finder = _FirstImage(base)
    finder.feed(markup)
    finder.close()
    return finder.found


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# ---------------------------------------------------------------------------------------- cache


class RefreshCancelled(Exception):
    """A refresh the user cancelled: the cache was left as it was."""


class RefreshCancel:
    """Lets the UI cancel a refresh running on another thread, with a clear outcome.

    The download itself runs to its end (or its timeout); what cancelling guarantees is that
    its result is not stored. :meth:`cancel` and the storing take the same lock, so the UI
    knows which happened: True means nothing will be stored, False that the posts already
    were (the refresh finished just before the click).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._done = False

    def cancel(self) -> bool:
        with self._lock:
            if not self._done:
                self._cancelled = True
            return self._cancelled

    @property
    def cancelled(self) -> bool:
        with self._lock:
            return self._cancelled

    def run_unless_cancelled(self, action: Callable[[], None]) -> bool:
        """Run ``action`` unless cancelled, as one step against :meth:`cancel`; True if it ran."""
        with self._lock:
            if self._cancelled:
                return False
            action()
            self._done = True
            return True


class FeedCache:
    """Last fetched posts per feed, one JSON file each, so rendering works offline.

    Files are named by the SHA-256 of the URL and replaced atomically, so a reader (the
    renderer, perhaps on another thread) sees either the old copy or the new one, never half.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else feeds_cache_dir()

    def path(self, url: str) -> Path:
        return self.directory / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json")

    def refresh(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        max_bytes: int = 5_000_000,
        cancel: RefreshCancel | None = None,
    ) -> list[Post]:
        """Fetch ``url`` now and store its posts; on FeedError the previous copy is kept.

        The stored copy's ETag/Last-Modified are sent back: when the server answers "304 Not
        Modified", the stored posts stay and only the fetched-at date moves on. Once ``cancel``
        is cancelled, nothing is stored and :class:`RefreshCancelled` is raised.
        """
        cached = self.get(url)
        result = fetch_if_changed(
            url,
            etag=cached.etag if cached else "",
            last_modified=cached.last_modified if cached else "",
            timeout=timeout,
            max_bytes=max_bytes,
        )
        if result.posts is not None:
            posts = result.posts
        elif cached is not None:
            posts = cached.posts
        else:  # cannot happen: "not modified" is only accepted when validators were sent
            raise FeedError(url, _http_cause(304))
        feed = CachedFeed(url, datetime.now(UTC), posts, result.etag, result.last_modified)
        if cancel is None:
            self._store(feed)
        elif not cancel.run_unless_cancelled(lambda: self._store(feed)):
            raise RefreshCancelled(url)
        return posts

    def get(self, url: str) -> CachedFeed | None:
        """The stored copy of ``url``, or None when there is none or it cannot be read."""
        try:
            raw = self.path(url).read_bytes()
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
                return None
            if data.get("url") != url or not isinstance(data.get("fetched_at"), str):
                return None
            posts = data.get("posts")
            if not isinstance(posts, list):
                return None
            return CachedFeed(
                url=url,
                fetched_at=_aware(datetime.fromisoformat(data["fetched_at"])),
                posts=[Post.from_json(post) for post in posts],
                etag=_validator(data.get("etag", "")),
                last_modified=_validator(data.get("last_modified", "")),
            )
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            return None

    def posts(self, url: str, count: int) -> list[Post]:
        """Up to ``count`` cached posts of ``url`` (none when it was never fetched)."""
        cached = self.get(url)
        return cached.posts[: max(count, 0)] if cached else []

    def _store(self, feed: CachedFeed) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": CACHE_FORMAT,
            "url": feed.url,
            "fetched_at": feed.fetched_at.isoformat(),
            "etag": feed.etag,
            "last_modified": feed.last_modified,
            "posts": [post.to_json() for post in feed.posts],
        }
        text = json.dumps(payload, ensure_ascii=False, indent=1)
        write_text_atomic(self.path(feed.url), text)
