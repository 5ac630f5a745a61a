"""The import pipeline end to end: real fixtures → store → report, export and back."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from editor.contacts.export import export_contacts
from editor.contacts.importer import ImportRefused, override_mapping, run_import, suggest_mapping
from editor.contacts.privacy import forget
from editor.contacts.readers import PastedText, open_table
from editor.contacts.store import Basis, ContactStore

DATA = Path(__file__).resolve().parent.parent / "data" / "contacts"
CONSENT = Basis("consent", source="formulaire du site", proof="J'accepte de recevoir la lettre")

IMPORT_JSON_KEYS = {
    "added",
    "updated",
    "duplicates",
    "suppressed",
    "invalid",
    "columns",
    "measurement_consents",
    "measurement_consents_kept",
    "measurement_consents_withdrawn",
    "measurement_consent_invalid",
}
"""``contacts import --json``'s keys: a contract, listed here rather than read from the code."""


@pytest.fixture
def store(tmp_path: Path) -> ContactStore:
    with ContactStore(tmp_path / "c.sqlite3") as s:
        yield s  # type: ignore[misc]


def import_source(
    store: ContactStore,
    source: Path | PastedText,
    list_name: str = "Clients",
    basis: Basis = CONSENT,
    **kw: object,
):  # type: ignore[no-untyped-def]
    with open_table(source, **kw) as table:  # type: ignore[arg-type]
        return run_import(store, table, suggest_mapping(table), list_name=list_name, basis=basis)


def test_french_csv_with_title_rows(store: ContactStore) -> None:
    report = import_source(store, DATA / "title_rows.csv")
    assert report.added >= 2 and report.invalid == []
    camille = store.get("camille.roche@exemple.fr")
    assert camille is not None
    assert (camille.first_name, camille.last_name) == ("Camille", "Roche")
    assert camille.lists == ["Clients"] and camille.basis == "consent"
    assert camille.basis_proof == "J'accepte de recevoir la lettre"
    assert "0612345678" in camille.fields.values()  # leading zero kept


def test_cp1252_semicolon_csv_keeps_accents(store: ContactStore) -> None:
    import_source(store, DATA / "clients_cp1252.csv")
    names = {c.first_name for c in store.iter_contacts()} | {
        c.last_name for c in store.iter_contacts()
    }
    assert any(ch in "".join(names) for ch in "éèçàÉô")
    assert not any("Ã" in n or "\ufffd" in n for n in names)


def test_utf8_bom_csv_and_pasted_tsv_and_no_header(store: ContactStore) -> None:
    assert import_source(store, DATA / "clients_utf8_bom.csv").added > 0
    pasted = (DATA / "pasted_excel.tsv").read_text(encoding="utf-8")
    report = import_source(store, PastedText(pasted), list_name="Collage")
    assert report.added >= 2
    marie = store.get("marie.curie@exemple.fr")
    assert marie is not None and "12 rue Cuvier\n75005 Paris" in marie.fields.values()
    report = import_source(store, DATA / "no_header.csv", list_name="Sans titre")
    assert report.added == 3 and [r.row for r in report.invalid] == [4]  # Nina has no address
    jean = store.get("jean.martin@exemple.fr")
    assert jean is not None and jean.lists == ["Sans titre"]
    assert (jean.first_name, jean.last_name) == ("Jean", "Martin")  # guessed from the values


def test_the_issues_headerless_email_and_first_name_file(store: ContactStore) -> None:
    """« a headerless CSV of email,first name rows imports the addresses and silently drops the
    name column »: the names arrive, and the report says what each column became."""
    report = import_source(store, DATA / "email_first_name.csv")
    assert (report.added, report.invalid) == (3, [])
    sophie = store.get("sophie.bernard@exemple.fr")
    assert sophie is not None and sophie.first_name == "Sophie"
    assert [(c.column, c.header, c.target) for c in report.columns] == [
        (1, "Column 1", "email"),
        (2, "Column 2", "first_name"),
    ]
    assert [c.label() for c in report.columns] == [
        "Column 1 → email address",
        "Column 2 → first name",
    ]


