"""The text block's panel: the rich-text editor, then the block's other fields.

The editor is :class:`widgets.richtext_editor.RichTextEditor` when that module is there (it
is written alongside); until then a plain :class:`QTextEdit` behind the same small interface
stands in, its HTML cleaned by the core to the subset the renderer keeps.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QTextEdit, QWidget

from editor.blocks.registry import block_type
from editor.commands import SetRichText
from editor.document import TextBlock
from editor.i18n import _
from editor.merge_fields import builtin_fields
from editor.richtext import clean
from widgets.inspector.editors import FieldEditor
from widgets.inspector.fields import fields_for, set_field
from widgets.inspector.form import FormPanel
from widgets.session import MERGE_PAUSE_S, DocumentCommand, EditSession


class RichText(Protocol):
    """What the panel needs of a rich-text editor (``RichTextEditor`` has it)."""

    edited: SignalInstance  # (str) the cleaned subset HTML, after each change by the user

    def set_html(self, html: str) -> None: ...
    def html(self) -> str: ...
    def set_merge_fields(self, fields: list[tuple[str, str]]) -> None: ...


class FallbackRichText(QTextEdit):
    """A bare rich-text field used until ``widgets/richtext_editor.py`` exists.

    Signals:
        edited(str): the text as the core's subset HTML, after each change by the user.
    """

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._setting = False
        self._last = ""
        self.setAcceptRichText(True)
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._changed)

    def set_html(self, html: str) -> None:
        self._setting = True
        try:
            self.setHtml(html)
        finally:
            self._setting = False
        self._last = self.html()

    def html(self) -> str:
        return clean(self.toHtml())

    def set_merge_fields(self, fields: list[tuple[str, str]]) -> None:
        """No merge-tag menu here: the real editor has one."""

    def _changed(self) -> None:
        if self._setting:
            return
        html = self.html()
        if html != self._last:  # as the real editor: a keystroke the cleaning drops is no edit
            self._last = html
            self.edited.emit(html)


def make_rich_text(parent: QWidget | None = None) -> Any:
    """The real rich-text editor when its module is there, else the stand-in."""
    try:
        from widgets.richtext_editor import RichTextEditor
    except ImportError:
        return FallbackRichText(parent)
    return RichTextEditor(parent)


class RichField(FieldEditor):
    """A :class:`FieldEditor` around the rich-text editor."""

    REVERTS = False

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(caption, _("The text of the block: bold, italic, links, lists."), parent)
        self.rich = make_rich_text()
        self.rich.edited.connect(self._emit)
        self.rich.setMinimumHeight(180)
        self._add(self.rich)

    def value(self) -> str:
        return str(self.rich.html())

    def text_edit(self) -> QTextEdit | None:
        """The text field itself (the real editor wraps one under its toolbar)."""
        if isinstance(self.rich, QTextEdit):
            return self.rich
        found = self.rich.findChild(QTextEdit)
        return found if isinstance(found, QTextEdit) else None

    def focus_target(self) -> QWidget:
        typed = self.text_edit()
        return typed if typed is not None else self.rich

    def _show(self, value: Any) -> None:
        html = value if isinstance(value, str) else ""
        if self.rich.html() != html:
            self.rich.set_html(html)


class ToolbarAlign(FieldEditor):
    """The block's alignment as the rich-text editor's toolbar shows and sets it (no control of
    its own: it only binds the toolbar's ``align_changed`` / ``set_align`` to the block)."""

    def __init__(self, rich: Any, parent: QWidget | None = None) -> None:
        super().__init__(_("Alignment"), parent=parent)
        self.rich = rich
        self.hide()
        rich.align_changed.connect(self._emit)

    def value(self) -> str:
        return str(self.rich.align())

    def _show(self, value: Any) -> None:
        self.rich.set_align(value if isinstance(value, str) else "left")


class TextPanel(FormPanel):
    """A text block: its rich text (``SetRichText``, one undo step per word), then alignment."""

    def __init__(
        self,
        session: EditSession,
        block_id: str,
        merge_fields: list[tuple[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        text = RichField(_("Text"))
        # The real editor aligns the block from its toolbar: no second control for it.
        aligns = hasattr(text.rich, "align_changed")
        fields = tuple(f for f in fields_for(block_type("text")) if f.name != "align" or not aligns)
        super().__init__(session, block_id, fields, parent)
        self.text = text
        self.text.setObjectName("html")
        self.text.rich.set_merge_fields(merge_fields or builtin_fields())
        self.layout_.insertWidget(0, self.text)
        self.empty_note.hide()
        self.editors = {"html": self.text, **self.editors}
        self.bind(self.text, "html", SetRichText)
        if aligns:
            align = ToolbarAlign(self.text.rich)
            self.layout_.addWidget(align)
            self.editors["align"] = align
            self.bind(align, "align", set_field("align"), typed=False)
        typed = self.text.text_edit()
        if typed is not None:  # after the editor's own handler: its edit is pushed first
            typed.textChanged.connect(self._word_end)
        self.refresh()

    def _word_end(self) -> None:
        """Tell the undo stack a word ended when the user types a space.

        The session merges typing until a word ends, which it sees as text ending in a space;
        but the cleaned HTML drops a paragraph's trailing space, so the editor reports no edit
        for it and a whole sentence would be one undo step. This pushes the same text with a
        space after it (``SetRichText`` cleans the space away: the document does not change)
        into the step being typed, which then ends. Nothing is pushed outside such a step.
        """
        typed = self.text.text_edit()
        if typed is None or self.text.is_setting() or not typed.toPlainText()[-1:].isspace():
            return
        block = self.block()
        html = self.text.value()
        if not isinstance(block, TextBlock) or html != block.html:
            return
        stack = self.session.undo_stack
        top = stack.command(stack.index() - 1)
        key = f"{self.block_id}.html"
        if (
            isinstance(top, DocumentCommand)
            and top.merge_key == key
            and isinstance(top.command, SetRichText)
            and not top.command.html.endswith(" ")
            and time.monotonic() - top.stamp <= MERGE_PAUSE_S
        ):
            self.session.push(SetRichText(self.block_id, html + " "), merge_key=key)

    def set_merge_fields(self, fields: list[tuple[str, str]]) -> None:
        self.text.rich.set_merge_fields(fields)

    def focus_editor(self) -> bool:
        self.text.focus_target().setFocus()
        return True
