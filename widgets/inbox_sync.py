"""Checking a mailbox for bounces, or importing a mailbox file, off the UI thread; and
checking mailboxes periodically while the app is open (:class:`PeriodicChecker`).

:class:`InboxSyncDialog` runs :func:`editor.inbox.imap_sync.sync_mailbox` or
:func:`editor.inbox.mail_import.import_messages` on the thread pool (a 10,000-message mailbox
takes a while; the keychain may prompt) with a progress bar and a Cancel button: a cancel is
honoured between messages and what was processed stays processed (the core commits per batch).
At the end it shows the tally in words — counts, then every contact whose status changed, with
the new status in the UI language and the reason written in the contact's history. The worker
opens its own :class:`~editor.contacts.store.ContactStore` (an SQLite connection belongs to the
thread that opened it).
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import _, ngettext
from widgets.background import BackgroundTask
from widgets.contacts.labels import status_label

if TYPE_CHECKING:
    from editor.contacts.store import ContactStore
    from editor.inbox.check import CheckResult
    from editor.inbox.mailboxes import Mailbox
    from editor.inbox.process import Tally

#: ``work(progress, cancelled)`` → the tally and whether a cancel stopped it; raises to fail.
Work = Callable[[Callable[[int, int], None], Callable[[], bool]], tuple["Tally", bool]]


def summary_lines(tally: Tally) -> list[str]:
    """The tally in words: the counts that are not zero, then each contact changed."""
    counts = (
        (
            tally.bounces,
            ngettext("{n} bounce (permanent)", "{n} bounces (permanent)", tally.bounces),
        ),
        (
            tally.soft_bounces,
            ngettext(
                "{n} soft bounce (temporary)", "{n} soft bounces (temporary)", tally.soft_bounces
            ),
        ),
        (tally.complaints, ngettext("{n} spam complaint", "{n} spam complaints", tally.complaints)),
        (
            tally.unsubscribes,
            ngettext("{n} unsubscribe request", "{n} unsubscribe requests", tally.unsubscribes),
        ),
        (
            tally.auto_replies,
            ngettext("{n} automatic reply", "{n} automatic replies", tally.auto_replies),
        ),
        (
            tally.backscatter,
            ngettext(
                "{n} backscatter (a bounce of mail forged in your name)",
                "{n} backscatter (bounces of mail forged in your name)",
                tally.backscatter,
            ),
        ),
        (
            tally.unrecognised,
            ngettext("{n} message to review", "{n} messages to review", tally.unrecognised),
        ),
    )
    lines = [
        ngettext("{n} message read.", "{n} messages read.", tally.processed).format(
            n=tally.processed
        )
    ]
    if tally.already_processed:
        lines.append(
            ngettext(
                "{n} of them was already processed before: nothing changed for it.",
                "{n} of them were already processed before: nothing changed for them.",
                tally.already_processed,
            ).format(n=tally.already_processed)
        )
    lines += [f"• {text.format(n=count)}" for count, text in counts if count]
    lines.append("")
    if tally.changed:
        lines.append(
            ngettext("{n} contact changed:", "{n} contacts changed:", len(tally.changed)).format(
                n=len(tally.changed)
            )
        )
        for change in tally.changed:
            line = _("{email}: now {status}").format(
                email=change.email, status=status_label(change.status)
            )
            lines.append(f"• {line} — {change.reason}" if change.reason else f"• {line}")
    else:
        lines.append(_("No contact changed."))
    return lines


class _Progress(QObject):
    """Lives on the UI thread; the worker emits, Qt queues the call to the UI thread."""

    moved = Signal(int, int)


class InboxSyncDialog(QDialog):
    """One sync or import with its progress, Cancel, and the summary (see the module doc).

    Signals:
        ended(object): the :class:`Tally` when the work finished (also when cancelled), or the
            exception that stopped it.
    Attributes after the end: ``tally`` (None on a failure), ``cancelled``, ``error`` (text).
    """

    ended = Signal(object)

    def __init__(self, parent: QWidget | None, title: str, what: str, work: Work) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._work = work
        self._cancel = threading.Event()
        self._task: BackgroundTask | None = None
        self.tally: Tally | None = None
        self.cancelled = False
        self.error = ""
        self.notes: list[str] = []  # warnings the work adds (on its thread) before it returns

        self.heading = QLabel(what)
        self.heading.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy until the first batch says how many
        self.progress.setAccessibleName(_("Progress"))
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setAccessibleName(_("Summary"))
        self.summary.setMinimumHeight(220)
        self.summary.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.summary.hide()
        self.buttons = QDialogButtonBox()
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setToolTip(_("Stop after the current message; what is done stays done"))
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.buttons)

        self._progress = _Progress(self)
        self._progress.moved.connect(self._on_progress)

    # -- running

    def start(self) -> None:
        """Start the work on the thread pool (once)."""
        if self._task is not None:
            return
        signal = self._progress.moved
        cancel = self._cancel

        def work() -> tuple[Tally, bool]:
            return self._work(lambda done, total: signal.emit(done, total), cancel.is_set)

        task = BackgroundTask(work)
        task.succeeded.connect(self._on_done)
        task.failed.connect(self._on_failed)
        self._task = task
        task.start()

    def is_running(self) -> bool:
        return self._task is not None and not self._task.is_done()

    def cancel(self) -> None:
        """Ask the work to stop after the current message."""
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.heading.setText(_("Stopping after the current message…"))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, done, 1))
        self.progress.setValue(done)

    def _on_done(self, result: tuple[Tally, bool]) -> None:
        tally, cancelled = result
        self.tally, self.cancelled = tally, cancelled
        heading = (
            _("Cancelled: what was read until then is processed.") if cancelled else _("Done.")
        )
        self._finish(heading, "\n".join([*summary_lines(tally), *self.notes]))
        self.ended.emit(tally)

    def _on_failed(self, error: BaseException) -> None:
        self.error = describe_error(error)
        self._finish(_("It did not work."), self.error)
        self.summary.setStyleSheet("color: #b91c1c;")
        self.ended.emit(error)

    def _finish(self, heading: str, text: str) -> None:
        self.heading.setText(heading)
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1)
            self.progress.setValue(1)
        self.summary.setPlainText(text)
        self.summary.show()
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)

    def reject(self) -> None:
        """Escape or the window's close button: cancel first, close once it stopped."""
        if self.is_running():
            self.cancel()
            return
        super().reject()

    def done(self, result: int) -> None:
        if self._task is not None and not self._task.is_done():
            self._cancel.set()
            self._task.wait(5)
        super().done(result)


