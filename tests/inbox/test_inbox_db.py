"""Schema version 4: the inbox tables exist, and a version-3 database is upgraded in place
(to the latest version, later steps included)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from editor.contacts.db import MIGRATIONS, SCHEMA_VERSION, connect, migrate_schema
from editor.db import schema_version


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


def test_new_database_has_the_inbox_tables(tmp_path: Path) -> None:
    conn = connect(tmp_path / "c.sqlite3")
    try:
        assert SCHEMA_VERSION >= 4 and schema_version(conn) == SCHEMA_VERSION
        assert {"inbox_messages", "inbox_review", "soft_bounces", "mailbox_state"} <= _tables(conn)
        conn.execute("INSERT INTO mailbox_state VALUES ('m', 'INBOX', 7, 42)")
        row = conn.execute("SELECT uidvalidity, last_uid FROM mailbox_state").fetchone()
        assert row == (7, 42)
    finally:
        conn.close()


def test_version_3_database_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for step in MIGRATIONS[:3]:
        step(conn)
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    conn = connect(path, migrate=False)
    try:
        assert migrate_schema(conn, path) == 3
        assert schema_version(conn) == SCHEMA_VERSION
        assert "inbox_messages" in _tables(conn)
    finally:
        conn.close()
