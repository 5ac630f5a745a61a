"""Column mapping: French and English headers, addresses found by content, names split."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.contacts.mapping import (
    FIELD_PREFIX,
    TARGETS,
    content_target,
    field_name,
    guess_mapping,
    header_key,
    is_generated_header,
    known_target,
    mapping_fields,
    split_full_name,
)
from editor.contacts.readers import open_table

DATA = Path(__file__).resolve().parent.parent / "data" / "contacts"


@pytest.mark.parametrize(
    "header",
    [
        "Adresse e-mail",
        "Adresse mail",
        "Adresse email",
        "Adresse électronique",
        "Adresse de messagerie",
        "Courriel",
        "COURRIEL",
        "Courriel (pro)",
        "E-mail",
        "e-mail",
        "E-Mail",
        "Email",
        "EMAIL",
        "Mail",
        "Mél",
        "Email Address",
        "E-mail Address",
        "E-mail 1 - Value",
        "Votre adresse e-mail",
        "Email professionnel",
        "Adresse e-mail principale",
        "  Adresse\ne-mail  ",
        "e_mail",
        "E.mail",
    ],
)
def test_email_headers(header: str) -> None:
    assert known_target(header) == "email"


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Prénom", "first_name"),
        ("PRENOM", "first_name"),
        ("prénoms", "first_name"),
        ("First name", "first_name"),
        ("FirstName", "first_name"),
        ("first_name", "first_name"),
        ("Given Name", "first_name"),
        ("Nom", "last_name"),
        ("NOM", "last_name"),
        ("Nom de famille", "last_name"),
        ("Nom d'usage", "last_name"),
        ("Last name", "last_name"),
        ("last_name", "last_name"),
        ("Surname", "last_name"),
        ("Family Name", "last_name"),
        ("Nom complet", "full_name"),
        ("Full name", "full_name"),
        ("Name", "full_name"),
        ("Nom et prénom", "full_name"),
        ("Nom Prénom", "full_name"),
        ("Société", "field:company"),
        ("Entreprise", "field:company"),
        ("Company", "field:company"),
        ("Organization", "field:company"),
        ("Organisation", "field:company"),
        ("Organization Name", "field:company"),
        ("Raison sociale", "field:company"),
        ("Ville", "field:city"),
        ("City", "field:city"),
        ("Ville (bureau)", "field:city"),
        ("Téléphone", "field:phone"),
        ("Tél.", "field:phone"),
        ("Phone", "field:phone"),
        ("Phone 1 - Value", "field:phone"),
        ("Téléphone (bureau)", "field:phone"),
        ("Portable", "field:mobile"),
        ("Mobile", "field:mobile"),
        ("Code postal", "field:postal_code"),
        ("CP", "field:postal_code"),
        ("Zip", "field:postal_code"),
        ("ZIP Code", "field:postal_code"),
        ("Address 1 - Postal Code", "field:postal_code"),
        ("Address 1 - City", "field:city"),
        ("Address 1 - Street", "field:address"),
        ("Adresse", "field:address"),
        ("Pays", "field:country"),
        ("Country", "field:country"),
        ("Civilité", "field:civility"),
        ("Fonction", "field:job_title"),
        ("Job Title", "field:job_title"),
        ("Organization 1 - Title", "field:job_title"),
        ("Date de naissance", "field:birthday"),
        ("Birthday", "field:birthday"),
        ("Site web", "field:website"),
        ("Remarques", "field:notes"),
        ("E-mail 1 - Type", "ignore"),
        ("E-mail 1 - Label", "ignore"),
        ("E-mail Display Name", "ignore"),
        ("Photo", "ignore"),
        ("File As", "ignore"),
        ("Address 1 - Formatted", "ignore"),
    ],
)
def test_known_headers(header: str, target: str) -> None:
    assert known_target(header) == target


@pytest.mark.parametrize(
    "header",
    [
        "Liste des clients 2024",
        "Cotisation",
        "Date d'inscription",
        "Contacts",
        "Client",
        "2024",
        "",
        "Jean Dupont",
        "jean@exemple.fr",
        "Mail envoyé",
        "E-mail marketing accepté",
    ],
)
def test_unknown_headers(header: str) -> None:
    assert known_target(header) is None


def test_header_key() -> None:
    assert header_key("  Adresse E-MAIL (pro) ") == "adresse e mail pro"
    assert header_key("Prénom") == "prenom"
    assert header_key("Nœud") == "noeud"
    assert header_key("ＥＭＡＩＬ") == "email"  # full-width letters


def test_generated_headers() -> None:
    assert is_generated_header("Column 3")
    assert is_generated_header("Colonne 12")
    assert not is_generated_header("Colonne vertébrale")


def test_targets_and_fields() -> None:
    assert {"email", "first_name", "last_name", "full_name", "ignore"} <= set(TARGETS)
    assert FIELD_PREFIX in TARGETS
    assert field_name("field:Société") == "Société"
    assert field_name("email") is None
    assert mapping_fields(["email", "field:city", "ignore", "field:Cotisation"]) == [
        "city",
        "Cotisation",
    ]


def _fixture_mapping(name: str) -> list[str]:
    with open_table(DATA / name) as table:
        return guess_mapping(table.headers, table.preview())


def test_fixture_mappings() -> None:
    assert _fixture_mapping("clients_cp1252.csv") == [
        "last_name",
        "first_name",
        "email",
        "field:company",
        "field:city",
        "field:postal_code",
        "field:Cotisation",
    ]
    assert _fixture_mapping("clients_utf8_bom.csv") == [
        "email",
        "first_name",
        "last_name",
        "field:company",
        "field:notes",
    ]
    assert _fixture_mapping("title_rows.csv") == ["first_name", "last_name", "email", "field:phone"]
    assert _fixture_mapping("no_header.csv") == ["first_name", "email", "last_name"]
    assert _fixture_mapping("email_first_name.csv") == ["email", "first_name"]
    assert _fixture_mapping("clients_fr.xlsx") == [
        "field:civility",
        "first_name",
        "last_name",
        "email",
        "field:phone",
        "field:Date d'inscription",
        "ignore",  # « Nom complet » beside first and last names
        "field:Montant",
        "field:Actif",
    ]


def test_google_contacts_mapping() -> None:
    with open_table(DATA / "google_contacts.csv") as table:
        mapping = dict(
            zip(table.headers, guess_mapping(table.headers, table.preview()), strict=True)
        )
    assert mapping["First Name"] == "first_name"
    assert mapping["Last Name"] == "last_name"
    assert mapping["E-mail 1 - Value"] == "email"
    assert mapping["E-mail 2 - Value"] == "field:E-mail 2 - Value"  # never two on email
    assert mapping["E-mail 1 - Label"] == "ignore"
    assert mapping["Organization Name"] == "field:company"
    assert mapping["Phone 1 - Value"] == "field:phone"
    assert mapping["Address 1 - City"] == "field:city"
    assert mapping["Address 1 - Postal Code"] == "field:postal_code"
    assert mapping["Phonetic First Name"] == "ignore"
    assert mapping["Nickname"] == "field:nickname"
    assert list(mapping.values()).count("email") == 1


def test_outlook_french_export() -> None:
    headers = ["Prénom", "Deuxième prénom", "Nom", "Société", "Adresse de messagerie"]
    headers += ["Nom complet de l'adresse de messagerie", "Rue (bureau)", "Code postal (bureau)"]
    sample = ["Jean", "", "Dupont", "ACME", "jean@acme.fr", "Jean Dupont", "1 rue X", "75001"]
    assert guess_mapping(headers, [sample]) == [
        "first_name",
        "field:middle_name",
        "last_name",
        "field:company",
        "email",
        "field:Nom complet de l'adresse de messagerie",
        "field:address",
        "field:postal_code",
    ]


def test_email_found_by_content() -> None:
    headers = ["Column 1", "Column 2", "Column 3"]
    samples = [
        ["Jean", "Martin", "jean.martin@exemple.fr"],
        ["Sophie", "Bernard", "sophie.bernard@exemple.fr"],
        ["Luc", "Petit", ""],
        ["Nina", "Roux", "pas d'adresse"],
    ]
    assert guess_mapping(headers, samples) == ["first_name", "last_name", "email"]


def test_content_beats_an_unnamed_header() -> None:
    headers = ["Contact", "Coordonnées", "Ville"]
    samples = [["Jean Dupont", "jean@exemple.fr", "Lyon"], ["Marie Curie", "marie@x.fr", "Paris"]]
    assert guess_mapping(headers, samples) == ["full_name", "email", "field:city"]


def test_named_email_column_without_addresses_loses_to_content() -> None:
    headers = ["Mail", "Adresse", "Nom"]
    samples = [["oui", "jean@exemple.fr", "Dupont"], ["non", "marie@exemple.fr", "Curie"]]
    assert guess_mapping(headers, samples) == ["field:Mail", "email", "last_name"]


def test_never_two_email_columns() -> None:
    headers = ["Email perso", "Email pro", "Nom"]
    samples = [["", "jean@acme.fr", "Dupont"], ["marie@x.fr", "marie@acme.fr", "Curie"]]
    assert guess_mapping(headers, samples) == ["field:Email perso", "email", "last_name"]
    assert guess_mapping(["Email", "E-mail"], []) == ["email", "field:E-mail"]


def test_no_email_at_all() -> None:
    assert guess_mapping(["Prénom", "Nom"], [["Jean", "Dupont"]]) == ["first_name", "last_name"]


def test_duplicate_targets_become_fields() -> None:
    headers = ["Prénom", "First name", "Téléphone", "Phone", "Ville"]
    samples = [["Jean", "John", "01", "02", "Lyon"]]
    assert guess_mapping(headers, samples) == [
        "first_name",
        "field:First name",
        "field:phone",
        "field:Phone",
        "field:city",
    ]


def test_empty_and_unknown_columns() -> None:
    headers = ["Email", "Cotisation", "Vide", "Column 4", "   "]
    samples = [["a@x.fr", "25", "", "x", ""], ["b@x.fr", "", "", "y", ""]]
    assert guess_mapping(headers, samples) == [
        "email",
        "field:Cotisation",
        "ignore",  # empty in every sample
        "field:Column 4",  # a column without header, values unknown: kept, never dropped
        "ignore",
    ]
    # Without samples (a header-only file) an unknown column is still offered as a field.
    assert guess_mapping(["Email", "Cotisation"], []) == ["email", "field:Cotisation"]


@pytest.mark.parametrize(
    ("headers", "samples", "expected"),
    [
        (["Nom", "Email"], [["Jean Dupont", "a@x.fr"], ["Marie Curie", "b@x.fr"]], "full_name"),
        (["Nom", "Email"], [["Dupont", "a@x.fr"], ["Curie", "b@x.fr"]], "last_name"),
        (["Name", "Email"], [["Dupont", "a@x.fr"]], "full_name"),
        (["Name", "First name", "Email"], [["Dupont", "Jean", "a@x.fr"]], "last_name"),
    ],
)
def test_nom_and_name(headers: list[str], samples: list[list[str]], expected: str) -> None:
    assert guess_mapping(headers, samples)[0] == expected


def test_full_name_beside_first_and_last_is_ignored() -> None:
    headers = ["Name", "Given Name", "Family Name", "E-mail 1 - Value"]
    samples = [["Jean Dupont", "Jean", "Dupont", "jean@x.fr"]]
    assert guess_mapping(headers, samples) == ["ignore", "first_name", "last_name", "email"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["Jean", "Marie", "Jean-François", "Zoé", "Kwame"], "first_name"),
        (["Jean Dupont", "DUPONT Marie", "Dupont, Luc", "M. Paul Martin"], "full_name"),
        (["Martin", "Lefèvre", "LE GOFF", "N'Diaye"], "last_name"),
        (["06 12 34 56 78", "+33 6 12 34 56 78", "0612345678", "01.45.67.89.01"], "field:phone"),
        (["75001", "69002", "01000", "13008"], "field:postal_code"),
        (["2024-03-05", "2023-11-02 14:30", "05/03/2024", "5.3.24"], "field:date"),
        (["https://exemple.fr", "www.exemple.com"], "field:website"),
        (["M.", "Mme", "Madame", "Dr"], "field:civility"),
        (["1998", "2001", "2010"], None),  # years are no postcodes
        (["12,50", "3", "oui"], None),
        (["Lyon, le 3 mai à 10 h", "Paris 15e"], None),
        ([], None),
    ],
)
def test_content_target(values: list[str], expected: str | None) -> None:
    assert content_target(values) == expected


def test_file_without_header_keeps_every_column() -> None:
    """The issue's case and its neighbours: each column becomes something, none is dropped."""
    headers = [f"Column {i}" for i in range(1, 8)]
    samples = [
        ["jean@x.fr", "Jean", "Dupont", "06 12 34 56 78", "75001", "2024-03-05", "VIP"],
        ["marie@x.fr", "Marie", "Curie", "0698765432", "69002", "2023-01-02", "Bénévole"],
        ["luc@x.fr", "Luc", "Petit", "", "13008", "", "12 €"],
    ]
    assert guess_mapping(headers, samples) == [
        "email",
        "first_name",
        "last_name",
        "field:phone",
        "field:postal_code",
        "field:date",
        "field:Column 7",
    ]
    # Two columns of full names or of phones: the first keeps the target, the next its name.
    twice = guess_mapping(
        ["Colonne 1", "Colonne 2", "Colonne 3"],
        [["a@x.fr", "Jean Dupont", "Marie Dupont"], ["b@x.fr", "Luc Petit", "Zoé Petit"]],
    )
    assert twice == ["email", "full_name", "field:Colonne 3"]
    # A named first-name column: an unnamed column of single words beside it is the surname.
    assert guess_mapping(["Prénom", "Column 2", "Email"], [["Jean", "Dupont", "a@x.fr"]]) == [
        "first_name",
        "last_name",
        "email",
    ]
    # Capitalised single words with no first names anywhere stay a custom field.
    assert guess_mapping(["Column 1", "Column 2"], [["a@x.fr", "Lyon"], ["b@x.fr", "Nantes"]]) == [
        "email",
        "field:Column 2",
    ]


