"""The periodic report sent by itself while the app is open: :class:`DueDigest`.

Kept by the Sending menu: a look every quarter of an hour (and once after start-up, with the
due campaigns) that sends the report when :func:`editor.digest.run_due` says it is due, on the
thread pool (the keychain may wait for an unlock prompt; the server takes time). The period is
claimed in the profile database first, so two windows, or cron's ``bulletin digest --if-due``,
never both send it. When the report is off, a look costs one small file read: no thread, no
database, and :mod:`editor.digest` is only imported then (not at start-up).
"""

from __future__ import annotations

import ssl
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from widgets.background import BackgroundTask

if TYPE_CHECKING:
    from editor.digest import SendOutcome
    from editor.sending.accounts import AccountBook

CHECK_MS = 15 * 60_000


class DueDigest(QObject):
    """Sends the periodic report when it is due, while the app runs (see the module doc).

    Signals:
        sent(object): the :class:`editor.digest.SendOutcome` of a report that went out.
        failed(str): why a due report could not be sent, in a sentence.
    """

    sent = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        book: AccountBook | None = None,
        interval_ms: int = CHECK_MS,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.ssl_context: ssl.SSLContext | None = None
        self.task: BackgroundTask | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self, now: datetime | None = None) -> BackgroundTask | None:
        """Send the report if due, on the thread pool; the task (None: off, or already busy)."""
        from editor.digest import load_settings, run_due

        if self.task is not None:
            return None
        settings = load_settings()
        if not settings.enabled:
            return None  # the common case costs one small file read, no thread, no database
        book, context = self.book, self.ssl_context

        def work() -> SendOutcome | None:
            from editor.contacts.store import ContactStore

            with ContactStore() as store:
                return run_due(store.db, now=now, settings=settings, book=book, ssl_context=context)

        task = BackgroundTask(work)
        task.succeeded.connect(self._done)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        self.task = task
        task.start()
        return task

    def _done(self, outcome: SendOutcome | None) -> None:
        if outcome is not None:
            self.sent.emit(outcome)

    def _failed(self, error: BaseException) -> None:
        self.failed.emit(str(error))

    def _finished(self) -> None:
        self.task = None
