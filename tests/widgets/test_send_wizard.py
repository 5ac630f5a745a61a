"""The send wizard driven with qtbot against a real SMTP server on 127.0.0.1: lists with their
counts, the summary prepared off the UI thread, blocking findings, a campaign sent now (the
campaigns view then follows it to the end) and one scheduled for later."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from editor.contacts.store import ContactStore
from editor.sending.accounts import AccountBook
from editor.sending.campaigns import CampaignStore
from editor.starters import create
from tests.sending.campaign_support import account, addresses, profile
from tests.sending.test_message import document
from tests.smtp_server import SmtpServer
from widgets.background import BackgroundTask
from widgets.campaigns_view import CampaignsDialog, running
from widgets.send_wizard import SendWizard
from widgets.session import EditSession

pytestmark = pytest.mark.gui


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


TIMEOUT = 20_000


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    with SmtpServer(security="plain") as running_server:
        yield running_server


@pytest.fixture
def home(bulletin_home: Path, server: SmtpServer) -> Path:
    """Two lists (one person on both) and an account on the test server, in the profile."""
    readers = addresses(4)
    profile(
        bulletin_home / "contacts.sqlite3",
        {"Readers": readers, "Friends": [readers[0], "ami@example.org"]},
    ).close()
    AccountBook().save(account(server.port))
    return bulletin_home


def make_wizard(qtbot: QtBot, session: EditSession | None = None) -> SendWizard:
    wizard = SendWizard(session or EditSession(create("monthly-en")))
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def tick(wizard: SendWizard, *names: str) -> None:
    from PySide6.QtCore import Qt

    widget = wizard.lists_page.lists
    for row in range(widget.count()):
        item = widget.item(row)
        if item.data(Qt.ItemDataRole.UserRole) in names:
            item.setCheckState(Qt.CheckState.Checked)


def to_summary(qtbot: QtBot, wizard: SendWizard, *lists: str) -> None:
    tick(wizard, *lists)
    wizard.next()  # → account
    assert wizard.currentPage() is wizard.account_page
    wizard.next()  # → schedule
    assert wizard.currentPage() is wizard.schedule_page
    wizard.next()  # → summary, prepared on the thread pool
    assert wizard.currentPage() is wizard.summary_page
    qtbot.waitUntil(lambda: wizard.preparation is not None, timeout=TIMEOUT)


def wait_idle(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: BackgroundTask.running() == 0, timeout=TIMEOUT)


def test_lists_show_member_counts_and_one_must_be_ticked(qtbot: QtBot, home: Path) -> None:
    wizard = make_wizard(qtbot)
    texts = sorted(
        wizard.lists_page.lists.item(r).text() for r in range(wizard.lists_page.lists.count())
    )
    assert texts == ["Friends (2 members)", "Readers (4 members)"]
    assert not wizard.lists_page.isComplete()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    tick(wizard, "Readers")
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    assert wizard.account_page.account.currentData() == "local"


def test_send_now_creates_the_campaign_and_the_view_follows_it(
    qtbot: QtBot, home: Path, server: SmtpServer
) -> None:
    wizard = make_wizard(qtbot)
    to_summary(qtbot, wizard, "Readers", "Friends")
    summary = wizard.summary_page.text.text().splitlines()
    assert summary[:2] == [
        f"Subject: {wizard.session.file.newsletter.subject}",
        "From: Les Nouvelles <news@example.org>, through “local”",
    ]
    assert "5 people will receive it." in summary
    assert "1 skipped: already in another chosen list." in summary
    assert "Nobody is skipped." not in summary
    assert wizard.summary_page.isComplete()
    wizard.next()
    assert wizard.currentPage() is wizard.confirm_page
    assert "sent now to 5 people" in wizard.confirm_page.text.text()
    with qtbot.waitSignal(wizard.campaign_created, timeout=TIMEOUT) as created:
        wizard.button(wizard.WizardButton.FinishButton).click()
    campaign_id = created.args[0]
    dialog = wizard.campaigns_dialog
    assert isinstance(dialog, CampaignsDialog)
    qtbot.addWidget(dialog)
    view = dialog.view
    assert view.campaign_id == campaign_id
    qtbot.waitUntil(lambda: running(campaign_id) is None, timeout=TIMEOUT)
    wait_idle(qtbot)
    # Each person once, though one is on both lists.
    assert sorted(Counter(server.recipients()).values()) == [1] * 5
    assert view.progress_bar.value() == view.progress_bar.maximum() == 5
    assert "5 sent" in view.figures.text() and "0 remaining" in view.figures.text()
    assert cell(view.table, 0, 1) == "done"
    assert cell(view.table, 0, 3) == "5/5"
    # The person on both lists is a skipped duplicate, shown with the reason.
    rows = [[cell(view.results, r, c) for c in range(3)] for r in range(view.results.rowCount())]
    assert Counter(state for _who, state, _reply in rows) == {"Sent": 5, "Skipped": 1}
    assert all(reply.startswith("250") for _who, state, reply in rows if state == "Sent")
    assert [
        "Reader0000 <reader0000@example.org>",
        "Skipped",
        "already in another chosen list",
    ] in rows


def test_unknown_merge_field_blocks_with_a_message(qtbot: QtBot, home: Path) -> None:
    wizard = make_wizard(qtbot, EditSession(document()))  # uses {{ city }}: no contact has it
    to_summary(qtbot, wizard, "Readers")
    wait_idle(qtbot)
    assert wizard.preparation is not None and not wizard.preparation.ok
    assert "city" in wizard.summary_page.problems.text()
    assert not wizard.summary_page.isComplete()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    with ContactStore() as store:
        assert CampaignStore(store.db).list() == []


def test_schedule_later_stores_a_scheduled_campaign_and_sends_nothing(
    qtbot: QtBot, home: Path, server: SmtpServer
) -> None:
    wizard = make_wizard(qtbot)
    tick(wizard, "Readers")
    wizard.next()
    wizard.next()
    page = wizard.schedule_page
    page.use_suggestion()
    assert page.later.isChecked() and page.scheduled_at() is not None
    assert "Suggested:" in page.proposal.text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preparation is not None, timeout=TIMEOUT)
    assert "Nobody is skipped." in wizard.summary_page.text.text().splitlines()
    wizard.next()
    assert "will be sent on" in wizard.confirm_page.text.text()
    with qtbot.waitSignal(wizard.campaign_created, timeout=TIMEOUT) as created:
        wizard.button(wizard.WizardButton.FinishButton).click()
    wait_idle(qtbot)
    assert wizard.campaigns_dialog is None and running(created.args[0]) is None
    with ContactStore() as store:
        campaign = CampaignStore(store.db).get(created.args[0])
    assert campaign.status == "scheduled" and campaign.counts.queued == 4
    assert server.messages == []


def test_unreachable_server_stores_nothing_and_says_why(
    qtbot: QtBot, home: Path, server: SmtpServer
) -> None:
    from tests.smtp_server import closed_port

    AccountBook().save(account(closed_port()))
    wizard = make_wizard(qtbot)
    to_summary(qtbot, wizard, "Readers")
    wizard.next()
    wizard.button(wizard.WizardButton.FinishButton).click()
    wait_idle(qtbot)
    assert wizard.isVisible() and wizard.campaign_id == 0
    assert wizard.confirm_page.status.text()
    with ContactStore() as store:
        assert CampaignStore(store.db).list() == []
