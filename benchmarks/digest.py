"""Periodic report benchmark: the weekly report of a week with a 100,000-delivery campaign.

Run: ``uv run python benchmarks/digest.py [--deliveries 100000]``.

The profile of ``benchmarks/reports.py`` (N contacts, one campaign to two lists, 98 % sent over
10 hours on Monday 2 March 2026, bounces, complaints and unsubscribes in the inbox): the report
of that week (``build_digest``: the campaigns that sent in it, each one's report, the week
before, the contacts' history, the review list), then the whole message (text, HTML, MIME).
Each step runs 5 times on a warm database; the best and worst times are printed.

Measured here (2 shared cores, 6 December 2026), 100,000 deliveries: see the README
(« Report by email »).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.reports import build, timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=100_000)
    args = parser.parse_args()
    from editor.digest import build_digest, build_message, period_containing
    from editor.sending.accounts import Account

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        store, _campaign_id = build(Path(folder) / "contacts.sqlite3", args.deliveries)
        print(f"setup: {time.perf_counter() - start:.1f} s")
        db = store.db  # type: ignore[attr-defined]
        week = period_containing(date(2026, 3, 2), "week")
        digest = build_digest(db, week, "en")
        print(f"{digest.subject()}; warnings {[code for code, _rate in digest.warnings]}")
        account = Account("bench", "127.0.0.1", 25, "none", from_email="news@example.org")
        timed("build_digest (week)", lambda: build_digest(db, week, "en"))
        timed("text + HTML + MIME", lambda: build_message(digest, account, ["o@example.org"]))
        size = len(build_message(digest, account, ["o@example.org"]).as_bytes())
        print(f"message size: {size / 1000:.1f} kB")
        store.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
