"""Reading hostile mail safely: parsing, header text, addresses, dates, bounded walking.

Everything here returns something usable for any input (no headers, broken MIME, unknown
charsets, deep nesting): the classifier must never crash on what a mailbox holds.
"""

from __future__ import annotations

import email
import email.header
import email.utils
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from email.parser import HeaderParser

#: Bytes of a message looked at when classifying: reports and their quoted originals fit far
#: below this; a 40 MB message with attachments is read only this far.
MAX_CLASSIFY_BYTES = 2 * 1024 * 1024
MAX_PARTS = 200  # MIME parts walked at most
MAX_DEPTH = 8  # nesting of multipart/message parts followed at most
MAX_TEXT = 256 * 1024  # characters of one decoded text part kept for pattern searches

_ADDRESS = re.compile(r"[^@\s<>\"(),;:]+@[A-Za-z0-9.-]+\.[A-Za-z0-9-]+|[^@\s<>\"(),;:]+@[^\s<>]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def parse(raw: bytes) -> Message:
    """The message (compat32, the most forgiving policy, and what flufl.bounce expects)."""
    return email.message_from_bytes(raw[:MAX_CLASSIFY_BYTES])


def header(msg: Message, name: str) -> str:
    """The first ``name`` header as text, encoded words decoded, controls flattened; ''."""
    try:
        value = msg.get(name)
    except Exception:  # a defective header must not stop classification
        return ""
    return header_text(value)


def headers(msg: Message, name: str) -> list[str]:
    """Every ``name`` header as text."""
    try:
        values = msg.get_all(name) or []
    except Exception:
        return []
    return [header_text(v) for v in values]


def header_text(value: object) -> str:
    """A header value as text: encoded words decoded in their charset, raw 8-bit bytes read as
    UTF-8 (else Latin-1), unknown charsets tolerated, control characters flattened."""
    if value is None:
        return ""
    try:
        source = value if isinstance(value, email.header.Header) else str(value)
        chunks = email.header.decode_header(source)
    except Exception:  # broken encoded word: keep it raw
        chunks = [(str(value), None)]
    text = "".join(_chunk_text(chunk, charset) for chunk, charset in chunks)
    return " ".join(_CONTROL.sub(" ", _unescape(text)).split())


def _chunk_text(chunk: bytes | str, charset: str | None) -> str:
    if isinstance(chunk, str):
        return chunk
    for encoding in (charset if charset and charset != "unknown-8bit" else "", "utf-8"):
        if encoding:
            try:
                return chunk.decode(encoding)
            except (LookupError, UnicodeDecodeError, ValueError):
                continue
    return chunk.decode("latin-1")


def _unescape(text: str) -> str:
    """Raw 8-bit bytes in a header (mail clients send UTF-8 unencoded) come out of the compat32
    parser as surrogate escapes: read them back as UTF-8, else Latin-1."""
    if not any("\udc80" <= c <= "\udcff" for c in text):
        return text
    data = text.encode("utf-8", "surrogateescape")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def addresses(values: list[str]) -> list[str]:
    """The email addresses in these header values (``Name <a@b>`` lists), in order."""
    found: list[str] = []
    try:
        pairs = email.utils.getaddresses(values)
    except Exception:
        pairs = []
    for _name, address in pairs:
        address = address.strip()
        if "@" in address and address not in found:
            found.append(address)
    return found


def clean_address(text: str) -> str:
    """An address from a DSN field (``rfc822; a@b``) or a detector's output; '' if none."""
    text = text.strip()
    if ";" in text:
        text = text.split(";", 1)[1]
    text = text.strip().strip("<>").strip()
    match = _ADDRESS.search(text)
    if not match:
        return ""
    address = match.group(0).strip(".")
    return address if len(address) <= 320 else ""


def message_id(value: str) -> str:
    """A Message-ID as ``<…>``, '' if none."""
    match = re.search(r"<[^<>\s]+>", value)
    if match:
        return match.group(0)
    value = value.strip()
    return f"<{value}>" if value and " " not in value and "@" in value else ""


def date(msg: Message) -> datetime | None:
    """The message's Date in UTC, None if missing or unreadable."""
    text = header(msg, "Date")
    if not text:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except Exception:
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def walk(msg: Message) -> Iterator[Message]:
    """The message's parts, depth-first, at most :data:`MAX_PARTS`, nesting bounded."""
    count = 0
    stack: list[tuple[Message, int]] = [(msg, 0)]
    while stack and count < MAX_PARTS:
        part, depth = stack.pop()
        count += 1
        yield part
        if depth >= MAX_DEPTH:
            continue
        payload = _payload(part)
        if isinstance(payload, list):
            children = [p for p in payload if isinstance(p, Message)]
            stack.extend((child, depth + 1) for child in reversed(children))


def _payload(part: Message) -> object:
    try:
        return part.get_payload()
    except Exception:  # a defective part is a leaf
        return None


def content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:
        return "text/plain"


def param(part: Message, name: str) -> str:
    try:
        value = part.get_param(name)
    except Exception:
        return ""
    if isinstance(value, tuple):
        value = email.utils.collapse_rfc2231_value(value)
    return str(value or "").strip().lower()


def text_of(part: Message) -> str:
    """A text part decoded (its charset, else UTF-8, else Latin-1), at most :data:`MAX_TEXT`."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        return ""
    if not isinstance(payload, bytes):
        return ""
    payload = payload[: MAX_TEXT * 4]
    charset = ""
    try:
        charset = part.get_content_charset() or ""
    except Exception:
        charset = ""
    for encoding in (charset, "utf-8"):
        if not encoding:
            continue
        try:
            return payload.decode(encoding)[:MAX_TEXT]
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
    return payload.decode("latin-1")[:MAX_TEXT]


def header_blocks(part: Message) -> list[Message]:
    """The header blocks of a ``message/delivery-status`` or ``message/feedback-report`` part,
    whether the email package split them (a list) or left one string."""
    try:
        payload = part.get_payload()
    except Exception:
        return []
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    if isinstance(payload, str):
        text = payload
        if str(part.get("Content-Transfer-Encoding", "")).lower() in ("base64", "quoted-printable"):
            decoded = part.get_payload(decode=True)
            text = decoded.decode("utf-8", "replace") if isinstance(decoded, bytes) else text
        blocks = re.split(r"\r?\n\s*\r?\n", text.strip())
        parser = HeaderParser()
        return [parser.parsestr(block) for block in blocks[:500] if block.strip()]
    return []


def quoted_headers(part: Message) -> Message | None:
    """The headers of a quoted original: a ``message/rfc822`` part's message, or a
    ``text/rfc822-headers`` part parsed."""
    kind = content_type(part)
    if kind in ("message/rfc822", "message/global"):
        try:
            payload = part.get_payload()
        except Exception:
            return None
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            return payload[0]
        if isinstance(payload, str):
            return HeaderParser().parsestr(payload[:MAX_TEXT])
        return None
    if kind in ("text/rfc822-headers", "message/rfc822-headers", "message/global-headers"):
        return HeaderParser().parsestr(text_of(part))
    return None
