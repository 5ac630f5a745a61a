"""The rich-text editor of text blocks: a QTextEdit under a small formatting toolbar.

What it holds is always the text block's subset (:func:`editor.richtext.clean`): bold, italic,
underline, links, bulleted and numbered lists, paragraphs and line breaks. Qt's own HTML
(``toHtml()``: a full document with inline styles) is cleaned on the way out, and everything
that comes in — a paste, a drop — goes through :mod:`editor.paste` first, so what the person
sees is what the renderer will keep.

Undo belongs to the composer, not to this widget: the host pushes each :attr:`edited` value as
a core command (``SetRichText``, merged while typing) and the window's Undo reverts it, then
calls :meth:`RichTextEditor.set_html` with the document's text. The QTextEdit's own undo is
therefore off, and Ctrl+Z / Ctrl+Shift+Z are left to the window's actions.

Alignment is a field of the text block, not of a paragraph: the buttons align the whole text
and emit :attr:`RichTextEditor.align_changed`; the host pushes ``SetBlockField(id, "align", …)``
and shows the block's value with :meth:`RichTextEditor.set_align`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextList,
    QTextListFormat,
    QTextOption,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QTextEdit,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor import paste
from editor.i18n import _
from editor.merge_fields import builtin_fields, is_field_name, merge_tag
from editor.richtext import MERGE_TAG, clean, link_target
from editor.settings import resources_dir
from widgets.richtext_dialogs import LinkDialog, MergeTagDialog

# Qt keeps a link's title as the fragment's tool tip but ``toHtml()`` never writes it back, so
# the tip rides inside the href of a copy of the document and is split out again after export.
_TITLE_MARK = "\u2063title\u2063"
_HREF_WITH_TITLE = re.compile(r'href="([^"]*?)' + _TITLE_MARK + r'([^"]*)"')


def _html_with_link_titles(document: QTextDocument) -> str:
    """``document.toHtml()`` with each link's title (its tool tip) kept as ``title=``."""
    copy: QTextDocument | None = None
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            fmt = fragment.charFormat()
            if fmt.isAnchor() and fmt.anchorHref() and fmt.toolTip():
                if copy is None:
                    copy = document.clone()
                cursor = QTextCursor(copy)
                cursor.setPosition(fragment.position())
                end = fragment.position() + fragment.length()
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
                marked = QTextCharFormat(fmt)
                marked.setAnchorHref(fmt.anchorHref() + _TITLE_MARK + fmt.toolTip())
                cursor.setCharFormat(marked)
            fragments += 1
        block = block.next()
    if copy is None:
        return document.toHtml()
    return _HREF_WITH_TITLE.sub(r'href="\1" title="\2"', copy.toHtml())


ALIGNMENTS: dict[str, Qt.AlignmentFlag] = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
}
_BULLETED = (
    QTextListFormat.Style.ListDisc,
    QTextListFormat.Style.ListCircle,
    QTextListFormat.Style.ListSquare,
)
# The page a browser copied from, when it says (Firefox); relative links resolve against it.
_SOURCE_URL_FORMATS = ("text/x-moz-url-priv",)


_STYLE_SHEET = "p { margin: 0 0 10px 0; } ul, ol { margin: 0 0 10px 0; } li { margin: 0; }"


def _icon(name: str) -> QIcon:
    return QIcon(str(resources_dir() / "icons" / "richtext" / f"{name}.svg"))


class _MergeTagHighlighter(QSyntaxHighlighter):
    """Shows merge tags as tinted chips, so ``{{ first_name }}`` reads as one thing.

    A highlighter's formats are layout only: they never reach ``toHtml()`` or the document.
    """

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.chip = QTextCharFormat()
        self.chip.setBackground(QColor("#e0ecff"))
        self.chip.setForeground(QColor("#1e3a8a"))

    def highlightBlock(self, text: str) -> None:
        for match in MERGE_TAG.finditer(text):
            self.setFormat(match.start(), match.end() - match.start(), self.chip)


