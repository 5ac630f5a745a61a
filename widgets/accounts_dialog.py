"""The sending accounts dialog: list, edit, test and remove SMTP accounts.

Settings go to :class:`editor.sending.accounts.AccountBook`; the password goes to the OS keychain
(:mod:`editor.sending.secrets`) only when the user presses Save, never anywhere else, and the
field is left empty afterwards (an empty field on Save keeps the stored password). A preset fills
the host, port, security and limits and shows its note. "Test connection" runs
:func:`editor.sending.connect.test_connection` on the thread pool (a keychain read can block on
an unlock prompt, a server on a timeout) with a busy bar, and shows the diagnosis and its hint.
An unencrypted connection to another computer needs an explicit confirmation.
"""

from __future__ import annotations

from contextlib import suppress

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
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
from editor.sending import secrets
from editor.sending.accounts import (
    MAX_CONNECTIONS,
    Account,
    AccountBook,
    AccountError,
    Security,
)
from editor.sending.connect import Diagnosis, test_connection
from editor.sending.presets import PRESETS, SES_DEFAULT_REGION, SES_REGIONS, preset
from widgets.connection_dialog import ConnectionDialog, line_edit

_SECURITY_CHOICES: tuple[tuple[Security, str], ...] = (
    ("tls", "TLS"),
    ("starttls", "STARTTLS"),
    ("none", ""),  # worded at build time (translated)
)


def _spin(maximum: int, name: str, tip: str, minimum: int = 0) -> QSpinBox:
    box = QSpinBox()
    box.setRange(minimum, maximum)
    box.setAccessibleName(name)
    box.setToolTip(tip)
    if minimum == 0:
        box.setSpecialValueText(_("no limit"))
    return box


