"""The inspector: the right-hand panel that edits the selected block, or the newsletter.

It follows the session: ``selection_changed`` swaps the panel (the newsletter's when nothing
is selected), ``changed`` (an edit, an undo, a redo) makes the visible panel re-read its values
without pushing anything. Panels are chosen by block type: a few hand-made ones (text; image,
social links and latest posts from their own modules when present), every other type gets a
form generated from :mod:`widgets.inspector.fields`.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from editor.blocks.registry import type_of
from editor.document import DocumentError
from editor.i18n import _
from editor.locate import find_block
from editor.merge_fields import builtin_fields
from widgets.inspector.base import BlockPanel
from widgets.inspector.fields import fields_for
from widgets.inspector.form import FormPanel
from widgets.inspector.merge_source import MergeFieldSource
from widgets.inspector.newsletter_panel import NewsletterPanel
from widgets.inspector.text_panel import TextPanel
from widgets.session import EditSession

# Block types whose panel lives in its own module: (module, class), used when it is there.
OWN_PANELS: dict[str, tuple[str, str]] = {
    "image": ("widgets.inspector.image_panel", "ImagePanel"),
    "social": ("widgets.inspector.social_panel", "SocialPanel"),
    "posts": ("widgets.inspector.posts_panel", "PostsPanel"),
}


def own_panel_class(type_name: str) -> type[BlockPanel] | None:
    """The hand-made panel class for a type, or None (not written yet: the generic form)."""
    where = OWN_PANELS.get(type_name)
    if where is None:
        return None
    try:
        module = importlib.import_module(where[0])
    except ModuleNotFoundError as exc:
        if exc.name == where[0]:
            return None
        raise
    cls = getattr(module, where[1], None)
    return cls if isinstance(cls, type) and issubclass(cls, BlockPanel) else None


class Inspector(QWidget):
    """Edits the session's selected block, or the newsletter itself when none is selected.

    Attributes:
        panel: the panel shown (a :class:`BlockPanel`, or the :class:`NewsletterPanel`).
        merge_source: reads the contacts store's custom fields for the merge-tag menu (in the
            background; again whenever the user comes back to this window).
    """

    def __init__(self, session: EditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._merge_fields = builtin_fields()
        self.merge_source = MergeFieldSource(parent=self)
        self.merge_source.fields_changed.connect(self.set_merge_fields)
        self.setAccessibleName(_("Inspector"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QHBoxLayout()
        header.setContentsMargins(10, 8, 10, 6)
        self.icon = QLabel()
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        header.addWidget(self.icon)
        header.addWidget(self.title, 1)
        layout.addLayout(header)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        layout.addWidget(self.area, 1)
        self.panel: QWidget = QWidget()
        self._shown: str | None = None
        session.selection_changed.connect(self._show)
        session.changed.connect(self.refresh)
        self._show(session.selected)
        self.merge_source.refresh()

    def sizeHint(self) -> QSize:
        return QSize(380, 600)  # the text editor's toolbar fits in full

    def _show(self, block_id: str) -> None:
        """Build the panel for ``block_id`` ("" = the newsletter)."""
        if block_id == self._shown:
            return
        self._shown = block_id
        panel = self._panel_for(block_id)
        holder = QWidget()
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(10, 4, 10, 10)
        inner.addWidget(panel)
        old = self.area.takeWidget()
        self.area.setWidget(holder)
        if old is not None:
            old.deleteLater()
        self.panel = panel

    def _panel_for(self, block_id: str) -> QWidget:
        try:
            block = find_block(self.session.document, block_id) if block_id else None
        except DocumentError:
            block = None
        if block is None:
            self._set_header(_("Newsletter"), "")
            return NewsletterPanel(self.session)
        kind = type_of(block)
        self._set_header(kind.label(), str(kind.icon_file))
        if kind.name == "text":
            return TextPanel(self.session, block.id, self._merge_fields)
        own = own_panel_class(kind.name)
        if own is not None:
            return own(self.session, block.id)
        return FormPanel(self.session, block.id, fields_for(kind))

    def _set_header(self, title: str, icon: str) -> None:
        self.title.setText(title)
        found = bool(icon) and Path(icon).is_file()  # a plug-in type may bring no icon
        pixmap = QIcon(icon).pixmap(QSize(20, 20), self.devicePixelRatioF()) if found else None
        if pixmap is not None and not pixmap.isNull():
            self.icon.setPixmap(pixmap)
        self.icon.setVisible(pixmap is not None and not pixmap.isNull())

    def refresh(self) -> None:
        """Re-read the shown values (the document changed); swaps the panel if its block went."""
        if self.session.selected != self._shown:
            self._show(self.session.selected)
        refresh = getattr(self.panel, "refresh", None)
        if refresh is not None:
            refresh()

    def focus_editor(self) -> None:
        """Give the panel's main text field the focus (the canvas's double-click on a block)."""
        focus = getattr(self.panel, "focus_editor", None)
        if focus is not None:
            focus()

    def set_merge_fields(self, fields: list[tuple[str, str]]) -> None:
        """The merge fields the text editor offers, as (field, label): give it
        :func:`editor.merge_fields.store_fields` of the contacts store (built-in ones first)."""
        self._merge_fields = list(fields)
        if isinstance(self.panel, TextPanel):
            self.panel.set_merge_fields(self._merge_fields)
