"""The canvas: the newsletter as it will look, block by block, to select, drag and drop.

The canvas shows one :class:`~widgets.session.EditSession` and changes it only by pushing core
commands: a drop inserts or moves a block, the card toolbar and the keyboard go through
:class:`~widgets.canvas.actions.BlockActions`. It redraws on ``session.changed``; a card whose
block (and the theme) did not change is kept, so typing in one block redraws one card.

Where a drop lands is computed from the cards' rectangles by the pure function
:func:`widgets.canvas.drop.drop_target`; :meth:`Canvas.drop_path` exposes it.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMimeData,
    QPoint,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QMouseEvent,
    QPalette,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from editor.blocks.base import PAD
from editor.blocks.registry import block_type
from editor.clipboard import Clip
from editor.commands import Command, Composite, InsertBlock, MoveBlock, gap_to_path
from editor.document import (
    Block,
    ColumnsBlock,
    DocumentError,
    ImageBlock,
    Newsletter,
    block_from_json,
    block_to_json,
)
from editor.feeds import Post
from editor.i18n import _, ngettext
from editor.images import Prepared, prepare_for_email
from editor.locate import BlockPath, check_target, find_block, locate
from editor.package import PackageError, image_format
from widgets.background import BackgroundTask
from widgets.canvas.actions import (
    BlockActions,
    blocks_mime,
    insert_copies,
    paste_path,
    read_clip,
)
from widgets.canvas.cards import Card, CardContext, column_areas
from widgets.canvas.drop import Container, Drop, Rect, Slot, drop_target, gap_at
from widgets.inspector.image_panel import _read_and_prepare
from widgets.mime_types import BLOCK_TYPE_MIME, BLOCKS_MIME
from widgets.session import EditSession

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
INDICATOR = "#2563eb"
TOP_MARGIN = 24
AUTOSCROLL_EDGE = 32  # px from the canvas's top or bottom where a drag scrolls
AUTOSCROLL_STEP = 24


class _Backdrop(QWidget):
    """The page background around the newsletter; a click there selects the newsletter."""

    def __init__(self, canvas: Canvas) -> None:
        super().__init__()
        self._canvas = canvas
        self.setAutoFillBackground(True)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._canvas.card_pressed("")
        event.accept()


class _Page(_Backdrop):
    """The newsletter's content column (its width and background come from the theme)."""


