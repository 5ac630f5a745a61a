"""Hostile contact workbooks: parts held in memory are capped by type and size, not by name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from editor.contacts import readers
from editor.contacts.readers import ImportFileError

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/{name}" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.{kind}"/></Types>'
)


def _workbook(tmp_path: Path, part: str, kind: str, size: int) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(name=part, kind=kind))
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData/></worksheet>")
        body = b"<sst>" + b"<si><t>abcdefghij</t></si>" * (size // 26) + b"</sst>"
        archive.writestr(f"xl/{part}", body)
    path = tmp_path / "contacts.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(
    ("part", "kind"),
    [
        ("sharedStrings.xml", "sharedStrings+xml"),
        ("notes.xml", "sharedStrings+xml"),  # the case: renamed, declared by type
        ("misc/blob.bin", "custom+xml"),  # any other part held whole
    ],
)
def test_big_held_parts_are_refused_whatever_their_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: str, kind: str
) -> None:
    monkeypatch.setattr(readers, "MAX_SHARED_STRINGS", 64 * 1024)
    path = _workbook(tmp_path, part, kind, 200 * 1024)
    with pytest.raises(ImportFileError, match=r"precaution|prudence"):
        readers.open_table(path).close()


def test_a_big_worksheet_part_is_not_refused_for_its_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(readers, "MAX_SHARED_STRINGS", 64 * 1024)
    path = _workbook(tmp_path, "worksheets/sheet2.xml", "worksheet+xml", 200 * 1024)
    try:
        readers.open_table(path).close()
    except ImportFileError as exc:
        assert "precaution" not in str(exc) and "prudence" not in str(exc)
