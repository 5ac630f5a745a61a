"""`bulletin contacts …` and `bulletin lists`: the JSON contracts, stdin paste, errors."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from editor.cli import run
from editor.contacts.store import ContactStore
from tests.contacts.test_importer import IMPORT_JSON_KEYS

DATA = Path(__file__).resolve().parent.parent / "data" / "contacts"
PASTE = "Prénom\tNom\tE-mail\tVille\nZoé\tMartin\tzoe@exemple.fr\tLyon\nBob\t\tpas-une-adresse\t\n"


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert run(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_import_json_contract_and_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    report = cli_json(
        capsys,
        "contacts",
        "import",
        str(DATA / "title_rows.csv"),
        "--list",
        "Adhérents",
        "--basis",
        "consent",
        "--source",
        "bulletin papier",
        "--json",
    )
    assert isinstance(report, dict)
    assert set(report) == IMPORT_JSON_KEYS
    assert report["measurement_consents"] == 0 and report["measurement_consent_invalid"] == []
    assert report["added"] > 0
    assert all(set(item) == {"row", "value", "reason"} for item in report["invalid"])
    assert report["columns"] == [
        {"column": 1, "header": "Prénom", "field": "first_name"},
        {"column": 2, "header": "Nom", "field": "last_name"},
        {"column": 3, "header": "Courriel", "field": "email"},
        {"column": 4, "header": "Téléphone", "field": "phone"},
    ]
    people = cli_json(capsys, "contacts", "list", "--list", "Adhérents", "--json")
    assert isinstance(people, list) and len(people) == report["added"]
    assert set(people[0]) == {
        "email",
        "first_name",
        "last_name",
        "status",
        "basis",
        "lists",
        "fields",
    }
    assert people[0]["status"] == "subscribed" and people[0]["basis"] == "consent"
    assert people[0]["lists"] == ["Adhérents"]
    assert isinstance(people[0]["fields"], dict)


def test_list_json_is_streamed_as_the_same_document(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(["contacts", "list", "--json"]) == 0
    assert capsys.readouterr().out == "[]\n"
    pasted = PASTE.replace("pas-une-adresse", "bob@exemple.fr")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(pasted.encode("utf-8"))))
    assert run(["contacts", "import", "-", "--list", "L", "--basis", "consent"]) == 0
    capsys.readouterr()
    assert run(["contacts", "list", "--json"]) == 0
    out = capsys.readouterr().out
    people = json.loads(out)
    assert [p["email"] for p in people] == ["zoe@exemple.fr", "bob@exemple.fr"]
    assert out == json.dumps(people, ensure_ascii=False, indent=2) + "\n"


def test_import_pasted_text_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PASTE.encode("utf-8"))))
    report = cli_json(
        capsys, "contacts", "import", "-", "--list", "Clients", "--basis", "customer", "--json"
    )
    assert report == {
        "added": 1,
        "updated": 0,
        "duplicates": 0,
        "suppressed": 0,
        "invalid": [
            {"row": 3, "value": "pas-une-adresse", "reason": report["invalid"][0]["reason"]}
        ],
        "columns": [
            {"column": 1, "header": "Prénom", "field": "first_name"},
            {"column": 2, "header": "Nom", "field": "last_name"},
            {"column": 3, "header": "E-mail", "field": "email"},
            {"column": 4, "header": "Ville", "field": "city"},
        ],
        "measurement_consents": 0,
        "measurement_consents_kept": 0,
        "measurement_consents_withdrawn": 0,
        "measurement_consent_invalid": [],
    }  # type: ignore[index]
    assert run(["lists"]) == 0
    assert capsys.readouterr().out == "Clients\t1\n"
    assert run(["contacts", "list"]) == 0
    assert "zoe@exemple.fr\tZoé Martin\tsubscribed\tcustomer\tClients" in capsys.readouterr().out


def test_plain_report_lists_rejected_rows(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PASTE.encode("cp1252"))))
    assert run(["contacts", "import", "-", "--list", "C", "--basis", "consent"]) == 0
    out = capsys.readouterr().out
    assert "1 added" in out and 'row 3: "pas-une-adresse"' in out


def test_the_issues_headerless_file_keeps_the_first_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The issue's file: `email,first name` rows without a header."""
    args = ["contacts", "import", str(DATA / "email_first_name.csv"), "--list", "L"]
    report = cli_json(capsys, *args, "--basis", "consent", "--json")
    assert report["columns"] == [  # type: ignore[index]
        {"column": 1, "header": "Column 1", "field": "email"},
        {"column": 2, "header": "Column 2", "field": "first_name"},
    ]
    people = cli_json(capsys, "contacts", "list", "--json")
    assert [p["first_name"] for p in people] == ["Jean", "Sophie", "Luc"]  # type: ignore[union-attr,index]
    args = ["contacts", "import", str(DATA / "no_header.csv"), "--list", "L", "--basis"]
    assert run([*args, "consent"]) == 0
    out = capsys.readouterr().out
    assert "Columns:\n  Column 1 → first name\n  Column 2 → email address\n" in out
    assert "  Column 3 → last name\n" in out


