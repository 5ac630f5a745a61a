"""The message a report is about: the original quoted in a bounce or complaint, and whether it
looks like one of ours.

Ours carry a Message-ID made by :func:`editor.sending.message.make_message_id`
(``<c{campaign uid}.{delivery id}.{12 hex}@domain>``) and a List-Unsubscribe address with a
token (:func:`editor.sending.tokens.unsubscribe_mailto`). A quoted original with a foreign
Message-ID and no token of ours is mail somebody else sent, maybe forged in our name
(backscatter); :func:`editor.inbox.process.process_message` checks the send log before acting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from editor.inbox.mime import (
    addresses,
    content_type,
    header,
    headers,
    message_id,
    quoted_headers,
    text_of,
    walk,
)
from editor.sending.tokens import LOCAL_TAG, TOKEN_LENGTH, token_from_address

OUR_MESSAGE_ID = re.compile(r"<c[A-Za-z0-9-]+\.\d+\.[0-9a-f]{12}@[A-Za-z0-9.-]+>")
_TOKEN_IN_TEXT = re.compile(rf"\+{LOCAL_TAG}([a-z2-7]{{{TOKEN_LENGTH}}})@", re.IGNORECASE)
_MESSAGE_ID_LINE = re.compile(
    r"^\s*>?\s*Message-I[Dd]:\s*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE
)


@dataclass(frozen=True, slots=True)
class Original:
    """What is known of the quoted original (empty strings when not found)."""

    message_id: str = ""
    token: str = ""
    to: tuple[str, ...] = ()
    sender: str = ""

    @property
    def looks_ours(self) -> bool:
        """Our format: a Message-ID shaped like ours, or our unsubscribe token."""
        return bool(self.token) or bool(OUR_MESSAGE_ID.fullmatch(self.message_id))


def is_our_message_id(value: str) -> bool:
    return bool(OUR_MESSAGE_ID.fullmatch(value.strip()))


def token_in(text: str) -> str:
    """The first ``+unsub-TOKEN@`` token in ``text``, lowercase; ''."""
    match = _TOKEN_IN_TEXT.search(text)
    return match.group(1).lower() if match else ""


def from_headers(original: Message) -> Original:
    """The original described by its header block."""
    token = ""
    for value in headers(original, "List-Unsubscribe"):
        token = token_in(value)
        if token:
            break
    to = tuple(addresses(headers(original, "To")))
    return Original(
        message_id=message_id(header(original, "Message-ID")),
        token=token,
        to=to,
        sender=next(iter(addresses(headers(original, "From"))), ""),
    )


def find_original(msg: Message) -> Original | None:
    """The quoted original of a report: a ``message/rfc822`` or ``text/rfc822-headers`` part,
    else ``Message-ID:`` and token lines in the text parts (MTAs that quote inline). None when
    the report quotes nothing recognisable."""
    for part in walk(msg):
        if part is msg:
            continue
        quoted = quoted_headers(part)
        if quoted is not None:
            found = from_headers(quoted)
            if found.message_id or found.token or found.to:
                return found
    for part in walk(msg):
        if part is msg or content_type(part) not in ("text/plain", "text/html"):
            continue
        text = text_of(part)
        match = _MESSAGE_ID_LINE.search(text)
        token = token_in(text)
        if match or token:
            return Original(message_id=match.group(1) if match else "", token=token)
    if content_type(msg) in ("text/plain", "text/html"):  # a single-part bounce quoting inline
        text = text_of(msg)
        match = _MESSAGE_ID_LINE.search(text)
        token = token_in(text)
        if match or token:
            return Original(message_id=match.group(1) if match else "", token=token)
    return None


def token_of_recipients(values: list[str]) -> tuple[str, bool]:
    """``(token, tagged)`` from recipient header values: the token of a ``+unsub-TOKEN``
    address, and whether any address has our ``+unsub-`` tag at all (even with a damaged
    token)."""
    tagged = False
    for address in addresses(values):
        token = token_from_address(address)
        if token:
            return token, True
        local = address.rpartition("@")[0].lower()
        tagged = tagged or f"+{LOCAL_TAG}" in local
    return "", tagged
