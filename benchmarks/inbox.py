"""Inbox benchmark: syncing a 10,000-message mailbox from a real dovecot, and importing an mbox.

Run: ``uv run python benchmarks/inbox.py [--messages 10000]``.

1. dovecot on 127.0.0.1 (``tests/imap_server.py``: its own configuration in a temporary folder),
   its INBOX filled by writing maildir files directly (APPENDing 10,000 messages would measure
   dovecot, not Bulletin): a mix of RFC 3464 bounces quoting the original's headers (70 %), ARF
   complaints (10 %), « unsubscribe » replies (10 %) and out-of-office replies (10 %), 4.4 KB
   on average, for as many contacts in a profile database.
2. ``sync_mailbox`` over TLS in a child process: time, messages per second and peak RSS
   (``resource.getrusage``), against the child's RSS once everything is imported (the
   baseline). Then a second sync of the same mailbox (nothing new: it must read nothing).
3. ``import_messages`` of the same messages as one mbox file, in another child process.

Measured here (2 shared cores, 6 December 2026), 10,000 messages: sync 8.5-11.7 s
(850-1,180 msg/s, 9,000 contacts changed), peak RSS 67 MB against 35 MB once imported; the
second sync reads nothing in 0.03 s; mbox import 9.0-9.9 s, peak 67 MB. Memory grows only with
the tally's list of changes (about 0.9 KB per message all told): 76 MB for 20,000, 95 MB for
40,000 (873 msg/s).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

QUOTED = "".join(f"X-Padding-{i}: {'lorem ipsum dolor sit amet ' * 3}\r\n" for i in range(40))


def contact(i: int) -> str:
    return f"reader{i:05d}@example.org"


def message(i: int) -> bytes:
    """The i-th message of the mailbox (see the module doc for the mix)."""
    who = contact(i)
    head = (
        f"Message-ID: <bench-{i}@mx.example.net>\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\n"
        "MIME-Version: 1.0\r\n"
    )
    kind = i % 10
    if kind < 7:
        return (
            "From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\n"
            "To: bounces@example.org\r\nSubject: Undelivered Mail Returned to Sender\r\n"
            + head
            + 'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
            "--B\r\nContent-Type: text/plain\r\n\r\n"
            "This is the mail system at host mx.example.net.\r\n\r\n"
            "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
            "Reporting-MTA: dns; mx.example.net\r\n\r\n"
            f"Final-Recipient: rfc822; {who}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
            "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            f"From: news@example.org\r\nTo: {who}\r\nSubject: Our March letter\r\n"
            + QUOTED
            + "\r\n--B--\r\n"
        ).encode()
    if kind == 7:
        return (
            "From: feedback@fbl.example.net\r\nTo: abuse@example.org\r\n"
            "Subject: Spam complaint\r\n"
            + head
            + 'Content-Type: multipart/report; report-type=feedback-report; boundary="F"\r\n\r\n'
            "--F\r\nContent-Type: text/plain\r\n\r\nAn abuse report.\r\n\r\n"
            "--F\r\nContent-Type: message/feedback-report\r\n\r\n"
            f"Feedback-Type: abuse\r\nUser-Agent: Bench/1.0\r\nVersion: 1\r\n"
            f"Original-Rcpt-To: {who}\r\n\r\n"
            "--F\r\nContent-Type: text/rfc822-headers\r\n\r\n"
            f"From: news@example.org\r\nTo: {who}\r\nSubject: Our March letter\r\n"
            + QUOTED
            + "\r\n--F--\r\n"
        ).encode()
    if kind == 8:
        return (
            f"From: {who}\r\nTo: news@example.org\r\nSubject: unsubscribe\r\n"
            + head
            + "Content-Type: text/plain\r\n\r\nPlease remove me.\r\n"
            + QUOTED.replace("X-Padding", "> Padding")
        ).encode()
    return (
        f"From: {who}\r\nTo: news@example.org\r\nSubject: Out of Office\r\n"
        "Auto-Submitted: auto-replied\r\n"
        + head
        + "Content-Type: text/plain\r\n\r\nI am away until March 15.\r\n"
        + QUOTED.replace("X-Padding", "> Padding")
    ).encode()


def make_profile(home: Path, count: int) -> None:
    from editor.contacts.model import Basis, ContactInput
    from editor.contacts.store import ContactStore

    with ContactStore(home / "contacts.sqlite3") as store:
        list_id = store.list_id("News", create=True)
        rows = [ContactInput(contact(i)) for i in range(count)]
        store.upsert_many(rows, list_id=list_id, basis=Basis("consent", source="bench"))


def _rss_mb() -> float:
    """Peak RSS of this process so far (Linux: ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    """RSS right now (Linux), the baseline once every module is imported."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _child_sync(home: str, server: dict[str, Any], queue: Any) -> None:
    import ssl

    os.environ["BULLETIN_HOME"] = home
    from editor.contacts.store import ContactStore
    from editor.inbox import process  # noqa: F401  (imported now: counted in the baseline)
    from editor.inbox.imap_sync import sync_mailbox
    from editor.inbox.mailboxes import Mailbox

    context = ssl.create_default_context(cadata=server["cert"])
    mailbox = Mailbox("Bench", "127.0.0.1", server["tls_port"], "tls", server["user"])
    baseline = _current_rss_mb()
    with ContactStore(Path(home) / "contacts.sqlite3") as store:
        start = time.perf_counter()
        result = sync_mailbox(store, mailbox, server["password"], ssl_context=context)
        elapsed = time.perf_counter() - start
        peak = _rss_mb()
        start = time.perf_counter()
        again = sync_mailbox(store, mailbox, server["password"], ssl_context=context)
        second = time.perf_counter() - start
    queue.put(
        {
            "messages": result.messages,
            "tally": result.tally.to_json() | {"changed": len(result.tally.changed)},
            "seconds": elapsed,
            "baseline_mb": baseline,
            "peak_mb": peak,
            "second_messages": again.messages,
            "second_seconds": second,
        }
    )


def _child_import(home: str, path: str, queue: Any) -> None:
    os.environ["BULLETIN_HOME"] = home
    from editor.contacts.store import ContactStore
    from editor.inbox import process  # noqa: F401  (imported now: counted in the baseline)
    from editor.inbox.mail_import import import_messages

    baseline = _current_rss_mb()
    with ContactStore(Path(home) / "contacts.sqlite3") as store:
        start = time.perf_counter()
        result = import_messages(store, Path(path))
        elapsed = time.perf_counter() - start
    queue.put(
        {
            "messages": result.messages,
            "changed": len(result.tally.changed),
            "seconds": elapsed,
            "baseline_mb": baseline,
            "peak_mb": _rss_mb(),
        }
    )


def run_child(target: Any, *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    result: dict[str, Any] = queue.get(timeout=1800)
    process.join(60)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    args = parser.parse_args()
    count: int = args.messages

    from tests.imap_server import start_imap_server

    server = start_imap_server()
    try:
        with tempfile.TemporaryDirectory(prefix="bulletin-bench-inbox-") as folder:
            root = Path(folder)
            home_sync, home_import = root / "sync", root / "import"
            for home in (home_sync, home_import):
                home.mkdir()
                make_profile(home, count)
            maildir = server.maildir("INBOX")
            stamp = int(time.time())
            total_bytes = 0
            mbox = root / "bounces.mbox"
            with mbox.open("wb") as out:
                for i in range(count):
                    raw = message(i)
                    total_bytes += len(raw)
                    (maildir / "cur" / f"{stamp}.M{i}P1.bench:2,").write_bytes(raw)
                    body = raw.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
                    out.write(b"From MAILER-DAEMON Mon Mar  2 10:00:00 2026\n" + body + b"\n")
            server.hand_over()
            print(f"{count} messages, {total_bytes / count / 1024:.1f} KB each on average")

            info = {
                "cert": server.certificate_pem(),
                "tls_port": server.tls_port,
                "user": server.user,
                "password": server.password,
            }
            sync = run_child(_child_sync, str(home_sync), info)
            rate = sync["messages"] / sync["seconds"]
            print(
                f"sync: {sync['messages']} messages in {sync['seconds']:.1f} s "
                f"({rate:.0f} msg/s); {sync['tally']}"
            )
            print(
                f"sync: peak RSS {sync['peak_mb']:.0f} MB "
                f"(baseline after imports {sync['baseline_mb']:.0f} MB)"
            )
            print(
                f"second sync: {sync['second_messages']} messages read in "
                f"{sync['second_seconds']:.2f} s"
            )
            imported = run_child(_child_import, str(home_import), str(mbox))
            rate = imported["messages"] / imported["seconds"]
            print(
                f"mbox import: {imported['messages']} messages in {imported['seconds']:.1f} s "
                f"({rate:.0f} msg/s), {imported['changed']} changes; peak RSS "
                f"{imported['peak_mb']:.0f} MB (baseline {imported['baseline_mb']:.0f} MB)"
            )
    finally:
        server.stop()


if __name__ == "__main__":
    main()
