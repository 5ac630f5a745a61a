"""The preferences dialog: saved through editor.settings, applied to the open window, and the
language changed the same way as the Language menu does."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from editor.settings import load_preferences
from tests.widgets.conftest import sample_file
from widgets.documents import OpenDocument
from widgets.main_window import MainWindow

pytestmark = pytest.mark.gui


def new_window(qtbot: QtBot, document: OpenDocument | None = None) -> MainWindow:
    window = MainWindow(document)
    qtbot.addWidget(window)
    return window


def test_preferences_dialog_saves_and_applies_the_autosave_interval(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from widgets.preferences import PreferencesDialog

    def choose(dialog: PreferencesDialog) -> int:
        dialog.autosave.setValue(7)
        dialog.remote_images.setChecked(True)
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(PreferencesDialog, "exec", choose)
    window = new_window(qtbot, OpenDocument(sample_file()))
    assert window.window_actions.preferences.menuRole().name == "PreferencesRole"
    window.window_actions.preferences.trigger()
    prefs = load_preferences()
    assert (prefs.autosave_seconds, prefs.remote_images) == (7, True)
    assert window.autosaver.timer.interval() == 7000


def test_preferences_dialog_changes_the_language_like_the_menu(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from editor.i18n import language, set_language
    from widgets.preferences import PreferencesDialog

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, t, text: told.append(text))
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.accept()
    try:
        assert load_preferences().language == "fr" and language() == "fr"
        assert len(told) == 1
    finally:
        set_language(None)


def test_cancel_changes_nothing(qtbot: QtBot) -> None:
    from widgets.preferences import PreferencesDialog

    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    assert dialog.autosave.value() == 30 and not dialog.remote_images.isChecked()
    dialog.autosave.setValue(9)
    dialog.reject()
    assert load_preferences().autosave_seconds == 30
    assert dialog.autosave.accessibleName() and dialog.autosave.toolTip()
