"""Subscriptions by email benchmark: classifying requests and replies, queueing requests,
sending confirmations over one SMTP connection, and confirming.

Run: ``uv run python benchmarks/subscriptions.py [--requests 1000]``.

1. ``classify`` of a request to the +subscribe address and of a reply to a confirmation
   (µs per message, best of 3 runs of 2,000).
2. ``process_batch`` of N requests from N different addresses (one transaction): time per
   request, and how many were queued (the per-mailbox cap); then the same addresses again an
   hour later (nothing queued twice).
3. ``send_confirmations`` to a local aiosmtpd (``tests/smtp_server.py``), one connection,
   :data:`~editor.inbox.confirm_send.MAX_PER_SYNC` per run: time per confirmation, and bytes of
   one confirmation.
4. ``process_batch`` of the replies (the contacts created with their consent proof).

Measured here (2 shared cores, 1,000 requests, two runs): classify 350-470 µs per request,
310-490 µs per reply; 1,000 requests processed in 0.76-0.81 s, 200 of them queued (the
per-mailbox cap: the other 800 are counted and dropped); the same addresses an hour later add
nothing; 200 confirmations sent in 10 runs of 20, one connection each, 0.51-0.73 s (2.5-3.7 ms
per confirmation, 952 bytes each); 200 replies confirmed in 0.11-0.19 s (0.6-0.9 ms each).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from editor.contacts.store import ContactStore
from editor.inbox.batch import process_batch
from editor.inbox.classify import classify
from editor.inbox.confirm_send import send_confirmations
from editor.inbox.mailboxes import Mailbox
from editor.inbox.process import Tally
from editor.inbox.subscriptions import SubscribeSettings, pending_requests
from tests.inbox.subscribe_samples import reply, request
from tests.sending.campaign_support import account
from tests.smtp_server import SmtpServer

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)


def best(fn: object, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    n = parser.parse_args().requests
    raws = [request(f"p{i}@example.net", message_id=f"<r{i}@x>") for i in range(n)]

    one = raws[0]
    t = best(lambda: [classify(one) for _ in range(2000)])
    print(f"classify a request: {t / 2000 * 1e6:.0f} µs")

    settings = SubscribeSettings("News", accept=True, list_name="Readers")
    box = Mailbox(
        "News",
        "127.0.0.1",
        143,
        "none",
        "u",
        account="local",
        accept_subscriptions=True,
        subscribe_list="Readers",
    )
    with tempfile.TemporaryDirectory() as folder, SmtpServer() as smtp:
        store = ContactStore(Path(folder) / "c.sqlite3")
        start = time.perf_counter()
        process_batch(
            store, enumerate(raws), Tally(), source="bench", now=NOW, subscriptions=settings
        )
        t = time.perf_counter() - start
        queued = len(pending_requests(store))
        print(
            f"process {n} requests: {t:.2f} s ({t / n * 1e3:.2f} ms each); "
            f"{queued} queued (at most MAX_QUEUED waiting per mailbox)"
        )
        start = time.perf_counter()
        tally = Tally()
        again = [request(f"p{i}@example.net", message_id=f"<again{i}@x>") for i in range(n)]
        process_batch(
            store,
            enumerate(again),
            tally,
            source="bench",
            now=NOW + timedelta(hours=1),
            subscriptions=settings,
        )
        print(
            f"same {n} again within 24 h: {time.perf_counter() - start:.2f} s, "
            f"requests waiting: {len(pending_requests(store))} (none added)"
        )
        acct = account(smtp.port)
        start = time.perf_counter()
        sent = 0
        runs = 0
        while True:
            report = send_confirmations(store, box, account=acct, now=NOW)
            runs += 1
            sent += len(report.sent)
            if not report.waiting:
                break
        t = time.perf_counter() - start
        print(
            f"send {sent} confirmations in {runs} runs of one connection: {t:.2f} s "
            f"({t / sent * 1e3:.1f} ms each); one confirmation: {len(smtp.messages[0][2])} bytes"
        )
        replies = [
            reply(raw, rcpts[0], message_id=f"<reply{i}@x>")
            for i, (_f, rcpts, raw) in enumerate(smtp.messages)
        ]
        t = best(lambda: [classify(replies[0]) for _ in range(2000)])
        print(f"classify a reply: {t / 2000 * 1e6:.0f} µs")
        start = time.perf_counter()
        tally = Tally()
        process_batch(
            store, enumerate(replies), tally, source="bench", now=NOW + timedelta(hours=2)
        )
        t = time.perf_counter() - start
        print(
            f"confirm {len(tally.changed)} subscriptions: {t:.2f} s "
            f"({t / max(len(replies), 1) * 1e3:.2f} ms each)"
        )
        store.close()


if __name__ == "__main__":
    main()
