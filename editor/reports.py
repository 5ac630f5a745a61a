"""Campaign reports: what happened to a campaign, computed in SQLite from the send log and the
inbox, plus a dashboard of the last campaigns with trends.

Every figure is an aggregate query (no row is loaded into Python except the per-recipient CSV,
which streams), so a 100,000-delivery campaign reports in a fraction of a second (see
``benchmarks/reports.py``).

Where the figures come from:

* ``deliveries`` (one row per audience member): recipients, sent, failed, unknown, skipped by
  reason, and the sends over time (``sent_at``, UTC).
* ``inbox_messages`` tied to the campaign by the inbox (issue 11): bounces (hard = ``bounce``,
  soft = ``soft_bounce``), complaints and unsubscribe requests. They are counted **per
  delivery** (or per contact when the inbox could not name the delivery), so three soft bounces
  for one person count once, and someone who soft- then hard-bounced counts as hard only.
* Per list: the campaign's lists joined with the **current** memberships of the recipients
  (the send log does not record through which list someone was reached); a person in two
  lists counts in both.

Rates are over the messages sent (``None`` when nothing was sent). The complaint rate is
compared with the 0.3 % ceiling Gmail and Yahoo enforce for bulk senders since 2024.

* Opens and clicks (:mod:`editor.tracking.aggregates`), only for a campaign sent with
  measurement on, only over its consenting recipients ("measured among N"), and only as
  aggregates: nothing about them reaches the per-recipient CSV.
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from editor.atomic import atomic_text
from editor.contacts.db import Database
from editor.contacts.privacy import defuse
from editor.i18n import N_, _, language, ngettext
from editor.sending.audience import SKIP_REASONS, reason_label
from editor.sending.campaigns import Campaign, CampaignError, CampaignStore, status_label
from editor.tracking.aggregates import MIN_GROUP, LinkFigures, MeasurementFigures
from editor.tracking.aggregates import figures as measurement_figures

#: Gmail's and Yahoo's bulk-sender rule: keep spam complaints below 0.3 % (ideally 0.1 %).
COMPLAINT_CEILING = 0.003
#: Hard bounces above 2 % of a send hurt a sender's reputation (the common ESP threshold).
BOUNCE_CEILING = 0.02

# One row per delivery (or contact, or message when neither is known) of what the inbox saw.
_PER_DELIVERY = """
    SELECT delivery_id, contact_id,
           max(kind = 'bounce') AS hard,
           max(kind = 'soft_bounce') AS soft,
           max(kind = 'complaint') AS complaint,
           max(kind = 'unsubscribe') AS unsub,
           min(CASE WHEN kind = 'bounce' THEN coalesce(date, processed_at) END) AS hard_at,
           min(CASE WHEN kind = 'soft_bounce' THEN coalesce(date, processed_at) END) AS soft_at,
           min(CASE WHEN kind = 'complaint' THEN coalesce(date, processed_at) END) AS complaint_at,
           min(CASE WHEN kind = 'unsubscribe' THEN coalesce(date, processed_at) END) AS unsub_at
    FROM inbox_messages
    WHERE campaign_id = ? AND kind IN ('bounce', 'soft_bounce', 'complaint', 'unsubscribe')
    GROUP BY coalesce(delivery_id, -contact_id, key)
"""

# The CSV's columns: (key, label shown as header).
CSV_COLUMNS = (
    ("email", N_("Email")),
    ("name", N_("Name")),
    ("state", N_("State")),
    ("skip_reason", N_("Skipped because")),
    ("smtp_code", N_("SMTP code")),
    ("smtp_reply", N_("SMTP reply")),
    ("sent_at", N_("Sent at")),
    ("bounce", N_("Bounce")),
    ("bounce_at", N_("Bounced at")),
    ("complaint_at", N_("Complained at")),
    ("unsubscribe_at", N_("Unsubscribed at")),
)


@dataclass(frozen=True, slots=True)
class ListFigures:
    """One of the campaign's lists: its recipients and what happened to them."""

    name: str
    recipients: int
    sent: int
    failed: int
    bounced: int
    complained: int
    unsubscribed: int

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "recipients": self.recipients,
            "sent": self.sent,
            "failed": self.failed,
            "bounced": self.bounced,
            "complained": self.complained,
            "unsubscribed": self.unsubscribed,
        }


