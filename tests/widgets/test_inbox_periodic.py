"""The periodic check while the app is open: due mailboxes only, off the UI thread, never two
checks of one mailbox at once, silent unless something happened (then the status bar)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from editor.contacts.store import ContactStore
from editor.inbox import mailboxes
from editor.inbox.check import CheckResult, last_check
from editor.inbox.mailboxes import Mailbox, MailboxBook
from editor.sending.accounts import AccountBook
from tests.imap_server import ImapServer, imap_server
from tests.inbox.subscribe_samples import request
from tests.keychain import Keychain, keychain
from tests.sending.campaign_support import account, profile
from tests.smtp_server import SmtpServer, smtp_server
from widgets.inbox_menu import InboxMenu
from widgets.inbox_sync import PeriodicChecker, claim, release

__all__ = ["imap_server", "keychain", "smtp_server"]

WAIT_MS = 30_000


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def setup(server: ImapServer, smtp: SmtpServer, home: Path, every: int = 10) -> None:
    profile(home / "contacts.sqlite3", {"Readers": []}).close()
    AccountBook().save(account(smtp.port))
    MailboxBook().save(
        Mailbox(
            "News",
            server.host,
            server.port,
            "none",
            server.user,
            account="local",
            accept_subscriptions=True,
            subscribe_list="Readers",
            check_every=every,
        )
    )
    MailboxBook().save(Mailbox("Manual", server.host, server.port, "none", server.user))
    mailboxes.set_password("News", server.password)


def round_of(qtbot: QtBot, checker: PeriodicChecker) -> list[tuple[str, object]]:
    checked: list[tuple[str, object]] = []
    checker.checked.connect(lambda name, result: checked.append((name, result)))
    with qtbot.waitSignal(checker.round_done, timeout=WAIT_MS):
        assert checker.tick()
    return checked


def test_due_mailboxes_are_checked_and_only_news_is_said(
    qtbot: QtBot,
    imap_server: ImapServer,
    smtp_server: SmtpServer,
    keychain: Keychain,
    bulletin_home: Path,
) -> None:
    setup(imap_server, smtp_server, bulletin_home)
    imap_server.append(request("marie@example.net"))
    clock = Clock()
    checker = PeriodicChecker(clock=clock)
    news: list[tuple[str, str]] = []
    checker.noteworthy.connect(lambda name, text: news.append((name, text)))

    checked = round_of(qtbot, checker)
    ((name, result),) = checked  # "Manual" never asks to be checked
    assert name == "News" and isinstance(result, CheckResult)
    assert news == [("News", 'Mailbox "News" checked: 1 subscription confirmation sent.')]
    assert smtp_server.wait_for_messages(1)[0][1] == ["marie@example.net"]
    with ContactStore() as store:
        check = last_check(store, "News")
        assert check is not None and check.outcome == "ok" and check.at == "2026-03-05T12:00:00Z"

    clock.now += timedelta(minutes=9)  # not due yet
    assert round_of(qtbot, checker) == []
    clock.now += timedelta(minutes=2)  # due: checked, nothing new, silent
    (again,) = round_of(qtbot, checker)
    assert again[0] == "News" and len(news) == 1
    assert len(smtp_server.messages) == 1


def test_never_two_checks_of_one_mailbox_and_failures_said_once(
    qtbot: QtBot,
    imap_server: ImapServer,
    smtp_server: SmtpServer,
    keychain: Keychain,
    bulletin_home: Path,
) -> None:
    setup(imap_server, smtp_server, bulletin_home)
    checker = PeriodicChecker()
    news: list[str] = []
    checker.noteworthy.connect(lambda _name, text: news.append(text))
    assert claim("News")  # a « Check now » dialog is reading it
    try:
        (skipped,) = round_of(qtbot, checker)
        assert "being checked already" in str(skipped[1]) and news == []
    finally:
        release("News")
    mailboxes.set_password("News", "wrong")
    round_of(qtbot, checker)
    assert len(news) == 1 and "failed" in news[0] and "password" in news[0]
    with ContactStore() as store:
        failed = last_check(store, "News")
        assert failed is not None and failed.outcome == "failed" and failed.error == "auth"
    checker._clock = lambda: datetime.now(UTC) + timedelta(hours=1)  # due again
    round_of(qtbot, checker)
    assert len(news) == 1  # still failing: said once


def test_the_menu_shows_news_in_the_status_bar(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = InboxMenu(window, periodic=False)
    assert not menu.checker.timer.isActive()
    menu.checker.noteworthy.emit("News", 'Mailbox "News" checked: 2 contacts changed.')
    assert window.statusBar().currentMessage() == 'Mailbox "News" checked: 2 contacts changed.'
    started = InboxMenu(window)
    assert started.checker.timer.isActive() and started.checker.timer.interval() == 60_000
