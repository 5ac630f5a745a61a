"""Starting the app: the start dialog decides whether a main window opens."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.widgets.conftest import sample_file
from widgets import app
from widgets.documents import OpenDocument
from widgets.main_window import MainWindow
from widgets.start_dialog import StartDialog

pytestmark = pytest.mark.gui


def test_cancelling_the_start_dialog_quits(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(StartDialog, "exec", lambda self: StartDialog.DialogCode.Rejected)
    assert app.run_app([]) == 0
    assert not any(isinstance(w, MainWindow) for w in qapp.topLevelWidgets() if w.isVisible())


def test_a_chosen_document_opens_in_a_main_window(
    qapp: QApplication, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def accept(self: StartDialog) -> StartDialog.DialogCode:
        self.document = OpenDocument(sample_file())
        return StartDialog.DialogCode.Accepted

    shown: list[MainWindow] = []

    def run_event_loop() -> int:
        shown.extend(
            w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        for window in shown:
            qtbot.addWidget(window)
        return 0

    monkeypatch.setattr(StartDialog, "exec", accept)
    monkeypatch.setattr(qapp, "exec", run_event_loop)
    assert app.run_app([]) == 0
    [window] = shown
    assert window.windowTitle() == "Untitled[*] — Bulletin"  # Qt hides "[*]" while unmodified
    assert not window.isWindowModified()
    assert window.outline.outline.rowCount() == 7


def test_the_app_object_is_reused(qapp: QApplication) -> None:
    assert app.application([]) is qapp


def test_no_display_gives_a_plain_message_instead_of_a_qt_abort() -> None:
    import os
    import subprocess
    import sys

    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "main"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if not sys.platform.startswith("linux"):
        return
    assert result.returncode == 2
    assert "display" in result.stderr.lower() and "Traceback" not in result.stderr
