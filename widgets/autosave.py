"""Autosave and crash recovery for the composer, over :mod:`editor.package`'s autosave files.

Each open document has a *key*, the path its autosave is named after
(:func:`~editor.package.autosave_path`): its file, or for a document never saved a made-up
``untitled-<random>.bulletin`` path in the autosave folder, so two untitled documents never
share an autosave. Beside each autosave a small JSON sidecar says what it belongs to (the
document's path or none, its name, the process that wrote it), because the autosave's name
only carries a hash of the path.

A clean close or a save removes both files; whatever is left at the next start is a crash's
leftover, offered for recovery. Autosaves of documents open in another running Bulletin (a
second process started by a double-click on a file) or in this process are not offered.

The copy is written on a thread pool from a snapshot taken on the UI thread (the document's JSON
form and its images), so a big document never freezes the window while it is zipped.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor import package
from editor.atomic import write_text_atomic
from editor.document import from_json, to_json
from editor.i18n import _
from editor.package import BulletinFile
from editor.settings import data_dir, load_preferences
from widgets.session import EditSession

_log = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".json"
_HELD: dict[str, int] = {}
"""Keys of the documents open in this process (key → how many autosavers hold it)."""


def autosave_folder() -> Path:
    return data_dir() / "autosave"


def untitled_key() -> Path:
    """A key for a document never saved: a path that will never exist, unique to it."""
    return autosave_folder() / f"untitled-{secrets.token_hex(6)}{package.SUFFIX}"


def sidecar_path(key: Path) -> Path:
    auto = package.autosave_path(key)
    return auto.with_name(auto.name + SIDECAR_SUFFIX)


def _hold(key: Path) -> None:
    _HELD[str(key)] = _HELD.get(str(key), 0) + 1


def _release(key: str) -> None:
    count = _HELD.get(key, 0) - 1
    if count > 0:
        _HELD[key] = count
    else:
        _HELD.pop(key, None)


def _process_alive(pid: int) -> bool:
    """Whether another process ``pid`` still runs (POSIX; elsewhere assume it crashed)."""
    if pid == os.getpid() or pid <= 0 or os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, run by someone else
        return True
    return True


# ------------------------------------------------------------------------------- writing


class _Signals(QObject):
    done = Signal(int, str)  # generation, error ("" when written)


class _Write(QRunnable):
    def __init__(
        self, snapshot: BulletinFile, key: Path, sidecar: Mapping[str, object], generation: int
    ) -> None:
        super().__init__()
        self.snapshot, self.key, self.sidecar, self.generation = snapshot, key, sidecar, generation
        self.signals = _Signals()

    def run(self) -> None:
        try:
            package.autosave(self.snapshot, self.key)
            text = json.dumps(self.sidecar, ensure_ascii=False, indent=2) + "\n"
            write_text_atomic(sidecar_path(self.key), text)
        except (OSError, package.PackageError) as exc:
            self.signals.done.emit(self.generation, str(exc))
            return
        except Exception as exc:  # a bug: logged; autosave must never take the app down
            _log.error("autosave failed", exc_info=exc)
            self.signals.done.emit(self.generation, type(exc).__name__)
            return
        self.signals.done.emit(self.generation, "")


class Autosaver(QObject):
    """Copies one window's document to the data folder every few seconds while it is modified.

    Signals:
        saved(str): an autosave was written (its path).
        failed(str): an autosave could not be written (why, for the status bar).
    """

    saved = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one write at a time, in order
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.autosave_now)
        self.set_interval(load_preferences().autosave_seconds)
        self._session: EditSession | None = None
        self._key: Path | None = None
        self._path: Path | None = None
        self._name = ""
        self._dirty = False
        self._generation = 0
        self._writing: set[int] = set()
        self._tasks: list[_Write] = []
        # A window that vanishes without closing (a crash, in tests) lets go of its key.
        held = self._held = [""]
        self.destroyed.connect(lambda *_: _release(held[0]) if held[0] else None)

    @property
    def key(self) -> Path | None:
        return self._key

    def set_interval(self, seconds: int) -> None:
        self.timer.start(max(1, seconds) * 1000)

    def watch(
        self, session: EditSession | None, path: Path | None, name: str, key: Path | None = None
    ) -> None:
        """Autosave ``session`` (None: nothing) under ``path``'s key, or a new untitled key."""
        if self._session is not None:
            self._session.changed.disconnect(self._changed)
        self._set_key(None)
        self._session, self._path, self._name = session, path, name
        self._dirty = False
        if session is not None:
            session.changed.connect(self._changed)
            self._set_key(key or path or untitled_key())

    def rename(self, path: Path, name: str) -> None:
        """The document was saved as ``path``: the old autosave goes, the new key is the path."""
        self.discard()
        self._path, self._name = path, name
        self._set_key(path)

    def mark_dirty(self) -> None:
        """Autosave at the next tick even if nothing changes (a recovered document)."""
        self._dirty = True

    def autosave_now(self) -> bool:
        """Start writing a copy if the document changed since the last one; True if started."""
        session, key = self._session, self._key
        if session is None or key is None or not self._dirty or not session.modified:
            return False
        snapshot = BulletinFile(from_json(to_json(session.document)), dict(session.file.images))
        sidecar = {
            "path": str(self._path) if self._path else None,
            "key": str(key),
            "name": self._name,
            "pid": os.getpid(),
            "time": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        self._dirty = False
        task = _Write(snapshot, key, sidecar, self._generation)
        task.signals.done.connect(self._written, Qt.ConnectionType.QueuedConnection)
        self._tasks.append(task)  # keep its signals alive until it reports
        self._writing.add(self._generation)
        self.pool.start(task)
        return True

    def discard(self) -> None:
        """Remove the autosave (after a save or a clean close); a write under way is undone."""
        if self._key is None:
            return
        self._generation += 1
        self.pool.waitForDone()
        remove_autosave(self._key)

    def wait(self, msecs: int = 30_000) -> bool:
        return self.pool.waitForDone(msecs)

    def _changed(self) -> None:
        self._dirty = True

    def _set_key(self, key: Path | None) -> None:
        if self._key is not None:
            _release(str(self._key))
        self._key = key
        self._held[0] = str(key) if key is not None else ""
        if key is not None:
            _hold(key)

    def _written(self, generation: int, error: str) -> None:
        self._tasks = [t for t in self._tasks if t.generation != generation]
        self._writing.discard(generation)
        if generation != self._generation:  # discarded meanwhile: a saved document needs none
            if self._key is not None:
                remove_autosave(self._key)
            return
        if error:
            self.failed.emit(error)
            self._dirty = True  # try again at the next tick
        elif self._key is not None:
            self.saved.emit(str(package.autosave_path(self._key)))


def remove_autosave(key: Path) -> None:
    package.discard_autosave(key)
    with suppress(OSError):
        sidecar_path(key).unlink()


# ------------------------------------------------------------------------------ recovery


@dataclass(frozen=True)
class Leftover:
    """An autosave left by a crash.

    Attributes:
        key: what the autosave is named after (the document's path, or an untitled key).
        path: the document's file, None for a document never saved.
        name: what the window called the document.
        time: when the copy was made, as written (ISO 8601).
    """

    key: Path
    path: Path | None
    name: str
    time: str

    def recover(self) -> BulletinFile:
        """The autosaved document (PackageError when the copy cannot be read)."""
        found = package.recover(self.key)
        if found is None:  # the file was saved after the copy: nothing newer to offer
            return (
                package.load(self.path)
                if self.path
                else package.load(package.autosave_path(self.key))
            )
        return found

    def discard(self) -> None:
        remove_autosave(self.key)


def leftovers() -> list[Leftover]:
    """Autosaves left by a crash, newest first; stale ones (the file is newer) are removed."""
    folder = autosave_folder()
    found: list[tuple[float, Leftover]] = []
    for sidecar in folder.glob(f"*.autosave{SIDECAR_SUFFIX}") if folder.is_dir() else []:
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
            key = Path(data["key"])
            path = Path(data["path"]) if data.get("path") else None
            name, when, pid = str(data.get("name", "")), str(data.get("time", "")), data.get("pid")
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if str(key) in _HELD or (isinstance(pid, int) and _process_alive(pid)):
            continue  # open right now, here or in another Bulletin
        auto = package.autosave_path(key)
        try:
            auto_time = auto.stat().st_mtime
        except OSError:
            with suppress(OSError):
                sidecar.unlink()  # the copy itself is gone
            continue
        if path is not None:
            with suppress(OSError):
                if path.stat().st_mtime >= auto_time:  # saved since: the copy is stale
                    remove_autosave(key)
                    continue
        found.append((auto_time, Leftover(key, path, name or key.stem, when)))
    return [leftover for _time, leftover in sorted(found, key=lambda x: -x[0])]


def leftover_for(path: Path) -> Leftover | None:
    """The crash copy of ``path`` newer than the file, if one is left (and not open)."""
    target = package.autosave_path(path)
    for leftover in leftovers():
        if package.autosave_path(leftover.key) == target:
            return leftover
    return None


class RecoveryDialog(QDialog):
    """Lists the documents a crash left unsaved; Recover or Discard the checked ones.

    Closing the dialog (Escape) decides nothing: the copies stay for the next start.

    Attributes:
        chosen: the leftovers to recover, once Recover was clicked.
    """

    def __init__(self, found: list[Leftover], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Recover unsaved work"))
        self.found = found
        self.chosen: list[Leftover] = []
        intro = QLabel(
            _(
                "Bulletin closed without saving these newsletters. Recover the copies made "
                "automatically, or discard them."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(_("Unsaved newsletters"))
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for leftover in found:
            where = str(leftover.path) if leftover.path else _("never saved")
            when = leftover.time.replace("T", " ")[:16]
            item = QListWidgetItem(
                _("{name} — copy of {time}").format(name=leftover.name, time=when) + "\n" + where
            )
            item.setToolTip(where)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        buttons = QDialogButtonBox()
        self.recover_button = buttons.addButton(
            _("&Recover"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.recover_button.setToolTip(_("Open the checked newsletters as they were"))
        self.discard_button = buttons.addButton(
            _("&Discard"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.discard_button.setToolTip(_("Delete the copies of the checked newsletters"))
        self.later_button = buttons.addButton(
            _("Decide &Later"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.later_button.setToolTip(_("Keep the copies and ask again at the next start"))
        self.recover_button.setDefault(True)
        self.recover_button.clicked.connect(self.recover_checked)
        self.discard_button.clicked.connect(self.discard_checked)
        self.later_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(620, 320)

    def checked(self) -> list[Leftover]:
        return [
            leftover
            for row, leftover in enumerate(self.found)
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def recover_checked(self) -> None:
        self.chosen = self.checked()
        self.accept()

    def discard_checked(self) -> None:
        for leftover in self.checked():
            leftover.discard()
        self.chosen = []
        self.accept()
