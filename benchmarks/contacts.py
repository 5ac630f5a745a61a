"""Contacts import benchmark: 100,000 rows from CSV and XLSX, into an empty and a full store.

Run: ``uv run python benchmarks/contacts.py [REPEAT]`` (default 3: each figure is the median
of three runs, the fastest shown too). Each measured import runs in a fresh child process so
its peak RSS is its own; the updates start from a copy of the same full store each time.

Workbooks are read by python-calamine (the import's reader since issue 7); the same workbook is
also imported through openpyxl's streaming reader (the fallback for sheets calamine does not
take) and parsed alone by openpyxl and by calamine, in the same run. The first workbook is the
one openpyxl writes (inline strings, the file of earlier runs); a second holds the same rows
with shared strings, as Excel writes them. Target: XLSX import ≥ 30,000 rows/s into an empty
store. The same rows are also pasted (tab-separated text, as Excel puts cells on the
clipboard) into an empty store.
"""

from __future__ import annotations

import csv
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path

ROWS = 100_000
TARGET_XLSX = 30_000  # rows/s, XLSX into an empty store
FIRST = [
    "Camille",
    "Léa",
    "Chloé",
    "Manon",
    "Inès",
    "Jade",
    "Louise",
    "Zoé",
    "Hugo",
    "Lucas",
    "Théo",
    "Nathan",
    "Mathéo",
    "Raphaël",
    "Gabriel",
    "Noé",
    "Élodie",
    "François",
    "Anaïs",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "Müller",
    "N'Diaye",
]
CITIES = ["Lyon", "Paris", "Marseille", "Lille", "Nantes", "Saint-Étienne", "Besançon"]
DOMAINS = ["exemple.fr", "orange.example", "free.example", "gmail.example", "laposte.example"]
HEADER = ["Prénom", "Nom", "Adresse e-mail", "Ville", "Téléphone", "Client depuis"]


def make_rows() -> list[list[str]]:
    rng = random.Random(42)
    rows = []
    for i in range(ROWS):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        # Real addresses drop accents: « Léa Lefèvre » writes lea.lefevre@…
        plain = unicodedata.normalize("NFKD", f"{first}.{last}{i}".lower())
        local = "".join(c for c in plain if c.isascii() and c not in "' ")
        rows.append(
            [
                first,
                last,
                f"{local}@{rng.choice(DOMAINS)}",
                rng.choice(CITIES),
                f"06{rng.randrange(10**8):08d}",
                f"20{rng.randrange(10, 25)}-0{rng.randrange(1, 10)}-15",
            ]
        )
    return rows


def write_files(folder: Path) -> tuple[Path, Path]:
    from openpyxl import Workbook

    rows = make_rows()
    paste_path = folder / "clients.tsv"
    paste_path.write_text(
        "\r\n".join("\t".join(row) for row in [HEADER, *rows]) + "\r\n", encoding="utf-8"
    )
    csv_path = folder / "clients.csv"
    with csv_path.open("w", encoding="cp1252", errors="replace", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    xlsx_path = folder / "clients.xlsx"
    # Normal (not write-only) mode writes what Excel writes: shared strings and a <dimension>
    # at the top. Write-only mode's inline strings and missing dimension read 2x slower.
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Clients"
    sheet.append(["Fichier clients 2026"])
    sheet.append([])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(xlsx_path)
    return csv_path, xlsx_path


_INLINE = re.compile(rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>(.*?)</t></is></c>')


def with_shared_strings(source: Path, target: Path) -> None:
    """The same workbook with a shared-strings table, as Excel writes it (openpyxl writes each
    string inline)."""
    strings: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = strings.setdefault(match.group(2), len(strings))
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match.group(1), index)

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = _INLINE.sub(shared, data)
            elif info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                    b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                    b"</Relationships>",
                )
            dst.writestr(info, data)
        items = b"".join(b"<si><t>%s</t></si>" % text for text in strings)
        dst.writestr(
            "xl/sharedStrings.xml",
            b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org'
            b'/spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>'
            % (len(strings), len(strings), items),
        )


def peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM, not ru_maxrss: the latter survives exec, so a child
    would report its parent's peak (here: the benchmark building the workbook in memory)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_import(source: str, store: str, reader: str = "") -> None:
    """In a child process: import ``source`` into ``store``; print the figures as JSON.
    ``reader`` ``openpyxl`` forces openpyxl's streaming reader (calamine's fallback); ``paste``
    imports the file's text as if pasted (read before the clock starts)."""
    from editor.contacts import readers
    from editor.contacts.importer import run_import, suggest_mapping
    from editor.contacts.readers import PastedText, open_table
    from editor.contacts.store import Basis, ContactStore

    if reader == "openpyxl":
        readers.MAX_GRID_CELLS = 0
    opened: Path | PastedText = Path(source)
    if reader == "paste":
        opened = PastedText(Path(source).read_text(encoding="utf-8"))
    start = time.perf_counter()
    with open_table(opened) as table, ContactStore(Path(store)) as db:
        used = table.kind if reader == "paste" else type(table).__name__
        report = run_import(
            db,
            table,
            suggest_mapping(table),
            list_name="Clients",
            basis=Basis("customer", source="fichier clients"),
        )
    seconds = time.perf_counter() - start
    peak_mb = peak_rss_mb()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_mb,
                "added": report.added,
                "updated": report.updated,
                "invalid": len(report.invalid),
                "reader": used,
            }
        )
    )


