"""SpamAssassin's verdict on a message, asked of a running ``spamd`` over its own protocol.

We speak SPAMC/1.5 on a plain socket (as ``spamc`` does; see SpamAssassin's ``spamd/PROTOCOL``)
rather than running ``spamc``: no extra program to install, one overall deadline, and errors we
can word for the owner. ``REPORT`` gives the score, the threshold and the rule table in one scan;
when a customised report template hides the table, a ``SYMBOLS`` request still names the rules.

The conversation::

    REPORT SPAMC/1.5\\r\\n Content-length: <n>\\r\\n \\r\\n <message>     (then we shut our side)
    SPAMD/1.1 0 EX_OK\\r\\n Content-length: <m>\\r\\n Spam: True ; 7.2 / 5.0\\r\\n \\r\\n <report>
"""

from __future__ import annotations

import re
import socket
import time

from editor.i18n import _
from editor.spam.model import SpamdReport, SpamdRule

DEFAULT_ADDRESS = "127.0.0.1:783"
DEFAULT_PORT = 783

#: Larger than any message a mailbox provider accepts (Gmail: 25 MB with its encoding), so a
#: newsletter that can be sent can be checked, and a mistaken multi-gigabyte file is refused.
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
#: spamd's report is a few kilobytes; a server sending more is not a spamd.
MAX_REPLY_BYTES = 1024 * 1024

_STATUS = re.compile(rb"^SPAMD/(\d+\.\d+)\s+(\d+)\s*(.*)$")
_SPAM_HEADER = re.compile(
    r"^\s*(true|false|yes|no)\s*;\s*(-?\d+(?:\.\d+)?)\s*/\s*(-?\d+(?:\.\d+)?)\s*$", re.IGNORECASE
)
# " pts rule name              description" is followed by "---- ------- -----" then the rows.
_TABLE_RULE = re.compile(r"^-{3,}\s+-{3,}\s+-{3,}\s*$")
_ROW = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s+([A-Za-z0-9_]+)(?:\s+(.*))?$")
_CONTINUATION = re.compile(r"^\s{5,}(\S.*)$")


class SpamdError(Exception):
    """Why spamd could not be asked, worded for the owner in the UI language."""


def parse_address(address: str) -> tuple[str, int]:
    """``HOST:PORT``, ``HOST`` (port 783), ``[IPv6]:PORT`` or a bare IPv6 address."""
    text = address.strip()
    host, port_text = text, None
    if text.startswith("["):
        end = text.find("]")
        if end < 0 or (end + 1 < len(text) and text[end + 1] != ":"):
            raise _malformed(address)
        host = text[1:end]
        port_text = text[end + 2 :] if end + 1 < len(text) else None
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    if not host or any(c.isspace() for c in host):
        raise _malformed(address)
    if port_text is None:
        return host, DEFAULT_PORT
    if not port_text.isascii() or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise _malformed(address)
    return host, int(port_text)


def _malformed(address: str) -> SpamdError:
    return SpamdError(
        _('"{address}" is not a spamd address: write HOST:PORT, for example 127.0.0.1:783.').format(
            address=address
        )
    )


