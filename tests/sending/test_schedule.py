"""Scheduling advice and due campaigns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from editor.sending.campaigns import CampaignStore
from editor.sending.schedule import (
    advice,
    due_campaigns,
    is_good_slot,
    next_good_slot,
    parse_when,
    score,
)
from tests.sending.campaign_support import addresses, frozen, profile

PARIS = timezone(timedelta(hours=1))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=PARIS)  # 2 March 2026 is a Monday


def test_next_good_slot() -> None:
    assert next_good_slot(at(2, 19, 10), PARIS) == at(2, 19, 10)  # Monday evening: now
    assert next_good_slot(at(2, 21, 5), PARIS) == at(5, 18)  # then Thursday 18 h
    assert next_good_slot(at(3, 9), PARIS) == at(5, 18)  # Tuesday morning → Thursday
    assert next_good_slot(at(6, 20), PARIS) == at(6, 20)  # Friday evening
    assert next_good_slot(at(7, 10), PARIS) == at(9, 18)  # Saturday → Monday
    assert all(
        is_good_slot(next_good_slot(at(d, h), PARIS)) for d in range(2, 9) for h in (0, 12, 23)
    )


def test_ranking_follows_the_published_figures() -> None:
    assert score(at(2, 19)) < score(at(6, 19)) < score(at(5, 19)) < score(at(3, 19))
    assert score(at(2, 19)) < score(at(2, 16)) < score(at(2, 9))
    assert score(at(3, 19)) < score(at(7, 19))  # weekend last
    assert advice(at(2, 19)) == ""
    assert "weekend" in advice(at(8, 10))
    assert "Monday" in advice(at(3, 10))


def test_parse_when_is_local_time() -> None:
    assert parse_when("2026-03-02T18:30", PARIS) == at(2, 18, 30)
    assert parse_when("2026-03-02T17:30+00:00", PARIS) == at(2, 18, 30)
    with pytest.raises(ValueError, match="not a date"):
        parse_when("next monday", PARIS)


def test_due_campaigns(tmp_path: Path) -> None:
    now = datetime(2026, 3, 2, 8, tzinfo=UTC)
    with profile(tmp_path / "c.sqlite3", {"Readers": addresses(2)}) as store:
        campaigns = CampaignStore(store.db, clock=lambda: now)
        later = campaigns.create(
            frozen(), lists=["Readers"], account="a", scheduled_at=now + timedelta(hours=10)
        )
        campaigns.create(frozen(), lists=["Readers"], account="a", scheduled_at=None)  # draft
        assert due_campaigns(store.db, now) == []
        assert due_campaigns(store.db, now + timedelta(hours=10)) == [later.id]
        campaigns.cancel(later.id)
        assert due_campaigns(store.db, now + timedelta(days=1)) == []
