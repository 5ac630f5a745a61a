"""The « Language » menu: follow the system, or French, or English, remembered across runs.

Choosing saves the preference (``editor.settings``) and switches the language at once
(``editor.i18n.set_language``, and Qt's own ``qtbase`` translations with it). Windows already
open keep their wording; the ones opened afterwards use the new one: the user is told so,
rather than half the window changing.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from editor.i18n import _, language, set_language
from editor.settings import load_preferences, save_preferences

SYSTEM = ""
"""The menu entry's data for « follow the system » (None in the preferences)."""

# Each language is named in itself, so a user lost in the wrong one still finds theirs.
LANGUAGE_NAMES = (("fr", "Français"), ("en", "English"))


def language_menu(parent: QWidget) -> QMenu:
    """A menu of exclusive choices, the saved one checked."""
    menu = QMenu(_("&Language"), parent)
    menu.setObjectName("languageMenu")
    group = QActionGroup(menu)
    group.setExclusive(True)
    saved = load_preferences().language or SYSTEM
    choices = [(SYSTEM, _("Follow the system")), *LANGUAGE_NAMES]
    for code, label in choices:
        action = QAction(label, menu)
        action.setCheckable(True)
        action.setData(code)
        action.setChecked(code == saved)
        group.addAction(action)
        menu.addAction(action)
        if code == SYSTEM:
            menu.addSeparator()
    group.triggered.connect(lambda action: choose_language(action.data() or None, parent))
    return menu


def choose_language(code: str | None, parent: QWidget | None = None) -> str:
    """Save ``code`` (None: follow the system), switch to it, say when it shows; return the
    language now in use."""
    prefs = load_preferences()
    prefs.language = code
    save_preferences(prefs)
    now = set_language(code)
    app = QCoreApplication.instance()
    if app is not None:
        install_qt_translations(app, now)
    QMessageBox.information(
        parent,
        _("Language"),
        _("The new language applies to the windows opened from now on."),
    )
    return now


_qt_translators: list[QTranslator] = []


def install_qt_translations(app: QCoreApplication, lang: str | None = None) -> bool:
    """Qt's own strings (standard buttons, file dialogs) in the UI language, replacing the ones
    installed before; False when Qt has none for it (English, the source, needs none)."""
    while _qt_translators:
        app.removeTranslator(_qt_translators.pop())
    lang = lang or language()
    if lang == "en":
        return False
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(lang), "qtbase", "_", folder):
        return False
    app.installTranslator(translator)
    _qt_translators.append(translator)
    return True
