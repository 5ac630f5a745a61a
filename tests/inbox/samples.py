"""Real bounce samples (tests/data/bounces, from flufl.bounce) and messages written for the
tests: a Postfix DSN about one of our deliveries, a delay, an ARF report, unsubscribe replies,
out-of-office replies in French and English, backscatter."""

from __future__ import annotations

import re
from pathlib import Path

BOUNCES = Path(__file__).resolve().parent.parent / "data" / "bounces"

#: What classify() finds in each sample as it is: (kind, failed addresses, permanent?).
#: Most quote someone else's original (python.org lists), hence backscatter.
EXPECTED: dict[str, tuple[str, frozenset[str], bool]] = {
    "aol_01": ("bounce", frozenset({"screenname@aol.com"}), True),
    "dsn_01": ("backscatter", frozenset({"JimmyMcEgypt@go.com"}), True),
    "dsn_05": ("soft_bounce", frozenset({"pkocmid@atlas.cz"}), False),
    "dsn_09": ("backscatter", frozenset({"pr@allen-heath.com"}), True),
    "dsn_17": ("backscatter", frozenset({"christine.barsas@sivarikeskus.fi"}), False),
    "exim_01": ("backscatter", frozenset({"delangen@its.tudelft.nl"}), True),
    "groupwise_01": ("backscatter", frozenset({"thoff@MAINEX1.ASU.EDU"}), True),
    "groupwise_02": ("backscatter", frozenset({"omarmo@thebas.com"}), True),
    "hotpop_01": ("backscatter", frozenset({"allensmithee@hotpop.com"}), True),
    "llnl_01": ("backscatter", frozenset({"trotts1@llnl.gov"}), True),
    "microsoft_01": ("backscatter", frozenset({"DJBENNETT@IKON.COM"}), True),
    "netscape_01": ("backscatter", frozenset({"aaaaa@corel.com", "bbbbb@corel.com"}), True),
    "newmailru_01": ("backscatter", frozenset({"zzzzz@newmail.ru"}), True),
    "postfix_01": ("backscatter", frozenset({"xxxxx@local.ie"}), True),
    "postfix_03": ("backscatter", frozenset({"ttttt@ggggg.com"}), True),
    "qmail_01": ("backscatter", frozenset({"psadisc@wwwmail.n-h.de"}), True),
    "qmail_07": ("bounce", frozenset({"user@example.net"}), True),
    "sendmail_01": ("backscatter", frozenset({"zzzzz@nfg.nl", "zzzzz@shaft.coal.nl"}), True),
    "simple_01": ("backscatter", frozenset({"bbbsss@turbosport.com"}), True),
    "simple_03": ("soft_bounce", frozenset({"jacobus@geo.co.za"}), False),
    "simple_17": ("backscatter", frozenset({"internetsailing@gmail.com"}), True),
    "simple_28": ("backscatter", frozenset({"luis.hiam@gmail.com"}), False),
    "simple_31": ("backscatter", frozenset({"nmorel@actisce.fr"}), True),
    "sina_01": ("backscatter", frozenset({"boboman76@sina.com", "alan_t18@sina.com"}), True),
    "smtp32_01": ("backscatter", frozenset({"oliver@pcworld.com.ph"}), True),
    "yahoo_01": ("bounce", frozenset({"subscribe.motorcycles@listsociety.com"}), True),
    "yahoo_04": (
        "backscatter",
        frozenset({"open00now@yahoo.co.uk", "agarciamartiartu@yahoo.es"}),
        True,
    ),
    "yale_01": (
        "backscatter",
        frozenset({"thomas.dtankengine@yale.edu", "thomas.dtankengine@cs.yale.edu"}),
        True,
    ),
    "dumbass_01": ("unrecognised", frozenset(), True),
}

_QUOTED_ID = re.compile(rb"(?im)^(\s*>?\s*Message-I[Dd]:[ \t]*(?:=\r?\n)?)<[^<>\r\n]*>")


def sample(name: str) -> bytes:
    return (BOUNCES / f"{name}.eml").read_bytes()


def as_ours(raw: bytes, message_id: str) -> bytes:
    """``raw`` with every Message-ID quoted in its body replaced by ``message_id`` (one of our
    deliveries'), so a real MTA's bounce becomes a bounce of our message. The bounce's own
    Message-ID (in its header block) is kept."""
    head, sep, body = raw.partition(b"\n\n")
    if not sep:
        head, sep, body = raw.partition(b"\r\n\r\n")
    replaced = _QUOTED_ID.sub(lambda m: m.group(1) + message_id.encode("ascii"), body)
    return head + sep + replaced


# ------------------------------------------------------------------ messages written for tests

OUR_SENDER = "news@example.org"


def _crlf(text: str) -> bytes:
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")


def our_original(to: str, message_id: str, token: str) -> str:
    """The headers of a newsletter as Bulletin sends it (as MTAs quote it in a DSN)."""
    return (
        f'From: "Les Nouvelles" <{OUR_SENDER}>\n'
        f"To: {to}\n"
        "Subject: =?utf-8?q?La_lettre_de_mars?=\n"
        "Date: Mon, 02 Mar 2026 09:00:00 +0000\n"
        f"Message-ID: {message_id}\n"
        f"List-Unsubscribe: <mailto:news+unsub-{token}@example.org>\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n"
    )