@dataclass(slots=True)
class CampaignReport:
    """Every figure of one campaign (see the module doc for their sources)."""

    campaign: Campaign
    recipients: int = 0
    sent: int = 0
    failed: int = 0
    unknown: int = 0
    queued: int = 0
    hard_bounces: int = 0
    soft_bounces: int = 0
    complaints: int = 0
    unsubscribes: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    lists: list[ListFigures] = field(default_factory=list)
    sent_per_hour: list[tuple[str, int]] = field(default_factory=list)
    sent_per_day: list[tuple[str, int]] = field(default_factory=list)
    #: day → {"bounces", "soft_bounces", "complaints", "unsubscribes"}
    inbox_per_day: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    #: opens and clicks of the consenting recipients; None when the campaign was not measured
    measurement: MeasurementFigures | None = None

    @property
    def bounced(self) -> int:
        return self.hard_bounces + self.soft_bounces

    def _rate(self, n: int) -> float | None:
        return n / self.sent if self.sent else None

    @property
    def bounce_rate(self) -> float | None:
        return self._rate(self.bounced)

    @property
    def hard_bounce_rate(self) -> float | None:
        return self._rate(self.hard_bounces)

    @property
    def complaint_rate(self) -> float | None:
        return self._rate(self.complaints)

    @property
    def unsubscribe_rate(self) -> float | None:
        return self._rate(self.unsubscribes)

    @property
    def complaints_over_ceiling(self) -> bool:
        rate = self.complaint_rate
        return rate is not None and rate >= COMPLAINT_CEILING

    @property
    def bounces_over_ceiling(self) -> bool:
        rate = self.hard_bounce_rate
        return rate is not None and rate >= BOUNCE_CEILING

    def to_json(self) -> dict[str, Any]:
        """The object ``bulletin report ID --json`` prints (documented in the README)."""
        c = self.campaign
        return {
            "id": c.id,
            "subject": c.subject,
            "status": c.status,
            "created": c.created,
            "started_at": c.started_at,
            "finished_at": c.finished_at,
            "account": c.account,
            "counts": {
                "recipients": self.recipients,
                "sent": self.sent,
                "failed": self.failed,
                "unknown": self.unknown,
                "queued": self.queued,
                "bounced": self.bounced,
                "hard_bounces": self.hard_bounces,
                "soft_bounces": self.soft_bounces,
                "complaints": self.complaints,
                "unsubscribes": self.unsubscribes,
            },
            "skipped": dict(self.skipped),
            "rates": {
                "bounce": self.bounce_rate,
                "hard_bounce": self.hard_bounce_rate,
                "complaint": self.complaint_rate,
                "unsubscribe": self.unsubscribe_rate,
                "complaint_ceiling": COMPLAINT_CEILING,
                "complaints_over_ceiling": self.complaints_over_ceiling,
            },
            "lists": [f.to_json() for f in self.lists],
            "over_time": {
                "sent_per_hour": [{"hour": h, "sent": n} for h, n in self.sent_per_hour],
                "sent_per_day": [{"day": d, "sent": n} for d, n in self.sent_per_day],
                "inbox_per_day": [{"day": d, **counts} for d, counts in self.inbox_per_day],
            },
            "measurement": None if self.measurement is None else self.measurement.to_json(),
        }


