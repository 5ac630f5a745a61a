"""The inspector's controls, and the binding that ties one to a value of the document.

Every control is a :class:`FieldEditor`: a caption, the control itself, a neutral hint line and
an error line. It emits ``edited(value)`` only for the user's own changes, and
:meth:`FieldEditor.set_value` never emits (so re-reading the document cannot push a command).

A :class:`Binding` connects a control to one value: the user's edit becomes one core command
pushed on the session (with a merge key, so typing is one undo step per word or pause); a
refused value shows the core's sentence under the control; after an undo the control re-reads
the value, but only when the document's value really changed, so a field being typed in keeps
its cursor and a refused entry stays on screen until the user fixes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QEvent, QObject, QRegularExpression, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPixmap,
    QRegularExpressionValidator,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QColorDialog,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.commands import Command
from editor.fonts import FONT_STACKS, known_stack
from editor.i18n import _
from widgets.session import EditSession

ERROR_COLOR = "#b91c1c"  # red-700: 6.5:1 on white
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class WindowUndo(QObject):
    """Leaves Ctrl+Z / Ctrl+Shift+Z to the window's Undo and Redo while a field has the focus.

    A line edit would otherwise undo its own keystrokes and push the result as a new edit;
    the document's undo stack is the one history (merged per word), as in the text editor.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if (
            kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
            and any(event.matches(key) for key in _HISTORY_KEYS)
        ):
            # Not claimed by the field, so the window's shortcut fires; and should no shortcut
            # take it, the key press is dropped rather than undoing the field's own keystrokes.
            event.ignore()
            return True
        return False


_HISTORY_KEYS = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
_WINDOW_UNDO = WindowUndo()


def _muted(palette: QPalette) -> str:
    """Text colour 70 % of the way from the background: quieter, still readable (> 4.5:1)."""
    text, back = (
        palette.color(QPalette.ColorRole.WindowText),
        palette.color(QPalette.ColorRole.Window),
    )
    mix = [round(back.red() + (text.red() - back.red()) * 0.7)]
    mix.append(round(back.green() + (text.green() - back.green()) * 0.7))
    mix.append(round(back.blue() + (text.blue() - back.blue()) * 0.7))
    return QColor(*mix).name()


