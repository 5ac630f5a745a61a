""" "Send a test": the newsletter being composed, to a few addresses, as a recipient gets it.

The user types the addresses (commas or one a line; each is checked as it is typed), picks the
sending account and, optionally, a contact whose merge values the test borrows (« Bonjour Zoé »
rather than the sample person). Send runs :func:`editor.sending.test_send.send_test` on the
thread pool — the keychain may wait for an unlock prompt, rendering and the server take time —
with a progress bar, and lists what happened to each address in plain words (the same diagnosis
as "Test connection"). Nothing is stored: a test is not a campaign.
"""

from __future__ import annotations

import copy
import ssl
from itertools import islice
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.contacts.model import Contact, ContactQuery
from editor.i18n import _, ngettext
from editor.merge import SAMPLE_CONTACT
from editor.package import BulletinFile
from editor.sending import secrets
from editor.sending.accounts import Account, AccountBook, AccountError
from editor.sending.test_send import MAX_ADDRESSES, TestSendResult, parse_addresses, send_test
from widgets.background import BackgroundTask
from widgets.session import EditSession

_OK = "#15803d"
_ERROR = "#b91c1c"
_SEARCH_LIMIT = 20


class _Relay(QObject):
    """Carries each address's result from the sending thread to the UI thread (queued)."""

    result = Signal(object)