def campaign_report(db: Database, campaign_id: int) -> CampaignReport:
    """The report of one campaign; :class:`CampaignError` when there is no such campaign."""
    campaign = _campaign(db, campaign_id)
    conn = db.connection
    report = CampaignReport(campaign)
    counts = campaign.counts
    report.recipients = counts.recipients
    report.sent, report.failed, report.unknown = counts.sent, counts.failed, counts.unknown
    report.queued = counts.queued + counts.sending
    skipped = dict.fromkeys(SKIP_REASONS, 0)
    for reason, n in conn.execute(
        "SELECT skip_reason, count(*) FROM deliveries WHERE campaign_id = ? AND state = 'skipped'"
        " GROUP BY skip_reason",
        (campaign_id,),
    ):
        skipped[str(reason)] = int(n)
    report.skipped = {k: v for k, v in skipped.items() if v}
    row = conn.execute(
        "SELECT coalesce(sum(hard), 0), coalesce(sum(soft AND NOT hard), 0),"  # noqa: S608
        f" coalesce(sum(complaint), 0), coalesce(sum(unsub), 0) FROM ({_PER_DELIVERY})",
        (campaign_id,),
    ).fetchone()
    report.hard_bounces, report.soft_bounces, report.complaints, report.unsubscribes = (
        int(x) for x in row
    )
    report.lists = _per_list(db, campaign)
    report.sent_per_hour = _series(
        conn,
        "SELECT substr(sent_at, 1, 13) AS h, count(*) FROM deliveries"
        " WHERE campaign_id = ? AND sent_at IS NOT NULL GROUP BY h ORDER BY h",
        campaign_id,
    )
    per_day: dict[str, int] = {}
    for hour, n in report.sent_per_hour:
        per_day[hour[:10]] = per_day.get(hour[:10], 0) + n
    report.sent_per_day = sorted(per_day.items())
    days: dict[str, dict[str, int]] = {}
    for day, kind, n in conn.execute(
        "SELECT substr(coalesce(date, processed_at), 1, 10) AS d, kind, count(*)"
        " FROM inbox_messages WHERE campaign_id = ?"
        " AND kind IN ('bounce', 'soft_bounce', 'complaint', 'unsubscribe')"
        " GROUP BY d, kind ORDER BY d",
        (campaign_id,),
    ):
        bucket = days.setdefault(
            str(day), {"bounces": 0, "soft_bounces": 0, "complaints": 0, "unsubscribes": 0}
        )
        bucket[_KIND_KEYS[str(kind)]] = int(n)
    report.inbox_per_day = sorted(days.items())
    report.measurement = measurement_figures(db, campaign_id)
    return report


_KIND_KEYS = {
    "bounce": "bounces",
    "soft_bounce": "soft_bounces",
    "complaint": "complaints",
    "unsubscribe": "unsubscribes",
}


def _campaign(db: Database, campaign_id: int) -> Campaign:
    """The campaign with its counts (opening the store first recovers a crashed run, so its
    interrupted deliveries are reported ``unknown``, not ``sending``)."""
    return CampaignStore(db).get(campaign_id)


def _series(conn: Any, sql: str, campaign_id: int) -> list[tuple[str, int]]:
    return [(str(k), int(n)) for k, n in conn.execute(sql, (campaign_id,))]


def _per_list(db: Database, campaign: Campaign) -> list[ListFigures]:
    if not campaign.lists:
        return []
    marks = ", ".join("?" for _ in campaign.lists)
    sql = f"""
        SELECT l.name, count(*),
               coalesce(sum(d.state = 'sent'), 0), coalesce(sum(d.state = 'failed'), 0),
               coalesce(sum(i.hard OR i.soft), 0), coalesce(sum(i.complaint), 0),
               coalesce(sum(i.unsub), 0)
        FROM deliveries d
        JOIN memberships m ON m.contact_id = d.contact_id
        JOIN lists l ON l.id = m.list_id
        LEFT JOIN ({_PER_DELIVERY}) i ON i.delivery_id = d.id
        WHERE d.campaign_id = ? AND d.state <> 'skipped' AND l.name IN ({marks})
        GROUP BY l.id ORDER BY l.name
    """  # noqa: S608 (only placeholders are interpolated)
    rows = db.connection.execute(sql, (campaign.id, campaign.id, *campaign.lists)).fetchall()
    found = {str(r[0]): ListFigures(str(r[0]), *(int(x) for x in r[1:])) for r in rows}
    return [found.get(name, ListFigures(name, 0, 0, 0, 0, 0, 0)) for name in campaign.lists]


# -- dashboard -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DashboardRow:
    """One campaign of the dashboard, with its trend against the campaign before it."""

    id: int
    subject: str
    created: str
    status: str
    sent: int
    bounce_rate: float | None
    complaint_rate: float | None
    unsubscribe_rate: float | None
    #: per figure ("sent", "bounce_rate", …): "up", "down", "same" or "" (nothing to compare)
    trends: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "subject": self.subject,
            "created": self.created,
            "status": self.status,
            "sent": self.sent,
            "bounce_rate": self.bounce_rate,
            "complaint_rate": self.complaint_rate,
            "unsubscribe_rate": self.unsubscribe_rate,
            "trends": dict(self.trends),
        }


TREND_FIGURES = ("sent", "bounce_rate", "complaint_rate", "unsubscribe_rate")


