"""The UI language: gettext with English source strings and a French catalog.

Messages are written in English and marked ``_("…")`` (``ngettext`` for plurals), so translators
work on ``resources/locale/<lang>/LC_MESSAGES/bulletin.po`` with their usual tools. The ``.po`` is
the only file kept in git: it is compiled to ``.mo`` automatically the first time a language is
used (next to the ``.po``, or in the data folder when ``resources/`` is read-only), and again
whenever the ``.po`` changes (the ``.mo`` carries the ``.po``'s hash).

The language is chosen once (``BULLETIN_LANG``, else the locale, French when unsure) and then
only changes through :func:`set_language` (the preferences menu), so ``_()`` is one attribute
lookup on the current translation object, with no environment reading per call.

The core has no Qt; the GUI installs Qt's own ``qtbase`` translations to follow :func:`language`.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import locale
import os
import struct
from pathlib import Path

DOMAIN = "bulletin"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("fr", "en")
"""Languages the UI offers; the first is the fallback when the system gives no clear answer."""

# The .po's hash, stored in the .mo as one more message (Babel writes only standard headers).
_HASH_CONTEXT, _HASH_ID = "bulletin", "source-sha256"


class _Pending(gettext.NullTranslations):
    """Stands in until the first message is asked for, so importing this module costs no I/O."""

    def gettext(self, message: str) -> str:
        return _activate().gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return _activate().ngettext(msgid1, msgid2, n)

    def pgettext(self, context: str, message: str) -> str:
        return _activate().pgettext(context, message)


_translation: gettext.NullTranslations = _Pending()
_language: str | None = None
_forced: str | None = None


def _(message: str) -> str:
    """``message`` (English) in the UI language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, by the UI language's plural rule (French: 0 and 1
    are singular)."""
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` disambiguated by ``context`` (the same English word, two French ones)."""
    return _translation.pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it yet: for tables built at import,
    translated with ``_(message)`` where they are shown (the language may change meanwhile)."""
    return message


def number(value: float, digits: int = 0) -> str:
    """``value`` written as the UI language writes numbers: « 1 234,5 » / "1,234.5"."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return str(format_decimal(value, format=pattern, locale=language()))


def detect_language(preferred: str | None = None) -> str:
    """``BULLETIN_LANG``, else ``preferred`` (the saved preference), else the locale; French when
    unsure (most of our users are French)."""
    env = os.environ.get("BULLETIN_LANG", "").strip().lower()
    if env in LANGUAGES:
        return env
    if preferred in LANGUAGES:
        return preferred
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return _from_locale_name(value)
    return _from_locale_name(locale.getlocale()[0] or "")


def _from_locale_name(name: str) -> str:
    code = name.strip().lower()[:2]
    return code if code in LANGUAGES else LANGUAGES[0]


def language() -> str:
    """The UI language (``fr`` or ``en``): the one set by :func:`set_language`, else detected.

    Detection reads the environment (cheap enough here: this is not called per message); the
    app calls :func:`set_language` once at start, so ``language()`` and ``_()`` agree.
    """
    return _forced or detect_language()


def set_language(lang: str | None) -> str:
    """Switch the UI language for this process (``None``: detect again); return the one in use.

    Messages already on screen keep their wording: windows opened afterwards use the new one.
    """
    global _forced
    _forced = lang if lang in LANGUAGES else None
    chosen = _forced or detect_language()
    _install(chosen)
    return chosen


def _activate() -> gettext.NullTranslations:
    if _language is None:
        _install(detect_language())
    return _translation


def _install(lang: str) -> None:
    global _translation, _language
    _translation = translation(lang)
    _language = lang


def translation(lang: str) -> gettext.NullTranslations:
    """The translation object for ``lang``: identity for English (the source language)."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    po = po_path(lang)
    if not po.is_file():
        return gettext.NullTranslations()
    return compiled(po)


def locale_dir() -> Path:
    """``resources/locale``: one ``<lang>/LC_MESSAGES/bulletin.po`` per language."""
    return Path(__file__).resolve().parent.parent / "resources" / "locale"


def po_path(lang: str) -> Path:
    return locale_dir() / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compiled(po: Path) -> gettext.GNUTranslations:
    """The ``.mo`` for ``po``, compiled now when missing or older than the ``.po``.

    A fresh ``.mo`` is one whose header carries the hash of the current ``.po`` (mtimes are not
    trusted: a checkout or a copy changes them). It is written atomically next to the ``.po``,
    or in the data folder when that folder is read-only (an installed app).
    """
    source = po.read_bytes()
    digest = hashlib.sha256(source).hexdigest()
    candidates = [po.with_suffix(".mo"), _cache_mo_path(po)]
    for mo in candidates:
        found = _load_if_fresh(mo, digest)
        if found is not None:
            return found
    data = compile_po(source, digest)
    for mo in candidates:
        try:
            mo.parent.mkdir(parents=True, exist_ok=True)
            from editor.atomic import write_atomic

            write_atomic(mo, data)
            break
        except OSError:
            continue
    return gettext.GNUTranslations(io.BytesIO(data))


def _cache_mo_path(po: Path) -> Path:
    from editor.settings import data_dir

    lang = po.parent.parent.name
    return data_dir() / "locale" / lang / "LC_MESSAGES" / po.with_suffix(".mo").name


def _load_if_fresh(mo: Path, digest: str) -> gettext.GNUTranslations | None:
    try:
        with mo.open("rb") as handle:
            found = gettext.GNUTranslations(handle)
    except (OSError, ValueError, struct.error):  # missing, or truncated/corrupt: compile again
        return None
    return found if found.pgettext(_HASH_CONTEXT, _HASH_ID) == digest else None


def compile_po(source: bytes, digest: str = "") -> bytes:
    """``.po`` bytes → ``.mo`` bytes with Babel (fuzzy entries left out, as msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(source), abort_invalid=True)
    if digest:
        catalog.add(_HASH_ID, digest, context=_HASH_CONTEXT)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def t(fr: str, en: str) -> str:
    """The older bilingual pair, kept until every call is converted to ``_()`` by
    ``tools/convert_to_gettext.py``. Unlike ``_()``, it reads ``BULLETIN_LANG`` on every call,
    as the not-yet-converted tests expect."""
    lang = _forced or detect_language()
    return en if lang == "en" else fr
