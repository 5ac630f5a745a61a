"""Sending ▸ Report by email…, offscreen: the settings form, the preview in either language,
Save, "Send now" off the UI thread to a real loopback SMTP server (STARTTLS, the password in a
real Secret Service), the due report sent by itself while the app runs, and the menu action."""

from __future__ import annotations

import email
from collections.abc import Iterator
from datetime import datetime, timedelta
from email import policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from editor import package
from editor.contacts.store import ContactStore
from editor.digest import DigestSettings, load_settings, read_record, save_settings
from editor.sending import secrets
from editor.sending.accounts import Account, AccountBook
from tests.keychain import Keychain, keychain
from tests.smtp_server import HOST, SmtpServer, closed_port
from tests.widgets.conftest import sample_file
from widgets.background import BackgroundTask
from widgets.digest_dialog import DigestDialog, record_text
from widgets.digest_due import DueDigest
from widgets.main_window import MainWindow

__all__ = ["keychain"]

pytestmark = pytest.mark.gui

TIMEOUT = 30_000
MONDAY = datetime(2026, 3, 9, 8, 30, tzinfo=ZoneInfo("Europe/Paris"))


def owner_account(port: int) -> Account:
    return Account(
        name="Owner SMTP",
        host=HOST,
        port=port,
        security="starttls",
        username="user",
        from_email="news@boulangerie.example",
        from_name="Boulangerie Martin",
        timeout=5.0,
    )


@pytest.fixture
def server(keychain: Keychain) -> Iterator[SmtpServer]:
    del keychain
    secrets.set_password("Owner SMTP", "secret")
    with SmtpServer(security="starttls", auth=("user", "secret")) as running:
        AccountBook().save(owner_account(running.port))
        yield running


def enabled_settings(**changes: object) -> DigestSettings:
    values: dict[str, object] = {
        "enabled": True,
        "recipients": ["owner@example.org"],
        "account": "Owner SMTP",
        "language": "en",
        "timezone": "Europe/Paris",
        "since": "2026-01-01T00:00:00Z",
    }
    values.update(changes)
    return save_settings(DigestSettings(**values))  # type: ignore[arg-type]


def wait_idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: BackgroundTask.running() == 0, timeout=TIMEOUT)


def test_form_preview_and_save(qtbot: QtBot, bulletin_home: Path) -> None:
    AccountBook().save(owner_account(closed_port()))
    dialog = DigestDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot)
    # Off by default, the account's address as a first guess, the report in the app's language.
    assert not dialog.enabled.isChecked()
    assert dialog.recipients.text() == "news@boulangerie.example"
    assert dialog.account.currentData() == "Owner SMTP"
    assert dialog.language.currentData() == "en"
    assert dialog.preview.toPlainText().startswith("Your week in Bulletin — ")
    assert dialog.last.text() == "No report sent yet."
    # Language and frequency rebuild the preview.
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    wait_idle(qtbot)
    assert dialog.preview.toPlainText().startswith("Votre semaine avec Bulletin — ")
    assert "votre semaine\u00a0: aucun envoi" in dialog.preview_title.text()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.frequency.setCurrentIndex(dialog.frequency.findData("month"))
    wait_idle(qtbot)
    assert dialog.preview.toPlainText().startswith("Your month in Bulletin — ")
    assert "No campaign was sent this month." in dialog.preview.toPlainText()
    # A wrong address: said at once, Send and Save (when on) refused.
    dialog.enabled.setChecked(True)
    dialog.recipients.setText("owner@example.org, not-an-address")
    assert dialog.problems.isVisibleTo(dialog) and "not-an-address" in dialog.problems.text()
    assert not dialog.send_button.isEnabled() and not dialog.save_button.isEnabled()
    assert not dialog.save()
    assert not (bulletin_home / "digest.json").exists()
    dialog.recipients.setText("owner@example.org; me@example.net")
    assert not dialog.problems.isVisibleTo(dialog) and dialog.save_button.isEnabled()
    dialog.save_button.click()
    saved = load_settings()
    assert (saved.enabled, saved.frequency, saved.language) == (True, "month", "en")
    assert saved.recipients == ["owner@example.org", "me@example.net"]
    assert saved.account == "Owner SMTP" and saved.since
    assert "Saved" in dialog.status.text()
    # Reopened: the saved settings come back.
    again = DigestDialog()
    qtbot.addWidget(again)
    wait_idle(qtbot)
    assert again.enabled.isChecked() and again.frequency.currentData() == "month"
    assert again.recipients.text() == "owner@example.org, me@example.net"


def test_without_an_account(qtbot: QtBot) -> None:
    dialog = DigestDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot)
    assert "Add a sending account first" in dialog.problems.text()
    assert not dialog.send_button.isEnabled()
    assert dialog.save_button.isEnabled()  # switching it off is always possible


