"""The import pipeline: a table (pasted, CSV, XLSX) → checked contacts → the store → a report.

Rows are streamed from the reader, checked one by one and written in batches, so a file of any
size imports in bounded memory with a live progress figure and a way to cancel between batches.
Nothing is silently dropped: every row that is not imported is either counted (duplicate,
suppressed) or listed in the report with its row number, its value and the reason.

A column mapped to ``measurement_consent`` records consent to open/click measurement
(:mod:`editor.tracking.consent`) for the contacts whose cell says yes, once every contact is
written, in one transaction, with a proof naming the file, the column and the day. An import
never takes consent away, never gives it back to someone who withdrew it (as it never
resubscribes), and keeps the date and proof of a consent already recorded. A cell that is
neither yes nor no is listed in the report; its contact is imported all the same.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from editor.atomic import write_atomic
from editor.contacts.batch import Batch, key_of
from editor.contacts.bulk import PAUSE_EVERY
from editor.contacts.emails import check_email
from editor.contacts.mapping import (
    MEASUREMENT_CONSENT,
    consent_answer,
    field_name,
    guess_mapping,
    header_key,
    is_generated_header,
    parse_target,
    split_full_name,
    target_spec,
)
from editor.contacts.privacy import defuse, sensitive_field_warnings, undefuse
from editor.contacts.readers import Table, WideRow
from editor.contacts.store import BASES, Basis, BulkWriter, ContactStore, UpsertResult
from editor.i18n import _, ngettext, pgettext
from editor.tracking.consent import give_ids

BATCH = 20_000  # rows a transaction: SQLite commits one while Python reads the next
MAX_NAME = 200  # characters: longer is not a name but a pasted paragraph
MAX_FIELD = 2_000
EXPORT_ONLY_HEADERS = frozenset(
    # Columns our own export adds: describing the contact's state, not data to import back.
    {
        "statut",
        "status",
        "base legale",
        "lawful basis",
        "source",
        "date de la base",
        "basis date",
        "preuve",
        "proof",
        "listes",
        "lists",
        "cree le",
        "created",
        "modifie le",
        "updated",
        "derniere activite",
        "last activity",
    }
)


Checked = tuple[str, str, str, dict[str, str]]  # email, first name, last name, custom fields


class ImportRefused(ValueError):
    """An import that cannot start (no email column, no lawful basis), for the user."""


@dataclass(frozen=True)
class Rejected:
    row: int
    value: str
    reason: str


@dataclass(frozen=True)
class ColumnUse:
    """What one column of the source became (nothing is dropped without being said)."""

    column: int  # 1-based, as the user counts columns
    header: str
    target: str  # a mapping target: email, first_name…, field:<name>, ignore

    def label(self) -> str:
        """« Colonne 2 → prénom », in the user's language."""
        name = field_name(self.target)
        if name is not None:
            what = _('field "{name}"').format(name=name)
        else:
            what = target_words(self.target)
        return f"{self.header} → {what}"


def target_words(target: str) -> str:
    """A built-in target in words, for reports."""
    words = {
        "email": _("email address"),
        "first_name": _("first name"),
        "last_name": _("last name"),
        "full_name": _("full name (split)"),
        MEASUREMENT_CONSENT: _("consent to open/click measurement"),
        "ignore": _("not imported"),
    }
    return words.get(target, target)


