"""Campaign reports: a campaign really sent through an SMTP server on 127.0.0.1, then bounces,
a complaint and an unsubscribe request fed to the inbox; the figures, the CLI and the CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from editor.cli import run
from editor.contacts.model import DB_NAME
from editor.contacts.store import ContactStore
from editor.inbox.process import process_message
from editor.reports import (
    CampaignReport,
    campaign_report,
    dashboard,
    export_csv,
    recipient_rows,
    report_html,
    summary_lines,
    trend,
    warnings,
    write_csv,
)
from editor.sending.campaigns import CampaignError, CampaignStore
from editor.sending.runner import CampaignRunner
from editor.settings import data_dir
from tests.inbox.samples import arf_report, our_original, postfix_dsn, unsubscribe_reply
from tests.sending.campaign_support import FakeClock, account, addresses, frozen, profile
from tests.smtp_server import SmtpServer

READERS = addresses(10)  # reader0000 … reader0009
VIP = READERS[:3]
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)


@dataclass
class Sent:
    store: ContactStore
    campaigns: CampaignStore
    campaign_id: int


def _delivery(store: ContactStore, campaign_id: int, email: str) -> tuple[str, str]:
    row = store.connection.execute(
        "SELECT message_id, token FROM deliveries WHERE campaign_id = ? AND email = ?",
        (campaign_id, email),
    ).fetchone()
    return str(row[0]), str(row[1])


def send_campaign(path: Path, *, fail: tuple[str, ...] = ()) -> Sent:
    """Readers (10) and VIP (3 of them) lists, one reader unsubscribed beforehand (skipped),
    a campaign to both lists sent through a real SMTP server refusing ``fail``."""
    store = profile(path, {"Readers": READERS, "VIP": VIP})
    gone = store.connection.execute(
        "SELECT id FROM contacts WHERE email = ?", ("reader0008@example.org",)
    ).fetchone()[0]
    store.set_status([gone], "unsubscribed", "test")
    clock = FakeClock()
    campaigns = CampaignStore(store.db, clock=clock.now)
    campaign = campaigns.create(
        frozen(), lists=["Readers", "VIP"], account="local", scheduled_at=None
    )
    with SmtpServer() as server:
        for email in fail:
            server.rcpt_replies[email] = "550 5.1.1 No such user here"
        runner = CampaignRunner(
            campaigns,
            campaign.id,
            account(server.port, connections=1),
            None,
            clock=clock.now,
            monotonic=clock.monotonic,
            sleep=clock.sleep,
        )
        final = runner.run()
    assert final.status == "done"
    return Sent(store, campaigns, campaign.id)


def feed_inbox(sent: Sent) -> None:
    """A soft then a hard bounce for reader0000, a soft one for reader0001 (twice), a
    complaint from reader0003 and an unsubscribe request from reader0004."""
    store, cid = sent.store, sent.campaign_id

    def original(email: str) -> str:
        message_id, token = _delivery(store, cid, email)
        return our_original(email, message_id, token)

    messages = [
        postfix_dsn(
            READERS[0],
            original(READERS[0]),
            status="4.2.2",
            action="delayed",
            diagnostic="smtp; 452 4.2.2 Mailbox full",
            message_id="<soft-0@mx.example.net>",
        ),
        postfix_dsn(READERS[0], original(READERS[0]), message_id="<hard-0@mx.example.net>"),
        postfix_dsn(
            READERS[1],
            original(READERS[1]),
            status="4.2.2",
            action="delayed",
            diagnostic="smtp; 452 4.2.2 Mailbox full",
            message_id="<soft-1@mx.example.net>",
            date="Tue, 03 Mar 2026 09:05:00 +0000",
        ),
        postfix_dsn(
            READERS[1],
            original(READERS[1]),
            status="4.2.2",
            action="delayed",
            diagnostic="smtp; 452 4.2.2 Mailbox full",
            message_id="<soft-1b@mx.example.net>",
            date="Tue, 03 Mar 2026 10:05:00 +0000",
        ),
        arf_report(original(READERS[3]), rcpt_to=READERS[3]),
        unsubscribe_reply(
            READERS[4], f"news+unsub-{_delivery(store, cid, READERS[4])[1]}@example.org"
        ),
    ]
    for raw in messages:
        outcome = process_message(store, raw, now=NOW, source="test")
        assert outcome.campaign_id == cid, outcome


@pytest.fixture
def sent(tmp_path: Path) -> Iterator[Sent]:
    result = send_campaign(data_dir() / DB_NAME, fail=(READERS[9],))
    feed_inbox(result)
    with result.store:
        yield result


def test_figures_of_a_sent_campaign(sent: Sent) -> None:
    report = campaign_report(sent.store.db, sent.campaign_id)
    assert (report.recipients, report.sent, report.failed, report.unknown) == (9, 8, 1, 0)
    assert report.skipped == {"unsubscribed": 1, "duplicate": 3}  # VIP members also in Readers
    # reader0000 soft then hard: counted hard only; reader0001's two soft bounces: once.
    assert (report.hard_bounces, report.soft_bounces, report.bounced) == (1, 1, 2)
    assert (report.complaints, report.unsubscribes) == (1, 1)
    assert report.bounce_rate == pytest.approx(2 / 8)
    assert report.complaint_rate == pytest.approx(1 / 8)
    assert report.unsubscribe_rate == pytest.approx(1 / 8)
    assert report.complaints_over_ceiling
    assert any("0.3" in text for text in warnings(report))
    lists = {f.name: f for f in report.lists}
    assert list(lists) == ["Readers", "VIP"]
    readers, vip = lists["Readers"], lists["VIP"]
    assert (readers.recipients, readers.sent, readers.failed) == (9, 8, 1)
    assert (readers.bounced, readers.complained, readers.unsubscribed) == (2, 1, 1)
    assert (vip.recipients, vip.sent, vip.failed, vip.bounced, vip.complained) == (3, 3, 0, 2, 0)
    # Every send happened at the fake clock's start; the inbox events on their own days.
    assert sum(n for _h, n in report.sent_per_hour) == 8
    assert report.sent_per_day == [("2026-03-02", 8)]
    per_day = dict(report.inbox_per_day)
    assert per_day["2026-03-02"]["bounces"] == 1 and per_day["2026-03-02"]["soft_bounces"] == 1
    assert per_day["2026-03-03"]["soft_bounces"] == 2
    assert per_day["2026-03-03"]["complaints"] == 1
    assert per_day["2026-03-04"]["unsubscribes"] == 1


def test_json_shape(sent: Sent) -> None:
    data = campaign_report(sent.store.db, sent.campaign_id).to_json()
    assert data["id"] == sent.campaign_id and data["status"] == "done"
    assert data["counts"] == {
        "recipients": 9,
        "sent": 8,
        "failed": 1,
        "unknown": 0,
        "queued": 0,
        "bounced": 2,
        "hard_bounces": 1,
        "soft_bounces": 1,
        "complaints": 1,
        "unsubscribes": 1,
    }
    assert data["skipped"] == {"unsubscribed": 1, "duplicate": 3}
    assert data["rates"]["complaints_over_ceiling"] is True
    assert data["rates"]["complaint_ceiling"] == 0.003
    assert [item["name"] for item in data["lists"]] == ["Readers", "VIP"]
    assert data["over_time"]["sent_per_day"] == [{"day": "2026-03-02", "sent": 8}]
    assert data["measurement"] is None  # not measured: measurement is off by default
    json.dumps(data)  # serialisable as is


def test_cli_json_and_human(sent: Sent, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", str(sent.campaign_id), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["sent"] == 8 and data["counts"]["hard_bounces"] == 1
    assert run(["report", str(sent.campaign_id)]) == 0
    out = capsys.readouterr().out
    assert "Sent\t8" in out and "Bounced (permanent)\t1" in out
    assert "Warning:" in out and "VIP\t3\t3\t0\t2\t0\t0" in out


def test_cli_unknown_id_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", "999"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "No campaign with id 999" in captured.err
    with pytest.raises(SystemExit) as exc:
        run(["report", "abc"])
    assert exc.value.code == 2


def test_cli_writes_the_csv(sent: Sent, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    assert run(["report", str(sent.campaign_id), "--csv", str(out)]) == 0
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("Email,Name,State") and "reader0000@example.org" in text


def test_csv_per_recipient(sent: Sent, tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    assert export_csv(sent.store.db, sent.campaign_id, path) == 10
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    by_email = {row["Email"]: row for row in rows}
    assert len(rows) == 10
    assert by_email[READERS[0]]["Bounce"] == "hard"
    assert by_email[READERS[0]]["Bounced at"].startswith("2026-03-02")
    assert by_email[READERS[1]]["Bounce"] == "soft"
    assert by_email[READERS[3]]["Complained at"].startswith("2026-03-03")
    assert by_email[READERS[4]]["Unsubscribed at"].startswith("2026-03-04")
    assert by_email[READERS[9]]["State"] == "failed"
    assert "550" in by_email[READERS[9]]["SMTP code"] + by_email[READERS[9]]["SMTP reply"]
    assert by_email["reader0008@example.org"]["Skipped because"] == "unsubscribed"
    sent_row = by_email[READERS[2]]
    assert sent_row["State"] == "sent" and sent_row["SMTP code"] == "250"
    assert sent_row["Sent at"].startswith("2026-03-02T09")
    assert sent_row["Bounce"] == sent_row["Complained at"] == ""


def test_csv_defuses_formulas(sent: Sent) -> None:
    sent.store.connection.execute(
        "UPDATE deliveries SET name = '=HYPERLINK(\"http://x\")' WHERE email = ?", (READERS[2],)
    )
    handle = io.StringIO()
    write_csv(sent.store.db, sent.campaign_id, handle)
    assert "'=HYPERLINK" in handle.getvalue()
    rows = {r["email"]: r for r in recipient_rows(sent.store.db, sent.campaign_id)}
    assert rows[READERS[2]]["name"].startswith("=")  # the data itself is unchanged


def test_csv_in_french_uses_semicolons(sent: Sent, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("editor.reports.language", lambda: "fr")
    handle = io.StringIO()
    write_csv(sent.store.db, sent.campaign_id, handle)
    assert handle.getvalue().splitlines()[1].count(";") == 10


def test_unknown_campaign(tmp_path: Path) -> None:
    with profile(tmp_path / "c.sqlite3", {"Readers": READERS[:1]}) as store:
        with pytest.raises(CampaignError):
            campaign_report(store.db, 42)
        with pytest.raises(CampaignError):
            export_csv(store.db, 42, tmp_path / "x.csv")
        assert not (tmp_path / "x.csv").exists()
        assert dashboard(store.db) == []


def test_report_html_escapes(sent: Sent) -> None:
    sent.store.connection.execute(
        "UPDATE campaigns SET subject = '<script>x</script>' WHERE id = ?", (sent.campaign_id,)
    )
    text = report_html(campaign_report(sent.store.db, sent.campaign_id))
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "VIP" in text and "2026-03-02" in text


def test_dashboard_trends(sent: Sent) -> None:
    # A second campaign to the VIP list only, sent without any bounce.
    store = sent.store
    clock = FakeClock(datetime(2026, 4, 6, 9, 0, tzinfo=UTC))
    campaigns = CampaignStore(store.db, clock=clock.now)
    second = campaigns.create(frozen(), lists=["VIP"], account="local", scheduled_at=None)
    with SmtpServer() as server:
        CampaignRunner(
            campaigns,
            second.id,
            account(server.port, connections=1),
            None,
            clock=clock.now,
            monotonic=clock.monotonic,
            sleep=clock.sleep,
        ).run()
    rows = dashboard(store.db, last=10)
    assert [r.id for r in rows] == [second.id, sent.campaign_id]
    newest, oldest = rows
    # reader0000 bounced hard: skipped the second time → 2 sent.
    assert newest.sent == 2 and newest.bounce_rate == 0.0
    assert newest.trends == {
        "sent": "down",
        "bounce_rate": "down",
        "complaint_rate": "down",
        "unsubscribe_rate": "down",
    }
    assert oldest.trends == dict.fromkeys(newest.trends, "")
    assert [r.id for r in dashboard(store.db, last=1)] == [second.id]
    assert dashboard(store.db, last=1)[0].trends["sent"] == "down"


def test_trend() -> None:
    assert (trend(2, 1), trend(1, 2), trend(1, 1), trend(None, 1)) == ("up", "down", "same", "")


def test_report_without_sends(tmp_path: Path) -> None:
    with profile(tmp_path / "c.sqlite3", {"Readers": READERS[:2]}) as store:
        campaign = CampaignStore(store.db).create(
            frozen(), lists=["Readers"], account="local", scheduled_at=None
        )
        report: CampaignReport = campaign_report(store.db, campaign.id)
        assert (report.recipients, report.sent, report.queued) == (2, 0, 2)
        assert report.bounce_rate is None and report.to_json()["rates"]["bounce"] is None
        assert warnings(report) == []


def _measure(sent: Sent, consenting: int = 5) -> list[str]:
    """Make the campaign a measured one as :mod:`editor.tracking` would have: ``consenting``
    sent readers consented; reader0 opened and clicked link 0 twice, reader1 opened. Returns
    the tokens."""
    conn = sent.store.connection
    rows = conn.execute(
        "SELECT id, contact_id FROM deliveries WHERE campaign_id = ? AND state = 'sent'"
        " ORDER BY id LIMIT ?",
        (sent.campaign_id, consenting),
    ).fetchall()
    tokens = [f"Token{n}TokenTokenToken{n}" for n in range(consenting)]
    with sent.store.db.transaction():
        conn.execute(
            "UPDATE tracking_campaigns SET measured = 1, endpoint = 'https://m.example/t.php'"
            " WHERE campaign_id = ?",
            (sent.campaign_id,),
        )
        for (delivery_id, contact_id), token in zip(rows, tokens, strict=True):
            conn.execute(
                "INSERT INTO tracking_deliveries VALUES (?, ?, ?, ?)",
                (delivery_id, sent.campaign_id, contact_id, token),
            )
        for n, url in enumerate(["https://a.example/?utm_source=newsletter", "https://b.example/"]):
            conn.execute("INSERT INTO tracking_links VALUES (?, ?, ?)", (sent.campaign_id, n, url))
        hits = [
            (rows[0][0], "open", -1, 1),
            (rows[0][0], "click", 0, 2),
            (rows[1][0], "open", -1, 3),
        ]
        for delivery_id, kind, link, count in hits:
            conn.execute(
                "INSERT INTO tracking_hits VALUES (?, ?, ?, '2026-03-02T10:00:00Z', ?)",
                (delivery_id, kind, link, count),
            )
    return tokens


def test_measurement_as_aggregates_only(
    sent: Sent, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens = _measure(sent)
    report = campaign_report(sent.store.db, sent.campaign_id)
    m = report.to_json()["measurement"]
    assert (m["measured"], m["unique_opens"], m["unique_clicks"]) == (5, 2, 1)
    assert m["open_rate"] == pytest.approx(2 / 5) and m["click_rate"] == pytest.approx(1 / 5)
    assert m["withheld"] is False
    assert m["links"] == [
        {
            "index": 0,
            "url": "https://a.example/?utm_source=newsletter",
            "clicks": 2,
            "unique_clicks": 1,
            "unique_click_rate": pytest.approx(1 / 5),
        },
        {
            "index": 1,
            "url": "https://b.example/",
            "clicks": 0,
            "unique_clicks": 0,
            "unique_click_rate": 0.0,
        },
    ]
    assert run(["report", str(sent.campaign_id)]) == 0
    out = capsys.readouterr().out
    assert "Measured (consenting recipients)\t5" in out
    assert "Measured among 5 consenting recipients, as totals only." in out
    assert "https://a.example/?utm_source=newsletter\t2\t1\t20.00\u00a0%" in out
    page = report_html(report)
    assert "Opens and clicks" in page and "https://b.example/" in page
    # No person in any of it: no address, no token, no per-recipient column in the CSV.
    assert run(["report", str(sent.campaign_id), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)["measurement"]
    assert printed == json.loads(json.dumps(m)) and "@" not in json.dumps(printed)
    path = tmp_path / "report.csv"
    export_csv(sent.store.db, sent.campaign_id, path)
    text = path.read_text(encoding="utf-8-sig")
    assert not any(token in text for token in tokens)
    assert "open" not in text.splitlines()[0].lower() and "click" not in text.lower()
    assert not any(token in page or token in out for token in tokens)


def test_measurement_of_too_few_recipients_is_withheld(
    sent: Sent, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three consenting recipients, two of whom opened: totals that small say who opened, so
    only the number measured is shown, in the JSON, the text, the window's lines and the PDF."""
    _measure(sent, consenting=3)
    report = campaign_report(sent.store.db, sent.campaign_id)
    m = report.to_json()["measurement"]
    assert m["measured"] == 3 and m["withheld"] is True
    assert m["unique_opens"] is None and m["open_rate"] is None and m["links"] == []
    labels = dict(summary_lines(report))
    assert labels["Measured (consenting recipients)"] == "3" and "Unique opens" not in labels
    assert run(["report", str(sent.campaign_id)]) == 0
    out = capsys.readouterr().out
    assert "too few to give totals without pointing at someone (at least 5)" in out
    assert "https://a.example/" not in out
    page = report_html(report)
    assert "too few" in page and "https://a.example/" not in page
