"""Reading contact tables: realistic files, pasted cells, and hostile input."""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import struct
import time
import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.contacts import readers
from editor.contacts.readers import ImportFileError, PastedText, Table, open_table
from editor.i18n import set_language

DATA = Path(__file__).resolve().parent.parent / "data" / "contacts"


def read_all(table: Table) -> list[tuple[int, list[str]]]:
    return list(table.rows())


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def error_of(source: Path | PastedText, **kwargs: Any) -> str:
    with pytest.raises(ImportFileError) as caught:
        open_table(source, **kwargs).close()
    return str(caught.value)


# -- realistic files ---------------------------------------------------------------------------


def test_french_excel_csv_in_cp1252() -> None:
    with open_table(DATA / "clients_cp1252.csv") as table:
        assert (table.kind, table.encoding, table.delimiter) == ("csv", "cp1252", ";")
        assert (table.header_row, table.sheets, table.sheet) == (1, [], None)
        assert table.headers == [
            "Nom",
            "Prénom",
            "Adresse mail",
            "Société",
            "Ville",
            "Code postal",
            "Cotisation",
        ]
        rows = read_all(table)
    assert [n for n, _ in rows] == [2, 3, 4, 5, 6]
    assert rows[0][1][:3] == ["Lefèvre", "Élodie", "elodie.lefevre@exemple.fr"]
    assert rows[0][1][6] == "25,50"
    assert rows[1][1][3] == "Dupont; Fils & Cie"
    assert rows[2][1][:2] == ["Nœud", "Zoé"]
    assert rows[2][1][3] == "Œuvres « sociales »"
    assert rows[3][1][3] == "Café ‘Le Zinc’ – 3€"
    assert rows[4][1][2] == "megane.garcon@exemple.fr"  # spaces trimmed


def test_utf8_bom_csv_with_multiline_cell() -> None:
    with open_table(DATA / "clients_utf8_bom.csv") as table:
        assert (table.encoding, table.delimiter, table.header_row) == ("utf-8-sig", ",", 1)
        assert table.headers[0] == "Email Address"  # no BOM glued to the first header
        rows = read_all(table)
    assert [n for n, _ in rows] == [2, 3, 4]  # a multi-line cell is still one row
    assert rows[0][1][3] == "Kowalska, Nowak & Co"
    assert rows[0][1][4] == 'Met at the fair\nWants the "spring" offer'
    assert rows[1][1][3] == "北京茶馆"
    assert rows[2][1] == ["søren@example.dk", "Søren", "Kierkegaard", "", "📚 reader"]


def test_pasted_cells_from_excel() -> None:
    text = (DATA / "pasted_excel.tsv").read_bytes().decode()
    with open_table(PastedText(text)) as table:
        assert (table.kind, table.delimiter, table.encoding, table.header_row) == (
            "paste",
            "\t",
            None,
            1,
        )
        assert table.headers == ["Prénom", "Nom", "E-mail", "Adresse"]
        rows = read_all(table)
        assert table.progress() == 1.0
    assert rows == [
        (2, ["Marie", "Curie", "marie.curie@exemple.fr", "12 rue Cuvier\n75005 Paris"]),
        (
            3,
            [
                "Louis",
                "Pasteur",
                "louis.pasteur@exemple.fr",
                'Institut "Pasteur"\n25 rue du Dr Roux',
            ],
        ),
        (4, ["Ada", "Lovelace", "ada@example.org", ""]),
    ]


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_pasted_addresses_without_header(ending: str) -> None:
    text = ending.join(["jean@exemple.fr", "marie@exemple.fr", "", ""])
    with open_table(PastedText(text)) as table:
        assert table.header_row is None
        assert table.headers == ["Column 1"]
        assert read_all(table) == [(1, ["jean@exemple.fr"]), (2, ["marie@exemple.fr"])]


def test_no_header_csv() -> None:
    with open_table(DATA / "no_header.csv") as table:
        assert table.header_row is None
        assert table.headers == ["Column 1", "Column 2", "Column 3"]
        rows = read_all(table)
    assert rows[0] == (1, ["Jean", "jean.martin@exemple.fr", "Martin"])
    assert rows[-1] == (4, ["Nina", "", "Roux"])


def test_header_below_title_rows() -> None:
    with open_table(DATA / "title_rows.csv") as table:
        assert table.header_row == 4
        assert table.headers == ["Prénom", "Nom", "Courriel", "Téléphone"]
        rows = read_all(table)
    assert rows == [
        (5, ["Camille", "Roche", "camille.roche@exemple.fr", "0612345678"]),
        (7, ["Hugo", "Blanc", "hugo.blanc@exemple.fr", "+33 6 12 34 56 78"]),
    ]


def test_header_found_above_addresses_even_in_another_language(tmp_path: Path) -> None:
    data = "Mitgliederliste\n\nVorname,Nachname,E-Mail-Adresse\nAnna,Schmidt,anna@beispiel.de\n"
    with open_table(write(tmp_path, "de.csv", data.encode())) as table:
        assert table.header_row == 3
        assert table.headers == ["Vorname", "Nachname", "E-Mail-Adresse"]


def test_a_first_contact_without_address_is_data_not_a_header(tmp_path: Path) -> None:
    data = "Jean;Dupont;\nMarie;Durand;marie@exemple.fr\nPaul;Roux;paul@exemple.fr\n"
    with open_table(write(tmp_path, "sans-entete.csv", data.encode())) as table:
        assert table.header_row is None
        assert read_all(table)[0] == (1, ["Jean", "Dupont", ""])  # reported, not swallowed
    labelled = "Jean;Dupont;Courriel\nMarie;Durand;marie@exemple.fr\n"
    with open_table(write(tmp_path, "entete.csv", labelled.encode())) as table:
        assert table.header_row == 1


