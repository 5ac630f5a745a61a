"""The periodic report by email: once a week or a month, what happened, sent to the owner.

Issue 11 (Reports): « a periodic report by email to the owner (weekly or monthly), sent through
their account ». This module is the whole of it below the UI and the CLI:

* **Settings** (:class:`DigestSettings`) in ``digest.json`` in the data folder, written
  atomically: on/off, week or month, the owner's addresses, the sending account, the email's
  language (French or English, chosen apart from the UI's: the owner may read mail in another
  language than the app's), the time zone the periods are cut in (this computer's by default).
* **Periods** (:class:`Period`): Monday to Sunday, or a calendar month, in local time. The
  report is about the last *complete* period and is due from :data:`SEND_HOUR` o'clock on the
  first day of the next one (:func:`digest_due`). A period that ended before the report was
  turned on is not sent (turning it on on a Wednesday does not mail last week at once: "Send
  now" is there for that). After weeks with the app closed only the last period is sent, not a
  backlog.
* **Never twice**: the last period sent, per frequency, is a row of the profile database's
  ``meta`` table, claimed in a ``BEGIN IMMEDIATE`` transaction *before* the message goes out
  (:func:`claim`). Two windows, or the app and ``bulletin digest --if-due`` from cron, cannot
  both claim it. A failure the server reports (nothing was sent) gives the claim back, and the
  next check tries again an hour later (:data:`RETRY_AFTER`); a crash between the claim and
  the server's answer leaves the period claimed: it is not sent again automatically (it may
  have arrived), and the dialog says so. At most once, as the campaign queue does.
* **Content** (:class:`Digest`, :func:`build_digest`): the campaigns that sent messages in the
  period with their figures from :func:`editor.reports.campaign_report` (as of now: bounces
  arrive after the send), totals and trends against the period before, how the contacts
  changed (new contacts, unsubscribed, bounced, complained: from the contacts' history, so a
  person erased since is not counted), the messages waiting on the inbox's review list, and
  warnings: complaints over :data:`COMPLAINT_WARNING` (0.1 %, the rate Gmail and Yahoo ask bulk
  senders to stay under; 0.3 % is their hard ceiling) and permanent bounces over
  :data:`editor.reports.BOUNCE_CEILING`. A period where nothing happened still sends a short
  report ("no campaign was sent this week"): the owner then knows the report still works.
* **The message** (:func:`build_message`): plain text and simple HTML (tables, inline styles,
  every value escaped, no image, no link to follow, no tracking), ``Auto-Submitted:
  auto-generated`` so auto-responders stay quiet, sent over
  :func:`editor.sending.connect.open_connection` with the password from the keychain.

The email's wording is :mod:`editor.digest_text`'s, in both languages. Errors meant for the
app's user go through the UI catalog.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from editor.atomic import write_text_atomic
from editor.contacts.db import Database, transaction
from editor.contacts.emails import validate_address
from editor.contacts.model import iso_utc
from editor.i18n import _
from editor.i18n import language as app_language
from editor.reports import BOUNCE_CEILING, CampaignReport, campaign_report, trend
from editor.sending.accounts import Account, AccountBook, AccountError
from editor.sending.connect import (
    Diagnosis,
    SmtpFailure,
    failure_from,
    open_connection,
    quit_quietly,
)

__all__ = [
    "COMPLAINT_WARNING",
    "FREQUENCIES",
    "SEND_HOUR",
    "Digest",
    "DigestError",
    "DigestSendError",
    "DigestSettings",
    "Period",
    "Record",
    "SendOutcome",
    "build_digest",
    "build_message",
    "claim",
    "digest_due",
    "last_complete",
    "load_settings",
    "read_record",
    "run_due",
    "save_settings",
    "send_digest",
]

FREQUENCIES: Final = ("week", "month")
LANGUAGES: Final = ("fr", "en")
SETTINGS_FILE: Final = "digest.json"
#: The report is due from this hour (local time) on the first day of the next period: read
#: with the morning coffee rather than at midnight.
SEND_HOUR: Final = 8
#: Gmail's and Yahoo's advice to bulk senders: complaints under 0.1 % (0.3 % is the ceiling).
COMPLAINT_WARNING: Final = 0.001
#: After a failed attempt (server down, wrong password) the next automatic one waits this long.
RETRY_AFTER: Final = timedelta(hours=1)
MAX_RECIPIENTS: Final = 10
_META_KEY = "digest.{kind}"


class DigestError(ValueError):
    """Settings that cannot be used (a sentence for the user, in the UI language)."""


class DigestSendError(Exception):
    """The report could not be sent: account, keychain or server (a sentence for the user).

    ``uncertain``: the connection broke after the message was handed over, so it may have
    arrived (the automatic report then does not try that period again).
    """

    def __init__(self, message: str, *, uncertain: bool = False) -> None:
        super().__init__(message)
        self.uncertain = uncertain


# -- settings --------------------------------------------------------------------------------


def _app_language() -> str:
    lang = app_language()
    return lang if lang in LANGUAGES else "fr"


@dataclass
class DigestSettings:
    """The owner's choices for the periodic report.

    Attributes:
        enabled: send it automatically when due.
        frequency: ``week`` (Monday to Sunday) or ``month``.
        recipients: the owner's addresses (1 to :data:`MAX_RECIPIENTS`).
        account: the name of the sending account it goes through.
        language: the email's language, ``fr`` or ``en``; until the owner picks one, the app's
            (an owner who reads the app in English expects the report in English too).
        timezone: an IANA name (``Europe/Paris``) the periods are cut in; "" is this computer's.
        since: when it was turned on (UTC ISO); periods that ended before are never sent.
        other: keys a newer version wrote, kept untouched.
    """

    enabled: bool = False
    frequency: str = "week"
    recipients: list[str] = field(default_factory=list)
    account: str = ""
    language: str = field(default_factory=_app_language)
    timezone: str = ""
    since: str | None = None
    other: dict[str, Any] = field(default_factory=dict)

    def zone(self) -> tzinfo | None:
        """The time zone of the periods; None for this computer's (DST followed by the OS)."""
        if not self.timezone:
            return None
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return None

    def problems(self) -> list[str]:
        """What prevents sending, in sentences (empty: the settings can be used)."""
        out = []
        if self.frequency not in FREQUENCIES:
            out.append(_("Choose a weekly or a monthly report."))
        if self.language not in LANGUAGES:
            out.append(_("The report is written in French or English."))
        if not self.recipients:
            out.append(_("Give the address the report goes to."))
        elif len(self.recipients) > MAX_RECIPIENTS:
            out.append(
                _("The report goes to {count} addresses at most.").format(count=MAX_RECIPIENTS)
            )
        bad = [a for a in self.recipients if validate_address(a)[0] is None]
        if bad:
            out.append(_("Not a valid address: {addresses}").format(addresses=", ".join(bad)))
        if not self.account:
            out.append(_("Choose the sending account the report goes through."))
        if self.timezone and self.zone() is None:
            out.append(_("Unknown time zone: {zone}").format(zone=self.timezone))
        return out

    def validate(self) -> None:
        """Raise :class:`DigestError` with the first problem, if any."""
        problems = self.problems()
        if problems:
            raise DigestError(problems[0])

    def to_json(self) -> dict[str, Any]:
        data = dict(self.other)
        data.update(
            {
                "enabled": self.enabled,
                "frequency": self.frequency,
                "recipients": list(self.recipients),
                "account": self.account,
                "language": self.language,
                "timezone": self.timezone,
                "since": self.since,
            }
        )
        return data

    @classmethod
    def from_json(cls, data: object) -> DigestSettings:
        """Settings from the file's object; anything malformed falls back to its default."""
        if not isinstance(data, dict):
            return cls()
        data = dict(data)
        base = cls()
        enabled = data.pop("enabled", False) is True
        frequency = data.pop("frequency", base.frequency)
        recipients = data.pop("recipients", [])
        account = data.pop("account", "")
        lang = data.pop("language", base.language)
        zone = data.pop("timezone", "")
        since = data.pop("since", None)
        return cls(
            enabled=enabled,
            frequency=frequency if frequency in FREQUENCIES else base.frequency,
            recipients=[str(r) for r in recipients if isinstance(r, str)]
            if isinstance(recipients, list)
            else [],
            account=account if isinstance(account, str) else "",
            language=lang if lang in LANGUAGES else base.language,
            timezone=zone if isinstance(zone, str) else "",
            since=since if isinstance(since, str) else None,
            other=data,
        )


