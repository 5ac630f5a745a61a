"""The main window's Sending menu against a real SMTP server on 127.0.0.1: the wizard opens on
the newsletter being edited, the campaigns window is one per window, a campaign due while the
app is open starts by itself, an interrupted one is announced, and closing while a campaign
sends asks first and then pauses it with nothing lost."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from editor import package
from editor.contacts.store import ContactStore
from editor.sending.accounts import AccountBook
from editor.sending.campaigns import Campaign, CampaignStore
from tests.sending.campaign_support import account, addresses, frozen, profile
from tests.smtp_server import SmtpServer
from tests.widgets.conftest import sample_file
from widgets.background import BackgroundTask
from widgets.campaigns_view import CampaignsDialog, running, start_campaign
from widgets.documents import OpenDocument
from widgets.main_window import MainWindow
from widgets.send_wizard import SendWizard

pytestmark = pytest.mark.gui

TIMEOUT = 30_000


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    with SmtpServer(security="plain") as running_server:
        yield running_server


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    path = tmp_path / "lettre.bulletin"
    package.save(sample_file(), path)
    made = MainWindow()
    qtbot.addWidget(made)
    assert made.open_file(path)
    made.sending._startup.stop()  # each test runs the startup check when it wants
    return made


def make_campaign(home: Path, port: int, n: int, *, when: datetime | None = None) -> int:
    profile(home / "contacts.sqlite3", {"Readers": addresses(n)}).close()
    AccountBook().save(account(port, connections=1))
    with ContactStore() as store:
        campaign = CampaignStore(store.db).create(
            frozen(), lists=["Readers"], account="local", scheduled_at=when
        )
    return campaign.id


def stored(campaign_id: int) -> Campaign:
    with ContactStore() as store:
        return CampaignStore(store.db).get(campaign_id)


def wait_ended(qtbot: QtBot, campaign_id: int) -> None:
    qtbot.waitUntil(
        lambda: running(campaign_id) is None and BackgroundTask.running() == 0, timeout=TIMEOUT
    )


def test_menu_order_and_the_send_action_follows_the_document(qtbot: QtBot) -> None:
    empty = MainWindow()
    qtbot.addWidget(empty)
    names = [a.objectName() or a.text() for a in empty.sending_menu.actions() if a.text()]
    assert names == [
        "sendAction",
        "Send a &Test…",
        "campaignsAction",
        "accountsAction",
        "digestAction",
    ]
    assert not empty.sending.send.isEnabled()
    assert empty.sending.show_wizard() is None  # nothing to send
    assert empty.sending.send in empty.toolbar.actions()
    assert empty.set_document(OpenDocument(sample_file()))
    assert empty.sending.send.isEnabled() and empty.window_actions.send_test.isEnabled()
    assert empty.set_document(None)
    assert not empty.sending.send.isEnabled()


def test_send_opens_the_wizard_on_the_newsletter_and_its_file(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: list[SendWizard] = []

    def record(wizard: SendWizard) -> int:
        seen.append(wizard)
        return 0

    monkeypatch.setattr(SendWizard, "exec", record)
    window.sending.send.trigger()
    assert len(seen) == 1
    wizard = seen[0]
    assert wizard.session is window.session
    assert wizard.document_path == str(tmp_path / "lettre.bulletin")
    assert wizard.parent() is window


def test_campaigns_window_is_one_per_main_window(window: MainWindow) -> None:
    window.sending.campaigns.trigger()
    first = window.sending.campaigns_dialog
    assert isinstance(first, CampaignsDialog) and first.isVisible()
    assert window.sending.show_campaigns() is first
    first.close()
    first.deleteLater()
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window.sending.campaigns_dialog is None
    assert window.sending.show_campaigns() is not first


def test_a_campaign_due_while_the_app_is_open_starts_by_itself(
    qtbot: QtBot, window: MainWindow, bulletin_home: Path, server: SmtpServer
) -> None:
    later = make_campaign(
        bulletin_home, server.port, 3, when=datetime.now(UTC) + timedelta(hours=2)
    )
    assert window.sending.startup_check() == []
    with ContactStore() as store:
        CampaignStore(store.db).reschedule(later, datetime.now(UTC) - timedelta(minutes=1))
    with qtbot.waitSignal(window.sending.due.started, timeout=TIMEOUT):
        assert window.sending.startup_check() == [later]
    assert "scheduled campaign started" in window.statusBar().currentMessage()
    wait_ended(qtbot, later)
    assert stored(later).status == "done"
    assert sorted(server.recipients()) == sorted(addresses(3))


def test_an_interrupted_campaign_is_announced_not_resumed(
    window: MainWindow, bulletin_home: Path, server: SmtpServer
) -> None:
    campaign_id = make_campaign(bulletin_home, server.port, 2)
    with ContactStore() as store:
        CampaignStore(store.db).set_status(campaign_id, "paused", "interrupted")
    assert window.sending.startup_check() == []
    assert window.statusBar().currentMessage() == (
        "1 campaign was interrupted while sending: resume it in Sending ▸ Campaigns."
    )
    assert running(campaign_id) is None and server.messages == []


def test_closing_while_sending_asks_then_pauses_with_nothing_lost(
    qtbot: QtBot,
    bulletin_home: Path,
    server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server.reply_delay = 0.05
    campaign_id = make_campaign(bulletin_home, server.port, 30)
    run = start_campaign(campaign_id, AccountBook().get("local"))
    qtbot.waitUntil(lambda: run.last is not None and run.last.sent >= 1, timeout=TIMEOUT)
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Close]
    asked: list[str] = []

    def question(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers[len(asked) - 1]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    window = MainWindow(OpenDocument(sample_file()))  # closed (and deleted) below
    window.sending._startup.stop()
    window.show()
    assert not window.close()  # Cancel: the window stays, the campaign goes on
    assert window.isVisible() and running(campaign_id) is run
    assert asked[0].startswith("1 campaign is sending. Closing Bulletin pauses it")
    assert window.close()
    wait_ended(qtbot, campaign_id)
    paused = stored(campaign_id)
    assert paused.status == "paused" and paused.counts.queued > 0
    assert len(server.messages) == paused.counts.sent
    assert paused.counts.sent + paused.counts.queued == 30
