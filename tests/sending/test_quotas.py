"""Daily and monthly quotas counted from deliveries.sent_at, per account, over all campaigns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from editor.sending.campaigns import CampaignStore
from editor.sending.quotas import QuotaGate, next_day, next_month, plan, usage
from tests.sending.campaign_support import addresses, frozen, profile

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


def test_usage_counts_today_and_this_month_for_the_account_only(tmp_path: Path) -> None:
    with profile(tmp_path / "c.sqlite3", {"Readers": addresses(6)}) as store:
        campaigns = CampaignStore(store.db)
        a = campaigns.create(frozen(), lists=["Readers"], account="gmail", scheduled_at=None)
        b = campaigns.create(frozen(), lists=["Readers"], account="other", scheduled_at=None)
        stamps = [NOW, NOW - timedelta(hours=2), NOW - timedelta(days=3), NOW - timedelta(days=40)]
        ids = [d.id for d in campaigns.deliveries(a.id)]
        for delivery_id, when in zip(ids, stamps, strict=False):
            campaigns.finish(delivery_id, "sent", now=when, code=250)
        other = campaigns.deliveries(b.id)[0].id
        campaigns.finish(other, "sent", now=NOW, code=250)
        u = usage(store.db, "gmail", 500, 2000, NOW, UTC)
        assert (u.daily_used, u.monthly_used) == (2, 3)
        assert (u.daily_left, u.monthly_left, u.left) == (498, 1997, 498)
        none = usage(store.db, "gmail", 0, 0, NOW, UTC)
        assert none.left is None


def test_plan_warns_and_spreads() -> None:
    u = usage_of(daily=(500, 450), monthly=(0, 0))
    p = plan(u, 1200)
    assert p.exceeds_daily and not p.exceeds_monthly
    assert p.days == 4  # 50 today, then 500, 500, 150
    assert "spread over 4 days" in p.warnings()[0]
    assert plan(u, 50).warnings() == []
    m = plan(usage_of(daily=(0, 0), monthly=(1000, 990)), 20)
    assert m.exceeds_monthly and "monthly quota" in m.warnings()[0]


def usage_of(daily: tuple[int, int], monthly: tuple[int, int]):  # type: ignore[no-untyped-def]
    from editor.sending.quotas import QuotaUsage

    return QuotaUsage(daily[0], daily[1], monthly[0], monthly[1])


def test_gate_and_when_to_resume() -> None:
    gate = QuotaGate(usage_of(daily=(3, 1), monthly=(0, 0)))
    assert [gate.take() for _ in range(3)] == [True, True, False]
    gate.give_back()
    assert gate.take()
    assert gate.resume_at(NOW, UTC) == datetime(2026, 3, 16, tzinfo=UTC)
    monthly = QuotaGate(usage_of(daily=(0, 0), monthly=(10, 10)))
    assert not monthly.take()
    assert monthly.resume_at(NOW, UTC) == datetime(2026, 4, 1, tzinfo=UTC)
    assert next_day(datetime(2026, 12, 31, 23, tzinfo=UTC), UTC) == datetime(2027, 1, 1, tzinfo=UTC)
    assert next_month(datetime(2026, 12, 31, tzinfo=UTC), UTC) == datetime(2027, 1, 1, tzinfo=UTC)