def test_google_contacts_export() -> None:
    with open_table(DATA / "google_contacts.csv") as table:
        assert table.header_row == 1
        assert len(table.headers) == 32
        assert table.headers[18] == "E-mail 1 - Value"
        rows = read_all(table)
    assert rows[0][1][18] == "claire@atelier-fontaine.fr"
    assert rows[0][1][24] == "3 place Bellecour\n69002 Lyon"
    assert rows[1][1][18] == "paul.durand@orange.fr"


def test_hostile_values_arrive_as_text() -> None:
    with open_table(DATA / "hostile.csv") as table:
        rows = dict(read_all(table))
    assert rows[2][1:] == ['=HYPERLINK("http://evil.example","clic")', "=1+2"]
    assert rows[3][1:] == ["+33 1 23 45 67 89", "-2+3"]
    assert rows[4][1:] == ["@SUM(A1:A2)", "=cmd|' /C calc'!A0"]
    assert rows[5][1] == "x" * 10_000  # kept whole: the pipeline decides
    assert rows[6][1:] == ["Nul", "ab"]  # NUL bytes removed
    assert rows[7][1] == "\u202eevil\u202c"
    assert rows[8][1] == "👩\u200d👩\u200d👧 famille"
    assert rows[9] == ["quote@exemple.fr", 'un "guillemet" dedans', "fin"]


# -- XLSX ----------------------------------------------------------------------------------------


def test_french_workbook() -> None:
    with open_table(DATA / "clients_fr.xlsx") as table:
        assert table.kind == "xlsx"
        assert (table.encoding, table.delimiter) == (None, None)
        assert table.sheets == ["Clients 2024", "Prospects", "Vide"]
        assert table.sheet == "Clients 2024"
        assert table.header_row == 4  # below the merged title and the date line
        assert table.headers == [
            "Civilité",
            "Prénom",
            "Nom",
            "Adresse e-mail",
            "Téléphone",
            "Date d'inscription",
            "Nom complet",
            "Montant",
            "Actif",
        ]
        rows = read_all(table)
        assert table.progress() == 1.0
    assert [n for n, _ in rows] == [5, 6, 7, 9]  # Excel's row numbers, blank row 8 skipped
    first, second, third, fourth = (cells for _, cells in rows)
    assert first == [
        "Mme",
        "Élodie",
        "Lefèvre",
        "elodie.lefevre@exemple.fr",
        "0612345678",  # typed as text: the leading zero stays
        "2023-11-02",
        "Élodie Lefèvre",  # the formula's cached value
        "12.5",
        "TRUE",
    ]
    assert second[3] == "Francois.Dupont@EXEMPLE.fr"
    assert second[5:] == ["2024-01-15 14:30", "François Dupont", "100", "FALSE"]
    assert third[4] == "612345678"  # stored as a number: Excel already lost the zero
    assert third[5] == "2024-02-29"
    assert third[7] == "0.3"  # 0.1 + 0.2, as Excel shows it
    assert fourth[2] == "Le Goff"
    assert fourth[7] == "1234567.891"


def test_choose_a_sheet() -> None:
    with open_table(DATA / "clients_fr.xlsx", sheet="prospects") as table:
        assert table.sheet == "Prospects"
        assert table.header_row == 1
        assert read_all(table) == [(2, ["prospect@exemple.fr", "Prospect"])]
    with open_table(DATA / "clients_fr.xlsx", sheet="Vide") as table:
        assert table.headers == []
        assert read_all(table) == []
        assert table.preview() == []


def test_unknown_sheet_lists_the_sheets() -> None:
    message = error_of(DATA / "clients_fr.xlsx", sheet="Clients 2025")
    assert message == (
        'The workbook has no sheet "Clients 2025". Its sheets: "Clients 2024", "Prospects", "Vide".'
    )


def test_workbook_named_csv_is_read_as_a_workbook(tmp_path: Path) -> None:
    for name in ("contacts.csv", "contacts"):
        path = tmp_path / name
        shutil.copy(DATA / "clients_fr.xlsx", path)
        with open_table(path) as table:
            assert table.kind == "xlsx"
            assert len(read_all(table)) == 4


def test_sheet_argument_ignored_for_text() -> None:
    with open_table(DATA / "no_header.csv", sheet="Feuil1") as table:
        assert table.sheet is None


def _workbook(sheet_xml: str, *, shared: tuple[str, ...] = (), sheets: str | None = None) -> bytes:
    """A workbook written the way Excel writes it: shared strings, styles, no openpyxl."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    if sheets is None:
        sheets = '<sheet name="Feuil1" sheetId="1" r:id="rId1"/>'
    strings = "".join(f"<si><t>{s}</t></si>" for s in shared)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
            'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.'
            'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
            'sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel}>'
        f"<sheets>{sheets}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="'
            'worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.'
            'org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/></Relationships>'
        ),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {ns}><numFmts count="1"><numFmt '
            'numFmtId="164" formatCode="hh:mm"/></numFmts><fonts count="1"><font/></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellXfs '
            'count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf '
            'numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>'
        ),
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst {ns}>{strings}</sst>',
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}>'
        f"{sheet_xml}</worksheet>",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_excel_written_workbook_with_wrong_dimension(tmp_path: Path) -> None:
    """Shared strings, a <dimension> that lies, sparse cells, times, errors, a cached formula."""
    sheet = (
        '<dimension ref="A1"/><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="D1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="D2" s="2"><v>0.5</v></c></row>'
        '<row r="5"><c r="A5" t="s"><v>4</v></c><c r="B5" t="e"><v>#N/A</v></c>'
        '<c r="C5" s="1"><v>45356</v></c><c r="D5"><f>1/3</f><v>0.333333333333333</v></c></row>'
        "</sheetData>"
    )
    shared = ("Courriel", "Nom", "Heure", "a@exemple.fr", "b@exemple.fr")
    path = write(tmp_path, "excel.xlsx", _workbook(sheet, shared=shared))
    with open_table(path) as table:
        assert table.headers == ["Courriel", "Nom", "Column 3", "Heure"]
        assert read_all(table) == [
            (2, ["a@exemple.fr", "", "", "12:00"]),
            (5, ["b@exemple.fr", "#N/A", "2024-03-05", "0.333333333333333"]),
        ]


def test_entity_expansion_bomb_in_workbook(tmp_path: Path) -> None:
    """A billion-laughs DTD in the shared strings: the XML parser's limits stop it at once."""
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
    )
    sheet = '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(_workbook(sheet, shared=("x",)))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/sharedStrings.xml":
                content = content.replace(b"<sst ", f"<!DOCTYPE sst [{entities}]><sst ".encode())
                content = content.replace(b"<t>x</t>", b"<t>&j;</t>")
            bomb.writestr(info.filename, content)
    start = time.perf_counter()
    message = error_of(write(tmp_path, "laughs.xlsx", buffer.getvalue()))
    assert message.startswith('The workbook "laughs.xlsx" is damaged or incomplete')
    assert time.perf_counter() - start < 5


