"""Import batches: merging in a Batch, and the BulkWriter committing on its own thread."""

from __future__ import annotations

import sqlite3
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.contacts.batch import Batch
from editor.contacts.bulk import BulkImport
from editor.contacts.importer import run_import
from editor.contacts.readers import ImportFileError, PastedText, open_table
from editor.contacts.store import Basis, BulkWriter, ContactQuery, ContactStore

CONSENT = Basis("consent", "formulaire", "J'accepte")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ContactStore]:
    with ContactStore(tmp_path / "c.sqlite3") as opened:
        yield opened


def batch(*emails: str) -> Batch:
    made = Batch()
    for email in emails:
        made.add(email, "Prénom", "Nom", {"ville": "Lyon"})
    return made


# --- Batch -----------------------------------------------------------------------------------


def test_a_batch_merges_by_address_keeping_the_first_spelling() -> None:
    later_wins = Batch()
    assert later_wins.add("Anne@X.fr", "Anne", "", {"ville": "Lyon", "tel": " "})
    assert not later_wins.add("anne@x.FR", "  ", "Martin", {"ville": "Paris"})
    assert later_wins.rows["anne@x.fr"][:4] == ("Anne@X.fr", "anne@x.fr", "Anne", "Martin")
    assert later_wins.fields["anne@x.fr"] == {"ville": "Paris"}

    first_wins = Batch(later_wins=False)
    first_wins.add("anne@x.fr", "Anne", "", {"ville": "Lyon"})
    first_wins.add("ANNE@x.fr", "Annie", "Martin", {"ville": "Paris", "tel": "06"})
    assert first_wins.rows["anne@x.fr"][2:4] == ("Anne", "Martin")
    assert first_wins.fields["anne@x.fr"] == {"ville": "Lyon", "tel": "06"}


def test_a_batch_prepares_what_sqlite_cannot_fold() -> None:
    prepared = batch("plain@x.fr").rows["plain@x.fr"]
    assert prepared[4] == '{"ville":"Lyon"}'
    assert prepared[5] is not None  # « Prénom » is not ASCII: Python folds it
    assert prepared[6] == "prenom" and prepared[7] is None  # « Nom » is: SQLite's lower()


def test_a_batch_splits_into_disjoint_parts() -> None:
    whole = batch(*(f"p{i}@x.fr" for i in range(7)))
    parts = list(whole.split(3))
    assert [len(p) for p in parts] == [3, 3, 1]
    assert [key for p in parts for key in p.rows] == list(whole.rows)
    assert all(p.fields.keys() == p.rows.keys() for p in parts)


# --- BulkWriter --------------------------------------------------------------------------------