def dashboard(db: Database, last: int = 10) -> list[DashboardRow]:
    """The ``last`` campaigns, newest first, each compared with the one sent before it."""
    conn = db.connection
    rows = conn.execute(
        "SELECT id, subject, created, status FROM campaigns ORDER BY created DESC, id DESC LIMIT ?",
        (last + 1,),  # one more, so the oldest shown has something to compare with
    ).fetchall()
    if not rows:
        return []
    ids = [int(r[0]) for r in rows]
    marks = ", ".join("?" for _ in ids)
    sent = dict(
        conn.execute(
            f"SELECT campaign_id, count(*) FROM deliveries WHERE campaign_id IN ({marks})"  # noqa: S608
            " AND state = 'sent' GROUP BY campaign_id",
            ids,
        ).fetchall()
    )
    inbox: dict[int, tuple[int, int, int]] = {}
    for cid, bounced, complaints, unsubs in conn.execute(
        "SELECT campaign_id, sum(bounced), sum(complaint), sum(unsub) FROM ("  # noqa: S608
        " SELECT campaign_id, max(kind IN ('bounce', 'soft_bounce')) AS bounced,"
        " max(kind = 'complaint') AS complaint, max(kind = 'unsubscribe') AS unsub"
        f" FROM inbox_messages WHERE campaign_id IN ({marks})"
        " AND kind IN ('bounce', 'soft_bounce', 'complaint', 'unsubscribe')"
        " GROUP BY campaign_id, coalesce(delivery_id, -contact_id, key)) GROUP BY campaign_id",
        ids,
    ):
        inbox[int(cid)] = (int(bounced), int(complaints), int(unsubs))
    figures: list[dict[str, Any]] = []
    for cid, subject, created, status in rows:
        n = int(sent.get(cid, 0))
        b, c, u = inbox.get(int(cid), (0, 0, 0))
        figures.append(
            {
                "id": int(cid),
                "subject": str(subject),
                "created": str(created),
                "status": str(status),
                "sent": n,
                "bounce_rate": b / n if n else None,
                "complaint_rate": c / n if n else None,
                "unsubscribe_rate": u / n if n else None,
            }
        )
    out = []
    for i, item in enumerate(figures[:last]):
        before = figures[i + 1] if i + 1 < len(figures) else None
        trends = {k: trend(item[k], before[k] if before else None) for k in TREND_FIGURES}
        out.append(DashboardRow(**item, trends=trends))
    return out


def trend(now: float | None, before: float | None) -> str:
    """ "up", "down" or "same" from ``before`` to ``now``; "" when either is unknown."""
    if now is None or before is None:
        return ""
    if abs(now - before) < 1e-9:
        return "same"
    return "up" if now > before else "down"


# -- exports ---------------------------------------------------------------------------------


def recipient_rows(db: Database, campaign_id: int) -> Iterator[dict[str, str]]:
    """Every delivery of the campaign with its inbox outcome, in queue order (streamed).

    The ``duplicate`` skips (someone reached through two lists) are left out: that person
    already has their row, and one row per address is what a spreadsheet user expects.
    """
    _campaign(db, campaign_id)
    sql = f"""
        SELECT d.email, d.name, d.state, d.skip_reason, d.smtp_code, d.smtp_reply, d.sent_at,
               i.hard, i.soft, coalesce(i.hard_at, i.soft_at), i.complaint_at, i.unsub_at
        FROM deliveries d LEFT JOIN ({_PER_DELIVERY}) i ON i.delivery_id = d.id
        WHERE d.campaign_id = ? AND d.skip_reason <> 'duplicate' ORDER BY d.id
    """  # noqa: S608
    for row in db.connection.execute(sql, (campaign_id, campaign_id)):
        email, name, state, skip, code, reply, sent_at, hard, soft, b_at, c_at, u_at = row
        yield {
            "email": str(email),
            "name": str(name),
            "state": str(state),
            "skip_reason": str(skip),
            "smtp_code": "" if code is None else str(code),
            "smtp_reply": str(reply),
            "sent_at": sent_at or "",
            "bounce": "hard" if hard else ("soft" if soft else ""),
            "bounce_at": b_at or "",
            "complaint_at": c_at or "",
            "unsubscribe_at": u_at or "",
        }