def test_workbook_without_worksheet(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.xlsx", _workbook("<sheetData/>", sheets=""))
    assert error_of(path) == 'The workbook "empty.xlsx" holds no worksheet.'


def test_row_numbers_past_excel_limit_are_refused(tmp_path: Path) -> None:
    sheet = (
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="1048578"><c r="A1048578" t="s"><v>1</v></c></row></sheetData>'
    )
    path = write(tmp_path, "far.xlsx", _workbook(sheet, shared=("Email", "a@exemple.fr")))
    start = time.perf_counter()
    with open_table(path) as table, pytest.raises(ImportFileError, match="more rows than Excel"):
        read_all(table)
    assert time.perf_counter() - start < 30


def test_generated_sheet_streams(tmp_path: Path) -> None:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Contacts")
    ws.append(["Email", "Prénom", "Nom", "Inscription"])
    for i in range(5000):
        ws.append([f"contact{i}@exemple.fr", f"Prénom{i}", f"Nom{i}", datetime(2024, 1, 1)])
    path = tmp_path / "big.xlsx"
    wb.save(path)
    with open_table(path) as table:
        seen = []
        for number, cells in table.rows():
            if number == 2500:  # no <dimension> here: estimated from the bytes read
                assert 0.3 < table.progress() < 0.8
            seen.append((number, cells[0]))
        assert table.progress() == 1.0
    assert len(seen) == 5000
    assert seen[-1] == (5001, "contact4999@exemple.fr")


# -- calamine, and openpyxl where calamine cannot answer ---------------------------------


class _Spy:
    """calamine's workbook, recording which sheets it was asked to build."""

    built: ClassVar[list[str]] = []
    refuse: ClassVar[bool] = False

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.sheets_metadata = workbook.sheets_metadata

    @classmethod
    def from_filelike(cls, handle: Any) -> _Spy:
        if cls.refuse:
            raise AssertionError("calamine must not open this file")
        return cls(readers_calamine.from_filelike(handle))

    def get_sheet_by_name(self, name: str) -> Any:
        self.built.append(name)
        return self.workbook.get_sheet_by_name(name)

    def close(self) -> None:
        self.workbook.close()


readers_calamine = readers.CalamineWorkbook


@pytest.fixture
def calamine_spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built: list[str] = []
    monkeypatch.setattr(_Spy, "built", built)
    monkeypatch.setattr(_Spy, "refuse", False)
    monkeypatch.setattr(readers, "CalamineWorkbook", _Spy)
    return built


@pytest.fixture
def calamine_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Spy, "refuse", True)
    monkeypatch.setattr(readers, "CalamineWorkbook", _Spy)


def test_workbooks_are_read_by_calamine(openpyxl_forbidden: None) -> None:
    with open_table(DATA / "clients_fr.xlsx") as table:
        assert isinstance(table, readers._CalamineTable)
        assert len(read_all(table)) == 4


@pytest.mark.parametrize("reader", ["calamine", "openpyxl (sheet too large)", "openpyxl (error)"])
def test_both_readers_give_the_same_cells(monkeypatch: pytest.MonkeyPatch, reader: str) -> None:
    """openpyxl takes over where calamine cannot answer, and the user sees no difference."""
    if reader.startswith("openpyxl (sheet"):
        monkeypatch.setattr(readers, "MAX_GRID_CELLS", 3)
    elif reader.startswith("openpyxl (error"):
        monkeypatch.setattr(_Spy, "refuse", True)  # as calamine raising on a workbook
        monkeypatch.setattr(readers, "CalamineWorkbook", _Spy)
    expected = readers._CalamineTable if reader == "calamine" else readers._XlsxTable
    for sheet, header_row in ((None, 4), ("Prospects", 1)):
        with open_table(DATA / "clients_fr.xlsx", sheet=sheet) as table:
            assert type(table) is expected
            assert table.sheets == ["Clients 2024", "Prospects", "Vide"]
            assert table.header_row == header_row
            rows = read_all(table)
            if sheet is None:
                assert rows[0][1][4:] == [
                    "0612345678",
                    "2023-11-02",
                    "Élodie Lefèvre",
                    "12.5",
                    "TRUE",
                ]
                assert rows[1][1][5] == "2024-01-15 14:30"
                assert [n for n, _ in rows] == [5, 6, 7, 9]


def test_a_far_cell_is_streamed_by_openpyxl(tmp_path: Path, calamine_spy: list[str]) -> None:
    """calamine would build a grid from A1 to XFD900000 (15 billion cells) and abort the
    process: the sheet's XML says so first, and openpyxl streams the sheet instead."""
    sheet = (
        '<dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>1</v></c></row>'
        '<row r="900000"><c r="XFD900000" t="s"><v>2</v></c></row></sheetData>'
    )
    path = write(tmp_path, "far.xlsx", _workbook(sheet, shared=("Email", "a@x.fr", "z")))
    with open_table(path) as table:
        assert isinstance(table, readers._XlsxTable)
        assert table.headers == ["Email"]
        rows = read_all(table)
    assert rows[0] == (2, ["a@x.fr"])
    assert rows[1][0] == 900000 and isinstance(rows[1][1], readers.WideRow)
    assert calamine_spy == []  # the workbook was opened, the sheet never built


