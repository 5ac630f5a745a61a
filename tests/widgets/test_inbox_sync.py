"""Checking a mailbox and importing a file from the UI: off the UI thread, cancel, the summary."""

from __future__ import annotations

import mailbox as stdlib_mailbox
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from editor.contacts.store import ContactStore
from editor.i18n import set_language
from editor.inbox import mailboxes
from editor.inbox.mailboxes import Mailbox, MailboxBook
from editor.inbox.process import Tally
from tests import mail_samples
from tests.imap_server import ImapServer, imap_server
from tests.keychain import Keychain, keychain
from widgets.inbox_sync import InboxSyncDialog, import_dialog, sync_dialog

if TYPE_CHECKING:
    from widgets.main_window import MainWindow

__all__ = ["imap_server", "keychain"]

SHOTS = Path(os.environ.get("BULLETIN_SHOTS", "/tmp/inboxui-shots"))
WAIT_MS = 60_000


def run(qtbot: QtBot, dialog: InboxSyncDialog) -> object:
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ended, timeout=WAIT_MS) as signal:
        dialog.start()
    qtbot.waitUntil(lambda: not dialog.is_running())
    return signal.args[0]


def add_mailbox(server: ImapServer) -> None:
    MailboxBook().save(Mailbox("Bounces", server.host, server.tls_port, "tls", server.user))
    mailboxes.set_password("Bounces", server.password)


def write_mbox(path: Path, raws: list[bytes]) -> Path:
    box = stdlib_mailbox.mbox(path)
    for raw in raws:
        box.add(raw)
    box.close()
    return path


def test_check_now_processes_the_bounces_and_the_summary_names_the_contacts(
    qtbot: QtBot, imap_server: ImapServer, keychain: Keychain, bulletin_home: Path
) -> None:
    mail_samples.contacts_store(bulletin_home / "contacts.sqlite3").close()
    imap_server.append_many(mail_samples.messages())
    add_mailbox(imap_server)
    dialog = sync_dialog(None, "Bounces", ssl_context=imap_server.ssl_context_for_clients())
    tally = run(qtbot, dialog)
    assert isinstance(tally, Tally) and tally.processed == 7 and not dialog.cancelled
    with ContactStore() as store:
        assert mail_samples.statuses(store) == mail_samples.EXPECTED
    text = dialog.summary.toPlainText()
    assert "7 messages read." in text
    assert "• 4 bounces (permanent)" in text and "• 1 spam complaint" in text
    assert f"{mail_samples.BOUNCED}: now bounced — Permanent delivery failure" in text
    assert f"{mail_samples.COMPLAINED}: now complained" in text
    assert mail_samples.UNTOUCHED not in text  # only the contacts that changed
    assert dialog.close_button.isVisibleTo(dialog)
    assert not dialog.cancel_button.isVisibleTo(dialog)

    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.resize(720, 420)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(SHOTS / "sync-summary.png"))

    again = run(
        qtbot, sync_dialog(None, "Bounces", ssl_context=imap_server.ssl_context_for_clients())
    )
    assert isinstance(again, Tally) and again.processed == 0 and again.changed == []


def test_the_summary_is_in_french_with_french_statuses(
    qtbot: QtBot, tmp_path: Path, bulletin_home: Path
) -> None:
    mail_samples.contacts_store(bulletin_home / "contacts.sqlite3").close()
    path = write_mbox(tmp_path / "export.mbox", mail_samples.messages())
    set_language("fr")
    try:
        dialog = import_dialog(None, path)
        run(qtbot, dialog)
        text = dialog.summary.toPlainText()
        # The status is worded in the UI language, not the stored English token.
        assert f"{mail_samples.BOUNCED} : désormais adresse en erreur" in text
        assert "now bounced" not in text
    finally:
        set_language("en")


