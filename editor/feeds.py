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
import http.client
import io
import json
import os
import re
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

import feedparser
import nh3

from editor.i18n import t
from editor.settings import feeds_cache_dir

USER_AGENT = "Bulletin/0.1"
TITLE_MAX = 200
EXCERPT_MAX = 260
MAX_POSTS = 50  # a block shows at most 10; the rest only bloats the cache
URL_MAX = 2048
CACHE_FORMAT = 1

_SCHEMES = ("http", "https")
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

    def __init__(self, url: str, cause_fr: str, cause_en: str) -> None:
        shown = url if len(url) <= 200 else url[:199] + "…"
        super().__init__(
            t(
                f"Impossible de lire le flux « {shown} » : {cause_fr}.",
                f'Cannot read the feed "{shown}": {cause_en}.',
            )
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
            link=safe_url(texts["link"]),
            date=_aware(datetime.fromisoformat(raw_date)) if raw_date else None,
            excerpt=texts["excerpt"],
            image=safe_url(texts["image"]),
        )


@dataclass
class CachedFeed:
    """The last successfully fetched posts of a feed, and when they were fetched (UTC)."""

    url: str
    fetched_at: datetime
    posts: list[Post]


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


def safe_url(value: str, base: str = "") -> str:
    """An absolute http(s) URL in ASCII form, or "" for anything else (javascript:, data:…).

    Relative URLs are resolved against ``base`` (the feed's address). Non-ASCII hosts and
    paths are encoded (IDNA, percent-encoding) so the result is a valid URI everywhere.
    """
    value = value.strip() if isinstance(value, str) else ""
    if not value or _CONTROL.search(value) or len(value) > URL_MAX:
        return ""
    if base:
        value = urllib.parse.urljoin(base, value)
    try:
        return _to_uri(value)
    except ValueError:
        return ""


