"""Autosave and crash recovery: the copy after the interval, a simulated crash, Recover and
Discard, and no leftover after a save or a clean close."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from editor import package
from editor.commands import SetDocumentField
from editor.document import to_json
from editor.settings import load_preferences, save_preferences
from tests.widgets.conftest import sample_file
from widgets import app
from widgets.autosave import RecoveryDialog, autosave_folder, leftovers
from widgets.documents import OpenDocument
from widgets.main_window import MainWindow

pytestmark = pytest.mark.gui

TIMEOUT_MS = 15_000


@pytest.fixture(autouse=True)
def discard_at_teardown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda *a: QMessageBox.StandardButton.Discard)
    )


def edited_window(qtbot: QtBot, path: Path | None = None, subject: str = "Sauvé ?") -> MainWindow:
    window = MainWindow(OpenDocument(sample_file(), path=path))
    window.show()
    assert window.session is not None
    assert window.session.push(SetDocumentField("subject", subject))
    return window


def crash(window: MainWindow) -> None:
    """The window vanishes without closing, as when the process dies."""
    window.autosaver.wait()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_autosave_after_the_interval_from_the_preferences(qtbot: QtBot) -> None:
    prefs = load_preferences()
    prefs.autosave_seconds = 5
    save_preferences(prefs)
    window = edited_window(qtbot)
    assert window.autosaver.timer.interval() == 5000
    window.autosaver.set_interval(1)  # not to wait 5 s here
    with qtbot.waitSignal(window.autosaver.saved, timeout=TIMEOUT_MS) as blocker:
        pass
    saved = Path(blocker.args[0])
    assert saved.parent == autosave_folder()
    assert package.load(saved).newsletter.subject == "Sauvé ?"
    # Nothing changed since: the next tick writes nothing.
    assert not window.autosaver.autosave_now()
    window.close()


def test_unmodified_documents_are_not_autosaved(qtbot: QtBot) -> None:
    window = MainWindow(OpenDocument(sample_file()))
    qtbot.addWidget(window)
    assert not window.autosaver.autosave_now()
    assert leftovers() == []


def test_crash_then_recover_gives_the_edited_document(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = edited_window(qtbot, subject="Après la panne")
    edited = to_json(window.session.document)  # type: ignore[union-attr]
    with qtbot.waitSignal(window.autosaver.saved, timeout=TIMEOUT_MS):
        assert window.autosaver.autosave_now()
    assert leftovers() == []  # the window is open: nothing to recover yet
    crash(window)

    [leftover] = leftovers()
    assert leftover.path is None and leftover.name == "Untitled"

    def recover(dialog: RecoveryDialog) -> int:
        assert dialog.list.count() == 1
        dialog.recover_button.click()
        return int(dialog.result())

    monkeypatch.setattr(RecoveryDialog, "exec", recover)
    [recovered] = app.recover_leftovers()
    qtbot.addWidget(recovered)
    assert recovered.session is not None
    assert to_json(recovered.session.document) == edited
    assert recovered.isWindowModified()  # recovered work is unsaved work
    assert leftovers() == []  # held by the new window
    recovered.close()  # Discard (the prompt's answer here): the copy goes
    assert not any(autosave_folder().iterdir())


def test_crash_then_discard_removes_the_copy(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "lettre.bulletin"
    package.save(sample_file(), path)
    window = MainWindow()
    assert window.open_file(path)
    window.session.push(SetDocumentField("subject", "Perdu"))  # type: ignore[union-attr]
    with qtbot.waitSignal(window.autosaver.saved, timeout=TIMEOUT_MS):
        window.autosaver.autosave_now()
    crash(window)
    [leftover] = leftovers()
    assert leftover.path == path

    def discard(dialog: RecoveryDialog) -> int:
        dialog.discard_button.click()
        return int(dialog.result())

    monkeypatch.setattr(RecoveryDialog, "exec", discard)
    assert app.recover_leftovers() == []
    assert leftovers() == []
    assert not package.autosave_path(path).exists()
    assert package.load(path).newsletter.subject == sample_file().newsletter.subject


def test_save_and_clean_close_leave_no_copy(qtbot: QtBot, tmp_path: Path) -> None:
    window = edited_window(qtbot)
    with qtbot.waitSignal(window.autosaver.saved, timeout=TIMEOUT_MS) as blocker:
        window.autosaver.autosave_now()
    untitled_copy = Path(blocker.args[0])
    assert untitled_copy.exists()
    target = tmp_path / "enregistré.bulletin"
    assert window.save_as(target)
    assert not untitled_copy.exists()
    window.session.push(SetDocumentField("subject", "Encore"))  # type: ignore[union-attr]
    with qtbot.waitSignal(window.autosaver.saved, timeout=TIMEOUT_MS):
        window.autosaver.autosave_now()
    assert package.autosave_path(target).exists()
    assert window.close()  # Discard
    assert not package.autosave_path(target).exists()
    assert leftovers() == []


def test_a_copy_older_than_its_file_is_not_offered(qtbot: QtBot, tmp_path: Path) -> None:
    import os

    path = tmp_path / "lettre.bulletin"
    package.save(sample_file(), path)
    window = MainWindow()
    assert window.open_file(path)
    window.session.push(SetDocumentField("subject", "Vieux"))  # type: ignore[union-attr]
    with qtbot.waitSignal(window.autosaver.saved, timeout=TIMEOUT_MS):
        window.autosaver.autosave_now()
    crash(window)
    later = package.autosave_path(path).stat().st_mtime + 10
    os.utime(path, (later, later))  # saved by someone after the copy was made
    assert leftovers() == []
    assert not package.autosave_path(path).exists()


@pytest.mark.parametrize("take_copy", [True, False])
def test_opening_a_file_with_a_newer_crash_copy_offers_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, take_copy: bool
) -> None:
    path = tmp_path / "lettre.bulletin"
    package.save(sample_file(), path)
    window = MainWindow()
    assert window.open_file(path)
    window.session.push(SetDocumentField("subject", "Copie"))  # type: ignore[union-attr]
    with qtbot.waitSignal(window.autosaver.saved, timeout=TIMEOUT_MS):
        window.autosaver.autosave_now()
    crash(window)  # then, at start, the user chose « Decide later »

    asked: list[str] = []

    def question(parent: object, title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes if take_copy else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.open_file(path)
    assert len(asked) == 1 and '"lettre"' in asked[0]
    assert again.session is not None
    subject = again.session.document.subject
    assert subject == ("Copie" if take_copy else sample_file().newsletter.subject)
    assert again.isWindowModified() == take_copy
