"""The periodic report's wording: subject, plain text and HTML, in French and in English.

Both languages live here, as :mod:`editor.signup`'s notice does, rather than in the UI catalog:
the email follows the report's own language setting (the owner may read mail in another
language than the app's), and it is built on a worker thread while the UI shows its own
language, so nothing here may switch the process-wide gettext language. Numbers, dates and
percents are written as the email's language writes them (Babel).

The HTML is deliberately plain: one column of at most 600 px, tables with inline styles, every
value escaped, no image, no remote resource, no link to follow, no tracking.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from editor.reports import BOUNCE_CEILING

if TYPE_CHECKING:
    from editor.digest import CampaignLine, Digest, Period, Totals

__all__ = ["DigestWriter"]


_WORDS: Final[dict[str, dict[str, Any]]] = {
    "en": {
        "your": {"week": "your week", "month": "your month"},
        "title": {"week": "Your week in Bulletin", "month": "Your month in Bulletin"},
        "campaigns": ("{n} campaign", "{n} campaigns"),
        "sent": "{n} sent",
        "nothing": "nothing sent",
        "quiet": {
            "week": "No campaign was sent this week.",
            "month": "No campaign was sent this month.",
        },
        "summary": "{campaigns}, {sent} messages sent.",
        "before": {"week": "Week before", "month": "Month before"},
        "h_campaigns": "Campaigns",
        "h_contacts": "Contacts",
        "h_inbox": "Inbox",
        "h_warnings": "To watch",
        "campaign_line": "{sent} sent in the period; bounces {bounces}, complaints {complaints}, "
        "unsubscribes {unsubscribes}",
        "labels": {
            "campaigns": "Campaigns",
            "sent": "Messages sent",
            "bounce_rate": "Bounce rate",
            "complaint_rate": "Complaint rate",
            "unsubscribe_rate": "Unsubscribe rate",
        },
        "new": "New contacts",
        "unsubscribed": "Unsubscribed",
        "bounced": "Bounced",
        "complained": "Spam complaints",
        "subscribed_now": "Subscribed now",
        "review": (
            "{n} message waits on the review list (Inbox ▸ Messages to review).",
            "{n} messages wait on the review list (Inbox ▸ Messages to review).",
        ),
        "no_review": "No message waits on the review list.",
        "complaints": "The complaint rate is {rate}, above the {ceiling} Gmail and Yahoo ask "
        "of bulk senders: check that everyone on your lists asked for your newsletter.",
        "bounces": "The permanent bounce rate is {rate}, above {ceiling}: clean your lists "
        "before the next campaign.",
        "figures_note": "Figures of each campaign as of today (bounces and unsubscribes keep "
        "arriving after a send), compared with {before}.",
        "before_lower": {"week": "the week before", "month": "the month before"},
        "footer": "Sent by Bulletin on your computer through the account “{account}”. To stop "
        "this report, untick it in Sending ▸ Report by email.",
        "arrows": {"up": "↑", "down": "↓", "same": "=", "": ""},
    },
    "fr": {
        "your": {"week": "votre semaine", "month": "votre mois"},
        "title": {"week": "Votre semaine avec Bulletin", "month": "Votre mois avec Bulletin"},
        "campaigns": ("{n} campagne", "{n} campagnes"),
        "sent": "{n} envois",
        "nothing": "aucun envoi",
        "quiet": {
            "week": "Aucune campagne n’a été envoyée cette semaine.",
            "month": "Aucune campagne n’a été envoyée ce mois-ci.",
        },
        "summary": "{campaigns}, {sent} messages envoyés.",
        "before": {"week": "Semaine précédente", "month": "Mois précédent"},
        "h_campaigns": "Campagnes",
        "h_contacts": "Contacts",
        "h_inbox": "Boîte de réception",
        "h_warnings": "À surveiller",
        "campaign_line": "{sent} envoyés dans la période ; rebonds {bounces}, plaintes "
        "{complaints}, désinscriptions {unsubscribes}",
        "labels": {
            "campaigns": "Campagnes",
            "sent": "Messages envoyés",
            "bounce_rate": "Taux de rebond",
            "complaint_rate": "Taux de plainte",
            "unsubscribe_rate": "Taux de désinscription",
        },
        "new": "Nouveaux contacts",
        "unsubscribed": "Désinscrits",
        "bounced": "En rebond",
        "complained": "Plaintes pour spam",
        "subscribed_now": "Abonnés aujourd’hui",
        "review": (
            "{n} message attend dans la liste à examiner (Boîte de réception ▸ Messages à "
            "examiner).",
            "{n} messages attendent dans la liste à examiner (Boîte de réception ▸ Messages à "
            "examiner).",
        ),
        "no_review": "Aucun message n’attend dans la liste à examiner.",
        "complaints": "Le taux de plainte est de {rate}, au-dessus des {ceiling} que Gmail et "
        "Yahoo demandent aux expéditeurs en nombre : vérifiez que chaque personne de vos listes "
        "a demandé votre lettre.",
        "bounces": "Le taux de rebond permanent est de {rate}, au-dessus de {ceiling} : "
        "nettoyez vos listes avant la prochaine campagne.",
        "figures_note": "Chiffres de chaque campagne à ce jour (les rebonds et désinscriptions "
        "arrivent encore après l’envoi), comparés {before}.",
        "before_lower": {"week": "à la semaine précédente", "month": "au mois précédent"},
        "footer": "Envoyé par Bulletin depuis votre ordinateur, par le compte "
        "«\u00a0{account}\u00a0». Pour ne plus recevoir ce bilan, décochez-le dans Envoi ▸ "
        "Bilan par e-mail.",
        "arrows": {"up": "↑", "down": "↓", "same": "=", "": ""},
    },
}


class DigestWriter:
    """The report's wording in one language (numbers, dates and percents as it writes them)."""

    def __init__(self, language: str, account: str = "") -> None:
        self.lang = language if language in _WORDS else "fr"
        self.w = _WORDS[self.lang]
        self.account = account

    def number(self, n: int) -> str:
        from babel.numbers import format_decimal

        return str(format_decimal(n, format="#,##0", locale=self.lang))

    def percent(self, rate: float | None, decimals: int = 2) -> str:
        if rate is None:
            return "–"
        text = f"{rate * 100:.{decimals}f}"
        if self.lang == "fr":
            text = text.replace(".", ",")
        return f"{text}\u00a0%"

    def plural(self, key: str, n: int) -> str:
        one, many = self.w[key]
        # French: 0 and 1 take the singular.
        singular = n <= 1 if self.lang == "fr" else n == 1
        return str(one if singular else many).format(n=self.number(n))

    def when(self, period: Period) -> str:
        from babel.dates import format_interval, format_skeleton

        if period.kind == "month":
            return str(format_skeleton("yMMMM", period.first, locale=self.lang))
        return str(format_interval(period.first, period.last, "yMMMd", locale=self.lang))

    def subject(self, d: Digest) -> str:
        your = self.w["your"][d.period.kind]
        if d.quiet:
            what = self.w["nothing"]
        else:
            campaigns = self.plural("campaigns", d.totals.campaigns)
            what = f"{campaigns}, {self.w['sent'].format(n=self.number(d.totals.sent))}"
        separator = "\u00a0: " if self.lang == "fr" else ": "
        return f"Bulletin — {your}{separator}{what}"

    def title(self, d: Digest) -> str:
        return f"{self.w['title'][d.period.kind]} — {self.when(d.period)}"

    def summary(self, totals: Totals) -> str:
        return str(self.w["summary"]).format(
            campaigns=self.plural("campaigns", totals.campaigns), sent=self.number(totals.sent)
        )

    def figure_rows(self, d: Digest) -> list[tuple[str, str, str, str]]:
        """(label, this period, period before, arrow) of the totals compared."""
        arrows, trends = self.w["arrows"], d.trends
        shown: list[tuple[str, Callable[[Any], str]]] = [
            ("campaigns", self.number),
            ("sent", self.number),
            ("bounce_rate", self.percent),
            ("complaint_rate", self.percent),
            ("unsubscribe_rate", self.percent),
        ]
        return [
            (
                self.w["labels"][name],
                write(getattr(d.totals, name)),
                write(getattr(d.previous, name)),
                arrows[trends[name]],
            )
            for name, write in shown
        ]

    def campaign_line(self, c: CampaignLine) -> str:
        return str(self.w["campaign_line"]).format(
            sent=self.number(c.sent_in_period),
            bounces=self.percent(c.bounced / c.sent if c.sent else None),
            complaints=self.number(c.complaints),
            unsubscribes=self.number(c.unsubscribes),
        )

    def contact_rows(self, d: Digest) -> list[tuple[str, str]]:
        g = d.contacts
        return [
            (self.w["new"], self.number(g.new)),
            (self.w["unsubscribed"], self.number(g.unsubscribed)),
            (self.w["bounced"], self.number(g.bounced)),
            (self.w["complained"], self.number(g.complained)),
            (self.w["subscribed_now"], self.number(g.subscribed_now)),
        ]

    def review(self, d: Digest) -> str:
        if not d.review_waiting:
            return str(self.w["no_review"])
        return self.plural("review", d.review_waiting)

    def warnings(self, d: Digest) -> list[str]:
        from editor.digest import COMPLAINT_WARNING

        out = []
        for code, rate in d.warnings:
            ceiling = COMPLAINT_WARNING if code == "complaints" else BOUNCE_CEILING
            decimals = 1 if code == "complaints" else 0
            out.append(
                str(self.w[code]).format(
                    rate=self.percent(rate), ceiling=self.percent(ceiling, decimals)
                )
            )
        return out

    def footer(self) -> str:
        return str(self.w["footer"]).format(account=self.account or "—")

    def colon(self) -> str:
        return "\u00a0: " if self.lang == "fr" else ": "

    def quiet_lines(self, d: Digest) -> list[str]:
        """A period with no campaign: one sentence, and what the period before did, if any."""
        lines = [str(self.w["quiet"][d.period.kind])]
        if d.previous.campaigns:
            before = self.w["before"][d.period.kind]
            lines.append(f"{before}{self.colon()}{self.summary(d.previous)}")
        return lines

    def text(self, d: Digest) -> str:
        """The plain-text part: sections in capitals, paragraphs wrapped at 72 characters."""

        def para(text: str, indent: str = "") -> list[str]:
            return textwrap.wrap(
                text, 72, initial_indent=indent, subsequent_indent=" " * len(indent)
            )

        lines = [self.title(d), ""]
        warnings = self.warnings(d)
        if warnings:
            lines.append(self.w["h_warnings"].upper())
            for text in warnings:
                lines += para(text, "! ")
            lines.append("")
        lines.append(self.w["h_campaigns"].upper())
        if d.quiet:
            for text in self.quiet_lines(d):
                lines += para(text)
        else:
            lines.append(self.summary(d.totals))
            for c in d.campaigns:
                lines += para(c.subject, "- ")
                lines += para(self.campaign_line(c), "  ")
            lines.append("")
            before = self.w["before"][d.period.kind]
            rows = self.figure_rows(d)
            label_width = max(len(row[0]) for row in rows)
            value_width = max(len(row[1]) for row in rows)
            for label, now, then, arrow in rows:
                lines.append(
                    f"{label:<{label_width}}  {now:>{value_width}} {arrow:1}  "
                    f"({before}{self.colon()}{then})"
                )
            lines.append("")
            note = str(self.w["figures_note"]).format(before=self.w["before_lower"][d.period.kind])
            lines += para(note)
        lines += ["", self.w["h_contacts"].upper()]
        contacts = self.contact_rows(d)
        label_width = max(len(label) for label, _v in contacts)
        value_width = max(len(value) for _l, value in contacts)
        lines += [f"{label:<{label_width}}  {value:>{value_width}}" for label, value in contacts]
        lines += ["", self.w["h_inbox"].upper(), *para(self.review(d))]
        lines += ["", "-- ", *para(self.footer())]
        return "\n".join(lines) + "\n"

    def html(self, d: Digest) -> str:
        """The HTML part: the text part's sections, as tables with inline styles."""
        e = html.escape
        cell = 'style="padding:4px 12px 4px 0;border-bottom:1px solid #e5e7eb"'
        number_cell = (
            'style="padding:4px 12px 4px 0;border-bottom:1px solid #e5e7eb;text-align:right"'
        )
        heading = 'style="font-size:17px;margin:24px 0 8px 0;color:#111827"'
        parts = [
            "<!DOCTYPE html>",
            f'<html lang="{self.lang}"><head><meta charset="utf-8">',
            '<meta name="color-scheme" content="light dark">',
            f"<title>{e(self.subject(d))}</title></head>",
            '<body style="margin:0;padding:16px;background:#ffffff;color:#1f2937;'
            'font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5">',
            '<div style="max-width:600px;margin:0 auto">',
            f'<h1 style="font-size:21px;margin:0 0 16px 0;color:#111827">{e(self.title(d))}</h1>',
        ]
        warnings = self.warnings(d)
        if warnings:
            parts.append(f"<h2 {heading}>{e(self.w['h_warnings'])}</h2>")
            for text in warnings:
                parts.append(
                    '<p style="margin:0 0 8px 0;padding:8px 12px;border-left:4px solid #b91c1c;'
                    f'background:#fef2f2;color:#7f1d1d"><strong>{e(text)}</strong></p>'
                )
        parts.append(f"<h2 {heading}>{e(self.w['h_campaigns'])}</h2>")
        if d.quiet:
            parts += [f"<p>{e(text)}</p>" for text in self.quiet_lines(d)]
        else:
            parts.append(f"<p>{e(self.summary(d.totals))}</p><ul>")
            for c in d.campaigns:
                parts.append(
                    f"<li><strong>{e(c.subject)}</strong><br>{e(self.campaign_line(c))}</li>"
                )
            parts.append("</ul>")
            before = self.w["before"][d.period.kind]
            parts.append(
                '<table role="presentation" cellspacing="0" cellpadding="0" '
                'style="border-collapse:collapse">'
                f"<tr><th {cell}></th><th {number_cell}></th>"
                f"<th {number_cell}>{e(before)}</th></tr>"
            )
            for label, now, then, arrow in self.figure_rows(d):
                parts.append(
                    f"<tr><td {cell}>{e(label)}</td><td {number_cell}>{e(now)} {e(arrow)}</td>"
                    f"<td {number_cell}>{e(then)}</td></tr>"
                )
            parts.append("</table>")
            note = str(self.w["figures_note"]).format(before=self.w["before_lower"][d.period.kind])
            parts.append(f'<p style="color:#6b7280;font-size:13px">{e(note)}</p>')
        parts.append(f"<h2 {heading}>{e(self.w['h_contacts'])}</h2>")
        parts.append(
            '<table role="presentation" cellspacing="0" cellpadding="0" '
            'style="border-collapse:collapse">'
        )
        for label, value in self.contact_rows(d):
            parts.append(f"<tr><td {cell}>{e(label)}</td><td {number_cell}>{e(value)}</td></tr>")
        parts.append("</table>")
        parts.append(f"<h2 {heading}>{e(self.w['h_inbox'])}</h2><p>{e(self.review(d))}</p>")
        parts.append(
            '<p style="color:#6b7280;font-size:13px;border-top:1px solid #e5e7eb;'
            f'padding-top:12px">{e(self.footer())}</p>'
        )
        parts.append("</div></body></html>")
        return "\n".join(parts) + "\n"
