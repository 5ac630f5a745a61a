"""Contacts import benchmark: 100,000 rows from CSV and XLSX, into an empty and a full store.

Run: ``uv run python benchmarks/contacts.py [REPEAT]`` (default 3: each figure is the median
of three runs, the fastest shown too). Each measured import runs in a fresh child process so
its peak RSS is its own; the updates start from a copy of the same full store each time.
python-calamine (Rust) parses the same XLSX in the same run as the reference for the parse
alone, beside openpyxl's read-only parse.
"""

from __future__ import annotations

import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROWS = 100_000
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


def child_import(source: str, store: str) -> None:
    """In a child process: import ``source`` into ``store``; print the figures as JSON."""
    from editor.contacts.importer import run_import, suggest_mapping
    from editor.contacts.readers import open_table
    from editor.contacts.store import Basis, ContactStore

    start = time.perf_counter()
    with open_table(Path(source)) as table, ContactStore(Path(store)) as db:
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

        workbook = load_workbook(source, read_only=True, data_only=True)
        for _row in workbook.worksheets[0].iter_rows(values_only=True):
            count += 1
        workbook.close()
    seconds = time.perf_counter() - start
    peak_mb = peak_rss_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": count}))


def run_child(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main(repeat: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-") as tmp:
        folder = Path(tmp)
        csv_path, xlsx_path = write_files(folder)
        print(
            f"{ROWS:,} rows; CSV {csv_path.stat().st_size / 1e6:.1f} MB (cp1252, ';'), "
            f"XLSX {xlsx_path.stat().st_size / 1e6:.1f} MB (shared strings, as Excel writes); "
            f"median of {repeat} run(s), fastest in brackets"
        )
        for label, source in (("CSV", csv_path), ("XLSX", xlsx_path)):
            full = folder / f"{label}-full.sqlite3"
            for phase in ("empty store", "full store (updates)"):
                runs = []
                for attempt in range(repeat):
                    store = folder / f"{label}-{phase[:4]}-{attempt}.sqlite3"
                    if phase.startswith("full"):
                        shutil.copyfile(full, store)  # the same full store each time
                    runs.append(run_child("import", str(source), str(store)))
                    if phase.startswith("empty") and attempt == 0:
                        shutil.copyfile(store, full)
                seconds = [r["seconds"] for r in runs]
                r = runs[0]
                print(
                    f"{label:4} into {phase:22} {median(seconds):6.2f} s ({min(seconds):.2f})  "
                    f"{ROWS / median(seconds):9,.0f} rows/s ({ROWS / min(seconds):,.0f})  "
                    f"peak RSS {max(x['peak_mb'] for x in runs):6.1f} MB  "
                    f"(added {r['added']:,}, updated {r['updated']:,}, invalid {r['invalid']})"
                )
        for kind in ("openpyxl", "calamine"):
            runs = [run_child("parse", kind, str(xlsx_path)) for _ in range(repeat)]
            seconds = [r["seconds"] for r in runs]
            print(
                f"XLSX parse alone, {kind:9} {median(seconds):6.2f} s ({min(seconds):.2f})  "
                f"{ROWS / median(seconds):9,.0f} rows/s  "
                f"peak RSS {max(r['peak_mb'] for r in runs):6.1f} MB"
            )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "import":
        child_import(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "parse":
        child_parse(sys.argv[2], sys.argv[3])
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
