"""The main window's Inbox menu: mailboxes, checking them for bounces, importing, reviewing.

Mailboxes… opens :class:`~widgets.mailboxes_dialog.MailboxesDialog`; Check for bounces now is a
submenu of the saved mailboxes (filled when it opens); Import a mailbox file… takes an mbox
file, or any message file of a maildir folder (a file dialog picks files, not "a file or a
folder": the maildir around the chosen message is used); both run in
:class:`~widgets.inbox_sync.InboxSyncDialog`. Messages to review… shows how many wait, counted
when the menu opens and after each check. Mailboxes whose settings ask for it are checked every
N minutes while the window is open (:class:`~widgets.inbox_sync.PeriodicChecker`, off the UI
thread, never two checks of one mailbox at once), silently unless something happened. Kept out
of :mod:`widgets.main_window`, which only places the menu.
"""

from __future__ import annotations

import ssl
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMainWindow, QMenu, QWidget

from editor.i18n import _, ngettext
from widgets.inbox_sync import InboxSyncDialog, PeriodicChecker, import_dialog, sync_dialog
from widgets.mailboxes_dialog import MailboxesDialog
from widgets.review_list import ReviewListDialog

STATUS_MS = 15_000


def review_waiting() -> int:
    """How many messages wait on the review list (0 when the database cannot be read)."""
    from editor.contacts.store import ContactStore
    from editor.db import StoreError
    from editor.inbox.review import review_count

    try:
        with ContactStore() as store:
            return review_count(store)
    except StoreError:
        return 0


def mail_store_path(chosen: Path) -> Path:
    """The mbox file itself, or the maildir folder around a message file chosen in it."""
    from editor.inbox.mail_import import is_maildir

    for folder in (chosen, chosen.parent, chosen.parent.parent):
        if is_maildir(folder):
            return folder
    return chosen