@dataclass
class ImportReport:
    """What an import did. ``to_json`` is the CLI's ``--json`` contract (``columns`` added
    to the first version's keys: what each column became; then the ``measurement_consent*``
    keys, 0 and [] when no column holds that consent)."""

    added: int = 0
    updated: int = 0
    duplicates: int = 0
    suppressed: int = 0
    invalid: list[Rejected] = field(default_factory=list)
    suppressed_emails: list[str] = field(default_factory=list)
    rows: int = 0
    cancelled: bool = False
    warnings: list[str] = field(default_factory=list)
    columns: list[ColumnUse] = field(default_factory=list)
    consents: int = 0  # consents to measurement recorded by this import
    consents_kept: int = 0  # already recorded: their date and proof kept
    consents_withdrawn: int = 0  # withdrawn earlier: an import does not give them back
    consent_invalid: list[Rejected] = field(default_factory=list)  # neither yes nor no

    @property
    def has_consent_column(self) -> bool:
        """Whether a column was read as consent to measurement (the report then speaks of it)."""
        return any(use.target == MEASUREMENT_CONSENT for use in self.columns)

    def to_json(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "suppressed": self.suppressed,
            "invalid": [{"row": r.row, "value": r.value, "reason": r.reason} for r in self.invalid],
            "columns": [
                {"column": c.column, "header": c.header, "field": target_spec(c.target)}
                for c in self.columns
            ],
            "measurement_consents": self.consents,
            "measurement_consents_kept": self.consents_kept,
            "measurement_consents_withdrawn": self.consents_withdrawn,
            "measurement_consent_invalid": [
                {"row": r.row, "value": r.value, "reason": r.reason} for r in self.consent_invalid
            ],
        }

    def summary(self) -> str:
        parts = [
            ngettext("{n} added", "{n} added", self.added).format(n=self.added),
            ngettext("{n} updated", "{n} updated", self.updated).format(n=self.updated),
            ngettext("{n} duplicate", "{n} duplicates", self.duplicates).format(n=self.duplicates),
            ngettext(
                "{n} unsubscribed or erased skipped",
                "{n} unsubscribed or erased skipped",
                self.suppressed,
            ).format(n=self.suppressed),
            ngettext("{n} row rejected", "{n} rows rejected", len(self.invalid)).format(
                n=len(self.invalid)
            ),
        ]
        text = ", ".join(parts) + "."
        if self.has_consent_column:
            text += " " + self.consent_summary()
        if self.cancelled:
            text += " " + _("Import cancelled: the rows read before cancelling were imported.")
        return text

    def consent_summary(self) -> str:
        """« 12 consents to measurement recorded (3 already recorded, kept). »"""
        text = ngettext(
            "{n} consent to open/click measurement recorded",
            "{n} consents to open/click measurement recorded",
            self.consents,
        ).format(n=self.consents)
        details = []
        if self.consents_kept:
            details.append(
                ngettext(
                    "{n} already recorded, kept as it was",
                    "{n} already recorded, kept as they were",
                    self.consents_kept,
                ).format(n=self.consents_kept)
            )
        if self.consents_withdrawn:
            details.append(
                ngettext(
                    "{n} withdrawn earlier, not given back by an import",
                    "{n} withdrawn earlier, not given back by an import",
                    self.consents_withdrawn,
                ).format(n=self.consents_withdrawn)
            )
        if self.consent_invalid:
            details.append(
                ngettext(
                    "{n} answer neither yes nor no, not recorded",
                    "{n} answers neither yes nor no, not recorded",
                    len(self.consent_invalid),
                ).format(n=len(self.consent_invalid))
            )
        return text + (f" ({'; '.join(details)})" if details else "") + "."

    def to_csv(self) -> bytes:
        """The report as a spreadsheet: the counts, then every rejected row (UTF-8, BOM)."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([_("Result"), _("Count")])
        for label, value in (
            (_("Added"), self.added),
            (pgettext("editor.contacts.importer.ImportReport.to_csv", "Updated"), self.updated),
            (_("Duplicates"), self.duplicates),
            (
                _("Unsubscribed or erased skipped"),
                self.suppressed,
            ),
            (_("Rejected rows"), len(self.invalid)),
        ):
            writer.writerow([label, value])
        if self.has_consent_column:
            writer.writerow([_("Consents to open/click measurement recorded"), self.consents])
        if self.columns:
            writer.writerow([])
            writer.writerow([_("Column"), _("Header"), _("Became")])
            for use in self.columns:
                became = field_name(use.target)
                shown = became if became is not None else target_words(use.target)
                writer.writerow([use.column, defuse(use.header), defuse(shown)])
        writer.writerow([])
        writer.writerow([_("Row"), _("Value"), _("Reason")])
        for rejected in self.invalid:
            writer.writerow([rejected.row, defuse(rejected.value), rejected.reason])
        if self.consent_invalid:
            writer.writerow([])
            writer.writerow([_("Row"), _("Consent to measurement"), _("Why it was not recorded")])
            for rejected in self.consent_invalid:
                writer.writerow([rejected.row, defuse(rejected.value), rejected.reason])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def write_csv(self, path: Path) -> None:
        write_atomic(path, self.to_csv())


def is_own_export(headers: Sequence[str]) -> bool:
    """Whether a table is one of our exports (its state columns are there), read back in."""
    return sum(header_key(h) in EXPORT_ONLY_HEADERS for h in headers) >= 4


def suggest_mapping(table: Table) -> list[str]:
    """The column mapping to propose: guessed, with our own export's state columns ignored."""
    targets = guess_mapping(table.headers, table.preview(50))
    if not is_own_export(table.headers):
        return targets  # a « Source » column in the user's file is the user's data
    return [
        "ignore" if header_key(h) in EXPORT_ONLY_HEADERS and target.startswith("field:") else target
        for h, target in zip(table.headers, targets, strict=True)
    ]


