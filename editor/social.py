"""Social networks of the social block: display names and the shipped icon files.

The icons are 96 px PNGs in ``resources/social/<style>/<network>.png``, drawn by
``tools/make_social_icons.py``; emails show them at 24-48 px, so they stay sharp on
high-density screens.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

from editor.blocks.base import SOCIAL_NETWORKS, SOCIAL_STYLES
from editor.i18n import _, language
from editor.settings import resources_dir
from editor.urls import web_uri

# (French, English) names, as shown in the composer and in the plain-text part.
NETWORK_LABELS: dict[str, tuple[str, str]] = {
    "facebook": ("Facebook", "Facebook"),
    "instagram": ("Instagram", "Instagram"),
    "linkedin": ("LinkedIn", "LinkedIn"),
    "x": ("X", "X"),
    "youtube": ("YouTube", "YouTube"),
    "tiktok": ("TikTok", "TikTok"),
    "pinterest": ("Pinterest", "Pinterest"),
    "whatsapp": ("WhatsApp", "WhatsApp"),
    "website": ("Site web", "Website"),
    "email": ("E-mail", "Email"),
}

ICON_SIZE = 96


def label(network: str) -> str:
    """The network's name in the current language (the network id itself when unknown)."""
    names = NETWORK_LABELS.get(network)
    if names is None:
        return network
    return names[1] if language() == "en" else names[0]


def icon_path(network: str, style: str) -> Path:
    """The icon file for ``network`` in ``style``; refuses names that are not ours.

    Both values come from documents, which may be hand-edited: checking them against the
    known lists keeps a crafted name (``../../secret``) from reaching the file system.
    """
    if network not in SOCIAL_NETWORKS:
        raise ValueError(_('Unknown social network "{network}".').format(network=network))
    if style not in SOCIAL_STYLES:
        raise ValueError(_('Unknown icon style "{style}".').format(style=style))
    return resources_dir() / "social" / style / f"{network}.png"


def social_url(network: str, value: str) -> str:
    """The link of a social icon: bare e-mail addresses, phone numbers and domains completed."""
    value = value.strip()
    if network == "email" and "@" in value and not value.startswith(("mailto:", "{{")):
        return f"mailto:{value}"
    if network == "whatsapp" and re.fullmatch(r"\+?[0-9 .-]{6,}", value):
        return "https://wa.me/" + re.sub(r"\D", "", value)
    if value and "://" not in value and not value.startswith(("mailto:", "tel:", "{{")):
        return "https://" + value
    return value


# The web domains each network's profile pages live on (subdomains such as www. or fr. too).
PROFILE_DOMAINS: dict[str, tuple[str, ...]] = {
    "facebook": ("facebook.com", "fb.com", "fb.me"),
    "instagram": ("instagram.com", "instagr.am"),
    "linkedin": ("linkedin.com", "lnkd.in"),
    "x": ("x.com", "twitter.com"),
    "youtube": ("youtube.com", "youtu.be"),
    "tiktok": ("tiktok.com",),
    "pinterest": ("pinterest.com", "pinterest.fr", "pinterest.ca", "pinterest.co.uk", "pin.it"),
    "whatsapp": ("wa.me", "whatsapp.com"),
}
_MERGE_TAG = re.compile(r"^\{\{.*\}\}")


def profile_problem(network: str, value: str) -> str:
    """Why ``value`` cannot be ``network``'s link, as a sentence for the user; "" when fine.

    The value is taken as :func:`social_url` completes it (a bare address, phone number or
    domain). A network's link must be an https address on that network's own domain (a
    Facebook icon leading to a Twitter page is a mistake a reader would notice first), the
    email icon needs a valid address, the website any https address. A merge tag (``{{ site
    }}``) is accepted as it is: its value is checked when the email is made. Empty is fine:
    the icon is then left out.
    """
    text = value.strip()
    if not text or _MERGE_TAG.match(text):
        return ""
    name = label(network)
    if network == "email":
        return _email_problem(text)
    url = social_url(network, text)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() != "https" or not web_uri(url):
        if network == "website":
            return _("The website's address must be a secure one, starting with https://.")
        return _("The {network} link must be a secure web address, starting with https://.").format(
            network=name
        )
    host = (parts.hostname or "").lower().rstrip(".")
    domains = PROFILE_DOMAINS.get(network)
    if domains is None:  # the website: any https address
        return ""
    if not any(host == domain or host.endswith("." + domain) for domain in domains):
        return _(
            "This address is not on {network}: a {network} link starts with https://{domain}/."
        ).format(network=name, domain=_shown_domain(domains[0]))
    if parts.path.strip("/") == "" and not parts.query:
        return _(
            "This is {network}'s home page: add the name of your page or profile, as in "
            "https://{domain}/yourname."
        ).format(network=name, domain=_shown_domain(domains[0]))
    return ""


def _shown_domain(domain: str) -> str:
    return domain if domain.count(".") > 1 or domain in ("wa.me", "x.com") else "www." + domain


def _email_problem(text: str) -> str:
    from editor.contacts.emails import check_email  # the address rules of the contacts

    if text.lower().startswith("mailto:"):
        text = urllib.parse.unquote(text[7:].split("?", 1)[0])
    address, reason = check_email(text)
    if address is None:
        return _('"{value}" is not a valid email address: {reason}.').format(
            value=text, reason=reason
        )
    return ""
