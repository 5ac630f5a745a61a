"""GDPR tools: access export, erasure that leaves only a hash, retention, sensitive fields."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.contacts.privacy import (
    RETENTION_DAYS_PROSPECTS,
    defuse,
    export_person,
    forget,
    inactive,
    purge,
    sensitive_category,
    sensitive_field_warnings,
    write_person_export,
)
from editor.contacts.store import Basis, ContactInput, ContactQuery, ContactStore
from editor.i18n import set_language

CONSENT = Basis("consent", "formulaire du site", "Case « J’accepte » cochée", "2025-03-01")
T0 = "2026-01-10T09:00:00Z"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ContactStore]:
    with ContactStore(tmp_path / "contacts.sqlite3") as opened:
        yield opened


def filled(store: ContactStore) -> int:
    """Marie with lists, fields, history and an unsubscription; returns her id."""
    clients = store.create_list("Clients")
    presse = store.create_list("Presse")
    marie = store.add(
        ContactInput(
            "Marie.Dupont@Exemple.fr",
            "Marie",
            "Dupont",
            {"Ville": "Nantes", "Note": '=HYPERLINK("http://evil.example")'},
        ),
        CONSENT,
        clients,
        now=T0,
    )
    store.add_to_list([marie], presse, now="2026-01-11T09:00:00Z")
    store.touch([marie], "2026-01-12T09:00:00Z")
    store.set_status(
        [marie], "unsubscribed", "lien de désinscription", "inbox", now="2026-01-13T09:00:00Z"
    )
    return marie


# --- access ----------------------------------------------------------------------------------


def test_export_person_holds_everything(store: ContactStore) -> None:
    marie = filled(store)
    data = export_person(store, "marie.dupont@EXEMPLE.fr", now="2026-02-01T00:00:00Z")
    assert data["held"] is True
    assert data["exported_at"] == "2026-02-01T00:00:00Z"
    contact = data["contact"]
    assert contact["id"] == marie
    assert (contact["email"], contact["first_name"], contact["last_name"]) == (
        "Marie.Dupont@Exemple.fr",
        "Marie",
        "Dupont",
    )
    assert contact["fields"]["Ville"] == "Nantes"
    assert contact["status"] == "unsubscribed"
    assert contact["last_activity_at"] == "2026-01-12T09:00:00Z"
    assert data["basis"] == {
        "kind": "consent",
        "source": "formulaire du site",
        "date": "2025-03-01",
        "proof": "Case « J’accepte » cochée",
    }
    assert data["lists"] == [
        {"name": "Clients", "added_at": T0},
        {"name": "Presse", "added_at": "2026-01-11T09:00:00Z"},
    ]
    assert [event["kind"] for event in data["history"]] == ["created", "list_added", "status"]
    assert data["history"][-1]["reason"] == "lien de désinscription"
    assert data["suppressed"] is True
    assert data["suppression"] == {"reason": "unsubscribed", "at": "2026-01-13T09:00:00Z"}
    json.dumps(data)  # JSON-ready as it is


def test_export_of_someone_not_held(store: ContactStore) -> None:
    data = export_person(store, "inconnu@exemple.fr")
    assert (data["held"], data["contact"], data["lists"], data["history"]) == (False, None, [], [])
    assert data["suppressed"] is False
    forget(store, "inconnu@exemple.fr")
    data = export_person(store, "INCONNU@exemple.fr")
    assert data["held"] is False and data["suppression"]["reason"] == "erased"


def test_write_person_export_json_and_csv(store: ContactStore, tmp_path: Path) -> None:
    filled(store)
    folder = tmp_path / "exports"
    json_path, csv_path = write_person_export(store, "Marie.Dupont@Exemple.fr", folder)
    assert json_path.parent == csv_path.parent == folder
    assert json_path.name == "data-Marie.Dupont@Exemple.fr.json"
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["contact"]["last_name"] == "Dupont"

    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["field", "value"]
    assert all(len(row) == 2 for row in rows)
    values = dict(rows[1:])
    assert values["Email address"] == "Marie.Dupont@Exemple.fr"
    assert values["First name"] == "Marie"
    assert values["Field: Ville"] == "Nantes"
    assert values["Field: Note"] == '\'=HYPERLINK("http://evil.example")'
    assert values["Proof"] == "Case « J’accepte » cochée"
    assert values["List: Presse"] == "2026-01-11T09:00:00Z"
    assert values["Suppression list"].startswith("unsubscribed")
    assert any(key.startswith("History") and "lien de désinscription" in v for key, v in rows[1:])
    assert not list(folder.glob(".*.tmp"))  # atomic writes leave no temp file


def test_csv_export_is_in_french_when_asked(
    store: ContactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    filled(store)
    monkeypatch.setenv("BULLETIN_LANG", "fr")
    set_language("fr")
    json_path, csv_path = write_person_export(store, "marie.dupont@exemple.fr", tmp_path)
    assert json_path.name.startswith("donnees-")
    text = csv_path.read_bytes().decode("utf-8-sig")
    assert text.startswith("champ,valeur\r\n")
    assert "Prénom,Marie" in text


def test_a_hostile_address_makes_a_safe_file_name(store: ContactStore, tmp_path: Path) -> None:
    json_path, csv_path = write_person_export(store, "../../etc/pass wd@x.fr", tmp_path)
    assert json_path.parent == tmp_path and csv_path.parent == tmp_path
    assert "/" not in json_path.name and " " not in json_path.name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Marie", "Marie"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_defuse(value: str, expected: str) -> None:
    assert defuse(value) == expected


# --- erasure ---------------------------------------------------------------------------------


SECRETS = (
    "zygomatic.quux",
    "Zygomatic.Quux",
    "Philomène",
    "philomène",
    "philomene",
    "Quatremer",
    "quatremer",
)


def database_bytes(path: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-journal"):
        part = Path(str(path) + suffix)
        if part.exists():
            data += part.read_bytes()
    return data


def test_forget_leaves_only_a_salted_hash(store: ContactStore) -> None:
    clients = store.create_list("Clients")
    others = [
        ContactInput(f"personne{i}@exemple.fr", f"Prénom{i}", f"Nom{i}", {"Ville": "Lyon"})
        for i in range(3000)
    ]
    store.upsert_many(others[:1500], list_id=clients, basis=CONSENT, now=T0)
    target = store.add(
        ContactInput(
            "Zygomatic.Quux@Exemple.ORG", "Philomène", "Quatremer", {"Ville": "Quatremer-sur-Mer"}
        ),
        CONSENT,
        clients,
    )
    store.upsert_many(others[1500:], list_id=clients, basis=CONSENT)
    # older versions of her row: edits, a new address, an unsubscription, another import
    store.update(target, last_name="Quatremer-Philomène", fields={"Note": "zygomatic.quux"})
    store.update(target, email="zygomatic.quux@exemple.fr")
    store.set_status([target], "unsubscribed", "zygomatic.quux a répondu STOP")
    store.touch([target], "2026-01-20T00:00:00Z")
    before = database_bytes(store.path)
    assert any(secret.encode() in before for secret in SECRETS)

    assert forget(store, "ZYGOMATIC.QUUX@exemple.fr") == (True, True)  # held, nothing left on disk

    assert store.get("zygomatic.quux@exemple.fr") is None and store.get_by_id(target) is None
    conn = store.connection
    assert conn.execute(
        "SELECT count(*) FROM events WHERE contact_id = ?", (target,)
    ).fetchone() == (0,)
    assert conn.execute(
        "SELECT count(*) FROM memberships WHERE contact_id = ?", (target,)
    ).fetchone() == (0,)
    info = store.suppression_info("zygomatic.quux@exemple.fr")
    assert info is not None and info[0] == "erased"
    assert store.is_suppressed("Zygomatic.Quux@exemple.fr")
    assert store.count() == 3000
    data = database_bytes(store.path)
    for secret in SECRETS:
        assert secret.encode() not in data, secret
    key = store.suppression_key("zygomatic.quux@exemple.fr")
    assert key.encode() in database_bytes(store.path)
    store.close()
    data = database_bytes(store.path)
    for secret in SECRETS:
        assert secret.encode() not in data, secret

    with ContactStore(store.path) as again:
        result = again.upsert_many(
            [ContactInput("zygomatic.quux@EXEMPLE.fr", "Philomène")], list_id=None, basis=CONSENT
        )
        assert result.suppressed == ["zygomatic.quux@EXEMPLE.fr"] and result.added == 0


def test_forget_someone_unknown_still_blocks_a_future_import(store: ContactStore) -> None:
    assert forget(store, "jamais.vu@exemple.fr").held is False
    assert store.suppression_info("jamais.vu@exemple.fr") is not None
    result = store.upsert_many([ContactInput("Jamais.Vu@exemple.fr")], list_id=None, basis=CONSENT)
    assert result.suppressed == ["Jamais.Vu@exemple.fr"]
    assert forget(store, "jamais.vu@exemple.fr").held is False  # twice is harmless
    assert store.suppressed_count() == 1


# --- retention -------------------------------------------------------------------------------


def test_inactive_then_purge(store: ContactStore) -> None:
    now = "2029-06-01T00:00:00Z"
    old = store.add(ContactInput("old@x.fr"), CONSENT, now="2025-01-01T00:00:00Z")
    active = store.add(ContactInput("active@x.fr"), CONSENT, now="2025-01-01T00:00:00Z")
    store.touch([active], "2028-01-01T00:00:00Z")
    edited = store.add(ContactInput("edited@x.fr"), CONSENT, now="2025-01-01T00:00:00Z")
    store.update(edited, first_name="Eddy", now="2027-01-01T00:00:00Z")
    customer = store.add(ContactInput("client@x.fr"), Basis("customer"), now="2025-02-01T00:00:00Z")
    recent = store.add(ContactInput("recent@x.fr"), CONSENT, now="2029-01-01T00:00:00Z")
    renewed = store.add(ContactInput("renewed@x.fr"), CONSENT, now="2024-01-01T00:00:00Z")
    store.touch([renewed], "2025-01-01T00:00:00Z")  # emailed long ago…
    store.set_basis([renewed], CONSENT, now="2029-05-01T00:00:00Z")  # …consent given again

    preview = inactive(store, RETENTION_DAYS_PROSPECTS, now)
    assert [c.id for c in preview] == [old, customer]
    assert [c.id for c in inactive(store, RETENTION_DAYS_PROSPECTS, now, basis="consent")] == [old]
    assert [c.id for c in inactive(store, 365, now)] == [old, customer, edited, active]
    assert store.count() == 6  # a preview deletes nothing

    assert purge(store, [c.id for c in preview]) == 2
    assert store.count() == 4
    assert store.get("old@x.fr") is None and store.get("client@x.fr") is None
    info = store.suppression_info("old@x.fr")
    assert info is not None and info[0] == "erased"
    result = store.upsert_many(
        [ContactInput("old@x.fr"), ContactInput("new@x.fr")], list_id=None, basis=CONSENT
    )
    assert (result.added, result.suppressed) == (1, ["old@x.fr"])
    assert {c.email for c in store.iter_contacts()} == {
        "active@x.fr",
        "edited@x.fr",
        "recent@x.fr",
        "renewed@x.fr",
        "new@x.fr",
    }
    assert purge(store, []) == 0
    assert recent in store.ids(ContactQuery())
    with pytest.raises(ValueError, match="positive"):
        inactive(store, -1)


# --- sensitive fields ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Santé", "health"),
        ("état de santé", "health"),
        ("SANTE", "health"),
        ("healthStatus", "health"),
        ("santéMentale", "health"),
        ("Maladies chroniques", "health"),
        ("Handicap", "health"),
        ("Allergies", "health"),
        ("Groupe sanguin", "health"),
        ("Religion", "religion"),
        ("Confession", "religion"),
        ("culte", "religion"),
        ("Opinion politique", "politics"),
        ("Parti", "politics"),
        ("political_affiliation", "politics"),
        ("Syndicat", "union"),
        ("syndiqué", "union"),
        ("Trade union", "union"),
        ("union_member", "union"),
        ("Orientation sexuelle", "sex"),
        ("Sexual orientation", "sex"),
        ("sex life", "sex"),
        ("Vie sexuelle", "sex"),
        ("Sexualité", "sex"),
        ("Origine ethnique", "ethnic"),
        ("Ethnicity", "ethnic"),
        ("Race", "ethnic"),
        ("Biométrie", "genetic"),
        ("Données génétiques", "genetic"),
        ("Empreinte digitale", "genetic"),
        ("ADN", "genetic"),
    ],
)
def test_sensitive_fields_are_recognised(name: str, category: str) -> None:
    assert sensitive_category(name) == category


@pytest.mark.parametrize(
    "name",
    [
        "Unionville",
        "Réunion",
        "Partner",
        "Partenaire",
        "Participant",
        "Particulier",
        "Département",
        "Syndic",
        "Syndic de copropriété",
        "Origine",
        "Origine du contact",
        "Orientation",
        "Sexe",
        "Civilité",
        "Culture",
        "Politesse",
        "Santeuil",
        "Trace",
        "Empreinte carbone",
        "Healthcare sector",
        "Entreprise",
        "Ville",
        "Société",
        "Date de naissance",
        "",
        "___",
    ],
)
def test_no_false_alarm(name: str) -> None:
    assert sensitive_category(name) is None


def test_sensitive_field_warnings_are_bilingual(monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["Ville", "Santé", "Religion", "Société"]
    warnings = sensitive_field_warnings(names)
    assert len(warnings) == 2
    assert '"Santé"' in warnings[0] and "health" in warnings[0] and "GDPR" in warnings[0]
    assert '"Religion"' in warnings[1] and "religious" in warnings[1]
    monkeypatch.setenv("BULLETIN_LANG", "fr")
    set_language("fr")
    warnings = sensitive_field_warnings(iter(names))
    assert "« Santé »" in warnings[0] and "de santé" in warnings[0] and "RGPD" in warnings[0]
    assert sensitive_field_warnings([]) == []


def test_purge_of_a_preview_spares_contacts_active_since(store: ContactStore) -> None:
    """The preview is what the user agreed to erase: a contact that came back to life between
    the preview and the confirmation (a send, a click, a renewed consent) is not erased."""
    now = "2029-06-01T00:00:00Z"
    sleepy = store.add(ContactInput("sleepy@x.fr"), CONSENT, now="2025-01-01T00:00:00Z")
    woke = store.add(ContactInput("woke@x.fr"), CONSENT, now="2025-01-01T00:00:00Z")
    renewed = store.add(ContactInput("renewed@x.fr"), CONSENT, now="2025-01-01T00:00:00Z")
    preview = inactive(store, RETENTION_DAYS_PROSPECTS, now)
    assert {c.id for c in preview} == {sleepy, woke, renewed}
    store.touch([woke], "2029-06-01T10:00:00Z")  # a message opened meanwhile
    store.set_basis([renewed], CONSENT, now="2029-06-01T10:00:00Z")  # consent given again

    assert purge(store, preview) == 1
    assert store.get("sleepy@x.fr") is None
    assert store.get("woke@x.fr") is not None and store.get("renewed@x.fr") is not None
    assert not store.is_suppressed("woke@x.fr") and not store.is_suppressed("renewed@x.fr")


def test_forget_removes_the_address_from_other_histories(store: ContactStore) -> None:
    """An address a contact used to have stays in its history (« edited »: old → new): erasing
    that address removes it there too, the rest of the history stays."""
    moved = store.add(ContactInput("Ancienne@X.fr", "Anne"), CONSENT, now=T0)
    store.update(moved, email="nouvelle@x.fr", first_name="Annie", now=T0)
    assert forget(store, "ancienne@x.fr", now=T0).held is False
    dump = json.dumps([list(r) for r in store.connection.execute("SELECT * FROM events")])
    assert "ancienne" not in dump.casefold()
    edits = [e for e in store.history(moved) if e.kind == "edited"]
    assert len(edits) == 1
    assert json.loads(edits[0].new or "{}")["first_name"] == "Annie"
    assert store.is_suppressed("ancienne@x.fr")
    # purging a contact whose address another contact used to have scrubs it there too
    store.update(moved, email="troisieme@x.fr", now=T0)  # history: nouvelle → troisieme
    other = store.add(ContactInput("Nouvelle@x.fr"), CONSENT, now=T0)
    assert purge(store, [other]) == 1
    dump = json.dumps([list(r) for r in store.connection.execute("SELECT * FROM events")])
    assert "nouvelle@x.fr" not in dump.casefold() and "troisieme@x.fr" in dump