def test_send_now_off_the_ui_thread(qtbot: QtBot, server: SmtpServer) -> None:
    dialog = DigestDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ssl_context = server.ssl_context_for_clients()
    dialog.recipients.setText("owner@example.org")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    wait_idle(qtbot)
    with qtbot.waitSignal(dialog.sent, timeout=TIMEOUT) as sent:
        dialog.send_button.click()
        assert not dialog.send_button.isEnabled()  # busy: one send at a time
        assert dialog.progress.isVisibleTo(dialog)
    wait_idle(qtbot)
    outcome = sent.args[0]
    assert outcome.recipients == ("owner@example.org",) and outcome.recorded
    assert f"Report of {outcome.period.key} sent to owner@example.org." == dialog.status.text()
    assert not dialog.progress.isVisibleTo(dialog) and dialog.send_button.isEnabled()
    assert dialog.last.text().startswith(f"Last report: {outcome.period.key}, sent ")
    [(_sender, rcpts, raw)] = server.wait_for_messages(1)
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert rcpts == ["owner@example.org"] and server.logins == ["user"]
    assert msg["Subject"] == "Bulletin — your week: nothing sent"


def test_send_now_failure_is_a_sentence(qtbot: QtBot, keychain: Keychain) -> None:
    del keychain
    secrets.set_password("Owner SMTP", "secret")
    AccountBook().save(owner_account(closed_port()))
    dialog = DigestDialog()
    qtbot.addWidget(dialog)
    dialog.recipients.setText("owner@example.org")
    dialog.send_now()
    wait_idle(qtbot)
    assert "refused the connection" in dialog.status.text()
    assert dialog.send_button.isEnabled()


def test_due_report_is_sent_once_while_the_app_runs(qtbot: QtBot, server: SmtpServer) -> None:
    due = DueDigest(interval_ms=3_600_000)
    due.ssl_context = server.ssl_context_for_clients()
    assert due.check(now=MONDAY) is None  # off: no thread at all
    enabled_settings()
    sent: list[object] = []
    due.sent.connect(sent.append)
    task = due.check(now=MONDAY)
    assert task is not None
    assert due.check(now=MONDAY) is None  # one look at a time
    wait_idle(qtbot)
    assert len(sent) == 1 and len(server.wait_for_messages(1)) == 1
    second = due.check(now=MONDAY + timedelta(hours=1))
    assert second is not None
    wait_idle(qtbot)
    assert len(sent) == 1 and len(server.messages) == 1  # the same week: not again
    with ContactStore() as store:
        record = read_record(store.db, "week")
    assert record.period == "2026-W10" and record_text(record).startswith("Last report: 2026-W10")
    due.timer.stop()


def test_due_report_failure_is_reported(qtbot: QtBot, keychain: Keychain) -> None:
    del keychain
    AccountBook().save(owner_account(closed_port()))
    enabled_settings()  # no password in the keychain
    due = DueDigest(interval_ms=3_600_000)
    failed: list[str] = []
    due.failed.connect(failed.append)
    due.check(now=MONDAY)
    wait_idle(qtbot)
    assert failed and 'no password for the account "Owner SMTP"' in failed[0]
    with ContactStore() as store:
        record = read_record(store.db, "week")
    assert record.period is None and "could not be sent" in record_text(record)
    due.timer.stop()


def test_sending_menu_action_and_status(qtbot: QtBot, server: SmtpServer, tmp_path: Path) -> None:
    path = tmp_path / "lettre.bulletin"
    package.save(sample_file(), path)
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.open_file(path)
    window.sending._startup.stop()
    action = window.sending.digest
    assert action in window.sending.menu.actions() and action.text() == "Report by &email…"
    action.trigger()
    dialogs = [w for w in window.findChildren(DigestDialog) if w.isVisible()]
    assert len(dialogs) == 1
    dialogs[0].close()
    enabled_settings()
    due = window.sending.digest_due
    due.ssl_context = server.ssl_context_for_clients()
    with qtbot.waitSignal(due.sent, timeout=TIMEOUT):
        due.check(now=MONDAY)
    wait_idle(qtbot)
    assert window.statusBar().currentMessage() == (
        "Report by email of 2026-W10 sent to owner@example.org."
    )


def test_a_stale_preview_is_dropped(qtbot: QtBot) -> None:
    """A preview that finishes after the user switched language never replaces the newer one."""
    dialog = DigestDialog()
    qtbot.addWidget(dialog)
    wait_idle(qtbot)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    wait_idle(qtbot)
    english = dialog.preview.toPlainText()
    assert english.startswith("Your week in Bulletin")
    dialog._on_preview((("week", "fr", ""), "Bulletin — votre semaine", "Votre semaine…"))
    assert dialog.preview.toPlainText() == english
