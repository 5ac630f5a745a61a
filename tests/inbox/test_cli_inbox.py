"""``bulletin inbox``: through editor.cli.run, with a real keychain and a real dovecot."""

from __future__ import annotations

import io
import json
import mailbox as stdlib_mailbox
from pathlib import Path

import keyring.backend
import pytest

from editor.cli import run
from editor.contacts.store import ContactStore
from editor.inbox import mailboxes
from editor.inbox.imap_sync import read_state
from editor.inbox.mailboxes import MailboxBook
from editor.sending.secrets import KeychainError
from tests import mail_samples
from tests.imap_server import ImapServer, free_port, imap_server
from tests.keychain import Keychain, keychain, no_keychain

__all__ = ["imap_server", "keychain", "no_keychain"]

JSON_KEYS = {
    "processed",
    "bounces",
    "soft_bounces",
    "complaints",
    "unsubscribes",
    "auto_replies",
    "backscatter",
    "unrecognised",
    "changed",
}


def feed_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def add(
    server: ImapServer, monkeypatch: pytest.MonkeyPatch, *extra: str, password: str = ""
) -> int:
    feed_stdin(monkeypatch, (password or server.password) + "\n")
    return run(
        [
            "inbox",
            "add",
            "Bounces",
            "--host",
            server.host,
            "--port",
            str(server.port),
            "--security",
            "none",
            "--username",
            server.user,
            "--password-stdin",
            *extra,
        ]
    )


