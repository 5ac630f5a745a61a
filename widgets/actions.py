"""The window's actions in one place: text, shortcut and tooltip, nothing else.

The window decides what they do; menus (and later toolbars) are built from them, so a new
feature adds one action here and one connection in the window.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from editor.i18n import _

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class Actions:
    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    quit: QAction
    contacts: QAction
    about: QAction


def _action(parent: QWidget, text: str, key: Key | None = None, fallback: str = "") -> QAction:
    action = QAction(text, parent)
    if key is not None:
        shortcuts = QKeySequence.keyBindings(key) or [QKeySequence(fallback)]
        action.setShortcuts(shortcuts)
    return action


def _shortcut(action: QAction, keys: str) -> QAction:
    action.setShortcut(QKeySequence(keys))
    return action


def create_actions(parent: QWidget) -> Actions:
    """The actions of one main window, owned by ``parent``."""
    return Actions(
        new=_action(
            parent,
            _("&New from Template…"),
            Key.New,
            "Ctrl+N",
        ),
        open=_action(parent, _("&Open…"), Key.Open, "Ctrl+O"),
        save=_action(parent, _("&Save"), Key.Save, "Ctrl+S"),
        save_as=_action(parent, _("Save &As…"), Key.SaveAs, "Ctrl+Shift+S"),
        quit=_action(parent, _("&Quit"), Key.Quit, "Ctrl+Q"),
        contacts=_shortcut(_action(parent, _("&Contacts…")), "Ctrl+Shift+C"),
        about=_action(parent, _("&About Bulletin")),
    )