def override_mapping(
    headers: Sequence[str], mapping: Sequence[str], choices: Sequence[tuple[str, str]]
) -> list[str]:
    """``mapping`` with the user's choices applied: (column, field) pairs as ``--map`` gives
    them, the column a header name (any case and spacing) or a 1-based position.

    A column the user gives a name or an address to takes it from the column guessed for it,
    which is then left out (the report says so). A column or a name/address chosen twice,
    or an unknown column, raises :class:`ImportRefused` with one sentence saying which.
    """
    targets = list(mapping)
    chosen: dict[int, str] = {}
    for column, spec in choices:
        index = _column_index(headers, column)
        target = parse_target(spec)
        if target is None:
            raise ImportRefused(
                _("--map {column}=: give a field after the = sign.").format(column=column)
            )
        if index in chosen:
            raise ImportRefused(
                _('The column "{headers}" is given twice with --map.').format(
                    headers=headers[index]
                )
            )
        if target != "ignore" and target in chosen.values():
            shown = target_spec(target)
            raise ImportRefused(
                _('Two columns are mapped to "{shown}" with --map: keep only one.').format(
                    shown=shown
                )
            )
        chosen[index] = target
    for index, target in chosen.items():
        for other, guessed in enumerate(targets):
            if other not in chosen and guessed == target and target != "ignore":
                targets[other] = "ignore"
        targets[index] = target
    return targets


def _column_index(headers: Sequence[str], column: str) -> int:
    """The 0-based index of a column named by header (exactly, else loosely) or position."""
    text = " ".join(column.split())
    for match in (
        lambda h: h == text,
        lambda h: h.casefold() == text.casefold(),
        lambda h: header_key(h) == header_key(text) and bool(header_key(text)),
    ):
        found = [i for i, header in enumerate(headers) if match(header)]
        if len(found) == 1:
            return found[0]
    if text.isdigit() and 1 <= int(text) <= len(headers):
        return int(text) - 1
    if is_generated_header(text) and text.split()[-1].isdigit():
        number = int(text.split()[-1])  # « Column 3 » in either language
        if 1 <= number <= len(headers):
            return number - 1
    listed = ", ".join(
        _('{number} "{header}"').format(number=i, header=h) for i, h in enumerate(headers, 1)
    )
    raise ImportRefused(
        _('There is no column "{column}": give a header or a column number ({listed}).').format(
            column=column, listed=listed
        )
    )