def test_grid_bound_counts_cells_without_references(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows and cells without ``r`` follow the previous one: they count too (at worst, every
    such cell in one row)."""
    monkeypatch.setattr(readers, "MAX_GRID_CELLS", 100)
    cells = "".join(f"<c><v>{i}</v></c>" for i in range(12))
    sheet = "<sheetData>" + f"<row>{cells}</row>" * 10 + "</sheetData>"
    with open_table(write(tmp_path, "refless.xlsx", _workbook(sheet))) as table:
        assert isinstance(table, readers._XlsxTable)
        assert len(read_all(table)) == 10
    monkeypatch.setattr(readers, "MAX_GRID_CELLS", 10 * 120)
    with open_table(write(tmp_path, "refless.xlsx", _workbook(sheet))) as table:
        assert isinstance(table, readers._CalamineTable)
        assert read_all(table)[-1] == (10, [str(i) for i in range(12)])


def test_the_sheet_excel_opens_on(tmp_path: Path, calamine_spy: list[str]) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.append(["Email"])
    first.append(["a@x.fr"])
    second = workbook.create_sheet("Adhérents & amis")
    second.append(["Courriel", "Nom"])
    second.append(["b@x.fr", "B"])
    workbook.active = 1
    path = tmp_path / "two.xlsx"
    workbook.save(path)
    with open_table(path) as table:
        assert table.sheet == "Adhérents & amis"
        assert read_all(table) == [(2, ["b@x.fr", "B"])]
    assert calamine_spy == ["Adhérents & amis"]  # only the sheet read is built


def test_sheet_starting_away_from_a1(tmp_path: Path) -> None:
    sheet = (
        '<sheetData><row r="3"><c r="C3" t="s"><v>0</v></c><c r="D3" t="s"><v>1</v></c></row>'
        '<row r="4"><c r="C4" t="s"><v>2</v></c><c r="D4"><v>612345678</v></c></row></sheetData>'
    )
    path = write(tmp_path, "offset.xlsx", _workbook(sheet, shared=("Email", "Tel", "a@x.fr")))
    with open_table(path) as table:
        assert isinstance(table, readers._CalamineTable)
        assert (table.header_row, table.headers) == (3, ["Column 1", "Column 2", "Email", "Tel"])
        assert read_all(table) == [(4, ["", "", "a@x.fr", "612345678"])]


# -- OpenDocument (LibreOffice) ------------------------------------------------------------------

ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods(tables: str, manifest: bytes = b"<manifest/>") -> bytes:
    """A minimal ODS: mimetype first, the sheets in content.xml, a manifest."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS}>'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    ).encode()
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": content,
            "META-INF/manifest.xml": manifest,
        }
    )


def _text(value: str, attributes: str = "") -> str:
    return (
        f'<table:table-cell office:value-type="string"{attributes}><text:p>{value}</text:p>'
        "</table:table-cell>"
    )


def test_libreoffice_spreadsheet(openpyxl_forbidden: None) -> None:
    with open_table(DATA / "membres.ods") as table:
        assert (table.kind, table.encoding, table.delimiter) == ("ods", None, None)
        assert table.sheets == ["Bureau", "Membres"]
        assert table.sheet == "Membres"  # the sheet LibreOffice opens on
        assert table.header_row == 3
        assert table.headers == [
            "Prénom",
            "Nom",
            "Courriel",
            "Téléphone",
            "Adhésion",
            "Cotisation",
            "Actif",
            "Code postal",
        ]
        rows = read_all(table)
        assert table.progress() == 1.0
    assert rows == [
        (
            4,
            [
                "Élodie",
                "Lefèvre",
                "elodie.lefevre@exemple.fr",
                "0612345678",
                "2024-03-05",
                "25.5",  # a formula: the value LibreOffice computed
                "TRUE",
                "75001",
            ],
        ),
        (
            5,
            [
                "Jean",
                "Dupont",
                "jean.dupont@exemple.fr",
                "612345678",
                "2024-01-15 14:30",
                "0.2",
                "FALSE",
                "01000",
            ],
        ),
        (7, ["Martin", "Martin", "martin@exemple.fr", "", "", "", "", ""]),  # a repeated cell
    ]
    with open_table(DATA / "membres.ods", sheet="bureau") as table:
        assert table.sheet == "Bureau"
        assert read_all(table) == [(2, ["president@exemple.fr", "Président"])]
    assert error_of(DATA / "membres.ods", sheet="X") == (
        'The workbook has no sheet "X". Its sheets: "Bureau", "Membres".'
    )


def test_password_protected_ods(tmp_path: Path) -> None:
    manifest = b"<manifest><file-entry><encryption-data/></file-entry></manifest>"
    data = _ods(
        f'<table:table table:name="A"><table:table-row>{_text("x")}</table:table-row>'
        "</table:table>",
        manifest,
    )
    assert error_of(write(tmp_path, "secret.ods", data)).startswith(
        'The workbook "secret.ods" is password-protected: save it without a password in LibreOffice'
    )


@pytest.mark.parametrize(
    "table",
    [
        # one row, its value repeated across the sheet, the row repeated a million times
        '<table:table table:name="A"><table:table-row table:number-rows-repeated="1000000">'
        + _text("x", ' table:number-columns-repeated="16384"')
        + "</table:table-row></table:table>",
        # empty rows to the edge, then one value far right: calamine fills the gap
        '<table:table table:name="A"><table:table-row>' + _text("x") + "</table:table-row>"
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/>'
        "</table:table-row>"
        '<table:table-row><table:table-cell table:number-columns-repeated="16000"/>'
        + _text("y")
        + "</table:table-row></table:table>",
    ],
)
def test_ods_grid_bombs_are_refused_before_calamine(
    tmp_path: Path, table: str, calamine_forbidden: None
) -> None:
    data = _ods(table)
    assert len(data) < 5000
    message = error_of(write(tmp_path, "bomb.ods", data))
    assert message.startswith('"bomb.ods" is too large to be read in memory (over 3,000,000 cells)')


