"""The mailboxes dialog's subscription settings, automatic check interval and last check."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from editor.contacts.store import ContactStore
from editor.inbox import mailboxes
from editor.inbox.check import record_check
from editor.inbox.mailboxes import Mailbox, MailboxBook
from editor.sending.accounts import AccountBook
from tests.keychain import Keychain, keychain
from tests.sending.campaign_support import account, profile
from widgets.mailboxes_dialog import MailboxesDialog

__all__ = ["keychain"]


def test_subscription_settings_and_interval_are_saved_and_shown(
    qtbot: QtBot, keychain: Keychain, bulletin_home: Path
) -> None:
    profile(bulletin_home / "contacts.sqlite3", {"Lecteurs": []}).close()
    AccountBook().save(account(2525))
    dialog = MailboxesDialog()
    qtbot.addWidget(dialog)
    assert [dialog.subscribe_list.itemText(i) for i in range(dialog.subscribe_list.count())] == [
        "Lecteurs"
    ]
    dialog.new_mailbox()
    dialog.name.setText("News")
    dialog.host.setText("imap.example.org")
    dialog.username.setText("news")
    dialog.password.setText("secret")
    assert not dialog.subscribe_list.isEnabled()
    assert "review list" in dialog.subscribe_address.text()
    dialog.accept_subscriptions.setChecked(True)
    assert "sending account" in dialog.subscribe_address.text()  # none chosen yet
    dialog.subscribe_list.setCurrentText("")
    assert not dialog.save()  # accepting needs a list
    assert "list new subscribers join" in dialog.status.text()
    dialog.account.setCurrentIndex(dialog.account.findData("local"))
    assert "news+subscribe@example.org" in dialog.subscribe_address.text()
    dialog.subscribe_list.setCurrentText("Nouveaux")
    dialog.subscribe_language.setCurrentIndex(dialog.subscribe_language.findData("fr"))
    dialog.check_every.setValue(30)
    assert dialog.save()
    saved = MailboxBook().get("News")
    assert (saved.accept_subscriptions, saved.subscribe_list, saved.subscribe_language) == (
        True,
        "Nouveaux",
        "fr",
    )
    assert saved.check_every == 30 and saved.account == "local"
    assert dialog.last_checked.text() == "Never checked yet."

    with ContactStore() as store:
        at = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
        record_check(store.connection, "News", at, "ok", {"processed": 3, "changed": 1})
    dialog.refresh_last_check()
    text = dialog.last_checked.text()
    assert (
        text.startswith("Last checked 2026-03-05") and "3 new messages, 1 contact changed" in text
    )
    with ContactStore() as store:
        record_check(store.connection, "News", at, "failed", None, "auth", "bad password")
    dialog.reload(select="News")
    assert "failed" in dialog.last_checked.text()
    assert "refused the user name or the password" in dialog.last_checked.text()


def test_removing_a_mailbox_forgets_its_last_check(
    qtbot: QtBot, keychain: Keychain, bulletin_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    MailboxBook().save(Mailbox("Old", "imap.example.org", 993, "tls", "u"))
    mailboxes.set_password("Old", "pw")
    with ContactStore() as store:
        record_check(store.connection, "Old", datetime.now(UTC), "ok", {})
    dialog = MailboxesDialog()
    qtbot.addWidget(dialog)
    dialog.reload(select="Old")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.remove_mailbox()
    with ContactStore() as store:
        assert store.connection.execute("SELECT count(*) FROM mailbox_checks").fetchone() == (0,)


def test_renaming_keeps_the_last_check_and_the_waiting_requests(
    qtbot: QtBot, keychain: Keychain, bulletin_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from editor.inbox.process import process_message
    from editor.inbox.subscriptions import SubscribeSettings, pending_requests
    from tests.inbox.subscribe_samples import request

    MailboxBook().save(Mailbox("Old", "imap.example.org", 993, "tls", "u"))
    mailboxes.set_password("Old", "pw")
    with ContactStore() as store:
        record_check(store.connection, "Old", datetime.now(UTC), "ok", {"processed": 2})
        settings = SubscribeSettings("Old", accept=True, list_name="Readers")
        process_message(store, request("marie@example.net"), subscriptions=settings)
    dialog = MailboxesDialog()
    qtbot.addWidget(dialog)
    dialog.reload(select="Old")
    dialog.name.setText("New")
    assert dialog.save()
    with ContactStore() as store:
        assert [r.mailbox for r in pending_requests(store)] == ["New"]
    assert "2 new messages" in dialog.last_checked.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.remove_mailbox()  # removing it drops the requests nobody can confirm any more
    with ContactStore() as store:
        assert pending_requests(store) == []
