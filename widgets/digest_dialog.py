"""Sending ▸ Report by email…: the periodic report's settings, its preview and "Send now".

Thin over :mod:`editor.digest`. The dialog edits the settings (on/off, week or month, the
owner's addresses, the account, the email's language), shows the report of the last complete
period as it will be sent (plain text, rebuilt on the thread pool when the period, the language
or the account changes) and what was sent last (or interrupted, or refused). "Send now" runs on
the thread pool with a busy bar — the keychain may wait for an unlock prompt and the server
takes time — and never blocks the window.

The automatic sending is :class:`widgets.digest_due.DueDigest`'s.
"""

from __future__ import annotations

import ssl
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from editor.digest import (
    DigestSettings,
    Record,
    SendOutcome,
    build_digest,
    last_complete,
    load_settings,
    parse_recipients,
    preview_text,
    read_record,
    save_settings,
    send_digest,
)
from editor.i18n import _
from editor.sending.accounts import AccountBook, AccountError
from widgets.background import BackgroundTask

_OK = "#15803d"
_ERROR = "#b91c1c"


def _local(iso: str) -> str:
    """A stored UTC instant in this computer's time, to the minute."""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def record_text(record: Record) -> str:
    """What was sent last, in a sentence (the dialog's "Last report" line)."""
    parts = []
    if record.period and record.interrupted:
        parts.append(
            _(
                "The report of {period} was interrupted while sending ({when}): it may not have "
                "arrived, and is not sent again by itself. Use Send now if it is missing."
            ).format(period=record.period, when=_local(record.at))
        )
    elif record.period:
        parts.append(
            _("Last report: {period}, sent {when}.").format(
                period=record.period, when=_local(record.at)
            )
        )
    else:
        parts.append(_("No report sent yet."))
    if record.failed and record.failed_at:
        parts.append(
            _("The report of {period} could not be sent ({when}): {why}").format(
                period=record.failed, when=_local(record.failed_at), why=record.error
            )
        )
    return " ".join(parts)