class _TextEdit(QTextEdit):
    """The editing area: pastes and drops come in as the subset; undo keys go to the window."""

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasHtml() or source.hasText()

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasHtml():
            base = ""
            for fmt in _SOURCE_URL_FORMATS:
                if source.hasFormat(fmt):
                    data = bytes(source.data(fmt).data())
                    base = data.decode("utf-16-le" if b"\x00" in data else "utf-8", "replace")
                    base = base.split("\n", 1)[0].strip("\x00 \r")
            markup = paste.from_html(source.html(), base_url=base)
        elif source.hasText():
            markup = paste.from_text(source.text())
        else:
            return
        if markup:
            self.textCursor().insertHtml(markup)
            self.ensureCursorVisible()

    def focusNextPrevChild(self, next: bool) -> bool:
        # In a list, Tab nests the item and Shift+Tab brings it out, as in word processors;
        # elsewhere Tab leaves the text (setTabChangesFocus), as keyboard users expect.
        cursor = self.textCursor()
        if _text_list(cursor.block()) is not None:
            change_list_level(cursor, 1 if next else -1)
            return True
        return super().focusNextPrevChild(next)

    def event(self, event: QEvent) -> bool:
        # Let the window's Undo/Redo actions have these keys (see the module docstring).
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and (
                event.matches(QKeySequence.StandardKey.Undo)
                or event.matches(QKeySequence.StandardKey.Redo)
            )
        ):
            event.ignore()
            return False
        return super().event(event)


