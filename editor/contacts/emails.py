"""Email address checks for imports: email-validator's verdicts, 15-100× faster on most addresses.

email-validator (syntax only, offline) is the reference, but it costs 25-120 µs an address
(machines differ), up to 12 s for a 100,000-row import; the fast path below costs 1-2 µs.
Almost every address is plain ASCII, so :func:`validate_address` accepts those with one strict
regular expression whose every acceptance email-validator would also give, with the same
normalised form. Others whose local part is plain ASCII only need their domain checked, and
email-validator's verdict on each domain is cached, since a list holds few distinct domains;
anything else goes to email-validator whole. The tests compare both paths on a large corpus and
on generated addresses.

:func:`check_email` first cleans what people paste into a cell: spaces (non-breaking and
zero-width too), ``mailto:``, ``Name <address>``, a stray separator at the end. It refuses a cell
holding several addresses with a reason of its own, rather than email-validator's puzzling one.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

import email_validator
from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import (
    ATEXT,
    CASE_INSENSITIVE_MAILBOX_NAMES,
    DNS_LABEL_LENGTH_LIMIT,
    DOT_ATOM_TEXT,
    EMAIL_MAX_LENGTH,
    LOCAL_PART_MAX_LENGTH,
)

from editor.i18n import N_, _

__all__ = ["check_email", "looks_like_email", "validate_address"]

# The fast path reproduces email-validator 2.x's rules (pyproject pins email-validator>=2.1,<3);
# under another major version every address goes to email-validator itself.
CHECKED_MAJOR = "2"
FAST_PATH = email_validator.__version__.split(".")[0] == CHECKED_MAJOR

# email-validator's own constants, imported rather than copied so the two cannot drift apart:
# RFC 5322 atext (ATEXT, with A-Z spelled out: no re.IGNORECASE, under which [a-z] also matches
# "K" (Kelvin sign), "ſ" and "ı"), its dot-atom regex, the RFC 2142 mailbox names it lowercases,
# the address length it checks in UTF-8 octets, and the RFC 1035 label limit.
# Domains: labels of letters and digits joined by single hyphens (no "--": that excludes the
# "xn--" Punycode labels, which email-validator turns into Unicode, and the reserved "ab--"
# labels it refuses), then a top-level label of 2 to 63 letters; label lengths checked apart.
_FAST = re.compile(
    rf"(?P<local>[{ATEXT}]+(?:\.[{ATEXT}]+)*)"
    rf"@(?P<domain>(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{{2,{DNS_LABEL_LENGTH_LIMIT}}})"
)
_ROLE_NAMES = frozenset(CASE_INSENSITIVE_MAILBOX_NAMES)
_ROLE_MAX = max(map(len, _ROLE_NAMES))
# Longer local parts take the slow path (email-validator checks that limit in strict mode only).
_LOCAL_MAX = LOCAL_PART_MAX_LENGTH

# Invisible characters that ride along with copied text and are never part of an address.
_INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")
# What .strip() leaves: zero-width joiners and direction marks (at the ends only).
_EDGES = "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
_MAILTO = re.compile(r"mailto:", re.IGNORECASE)
_WRAPPED = re.compile(r"(?P<name>[^<>]*)<(?P<address>[^<>]*)>")
_SEPARATORS = re.compile(r"[\s,;/]+")
_LOOKS = re.compile(r"[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]")


def looks_like_email(text: str) -> bool:
    """A cheap test for "this cell holds an address" (header and email-column detection)."""
    return "@" in text and _LOOKS.search(text) is not None


def check_email(raw: str) -> tuple[str | None, str]:
    """``(normalised address, "")`` for a usable cell, else ``(None, reason for the user)``.

    The address keeps its local part as typed and gets its domain lowercased, as
    email-validator normalises it; the store compares addresses case-insensitively.
    """
    plain = _fast(raw)
    if plain is not None:  # most cells: already a plain address, nothing to clean
        return plain, ""
    text = _clean(raw)
    if not text:
        return None, _("empty address")
    if text.count("@") > 1 and sum("@" in part for part in _SEPARATORS.split(text)) > 1:
        return None, _("several addresses in one cell")
    return validate_address(text)


def _clean(raw: str) -> str:
    text = _INVISIBLE.sub("", raw).strip().strip(_EDGES).strip()
    if _MAILTO.match(text):
        text = unquote(text[7:].split("?", 1)[0]).strip()
    wrapped = _WRAPPED.fullmatch(text)
    if wrapped:  # « Jean Dupont <jean@exemple.fr> », as mail programs copy addresses
        text = wrapped.group("address").strip()
        if _MAILTO.match(text):
            text = text[7:].strip()
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    return text.rstrip(";,").strip()


def validate_address(address: str) -> tuple[str | None, str]:
    """email-validator's verdict on exactly ``address`` (no cleaning), with its normalised form.

    Plain ASCII addresses never reach email-validator; others are split at the first ``@`` when
    the part before it is a plain ASCII dot-atom, so only the domain is checked, once per domain.
    """
    plain = _fast(address)
    if plain is not None:
        return plain, ""
    local, at, domain = address.partition("@")
    if at and FAST_PATH and DOT_ATOM_TEXT.match(local):
        # email-validator checks such a local part by this very regex; the domain decides.
        verdict = _domain_verdict(domain)
        if isinstance(verdict, str):
            return None, _reason(verdict)
        unicode_domain, ascii_domain = verdict
        if local.lower() in _ROLE_NAMES:
            local = local.lower()
        longest = max(len(domain.encode()), len(unicode_domain.encode()), len(ascii_domain))
        if len(local) + 1 + longest > EMAIL_MAX_LENGTH:
            return None, _too_long()
        return f"{local}@{unicode_domain}", ""
    return _full_check(address)


def _fast(address: str) -> str | None:
    """The normalised form of a plain ASCII address email-validator surely accepts, else None."""
    fast = _FAST.fullmatch(address) if FAST_PATH else None
    if fast is None or len(address) > EMAIL_MAX_LENGTH:
        return None
    local, domain = fast.group("local", "domain")
    lowered = _plain_domain(domain)
    if lowered is None or len(local) > _LOCAL_MAX:
        return None
    if len(local) <= _ROLE_MAX and local.lower() in _ROLE_NAMES:
        local = local.lower()
    elif lowered == domain:
        return address  # already as email-validator writes it
    return f"{local}@{lowered}"


@lru_cache(maxsize=8192)
def _plain_domain(domain: str) -> str | None:
    """A domain matched by :data:`_FAST`, lowercased, or None if email-validator may refuse it.
    Cached: a file has few distinct domains."""
    lowered = domain.lower()
    # As email-validator checks them: the special-use names themselves and their subdomains
    # ("test" included: its test_environment switch is off by default, and the slow path
    # gives the verdict for that rare name anyway).
    for special in email_validator.SPECIAL_USE_DOMAIN_NAMES:
        if lowered == special or lowered.endswith("." + special):
            return None
    if (
        len(domain) > DNS_LABEL_LENGTH_LIMIT
        and max(map(len, domain.split("."))) > DNS_LABEL_LENGTH_LIMIT
    ):
        return None
    return lowered


@lru_cache(maxsize=8192)
def _domain_verdict(domain: str) -> tuple[str, str] | str:
    """(Unicode form, ASCII form) of a domain, or why email-validator refuses it (in English)."""
    try:
        result = validate_email("x@" + domain, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return result.domain, result.ascii_domain


def _full_check(address: str) -> tuple[str | None, str]:
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return None, _reason(str(exc))
    return result.normalized, ""


def _too_long() -> str:
    return _("invalid address: too long")


# email-validator speaks English only: the part of its usual messages that names the problem,
# marked for translation (the French catalog words each one). Untranslated (English), the
# reason is email-validator's own full message.
_REASONS: tuple[tuple[str, str], ...] = (
    ("must have an @-sign", N_("must have an @-sign")),
    ("something before the @-sign", N_("something before the @-sign")),
    ("something after the @-sign", N_("something after the @-sign")),
    ("It should have a period", N_("It should have a period")),
    ("not within a valid top-level domain", N_("not within a valid top-level domain")),
    ("two periods in a row", N_("two periods in a row")),
    ("cannot end with a period", N_("cannot end with a period")),
    ("cannot start with a period", N_("cannot start with a period")),
    ("period immediately before the @-sign", N_("period immediately before the @-sign")),
    ("period immediately after the @-sign", N_("period immediately after the @-sign")),
    ("invalid characters before the @-sign", N_("invalid characters before the @-sign")),
    ("invalid characters", N_("invalid characters after the @-sign")),
    ("unsafe characters", N_("unsafe characters")),
    ("too long", N_("too long")),
    ("special-use or reserved name", N_("special-use or reserved name")),
    ('"full-width" at-sign', N_('"full-width" at-sign')),
    ("display name", N_("display name")),
)


def _reason(message: str) -> str:
    """A reason in the UI language from email-validator's English message."""
    english = message.rstrip(".")
    phrase = next((msg for key, msg in _REASONS if key in message), None)
    if phrase == "invalid characters after the @-sign" and "after the @-sign" not in message:
        phrase = N_("invalid characters")
    reason = _(phrase) if phrase is not None else english
    if reason == phrase:  # no translation: email-validator's own words say more
        reason = english
    return _("invalid address: {reason}").format(reason=reason)
