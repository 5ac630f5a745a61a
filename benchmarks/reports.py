"""Reports benchmark: the report, dashboard and CSV of a 100,000-delivery campaign.

Run: ``uv run python benchmarks/reports.py [--deliveries 100000]``.

A profile with N contacts in « All » and every other one also in « Half », one campaign to both
lists (N recipients plus N/2 ``duplicate`` skips) created by ``CampaignStore.create``; then,
directly in SQL (the runner and the inbox are measured by their own benchmarks): 98 % of the
deliveries ``sent`` over 10 hours, 2 % ``failed``, and inbox messages tied to them — 3 % hard
bounces, 1 % soft bounces (two each), 0.2 % complaints, 0.5 % unsubscribes. Each step is run
5 times on a warm database; the best and worst times are printed.

Measured here (2 shared cores, 6 December 2026), 100,000 deliveries: see the README
(« Campaign reports »).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build(path: Path, n: int) -> tuple[object, int]:
    from editor.contacts.model import Basis, ContactInput
    from editor.contacts.store import ContactStore
    from editor.sending.campaigns import CampaignStore
    from editor.sending.frozen import freeze
    from editor.starters import create

    store = ContactStore(path)
    consent = Basis("consent", source="bench")
    everyone = [ContactInput(f"reader{i:06d}@example.org", first_name=f"R{i}") for i in range(n)]
    store.upsert_many(everyone, list_id=store.list_id("All", create=True), basis=consent)
    store.upsert_many(everyone[::2], list_id=store.list_id("Half", create=True), basis=consent)
    campaign = CampaignStore(store.db).create(
        freeze(create("monthly-en")), lists=["All", "Half"], account="bench", scheduled_at=None
    )
    with store.db.transaction() as conn:
        conn.execute(
            "UPDATE deliveries SET state = CASE WHEN id % 50 = 0 THEN 'failed' ELSE 'sent' END,"
            " smtp_code = CASE WHEN id % 50 = 0 THEN 550 ELSE 250 END,"
            " message_id = '<' || id || '@bench>',"
            " sent_at = CASE WHEN id % 50 = 0 THEN NULL ELSE"
            " strftime('%Y-%m-%dT%H:%M:%SZ', '2026-03-02 08:00:00', '+' || (id % 36000) || ' seconds')"
            " END WHERE campaign_id = ? AND state = 'queued'",
            (campaign.id,),
        )
        rows = conn.execute(
            "SELECT id, contact_id FROM deliveries WHERE campaign_id = ? AND state = 'sent'",
            (campaign.id,),
        ).fetchall()
        inbox = []
        for i, (delivery_id, contact_id) in enumerate(rows):
            kinds = []
            if i % 100 < 3:
                kinds = ["bounce"]
            elif i % 100 == 3:
                kinds = ["soft_bounce", "soft_bounce"]
            elif i % 1000 in (4, 5):
                kinds = ["complaint"]
            elif i % 200 == 6:
                kinds = ["unsubscribe"]
            for j, kind in enumerate(kinds):
                day = 2 + (i + j) % 4
                inbox.append(
                    (
                        f"<in-{i}-{j}@mx>",
                        kind,
                        contact_id,
                        campaign.id,
                        delivery_id,
                        f"2026-03-0{day}T10:00:00Z",
                        "2026-03-06T10:00:00Z",
                    )
                )
        conn.executemany(
            "INSERT INTO inbox_messages (key, kind, contact_id, campaign_id, delivery_id, date,"
            " processed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            inbox,
        )
    return store, campaign.id


def timed(label: str, step: Callable[[], object], runs: int = 5) -> None:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    print(f"{label:<28} best {min(times) * 1000:7.1f} ms   worst {max(times) * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=100_000)
    args = parser.parse_args()
    from editor.reports import campaign_report, dashboard, export_csv, write_csv

    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        store, campaign_id = build(Path(folder) / "contacts.sqlite3", args.deliveries)
        print(f"setup: {time.perf_counter() - start:.1f} s")
        db = store.db  # type: ignore[attr-defined]
        report = campaign_report(db, campaign_id)
        print(
            f"{report.recipients} recipients, {report.sent} sent, {report.failed} failed,"
            f" {report.hard_bounces} hard + {report.soft_bounces} soft bounces,"
            f" {report.complaints} complaints, {report.unsubscribes} unsubscribes,"
            f" lists {[(f.name, f.recipients) for f in report.lists]}"
        )
        timed("campaign_report", lambda: campaign_report(db, campaign_id))
        timed("dashboard(last=10)", lambda: dashboard(db, 10))
        timed("CSV to memory", lambda: write_csv(db, campaign_id, io.StringIO()), runs=3)
        csv_path = Path(folder) / "report.csv"
        timed("CSV to file", lambda: export_csv(db, campaign_id, csv_path), runs=3)
        print(f"CSV size: {csv_path.stat().st_size / 1e6:.1f} MB")
        store.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