class InboxMenu(QObject):
    """The Inbox menu of one main window (see the module doc).

    Attributes: ``menu``; actions ``mailboxes``, ``import_file``, ``review``; ``check_menu``
    the submenu of mailboxes; ``ssl_context`` used by checks and tests (None: system CAs);
    ``sync_window`` the last sync or import dialog; ``checker`` the periodic check of the
    mailboxes that ask for it (started with the menu; silent unless something happened, then a
    status bar message).
    """

    def __init__(self, window: QMainWindow, *, periodic: bool = True) -> None:
        super().__init__(window)  # no reference to the window kept: see ``_window``
        self._ssl_context: ssl.SSLContext | None = None
        self.sync_window: InboxSyncDialog | None = None
        self.checker = PeriodicChecker(self)
        self.checker.noteworthy.connect(self._periodic_news)
        self.checker.round_done.connect(self.update_review_count)
        if periodic:
            self.checker.start()
        self.menu = QMenu(_("In&box"), window)
        self.menu.setObjectName("inboxMenu")
        self.menu.aboutToShow.connect(self.update_review_count)

        self.mailboxes = QAction(_("&Mailboxes…"), window)
        self.mailboxes.setObjectName("mailboxesAction")
        tip = _("The mailboxes where bounces and replies arrive, and their passwords")
        self.mailboxes.setToolTip(tip)
        self.mailboxes.setStatusTip(tip)
        self.mailboxes.triggered.connect(self._mailboxes_triggered)

        self.check_menu = QMenu(_("&Check for bounces now"), window)
        self.check_menu.setObjectName("checkMenu")
        self.check_menu.setToolTip(_("Read a mailbox's new messages and update the contacts"))
        self.check_menu.aboutToShow.connect(self.fill_check_menu)

        self.import_file = QAction(_("&Import a mailbox file…"), window)
        self.import_file.setObjectName("importMailAction")
        tip = _("Read bounces and replies from an mbox file or a maildir folder")
        self.import_file.setToolTip(tip)
        self.import_file.setStatusTip(tip)
        self.import_file.triggered.connect(self._import_triggered)

        self.review = QAction(_("Messages to &review…"), window)
        self.review.setObjectName("reviewAction")
        tip = _("The messages Bulletin could not recognise: say what they are")
        self.review.setToolTip(tip)
        self.review.setStatusTip(tip)
        self.review.triggered.connect(self._review_triggered)

        self.menu.addAction(self.mailboxes)
        self.menu.addMenu(self.check_menu)
        self.menu.addAction(self.import_file)
        self.menu.addSeparator()
        self.menu.addAction(self.review)
        self.fill_check_menu()

    @property
    def ssl_context(self) -> ssl.SSLContext | None:
        return self._ssl_context

    @ssl_context.setter
    def ssl_context(self, context: ssl.SSLContext | None) -> None:
        self._ssl_context = context
        self.checker.ssl_context = context

    def _periodic_news(self, _name: str, text: str) -> None:
        self._window.statusBar().showMessage(text, STATUS_MS)

    @property
    def _window(self) -> QMainWindow:
        # Read from Qt each time: a Python reference from this child to its window would make
        # a cycle that keeps the closed window's Python side alive.
        parent = self.parent()
        assert isinstance(parent, QMainWindow)
        return parent

    # -- menu contents

    def fill_check_menu(self) -> None:
        """One entry per saved mailbox, or a way to add the first one."""
        from editor.inbox.mailboxes import MailboxBook, MailboxError

        self.check_menu.clear()
        try:
            names = MailboxBook().names()
        except MailboxError:
            names = []
        for name in names:
            action = self.check_menu.addAction(name)
            action.triggered.connect(lambda _checked=False, n=name: self.check(n))
        if not names:
            empty = self.check_menu.addAction(_("No mailbox yet"))
            empty.setEnabled(False)
            self.check_menu.addSeparator()
            add = self.check_menu.addAction(_("Add a mailbox…"))
            add.triggered.connect(self._mailboxes_triggered)

    def update_review_count(self) -> int:
        count = review_waiting()
        if count:
            text = _("Messages to &review ({n})…").format(n=count)
        else:
            text = _("Messages to &review…")
        self.review.setText(text)
        return count

    # -- actions

    def _mailboxes_triggered(self) -> None:
        self.show_mailboxes()

    def show_mailboxes(self) -> MailboxesDialog:
        """The mailboxes dialog (modal, not blocking tests: opened with ``open``)."""
        dialog = MailboxesDialog(self._window)
        dialog.ssl_context = self.ssl_context
        # Parented to the (modal) mailboxes dialog, so the sync window takes input above it.
        dialog.sync_requested.connect(lambda name: self._check_from(dialog, name))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _check_from(self, dialog: MailboxesDialog, name: str) -> None:
        sync = self.check(name, parent=dialog)
        sync.ended.connect(dialog.refresh_last_check)

    def check(self, name: str, parent: QWidget | None = None) -> InboxSyncDialog:
        """Read the named mailbox's new messages, in a dialog with progress and Cancel."""
        owner = parent or self._window
        return self._run(sync_dialog(owner, name, ssl_context=self.ssl_context))

    def _import_triggered(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self._window,
            _("Import a mailbox file (an mbox file, or a message of a maildir folder)"),
            str(Path.home()),
            _("Mailbox files (*.mbox *.mbx *)"),
        )
        if not path:
            return
        source = self.ask_source_mailbox()
        if source is not None:
            self.import_path(Path(path), mailbox=source or None)

    def ask_source_mailbox(self) -> str | None:
        """Which mailbox the file comes from, when one accepts subscriptions by email (its
        settings then apply to the file's requests): a name, "" for none, None if cancelled."""
        from editor.inbox.mailboxes import MailboxBook, MailboxError

        try:
            names = [m.name for m in MailboxBook().list() if m.accept_subscriptions]
        except MailboxError:
            names = []
        if not names:
            return ""
        none = _("None: subscription requests go to the review list")
        choice, ok = QInputDialog.getItem(
            self._window,
            _("Import a mailbox file"),
            _("Which mailbox does this file come from? Its subscription settings apply."),
            [*names, none],
            0,
            False,
        )
        if not ok:
            return None
        return "" if choice == none else choice

    def import_path(self, path: Path, mailbox: str | None = None) -> InboxSyncDialog:
        return self._run(import_dialog(self._window, mail_store_path(path), mailbox))

    def _run(self, dialog: InboxSyncDialog) -> InboxSyncDialog:
        if self.sync_window is not None and self.sync_window.is_running():
            self.sync_window.raise_()
            return self.sync_window
        self.sync_window = dialog
        dialog.ended.connect(self._ended)
        dialog.finished.connect(dialog.deleteLater)
        dialog.destroyed.connect(self._sync_closed)
        dialog.show()
        dialog.start()
        return dialog

    def _sync_closed(self) -> None:
        self.sync_window = None

    def _ended(self, result: object) -> None:
        count = self.update_review_count()
        if count and not isinstance(result, Exception):
            self._window.statusBar().showMessage(
                ngettext(
                    "{n} message waits for your review: Inbox ▸ Messages to review.",
                    "{n} messages wait for your review: Inbox ▸ Messages to review.",
                    count,
                ).format(n=count),
                STATUS_MS,
            )

    def _review_triggered(self) -> None:
        self.show_review()

    def show_review(self) -> ReviewListDialog:
        dialog = ReviewListDialog(self._window)
        dialog.changed.connect(lambda _left: self.update_review_count())
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
