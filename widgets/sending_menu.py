"""The main window's Sending menu and what runs behind it while the app is open.

Send the newsletter (the wizard), Send a test, Campaigns, Sending accounts, Report by email —
and two watchers: :class:`~widgets.campaigns_view.DueCampaigns`, so a campaign scheduled for
9 o'clock starts at 9 when Bulletin is open (``bulletin run-due`` from cron/Task Scheduler covers
the hours it is not), and :class:`~widgets.digest_due.DueDigest`, which mails the periodic report
when it is due. A short while after the window opens, due campaigns start and one a crash or a
closed app interrupted is announced in the status bar (it is never resumed without the user:
a message in flight at the crash may or may not have gone). Closing the window while campaigns
send asks first, then pauses them after their messages in flight.

Kept out of :mod:`widgets.main_window` so the window only places the menu and asks
:meth:`SendingMenu.may_close`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QWidget

from editor.i18n import _, ngettext
from editor.settings import resources_dir
from widgets.campaigns_view import CampaignRun, CampaignsDialog, DueCampaigns, pause_all
from widgets.digest_due import DueDigest
from widgets.session import EditSession

if TYPE_CHECKING:
    from editor.digest import SendOutcome
    from widgets.digest_dialog import DigestDialog

STARTUP_CHECK_MS = 2_000  # after the window painted: opening the store is not free
STATUS_MS = 15_000

Current = Callable[[], tuple[EditSession | None, Path | None]]


def _sending_count() -> int:
    return len(CampaignRun._runs)


class SendingMenu(QObject):
    """The Sending menu of one main window (see the module doc).

    ``current`` returns the session being edited and its file (None, None in an empty window).
    Attributes: ``menu``, its actions ``send``, ``campaigns``, ``accounts``; ``due`` the
    watcher; ``campaigns_dialog`` the campaigns window once opened.
    """

    def __init__(self, window: QMainWindow, send_test: QAction, current: Current) -> None:
        super().__init__(window)
        # Weak: a reference to the window (or its bound method) from its own child would make
        # a cycle that keeps the closed window's Python side alive.
        self._current = weakref.WeakMethod(current)
        self.campaigns_dialog: CampaignsDialog | None = None
        self.menu = QMenu(_("&Sending"), window)
        self.menu.setObjectName("sendingMenu")

        self.send = QAction(_("Send the &Newsletter…"), window)
        self.send.setObjectName("sendAction")
        self.send.setIcon(QIcon(str(resources_dir() / "icons" / "actions" / "send.svg")))
        tip = _("Send this newsletter to your lists now or at a chosen time")
        self.send.setToolTip(tip)
        self.send.setStatusTip(tip)
        self.send.setEnabled(False)
        self.send.triggered.connect(self.show_wizard)

        self.campaigns = QAction(_("&Campaigns…"), window)
        self.campaigns.setObjectName("campaignsAction")
        tip = _("Campaigns sent and scheduled: progress, pause, resume, results")
        self.campaigns.setToolTip(tip)
        self.campaigns.setStatusTip(tip)
        self.campaigns.triggered.connect(self._campaigns_triggered)

        self.accounts = QAction(_("Sending &accounts…"), window)
        self.accounts.setObjectName("accountsAction")
        tip = _("The SMTP services Bulletin sends through, and their passwords")
        self.accounts.setToolTip(tip)
        self.accounts.setStatusTip(tip)

        self.menu.addAction(self.send)
        self.menu.addAction(send_test)
        self.menu.addSeparator()
        self.menu.addAction(self.campaigns)
        self.menu.addAction(self.accounts)
        self.digest = QAction(_("Report by &email…"), window)
        self.digest.setObjectName("digestAction")
        tip = _("A weekly or monthly report of your campaigns and contacts, mailed to you")
        self.digest.setToolTip(tip)
        self.digest.setStatusTip(tip)
        self.digest.triggered.connect(self.show_digest)
        self.menu.addAction(self.digest)

        self.due = DueCampaigns(self)
        self.due.started.connect(self._due_started)
        self.due.failed.connect(self._due_failed)
        self.digest_due = DueDigest(self)
        self.digest_due.sent.connect(self._digest_sent)
        self.digest_due.failed.connect(self._digest_failed)
        self._startup = QTimer(self)
        self._startup.setSingleShot(True)
        self._startup.setInterval(STARTUP_CHECK_MS)
        self._startup.timeout.connect(self.startup_check)
        self._startup.start()

    @property
    def window(self) -> QMainWindow:
        parent = self.parent()
        assert isinstance(parent, QMainWindow)
        return parent

    def current(self) -> tuple[EditSession | None, Path | None]:
        method = self._current()
        return method() if method is not None else (None, None)

    # ------------------------------------------------------------------------------ actions

    def set_enabled(self, has_document: bool) -> None:
        self.send.setEnabled(has_document)

    def show_wizard(self) -> QWidget | None:
        """The send wizard for the newsletter being edited (modal); the wizard it was."""
        from editor.db import StoreError
        from widgets.send_wizard import SendWizard

        session, path = self.current()
        if session is None:
            return None
        try:
            wizard = SendWizard(session, self.window, document_path=str(path or ""))
        except StoreError as exc:  # the contacts database could not be read
            self._error(_("Sending unavailable"), str(exc))
            return None
        wizard.exec()
        dialog = wizard.campaigns_dialog
        if isinstance(dialog, CampaignsDialog):
            self._adopt(dialog)
        elif wizard.campaign_id:
            self._status(_("Campaign scheduled: see Sending ▸ Campaigns."))
        wizard.deleteLater()
        return wizard

    def _campaigns_triggered(self) -> None:
        self.show_campaigns()

    def show_campaigns(self, campaign_id: int = 0) -> CampaignsDialog:
        """The campaigns window (one per main window, not modal), on ``campaign_id`` if given."""
        dialog = self.campaigns_dialog
        if dialog is None:
            dialog = CampaignsDialog(self.window, campaign_id=campaign_id)
            self._adopt(dialog)
        else:
            dialog.view.refresh()
            if campaign_id:
                dialog.view.show_campaign(campaign_id)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def _adopt(self, dialog: CampaignsDialog) -> None:
        if self.campaigns_dialog is not None and self.campaigns_dialog is not dialog:
            self.campaigns_dialog.close()
        self.campaigns_dialog = dialog
        dialog.destroyed.connect(self._campaigns_closed)
        dialog.finished.connect(dialog.deleteLater)

    def _campaigns_closed(self) -> None:
        self.campaigns_dialog = None

    # ------------------------------------------------------------------ while the app runs

    def startup_check(self) -> list[int]:
        """Start what is due and say whether a campaign was interrupted; the started ids."""
        started = self.due.check()
        self.digest_due.check()
        interrupted = self._interrupted()
        if interrupted and not started:
            self._status(
                ngettext(
                    "{n} campaign was interrupted while sending: resume it in Sending ▸ Campaigns.",
                    "{n} campaigns were interrupted while sending: resume them in "
                    "Sending ▸ Campaigns.",
                    interrupted,
                ).format(n=interrupted)
            )
        return started

    @staticmethod
    def _interrupted() -> int:
        from editor.contacts.store import ContactStore
        from editor.db import StoreError
        from editor.sending.campaigns import CampaignStore

        try:
            with ContactStore() as store:
                listed = CampaignStore(store.db).list()
        except StoreError:
            return 0
        return sum(c.status == "paused" and c.pause_reason == "interrupted" for c in listed)

    def _due_started(self, campaign_id: int) -> None:
        del campaign_id  # the campaigns window shows which
        self._status(_("A scheduled campaign started sending: see Sending ▸ Campaigns."))
        if self.campaigns_dialog is not None:
            self.campaigns_dialog.view.refresh()

    def _due_failed(self, _campaign_id: int, why: str) -> None:
        self._status(_("A scheduled campaign could not start: {why}").format(why=why))

    def show_digest(self) -> DigestDialog:
        """The periodic report's settings, preview and Send now (deleted when closed)."""
        from widgets.digest_dialog import DigestDialog

        dialog = DigestDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _digest_sent(self, outcome: SendOutcome) -> None:
        self._status(
            _("Report by email of {period} sent to {addresses}.").format(
                period=outcome.period.key, addresses=", ".join(outcome.recipients)
            )
        )

    def _digest_failed(self, why: str) -> None:
        self._status(_("The report by email could not be sent: {why}").format(why=why))

    def may_close(self) -> bool:
        """True when nothing sends, or the user agreed to pause what does (then paused)."""
        count = _sending_count()
        if not count:
            return True
        answer = QMessageBox.question(
            self.window,
            _("Campaigns are sending"),
            ngettext(
                "{n} campaign is sending. Closing Bulletin pauses it after the messages in "
                "flight; resume it later in Sending ▸ Campaigns.",
                "{n} campaigns are sending. Closing Bulletin pauses them after the messages in "
                "flight; resume them later in Sending ▸ Campaigns.",
                count,
            ).format(n=count),
            QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Close:
            return False
        self.due.timer.stop()
        pause_all()
        return True

    # ------------------------------------------------------------------------------ helpers

    def _status(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MS)

    def _error(self, title: str, text: str) -> None:
        from widgets.documents import show_error

        show_error(self.window, title, text)
