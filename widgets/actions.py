"""The window's actions in one place: text, shortcut and tooltip, nothing else.

The window decides what they do; menus and the toolbar are built from them, so a new feature
adds one action here and one connection in the window. Undo and Redo come from the window's
:class:`~PySide6.QtGui.QUndoGroup`, so they follow whichever document's stack is active.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QIcon, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QWidget

from editor.i18n import _
from editor.settings import resources_dir

Key = QKeySequence.StandardKey


@dataclass(frozen=True)
class Actions:
    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    save_template: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    preferences: QAction
    show_compose: QAction
    show_preview: QAction
    send_test: QAction
    contacts: QAction
    about: QAction


def _action(
    parent: QWidget, text: str, key: Key | None = None, fallback: str = "", tip: str = ""
) -> QAction:
    action = QAction(text, parent)
    if key is not None:
        shortcuts = QKeySequence.keyBindings(key) or [QKeySequence(fallback)]
        action.setShortcuts(shortcuts)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    return action


def _shortcut(action: QAction, keys: str) -> QAction:
    action.setShortcut(QKeySequence(keys))
    return action


def _undo_redo(action: QAction, key: Key, fallbacks: list[str], icon: str, tip: str) -> QAction:
    shortcuts = QKeySequence.keyBindings(key) or [QKeySequence(k) for k in fallbacks]
    for extra in fallbacks:  # Ctrl+Y and Ctrl+Shift+Z both redo, whatever the platform says
        if QKeySequence(extra) not in shortcuts:
            shortcuts.append(QKeySequence(extra))
    action.setShortcuts(shortcuts)
    action.setIcon(QIcon(str(resources_dir() / "icons" / "actions" / f"{icon}.svg")))
    action.setToolTip(tip)
    return action


def create_actions(parent: QWidget, undo_group: QUndoGroup) -> Actions:
    """The actions of one main window, owned by ``parent``."""
    send_test = _action(
        parent,
        _("Send a &Test…"),
        tip=_("Send this newsletter to yourself, as recipients will get it"),
    )
    send_test.setIcon(QIcon(str(resources_dir() / "icons" / "actions" / "test-send.svg")))
    send_test.setEnabled(False)  # until a newsletter is open
    preferences = _action(parent, _("&Preferences…"), Key.Preferences, "Ctrl+,")
    preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
    show_compose = _shortcut(
        _action(parent, _("&Compose"), tip=_("Edit the newsletter block by block")), "Ctrl+1"
    )
    show_preview = _shortcut(
        _action(parent, _("&Preview"), tip=_("The email exactly as recipients will see it")),
        "Ctrl+2",
    )
    for view in (show_compose, show_preview):
        view.setCheckable(True)
    return Actions(
        new=_action(
            parent,
            _("&New from Template…"),
            Key.New,
            "Ctrl+N",
            tip=_("Start a newsletter from a starter or one of your templates"),
        ),
        open=_action(parent, _("&Open…"), Key.Open, "Ctrl+O"),
        save=_action(parent, _("&Save"), Key.Save, "Ctrl+S"),
        save_as=_action(parent, _("Save &As…"), Key.SaveAs, "Ctrl+Shift+S"),
        save_template=_action(
            parent,
            _("Save as My &Template…"),
            tip=_("Keep this newsletter in the gallery, to start the next ones from it"),
        ),
        quit=_action(parent, _("&Quit"), Key.Quit, "Ctrl+Q"),
        undo=_undo_redo(
            undo_group.createUndoAction(parent, _("Undo")),
            Key.Undo,
            ["Ctrl+Z"],
            "undo",
            _("Undo the last change"),
        ),
        redo=_undo_redo(
            undo_group.createRedoAction(parent, _("Redo")),
            Key.Redo,
            ["Ctrl+Shift+Z", "Ctrl+Y"],
            "redo",
            _("Redo the change just undone"),
        ),
        preferences=preferences,
        show_compose=show_compose,
        show_preview=show_preview,
        send_test=send_test,
        contacts=_shortcut(_action(parent, _("&Contacts…")), "Ctrl+Shift+C"),
        about=_action(parent, _("&About Bulletin")),
    )
