"""Messages of subscriptions by email: requests to the +subscribe address, replies to a
confirmation (by a person, by an out-of-office, from another address), hostile ones."""

from __future__ import annotations

import email
import email.header
from email.message import Message

SUBSCRIBE_TO = "news+subscribe@example.org"


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def request(
    sender: str,
    *,
    to: str = SUBSCRIBE_TO,
    subject: str = "Subscribe",
    body: str = "I agree to receive the newsletter by email.\nFirst name (optional): Marie\n",
    message_id: str = "<req-1@mail.example.com>",
    date: str = "Thu, 05 Mar 2026 11:00:00 +0000",
    extra: str = "",
) -> bytes:
    """What the signup form's mailto sends (or a person writing by hand)."""
    return _crlf(
        f"From: {sender}\n"
        f"To: {to}\n"
        f"Subject: {subject}\n"
        f"Date: {date}\n"
        f"Message-ID: {message_id}\n"
        f"{extra}"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "\n"
        f"{body}"
    )


def confirmation_headers(raw: bytes) -> Message:
    return email.message_from_bytes(raw)


def reply(
    confirmation: bytes,
    sender: str,
    *,
    message_id: str = "<reply-1@mail.example.com>",
    date: str = "Thu, 05 Mar 2026 12:30:00 +0000",
    to_reply_to: bool = True,
    in_reply_to: bool = True,
    extra: str = "",
    subject_prefix: str = "Re: ",
) -> bytes:
    """A reply to ``confirmation`` as a mail client writes it: To its Reply-To (or its From),
    In-Reply-To and References its Message-ID, the subject with « Re: »."""
    conf = email.message_from_bytes(confirmation)
    to = conf["Reply-To"] if to_reply_to else conf["From"]
    threading = (
        f"In-Reply-To: {conf['Message-ID']}\nReferences: {conf['Message-ID']}\n"
        if in_reply_to
        else ""
    )
    subject = str(email.header.make_header(email.header.decode_header(conf["Subject"])))
    return _crlf(
        f"From: {sender}\n"
        f"To: {to}\n"
        f"Subject: =?utf-8?b?{_b64(subject_prefix + subject)}?=\n"
        f"Date: {date}\n"
        f"Message-ID: {message_id}\n"
        f"{threading}"
        f"{extra}"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
        "\n"
        "Yes, please.\n"
    )


def _b64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def out_of_office_reply(confirmation: bytes, sender: str) -> bytes:
    """An Exchange out-of-office answering the confirmation (to its Reply-To, threaded)."""
    return reply(
        confirmation,
        sender,
        message_id="<ooo-confirm@mail.example.com>",
        extra="Auto-Submitted: auto-replied\n",
        subject_prefix="Automatic reply: ",
    )
