"""The mailboxes dialog: list, edit, test and remove the IMAP mailboxes Bulletin reads.

Modelled on :mod:`widgets.accounts_dialog`. Settings go to
:class:`editor.inbox.mailboxes.MailboxBook`; the password goes to the OS keychain only when the
user presses Save (an empty field keeps the stored one). "Test connection" runs
:func:`editor.inbox.imap_connect.test_mailbox` on the thread pool (a keychain unlock prompt or a
server timeout must not freeze the window) and shows the precise diagnosis and its hint.
Removing a mailbox also forgets its keychain entry and its sync bookmarks, so a new mailbox of
the same name starts afresh. "Check for bounces now" asks the owner (the Inbox menu) to sync.
Each mailbox also shows when it was last checked and what that found, how often to check it
automatically while the app is open, and whether it accepts subscriptions by email (double
opt-in: the list new subscribers join, the confirmation's language).
"""

from __future__ import annotations

from contextlib import suppress

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import _
from editor.inbox import mailboxes
from editor.inbox.imap_connect import ImapDiagnosis, test_mailbox
from editor.inbox.mailboxes import (
    MAX_CHECK_EVERY,
    Mailbox,
    MailboxBook,
    MailboxError,
    Processed,
    Security,
)
from editor.sending import secrets
from editor.sending.accounts import AccountBook, AccountError
from widgets.connection_dialog import ConnectionDialog, line_edit


def forget_sync_state(name: str) -> None:
    """Drop the mailbox's bookmarks and last check in the contacts database (nothing there:
    nothing to do)."""
    from editor.contacts.store import ContactStore
    from editor.inbox.check import forget_check
    from editor.inbox.imap_sync import forget_state

    with ContactStore() as store, store.db.transaction() as conn:
        forget_state(conn, name)
        forget_check(conn, name)


def keep_checks(old: str, new: str) -> None:
    """A renamed mailbox keeps its last check and its waiting subscription requests."""
    from editor.contacts.store import ContactStore
    from editor.inbox.check import rename_mailbox

    with ContactStore() as store, store.db.transaction() as conn:
        rename_mailbox(conn, old, new)


def last_check_text(mailbox: Mailbox) -> str:
    """« Last checked … » for the mailbox, or that it never was ('' for a new one)."""
    from editor.contacts.store import ContactStore, StoreError
    from editor.inbox.check import last_check

    if not mailbox.name:
        return ""
    try:
        with ContactStore() as store:
            check = last_check(store, mailbox.name)
    except StoreError:
        return ""
    return check.describe(mailbox) if check is not None else _("Never checked yet.")