class CardToolbar(QFrame):
    """The small toolbar on the selected card: move up, move down, duplicate, delete."""

    def __init__(self, actions: BlockActions, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setAccessibleName(_("Block tools"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        self.buttons: list[QToolButton] = []
        for action in (actions.move_up, actions.move_down, actions.duplicate, actions.delete):
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setAutoRaise(True)
            button.setAccessibleName(action.text().replace("&", ""))
            button.setToolTip(action.toolTip())
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the canvas keeps the keys
            layout.addWidget(button)
            self.buttons.append(button)


class Canvas(QWidget):
    """The composer's centre: every block drawn with the theme, selectable and draggable.

    Attributes:
        session: the document shown and edited.
        block_actions: the block actions (keyboard, card toolbar, Edit menu).
        token: identifies this canvas in drags and copies, to tell a move from a copy.

    Signals:
        edit_requested(str): a block was double-clicked (the window gives its editor the focus).
        preparing_changed(bool): dropped or pasted pictures are being made fit for email
            (True), or all are done (False).
    """

    edit_requested = Signal(str)
    preparing_changed = Signal(bool)

    def __init__(self, session: EditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.token = uuid.uuid4().hex
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(_("Newsletter canvas"))
        self.setToolTip("")

        self._backdrop = _Backdrop(self)
        self._page = _Page(self)
        self._page_layout = QVBoxLayout(self._page)
        self._page_layout.setContentsMargins(0, 16, 0, 16)
        self._page_layout.setSpacing(0)
        self._empty = QLabel(
            _("This newsletter is empty: drag blocks here from the palette."), self._page
        )
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setMinimumHeight(160)
        self._empty.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._empty.setStyleSheet("QLabel { color: #6b7280; }")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self._page)
        row.addStretch(1)
        outer = QVBoxLayout(self._backdrop)
        outer.setContentsMargins(12, TOP_MARGIN, 12, TOP_MARGIN)
        outer.addLayout(row)
        outer.addStretch(1)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setWidget(self._backdrop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scroll)

        self._indicator = QFrame(self._page)
        self._indicator.setStyleSheet(f"QFrame {{ background-color: {INDICATOR}; }}")
        self._indicator.hide()

        self._image_tasks: dict[BackgroundTask, BlockPath] = {}
        self.block_actions = BlockActions(
            session, self, self.token, self.scroll_to, self.paste_picture
        )
        self._toolbar = CardToolbar(self.block_actions, self._backdrop)
        self._toolbar.hide()
        # Nested layouts settle on the next pass of the event loop: place the toolbar then too.
        # A timer the canvas owns dies with it (a bare singleShot would outlive the cards).
        self._place_later = QTimer(self)
        self._place_later.setSingleShot(True)
        self._place_later.setInterval(0)
        self._place_later.timeout.connect(self._place_toolbar)

        self._cards: dict[str, Card] = {}
        self._top: list[Card] = []
        self._reuse: dict[str, tuple[str | None, Card]] = {}
        self._pictures: dict[tuple[str, int, float], QImage | QPixmap] = {}
        self._last_clip: tuple[bytes, Clip | None] = (b"", None)  # decoded once per drag
        self.rebuilds = 0  # full redraws of the cards (kept ones not counted), for tests

        session.changed.connect(self.rebuild)
        session.selection_changed.connect(self._selection_changed)
        self.rebuild()

    # ------------------------------------------------------------------------------ public

    def actions_for_menu(self) -> list[QAction]:
        """The block actions for the window's Edit menu (cut, copy, paste, duplicate, …)."""
        return self.block_actions.for_menu()

    def card(self, block_id: str) -> Card | None:
        """The card showing ``block_id`` (columns' children included), if any."""
        return self._cards.get(block_id)

    def cards(self) -> list[Card]:
        """Every card, in reading order."""
        return list(self._cards.values())

    def scroll_to(self, block_id: str) -> None:
        """Bring the card of ``block_id`` (and its toolbar) into view when it is not already.

        A card taller than the view only needs to be partly visible: jumping to its top while
        the user works in its lower half would be worse than not scrolling.
        """
        card = self._cards.get(block_id)
        if card is None:
            return
        viewport = self._scroll.viewport()
        needed = max(card.height(), self._toolbar.sizeHint().height())
        top = card.mapTo(self._backdrop, QPoint(0, 0)).y()
        bar = self._scroll.verticalScrollBar()
        shown = QRect(0, top - bar.value(), 1, needed).intersected(viewport.rect()).height()
        if needed > viewport.height():
            if shown < 40:
                bar.setValue(top - 8)
        elif shown < needed:
            above = top < bar.value()
            bar.setValue(top - 8 if above else top + needed + 8 - viewport.height())

    def drop_path(self, pos: QPoint, *, into_columns: bool = True) -> BlockPath | None:
        """The gap a drop at ``pos`` (canvas coordinates) lands in; None when nowhere."""
        drop = self._drop_at(pos, into_columns)
        return None if drop is None else drop.path

    def containers(self) -> list[Container]:
        """The cards' geometry, in page coordinates: the top level, then each column."""
        page = self._page

        def rect(widget: QWidget) -> Rect:
            at = widget.mapTo(page, QPoint(0, 0))
            return Rect(at.x(), at.y(), widget.width(), widget.height())

        found = [
            Container(
                Rect(0, 0, page.width(), page.height()),
                tuple(Slot(c.block_id, rect(c)) for c in self._top),
            )
        ]
        for card in self._top:
            for area in column_areas(card):
                slots = tuple(Slot(c.block_id, rect(c)) for c in area.cards)
                found.append(Container(rect(area), slots, area.columns_id, area.column))
        return found

    # ----------------------------------------------------------------------------- drawing

    def redraw(self) -> None:
        """Redraw every card (after a language change: cards hold translated words)."""
        self._reuse = {key: (None, card) for key, (_old, card) in self._reuse.items()}
        self.rebuild()

    def rebuild(self) -> None:
        """Redraw after a change: cards whose block and theme are unchanged are kept."""
        doc = self.session.document
        theme = doc.theme
        self._page.setFixedWidth(theme.content_width)
        _fill(self._page, theme.content_background)
        _fill(self._backdrop, theme.page_background)
        style = json.dumps([dataclasses.asdict(theme), doc.language])
        feeds_read = [0]

        def posts(url: str, count: int) -> list[Post]:
            feeds_read[0] += 1
            return self.session.feeds.posts(url, count)

        ctx = CardContext(
            theme,
            doc.language,
            self.session.file.images,
            posts,
            self,
            self._pictures,
        )
        old, self._reuse = self._reuse, {}
        before, self._top = self._top, []
        for block in doc.blocks:
            key: str | None = style + json.dumps(block_to_json(block), sort_keys=True)
            kept = old.pop(block.id, None)
            if kept is not None and kept[0] == key:
                card = kept[1]
            else:
                feeds_read[0] = 0
                card = Card(block, ctx, PAD, theme.content_width - 2 * PAD, self._page)
                self.rebuilds += 1
                if feeds_read[0]:
                    key = None  # shows the feed cache, which changes on its own: never kept
                if kept is not None:
                    old[block.id] = kept  # discarded below
            self._reuse[block.id] = (key, card)
            self._top.append(card)
        same_order = [c.block_id for c in before] == [c.block_id for c in self._top]
        if same_order and doc.blocks:
            # Only some cards were redrawn: swap them in place, the others do not move.
            for was, card in zip(before, self._top, strict=True):
                if was is not card:
                    self._page_layout.replaceWidget(was, card)
                    card.show()
        else:
            while self._page_layout.count():
                self._page_layout.takeAt(0)
            for card in self._top:
                self._page_layout.addWidget(card)
                card.show()
            if not doc.blocks:
                self._page_layout.addWidget(self._empty)
        self._empty.setVisible(not doc.blocks)
        for _key, card in old.values():
            _discard(card)
        self._cards = {}
        for card in self._top:
            self._cards[card.block_id] = card
            for area in column_areas(card):
                for child in area.cards:
                    self._cards[child.block_id] = child
        # Keep only the decoded pictures still shown.
        used = {b.src for b in doc.walk() if isinstance(b, ImageBlock)}
        for picture in list(self._pictures):
            if picture[0] not in used:
                del self._pictures[picture]
        self._page_layout.activate()
        self._selection_changed(self.session.selected)

    def _selection_changed(self, block_id: str) -> None:
        for card in self._cards.values():
            card.set_selected(card.block_id == block_id)
        self._place_toolbar()
        if block_id:
            self.scroll_to(block_id)
        self._place_later.start()

    def _place_toolbar(self) -> None:
        card = self._cards.get(self.session.selected)
        bar = self._toolbar
        if card is None or not card.isVisible():
            bar.hide()
            return
        bar.adjustSize()
        at = card.mapTo(self._backdrop, QPoint(0, 0))
        page_right = self._page.mapTo(self._backdrop, QPoint(self._page.width(), 0)).x()
        if self._backdrop.width() - page_right >= bar.width() + 8:
            x = page_right + 6  # beside the newsletter: covers nothing
        else:
            x = at.x() + card.width() - bar.width() - 2
        bar.move(x, at.y())
        bar.show()
        bar.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_later.start()

    # ------------------------------------------------------------------- cards tell us

    def card_pressed(self, block_id: str) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.session.select(block_id)

    def card_double_clicked(self, block_id: str) -> None:
        self.session.select(block_id)
        self.edit_requested.emit(block_id)

    def card_dragged(self, block_id: str) -> None:
        """Start moving a block (or copying it into another window)."""
        try:
            block = find_block(self.session.document, block_id)
        except DocumentError:
            return
        drag = QDrag(self)
        drag.setMimeData(blocks_mime([block], self.session, self.token))
        card = self._cards.get(block_id)
        if card is not None:
            picture = card.grab()
            drag.setPixmap(picture.scaledToWidth(min(picture.width(), 300)))
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, Qt.DropAction.MoveAction)

    # ----------------------------------------------------------------------- drag and drop

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        data = event.mimeData()
        if data.hasFormat(BLOCKS_MIME) or data.hasFormat(BLOCK_TYPE_MIME) or data.hasUrls():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        pos = event.position().toPoint()
        self._autoscroll(pos)
        drop, action, refusal = self._plan(event.mimeData(), pos)
        if drop is None:
            self._indicator.hide()
            if refusal:
                QToolTip.showText(self.mapToGlobal(pos), refusal, self)
            event.ignore()
            return
        line = drop.line
        self._indicator.setGeometry(line.x, line.y, line.width, line.height)
        self._indicator.show()
        self._indicator.raise_()
        event.setDropAction(action)
        event.accept()

    def _autoscroll(self, pos: QPoint) -> None:
        """Near the top or bottom edge, a drag scrolls the newsletter (to reach any gap)."""
        bar = self._scroll.verticalScrollBar()
        if pos.y() < AUTOSCROLL_EDGE:
            bar.setValue(bar.value() - AUTOSCROLL_STEP)
        elif pos.y() > self.height() - AUTOSCROLL_EDGE:
            bar.setValue(bar.value() + AUTOSCROLL_STEP)

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._indicator.hide()
        QToolTip.hideText()

    def dropEvent(self, event: QDropEvent) -> None:
        self._indicator.hide()
        QToolTip.hideText()
        pos = event.position().toPoint()
        drop, action, refusal = self._plan(event.mimeData(), pos)
        if drop is None:
            if refusal:
                self.session.error.emit(refusal)
            event.ignore()
            return
        if self._apply(event.mimeData(), drop.path):
            event.setDropAction(action)
            event.accept()
        else:
            event.ignore()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clip(self, data: QMimeData) -> Clip | None:
        """The blocks a drag carries, decoded and checked once (not on every mouse move)."""
        raw = bytes(data.data(BLOCKS_MIME).data())
        if raw != self._last_clip[0]:
            self._last_clip = (raw, read_clip(raw))
        return self._last_clip[1]

    def _drop_at(self, pos: QPoint, into_columns: bool) -> Drop | None:
        at = self._page.mapFrom(self, pos)
        return drop_target(self.containers(), at.x(), at.y(), into_columns=into_columns)

    def _plan(self, data: QMimeData, pos: QPoint) -> tuple[Drop | None, Qt.DropAction, str]:
        """Where ``data`` would land at ``pos``, with which action, or why it cannot."""
        copy = Qt.DropAction.CopyAction
        if data.hasFormat(BLOCKS_MIME):
            clip = self._clip(data)
            if clip is None:
                return None, copy, _("These blocks cannot be dropped here.")
            into = all(b.IN_COLUMNS for b in clip.blocks)
            own = clip.source == self.token
            moving = clip.blocks[0].id if own and len(clip.blocks) == 1 else ""
            drop, refusal = self._fit(self._drop_at(pos, into), clip.blocks, moving)
            return drop, Qt.DropAction.MoveAction if own else copy, refusal
        if data.hasFormat(BLOCK_TYPE_MIME):
            name = bytes(data.data(BLOCK_TYPE_MIME).data()).decode("utf-8", "replace")
            try:
                kind = block_type(name)
                block = block_from_json({"type": name})
            except DocumentError:
                return None, copy, ""
            drop, refusal = self._fit(self._drop_at(pos, kind.cls.IN_COLUMNS), [block])
            return drop, copy, refusal
        if data.hasUrls():
            files = [url.toLocalFile() for url in data.urls() if url.isLocalFile()]
            if files and all(Path(f).suffix.lower() in IMAGE_SUFFIXES for f in files):
                drop, refusal = self._fit(self._drop_at(pos, True), [ImageBlock(src="", alt="")])
                return drop, copy, refusal
            names = ", ".join(Path(f).name for f in files) or _("This item")
            return (
                None,
                copy,
                _(
                    "{names}: only PNG, JPEG, GIF or WebP images can be dropped on the newsletter."
                ).format(names=names),
            )
        return None, copy, ""

    def _fit(
        self, drop: Drop | None, blocks: Sequence[Block], moving: str = ""
    ) -> tuple[Drop | None, str]:
        """``drop``, or the nearest gap of its container where the core takes ``blocks``
        (``moving``: the id of the one block moved), so the indicator never offers a place
        the drop would be refused: nothing after the footer, a footer only last and once.
        None, with the core's reason, when no gap of the container will do."""
        if drop is None or not blocks:
            return drop, ""
        doc = self.session.document
        if moving:
            try:
                blocks = [find_block(doc, moving)]  # the document's own (checks compare identity)
            except DocumentError:
                return None, ""
        container = next(
            c
            for c in self.containers()
            if c.columns_id == drop.path.columns_id
            and (c.columns_id is None or c.column == drop.path.column)
        )
        pointed = drop.path.index
        order = sorted(range(len(container.cards) + 1), key=lambda i: (abs(i - pointed), i))
        refusal = ""
        for index in order:
            gap = drop.path.at(index)
            try:
                for block in blocks:
                    if moving:
                        check_target(doc, gap_to_path(doc, moving, gap), block, moving=True)
                    else:
                        check_target(doc, gap, block)
            except DocumentError as exc:
                refusal = refusal or str(exc)
                continue
            return (drop if index == pointed else gap_at(container, index)), ""
        return None, refusal

    def _apply(self, data: QMimeData, gap: BlockPath) -> bool:
        """Do the drop at ``gap`` (counted with every block in place)."""
        session = self.session
        if data.hasFormat(BLOCKS_MIME):
            clip = self._clip(data)
            if clip is None:
                return False
            if clip.source == self.token and len(clip.blocks) == 1:
                return self._move(clip.blocks[0].id, gap)
            ids = insert_copies(session, clip, gap, _("Drop blocks"))
            if ids:
                session.select(ids[0])
            return bool(ids)
        if data.hasFormat(BLOCK_TYPE_MIME):
            name = bytes(data.data(BLOCK_TYPE_MIME).data()).decode("utf-8", "replace")
            try:
                block = block_from_json({"type": name})
            except DocumentError as exc:
                session.error.emit(str(exc))
                return False
            return self._insert([block], gap, _("Add block"))
        return self._drop_images(data, gap)

    def _move(self, block_id: str, gap: BlockPath) -> bool:
        doc = self.session.document
        try:
            origin = locate(doc, block_id)
            target = gap_to_path(doc, block_id, gap)
        except DocumentError:
            return False
        if target == origin or (target.same_container(origin) and target.index == origin.index):
            return True  # dropped where it was: nothing to undo
        if self.session.push(MoveBlock(block_id, target)):
            self.session.select(block_id)
            return True
        return False

    def _insert(self, blocks: list[Block], gap: BlockPath, label: str) -> bool:
        steps: tuple[Command, ...] = tuple(
            InsertBlock(gap.at(gap.index + offset), block) for offset, block in enumerate(blocks)
        )
        command: Command = steps[0] if len(steps) == 1 else Composite(label, steps)
        if not self.session.push(command):
            return False
        self.session.select(blocks[0].id)
        return True

    def _drop_images(self, data: QMimeData, gap: BlockPath) -> bool:
        """Image files from the desktop: checked by their first bytes here, then read, resized
        and recompressed for email off the UI thread (a 20-megapixel photo takes a while),
        then embedded and inserted at ``gap`` in one undo step (no alt text yet: the findings
        ask for it)."""
        paths = [Path(url.toLocalFile()) for url in data.urls()]
        for path in paths:
            try:
                with path.open("rb") as stream:
                    head = stream.read(16)
            except OSError as exc:
                self.session.error.emit(
                    _("{name} cannot be read: {reason}").format(
                        name=path.name, reason=exc.strerror or exc
                    )
                )
                return False
            if image_format(head) is None:
                self.session.error.emit(
                    _('"{filename_or_ext}" is not a PNG, JPEG, GIF or WebP image.').format(
                        filename_or_ext=path.name
                    )
                )
                return False
        if not paths:
            return False
        width = display_width(self.session.document, gap)
        self._prepare_images(lambda: [_read_and_prepare(str(p), width) for p in paths], gap)
        return True

    def paste_picture(self, picture: QImage, gap: BlockPath) -> None:
        """A picture from the clipboard (a screenshot): encoded and made fit for email off the
        UI thread, then inserted at ``gap`` like a dropped file."""
        width = display_width(self.session.document, gap)
        copy = picture.copy()  # QImage is reentrant: the copy is the worker's alone

        def work() -> list[tuple[str, Prepared]]:
            name = _("pasted image")
            return [(name, prepare_for_email(_png_bytes(copy), width, name=name))]

        self._prepare_images(work, gap)

    def images_pending(self) -> int:
        """How many dropped or pasted pictures are still being prepared."""
        return len(self._image_tasks)

    def _prepare_images(
        self, work: Callable[[], list[tuple[str, Prepared]]], gap: BlockPath
    ) -> None:
        task = BackgroundTask(work)
        self._image_tasks[task] = gap
        task.succeeded.connect(self._images_prepared)
        task.failed.connect(self._images_failed)
        task.finished.connect(self._image_task_finished)
        self.setCursor(Qt.CursorShape.BusyCursor)
        self.preparing_changed.emit(True)
        task.start()

    def _images_prepared(self, result: Any) -> None:
        task = self.sender()
        gap = self._image_tasks.get(task)  # type: ignore[call-overload]
        if gap is None:
            return
        blocks: list[Block] = []
        for name, prepared in result:
            try:
                ref = self.session.file.add_image(prepared.data, name)
            except PackageError as exc:
                self.session.error.emit(str(exc))
                return
            blocks.append(ImageBlock(src=ref, alt=""))
        label = ngettext("Add {count} image", "Add {count} images", len(blocks)).format(
            count=len(blocks)
        )
        self._insert(blocks, self._still_valid(gap, blocks), label)

    def _still_valid(self, gap: BlockPath, blocks: list[Block]) -> BlockPath:
        """``gap``, or the end (before a final footer) when edits made meanwhile removed it."""
        doc = self.session.document
        try:
            check_target(doc, gap, blocks[0])
        except DocumentError:
            return paste_path(doc, "", blocks)
        return gap

    def _images_failed(self, error: BaseException) -> None:
        if isinstance(error, DocumentError):
            self.session.error.emit(str(error))
        elif isinstance(error, OSError):
            self.session.error.emit(
                _("{name} cannot be read: {reason}").format(
                    name=Path(error.filename or "").name, reason=error.strerror or error
                )
            )
        else:
            self.session.error.emit(_("Unexpected error: {error!r}").format(error=error))

    def _image_task_finished(self) -> None:
        self._image_tasks.pop(self.sender(), None)  # type: ignore[call-overload]
        if not self._image_tasks:
            self.unsetCursor()
            self.preparing_changed.emit(False)


def display_width(doc: Newsletter, gap: BlockPath) -> int:
    """How wide a full-width image shows at ``gap``: the content, or its column's share."""
    width = doc.theme.content_width
    if gap.columns_id is None:
        return width
    try:
        block = find_block(doc, gap.columns_id)
    except DocumentError:
        return width
    if isinstance(block, ColumnsBlock) and 0 <= gap.column < len(block.widths):
        return max(1, width * block.widths[gap.column] // 100)
    return width


def _png_bytes(picture: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    picture.save(buffer, "PNG", 90)  # type: ignore[call-overload]  # stubs say bytes; fast level
    buffer.close()
    return bytes(data.data())


def _fill(widget: QWidget, color: str) -> None:
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(color))
    widget.setPalette(palette)


def _discard(card: Card) -> None:
    card.hide()
    card.setParent(None)
    card.deleteLater()
