"""Signing, the pixel and the wrapped links of one consenting recipient's message.

A wrapped link is ``ENDPOINT?c=TOKEN&l=N&u=URL&s=SIG``: ``TOKEN`` the delivery's random
measurement token, ``N`` the link's index among the message's wrapped links, ``URL`` the link as
the recipient would have had it (UTM parameters and merge values included) and ``SIG`` the
first 16 bytes of HMAC-SHA256(secret, ``TOKEN\\nN\\nURL``) in base64url. The endpoint redirects
only when ``SIG`` matches, so it cannot be used to send people to other sites (no open
redirect), and a reader cannot count clicks on a link that was not in the message.

Never wrapped: the unsubscribe link (or any link carrying the recipient's unsubscribe token,
nor the ``mailto:``/``tel:`` ones), so unsubscribing never depends on the endpoint being up.
Only the HTML part is measured; the text part stays as it is (a bare URL to read and copy).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from editor.richtext import MARKER

__all__ = [
    "MAX_WRAPPED",
    "LinkPlan",
    "Measurement",
    "click_url",
    "open_url",
    "pixel",
    "plan_links",
    "sign",
    "wrap_html",
]

#: A wrapped link longer than this stays unwrapped (some clients cut very long URLs).
MAX_WRAPPED = 4000
_HREF = re.compile(r'(\bhref=")([^"]*)(")', re.I)
_WEB = ("http://", "https://")
_BODY_END = re.compile(r"</body\s*>", re.I)


def sign(secret: str, token: str, link: int, url: str) -> str:
    """The signature the endpoint checks (see the module doc); same bytes as its PHP."""
    message = f"{token}\n{link}\n{url}".encode()
    mac = hmac.new(secret.encode(), message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode("ascii")


def open_url(endpoint: str, token: str) -> str:
    return f"{endpoint}?o={token}"


def click_url(endpoint: str, secret: str, token: str, link: int, url: str) -> str:
    return (
        f"{endpoint}?c={token}&l={link}&u={quote(url, safe='')}&s={sign(secret, token, link, url)}"
    )


def pixel(endpoint: str, token: str) -> str:
    """The 1×1 image, HTML-escaped, hidden from layout and screen readers."""
    src = html.escape(open_url(endpoint, token), quote=True)
    return (
        f'<img src="{src}" width="1" height="1" alt="" aria-hidden="true" '
        'style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" />'
    )


def _web(url: str) -> bool:
    return url.strip().lower().startswith(_WEB)


@dataclass(frozen=True)
class LinkPlan:
    """Which ``href`` of a campaign's HTML is measured, decided once on its template.

    ``slots[k]`` is the link index of the page's k-th ``href`` (None: left alone); ``labels``
    the measured links' URLs with their merge tags, for the per-link counts. Deciding on the
    template keeps the numbering the same for every recipient: a merge value is HTML-escaped,
    so it can add no ``href`` of its own, and a link that is only a merge tag (its address
    known only when sending) is never measured, as UTM parameters leave it alone.
    """

    slots: tuple[int | None, ...]
    labels: tuple[str, ...]


def plan_links(
    page: str, unsubscribe_markers: tuple[str, ...], label: Callable[[str], str]
) -> LinkPlan:
    """The :class:`LinkPlan` of a rendered page (merge markers in place).

    ``unsubscribe_markers``: the markers of the unsubscribe URL and token; a link holding one
    is the unsubscribe link, never measured. ``label`` turns a marker back into its tag.
    """
    slots: list[int | None] = []
    labels: list[str] = []
    for match in _HREF.finditer(page):
        url = html.unescape(match.group(2))
        if not _web(url) or any(m and m in url for m in unsubscribe_markers):
            slots.append(None)
            continue
        slots.append(len(labels))
        labels.append(MARKER.sub(lambda m: label(m.group(0)), url))
    return LinkPlan(tuple(slots), tuple(labels))


def wrap_html(
    page: str,
    plan: LinkPlan,
    *,
    endpoint: str,
    secret: str,
    token: str,
    unsubscribe: tuple[str, ...],
) -> str:
    """``page`` (one recipient's filled HTML) with the planned links wrapped and the pixel
    before ``</body>``.

    ``unsubscribe``: the recipient's unsubscribe URL and token; a link equal to or holding one
    of them stays as it is whatever the plan says (a second guard: unsubscribing must never
    depend on the endpoint).
    """
    position = 0

    def one(match: re.Match[str]) -> str:
        nonlocal position
        k = position
        position += 1
        n = plan.slots[k] if k < len(plan.slots) else None
        url = html.unescape(match.group(2))
        if n is None or not _web(url) or any(u and u in url for u in unsubscribe):
            return match.group(0)
        wrapped = click_url(endpoint, secret, token, n, url)
        if len(wrapped) > MAX_WRAPPED:
            return match.group(0)
        return f"{match.group(1)}{html.escape(wrapped, quote=True)}{match.group(3)}"

    out = _HREF.sub(one, page)
    img = pixel(endpoint, token)
    ends = list(_BODY_END.finditer(out))
    if ends:
        at = ends[-1].start()
        return out[:at] + img + "\n" + out[at:]
    return out + img


@dataclass(frozen=True)
class Measurement:
    """What a campaign's message factory needs to measure its consenting recipients.

    ``tokens``: delivery id → measurement token, for the consenting recipients only; any other
    delivery gets the very message it gets without measurement.
    """

    endpoint: str
    secret: str
    tokens: dict[int, str]
    plan: LinkPlan

    def token_for(self, delivery_id: int) -> str | None:
        return self.tokens.get(delivery_id)

    def wrap(self, page: str, token: str, unsubscribe: tuple[str, ...]) -> str:
        return wrap_html(
            page,
            self.plan,
            endpoint=self.endpoint,
            secret=self.secret,
            token=token,
            unsubscribe=unsubscribe,
        )
