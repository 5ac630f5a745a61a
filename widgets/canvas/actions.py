"""What the keyboard, the card toolbar and the Edit menu do to blocks, as QActions.

Each action turns into one core command pushed on the session (so one undo step), or into
clipboard work. The same QAction objects serve the canvas's shortcuts (active only while the
canvas has the focus, so Ctrl+C in a text field still copies text), the selected card's small
toolbar, and the window's Edit menu (:meth:`BlockActions.for_menu`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QMimeData, QObject, Qt
from PySide6.QtGui import QAction, QIcon, QImage, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from editor import clipboard
from editor.clipboard import Clip, renew_ids
from editor.commands import Command, Composite, DuplicateBlock, InsertBlock, MoveBlock, RemoveBlock
from editor.document import Block, DocumentError, FooterBlock, ImageBlock, Newsletter
from editor.i18n import _, ngettext
from editor.locate import BlockPath, can_place, container, find_block, locate
from editor.package import PackageError
from editor.settings import resources_dir
from widgets.mime_types import BLOCKS_MIME
from widgets.session import EditSession

Key = QKeySequence.StandardKey


def action_icon(name: str) -> QIcon:
    """One of the canvas's line icons (``resources/icons/actions/<name>.svg``)."""
    return QIcon(str(resources_dir() / "icons" / "actions" / f"{name}.svg"))


# ------------------------------------------------------------------------- document positions


def moved_path(doc: Newsletter, block_id: str, step: int) -> BlockPath | None:
    """Where "move up" (-1) or "move down" (+1) takes a block; None at the top or bottom.

    Within its container the block swaps with its neighbour; at the edge of a column it steps
    out, just before or after the columns block (so a keyboard user can take it out). None
    too where the core would refuse the move (the footer stays last).
    """
    path = locate(doc, block_id)
    target = path.index + step
    moved: BlockPath | None = None
    if 0 <= target < len(container(doc, path)):
        moved = path.at(target)
    elif path.columns_id is not None:
        outer = locate(doc, path.columns_id)
        moved = outer.at(outer.index if step < 0 else outer.index + 1)
    if moved is None or not can_place(doc, moved, find_block(doc, block_id), moving=True):
        return None  # e.g. past the footer, which ends the newsletter
    return moved


def paste_path(doc: Newsletter, selected: str, blocks: Sequence[Block]) -> BlockPath:
    """Where pasted blocks go: just after the selection, in its container when it can hold
    them (else after the columns block), and before a final footer rather than after it."""
    if selected:
        path = locate(doc, selected)
        if path.columns_id is not None and any(not b.IN_COLUMNS for b in blocks):
            path = locate(doc, path.columns_id)
        path = path.at(path.index + 1)
    else:
        path = BlockPath(len(doc.blocks))
    if path.is_top and path.index == len(doc.blocks) and doc.blocks:
        footer_last = isinstance(doc.blocks[-1], FooterBlock)
        if footer_last and not any(isinstance(b, FooterBlock) for b in blocks):
            path = path.at(path.index - 1)
    return path


def insert_copies(session: EditSession, clip: Clip, path: BlockPath, label: str) -> list[str]:
    """Insert copies of ``clip``'s blocks (fresh ids, images added to the file) at ``path``,
    as one undo step; their ids, or [] when the core refused (``session.error`` says why)."""
    copies = [renew_ids(b) for b in clip.blocks]
    missing = sorted(
        ref
        for ref in clipboard.used_images(copies)
        if ref not in clip.images and ref not in session.file.images
    )
    if missing:
        session.error.emit(_("The copied blocks use an image that is no longer available."))
        return []
    try:
        for ref, data in clip.images.items():
            session.file.add_image(data, ref)
    except PackageError as exc:
        session.error.emit(str(exc))
        return []
    steps: tuple[Command, ...] = tuple(
        InsertBlock(path.at(path.index + offset), block) for offset, block in enumerate(copies)
    )
    command: Command = steps[0] if len(steps) == 1 else Composite(label, steps)
    return [b.id for b in copies] if session.push(command) else []


