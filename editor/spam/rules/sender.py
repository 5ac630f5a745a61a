"""The sender: a From address at all, and free-mail addresses that DMARC will not let through
someone else's SMTP server."""

from __future__ import annotations

import re
from collections.abc import Iterator

from editor.findings import Severity
from editor.i18n import _
from editor.spam.lists import freemail, registrable
from editor.spam.registry import Hit, rule
from editor.spam.view import MessageView


def provider_hosts(domain: str) -> tuple[str, ...] | None:
    """The SMTP host suffixes of a free-mail domain, None when it is not one."""
    return freemail().get(domain.lower())


def sends_through_provider(smtp_host: str, hosts: tuple[str, ...]) -> bool:
    host = smtp_host.strip().lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in hosts)


@rule(
    "from_missing",
    2.0,
    Severity.ERROR,
    mirrors="SpamAssassin MISSING_FROM; rspamd MISSING_FROM",
    message=lambda p: _("The sender's address is missing."),
    fix=lambda p: _("Set the sender's address in the newsletter's settings."),
)
def from_missing(view: MessageView) -> Iterator[Hit]:
    """No From address (SpamAssassin MISSING_FROM, rspamd MISSING_FROM 2.0); a newsletter
    without one cannot be sent at all."""
    if view.from_address is not None and not view.from_address and view.kind != "html":
        yield Hit()


@rule(
    "freemail_relay",
    3.0,
    Severity.ERROR,
    mirrors="SpamAssassin FREEMAIL_FROM with DMARC_REJECT / DMARC_QUAR",
    message=lambda p: _(
        "The sender {address} is a {domain} mailbox but the message goes through {host}."
    ).format(address=p["address"], domain=p["domain"], host=p["host"]),
    fix=lambda p: _(
        "Send from an address on your own domain: {domain} publishes a DMARC policy, so Gmail "
        "and Yahoo reject or quarantine its mail sent by other servers."
    ).format(domain=p["domain"]),
)
def freemail_relay(view: MessageView) -> Iterator[Hit]:
    """A free-mail From (gmail.com, yahoo.fr, orange.fr…) sent through a third-party SMTP
    service: the provider's DMARC policy (p=reject or quarantine) makes Gmail and Yahoo refuse
    it, whatever the content (SpamAssassin DMARC_REJECT / DMARC_QUAR with FREEMAIL_FROM)."""
    domain = view.sender_domain
    hosts = provider_hosts(domain) if domain else None
    if hosts is not None and view.smtp_host and not sends_through_provider(view.smtp_host, hosts):
        yield Hit(
            params={"address": view.from_address or "", "domain": domain, "host": view.smtp_host}
        )


@rule(
    "freemail_from",
    0.8,
    Severity.WARNING,
    mirrors="SpamAssassin FREEMAIL_FROM; rspamd FREEMAIL_FROM",
    message=lambda p: _("The sender {address} is a free {domain} mailbox.").format(
        address=p["address"], domain=p["domain"]
    ),
    fix=lambda p: _(
        "Send through {domain}'s own server, or better from an address on your own domain."
    ).format(domain=p["domain"]),
)
def freemail_from(view: MessageView) -> Iterator[Hit]:
    """A free-mail From when the sending server is not known (SpamAssassin FREEMAIL_FROM,
    rspamd FREEMAIL_FROM): fine through the provider's own server, rejected by DMARC through
    any other, and free mailboxes have daily sending caps far below a newsletter's list."""
    domain = view.sender_domain
    if domain and provider_hosts(domain) is not None and not view.smtp_host:
        yield Hit(params={"address": view.from_address or "", "domain": domain})


@rule(
    "reply_to_freemail",
    1.0,
    Severity.WARNING,
    mirrors="SpamAssassin FREEMAIL_REPLYTO, FREEMAIL_FORGED_REPLYTO; rspamd FREEMAIL_REPLYTO",
    message=lambda p: _("Replies go to a free mailbox ({address}) unlike the sender.").format(
        address=p["address"]
    ),
    fix=lambda p: _("Use a reply-to address on the sender's domain."),
)
def reply_to_freemail(view: MessageView) -> Iterator[Hit]:
    """A free-mail Reply-To under a company From: the advance-fee pattern SpamAssassin's
    FREEMAIL_REPLYTO (1.0) and FREEMAIL_FORGED_REPLYTO (up to 2.5) score."""
    reply = (view.reply_to or "").lower()
    domain = reply.rpartition("@")[2]
    if (
        reply
        and provider_hosts(domain) is not None
        and view.sender_domain
        and provider_hosts(view.sender_domain) is None
    ):
        yield Hit(params={"address": reply})


_ADDRESS_IN_NAME = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


@rule(
    "display_name_address",
    3.0,
    Severity.ERROR,
    mirrors="rspamd FROM_NEQ_DISPLAY_NAME; SpamAssassin T_FROMNAME_SPOOFED_EMAIL",
    message=lambda p: _(
        "The sender's name is an address at {shown} but the message comes from {domain}."
    ).format(shown=p["shown"], domain=p["domain"]),
    fix=lambda p: _("Use a plain name (your organisation's) as the sender's name."),
)
def display_name_address(view: MessageView) -> Iterator[Hit]:
    """A From name that is itself an address on another domain (« "service@paypal.com"
    <alert@elsewhere.top> »): the display-name spoofing of most phishing, since many mail apps
    show only the name (rspamd FROM_NEQ_DISPLAY_NAME 4.0, SpamAssassin
    T_FROMNAME_SPOOFED_EMAIL)."""
    if view.kind != "eml":
        return
    found = _ADDRESS_IN_NAME.search(view.from_name or "")
    domain = view.sender_domain
    if found and domain and registrable(found.group(1).lower()) != registrable(domain):
        yield Hit(params={"shown": found.group(1).lower(), "domain": domain})
