"""Links: shorteners, bare IP addresses, misleading text, plain http, abused TLDs, counts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from editor.findings import Params, Severity
from editor.i18n import _, ngettext
from editor.spam.lists import (
    domain_in_text,
    host_of,
    is_ip,
    registrable,
    shorteners,
    suspicious_tlds,
)
from editor.spam.registry import Hit, rule
from editor.spam.view import Link, MessageView

MANY_LINKS = 40
_ESCAPE = re.compile(r"%[0-9a-fA-F]{2}")
_UNRESERVED_ESCAPE = re.compile(r"%(?:[46][1-9a-fA-F]|[57][0-9aA]|3[0-9])")
_NO_VOWEL = re.compile(r"[bcdfghjklmnpqrstvwxz]{7,}", re.IGNORECASE)
# Sites every newsletter may link to without being "unlike the sender".
COMMON_SITES = frozenset(
    {
        "facebook.com", "instagram.com", "twitter.com", "x.com", "linkedin.com",
        "youtube.com", "youtu.be", "pinterest.com", "tiktok.com", "mastodon.social",
        "threads.net", "bsky.app", "whatsapp.com", "google.com", "apple.com", "vimeo.com",
        "spotify.com", "wikipedia.org", "openstreetmap.org", "github.com",
    }
)  # fmt: skip


def web_links(view: MessageView) -> list[tuple[Link, str]]:
    """The http(s) links with their host."""
    out = []
    for link in view.links:
        host = host_of(link.href)
        if host:
            out.append((link, host))
    return out


@rule(
    "url_shortener",
    1.5,
    Severity.WARNING,
    mirrors="SpamAssassin __URL_SHORTENER (25_url_shortener.cf); rspamd url_redirector",
    message=lambda p: _("A link goes through the URL shortener {host}.").format(host=p["host"]),
    fix=lambda p: _("Link to the real address: shorteners hide where a link goes."),
)
def url_shortener(view: MessageView) -> Iterator[Hit]:
    """Links through bit.ly, tinyurl… (resources/spam/shorteners.txt). Shorteners hide the
    destination, so spammers use them and filters follow or score them. One per host."""
    seen: set[str] = set()
    for link, host in web_links(view):
        if host.removeprefix("www.") in shorteners() and host not in seen:
            seen.add(host)
            yield Hit(link.block, {"host": host})


@rule(
    "ip_link",
    2.0,
    Severity.ERROR,
    mirrors="SpamAssassin NORMAL_HTTP_TO_IP, IP_LINK_PLUS; rspamd HTTP_TO_IP, HAS_IPURL",
    message=lambda p: _("A link points to a bare IP address: {host}.").format(host=p["host"]),
    fix=lambda p: _("Link to a domain name: real organisations do not link to raw addresses."),
)
def ip_link(view: MessageView) -> Iterator[Hit]:
    """Links to a numeric host (SpamAssassin NORMAL_HTTP_TO_IP, rspamd HTTP_TO_IP 1.0)."""
    seen: set[str] = set()
    for link, host in web_links(view):
        if is_ip(host) and host not in seen:
            seen.add(host)
            yield Hit(link.block, {"host": host})


def _other_site(link: Link, host: str) -> str:
    """The domain a link's text shows when it is not the one the link goes to."""
    shown = domain_in_text(link.text)
    if not shown or registrable(shown) == registrable(host):
        return ""
    return shown


@rule(
    "link_text_domain",
    2.5,
    Severity.ERROR,
    mirrors="rspamd PHISHING; SpamAssassin HTTPS_IP_MISMATCH",
    message=lambda p: _('A link shows "{shown}" but goes to {host}.').format(
        shown=p["shown"], host=p["host"]
    ),
    fix=lambda p: _("Make the link's text match where it goes, or use words instead."),
)
def link_text_domain(view: MessageView) -> Iterator[Hit]:
    """A link whose text is a domain or URL of another site than the one it opens: the
    phishing pattern rspamd's PHISHING symbol (up to 4.0) and SpamAssassin's mismatch rules
    catch. Users distrust it too. Click-tracking domains trigger it as well, which is why
    senders that track clicks use their own tracking domain."""
    seen: set[tuple[str, str]] = set()
    for link, host in web_links(view):
        shown = _other_site(link, host)
        if shown and (shown, host) not in seen:
            seen.add((shown, host))
            yield Hit(link.block, {"shown": shown, "host": host})


@rule(
    "http_link",
    0.3,
    Severity.INFO,
    mirrors="",
    message=lambda p: _http_message(p),
    fix=lambda p: _("Use https:// addresses where the site supports them."),
)
def http_link(view: MessageView) -> Iterator[Hit]:
    """Plain http:// links. Neither filter scores the scheme alone, but browsers show such
    pages as "Not secure", Gmail's link checks and corporate gateways rewrite or flag them,
    and legitimate senders moved to https long ago. Not fixed automatically: whether a site
    answers on https cannot be known offline."""
    plain = [link for link in view.links if link.href.lower().startswith("http://")]
    if plain:
        yield Hit(plain[0].block, {"count": len(plain), "url": plain[0].href[:80]})