def run_import(
    store: ContactStore,
    table: Table,
    mapping: Sequence[str],
    *,
    list_name: str | None,
    basis: Basis | None,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    source_name: str | None = None,
) -> ImportReport:
    """Import every row of ``table`` as ``mapping`` says, into ``list_name``, on ``basis``.

    ``progress`` gets 0..1 after each batch; ``cancelled`` is asked between batches.
    ``source_name``: the file's name, for the proof of consents to measurement (None for
    pasted text).
    """
    if basis is None or basis.kind not in BASES:
        raise ImportRefused(
            _(
                "Give the lawful basis of these contacts (consent, existing "
                "customer or professional): without one the law forbids emailing "
                "them."
            )
        )
    if len(mapping) != len(table.headers):
        raise ImportRefused(_("The column mapping is incomplete."))
    if "email" not in mapping:
        raise ImportRefused(_("No column is mapped to the email address: choose one."))
    mapped = [target for target in mapping if target != "ignore"]
    twice = next((target for target in mapped if mapped.count(target) > 1), None)
    if twice is not None:
        # the wizard prevents it; a script calling this may not
        shown = field_name(twice) or twice
        raise ImportRefused(
            _('Two columns are mapped to "{shown}": keep only one.').format(shown=shown)
        )
    report = ImportReport()
    report.columns = [
        ColumnUse(i, header, target)
        for i, (header, target) in enumerate(zip(table.headers, mapping, strict=True), 1)
    ]
    fields = [name for target in mapping if (name := field_name(target))]
    report.warnings = sensitive_field_warnings(fields)
    list_id = store.list_id(list_name, create=True) if list_name else None
    own_export = is_own_export(table.headers)
    builder = (
        _ConsentRowBuilder(mapping, own_export=own_export)
        if MEASUREMENT_CONSENT in mapping
        else _RowBuilder(mapping, own_export=own_export)
    )
    batch = Batch(later_wins=False)
    flushed: set[int] = set()  # 64-bit digests of addresses already written (bounded memory)
    late = Batch(later_wins=False)  # repeats of addresses already written, merged

    # Each batch's counts, known once the writer has decided about it (while this thread reads
    # the next batch); all known when the writer's block is left without an error.
    decided: list[Future[UpsertResult]] = []
    with BulkWriter(store, list_id=list_id, basis=basis) as writer:
        for number, cells in table.rows():
            report.rows += 1
            if not report.rows % PAUSE_EVERY:
                writer.let_writer_run()
            contact = builder.build(number, cells, report)
            if contact is None:
                continue
            key = key_of(contact[0])
            if key in batch.rows:
                batch.add_trimmed(*contact, key)
                report.duplicates += 1
            elif _digest(key) in flushed:
                # merged into the contact written earlier (blanks only), not counted twice
                late.add_trimmed(*contact, key)
                report.duplicates += 1
            else:
                batch.add_trimmed(*contact, key)
            if len(batch.rows) >= BATCH:
                decided.append(writer.submit(batch))
                flushed.update(map(_digest, batch.rows))
                batch = Batch(later_wins=False)
                if progress is not None:
                    progress(table.progress())
                if cancelled is not None and cancelled():
                    report.cancelled = True
                    break
        decided.append(writer.submit(batch))
    for result in (future.result() for future in decided):
        report.added += result.added
        report.updated += result.updated
        report.suppressed += len(result.suppressed)
        report.suppressed_emails.extend(result.suppressed)
    for part in late.split(BATCH):  # already counted as duplicates
        store.upsert_batch(part, list_id=list_id, basis=basis, fill_blanks=True)
    if isinstance(builder, _ConsentRowBuilder) and builder.consenting:
        header = table.headers[mapping.index(MEASUREMENT_CONSENT)]
        _record_consents(store, builder.consenting, report, consent_proof(source_name, header))
    if progress is not None:
        progress(1.0)
    return report


class _RowBuilder:
    """Turns one row's cells into a checked contact (email, first name, last name, custom
    fields), or records why not."""

    def __init__(self, mapping: Sequence[str], *, own_export: bool = False) -> None:
        # Our exports put a ' before formula signs; a user's file means what it says.
        self.undefuse = _undefuse_trimmed if own_export else _same
        self.email = mapping.index("email")
        self.first = _index(mapping, "first_name")
        self.last = _index(mapping, "last_name")
        self.full = _index(mapping, "full_name")
        self.fields = [
            (i, name) for i, target in enumerate(mapping) if (name := field_name(target))
        ]
        # Resolved once: the labels are asked for on every row.
        self.first_label, self.last_label = _("first name"), _("last name")

    def build(self, number: int, cells: list[str], report: ImportReport) -> Checked | None:
        raw = cells[self.email]
        if not raw and not any(cells):
            return None
        if isinstance(cells, WideRow):
            report.invalid.append(Rejected(number, _shown(raw), _too_wide(cells.width, len(cells))))
            return None
        email, reason = check_email(raw)
        if email is None:
            report.invalid.append(Rejected(number, _shown(raw), reason))
            return None
        first = self.undefuse(cells[self.first]) if self.first is not None else ""
        last = self.undefuse(cells[self.last]) if self.last is not None else ""
        if self.full is not None and not (first or last):
            first, last = split_full_name(self.undefuse(cells[self.full]))
        for value, what in ((first, self.first_label), (last, self.last_label)):
            if len(value) > MAX_NAME:
                report.invalid.append(Rejected(number, _shown(value), _too_long(what, len(value))))
                return None
        extra: dict[str, str] = {}
        for i, name in self.fields:
            value = cells[i]
            if not value:
                continue
            if value[0] == "'":
                value = self.undefuse(value)
                if not value:
                    continue
            if len(value) > MAX_FIELD:
                report.invalid.append(Rejected(number, _shown(value), _too_long(name, len(value))))
                return None
            extra[name] = value
        return email, first, last, extra