def test_a_refused_server_says_why(
    qtbot: QtBot, imap_server: ImapServer, keychain: Keychain
) -> None:
    add_mailbox(imap_server)
    MailboxBook().save(
        Mailbox(
            "Bounces",
            imap_server.host,
            imap_server.tls_port,
            "tls",
            imap_server.user,
            folder="Nope",
        )
    )
    dialog = sync_dialog(None, "Bounces", ssl_context=imap_server.ssl_context_for_clients())
    error = run(qtbot, dialog)
    assert isinstance(error, Exception) and dialog.tally is None
    assert "The folder Nope does not exist" in dialog.summary.toPlainText()


def test_cancel_stops_the_import_and_keeps_what_was_done(
    qtbot: QtBot, tmp_path: Path, bulletin_home: Path
) -> None:
    mail_samples.contacts_store(bulletin_home / "contacts.sqlite3").close()
    filler = [
        f"From: x{i}@example.com\r\nSubject: hello {i}\r\nMessage-ID: <f{i}@example.com>\r\n"
        f"Auto-Submitted: auto-replied\r\n\r\nAway.\r\n".encode()
        for i in range(250)
    ]
    # The bounces come last: a cancel after the first batch (200 messages) never reaches them.
    path = write_mbox(tmp_path / "big.mbox", [*filler, *mail_samples.messages()])
    dialog = import_dialog(None, path)
    qtbot.addWidget(dialog)
    pressed = threading.Event()

    # On the worker's thread: hold the worker after its first batch until Cancel was pressed.
    def hold(done: int, total: int) -> None:
        pressed.wait(20)

    dialog._progress.moved.connect(hold, Qt.ConnectionType.DirectConnection)
    with qtbot.waitSignal(dialog.ended, timeout=WAIT_MS) as signal:
        dialog.start()
        qtbot.waitUntil(lambda: dialog.progress.value() == 200, timeout=WAIT_MS)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        pressed.set()
    qtbot.waitUntil(lambda: not dialog.is_running())
    tally = signal.args[0]
    assert isinstance(tally, Tally) and dialog.cancelled
    assert tally.processed == 200 and tally.auto_replies == 200
    assert "Cancelled" in dialog.heading.text()
    with ContactStore() as store:
        assert store.get(mail_samples.BOUNCED).status == "subscribed"  # type: ignore[union-attr]

    # What was done stays done; a new import does the rest.
    rest = import_dialog(None, path)
    total = run(qtbot, rest)
    assert isinstance(total, Tally) and total.already_processed == 200
    with ContactStore() as store:
        assert mail_samples.statuses(store) == mail_samples.EXPECTED


def test_the_inbox_menu_checks_a_mailbox_and_counts_the_messages_to_review(
    qtbot: QtBot,
    window: MainWindow,
    imap_server: ImapServer,
    keychain: Keychain,
    bulletin_home: Path,
) -> None:
    mail_samples.contacts_store(bulletin_home / "contacts.sqlite3").close()
    odd = (
        b"From: MAILER-DAEMON@mx.example.net\r\nSubject: Undeliverable: La lettre\r\n"
        b"Message-ID: <odd-1@mx>\r\n\r\nYour message could not be handed over.\r\n"
    )
    imap_server.append_many([*mail_samples.messages(), odd])
    add_mailbox(imap_server)
    inbox = window.inbox
    assert inbox.menu in [a.menu() for a in window.menuBar().actions()]
    assert [a.text() for a in inbox.menu.actions() if a.text()] == [
        "&Mailboxes…",
        "&Check for bounces now",
        "&Import a mailbox file…",
        "Messages to &review…",
    ]
    inbox.fill_check_menu()
    (entry,) = inbox.check_menu.actions()
    assert entry.text() == "Bounces"
    inbox.ssl_context = imap_server.ssl_context_for_clients()
    entry.trigger()
    dialog = inbox.sync_window
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.tally is not None or bool(dialog.error), timeout=WAIT_MS)
    assert dialog.tally is not None and dialog.tally.unrecognised == 1
    assert inbox.review.text() == "Messages to &review (1)…"
    assert "1 message waits for your review" in window.statusBar().currentMessage()
    with ContactStore() as store:
        assert mail_samples.statuses(store) == mail_samples.EXPECTED
    dialog.accept()

    review = inbox.show_review()
    assert review.table.rowCount() == 1
    review.close()


