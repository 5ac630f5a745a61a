"""A block panel generated from its spec (:mod:`widgets.inspector.fields`).

One control per :class:`~widgets.inspector.fields.Field`, each bound to the block's value:
an edit pushes ``SetBlockField`` (or the field's own command) with the merge key
``"<block id>.<field>"``, an undo re-reads it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from editor.contrast import Legibility, contrast_ratio, legibility
from editor.document import Newsletter
from editor.findings import LINK_UNSAFE, Finding, fix
from editor.i18n import _, number
from editor.urls import LINK_SCHEMES, is_safe_link
from widgets.inspector.base import BlockPanel
from widgets.inspector.editors import (
    ERROR_COLOR,
    MISSING,
    Binding,
    BoolEditor,
    ChoiceEditor,
    ColorEditor,
    FieldEditor,
    IntEditor,
    LineEditor,
    TextEditor,
)
from widgets.inspector.fields import Field, Kind
from widgets.session import EditSession

# Kinds whose edits are typed: they merge into one undo step per word or pause.
_TYPED = frozenset({Kind.LINE, Kind.MULTILINE, Kind.URL, Kind.COLOR, Kind.INT})


def link_problem(value: Any) -> str | None:
    """Why a link cannot go into an email; "" when it can, None while a scheme is being typed.

    Empty (no link yet) and links starting with a merge tag (checked once filled in) pass.
    """
    text = str(value).strip()
    if not text or text.startswith("{{") or is_safe_link(text):
        return ""
    if any(scheme.startswith(text.lower()) for scheme in LINK_SCHEMES):
        return None  # "http", "mailt": not finished yet
    return fix(Finding.of(LINK_UNSAFE, url=text[:80]))


def read_path(doc: Newsletter, path: str) -> Any:
    """The value at a ``SetDocumentField`` path ("theme.button.radius")."""
    owner: Any = doc
    for step in path.split("."):
        owner = getattr(owner, step, MISSING)
    return owner


def contrast_text(ratio: float, large: bool) -> str:
    """« Contraste 4,8:1 — lisible » in the UI language."""
    rating = legibility(ratio, large)
    if rating is Legibility.GOOD:
        verdict = _("readable")
    elif rating is Legibility.LARGE_ONLY:
        verdict = _("too faint for body text")
    else:
        verdict = _("hard to read")
    shown = math.floor(ratio * 10) / 10  # never rounded up: 4.48 fails AA, so not "4.5"
    return _("Contrast {ratio}:1 — {verdict}").format(ratio=number(shown, 1), verdict=verdict)


def editor_for(field: Field) -> FieldEditor:
    """The control for one field of a spec."""
    caption, tooltip = field.caption(), field.tooltip()
    editor: FieldEditor
    if field.kind in (Kind.LINE, Kind.URL):
        editor = LineEditor(caption, tooltip)
        if field.kind is Kind.URL:
            editor.line.setPlaceholderText("https://")
    elif field.kind is Kind.MULTILINE:
        editor = TextEditor(caption, tooltip, lines=10 if field.note else 4)
    elif field.kind is Kind.INT:
        none = field.choice_caption(field.none_label) if field.optional else ""
        editor = IntEditor(caption, field.minimum, field.maximum, field.suffix, none, tooltip)
    elif field.kind is Kind.COLOR:
        none = field.choice_caption(field.none_label) if field.optional else ""
        editor = ColorEditor(caption, none, tooltip)
    elif field.kind is Kind.CHOICE:
        choices = [(value, field.choice_caption(label)) for value, label in field.choices]
        editor = ChoiceEditor(caption, choices, tooltip)
    else:
        editor = BoolEditor(caption, tooltip)
    if field.note and field.help:
        editor.show_hint(field.tooltip())
    editor.setObjectName(field.name)
    return editor


class FormPanel(BlockPanel):
    """A block's panel made of one control per field of its spec.

    Attributes:
        editors: the controls by field name (tests and subclasses reach them here).
    """

    def __init__(
        self,
        session: EditSession,
        block_id: str,
        fields: tuple[Field, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, block_id, parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(10)
        self.editors: dict[str, FieldEditor] = {}
        self.bindings: list[Binding] = []
        self._follows: list[tuple[ColorEditor, str]] = []  # empty colours show the theme's
        self.contrast: dict[str, QLabel] = {}  # field name -> its contrast line
        self._contrast: list[tuple[Field, QLabel]] = []
        for field in fields:
            self.add_field(field)
        self.empty_note = QLabel(_("This block has no settings."))
        self.empty_note.setVisible(not fields)
        self.layout_.addWidget(self.empty_note)
        self.layout_.addStretch(1)
        self.refresh()

    def add_field(self, field: Field) -> FieldEditor:
        editor = editor_for(field)
        self.layout_.addWidget(editor)
        self.editors[field.name] = editor
        check = link_problem if field.kind is Kind.URL else None
        if field.follows and isinstance(editor, ColorEditor):
            self._follows.append((editor, field.follows))
        if field.contrast_on and field.kind is Kind.COLOR:
            line = QLabel()
            line.setObjectName(f"{field.name}_contrast")
            line.setAccessibleName(_("Contrast"))
            line.setToolTip(
                _(
                    "WCAG contrast of this text on its background: at least 4.5:1 for body "
                    "text, 3:1 for large headings."
                )
            )
            self.layout_.addWidget(line)
            self.contrast[field.name] = line
            self._contrast.append((field, line))
        self.bind(editor, field.name, field.make, field.kind in _TYPED, check)
        return editor

    def bind(
        self,
        editor: FieldEditor,
        name: str,
        make: Callable[[str, Any], Any],
        typed: bool = True,
        check: Callable[[Any], str | None] | None = None,
    ) -> Binding:
        """Tie ``editor`` to the block's field ``name``, set through ``make(block_id, value)``."""
        binding = Binding(
            self.session,
            editor,
            read=lambda: self.read_field(name),
            make=lambda value: make(self.block_id, value),
            merge_key=f"{self.block_id}.{name}" if typed else None,
            check=check,
        )
        self.bindings.append(binding)
        return binding

    def refresh(self) -> None:
        for binding in self.bindings:
            binding.sync()
        for editor, path in self._follows:
            value = read_path(self.session.document, path)
            editor.set_fallback(value if isinstance(value, str) else "")
        for field, line in self._contrast:
            self._show_contrast(field, line)

    def _show_contrast(self, field: Field, line: QLabel) -> None:
        """The contrast of the colour in use (the block's, else the one it follows)."""
        doc = self.session.document
        value = self.read_field(field.name)
        if not value and field.follows:
            value = read_path(doc, field.follows)
        background = read_path(doc, field.contrast_on)
        if not (isinstance(value, str) and value and isinstance(background, str) and background):
            line.hide()
            return
        ratio = contrast_ratio(value, background)
        line.setText(contrast_text(ratio, field.large))
        good = legibility(ratio, field.large) is Legibility.GOOD
        line.setStyleSheet("" if good else f"color: {ERROR_COLOR};")
        line.show()

    def focus_editor(self) -> bool:
        for editor in self.editors.values():
            target = editor.focus_target()
            if isinstance(target, QLineEdit | QPlainTextEdit):
                target.setFocus()
                return True
        return False
