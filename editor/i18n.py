"""Bilingual messages for the core (French first: most of our users are French).

The core has no Qt, so it cannot use Qt's translator; its user-facing messages are written in
both languages where they are raised, and :func:`t` picks one. The language comes from
``BULLETIN_LANG`` (``fr``/``en``), else from the system locale, French when unsure.
"""

from __future__ import annotations

import locale
import os

_forced: str | None = None


def set_language(language: str | None) -> None:
    """Force ``fr`` or ``en`` for this process (the GUI calls it from the user's preference)."""
    global _forced
    _forced = language if language in ("fr", "en") else None


def language() -> str:
    if _forced:
        return _forced
    env = os.environ.get("BULLETIN_LANG", "").lower()
    if env in ("fr", "en"):
        return env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else "fr"
    code = locale.getlocale()[0] or ""
    return "en" if code.lower().startswith("en") else "fr"


def t(fr: str, en: str) -> str:
    """The message in the current language."""
    return en if language() == "en" else fr