def describe_error(error: BaseException) -> str:
    """What stopped a sync or an import, as a sentence for the user."""
    from editor.inbox.imap_connect import ImapFailure

    if isinstance(error, _MailboxFailure):
        return str(error)
    if isinstance(error, ImapFailure):  # without its mailbox (not expected): still worded
        return _("The connection failed ({detail}).").format(detail=error.detail or error.kind)
    return str(error) or type(error).__name__


class _MailboxFailure(Exception):
    """An ImapFailure worded with its mailbox (server, port, folder) by the worker."""


# -- one check of a mailbox at a time (the dialog and the periodic check share this)

_busy: set[str] = set()
_busy_lock = threading.Lock()


def claim(name: str) -> bool:
    """Mark the mailbox as being checked; False when a check of it is already running."""
    with _busy_lock:
        if name in _busy:
            return False
        _busy.add(name)
        return True


def release(name: str) -> None:
    with _busy_lock:
        _busy.discard(name)


def run_check(
    store: ContactStore,
    mailbox: Mailbox,
    *,
    ssl_context: ssl.SSLContext | None = None,
    smtp_ssl_context: ssl.SSLContext | None = None,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> CheckResult:
    """:func:`editor.inbox.check.check_mailbox` with the keychain's password, on the calling
    (worker) thread; a failure comes out as a sentence naming the mailbox's server, and is
    recorded as the mailbox's last check."""
    from editor.inbox import mailboxes
    from editor.inbox.check import check_mailbox, record_check
    from editor.inbox.imap_connect import ImapDiagnosis, ImapFailure
    from editor.sending.secrets import KeychainError

    if not claim(mailbox.name):
        raise _MailboxFailure(
            _('The mailbox "{name}" is being checked already.').format(name=mailbox.name)
        )
    try:
        try:
            password = mailboxes.get_password(mailbox.name)
        except KeychainError as exc:
            record_check(
                store.connection,
                mailbox.name,
                now or datetime.now(UTC),
                "failed",
                None,
                "other",
                str(exc),
            )
            raise
        try:
            return check_mailbox(
                store,
                mailbox,
                password,
                ssl_context=ssl_context,
                smtp_ssl_context=smtp_ssl_context,
                now=now,
                progress=progress,
                cancelled=cancelled,
            )
        except ImapFailure as failure:
            raise _MailboxFailure(str(ImapDiagnosis.of(mailbox, failure))) from None
    finally:
        release(mailbox.name)


def sync_dialog(
    parent: QWidget | None,
    name: str,
    *,
    ssl_context: ssl.SSLContext | None = None,
    smtp_ssl_context: ssl.SSLContext | None = None,
) -> InboxSyncDialog:
    """A dialog that reads the named mailbox's new messages, then sends the subscription
    confirmations they asked for (not started)."""
    notes: list[str] = []

    def work(
        progress: Callable[[int, int], None], cancelled: Callable[[], bool]
    ) -> tuple[Tally, bool]:
        from editor.contacts.store import ContactStore
        from editor.inbox import mailboxes

        mailbox = mailboxes.MailboxBook().get(name)
        with ContactStore() as store:
            checked = run_check(
                store,
                mailbox,
                ssl_context=ssl_context,
                smtp_ssl_context=smtp_ssl_context,
                progress=progress,
                cancelled=cancelled,
            )
        result = checked.sync
        confirmations = checked.confirmations.lines()
        if confirmations:
            notes.append("\n" + "\n".join(confirmations))
        if result.unmarked:
            notes.append(
                "\n"
                + ngettext(
                    "The server refused to flag or move {count} processed message; it will not "
                    "be read again.",
                    "The server refused to flag or move {count} processed messages; they will "
                    "not be read again.",
                    result.unmarked,
                ).format(count=result.unmarked)
            )
        return result.tally, result.cancelled

    dialog = InboxSyncDialog(
        parent,
        _("Check for bounces"),
        _('Reading the new messages of the mailbox "{name}"…').format(name=name),
        work,
    )
    dialog.notes = notes
    return dialog


class PeriodicChecker(QObject):
    """Checks, while the app is open, the mailboxes whose settings ask for it
    (:attr:`~editor.inbox.mailboxes.Mailbox.check_every` minutes), off the UI thread.

    Every ``tick_ms`` it starts one background task (never two at a time) that reads which
    mailboxes are due (their last check is older than their interval) and checks each in turn;
    a mailbox a « Check now » dialog is reading is skipped (:func:`claim`). It says nothing
    unless something happened: ``noteworthy(name, text)`` then carries one sentence for the
    status bar (contacts changed, confirmations sent, messages to review, or a check that
    started failing).

    Signals:
        checked(str, object): each mailbox checked, with its CheckResult or the exception.
        noteworthy(str, str): a mailbox name and what to tell the user.
        round_done(): after each round (tests wait on it).
    """

    checked = Signal(str, object)
    noteworthy = Signal(str, str)
    round_done = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        tick_ms: int = 60_000,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ssl_context: ssl.SSLContext | None = None
        self.smtp_ssl_context: ssl.SSLContext | None = None
        self._clock = clock
        self._task: BackgroundTask | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def is_running(self) -> bool:
        return self._task is not None

    def tick(self) -> bool:
        """Start a round now unless one is running; False when skipped."""
        if self._task is not None:
            return False
        clock, tls, smtp_tls = self._clock, self.ssl_context, self.smtp_ssl_context

        def work() -> list[tuple[str, object, str]]:
            return _check_due(clock, tls, smtp_tls)

        task = BackgroundTask(work)
        task.succeeded.connect(self._on_round)
        task.finished.connect(self._on_finished)
        self._task = task
        task.start()
        return True

    def _on_round(self, results: list[tuple[str, object, str]]) -> None:
        for name, outcome, text in results:
            self.checked.emit(name, outcome)
            if text:
                self.noteworthy.emit(name, text)

    def _on_finished(self) -> None:
        self._task = None
        self.round_done.emit()

    def wait(self, timeout: float = 5.0) -> None:
        if self._task is not None:
            self._task.wait(timeout)


def _check_due(
    clock: Callable[[], datetime] | None,
    ssl_context: ssl.SSLContext | None,
    smtp_ssl_context: ssl.SSLContext | None,
) -> list[tuple[str, object, str]]:
    """On the worker thread: check each due mailbox; (name, result or error, sentence)."""
    from editor.contacts.store import ContactStore
    from editor.inbox.check import last_checks
    from editor.inbox.mailboxes import MailboxBook, MailboxError

    now = clock() if clock is not None else datetime.now(UTC)
    try:
        boxes = [m for m in MailboxBook().list() if m.check_every > 0]
    except MailboxError:
        return []
    if not boxes:
        return []
    results: list[tuple[str, object, str]] = []
    with ContactStore() as store:
        previous = last_checks(store)
        for mailbox in boxes:
            last = previous.get(mailbox.name)
            if last is not None:
                at = datetime.fromisoformat(last.at)
                if now < at + timedelta(minutes=mailbox.check_every):
                    continue
            try:
                result = run_check(
                    store,
                    mailbox,
                    ssl_context=ssl_context,
                    smtp_ssl_context=smtp_ssl_context,
                    now=clock() if clock is not None else None,
                )
            except Exception as error:
                already_failing = last is not None and last.outcome == "failed"
                busy = isinstance(error, _MailboxFailure) and "checked already" in str(error)
                text = (
                    ""
                    if already_failing or busy
                    else _('Checking the mailbox "{name}" failed: {error}').format(
                        name=mailbox.name, error=describe_error(error)
                    )
                )
                results.append((mailbox.name, error, text))
                continue
            results.append((mailbox.name, result, _news(mailbox.name, result)))
    return results


def _news(name: str, result: CheckResult) -> str:
    """One sentence when the check found something worth saying, else ''."""
    if not result.noteworthy:
        return ""
    tally = result.sync.tally
    parts: list[str] = []
    if tally.changed:
        parts.append(
            ngettext("{n} contact changed", "{n} contacts changed", len(tally.changed)).format(
                n=len(tally.changed)
            )
        )
    sent = len(result.confirmations.sent)
    if sent:
        parts.append(
            ngettext(
                "{n} subscription confirmation sent", "{n} subscription confirmations sent", sent
            ).format(n=sent)
        )
    if tally.unrecognised:
        parts.append(
            ngettext("{n} message to review", "{n} messages to review", tally.unrecognised).format(
                n=tally.unrecognised
            )
        )
    if not parts:
        return ""
    return _('Mailbox "{name}" checked: {news}.').format(name=name, news=", ".join(parts))


def import_dialog(
    parent: QWidget | None, path: Path, mailbox: str | None = None
) -> InboxSyncDialog:
    """A dialog that processes every message of an mbox file or maildir folder (not started).
    ``mailbox``: the name of the mailbox the file was exported from; its subscription settings
    apply and the confirmations go through its sending account, as ``inbox import --mailbox``."""
    notes: list[str] = []

    def work(
        progress: Callable[[int, int], None], cancelled: Callable[[], bool]
    ) -> tuple[Tally, bool]:
        from editor.contacts.store import ContactStore
        from editor.inbox import mailboxes
        from editor.inbox.check import import_file

        source = mailboxes.MailboxBook().get(mailbox) if mailbox else None
        with ContactStore() as store:
            result, report = import_file(
                store, path, source, progress=progress, cancelled=cancelled
            )
        lines = report.lines() if report is not None else []
        if lines:
            notes.append("\n" + "\n".join(lines))
        return result.tally, result.cancelled

    dialog = InboxSyncDialog(
        parent,
        _("Import a mailbox file"),
        _("Reading the messages of {name}…").format(name=path.name),
        work,
    )
    dialog.notes = notes
    return dialog