def test_an_unknown_column_without_header_becomes_a_custom_field(store: ContactStore) -> None:
    text = "a@x.fr\tJean\tmembre\t06 12 34 56 78\nb@x.fr\tMarie\t\t0698765432\n"
    report = import_source(store, PastedText(text))
    assert [c.target for c in report.columns] == [
        "email",
        "first_name",
        "field:Column 3",
        "field:phone",
    ]
    jean = store.get("a@x.fr")
    assert jean is not None and jean.fields == {"Column 3": "membre", "phone": "06 12 34 56 78"}
    assert 'Column 3 → field "Column 3"' in [c.label() for c in report.columns]


def test_libreoffice_spreadsheet_imports(store: ContactStore) -> None:
    report = import_source(store, DATA / "membres.ods")
    assert (report.added, report.invalid) == (3, [])
    jean = store.get("jean.dupont@exemple.fr")
    assert jean is not None and (jean.first_name, jean.last_name) == ("Jean", "Dupont")
    assert jean.fields["postal_code"] == "01000" and jean.fields["phone"] == "612345678"
    report = import_source(store, DATA / "membres.ods", sheet="Bureau", list_name="Bureau")
    assert report.added == 1


def test_override_mapping() -> None:
    headers = ["Column 1", "Column 2", "Ville", "Ville (2)"]
    guessed = ["email", "first_name", "field:city", "field:Ville (2)"]
    assert override_mapping(headers, guessed, []) == guessed
    # By position, by header (any case), by generated name; a custom field; ignore.
    assert override_mapping(headers, guessed, [("2", "last_name"), ("ville", "commune")]) == [
        "email",
        "last_name",
        "field:commune",
        "field:Ville (2)",
    ]
    assert override_mapping(headers, guessed, [("Column 4", "ignore")])[3] == "ignore"
    # Taking a target from the column guessed for it leaves that one out (reported as ignored).
    assert override_mapping(headers, guessed, [("4", "email")]) == [
        "ignore",
        "first_name",
        "field:city",
        "email",
    ]
    # A custom field named like a target, with the field: prefix.
    assert override_mapping(headers, guessed, [("3", "field:ignore")])[2] == "field:ignore"


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([("5", "email")], 'There is no column "5": give a header or a column number (1 "Column'),
        ([("Prénom", "email")], 'There is no column "Prénom"'),
        ([("0", "email")], 'There is no column "0"'),
        ([("1", "first_name"), ("2", "first_name")], 'Two columns are mapped to "first_name"'),
        ([("3", "city"), ("4", "city")], 'Two columns are mapped to "city"'),
        ([("1", "email"), ("Column 1", "ignore")], 'The column "Column 1" is given twice'),
        ([("1", " ")], "--map 1=: give a field after the = sign."),
    ],
)
def test_override_mapping_errors(choices: list[tuple[str, str]], message: str) -> None:
    headers = ["Column 1", "Column 2", "Ville", "Ville (2)"]
    with pytest.raises(ImportRefused) as caught:
        override_mapping(headers, ["email", "first_name", "field:city", "ignore"], choices)
    assert str(caught.value).startswith(message)


def test_french_workbook(store: ContactStore) -> None:
    report = import_source(store, DATA / "clients_fr.xlsx")
    assert report.added > 0
    assert all(c.email == c.email.strip() for c in store.iter_contacts())