class RichTextEditor(QWidget):
    """A text block's rich text, edited in place, with a formatting toolbar.

    Attributes:
        text_edit: the editing area (a QTextEdit).
        toolbar: bold, italic, underline · link, unlink · bulleted, numbered list ·
            left, centre, right · merge fields.

    Signals:
        edited(str): the cleaned HTML after each change the person made (not after
            :meth:`set_html`, and not when a keystroke left the cleaned HTML as it was).
        align_changed(str): ``"left"``, ``"center"`` or ``"right"`` chosen in the toolbar.
    """

    edited = Signal(str)
    align_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._last = ""
        self._align = "left"
        self._extra_fields: list[tuple[str, str]] = []

        self.text_edit = _TextEdit(self)
        # Paragraph spacing close to the email's (.bl-text p), lists without Qt's wide margins.
        self.text_edit.document().setDefaultStyleSheet(_STYLE_SHEET)
        self.text_edit.setUndoRedoEnabled(False)
        self._highlighter = _MergeTagHighlighter(self.text_edit.document())
        self.text_edit.setAcceptRichText(True)
        self.text_edit.setTabChangesFocus(True)

        self.toolbar = QToolBar(self)
        self.toolbar.setIconSize(QSize(18, 18))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)

        def action(icon: str, slot: Callable[[], None], checkable: bool = False) -> QAction:
            act = QAction(_icon(icon), "", self)
            act.setCheckable(checkable)
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _checked=False: slot())
            self.toolbar.addAction(act)
            self.addAction(act)  # shortcuts work while the text has the focus
            return act

        self.bold = action("bold", self._toggle_bold, True)
        self.bold.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Bold))
        self.italic = action("italic", self._toggle_italic, True)
        self.italic.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Italic))
        self.underline = action("underline", self._toggle_underline, True)
        self.underline.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Underline))
        self.toolbar.addSeparator()
        self.link = action("link", self.edit_link)
        self.link.setShortcut(QKeySequence("Ctrl+K"))
        self.unlink = action("unlink", self.remove_link)
        self.unlink.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.toolbar.addSeparator()
        self.bullets = action("list-bullet", functools.partial(self._toggle_list, False), True)
        self.bullets.setShortcut(QKeySequence("Ctrl+Shift+8"))
        self.numbers = action("list-number", functools.partial(self._toggle_list, True), True)
        self.numbers.setShortcut(QKeySequence("Ctrl+Shift+7"))
        self.toolbar.addSeparator()
        self.align_group = QActionGroup(self)
        self.align_actions: dict[str, QAction] = {}
        shortcuts = {"left": "Ctrl+Shift+L", "center": "Ctrl+Shift+E", "right": "Ctrl+Shift+R"}
        for name, shortcut in shortcuts.items():
            act = action(f"align-{name}", functools.partial(self._choose_align, name), True)
            act.setShortcut(QKeySequence(shortcut))
            self.align_group.addAction(act)
            self.align_actions[name] = act
        self.align_actions["left"].setChecked(True)
        self.toolbar.addSeparator()

        self.merge_menu = QMenu(self)
        self.merge_menu.aboutToShow.connect(self._fill_merge_menu)
        self.merge_button = QToolButton(self)
        self.merge_button.setIcon(_icon("merge-tag"))
        self.merge_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.merge_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.merge_button.setAutoRaise(True)
        self.merge_button.setIconSize(self.toolbar.iconSize())
        self.merge_button.setMenu(self.merge_menu)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setForegroundRole(QPalette.ColorRole.BrightText)
        self.message.setStyleSheet("color: #b91c1c;")
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        # The merge-field button sits beside the toolbar, not in it: in a narrow panel the
        # toolbar folds its last buttons behind an arrow, and this one must stay in sight.
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(2)
        top.addWidget(self.toolbar, 1)
        top.addWidget(self.merge_button)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.text_edit, 1)
        self.setFocusProxy(self.text_edit)

        self.text_edit.document().contentsChanged.connect(self._changed)
        self.text_edit.currentCharFormatChanged.connect(self._show_format)
        self.text_edit.cursorPositionChanged.connect(self._show_state)
        self._apply_align("left")
        self._fill_merge_menu()
        self.retranslate()
        self._show_state()

    # --------------------------------------------------------------------------- the API

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_toolbar()

    def _fit_toolbar(self) -> None:
        """Name the merge-field button when there is room for it and the whole toolbar; in a
        narrow inspector show only its icon."""
        button = self.merge_button
        named = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        needed = self.toolbar.sizeHint().width() + button.sizeHint().width() + 2
        if button.toolButtonStyle() != named:
            needed += button.fontMetrics().horizontalAdvance(button.text()) + 8
        style = named if needed <= self.width() else Qt.ToolButtonStyle.ToolButtonIconOnly
        if button.toolButtonStyle() != style:
            button.setToolButtonStyle(style)

    def set_html(self, html: str) -> None:
        """Show ``html`` (cleaned), without emitting :attr:`edited`.

        When it is already what the editor holds (the host echoing back the last
        :attr:`edited` value) nothing is touched, so the cursor and a trailing space stay.
        Otherwise the cursor keeps its offset, as near as the new text allows.
        """
        cleaned = clean(html)
        if cleaned == self._last:
            return
        cursor = self.text_edit.textCursor()
        position = cursor.position()
        scroll = self.text_edit.verticalScrollBar().value()
        self._loading = True
        try:
            self.text_edit.setHtml(cleaned)
        finally:
            self._loading = False
        self._last = self.html()
        end = max(0, self.text_edit.document().characterCount() - 1)
        cursor = self.text_edit.textCursor()
        cursor.setPosition(min(position, end))
        self.text_edit.setTextCursor(cursor)
        self.text_edit.verticalScrollBar().setValue(scroll)
        self.message.hide()
        self._show_state()

    def html(self) -> str:
        """The text as the block stores it: the cleaned subset ("" when empty)."""
        document = self.text_edit.document()
        if document.isEmpty():
            return ""
        return clean(_html_with_link_titles(document))

    def set_merge_fields(self, fields: list[tuple[str, str]]) -> None:
        """The merge fields offered, as ``(tag name, label)``.

        First name, last name and email are always offered first (in the UI language); the
        fields given follow, without those and without names no tag can read
        (:func:`editor.merge_fields.merge_fields` makes this list from the contacts store).
        """
        builtin = {name for name, _label in builtin_fields()}
        seen: set[str] = set()
        self._extra_fields = []
        for name, label in fields:
            if name not in builtin and name not in seen and is_field_name(name):
                seen.add(name)
                self._extra_fields.append((name, label))
        self._fill_merge_menu()

    def merge_fields(self) -> list[tuple[str, str]]:
        """Every field the merge-tag menu offers, in its order."""
        return builtin_fields() + self._extra_fields

    def set_align(self, align: str) -> None:
        """Show the block's alignment (``left``, ``center``, ``right``) without a signal."""
        if align not in ALIGNMENTS:
            align = "left"
        self.align_actions[align].setChecked(True)
        self._apply_align(align)

    def align(self) -> str:
        return self._align

    def retranslate(self) -> None:
        """Word the toolbar again (after the UI language changed)."""

        def name(act: QAction, text: str) -> None:
            act.setText(text)
            keys = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{text} ({keys})" if keys else text)

        name(self.bold, _("Bold"))
        name(self.italic, _("Italic"))
        name(self.underline, _("Underline"))
        name(self.link, _("Link…"))
        name(self.unlink, _("Remove link"))
        name(self.bullets, _("Bulleted list"))
        name(self.numbers, _("Numbered list"))
        name(self.align_actions["left"], _("Align left"))
        name(self.align_actions["center"], _("Align centre"))
        name(self.align_actions["right"], _("Align right"))
        self.merge_button.setText(_("Merge field"))
        self.merge_button.setToolTip(
            _("Insert a merge field: each contact sees their own first name, email…")
        )
        self.merge_button.setAccessibleName(_("Merge field"))
        self.toolbar.setAccessibleName(_("Text formatting"))
        self.toolbar.setWindowTitle(_("Text formatting"))
        self.text_edit.setAccessibleName(_("Text"))
        self.message.setAccessibleName(_("Message"))
        self._fit_toolbar()
        for act in self.toolbar.actions():
            widget = self.toolbar.widgetForAction(act)
            if widget is not None and widget is not self.merge_button:
                widget.setAccessibleName(act.text())
        self._fill_merge_menu()

    # ------------------------------------------------------------------------ formatting

    def _merge(self, fmt: QTextCharFormat) -> None:
        """Apply ``fmt`` to the selection, or to what is typed next when nothing is selected."""
        self.text_edit.mergeCurrentCharFormat(fmt)
        self.text_edit.setFocus()

    def _toggle_bold(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold if self.bold.isChecked() else QFont.Weight.Normal)
        self._merge(fmt)

    def _toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(self.italic.isChecked())
        self._merge(fmt)

    def _toggle_underline(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontUnderline(self.underline.isChecked())
        self._merge(fmt)

    def _toggle_list(self, ordered: bool) -> None:
        cursor = self.text_edit.textCursor()
        current = _text_list(cursor.block())
        wanted = QTextListFormat.Style.ListDecimal if ordered else QTextListFormat.Style.ListDisc
        cursor.beginEditBlock()
        if current is not None and _is_ordered(current.format().style()) == ordered:
            # The same kind again: these paragraphs leave the list.
            doc = self.text_edit.document()
            block = doc.findBlock(cursor.selectionStart())
            last = doc.findBlock(cursor.selectionEnd())
            while block.isValid():
                text_list = _text_list(block)
                if text_list is not None:
                    text_list.remove(block)
                    plain = QTextBlockFormat(block.blockFormat())
                    plain.setIndent(0)
                    QTextCursor(block).setBlockFormat(plain)
                if block == last:
                    break
                block = block.next()
        elif current is not None:
            fmt = current.format()
            fmt.setStyle(wanted)
            current.setFormat(fmt)
        else:
            fmt = QTextListFormat()
            fmt.setStyle(wanted)
            cursor.createList(fmt)
        cursor.endEditBlock()
        self.text_edit.setFocus()
        self._show_state()

    def _choose_align(self, align: str) -> None:
        changed = align != self._align
        self._apply_align(align)
        if changed:
            self.align_changed.emit(align)
        self.text_edit.setFocus()

    def _apply_align(self, align: str) -> None:
        self._align = align
        doc = self.text_edit.document()
        option = QTextOption(doc.defaultTextOption())
        option.setAlignment(ALIGNMENTS[align])
        doc.setDefaultTextOption(option)

    # ----------------------------------------------------------------------------- links

    def edit_link(self) -> None:
        """Ask an address and link the selection (or the link under the cursor) to it."""
        cursor = self.text_edit.textCursor()
        href = cursor.charFormat().anchorHref()
        if not cursor.hasSelection() and href:
            cursor = self._link_extent(cursor)
        asked = LinkDialog.get_link(self, href, None if cursor.hasSelection() else "")
        if asked is None:
            return
        typed, text = asked
        url = link_target(typed)
        if url is None:
            self._say(
                _(
                    '"{url}" cannot be a link in an email: use a web page (https://…), an '
                    "email address or a phone number (tel:…)."
                ).format(url=typed)
            )
            return
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(url)
        fmt.setFontUnderline(True)
        fmt.setForeground(self.palette().color(QPalette.ColorRole.Link))
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.mergeCharFormat(fmt)
        else:
            label = text.strip() or url.removeprefix("mailto:").removeprefix("tel:")
            merged = cursor.charFormat()
            merged.merge(fmt)
            cursor.insertText(label, merged)
        cursor.endEditBlock()
        # Typing on after the link writes ordinary text.
        end = QTextCursor(cursor)
        end.setPosition(cursor.selectionEnd())
        self.text_edit.setTextCursor(end)
        self.text_edit.setCurrentCharFormat(_without_link(end.charFormat()))
        self.message.hide()
        self.text_edit.setFocus()

    def remove_link(self) -> None:
        """Unlink the selection, or the whole link under the cursor."""
        cursor = self.text_edit.textCursor()
        if not cursor.hasSelection():
            if not cursor.charFormat().anchorHref():
                return
            cursor = self._link_extent(cursor)
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        doc = self.text_edit.document()
        edit = QTextCursor(doc)
        edit.beginEditBlock()
        block = doc.findBlock(start)
        while block.isValid() and block.position() < end:
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                lo = max(start, fragment.position())
                hi = min(end, fragment.position() + fragment.length())
                if lo < hi and fragment.charFormat().isAnchor():
                    piece = QTextCursor(doc)
                    piece.setPosition(lo)
                    piece.setPosition(hi, QTextCursor.MoveMode.KeepAnchor)
                    piece.setCharFormat(_without_link(fragment.charFormat()))
                iterator += 1
            block = block.next()
        edit.endEditBlock()
        self.text_edit.setCurrentCharFormat(_without_link(self.text_edit.currentCharFormat()))
        self.text_edit.setFocus()
        self._show_state()

    def _link_extent(self, cursor: QTextCursor) -> QTextCursor:
        """A cursor selecting the whole link around ``cursor`` (within its paragraph)."""
        href = cursor.charFormat().anchorHref()
        block = cursor.block()
        start = end = cursor.position()
        iterator = block.begin()
        spans: list[tuple[int, int, str]] = []
        while not iterator.atEnd():
            fragment = iterator.fragment()
            spans.append(
                (
                    fragment.position(),
                    fragment.position() + fragment.length(),
                    fragment.charFormat().anchorHref(),
                )
            )
            iterator += 1
        # The fragment holding the character before the cursor (Qt's charFormat() looks left).
        index = next(
            (i for i, (lo, hi, _h) in enumerate(spans) if lo < start <= hi),
            next((i for i, (lo, hi, _h) in enumerate(spans) if lo <= start < hi), None),
        )
        if index is None:
            return cursor
        first = last = index
        while first > 0 and spans[first - 1][2] == href:
            first -= 1
        while last + 1 < len(spans) and spans[last + 1][2] == href:
            last += 1
        start, end = spans[first][0], spans[last][1]
        out = QTextCursor(cursor)
        out.setPosition(start)
        out.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        return out

    # ----------------------------------------------------------------------- merge fields

    def _fill_merge_menu(self) -> None:
        self.merge_menu.clear()
        for name, label in self.merge_fields():
            act = self.merge_menu.addAction(f"{label}\t{{{{ {name} }}}}")
            act.setData(name)
            act.setToolTip(_('Insert "{label}"').format(label=label))
            act.triggered.connect(
                lambda _checked=False, n=name, lab=label: self.insert_merge_tag(n, lab)
            )

    def insert_merge_tag(self, field: str, label: str) -> None:
        """Ask the default for ``field`` and insert its tag at the cursor."""
        default = MergeTagDialog.get_default(self, field, label)
        if default is None:
            return
        try:
            tag = merge_tag(field, default)
        except ValueError as exc:
            self._say(str(exc))
            return
        cursor = self.text_edit.textCursor()
        cursor.insertText(tag, _without_link(cursor.charFormat()))
        self.text_edit.setTextCursor(cursor)
        self.text_edit.setFocus()

    # ---------------------------------------------------------------------------- state

    def _changed(self) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            split_interrupted_lists(self.text_edit.document())
        finally:
            self._loading = False
        if not self.message.isHidden():
            self.message.hide()
        current = self.html()
        if current != self._last:
            self._last = current
            self.edited.emit(current)

    def _show_format(self, fmt: QTextCharFormat) -> None:
        _set_checked(self.bold, fmt.fontWeight() >= QFont.Weight.DemiBold)
        _set_checked(self.italic, fmt.fontItalic())
        _set_checked(self.underline, fmt.fontUnderline() and not fmt.isAnchor())
        linked = fmt.isAnchor() or self.text_edit.textCursor().hasSelection()
        if self.unlink.isEnabled() != linked:
            self.unlink.setEnabled(linked)

    def _show_state(self) -> None:
        self._show_format(self.text_edit.currentCharFormat())
        current = _text_list(self.text_edit.textCursor().block())
        style = current.format().style() if current is not None else None
        _set_checked(self.bullets, style is not None and not _is_ordered(style))
        _set_checked(self.numbers, style is not None and _is_ordered(style))

    def _say(self, text: str) -> None:
        """A message under the toolbar (a refused link…), hidden by the next edit."""
        self.message.setText(text)
        self.message.show()


def _text_list(block: QTextBlock) -> QTextList | None:
    """The list ``block`` belongs to, if any.

    PySide6 6.12 (on Python 3.11, where None is not immortal) drops a reference to None each
    time ``QTextBlock.textList()`` or ``QTextCursor.currentList()`` returns no list, and each
    time a method returning nothing is called, until the interpreter aborts ("deallocating
    None"): ask only when the block format points at a list object.
    """
    if block.blockFormat().objectIndex() < 0:
        return None
    return block.textList()


def change_list_level(cursor: QTextCursor, delta: int) -> None:
    """Nest the selected list items one level deeper (``delta`` 1) or bring them out (-1).

    An item joins the list of its level just above it when there is one, so a run of nested
    items stays one list; brought out of the first level, it becomes a paragraph.
    """
    doc = cursor.document()
    first = doc.findBlock(cursor.selectionStart())
    last = doc.findBlock(cursor.selectionEnd())
    cursor.beginEditBlock()
    block = first
    while block.isValid():
        current = _text_list(block)
        if current is not None:
            fmt = current.format()
            level = fmt.indent() + delta
            current.remove(block)  # Qt then indents the paragraph by the list's indent
            plain = QTextBlockFormat(block.blockFormat())
            plain.setIndent(0)
            QTextCursor(block).setBlockFormat(plain)
            if level >= 1:
                _join_level(block, level, _is_ordered(fmt.style()))
        if block == last:
            break
        block = block.next()
    cursor.endEditBlock()


def split_interrupted_lists(doc: QTextDocument) -> bool:
    """Give a list that a paragraph interrupts a new list object after the paragraph.

    Qt keeps one list object across a paragraph taken out of its middle (Enter on an empty
    item, the list button on one item, Shift+Tab out of the first level), and ``toHtml()``
    then writes that paragraph inside the ``<ul>``, where it reads as one more item. Splitting
    the list makes the HTML say what the screen shows. Returns whether anything changed.
    """
    open_lists: list[tuple[int, int]] = []  # (indent, object index) from the outer list in
    closed: set[int] = set()
    replacement: dict[int, QTextList] = {}
    changed = False
    cursor = QTextCursor(doc)
    block = doc.begin()
    while block.isValid():
        current = _text_list(block)
        if current is None:
            closed.update(index for _indent, index in open_lists)
            open_lists.clear()
        else:
            index = current.objectIndex()
            if index in replacement:
                moved = replacement[index]
                if not changed:
                    cursor.beginEditBlock()
                changed = True
                current.remove(block)
                moved.add(block)
                current, index = moved, moved.objectIndex()
            indent = current.format().indent()
            while open_lists and (
                open_lists[-1][0] > indent
                or (open_lists[-1][0] == indent and open_lists[-1][1] != index)
            ):
                closed.add(open_lists.pop()[1])
            if not open_lists or open_lists[-1][1] != index:
                if index in closed:
                    if not changed:
                        cursor.beginEditBlock()
                    changed = True
                    fmt = current.format()
                    current.remove(block)
                    plain = QTextBlockFormat(block.blockFormat())
                    plain.setIndent(0)
                    QTextCursor(block).setBlockFormat(plain)
                    fresh = QTextCursor(block).createList(fmt)
                    replacement[index] = fresh
                    index = fresh.objectIndex()
                open_lists.append((indent, index))
        block = block.next()
    if changed:
        cursor.endEditBlock()
    return changed


def _join_level(block: QTextBlock, level: int, ordered: bool) -> None:
    """Put ``block`` in the list at ``level`` just above it, or in a new one of that kind."""
    above = block.previous()
    while above.isValid():
        found = _text_list(above)
        if found is None or found.format().indent() < level:
            break
        if found.format().indent() == level:
            found.add(block)
            return
        above = above.previous()
    fmt = QTextListFormat()
    fmt.setIndent(level)
    if ordered:
        fmt.setStyle(QTextListFormat.Style.ListDecimal)
    else:
        fmt.setStyle(_BULLETED[(level - 1) % len(_BULLETED)])
    QTextCursor(block).createList(fmt)


def _set_checked(action: QAction, checked: bool) -> None:
    """``action.setChecked`` only when it changes anything.

    This runs on every keystroke, and with PySide6 6.12 on Python 3.11 each call of a method
    returning nothing drops a reference to None (see :func:`_text_list`).
    """
    if action.isChecked() != checked:
        action.setChecked(checked)


def _is_ordered(style: QTextListFormat.Style) -> bool:
    return style not in _BULLETED


def _without_link(fmt: QTextCharFormat) -> QTextCharFormat:
    plain = QTextCharFormat(fmt)
    plain.setAnchor(False)
    plain.clearProperty(QTextFormat.Property.AnchorHref)
    plain.clearProperty(QTextFormat.Property.AnchorName)
    plain.clearForeground()
    plain.setFontUnderline(False)
    return plain
