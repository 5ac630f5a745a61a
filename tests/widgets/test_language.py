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


class Texts(list[str]):
    """The texts of a screen, each also known with the widget showing it (``where``), so a
    failure names the widget rather than only the words."""

    def __init__(self) -> None:
        super().__init__()
        self.where: dict[str, list[str]] = {}

    def add(self, text: str, origin: object) -> None:
        text = text.replace("&", "")
        if text and text not in OWN_NAMES:
            self.append(text)
            name = origin.objectName() if isinstance(origin, QWidget | QAction) else ""
            self.where.setdefault(text, []).append(f"{type(origin).__name__}#{name}")

    def explain(self, pattern: re.Pattern[str]) -> str:
        """The offending texts with their widgets, and whether Qt's own French was installed."""
        bad = {text: self.where.get(text, []) for text in self if pattern.search(text)}
        cancel = QCoreApplication.translate("QPlatformTheme", "Cancel")
        return f"{bad} (Qt's « Cancel » translates to {cancel!r} now)"


def visible_texts(root: QWidget, into: Texts | None = None) -> Texts:
    """Every text a user can read in ``root``: titles, labels, buttons, fields, menus, tips."""
    found = Texts() if into is None else into
    found.add(root.windowTitle(), root)
    for widget in [root, *root.findChildren(QWidget)]:
        for getter in ("text", "title", "placeholderText", "toolTip", "windowTitle"):
            method = getattr(widget, getter, None)
            if callable(method):
                try:
                    value = method()
                except TypeError:  # a text(index) kind of method
                    continue
                if isinstance(value, str):
                    found.add(value, widget)
    for action in root.findChildren(QAction):
        found.add(action.text(), action)
        found.add(action.toolTip(), action)
    return found


def screens(qtbot: QtBot, lang: str) -> Texts:
    """The start dialog, the main window (menus included) and the contacts window in ``lang``."""
    set_language(lang)
    install_qt_translations(QCoreApplication.instance(), lang)  # type: ignore[arg-type]
    dialog = StartDialog()
    window = MainWindow()
    qtbot.addWidget(dialog)
    qtbot.addWidget(window)
    contacts = window.show_contacts()
    assert contacts is not None
    texts = Texts()
    for root in (dialog, window, contacts):
        visible_texts(root, texts)
    assert len(texts) > 50
    return texts


def test_an_english_screen_has_no_french(qtbot: QtBot) -> None:
    texts = screens(qtbot, "en")
    assert [text for text in texts if FRENCH.search(text)] == [], texts.explain(FRENCH)
    assert sum(bool(ENGLISH.search(text)) for text in texts) > 20  # the check has teeth
    assert "Cancel" in texts  # Qt's own button, untranslated in English


def test_a_french_screen_has_no_english(qtbot: QtBot) -> None:
    texts = screens(qtbot, "fr")
    assert [text for text in texts if ENGLISH.search(text)] == [], texts.explain(ENGLISH)
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
