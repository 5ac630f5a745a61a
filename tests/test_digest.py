"""The periodic report by email, below the UI: settings, periods and when a report is due (week,
month, time zones, DST, the first day of the next period), the record that keeps a period from
going out twice (two windows, a crash), and the content of a profile whose campaigns were
really sent through a loopback SMTP server and whose bounces went through the inbox."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from editor.contacts.db import open_database, transaction
from editor.contacts.model import DB_NAME, ContactInput
from editor.contacts.store import ContactStore
from editor.digest import (
    Digest,
    DigestSettings,
    Period,
    build_digest,
    claim,
    digest_due,
    give_back,
    last_complete,
    load_settings,
    mark_sent,
    parse_recipients,
    period_containing,
    read_record,
    save_settings,
)
from editor.i18n import set_language
from editor.inbox.classify import Classification
from editor.inbox.review import add_to_review
from editor.sending.campaigns import CampaignStore
from editor.sending.runner import CampaignRunner
from editor.settings import data_dir
from tests.sending.campaign_support import CONSENT, FakeClock, account, frozen
from tests.smtp_server import SmtpServer
from tests.test_reports import READERS, Sent, feed_inbox, send_campaign

PARIS = ZoneInfo("Europe/Paris")


def settings(**changes: object) -> DigestSettings:
    values: dict[str, object] = {
        "enabled": True,
        "frequency": "week",
        "recipients": ["owner@example.org"],
        "account": "local",
        "language": "en",
        "timezone": "Europe/Paris",
    }
    values.update(changes)
    return DigestSettings(**values)  # type: ignore[arg-type]


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


# -- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_report_speaks_the_apps_language_until_the_owner_picks_one(lang: str) -> None:
    set_language(lang)
    try:
        assert DigestSettings().language == lang
        assert DigestSettings.from_json({"language": "de"}).language == lang
        assert DigestSettings.from_json({"language": "fr"}).language == "fr"  # a choice stays
    finally:
        set_language(None)


def test_settings_round_trip_and_defaults(bulletin_home: Path) -> None:
    assert load_settings() == DigestSettings()  # no file: off
    path = bulletin_home / "digest.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_settings() == DigestSettings()  # unreadable: off, never fatal
    path.write_text(
        json.dumps({"enabled": "yes", "frequency": "daily", "language": "de", "future": 1}),
        encoding="utf-8",
    )
    odd = load_settings()
    assert (odd.enabled, odd.frequency, odd.language) == (False, "week", "en")  # the app's
    now = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    saved = save_settings(replace(odd, enabled=True, recipients=["a@example.org"]), now=now)
    assert saved.since == "2026-03-04T10:00:00Z"  # turning it on records when
    again = load_settings()
    assert again == saved and again.other == {"future": 1}  # a newer version's key is kept
    assert not list(bulletin_home.glob(".digest.json.*"))  # atomic: no temporary file left
    off = save_settings(replace(again, enabled=False))
    assert off.since is None  # turning it off forgets it


def test_settings_problems_are_sentences() -> None:
    assert settings().problems() == []
    assert settings(recipients=[]).problems() == ["Give the address the report goes to."]
    assert "not-an-address" in settings(recipients=["not-an-address"]).problems()[0]
    assert settings(account="").problems() == [
        "Choose the sending account the report goes through."
    ]
    assert "Mars/Olympus" in settings(timezone="Mars/Olympus").problems()[0]
    assert parse_recipients("a@example.org; b@example.org\na@example.org") == [
        "a@example.org",
        "b@example.org",
    ]


# -- periods and due ---------------------------------------------------------------------------


def test_weeks_are_monday_to_sunday_in_local_time() -> None:
    week = period_containing(paris(2026, 3, 8, 23, 59), "week", PARIS)  # Sunday night
    assert (week.first, week.last, week.key) == (date(2026, 3, 2), date(2026, 3, 8), "2026-W10")
    assert week.utc_range() == ("2026-03-01T23:00:00Z", "2026-03-08T23:00:00Z")
    # The same instant in UTC is already Monday in Paris: the next week.
    assert period_containing(datetime(2026, 3, 8, 23, 30, tzinfo=UTC), "week", PARIS).key == (
        "2026-W11"
    )
    # The week of the change to summer time is 167 hours long; midnights stay midnights.
    dst = period_containing(date(2026, 3, 29), "week", PARIS)
    assert dst.utc_range() == ("2026-03-22T23:00:00Z", "2026-03-29T22:00:00Z")
    # ISO weeks across the new year: 2026 has a week 53, then 2027-W01 sorts after it.
    assert period_containing(date(2027, 1, 1), "week").key == "2026-W53"
    assert period_containing(date(2027, 1, 4), "week").key == "2027-W01" > "2026-W53"


def test_months_and_previous_periods() -> None:
    march = period_containing(date(2026, 3, 31), "month", PARIS)
    assert (march.first, march.last, march.key) == (date(2026, 3, 1), date(2026, 3, 31), "2026-03")
    assert march.previous().key == "2026-02" and march.previous().last == date(2026, 2, 28)
    assert period_containing(date(2027, 1, 15), "month").previous().key == "2026-12"
    assert last_complete(paris(2026, 4, 1, 9), "month", PARIS) == march


def test_weekly_report_is_due_from_eight_on_monday_local_time() -> None:
    s = settings(since="2026-01-01T00:00:00Z")
    assert digest_due(paris(2026, 3, 9, 7, 59), None, s) is None
    due = digest_due(paris(2026, 3, 9, 8, 0), None, s)
    assert due is not None and due.key == "2026-W10"
    # 07:00 UTC is 08:00 in Paris: due there, not yet for a report kept in UTC.
    utc_moment = datetime(2026, 3, 9, 7, 0, tzinfo=UTC)
    assert digest_due(utc_moment, None, s) is not None
    assert digest_due(utc_moment, None, replace(s, timezone="UTC")) is None
    # Sent already (or being sent): not again; the next week is due the Monday after.
    assert digest_due(paris(2026, 3, 11, 12), "2026-W10", s) is None
    assert digest_due(paris(2026, 3, 16, 8), "2026-W10", s).key == "2026-W11"  # type: ignore[union-attr]
    # After three weeks closed, only the last week is sent, not a backlog.
    assert digest_due(paris(2026, 3, 31, 8), "2026-W10", s).key == "2026-W13"  # type: ignore[union-attr]


def test_monthly_report_is_due_on_the_first() -> None:
    s = settings(frequency="month", since="2026-01-01T00:00:00Z")
    assert digest_due(paris(2026, 3, 31, 23), "2026-01", s).key == "2026-02"  # type: ignore[union-attr]
    assert digest_due(paris(2026, 4, 1, 7, 59), "2026-02", s) is None
    assert digest_due(paris(2026, 4, 1, 8, 0), "2026-02", s).key == "2026-03"  # type: ignore[union-attr]
    assert digest_due(paris(2026, 4, 20), "2026-03", s) is None


def test_not_due_when_off_unusable_or_turned_on_after_the_period() -> None:
    monday = paris(2026, 3, 9, 9)
    assert digest_due(monday, None, settings(enabled=False)) is None
    assert digest_due(monday, None, settings(since=None, recipients=[])) is None
    # Turned on during the week of 2–8 March: that week ended after, so it is sent...
    assert digest_due(monday, None, settings(since="2026-03-04T10:00:00Z")) is not None
    # ...turned on on Monday 9 March: last week is not mailed at once, the next one will be.
    turned_on = settings(since="2026-03-09T06:00:00Z")
    assert digest_due(monday, None, turned_on) is None
    assert digest_due(paris(2026, 3, 16, 8), None, turned_on).key == "2026-W11"  # type: ignore[union-attr]


# -- never twice -------------------------------------------------------------------------------


def test_a_period_is_claimed_once(bulletin_home: Path) -> None:
    now = datetime(2026, 3, 9, 8, tzinfo=UTC)
    week = period_containing(date(2026, 3, 2), "week")
    with ContactStore() as store:
        assert read_record(store.db, "week").period is None
        before = claim(store.db, week, now)
        assert before is not None and before.period is None
        assert claim(store.db, week, now) is None  # a second window finds it taken
        assert claim(store.db, week.previous(), now) is None  # an older one too
        record = read_record(store.db, "week")
        assert (record.period, record.state, record.interrupted) == ("2026-W10", "sending", True)
        mark_sent(store.db, week, now)
        assert read_record(store.db, "week").state == "sent"
        assert read_record(store.db, "month").period is None  # kept per frequency
        # A refusal gives the period back, noting when, so the next try waits.
        later = period_containing(date(2026, 3, 9), "week")
        before = claim(store.db, later, now)
        assert before is not None
        give_back(store.db, later, before, now, "The server refused")
        record = read_record(store.db, "week")
        assert (record.period, record.failed, record.error) == (
            "2026-W10",
            "2026-W11",
            "The server refused",
        )


def test_two_processes_racing_for_a_period_send_it_once(bulletin_home: Path) -> None:
    """Eight threads, each with its own connection (as two windows or cron and the app)."""
    path = data_dir() / DB_NAME
    ContactStore(path).close()
    week = period_containing(date(2026, 3, 2), "week")
    start = threading.Barrier(8)
    won: list[bool] = []
    lock = threading.Lock()

    def contender() -> None:
        db = open_database(path)
        try:
            start.wait(timeout=10)
            got = claim(db, week, datetime(2026, 3, 9, 8, tzinfo=UTC)) is not None
            with lock:
                won.append(got)
        finally:
            db.close()

    threads = [threading.Thread(target=contender) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(won) == [False] * 7 + [True]


# -- content -----------------------------------------------------------------------------------


@pytest.fixture
def sent() -> Iterator[Sent]:
    """One campaign sent Monday 2 March 2026 09:00 UTC to 9 readers (one refused), then a
    hard and a soft bounce, a complaint and an unsubscribe through the inbox (5 March)."""
    result = send_campaign(data_dir() / DB_NAME, fail=(READERS[9],))
    feed_inbox(result)
    with result.store:
        yield result


def _send_at(store: ContactStore, when: datetime, lists: list[str]) -> int:
    clock = FakeClock(when)
    campaigns = CampaignStore(store.db, clock=clock.now)
    campaign = campaigns.create(frozen(), lists=lists, account="local", scheduled_at=None)
    with SmtpServer() as server:
        runner = CampaignRunner(
            campaigns,
            campaign.id,
            account(server.port, connections=1),
            None,
            clock=clock.now,
            monotonic=clock.monotonic,
            sleep=clock.sleep,
        )
        assert runner.run().status == "done"
    return campaign.id


def test_content_of_a_week_with_a_campaign(sent: Sent) -> None:
    store = sent.store
    week = period_containing(date(2026, 3, 2), "week", PARIS)
    # Two new contacts during the week, one before it; a message waiting for review.
    list_id = store.list_id("Readers")
    store.upsert_many(
        [ContactInput("new1@example.org"), ContactInput("new2@example.org")],
        list_id=list_id,
        basis=CONSENT,
        now="2026-03-06T10:00:00Z",
    )
    store.upsert_many(
        [ContactInput("old@example.org")],
        list_id=list_id,
        basis=CONSENT,
        now="2026-02-20T10:00:00Z",
    )
    with transaction(store.connection):
        add_to_review(
            store.connection, "k1", b"Subject: ?\r\n\r\n?", Classification("unrecognised")
        )
    digest = build_digest(store.db, week, "en")
    assert [c.subject for c in digest.campaigns] == [sent.campaigns.get(sent.campaign_id).subject]
    line = digest.campaigns[0]
    assert (line.sent_in_period, line.sent, line.hard_bounces, line.bounced) == (8, 8, 1, 2)
    assert (line.complaints, line.unsubscribes) == (1, 1)
    assert digest.totals.campaigns == 1 and digest.totals.sent == 8
    assert digest.previous.campaigns == 0
    assert digest.trends["sent"] == "up" and digest.trends["bounce_rate"] == ""
    growth = digest.contacts
    assert (growth.new, growth.bounced, growth.complained, growth.unsubscribed) == (2, 1, 1, 1)
    assert growth.subscribed_now == 11 - 1 - 1 - 1 - 1 + 2  # 10 readers + old, minus 4 gone
    assert digest.review_waiting == 1
    # 1 complaint in 8 (12.5 %) is far over 0.1 %; 1 permanent bounce in 8 over 2 %.
    assert [code for code, _rate in digest.warnings] == ["complaints", "bounces"]
    data = digest.to_json()
    assert data["period"]["key"] == "2026-W10" and data["totals"]["sent"] == 8
    assert data["contacts"]["new"] == 2 and data["review_waiting"] == 1
    json.dumps(data)  # plain JSON


def test_trends_against_the_week_before(sent: Sent) -> None:
    store = sent.store
    # VIP: 3 readers, reader0000 bounced since (skipped): 2 sent, nothing bad.
    _send_at(store, datetime(2026, 2, 24, 9, tzinfo=UTC), ["VIP"])
    digest = build_digest(store.db, period_containing(date(2026, 3, 2), "week"), "en")
    assert (digest.previous.campaigns, digest.previous.sent) == (1, 2)
    assert digest.trends == {
        "campaigns": "same",
        "sent": "up",
        "bounce_rate": "up",
        "complaint_rate": "up",
        "unsubscribe_rate": "up",
    }
    before = build_digest(store.db, period_containing(date(2026, 2, 24), "week"), "en")
    assert before.totals.sent == 2 and before.warnings == []


def test_english_text_and_html(sent: Sent) -> None:
    store = sent.store
    store.connection.execute(
        "UPDATE campaigns SET subject = ? WHERE id = ?",
        ("<script>alert(1)</script> & more", sent.campaign_id),
    )
    digest = build_digest(store.db, period_containing(date(2026, 3, 2), "week", PARIS), "en")
    assert digest.subject() == "Bulletin — your week: 1 campaign, 8 sent"
    text = digest.text()
    assert text.startswith("Your week in Bulletin — Mar 2\u2009–\u20098, 2026\n")
    assert "! The complaint rate is 12.50\u00a0%, above the 0.1\u00a0%" in text
    assert "- <script>alert(1)</script> & more" in text  # text is text
    assert "8 sent in the period; bounces 25.00\u00a0%, complaints 1, unsubscribes 1" in text
    assert "(Week before: –)" in text and "New contacts" in text
    assert all(len(line) <= 80 for line in text.splitlines())
    page = digest.html()
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert '<html lang="en">' in page
    assert "<img" not in page and "http" not in page  # nothing remote, nothing to follow


def test_french_wording_numbers_and_dates(sent: Sent) -> None:
    store = sent.store
    digest = build_digest(store.db, period_containing(date(2026, 3, 2), "week", PARIS), "fr")
    assert digest.subject() == "Bulletin — votre semaine\u00a0: 1 campagne, 8 envois"
    text = digest.text()
    assert text.startswith("Votre semaine avec Bulletin — 2–8 mars 2026\n")
    assert "Taux de plainte" in text and "12,50\u00a0%" in text
    assert "! Le taux de plainte est de 12,50\u00a0%, au-dessus des 0,1\u00a0%" in text
    assert '<html lang="fr">' in digest.html()
    month = build_digest(store.db, period_containing(date(2026, 3, 2), "month", PARIS), "fr")
    assert month.text().startswith("Votre mois avec Bulletin — mars 2026\n")
    assert month.subject() == "Bulletin — votre mois\u00a0: 1 campagne, 8 envois"


def test_large_numbers_are_grouped() -> None:
    week = period_containing(date(2026, 3, 2), "week")
    from editor.digest import CampaignLine, ContactsGrowth, Totals

    lines = [
        CampaignLine(1, "A", 1000, 1000, 0, 0, 0, 0),
        CampaignLine(2, "B", 204, 204, 0, 0, 0, 0),
    ]
    digest = Digest(week, lines, Totals.of(lines), Totals(), ContactsGrowth(), 0, "en")
    assert digest.subject() == "Bulletin — your week: 2 campaigns, 1,204 sent"
    assert replace(digest, language="fr").subject() == (
        "Bulletin — votre semaine\u00a0: 2 campagnes, 1\u202f204 envois"
    )


def test_a_quiet_week_still_says_so(bulletin_home: Path) -> None:
    week = period_containing(date(2026, 3, 2), "week")
    with ContactStore() as store:
        quiet = build_digest(store.db, week, "en")
    assert quiet.quiet and quiet.warnings == []
    assert quiet.subject() == "Bulletin — your week: nothing sent"
    assert "No campaign was sent this week." in quiet.text()
    assert "Week before" not in quiet.text()  # no table of dashes
    assert replace(quiet, language="fr").subject() == "Bulletin — votre semaine\u00a0: aucun envoi"
    month = Period("month", date(2026, 2, 1), date(2026, 2, 28))
    with ContactStore() as store:
        assert "No campaign was sent this month." in build_digest(store.db, month, "en").text()


def test_a_quiet_week_after_a_busy_one(sent: Sent) -> None:
    after = build_digest(sent.store.db, period_containing(date(2026, 3, 9), "week"), "en")
    assert after.quiet and "Week before: 1 campaign, 8 messages sent." in after.text()
    # The message is due and built even though the day is ordinary: nothing else to check.
    assert after.period.previous().key == "2026-W10"


def test_build_digest_counts_only_the_period(sent: Sent) -> None:
    """Contacts changed before the period, and campaigns after it, are not counted."""
    week = period_containing(date(2026, 3, 16), "week")
    _send_at(sent.store, datetime(2026, 3, 23, 9, tzinfo=UTC), ["VIP"])  # the week after
    digest = build_digest(sent.store.db, week, "en")
    assert digest.quiet and digest.contacts.bounced == 0 and digest.previous.sent == 0
    assert timedelta(days=7) == week.end - week.start
