"""The profile database: one connection per thread, enforced."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from editor.db import Database, StoreError, transaction

T = TypeVar("T")


def _create_notes(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(tmp_path / "profile.sqlite3", [_create_notes])
    yield db
    db.close()


def in_thread(work: Callable[[], T]) -> T:
    """Run ``work`` on a new thread and return its result (or raise its error here)."""
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work())
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]


def test_each_thread_gets_its_own_connection(database: Database) -> None:
    mine = database.connection
    assert database.connection is mine  # the same one on the same thread

    def other() -> tuple[int, int]:
        conn = database.connection
        try:
            with transaction(conn):
                conn.execute("INSERT INTO notes (text) VALUES ('from a thread')")
            return id(conn), conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            database.disconnect()

    theirs, wal = in_thread(other)
    assert theirs != id(mine) and wal
    assert mine.execute("SELECT text FROM notes").fetchall() == [("from a thread",)]


def test_a_connection_used_from_another_thread_raises(database: Database) -> None:
    mine = database.connection
    with pytest.raises(sqlite3.ProgrammingError, match="thread"):
        in_thread(lambda: mine.execute("SELECT 1"))
    with pytest.raises(sqlite3.ProgrammingError, match="thread"):
        in_thread(lambda: transaction(mine).__enter__())
    assert not mine.in_transaction


def test_transactions_of_two_threads_do_not_mix(database: Database) -> None:
    """Before, a shared connection let a second thread's writes join the first one's
    transaction and be rolled back with it."""
    with database.transaction() as conn:
        conn.execute("INSERT INTO notes (text) VALUES ('kept')")

        def other() -> bool:
            try:
                return database.connection.in_transaction
            finally:
                database.disconnect()

        assert in_thread(other) is False
    rows = database.connection.execute("SELECT text FROM notes").fetchall()
    assert rows == [("kept",)]


def test_migrations_run_once_on_the_opening_thread(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    calls: list[str] = []

    def step(conn: sqlite3.Connection) -> None:
        calls.append(threading.current_thread().name)
        _create_notes(conn)

    db = Database(path, [step])
    in_thread(lambda: db.connection.execute("SELECT count(*) FROM notes").fetchone())
    db.close()
    Database(path, [step]).close()
    assert calls == [threading.current_thread().name]


def test_a_closed_database_opens_no_new_connection(database: Database) -> None:
    database.close()
    with pytest.raises(StoreError, match="closed"):
        database.connection  # noqa: B018