def write_csv(db: Database, campaign_id: int, handle: IO[str]) -> int:
    """Write the per-recipient CSV to ``handle``; returns the number of recipients written.

    Same conventions as the contacts export: ``;`` in French, ``,`` otherwise, and every cell
    a spreadsheet would run as a formula defused with a leading ``'``. Values (states,
    ``hard``/``soft``, UTC ISO dates) stay machine-readable; only the header is translated.
    """
    delimiter = ";" if language() == "fr" else ","
    writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([_(label) for _key, label in CSV_COLUMNS])
    count = 0
    for row in recipient_rows(db, campaign_id):
        writer.writerow([defuse(row[key]) for key, _label in CSV_COLUMNS])
        count += 1
    return count


def export_csv(db: Database, campaign_id: int, path: Path) -> int:
    """:func:`write_csv` to ``path`` atomically (UTF-8 with a BOM, for Excel)."""
    _campaign(db, campaign_id)  # an unknown id leaves no file behind
    with atomic_text(path, encoding="utf-8-sig", newline="") as handle:
        return write_csv(db, campaign_id, handle)


def percent(rate: float | None, decimals: int = 2) -> str:
    """A rate for people: "1.25 %" ("1,25 %" in French), "–" when there is none."""
    if rate is None:
        return "–"
    text = f"{rate * 100:.{decimals}f}"
    if language() == "fr":
        text = text.replace(".", ",")
    return f"{text}\u00a0%"


def summary_lines(report: CampaignReport) -> list[tuple[str, str]]:
    """(label, value) pairs of the main figures, in the UI language (CLI, window, PDF)."""
    lines = [
        (_("Recipients"), str(report.recipients)),
        (_("Sent"), str(report.sent)),
        (_("Failed"), str(report.failed)),
        (_("Unknown (interrupted)"), str(report.unknown)),
    ]
    if report.queued:
        lines.append((_("Not sent yet"), str(report.queued)))
    lines += [
        (_("Bounced (permanent)"), str(report.hard_bounces)),
        (_("Bounced (temporary)"), str(report.soft_bounces)),
        (_("Spam complaints"), str(report.complaints)),
        (_("Unsubscribed"), str(report.unsubscribes)),
        (_("Bounce rate"), percent(report.bounce_rate)),
        (_("Complaint rate"), percent(report.complaint_rate)),
        (_("Unsubscribe rate"), percent(report.unsubscribe_rate)),
    ]
    for reason, n in report.skipped.items():
        lines.append((_("Skipped: {reason}").format(reason=reason_label(reason)), str(n)))
    m = report.measurement
    if m is not None:
        lines.append((_("Measured (consenting recipients)"), str(m.measured)))
        if not m.withheld:
            lines += [
                (_("Unique opens"), f"{m.unique_opens} ({percent(m.open_rate)})"),
                (_("Unique clicks"), f"{m.unique_clicks} ({percent(m.click_rate)})"),
            ]
    return lines


def measurement_note(m: MeasurementFigures) -> str:
    """The sentence every display of opens and clicks carries: over whom, and how exact."""
    if m.withheld:
        return ngettext(
            "Opens and clicks are not shown: {n} consenting recipient is too few to give totals "
            "without pointing at someone (at least {least}).",
            "Opens and clicks are not shown: {n} consenting recipients are too few to give "
            "totals without pointing at someone (at least {least}).",
            m.measured,
        ).format(n=m.measured, least=MIN_GROUP)
    return (
        ngettext(
            "Measured among {n} consenting recipient, as totals only.",
            "Measured among {n} consenting recipients, as totals only.",
            m.measured,
        ).format(n=m.measured)
        + " "
        + _(
            "Opens are approximate: apps that block images count none, and Apple Mail's "
            "privacy protection counts one for every message."
        )
    )


def link_headers() -> list[str]:
    return [_("Link"), _("Clicks"), _("Unique clicks"), _("Unique click rate")]


def link_values(m: MeasurementFigures, link: LinkFigures) -> list[str]:
    return [link.url, str(link.clicks), str(link.unique_clicks), percent(m.link_rate(link))]


def warnings(report: CampaignReport) -> list[str]:
    """What the owner should act on, in sentences."""
    out = []
    if report.complaints_over_ceiling:
        out.append(
            _(
                "The complaint rate is {rate}: above the {ceiling} Gmail and Yahoo allow; "
                "their filters may send your next campaigns to spam."
            ).format(rate=percent(report.complaint_rate), ceiling=percent(COMPLAINT_CEILING, 1))
        )
    if report.bounces_over_ceiling:
        out.append(
            _(
                "The permanent bounce rate is {rate}: above {ceiling}; clean the list before "
                "the next campaign."
            ).format(rate=percent(report.hard_bounce_rate), ceiling=percent(BOUNCE_CEILING, 0))
        )
    return out


