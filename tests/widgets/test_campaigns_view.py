"""The campaigns view against a real SMTP server on 127.0.0.1: live progress of a run, pause and
resume, cancel, the per-recipient results filtered by state with the server's reply, paging."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from editor.contacts.store import ContactStore
from editor.sending.accounts import AccountBook
from editor.sending.campaigns import Campaign, CampaignStore
from tests.sending.campaign_support import account, addresses, frozen, profile
from tests.smtp_server import SmtpServer
from widgets import campaigns_view
from widgets.background import BackgroundTask
from widgets.campaigns_view import PAGE_SIZE, CampaignsView, DueCampaigns, pause_all, running

pytestmark = pytest.mark.gui


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


TIMEOUT = 30_000


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    with SmtpServer(security="plain") as running_server:
        yield running_server


def make_campaign(home: Path, port: int, n: int) -> int:
    """A stored draft campaign to ``n`` readers, through one connection to the test server."""
    profile(home / "contacts.sqlite3", {"Readers": addresses(n)}).close()
    AccountBook().save(account(port, connections=1))
    with ContactStore() as store:
        campaign = CampaignStore(store.db).create(
            frozen(), lists=["Readers"], account="local", scheduled_at=None
        )
    return campaign.id


def stored(campaign_id: int) -> Campaign:
    with ContactStore() as store:
        return CampaignStore(store.db).get(campaign_id)


def make_view(qtbot: QtBot) -> CampaignsView:
    view = CampaignsView()
    qtbot.addWidget(view)
    view.show()
    return view


def wait_ended(qtbot: QtBot, campaign_id: int) -> None:
    qtbot.waitUntil(
        lambda: running(campaign_id) is None and BackgroundTask.running() == 0, timeout=TIMEOUT
    )


def test_empty_view_says_how_to_start(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    assert view.table.rowCount() == 0 and view.campaign_id == 0
    assert "Send" in view.title.text()
    assert not view.pause_button.isEnabled() and not view.resume_button.isEnabled()


def test_pause_then_resume_sends_everyone_exactly_once(
    qtbot: QtBot, bulletin_home: Path, server: SmtpServer
) -> None:
    server.reply_delay = 0.05  # slow enough that the run is still going when paused
    campaign_id = make_campaign(bulletin_home, server.port, 20)
    view = make_view(qtbot)
    assert view.campaign_id == campaign_id  # the newest is selected
    assert cell(view.table, 0, 1) == "not started"
    assert view.resume_button.isEnabled() and not view.pause_button.isEnabled()
    view.resume_button.click()
    assert running(campaign_id) is not None
    assert view.pause_button.isEnabled() and not view.resume_button.isEnabled()
    # Live progress comes through the runner's callback, re-emitted as a signal.
    qtbot.waitUntil(lambda: view.progress_bar.value() >= 1, timeout=TIMEOUT)
    assert view.progress_bar.maximum() == 20
    view.pause_button.click()
    wait_ended(qtbot, campaign_id)
    paused = stored(campaign_id)
    assert paused.status == "paused"
    assert 1 <= paused.counts.sent < 20 and paused.counts.queued == 20 - paused.counts.sent
    assert len(server.messages) == paused.counts.sent
    assert cell(view.table, 0, 1) == "paused"
    assert f"{paused.counts.remaining} remaining" in view.figures.text()
    assert view.status.text() == "Paused."
    assert view.resume_button.isEnabled()

    server.reply_delay = 0.0
    view.resume_button.click()
    wait_ended(qtbot, campaign_id)
    done = stored(campaign_id)
    assert done.status == "done" and done.counts.sent == 20
    assert sorted(Counter(server.recipients()).values()) == [1] * 20
    assert cell(view.table, 0, 3) == "20/20"
    assert view.status.text() == "Finished."
    assert not view.resume_button.isEnabled() and not view.cancel_button.isEnabled()


def test_cancel_stops_for_good_after_confirmation(
    qtbot: QtBot, bulletin_home: Path, server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.reply_delay = 0.05
    campaign_id = make_campaign(bulletin_home, server.port, 20)
    view = make_view(qtbot)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    monkeypatch.setattr(QMessageBox, "question", lambda *args: answers.pop(0))
    view.resume()
    qtbot.waitUntil(lambda: view.progress_bar.value() >= 1, timeout=TIMEOUT)
    view.cancel_button.click()  # "No": nothing happens
    assert running(campaign_id) is not None and view.cancel_button.isEnabled()
    view.cancel_button.click()  # "Yes"
    wait_ended(qtbot, campaign_id)
    cancelled = stored(campaign_id)
    assert cancelled.status == "cancelled"
    assert cancelled.counts.sent < 20 and len(server.messages) == cancelled.counts.sent
    assert cell(view.table, 0, 1) == "cancelled"
    assert not view.resume_button.isEnabled() and not view.cancel_button.isEnabled()
    # The ones never sent are still listed, as queued.
    view.state_filter.setCurrentIndex(view.state_filter.findData("queued"))
    assert view.results.rowCount() == cancelled.counts.queued > 0


def test_results_filter_by_state_with_the_server_reply(
    qtbot: QtBot, bulletin_home: Path, server: SmtpServer
) -> None:
    refused = addresses(3)[1]
    server.rcpt_replies[refused] = "550 5.1.1 No such mailbox"
    campaign_id = make_campaign(bulletin_home, server.port, 3)
    view = make_view(qtbot)
    view.resume()
    wait_ended(qtbot, campaign_id)
    assert stored(campaign_id).counts.failed == 1
    assert cell(view.table, 0, 4) == "1"
    view.state_filter.setCurrentIndex(view.state_filter.findData("failed"))
    assert view.results.rowCount() == 1
    assert refused in cell(view.results, 0, 0)
    assert cell(view.results, 0, 1) == "Failed"
    assert cell(view.results, 0, 2).startswith("550") and "No such mailbox" in (
        cell(view.results, 0, 2)
    )
    view.state_filter.setCurrentIndex(view.state_filter.findData("sent"))
    assert view.results.rowCount() == 2


def test_results_are_paged(qtbot: QtBot, bulletin_home: Path, server: SmtpServer) -> None:
    make_campaign(bulletin_home, server.port, PAGE_SIZE + 5)
    view = make_view(qtbot)
    assert view.results.rowCount() == PAGE_SIZE
    assert view.next_button.isEnabled() and not view.previous_button.isEnabled()
    view.next_button.click()
    assert view.results.rowCount() == 5 and view.page_label.text() == "page 2"
    assert not view.next_button.isEnabled() and view.previous_button.isEnabled()
    assert addresses(PAGE_SIZE + 5)[-1] in cell(view.results, 4, 0)
    view.previous_button.click()
    assert view.results.rowCount() == PAGE_SIZE


def test_due_campaigns_start_while_the_app_runs(
    qtbot: QtBot, bulletin_home: Path, server: SmtpServer
) -> None:
    campaign_id = make_campaign(bulletin_home, server.port, 3)
    with ContactStore() as store:
        campaigns = CampaignStore(store.db)
        campaigns.reschedule(campaign_id, datetime.now(UTC) + timedelta(hours=1))
    watcher = DueCampaigns(interval_ms=3_600_000)
    assert watcher.check() == []  # not yet due
    with ContactStore() as store:
        CampaignStore(store.db).reschedule(campaign_id, datetime.now(UTC) - timedelta(minutes=1))
    with qtbot.waitSignal(watcher.started, timeout=TIMEOUT):
        assert watcher.check() == [campaign_id]
    assert watcher.check() == []  # already sending here: not started twice
    wait_ended(qtbot, campaign_id)
    assert stored(campaign_id).status == "done"
    assert sorted(server.recipients()) == sorted(addresses(3))


def test_pause_all_on_closing_leaves_a_campaign_to_resume(
    qtbot: QtBot, bulletin_home: Path, server: SmtpServer
) -> None:
    server.reply_delay = 0.05
    campaign_id = make_campaign(bulletin_home, server.port, 20)
    view = make_view(qtbot)
    view.resume()
    qtbot.waitUntil(lambda: view.progress_bar.value() >= 1, timeout=TIMEOUT)
    assert pause_all(timeout=TIMEOUT / 1000)
    wait_ended(qtbot, campaign_id)
    paused = stored(campaign_id)
    assert paused.status == "paused" and paused.counts.queued > 0
    assert len(server.messages) == paused.counts.sent


def crashed_with_unknown(home: Path, port: int, n: int, in_flight: int) -> int:
    """A campaign whose run died with ``in_flight`` messages on the wire (marked unknown)."""
    campaign_id = make_campaign(home, port, n)
    with ContactStore() as store:
        campaigns = CampaignStore(store.db)
        campaigns.set_status(campaign_id, "sending")
        now = datetime.now(UTC)
        for _ in range(in_flight):
            assert campaigns.claim(campaign_id, lambda d: f"<d{d}@example.org>", now)
        assert campaigns.recover(campaign_id) == in_flight
    return campaign_id


@pytest.mark.parametrize(("resend", "expected"), [(False, 3), (True, 5)])
def test_resume_after_a_crash_asks_about_messages_in_flight(
    qtbot: QtBot,
    bulletin_home: Path,
    server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    resend: bool,
    expected: int,
) -> None:
    campaign_id = crashed_with_unknown(bulletin_home, server.port, 5, 2)
    asked: list[int] = []
    answers: list[bool | None] = [None, resend]

    def ask(parent: QWidget, n: int) -> bool | None:
        asked.append(n)
        return answers[len(asked) - 1]

    monkeypatch.setattr(campaigns_view, "ask_resend_unknown", ask)
    view = make_view(qtbot)
    assert stored(campaign_id).status == "paused"
    view.resume()  # Cancel: nothing happens
    assert asked == [2] and running(campaign_id) is None and server.messages == []
    view.resume()
    wait_ended(qtbot, campaign_id)
    done = stored(campaign_id)
    assert len(server.messages) == expected
    assert done.counts.sent == expected and done.counts.unknown == 5 - expected


def test_the_resend_question_names_the_count_and_defaults_to_the_rest(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[QMessageBox] = []

    def click_default(box: QMessageBox) -> int:
        seen.append(box)
        default = box.defaultButton()
        assert default is not None
        default.click()
        return 0

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QMessageBox, "exec", click_default)
        assert campaigns_view.ask_resend_unknown(parent, 3) is False
    assert seen[0].text().startswith("3 messages were being sent when the campaign stopped")