def test_ods_repeated_empty_cells_cost_nothing(tmp_path: Path) -> None:
    table = (
        '<table:table table:name="A"><table:table-row>'
        + _text("Email")
        + '<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="2">'
        + _text("a@x.fr")
        + '<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1048573"><table:table-cell '
        'table:number-columns-repeated="16384"/></table:table-row></table:table>'
    )
    with open_table(write(tmp_path, "edge.ods", _ods(table))) as table_:
        assert table_.headers == ["Email"]
        assert read_all(table_) == [(2, ["a@x.fr"]), (3, ["a@x.fr"])]


# -- hostile files -----------------------------------------------------------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (PNG, "an image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "a PDF document"),
        (b"\x1f\x8b\x08\x00" + bytes(100), "a compressed archive"),
        (bytes(range(256)) * 40, "a binary file"),
        (b"\x7fELF\x02\x01\x01" + bytes(500), "a program"),
    ],
)
def test_binary_files_are_not_tables(tmp_path: Path, data: bytes, what: str) -> None:
    message = error_of(write(tmp_path, "contacts.csv", data))
    assert (
        message == f'"contacts.csv" is not a text table (CSV) nor an Excel workbook: it is {what}.'
    )


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n  \n", b"\xef\xbb\xbf"])
def test_empty_files(tmp_path: Path, data: bytes) -> None:
    assert error_of(write(tmp_path, "vide.csv", data)) == 'The file "vide.csv" is empty.'


def test_empty_paste() -> None:
    assert error_of(PastedText("\r\n \t\r\n")) == "The pasted text is empty."


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert error_of(tmp_path / "absent.csv").startswith('Cannot open "absent.csv"')
    assert error_of(tmp_path).startswith(f'Cannot open "{tmp_path.name}"')