def postfix_dsn(
    recipient: str,
    original: str,
    *,
    status: str = "5.1.1",
    action: str = "failed",
    diagnostic: str = "smtp; 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown",
    date: str = "Mon, 02 Mar 2026 09:05:00 +0000",
    message_id: str = "<20260302090500.1A2B3C@mx.example.net>",
) -> bytes:
    """An RFC 3464 report as Postfix writes it, quoting ``original`` (headers only)."""
    diagnostic = diagnostic.format(rcpt=recipient)
    subject = (
        "Delayed Mail (still being retried)"
        if action == "delayed"
        else "Undelivered Mail Returned to Sender"
    )
    return _crlf(
        f"""Return-Path: <>
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: bounces@example.org
Subject: {subject}
Date: {date}
Message-ID: {message_id}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
 boundary="B0UND"

--B0UND
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<{recipient}>: host mx.example.net said: {diagnostic}

--B0UND
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 1A2B3C
Arrival-Date: Mon,  2 Mar 2026 09:00:01 +0000 (UTC)

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; mx.example.net
Diagnostic-Code: {diagnostic}

--B0UND
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{original}
--B0UND--
"""
    )


def arf_report(
    original: str,
    *,
    rcpt_to: str = "",
    message_id: str = "<arf-20260303@feedback.example.com>",
    date: str = "Tue, 03 Mar 2026 11:00:00 +0000",
) -> bytes:
    """An RFC 5965 abuse report (adapted from the RFC's example), quoting ``original``."""
    rcpt = f"Original-Rcpt-To: {rcpt_to}\n" if rcpt_to else ""
    return _crlf(
        f"""From: <abusedesk@feedback.example.com>
Date: {date}
Subject: FW: La lettre de mars
To: <abuse@example.org>
Message-ID: {message_id}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
     boundary="part1_13d.2e68ed54_boundary"

--part1_13d.2e68ed54_boundary
Content-Type: text/plain; charset="US-ASCII"
Content-Transfer-Encoding: 7bit

This is an email abuse report for an email message received from IP
192.0.2.1 on Mon, 2 Mar 2026 09:00:03 +0000.
For more information about this format please see
https://www.rfc-editor.org/rfc/rfc5965

--part1_13d.2e68ed54_boundary
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Mail-From: <bounces@example.org>
{rcpt}Arrival-Date: Mon, 02 Mar 2026 09:00:03 +0000
Source-IP: 192.0.2.1
Reported-Domain: example.org

--part1_13d.2e68ed54_boundary
Content-Type: message/rfc822
Content-Disposition: inline

{original}
Bonjour, voici la lettre de mars.

--part1_13d.2e68ed54_boundary--
"""
    )


def unsubscribe_reply(
    sender: str,
    to: str,
    *,
    subject: str = "unsubscribe",
    message_id: str = "<unsub-1@mail.example.com>",
    date: str = "Wed, 04 Mar 2026 08:00:00 +0000",
) -> bytes:
    """What Gmail's or Apple Mail's unsubscribe button sends to the List-Unsubscribe mailto."""
    return _crlf(
        f"""From: {sender}
To: {to}
Subject: {subject}
Date: {date}
Message-ID: {message_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

This message was automatically generated by Gmail.
"""
    )


def out_of_office(
    sender: str, *, french: bool, message_id: str = "<ooo-1@mail.example.com>"
) -> bytes:
    """An Exchange / Outlook out-of-office reply, in French or English."""
    if french:
        subject = "=?utf-8?q?R=C3=A9ponse_automatique=C2=A0=3A_La_lettre_de_mars?="
        body = "Je suis absente du bureau jusqu'au 16 mars. Merci de votre message."
    else:
        subject = "Automatic reply: La lettre de mars"
        body = "I am out of the office until 16 March with limited access to email."
    return _crlf(
        f"""From: {sender}
To: "Les Nouvelles" <{OUR_SENDER}>
Subject: {subject}
Date: Mon, 02 Mar 2026 09:01:00 +0000
Message-ID: {message_id}
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{body}
"""
    )


def vacation_subject_only(sender: str, subject: str, message_id: str) -> bytes:
    """An auto-reply that says so only in its subject (old vacation programs)."""
    return _crlf(
        f"""From: {sender}
To: {OUR_SENDER}
Subject: {subject}
Date: Mon, 02 Mar 2026 09:02:00 +0000
Message-ID: {message_id}

Back on Monday.
"""
    )


def forged_original(to: str) -> str:
    """Spam forged « from » our address: someone else's Message-ID, no token of ours."""
    return (
        f"From: {OUR_SENDER}\n"
        f"To: {to}\n"
        "Subject: Cheap watches\n"
        "Date: Tue, 03 Mar 2026 02:00:00 +0000\n"
        "Message-ID: <8f3a9c2e.4b1d@spam-host.example.biz>\n"
    )
