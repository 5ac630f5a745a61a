"""Export contacts to CSV or XLSX, safe to open in a spreadsheet.

CSV: UTF-8 with a BOM (so Excel shows accents), ``;`` for French users (what French Excel
expects) and ``,`` otherwise, every cell that a spreadsheet would run as a formula prefixed
with ``'`` (CSV injection). XLSX: every cell written as a string, so nothing is ever evaluated.
Both stream the contacts and write atomically.

The last column says whether the contact currently consents to open/click measurement
(« oui »/« non », "yes"/"no"): its header is one the import recognises, so exporting then
importing elsewhere keeps that consent. It comes after the custom fields, so every column an
earlier export had keeps its place.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as _ILLEGAL_XML

from editor.atomic import atomic_binary, atomic_text
from editor.contacts.privacy import defuse
from editor.contacts.store import Contact, ContactStore
from editor.i18n import _, language, pgettext
from editor.tracking.consent import consenting_ids


class ExportError(ValueError):
    """An export that cannot be written, for the user."""


def headers(fields: list[str]) -> list[str]:
    """Column titles, in the user's language; custom fields keep their own names."""
    return [
        _("Email"),
        _("First name"),
        _("Last name"),
        _("Status"),
        _("Lawful basis"),
        _("Source"),
        _("Basis date"),
        _("Proof"),
        _("Lists"),
        _("Created"),
        _("Updated"),
        *fields,
        _("Measurement consent"),
    ]


def rows(store: ContactStore, list_id: int | None) -> Iterator[list[str]]:
    fields = store.known_fields()
    yield headers(fields)
    consenting = consenting_ids(store.db)
    answers = (
        pgettext("editor.contacts.export", "no"),
        pgettext("editor.contacts.export", "yes"),
    )
    for contact in store.iter_contacts(list_id):
        yield [*_row(contact, fields), answers[contact.id in consenting]]


def _row(contact: Contact, fields: list[str]) -> list[str]:
    return [
        contact.email,
        contact.first_name,
        contact.last_name,
        contact.status,
        contact.basis or "",
        contact.basis_source,
        contact.basis_date or "",
        contact.basis_proof,
        ", ".join(contact.lists),
        contact.created_at,
        contact.updated_at,
        *(contact.fields.get(name, "") for name in fields),
    ]


def export_contacts(store: ContactStore, path: Path, list_name: str | None = None) -> int:
    """Write the contacts of ``list_name`` (all when None) to ``path`` (.csv or .xlsx)."""
    list_id = None
    if list_name is not None:
        list_id = store.list_id(list_name)
        if list_id is None:
            raise ExportError(
                _('The list "{list_name}" does not exist.').format(list_name=list_name)
            )
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ExportError(_("Export to a .csv or .xlsx file."))
    if suffix == ".csv":
        with atomic_text(path, encoding="utf-8-sig", newline="") as text:
            return _write_csv(store, list_id, text)
    with atomic_binary(path) as binary:
        return _write_xlsx(store, list_id, binary)


def _write_csv(store: ContactStore, list_id: int | None, handle: IO[str]) -> int:
    delimiter = ";" if language() == "fr" else ","
    count = -1
    writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
    for row in rows(store, list_id):
        writer.writerow([defuse(cell) for cell in row])
        count += 1
    return count


def _write_xlsx(store: ContactStore, list_id: int | None, handle: IO[bytes]) -> int:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Contacts"))
    count = -1
    for row in rows(store, list_id):
        cells = []
        for value in row:
            if _ILLEGAL_XML.search(value):
                value = _ILLEGAL_XML.sub("", value)  # XML cannot hold them: openpyxl would fail
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # text, even when it starts with "=": never a formula
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(handle)
    return count
