"""Messages the inbox sync and import tests put in a mailbox, with the statuses they must leave.

Hand-written: an RFC 3464 DSN (permanent), an ARF complaint, an « unsubscribe » reply, an
out-of-office in French and a stranger's bounce; plus real bounces from tests/data/bounces
(flufl.bounce's test data). ``EXPECTED`` maps each contact to the status the processing must
leave, including the contacts that must not change.
"""

from __future__ import annotations

from pathlib import Path

from editor.contacts.store import ContactStore
from tests.sending.campaign_support import profile

BOUNCES = Path(__file__).resolve().parent / "data" / "bounces"


def dsn(recipient: str, status: str = "5.1.1", n: int = 1) -> bytes:
    action = "failed" if status.startswith("5") else "delayed"
    return (
        "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n"
        "To: bounces@example.org\r\n"
        f"Subject: Undelivered Mail Returned to Sender {n}\r\n"
        f"Message-ID: <dsn-{n}-{recipient}@mx.example.net>\r\n"
        "Date: Mon, 02 Mar 2026 10:00:00 +0000\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n"
        "--B\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "This is the mail system at host mx.example.net.\r\n\r\n"
        "--B\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.net\r\n\r\n"
        f"Final-Recipient: rfc822; {recipient}\r\n"
        f"Action: {action}\r\n"
        f"Status: {status}\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
        "--B--\r\n"
    ).encode()


def arf(complainer: str) -> bytes:
    return (
        "From: feedback@fbl.example.net\r\n"
        "To: abuse@example.org\r\n"
        "Subject: Spam complaint\r\n"
        "Message-ID: <arf-1@fbl.example.net>\r\n"
        "Date: Mon, 02 Mar 2026 11:00:00 +0000\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="F"\r\n'
        "\r\n"
        "--F\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "This is an email abuse report.\r\n\r\n"
        "--F\r\n"
        "Content-Type: message/feedback-report\r\n\r\n"
        "Feedback-Type: abuse\r\n"
        "User-Agent: SomeGenerator/1.0\r\n"
        "Version: 1\r\n"
        f"Original-Rcpt-To: {complainer}\r\n\r\n"
        "--F\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        "From: news@example.org\r\n"
        f"To: {complainer}\r\n"
        "Subject: Our March letter\r\n\r\n"
        "--F--\r\n"
    ).encode()


def unsubscribe(sender: str) -> bytes:
    return (
        f"From: {sender}\r\n"
        "To: news@example.org\r\n"
        "Subject: unsubscribe\r\n"
        "Message-ID: <unsub-1@mail.example.com>\r\n"
        "Date: Mon, 02 Mar 2026 12:00:00 +0000\r\n"
        "\r\n"
        "Please remove me.\r\n"
    ).encode()


def out_of_office(sender: str) -> bytes:
    return (
        f"From: {sender}\r\n"
        "To: news@example.org\r\n"
        "Subject: =?utf-8?q?R=C3=A9ponse_automatique_=3A_Absence?=\r\n"
        "Auto-Submitted: auto-replied\r\n"
        "Message-ID: <ooo-1@mail.example.com>\r\n"
        "Date: Mon, 02 Mar 2026 13:00:00 +0000\r\n"
        "\r\n"
        "Je suis absent jusqu'au 15 mars.\r\n"
    ).encode()


BOUNCED = "reader0001@example.org"
COMPLAINED = "reader0002@example.org"
UNSUBSCRIBED = "reader0003@example.org"
AWAY = "reader0004@example.org"
UNTOUCHED = "reader0005@example.org"
STRANGER = "stranger@example.net"
AOL = "screenname@aol.com"  # aol_01.eml's failed recipient
QMAIL = "user@example.net"  # qmail_07.eml's

EXPECTED = {
    BOUNCED: "bounced",
    COMPLAINED: "complained",
    UNSUBSCRIBED: "unsubscribed",
    AWAY: "subscribed",
    UNTOUCHED: "subscribed",
    AOL: "bounced",
    QMAIL: "bounced",
}


def messages() -> list[bytes]:
    """The mailbox's content, in the order it arrives."""
    return [
        dsn(BOUNCED),
        arf(COMPLAINED),
        unsubscribe(UNSUBSCRIBED),
        out_of_office(AWAY),
        dsn(STRANGER, n=2),
        (BOUNCES / "aol_01.eml").read_bytes(),
        (BOUNCES / "qmail_07.eml").read_bytes(),
    ]


def contacts_store(path: Path) -> ContactStore:
    """Every expected contact subscribed (the stranger is not a contact)."""
    return profile(path, {"News": list(EXPECTED)})


def statuses(store: ContactStore) -> dict[str, str]:
    found: dict[str, str] = {}
    for email in [*EXPECTED, STRANGER]:
        contact = store.get(email)
        if contact is not None:
            found[email] = contact.status
    return found