def test_add_sync_json_and_second_sync(
    imap_server: ImapServer,
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    bulletin_home: Path,
) -> None:
    mail_samples.contacts_store(bulletin_home / "contacts.sqlite3").close()
    imap_server.append_many(mail_samples.messages())
    assert add(imap_server, monkeypatch) == 0
    assert 'Mailbox "Bounces" saved.' in capsys.readouterr().out
    assert mailboxes.get_password("Bounces") == imap_server.password
    # The password is in no file of the data folder.
    for path in bulletin_home.rglob("*"):
        if path.is_file():
            assert imap_server.password.encode() not in path.read_bytes(), path

    assert run(["inbox", "sync", "Bounces", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == JSON_KEYS
    assert data["processed"] == 7 and data["complaints"] == 1
    assert all(set(change) == {"email", "status", "reason"} for change in data["changed"])
    expected = {e: s for e, s in mail_samples.EXPECTED.items() if s != "subscribed"}
    assert {c["email"]: c["status"] for c in data["changed"]} == expected
    with ContactStore() as store:
        assert mail_samples.statuses(store) == mail_samples.EXPECTED

    assert run(["inbox", "sync", "Bounces", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["processed"] == 0 and again["changed"] == []
    assert len(imap_server.messages()) == 7  # nothing deleted


def test_human_output_list_and_remove(
    imap_server: ImapServer,
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    bulletin_home: Path,
) -> None:
    mail_samples.contacts_store(bulletin_home / "contacts.sqlite3").close()
    imap_server.append(mail_samples.dsn(mail_samples.BOUNCED))
    assert add(imap_server, monkeypatch, "--move-to", "Traités", "--folder", "INBOX") == 0
    imap_server.append(b"Subject: x\r\n\r\nx\r\n", folder="Traités")
    capsys.readouterr()
    assert run(["inbox", "sync", "Bounces"]) == 0
    out = capsys.readouterr().out
    assert "Messages processed:" in out and "Permanent bounces:" in out
    assert f"{mail_samples.BOUNCED}: now bounced" in out
    assert len(imap_server.messages("Traités")) == 2

    assert run(["inbox", "list"]) == 0
    line = capsys.readouterr().out.strip()
    *columns, last_checked = line.split("\t")
    assert columns == [
        "Bounces",
        f"127.0.0.1:{imap_server.port}",
        "none",
        imap_server.user,
        "INBOX",
        "move to Traités",
    ]
    # The last column: when it was last checked, and what that found.
    assert last_checked.startswith("Last checked ")
    assert last_checked.endswith(": 1 new message, 1 contact changed.")
    assert run(["inbox", "list", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["move_to"] == "Traités" and "password" not in json.dumps(entry)
    assert entry["last_check"]["outcome"] == "ok"
    assert entry["last_check"]["counts"]["bounces"] == 1

    with ContactStore() as store:
        assert read_state(store.connection, "Bounces", "INBOX") is not None
    assert run(["inbox", "remove", "Bounces"]) == 0
    assert 'Mailbox "Bounces" removed.' in capsys.readouterr().out
    assert MailboxBook().list() == []
    with pytest.raises(KeychainError):
        mailboxes.get_password("Bounces")
    with ContactStore() as store:
        assert read_state(store.connection, "Bounces", "INBOX") is None
    assert run(["inbox", "remove", "Bounces"]) == 2
    assert 'No mailbox named "Bounces"' in capsys.readouterr().err


def test_sync_errors_are_sentences_on_stderr(
    imap_server: ImapServer,
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert add(imap_server, monkeypatch, password="wrong-password") == 0
    capsys.readouterr()
    assert run(["inbox", "sync", "Bounces"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "refused the user name or the password" in captured.err
    assert "wrong-password" not in captured.err

    assert add(imap_server, monkeypatch, "--folder", "Absent") == 0
    capsys.readouterr()
    assert run(["inbox", "sync", "Bounces"]) == 2
    assert "The folder Absent does not exist on 127.0.0.1." in capsys.readouterr().err

    feed_stdin(monkeypatch, imap_server.password + "\n")
    port = free_port()
    args = ["--host", "127.0.0.1", "--port", str(port), "--security", "tls"]
    base = ["inbox", "add", "Gone", *args, "--username", "u", "--password-stdin"]
    assert run(base) == 0
    capsys.readouterr()
    assert run(["inbox", "sync", "Gone"]) == 2
    assert f"127.0.0.1 refused the connection on port {port}." in capsys.readouterr().err

    assert run(["inbox", "sync", "Nobody"]) == 2
    assert 'No mailbox named "Nobody"' in capsys.readouterr().err


def test_tls_with_an_untrusted_certificate_is_refused(
    imap_server: ImapServer,
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    feed_stdin(monkeypatch, imap_server.password + "\n")
    where = ["--host", "127.0.0.1", "--port", str(imap_server.tls_port), "--security", "tls"]
    assert (
        run(["inbox", "add", "B", *where, "--username", imap_server.user, "--password-stdin"]) == 0
    )
    capsys.readouterr()
    assert run(["inbox", "sync", "B"]) == 2
    assert "The certificate of 127.0.0.1 cannot be trusted" in capsys.readouterr().err


def test_add_refusals(
    keychain: Keychain, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = ["--host", "imap.example.org", "--port", "143", "--security", "none"]
    assert run(["inbox", "add", "B", *remote, "--username", "u"]) == 2
    assert "--insecure" in capsys.readouterr().err
    assert run(["inbox", "add", "B", *remote, "--username", "u", "--insecure"]) == 0
    assert MailboxBook().get("B").insecure_confirmed
    tls = ["--host", "imap.example.org", "--port", "993", "--security", "tls"]
    assert run(["inbox", "add", "C", *tls, "--username", "u", "--account", "Nope"]) == 2
    assert 'No account named "Nope"' in capsys.readouterr().err
    assert run(["inbox", "add", "C", *tls, "--username", "u", "--move-to", "INBOX"]) == 2
    assert "another folder" in capsys.readouterr().err
    assert MailboxBook().names() == ["B"]


def test_no_keychain_stores_nothing(
    no_keychain: keyring.backend.KeyringBackend,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    feed_stdin(monkeypatch, "secret\n")
    tls = ["--host", "imap.example.org", "--port", "993", "--security", "tls"]
    assert run(["inbox", "add", "B", *tls, "--username", "u", "--password-stdin"]) == 2
    assert "keychain" in capsys.readouterr().err
    assert MailboxBook().list() == []


def test_import_mbox_and_maildir_with_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bulletin_home: Path
) -> None:
    mail_samples.contacts_store(bulletin_home / "contacts.sqlite3").close()
    path = tmp_path / "bounces.mbox"
    box = stdlib_mailbox.mbox(path)
    for raw in mail_samples.messages():
        box.add(raw)
    box.close()
    assert run(["inbox", "import", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == JSON_KEYS and data["processed"] == 7
    with ContactStore() as store:
        assert mail_samples.statuses(store) == mail_samples.EXPECTED
    assert run(["inbox", "import", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] == []

    assert run(["inbox", "import", str(tmp_path / "absent.mbox")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert run(["inbox", "import", str(tmp_path / "notes.txt")]) == 2
    assert "is not an mbox file" in capsys.readouterr().err
