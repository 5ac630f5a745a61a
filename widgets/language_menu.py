"""The « Language » menu: follow the system, or French, or English, remembered across runs.

Choosing saves the preference (``editor.settings``) and switches the language at once
(``editor.i18n.set_language``, which also re-installs Qt's own translations through the app's
listener). Windows already open keep their wording; the ones opened afterwards use the new one:
the user is told so, rather than half the window changing.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from editor.i18n import _, set_language
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
    QMessageBox.information(
        parent,
        _("Language"),
        _("The new language applies to the windows opened from now on."),
    )
    return now
