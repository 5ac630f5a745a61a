"""Write the contact-import fixtures of this folder.

Run ``uv run python tests/data/contacts/make_fixtures.py`` after changing it.

Each file imitates what a real program produces: French Excel's « CSV (séparateur: point-virgule) »
in cp1252, a UTF-8 CSV with BOM, cells copied from Excel, a Google Contacts export, a workbook
with a title block, merged cells, dates and a formula whose value Excel cached, the OpenDocument
spreadsheet LibreOffice saves, a bare list of addresses and first names. Bytes are written
explicitly, so the files are the same on every machine.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
_EPOCH = (2024, 3, 5, 9, 0, 0)


def cp1252_semicolon() -> bytes:
    """French Excel: « CSV (séparateur: point-virgule) », Windows-1252, CRLF, quotes as needed."""
    lines = [
        "Nom;Prénom;Adresse mail;Société;Ville;Code postal;Cotisation",
        "Lefèvre;Élodie;elodie.lefevre@exemple.fr;Boulangerie Lefèvre;Châlons-en-Champagne;"
        "51000;25,50",
        'Dupont;Jean-François;JF.Dupont@Exemple.FR;"Dupont; Fils & Cie";Besançon;25000;30',
        "Nœud;Zoé;zoe.noeud@exemple.fr;Œuvres « sociales »;Saint-Étienne;42000;12,5",
        "Müller;Ærwan;;Café ‘Le Zinc’ – 3€;Orléans;45000;0",
        "Garçon;Mégane; megane.garcon@exemple.fr ;;Nîmes;30000;",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def utf8_bom() -> bytes:
    """A UTF-8 CSV with BOM (Excel's « CSV UTF-8 »): commas, quoted cells, a multi-line one."""
    text = (
        "Email Address,First Name,Last Name,Company,Notes\r\n"
        'anna.kowalska@example.com,Anna,Kowalska,"Kowalska, Nowak & Co","Met at the fair\r\n'
        'Wants the ""spring"" offer"\r\n'
        "li.wei@example.com,Wei,Li,北京茶馆,\r\n"
        "søren@example.dk,Søren,Kierkegaard,,📚 reader\r\n"
    )
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def pasted_tsv() -> bytes:
    """What Excel puts on the clipboard: tabs, CRLF, quoted multi-line cells, a final CRLF."""
    text = (
        "Prénom\tNom\tE-mail\tAdresse\r\n"
        'Marie\tCurie\tmarie.curie@exemple.fr\t"12 rue Cuvier\n75005 Paris"\r\n'
        'Louis\tPasteur\tlouis.pasteur@exemple.fr\t"Institut ""Pasteur""\n25 rue du Dr Roux"\r\n'
        "Ada\tLovelace\tada@example.org\t\r\n"
    )
    return text.encode("utf-8")


def no_header() -> bytes:
    """A bare list: no header row, the address in the second column."""
    text = (
        "Jean,jean.martin@exemple.fr,Martin\n"
        "Sophie,sophie.bernard@exemple.fr,Bernard\n"
        "Luc,luc.petit@exemple.fr,Petit\n"
        "Nina,,Roux\n"
    )
    return text.encode("utf-8")


def title_rows() -> bytes:
    """Title rows and blank rows above the header, as people lay out a sheet before saving it."""
    text = (
        "Liste des adhérents 2024;;;\r\n"
        "Association Les Amis du Vieux Lyon;;;\r\n"
        ";;;\r\n"
        "Prénom;Nom;Courriel;Téléphone\r\n"
        "Camille;Roche;camille.roche@exemple.fr;0612345678\r\n"
        ";;;\r\n"
        "Hugo;Blanc;hugo.blanc@exemple.fr;+33 6 12 34 56 78\r\n"
    )
    return text.encode("utf-8")


def google_contacts() -> bytes:
    """Google Contacts « Google CSV » export (2024 header)."""
    header = (
        "First Name,Middle Name,Last Name,Phonetic First Name,Phonetic Middle Name,"
        "Phonetic Last Name,Name Prefix,Name Suffix,Nickname,File As,Organization Name,"
        "Organization Title,Organization Department,Birthday,Notes,Photo,Labels,"
        "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
        "Phone 1 - Label,Phone 1 - Value,Address 1 - Label,Address 1 - Formatted,"
        "Address 1 - Street,Address 1 - City,Address 1 - PO Box,Address 1 - Region,"
        "Address 1 - Postal Code,Address 1 - Country,Address 1 - Extended Address"
    )
    rows = [
        "Claire,,Fontaine,,,,,,,,Atelier Fontaine,Gérante,,1985-04-12,,,* myContacts,"
        "* Work,claire@atelier-fontaine.fr,* Home,claire.fontaine@gmail.com,Mobile,"
        '+33 6 11 22 33 44,Work,"3 place Bellecour\n69002 Lyon",3 place Bellecour,Lyon,,,'
        "69002,France,",
        "Paul,,Durand,,,,,,,,,,,,,,* myContacts,* Other,paul.durand@orange.fr,,,,,,,,,,,,,",
    ]
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8")


def hostile() -> bytes:
    """Values that must arrive intact (as text) or cleanly refused, never crash the reader."""
    long_cell = "x" * 10_000
    lines = [
        "email;nom;note",
        'formule@exemple.fr;=HYPERLINK("http://evil.example","clic");=1+2',
        "plus@exemple.fr;+33 1 23 45 67 89;-2+3",
        "arobase@exemple.fr;@SUM(A1:A2);\t=cmd|' /C calc'!A0",
        f"long@exemple.fr;{long_cell};fin",
        "nul@exemple.fr;Nu\x00l;a\x00b",
        "rtl@exemple.fr;\u202eevil\u202c;\u200bzero-width",
        "emoji@exemple.fr;👩‍👩‍👧 famille;ok",
        '"quote@exemple.fr";"un ""guillemet"" dedans";"fin"',
    ]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def french_workbook() -> bytes:
    """The workbook a French shop keeps: title block, merged title, dates, formulas, phones."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Clients 2024"
    ws["A1"] = "Liste des clients 2024 — Boulangerie Martin"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A1:I1")
    ws["A2"] = "Mise à jour :"
    ws["B2"] = datetime(2024, 3, 5)
    ws["B2"].number_format = "DD/MM/YYYY"
    headers = [
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
    ws.append([])
    ws.append(headers)  # row 4
    people = [
        (
            "Mme",
            "Élodie",
            "Lefèvre",
            "elodie.lefevre@exemple.fr",
            "0612345678",
            datetime(2023, 11, 2),
            12.5,
            True,
        ),
        (
            "M.",
            "François",
            "Dupont",
            "  Francois.Dupont@EXEMPLE.fr ",
            "0145678901",
            datetime(2024, 1, 15, 14, 30),
            100.0,
            False,
        ),
        (
            "Mme",
            "Zoé",
            "Nœud",
            "zoe.noeud@exemple.fr",
            612345678,
            datetime(2024, 2, 29),
            0.1 + 0.2,
            True,
        ),
    ]
    for civ, first, last, email, phone, when, amount, active in people:
        ws.append([civ, first, last, email, phone, when, None, amount, active])
    ws.append([])  # row 8: a blank row inside the data
    ws.append(
        [
            "M.",
            "Ærwan",
            "Le Goff",
            "aerwan@exemple.bzh",
            "0298000000",
            datetime(2022, 6, 1),
            None,
            1234567.891,
            True,
        ]
    )  # row 9
    for row in range(5, 10):
        ws[f"F{row}"].number_format = "DD/MM/YYYY"
        if row != 8:
            ws[f"G{row}"] = f'=B{row}&" "&C{row}'
    ws["F6"].number_format = "DD/MM/YYYY HH:MM"
    for row in range(5, 10):
        ws[f"E{row}"].number_format = "@" if row != 7 else "0"
    prospects = wb.create_sheet("Prospects")
    prospects.append(["Email", "Nom"])
    prospects.append(["prospect@exemple.fr", "Prospect"])
    wb.create_sheet("Vide")
    wb.active = 0
    wb.properties.creator = "Bulletin tests"
    wb.properties.created = wb.properties.modified = datetime(2024, 3, 5, 9, 0)
    buffer = io.BytesIO()
    wb.save(buffer)
    cached = {f"G{row}": f"{p[1]} {p[2]}" for row, p in zip((5, 6, 7), people, strict=True)}
    cached["G9"] = "Ærwan Le Goff"
    return _with_cached_values(buffer.getvalue(), "xl/worksheets/sheet1.xml", cached)


def _with_cached_values(data: bytes, part: str, cached: dict[str, str]) -> bytes:
    """Give formula cells the value Excel would have saved (openpyxl saves none)."""

    def fill(match: re.Match[str]) -> str:
        ref, formula = match.group(1), match.group(2)
        return f'<c r="{ref}" t="str"><f>{formula}</f><v>{escape(cached[ref])}</v></c>'

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename == part:
                xml = re.sub(
                    r'<c r="([A-Z]+\d+)"><f>(.*?)</f><v\s*/?>(?:</v>)?</c>', fill, content.decode()
                )
                content = xml.encode()
            entry = zipfile.ZipInfo(info.filename, _EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, content)
    return out.getvalue()


ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"'
)


def ods(tables: str, *, active: str | None = None, manifest_extra: str = "") -> bytes:
    """An OpenDocument spreadsheet as LibreOffice writes it: ``mimetype`` first and stored,
    ``content.xml`` holding the sheets (``tables``: ``<table:table>`` elements), the manifest,
    and ``settings.xml`` naming the sheet it opens on."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<office:document-content {ODS_NAMESPACES} office:version="1.3">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:'
        'names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
        'opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" '
        f'manifest:media-type="text/xml">{manifest_extra}</manifest:file-entry>'
        '<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    config = 'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0"'
    active_item = (
        f'<config:config-item config:name="ActiveTable" config:type="string">{escape(active)}'
        "</config:config-item>"
        if active
        else ""
    )
    settings = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-settings {ODS_NAMESPACES} '
        f'{config}><office:settings><config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        f"{active_item}</config:config-item-map-entry></config:config-item-map-indexed>"
        "</config:config-item-set></office:settings></office:document-settings>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        stored = zipfile.ZipInfo("mimetype", _EPOCH)
        archive.writestr(stored, "application/vnd.oasis.opendocument.spreadsheet")
        for name, text in (
            ("content.xml", content),
            ("settings.xml", settings),
            ("META-INF/manifest.xml", manifest),
        ):
            entry = zipfile.ZipInfo(name, _EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, text)
    return out.getvalue()


def ods_text(value: str, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell office:value-type="string"{repeated}>'
        f"<text:p>{escape(value)}</text:p></table:table-cell>"
    )


def ods_value(kind: str, attribute: str, value: str, shown: str, formula: str = "") -> str:
    formula = f' table:formula="{escape(formula)}"' if formula else ""
    return (
        f'<table:table-cell office:value-type="{kind}" office:{attribute}="{value}"{formula}>'
        f"<text:p>{escape(shown)}</text:p></table:table-cell>"
    )


def association_ods() -> bytes:
    """LibreOffice's save of an association's members: two sheets (it opens on the second), a
    title above the header, numbers, dates, a formula, a repeated value, empty cells repeated
    to the sheet's edge."""
    header = [
        "Prénom",
        "Nom",
        "Courriel",
        "Téléphone",
        "Adhésion",
        "Cotisation",
        "Actif",
        "Code postal",
    ]
    edge = (
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row>'
    )
    members = (
        '<table:table table:name="Membres"><table:table-column '
        'table:number-columns-repeated="1024"/>'
        f"<table:table-row>{ods_text('Membres 2025')}"
        '<table:table-cell table:number-columns-repeated="1023"/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row>"
        f"<table:table-row>{''.join(ods_text(h) for h in header)}</table:table-row>"
        "<table:table-row>"
        + ods_text("Élodie")
        + ods_text("Lefèvre")
        + ods_text("elodie.lefevre@exemple.fr")
        + ods_text("0612345678")
        + ods_value("date", "date-value", "2024-03-05", "05/03/2024")
        + ods_value("float", "value", "25.5", "25,50", formula="of:=[.F6]+0.5")
        + ods_value("boolean", "boolean-value", "true", "VRAI")
        + ods_value("float", "value", "75001", "75001")
        + "</table:table-row><table:table-row>"
        + ods_text("Jean")
        + ods_text("Dupont")
        + ods_text(" jean.dupont@exemple.fr ")
        + ods_value("float", "value", "612345678", "612345678")
        + ods_value("date", "date-value", "2024-01-15T14:30:00", "15/01/2024 14:30")
        + ods_value("percentage", "value", "0.2", "20 %")
        + ods_value("boolean", "boolean-value", "false", "FAUX")
        + ods_text("01000")
        + '<table:table-cell table:number-columns-repeated="1016"/></table:table-row>'
        + '<table:table-row><table:table-cell table:number-columns-repeated="1024"/>'
        + "</table:table-row><table:table-row>"
        + ods_text("Martin", repeat=2)
        + ods_text("martin@exemple.fr")
        + '<table:table-cell table:number-columns-repeated="1021"/></table:table-row>'
        + edge
        + "</table:table>"
    )
    office = (
        '<table:table table:name="Bureau">'
        f"<table:table-row>{ods_text('Courriel')}{ods_text('Rôle')}</table:table-row>"
        f"<table:table-row>{ods_text('president@exemple.fr')}{ods_text('Président')}"
        "</table:table-row>" + edge + "</table:table>"
    )
    return ods(office + members, active="Membres")


def bare_list() -> bytes:
    """The issue's file: addresses and first names, no header, nothing else."""
    text = "jean.martin@exemple.fr,Jean\nsophie.bernard@exemple.fr,Sophie\nluc@exemple.fr,Luc\n"
    return text.encode("utf-8")


FIXTURES = {
    "clients_cp1252.csv": cp1252_semicolon,
    "clients_utf8_bom.csv": utf8_bom,
    "pasted_excel.tsv": pasted_tsv,
    "no_header.csv": no_header,
    "title_rows.csv": title_rows,
    "google_contacts.csv": google_contacts,
    "hostile.csv": hostile,
    "clients_fr.xlsx": french_workbook,
    "membres.ods": association_ods,
    "email_first_name.csv": bare_list,
}


def main() -> None:
    for name, make in FIXTURES.items():
        (HERE / name).write_bytes(make())


if __name__ == "__main__":
    main()
