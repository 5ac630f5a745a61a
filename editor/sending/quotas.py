"""Daily and monthly sending quotas per account (Gmail ~500 a day, a SendGrid plan a month).

Usage is counted from ``deliveries.sent_at`` over every campaign of the account (test sends are
not deliveries, so they do not count), for the calendar day and month in the user's local time
zone: what the user sees on the clock is what "today" means in the wizard. The wizard shows how
much of each quota a campaign would use (:func:`plan`) and warns before it would exceed one; a
campaign whose quota runs out on the way either waits for the next day (``spread``, status
``waiting``, started again by the running app or ``bulletin run-due``) or pauses.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from editor.contacts.db import Database
from editor.contacts.model import iso_utc
from editor.i18n import _, ngettext


def local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def day_start(now: datetime, zone: tzinfo | None = None) -> datetime:
    """Midnight of ``now``'s local day (aware)."""
    local = now.astimezone(zone or local_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def next_day(now: datetime, zone: tzinfo | None = None) -> datetime:
    """Midnight starting the next local day (aware)."""
    start = day_start(now, zone)
    return (start + timedelta(days=1, hours=2)).replace(hour=0)  # safe across DST


def month_start(now: datetime, zone: tzinfo | None = None) -> datetime:
    return day_start(now, zone).replace(day=1)


def next_month(now: datetime, zone: tzinfo | None = None) -> datetime:
    start = month_start(now, zone)
    return (start + timedelta(days=32)).replace(day=1)


def sent_since(db: Database, account: str, since: datetime) -> int:
    """Messages the account sent since ``since`` (all campaigns)."""
    row = db.connection.execute(
        "SELECT count(*) FROM deliveries WHERE account = ? AND sent_at >= ?",
        (account, iso_utc(since)),
    ).fetchone()
    return int(row[0])


@dataclass(frozen=True, slots=True)
class QuotaUsage:
    """An account's quotas now: limits (0 = none) and what was used today / this month."""

    daily_limit: int
    daily_used: int
    monthly_limit: int
    monthly_used: int

    @property
    def daily_left(self) -> int | None:
        return None if not self.daily_limit else max(0, self.daily_limit - self.daily_used)

    @property
    def monthly_left(self) -> int | None:
        return None if not self.monthly_limit else max(0, self.monthly_limit - self.monthly_used)

    @property
    def left(self) -> int | None:
        """Messages that may still go now (None: no limit)."""
        values = [v for v in (self.daily_left, self.monthly_left) if v is not None]
        return min(values) if values else None


def usage(
    db: Database, account: str, daily: int, monthly: int, now: datetime, zone: tzinfo | None = None
) -> QuotaUsage:
    return QuotaUsage(
        daily,
        sent_since(db, account, day_start(now, zone)) if daily else 0,
        monthly,
        sent_since(db, account, month_start(now, zone)) if monthly else 0,
    )


@dataclass(frozen=True, slots=True)
class QuotaPlan:
    """What a campaign of ``size`` messages does to the quotas, for the wizard."""

    usage: QuotaUsage
    size: int
    days: int  # calendar days needed at the daily quota (1 = fits today)
    exceeds_daily: bool
    exceeds_monthly: bool

    def warnings(self) -> list[str]:
        """Sentences to show before confirming (empty when the campaign fits)."""
        out: list[str] = []
        u = self.usage
        if self.exceeds_daily:
            out.append(
                ngettext(
                    "This campaign needs {size} messages but only {left} of the daily quota of "
                    "{limit} are left today: it will be spread over {days} day.",
                    "This campaign needs {size} messages but only {left} of the daily quota of "
                    "{limit} are left today: it will be spread over {days} days.",
                    self.days,
                ).format(size=self.size, left=u.daily_left, limit=u.daily_limit, days=self.days)
            )
        if self.exceeds_monthly:
            out.append(
                _(
                    "This campaign needs {size} messages but only {left} of the monthly quota "
                    "of {limit} are left this month."
                ).format(size=self.size, left=u.monthly_left, limit=u.monthly_limit)
            )
        return out


def plan(usage_now: QuotaUsage, size: int) -> QuotaPlan:
    """How a campaign of ``size`` messages fits the quotas."""
    days = 1
    daily_left = usage_now.daily_left
    if daily_left is not None and size > daily_left:
        rest = size - daily_left
        days = 1 + -(-rest // usage_now.daily_limit)
    monthly_left = usage_now.monthly_left
    return QuotaPlan(
        usage_now,
        size,
        days,
        daily_left is not None and size > daily_left,
        monthly_left is not None and size > monthly_left,
    )


class QuotaGate:
    """The runner's in-memory count of what is left today and this month, shared by its
    threads: seeded once from the database, then decremented per message (no query per send).

    :meth:`take` returns False once a quota is used up; :meth:`resume_at` says when the next
    day (or month) starts.
    """

    def __init__(self, usage_now: QuotaUsage) -> None:
        self.usage = usage_now
        self._left = usage_now.left
        self._daily_exhausted = usage_now.daily_left == 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self._left is None:
                return True
            if self._left <= 0:
                return False
            self._left -= 1
            return True

    def give_back(self) -> None:
        with self._lock:
            if self._left is not None:
                self._left += 1

    def monthly_bound(self) -> bool:
        """Whether the monthly quota is what stopped (so waiting means next month)."""
        u = self.usage
        if u.monthly_left is None:
            return False
        return u.daily_left is None or u.monthly_left <= u.daily_left

    def resume_at(self, now: datetime, zone: tzinfo | None = None) -> datetime:
        return next_month(now, zone) if self.monthly_bound() else next_day(now, zone)
