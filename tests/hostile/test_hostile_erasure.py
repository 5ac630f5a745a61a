"""GDPR erasure while another connection holds a read snapshot (issue: "erased" was claimed
while the address and name were still on disk)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from editor.cli import run
from editor.contacts.model import Basis, ContactInput
from editor.contacts.privacy import forget
from editor.contacts.store import ContactStore

SECRETS = (b"zygomatic.quux", b"Quatremer")


def _on_disk(path: Path) -> bytes:
    data = b""
    for part in (path, Path(f"{path}-wal")):
        if part.exists():
            data += part.read_bytes()
    return data


def _store_with_secret(path: Path) -> None:
    with ContactStore(path) as store:
        others = [ContactInput(f"p{i}@exemple.fr", f"P{i}", "N") for i in range(200)]
        store.upsert_many(others, list_id=None, basis=Basis("consent", source="form"))
        store.add(
            ContactInput("zygomatic.quux@exemple.org", "Philomène", "Quatremer"), Basis("consent")
        )


def _reader(path: Path) -> sqlite3.Connection:
    """Another program reading the database: a read transaction holding its snapshot."""
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM contacts").fetchone()
    return reader


def test_a_blocked_erasure_says_so_and_finishes_at_the_next_opening(tmp_path: Path) -> None:
    path = tmp_path / "contacts.sqlite3"
    _store_with_secret(path)
    reader = _reader(path)
    try:
        with ContactStore(path) as store:
            result = forget(store, "Zygomatic.Quux@exemple.org")
            assert result.held is True
            assert result.complete is False  # not claimed: the data is still on disk
            assert store.erasure.pending
            assert any(secret in _on_disk(path) for secret in SECRETS)
    finally:
        reader.close()
    with ContactStore(path) as store:  # the next start
        assert not store.erasure.pending
        assert store.get("zygomatic.quux@exemple.org") is None
    on_disk = _on_disk(path)
    assert not any(secret in on_disk for secret in SECRETS)


def test_the_cli_warns_when_a_reader_blocks_the_erasure(
    bulletin_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bulletin_home / "contacts.sqlite3"
    _store_with_secret(path)
    reader = _reader(path)
    try:
        assert run(["contacts", "forget", "zygomatic.quux@exemple.org"]) == 0
    finally:
        reader.close()
    captured = capsys.readouterr()
    assert "was erased" in captured.out
    assert "still reading" in captured.err and "contacts.sqlite3-wal" in captured.err
    assert run(["contacts", "forget", "zygomatic.quux@exemple.org"]) == 0  # opens: finishes
    assert not any(secret in _on_disk(path) for secret in SECRETS)
    assert "still reading" not in capsys.readouterr().err