def test_batches_commit_in_order_on_another_thread(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: set[str] = set()
    original = BulkImport.store_new

    def spy(self: BulkImport, *args: object) -> None:
        threads.add(threading.current_thread().name)
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(BulkImport, "store_new", spy)
    clients = store.create_list("Clients")
    with BulkWriter(store, list_id=clients, basis=CONSENT) as writer:
        assert writer.write(batch("a@x.fr", "b@x.fr")).added == 2
        assert writer.write(batch("c@x.fr", "A@X.FR")).added == 1  # waits for the first
    assert threads and threading.current_thread().name not in threads
    assert not store.connection.in_transaction
    emails = [c.email for c in store.page(ContactQuery(sort="created_at"), 0, 10)]
    assert emails == ["a@x.fr", "b@x.fr", "c@x.fr"]
    assert [c.id for c in store.page(ContactQuery(sort="email"), 0, 10)] == [1, 2, 3]
    assert store.lists()[0].count == 3


def test_the_writer_uses_its_own_connection_and_leaves_interpreter_settings_alone(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[tuple[str, sqlite3.Connection]] = []
    original = BulkImport.store_new

    def spy(self: BulkImport, conn: sqlite3.Connection, *args: object) -> None:
        used.append((threading.current_thread().name, conn))
        assert conn is self.db.connection  # the writer thread's own connection
        original(self, conn, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(BulkImport, "store_new", spy)
    before = sys.getswitchinterval()
    with BulkWriter(store, list_id=None, basis=CONSENT) as writer:
        assert sys.getswitchinterval() == before
        writer.write(batch("a@x.fr"))
        writer.write(batch("b@x.fr"))
    assert sys.getswitchinterval() == before
    assert len(used) == 2 and used[0][1] is used[1][1]  # one connection for the whole import
    assert used[0][1] is not store.connection
    with pytest.raises(sqlite3.ProgrammingError):  # closed on its own thread at the end
        used[0][1].execute("SELECT 1")
    assert store.count() == 2


def test_a_failing_commit_rolls_back_its_batch_only_and_is_raised(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = BulkImport.store_new
    calls = 0

    def fail_second(self: BulkImport, *args: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(28, "No space left on device")
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(BulkImport, "store_new", fail_second)
    with (
        pytest.raises(OSError, match="No space"),
        BulkWriter(store, list_id=None, basis=CONSENT) as writer,
    ):
        writer.write(batch("a@x.fr"))
        writer.write(batch("b@x.fr", "c@x.fr"))
    assert [c.email for c in store.page(ContactQuery(), 0, 10)] == ["a@x.fr"]
    assert not store.connection.in_transaction
    store.upsert_batch(batch("d@x.fr"), list_id=None, basis=CONSENT)  # the store still works
    assert store.count() == 2


def test_a_file_that_breaks_midway_keeps_the_batches_committed_before(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import editor.contacts.importer as importer

    monkeypatch.setattr(importer, "BATCH", 5)
    text = "email\n" + "\n".join(f"c{i}@exemple.fr" for i in range(20))
    with open_table(PastedText(text)) as table:
        rows = table.rows

        def breaking() -> Iterator[tuple[int, list[str]]]:
            for number, cells in rows():
                if number == 12:
                    raise ImportFileError("Le fichier est tronqué.")
                yield number, cells

        monkeypatch.setattr(table, "rows", breaking)
        with pytest.raises(ImportFileError, match="tronqué"):
            run_import(store, table, ["email"], list_name="Clients", basis=CONSENT)
    assert store.count() == 10  # two whole batches, the third never started
    assert not store.connection.in_transaction


def test_rows_are_flattened_by_the_caller_while_batches_are_new_else_by_the_writer(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller flattens a batch before the writer decides while the batches are all new
    (the writer then has none of that Python work); after a batch with known contacts the
    writer flattens only the new ones, once decided, and the caller stops guessing."""
    import editor.contacts.bulk as bulk

    flattened: list[tuple[str, list[str]]] = []
    original = bulk.prepare_new

    def spy(rows: list[tuple[str, ...]]) -> bulk.Prepared:
        flattened.append((threading.current_thread().name, [row[0] for row in rows]))
        return original(rows)  # type: ignore[arg-type]

    monkeypatch.setattr(bulk, "prepare_new", spy)
    store.upsert_batch(batch("a@x.fr"), list_id=None, basis=CONSENT)
    clients = store.create_list("Clients")
    flattened.clear()
    with BulkWriter(store, list_id=clients, basis=CONSENT) as writer:
        assert writer.write(batch("b@x.fr", "c@x.fr")).added == 2  # guessed right
        result = writer.write(batch("d@x.fr", "A@x.fr"))  # guessed, then d alone
        assert (result.added, result.updated) == (1, 1)
        assert writer.write(batch("a@x.fr")).updated == 1  # no guess: nothing flattened
        assert writer.write(batch("e@x.fr")).added == 1  # no guess, then e
        assert writer.write(batch("f@x.fr")).added == 1  # guessed again
    writer_thread = "bulletin-import_0"
    assert flattened == [
        ("MainThread", ["b@x.fr", "c@x.fr"]),
        ("MainThread", ["d@x.fr", "A@x.fr"]),
        (writer_thread, ["d@x.fr"]),
        (writer_thread, ["e@x.fr"]),
        ("MainThread", ["f@x.fr"]),
    ]
    emails = [c.email for c in store.page(ContactQuery(sort="created_at"), 0, 10)]
    assert emails == ["a@x.fr", "b@x.fr", "c@x.fr", "d@x.fr", "e@x.fr", "f@x.fr"]
    assert store.lists()[0].count == 6


def test_new_contacts_beyond_one_statement_keep_the_batch_order_with_their_history(
    store: ContactStore,
) -> None:
    """Ids follow the rows' order across the several statements of a large batch, and each new
    contact gets its own "imported" event and list membership (read back by id range)."""
    import editor.contacts.bulk as bulk

    count = bulk._NEW_PER_STATEMENT * 2 + 10
    store.upsert_batch(batch("first@x.fr"), list_id=None, basis=CONSENT)
    clients = store.create_list("Clients")
    emails = [f"p{i:05}@x.fr" for i in range(count)]
    emails.reverse()  # not the order of any index
    with BulkWriter(store, list_id=clients, basis=CONSENT) as writer:
        assert writer.write(batch(*emails)).added == count
    conn = store.connection
    ids = conn.execute("SELECT email, id FROM contacts WHERE id > 1 ORDER BY id").fetchall()
    assert [email for email, _ in ids] == emails
    assert [i for _, i in ids] == list(range(2, count + 2))
    assert conn.execute(
        "SELECT count(*), count(DISTINCT contact_id), min(contact_id) FROM events"
        " WHERE kind = 'imported' AND contact_id > 1"
    ).fetchone() == (count, count, 2)
    assert conn.execute(
        "SELECT count(*), min(contact_id), max(contact_id) FROM memberships WHERE list_id = ?",
        (clients,),
    ).fetchone() == (count, 2, count + 1)


def test_the_reading_thread_offers_the_gil_only_while_a_batch_is_being_stored(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """:meth:`BulkWriter.let_writer_run` pauses (letting go of the GIL) while the writer stores a
    batch, and costs nothing otherwise; the interpreter's switch interval is left alone."""
    import editor.contacts.bulk as bulk

    naps: list[float] = []
    monkeypatch.setattr(time, "sleep", naps.append)
    storing, release = threading.Event(), threading.Event()
    original = BulkImport.store_new

    def held(self: BulkImport, *args: object) -> None:
        storing.set()
        assert release.wait(10)
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(BulkImport, "store_new", held)
    before = sys.getswitchinterval()
    with BulkWriter(store, list_id=None, basis=CONSENT) as writer:
        writer.let_writer_run()
        assert naps == []  # nothing to store yet
        writer.write(batch("a@x.fr"))
        assert storing.wait(10)
        writer.let_writer_run()
        assert naps == [bulk.PAUSE_SECONDS]
        assert sys.getswitchinterval() == before
        release.set()
        writer.wait()
        writer.let_writer_run()
        assert naps == [bulk.PAUSE_SECONDS]  # stored: no pause
    assert store.count() == 1


def test_an_import_offers_the_gil_every_so_many_rows(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import editor.contacts.bulk as bulk
    import editor.contacts.importer as importer

    calls: list[int] = []
    monkeypatch.setattr(bulk, "PAUSE_EVERY", 8)
    monkeypatch.setattr(importer, "PAUSE_EVERY", 8)
    monkeypatch.setattr(BulkWriter, "let_writer_run", lambda self: calls.append(1))
    text = "email\n" + "\n".join(f"c{i}@exemple.fr" for i in range(20))
    with open_table(PastedText(text)) as table:
        report = run_import(store, table, ["email"], list_name=None, basis=CONSENT)
    assert report.added == 20 and len(calls) == 2  # at rows 8 and 16


def test_submit_returns_before_the_writer_decides_and_the_future_gives_the_counts(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The caller reads on while the writer looks for the stored contacts (a re-import's
    longest step); the counts come with the future."""
    store.upsert_batch(batch("a@x.fr"), list_id=None, basis=CONSENT)
    deciding, release = threading.Event(), threading.Event()
    original = BulkImport.decide

    def held(self: BulkImport, *args: object) -> object:
        deciding.set()
        assert release.wait(10)
        return original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(BulkImport, "decide", held)
    with BulkWriter(store, list_id=None, basis=CONSENT) as writer:
        decided = writer.submit(batch("A@x.fr", "b@x.fr"))
        assert deciding.wait(10)
        assert not decided.done()  # submit did not wait for the decision
        release.set()
        result = decided.result(10)
        assert (result.added, result.updated) == (1, 1)
    assert store.count() == 2


def test_an_error_before_the_decision_is_raised_by_write_once(
    store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: BulkImport, *args: object) -> None:
        raise sqlite3.OperationalError("database disk image is malformed")

    monkeypatch.setattr(BulkImport, "decide", broken)
    with BulkWriter(store, list_id=None, basis=CONSENT) as writer:
        with pytest.raises(sqlite3.OperationalError, match="malformed"):
            writer.write(batch("a@x.fr"))
        writer.wait()  # already raised: not again
    assert store.count() == 0
    assert not store.connection.in_transaction