def test_map_option(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["contacts", "import", str(DATA / "no_header.csv"), "--list", "L", "--basis", "consent"]
    report = cli_json(capsys, *args, "--json", "--map", "3=Famille", "--map", "Column 1=ignore")
    assert [c["field"] for c in report["columns"]] == ["ignore", "email", "Famille"]  # type: ignore[index]
    people = cli_json(capsys, "contacts", "list", "--json")
    jean = next(p for p in people if p["email"] == "jean.martin@exemple.fr")  # type: ignore[union-attr,index]
    assert (jean["first_name"], jean["fields"]) == ("", {"Famille": "Martin"})
    report = cli_json(capsys, *args, "--json", "--map", "3=full_name", "--map", "1=field:ignore")
    assert [c["field"] for c in report["columns"]] == ["field:ignore", "email", "full_name"]  # type: ignore[index]
    workbook = ["contacts", "import", str(DATA / "clients_fr.xlsx"), "--list", "W"]
    report = cli_json(
        capsys, *workbook, "--basis", "consent", "--json", "--map", "nom complet=full_name"
    )
    assert report["columns"][6] == {"column": 7, "header": "Nom complet", "field": "full_name"}  # type: ignore[index]


@pytest.mark.parametrize(
    ("maps", "message"),
    [
        (
            ["9=email"],
            'bulletin: There is no column "9": give a header or a column number (1 "Column 1", '
            '2 "Column 2", 3 "Column 3").\n',
        ),
        (["Prénom=first_name"], 'bulletin: There is no column "Prénom"'),
        (
            ["1=first_name", "3=first_name"],
            'bulletin: Two columns are mapped to "first_name" with --map: keep only one.\n',
        ),
        (["1=email", "1=ignore"], 'bulletin: The column "Column 1" is given twice with --map.\n'),
        (
            ["first_name"],
            "bulletin: --map first_name: write COLUMN=FIELD, for example --map 2=first_name.\n",
        ),
    ],
)
def test_map_errors(capsys: pytest.CaptureFixture[str], maps: list[str], message: str) -> None:
    args = ["contacts", "import", str(DATA / "no_header.csv"), "--list", "L", "--basis", "consent"]
    for item in maps:
        args += ["--map", item]
    assert run(args) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith(message)
    assert captured.err.count("\n") == 1
    with ContactStore() as store:
        assert store.count() == 0  # nothing imported


def test_import_libreoffice_spreadsheet(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["contacts", "import", str(DATA / "membres.ods"), "--list", "Asso", "--basis"]
    report = cli_json(capsys, *args, "consent", "--sheet", "Bureau", "--json")
    assert report["added"] == 1  # type: ignore[index]
    report = cli_json(capsys, *args, "consent", "--json")
    assert report["added"] == 3  # type: ignore[index]


def test_import_requires_a_basis_and_a_readable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        run(["contacts", "import", str(DATA / "no_header.csv"), "--list", "X"])
    assert info.value.code == 2
    assert "--basis" in capsys.readouterr().err
    fake = tmp_path / "contacts.csv"
    fake.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) * 20)
    assert run(["contacts", "import", str(fake), "--list", "X", "--basis", "consent"]) == 2
    err = capsys.readouterr().err
    assert "contacts.csv" in err and "Traceback" not in err