class _ConsentRowBuilder(_RowBuilder):
    """A :class:`_RowBuilder` that also reads the consent to measurement column: the rows
    saying yes are kept (their addresses), the others neither yes nor no are reported. Its own
    class, so an import without that column runs exactly the code it ran before."""

    def __init__(self, mapping: Sequence[str], *, own_export: bool = False) -> None:
        super().__init__(mapping, own_export=own_export)
        self.consent = mapping.index(MEASUREMENT_CONSENT)
        self.consenting: list[str] = []  # addresses of built contacts whose cell says yes
        self.unreadable = _(
            "neither yes nor no: consent to measurement not recorded (the contact is imported)"
        )

    def build(self, number: int, cells: list[str], report: ImportReport) -> Checked | None:
        contact = super().build(number, cells, report)
        if contact is None:  # a rejected row: its consent is never recorded
            return None
        value = cells[self.consent]
        if value:
            answer = consent_answer(value)
            if answer:
                self.consenting.append(contact[0])
            elif answer is None:
                report.consent_invalid.append(Rejected(number, _shown(value), self.unreadable))
        return contact


MAX_PROOF_NAME = 200  # characters of the file name and the header in a consent's proof


def consent_proof(source_name: str | None, header: str, day: date | None = None) -> str:
    """Where imported consents come from, in the user's language: « Import of clients.csv,
    column "Consentement mesure", 2026-12-06 » (within :data:`consent.MAX_PROOF`)."""
    when = (day or date.today()).isoformat()
    column = _clip(" ".join(header.split()))
    if source_name:
        return _('Import of {file}, column "{header}", {date}').format(
            file=_clip(source_name), header=column, date=when
        )
    return _('Import of pasted text, column "{header}", {date}').format(header=column, date=when)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_PROOF_NAME else text[: MAX_PROOF_NAME - 1] + "…"


# The contacts an import wants consent for, with their consent state (JSON in, one query).
_CONSENT_STATE = (
    "SELECT c.id, t.contact_id IS NOT NULL, t.withdrawn_at IS NOT NULL FROM contacts c"
    " LEFT JOIN tracking_consent t ON t.contact_id = c.id"
    " WHERE c.email_key IN (SELECT value FROM json_each(?)) AND c.status = 'subscribed'"
)


def _record_consents(
    store: ContactStore, emails: Sequence[str], report: ImportReport, proof: str
) -> None:
    """Record consent for these imported addresses, in one transaction: not for a suppressed
    one (the import did not write it), never over a withdrawal, never over an earlier record
    (its date and proof are the better evidence)."""
    keys = {key_of(email) for email in emails} - {key_of(e) for e in report.suppressed_emails}
    if not keys:
        return
    with store.db.transaction() as conn:
        new: list[int] = []
        for contact_id, recorded, withdrawn in conn.execute(
            _CONSENT_STATE, (json.dumps(sorted(keys), ensure_ascii=False),)
        ):
            if withdrawn:
                report.consents_withdrawn += 1
            elif recorded:
                report.consents_kept += 1
            else:
                new.append(int(contact_id))
        report.consents = give_ids(store.db, new, proof=proof, source=_("import"))


def _undefuse_trimmed(value: str) -> str:
    """:func:`undefuse`, trimmed again: « '\t… » loses its quote, then its tab."""
    return undefuse(value).strip()


def _same(value: str) -> str:
    return value


def _index(mapping: Sequence[str], target: str) -> int | None:
    return mapping.index(target) if target in mapping else None


def _digest(key: str) -> int:
    """64 bits stand for an address already written (a collision costs one merged row)."""
    return hash(key)


def _shown(value: str) -> str:
    """The value as the report shows it: cut to 200 characters, control characters escaped."""
    shown = value if len(value) <= 200 else value[:200] + "…"
    return shown.replace("\x00", "\\0")


def _too_long(what: str, length: int) -> str:
    return _("{what} too long ({length} characters)").format(what=what, length=length)


def _too_wide(cells: int, columns: int) -> str:
    return _(
        "{cells} cells for {columns} columns: a value probably holds the "
        "separator without quotes, which shifts the cells after it"
    ).format(cells=cells, columns=columns)