def test_duplicates_invalid_suppressed_and_updates_are_reported(store: ContactStore) -> None:
    store.add_to_list  # noqa: B018 - the API exists
    import_source(
        store, PastedText("email\tprénom\nancien@exemple.fr\tAncien\nparti@exemple.fr\tParti\n")
    )
    parti = store.get("parti@exemple.fr")
    assert parti is not None
    store.set_status([parti.id], "unsubscribed", "clicked unsubscribe")
    forget(store, "efface@exemple.fr")
    text = (
        "E-mail\tPrénom\tNom\n"
        "NOUVEAU@exemple.fr\tNina\tNeuf\n"
        "nouveau@EXEMPLE.fr\t\tNeuf-Doublon\n"
        "ancien@exemple.fr\t\tAncienNom\n"
        "Parti@Exemple.fr\tParti\t\n"
        "efface@exemple.fr\tE\tF\n"
        "pas une adresse\tX\tY\n"
        "\t\t\n"
        "a@b@c.fr\tZ\tZ\n"
    )
    report = import_source(store, PastedText(text))
    assert report.to_json()["added"] == 1
    assert report.updated == 1
    assert report.duplicates == 1
    assert report.suppressed == 2
    assert [r.row for r in report.invalid] == [7, 9]
    assert report.invalid[0].value == "pas une adresse" and report.invalid[0].reason
    nina = store.get("nouveau@exemple.fr")
    assert nina is not None and nina.last_name == "Neuf"  # the first row wins, blanks filled
    ancien = store.get("ancien@exemple.fr")
    assert ancien is not None and ancien.first_name == "Ancien" and ancien.last_name == "AncienNom"
    parti = store.get("parti@exemple.fr")
    assert parti is not None and parti.status == "unsubscribed"
    assert store.get("efface@exemple.fr") is None
    assert set(report.to_json()) == IMPORT_JSON_KEYS
    assert report.to_json()["columns"] == [
        {"column": 1, "header": "E-mail", "field": "email"},
        {"column": 2, "header": "Prénom", "field": "first_name"},
        {"column": 3, "header": "Nom", "field": "last_name"},
    ]
    csv_text = report.to_csv().decode("utf-8-sig")
    assert "pas une adresse" in csv_text and "7" in csv_text
    assert "2;Prénom;first name" in csv_text  # what each column became