def test_a_message_file_inside_a_maildir_imports_the_whole_maildir(tmp_path: Path) -> None:
    from widgets.inbox_menu import mail_store_path

    box = stdlib_mailbox.Maildir(tmp_path / "Export")
    key = box.add(b"Subject: x\r\n\r\nx\r\n")
    box.close()
    (message,) = (tmp_path / "Export").rglob(f"{key}*")
    assert mail_store_path(message) == tmp_path / "Export"
    mbox = write_mbox(tmp_path / "a.mbox", [b"Subject: x\r\n\r\nx\r\n"])
    assert mail_store_path(mbox) == mbox


def test_check_now_in_the_mailboxes_dialog_opens_the_sync_above_it(
    qtbot: QtBot,
    window: MainWindow,
    imap_server: ImapServer,
    keychain: Keychain,
    bulletin_home: Path,
) -> None:
    mail_samples.contacts_store(bulletin_home / "contacts.sqlite3").close()
    imap_server.append(mail_samples.dsn(mail_samples.BOUNCED))
    add_mailbox(imap_server)
    window.inbox.ssl_context = imap_server.ssl_context_for_clients()
    mailboxes_window = window.inbox.show_mailboxes()
    assert mailboxes_window.check_button.isEnabled()
    qtbot.mouseClick(mailboxes_window.check_button, Qt.MouseButton.LeftButton)
    dialog = window.inbox.sync_window
    assert dialog is not None and dialog.parent() is mailboxes_window
    qtbot.waitUntil(lambda: dialog.tally is not None or bool(dialog.error), timeout=WAIT_MS)
    assert f"{mail_samples.BOUNCED}: now bounced" in dialog.summary.toPlainText()
    dialog.accept()
    mailboxes_window.reject()


def test_messages_the_server_would_not_flag_are_mentioned(
    qtbot: QtBot,
    imap_server: ImapServer,
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from editor.inbox import imap_sync

    add_mailbox(imap_server)

    def refused(*args: object, **kwargs: object) -> imap_sync.SyncResult:
        return imap_sync.SyncResult(Tally(), messages=2, unmarked=2)

    monkeypatch.setattr(imap_sync, "sync_mailbox", refused)
    dialog = sync_dialog(None, "Bounces")
    run(qtbot, dialog)
    assert "refused to flag or move 2 processed messages" in dialog.summary.toPlainText()


def test_an_import_asks_which_mailbox_when_one_accepts_subscriptions(
    qtbot: QtBot, tmp_path: Path, bulletin_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file's subscription requests follow the chosen mailbox's settings (here it has no
    sending account: the request waits, and the summary says why), as ``inbox import
    --mailbox``; choosing none sends them to the review list."""
    from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow

    from editor.inbox.review import review_count
    from editor.inbox.subscriptions import pending_requests
    from tests.inbox.subscribe_samples import request
    from widgets.inbox_menu import InboxMenu

    mail_samples.contacts_store(bulletin_home / "contacts.sqlite3").close()
    MailboxBook().save(
        Mailbox(
            "News", "127.0.0.1", 1143, "none", "news",
            accept_subscriptions=True, subscribe_list="Readers",
        )
    )  # fmt: skip
    path = write_mbox(tmp_path / "export.mbox", [request("marie@example.net")])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a: (str(path), "")))
    asked: list[list[str]] = []

    def choose(parent: object, title: str, label: str, items: list[str], *a: object) -> object:
        asked.append(items)
        return (items[0], True)

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = InboxMenu(window, periodic=False)
    menu.import_file.trigger()
    dialog = menu.sync_window
    assert dialog is not None and asked and asked[0][0] == "News" and len(asked[0]) == 2
    qtbot.waitUntil(lambda: not dialog.is_running() and dialog.tally is not None, timeout=WAIT_MS)
    assert "no sending account" in dialog.summary.toPlainText()
    with ContactStore() as store:
        assert [r.email for r in pending_requests(store)] == ["marie@example.net"]
        assert review_count(store) == 0