class SendTestDialog(QDialog):
    """Sends the session's newsletter as a test (see the module doc).

    Signals:
        finished_sending(list): the :class:`TestSendResult` of every address, once all are done.

    ``ssl_context`` (None: the system's trusted CAs) is what the connection uses; tests set it
    to trust their own server. ``book``: where the accounts are read (the profile's by default).
    """

    finished_sending = Signal(list)

    def __init__(
        self,
        session: EditSession,
        parent: QWidget | None = None,
        *,
        book: AccountBook | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Send a Test"))
        self.session = session
        self.book = book or AccountBook()
        self.ssl_context: ssl.SSLContext | None = None
        self.results: list[TestSendResult] = []
        self._task: BackgroundTask | None = None
        self._search_task: BackgroundTask | None = None
        self._relay = _Relay(self)
        self._relay.result.connect(self._on_result)

        intro = QLabel(
            _(
                'The newsletter as your recipients will get it, with "[TEST]" before the '
                "subject. A test is not a campaign: nothing is recorded or counted."
            )
        )
        intro.setWordWrap(True)

        self.addresses = QPlainTextEdit()
        self.addresses.setAccessibleName(_("Test addresses"))
        self.addresses.setToolTip(
            _("One or more email addresses, separated by commas or one a line")
        )
        self.addresses.setPlaceholderText(_("you@example.org, colleague@example.org"))
        self.addresses.setTabChangesFocus(True)
        self.addresses.setFixedHeight(self.fontMetrics().lineSpacing() * 4)
        self.addresses.textChanged.connect(self._validate)
        self.address_status = QLabel()
        self.address_status.setWordWrap(True)
        self.address_status.setAccessibleName(_("Address check"))

        self.account = QComboBox()
        self.account.setAccessibleName(_("Sending account"))
        self.account.setToolTip(_("The SMTP account the test is sent through"))
        self.account.currentIndexChanged.connect(self._validate)
        self.accounts_button = QPushButton(_("&Accounts…"))
        self.accounts_button.setAccessibleName(_("Manage sending accounts"))
        self.accounts_button.setToolTip(_("Add or change sending accounts"))
        self.accounts_button.clicked.connect(self.manage_accounts)
        account_row = QHBoxLayout()
        account_row.addWidget(self.account, 1)
        account_row.addWidget(self.accounts_button)

        self.search = QLineEdit()
        self.search.setAccessibleName(_("Find a contact"))
        self.search.setToolTip(_("Type part of a name or address to borrow a contact's values"))
        self.search.setPlaceholderText(_("Name or address…"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.contact = QComboBox()
        self.contact.setAccessibleName(_("Merge values from"))
        self.contact.setToolTip(
            _("Whose first name, last name and fields fill the merge tags of the test")
        )
        self._set_contacts([])

        form = QFormLayout()
        form.addRow(_("&To:"), self.addresses)
        form.addRow("", self.address_status)
        form.addRow(_("A&ccount:"), account_row)
        form.addRow(_("&Personalise as:"), self.search)
        form.addRow("", self.contact)
        for field, buddy in ((0, self.addresses), (2, self.account), (3, self.search)):
            label = form.itemAt(field, QFormLayout.ItemRole.LabelRole)
            if label is not None and isinstance(label.widget(), QLabel):
                label.widget().setBuddy(buddy)  # type: ignore[union-attr]

        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Sending progress"))
        self.progress.setToolTip(_("Addresses done out of the total"))
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.result_list = QListWidget()
        self.result_list.setAccessibleName(_("Results"))
        self.result_list.setToolTip(_("What happened for each address"))
        self.result_list.setWordWrap(True)
        self.result_list.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton(
            _("&Send"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.send_button.setAccessibleName(_("Send the test"))
        self.send_button.setToolTip(_("Send the test now (Ctrl+Return)"))
        self.send_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.send_button.setDefault(True)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(_("Close"))
        close.setToolTip(_("Close this window"))
        self.send_button.clicked.connect(self.send)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.result_list, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(560, 460)

        self.reload_accounts()
        self.addresses.setFocus()

    # ------------------------------------------------------------------------------ accounts

    def reload_accounts(self, select: str = "") -> None:
        """Fill the account combo from the book; the first account's address is a first guess."""
        current = select or self.account.currentData() or ""
        self.account.blockSignals(True)
        self.account.clear()
        try:
            accounts = self.book.list()
        except AccountError as exc:
            accounts = []
            self._show(str(exc), _ERROR)
        for account in accounts:
            label = f"{account.name} — {account.from_email}" if account.from_email else account.name
            self.account.addItem(label, account.name)
        index = self.account.findData(current)
        self.account.setCurrentIndex(max(index, 0))
        self.account.blockSignals(False)
        if accounts and not self.addresses.toPlainText().strip():
            first = self.selected_account()
            if first is not None:
                self.addresses.setPlainText(first.reply_to or first.from_email)
        self._validate()

    def selected_account(self) -> Account | None:
        name = self.account.currentData()
        if not name:
            return None
        try:
            return self.book.get(str(name))
        except AccountError:
            return None

    def manage_accounts(self) -> None:
        from widgets.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(self, book=self.book)
        dialog.exec()
        dialog.deleteLater()
        self.reload_accounts()

    # ------------------------------------------------------------------------------ contacts

    def _set_contacts(self, contacts: list[Contact]) -> None:
        self.contact.clear()
        sample = f"{SAMPLE_CONTACT['first_name']} {SAMPLE_CONTACT['last_name']}"
        self.contact.addItem(_("Sample values ({name})").format(name=sample), None)
        for contact in contacts:
            name = " ".join(p for p in (contact.first_name, contact.last_name) if p)
            self.contact.addItem(f"{name} <{contact.email}>" if name else contact.email, contact)
        if contacts:
            self.contact.setCurrentIndex(1)

    def _run_search(self) -> None:
        """Look contacts up off the UI thread (a big store takes a moment to search)."""
        text = self.search.text().strip()
        if not text:
            self._set_contacts([])
            return

        def work() -> tuple[str, list[Contact]]:
            from editor.contacts.store import ContactStore

            with ContactStore() as store:
                found = store.iter_contacts(query=ContactQuery(search=text))
                return text, list(islice(found, _SEARCH_LIMIT))

        task = BackgroundTask(work)
        task.succeeded.connect(self._on_found)
        task.failed.connect(lambda error: self._show(str(error), _ERROR))
        self._search_task = task
        task.start()

    def _on_found(self, found: tuple[str, list[Contact]]) -> None:
        text, contacts = found
        if text != self.search.text().strip():
            return  # an older search finished after a newer one started
        self._set_contacts(contacts)
        if not contacts:
            self._show(_("No contact matches “{text}”.").format(text=text), _ERROR)
        else:
            self.status.clear()

    def selected_contact(self) -> dict[str, Any] | None:
        """The merge values of the chosen contact (None: the sample person)."""
        contact = self.contact.currentData()
        if not isinstance(contact, Contact):
            return None
        return {
            "email": contact.email,
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "fields": dict(contact.fields),
        }

    # -------------------------------------------------------------------------------- sending

    def _validate(self) -> bool:
        """Show which addresses are not valid; Send is enabled only when all are usable."""
        valid, invalid = parse_addresses(self.addresses.toPlainText())
        problem = ""
        if invalid:
            problem = ngettext(
                "Not a valid address: {addresses}",
                "Not valid addresses: {addresses}",
                len(invalid),
            ).format(addresses=", ".join(invalid))
        elif len(valid) > MAX_ADDRESSES:
            problem = _("A test goes to {count} addresses at most.").format(count=MAX_ADDRESSES)
        elif self.account.count() == 0:
            problem = _("Add a sending account first (Accounts…).")
        self.address_status.setText(problem)
        self.address_status.setVisible(bool(problem))
        self.address_status.setStyleSheet(f"color: {_ERROR};" if problem else "")
        ok = bool(valid) and not problem and self._task is None
        self.send_button.setEnabled(ok)
        return ok

    def send(self) -> None:
        """Send off the UI thread; each address's result is listed as it comes."""
        if self._task is not None or not self._validate():
            return
        account = self.selected_account()
        if account is None:
            return
        addresses, _invalid = parse_addresses(self.addresses.toPlainText())
        contact = self.selected_contact()
        # A copy: the user may go on editing while the test is rendered on another thread.
        file = BulletinFile(
            copy.deepcopy(self.session.file.newsletter), dict(self.session.file.images)
        )
        feeds = self.session.feeds
        context = self.ssl_context
        relay = self._relay

        def work() -> list[TestSendResult]:
            password = secrets.get_password(account.name) if account.username else None
            return send_test(
                file,
                account,
                password,
                addresses,
                contact,
                ssl_context=context,
                feeds=feeds,
                progress=relay.result.emit,
            )

        self.results = []
        self.result_list.clear()
        self.result_list.show()
        self.progress.setRange(0, len(addresses))
        self.progress.setValue(0)
        self.progress.show()
        self._show(
            ngettext(
                "Sending the test to {count} address…",
                "Sending the test to {count} addresses…",
                len(addresses),
            ).format(count=len(addresses)),
            "",
        )
        task = BackgroundTask(work)
        task.succeeded.connect(self._on_sent)
        task.failed.connect(self._on_error)
        task.finished.connect(self._on_finished)
        self._task = task
        self._set_busy(True)
        task.start()

    def _on_result(self, result: TestSendResult) -> None:
        self.results.append(result)
        item = QListWidgetItem(("✓ " if result.ok else "✗ ") + result.message)
        item.setForeground(Qt.GlobalColor.darkGreen if result.ok else Qt.GlobalColor.darkRed)
        item.setToolTip(result.message)
        self.result_list.addItem(item)
        self.progress.setValue(len(self.results))

    def _on_sent(self, results: list[TestSendResult]) -> None:
        sent = sum(r.ok for r in results)
        if sent == len(results):
            text = ngettext(
                "The test was sent to {count} address.",
                "The test was sent to {count} addresses.",
                sent,
            ).format(count=sent)
            self._show(text, _OK)
        else:
            self._show(
                _("{sent} of {total} sent: see below why the others failed.").format(
                    sent=sent, total=len(results)
                ),
                _ERROR,
            )
        self.finished_sending.emit(results)

    def _on_error(self, error: BaseException) -> None:
        self._show(str(error), _ERROR)
        self.finished_sending.emit([])

    def _on_finished(self) -> None:
        self._task = None
        self._set_busy(False)
        self._validate()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.addresses, self.account, self.accounts_button, self.search):
            widget.setEnabled(not busy)
        self.contact.setEnabled(not busy)
        self.send_button.setEnabled(not busy)

    def is_sending(self) -> bool:
        return self._task is not None

    def _show(self, text: str, color: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};" if color else "")

    def done(self, result: int) -> None:
        if self._task is not None:
            self._task.wait(1)  # its result is dropped with the dialog; don't block for long
        super().done(result)
