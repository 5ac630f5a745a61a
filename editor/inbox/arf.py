"""Spam complaints in the Abuse Reporting Format (RFC 5965).

``multipart/report; report-type=feedback-report``: a human part, a ``message/feedback-report``
part (Feedback-Type, Original-Rcpt-To, Original-Mail-From…) and the original message or its
headers. Providers often hide the complainer's address; the original's List-Unsubscribe token or
Message-ID then names the recipient (see :mod:`editor.inbox.original`).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import Message

from editor.inbox.mime import clean_address, content_type, header, header_blocks, walk

#: Feedback types that mean « this person reported the newsletter »; others (auth-failure,
#: not-spam, virus…) go to the review list.
COMPLAINT_TYPES = ("abuse", "fraud", "")


@dataclass(frozen=True, slots=True)
class Feedback:
    feedback_type: str
    recipients: tuple[str, ...]  # Original-Rcpt-To, may be empty (redacted)
    user_agent: str


def feedback_report(msg: Message) -> Feedback | None:
    """The first ``message/feedback-report`` part's fields, None if there is none."""
    for part in walk(msg):
        if content_type(part) != "message/feedback-report":
            continue
        blocks = header_blocks(part)
        fields = blocks[0] if blocks else Message()
        recipients: list[str] = []
        for block in blocks:
            for value in block.get_all("Original-Rcpt-To") or []:
                address = clean_address(str(value))
                if address and address not in recipients:
                    recipients.append(address)
        return Feedback(
            header(fields, "Feedback-Type").lower(),
            tuple(recipients),
            header(fields, "User-Agent"),
        )
    return None