class FieldEditor(QWidget):
    """One value's control with its caption, a hint line and an error line.

    Signals:
        edited(object): the user changed the value (never emitted by :meth:`set_value`).
        finished(): the user left the control or pressed Enter (a typed value is complete).
    """

    edited = Signal(object)
    finished = Signal()
    # After a refused value, put the document's value back (a spin box, a menu); text fields
    # keep what the user typed, with the error under it, so nothing they typed is lost.
    REVERTS: ClassVar[bool] = True

    def __init__(self, caption: str, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setting = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.row = QHBoxLayout()
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(4)
        layout.addLayout(self.row)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setStyleSheet(f"color: {_muted(self.palette())};")
        self.hint.hide()
        layout.addWidget(self.hint)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setAccessibleName(_("Error"))
        self.error.hide()
        layout.addWidget(self.error)
        self._tooltip = tooltip or caption

    def _add(self, control: QWidget, *, stretch: int = 1) -> None:
        """Put a control on the row, named and explained for screen readers and tooltips."""
        control.setAccessibleName(self.caption.text())
        control.setToolTip(self._tooltip)
        if isinstance(control, QLineEdit | QPlainTextEdit | QAbstractSpinBox):
            control.installEventFilter(_WINDOW_UNDO)
            if isinstance(control, QPlainTextEdit):
                control.setUndoRedoEnabled(False)
        self.row.addWidget(control, stretch)
        if self.caption.buddy() is None:
            self.caption.setBuddy(control)

    def focus_target(self) -> QWidget:
        """The widget that takes the focus when the panel focuses this control."""
        buddy = self.caption.buddy()
        return buddy if buddy is not None else self

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show ``value`` without emitting ``edited``."""
        self._setting = True
        try:
            self._show(value)
        finally:
            self._setting = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def is_setting(self) -> bool:
        """Whether :meth:`set_value` is showing a value (changes now are not the user's)."""
        return self._setting

    def _emit(self, value: Any) -> None:
        if not self._setting:
            self.edited.emit(value)

    def is_typing(self) -> bool:
        """Whether the keyboard focus is in this control."""
        return self.isAncestorOf(self.focusWidget()) if self.focusWidget() else False

    def show_error(self, message: str) -> None:
        """The core's sentence under the control; "" hides it."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def error_text(self) -> str:
        return self.error.text() if not self.error.isHidden() else ""

    def show_hint(self, message: str) -> None:
        self.hint.setText(message)
        self.hint.setVisible(bool(message))


class LineEditor(FieldEditor):
    """One line of text (also links and addresses)."""

    REVERTS = False

    def __init__(self, caption: str, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(caption, tooltip, parent)
        self.line = QLineEdit()
        self.line.setClearButtonEnabled(True)
        self.line.textEdited.connect(self._emit)
        self.line.editingFinished.connect(self.finished)
        self._add(self.line)

    def value(self) -> str:
        return self.line.text()

    def _show(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.line.text() != text:
            position = self.line.cursorPosition()
            self.line.setText(text)
            # Typing: the cursor stays where it was; otherwise show the start of the text.
            self.line.setCursorPosition(min(position, len(text)) if self.line.hasFocus() else 0)


class TextEditor(FieldEditor):
    """Plain text over several lines (an address, raw HTML)."""

    REVERTS = False

    def __init__(
        self, caption: str, tooltip: str = "", lines: int = 4, parent: QWidget | None = None
    ) -> None:
        super().__init__(caption, tooltip, parent)
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        height = self.text.fontMetrics().lineSpacing() * lines + 12
        self.text.setFixedHeight(height)
        self.text.textChanged.connect(lambda: self._emit(self.text.toPlainText()))
        self._add(self.text)

    def value(self) -> str:
        return self.text.toPlainText()

    def _show(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.text.toPlainText() != text:
            position = self.text.textCursor().position()
            self.text.setPlainText(text)
            cursor = self.text.textCursor()
            cursor.setPosition(min(position, len(text)))
            self.text.setTextCursor(cursor)


class IntEditor(FieldEditor):
    """A whole number in a range; ``none_label`` (when given) stands for None, below the range."""

    def __init__(
        self,
        caption: str,
        minimum: int,
        maximum: int,
        suffix: str = "",
        none_label: str = "",
        tooltip: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(caption, tooltip, parent)
        self.optional = bool(none_label)
        self.spin = QSpinBox()
        self.spin.setRange(minimum - 1 if self.optional else minimum, maximum)
        if self.optional:
            self.spin.setSpecialValueText(none_label)
        self.spin.setSuffix(suffix)
        self.spin.setAccelerated(True)
        self.spin.valueChanged.connect(lambda _v: self._emit(self.value()))
        self._add(self.spin, stretch=0)
        self.row.addStretch(1)

    def value(self) -> int | None:
        if self.optional and self.spin.value() == self.spin.minimum():
            return None
        return self.spin.value()

    def _show(self, value: Any) -> None:
        if value is None:
            self.spin.setValue(self.spin.minimum())
        elif isinstance(value, int):
            self.spin.setValue(value)


class ChoiceEditor(FieldEditor):
    """One value out of a list: ``choices`` are (value, caption) pairs."""

    def __init__(
        self,
        caption: str,
        choices: list[tuple[Any, str]],
        tooltip: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(caption, tooltip, parent)
        self.combo = QComboBox()
        for value, label in choices:
            self.combo.addItem(label, value)
        self.combo.currentIndexChanged.connect(lambda _i: self._emit(self.value()))
        self._add(self.combo)

    def value(self) -> Any:
        return self.combo.currentData()

    def _show(self, value: Any) -> None:
        index = self._index_of(value)
        if index < 0:  # a value the menu does not offer (an older document): show it as is
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def _index_of(self, value: Any) -> int:
        return next((i for i in range(self.combo.count()) if self.combo.itemData(i) == value), -1)


class FontEditor(ChoiceEditor):
    """An email-safe font stack; a document's own stack is shown as its own entry, untouched."""

    def __init__(self, caption: str, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(caption, [(e.stack, e.label()) for e in FONT_STACKS], tooltip, parent)
        for index, entry in enumerate(FONT_STACKS):
            self.combo.setItemData(index, QFont(entry.family), Qt.ItemDataRole.FontRole)
            self.combo.setItemData(index, entry.stack, Qt.ItemDataRole.ToolTipRole)

    def _index_of(self, value: Any) -> int:
        exact = super()._index_of(value)
        if exact >= 0 or not isinstance(value, str):
            return exact
        entry = known_stack(value)  # same first family: that entry stands for it
        return super()._index_of(entry.stack) if entry is not None else -1


class BoolEditor(FieldEditor):
    """A check box; its caption is the box's own text."""

    def __init__(self, caption: str, tooltip: str = "", parent: QWidget | None = None) -> None:
        super().__init__(caption, tooltip, parent)
        self.caption.hide()
        self.check = QCheckBox(caption)
        self.check.toggled.connect(lambda on: self._emit(bool(on)))
        self._add(self.check)

    def value(self) -> bool:
        return self.check.isChecked()

    def _show(self, value: Any) -> None:
        self.check.setChecked(bool(value))


class ColorEditor(FieldEditor):
    """A colour: a swatch opening the colour picker, and its #rrggbb code to type.

    With ``none_label`` the colour may be empty (it then follows the theme): the code field is
    empty and shows that label as its placeholder.
    """

    REVERTS = False

    def __init__(
        self,
        caption: str,
        none_label: str = "",
        tooltip: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(caption, tooltip, parent)
        self.optional = bool(none_label)
        self.swatch = QToolButton()
        self.swatch.setIconSize(QSize(28, 18))
        self.swatch.clicked.connect(self.pick)
        self._add(self.swatch, stretch=0)
        self.swatch.setToolTip(_("Choose a colour…"))
        self.swatch.setAccessibleName(
            _("{field}: choose a colour").format(field=self.caption.text())
        )
        self.hex = QLineEdit()
        self.hex.setValidator(
            QRegularExpressionValidator(QRegularExpression("#?[0-9A-Fa-f]{0,6}"), self.hex)
        )
        self.hex.setMaxLength(7)
        self.hex.setPlaceholderText(none_label or "#rrggbb")
        self.hex.textEdited.connect(self._typed)
        self.hex.editingFinished.connect(self._finished)
        self._add(self.hex)
        self.hex.setToolTip(_("Colour code, #rrggbb"))
        self.caption.setBuddy(self.hex)
        self._shown = ""
        self._fallback = ""
        self._paint("")

    def value(self) -> str:
        return self._shown

    def _show(self, value: Any) -> None:
        text = value if isinstance(value, str) else ""
        self._shown = text
        if self.hex.text().lower() != text.lower():
            self.hex.setText(text)
        self._paint(text)

    def _typed(self, text: str) -> None:
        if text and not text.startswith("#"):
            text = "#" + text
            self.hex.setText(text)
        if _HEX.match(text) or (self.optional and not text):
            self._shown = text
            self._paint(text)
            self._emit(text)

    def _finished(self) -> None:
        """Leaving an unfinished code (#12) puts the colour in use back."""
        if not (_HEX.match(self.hex.text()) or (self.optional and not self.hex.text())):
            self.set_value(self._shown)

    def pick(self) -> None:
        initial = QColor(self._shown or self._fallback or "#ffffff")
        color = QColorDialog.getColor(initial, self, self.caption.text())
        if color.isValid():
            name = color.name()  # #rrggbb
            self._shown = name
            self.hex.setText(name)
            self._paint(name)
            self._emit(name)

    def fallback(self) -> str:
        return self._fallback

    def set_fallback(self, color: str) -> None:
        """The colour used while this one is empty (the theme's): the swatch shows it."""
        if color != self._fallback:
            self._fallback = color
            self._paint(self._shown)

    def _paint(self, color: str) -> None:
        pixmap = QPixmap(self.swatch.iconSize() * self.devicePixelRatioF())
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        size = self.swatch.iconSize()
        rect = pixmap.rect().adjusted(0, 0, -1, -1)
        rect.setSize(size - QSize(1, 1))
        painter.setPen(QColor("#6b7280"))
        painter.setBrush(QColor(color or self._fallback or "#ffffff"))
        painter.drawRect(rect)
        if not color and not self._fallback:  # no colour at all: a slash, as pickers show it
            painter.setPen(QColor(ERROR_COLOR))
            painter.drawLine(rect.bottomLeft(), rect.topRight())
        painter.end()
        self.swatch.setIcon(QIcon(pixmap))


# -------------------------------------------------------------------------------- binding


def push(session: EditSession, command: Command, merge_key: str | None = None) -> str:
    """Push ``command``; "" when applied, else the core's sentence saying why it was refused."""
    refused: list[str] = []

    def note(message: str) -> None:
        refused.append(message)

    session.error.connect(note)
    try:
        session.push(command, merge_key)
    finally:
        session.error.disconnect(note)
    return refused[0] if refused else ""


MISSING: Any = object()
"""What a binding's ``read`` returns when the value is gone (its block was removed)."""


class Binding:
    """Ties a :class:`FieldEditor` to one value of the document.

    Attributes:
        read: the value as the document holds it now.
        make: the command setting a new value.
        merge_key: edits with this key merge into one undo step (typing); None for one step
            per change (a check box, a menu).
        check: an extra check before pushing (a link, an address): the sentence saying what is
            wrong, "" when the value may go in, None when it is unfinished (a scheme half
            typed). The sentence shows once the user leaves the field, not at every keystroke.
    """

    def __init__(
        self,
        session: EditSession,
        editor: FieldEditor,
        read: Callable[[], Any],
        make: Callable[[Any], Command],
        merge_key: str | None = None,
        check: Callable[[Any], str | None] | None = None,
    ) -> None:
        self.session, self.editor = session, editor
        self.read, self.make, self.merge_key, self.check = read, make, merge_key, check
        self._synced: Any = MISSING
        self._pushing = False
        self._pending = ""  # the check's sentence, shown when the user leaves the field
        editor.edited.connect(self._edited)
        editor.finished.connect(self._finished)

    def _edited(self, value: Any) -> None:
        verdict = self.check(value) if self.check is not None else ""
        self._pending = verdict or ""
        if verdict != "":  # refused or unfinished: the document keeps its value
            self.editor.show_error("" if self.editor.is_typing() else self._pending)
            return
        self._pushing = True
        try:
            problem = push(self.session, self.make(value), self.merge_key)
        finally:
            self._pushing = False
        self.editor.show_error(problem)
        if not problem:
            self._synced = self.read()
        elif self.editor.REVERTS:
            self.editor.set_value(self.read())

    def _finished(self) -> None:
        if self._pending:
            self.editor.show_error(self._pending)

    def sync(self) -> None:
        """Show the document's value if it changed since this control last showed it."""
        if self._pushing:
            return  # our own edit: the control already shows it, cursor and all
        current = self.read()
        if current is MISSING or (self._synced is not MISSING and current == self._synced):
            return
        self._synced = current
        self._pending = ""
        self.editor.set_value(current)
        self.editor.show_error("")
