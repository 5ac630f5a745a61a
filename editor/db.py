"""The profile's SQLite database: connection settings, schema migrations, transactions, threads.

One SQLite file per profile, shared by several repositories (contacts, lists, suppression,
history, bulk import, privacy; later campaigns, deliveries, inbox events), each its own module
over one :class:`Database`.

**Threads: one connection per thread.** :attr:`Database.connection` gives the calling thread its
own ``sqlite3.Connection``, opened on first use; ``check_same_thread`` stays on, so a connection
handed to another thread raises ``sqlite3.ProgrammingError`` instead of silently sharing
transaction state. A thread that is done with the database calls :meth:`Database.disconnect`
(a connection can only be closed by its own thread). WAL lets one thread write while others
read. Nothing here changes process-wide interpreter settings.

Settings: WAL; ``synchronous=NORMAL`` is durable enough in WAL mode (a power cut may lose the
last commit, never corrupt the file) and much faster; ``secure_delete`` overwrites deleted rows
with zeros, so an erased person's data does not linger in free pages (GDPR erasure).

The schema version lives in ``PRAGMA user_version``; the owner of the file passes one function
per version (``migrations[n]`` upgrades version ``n`` to ``n + 1``), applied in order inside one
transaction each, so an interrupted upgrade leaves the previous version intact. Connections run
in autocommit mode and every write goes through :func:`transaction`, which takes the write lock
up front (``BEGIN IMMEDIATE``) so two writers wait for each other instead of failing half-way
with "database is locked".
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from itertools import chain
from pathlib import Path

from editor.i18n import _

BUSY_TIMEOUT_MS = 10_000
CACHE_KIB = 32 * 1024  # page cache: a 100,000-contact database mostly fits, imports stay fast
MAX_PARAMETERS = 32_766  # SQLite's limit on "?" in one statement since 3.32

Migration = Callable[[sqlite3.Connection], None]

_savepoints = itertools.count(1)


class StoreError(Exception):
    """A database that cannot be opened or used, with a message meant for the user."""


def connect(path: Path, migrations: Sequence[Migration] | None = None) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path`` for the calling thread, set up and,
    if ``migrations`` are given, brought to the latest schema.

    The connection is in autocommit mode: write with :func:`transaction`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(
                _('Cannot switch the database "{path}" to WAL mode ({mode}).').format(
                    path=path, mode=mode
                )
            )
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if migrations is not None:
            migrate_schema(conn, migrations, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(
            _('Cannot open the contacts database "{path}": {exc}.').format(path=path, exc=exc)
        ) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate_schema(
    conn: sqlite3.Connection, migrations: Sequence[Migration], path: Path | str = ""
) -> int:
    """Bring the schema up to the latest version; returns the version found before.

    Each step runs in its own transaction and re-reads the version under the write lock, so two
    processes opening an old database at once do not both run a step.
    """
    latest = len(migrations)
    before = schema_version(conn)
    if before > latest:
        raise StoreError(
            _(
                'The contacts database "{path}" comes from a newer Bulletin '
                "(schema {before}, this one knows {latest}): please update "
                "Bulletin."
            ).format(path=path, before=before, latest=latest)
        )
    while True:
        with transaction(conn):
            version = schema_version(conn)
            if version >= latest:
                return before
            migrations[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block as one transaction: all its writes are committed, or none on an exception.

    Nested use becomes a savepoint, so repository methods can be combined in a larger
    transaction.
    """
    if conn.in_transaction:
        name = f"sp{next(_savepoints)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def insert_rows(
    conn: sqlite3.Connection, insert: str, rows: Sequence[Sequence[object]], tail: str = ""
) -> None:
    """``executemany(insert + " VALUES (?, ...)" + tail, rows)`` as a few multi-row statements
    (``tail``: e.g. an ``ON CONFLICT`` clause).

    Measured on 100,000 new contacts: 0.28-0.31 s against 0.39 s for ``executemany``, which
    binds and steps one row at a time. Long statements also let a cancel interrupt them (a
    progress handler is asked during a statement, never between ``executemany``'s rows).
    """
    if not rows:
        return
    width = len(rows[0])
    per = MAX_PARAMETERS // width
    group = "(" + ",".join("?" * width) + ")"
    for start in range(0, len(rows), per):
        part = rows[start : start + per]
        conn.execute(f"{insert} VALUES {','.join([group] * len(part))}{tail}", list(chain(*part)))


def checkpoint(conn: sqlite3.Connection) -> bool:
    """Copy the write-ahead log into the database file and empty it; False if readers blocked it.

    After an erasure this makes sure the old pages holding the person's data leave the ``-wal``
    file too.
    """
    busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return not busy


class Database:
    """One SQLite file, its schema, and one connection per thread (see the module docstring).

    ``migrations`` is read when the database is opened: the first connection (on the opening
    thread) brings the file up to date; later threads' connections only get the settings.
    A module that adds tables adds a step at the end of its owner's migration list (see
    :mod:`editor.contacts.db`) and takes this object to read and write them.
    """

    def __init__(self, path: Path, migrations: Sequence[Migration]) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._closed = False
        self._local.conn = connect(self.path, migrations)

    @property
    def connection(self) -> sqlite3.Connection:
        """The calling thread's connection, opened on first use. Never pass it to another
        thread: there it raises ``sqlite3.ProgrammingError``."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise StoreError(_('The database "{path}" is closed.').format(path=self.path))
            conn = connect(self.path)
            self._local.conn = conn
        return conn

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        """:func:`transaction` on the calling thread's connection."""
        return transaction(self.connection)

    def checkpoint(self) -> bool:
        """Flush the write-ahead log into the file (after erasures); False if readers blocked it."""
        return checkpoint(self.connection)

    def disconnect(self) -> None:
        """Close the calling thread's connection (a later use opens a new one)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            del self._local.conn
            conn.close()

    def close(self) -> None:
        """Close the calling thread's connection and refuse new ones. Other threads close their
        own with :meth:`disconnect` (or theirs goes when the thread ends)."""
        self._closed = True
        self.disconnect()
