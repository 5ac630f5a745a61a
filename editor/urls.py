"""The one place that decides which URLs Bulletin accepts.

Three questions, three functions: may this link go into an email (:func:`is_safe_link`), is
this a web address (:func:`is_web_url`, for feeds and remote images), and what is the clean
absolute ASCII form of a web address found in outside data (:func:`web_uri`, for feed items).
"""

from __future__ import annotations

import re
import urllib.parse

URL_MAX = 2048
LINK_SCHEMES: tuple[str, ...] = ("http://", "https://", "mailto:", "tel:")
WEB_SCHEMES: tuple[str, ...] = ("http://", "https://")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_safe_link(url: str) -> bool:
    """Whether a link target may be written into an email: http(s), mailto or tel only.

    Anything else (``javascript:``, ``data:``, relative paths that mean nothing in an inbox)
    is refused; callers replace it by ``#``. Surrounding spaces are ignored, case is not.
    """
    return url.strip().lower().startswith(LINK_SCHEMES)


def is_web_url(url: str) -> bool:
    """Whether ``url`` is an http(s) address (a feed, a remote image)."""
    return url.strip().lower().startswith(WEB_SCHEMES)


def web_uri(value: str, base: str = "") -> str:
    """An absolute http(s) URL in ASCII form, or "" for anything else (javascript:, data:…).

    Relative URLs are resolved against ``base`` (e.g. a feed's address). Non-ASCII hosts and
    paths are encoded (IDNA, percent-encoding) so the result is a valid URI everywhere; control
    characters and URLs longer than :data:`URL_MAX` are refused.
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
    if f"{parts.scheme.lower()}://" not in WEB_SCHEMES or not parts.hostname:
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