class DigestDialog(QDialog):
    """The periodic report's settings, preview and "Send now" (see the module doc).

    Signals:
        sent(object): the :class:`editor.digest.SendOutcome` of a "Send now".

    ``ssl_context`` (None: the system's trusted CAs) is what the connection uses; tests set it
    to trust their own server. ``book``: where the accounts are read (the profile's default).
    """

    sent = Signal(object)

    def __init__(self, parent: QWidget | None = None, *, book: AccountBook | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Report by Email"))
        self.book = book or AccountBook()
        self.ssl_context: ssl.SSLContext | None = None
        self.settings = load_settings()
        self._task: BackgroundTask | None = None
        self._preview_task: BackgroundTask | None = None

        intro = QLabel(
            _(
                "Once a week or a month, Bulletin mails you what happened: campaigns sent, "
                "bounces, complaints and unsubscribes, how your contacts changed, and what "
                "needs your attention. It goes through your own sending account while Bulletin "
                "is open (or from cron with bulletin digest --if-due)."
            )
        )
        intro.setWordWrap(True)

        self.enabled = QCheckBox(_("Send me a &report by email"))
        self.enabled.setAccessibleName(_("Send the periodic report"))
        self.enabled.setToolTip(_("Send the report automatically when each period ends"))
        self.frequency = QComboBox()
        self.frequency.setAccessibleName(_("How often"))
        self.frequency.setToolTip(_("Weeks run Monday to Sunday; months from the 1st"))
        self.frequency.addItem(_("Every week (Monday morning)"), "week")
        self.frequency.addItem(_("Every month (on the 1st, in the morning)"), "month")
        self.recipients = QLineEdit()
        self.recipients.setAccessibleName(_("Report addresses"))
        self.recipients.setToolTip(_("Your address; several separated by commas"))
        self.recipients.setPlaceholderText(_("you@example.org"))
        self.account = QComboBox()
        self.account.setAccessibleName(_("Sending account"))
        self.account.setToolTip(_("The SMTP account the report is sent through"))
        self.language = QComboBox()
        self.language.setAccessibleName(_("Language of the report"))
        self.language.setToolTip(_("The language the email is written in"))
        self.language.addItem("Français", "fr")  # each language in its own name
        self.language.addItem("English", "en")

        form = QFormLayout()
        form.addRow("", self.enabled)
        form.addRow(_("&Frequency:"), self.frequency)
        form.addRow(_("&To:"), self.recipients)
        form.addRow(_("A&ccount:"), self.account)
        form.addRow(_("&Language:"), self.language)
        for row, buddy in (
            (1, self.frequency),
            (2, self.recipients),
            (3, self.account),
            (4, self.language),
        ):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if label is not None and isinstance(label.widget(), QLabel):
                label.widget().setBuddy(buddy)  # type: ignore[union-attr]

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName(_("Settings check"))
        self.problems.setStyleSheet(f"color: {_ERROR};")
        self.last = QLabel()
        self.last.setWordWrap(True)
        self.last.setAccessibleName(_("Last report"))
        self.last.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.preview_title = QLabel()
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName(_("Preview of the report"))
        self.preview.setToolTip(_("The report of the last complete period, as it will be sent"))
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        self.progress = QProgressBar()
        self.progress.setAccessibleName(_("Sending progress"))
        self.progress.setRange(0, 0)  # busy: one message, no steps to count
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Status"))
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton(
            _("Send &Now"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.send_button.setAccessibleName(_("Send the report now"))
        self.send_button.setToolTip(_("Send the report of the last complete period now"))
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.save_button.setAccessibleName(_("Save the settings"))
        self.save_button.setToolTip(_("Keep these settings (Ctrl+S)"))
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(_("Close"))
        close.setToolTip(_("Close this window"))
        self.send_button.clicked.connect(self.send_now)
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.last)
        layout.addWidget(self.preview_title)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(640, 640)

        self._load(self.settings)
        for combo in (self.frequency, self.language, self.account):
            combo.currentIndexChanged.connect(self._changed)
        for combo in (self.frequency, self.language, self.account):
            combo.currentIndexChanged.connect(self.refresh_preview)
        self.enabled.toggled.connect(self._changed)
        self.recipients.textChanged.connect(self._changed)
        self._changed()
        self.refresh_preview()

    # ------------------------------------------------------------------------------ settings

    def _load(self, settings: DigestSettings) -> None:
        self.enabled.setChecked(settings.enabled)
        self.frequency.setCurrentIndex(max(self.frequency.findData(settings.frequency), 0))
        self.recipients.setText(", ".join(settings.recipients))
        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        try:
            accounts = self.book.list()
        except AccountError as exc:
            accounts = []
            self._show(str(exc), _ERROR)
        for account in accounts:
            label = f"{account.name} — {account.from_email}" if account.from_email else account.name
            self.account.addItem(label, account.name)
        self.account.setCurrentIndex(max(self.account.findData(settings.account), 0))
        if not settings.recipients and accounts:
            first = accounts[max(self.account.currentIndex(), 0)]
            self.recipients.setText(first.reply_to or first.from_email)

    def current(self) -> DigestSettings:
        """The settings as the form shows them (not saved yet)."""
        return replace(
            self.settings,
            enabled=self.enabled.isChecked(),
            frequency=str(self.frequency.currentData() or "week"),
            recipients=parse_recipients(self.recipients.text()),
            account=str(self.account.currentData() or ""),
            language=str(self.language.currentData() or "fr"),
        )

    def _changed(self) -> None:
        problems = self.current().problems()
        if self.account.count() == 0:
            problems.insert(0, _("Add a sending account first (Sending ▸ Sending accounts…)."))
        self.problems.setText("\n".join(dict.fromkeys(problems)))
        self.problems.setVisible(bool(problems))
        idle = self._task is None
        self.send_button.setEnabled(idle and not problems)
        # Switching the report off is always possible; on, it must be usable.
        self.save_button.setEnabled(idle and (not problems or not self.enabled.isChecked()))
        self._show_record()

    def save(self) -> bool:
        """Write the settings (atomically); False, with the reason shown, when unusable."""
        settings = self.current()
        if settings.enabled and settings.problems():
            self._show(settings.problems()[0], _ERROR)
            return False
        try:
            self.settings = save_settings(settings)
        except OSError as exc:
            self._show(
                _("Could not save the settings: {error}").format(error=exc.strerror or exc),
                _ERROR,
            )
            return False
        self._show(
            _("Saved: the report will be sent when each period ends.")
            if settings.enabled
            else _("Saved: no report will be sent."),
            _OK,
        )
        return True

    # ------------------------------------------------------------------------------- preview

    def refresh_preview(self) -> BackgroundTask:
        """Rebuild the preview of the last complete period on the thread pool (a week with a
        100,000-message campaign takes most of a second to add up); the task."""
        settings = self.current()
        key = (settings.frequency, settings.language, settings.account)

        def work() -> tuple[tuple[str, str, str], str, str]:
            from editor.contacts.store import ContactStore

            period = last_complete(datetime.now(UTC), settings.frequency, settings.zone())
            with ContactStore() as store:
                digest = build_digest(store.db, period, settings.language)
            return key, digest.subject(), preview_text(digest, settings.account)

        self.preview_title.setText(_("Preparing the preview…"))
        task = BackgroundTask(work)
        task.succeeded.connect(self._on_preview)
        task.failed.connect(self._on_preview_failed)
        self._preview_task = task
        task.start()
        return task

    def _on_preview(self, result: tuple[tuple[str, str, str], str, str]) -> None:
        key, subject, text = result
        settings = self.current()
        if key != (settings.frequency, settings.language, settings.account):
            return  # the user changed the period or language meanwhile: a newer one comes
        self.preview_title.setText(_("Preview — subject: {subject}").format(subject=subject))
        self.preview.setPlainText(text)

    def _on_preview_failed(self, error: BaseException) -> None:
        self.preview_title.setText(_("No preview"))
        self.preview.setPlainText(str(error))

    def _show_record(self) -> None:
        from editor.contacts.store import ContactStore
        from editor.db import StoreError

        try:
            with ContactStore() as store:
                record = read_record(store.db, self.current().frequency)
        except StoreError:
            self.last.clear()
            return
        self.last.setText(record_text(record))

    # ------------------------------------------------------------------------------- sending

    def send_now(self) -> None:
        """Send the report of the last complete period now, off the UI thread."""
        if self._task is not None:
            return
        settings = self.current()
        problems = settings.problems()
        if problems:
            self._show(problems[0], _ERROR)
            return
        context = self.ssl_context
        book = self.book

        def work() -> SendOutcome:
            from editor.contacts.store import ContactStore

            with ContactStore() as store:
                return send_digest(store.db, settings, book=book, ssl_context=context)

        self._show(_("Sending the report…"), "")
        self.progress.show()
        task = BackgroundTask(work)
        task.succeeded.connect(self._on_sent)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_finished)
        self._task = task
        self._changed()
        task.start()

    def _on_sent(self, outcome: SendOutcome) -> None:
        self._show(
            _("Report of {period} sent to {addresses}.").format(
                period=outcome.period.key, addresses=", ".join(outcome.recipients)
            ),
            _OK,
        )
        self.sent.emit(outcome)

    def _on_failed(self, error: BaseException) -> None:
        self._show(str(error), _ERROR)

    def _on_finished(self) -> None:
        self._task = None
        self.progress.hide()
        self._changed()

    def _show(self, text: str, color: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};" if color else "")
