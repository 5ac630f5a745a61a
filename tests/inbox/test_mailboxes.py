"""Mailbox validation, the mailboxes file and the keychain entry under its own service."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import keyring
import keyring.backend
import pytest

from editor.inbox import mailboxes
from editor.inbox.mailboxes import Mailbox, MailboxBook, MailboxError
from editor.sending import secrets
from editor.sending.secrets import KeychainError, PasswordMissing
from tests.keychain import Keychain, keychain, no_keychain

__all__ = ["keychain", "no_keychain"]


def good(**changes: object) -> Mailbox:
    mailbox = Mailbox(
        name="Bounces",
        host="imap.example.org",
        port=993,
        security="tls",
        username="news@example.org",
    )
    return replace(mailbox, **changes)  # type: ignore[arg-type]


def test_a_good_mailbox_validates_with_flag_as_default() -> None:
    mailbox = good()
    mailbox.validate()
    assert (mailbox.folder, mailbox.processed, mailbox.move_to) == ("INBOX", "flag", "")
    good(processed="move", move_to="Bulletin/Traités").validate()
    good(security="none", host="127.0.0.1", port=143).validate()
    good(security="none", host="imap.example.org", insecure_confirmed=True).validate()


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": " "}, "name"),
        ({"name": "x" * 101}, "too long"),
        ({"host": "imap example.org"}, "not a valid server name"),
        ({"port": 0}, "port"),
        ({"port": 70000}, "port"),
        ({"security": "ssl"}, "security"),
        ({"security": "none"}, "unencrypted"),
        ({"username": ""}, "user name"),
        ({"folder": ""}, "folder"),
        ({"folder": "INBOX\r\nA1 DELETE INBOX"}, "one line"),
        ({"processed": "delete"}, "flagged or moved"),
        ({"processed": "move"}, "moved to"),
        ({"processed": "move", "move_to": "inbox"}, "another folder"),
        ({"timeout": 0}, "timeout"),
    ],
)
def test_refusals_say_why(changes: dict[str, object], words: str) -> None:
    with pytest.raises(MailboxError, match=words):
        good(**changes).validate()


def test_book_saves_lists_replaces_and_removes(bulletin_home: Path) -> None:
    book = MailboxBook()
    assert book.list() == []
    book.save(good(name="zeta"))
    book.save(good(name="Alpha", folder="Retours"))
    book.save(good(name="zeta", port=1993))
    assert book.names() == ["Alpha", "zeta"]
    assert book.get("zeta").port == 1993
    assert book.path == bulletin_home / "mailboxes.json"
    data = json.loads(book.path.read_text(encoding="utf-8"))
    assert data["version"] == 1 and len(data["mailboxes"]) == 2
    with pytest.raises(MailboxError, match="No mailbox"):
        book.get("nope")
    with pytest.raises(MailboxError):
        book.save(good(name="bad", port=-1))
    assert book.names() == ["Alpha", "zeta"]


def test_unknown_keys_are_ignored_and_a_damaged_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "mailboxes.json"
    entry = {**good().to_json(), "from_the_future": 1}
    path.write_text(json.dumps({"version": 2, "mailboxes": [entry]}), encoding="utf-8")
    assert MailboxBook(path).get("Bounces") == good()
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(MailboxError, match="damaged"):
        MailboxBook(path).list()
    path.write_text(json.dumps({"mailboxes": [{"name": "x"}]}), encoding="utf-8")
    with pytest.raises(MailboxError, match="incomplete"):
        MailboxBook(path).list()


def test_password_in_its_own_keychain_service(keychain: Keychain, bulletin_home: Path) -> None:
    secrets.set_password("Bounces", "smtp-secret")  # a sending account of the same name
    mailboxes.set_password("Bounces", "imap-secret")
    assert mailboxes.get_password("Bounces") == "imap-secret"
    assert secrets.get_password("Bounces") == "smtp-secret"
    assert keyring.get_password(mailboxes.SERVICE, "Bounces") == "imap-secret"
    book = MailboxBook()
    book.save(good())
    assert "imap-secret" not in book.path.read_text(encoding="utf-8")
    book.remove("Bounces")
    with pytest.raises(PasswordMissing, match="mailbox"):
        mailboxes.get_password("Bounces")
    assert secrets.get_password("Bounces") == "smtp-secret"  # the account's entry is kept
    mailboxes.delete_password("Bounces")  # nothing stored: not an error


def test_without_a_keychain_nothing_is_stored(
    no_keychain: keyring.backend.KeyringBackend,
) -> None:
    with pytest.raises(KeychainError, match="keychain"):
        mailboxes.set_password("Bounces", "imap-secret")
    book = MailboxBook()
    book.save(good())
    book.remove("Bounces")  # the keychain problem does not keep the mailbox
    assert book.list() == []
