"""The text block's panel: the rich-text editor, then the block's other fields.

The editor is :class:`widgets.richtext_editor.RichTextEditor` when that module is there (it
is written alongside); until then a plain :class:`QTextEdit` behind the same small interface
stands in, its HTML cleaned by the core to the subset the renderer keeps.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QTextEdit, QWidget

from editor.blocks.registry import block_type
from editor.commands import SetRichText
from editor.i18n import _
from editor.merge_fields import builtin_fields
from editor.richtext import clean
from widgets.inspector.editors import FieldEditor
from widgets.inspector.fields import fields_for
from widgets.inspector.form import FormPanel
from widgets.session import EditSession


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
        self.setAcceptRichText(True)
        self.setTabChangesFocus(True)
        self.textChanged.connect(self._changed)

    def set_html(self, html: str) -> None:
        self._setting = True
        try:
            self.setHtml(html)
        finally:
            self._setting = False

    def html(self) -> str:
        return clean(self.toHtml())

    def set_merge_fields(self, fields: list[tuple[str, str]]) -> None:
        """No merge-tag menu here: the real editor has one."""

    def _changed(self) -> None:
        if not self._setting:
            self.edited.emit(self.html())


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
        self.rich.edited.connect(self._edited)
        self.rich.setMinimumHeight(180)
        self._add(self.rich)

    def value(self) -> str:
        return str(self.rich.html())

    def _edited(self, html: str) -> None:
        """Pass the edit on; a trailing space the cleaning dropped is put back outside the HTML.

        The session merges typing until a word ends, which it sees as text ending in a space;
        the cleaned subset drops a paragraph's trailing space, so without this a whole sentence
        would be one undo step. ``SetRichText`` cleans the added space away again.
        """
        plain = getattr(self.rich, "toPlainText", None)
        if callable(plain) and str(plain())[-1:].isspace() and not html.endswith(" "):
            html += " "
        self._emit(html)

    def _show(self, value: Any) -> None:
        html = value if isinstance(value, str) else ""
        if self.rich.html() != html:
            self.rich.set_html(html)


class TextPanel(FormPanel):
    """A text block: its rich text (``SetRichText``, one undo step per word), then alignment."""

    def __init__(
        self,
        session: EditSession,
        block_id: str,
        merge_fields: list[tuple[str, str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, block_id, fields_for(block_type("text")), parent)
        self.text = RichField(_("Text"))
        self.text.setObjectName("html")
        self.text.rich.set_merge_fields(merge_fields or builtin_fields())
        self.layout_.insertWidget(0, self.text)
        self.editors = {"html": self.text, **self.editors}
        self.bind(self.text, "html", SetRichText)
        self.refresh()

    def set_merge_fields(self, fields: list[tuple[str, str]]) -> None:
        self.text.rich.set_merge_fields(fields)

    def focus_editor(self) -> bool:
        self.text.rich.setFocus()
        return True
