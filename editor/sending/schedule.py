"""When to send: now, or at a date and time, with advice from published open-rate figures.

Studies of newsletter opens (Mailchimp, GetResponse, Omnisend, Brevo: published yearly) agree
roughly: opens are highest on Monday, then Friday and Thursday, lowest at the weekend; the best
hours are 18–21 h, then 15–18 h. :func:`next_good_slot` proposes the next such moment in the
user's local time; the wizard offers it, the user decides.

Times given by the user are local (a naive datetime is taken in the local time zone) and
stored in UTC. :func:`due_campaigns` lists what should start now: the running app checks it
every minute, ``bulletin run-due`` lets the OS scheduler do it with the app closed.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from editor.contacts.db import Database
from editor.i18n import N_, _

# Weekday (Monday = 0) → rank, lower is better; hour ranges → rank.
DAY_RANK: dict[int, int] = {0: 0, 4: 1, 3: 2, 1: 3, 2: 3, 5: 5, 6: 5}
BEST_HOURS = range(18, 21)  # 18:00–20:59
GOOD_HOURS = range(15, 18)
GOOD_DAYS = (0, 4, 3)  # Monday, Friday, Thursday
_DAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def as_local(when: datetime, zone: tzinfo | None = None) -> datetime:
    """An aware datetime: a naive one is taken as local time (``zone`` or the system's)."""
    zone = zone or local_zone()
    if when.tzinfo is None:
        return when.replace(tzinfo=zone)
    return when.astimezone(zone)


def parse_when(text: str, zone: tzinfo | None = None) -> datetime:
    """An ISO 8601 date-time from the user (``2026-03-02T18:30``, with or without offset);
    ValueError with a plain sentence when it is not one."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            _('"{text}" is not a date and time (expected e.g. 2026-03-02T18:30).').format(text=text)
        ) from None
    return as_local(value, zone)


def score(when: datetime) -> int:
    """Lower is better: 0 is Monday 18–21 h."""
    day = DAY_RANK[when.weekday()]
    hour = 0 if when.hour in BEST_HOURS else 1 if when.hour in GOOD_HOURS else 3
    return day * 4 + hour


def is_good_slot(when: datetime) -> bool:
    return when.weekday() in GOOD_DAYS and when.hour in BEST_HOURS


def next_good_slot(now: datetime, zone: tzinfo | None = None) -> datetime:
    """The next moment on Monday, Friday or Thursday between 18 and 21 h (local): ``now``
    itself when it is one, else the next such day at 18:00."""
    local = as_local(now, zone)
    if is_good_slot(local):
        return local
    day = local.replace(minute=0, second=0, microsecond=0)
    for offset in range(8):
        candidate = (day + timedelta(days=offset)).replace(hour=BEST_HOURS.start)
        candidate = as_local(candidate.replace(tzinfo=None), zone)
        if candidate.weekday() in GOOD_DAYS and candidate > local:
            return candidate
    raise AssertionError("a week always holds a Monday")  # pragma: no cover


def advice(when: datetime) -> str:
    """A sentence about the chosen moment (empty when it is one of the best)."""
    if is_good_slot(when):
        return ""
    day = _(_DAY_NAMES[when.weekday()])
    if when.weekday() in (5, 6):
        return _("Newsletters are opened least at the weekend ({day}).").format(day=day)
    if when.hour in GOOD_HOURS and when.weekday() in GOOD_DAYS:
        return _("A good time; 18–21 h is usually a little better.")
    return _("Opens are usually highest on Monday, then Friday and Thursday, between 18 and 21 h.")


def due_campaigns(db: Database, now: datetime) -> list[int]:
    """Ids of the scheduled or waiting campaigns whose time has come, oldest due first."""
    from editor.contacts.model import iso_utc

    rows = db.connection.execute(
        "SELECT id FROM campaigns WHERE status IN ('scheduled', 'waiting')"
        " AND scheduled_at IS NOT NULL AND scheduled_at <= ? ORDER BY scheduled_at, id",
        (iso_utc(now),),
    ).fetchall()
    return [int(row[0]) for row in rows]
