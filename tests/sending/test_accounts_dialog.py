"""The accounts dialog: presets, Save to the keychain, Test off the UI thread, confirmations."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QSpinBox
from pytestqt.qtbot import QtBot

from editor.sending import secrets
from editor.sending.accounts import Account, AccountBook
from editor.sending.connect import Diagnosis
from tests.keychain import Keychain, keychain
from tests.smtp_server import SmtpServer, smtp_server_starttls
from widgets.accounts_dialog import AccountsDialog

__all__ = ["keychain", "smtp_server_starttls"]

pytestmark = pytest.mark.gui

PASSWORD = "dialog-pw-7c1d0a"


@pytest.fixture
def dialog(qtbot: QtBot) -> AccountsDialog:
    widget = AccountsDialog()
    qtbot.addWidget(widget)
    return widget


class Answers:
    """QMessageBox.question's stand-in: answers ``reply`` and records each question's text."""

    def __init__(self) -> None:
        self.reply = QMessageBox.StandardButton.Yes
        self.asked: list[str] = []

    def question(self, parent: object, title: str, text: str, *args: object) -> object:
        self.asked.append(text)
        return self.reply


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    stand_in = Answers()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(stand_in.question))
    return stand_in


YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


def fill(dialog: AccountsDialog, **values: object) -> None:
    defaults: dict[str, object] = {
        "name": "Work",
        "host": "smtp.example.org",
        "from_email": "news@example.org",
    }
    defaults.update(values)
    for field, value in defaults.items():
        widget = getattr(dialog, field)
        if isinstance(widget, QLineEdit):
            widget.setText(str(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))  # type: ignore[call-overload]
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))


def test_preset_fills_the_form_and_shows_its_note(dialog: AccountsDialog) -> None:
    fill(dialog, preset="gmail")
    assert (dialog.host.text(), dialog.port.value()) == ("smtp.gmail.com", 465)
    assert dialog.security.currentData() == "tls"
    assert dialog.daily_quota.value() == 500
    assert "app password" in dialog.note.text()
    assert dialog.region.isHidden() or not dialog._server_form.isRowVisible(dialog.region)
    fill(dialog, preset="sendgrid")
    assert dialog.username.text() == "apikey"
    fill(dialog, preset="ses")
    assert dialog._server_form.isRowVisible(dialog.region)
    dialog.region.setCurrentIndex(dialog.region.findData("eu-central-1"))
    assert dialog.host.text() == "email-smtp.eu-central-1.amazonaws.com"


def test_every_control_has_an_accessible_name_and_a_tooltip(dialog: AccountsDialog) -> None:
    controls = [
        dialog.accounts, dialog.new_button, dialog.remove_button, dialog.preset, dialog.region,
        dialog.name, dialog.host, dialog.port, dialog.security, dialog.username,
        dialog.password, dialog.from_name, dialog.from_email, dialog.reply_to,
        dialog.envelope_from, dialog.rate_minute, dialog.rate_hour, dialog.connections,
        dialog.daily_quota, dialog.monthly_quota, dialog.test_button, dialog.save_button,
    ]  # fmt: skip
    for control in controls:
        assert control.accessibleName(), control
        assert control.toolTip(), control.accessibleName()


def test_password_reaches_the_keychain_only_on_save(
    dialog: AccountsDialog, keychain: Keychain, bulletin_home: Path
) -> None:
    fill(dialog, username="me@example.org")
    dialog.password.setText(PASSWORD)
    assert not secrets.has_password("Work")
    changed: list[bool] = []
    dialog.accounts_changed.connect(lambda: changed.append(True))
    assert dialog.save()
    assert secrets.get_password("Work") == PASSWORD
    assert dialog.password.text() == ""
    assert changed == [True]
    assert AccountBook().get("Work").username == "me@example.org"
    for path in bulletin_home.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes()
    # Saving again with an empty field keeps the stored password.
    dialog.from_name.setText("La Lettre")
    assert dialog.save()
    assert secrets.get_password("Work") == PASSWORD


def test_invalid_form_is_not_saved(dialog: AccountsDialog) -> None:
    fill(dialog, from_email="not an address")
    assert not dialog.save()
    assert "not a valid" in dialog.status.text()
    assert AccountBook().list() == []


def test_unencrypted_to_another_host_asks_first(dialog: AccountsDialog, answers: Answers) -> None:
    answers.reply = NO
    fill(dialog, security="none")
    assert not dialog.save()
    assert len(answers.asked) == 1 and "smtp.example.org" in answers.asked[0]
    assert AccountBook().list() == []
    answers.reply = YES
    assert dialog.save()
    assert AccountBook().get("Work").insecure_confirmed
    # This computer needs no confirmation.
    fill(dialog, name="Local", host="127.0.0.1", security="none")
    assert dialog.save()
    assert len(answers.asked) == 2


def test_remove_asks_to_confirm(dialog: AccountsDialog, answers: Answers) -> None:
    AccountBook().save(Account("A", "smtp.example.org", 587, "starttls", from_email="a@b.org"))
    dialog.reload(select="A")
    answers.reply = NO
    dialog.remove_account()
    assert [a.name for a in AccountBook().list()] == ["A"]
    answers.reply = YES
    dialog.remove_account()
    assert AccountBook().list() == []
    assert dialog.accounts.count() == 0
    assert '"A"' in answers.asked[-1]


def test_selecting_an_account_loads_it(dialog: AccountsDialog) -> None:
    book = AccountBook()
    book.save(Account("A", "a.example.org", 465, "tls", from_email="a@b.org", daily_quota=5))
    book.save(Account("B", "b.example.org", 587, "starttls", from_email="b@b.org"))
    dialog.reload()
    dialog.accounts.setCurrentRow(0)
    assert (dialog.name.text(), dialog.host.text(), dialog.daily_quota.value()) == (
        "A",
        "a.example.org",
        5,
    )
    dialog.accounts.setCurrentRow(1)
    assert dialog.security.currentData() == "starttls"
    assert dialog.password.placeholderText()


def test_connection_test_runs_off_the_ui_thread(
    dialog: AccountsDialog, qtbot: QtBot, smtp_server_starttls: SmtpServer
) -> None:
    server = smtp_server_starttls
    server.reply_delay = 0.2  # long enough that the UI is seen waiting
    dialog.ssl_context = server.ssl_context_for_clients()
    fill(
        dialog,
        host="127.0.0.1",
        port=server.port,
        security="starttls",
        username="user",
    )
    dialog.password.setText("secret")
    with qtbot.waitSignal(dialog.tested, timeout=10000) as blocker:
        dialog.test()
        assert dialog.is_testing()
        assert not dialog.busy.isHidden()
        assert not dialog.test_button.isEnabled()
    result: Diagnosis = blocker.args[0]
    assert result.ok
    qtbot.waitUntil(lambda: not dialog.is_testing(), timeout=5000)
    assert dialog.busy.isHidden() and dialog.test_button.isEnabled()
    assert "news@example.org" in dialog.status.text()
    assert server.messages == []
    assert AccountBook().list() == []  # testing saves nothing


def test_connection_test_shows_the_diagnosis_and_hint(
    dialog: AccountsDialog, qtbot: QtBot, smtp_server_starttls: SmtpServer
) -> None:
    server = smtp_server_starttls
    dialog.ssl_context = server.ssl_context_for_clients()
    fill(dialog, host="127.0.0.1", port=server.port, security="starttls", username="user")
    dialog.password.setText("wrong")
    with qtbot.waitSignal(dialog.tested, timeout=10000) as blocker:
        dialog.test()
    assert blocker.args[0].kind == "auth"
    text = dialog.status.text()
    assert "refused the user name or the password" in text and "app password" in text


def test_keychain_problem_during_test_is_shown(
    dialog: AccountsDialog, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    AccountBook().save(Account("A", "127.0.0.1", 1, "none", username="u", from_email="a@b.org"))
    dialog.reload(select="A")

    def locked(name: str) -> str:
        raise secrets.KeychainError("The keychain is locked: unlock it.")

    monkeypatch.setattr(secrets, "get_password", locked)
    dialog.test()
    qtbot.waitUntil(lambda: not dialog.is_testing(), timeout=10000)
    assert "locked" in dialog.status.text()


def test_renaming_moves_the_account_and_its_password(
    dialog: AccountsDialog, keychain: Keychain
) -> None:
    AccountBook().save(
        Account("Old", "smtp.example.org", 587, "starttls", username="u", from_email="a@b.org")
    )
    secrets.set_password("Old", PASSWORD)
    dialog.reload(select="Old")
    dialog.name.setText("New")
    assert dialog.save()
    assert AccountBook().names() == ["New"]
    assert secrets.get_password("New") == PASSWORD
    assert not secrets.has_password("Old")


def test_a_new_account_does_not_overwrite_another(dialog: AccountsDialog) -> None:
    AccountBook().save(Account("Work", "a.example.org", 465, "tls", from_email="a@b.org"))
    dialog.reload()
    dialog.new_account()
    fill(dialog, name="Work", host="b.example.org")
    assert not dialog.save()
    assert "already exists" in dialog.status.text()
    assert AccountBook().get("Work").host == "a.example.org"
