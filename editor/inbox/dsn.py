"""RFC 3464 delivery status notifications, read field by field.

``multipart/report; report-type=delivery-status`` carries a ``message/delivery-status`` part:
one block about the message, then one per recipient (Final-Recipient, Original-Recipient,
Action, Status, Diagnostic-Code). ``Status`` 5.x.x is permanent, 4.x.x temporary; ``Action:
delayed`` is always temporary (the MTA is still trying). flufl.bounce's DSN detector gives only
addresses; this keeps the status and diagnostic, which the history quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message

from editor.inbox.mime import clean_address, content_type, header, header_blocks, walk

_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
MAX_DIAGNOSTIC = 300


@dataclass(frozen=True, slots=True)
class Failure:
    """One recipient that could not be reached."""

    address: str
    permanent: bool
    status: str = ""  # "5.1.1"
    diagnostic: str = ""  # the remote server's words, shortened


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """What the delivery-status parts say: failures, and whether there was such a part at all
    (a DSN that reports only successful deliveries has none)."""

    failures: tuple[Failure, ...]
    found: bool


def status_code(text: str) -> str:
    """The first ``X.Y.Z`` enhanced status code in ``text``, '' if none."""
    match = _STATUS.search(text)
    return ".".join(match.groups()) if match else ""


def shorten(text: str, limit: int = MAX_DIAGNOSTIC) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def delivery_status(msg: Message) -> DeliveryStatus:
    """The failures reported by every ``message/delivery-status`` part of ``msg``."""
    failures: dict[str, Failure] = {}
    found = False
    for part in walk(msg):
        if content_type(part) not in ("message/delivery-status", "message/global-delivery-status"):
            continue
        found = True
        for block in header_blocks(part)[1:] or header_blocks(part):
            failure = _recipient(block)
            if failure is None:
                continue
            known = failures.get(failure.address.lower())
            # A recipient reported twice keeps its most severe verdict.
            if known is None or (failure.permanent and not known.permanent):
                failures[failure.address.lower()] = failure
    return DeliveryStatus(tuple(failures.values()), found)


def _recipient(block: Message) -> Failure | None:
    address = clean_address(header(block, "Original-Recipient")) or clean_address(
        header(block, "Final-Recipient")
    )
    action = header(block, "Action").lower().split(" ", 1)[0] if header(block, "Action") else ""
    if not address or action in ("delivered", "relayed", "expanded"):
        return None
    diagnostic = header(block, "Diagnostic-Code")
    if ";" in diagnostic[:20]:
        diagnostic = diagnostic.split(";", 1)[1]
    status = status_code(header(block, "Status")) or status_code(diagnostic)
    if action == "delayed":
        permanent = False
    elif status:
        permanent = status.startswith("5")
    elif action == "failed":
        permanent = True
    else:
        return None  # neither an action nor a status that says failure
    return Failure(address, permanent, status, shorten(diagnostic.strip()))
