"""The outline: a read-only tree of the document's blocks, one row per block.

Two columns, the kind of block and a one-line summary of what it holds; the blocks of a columns
block are nested under one row per column. Each block row carries the block id
(:data:`BLOCK_ID_ROLE`), so later panels (spam findings, the canvas) can select the same block.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from editor.document import (
    Block,
    ButtonBlock,
    ColumnsBlock,
    DividerBlock,
    FooterBlock,
    HeadingBlock,
    HtmlBlock,
    ImageBlock,
    Newsletter,
    PostsBlock,
    SocialBlock,
    SpacerBlock,
    TextBlock,
)
from editor.feeds import plain_text, shorten
from editor.i18n import language, t
from editor.social import NETWORK_LABELS

BLOCK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
"""The id of the block a row shows (str); None on the rows that stand for a column."""

SUMMARY_LENGTH = 60


def block_label(block: Block) -> str:
    """The kind of block, as the user calls it."""
    labels = {
        "heading": t("Titre", "Heading"),
        "text": t("Texte", "Text"),
        "image": t("Image", "Image"),
        "button": t("Bouton", "Button"),
        "divider": t("Séparateur", "Divider"),
        "spacer": t("Espace", "Spacer"),
        "social": t("Réseaux sociaux", "Social links"),
        "columns": t("Colonnes", "Columns"),
        "posts": t("Derniers articles", "Latest posts"),
        "footer": t("Pied de page", "Footer"),
        "html": t("HTML", "HTML"),
    }
    return labels.get(block.TYPE, block.TYPE)


def block_summary(block: Block) -> str:
    """One short line saying what the block holds (empty when there is nothing to say)."""
    return shorten(" ".join(_summary(block).split()), SUMMARY_LENGTH)


def _summary(block: Block) -> str:
    if isinstance(block, HeadingBlock):
        return f"H{block.level} · {block.text}"
    if isinstance(block, TextBlock | HtmlBlock):
        return plain_text(block.html)
    if isinstance(block, ImageBlock):
        where = block.src.rsplit("/", 1)[-1] if block.is_remote else ""
        return block.alt or where or t("(sans texte alternatif)", "(no alt text)")
    if isinstance(block, ButtonBlock):
        return f"{block.label} → {block.url}" if block.url else block.label
    if isinstance(block, DividerBlock):
        return f"{block.thickness} px, {block.width_percent} %"
    if isinstance(block, SpacerBlock):
        return f"{block.height} px"
    if isinstance(block, SocialBlock):
        index = 0 if language() == "fr" else 1
        return ", ".join(NETWORK_LABELS[link.network][index] for link in block.links)
    if isinstance(block, ColumnsBlock):
        return block.ratio.replace("-", " / ")
    if isinstance(block, PostsBlock):
        site = urlsplit(block.feed_url).netloc or t("aucun flux", "no feed")
        return t(f"{block.count} articles de {site}", f"{block.count} posts from {site}")
    if isinstance(block, FooterBlock):
        return block.company
    return ""


class OutlineModel(QStandardItemModel):
    """The blocks of one newsletter as a two-column, read-only tree."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setHorizontalHeaderLabels([t("Bloc", "Block"), t("Contenu", "Content")])

    def set_newsletter(self, newsletter: Newsletter | None) -> None:
        """Show ``newsletter``'s blocks (nothing when None)."""
        self.removeRows(0, self.rowCount())
        if newsletter is None:
            return
        root = self.invisibleRootItem()
        for block in newsletter.blocks:
            row = _row(block_label(block), block_summary(block), block.id)
            root.appendRow(row)
            if isinstance(block, ColumnsBlock):
                for number, (column, width) in enumerate(
                    zip(block.columns, block.widths, strict=True), start=1
                ):
                    column_row = _row(t(f"Colonne {number}", f"Column {number}"), f"{width} %")
                    row[0].appendRow(column_row)
                    for child in column.blocks:
                        column_row[0].appendRow(
                            _row(block_label(child), block_summary(child), child.id)
                        )

    def block_id(self, index: QModelIndex) -> str | None:
        value = index.siblingAtColumn(0).data(BLOCK_ID_ROLE)
        return value if isinstance(value, str) else None


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