def _http_message(p: Params) -> str:
    count = p["count"]
    n = count if isinstance(count, int) else 1
    return ngettext(
        "{count} link uses plain http: {url}",
        "{count} links use plain http, e.g. {url}",
        n,
    ).format(count=count, url=p["url"])


@rule(
    "suspicious_tld",
    1.5,
    Severity.WARNING,
    mirrors="SpamAssassin PDS_OTHER_BAD_TLD, FROM_SUSPICIOUS_NTLD; rspamd TLD maps",
    message=lambda p: _("A link goes to a .{tld} domain: {host}.").format(
        tld=p["tld"], host=p["host"]
    ),
    fix=lambda p: _("Filters distrust this extension; link to a .com, .org or country domain."),
)
def suspicious_tld(view: MessageView) -> Iterator[Hit]:
    """Links (or the From address) under the TLDs most abused by spam
    (resources/spam/suspicious-tlds.txt; SpamAssassin PDS_OTHER_BAD_TLD 2.0 and
    FROM_SUSPICIOUS_NTLD). One per domain."""
    bad = suspicious_tlds()
    seen: set[str] = set()
    for link, host in web_links(view):
        tld = host.rsplit(".", 1)[-1]
        if tld in bad and not is_ip(host) and registrable(host) not in seen:
            seen.add(registrable(host))
            yield Hit(link.block, {"tld": tld, "host": host})
    domain = view.sender_domain
    if domain and domain.rsplit(".", 1)[-1] in bad and domain not in seen:
        yield Hit(params={"tld": domain.rsplit(".", 1)[-1], "host": domain})


@rule(
    "too_many_links",
    0.5,
    Severity.INFO,
    mirrors="",
    message=lambda p: _("The message has {count} links.").format(count=p["count"]),
    fix=lambda p: _("Keep the ones that matter: dozens of links look like a link farm."),
)
def too_many_links(view: MessageView) -> Iterator[Hit]:
    """More than 40 distinct links. No single rule in either filter, but link count feeds
    their statistical filters and URI blocklist lookups, and Gmail's guidance to bulk
    senders is to keep messages focused; 40 is above any of our starters (~10)."""
    distinct = {link.href for link in view.links if link.href and not link.href.startswith("#")}
    if len(distinct) > MANY_LINKS:
        yield Hit(params={"count": len(distinct)}, points=1.0 if len(distinct) > 100 else 0.5)


@rule(
    "links_unlike_sender",
    0.5,
    Severity.INFO,
    mirrors="rspamd DMARC/URI alignment heuristics (no single symbol)",
    message=lambda p: _("No link goes to the sender's domain ({domain}).").format(
        domain=p["domain"]
    ),
    fix=lambda p: _("Link to your own site too, or send from an address on the site's domain."),
)
def links_unlike_sender(view: MessageView) -> Iterator[Hit]:
    """Several links, none to the sender's own domain (social networks aside). Mailbox
    providers judge a message by the reputation of both the sender's domain and the linked
    domains; a message from one domain promoting only others is the affiliate-spam pattern
    (rspamd's and Gmail's reputation systems weigh that alignment). Free-mail senders are
    left to :func:`~editor.spam.rules.sender.freemail_from`."""
    domain = view.sender_domain
    if not domain or is_ip(domain):
        return
    from editor.spam.lists import freemail

    if domain in freemail() or domain.endswith((".example", ".invalid", ".test")):
        return
    own = registrable(domain)
    others = [
        (link, host) for link, host in web_links(view) if registrable(host) not in COMMON_SITES
    ]
    if len(others) >= 3 and all(registrable(host) != own for _link, host in others):
        yield Hit(others[0][0].block, {"domain": domain})


@rule(
    "uri_novowel",
    0.5,
    Severity.INFO,
    mirrors="SpamAssassin URI_NOVOWEL",
    message=lambda p: _("A link's domain looks machine-made: {host}.").format(host=p["host"]),
    fix=lambda p: _("Link to a readable domain name."),
)
def uri_novowel(view: MessageView) -> Iterator[Hit]:
    """A domain with seven consonants in a row (SpamAssassin URI_NOVOWEL 0.5): the mark of
    generated throw-away domains."""
    for link, host in web_links(view):
        if not is_ip(host) and _NO_VOWEL.search(registrable(host)):
            yield Hit(link.block, {"host": host})
            return


@rule(
    "url_escapes",
    0.5,
    Severity.INFO,
    mirrors="SpamAssassin HTTP_EXCESSIVE_ESCAPES, HTTP_ESCAPED_HOST",
    message=lambda p: _("A link hides its address with %-escapes: {url}").format(url=p["url"]),
    fix=lambda p: _("Write the address plainly."),
)
def url_escapes(view: MessageView) -> Iterator[Hit]:
    """Letters or digits written as %xx in a link, or an escaped host (SpamAssassin
    HTTP_EXCESSIVE_ESCAPES, HTTP_ESCAPED_HOST): only obfuscation needs that."""
    for link in view.links:
        href = link.href
        head = href.split("/", 3)
        host_part = head[2] if len(head) > 2 and href.lower().startswith("http") else ""
        if _ESCAPE.search(host_part) or len(_UNRESERVED_ESCAPE.findall(href)) >= 3:
            yield Hit(link.block, {"url": href[:80]})
            return
