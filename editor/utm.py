"""UTM parameters on a newsletter's links, so the sender's own analytics count its visits.

No tracking of the reader: only ``utm_source``, ``utm_medium`` and ``utm_campaign`` added to
links to web pages, which the site's analytics already read. The URL the author wrote is never
re-encoded: parameters are appended as text, before any ``#fragment``, and a parameter the author
already set (``utm_source=partner``) is left as written. Merge tags (``{{ email }}``) and the
renderer's markers for them (``BMTQ…Z``) are kept intact; a ``?`` or ``#`` inside a tag does not
count. Anything that is not an http(s) address (mailto:, tel:, a URL that starts with a merge
tag, whose value is only known when sending) is returned unchanged.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from urllib.parse import quote, unquote_plus

from editor.richtext import MARKER, MERGE_TAG
from editor.urls import URL_MAX, WEB_SCHEMES

SLUG_MAX = 60
FALLBACK_CAMPAIGN = "newsletter"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.I)


def campaign_slug(subject: str) -> str:
    """``"Octobre au fournil !"`` → ``"octobre-au-fournil"``: ASCII, lowercase, hyphens, ≤ 60.

    Merge tags are dropped (a campaign is the same for every reader); an empty result becomes
    ``"newsletter"``. A cut falls on a hyphen when there is one, never mid-word if avoidable.
    """
    text = MERGE_TAG.sub(" ", subject)
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    # Punctuation of any script separates words (« l’été » → "l-ete"); accents are dropped.
    text = "".join(c if c.isalnum() or unicodedata.combining(c) else " " for c in text)
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_SLUG.sub("-", text).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[: SLUG_MAX + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:SLUG_MAX]
        slug = slug[:SLUG_MAX].strip("-")
    return slug or FALLBACK_CAMPAIGN


def utm_params(
    enabled: bool, source: str, medium: str, campaign: str, subject: str
) -> dict[str, str]:
    """The parameters to add, in order; empty when turned off. An empty source or medium is
    left out; an empty campaign is the subject's slug."""
    if not enabled:
        return {}
    values = {
        "utm_source": source.strip(),
        "utm_medium": medium.strip(),
        "utm_campaign": campaign.strip() or campaign_slug(subject),
    }
    return {k: v for k, v in values.items() if v}


def add_utm(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` appended to its query; unchanged when it is not an http(s) URL.

    Existing parameters are kept, a parameter of the same name already present is not added
    again, the fragment stays last. Control characters, or a result longer than
    :data:`editor.urls.URL_MAX`, leave the URL as it was.
    """
    if not params or not url.strip().lower().startswith(WEB_SCHEMES) or _CONTROL.search(url):
        return url
    # Mask merge tags and markers so a "?" or "#" inside them is not taken for the URL's own.
    masked = MERGE_TAG.sub(lambda m: "x" * len(m.group(0)), url)
    masked = MARKER.sub(lambda m: "x" * len(m.group(0)), masked)
    hash_at = masked.find("#")
    end = len(url) if hash_at < 0 else hash_at
    base, fragment = url[:end], url[end:]
    query_at = masked.find("?", 0, end)
    query = "" if query_at < 0 else base[query_at + 1 :]
    present = {unquote_plus(item.split("=", 1)[0]) for item in query.split("&") if item}
    added = "&".join(
        f"{quote(name, safe='')}={quote(value, safe='')}"
        for name, value in params.items()
        if name not in present
    )
    if not added:
        return url
    if query_at < 0:
        authority = masked.index("//") + 2
        if masked.find("/", authority, end) < 0:  # https://x.example → https://x.example/?…
            base += "/"
        joined = f"{base}?{added}"
    elif base.endswith(("?", "&")):
        joined = f"{base}{added}"
    else:
        joined = f"{base}&{added}"
    result = joined + fragment
    return url if len(result) > URL_MAX else result


def add_utm_to_links(fragment: str, params: Mapping[str, str]) -> str:
    """Sanitised HTML with :func:`add_utm` applied to each ``<a href="…">`` (escaped values)."""
    if not params:
        return fragment

    def one(match: re.Match[str]) -> str:
        url = html.unescape(match.group(2))
        tagged = add_utm(url, params)
        if tagged == url:
            return match.group(0)
        return f"{match.group(1)}{html.escape(tagged, quote=True)}{match.group(3)}"

    return _HREF.sub(one, fragment)
