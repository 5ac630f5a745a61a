"""Starting the desktop app: the QApplication, Qt's own translations, the start dialog.

QtWebEngine must be loaded before the QApplication exists (it shares OpenGL contexts with the
widgets), hence the module-level import below.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from PySide6 import QtWebEngineWidgets  # noqa: F401 (must be imported before the QApplication)
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from editor.i18n import _, detect_language, set_language
from editor.settings import load_preferences
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


def run_app(argv: Sequence[str] | None = None) -> int:
    """Show the start dialog, then the main window; return the exit status."""
    problem = no_display_message()
    if problem:
        sys.stderr.write(f"bulletin: {problem}\n")
        return 2
    app = application(sys.argv if argv is None else argv)
    dialog = StartDialog()
    if dialog.exec() != StartDialog.DialogCode.Accepted or dialog.document is None:
        return 0
    window = MainWindow()
    window.set_document(dialog.document)  # on failure: the error, then an empty window
    window.resize(window.sizeHint().boundedTo(window.screen().availableSize()))
    window.show()
    return app.exec()