class AccountsDialog(ConnectionDialog):
    """Lists the SMTP accounts and edits one at a time (see the module doc).

    Signals:
        accounts_changed(): after an account was saved or removed.
        tested(object): the :class:`Diagnosis` of a finished connection test.

    ``ssl_context`` (None: the system's trusted CAs) is what the connection test uses; tests
    set it to trust their own server.
    """

    accounts_changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, book: AccountBook | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Sending accounts"))
        self.book = book or AccountBook()
        self._loading = False

        # -- list
        self.accounts = QListWidget()
        self.accounts.setAccessibleName(_("Accounts"))
        self.accounts.setToolTip(_("The accounts newsletters can be sent through"))
        self.accounts.currentItemChanged.connect(self._on_selected)
        self.new_button = QPushButton(_("&New"))
        self.new_button.setToolTip(_("Add an account"))
        self.new_button.setAccessibleName(_("New account"))
        self.new_button.setShortcut(QKeySequence.StandardKey.New)
        self.new_button.clicked.connect(self.new_account)
        self.remove_button = QPushButton(_("&Remove"))
        self.remove_button.setToolTip(_("Remove the selected account and its saved password"))
        self.remove_button.setAccessibleName(_("Remove account"))
        self.remove_button.clicked.connect(self.remove_account)
        list_buttons = QHBoxLayout()
        list_buttons.addWidget(self.new_button)
        list_buttons.addWidget(self.remove_button)
        left = QVBoxLayout()
        left.addWidget(self.accounts)
        left.addLayout(list_buttons)

        # -- form
        self.preset = QComboBox()
        for item in PRESETS:
            self.preset.addItem(item.label, item.key)
        self.preset.setCurrentIndex(self.preset.findData("custom"))
        self.preset.setAccessibleName(_("Service"))
        self.preset.setToolTip(_("Fills in the usual settings and limits of a sending service"))
        self.preset.currentIndexChanged.connect(self._on_preset)
        self.region = QComboBox()
        for code in SES_REGIONS:
            self.region.addItem(code, code)
        self.region.setAccessibleName(_("Amazon SES region"))
        self.region.setToolTip(_("The region of your Amazon SES account"))
        self.region.currentIndexChanged.connect(self._on_preset)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName(_("About this service"))
        self.note.setStyleSheet("color: palette(placeholder-text);")
        # Two lines always fit, so a longer note never gets squeezed by the form.
        self.note.setMinimumHeight(self.note.fontMetrics().lineSpacing() * 2 + 4)

        self.name = line_edit(_("Account name"), _("A name of your choice, to pick the account"))
        self.host = line_edit(
            _("Server"), _("The SMTP server's name, as your provider gives it"), "smtp.example.org"
        )
        self.port = _spin(65535, _("Port"), _("Usually 465 for TLS, 587 for STARTTLS"), 1)
        self.port.setValue(587)
        self.security = QComboBox()
        for code, label in _SECURITY_CHOICES:
            self.security.addItem(label or _("None (this computer only)"), code)
        self.security.setAccessibleName(_("Security"))
        self.security.setToolTip(
            _("TLS encrypts from the start, STARTTLS right after connecting; none sends in clear")
        )
        self.username = line_edit(_("User name"), _("The login for the server, often your address"))
        self.password = line_edit(
            _("Password"),
            _("Stored in the system keychain when you save, never in a file"),
        )
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.from_name = line_edit(_("Sender name"), _("The name recipients see"))
        self.from_email = line_edit(
            _("Sender address"), _("The address messages come from"), "news@example.org"
        )
        self.reply_to = line_edit(_("Reply-to address"), _("Where replies go (empty: the sender)"))
        self.envelope_from = line_edit(
            _("Bounce address"), _("Where undeliverable messages are reported (empty: sender)")
        )
        self.rate_minute = _spin(100000, _("Messages per minute"), _("0 for no limit"))
        self.rate_hour = _spin(1000000, _("Messages per hour"), _("0 for no limit"))
        self.connections = _spin(
            MAX_CONNECTIONS, _("Parallel connections"), _("How many messages go at once"), 1
        )
        self.daily_quota = _spin(10000000, _("Daily quota"), _("Messages a day at most"))
        self.monthly_quota = _spin(100000000, _("Monthly quota"), _("Messages a month at most"))

        server = QFormLayout()
        server.addRow(_("Servi&ce:"), self.preset)
        server.addRow(_("Re&gion:"), self.region)
        server.addRow("", self.note)
        server.addRow(_("Na&me:"), self.name)
        server.addRow(_("Ser&ver:"), self.host)
        server.addRow(_("&Port:"), self.port)
        server.addRow(_("Securit&y:"), self.security)
        server.addRow(_("&User name:"), self.username)
        server.addRow(_("Pass&word:"), self.password)
        sender = QFormLayout()
        sender.addRow(_("Sender nam&e:"), self.from_name)
        sender.addRow(_("Sender &address:"), self.from_email)
        sender.addRow(_("Reply-t&o:"), self.reply_to)
        sender.addRow(_("&Bounces to:"), self.envelope_from)
        limits = QFormLayout()
        limits.addRow(_("Per m&inute:"), self.rate_minute)
        limits.addRow(_("Per ho&ur:"), self.rate_hour)
        limits.addRow(_("Conn&ections:"), self.connections)
        limits.addRow(_("Per &day:"), self.daily_quota)
        limits.addRow(_("Per mont&h:"), self.monthly_quota)
        self._server_box = QGroupBox(_("Server"))
        self._server_box.setLayout(server)
        sender_box = QGroupBox(_("Sender"))
        sender_box.setLayout(sender)
        limits_box = QGroupBox(_("Limits"))
        limits_box.setLayout(limits)
        self._server_form = server

        self.test_button = QPushButton(_("&Test connection"))
        self.test_button.setAccessibleName(_("Test connection"))
        self.test_button.setToolTip(
            _("Connect, log in and check the sender address; no message is sent")
        )
        self.test_button.clicked.connect(self.test)
        self.save_button = QPushButton(_("&Save"))
        self.save_button.setAccessibleName(_("Save account"))
        self.save_button.setToolTip(_("Save the account; the password goes to the keychain"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save)
        actions = QHBoxLayout()
        actions.addWidget(self.test_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)

        right = QVBoxLayout()
        right.addWidget(self._server_box)
        columns = QHBoxLayout()
        columns.addWidget(sender_box, 3)
        columns.addWidget(limits_box, 2)
        right.addLayout(columns)
        right.addLayout(actions)
        right.addWidget(self.busy)
        right.addWidget(self.status)
        right.addStretch(1)

        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 3)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)

        self._on_preset()
        self.reload()

    # -- list

    def reload(self, select: str = "") -> None:
        """Read the accounts again and select ``select`` (else the first, else a new form)."""
        try:
            accounts = self.book.list()
        except AccountError as exc:
            accounts = []
            self._show_error(str(exc))
        entries = [(a.name, f"{a.host}:{a.port}") for a in accounts]
        if not self.fill_list(self.accounts, entries, select):
            self.new_account()
        self.remove_button.setEnabled(bool(entries))

    def _on_selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        try:
            account = self.book.get(item.data(Qt.ItemDataRole.UserRole))
        except AccountError as exc:
            self._show_error(str(exc))
            return
        self.load(account)

    def new_account(self) -> None:
        """An empty form (a custom server) for a new account."""
        self.clear_selection(self.accounts)
        self.load(Account(name="", host="", port=587, security="starttls"))
        self.name.setFocus()

    def load(self, account: Account) -> None:
        """Show ``account`` in the form (the password field stays empty)."""
        self._loading = True
        try:
            self._current = account.name
            self.preset.setCurrentIndex(max(0, self.preset.findData(account.preset)))
            if account.host.startswith("email-smtp.") and account.host.endswith(".amazonaws.com"):
                region = account.host.split(".")[1]
                self.region.setCurrentIndex(max(0, self.region.findData(region)))
            self.name.setText(account.name)
            self.host.setText(account.host)
            self.port.setValue(account.port)
            self.security.setCurrentIndex(max(0, self.security.findData(account.security)))
            self.username.setText(account.username)
            self.password.clear()
            self.password.setPlaceholderText(
                _("Leave empty to keep the saved password") if account.name else ""
            )
            self.from_name.setText(account.from_name)
            self.from_email.setText(account.from_email)
            self.reply_to.setText(account.reply_to)
            self.envelope_from.setText(account.envelope_from)
            self.rate_minute.setValue(account.rate_per_minute)
            self.rate_hour.setValue(account.rate_per_hour)
            self.connections.setValue(account.connections)
            self.daily_quota.setValue(account.daily_quota)
            self.monthly_quota.setValue(account.monthly_quota)
            self._insecure_confirmed = account.insecure_confirmed
        finally:
            self._loading = False
        self._update_preset_widgets()
        self.status.clear()

    # -- preset

    def _update_preset_widgets(self) -> None:
        chosen = preset(str(self.preset.currentData()))
        self.note.setText(chosen.note)
        self._server_form.setRowVisible(self.region, chosen.needs_region)

    def _on_preset(self) -> None:
        self._update_preset_widgets()
        if self._loading:
            return
        chosen = preset(str(self.preset.currentData()))
        if chosen.key == "custom":
            return
        region = str(self.region.currentData() or SES_DEFAULT_REGION)
        applied = chosen.apply(self.account_from_form(), region=region)
        self._loading = True
        try:
            self.host.setText(applied.host)
            self.port.setValue(applied.port)
            self.security.setCurrentIndex(self.security.findData(applied.security))
            if chosen.username:
                self.username.setText(chosen.username)
            self.rate_minute.setValue(applied.rate_per_minute)
            self.rate_hour.setValue(applied.rate_per_hour)
            self.connections.setValue(applied.connections)
            self.daily_quota.setValue(applied.daily_quota)
            self.monthly_quota.setValue(applied.monthly_quota)
        finally:
            self._loading = False

    # -- form

    def account_from_form(self) -> Account:
        """The account the form describes (not validated)."""
        security: Security = self.security.currentData() or "starttls"
        return Account(
            name=self.name.text().strip(),
            host=self.host.text().strip(),
            port=self.port.value(),
            security=security,
            username=self.username.text().strip(),
            from_email=self.from_email.text().strip(),
            from_name=self.from_name.text().strip(),
            reply_to=self.reply_to.text().strip(),
            envelope_from=self.envelope_from.text().strip(),
            rate_per_minute=self.rate_minute.value(),
            rate_per_hour=self.rate_hour.value(),
            connections=self.connections.value(),
            daily_quota=self.daily_quota.value(),
            monthly_quota=self.monthly_quota.value(),
            preset=str(self.preset.currentData() or "custom"),
            insecure_confirmed=self._insecure_confirmed,
        )

    def _checked_account(self) -> Account | None:
        """The form's account, validated, with the unencrypted case confirmed; None if not."""
        return self.checked(
            self.account_from_form(),
            refusal=_("Choose TLS or STARTTLS to send to another computer."),
            question=_(
                "Without TLS or STARTTLS, the password and every message travel unencrypted "
                "to {host}: anyone on the network can read them. Send this way anyway?"
            ),
            errors=AccountError,
        )

    def save(self) -> bool:
        """Validate, store the password (if typed) in the keychain, then the settings."""
        account = self._checked_account()
        if account is None:
            return False
        previous = self._current
        renamed = bool(previous) and previous != account.name
        try:
            if account.name != previous and account.name in self.book.names():
                raise AccountError(
                    _('An account named "{name}" already exists.').format(name=account.name)
                )
            if self.password.text():
                secrets.set_password(account.name, self.password.text())
            elif renamed and account.username:
                # The saved password follows the account to its new name.
                with suppress(secrets.PasswordMissing):
                    secrets.set_password(account.name, secrets.get_password(previous))
            self.book.save(account)
            if renamed:
                self.book.remove(previous)
        except (AccountError, secrets.KeychainError) as exc:
            self._show_error(str(exc))
            return False
        self.password.clear()
        self.reload(select=account.name)
        self._show_ok(_('Account "{name}" saved.').format(name=account.name))
        self.accounts_changed.emit()
        return True

    def remove_account(self) -> None:
        """Remove the selected account (and its keychain entry) after a confirmation."""
        item = self.accounts.currentItem()
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        answer = QMessageBox.question(
            self,
            _("Remove the account"),
            _('Remove the account "{name}" and its saved password?').format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.book.remove(name)
        except AccountError as exc:
            self._show_error(str(exc))
            return
        self.reload()
        self._show_ok(_('Account "{name}" removed.').format(name=name))
        self.accounts_changed.emit()

    # -- connection test

    def test(self) -> None:
        """Test the form's settings off the UI thread; the result shows in the status line."""
        if self._task is not None:
            return
        account = self._checked_account()
        if account is None:
            return
        typed = self.password.text()
        stored_name = self._current
        context = self.ssl_context

        def work() -> Diagnosis:
            password: str | None = typed or None
            if password is None and account.username and stored_name:
                password = secrets.get_password(stored_name)
            return test_connection(account, password, ssl_context=context)

        self.run_test(account.host, work, (self.test_button, self.save_button))
