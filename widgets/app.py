"""Starting the desktop app: the QApplication, Qt's own translations, what to show first.

First the documents a crash left unsaved (offered for recovery), then the file given on the
command line, else the gallery.

QtWebEngine must be loaded before the QApplication exists (it shares OpenGL contexts with the
widgets), hence the module-level import below.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6 import QtWebEngineWidgets  # noqa: F401 (must be imported before the QApplication)
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from editor.i18n import _, detect_language, set_language
from editor.settings import load_preferences
from widgets.autosave import RecoveryDialog, leftovers
from widgets.documents import OpenDocument, load_document, show_error
from widgets.language_menu import install_qt_translations
from widgets.main_window import APP_NAME, MainWindow
from widgets.start_dialog import StartDialog


def application(argv: Sequence[str]) -> QApplication:
    """The process's QApplication, created when there is none yet (tests bring their own)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication(list(argv))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    install_qt_translations(app, start_language())
    return app


def start_language() -> str:
    """Choose the UI language once, at start: ``BULLETIN_LANG``, else the saved preference,
    else the system's locale (French when unsure)."""
    return set_language(detect_language(load_preferences().language))


def no_display_message() -> str | None:
    """Why the app cannot open a window here (Linux without X11/Wayland), else None.

    Without this, Qt aborts with a terse "could not connect to display" and a core dump.
    """
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return _(
        "Bulletin finds no display (neither DISPLAY nor WAYLAND_DISPLAY): "
        "start it from a desktop session. Commands work without one: "
        "bulletin --help."
    )


def recover_leftovers() -> list[MainWindow]:
    """Offer the autosaves a crash left behind; a window per recovered document."""
    found = leftovers()
    if not found:
        return []
    dialog = RecoveryDialog(found)
    dialog.exec()
    windows = []
    for leftover in dialog.chosen:
        try:
            bf = leftover.recover()
        except ValueError as exc:  # PackageError: a copy that cannot be read
            show_error(None, _("Cannot recover the newsletter"), str(exc))
            continue
        window = MainWindow()
        window.set_document(OpenDocument(bf, path=leftover.path), recovered_from=leftover.key)
        windows.append(window)
    dialog.deleteLater()
    return windows


def first_windows(path: Path | None = None) -> list[MainWindow]:
    """The windows to show at start: recovered work, the given file, else the gallery's pick."""
    windows = recover_leftovers()
    if path is not None:
        document = load_document(None, path)
        if document is not None:
            window = MainWindow(document)
            from editor.recent import add_recent

            add_recent(path)
            windows.append(window)
    if windows:
        return windows
    dialog = StartDialog()
    if dialog.exec() != StartDialog.DialogCode.Accepted or dialog.document is None:
        return []
    window = MainWindow()
    window.set_document(dialog.document)  # on failure: the error, then an empty window
    return [window]


def run_app(argv: Sequence[str] | None = None, path: Path | None = None) -> int:
    """Show the first windows (see :func:`first_windows`); return the exit status."""
    problem = no_display_message()
    if problem:
        sys.stderr.write(f"bulletin: {problem}\n")
        return 2
    app = application(sys.argv if argv is None else argv)
    windows = first_windows(path)
    if not windows:
        return 0
    for window in windows:
        if not window.layout_restored:
            window.resize(window.sizeHint().boundedTo(window.screen().availableSize()))
        window.show()
    return app.exec()
