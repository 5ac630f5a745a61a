"""The UI language on screen: the Language menu, the start-up choice, Qt's own strings, and
windows that speak one language only."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from editor.i18n import language, set_language
from editor.settings import Preferences, load_preferences, save_preferences
from widgets import app
from widgets.language_menu import LANGUAGE_NAMES, install_qt_translations
from widgets.main_window import MainWindow
from widgets.start_dialog import StartDialog

pytestmark = pytest.mark.gui

# Words that can only be one language, as whole words (mnemonic "&" removed first).
FRENCH = re.compile(
    r"[éèêàùçôî]|\b(Fichier|Ouvrir|Enregistrer|Quitter|Aide|Annuler|Fermer|Nouvelle|Nouveau|"
    r"Créer|Modifier|Supprimer|liste|lettre|des|les|une|pour|depuis|Aucun)\b",
    re.IGNORECASE,
)
ENGLISH = re.compile(
    r"\b(File|Open|Save|Quit|Help|Cancel|Close|New|Create|Edit|Delete|list|the|and|from|for|"
    r"with|Template|Warnings|Language)\b",
    re.IGNORECASE,
)
OWN_NAMES = {name for _code, name in LANGUAGE_NAMES}  # each language named in itself, on purpose


@pytest.fixture(autouse=True)
def back_to_english(qapp: QApplication) -> Iterator[None]:
    yield
    set_language(None)
    install_qt_translations(qapp, "en")


def visible_texts(root: QWidget) -> list[str]:
    """Every text a user can read in ``root``: titles, labels, buttons, fields, menus, tips."""
    found = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        for getter in ("text", "title", "placeholderText", "toolTip", "windowTitle"):
            method = getattr(widget, getter, None)
            if callable(method):
                try:
                    value = method()
                except TypeError:  # a text(index) kind of method
                    continue
                if isinstance(value, str):
                    found.append(value)
    for action in root.findChildren(QAction):
        found += [action.text(), action.toolTip()]
    return [text.replace("&", "") for text in found if text and text not in OWN_NAMES]


def screens(qtbot: QtBot, lang: str) -> list[str]:
    """The start dialog, the main window (menus included) and the contacts window in ``lang``."""
    set_language(lang)
    install_qt_translations(QCoreApplication.instance(), lang)  # type: ignore[arg-type]
    dialog = StartDialog()
    window = MainWindow()
    qtbot.addWidget(dialog)
    qtbot.addWidget(window)
    contacts = window.show_contacts()
    texts = visible_texts(dialog) + visible_texts(window) + visible_texts(contacts)
    assert len(texts) > 50
    return texts


def test_an_english_screen_has_no_french(qtbot: QtBot) -> None:
    texts = screens(qtbot, "en")
    assert [text for text in texts if FRENCH.search(text)] == []
    assert sum(bool(ENGLISH.search(text)) for text in texts) > 20  # the check has teeth
    assert "Cancel" in texts  # Qt's own button, untranslated in English


def test_a_french_screen_has_no_english(qtbot: QtBot) -> None:
    texts = screens(qtbot, "fr")
    assert [text for text in texts if ENGLISH.search(text)] == []
    assert sum(bool(FRENCH.search(text)) for text in texts) > 20
    assert "Annuler" in texts  # Qt's own button, from qtbase_fr


def test_the_language_menu_saves_switches_and_says_when_it_shows(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    [menu] = [m for m in window.findChildren(QMenu) if m.objectName() == "languageMenu"]
    assert menu.title() == "&Language"
    actions = [a for a in menu.actions() if not a.isSeparator()]
    assert [a.text() for a in actions] == ["Follow the system", "Français", "English"]
    assert [a.isChecked() for a in actions] == [True, False, False]

    actions[1].trigger()
    assert load_preferences().language == "fr"
    assert language() == "fr"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    assert told == ["La nouvelle langue s’applique aux fenêtres ouvertes à partir de maintenant."]
    assert [a.isChecked() for a in actions] == [False, True, False]

    actions[0].trigger()  # follow the system again: BULLETIN_LANG=en here
    assert load_preferences().language is None
    assert language() == "en"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"


def test_a_new_window_checks_the_saved_choice(qtbot: QtBot) -> None:
    save_preferences(Preferences(language="en"))
    window = MainWindow()
    qtbot.addWidget(window)
    [menu] = [m for m in window.findChildren(QMenu) if m.objectName() == "languageMenu"]
    checked = [a.text() for a in menu.actions() if a.isChecked()]
    assert checked == ["English"]


def test_the_saved_language_is_used_at_start_unless_bulletin_lang_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    save_preferences(Preferences(language="fr"))
    assert app.start_language() == "en"  # BULLETIN_LANG=en (conftest) wins
    monkeypatch.delenv("BULLETIN_LANG")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert app.start_language() == "fr"
    assert language() == "fr"
