"""Social networks of the social block: display names and the shipped icon files.

The icons are 96 px PNGs in ``resources/social/<style>/<network>.png``, drawn by
``tools/make_social_icons.py``; emails show them at 24-48 px, so they stay sharp on
high-density screens.
"""

from __future__ import annotations

import re
from pathlib import Path

from editor.blocks.base import SOCIAL_NETWORKS, SOCIAL_STYLES
from editor.i18n import _, language
from editor.settings import resources_dir

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