class MailboxesDialog(ConnectionDialog):
    """Lists the mailboxes and edits one at a time (see the module doc).

    Signals:
        mailboxes_changed(): after a mailbox was saved or removed.
        tested(object): the :class:`ImapDiagnosis` of a finished connection test.
        sync_requested(str): "Check for bounces now" on the named (saved) mailbox.

    ``ssl_context`` (None: the system's trusted CAs) is what the test uses; tests set it to
    trust their own server.
    """

    mailboxes_changed = Signal()
    sync_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, book: MailboxBook | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Mailboxes"))
        self.book = book or MailboxBook()

        # -- list
        self.mailboxes = QListWidget()
        self.mailboxes.setAccessibleName(_("Mailboxes"))
        self.mailboxes.setToolTip(_("The mailboxes where bounces and replies arrive"))
        self.mailboxes.currentItemChanged.connect(self._on_selected)
        self.new_button = QPushButton(_("&New"))
        self.new_button.setAccessibleName(_("New mailbox"))
        self.new_button.setToolTip(_("Add a mailbox"))
        self.new_button.setShortcut(QKeySequence.StandardKey.New)
        self.new_button.clicked.connect(self.new_mailbox)
        self.remove_button = QPushButton(_("&Remove"))
        self.remove_button.setAccessibleName(_("Remove mailbox"))
        self.remove_button.setToolTip(
            _("Remove the selected mailbox, its saved password and what Bulletin remembers of it")
        )
        self.remove_button.clicked.connect(self.remove_mailbox)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(self.mailboxes)
        left.addLayout(list_buttons)

        # -- form
        self.name = line_edit(_("Mailbox name"), _("A name of your choice, to pick the mailbox"))
        self.host = line_edit(
            _("Server"), _("The IMAP server's name, as your provider gives it"), "imap.example.org"
        )
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(993)
        self.port.setAccessibleName(_("Port"))
        self.port.setToolTip(_("Usually 993 for TLS, 143 for STARTTLS"))
        self.security = QComboBox()
        self.security.addItem("TLS", "tls")
        self.security.addItem("STARTTLS", "starttls")
        self.security.addItem(_("None (this computer only)"), "none")
        self.security.setAccessibleName(_("Security"))
        self.security.setToolTip(
            _("TLS encrypts from the start, STARTTLS right after connecting; none reads in clear")
        )
        self.username = line_edit(_("User name"), _("The login for the server, often your address"))
        self.password = line_edit(
            _("Password"), _("Stored in the system keychain when you save, never in a file")
        )
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.folder = line_edit(
            _("Folder"), _("The folder to read; INBOX is the main one"), "INBOX"
        )
        self.account = QComboBox()
        self.account.setAccessibleName(_("Sending account"))
        self.account.setToolTip(_("The sending account whose bounces and replies arrive here"))
        self.processed = QComboBox()
        self.processed.addItem(_("Flag them (they stay where they are)"), "flag")
        self.processed.addItem(_("Move them to a folder"), "move")
        self.processed.setAccessibleName(_("Processed messages"))
        self.processed.setToolTip(_("What Bulletin does with a message once read; never deletes"))
        self.processed.currentIndexChanged.connect(self._update_processed)
        self.move_to = line_edit(
            _("Move to folder"), _("The folder processed messages go to"), "Bulletin"
        )
        self.mark_read = QCheckBox(_("Also mark them as read"))
        self.mark_read.setAccessibleName(_("Mark processed messages as read"))
        self.check_every = QSpinBox()
        self.check_every.setRange(0, MAX_CHECK_EVERY)
        self.check_every.setSingleStep(5)
        self.check_every.setSpecialValueText(_("Never (only when you ask)"))
        self.check_every.setSuffix(_(" min"))
        self.check_every.setAccessibleName(_("Check automatically every"))
        self.check_every.setToolTip(
            _("While Bulletin is open, check this mailbox every so many minutes, quietly")
        )
        self.last_checked = QLabel()
        self.last_checked.setWordWrap(True)
        self.last_checked.setAccessibleName(_("Last checked"))
        self.last_checked.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # -- subscriptions by email
        self.accept_subscriptions = QCheckBox(_("Accept subscriptions by email (double opt-in)"))
        self.accept_subscriptions.setAccessibleName(_("Accept subscriptions by email"))
        self.accept_subscriptions.setToolTip(
            _(
                "A message to the +subscribe address gets a confirmation email; replying to it "
                "subscribes the person, with the proof of their consent"
            )
        )
        self.accept_subscriptions.toggled.connect(self._update_subscriptions)
        self.subscribe_list = QComboBox()
        self.subscribe_list.setEditable(True)
        self.subscribe_list.setAccessibleName(_("List new subscribers join"))
        self.subscribe_list.setToolTip(_("Confirmed subscribers are added to this list"))
        self.subscribe_language = QComboBox()
        self.subscribe_language.addItem(_("The request's language"), "auto")
        self.subscribe_language.addItem("Français", "fr")
        self.subscribe_language.addItem("English", "en")
        self.subscribe_language.setAccessibleName(_("Language of the confirmation email"))
        self.subscribe_language.setToolTip(
            _("Automatic: French when the request is written in French, else the app's language")
        )
        self.subscribe_address = QLabel()
        self.subscribe_address.setWordWrap(True)
        self.subscribe_address.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subscribe_address.setAccessibleName(_("Subscribe address"))
        subscriptions = QFormLayout()
        subscriptions.addRow(self.accept_subscriptions)
        subscriptions.addRow(_("&List:"), self.subscribe_list)
        subscriptions.addRow(_("Lan&guage:"), self.subscribe_language)
        subscriptions.addRow(self.subscribe_address)
        self._subscriptions_form = subscriptions
        subscriptions_box = QGroupBox(_("Subscriptions by email"))
        subscriptions_box.setLayout(subscriptions)
        self.account.currentIndexChanged.connect(self._update_subscriptions)

        form = QFormLayout()
        form.addRow(_("Na&me:"), self.name)
        form.addRow(_("Ser&ver:"), self.host)
        form.addRow(_("&Port:"), self.port)
        form.addRow(_("Securit&y:"), self.security)
        form.addRow(_("&User name:"), self.username)
        form.addRow(_("Pass&word:"), self.password)
        form.addRow(_("&Folder:"), self.folder)
        form.addRow(_("Sending &account:"), self.account)
        form.addRow(_("Processed &messages:"), self.processed)
        form.addRow(_("Move &to:"), self.move_to)
        form.addRow("", self.mark_read)
        form.addRow(_("Check &every:"), self.check_every)
        form.addRow("", self.last_checked)
        self._form = form
        box = QGroupBox(_("Mailbox"))
        box.setLayout(form)

        self.test_button = QPushButton(_("&Test connection"))
        self.test_button.setAccessibleName(_("Test connection"))
        self.test_button.setToolTip(_("Connect, log in and open the folder; nothing is changed"))
        self.test_button.clicked.connect(self.test)
        self.check_button = QPushButton(_("&Check for bounces now"))
        self.check_button.setAccessibleName(_("Check for bounces now"))
        self.check_button.setToolTip(_("Read the new messages of the saved mailbox"))
        self.check_button.clicked.connect(self._check_now)
        self.save_button = QPushButton(_("&Save"))
        self.save_button.setAccessibleName(_("Save mailbox"))
        self.save_button.setToolTip(_("Save the mailbox; the password goes to the keychain"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save)
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addWidget(self.check_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)

        right = QVBoxLayout()
        right.addWidget(box)
        right.addWidget(subscriptions_box)
        right.addLayout(actions)
        right.addWidget(self.busy)
        right.addWidget(self.status)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 2)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)

        self._fill_accounts()
        self._fill_lists()
        self.reload()

    # -- list

    def _fill_accounts(self) -> None:
        self.account.clear()
        self.account.addItem(_("(none)"), "")
        try:
            names = AccountBook().names()
        except AccountError:
            names = []
        for name in names:
            self.account.addItem(name, name)

    def _fill_lists(self) -> None:
        """The contacts' lists to choose from (a new name may be typed: created on the first
        confirmation)."""
        from editor.contacts.store import ContactStore, StoreError

        self.subscribe_list.clear()
        try:
            with ContactStore() as store:
                names = [info.name for info in store.lists()]
        except StoreError:
            names = []
        self.subscribe_list.addItems(names)

    def _update_subscriptions(self) -> None:
        on = self.accept_subscriptions.isChecked()
        self.subscribe_list.setEnabled(on)
        self.subscribe_language.setEnabled(on)
        account = str(self.account.currentData() or "")
        if not on:
            self.subscribe_address.setText(
                _("Off: messages to the +subscribe address go to the review list.")
            )
            return
        if not account:
            self.subscribe_address.setText(
                _("Choose the sending account above: the confirmations are sent through it.")
            )
            self.subscribe_address.setStyleSheet("color: #b45309;")
            return
        self.subscribe_address.setStyleSheet("")
        try:
            from editor.signup import SignupError, subscribe_address

            sender = AccountBook().get(account).from_email
            address = subscribe_address(sender)
        except (AccountError, SignupError):
            self.subscribe_address.setText("")
            return
        self.subscribe_address.setText(
            _("People subscribe by writing to {address}; the signup form can open it.").format(
                address=address
            )
        )

    def reload(self, select: str = "") -> None:
        """Read the mailboxes again and select ``select`` (else the first, else a new form)."""
        try:
            listed = self.book.list()
        except MailboxError as exc:
            listed = []
            self._show_error(str(exc))
        entries = [(m.name, f"{m.username}@{m.host}:{m.port} — {m.folder}") for m in listed]
        if not self.fill_list(self.mailboxes, entries, select):
            self.new_mailbox()
        self.remove_button.setEnabled(bool(entries))

    def _on_selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        try:
            mailbox = self.book.get(item.data(Qt.ItemDataRole.UserRole))
        except MailboxError as exc:
            self._show_error(str(exc))
            return
        self.load(mailbox)

    def new_mailbox(self) -> None:
        """An empty form for a new mailbox (TLS on 993, INBOX, flag processed messages)."""
        self.clear_selection(self.mailboxes)
        self.load(Mailbox(name="", host="", port=993, security="tls", username=""))
        self.name.setFocus()

    def load(self, mailbox: Mailbox) -> None:
        """Show ``mailbox`` in the form (the password field stays empty)."""
        self._current = mailbox.name
        self.name.setText(mailbox.name)
        self.host.setText(mailbox.host)
        self.port.setValue(mailbox.port)
        self.security.setCurrentIndex(max(0, self.security.findData(mailbox.security)))
        self.username.setText(mailbox.username)
        self.password.clear()
        self.password.setPlaceholderText(
            _("Leave empty to keep the saved password") if mailbox.name else ""
        )
        self.folder.setText(mailbox.folder)
        index = self.account.findData(mailbox.account)
        if index < 0:  # an account removed since: keep the name rather than lose it
            self.account.addItem(mailbox.account, mailbox.account)
            index = self.account.count() - 1
        self.account.setCurrentIndex(index)
        self.processed.setCurrentIndex(max(0, self.processed.findData(mailbox.processed)))
        self.move_to.setText(mailbox.move_to)
        self.mark_read.setChecked(mailbox.mark_read)
        self.check_every.setValue(mailbox.check_every)
        self.last_checked.setText(last_check_text(mailbox))
        self._form.setRowVisible(self.last_checked, bool(mailbox.name))
        self.accept_subscriptions.setChecked(mailbox.accept_subscriptions)
        self.subscribe_list.setCurrentText(mailbox.subscribe_list)
        self.subscribe_language.setCurrentIndex(
            max(0, self.subscribe_language.findData(mailbox.subscribe_language))
        )
        self._update_subscriptions()
        self._insecure_confirmed = mailbox.insecure_confirmed
        self.check_button.setEnabled(bool(mailbox.name))
        self._update_processed()
        self.status.clear()

    def _update_processed(self) -> None:
        moving = self.processed.currentData() == "move"
        self._form.setRowVisible(self.move_to, moving)
        self._form.setRowVisible(self.mark_read, not moving)

    # -- form

    def mailbox_from_form(self) -> Mailbox:
        """The mailbox the form describes (not validated)."""
        security: Security = self.security.currentData() or "tls"
        processed: Processed = self.processed.currentData() or "flag"
        return Mailbox(
            name=self.name.text().strip(),
            host=self.host.text().strip(),
            port=self.port.value(),
            security=security,
            username=self.username.text().strip(),
            folder=self.folder.text().strip() or "INBOX",
            account=str(self.account.currentData() or ""),
            processed=processed,
            move_to=self.move_to.text().strip() if processed == "move" else "",
            mark_read=self.mark_read.isChecked() and processed == "flag",
            insecure_confirmed=self._insecure_confirmed,
            accept_subscriptions=self.accept_subscriptions.isChecked(),
            subscribe_list=self.subscribe_list.currentText().strip(),
            subscribe_language=str(self.subscribe_language.currentData() or "auto"),
            check_every=self.check_every.value(),
        )

    def _checked_mailbox(self) -> Mailbox | None:
        """The form's mailbox, validated, the unencrypted case confirmed; None if not."""
        return self.checked(
            self.mailbox_from_form(),
            refusal=_("Choose TLS or STARTTLS to read a mailbox on another computer."),
            question=_(
                "Without TLS or STARTTLS, the password and every message travel unencrypted "
                "from {host}: anyone on the network can read them. Connect this way anyway?"
            ),
            errors=MailboxError,
        )

    def save(self) -> bool:
        """Validate, store the password (if typed) in the keychain, then the settings."""
        mailbox = self._checked_mailbox()
        if mailbox is None:
            return False
        previous = self._current
        renamed = bool(previous) and previous != mailbox.name
        try:
            if mailbox.name != previous and mailbox.name in self.book.names():
                raise MailboxError(
                    _('A mailbox named "{name}" already exists.').format(name=mailbox.name)
                )
            if self.password.text():
                mailboxes.set_password(mailbox.name, self.password.text())
            elif renamed:
                # The saved password follows the mailbox to its new name.
                with suppress(secrets.PasswordMissing):
                    mailboxes.set_password(mailbox.name, mailboxes.get_password(previous))
            elif not previous:
                raise MailboxError(_("Type the password of the mailbox."))
            self.book.save(mailbox)
            if renamed:
                self.book.remove(previous)
                keep_checks(previous, mailbox.name)
                forget_sync_state(previous)
        except (MailboxError, secrets.KeychainError) as exc:
            self._show_error(str(exc))
            return False
        self.password.clear()
        self.reload(select=mailbox.name)
        self._show_ok(_('Mailbox "{name}" saved.').format(name=mailbox.name))
        self.mailboxes_changed.emit()
        return True

    def remove_mailbox(self) -> None:
        """Remove the selected mailbox, its keychain entry and bookmarks, after a confirmation."""
        item = self.mailboxes.currentItem()
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        answer = QMessageBox.question(
            self,
            _("Remove the mailbox"),
            _(
                'Remove the mailbox "{name}" and its saved password? The messages on the server '
                "are not touched, and what Bulletin already did stays done."
            ).format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.book.remove(name)
            forget_sync_state(name)
        except MailboxError as exc:
            self._show_error(str(exc))
            return
        except Exception as exc:  # the database: the mailbox itself is gone already
            self.reload()
            self._show_error(str(exc))
            self.mailboxes_changed.emit()
            return
        self.reload()
        self._show_ok(_('Mailbox "{name}" removed.').format(name=name))
        self.mailboxes_changed.emit()

    def refresh_last_check(self) -> None:
        """Show the current mailbox's last check again (after a check ended)."""
        if self._current:
            with suppress(MailboxError):
                self.last_checked.setText(last_check_text(self.book.get(self._current)))

    def _check_now(self) -> None:
        if self._current:
            self.sync_requested.emit(self._current)

    # -- connection test

    def test(self) -> None:
        """Test the form's settings off the UI thread; the diagnosis shows in the status line."""
        if self._task is not None:
            return
        mailbox = self._checked_mailbox()
        if mailbox is None:
            return
        typed = self.password.text()
        stored_name = self._current
        context = self.ssl_context

        def work() -> ImapDiagnosis:
            password = typed
            if not password and stored_name:
                password = mailboxes.get_password(stored_name)
            return test_mailbox(mailbox, password, ssl_context=context)

        self.run_test(mailbox.host, work, (self.test_button, self.save_button, self.check_button))

    def _on_test_finished(self) -> None:
        super()._on_test_finished()
        self.check_button.setEnabled(bool(self._current))  # only a saved mailbox is checked