def test_mapping_length_matches_headers() -> None:
    headers = [f"Colonne {i}" for i in range(1, 300)]
    assert len(guess_mapping(headers, [["x"] * 10])) == 299
    assert guess_mapping([], []) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jean Dupont", ("Jean", "Dupont")),
        ("  Jean   Dupont ", ("Jean", "Dupont")),
        ("Jean-Pierre Dupont", ("Jean-Pierre", "Dupont")),
        ("DUPONT Jean", ("Jean", "DUPONT")),
        ("Jean DUPONT", ("Jean", "DUPONT")),
        ("LE GOFF Jean-Pierre", ("Jean-Pierre", "LE GOFF")),
        ("Jean-Pierre LE GOFF", ("Jean-Pierre", "LE GOFF")),
        ("Dupont, Jean", ("Jean", "Dupont")),
        ("de La Fontaine, Jean", ("Jean", "de La Fontaine")),
        ("Jean de La Fontaine", ("Jean", "de La Fontaine")),
        ("Jean d'Ormesson", ("Jean", "d'Ormesson")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven")),
        ("M. Jean Dupont", ("Jean", "Dupont")),
        ("Mme Marie Curie", ("Marie", "Curie")),
        ("Dr. Marie Curie", ("Marie", "Curie")),
        ("J. DUPONT", ("J.", "DUPONT")),
        ("Marie Claire Dupont", ("Marie", "Claire Dupont")),
        ("Madonna", ("Madonna", "")),
        ("", ("", "")),
        ("M.", ("M.", "")),
    ],
)
def test_split_full_name(value: str, expected: tuple[str, str]) -> None:
    assert split_full_name(value) == expected
