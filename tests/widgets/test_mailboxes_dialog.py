"""The mailboxes dialog against a real dovecot and a real keychain: add, test, remove."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from editor.contacts.store import ContactStore
from editor.inbox import mailboxes
from editor.inbox.imap_connect import ImapDiagnosis
from editor.inbox.imap_sync import read_state, write_state
from editor.inbox.mailboxes import MailboxBook
from editor.sending.secrets import KeychainError
from tests import mail_samples
from tests.imap_server import ImapServer, free_port, imap_server
from tests.keychain import Keychain, keychain
from widgets.mailboxes_dialog import MailboxesDialog

__all__ = ["imap_server", "keychain"]

SHOTS = Path(os.environ.get("BULLETIN_SHOTS", "/tmp/inboxui-shots"))


@pytest.fixture
def dialog(qtbot: QtBot) -> MailboxesDialog:
    widget = MailboxesDialog()
    qtbot.addWidget(widget)
    return widget


def fill(dialog: MailboxesDialog, server: ImapServer, *, port: int = 0, password: str = "") -> None:
    dialog.new_mailbox()
    dialog.name.setText("Bounces")
    dialog.host.setText(server.host)
    dialog.port.setValue(port or server.tls_port)
    dialog.security.setCurrentIndex(dialog.security.findData("tls"))
    dialog.username.setText(server.user)
    dialog.password.setText(password or server.password)
    dialog.ssl_context = server.ssl_context_for_clients()


def run_test(qtbot: QtBot, dialog: MailboxesDialog) -> ImapDiagnosis:
    with qtbot.waitSignal(dialog.tested, timeout=20_000) as signal:
        dialog.test()
    qtbot.waitUntil(lambda: not dialog.is_testing())
    diagnosis = signal.args[0]
    assert isinstance(diagnosis, ImapDiagnosis)
    return diagnosis


def test_add_a_mailbox_test_it_and_the_password_is_only_in_the_keychain(
    qtbot: QtBot,
    dialog: MailboxesDialog,
    imap_server: ImapServer,
    keychain: Keychain,
    bulletin_home: Path,
) -> None:
    fill(dialog, imap_server)
    dialog.folder.setText("INBOX")
    assert dialog.save()
    assert [m.name for m in MailboxBook().list()] == ["Bounces"]
    saved = MailboxBook().get("Bounces")
    assert (saved.host, saved.port, saved.security, saved.username) == (
        imap_server.host,
        imap_server.tls_port,
        "tls",
        imap_server.user,
    )
    assert mailboxes.get_password("Bounces") == imap_server.password
    assert dialog.password.text() == ""
    for path in bulletin_home.rglob("*"):
        if path.is_file():
            assert imap_server.password.encode() not in path.read_bytes(), path

    # The empty password field uses the stored password.
    diagnosis = run_test(qtbot, dialog)
    assert diagnosis.ok, str(diagnosis)
    assert "accepted the login" in dialog.status.text()
    assert dialog.check_button.isEnabled()

    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.resize(820, 520)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(SHOTS / "mailboxes-dialog.png"))


def test_a_refused_port_and_a_wrong_password_say_precisely_what_is_wrong(
    qtbot: QtBot, dialog: MailboxesDialog, imap_server: ImapServer, keychain: Keychain
) -> None:
    fill(dialog, imap_server, port=free_port())
    refused = run_test(qtbot, dialog)
    assert (refused.ok, refused.kind) == (False, "refused")
    assert "refused the connection" in dialog.status.text()
    assert "993" in dialog.status.text()  # the hint

    fill(dialog, imap_server, password="not-the-password")
    wrong = run_test(qtbot, dialog)
    assert wrong.kind == "auth"
    assert "user name or the password" in dialog.status.text()
    assert MailboxBook().list() == []  # testing saves nothing


def test_none_to_another_computer_needs_a_confirmation(
    dialog: MailboxesDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def question(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog.name.setText("Remote")
    dialog.host.setText("imap.example.org")
    dialog.port.setValue(143)
    dialog.security.setCurrentIndex(dialog.security.findData("none"))
    dialog.username.setText("me")
    dialog.password.setText("secret")
    assert not dialog.save()
    assert len(asked) == 1 and "imap.example.org" in asked[0]
    assert "TLS or STARTTLS" in dialog.status.text()
    assert MailboxBook().list() == []


def test_removing_forgets_the_password_and_the_sync_bookmarks(
    dialog: MailboxesDialog,
    imap_server: ImapServer,
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    bulletin_home: Path,
) -> None:
    mail_samples.contacts_store(bulletin_home / "contacts.sqlite3").close()
    fill(dialog, imap_server)
    assert dialog.save()
    with ContactStore() as store, store.db.transaction() as conn:
        write_state(conn, "Bounces", "INBOX", 7, 42)
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    dialog.remove_mailbox()
    assert MailboxBook().list() == []
    with pytest.raises(KeychainError):
        mailboxes.get_password("Bounces")
    with ContactStore() as store:
        assert read_state(store.connection, "Bounces", "INBOX") is None
    assert 'Mailbox "Bounces" removed.' in dialog.status.text()
    assert dialog.name.text() == ""  # back to an empty form