def settings_path() -> Path:
    from editor.settings import data_dir

    return data_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> DigestSettings:
    """The saved settings; the defaults (off) when the file is missing or unreadable."""
    try:
        data = json.loads((path or settings_path()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return DigestSettings()
    return DigestSettings.from_json(data)


def save_settings(
    settings: DigestSettings, path: Path | None = None, *, now: datetime | None = None
) -> DigestSettings:
    """Write the settings atomically; returns what was written.

    Turning the report on records ``since`` (now), turning it off forgets it, so turning it on
    again later does not mail a period from before.
    """
    if settings.enabled and not settings.since:
        settings = replace(settings, since=iso_utc(now or datetime.now(UTC)))
    elif not settings.enabled and settings.since:
        settings = replace(settings, since=None)
    text = json.dumps(settings.to_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_text_atomic(path or settings_path(), text)
    return settings


def parse_recipients(text: str) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines, each once, in order."""
    out: list[str] = []
    for raw in text.replace(";", ",").replace("\n", ",").replace(" ", ",").split(","):
        address = raw.strip()
        if address and address not in out:
            out.append(address)
    return out


# -- periods ---------------------------------------------------------------------------------


def _local(moment: datetime, zone: tzinfo | None) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone) if zone is not None else moment.astimezone()


def _at(day: date, hour: int, zone: tzinfo | None) -> datetime:
    """``hour`` o'clock on ``day`` in ``zone`` (None: this computer's), as an aware datetime.

    Wall-clock time: a DST change inside the period does not move midnight.
    """
    if zone is not None:
        return datetime.combine(day, time(hour), tzinfo=zone)
    return datetime.combine(day, time(hour)).astimezone()  # naive = local time, DST-aware


@dataclass(frozen=True)
class Period:
    """A week (Monday to Sunday) or a calendar month, in a time zone.

    ``first`` and ``last`` are local days (inclusive); :attr:`start` and :attr:`end` the
    instants (local midnights, end excluded) and :attr:`key` its name: ``2026-W10`` (ISO week)
    or ``2026-03``, which sort in time order within a kind.
    """

    kind: str
    first: date
    last: date
    zone: tzinfo | None = field(default=None, compare=False)

    @property
    def key(self) -> str:
        if self.kind == "week":
            year, week, _day = self.first.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.first.year}-{self.first.month:02d}"

    @property
    def start(self) -> datetime:
        return _at(self.first, 0, self.zone)

    @property
    def end(self) -> datetime:
        return _at(self.last + timedelta(days=1), 0, self.zone)

    @property
    def due_from(self) -> datetime:
        """When the report of this period may be sent."""
        return _at(self.last + timedelta(days=1), SEND_HOUR, self.zone)

    def utc_range(self) -> tuple[str, str]:
        """(start, end) as the database stores instants (``YYYY-MM-DDTHH:MM:SSZ``)."""
        return iso_utc(self.start), iso_utc(self.end)

    def previous(self) -> Period:
        return period_containing(self.first - timedelta(days=1), self.kind, self.zone)

    def to_json(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "key": self.key,
            "first_day": self.first.isoformat(),
            "last_day": self.last.isoformat(),
            "start": iso_utc(self.start),
            "end": iso_utc(self.end),
        }


def period_containing(day: date | datetime, kind: str, zone: tzinfo | None = None) -> Period:
    """The week or month of ``day`` (an aware datetime is first taken to local time)."""
    if isinstance(day, datetime):
        day = _local(day, zone).date()
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return Period(kind, first, first + timedelta(days=6), zone)
    if kind == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return Period(kind, first, following - timedelta(days=1), zone)
    raise ValueError(kind)


def last_complete(now: datetime, kind: str, zone: tzinfo | None = None) -> Period:
    """The last week or month that has ended at ``now``."""
    return period_containing(now, kind, zone).previous()


def digest_due(now: datetime, last_sent: str | None, settings: DigestSettings) -> Period | None:
    """The period whose report is due at ``now``, or None.

    ``last_sent``: the key of the last period of this frequency sent (or being sent). Due
    when the report is on and usable, the last complete period is newer than ``last_sent``,
    ended after the report was turned on, and its :attr:`Period.due_from` has come.
    """
    if not settings.enabled or settings.problems():
        return None
    period = last_complete(now, settings.frequency, settings.zone())
    if last_sent is not None and period.key <= last_sent:
        return None
    if settings.since and iso_utc(period.end) <= settings.since:
        return None
    if _local(now, settings.zone()) < period.due_from:
        return None
    return period


# -- the record of what was sent (profile database, ``meta``) ----------------------------------


@dataclass(frozen=True)
class Record:
    """What was sent for one frequency.

    ``period``: the last period claimed; ``state``: ``sent``, or ``sending`` while (or if a
    crash stopped it while) going out; ``at``: when. ``failed``/``failed_at``/``error``: the
    last attempt that failed (its period was given back).
    """

    period: str | None = None
    state: str = ""
    at: str = ""
    failed: str = ""
    failed_at: str = ""
    error: str = ""

    @property
    def interrupted(self) -> bool:
        """Claimed and never confirmed: a crash or a closed app (it may have arrived)."""
        return self.state == "sending"

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "state": self.state,
            "at": self.at,
            "failed": self.failed,
            "failed_at": self.failed_at,
            "error": self.error,
        }


def _read(conn: Any, kind: str) -> Record:
    row = conn.execute(
        "SELECT value FROM meta WHERE key = ?", (_META_KEY.format(kind=kind),)
    ).fetchone()
    if row is None:
        return Record()
    try:
        data = json.loads(row[0])
    except ValueError:
        return Record()
    if not isinstance(data, dict):
        return Record()
    period = data.get("period")
    return Record(
        period=period if isinstance(period, str) else None,
        **{k: str(data.get(k) or "") for k in ("state", "at", "failed", "failed_at", "error")},
    )


def _write(conn: Any, kind: str, record: Record) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (_META_KEY.format(kind=kind), json.dumps(record.to_json(), sort_keys=True)),
    )


def read_record(db: Database, kind: str) -> Record:
    return _read(db.connection, kind)


def claim(db: Database, period: Period, now: datetime) -> Record | None:
    """Take ``period`` for sending: the record before (to give back on failure), or None when
    that period (or a later one) is already claimed. One transaction with the write lock, so
    of two windows or processes only one gets it."""
    with transaction(db.connection) as conn:
        before = _read(conn, period.kind)
        if before.period is not None and before.period >= period.key:
            return None
        _write(
            conn, period.kind, replace(before, period=period.key, state="sending", at=iso_utc(now))
        )
    return before


def mark_sent(db: Database, period: Period, now: datetime) -> None:
    """The server accepted the report of ``period``."""
    with transaction(db.connection) as conn:
        _write(conn, period.kind, Record(period.key, "sent", iso_utc(now)))


def give_back(db: Database, period: Period, before: Record, now: datetime, error: str) -> None:
    """The server refused (nothing was sent): restore the previous record, note the failure
    (the next automatic attempt waits :data:`RETRY_AFTER`)."""
    with transaction(db.connection) as conn:
        current = _read(conn, period.kind)
        if current.period != period.key or current.state != "sending":
            return  # someone else's record now: leave it
        _write(
            conn,
            period.kind,
            replace(before, failed=period.key, failed_at=iso_utc(now), error=error[:500]),
        )


def _may_retry(record: Record, period: Period, now: datetime) -> bool:
    if record.failed != period.key or not record.failed_at:
        return True
    failed_at = datetime.fromisoformat(record.failed_at.replace("Z", "+00:00"))
    return now >= failed_at + RETRY_AFTER


# -- content ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignLine:
    """A campaign that sent messages in the period; figures of the whole campaign, as of now."""

    id: int
    subject: str
    sent_in_period: int
    sent: int
    bounced: int
    hard_bounces: int
    complaints: int
    unsubscribes: int

    @classmethod
    def of(cls, report: CampaignReport, sent_in_period: int) -> CampaignLine:
        return cls(
            report.campaign.id,
            report.campaign.subject,
            sent_in_period,
            report.sent,
            report.bounced,
            report.hard_bounces,
            report.complaints,
            report.unsubscribes,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "sent_in_period": self.sent_in_period,
            "sent": self.sent,
            "bounced": self.bounced,
            "hard_bounces": self.hard_bounces,
            "complaints": self.complaints,
            "unsubscribes": self.unsubscribes,
            "bounce_rate": _rate(self.bounced, self.sent),
            "complaint_rate": _rate(self.complaints, self.sent),
            "unsubscribe_rate": _rate(self.unsubscribes, self.sent),
        }


def _rate(n: int, sent: int) -> float | None:
    return n / sent if sent else None


@dataclass(frozen=True)
class Totals:
    """The campaigns of one period added up (rates over all their sent messages)."""

    campaigns: int = 0
    sent: int = 0
    bounced: int = 0
    hard_bounces: int = 0
    complaints: int = 0
    unsubscribes: int = 0

    @classmethod
    def of(cls, lines: Sequence[CampaignLine]) -> Totals:
        return cls(
            len(lines),
            sum(c.sent for c in lines),
            sum(c.bounced for c in lines),
            sum(c.hard_bounces for c in lines),
            sum(c.complaints for c in lines),
            sum(c.unsubscribes for c in lines),
        )

    @property
    def bounce_rate(self) -> float | None:
        return _rate(self.bounced, self.sent)

    @property
    def hard_bounce_rate(self) -> float | None:
        return _rate(self.hard_bounces, self.sent)

    @property
    def complaint_rate(self) -> float | None:
        return _rate(self.complaints, self.sent)

    @property
    def unsubscribe_rate(self) -> float | None:
        return _rate(self.unsubscribes, self.sent)

    def to_json(self) -> dict[str, Any]:
        return {
            "campaigns": self.campaigns,
            "sent": self.sent,
            "bounced": self.bounced,
            "hard_bounces": self.hard_bounces,
            "complaints": self.complaints,
            "unsubscribes": self.unsubscribes,
            "bounce_rate": self.bounce_rate,
            "complaint_rate": self.complaint_rate,
            "unsubscribe_rate": self.unsubscribe_rate,
        }


TREND_FIGURES: Final = ("campaigns", "sent", "bounce_rate", "complaint_rate", "unsubscribe_rate")


@dataclass(frozen=True)
class ContactsGrowth:
    """How the contacts changed in the period (distinct people), and the subscribed now."""

    new: int = 0
    unsubscribed: int = 0
    bounced: int = 0
    complained: int = 0
    subscribed_now: int = 0

    def to_json(self) -> dict[str, int]:
        return {
            "new": self.new,
            "unsubscribed": self.unsubscribed,
            "bounced": self.bounced,
            "complained": self.complained,
            "subscribed_now": self.subscribed_now,
        }


@dataclass(frozen=True)
class Digest:
    """Everything the report says (figures only; wording in :meth:`subject`, :meth:`text`,
    :meth:`html`, in :attr:`language`)."""

    period: Period
    campaigns: list[CampaignLine]
    totals: Totals
    previous: Totals
    contacts: ContactsGrowth
    review_waiting: int
    language: str = "fr"

    @property
    def trends(self) -> dict[str, str]:
        """Per figure of :data:`TREND_FIGURES`: "up", "down", "same" or "" (see reports.trend)."""
        out = {}
        for name in TREND_FIGURES:
            out[name] = trend(getattr(self.totals, name), getattr(self.previous, name))
        return out

    @property
    def warnings(self) -> list[tuple[str, float]]:
        """(code, rate): ``complaints`` over 0.1 %, ``bounces`` (permanent) over 2 %."""
        out = []
        rate = self.totals.complaint_rate
        if rate is not None and rate > COMPLAINT_WARNING:
            out.append(("complaints", rate))
        rate = self.totals.hard_bounce_rate
        if rate is not None and rate >= BOUNCE_CEILING:
            out.append(("bounces", rate))
        return out

    @property
    def quiet(self) -> bool:
        """Nothing was sent in the period."""
        return not self.campaigns

    def subject(self) -> str:
        from editor.digest_text import DigestWriter

        return DigestWriter(self.language).subject(self)

    def text(self) -> str:
        from editor.digest_text import DigestWriter

        return DigestWriter(self.language).text(self)

    def html(self) -> str:
        from editor.digest_text import DigestWriter

        return DigestWriter(self.language).html(self)

    def to_json(self) -> dict[str, Any]:
        """What ``bulletin digest --json`` prints (documented in the README)."""
        return {
            "period": self.period.to_json(),
            "previous_period": self.period.previous().to_json(),
            "language": self.language,
            "subject": self.subject(),
            "campaigns": [c.to_json() for c in self.campaigns],
            "totals": self.totals.to_json(),
            "previous_totals": self.previous.to_json(),
            "trends": self.trends,
            "contacts": self.contacts.to_json(),
            "review_waiting": self.review_waiting,
            "warnings": [{"code": code, "rate": rate} for code, rate in self.warnings],
        }


def _campaign_lines(db: Database, period: Period) -> list[CampaignLine]:
    start, end = period.utc_range()
    rows = db.connection.execute(
        "SELECT campaign_id, count(*) FROM deliveries"
        " WHERE state = 'sent' AND sent_at >= ? AND sent_at < ?"
        " GROUP BY campaign_id ORDER BY min(sent_at), campaign_id",
        (start, end),
    ).fetchall()
    return [CampaignLine.of(campaign_report(db, int(cid)), int(n)) for cid, n in rows]


def _growth(db: Database, period: Period) -> ContactsGrowth:
    start, end = period.utc_range()
    conn = db.connection
    row = conn.execute(
        "SELECT count(DISTINCT CASE WHEN kind IN ('created', 'imported') THEN contact_id END),"
        " count(DISTINCT CASE WHEN kind = 'status' AND new = 'unsubscribed' THEN contact_id END),"
        " count(DISTINCT CASE WHEN kind = 'status' AND new = 'bounced' THEN contact_id END),"
        " count(DISTINCT CASE WHEN kind = 'status' AND new = 'complained' THEN contact_id END)"
        " FROM events WHERE at >= ? AND at < ?",
        (start, end),
    ).fetchone()
    subscribed = conn.execute(
        "SELECT count(*) FROM contacts WHERE status = 'subscribed'"
    ).fetchone()[0]
    new, unsubscribed, bounced, complained = (int(x) for x in row)
    return ContactsGrowth(new, unsubscribed, bounced, complained, int(subscribed))


def _review_waiting(db: Database) -> int:
    return int(db.connection.execute("SELECT count(*) FROM inbox_review").fetchone()[0])


def build_digest(db: Database, period: Period, language: str = "fr") -> Digest:
    """The report of ``period`` from the profile database (aggregate queries only)."""
    lines = _campaign_lines(db, period)
    previous = _campaign_lines(db, period.previous())
    return Digest(
        period=period,
        campaigns=lines,
        totals=Totals.of(lines),
        previous=Totals.of(previous),
        contacts=_growth(db, period),
        review_waiting=_review_waiting(db),
        language=language if language in LANGUAGES else "fr",
    )


# -- the message and its sending ----------------------------------------------------------------


def build_message(
    digest: Digest, account: Account, recipients: Sequence[str], *, now: datetime | None = None
) -> EmailMessage:
    """The report as a multipart/alternative message from the account to ``recipients``."""
    from editor.digest_text import DigestWriter

    words = DigestWriter(digest.language, account.name)
    message = EmailMessage()
    domain = account.from_email.rpartition("@")[2] or "localhost"
    message["From"] = Address(
        display_name=account.from_name or "Bulletin", addr_spec=account.from_email
    )
    message["To"] = ", ".join(recipients)
    message["Subject"] = words.subject(digest)
    message["Date"] = format_datetime((now or datetime.now(UTC)).astimezone(UTC))
    message["Message-ID"] = make_msgid("digest", domain=domain)
    # RFC 3834: no auto-reply to it; Exchange's own header for the same.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message["X-Bulletin-Digest"] = digest.period.key
    message.set_content(words.text(digest), cte="quoted-printable")
    message.add_alternative(words.html(digest), subtype="html", cte="quoted-printable")
    message["Content-Language"] = digest.language  # after the parts: set_content clears it
    return message


def preview_text(digest: Digest, account: str = "") -> str:
    """The plain-text part as it will be sent (the CLI's preview and the dialog's)."""
    from editor.digest_text import DigestWriter

    return DigestWriter(digest.language, account).text(digest)


def send_message(
    message: EmailMessage,
    account: Account,
    password: str | None,
    recipients: Sequence[str],
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> None:
    """One connection, one message; :class:`DigestSendError` (a sentence) on any failure."""
    try:
        account.validate()
    except AccountError as exc:
        raise DigestSendError(str(exc)) from None
    try:
        smtp = open_connection(account, password, ssl_context=ssl_context)
    except SmtpFailure as refused:
        raise DigestSendError(_sentence(refused, account)) from None
    try:
        smtp.send_message(message, from_addr=account.sender, to_addrs=list(recipients))
    except Exception as exc:  # classified: the user reads why
        failure = failure_from(exc)
        # A refusal with a code means nothing was delivered; a cut or a silence after DATA
        # may come after the server took the message.
        uncertain = failure.kind in ("dropped", "timeout")
        raise DigestSendError(_sentence(failure, account), uncertain=uncertain) from None
    finally:
        quit_quietly(smtp)


def _sentence(failure: SmtpFailure, account: Account) -> str:
    return str(
        Diagnosis(
            False,
            failure.kind,
            host=account.host,
            port=account.port,
            security=account.security,
            sender=account.sender,
            detail=failure.reply,
            code=failure.code,
        )
    )


def default_password(account: Account) -> str | None:
    """The account's password from the keychain (None when it logs in without one)."""
    from editor.sending.secrets import KeychainError, get_password

    if not account.username:
        return None
    try:
        return get_password(account.name)
    except KeychainError as exc:
        raise DigestSendError(str(exc)) from None


@dataclass(frozen=True)
class SendOutcome:
    """A report that went out: its period, subject and recipients."""

    period: Period
    subject: str
    recipients: tuple[str, ...]
    recorded: bool


PasswordSource = Callable[[Account], str | None]


def send_digest(
    db: Database,
    settings: DigestSettings,
    *,
    now: datetime | None = None,
    period: Period | None = None,
    to: Sequence[str] = (),
    book: AccountBook | None = None,
    password: PasswordSource = default_password,
    ssl_context: ssl.SSLContext | None = None,
) -> SendOutcome:
    """Send the report of ``period`` (default: the last complete one) now, whether due or not.

    To the settings' recipients, the period is then recorded as sent, so the automatic report
    does not send it again; to other addresses (``to``: a try), nothing is recorded.
    """
    moment = now or datetime.now(UTC)
    period = period or last_complete(moment, settings.frequency, settings.zone())
    recipients = list(to) or list(settings.recipients)
    checked = replace(settings, recipients=recipients)
    try:
        checked.validate()
    except DigestError as exc:
        raise DigestSendError(str(exc)) from None
    account = _account(settings.account, book)
    digest = build_digest(db, period, settings.language)
    message = build_message(digest, account, recipients, now=moment)
    send_message(message, account, password(account), recipients, ssl_context=ssl_context)
    recorded = not to
    if recorded:
        with transaction(db.connection) as conn:
            if (_read(conn, period.kind).period or "") <= period.key:
                _write(conn, period.kind, Record(period.key, "sent", iso_utc(moment)))
    return SendOutcome(period, str(message["Subject"]), tuple(recipients), recorded)


def _account(name: str, book: AccountBook | None) -> Account:
    """The account, checked before its name and address go into headers (a hand-edited
    accounts.json could hold anything)."""
    try:
        account = (book or AccountBook()).get(name)
        account.validate()
    except AccountError as exc:
        raise DigestSendError(str(exc)) from None
    return account


def run_due(
    db: Database,
    *,
    now: datetime | None = None,
    settings: DigestSettings | None = None,
    book: AccountBook | None = None,
    password: PasswordSource = default_password,
    ssl_context: ssl.SSLContext | None = None,
) -> SendOutcome | None:
    """Send the report if it is due (see the module doc); None when nothing was due or another
    window or process took it. :class:`DigestSendError` when sending failed (the period is
    given back and tried again after :data:`RETRY_AFTER`)."""
    moment = now or datetime.now(UTC)
    settings = settings if settings is not None else load_settings()
    if not settings.enabled:
        return None
    record = read_record(db, settings.frequency)
    period = digest_due(moment, record.period, settings)
    if period is None or not _may_retry(record, period, moment):
        return None
    before = claim(db, period, moment)
    if before is None:
        return None
    try:
        account = _account(settings.account, book)
        digest = build_digest(db, period, settings.language)
        message = build_message(digest, account, settings.recipients, now=moment)
        send_message(
            message, account, password(account), settings.recipients, ssl_context=ssl_context
        )
    except DigestSendError as exc:
        if not exc.uncertain:
            give_back(db, period, before, moment, str(exc))
        raise
    except Exception as exc:  # e.g. the database went away: nothing was sent
        give_back(db, period, before, moment, type(exc).__name__)
        raise
    mark_sent(db, period, moment)
    return SendOutcome(period, str(message["Subject"]), tuple(settings.recipients), True)
