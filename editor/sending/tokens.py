"""Per-recipient unsubscribe tokens, and the ``local+unsub-TOKEN@domain`` addresses that carry them.

A token names one delivery (one contact in one campaign) without saying who the contact is, so
an unsubscribe link or address can be followed by its recipient but not forged for someone else
(``?email=marie@…`` let anyone unsubscribe anyone). Tokens are lowercase base32: mail systems
may lowercase the local part of an address, and the result still reads back as the same token.
"""

from __future__ import annotations

import base64
import re
import secrets

__all__ = [
    "LOCAL_TAG",
    "SAMPLE_TOKEN",
    "TOKEN_LENGTH",
    "is_token",
    "new_token",
    "token_from_address",
    "unsubscribe_mailto",
]

TOKEN_BYTES = 15  # 120 random bits, 24 base32 characters, no padding
TOKEN_LENGTH = TOKEN_BYTES * 8 // 5
LOCAL_TAG = "unsub-"  # before the token in the local part
#: The token of sample messages (previews, ``render --eml`` without a contact, tests): it
#: names no delivery, so following it unsubscribes nobody.
SAMPLE_TOKEN = "sampletokensampletokensa"  # noqa: S105 (not a secret)
_TOKEN = re.compile(rf"[a-z2-7]{{{TOKEN_LENGTH}}}")
_DOMAIN = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")
_TOKEN_IN_LOCAL = re.compile(rf"\+{LOCAL_TAG}([a-z2-7]{{{TOKEN_LENGTH}}})$", re.IGNORECASE)


def new_token() -> str:
    """A fresh random token: 120 bits, lowercase letters and digits 2–7 (fits a local part)."""
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode("ascii").lower()


def is_token(text: str) -> bool:
    """Whether ``text`` has the shape of a token (case-insensitive)."""
    return _TOKEN.fullmatch(text.lower()) is not None


def unsubscribe_mailto(from_email: str, token: str) -> str:
    """``local+unsub-TOKEN@domain`` for the sender's address ``local@domain``.

    An internationalised domain is written in its ASCII (``xn--``) form, as headers need it. A
    sender address that already has a ``+tag`` keeps it (``news+fr@x`` → ``news+fr+unsub-…@x``):
    the mailbox still receives it, and :func:`token_from_address` only reads the last tag.
    Raises ValueError for something that is not an address.
    """
    local, at, domain = from_email.strip().rpartition("@")
    if not at or not local or not domain or any(c in from_email for c in "\r\n\0 <>"):
        raise ValueError(f"not an email address: {from_email!r}")
    return f"{local}+{LOCAL_TAG}{token}@{ascii_domain(domain)}"


def token_from_address(address: str) -> str | None:
    """The token of an address made by :func:`unsubscribe_mailto` (any case), else None.

    Accepts a bare address or one in angle brackets (``"Name" <local+unsub-…@domain>``), as
    the inbox sync reads them from ``To``/``Delivered-To`` headers.
    """
    text = address.strip()
    if "<" in text and text.endswith(">"):
        text = text[text.rindex("<") + 1 : -1]
    local, at, _domain = text.rpartition("@")
    if not at:
        return None
    match = _TOKEN_IN_LOCAL.search(local)
    return match.group(1).lower() if match else None


def ascii_domain(domain: str) -> str:
    """A domain as headers and envelopes need it: an internationalised one in IDNA form.

    Raises ValueError when it cannot be encoded (empty labels, forbidden characters).
    """
    domain = domain.strip().rstrip(".")
    try:
        encoded = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(f"invalid domain: {domain!r}") from exc
    if not _DOMAIN.fullmatch(encoded):
        raise ValueError(f"invalid domain: {domain!r}")
    return encoded.lower()