def _to_uri(url: str) -> str:
    """``url`` as an ASCII http(s) URI; ValueError when it is not one."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in _SCHEMES or not parts.hostname:
        raise ValueError("not an http(s) URL")
    host = parts.hostname
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        host = host.encode("idna").decode("ascii")  # UnicodeError is a ValueError
    if ":" in host:
        host = f"[{host}]"
    port = parts.port  # raises ValueError when out of range
    netloc = host if port is None else f"{host}:{port}"
    if "@" in parts.netloc:
        netloc = urllib.parse.quote(parts.netloc.rpartition("@")[0], safe=":%") + "@" + netloc
    safe = "/:@!$&'()*+,;=%~-._"
    uri = urllib.parse.urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            urllib.parse.quote(parts.path, safe=safe) or "/",
            urllib.parse.quote(parts.query, safe=safe + "?"),
            urllib.parse.quote(parts.fragment, safe=safe + "?#"),
        )
    )
    if len(uri) > URL_MAX:
        raise ValueError("URL too long")
    return uri


# ---------------------------------------------------------------------------------------- fetch


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects, but only to http(s): a feed must not bounce us to ftp:// or file://."""

    max_redirections = 5

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme.lower() not in _SCHEMES:
            fp.close()
            raise FeedError(
                req.full_url,
                "redirection vers une adresse qui n'est pas une page web",
                "redirected to an address that is not a web page",
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    """HTTP(S) only (no file:, ftp: or data: handlers), system proxies honoured."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _Redirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(url: str, *, timeout: float = 10.0, max_bytes: int = 5_000_000) -> list[Post]:
    """Download and read the feed at ``url``; its posts in feed order (newest first, usually).

    ``timeout`` bounds each network wait, and the whole download to three times that, so a
    trickling server cannot hang a refresh. ``max_bytes`` bounds the download and, for
    compressed responses, the decompressed size. Raises :class:`FeedError`.
    """
    data, final_url, content_type = _download(url, timeout, max_bytes)
    return parse(data, url=final_url, content_type=content_type, source=url)


def _download(url: str, timeout: float, max_bytes: int) -> tuple[bytes, str, str]:
    try:
        uri = _to_uri(url.strip())
    except ValueError:
        raise FeedError(
            url,
            "adresse invalide (elle doit commencer par http:// ou https://)",
            "invalid address (it must start with http:// or https://)",
        ) from None
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked just above)
        uri,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
            "text/xml;q=0.9, */*;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        },
    )
    deadline = time.monotonic() + 3 * timeout
    try:
        with _opener().open(request, timeout=timeout) as response:
            final_url = response.geturl()
            length = response.headers.get("Content-Length", "")
            if length.strip().isdigit() and int(length) > max_bytes:
                raise _too_big(url, max_bytes)
            body = _read(response, url, max_bytes, deadline, timeout)
            encoding = response.headers.get("Content-Encoding", "").strip().lower()
            content_type = response.headers.get("Content-Type", "")
    except FeedError:
        raise
    except urllib.error.HTTPError as error:
        error.close()
        raise FeedError(url, *_http_cause(error.code)) from None
    except urllib.error.URLError as error:
        reason = error.reason
        raise FeedError(url, *_network_cause(reason, timeout)) from error
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise FeedError(url, *_network_cause(error, timeout)) from error
    return _decompress(body, encoding, url, max_bytes), final_url, content_type


def _read(response: Any, url: str, max_bytes: int, deadline: float, timeout: float) -> bytes:
    """The body, refusing it as soon as it grows past ``max_bytes`` or outlives the deadline."""
    chunks: list[bytes] = []
    total = 0
    # read1, not read: read(n) waits for n bytes, so a trickle would never reach the check.
    while chunk := response.read1(64 * 1024):
        total += len(chunk)
        if total > max_bytes:
            raise _too_big(url, max_bytes)
        if time.monotonic() > deadline:
            raise FeedError(url, *_network_cause(TimeoutError(), timeout))
        chunks.append(chunk)
    return b"".join(chunks)


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
            f"compression « {encoding} » non prise en charge",
            f'unsupported compression "{encoding}"',
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
    raise FeedError(url, "données compressées illisibles", "unreadable compressed data")


def _too_big(url: str, max_bytes: int) -> FeedError:
    if max_bytes >= 1_000_000:
        fr, en = f"{max_bytes / 1_000_000:g} Mo", f"{max_bytes / 1_000_000:g} MB"
    elif max_bytes >= 1000:
        fr, en = f"{max_bytes / 1000:g} ko", f"{max_bytes / 1000:g} kB"
    else:
        fr, en = f"{max_bytes} octets", f"{max_bytes} bytes"
    return FeedError(url, f"le flux dépasse {fr}", f"the feed is larger than {en}")


def _http_cause(code: int) -> tuple[str, str]:
    if code == 404 or code == 410:
        return f"page introuvable (erreur HTTP {code})", f"page not found (HTTP error {code})"
    if code in (401, 403):
        return f"accès refusé (erreur HTTP {code})", f"access denied (HTTP error {code})"
    if code == 429:
        return (
            "le site limite les requêtes, réessayez plus tard (erreur HTTP 429)",
            "the site is rate-limiting requests, try again later (HTTP error 429)",
        )
    if 300 <= code < 400:
        return f"trop de redirections (HTTP {code})", f"too many redirects (HTTP {code})"
    if code >= 500:
        return f"erreur du serveur (HTTP {code})", f"server error (HTTP {code})"
    return f"erreur HTTP {code}", f"HTTP error {code}"


def _network_cause(reason: object, timeout: float) -> tuple[str, str]:
    if isinstance(reason, socket.gaierror):
        return (
            "adresse introuvable (nom de domaine inconnu ou pas de connexion Internet)",
            "address not found (unknown domain name or no Internet connection)",
        )
    if isinstance(reason, TimeoutError):
        return (
            f"le site n'a pas répondu à temps ({timeout:g} s)",
            f"the site did not answer in time ({timeout:g} s)",
        )
    if isinstance(reason, ConnectionRefusedError):
        return "connexion refusée par le serveur", "connection refused by the server"
    if isinstance(reason, (ConnectionResetError, http.client.RemoteDisconnected)):
        return "connexion interrompue par le serveur", "connection closed by the server"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return "certificat de sécurité invalide", "invalid security certificate"
    if isinstance(reason, ssl.SSLError):
        return "échec de la connexion sécurisée (TLS)", "secure connection (TLS) failed"
    if isinstance(reason, http.client.HTTPException):
        return "réponse HTTP invalide", "invalid HTTP response"
    return f"erreur réseau ({reason})", f"network error ({reason})"


# ---------------------------------------------------------------------------------------- parse


def parse(data: bytes, *, url: str, content_type: str = "", source: str = "") -> list[Post]:
    """The posts of feed ``data`` downloaded from ``url`` (the base for relative links).

    feedparser only ever sees bytes wrapped in a stream: given a str (or even bytes) it may
    open a URL or a local file. ``source`` is the address the user typed, for error messages.
    """
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        raise FeedError(
            source or url,
            "ce n'est pas un flux RSS ou Atom (pour un site WordPress, "
            "l'adresse du flux se termine par /feed/)",
            "this is not an RSS or Atom feed (for a WordPress site, "
            "the feed address ends with /feed/)",
        )
    posts = (_post(entry, url) for entry in entries)
    return [post for post in posts if post.title or post.link or post.excerpt][:MAX_POSTS]


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
        link=safe_url(_text(dict.get(entry, "link")), base),
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
        image = safe_url(url, base)
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
            url = safe_url(values.get(name, ""), self.base)
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


class FeedCache:
    """Last fetched posts per feed, one JSON file each, so rendering works offline.

    Files are named by the SHA-256 of the URL and replaced atomically, so a reader (the
    renderer, perhaps on another thread) sees either the old copy or the new one, never half.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory if directory is not None else feeds_cache_dir()

    def path(self, url: str) -> Path:
        return self.directory / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json")

    def refresh(self, url: str, *, timeout: float = 10.0, max_bytes: int = 5_000_000) -> list[Post]:
        """Fetch ``url`` now and store its posts; on FeedError the previous copy is kept."""
        posts = fetch(url, timeout=timeout, max_bytes=max_bytes)
        self._store(CachedFeed(url=url, fetched_at=datetime.now(UTC), posts=posts))
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
            )
        except (OSError, ValueError, TypeError, KeyError, RecursionError):
            return None

    def posts(self, url: str, count: int) -> list[Post]:
        """Up to ``count`` cached posts of ``url`` (none when it was never fetched)."""
        cached = self.get(url)
        return cached.posts[: max(count, 0)] if cached else []

    def _store(self, feed: CachedFeed) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path(feed.url)
        payload = {
            "format": CACHE_FORMAT,
            "url": feed.url,
            "fetched_at": feed.fetched_at.isoformat(),
            "posts": [post.to_json() for post in feed.posts],
        }
        fd, temp_name = tempfile.mkstemp(prefix=target.stem, suffix=".tmp", dir=self.directory)
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            temp.replace(target)  # os.replace: atomic on the same filesystem
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
