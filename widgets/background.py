"""Short jobs (preparing an image, fetching a feed) on Qt's thread pool, results on the UI thread.

A :class:`BackgroundTask` runs one plain function on :class:`QThreadPool`'s global pool and
reports through signals that Qt delivers on the UI thread. The task keeps itself alive until
its ``finished`` signal has been handled there, so the widget that started it may go away
meanwhile (the inspector replaces its panel when the selection changes): the receiver's
connections die with it and the result is dropped, never delivered to a deleted widget.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Runnable(QRunnable):
    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task._run()


class BackgroundTask(QObject):
    """One function run off the UI thread.

    Signals (delivered on the UI thread):
        succeeded(object): what the function returned.
        failed(object): the exception it raised (the caller decides what to say).
        finished(): after either.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    _running: ClassVar[set[BackgroundTask]] = set()

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()  # no parent: it must outlive whoever started it
        self._work = work
        self._done = threading.Event()
        self.finished.connect(self._forget)

    def start(self) -> None:
        BackgroundTask._running.add(self)
        QThreadPool.globalInstance().start(_Runnable(self))

    def is_done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the function has returned (True) or ``timeout`` seconds passed."""
        return self._done.wait(timeout)

    def _run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # reported, never raised into Qt's thread pool
            log.debug("background task failed", exc_info=True)
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
        finally:
            self._done.set()
            self.finished.emit()

    def _forget(self) -> None:
        BackgroundTask._running.discard(self)

    @classmethod
    def running(cls) -> int:
        """How many tasks have not yet had their ``finished`` handled (tests wait on it)."""
        return len(cls._running)
