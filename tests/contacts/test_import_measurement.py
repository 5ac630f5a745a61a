"""A measurement consent column in an import: guessed from its header, strict values, consent
recorded with its proof after the contacts are written, never withdrawn nor given back."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from editor.cli import run
from editor.contacts import importer
from editor.contacts.export import export_contacts
from editor.contacts.importer import (
    ImportRefused,
    ImportReport,
    consent_proof,
    override_mapping,
    run_import,
    suggest_mapping,
)
from editor.contacts.mapping import (
    MEASUREMENT_CONSENT,
    TARGETS,
    consent_answer,
    guess_mapping,
    known_target,
    parse_target,
    target_spec,
)
from editor.contacts.readers import PastedText, open_table
from editor.contacts.store import Basis, ContactInput, ContactStore
from editor.tracking import consent

BASIS = Basis("consent", source="formulaire du site")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ContactStore]:
    with ContactStore(tmp_path / "c.sqlite3") as s:
        yield s


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    return path


def import_file(store: ContactStore, path: Path, **kw: object) -> ImportReport:
    with open_table(path) as table:
        return run_import(
            store,
            table,
            suggest_mapping(table),
            list_name="Clients",
            basis=BASIS,
            source_name=path.name,
            **kw,  # type: ignore[arg-type]
        )


def consenting(store: ContactStore) -> set[str]:
    rows = store.connection.execute(
        "SELECT c.email FROM tracking_consent t JOIN contacts c ON c.id = t.contact_id"
        " WHERE t.withdrawn_at IS NULL"
    )
    return {row[0] for row in rows}


# -- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Consentement mesure",
        "consentement  MESURE",
        "Mesure d'audience",
        "Mesure d’audience",
        "Accepte la mesure",
        "J'accepte la mesure d'audience",
        "Consentement à la mesure",
        "Consentement de mesure",
        "measurement consent",
        "Measurement Consent",
        "Tracking consent",
        "tracking-consent",
        "measurement_consent",
        "Consent to measurement",
    ],
)
def test_headers_naming_measurement_consent_are_recognised(header: str) -> None:
    assert known_target(header) == MEASUREMENT_CONSENT
    mapping = guess_mapping(["E-mail", header], [["a@exemple.fr", "oui"]])
    assert mapping == ["email", MEASUREMENT_CONSENT]


@pytest.mark.parametrize("header", ["Consentement", "Consent", "Mesure", "Accepte", "Opt-in"])
def test_the_newsletters_own_consent_or_a_bare_word_is_not_measurement(header: str) -> None:
    assert known_target(header) != MEASUREMENT_CONSENT
    assert MEASUREMENT_CONSENT not in guess_mapping(["E-mail", header], [["a@exemple.fr", "oui"]])


def test_never_guessed_from_the_values_alone() -> None:
    """A column without a header full of « oui » may be any yes/no: it stays a custom field."""
    samples = [[f"p{i}@exemple.fr", "oui", "yes"] for i in range(20)]
    mapping = guess_mapping(["Column 1", "Column 2", "Column 3"], samples)
    assert mapping[0] == "email" and MEASUREMENT_CONSENT not in mapping


def test_at_most_one_column_holds_it() -> None:
    mapping = guess_mapping(
        ["E-mail", "Consentement mesure", "Tracking consent"], [["a@exemple.fr", "oui", "non"]]
    )
    assert mapping == ["email", MEASUREMENT_CONSENT, "field:Tracking consent"]
    with pytest.raises(ImportRefused, match="measurement_consent"):
        override_mapping(
            ["E-mail", "A", "B"],
            ["email", "ignore", "ignore"],
            [("A", "measurement_consent"), ("B", "measurement_consent")],
        )


def test_a_target_scripts_and_the_wizard_can_name() -> None:
    assert MEASUREMENT_CONSENT in TARGETS
    assert parse_target("measurement_consent") == MEASUREMENT_CONSENT
    assert target_spec(MEASUREMENT_CONSENT) == "measurement_consent"
    # A custom field of that name is still possible, spelled as other reserved words are.
    assert parse_target("field:measurement_consent") == "field:measurement_consent"
    assert target_spec("field:measurement_consent") == "field:measurement_consent"
    headers = ["E-mail", "Accord", "Consentement mesure"]
    guessed = ["email", "field:Accord", MEASUREMENT_CONSENT]
    # Given to another column, it leaves the guessed one; given « ignore », it is un-chosen.
    assert override_mapping(headers, guessed, [("Accord", "measurement_consent")]) == [
        "email",
        MEASUREMENT_CONSENT,
        "ignore",
    ]
    assert override_mapping(headers, guessed, [("3", "ignore")]) == [
        "email",
        "field:Accord",
        "ignore",
    ]


# -- values -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        *("oui", "OUI", " Oui ", "o", "yes", "Y", "true", "TRUE", "vrai", "1", "x", "X"),
        *("✓", "✔", "on", "accepté", "Acceptée", "accepted"),
    ],
)
def test_yes_like_values(value: str) -> None:
    assert consent_answer(value) is True


@pytest.mark.parametrize(
    "value", ["", "non", "NON", "n", "no", "false", "FALSE", "faux", "0", "off", "refusé", "-"]
)
def test_no_like_and_empty_values(value: str) -> None:
    assert consent_answer(value) is False


@pytest.mark.parametrize(
    "value",
    ["peut-être", "2", "oui non", "ouii", "yes please", "01/02/2026", "nope", "?", "1.5"],
)
def test_anything_else_is_neither(value: str) -> None:
    assert consent_answer(value) is None


# -- the import ---------------------------------------------------------------------------------


def test_yes_rows_get_consent_with_a_proof_naming_file_column_and_day(
    store: ContactStore, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "clients.csv",
        [
            ["E-mail", "Prénom", "Consentement mesure"],
            ["ana@exemple.fr", "Ana", "oui"],
            ["bob@exemple.fr", "Bob", "non"],
            ["cyril@exemple.fr", "Cyril", ""],
            ["dora@exemple.fr", "Dora", "X"],
        ],
    )
    before = date.today()
    report = import_file(store, path)
    assert (report.added, report.consents, report.invalid) == (4, 2, [])
    assert consenting(store) == {"ana@exemple.fr", "dora@exemple.fr"}
    record = consent.record(store.db, "ana@exemple.fr")
    assert record is not None and record.active
    assert record.proof in {  # the day of the import (the test may straddle midnight)
        consent_proof("clients.csv", "Consentement mesure", day) for day in (before, date.today())
    }
    assert record.proof.startswith('Import of clients.csv, column "Consentement mesure", 20')
    assert consent.record(store.db, "bob@exemple.fr") is None
    assert report.to_json()["measurement_consents"] == 2
    assert "2 consents to open/click measurement recorded." in report.summary()


def test_pasted_text_has_no_file_name_in_the_proof(store: ContactStore) -> None:
    text = "E-mail\tTracking consent\r\nana@exemple.fr\tyes\r\n"
    with open_table(PastedText(text)) as table:
        report = run_import(store, table, suggest_mapping(table), list_name=None, basis=BASIS)
    assert report.consents == 1
    record = consent.record(store.db, "ana@exemple.fr")
    assert record is not None
    assert record.proof.startswith('Import of pasted text, column "Tracking consent", ')


def test_the_proof_fits_whatever_the_names(store: ContactStore) -> None:
    proof = consent_proof("n" * 5000 + ".csv", "h" * 5000, date(2026, 12, 6))
    assert len(proof) <= consent.MAX_PROOF and proof.endswith(", 2026-12-06")


def test_an_import_never_withdraws_nor_gives_back_nor_rewrites_a_consent(
    store: ContactStore, tmp_path: Path
) -> None:
    for email in ("kept@exemple.fr", "stays@exemple.fr", "gone@exemple.fr"):
        store.add(ContactInput(email), BASIS)
    consent.give(
        store.db,
        ["kept@exemple.fr", "stays@exemple.fr", "gone@exemple.fr"],
        proof="formulaire du site, case cochée",
        now="2026-01-02T03:04:05Z",
    )
    consent.withdraw(store.db, ["gone@exemple.fr"], now="2026-02-01T00:00:00Z")
    path = write_csv(
        tmp_path / "again.csv",
        [
            ["Email", "Measurement consent"],
            ["kept@exemple.fr", "yes"],
            ["stays@exemple.fr", "no"],
            ["gone@exemple.fr", "yes"],
            ["new@exemple.fr", "yes"],
        ],
    )
    report = import_file(store, path)
    assert (report.consents, report.consents_kept, report.consents_withdrawn) == (1, 1, 1)
    assert consenting(store) == {"kept@exemple.fr", "stays@exemple.fr", "new@exemple.fr"}
    for email in ("kept@exemple.fr", "stays@exemple.fr"):
        record = consent.record(store.db, email)
        assert record is not None and record.active
        assert (record.given_at, record.proof) == (
            "2026-01-02T03:04:05Z",
            "formulaire du site, case cochée",
        )
    gone = consent.record(store.db, "gone@exemple.fr")
    assert gone is not None and gone.withdrawn_at == "2026-02-01T00:00:00Z"
    data = report.to_json()
    assert (data["measurement_consents_kept"], data["measurement_consents_withdrawn"]) == (1, 1)
    assert "withdrawn earlier, not given back" in report.summary()


def test_a_value_neither_yes_nor_no_is_listed_and_the_contact_still_imported(
    store: ContactStore, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "doubt.csv",
        [
            ["E-mail", "Nom", "Accepte la mesure"],
            ["ana@exemple.fr", "Ana", "peut-être"],
            ["bob@exemple.fr", "Bob", "oui"],
            ["cyril@exemple.fr", "Cyril", "2"],
        ],
    )
    report = import_file(store, path)
    assert report.added == 3 and report.invalid == []
    assert [(r.row, r.value) for r in report.consent_invalid] == [(2, "peut-être"), (4, "2")]
    assert "neither yes nor no" in report.consent_invalid[0].reason
    assert store.get("ana@exemple.fr") is not None and store.get("cyril@exemple.fr") is not None
    assert consenting(store) == {"bob@exemple.fr"}
    data = report.to_json()
    assert data["measurement_consent_invalid"] == [
        {"row": 2, "value": "peut-être", "reason": report.consent_invalid[0].reason},
        {"row": 4, "value": "2", "reason": report.consent_invalid[1].reason},
    ]
    assert json.loads(json.dumps(data)) == data
    table = report.to_csv().decode("utf-8-sig")
    assert "Consents to open/click measurement recorded;1" in table
    assert "4;2;neither yes nor no" in table
    assert "2 answers neither yes nor no, not recorded" in report.summary()


def test_rejected_and_suppressed_rows_never_get_consent(
    store: ContactStore, tmp_path: Path
) -> None:
    left = store.add(ContactInput("left@exemple.fr"), BASIS)
    store.set_status([left], "unsubscribed", "demande")
    path = write_csv(
        tmp_path / "mixed.csv",
        [
            ["E-mail", "Consentement mesure"],
            ["pas une adresse", "oui"],
            ["left@exemple.fr", "oui"],
            ["ok@exemple.fr", "oui"],
        ],
    )
    report = import_file(store, path)
    assert [r.row for r in report.invalid] == [2] and report.suppressed == 1
    assert report.consents == 1 and consenting(store) == {"ok@exemple.fr"}
    assert report.consent_invalid == []  # a rejected row's consent is not read at all


def test_repeated_rows_count_one_consent(store: ContactStore, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "twice.csv",
        [["E-mail", "Consentement mesure"], ["Ana@exemple.fr", "non"], ["ana@exemple.fr", "oui"]],
    )
    report = import_file(store, path)
    assert (report.added, report.duplicates, report.consents) == (1, 1, 1)
    assert consenting(store) == {"Ana@exemple.fr"}


def test_without_the_column_nothing_is_said_nor_recorded(
    store: ContactStore, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "plain.csv", [["E-mail", "Ville"], ["ana@exemple.fr", "Lyon"]])
    report = import_file(store, path)
    assert report.added == 1 and consenting(store) == set()
    assert "measurement" not in report.summary()
    assert "measurement" not in report.to_csv().decode("utf-8-sig")
    assert report.to_json()["measurement_consents"] == 0


def test_a_cancelled_import_records_consent_only_for_the_contacts_written(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importer, "BATCH", 100)
    rows = 1000
    late = store.add(ContactInput("p0999@exemple.fr"), BASIS)  # in the file, after the cancel
    text = "E-mail\tConsentement mesure\r\n" + "".join(
        f"p{i:04d}@exemple.fr\toui\r\n" for i in range(rows)
    )
    with open_table(PastedText(text)) as table:
        report = run_import(
            store,
            table,
            suggest_mapping(table),
            list_name=None,
            basis=BASIS,
            cancelled=lambda: True,
        )
    assert report.cancelled and 0 < report.added < rows
    written = {contact.email for contact in store.iter_contacts() if contact.id != late}
    assert len(written) == report.added
    assert consenting(store) == written and report.consents == report.added
    assert consent.record(store.db, "p0999@exemple.fr") is None


def test_an_export_carries_the_consent_and_imports_it_back(
    store: ContactStore, tmp_path: Path
) -> None:
    for email in ("ana@exemple.fr", "bob@exemple.fr", "cyril@exemple.fr"):
        store.add(ContactInput(email, fields={"adhésion": "2024"}), BASIS)
    consent.give(store.db, ["ana@exemple.fr", "cyril@exemple.fr"], proof="formulaire")
    consent.withdraw(store.db, ["cyril@exemple.fr"])
    path = tmp_path / "export.csv"
    export_contacts(store, path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle, delimiter=","))
    assert table[0][:11] == [
        "Email",
        "First name",
        "Last name",
        "Status",
        "Lawful basis",
        "Source",
        "Basis date",
        "Proof",
        "Lists",
        "Created",
        "Updated",
    ]  # the columns an export always had keep their place
    assert table[0][11:] == ["adhésion", "Measurement consent"]
    assert {row[0]: row[-1] for row in table[1:]} == {
        "ana@exemple.fr": "yes",
        "bob@exemple.fr": "no",
        "cyril@exemple.fr": "no",
    }
    with ContactStore(tmp_path / "other.sqlite3") as other:
        report = import_file(other, path)
        assert report.added == 3 and report.consents == 1
        assert consenting(other) == {"ana@exemple.fr"}
        assert other.get("ana@exemple.fr").fields == {"adhésion": "2024"}  # type: ignore[union-attr]


def test_cli_guesses_the_column_and_takes_it_from_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(
        tmp_path / "clients.csv",
        [["E-mail", "Mesure", "Consentement mesure"], ["ana@exemple.fr", "oui", "non"]],
    )
    args = ["contacts", "import", str(path), "--list", "L", "--basis", "consent", "--json"]
    assert run([*args, "--map", "Mesure=measurement_consent"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["measurement_consents"] == 1
    assert [c["field"] for c in data["columns"]] == ["email", "measurement_consent", "ignore"]
    with ContactStore() as store:
        record = consent.record(store.db, "ana@exemple.fr")
        assert record is not None
        assert record.proof.startswith('Import of clients.csv, column "Mesure", ')
    # Guessed from the header; --map …=ignore un-chooses it.
    path = write_csv(
        tmp_path / "more.csv", [["E-mail", "Consentement mesure"], ["bob@exemple.fr", "oui"]]
    )
    args[2] = str(path)
    assert run([*args, "--map", "2=ignore"]) == 0
    assert json.loads(capsys.readouterr().out)["measurement_consents"] == 0
    assert run(args[:-1]) == 0
    out = capsys.readouterr().out
    assert "1 consent to open/click measurement recorded." in out
    assert "Consentement mesure → consent to open/click measurement" in out


def test_cli_lists_unreadable_answers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(
        tmp_path / "c.csv", [["E-mail", "measurement_consent"], ["ana@exemple.fr", "bof"]]
    )
    assert run(["contacts", "import", str(path), "--list", "L", "--basis", "consent"]) == 0
    out = capsys.readouterr().out
    assert 'row 2: "bof" — neither yes nor no' in out