def report_html(report: CampaignReport) -> str:
    """The report as simple HTML (for the PDF export): every value escaped."""
    e = html.escape
    c = report.campaign
    parts = [
        "<html><body>",
        f"<h1>{e(_('Campaign report'))}</h1>",
        f"<p><b>{e(c.subject)}</b><br/>",
        e(
            _("Campaign {id}, {status}, created {created}").format(
                id=c.id, status=status_label(c.status), created=c.created
            )
        ),
        "</p>",
    ]
    for text in warnings(report):
        parts.append(f'<p style="color:#b00020"><b>{e(text)}</b></p>')
    parts.append('<table border="1" cellspacing="0" cellpadding="4">')
    for label, value in summary_lines(report):
        parts.append(f"<tr><td>{e(label)}</td><td align='right'>{e(value)}</td></tr>")
    parts.append("</table>")
    if report.lists:
        parts.append(f"<h2>{e(_('Per list'))}</h2>")
        parts.append('<table border="1" cellspacing="0" cellpadding="4"><tr>')
        parts += [f"<th>{e(h)}</th>" for h in list_headers()]
        parts.append("</tr>")
        for f in report.lists:
            cells = [f.name, *map(str, list_values(f))]
            parts.append("<tr>" + "".join(f"<td>{e(x)}</td>" for x in cells) + "</tr>")
        parts.append("</table>")
    m = report.measurement
    if m is not None:
        title = _("Opens and clicks")
        parts.append(f"<h2>{e(title)}</h2>")
        parts.append(f"<p>{e(measurement_note(m))}</p>")
        if m.links and not m.withheld:
            parts.append('<table border="1" cellspacing="0" cellpadding="4"><tr>')
            parts += [f"<th>{e(h)}</th>" for h in link_headers()]
            parts.append("</tr>")
            for link in m.links:
                cells = link_values(m, link)
                parts.append("<tr>" + "".join(f"<td>{e(x)}</td>" for x in cells) + "</tr>")
            parts.append("</table>")
    if report.sent_per_day or report.inbox_per_day:
        parts.append(f"<h2>{e(_('Over time (UTC)'))}</h2>")
        parts.append('<table border="1" cellspacing="0" cellpadding="4"><tr>')
        parts += [f"<th>{e(h)}</th>" for h in day_headers()]
        parts.append("</tr>")
        for day, values in per_day_rows(report):
            cells = [day, *map(str, values)]
            parts.append("<tr>" + "".join(f"<td>{e(x)}</td>" for x in cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def list_headers() -> list[str]:
    return [
        _("List"),
        _("Recipients"),
        _("Sent"),
        _("Failed"),
        _("Bounced"),
        _("Complaints"),
        _("Unsubscribed"),
    ]


def list_values(f: ListFigures) -> tuple[int, ...]:
    return (f.recipients, f.sent, f.failed, f.bounced, f.complained, f.unsubscribed)


def day_headers() -> list[str]:
    return [_("Day"), _("Sent"), _("Bounced"), _("Complaints"), _("Unsubscribed")]


def per_day_rows(report: CampaignReport) -> list[tuple[str, tuple[int, int, int, int]]]:
    """(day, (sent, bounces hard+soft, complaints, unsubscribes)) for every day with activity."""
    sent = dict(report.sent_per_day)
    inbox = dict(report.inbox_per_day)
    out = []
    for day in sorted(set(sent) | set(inbox)):
        i = inbox.get(day, {})
        out.append(
            (
                day,
                (
                    sent.get(day, 0),
                    i.get("bounces", 0) + i.get("soft_bounces", 0),
                    i.get("complaints", 0),
                    i.get("unsubscribes", 0),
                ),
            )
        )
    return out


def to_json_text(report: CampaignReport) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)


__all__: Sequence[str] = [
    "COMPLAINT_CEILING",
    "CampaignError",
    "CampaignReport",
    "DashboardRow",
    "ListFigures",
    "MeasurementFigures",
    "campaign_report",
    "dashboard",
    "export_csv",
    "link_headers",
    "link_values",
    "measurement_note",
    "recipient_rows",
    "report_html",
    "summary_lines",
    "trend",
    "warnings",
    "write_csv",
]