def read_clip(raw: bytes) -> Clip | None:
    """Bulletin blocks from raw clipboard (or drag) data; None when there are none usable."""
    try:
        return clipboard.decode(raw)
    except DocumentError:
        return None


# ------------------------------------------------------------------------------------ actions


class BlockActions(QObject):
    """The block actions of one canvas.

    Attributes:
        select_previous, select_next: Up / Down, the selection in reading order.
        move_up, move_down: Ctrl+Up / Ctrl+Down.
        duplicate: Ctrl+D. delete: Delete.
        cut, copy, paste: the clipboard's usual keys, with blocks.
    """

    def __init__(
        self,
        session: EditSession,
        owner: QWidget,
        token: str,
        scroll_to: Callable[[str], None],
        paste_picture: Callable[[QImage, BlockPath], None],
    ) -> None:
        super().__init__(owner)
        self.session, self._owner, self._token, self._scroll_to = session, owner, token, scroll_to
        self._paste_picture_at = paste_picture

        def make(
            text: str, keys: Key | str, tip: str, slot: Callable[[], object], icon: str = ""
        ) -> QAction:
            action = QAction(text, owner)
            if isinstance(keys, str):
                action.setShortcut(QKeySequence(keys))
            else:
                action.setShortcuts(QKeySequence.keyBindings(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(tip)
            action.setStatusTip(tip)
            if icon:
                action.setIcon(action_icon(icon))
            action.triggered.connect(slot)
            owner.addAction(action)
            return action

        self.select_previous = make(
            _("Select Previous Block"), "Up", _("Select the block above"), lambda: self.step(-1)
        )
        self.select_next = make(
            _("Select Next Block"), "Down", _("Select the block below"), lambda: self.step(1)
        )
        self.move_up = make(
            _("Move Block &Up"),
            "Ctrl+Up",
            _("Move the selected block up (Ctrl+Up)"),
            lambda: self.move(-1),
            "move-up",
        )
        self.move_down = make(
            _("Move Block &Down"),
            "Ctrl+Down",
            _("Move the selected block down (Ctrl+Down)"),
            lambda: self.move(1),
            "move-down",
        )
        self.duplicate = make(
            _("D&uplicate Block"),
            "Ctrl+D",
            _("Duplicate the selected block (Ctrl+D)"),
            self.duplicate_selected,
            "duplicate",
        )
        self.delete = make(
            _("&Delete Block"),
            Key.Delete,
            _("Delete the selected block (Delete)"),
            self.delete_selected,
            "delete",
        )
        self.cut = make(
            _("Cu&t Block"), Key.Cut, _("Cut the selected block"), self.cut_selected, "cut"
        )
        self.copy = make(
            _("&Copy Block"), Key.Copy, _("Copy the selected block"), self.copy_selected, "copy"
        )
        self.paste = make(
            _("&Paste Blocks"),
            Key.Paste,
            _("Paste the copied blocks (or a picture) after the selection"),
            self.paste_clipboard,
            "paste",
        )
        session.selection_changed.connect(self.update_enabled)
        session.changed.connect(self.update_enabled)
        QApplication.clipboard().dataChanged.connect(self.update_enabled)
        self.update_enabled()

    def for_menu(self) -> list[QAction]:
        """The actions an Edit menu lists, in its usual order."""
        return [
            self.cut,
            self.copy,
            self.paste,
            self.duplicate,
            self.delete,
            self.move_up,
            self.move_down,
        ]

    def update_enabled(self) -> None:
        selected = self.session.selected
        doc = self.session.document
        for action in (self.duplicate, self.delete, self.cut, self.copy):
            action.setEnabled(bool(selected))
        if selected and isinstance(doc.find(selected), FooterBlock):
            self.duplicate.setEnabled(False)  # one footer per newsletter
        self.move_up.setEnabled(bool(selected) and moved_path(doc, selected, -1) is not None)
        self.move_down.setEnabled(bool(selected) and moved_path(doc, selected, 1) is not None)
        data = QApplication.clipboard().mimeData()
        self.paste.setEnabled(data is not None and (data.hasFormat(BLOCKS_MIME) or data.hasImage()))

    # ---------------------------------------------------------------------------- handlers

    def _select(self, block_id: str) -> None:
        self.session.select(block_id)
        if block_id:
            self._scroll_to(block_id)

    def step(self, step: int) -> None:
        """Select the block before (-1) or after (+1) the selection, in reading order."""
        order = [b.id for b in self.session.document.walk()]
        if not order:
            return
        selected = self.session.selected
        if selected not in order:
            self._select(order[0] if step > 0 else order[-1])
            return
        index = order.index(selected) + step
        if 0 <= index < len(order):
            self._select(order[index])

    def move(self, step: int) -> None:
        selected = self.session.selected
        if not selected:
            return
        target = moved_path(self.session.document, selected, step)
        if target is not None and self.session.push(MoveBlock(selected, target)):
            self._scroll_to(selected)

    def duplicate_selected(self) -> None:
        selected = self.session.selected
        if not selected:
            return
        command = DuplicateBlock.of(self.session.document, selected)
        if self.session.push(command):
            self._select(command.new_ids[0])

    def delete_selected(self) -> None:
        selected = self.session.selected
        if not selected:
            return
        doc = self.session.document
        path = locate(doc, selected)
        siblings = container(doc, path)
        if path.index + 1 < len(siblings):
            after = siblings[path.index + 1].id
        elif path.index > 0:
            after = siblings[path.index - 1].id
        else:
            after = path.columns_id or ""
        if self.session.push(RemoveBlock(selected)):
            self._select(after)

    def copy_selected(self) -> None:
        selected = self.session.selected
        if not selected:
            return
        session = self.session
        block = find_block(session.document, selected)
        data = QApplication.clipboard()
        mime = blocks_mime([block], session, self._token)
        page, text = clipboard.render([block], session.document, session.file.images, session.feeds)
        mime.setHtml(page)
        mime.setText(text)
        data.setMimeData(mime)

    def cut_selected(self) -> None:
        if self.session.selected:
            self.copy_selected()
            self.delete_selected()

    def paste_clipboard(self) -> None:
        """Paste copied blocks, or a picture (a screenshot, an image copied in a browser)."""
        data = QApplication.clipboard().mimeData()
        if data is not None and not data.hasFormat(BLOCKS_MIME) and data.hasImage():
            self._paste_picture(QApplication.clipboard().image())
            return
        if data is None or not data.hasFormat(BLOCKS_MIME):
            return
        clip = read_clip(bytes(data.data(BLOCKS_MIME).data()))
        if clip is None:
            self.session.error.emit(_("The clipboard does not hold Bulletin blocks."))
            return
        path = paste_path(self.session.document, self.session.selected, clip.blocks)
        label = ngettext("Paste {count} block", "Paste {count} blocks", len(clip.blocks)).format(
            count=len(clip.blocks)
        )
        ids = insert_copies(self.session, clip, path, label)
        if ids:
            self._select(ids[0])

    def _paste_picture(self, picture: QImage) -> None:
        """A picture from the clipboard becomes an image block after the selection, made fit
        for email off the UI thread (no alt text yet: the findings ask for it)."""
        if picture.isNull():
            return
        probe = ImageBlock(src="", alt="")
        path = paste_path(self.session.document, self.session.selected, [probe])
        self._paste_picture_at(picture, path)


def blocks_mime(blocks: Sequence[Block], session: EditSession, token: str) -> QMimeData:
    """Bulletin's own form of ``blocks`` (a drag or a copy), with the images they use."""
    mime = QMimeData()
    mime.setData(BLOCKS_MIME, clipboard.encode(blocks, session.file.images, token).encode("utf-8"))
    return mime
