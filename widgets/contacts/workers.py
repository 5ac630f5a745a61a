"""Long contacts work (import, export, purge, changes to thousands of contacts) off the UI thread.

A :class:`Worker` runs one function on Qt's global thread pool and reports back through signals,
which Qt delivers on the UI thread. The function gets a :class:`JobContext`: its own
:class:`ContactStore` on the same file (an SQLite connection belongs to the thread that opened it;
WAL lets the UI keep reading while the job writes), a progress callback and a cancellation flag.

:func:`run_with_progress` wraps a worker in a progress dialog with a Cancel button, for work
started from the contacts window; the import wizard shows its own progress page instead.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from editor.contacts.db import StoreError
from editor.contacts.export import ExportError
from editor.contacts.importer import ImportRefused
from editor.contacts.readers import ImportFileError
from editor.contacts.store import ContactStore
from editor.i18n import _

log = logging.getLogger(__name__)

# Errors whose message is written for the user: shown as they are.
USER_ERRORS: tuple[type[BaseException], ...] = (
    ImportFileError,
    ImportRefused,
    StoreError,
    ExportError,
)


INTERRUPT_STEPS = 5_000  # SQLite instructions between two looks at the Cancel button (~1 %)


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it (see :meth:`JobContext.check`)."""


class JobContext:
    """What a job's function may use. Lives on the worker thread."""

    def __init__(self, path: Path, cancel: threading.Event, report: Callable[[float], None]):
        self.path = path
        self._cancel = cancel
        self._report = report
        self._stores: list[ContactStore] = []

    def store(
        self,
        factory: Callable[[Path], ContactStore] = ContactStore,
        *,
        interruptible: bool = True,
    ) -> ContactStore:
        """A store opened on this thread (closed when the job ends).

        ``interruptible``: Cancel interrupts the SQL statement running in a transaction
        (SQLite's progress handler, asked every :data:`INTERRUPT_STEPS` instructions), so a
        change to 100,000 contacts stops at once; its transaction is rolled back, nothing is
        half done. An import
        says False: it stops between its batches, and the handler would make its writer thread
        wait for the GIL.
        """
        store = factory(self.path)
        self._stores.append(store)
        if interruptible:
            conn, cancel = store.connection, self._cancel

            def interrupt() -> bool:
                # Only inside a transaction: what it did is then rolled back. Work after a
                # commit (a checkpoint after an erasure) must not report a cancel that came
                # too late to undo anything.
                return cancel.is_set() and conn.in_transaction

            conn.set_progress_handler(interrupt, INTERRUPT_STEPS)
        return store

    def progress(self, fraction: float) -> None:
        self._report(fraction)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def close(self) -> None:
        for store in self._stores:
            store.close()
        self._stores.clear()


Work = Callable[[JobContext], Any]


class _Runnable(QRunnable):
    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Worker holds it until the end
        self._worker = worker

    def run(self) -> None:
        self._worker._run()


class Worker(QObject):
    """One job on the thread pool.

    Signals (delivered on the UI thread):
        progressed(float): 0..1, as the job reports it.
        succeeded(object): the function's result.
        failed(str): a message for the user.
        cancelled(): the job stopped because :meth:`cancel` was called.
        finished(): after any of the three above.

    Keep a reference to the worker until ``finished``; before destroying what receives its
    signals, :meth:`cancel` and :meth:`wait`.
    """

    progressed = Signal(float)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()

    def __init__(self, store_path: Path, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = store_path
        self._work = work
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._started = False
        self._runnable = _Runnable(self)

    def start(self) -> None:
        self._started = True
        QThreadPool.globalInstance().start(self._runnable)

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelling(self) -> bool:
        return self._cancel.is_set()

    def is_running(self) -> bool:
        return self._started and not self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job has returned (True) or ``timeout`` seconds passed (False)."""
        return not self._started or self._done.wait(timeout)

    def _run(self) -> None:
        context = JobContext(self._path, self._cancel, self.progressed.emit)
        try:
            result = self._work(context)
        except Cancelled:
            self.cancelled.emit()
        except sqlite3.OperationalError as exc:
            if self._cancel.is_set() and "interrupt" in str(exc):
                self.cancelled.emit()  # the progress handler stopped SQLite: rolled back
            else:
                log.exception("contacts job failed")
                self.failed.emit(_("Database error: {exc}").format(exc=exc))
        except USER_ERRORS as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(
                _("File error: {error}").format(error=exc.strerror or exc)
                + (f" ({exc.filename})" if exc.filename else "")
            )
        except Exception as exc:  # a bug: the user gets a message, the log the traceback
            log.exception("contacts job failed")
            self.failed.emit(_("Unexpected error: {exc!r}").format(exc=exc))
        else:
            self.succeeded.emit(result)
        finally:
            context.close()
            self.finished.emit()
            self._done.set()


class JobTracker:
    """The workers a window started, so closing the window can stop and wait for them."""

    def __init__(self) -> None:
        self._workers: set[Worker] = set()

    def add(self, worker: Worker) -> None:
        self._workers.add(worker)
        worker.finished.connect(lambda: self._workers.discard(worker))

    def busy(self) -> bool:
        """True until every worker's ``finished`` has been handled on the UI thread (its
        results too: they are delivered before it)."""
        return bool(self._workers)

    def stop_all(self, timeout: float = 30.0) -> None:
        for worker in list(self._workers):
            worker.cancel()
        for worker in list(self._workers):
            worker.wait(timeout)


def run_with_progress(
    parent: QWidget,
    tracker: JobTracker,
    store_path: Path,
    label: str,
    work: Work,
    on_success: Callable[[Any], None],
    *,
    cancellable: bool = True,
    busy: bool = False,
    on_failure: Callable[[str], None] | None = None,
    on_cancel: Callable[[], None] | None = None,
) -> Worker:
    """Run ``work`` in the background behind a window-modal progress dialog.

    The dialog appears only if the work lasts more than half a second. ``busy``: the work
    cannot say how far it is (one SQL statement), the bar just moves. ``on_success`` gets the
    result on the UI thread; failures go to ``on_failure`` (default: a warning box).
    """
    from widgets.contacts import prompts

    dialog = QProgressDialog(label, _("Cancel"), 0, 1000, parent)
    dialog.setWindowTitle(_("Contacts"))
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(500)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    if not cancellable:
        dialog.setCancelButton(None)
    if busy or not cancellable:
        dialog.setRange(0, 0)  # busy indicator: this work cannot say how far it is
    worker = Worker(store_path, work, dialog)
    tracker.add(worker)

    def progressed(fraction: float) -> None:
        if dialog.maximum():
            dialog.setValue(max(0, min(1000, round(fraction * 1000))))

    def cancel() -> None:
        dialog.setLabelText(_("Cancelling…"))
        worker.cancel()

    def succeeded(result: Any) -> None:
        on_success(result)

    def failed(message: str) -> None:
        if on_failure is not None:
            on_failure(message)
        else:
            prompts.error(parent, _("Contacts"), message)

    def cancelled() -> None:
        if on_cancel is not None:
            on_cancel()

    def finished() -> None:
        dialog.canceled.disconnect(cancel)
        dialog.hide()
        dialog.deleteLater()

    worker.progressed.connect(progressed)
    worker.succeeded.connect(succeeded)
    worker.failed.connect(failed)
    worker.cancelled.connect(cancelled)
    worker.finished.connect(finished)
    dialog.canceled.connect(cancel)
    worker.start()
    return worker
