"""Who receives a campaign, and who is left out and why.

The audience of a campaign is every contact in the chosen lists, each counted once. A contact is
left out (a ``skipped`` delivery with the reason, so the report shows it) when it has no lawful
basis, is unsubscribed, bounced or complained, is in the suppression list, or has an address
that is not valid; a contact in several of the chosen lists receives one message and each
further membership is a ``duplicate`` skip. The store already keeps "subscribed" and "not
suppressed" in step; both are checked anyway, because a wrong message is the one mistake a
newsletter tool cannot take back.

Merge tags the document uses that no contact can fill block the send: the same structured
:class:`~editor.findings.Finding` (``merge.unknown_field``) the composer shows.

Everything streams: the contacts are read in pages, so 100,000 recipients never sit in memory.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from editor.contacts.db import Database
from editor.contacts.emails import validate_address
from editor.contacts.keys import email_key, fold
from editor.contacts.model import ContactError
from editor.contacts.suppression import Suppression
from editor.findings import MERGE_UNKNOWN_FIELD, Finding, Severity
from editor.i18n import N_, _

#: Why a contact does not receive the campaign, in the order the summary lists them.
SKIP_REASONS: tuple[str, ...] = (
    "no_basis",
    "unsubscribed",
    "bounced",
    "complained",
    "suppressed",
    "invalid",
    "duplicate",
)
_REASON_LABELS: dict[str, str] = {
    "no_basis": N_("no lawful basis"),
    "unsubscribed": N_("unsubscribed"),
    "bounced": N_("bounced"),
    "complained": N_("complained (spam report)"),
    "suppressed": N_("in the suppression list"),
    "invalid": N_("invalid address"),
    "duplicate": N_("already in another chosen list"),
}
BUILTIN_FIELDS = frozenset({"first_name", "last_name", "email"})
PAGE = 1000


def reason_label(reason: str) -> str:
    """A skip reason in the UI language."""
    return _(_REASON_LABELS[reason]) if reason in _REASON_LABELS else reason


@dataclass(frozen=True, slots=True)
class AudienceRow:
    """One membership of the audience: ``skip_reason`` is "" for a recipient."""

    contact_id: int
    email: str
    first_name: str
    last_name: str
    fields: dict[str, str]
    skip_reason: str = ""

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def merge_json(self) -> str:
        """The merge values snapshot kept with the delivery."""
        return json.dumps(
            {"first_name": self.first_name, "last_name": self.last_name, "fields": self.fields},
            ensure_ascii=False,
            separators=(",", ":"),
        )


@dataclass(slots=True)
class AudienceSummary:
    """How many receive a campaign and how many are skipped, per reason.

    ``findings`` holds what blocks the send (unknown merge tags); ``lists`` the list names as
    stored. :attr:`blocked` is True when the send must not start.
    """

    recipients: int = 0
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SKIP_REASONS, 0))
    findings: list[Finding] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def blocked(self) -> bool:
        return any(f.severity == Severity.ERROR for f in self.findings)

    def lines(self) -> list[str]:
        """The summary as sentences for a terminal or a dialog."""
        from editor.i18n import ngettext

        out = [
            ngettext(
                "{n} person will receive it.", "{n} people will receive it.", self.recipients
            ).format(n=self.recipients)
        ]
        for reason in SKIP_REASONS:
            n = self.skipped.get(reason, 0)
            if n:
                out.append(
                    ngettext("{n} skipped: {reason}.", "{n} skipped: {reason}.", n).format(
                        n=n, reason=reason_label(reason)
                    )
                )
        return out


def list_ids(conn: sqlite3.Connection, names: Sequence[str]) -> list[tuple[int, str]]:
    """``(id, stored name)`` of each named list, in the order given; ContactError for an
    unknown one (a typo must not shrink the audience silently)."""
    out: list[tuple[int, str]] = []
    for name in names:
        cleaned = " ".join(name.split())
        row = conn.execute(
            "SELECT id, name FROM lists WHERE name_key = ?", (fold(cleaned),)
        ).fetchone()
        if row is None:
            raise ContactError(_('The list "{name}" does not exist.').format(name=name))
        if all(row[0] != seen for seen, _name in out):
            out.append((int(row[0]), str(row[1])))
    return out


def iter_audience(db: Database, list_names: Sequence[str]) -> Iterator[AudienceRow]:
    """Every membership of the chosen lists, one contact after another, each with its verdict.

    Read in pages of :data:`PAGE` contacts by id, so memory stays flat for any list size.
    """
    conn = db.connection
    ids = [list_id for list_id, _name in list_ids(conn, list_names)]
    suppression = Suppression(db)
    members = json.dumps(ids)
    last = 0
    while True:
        rows = conn.execute(
            "SELECT c.id, c.email, c.first_name, c.last_name, c.fields, c.status, c.basis,"
            " (SELECT count(*) FROM memberships m WHERE m.contact_id = c.id"
            "  AND m.list_id IN (SELECT value FROM json_each(?)))"
            " FROM contacts c WHERE c.id > ? AND c.id IN (SELECT contact_id FROM memberships"
            " WHERE list_id IN (SELECT value FROM json_each(?)))"
            " ORDER BY c.id LIMIT ?",
            (members, last, members, PAGE),
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        suppressed = suppression.suppressed_keys(email_key(row[1]) for row in rows)
        for cid, email, first, last_name, fields, status, basis, count in rows:
            values = json.loads(fields) if fields and fields != "{}" else {}
            reason = ""
            if status != "subscribed":
                reason = status
            elif email_key(email) in suppressed:
                reason = "suppressed"
            elif not basis:
                reason = "no_basis"
            elif validate_address(email)[0] is None:
                reason = "invalid"
            row = AudienceRow(cid, email, first, last_name, values, reason)
            yield row
            if not reason:
                for _extra in range(count - 1):
                    yield AudienceRow(cid, email, first, last_name, values, "duplicate")


def merge_findings(used: Iterable[str], custom: Iterable[str]) -> list[Finding]:
    """An error finding per merge field the document uses that no contact provides."""
    known = BUILTIN_FIELDS | set(custom)
    return [
        Finding.of(MERGE_UNKNOWN_FIELD, tag="{{ " + name + " }}", fields=name)
        for name in sorted(set(used) - known)
    ]


def required_fields(frozen: object) -> set[str]:
    """The contact fields the frozen newsletter's messages cannot do without: those its merge
    tags read with no ``| default("…")`` (a tag with a default fills itself for a contact
    without the field). ``frozen.merge_fields()`` (every field used) when the tags cannot be
    read."""
    method = getattr(frozen, "merge_fields", None)
    used: set[str] = set(method()) if method is not None else set()
    rendered = getattr(frozen, "rendered", None)
    tags = getattr(rendered, "tags", None)
    if rendered is None or tags is None:
        return used
    from editor.merge import used_keys

    mailto = str(getattr(frozen, "unsubscribe_mailto", ""))
    text = "".join([rendered.html, rendered.text, rendered.subject, rendered.unsubscribe, mailto])
    required: set[str] = set()
    for key in used_keys(text):
        expression = tags.expressions.get(key)
        tag = getattr(expression, "tag", None)
        if tag is not None and not tag.has_default:
            required.add(str(tag.field))
    return required & used


def known_fields(db: Database) -> list[str]:
    """Custom field names used by at least one contact."""
    rows = db.connection.execute(
        "SELECT DISTINCT j.key FROM contacts c, json_each(c.fields) j WHERE c.fields <> '{}'"
    ).fetchall()
    return [str(row[0]) for row in rows]


def summarise(
    db: Database, list_names: Sequence[str], used_fields: Iterable[str] = ()
) -> AudienceSummary:
    """The summary shown before confirming a send (nothing is written)."""
    summary = AudienceSummary(
        lists=[name for _id, name in list_ids(db.connection, list_names)],
        findings=merge_findings(used_fields, known_fields(db)),
    )
    for row in iter_audience(db, list_names):
        if row.skip_reason:
            summary.skipped[row.skip_reason] = summary.skipped.get(row.skip_reason, 0) + 1
        else:
            summary.recipients += 1
    return summary
