"""The outline: a read-only tree of the document's blocks, one row per block.

Two columns, the kind of block and a one-line summary of what it holds; the blocks of a columns
block are nested under one row per column. Each block row carries the block id
(:data:`BLOCK_ID_ROLE`), so later panels (spam findings, the canvas) can select the same block.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from editor.blocks.registry import type_of
from editor.document import Block, ColumnsBlock, Newsletter
from editor.feeds import shorten
from editor.i18n import _

BLOCK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The id of the block a row shows (str); None on the rows that stand for a column."""

SUMMARY_LENGTH = 60


def block_label(block: Block) -> str:
    """The kind of block, as the user calls it."""
    return type_of(block).label()


def block_summary(block: Block) -> str:
    """One short line saying what the block holds (empty when there is nothing to say)."""
    return shorten(" ".join(type_of(block).summary(block).split()), SUMMARY_LENGTH)


def block_icon(block: Block) -> QIcon:
    """The block type's line icon (from ``resources/icons/blocks``)."""
    return QIcon(str(type_of(block).icon_file))


class OutlineModel(QStandardItemModel):
    """The blocks of one newsletter as a two-column, read-only tree."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels([_("Block"), _("Content")])

    def set_newsletter(self, newsletter: Newsletter | None) -> None:
        """Show ``newsletter``'s blocks (nothing when None)."""
        self.removeRows(0, self.rowCount())
        if newsletter is None:
            return
        root = self.invisibleRootItem()
        for block in newsletter.blocks:
            row = _block_row(block)
            root.appendRow(row)
            if isinstance(block, ColumnsBlock):
                for number, (column, width) in enumerate(
                    zip(block.columns, block.widths, strict=True), start=1
                ):
                    column_row = _row(_("Column {number}").format(number=number), f"{width} %")
                    row[0].appendRow(column_row)
                    for child in column.blocks:
                        column_row[0].appendRow(_block_row(child))

    def block_id(self, index: QModelIndex) -> str | None:
        value = index.siblingAtColumn(0).data(BLOCK_ID_ROLE)
        return value if isinstance(value, str) else None


def _block_row(block: Block) -> list[QStandardItem]:
    row = _row(block_label(block), block_summary(block), block.id)
    row[0].setIcon(block_icon(block))
    return row


def _row(label: str, summary: str, block_id: str | None = None) -> list[QStandardItem]:
    items = [QStandardItem(label), QStandardItem(summary)]
    for item in items:
        item.setEditable(False)
        item.setData(block_id, BLOCK_ID_ROLE)
        item.setToolTip(summary)
    return items


class OutlineView(QTreeView):
    """The tree that shows an :class:`OutlineModel`; always fully expanded."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.outline = OutlineModel(self)
        self.setModel(self.outline)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setIndentation(14)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)

    def set_newsletter(self, newsletter: Newsletter | None) -> None:
        self.outline.set_newsletter(newsletter)
        self.expandAll()
