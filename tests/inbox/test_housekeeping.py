"""Inbox housekeeping: history sources and IMAP failures go through gettext, the last check is
recorded and worded when shown."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from editor.contacts.store import ContactStore
from editor.inbox import imap_connect, imap_sync, mail_import
from editor.inbox.check import forget_check, last_check, last_checks, record_check
from editor.inbox.imap_connect import ImapFailure
from editor.inbox.mailboxes import Mailbox


def test_history_sources_are_translated_when_written(monkeypatch: pytest.MonkeyPatch) -> None:
    assert imap_sync.mailbox_source("News") == 'mailbox "News"'
    assert mail_import.file_source(Path("/x/bounces.mbox")) == "file bounces.mbox"
    french = {'mailbox "{name}"': "boîte « {name} »", "file {name}": "fichier {name}"}
    monkeypatch.setattr(imap_sync, "_", lambda text: french.get(text, text))
    monkeypatch.setattr(mail_import, "_", lambda text: french.get(text, text))
    assert imap_sync.mailbox_source("News") == "boîte « News »"
    assert mail_import.file_source(Path("b.mbox")) == "fichier b.mbox"


def test_an_imap_failure_reads_as_a_sentence_in_the_ui_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    failure = ImapFailure("refused", "Connection refused", host="imap.example.org", port=993)
    assert str(failure) == "imap.example.org refused the connection on port 993."
    assert str(ImapFailure("folder_missing", folder="Traités")).startswith(
        "The folder Traités does not exist on the mail server"
    )
    seen: list[str] = []

    def translate(text: str) -> str:
        seen.append(text)
        return "[fr] " + text

    monkeypatch.setattr(imap_connect, "_", translate)
    assert str(failure) == "[fr] imap.example.org refused the connection on port 993."
    assert "{host} refused the connection on port {port}." in seen
    assert "secret" not in str(ImapFailure("auth", "bad login", host="h"))


def test_last_check_is_recorded_replaced_and_forgotten(tmp_path: Path) -> None:
    box = Mailbox("News", "imap.example.org", 993, "tls", "u")
    with ContactStore(tmp_path / "c.sqlite3") as store:
        assert last_check(store, "News") is None
        at = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
        record_check(store.connection, "News", at, "ok", {"processed": 1, "changed": 0})
        check = last_check(store, "News")
        assert check is not None and check.at == "2026-03-05T12:00:00Z"
        assert check.describe(box).endswith(": 1 new message, 0 contacts changed.")
        record_check(store.connection, "News", at, "failed", None, "timeout", "timed out")
        failed = last_checks(store)["News"]
        assert failed.outcome == "failed" and failed.counts == {}
        assert "imap.example.org did not answer on port 993 in time." in failed.describe(box)
        store.connection.execute(
            "UPDATE mailbox_checks SET counts = 'not json' WHERE mailbox = 'News'"
        )
        assert last_check(store, "News") is not None  # a damaged row still reads
        with store.db.transaction() as conn:
            forget_check(conn, "News")
        assert last_check(store, "News") is None
