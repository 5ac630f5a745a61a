"""The start dialog: pick a starter newsletter, or open an existing ``.bulletin`` file.

The dialog stays open when the chosen file cannot be read (the error is shown first), so the
user can pick another one; on success :attr:`StartDialog.document` holds what to show.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import _
from editor.starters import Starter, list_starters
from widgets.documents import OpenDocument, ask_open_path, create_document, load_document

STARTER_ROLE = Qt.ItemDataRole.UserRole + 1
"""The starter name a row stands for (what ``bulletin new --template`` takes)."""
DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 2
"""The starter's description in the UI language."""
MARGIN = 8


class StartDialog(QDialog):
    """Starters with their descriptions, a Create button and an Open… button.

    Attributes:
        document: the created or opened document once the dialog is accepted, else None.
    """

    def __init__(self, parent: QWidget | None = None, directory: Path | None = None) -> None:
        super().__init__(parent)
        self.document: OpenDocument | None = None
        self._directory = directory
        self.setWindowTitle(_("Bulletin — New newsletter"))
        self.resize(620, 540)

        heading = QLabel(_("Start from a template"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        hint = QLabel(_("Pick a starter newsletter, or open one you saved before."))
        hint.setWordWrap(True)

        self.starters = QListWidget()
        self.starters.setItemDelegate(StarterDelegate(self.starters))
        self.starters.setAlternatingRowColors(True)
        self.starters.setResizeMode(QListWidget.ResizeMode.Adjust)  # re-wrap when resized
        self.starters.itemDoubleClicked.connect(self._item_double_clicked)
        for starter in list_starters():
            self.starters.addItem(_starter_item(starter))
        if self.starters.count():
            self.starters.setCurrentRow(0)

        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(_("&Create"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        self.create_button.setEnabled(self.starters.count() > 0)
        self.open_button = QPushButton(_("&Open a File…"))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # Create and Open decide themselves whether to close (``accepted`` is left unconnected).
        self.create_button.clicked.connect(self._create_clicked)
        self.open_button.clicked.connect(self._open_clicked)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.starters, 1)
        layout.addWidget(buttons)

    def selected_starter(self) -> str | None:
        item = self.starters.currentItem()
        value = item.data(STARTER_ROLE) if item is not None else None
        return value if isinstance(value, str) else None

    def create_from_starter(self) -> None:
        """Create a document from the selected starter and close, or say why it failed."""
        name = self.selected_starter()
        if name is not None:
            self._finish(create_document(self, name))

    def open_file(self, path: Path | None = None) -> None:
        """Open ``path`` (asked for when None) and close, or say why it failed and stay."""
        path = path or ask_open_path(self, self._directory)
        if path is not None:
            self._finish(load_document(self, path))

    def _item_double_clicked(self, _item: QListWidgetItem) -> None:
        self.create_from_starter()

    def _create_clicked(self) -> None:
        self.create_from_starter()

    def _open_clicked(self) -> None:
        self.open_file()

    def _finish(self, document: OpenDocument | None) -> None:
        if document is not None:
            self.document = document
            self.accept()


def _starter_item(starter: Starter) -> QListWidgetItem:
    item = QListWidgetItem(f"{starter.name}\n{starter.description}")  # also what screen readers say
    item.setData(STARTER_ROLE, starter.name)
    item.setData(DESCRIPTION_ROLE, starter.description)
    item.setToolTip(starter.description)
    return item


class StarterDelegate(QStyledItemDelegate):
    """Draws a starter as its name in bold over its description, wrapped to the list's width."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        opt.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        name, description = self._texts(index)
        rect = opt.rect.adjusted(MARGIN, MARGIN // 2, -MARGIN, -MARGIN // 2)
        painter.save()
        painter.setPen(opt.palette.color(role))
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        line = QFontMetrics(bold).height()
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), line), 0, name)
        painter.setFont(opt.font)
        body = QRect(rect.left(), rect.top() + line, rect.width(), rect.height() - line)
        painter.drawText(body, int(Qt.TextFlag.TextWordWrap), description)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        description = self._texts(index)[1]
        view = option.widget
        available = view.viewport().width() if isinstance(view, QListWidget) else 0
        # Leave room for a scroll bar that may appear once the rows are measured.
        scroll_bar = QApplication.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        width = max(available, option.rect.width(), 240) - 2 * MARGIN - scroll_bar
        bold = QFont(option.font)
        bold.setBold(True)
        text = QFontMetrics(option.font).boundingRect(
            QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), description
        )
        return QSize(width, QFontMetrics(bold).height() + text.height() + MARGIN)

    @staticmethod
    def _texts(index: QModelIndex | QPersistentModelIndex) -> tuple[str, str]:
        return str(index.data(STARTER_ROLE) or ""), str(index.data(DESCRIPTION_ROLE) or "")