def test_duplicates_across_batches_are_merged_not_double_counted(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import editor.contacts.importer as importer

    monkeypatch.setattr(importer, "BATCH", 3)
    rows = ["email\tville"] + [f"p{i}@exemple.fr\t" for i in range(7)] + ["p1@exemple.fr\tLyon"]
    report = import_source(store, PastedText("\n".join(rows)))
    assert (report.added, report.updated, report.duplicates) == (7, 0, 1)
    p1 = store.get("p1@exemple.fr")
    assert p1 is not None and "Lyon" in p1.fields.values()


def test_import_refused_when_two_columns_fill_the_same_target(store: ContactStore) -> None:
    text = "email\tville\tcommune\nanne@exemple.fr\tLyon\tVilleurbanne"
    for mapping, named in (
        (["email", "field:city", "field:city"], "city"),
        (["email", "email", "ignore"], "email"),
    ):
        with open_table(PastedText(text)) as table, pytest.raises(ImportRefused, match=named):
            run_import(store, table, mapping, list_name=None, basis=CONSENT)
    with open_table(PastedText(text)) as table:
        report = run_import(
            store, table, ["email", "ignore", "ignore"], list_name=None, basis=CONSENT
        )
    assert report.added == 1 and store.count() == 1


def test_import_refused_without_basis_or_email_column(store: ContactStore) -> None:
    with (
        open_table(PastedText("email\na@b.fr\n")) as table,
        pytest.raises(ImportRefused, match="lawful basis"),
    ):
        run_import(store, table, ["email"], list_name="X", basis=None)
    with (
        open_table(PastedText("nom\tville\nA\tB\n")) as table,
        pytest.raises(ImportRefused, match="email"),
    ):
        run_import(store, table, ["last_name", "field:ville"], list_name="X", basis=CONSENT)
    assert store.count() == 0


def test_hostile_values_are_stored_as_text_and_defused_on_export(
    store: ContactStore, tmp_path: Path
) -> None:
    import_source(store, DATA / "hostile.csv")
    formule = store.get("formule@exemple.fr")
    assert formule is not None
    assert '=HYPERLINK("http://evil.example","clic")' in (
        formule.last_name,
        *formule.fields.values(),
    )
    out = tmp_path / "out.csv"
    export_contacts(store, out, "Clients")
    exported = out.read_text(encoding="utf-8-sig")
    for line in csv.reader(io.StringIO(exported), delimiter=","):
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    xlsx = tmp_path / "out.xlsx"
    export_contacts(store, xlsx, "Clients")
    workbook = load_workbook(xlsx)
    try:
        sheet = workbook.active
        assert sheet is not None
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type == "s" or cell.value is None
    finally:
        workbook.close()


def test_huge_cells_and_nul_bytes_end_cleanly(store: ContactStore) -> None:
    text = (
        "email\tprénom\tnote\n"
        f"long@exemple.fr\t{'A' * 10_000}\t\n"
        "nul@exemple.fr\tZo\x00é\t\n"
        f"note@exemple.fr\tNo\t{'n' * 1500}\n"
    )
    report = import_source(store, PastedText(text))
    assert [r.row for r in report.invalid] == [2]
    assert "10000" in report.invalid[0].reason
    nul = store.get("nul@exemple.fr")
    assert nul is not None and "\x00" not in nul.first_name


def test_sensitive_custom_fields_are_warned(store: ContactStore) -> None:
    report = import_source(store, PastedText("email\tAllergies\tReligion\na@b.fr\tarachide\tx\n"))
    assert len(report.warnings) == 2


def test_progress_reaches_one_and_cancel_stops_between_batches(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import editor.contacts.importer as importer

    monkeypatch.setattr(importer, "BATCH", 10)
    text = "email\n" + "\n".join(f"c{i}@exemple.fr" for i in range(100))
    seen: list[float] = []
    with open_table(PastedText(text)) as table:
        report = run_import(
            store, table, ["email"], list_name=None, basis=CONSENT, progress=seen.append
        )
    assert seen[-1] == 1.0 and seen == sorted(seen) and report.added == 100
    with open_table(PastedText(text.replace("@", "x@"))) as table:
        report = run_import(
            store, table, ["email"], list_name=None, basis=CONSENT, cancelled=lambda: True
        )
    assert report.cancelled and report.added == 10


cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=30
).map(str.strip)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(rows=[("'=", "''-x", "@home"), ("+33 6", "=1+1", "'plain")], delimiter=";")
@example(rows=[("\x1b\x08\x08", "\x1b\x08\x08", "\x1b\x08\x08")] * 3, delimiter=",")
@given(
    rows=st.lists(st.tuples(cell, cell, cell), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_any_csv_round_trips_through_import_and_export(
    tmp_path: Path, rows: list[tuple[str, str, str]], delimiter: str
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    source = io.StringIO()
    writer = csv.writer(source, delimiter=delimiter)
    writer.writerow(["E-mail", "Prénom", "Nom", "Note"])
    expected = {}
    for i, (first, last, note) in enumerate(rows):
        address = f"person{i}@exemple.fr"
        writer.writerow([address, first, last, note])
        expected[address] = (first, last, note)
    (folder / "in.csv").write_text(source.getvalue(), encoding="utf-8")
    with ContactStore(folder / "db.sqlite3") as db:
        report = import_source(db, folder / "in.csv", list_name="RT")
        assert report.added == len(rows), report.invalid
        export_contacts(db, folder / "out.csv", "RT")
    with ContactStore(folder / "db2.sqlite3") as db2:
        import_source(db2, folder / "out.csv", list_name="RT")
        for address, (first, last, note) in expected.items():
            contact = db2.get(address)
            assert contact is not None
            assert (contact.first_name, contact.last_name) == (first, last)
            assert contact.fields.get("notes", "") == note  # « Note » is the usual "notes" field


def test_a_source_column_in_a_users_file_is_kept(store: ContactStore) -> None:
    import_source(store, PastedText("email\tSource\na@b.fr\tSalon 2025\n"))
    contact = store.get("a@b.fr")
    assert contact is not None and "Salon 2025" in contact.fields.values()


def test_a_users_apostrophe_is_kept_and_our_exports_read_back_exactly(
    store: ContactStore, tmp_path: Path
) -> None:
    import_source(store, PastedText("email\tnom\na@b.fr\t'=x\nc@d.fr\t=y\n"))
    a, c = store.get("a@b.fr"), store.get("c@d.fr")
    assert a is not None and a.last_name == "'=x"
    assert c is not None and c.last_name == "=y"
    export_contacts(store, tmp_path / "e.csv")
    with ContactStore(tmp_path / "again.sqlite3") as again:
        import_source(again, tmp_path / "e.csv")
        assert [again.get("a@b.fr").last_name, again.get("c@d.fr").last_name] == ["'=x", "=y"]  # type: ignore[union-attr]


def test_a_repeat_in_a_later_batch_only_fills_blanks(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first row of an address wins wherever its repeat falls: in the same batch or in a
    later one, a repeated row fills blanks and never overwrites (and is counted once)."""
    import editor.contacts.importer as importer

    monkeypatch.setattr(importer, "BATCH", 2)
    text = (
        "E-mail\tPrénom\tVille\tSociété\n"
        "a@x.fr\tJean\tParis\t\n"
        "b@x.fr\tBruno\t\t\n"
        "c@x.fr\tCléo\t\t\n"
        "A@X.fr\tJacques\tLyon\tACME\n"
        "d@x.fr\tDina\t\t\n"
        "b@x.fr\t\tNantes\t\n"
        "B@x.fr\tBob\tBrest\tBTP\n"
    )
    report = import_source(store, PastedText(text))
    assert (report.added, report.updated, report.duplicates) == (4, 0, 3)
    bruno = store.get("b@x.fr")
    assert bruno is not None and bruno.first_name == "Bruno"
    assert bruno.fields == {"city": "Nantes", "company": "BTP"}
    jean = store.get("a@x.fr")
    assert jean is not None
    assert jean.first_name == "Jean"
    assert jean.fields == {"city": "Paris", "company": "ACME"}


def test_a_row_wider_than_its_header_is_rejected_not_shifted(
    store: ContactStore, tmp_path: Path
) -> None:
    """An unquoted separator inside a value (« Dupont, Jean » in a comma CSV) shifts the cells
    after it: the row is rejected with its reason, never imported with the city « Jean »."""
    path = tmp_path / "shift.csv"
    path.write_text("email,nom,ville\nd@x.fr,Dupont, Jean,Paris\ne@x.fr,Durand,Lyon\n")
    report = import_source(store, path)
    assert (report.added, len(report.invalid)) == (1, 1)
    assert report.invalid[0].row == 2 and "4" in report.invalid[0].reason
    assert store.get("d@x.fr") is None
    durand = store.get("e@x.fr")
    assert durand is not None and durand.fields == {"city": "Lyon"}


def test_control_characters_do_not_break_the_xlsx_export(
    store: ContactStore, tmp_path: Path
) -> None:
    """A CSV may carry control characters (\\x01, \\x1b...) that XML, hence XLSX, cannot hold:
    the export leaves them out instead of failing."""
    path = tmp_path / "ctrl.csv"
    path.write_text("email,prénom,ville\ng@x.fr,Ga\x01ël,Pa\x1bris\x0b\n", encoding="utf-8")
    assert import_source(store, path).added == 1
    xlsx = tmp_path / "out.xlsx"
    assert export_contacts(store, xlsx, "Clients") == 1
    values = [c.value for c in next(load_workbook(xlsx).active.iter_rows(min_row=2))]
    assert values[:2] == ["g@x.fr", "Gaël"] and "Paris" in values