def child_parse(kind: str, source: str) -> None:
    start = time.perf_counter()
    count = 0
    if kind == "calamine":
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(source)
        for _row in workbook.get_sheet_by_index(0).iter_rows():
            count += 1
    else:
        from openpyxl import load_workbook

        book = load_workbook(source, read_only=True, data_only=True)
        for _values in book.worksheets[0].iter_rows(values_only=True):
            count += 1
        book.close()
    seconds = time.perf_counter() - start
    peak_mb = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": count}))


def run_child(*args: str) -> dict[str, float | str]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stderr[-3000:])
        raise SystemExit(f"the child {args} failed (its error is above)")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main(repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-") as tmp:
        folder = Path(tmp)
        csv_path, xlsx_path = write_files(folder)
        sst_path = folder / "clients-sst.xlsx"
        with_shared_strings(xlsx_path, sst_path)
        print(
            f"{ROWS:,} rows; CSV {csv_path.stat().st_size / 1e6:.1f} MB (cp1252, ';'), "
            f"XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB (inline strings, as openpyxl writes), "
            f"XLSX-SST {sst_path.stat().st_size / 1e6:.1f} MB (shared strings, as Excel writes); "
            f"median of {repeat} run(s), fastest in brackets"
        )
        empty_xlsx = 0.0
        jobs = (
            ("CSV", csv_path, "", ("empty store", "full store (updates)")),
            ("XLSX", xlsx_path, "", ("empty store", "full store (updates)")),
            ("XLSX-SST", sst_path, "", ("empty store",)),
            ("XLSX", xlsx_path, "openpyxl", ("empty store",)),
            ("PASTE", folder / "clients.tsv", "paste", ("empty store",)),
        )
        for label, source, reader, phases in jobs:
            full = folder / f"{label}-{reader}-full.sqlite3"
            for phase in phases:
                runs = []
                for attempt in range(repeat):
                    store = folder / f"{label}-{reader}-{phase[:4]}-{attempt}.sqlite3"
                    if phase.startswith("full"):
                        shutil.copyfile(full, store)  # the same full store each time
                    runs.append(run_child("import", str(source), str(store), reader))
                    if phase.startswith("empty") and attempt == 0:
                        shutil.copyfile(store, full)
                seconds = [float(r["seconds"]) for r in runs]
                r = runs[0]
                if label == "XLSX" and not reader and phase.startswith("empty"):
                    empty_xlsx = ROWS / median(seconds)
                used = {
                    "_CalamineTable": "calamine",
                    "_XlsxTable": "openpyxl",
                    "paste": "paste",
                }.get(str(r["reader"]), "text")
                print(
                    f"{label:8} into {phase:20} {median(seconds):6.2f} s ({min(seconds):.2f})  "
                    f"{ROWS / median(seconds):9,.0f} rows/s ({ROWS / min(seconds):,.0f})  "
                    f"peak RSS {max(float(x['peak_mb']) for x in runs):6.1f} MB  "
                    f"[{used}] (added {r['added']:,}, updated {r['updated']:,}, "
                    f"invalid {r['invalid']})"
                )
        for kind, path in (
            ("openpyxl", xlsx_path),
            ("calamine", xlsx_path),
            ("openpyxl", sst_path),
            ("calamine", sst_path),
        ):
            runs = [run_child("parse", kind, str(path)) for _ in range(repeat)]
            seconds = [float(r["seconds"]) for r in runs]
            name = "XLSX-SST" if path == sst_path else "XLSX"
            print(
                f"{name:8} parse alone, {kind:9} {median(seconds):6.2f} s ({min(seconds):.2f})  "
                f"{ROWS / median(seconds):9,.0f} rows/s  "
                f"peak RSS {max(float(r['peak_mb']) for r in runs):6.1f} MB"
            )
        verdict = "met" if empty_xlsx >= TARGET_XLSX else "MISSED"
        print(
            f"Target: XLSX into an empty store >= {TARGET_XLSX:,} rows/s: {verdict} "
            f"({empty_xlsx:,.0f} rows/s, median)"
        )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "import":
        child_import(sys.argv[2], sys.argv[3], *sys.argv[4:5])
    elif len(sys.argv) > 1 and sys.argv[1] == "parse":
        child_parse(sys.argv[2], sys.argv[3])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
