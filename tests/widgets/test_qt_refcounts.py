"""The Qt binding must not leak or drop references to None/True/False.

PySide6 6.12.0 dropped one reference to None on every call returning nothing and one to True on
every signal emission; on Python 3.11 (where these objects are not immortal) the app aborted
with "deallocating None" after a few thousand edits. pyproject.toml excludes that release; this
test fails if a release with the same fault comes back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

CALLS = 2000


class _Emitter(QObject):
    fired = Signal(bool)


def test_calls_returning_nothing_keep_none_alive(qapp: QApplication) -> None:
    action = QAction()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        action.setText("x")
    assert sys.getrefcount(None) >= before - 10


def test_emitting_true_keeps_true_alive(qapp: QApplication) -> None:
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(CALLS):
        emitter.fired.emit(True)
    assert sys.getrefcount(True) >= before - 10
