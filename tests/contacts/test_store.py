"""The contacts store on real SQLite files: schema, transactions, imports, queries, history."""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from editor.contacts import db
from editor.contacts.bulk import EXISTING_BY_KEY
from editor.contacts.db import StoreError, connect, transaction
from editor.contacts.store import (
    SORTS,
    Basis,
    Contact,
    ContactError,
    ContactInput,
    ContactQuery,
    ContactStore,
    email_key,
    sort_key,
)
from editor.i18n import set_language

CONSENT = Basis("consent", "formulaire du site", "J’accepte de recevoir la lettre", "2025-03-01")
CUSTOMER = Basis("customer", "boutique", "facture 2024-118", "2024-11-02")
T0 = "2026-01-10T09:00:00Z"
T1 = "2026-02-10T09:00:00Z"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ContactStore]:
    with ContactStore(tmp_path / "contacts.sqlite3") as opened:
        yield opened


def raw(path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- schema, connection, transactions --------------------------------------------------------


def test_default_path_is_in_the_data_folder(bulletin_home: Path) -> None:
    with ContactStore() as opened:
        assert opened.path == bulletin_home / "contacts.sqlite3"
    assert (bulletin_home / "contacts.sqlite3").exists()


def test_new_database_is_migrated_from_zero(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "c.sqlite3"
    with ContactStore(path):
        pass
    assert raw(path, "PRAGMA user_version") == [(len(db.MIGRATIONS),)]
    tables = {row[0] for row in raw(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"contacts", "lists", "memberships", "events", "suppression", "meta"} <= tables
    salt = raw(path, "SELECT value FROM meta WHERE key = 'salt'")[0][0]
    assert len(bytes.fromhex(salt)) == 32


def test_reopening_is_idempotent_and_keeps_data_and_salt(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with ContactStore(path) as first:
        first.add(ContactInput("a@example.fr", "Anne"), CONSENT)
        key = first.suppression_key("x@example.fr")
    salt = raw(path, "SELECT value FROM meta")
    for _ in range(2):
        with ContactStore(path) as again:
            assert again.get("a@example.fr") is not None
            assert again.suppression_key("x@example.fr") == key
    assert raw(path, "SELECT value FROM meta") == salt
    assert raw(path, "PRAGMA user_version") == [(len(db.MIGRATIONS),)]


def test_each_salt_is_random(tmp_path: Path) -> None:
    with ContactStore(tmp_path / "a.sqlite3") as a, ContactStore(tmp_path / "b.sqlite3") as b:
        assert a.suppression_key("x@example.fr") != b.suppression_key("x@example.fr")
        assert a.suppression_key("X@Example.FR ") == a.suppression_key("x@example.fr")


def test_migrations_run_in_order_from_an_older_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.sqlite3"
    with ContactStore(path) as old:
        old.add(ContactInput("a@example.fr"), CONSENT)

    def add_phone(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE contacts ADD COLUMN phone TEXT NOT NULL DEFAULT ''")

    latest = len(db.MIGRATIONS)
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, add_phone])
    conn = connect(path)
    try:
        assert db.schema_version(conn) == latest + 1
        assert conn.execute("SELECT email, phone FROM contacts").fetchall() == [
            ("a@example.fr", "")
        ]
        assert db.migrate_schema(conn) == latest + 1  # nothing left to do
    finally:
        conn.close()


def test_a_version_1_database_loses_only_its_sort_indexes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.sqlite3"
    monkeypatch.setattr(db, "MIGRATIONS", db.MIGRATIONS[:1])
    with ContactStore(path) as old:
        old.add(ContactInput("a@example.fr", "Émile", "Zola"), CONSENT)
    indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts'"
    assert {"contacts_last", "contacts_status"} <= {row[0] for row in raw(path, indexes)}
    monkeypatch.undo()
    with ContactStore(path) as store:
        assert db.schema_version(store.connection) == len(db.MIGRATIONS)
        names = {row[0] for row in raw(path, indexes)}
        assert not names & {"contacts_last", "contacts_first", "contacts_status", "contacts_basis"}
        page = store.page(ContactQuery(sort="last_name"), 0, 10)
        assert [(c.email, c.first_name) for c in page] == [("a@example.fr", "Émile")]


def test_a_failed_migration_leaves_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.sqlite3"
    with ContactStore(path):
        pass

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE contacts ADD COLUMN phone TEXT")
        conn.execute("SELECT * FROM no_such_table")

    latest = len(db.MIGRATIONS)
    monkeypatch.setattr(db, "MIGRATIONS", [*db.MIGRATIONS, broken])
    with pytest.raises(StoreError):
        connect(path)
    assert raw(path, "PRAGMA user_version") == [(latest,)]
    columns = [row[1] for row in raw(path, "PRAGMA table_info(contacts)")]
    assert "phone" not in columns


def test_a_database_from_a_newer_bulletin_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with ContactStore(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer Bulletin"):
        ContactStore(path)


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(StoreError, match="Cannot open the contacts database"):
        ContactStore(path)


def test_connection_settings(store: ContactStore) -> None:
    conn = store.connection
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert conn.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert (store.path.parent / (store.path.name + "-wal")).exists()


def test_a_constraint_error_rolls_back_the_whole_transaction(store: ContactStore) -> None:
    conn = store.connection
    with pytest.raises(sqlite3.IntegrityError), transaction(conn):
        conn.execute("INSERT INTO lists (name, created_at) VALUES ('Clients', ?)", (T0,))
        conn.execute(
            "INSERT INTO contacts (email, email_key, status, created_at, updated_at)"
            " VALUES ('a@x.fr', 'a@x.fr', 'bogus', ?, ?)",
            (T0, T0),
        )
    assert not conn.in_transaction
    assert store.lists() == []
    assert store.count() == 0


def test_nested_transactions_are_savepoints(store: ContactStore) -> None:
    conn = store.connection
    with transaction(conn):
        store.create_list("Kept")
        with pytest.raises(ContactError), transaction(conn):
            store.create_list("Dropped")
            store.create_list("kept")  # same name, other case: refused
        assert [info.name for info in store.lists()] == ["Kept"]
    assert [info.name for info in store.lists()] == ["Kept"]


def test_upsert_many_is_all_or_nothing(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    clients = store.create_list("Clients")
    store.upsert_many([ContactInput("a@x.fr", "Anne")], list_id=clients, basis=CONSENT)

    def fail(*args: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(store.bulk, "_apply_updates", fail)
    rows = [ContactInput("a@x.fr", "Annie"), ContactInput("b@x.fr", "Bruno")]
    with pytest.raises(sqlite3.OperationalError):
        store.upsert_many(rows, list_id=clients, basis=CONSENT)
    assert store.count() == 1
    contact = store.get("a@x.fr")
    assert contact is not None and contact.first_name == "Anne"
    assert store.lists()[0].count == 1
    assert len(store.history(contact.id)) == 1


def test_foreign_keys_cascade(store: ContactStore) -> None:
    clients = store.create_list("Clients")
    contact_id = store.add(ContactInput("a@x.fr"), CONSENT, clients)
    store.delete([contact_id])
    assert raw(store.path, "SELECT count(*) FROM memberships") == [(0,)]
    assert raw(store.path, "SELECT count(*) FROM events") == [(0,)]


# --- keys ------------------------------------------------------------------------------------


def test_email_key_and_sort_key() -> None:
    assert email_key("  Marie.Dupont@Example.FR ") == "marie.dupont@example.fr"
    assert email_key("ÉLODIE@exemple.fr") == "élodie@exemple.fr"
    decomposed = "E\u0301lodie@exemple.fr"
    assert email_key(decomposed) == email_key("Élodie@exemple.fr")
    assert sort_key("Émile") == "emile"
    assert sorted(["Zoé", "Émile", "Eric", "élodie"], key=sort_key) == [
        "élodie",
        "Émile",
        "Eric",
        "Zoé",
    ]


# --- upsert_many -----------------------------------------------------------------------------


def test_upsert_many_on_a_realistic_mixed_batch(store: ContactStore) -> None:
    clients = store.create_list("Clients")
    salon = store.create_list("Salon 2026")
    anne = store.add(
        ContactInput("Anne.Martin@x.fr", "Anne", "Martin", {"Ville": "Paris", "Société": "ACME"}),
        CUSTOMER,
        clients,
        now=T0,
    )
    bruno = store.add(ContactInput("bruno@x.fr", "Bruno", "Petit"), CONSENT, now=T0)
    store.connection.execute("UPDATE contacts SET basis = NULL WHERE id = ?", (bruno,))  # legacy
    chloe = store.add(ContactInput("chloe@x.fr", "Chloé", "Roux"), CONSENT, clients, now=T0)
    store.set_status([chloe], "unsubscribed", "a demandé par téléphone", now=T0)
    denis = store.add(ContactInput("denis@x.fr", "Denis"), CONSENT, now=T0)
    store.set_status([denis], "bounced", "550 no such user", "inbox", now=T0)
    erased = store.add(ContactInput("erased@x.fr", "Eve"), CONSENT, now=T0)
    assert store.erase("erased@x.fr", now=T0)
    store.suppress("never@x.fr", "complained", now=T0)
    unchanged = store.add(ContactInput("same@x.fr", "Sam", "Ely"), CONSENT, salon, now=T0)

    rows = [
        # case variant of a stored address: blank cells never erase, fields are merged
        ContactInput("ANNE.MARTIN@X.FR", "", "Martin-Durand", {"Ville": "", "Tél": "0102"}),
        ContactInput("Bruno@x.fr", "  ", "", {}),  # no basis yet: gets this batch's
        ContactInput("Chloe@X.fr", "Chloé", "Nouveau"),  # unsubscribed: untouched
        ContactInput("denis@x.fr", "Denis", "Rebond"),  # bounced
        ContactInput("Erased@x.fr", "Eve", "Again"),  # erased earlier
        ContactInput("never@x.fr", "Nina"),  # suppressed, never a contact
        ContactInput("new1@x.fr", "Nouveau", "Un", {"Ville": "Lyon"}),
        ContactInput("New2@x.fr", "", "Deux"),
        ContactInput("new2@X.FR", "Nathalie", "", {"Ville": "Nantes"}),  # duplicate in batch
        ContactInput("same@x.fr", "Sam", "", {}),  # nothing new
    ]
    result = store.upsert_many(rows, list_id=clients, basis=CONSENT, now=T1)

    assert result.added == 2
    assert result.updated == 3
    assert result.changed == 1
    assert result.suppressed == ["Chloe@X.fr", "denis@x.fr", "Erased@x.fr", "never@x.fr"]

    a = store.get_by_id(anne)
    assert a is not None
    assert (a.email, a.first_name, a.last_name) == ("Anne.Martin@x.fr", "Anne", "Martin-Durand")
    assert a.fields == {"Ville": "Paris", "Société": "ACME", "Tél": "0102"}
    assert (a.basis, a.basis_source, a.basis_proof) == ("customer", "boutique", "facture 2024-118")
    assert a.lists == ["Clients"]
    assert a.updated_at == T1
    last = store.history(anne)[-1]
    assert (last.kind, last.source) == ("updated", "formulaire du site")
    assert json.loads(last.old or "") == {"last_name": "Martin", "fields": {"Tél": ""}}
    assert json.loads(last.new or "") == {"last_name": "Martin-Durand", "fields": {"Tél": "0102"}}

    b = store.get_by_id(bruno)
    assert b is not None
    assert (b.first_name, b.last_name, b.basis, b.basis_date) == (
        "Bruno",
        "Petit",
        "consent",
        "2025-03-01",
    )
    assert b.lists == ["Clients"]
    assert [e.kind for e in store.history(bruno)] == ["created", "basis", "list_added"]

    c = store.get_by_id(chloe)
    assert c is not None
    assert (c.last_name, c.status, c.lists) == ("Roux", "unsubscribed", ["Clients"])
    d = store.get_by_id(denis)
    assert d is not None and (d.last_name, d.status, d.lists) == ("", "bounced", [])
    assert store.get_by_id(erased) is None and store.get("erased@x.fr") is None
    assert store.get("never@x.fr") is None

    n2 = store.get("NEW2@x.fr")
    assert n2 is not None
    assert (n2.email, n2.first_name, n2.last_name, n2.fields) == (
        "New2@x.fr",
        "Nathalie",
        "Deux",
        {"Ville": "Nantes"},
    )
    assert (n2.status, n2.basis, n2.basis_source, n2.created_at) == (
        "subscribed",
        "consent",
        "formulaire du site",
        T1,
    )
    assert n2.lists == ["Clients"]
    imported = store.history(n2.id)
    assert [(e.kind, e.new, e.reason) for e in imported] == [("imported", "Clients", "consent")]

    s = store.get_by_id(unchanged)
    assert s is not None and s.updated_at == T0 and s.lists == ["Clients", "Salon 2026"]
    assert [e.kind for e in store.history(unchanged)] == ["created", "list_added"]
    assert store.count(ContactQuery(list_id=clients)) == 6


def test_reimporting_the_same_rows_changes_nothing(store: ContactStore) -> None:
    clients = store.create_list("Clients")
    rows = [ContactInput(f"p{i}@x.fr", f"P{i}", "Nom", {"Ville": "Paris"}) for i in range(50)]
    first = store.upsert_many(rows, list_id=clients, basis=CONSENT, now=T0)
    assert (first.added, first.updated, first.changed, first.suppressed) == (50, 0, 0, [])
    events = raw(store.path, "SELECT count(*) FROM events")
    again = store.upsert_many(rows, list_id=clients, basis=CUSTOMER, now=T1)
    assert (again.added, again.updated, again.changed, again.suppressed) == (0, 50, 0, [])
    assert raw(store.path, "SELECT count(*) FROM events") == events
    contact = store.get("p7@x.fr")
    assert contact is not None and contact.basis == "consent" and contact.updated_at == T0


def test_upsert_many_into_another_list_and_without_a_list(store: ContactStore) -> None:
    a = store.create_list("A")
    b = store.create_list("B")
    store.upsert_many([ContactInput("x@x.fr")], list_id=a, basis=CONSENT)
    result = store.upsert_many(
        [ContactInput("x@x.fr"), ContactInput("y@x.fr")], list_id=None, basis=CONSENT
    )
    assert (result.added, result.updated) == (1, 1)
    store.upsert_many([ContactInput("X@x.fr"), ContactInput("y@x.fr")], list_id=b, basis=CONSENT)
    assert [(i.name, i.count) for i in store.lists()] == [("A", 1), ("B", 2)]
    x = store.get("x@x.fr")
    assert x is not None and x.lists == ["A", "B"]


def test_upsert_many_refuses_bad_input(store: ContactStore) -> None:
    with pytest.raises(ContactError, match="lawful basis"):
        store.upsert_many([ContactInput("a@x.fr")], list_id=None, basis=Basis("legitimate"))
    with pytest.raises(ContactError, match="No such list"):
        store.upsert_many([ContactInput("a@x.fr")], list_id=42, basis=CONSENT)
    with pytest.raises(ContactError, match="Empty email"):
        store.upsert_many([ContactInput("  ")], list_id=None, basis=CONSENT)
    assert store.count() == 0
    assert store.upsert_many([], list_id=None, basis=CONSENT).added == 0


def test_upsert_many_does_not_mutate_the_callers_rows(store: ContactStore) -> None:
    fields = {"Ville": "Paris"}
    rows = [ContactInput("a@x.fr", fields=fields), ContactInput("A@x.fr", fields={"Ville": "Lyon"})]
    store.upsert_many(rows, list_id=None, basis=CONSENT)
    assert fields == {"Ville": "Paris"}
    contact = store.get("a@x.fr")
    assert contact is not None and contact.fields == {"Ville": "Lyon"}


def test_field_values_survive_exactly(store: ContactStore) -> None:
    tricky = {
        "Société": "L’Atelier «Zoé» & fils",
        'Note "quoted"': 'dit "bonjour"\\ puis\nva à la ligne\ttab',
        "=cmd": '=HYPERLINK("http://evil")',
        "emoji": "🎉 \u0000 nul",
    }
    store.upsert_many([ContactInput("a@x.fr", fields=tricky)], list_id=None, basis=CONSENT)
    contact = store.get("a@x.fr")
    assert contact is not None and contact.fields == tricky
    assert sorted(store.known_fields()) == sorted(tricky)


def big_batch(n: int, seed: int = 7, domain: str = "exemple.fr") -> list[ContactInput]:
    rng = random.Random(seed)
    firsts = ["Marie", "Jean", "Élodie", "Émile", "Zoé", "Luc", "Anne", "Chloé", "Hélène", "Ørjan"]
    lasts = ["Dupont", "Martin", "Lefèvre", "Durand", "Moreau", "Garçon", "Roux", "Müller"]
    return [
        ContactInput(
            f"{rng.choice(firsts)}.{i}.{rng.randrange(10**9)}@{domain}",
            rng.choice(firsts),
            rng.choice(lasts),
            {"Ville": rng.choice(["Paris", "Lyon", "Nantes", ""]), "Société": f"Société {i % 700}"},
        )
        for i in range(n)
    ]


def query_plan(conn: sqlite3.Connection, sql: str, params: tuple[Any, ...]) -> str:
    return " / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_100k_rows_into_an_empty_then_a_full_store(tmp_path: Path) -> None:
    """What keeps a 100,000-row import fast whatever the machine (the figures are the
    benchmark's, benchmarks/contacts.py): existing contacts are found through the address
    index, never by reading the table; new contacts' history and list read back only the new
    id range; the contacts table carries no index but the address's (each costs imports ~10 %)."""
    rows = big_batch(100_000)
    more = big_batch(100_000, seed=8, domain="example.com")
    with ContactStore(tmp_path / "c.sqlite3") as store:
        clients = store.create_list("Clients")
        result = store.upsert_many(rows, list_id=clients, basis=CONSENT)
        assert (result.added, result.updated) == (100_000, 0)

        result = store.upsert_many(rows, list_id=clients, basis=CONSENT)
        assert (result.added, result.updated, result.changed) == (0, 100_000, 0)

        result = store.upsert_many(more, list_id=clients, basis=CONSENT)
        assert (result.added, result.updated) == (100_000, 0)
        assert store.count(ContactQuery(list_id=clients)) == 200_000

        conn = store.connection
        conn.execute("ANALYZE")  # the plans the planner chooses on a full store
        found = query_plan(conn, EXISTING_BY_KEY, (clients, '["a@x.fr"]'))
        assert "SEARCH c USING INDEX sqlite_autoindex_contacts_1 (email_key=?)" in found
        assert "SCAN c" not in found
        new_range = query_plan(conn, "SELECT id FROM contacts WHERE id >= ? ORDER BY id", (1,))
        assert new_range == "SEARCH contacts USING INTEGER PRIMARY KEY (rowid>?)"
        indexes = raw(
            store.path,
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts'",
        )
        assert indexes == [("sqlite_autoindex_contacts_1",)]


# --- queries ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def varied(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ContactStore, list[Contact]]]:
    """2,000 contacts with varied statuses, bases, lists, names and dates."""
    path = tmp_path_factory.mktemp("varied") / "c.sqlite3"
    rng = random.Random(3)
    with ContactStore(path) as store:
        lists = [store.create_list(name) for name in ("Clients", "Presse", "Salon")]
        firsts = ["Marie", "marie", "Élodie", "Emile", "Émile", "Zoé", "", "Ørjan", "Ève", "éric"]
        lasts = ["Dupont", "dupont", "Lefèvre", "Le Gall", "Müller", "", "Zola", "Ébène"]
        for batch in range(4):
            rows = [
                ContactInput(
                    f"{rng.choice(['Anne', 'zoé', 'Bob', 'élise'])}.{batch}.{i}@Example.fr",
                    rng.choice(firsts),
                    rng.choice(lasts),
                )
                for i in range(500)
            ]
            basis = [CONSENT, CUSTOMER, Basis("professional", "LinkedIn")][batch % 3]
            store.upsert_many(
                rows,
                list_id=lists[batch % 3],
                basis=basis,
                now=f"2026-01-{10 + batch:02d}T09:00:00Z",
            )
        ids = [c.id for c in store.iter_contacts()]
        store.add_to_list(rng.sample(ids, 300), lists[1], now="2026-01-20T00:00:00Z")
        for status in ("unsubscribed", "bounced", "complained"):
            store.set_status(rng.sample(ids, 100), status, "test", now="2026-01-21T00:00:00Z")
        for contact_id in rng.sample(ids, 200):
            store.update(contact_id, first_name=rng.choice(firsts), now="2026-01-22T00:00:00Z")
        store.touch(rng.sample(ids, 500), "2026-01-25T00:00:00Z")
        store.touch(rng.sample(ids, 500), "2026-01-26T00:00:00Z")
        yield store, list(store.iter_contacts())


def expected_order(contacts: list[Contact], sort: str, descending: bool) -> list[int]:
    def key(c: Contact) -> tuple[Any, ...]:
        columns: dict[str, tuple[Any, ...]] = {
            "email": (email_key(c.email),),
            "first_name": (sort_key(c.first_name), sort_key(c.last_name)),
            "last_name": (sort_key(c.last_name), sort_key(c.first_name)),
            "status": (c.status,),
            "basis": (c.basis or "",),
            "created_at": (c.created_at,),
            "updated_at": (c.updated_at,),
            "last_activity_at": (c.last_activity_at or "",),
        }
        return (*columns[sort], c.id)

    return [c.id for c in sorted(contacts, key=key, reverse=descending)]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_order(
    varied: tuple[ContactStore, list[Contact]], sort: str, descending: bool
) -> None:
    store, contacts = varied
    q = ContactQuery(sort=sort, descending=descending)
    expected = expected_order(contacts, sort, descending)
    assert store.ids(q) == expected
    window = store.page(q, 1000, 25)
    assert [c.id for c in window] == expected[1000:1025]
    assert [c.id for c in store.page(q, 1990, 25)] == expected[1990:]
    assert store.page(q, 5000, 25) == []


def test_search_is_case_insensitive_and_accent_exact(
    varied: tuple[ContactStore, list[Contact]],
) -> None:
    store, contacts = varied

    def matching(*needles: str) -> set[int]:
        return {
            c.id
            for c in contacts
            if all(
                any(
                    n in part
                    for part in (
                        email_key(c.email),
                        c.first_name.casefold(),
                        c.last_name.casefold(),
                    )
                )
                for n in needles
            )
        }

    for search, needles in [
        ("ÉLODIE", ("élodie",)),
        ("émile", ("émile",)),
        ("EMILE", ("emile",)),
        ("zoé", ("zoé",)),
        ("  marie   DUPONT ", ("marie", "dupont")),
        ("le gall", ("le", "gall")),
        ("ØRJAN", ("ørjan",)),
        (".2.4", (".2.4",)),
        ("@example", ("@example",)),
    ]:
        expected = matching(*needles)
        q = ContactQuery(search=search)
        assert set(store.ids(q)) == expected, search
        assert store.count(q) == len(expected)
    assert store.count(ContactQuery(search="nobody-has-this")) == 0
    assert store.count(ContactQuery(search="   ")) == len(contacts)


def test_filters_combine(varied: tuple[ContactStore, list[Contact]]) -> None:
    store, contacts = varied
    presse = store.list_id("presse")
    assert presse is not None
    for status in ("subscribed", "unsubscribed", "bounced", "complained", None):
        for basis in ("consent", "customer", "professional", None):
            for list_name in ("Presse", None):
                q = ContactQuery(
                    search="anne",
                    status=status,
                    basis=basis,
                    list_id=presse if list_name else None,
                    sort="last_name",
                )
                expected = {
                    c.id
                    for c in contacts
                    if "anne"
                    in "\x1f".join(
                        (email_key(c.email), c.first_name.casefold(), c.last_name.casefold())
                    )
                    and status in (None, c.status)
                    and basis in (None, c.basis)
                    and (list_name is None or list_name in c.lists)
                }
                assert set(store.ids(q)) == expected
                assert store.count(q) == len(expected)


def test_bad_queries_are_clear_errors(store: ContactStore) -> None:
    with pytest.raises(ContactError, match="Unknown sort"):
        store.page(ContactQuery(sort="id; DROP TABLE contacts"), 0, 10)
    with pytest.raises(ContactError, match="Unknown status"):
        store.count(ContactQuery(status="gone"))
    with pytest.raises(ContactError, match="Unknown lawful basis"):
        store.count(ContactQuery(basis="legitimate-interest"))


def test_iter_contacts_streams_in_chunks(varied: tuple[ContactStore, list[Contact]]) -> None:
    store, contacts = varied
    assert [c.id for c in contacts] == sorted(c.id for c in contacts)
    assert len(contacts) == 2000
    salon = store.list_id("Salon")
    assert salon is not None
    members = [c for c in store.iter_contacts(salon)]
    assert [c.id for c in members] == [c.id for c in contacts if "Salon" in c.lists]
    subscribed = list(store.iter_contacts(query=ContactQuery(status="subscribed")))
    assert len(subscribed) == sum(c.status == "subscribed" for c in contacts)
    iterator = store.iter_contacts()
    assert next(iterator).id == contacts[0].id
    iterator.close()  # abandoned halfway: nothing stays open


def test_get_many_keeps_the_order(varied: tuple[ContactStore, list[Contact]]) -> None:
    store, contacts = varied
    wanted = [contacts[5].id, contacts[1].id, 999_999, contacts[3].id]
    assert [c.id for c in store.get_many(wanted)] == [wanted[0], wanted[1], wanted[3]]
    assert store.get_many([]) == []


@pytest.fixture(scope="module")
def hundred_k(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContactStore]:
    path = tmp_path_factory.mktemp("big") / "c.sqlite3"
    with ContactStore(path) as store:
        clients = store.create_list("Clients")
        store.upsert_many(big_batch(100_000), list_id=clients, basis=CONSENT)
        store.set_status(range(1, 100_001, 10), "unsubscribed", "test")
        yield store


@pytest.mark.parametrize("sort", SORTS)
def test_the_end_of_100k_rows(hundred_k: ContactStore, sort: str) -> None:
    q = ContactQuery(sort=sort, descending=sort == "email")
    assert hundred_k.count(q) == 100_000
    window = hundred_k.page(q, 99_900, 100)
    assert len(window) == 100
    ids = hundred_k.ids(q)
    assert [c.id for c in window] == ids[99_900:]
    assert len(hundred_k.page(q, 99_950, 100)) == 50


def test_a_window_is_chosen_on_ids_alone(hundred_k: ContactStore) -> None:
    """Paging deep into the table reads only ids until the window is known: sorted by
    address, the unique index alone answers (no table row read before the window)."""
    sql, params = hundred_k.reader.ids_sql(ContactQuery(sort="email", descending=True))
    plan = query_plan(hundred_k.connection, sql, (*params, 100, 99_900))
    assert plan == "SCAN c USING COVERING INDEX sqlite_autoindex_contacts_1"


def test_search_at_the_end_of_100k_rows(hundred_k: ContactStore) -> None:
    clients = hundred_k.list_id("Clients")
    q = ContactQuery(search="exemple.fr", status="subscribed", list_id=clients, sort="last_name")
    assert hundred_k.count(q) == 90_000
    window = hundred_k.page(q, 89_900, 100)
    assert len(window) == 100 and all(c.status == "subscribed" for c in window)
    q = ContactQuery(search="ÉLODIE", sort="first_name", descending=True)
    total = hundred_k.count(q)
    window = hundred_k.page(q, total - 100, 100)
    assert len(window) == 100 and all(
        "élodie" in c.email.casefold() or "Élodie" in (c.first_name, c.last_name) for c in window
    )
    assert len(hundred_k.ids(ContactQuery(search="exemple"))) == 100_000


def test_streaming_100k_contacts(hundred_k: ContactStore) -> None:
    count = sum(1 for _ in hundred_k.iter_contacts(hundred_k.list_id("Clients")))
    assert count == 100_000
    assert hundred_k.known_fields() == ["Société", "Ville"]


# --- contacts by hand, statuses, history -----------------------------------------------------


def test_add_and_get(store: ContactStore) -> None:
    clients = store.create_list("Clients")
    contact_id = store.add(
        ContactInput("Élodie.Martin@Exemple.fr", "Élodie", "Martin", {"Ville": "Brest", "X": " "}),
        CONSENT,
        clients,
        now="2026-01-10T10:00:00+01:00",
    )
    contact = store.get("élodie.martin@EXEMPLE.FR")
    assert contact == store.get_by_id(contact_id)
    assert contact is not None
    assert contact.email == "Élodie.Martin@Exemple.fr"
    assert contact.fields == {"Ville": "Brest"}
    assert (contact.status, contact.basis, contact.basis_date) == (
        "subscribed",
        "consent",
        "2025-03-01",
    )
    assert contact.basis_proof == "J’accepte de recevoir la lettre"
    assert contact.created_at == contact.updated_at == "2026-01-10T09:00:00Z"
    assert contact.last_activity_at is None
    assert contact.lists == ["Clients"]
    assert [(e.kind, e.new, e.reason, e.source) for e in store.history(contact_id)] == [
        ("created", "Clients", "consent", "formulaire du site")
    ]
    with pytest.raises(ContactError, match="already exists"):
        store.add(ContactInput("ÉLODIE.martin@exemple.fr"), CONSENT)
    assert store.get("nobody@x.fr") is None and store.get_by_id(12345) is None


def test_a_basis_date_defaults_to_when_it_is_recorded(store: ContactStore) -> None:
    contact_id = store.add(ContactInput("a@x.fr"), Basis("professional"), now=T0)
    contact = store.get_by_id(contact_id)
    assert contact is not None and contact.basis_date == T0
    with pytest.raises(ContactError, match="Invalid date"):
        store.add(ContactInput("b@x.fr"), Basis("consent", date="hier"))


def test_status_changes_are_kept_in_history_and_suppress(store: ContactStore) -> None:
    contact_id = store.add(ContactInput("a@x.fr"), CONSENT, now=T0)
    assert (
        store.set_status([contact_id], "unsubscribed", "lien de désinscription", "inbox", now=T1)
        == 1
    )
    assert store.set_status([contact_id], "unsubscribed", "twice", now=T1) == 0
    assert store.is_suppressed("A@X.FR")
    assert store.suppression_info("a@x.fr") == ("unsubscribed", T1)
    assert store.set_status([contact_id], "complained", "spam report", now=T1) == 1
    assert store.suppression_info("a@x.fr") == ("complained", T1)
    later = "2026-03-01T00:00:00Z"
    assert store.set_status([contact_id], "subscribed", "a redemandé par écrit", "admin", now=later)
    assert not store.is_suppressed("a@x.fr")
    history = [(e.kind, e.old, e.new, e.reason, e.source) for e in store.history(contact_id)]
    assert history[1:] == [
        ("status", "subscribed", "unsubscribed", "lien de désinscription", "inbox"),
        ("status", "unsubscribed", "complained", "spam report", ""),
        ("status", "complained", "subscribed", "a redemandé par écrit", "admin"),
    ]
    contact = store.get_by_id(contact_id)
    assert contact is not None and contact.status == "subscribed" and contact.updated_at == later
    with pytest.raises(ContactError, match="Unknown status"):
        store.set_status([contact_id], "deleted", "")


def test_resubscribing_a_suppressed_address_is_explicit(store: ContactStore) -> None:
    store.suppress("gone@x.fr", "unsubscribed")
    result = store.upsert_many([ContactInput("gone@x.fr")], list_id=None, basis=CONSENT)
    assert result.suppressed == ["gone@x.fr"] and store.count() == 0
    with pytest.raises(ContactError, match="suppression list"):
        store.add(ContactInput("Gone@x.fr"), CONSENT)
    contact_id = store.add(
        ContactInput("Gone@x.fr"), CONSENT, resubscribe=True, reason="nouveau consentement signé"
    )
    assert not store.is_suppressed("gone@x.fr")
    assert [(e.kind, e.old, e.new, e.reason) for e in store.history(contact_id)][1] == (
        "status",
        "unsubscribed",
        "subscribed",
        "nouveau consentement signé",
    )


def test_suppressing_a_known_address_unsubscribes_it(store: ContactStore) -> None:
    a = store.add(ContactInput("a@x.fr"), CONSENT)
    b = store.add(ContactInput("b@x.fr"), CONSENT)
    store.suppress("A@x.fr", "bounced", source="inbox")
    store.suppress("b@x.fr", "demande RGPD")
    assert [store.get_by_id(i).status for i in (a, b)] == ["bounced", "unsubscribed"]  # type: ignore[union-attr]
    assert store.history(b)[-1].reason == "demande RGPD"
    assert store.suppressed_count() == 2


def test_update_edits_and_records(store: ContactStore) -> None:
    a = store.add(ContactInput("a@x.fr", "Anne", "Martin", {"Ville": "Paris"}), CONSENT, now=T0)
    store.add(ContactInput("b@x.fr"), CONSENT)
    assert not store.update(a, first_name="Anne", now=T1)
    assert store.update(
        a,
        email="Anne@X.fr",
        last_name="Durand",
        fields={"Ville": "", "Tél": "01"},
        source="ui",
        now=T1,
    )
    contact = store.get("anne@x.fr")
    assert contact is not None
    assert (contact.email, contact.last_name, contact.fields) == (
        "Anne@X.fr",
        "Durand",
        {"Tél": "01"},
    )
    assert store.get("a@x.fr") is None
    event = store.history(a)[-1]
    assert (event.kind, event.source, event.at) == ("edited", "ui", T1)
    assert json.loads(event.old or "") == {
        "email": "a@x.fr",
        "last_name": "Martin",
        "fields": {"Ville": "Paris", "Tél": ""},
    }
    with pytest.raises(ContactError, match="Another contact already has the address"):
        store.update(a, email="B@x.fr")
    store.suppress("erased@x.fr", "erased")
    with pytest.raises(ContactError, match="suppression list"):
        store.update(a, email="erased@x.fr")
    with pytest.raises(ContactError, match="No such contact"):
        store.update(999, first_name="X")
    assert store.count(ContactQuery(search="durand")) == 1


def test_an_unsubscribed_contact_keeps_its_new_address_suppressed(store: ContactStore) -> None:
    a = store.add(ContactInput("a@x.fr"), CONSENT)
    store.set_status([a], "unsubscribed", "lien")
    store.update(a, email="a2@x.fr")
    assert store.is_suppressed("a@x.fr") and store.is_suppressed("a2@x.fr")


def test_set_basis(store: ContactStore) -> None:
    a = store.add(ContactInput("a@x.fr"), CONSENT, now=T0)
    assert store.set_basis([a, 404], CUSTOMER, now=T1) == 1
    contact = store.get_by_id(a)
    assert contact is not None
    assert (contact.basis, contact.basis_source, contact.basis_date) == (
        "customer",
        "boutique",
        "2024-11-02",
    )
    event = store.history(a)[-1]
    assert (event.kind, event.old, event.new, event.reason) == (
        "basis",
        "consent",
        "customer",
        "facture 2024-118",
    )


def test_touch_records_the_latest_activity(store: ContactStore) -> None:
    a = store.add(ContactInput("a@x.fr"), CONSENT)
    store.touch([a], T1)
    store.touch([a], T0)  # older news never goes back in time
    contact = store.get_by_id(a)
    assert contact is not None and contact.last_activity_at == T1


def test_delete_is_not_an_erasure(store: ContactStore) -> None:
    a = store.add(ContactInput("a@x.fr"), CONSENT)
    b = store.add(ContactInput("b@x.fr"), CONSENT)
    store.set_status([b], "unsubscribed", "lien")
    assert store.delete([a, b, 77]) == 2
    assert not store.is_suppressed("a@x.fr")
    assert store.is_suppressed("b@x.fr")  # an unsubscription outlives the contact
    result = store.upsert_many(
        [ContactInput("a@x.fr"), ContactInput("b@x.fr")], list_id=None, basis=CONSENT
    )
    assert (result.added, result.suppressed) == (1, ["b@x.fr"])


# --- lists -----------------------------------------------------------------------------------


def test_lists_crud(store: ContactStore) -> None:
    clients = store.create_list("  Clients   fidèles ")
    assert store.list_id("clients FIDÈLES") == clients
    with pytest.raises(ContactError, match="already exists"):
        store.create_list("clients fidèles")
    with pytest.raises(ContactError, match="needs a name"):
        store.create_list("   ")
    presse = store.list_id("Presse", create=True)
    assert presse is not None and store.list_id("presse") == presse
    a = store.add(ContactInput("a@x.fr"), CONSENT, clients)
    b = store.add(ContactInput("b@x.fr"), CONSENT)
    assert store.add_to_list([a, b, 999], presse, source="ui") == 2
    assert store.add_to_list([a], presse) == 0
    assert [(i.name, i.count) for i in store.lists()] == [("Clients fidèles", 1), ("Presse", 2)]
    assert store.remove_from_list([a, b], clients) == 1
    with pytest.raises(ContactError, match="already exists"):
        store.rename_list(presse, "CLIENTS fidèles")
    store.rename_list(presse, "presse")  # a case change of its own name is fine
    store.rename_list(clients, "Anciens clients")
    assert [i.name for i in store.lists()] == ["Anciens clients", "presse"]
    assert store.delete_list(presse) == 2
    assert [i.name for i in store.lists()] == ["Anciens clients"]
    assert store.count() == 2
    contact = store.get_by_id(a)
    assert contact is not None and contact.lists == []
    assert [(e.kind, e.old, e.new) for e in store.history(a)] == [
        ("created", None, "Clients fidèles"),
        ("list_added", None, "Presse"),
        ("list_removed", "Clients fidèles", None),
        ("list_deleted", "presse", None),
    ]
    with pytest.raises(ContactError, match="No such list"):
        store.delete_list(presse)
    with pytest.raises(ContactError, match="No such list"):
        store.add_to_list([a], 12345)


def test_messages_follow_the_language(store: ContactStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.create_list("Clients")
    monkeypatch.setenv("BULLETIN_LANG", "fr")
    set_language("fr")
    with pytest.raises(ContactError, match="Une liste « Clients » existe déjà"):
        store.create_list("clients")
