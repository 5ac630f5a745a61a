"""The merge fields the text editor offers, read from the contacts store off the UI thread.

The merge-tag menu lists first name, last name, email and every custom field a contact of the
store has (« Société », « Ville »…), through :func:`editor.merge_fields.store_fields`. The store
is a SQLite file that may be large or busy (an import running in the contacts window), so it is
opened on the thread pool, read once and closed there (one connection per thread). A profile
without a contacts database yet is not created by asking: the built-in fields are offered.

The fields change when contacts are imported or edited, which happens in the contacts window:
the list is read again whenever the user comes back to a composer window (another window of the
app, or another program, had the focus), which covers closing the contacts window.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication, QWindow

from editor.contacts.store import DB_NAME, ContactStore
from editor.merge_fields import builtin_fields, store_fields
from editor.settings import data_dir
from widgets.background import BackgroundTask

log = logging.getLogger(__name__)


def read_store_fields(path: Path) -> list[tuple[str, str]]:
    """Runs on the thread pool: the merge fields of the store at ``path`` (built-ins alone when
    there is no store there)."""
    if not path.is_file():
        return builtin_fields()
    with ContactStore(path) as store:
        return store_fields(store)


class MergeFieldSource(QObject):
    """Keeps the merge-field list of the contacts store at hand for one composer window.

    Signals:
        fields_changed(list): the fields read, as ``(field, label)`` pairs (only when they
            differ from the last ones).
    """

    fields_changed = Signal(list)

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.fields = builtin_fields()
        self._task: BackgroundTask | None = None
        self._again = False
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self._focus_window_changed)
            app.applicationStateChanged.connect(self._state_changed)

    def store_path(self) -> Path:
        return self.path if self.path is not None else data_dir() / DB_NAME

    def refresh(self) -> None:
        """Read the store again in the background (once more after a read under way)."""
        if self._task is not None:
            self._again = True
            return
        path = self.store_path()
        if not path.is_file():  # a stat, not a read: fine on the UI thread
            self._update(builtin_fields())
            return
        task = BackgroundTask(lambda: read_store_fields(path))
        task.succeeded.connect(self._read)
        task.failed.connect(self._failed)
        task.finished.connect(self._finished)
        self._task = task
        task.start()

    def is_busy(self) -> bool:
        return self._task is not None

    def _read(self, fields: Any) -> None:
        self._update(list(fields))

    def _failed(self, error: BaseException) -> None:
        # A locked or damaged store: the menu keeps what it had; the contacts window says why.
        log.debug("merge fields not read: %r", error)

    def _finished(self) -> None:
        self._task = None
        if self._again:
            self._again = False
            self.refresh()

    def _update(self, fields: list[tuple[str, str]]) -> None:
        if fields != self.fields:
            self.fields = fields
            self.fields_changed.emit(fields)

    def _focus_window_changed(self, window: QWindow | None) -> None:
        parent = self.parent()
        if window is None or not isinstance(parent, QObject):
            return
        top = getattr(parent, "window", None)
        own = top() if callable(top) else None
        if own is not None and own.windowHandle() is window:
            self.refresh()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.refresh()