def test_export_csv_and_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(["contacts", "import", str(DATA / "hostile.csv"), "--list", "H", "--basis", "consent"])
        == 0
    )
    assert run(["contacts", "export", "--list", "H", str(tmp_path / "h.csv")]) == 0
    text = (tmp_path / "h.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert run(["contacts", "export", "--list", "H", str(tmp_path / "h.xlsx")]) == 0
    workbook = load_workbook(tmp_path / "h.xlsx", read_only=True)
    try:
        values = [c for row in workbook.worksheets[0].iter_rows(values_only=True) for c in row]
    finally:
        workbook.close()
    assert any(isinstance(v, str) and v.startswith("=HYPERLINK") for v in values)
    capsys.readouterr()
    assert run(["contacts", "export", "--list", "Nope", str(tmp_path / "n.csv")]) == 2
    assert "Nope" in capsys.readouterr().err
    assert run(["contacts", "export", "--list", "H", str(tmp_path / "h.pdf")]) == 2


def test_forget_leaves_only_a_fingerprint(
    bulletin_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PASTE.encode())))
    run(["contacts", "import", "-", "--list", "C", "--basis", "consent"])
    assert run(["contacts", "forget", "zoe@exemple.fr"]) == 0
    assert "erased" in capsys.readouterr().out
    db = bulletin_home / "contacts.sqlite3"
    with ContactStore(db) as store:
        assert store.get("zoe@exemple.fr") is None and store.is_suppressed("ZOE@exemple.fr")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PASTE.encode())))
    report = cli_json(
        capsys, "contacts", "import", "-", "--list", "C", "--basis", "consent", "--json"
    )
    assert report["suppressed"] == 1 and report["added"] == 0  # type: ignore[index]
    raw = b"".join(p.read_bytes() for p in bulletin_home.glob("contacts.sqlite3*"))
    assert b"zoe@exemple.fr" not in raw and "Zoé".encode() not in raw


def test_purge_previews_then_erases(
    bulletin_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PASTE.encode())))
    run(["contacts", "import", "-", "--list", "C", "--basis", "consent"])
    capsys.readouterr()
    with sqlite3.connect(bulletin_home / "contacts.sqlite3") as conn:
        conn.execute(
            "UPDATE contacts SET updated_at = '2020-01-01T00:00:00Z', "
            "created_at = '2020-01-01T00:00:00Z'"
        )
    conn.close()
    assert run(["contacts", "purge", "--inactive-days", "1095"]) == 0
    out = capsys.readouterr().out
    assert "zoe@exemple.fr" in out and "--yes" in out
    with ContactStore(bulletin_home / "contacts.sqlite3") as store:
        assert store.count() == 1
    assert run(["contacts", "purge", "--inactive-days", "1095", "--yes"]) == 0
    assert "1 contact erased" in capsys.readouterr().out
    with ContactStore(bulletin_home / "contacts.sqlite3") as store:
        assert store.count() == 0
    assert run(["contacts", "purge", "--inactive-days", "0"]) == 2


def test_installed_entry_point_reads_stdin(bulletin_home: Path) -> None:
    script = Path(sys.executable).parent / "bulletin"
    result = subprocess.run(
        [
            str(script),
            "contacts",
            "import",
            "-",
            "--list",
            "Collage",
            "--basis",
            "consent",
            "--json",
        ],
        input=PASTE.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads(result.stdout)["added"] == 1
