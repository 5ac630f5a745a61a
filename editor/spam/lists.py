"""The word and domain lists the rules read, from ``resources/spam/*.txt`` (read once), and the
small domain helpers they share.

Lists are data so they can be extended without touching code: phrases with their points in
English and French, URL shorteners, free-mail domains with their own SMTP hosts, and the TLDs
most abused by spam.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from editor.settings import resources_dir

# Two-label public suffixes common in our users' links (a full public suffix list is 200 KB).
_SECOND_LEVEL = frozenset(
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk",
        "com.au", "net.au", "org.au", "co.nz", "co.jp", "co.za", "com.br", "com.mx",
        "co.in", "com.cn", "com.tr", "com.ar", "gouv.fr", "asso.fr", "nom.fr", "co.kr",
        "qc.ca", "com.sg", "com.hk", "co.il", "com.es", "com.pl",
    }
)  # fmt: skip


def _lines(name: str) -> list[list[str]]:
    path = resources_dir() / "spam" / name
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            out.append([part.strip() for part in line.split("\t")])
    return out


@dataclass(frozen=True)
class PhraseList:
    """Phrases and their points, matched as whole words, case-insensitively, in one regex."""

    points: dict[str, float]
    pattern: re.Pattern[str]

    def find(self, text: str) -> dict[str, float]:
        """Each distinct phrase found in ``text`` → its points."""
        found: dict[str, float] = {}
        for m in self.pattern.finditer(normalise(text)):
            phrase = m.group(0).lower()
            found[phrase] = self.points.get(phrase, 0.0)
        return found


def normalise(text: str) -> str:
    """Typographic apostrophes and non-breaking spaces as plain ones, lowercase."""
    return text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ").lower()


@functools.cache
def phrases(language: str) -> PhraseList:
    """The spam phrases of ``language`` ("en" or "fr")."""
    points = {normalise(p[0]): float(p[1]) for p in _lines(f"phrases-{language}.txt")}
    alternatives = "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(points, key=len, reverse=True)
    )
    pattern = re.compile(rf"(?<![\w%])(?:{alternatives})(?!\w)", re.IGNORECASE)
    return PhraseList(points, pattern)


@functools.cache
def shorteners() -> frozenset[str]:
    return frozenset(p[0].lower() for p in _lines("shorteners.txt"))


@functools.cache
def freemail() -> dict[str, tuple[str, ...]]:
    """Free-mail domain → the host suffixes of its own SMTP servers."""
    return {
        p[0].lower(): tuple(p[1].split(",")) if len(p) > 1 else () for p in _lines("freemail.txt")
    }


@functools.cache
def suspicious_tlds() -> frozenset[str]:
    return frozenset(p[0].lower() for p in _lines("suspicious-tlds.txt"))


# ------------------------------------------------------------------------------------ domains


@functools.lru_cache(maxsize=4096)
def host_of(url: str) -> str:
    """The lowercase host of an http(s) URL ("" for anything else or an unreadable one)."""
    try:
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https"):
            return ""
        return (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return ""


@functools.lru_cache(maxsize=4096)
def registrable(host: str) -> str:
    """The registrable domain of ``host`` (``news.example.co.uk`` → ``example.co.uk``)."""
    host = host.rstrip(".").lower()
    if is_ip(host):
        return host
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@functools.lru_cache(maxsize=4096)
def is_ip(host: str) -> bool:
    """An IPv4 or IPv6 literal, including the decimal and hexadecimal forms browsers accept."""
    host = host.strip("[]")
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    return bool(re.fullmatch(r"(0x[0-9a-f]+|\d{8,10})", host))


_DOMAIN_IN_TEXT = re.compile(
    r"(?:https?://)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})(?![\w.-]*@)(?:[/:?#]\S*)?$",
    re.IGNORECASE,
)


def domain_in_text(text: str) -> str:
    """The host a link's visible text shows, when the whole text is a URL or domain name."""
    text = text.strip().rstrip("/").lower()
    if not text or " " in text or "@" in text:
        return ""
    m = _DOMAIN_IN_TEXT.fullmatch(text)
    if not m:
        return ""
    host = m.group(1)
    tld = host.rsplit(".", 1)[1]
    # "index.html", "file.pdf": file names, not domains.
    if tld in {"html", "htm", "php", "pdf", "jpg", "png", "gif", "asp", "aspx", "txt", "doc"}:
        return ""
    return host