def test_truncated_workbook(tmp_path: Path) -> None:
    data = (DATA / "clients_fr.xlsx").read_bytes()
    message = error_of(write(tmp_path, "cut.xlsx", data[: len(data) // 2]))
    assert message.startswith('The workbook "cut.xlsx" is damaged or incomplete')


def test_damaged_workbooks_never_crash(tmp_path: Path) -> None:
    """Cut or scrambled anywhere: a clean read or an ImportFileError, nothing else."""
    data = (DATA / "clients_fr.xlsx").read_bytes()
    variants = [data[:cut] for cut in range(100, len(data), len(data) // 25)]
    for offset in range(40, len(data), len(data) // 40):
        damaged = bytearray(data)
        damaged[offset : offset + 8] = b"\xff\x00\x13\x37" * 2
        variants.append(bytes(damaged))
    outcomes = {"ok": 0, "refused": 0}
    for i, variant in enumerate(variants):
        path = write(tmp_path, f"v{i}.xlsx", variant)
        try:
            with open_table(path) as table:
                table.preview()
                read_all(table)
            outcomes["ok"] += 1
        except ImportFileError:
            outcomes["refused"] += 1
    assert outcomes["refused"] > 20


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def openpyxl_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not open this file")

    monkeypatch.setattr(readers.openpyxl, "load_workbook", refuse)


XLSX_SKELETON = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


@pytest.mark.usefixtures("openpyxl_forbidden")
def test_zip_bomb_refused_by_ratio(tmp_path: Path) -> None:
    data = _zip({**XLSX_SKELETON, "xl/worksheets/sheet1.xml": bytes(20 * 1024 * 1024)})
    assert len(data) < 100_000
    message = error_of(write(tmp_path, "bomb.xlsx", data))
    assert message.startswith('"bomb.xlsx" is refused as a precaution: once decompressed')


@pytest.mark.usefixtures("openpyxl_forbidden")
def test_zip_bomb_refused_by_declared_size(tmp_path: Path) -> None:
    """Sizes are read from the zip directory, before any byte is decompressed."""
    data = bytearray(_zip({**XLSX_SKELETON, "xl/worksheets/sheet1.xml": b"<worksheet/>" * 10}))
    directory = data.rfind(b"PK\x01\x02xxx"[:4])
    struct.pack_into("<I", data, directory + 24, 600 * 1024 * 1024)  # uncompressed size
    message = error_of(write(tmp_path, "bomb.xlsx", bytes(data)))
    assert "refused as a precaution" in message


def test_huge_shared_strings_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl loads every shared string into memory: that part has its own cap."""
    monkeypatch.setattr(readers, "MAX_SHARED_STRINGS", 2048)
    strings = b"<sst>" + b"".join(b"<si><t>%d</t></si>" % i for i in range(400)) + b"</sst>"
    data = _zip({**XLSX_SKELETON, "xl/sharedStrings.xml": strings})
    assert "refused as a precaution" in error_of(write(tmp_path, "strings.xlsx", data))


@pytest.mark.usefixtures("openpyxl_forbidden")
def test_damaged_opendocument_spreadsheet(tmp_path: Path) -> None:
    mimetype = b"application/vnd.oasis.opendocument.spreadsheet"
    data = _zip({"mimetype": mimetype, "content.xml": b"<office:document-content>"})
    assert error_of(write(tmp_path, "membres.ods", data)) == (
        'The workbook "membres.ods" is damaged or incomplete. Open it in LibreOffice and save '
        "it again."
    )
    text = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert "not a spreadsheet (.ods)" in error_of(write(tmp_path, "lettre.odt", text))


@pytest.mark.usefixtures("openpyxl_forbidden")
@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}, "not an Excel workbook"),
        ({"photo.jpg": b"\xff\xd8\xff"}, "not an Excel workbook"),
        ({**XLSX_SKELETON, "xl/workbook.bin": b"\x00"}, "binary Excel workbook (.xlsb)"),
    ],
)
def test_other_zip_files(tmp_path: Path, entries: dict[str, bytes], expected: str) -> None:
    assert expected in error_of(write(tmp_path, "x.xlsx", _zip(entries)))


def _ole(*streams: str) -> bytes:
    """An OLE compound file's header and directory entries (names in UTF-16), as Office writes."""
    header = readers._OLE + bytes(504)
    directory = b"".join(
        name.encode("utf-16-le").ljust(64, b"\x00") + bytes(64) for name in ("Root Entry", *streams)
    )
    return header + directory + bytes(2048)


def test_password_protected_workbook(tmp_path: Path) -> None:
    path = write(tmp_path, "secret.xlsx", _ole("EncryptionInfo", "EncryptedPackage"))
    assert error_of(path) == (
        'The workbook "secret.xlsx" is password-protected: save it without a password in Excel '
        "(File › Info › Protect Workbook), then import it."
    )


def test_old_excel_file(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "clients.xls", _ole("Workbook", "SummaryInformation")))
    assert message.startswith('"clients.xls" is an old Excel workbook (.xls).')
    assert "save as" in message.lower() and ".xlsx or CSV" in message


def test_other_ole_file(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "lettre.doc", _ole("WordDocument")))
    assert message.endswith("it is an old Microsoft Office document.")


def test_encrypted_zip_entries(tmp_path: Path) -> None:
    data = bytearray(_zip({**XLSX_SKELETON, "xl/worksheets/sheet1.xml": b"<worksheet/>"}))
    directory = data.find(b"PK\x01\x02")
    while directory != -1:
        struct.pack_into("<H", data, directory + 8, 1)  # general purpose flag: encrypted
        directory = data.find(b"PK\x01\x02", directory + 4)
    assert "password-protected" in error_of(write(tmp_path, "locked.xlsx", bytes(data)))


def test_many_nul_bytes_is_binary_but_a_few_are_removed(tmp_path: Path) -> None:
    few = b"email,nom\r\na@exemple.fr,Du\x00pont\r\n"
    with open_table(write(tmp_path, "few.csv", few)) as table:
        assert read_all(table) == [(2, ["a@exemple.fr", "Dupont"])]
    many = b"email,nom\r\n" + b"\x00\x00\x00a\x00\x00,\x00\r\n" * 200
    assert "binary file" in error_of(write(tmp_path, "many.csv", many))


def test_control_characters_in_cells_do_not_make_utf8_text_binary(tmp_path: Path) -> None:
    """Hypothesis found it: a short CSV whose names are mostly escape/backspace codes is still
    a table (each odd value is the importer's to judge), while random bytes stay binary."""
    odd = b"email,nom\r\na@exemple.fr,\x1b\x08\x08\x1b\x08\x08\x1b\x08\r\n"
    with open_table(write(tmp_path, "odd.csv", odd)) as table:
        assert read_all(table) == [(2, ["a@exemple.fr", "\x1b\x08\x08\x1b\x08\x08\x1b\x08"])]
    noise = bytes(b % 32 for b in range(7, 7 + 4000)).replace(b"\0", b"\x01") + b"\xff\xfe\x80"
    assert "binary file" in error_of(write(tmp_path, "noise.csv", noise))


def test_million_column_lines(tmp_path: Path) -> None:
    wide = ";".join(["x"] * 1_000_000)
    data = f"email;nom;ville\r\na@exemple.fr;A;Lyon\r\n{wide}\r\nb@exemple.fr;B;Nice\r\n"
    start = time.perf_counter()
    with open_table(write(tmp_path, "wide.csv", data.encode())) as table:
        assert table.headers == ["email", "nom", "ville"]
        rows = read_all(table)
    assert rows[1] == (3, ["x", "x", "x"])  # cut to the headers
    assert rows[2] == (4, ["b@exemple.fr", "B", "Nice"])
    with open_table(write(tmp_path, "wide_first.csv", (wide + "\r\n").encode())) as table:
        assert len(table.headers) == readers.MAX_COLUMNS
        assert read_all(table) == [(1, ["x"] * readers.MAX_COLUMNS)]
    assert time.perf_counter() - start < 20


def test_line_without_end(tmp_path: Path) -> None:
    data = b"email,nom\n" + b"a" * (readers.MAX_LINE + 10)
    message = error_of(write(tmp_path, "endless.csv", data))
    assert message.startswith("Line 2 of the file is far too long (over 4,000,000 characters)")
    late = b"email,nom\n" + b"a@x.fr,A\n" * 100 + b"a" * (readers.MAX_LINE + 10)
    table = open_table(write(tmp_path, "late.csv", late))
    with table, pytest.raises(ImportFileError, match="Line 102 of the file is far too long"):
        read_all(table)


def test_unclosed_quote(tmp_path: Path) -> None:
    rows = "".join(f"{i}@exemple.fr;Nom\n" for i in range(100))
    data = "email;nom\n" + rows + 'a@exemple.fr;"Dupont\n' + "c;d\n" * 40_000
    table = open_table(write(tmp_path, "quote.csv", data.encode()))
    with table, pytest.raises(ImportFileError, match=r"Row 102: a cell is over 131,072 char"):
        read_all(table)


def test_streaming_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    """A ~50 MB CSV is read in bounded memory (the issue's 200 MB file behaves the same)."""
    path = tmp_path / "big.csv"
    filler = "Lorem ipsum dolor sit amet, " * 16
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("email;prénom;nom;note\r\n")
        line = "{i}@exemple.fr;Prénom {i};Nom {i};" + filler + "\r\n"
        out.writelines(line.format(i=i) for i in range(100_000))
    assert path.stat().st_size > 45_000_000
    with open_table(path) as table:
        tracemalloc.start()
        try:
            count = 0
            halfway = 0.0
            for _number, _cells in table.rows():
                count += 1
                if count == 50_000:
                    halfway = table.progress()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert table.progress() == 1.0
    assert count == 100_000
    assert 0.4 < halfway < 0.6
    assert peak < 5 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


# -- encodings and delimiters ------------------------------------------------------------------

TEXT = "Prénom\tNom\tCourriel\r\nÉlodie\tLefèvre\télodie@exemple.fr\r\n"


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-32"), "utf-32"),
        (TEXT.encode("utf-8"), "utf-8"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings(tmp_path: Path, encoded: bytes, encoding: str) -> None:
    with open_table(write(tmp_path, "unicode.txt", encoded)) as table:
        assert (table.encoding, table.delimiter) == (encoding, "\t")
        assert table.headers == ["Prénom", "Nom", "Courriel"]
        assert read_all(table) == [(2, ["Élodie", "Lefèvre", "élodie@exemple.fr"])]


def test_mixed_utf8_and_cp1252_never_mangles_a_name(tmp_path: Path) -> None:
    ascii_rows = "".join(f"contact{i}@exemple.fr;Nom{i}\r\n" for i in range(5000))  # > 64 KB
    data = (
        b"email;nom\r\n"
        + ascii_rows.encode()
        + "utf8@exemple.fr;Hélène\r\n".encode()
        + "cp1252@exemple.fr;Hélène Œuf\r\n".encode("cp1252")
        + b"latin@exemple.fr;\x81\xe9\r\n"
    )
    with open_table(write(tmp_path, "mixed.csv", data)) as table:
        assert table.encoding == "utf-8"
        rows = read_all(table)
    assert rows[-3][1] == ["utf8@exemple.fr", "Hélène"]
    assert rows[-2][1] == ["cp1252@exemple.fr", "Hélène Œuf"]
    assert rows[-1][1] == ["latin@exemple.fr", "\x81é"]


def test_latin1_only_bytes(tmp_path: Path) -> None:
    data = b"email;nom\r\na@x.fr;\x81H\xe9l\xe8ne\r\n"
    with open_table(write(tmp_path, "l1.csv", data)) as table:
        assert table.encoding == "latin-1"
        assert read_all(table) == [(2, ["a@x.fr", "\x81Hélène"])]


@pytest.mark.parametrize("ending", ["\r", "\r\n"])
def test_mac_roman_csv_from_excel_for_mac(tmp_path: Path, ending: str) -> None:
    text = ending.join(
        [
            "Prénom;Nom;Courriel;Ville",
            "Élodie;Lefèvre;elodie@exemple.fr;Besançon",
            "François;Cœur;francois@exemple.fr;Orléans",
            "",
        ]
    )
    with open_table(write(tmp_path, "mac.csv", text.encode("mac_roman"))) as table:
        assert table.encoding == "mac_roman"
        assert table.headers == ["Prénom", "Nom", "Courriel", "Ville"]
        assert [cells for _, cells in read_all(table)] == [
            ["Élodie", "Lefèvre", "elodie@exemple.fr", "Besançon"],
            ["François", "Cœur", "francois@exemple.fr", "Orléans"],
        ]


def test_cp1252_with_typographic_quotes_stays_cp1252(tmp_path: Path) -> None:
    text = "email;note\r\na@x.fr;« l’été — déjà fini… »\r\nb@x.fr;Œuvre ‘spéciale’ à 20 €\r\n"
    with open_table(write(tmp_path, "w.csv", text.encode("cp1252"))) as table:
        assert table.encoding == "cp1252"
        assert read_all(table)[1][1][1] == "Œuvre ‘spéciale’ à 20 €"


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("email|nom|ville\na@x.fr|Dupont|Lyon\nb@x.fr|Martin|Nice\n", "|"),
        ("email;montant;ville\na@x.fr;12,5;Lyon\nb@x.fr;3,25;Nice\n", ";"),
        ('email,nom\na@x.fr,"Dupont; Fils"\nb@x.fr,"Martin; Fille"\n', ","),
        ('"Dupont, Jean";a@x.fr\n"Martin, Marie";b@x.fr\n', ";"),
        ("a@x.fr\nb@x.fr\n", ","),
    ],
)
def test_delimiters(tmp_path: Path, text: str, delimiter: str) -> None:
    with open_table(write(tmp_path, "d.csv", text.encode())) as table:
        assert table.delimiter == delimiter


def test_a_tab_inside_comma_separated_cells(tmp_path: Path) -> None:
    """Found by the round trip below: as many rows split by tabs as by commas, the commas
    giving more cells."""
    data = 'Email,Prénom,Nom\r\n,\t,"\r\t"\r\n'.encode()
    with open_table(write(tmp_path, "tab.csv", data)) as table:
        assert (table.delimiter, table.header_row) == (",", 1)


def test_excel_sep_line(tmp_path: Path) -> None:
    data = b"sep=;\r\nemail;nom,prenom\r\na@x.fr;Dupont,Jean\r\n"
    with open_table(write(tmp_path, "sep.csv", data)) as table:
        assert table.delimiter == ";"
        assert table.headers == ["email", "nom,prenom"]
        assert read_all(table) == [(2, ["a@x.fr", "Dupont,Jean"])]


def test_old_mac_line_endings(tmp_path: Path) -> None:
    data = b"email,nom\ra@x.fr,Dupont\rb@x.fr,Martin\r"
    with open_table(write(tmp_path, "mac.csv", data)) as table:
        assert read_all(table) == [(2, ["a@x.fr", "Dupont"]), (3, ["b@x.fr", "Martin"])]


# -- headers, rows, lifecycle ------------------------------------------------------------------


def test_repeated_and_missing_headers(tmp_path: Path) -> None:
    data = "Email;Email;;Nom;email\na@x.fr;b@x.fr;x;Dupont;c@x.fr;extra\n"
    with open_table(write(tmp_path, "h.csv", data.encode())) as table:
        assert table.headers == ["Email", "Email (2)", "Column 3", "Nom", "email (3)", "Column 6"]


def test_header_cells_are_tidied(tmp_path: Path) -> None:
    data = '"Adresse\ne-mail";"  Prénom  "\na@x.fr;Jean\n'
    with open_table(write(tmp_path, "h.csv", data.encode())) as table:
        assert table.headers == ["Adresse e-mail", "Prénom"]


def test_rows_padded_and_cut(tmp_path: Path) -> None:
    data = "email,nom,ville\na@x.fr\nb@x.fr,B,Lyon,extra\n"
    with open_table(write(tmp_path, "p.csv", data.encode())) as table:
        assert read_all(table) == [(2, ["a@x.fr", "", ""]), (3, ["b@x.fr", "B", "Lyon"])]


def test_header_row_given(tmp_path: Path) -> None:
    data = b"Titre\nemail,nom\na@x.fr,A\n"
    path = write(tmp_path, "g.csv", data)
    with open_table(path, header_row=None) as table:
        assert table.header_row is None
        assert table.headers == ["Column 1", "Column 2"]
    with open_table(path, header_row=2) as table:
        assert table.headers == ["email", "nom"]
        assert read_all(table) == [(3, ["a@x.fr", "A"])]
    assert "There is no row 9" in error_of(path, header_row=9)


def test_preview_and_rows_can_be_repeated() -> None:
    with open_table(DATA / "clients_cp1252.csv") as table:
        assert len(table.preview(limit=2)) == 2
        assert table.preview() == [cells for _, cells in table.rows()]
        first = table.rows()
        next(first)
        assert 0 < table.progress() < 1
        assert len(read_all(table)) == 5
    with open_table(DATA / "clients_fr.xlsx") as table:
        assert table.preview() == [cells for _, cells in read_all(table)]
        abandoned = table.rows()
        next(abandoned)
    table.close()  # twice is fine


def test_messages_in_french(tmp_path: Path) -> None:
    set_language("fr")
    try:
        assert error_of(write(tmp_path, "vide.csv", b"")) == "Le fichier « vide.csv » est vide."
        assert error_of(write(tmp_path, "image.csv", PNG)) == (
            "« image.csv » n'est pas un tableau texte (CSV) ni un classeur Excel : c'est une image."
        )
        with open_table(DATA / "no_header.csv") as table:
            assert table.headers[0] == "Colonne 1"
        assert error_of(DATA / "clients_fr.xlsx", sheet="X") == (
            "Le classeur n'a pas de feuille « X ». Ses feuilles : « Clients 2024 », "
            "« Prospects », « Vide »."
        )
    finally:
        set_language(None)


# -- any CSV the csv module writes reads back ---------------------------------------------------

# Control characters (NUL included) are tested apart: many of them make a file binary.
CELL = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), include_characters="\r\n\t "), max_size=30
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=30),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    terminator=st.sampled_from(["\r\n", "\n"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_csv_round_trip(
    tmp_path: Path,
    rows: list[list[str]],
    delimiter: str,
    terminator: str,
    quoting: int,
    encoding: str,
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=terminator, quoting=quoting)
    writer.writerow(["Email", "Prénom", "Nom"])
    writer.writerows(rows)
    path = write(tmp_path, "rt.csv", buffer.getvalue().encode(encoding))

    def tidy(row: list[str]) -> list[str]:
        cells = [c.strip().replace("\r\n", "\n").replace("\r", "\n") for c in row]
        return [*cells, "", "", ""][:3]

    # The oracle is the csv module reading its own output: with lines ending in "\n" alone it
    # leaves a "\r" unquoted, and then reads back more rows than it wrote.
    text = io.StringIO(buffer.getvalue(), newline="")
    expected = [(i, tidy(row)) for i, row in enumerate(csv.reader(text, delimiter=delimiter), 1)]
    expected = [(i, cells) for i, cells in expected[1:] if any(cells)]
    if terminator == "\r\n" or quoting == csv.QUOTE_ALL:
        assert expected == [(i, tidy(row)) for i, row in enumerate(rows, 2) if any(tidy(row))]
    with open_table(path) as table:
        assert (table.delimiter, table.header_row) == (delimiter, 1)
        assert read_all(table) == expected


def test_a_stray_cp1252_byte_does_not_turn_a_utf8_file_into_cp1252(tmp_path: Path) -> None:
    """One value typed in cp1252 at the top of a UTF-8 file: the file stays UTF-8 (that value
    read as cp1252), rather than every UTF-8 accent after it becoming « Ã© »."""
    data = (
        b"email;nom\r\n"
        + "stray@exemple.fr;André\r\n".encode("cp1252")
        + "".join(f"c{i}@exemple.fr;Hélène Lefèvre\r\n" for i in range(50)).encode()
    )
    with open_table(write(tmp_path, "stray.csv", data)) as table:
        assert table.encoding == "utf-8"
        rows = read_all(table)
    assert rows[0][1] == ["stray@exemple.fr", "André"]
    assert {cells[1] for _, cells in rows[1:]} == {"Hélène Lefèvre"}


@pytest.mark.parametrize("chunk", [5, 4096])
def test_text_files_are_read_in_large_chunks_whatever_falls_on_their_edges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Files are decoded a megabyte at a time (fewer GIL hand-overs for the import's writer
    thread); a chunk edge inside a "\\r\\n", an accented letter or a quoted multi-line cell
    changes nothing."""
    rows = [
        f'c{i}@exemple.fr;"Hélène\r\nLefèvre {i}";Zoë\r\n'
        if i % 7 == 0
        else f"c{i}@exemple.fr;Léa;É{i}\r\n"
        for i in range(300)
    ]
    data = ("email;nom;ville\r\n" + "".join(rows)).encode("cp1252")
    path = write(tmp_path, "chunks.csv", data)
    with open_table(path) as table:
        expected = read_all(table)
        with table._stream() as stream:  # type: ignore[attr-defined]
            assert stream._CHUNK_SIZE == readers._READ_BUFFER == 1024 * 1024
    monkeypatch.setattr(readers, "_READ_BUFFER", chunk)
    with open_table(path) as table:
        with table._stream() as stream:  # type: ignore[attr-defined]
            assert stream._CHUNK_SIZE == readers._READ_BUFFER
        assert read_all(table) == expected
    assert len(expected) == 300
    assert expected[0] == (2, ["c0@exemple.fr", "Hélène\nLefèvre 0", "Zoë"])
    assert expected[-1] == (301, ["c299@exemple.fr", "Léa", "É299"])
