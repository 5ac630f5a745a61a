"""The "Send a test" dialog driven with qtbot: address checks, a contact's values borrowed, the
send off the UI thread against a real SMTP server, one line per address."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from editor.contacts.store import Basis, ContactInput, ContactStore
from editor.sending.accounts import Account, AccountBook
from tests.sending.test_message import document
from tests.smtp_server import HOST, SmtpServer, smtp_server
from widgets.background import BackgroundTask
from widgets.send_test_dialog import SendTestDialog
from widgets.session import EditSession

__all__ = ["smtp_server"]

pytestmark = pytest.mark.gui

CONSENT = Basis("consent", "site", "case cochée", "2025-03-01")


@pytest.fixture
def book(tmp_path: Path, smtp_server: SmtpServer) -> AccountBook:
    accounts = AccountBook(tmp_path / "accounts.json")
    accounts.save(
        Account(
            name="Local",
            host=HOST,
            port=smtp_server.port,
            security="none",
            from_email="news@boulangerie.example",
            from_name="Boulangerie Martin",
            timeout=5.0,
        )
    )
    return accounts


@pytest.fixture
def dialog(qtbot: QtBot, book: AccountBook) -> SendTestDialog:
    session = EditSession(document())
    widget = SendTestDialog(session, book=book)
    qtbot.addWidget(widget)
    return widget


def wait_idle(qtbot: QtBot, dialog: SendTestDialog) -> None:
    qtbot.waitUntil(
        lambda: not dialog.is_sending() and BackgroundTask.running() == 0, timeout=15000
    )


def test_addresses_are_checked_as_typed(dialog: SendTestDialog) -> None:
    # The account's own address is the first guess.
    assert dialog.addresses.toPlainText() == "news@boulangerie.example"
    assert dialog.send_button.isEnabled()
    dialog.addresses.setPlainText("me@example.org, oops@, you@example.net")
    assert not dialog.send_button.isEnabled()
    assert "oops@" in dialog.address_status.text()
    dialog.addresses.setPlainText("me@example.org\nyou@example.net")
    assert dialog.send_button.isEnabled() and dialog.address_status.text() == ""
    dialog.addresses.setPlainText("")
    assert not dialog.send_button.isEnabled()


def test_no_account_says_what_to_do(qtbot: QtBot, tmp_path: Path) -> None:
    widget = SendTestDialog(EditSession(document()), book=AccountBook(tmp_path / "none.json"))
    qtbot.addWidget(widget)
    widget.addresses.setPlainText("me@example.org")
    assert not widget.send_button.isEnabled()
    assert "account" in widget.address_status.text().lower()


def test_send_with_a_contact_values_lists_each_address(
    qtbot: QtBot, dialog: SendTestDialog, smtp_server: SmtpServer
) -> None:
    with ContactStore() as store:
        store.add(ContactInput("zoe@exemple.fr", "Zoé", "Durand", {"city": "Lyon"}), CONSENT)
        store.add(ContactInput("bob@example.com", "Bob", "Martin", {"city": "Nice"}), CONSENT)
    dialog.search.setText("zoé")
    qtbot.waitUntil(lambda: dialog.contact.count() == 2, timeout=10000)
    assert "zoe@exemple.fr" in dialog.contact.currentText()
    smtp_server.rcpt_replies["gone@example.org"] = "550 5.1.1 No such user"
    dialog.addresses.setPlainText("me@example.org, gone@example.org")
    with qtbot.waitSignal(dialog.finished_sending, timeout=15000) as signal:
        qtbot.mouseClick(dialog.send_button, qtbot_left())
        assert dialog.is_sending() and not dialog.send_button.isEnabled()
    wait_idle(qtbot, dialog)
    results = signal.args[0]  # type: ignore[index]
    assert [r.kind for r in results] == ["ok", "recipient_refused"]
    assert dialog.result_list.count() == 2
    assert "me@example.org" in dialog.result_list.item(0).text()
    assert "No such user" in dialog.result_list.item(1).text()
    assert dialog.progress.value() == 2
    assert "1 of 2 sent" in dialog.status.text()
    msg = email.message_from_bytes(smtp_server.wait_for_messages(1)[0][2], policy=policy.default)
    assert msg["Subject"] == "[TEST] Nouvelles pour Zoé — Lyon"
    assert dialog.send_button.isEnabled()  # ready for another go


def test_sample_values_without_a_contact(
    qtbot: QtBot, dialog: SendTestDialog, smtp_server: SmtpServer
) -> None:
    assert dialog.selected_contact() is None
    dialog.addresses.setPlainText("me@example.org")
    with qtbot.waitSignal(dialog.finished_sending, timeout=15000):
        dialog.send()
    wait_idle(qtbot, dialog)
    msg = email.message_from_bytes(smtp_server.wait_for_messages(1)[0][2], policy=policy.default)
    assert msg["Subject"] == "[TEST] Nouvelles pour Marie — [city]"
    assert "sent to 1 address" in dialog.status.text()


def test_every_control_has_a_name_and_a_tooltip(dialog: SendTestDialog) -> None:
    for widget in (
        dialog.addresses,
        dialog.account,
        dialog.accounts_button,
        dialog.search,
        dialog.contact,
        dialog.send_button,
        dialog.progress,
        dialog.result_list,
    ):
        assert widget.accessibleName() and widget.toolTip(), widget


def qtbot_left() -> object:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
