"""The block palette: every registered block type, to drag onto the canvas or insert.

The list is read from :func:`editor.blocks.registry.all_types` each time it is built, so a new
block type (one module in ``editor/blocks/``, or a plug-in's registered type) shows up here with
its icon and label and no change to this file. The palette knows nothing of the document: a
drag carries the type name as :data:`~widgets.mime_types.BLOCK_TYPE_MIME` (the canvas decides
where it lands), and double-click or Enter asks the window to insert one
(:attr:`Palette.insert_requested`), after the selected block.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QMimeData, QObject, QSize, Qt, Signal
from PySide6.QtGui import QDrag, QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.blocks.registry import all_types
from editor.i18n import _
from widgets.mime_types import BLOCK_TYPE_MIME

TYPE_ROLE = Qt.ItemDataRole.UserRole + 1
"""The block type name an item stands for (str)."""

ICON_SIZE = 24


def block_type_mime(type_name: str) -> QMimeData:
    """What dragging one block type carries: its name, UTF-8, and the name as plain text."""
    data = QMimeData()
    data.setData(BLOCK_TYPE_MIME, type_name.encode("utf-8"))
    return data


class BlockTypeList(QListWidget):
    """The list of block types; drags carry the type, never a move out of the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
        self.setUniformItemSizes(True)
        self.setSpacing(2)

    def mimeTypes(self) -> list[str]:
        return [BLOCK_TYPE_MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        """The drag's data: the first item's type (the list drags one type at a time)."""
        names = [item.data(TYPE_ROLE) for item in items]
        return block_type_mime(names[0] if names else "")

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        item = self.currentItem()
        if item is None:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        drag.setPixmap(item.icon().pixmap(QSize(ICON_SIZE, ICON_SIZE), self.devicePixelRatioF()))
        drag.exec(Qt.DropAction.CopyAction)


class Palette(QWidget):
    """Every registered block type with its icon and name (the composer's left dock).

    Signals:
        insert_requested(str): the user asked for a new block of this type (double-click or
            Enter); the window inserts it after the selected block.
    """

    insert_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = BlockTypeList(self)
        self.list.setAccessibleName(_("Block types"))
        self.list.setToolTip(
            _("Drag a block onto the newsletter, or double-click it to add it after the selection.")
        )
        self.list.itemDoubleClicked.connect(self._request)
        self.list.installEventFilter(self)
        hint = QLabel(_("Drag onto the newsletter or double-click."), self)
        hint.setWordWrap(True)
        hint.setEnabled(False)  # greyed: a hint, not a control
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        layout.addWidget(hint)
        self.setFocusProxy(self.list)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the list from the registry (after registering a type or changing language)."""
        self.list.clear()
        for kind in all_types():
            label = kind.label()
            item = QListWidgetItem(QIcon(str(kind.icon_file)), label)
            item.setData(TYPE_ROLE, kind.name)
            item.setToolTip(_("Add a block: {label}").format(label=label))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def set_unavailable(self, reasons: Mapping[str, str]) -> None:
        """Grey out the types that cannot be added now (type name → why, shown as tooltip)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            name = item.data(TYPE_ROLE)
            why = reasons.get(name, "")
            flags = item.flags()
            if why:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsDragEnabled)
                item.setToolTip(why)
            else:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDragEnabled)
                item.setToolTip(_("Add a block: {label}").format(label=item.text()))

    def type_names(self) -> list[str]:
        """The type names shown, in order."""
        return [self.list.item(row).data(TYPE_ROLE) for row in range(self.list.count())]

    def item_for(self, type_name: str) -> QListWidgetItem | None:
        """The item of one block type (None when not shown)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(TYPE_ROLE) == type_name:
                return item
        return None

    def _request(self, item: QListWidgetItem) -> None:
        if item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.insert_requested.emit(item.data(TYPE_ROLE))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Enter and Return insert; single-click activation (some desktops) must not.
        if (
            watched is self.list
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.list.currentItem() is not None
        ):
            self._request(self.list.currentItem())
            return True
        return super().eventFilter(watched, event)