def check_with_spamd(
    message: bytes, address: str = DEFAULT_ADDRESS, *, timeout: float = 10.0
) -> SpamdReport:
    """SpamAssassin's score, threshold and rules hit for ``message`` (a whole RFC 5322 message).

    ``timeout`` bounds the whole exchange (connecting, sending, SpamAssassin's scan, reading).
    Raises :class:`SpamdError` with a human message when spamd cannot give an answer.
    """
    host, port = parse_address(address)
    if len(message) > MAX_MESSAGE_BYTES:
        raise SpamdError(
            _(
                "The message is {mb} MB: too large to check (the limit is {limit} MB, "
                "more than mailbox providers accept)."
            ).format(mb=round(len(message) / 1e6, 1), limit=MAX_MESSAGE_BYTES // (1024 * 1024))
        )
    deadline = time.monotonic() + timeout
    headers, body = _exchange(b"REPORT", message, host, port, address, deadline, timeout)
    score, threshold = _score(headers, address)
    rules = parse_report(body)
    if rules is None:  # a site's report template without the table: ask for the names
        headers, body = _exchange(b"SYMBOLS", message, host, port, address, deadline, timeout)
        rules = [SpamdRule(name, 0.0, "") for name in parse_symbols(body)]
    return SpamdReport(score=score, threshold=threshold, rules=rules)


def parse_report(body: str) -> list[SpamdRule] | None:
    """The rules of REPORT's "pts rule name description" table, or None when it has none.

    Long descriptions continue on indented lines (SpamAssassin 4 adds ``[URIs: …]`` there);
    they are joined to the rule they follow.
    """
    rules: list[SpamdRule] = []
    in_table = False
    for line in body.splitlines():
        if not in_table:
            in_table = bool(_TABLE_RULE.match(line))
            continue
        if not line.strip():
            break
        row = _ROW.match(line)
        if row:
            points = float(row.group(1)) + 0.0  # "-0.0" (informational) reads as 0.0
            rules.append(SpamdRule(row.group(2), points, (row.group(3) or "").strip()))
            continue
        more = _CONTINUATION.match(line)
        if more and rules:
            last = rules[-1]
            description = f"{last.description} {more.group(1).strip()}".strip()
            rules[-1] = SpamdRule(last.name, last.points, description)
    return rules if in_table else None


def parse_symbols(body: str) -> list[str]:
    """SYMBOLS' comma-separated rule names (with or without a trailing CR-LF)."""
    return [name.strip() for name in body.replace("\r", "").replace("\n", ",").split(",") if name]


def _score(headers: dict[str, str], address: str) -> tuple[float, float]:
    found = _SPAM_HEADER.match(headers.get("spam", ""))
    if not found:
        raise _not_spamd(address, headers.get("spam", ""))
    return float(found.group(2)), float(found.group(3))


def _exchange(
    command: bytes,
    message: bytes,
    host: str,
    port: int,
    address: str,
    deadline: float,
    timeout: float,
) -> tuple[dict[str, str], str]:
    """One request and its reply: the reply's headers (lower-case names) and its body."""
    request = b"%s SPAMC/1.5\r\nContent-length: %d\r\n\r\n" % (command, len(message))
    try:
        with socket.create_connection((host, port), timeout=_left(deadline)) as sock:
            try:
                sock.settimeout(_left(deadline))
                sock.sendall(request + message)
                sock.shutdown(socket.SHUT_WR)
            except TimeoutError:
                raise
            except OSError:
                pass  # spamd may refuse early and close: its status line says why
            reply = _read_reply(sock, deadline, address)
    except TimeoutError:
        raise SpamdError(
            _("spamd at {address} did not answer within {seconds} seconds.").format(
                address=address, seconds=f"{timeout:g}"
            )
        ) from None
    except ConnectionRefusedError:
        raise SpamdError(
            _(
                "Could not connect to {address}: the connection was refused. Is spamd running?"
            ).format(address=address)
        ) from None
    except socket.gaierror:
        raise SpamdError(
            _('Could not find the host "{host}" of the spamd address.').format(host=host)
        ) from None
    except OSError as exc:
        raise SpamdError(
            _("Could not talk to spamd at {address}: {error}").format(
                address=address, error=exc.strerror or exc
            )
        ) from None
    return _parse_reply(reply, address)


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _read_reply(sock: socket.socket, deadline: float, address: str) -> bytes:
    """Read until spamd closes or its Content-length is reached; fail fast on a non-spamd."""
    data = b""
    wanted: int | None = None
    while wanted is None or len(data) < wanted:
        sock.settimeout(_left(deadline))
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_REPLY_BYTES or not b"SPAMD/".startswith(data[:6]):
            raise _not_spamd(address, data)
        if wanted is None and b"\r\n\r\n" in data:
            head = data.split(b"\r\n\r\n", 1)[0]
            length = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
            if length:
                wanted = len(head) + 4 + int(length.group(1))
    if not data:
        raise SpamdError(
            _("spamd at {address} closed the connection without answering.").format(address=address)
        )
    return data


def _parse_reply(reply: bytes, address: str) -> tuple[dict[str, str], str]:
    head, _sep, body = reply.partition(b"\r\n\r\n")
    first, *lines = head.split(b"\r\n")
    status = _STATUS.match(first)
    if not status:
        raise _not_spamd(address, first)
    code, text = int(status.group(2)), status.group(3).decode("utf-8", "replace").strip()
    if code != 0:
        raise SpamdError(
            _("spamd at {address} could not check the message: {reason} (code {code}).").format(
                address=address, reason=text, code=code
            )
        )
    headers: dict[str, str] = {}
    for line in lines:
        name, colon, value = line.decode("utf-8", "replace").partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return headers, body.decode("utf-8", "replace")


def _not_spamd(address: str, answer: bytes | str) -> SpamdError:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
    first = text.strip().splitlines()[0][:80] if text.strip() else ""
    return SpamdError(
        _('The server at {address} is not a spamd (it answered "{answer}").').format(
            address=address, answer=first
        )
    )
