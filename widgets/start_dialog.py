"""The gallery: new newsletter from a starter or one of the user's templates, or open a file.

Starters (``resources/starters``) and the user's templates (:mod:`editor.templates`) are shown
as thumbnails of the email they make, drawn off the UI thread by :mod:`widgets.thumbnails` and
cached. Starters are filtered by the language they are written in, the UI's by default: a French
user sees the French starters first. The dialog stays open when the chosen file cannot be read
(the error is shown first), so the user can pick another one; on success
:attr:`StartDialog.document` holds what to show.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from editor import package, templates
from editor.document import DocumentError
from editor.i18n import _, language
from editor.package import BulletinFile
from editor.starters import Starter, create, list_starters
from widgets.documents import (
    OpenDocument,
    ask_open_path,
    create_document,
    load_document,
    show_error,
)
from widgets.thumbnails import THUMBNAIL_HEIGHT, THUMBNAIL_WIDTH, ThumbnailJob, ThumbnailMaker

STARTER_ROLE = Qt.ItemDataRole.UserRole + 1
"""The starter name a row stands for (what ``bulletin new --template`` takes)."""
DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 2
"""The starter's description in the UI language (a template's: empty)."""
TEMPLATE_ROLE = Qt.ItemDataRole.UserRole + 3
"""The name of the user's template a tile stands for."""
LANGUAGE_ROLE = Qt.ItemDataRole.UserRole + 4
"""The language a starter is written in (``fr``/``en``)."""
ALL_LANGUAGES = ""
MARGIN = 8
TEXT_LINES = 3
CELL = QSize(THUMBNAIL_WIDTH + 2 * MARGIN + 48, THUMBNAIL_HEIGHT + 5 * 17 + 2 * MARGIN + 8)


class StartDialog(QDialog):
    """Starter and template thumbnails, a language filter, Create and Open… buttons.

    Attributes:
        document: the created or opened document once the dialog is accepted, else None.
        starters: the starters' tiles (hidden when another language is filtered).
        templates: the user's templates' tiles.
        language: the language filter (data: ``fr``, ``en`` or "" for all).
        thumbnails: draws the missing thumbnails in the background.
    """

    def __init__(self, parent: QWidget | None = None, directory: Path | None = None) -> None:
        super().__init__(parent)
        self.document: OpenDocument | None = None
        self._directory = directory
        self.setWindowTitle(_("Bulletin — New newsletter"))
        self.resize(900, 660)
        self.thumbnails = ThumbnailMaker(self)
        self.thumbnails.ready.connect(self._thumbnail_ready)
        self._tiles: dict[str, QListWidgetItem] = {}
        self._waiting_icons: dict[int, QIcon] = {}  # id(hidden tile) → its thumbnail

        heading = QLabel(_("Start from a template"))
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        heading.setFont(font)
        hint = QLabel(_("Pick a starter newsletter, or open one you saved before."))
        hint.setWordWrap(True)

        self.language = QComboBox()
        self.language.addItem(_("French"), "fr")
        self.language.addItem(_("English"), "en")
        self.language.addItem(_("All languages"), ALL_LANGUAGES)
        self.language.setCurrentIndex(max(0, self.language.findData(language())))
        self.language.setAccessibleName(_("Language of the starters"))
        self.language.setToolTip(_("Show the starters written in this language"))
        self.language.currentIndexChanged.connect(self._filter)
        language_label = QLabel(_("&Language:"))
        language_label.setBuddy(self.language)
        filter_row = QHBoxLayout()
        filter_row.addWidget(hint, 1)
        filter_row.addWidget(language_label)
        filter_row.addWidget(self.language)

        self.starters = _tile_list(_("Starters"))
        for starter in list_starters():
            item = _starter_item(starter)
            self.starters.addItem(item)
            self._want_thumbnail(item, f"starter:{starter.name}", *_starter_source(starter))

        templates_heading = QLabel(_("My templates"))
        bold = templates_heading.font()
        bold.setBold(True)
        templates_heading.setFont(bold)
        self.templates = _tile_list(_("My templates"))
        self.no_templates = QLabel(
            _("No template yet: File ▸ Save as my template… keeps a newsletter here.")
        )
        self.no_templates.setWordWrap(True)
        self.rename_button = QPushButton(_("&Rename…"))
        self.rename_button.setToolTip(_("Rename the selected template"))
        self.delete_button = QPushButton(_("&Delete"))
        self.delete_button.setToolTip(_("Delete the selected template"))
        self.rename_button.clicked.connect(self._rename_clicked)
        self.delete_button.clicked.connect(self._delete_clicked)
        templates_row = QHBoxLayout()
        templates_row.addWidget(templates_heading)
        templates_row.addStretch(1)
        templates_row.addWidget(self.rename_button)
        templates_row.addWidget(self.delete_button)

        for tiles in (self.starters, self.templates):
            tiles.itemDoubleClicked.connect(self._item_double_clicked)
            tiles.currentItemChanged.connect(self._current_changed)

        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(_("&Create"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        self.create_button.setToolTip(_("Create a new newsletter from the selected template"))
        self.open_button = QPushButton(_("&Open a File…"))
        self.open_button.setToolTip(_("Open a newsletter saved before"))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        # Create and Open decide themselves whether to close (``accepted`` is left unconnected).
        self.create_button.clicked.connect(self._create_clicked)
        self.open_button.clicked.connect(self._open_clicked)
        buttons.rejected.connect(self.reject)

        page = QWidget()
        sections = QVBoxLayout(page)
        sections.setContentsMargins(0, 0, 0, 0)
        sections.addWidget(self.starters)
        sections.addSpacing(8)
        sections.addLayout(templates_row)
        sections.addWidget(self.no_templates)
        sections.addWidget(self.templates)
        sections.addStretch(1)
        self.page = QScrollArea()
        self.page.setWidgetResizable(True)
        self.page.setWidget(page)
        self.page.setBackgroundRole(QPalette.ColorRole.Base)
        page.setAutoFillBackground(False)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addLayout(filter_row)
        layout.addWidget(self.page, 1)
        layout.addWidget(buttons)

        self.reload_templates()
        self._filter()

    # ------------------------------------------------------------------------------ choice

    def selected_starter(self) -> str | None:
        item = self.starters.currentItem()
        if item is None or item.isHidden() or not item.isSelected():
            return None
        value = item.data(STARTER_ROLE)
        return value if isinstance(value, str) else None

    def selected_template(self) -> str | None:
        item = self.templates.currentItem()
        if item is None or not item.isSelected():
            return None
        value = item.data(TEMPLATE_ROLE)
        return value if isinstance(value, str) else None

    def create_from_starter(self) -> None:
        """Create a document from the selected starter or template and close, or say why not."""
        name = self.selected_starter()
        if name is not None:
            self._finish(create_document(self, name))
            return
        template = self.selected_template()
        if template is not None:
            try:
                bf = templates.load_template(template)
            except DocumentError as exc:
                show_error(self, _("Cannot create the newsletter"), str(exc))
                return
            self._finish(OpenDocument(bf))

    def open_file(self, path: Path | None = None) -> None:
        """Open ``path`` (asked for when None) and close, or say why it failed and stay."""
        path = path or ask_open_path(self, self._directory)
        if path is not None:
            self._finish(load_document(self, path))

    # ---------------------------------------------------------------------------- templates

    def reload_templates(self) -> None:
        """List the user's templates again (after one was saved, renamed or deleted)."""
        self.templates.clear()
        for template in templates.list_templates():
            item = QListWidgetItem(template.name)
            item.setData(TEMPLATE_ROLE, template.name)
            item.setData(DESCRIPTION_ROLE, "")
            item.setToolTip(template.name)
            self.templates.addItem(item)
            try:
                content = template.path.read_bytes()
            except OSError:
                continue
            self._want_thumbnail(
                item, f"template:{template.name}", content, _template_loader(template.path)
            )
        empty = self.templates.count() == 0
        self.templates.fit_height()
        self.templates.setVisible(not empty)
        self.no_templates.setVisible(empty)
        self._update_buttons()

    def rename_template(self, name: str, new_name: str) -> bool:
        try:
            templates.rename_template(name, new_name)
        except DocumentError as exc:
            show_error(self, _("Cannot rename the template"), str(exc))
            return False
        self.reload_templates()
        return True

    def delete_template(self, name: str) -> bool:
        try:
            templates.delete_template(name)
        except DocumentError as exc:
            show_error(self, _("Cannot delete the template"), str(exc))
            return False
        self.reload_templates()
        return True

    def _rename_clicked(self) -> None:
        name = self.selected_template()
        if name is None:
            return
        new_name, ok = QInputDialog.getText(
            self, _("Rename the template"), _("New name:"), text=name
        )
        if ok and new_name.strip() and new_name != name:
            self.rename_template(name, new_name)

    def _delete_clicked(self) -> None:
        name = self.selected_template()
        if name is None:
            return
        answer = QMessageBox.question(
            self,
            _("Delete the template"),
            _('Delete the template "{name}"? Newsletters made from it are kept.').format(name=name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_template(name)

    # ------------------------------------------------------------------------------ helpers

    def _filter(self) -> None:
        wanted = self.language.currentData()
        first: QListWidgetItem | None = None
        for row in range(self.starters.count()):
            item = self.starters.item(row)
            hidden = bool(wanted) and item.data(LANGUAGE_ROLE) != wanted
            item.setHidden(hidden)
            if not hidden and id(item) in self._waiting_icons:
                item.setIcon(self._waiting_icons.pop(id(item)))
            if not hidden and first is None:
                first = item
        current = self.starters.currentItem()
        if current is None or current.isHidden():
            if first is not None:
                self.starters.setCurrentItem(first)
            else:
                self.starters.setCurrentRow(-1)
        self.starters.fit_height()
        self._update_buttons()

    def _want_thumbnail(
        self, item: QListWidgetItem, key: str, content: bytes, loader: _Loader
    ) -> None:
        self._tiles[key] = item
        cached = self.thumbnails.request(ThumbnailJob(key, content, loader))
        if cached is not None:
            self._set_icon(item, QIcon(QPixmap(str(cached))))

    def _set_icon(self, item: QListWidgetItem, icon: QIcon) -> None:
        """Give a tile its thumbnail; a hidden tile gets it when shown, since an icon-mode list
        paints a hidden item's new icon over its first tile until the next layout."""
        if item.isHidden():
            self._waiting_icons[id(item)] = icon
        else:
            item.setIcon(icon)

    def _thumbnail_ready(self, key: str, path: str) -> None:
        item = self._tiles.get(key)
        if item is None or not path:
            return
        try:
            self._set_icon(item, QIcon(QPixmap(path)))
        except RuntimeError:  # the tile went (templates listed again) before its thumbnail came
            self._tiles.pop(key, None)

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        # One choice across both lists: choosing a template unselects the starter and back.
        if current is not None:
            other = self.templates if current.listWidget() is self.starters else self.starters
            other.clearSelection()
            current.setSelected(True)
        self._update_buttons()

    def _update_buttons(self) -> None:
        template = self.selected_template() is not None
        self.create_button.setEnabled(self.selected_starter() is not None or template)
        self.rename_button.setEnabled(template)
        self.delete_button.setEnabled(template)

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

    def done(self, result: int) -> None:
        self.thumbnails.stop()  # no drawing left running once the dialog is gone
        super().done(result)


# -------------------------------------------------------------------------------- the tiles

_Loader = Callable[[], BulletinFile]


class TileList(QListWidget):
    """A grid of tiles as tall as its rows: the gallery's page scrolls, not each section."""

    def visible_count(self) -> int:
        return sum(not self.item(row).isHidden() for row in range(self.count()))

    def fit_height(self) -> None:
        columns = max(1, (self.viewport().width() or self.width()) // CELL.width())
        rows = max(1, -(-self.visible_count() // columns))
        self.setFixedHeight(rows * CELL.height() + 2 * self.frameWidth() + 8)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_height()


def _tile_list(name: str) -> TileList:
    tiles = TileList()
    tiles.setAccessibleName(name)
    tiles.setFrameShape(QFrame.Shape.NoFrame)
    tiles.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    tiles.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    tiles.setViewMode(QListView.ViewMode.IconMode)
    tiles.setMovement(QListView.Movement.Static)
    tiles.setResizeMode(QListView.ResizeMode.Adjust)
    tiles.setWrapping(True)
    tiles.setUniformItemSizes(True)
    tiles.setIconSize(QSize(THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT))
    tiles.setGridSize(CELL)
    tiles.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    tiles.setItemDelegate(StarterDelegate(tiles))
    return tiles


def _starter_item(starter: Starter) -> QListWidgetItem:
    item = QListWidgetItem(f"{starter.name}\n{starter.description}")  # also what screen readers say
    item.setData(STARTER_ROLE, starter.name)
    item.setData(DESCRIPTION_ROLE, starter.description)
    item.setToolTip(starter.description)
    try:
        lang = json.loads(starter.path.read_text(encoding="utf-8")).get("language", "fr")
    except (OSError, ValueError):
        lang = ""
    item.setData(LANGUAGE_ROLE, lang)
    return item


def _starter_source(starter: Starter) -> tuple[bytes, _Loader]:
    """What a starter's thumbnail is drawn from: its JSON and its images, hashed together."""
    digest = hashlib.sha256(starter.path.read_bytes())
    images = starter.path.parent / "images"
    for image in sorted(images.glob("*")) if images.is_dir() else []:
        digest.update(image.name.encode() + b"\0" + image.read_bytes())
    name = starter.name
    return digest.digest(), lambda: create(name)


def _template_loader(path: Path) -> _Loader:
    return lambda: package.load(path)


def tile_texts(index: QModelIndex | QPersistentModelIndex) -> tuple[str, str]:
    """A tile's title and body: a starter's description split at its colon, a template's name."""
    description = str(index.data(DESCRIPTION_ROLE) or "")
    if not description:
        return str(index.data(TEMPLATE_ROLE) or index.data() or ""), ""
    title, colon, body = description.partition(":")
    if not colon:
        return description, ""
    return title.replace("\xa0", " ").strip(), body.strip()


class StarterDelegate(QStyledItemDelegate):
    """Draws a tile: the thumbnail, the title in bold, then a few lines of description."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        cell = opt.rect.adjusted(2, 2, -2, -2)
        painter.save()
        if selected:
            painter.fillRect(cell, opt.palette.color(QPalette.ColorRole.Highlight))
        rect = cell.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN // 2)
        thumb = QRect(
            rect.left() + (rect.width() - THUMBNAIL_WIDTH) // 2,
            rect.top(),
            THUMBNAIL_WIDTH,
            THUMBNAIL_HEIGHT,
        )
        icon = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(icon, QIcon) and not icon.isNull():
            icon.paint(painter, thumb)
        else:  # still being drawn: a blank page
            painter.fillRect(thumb, QColor("white"))
        painter.setPen(opt.palette.color(QPalette.ColorRole.Mid))
        painter.drawRect(thumb.adjusted(0, 0, -1, -1))
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.setPen(opt.palette.color(role))
        title, body = tile_texts(index)
        bold = QFont(opt.font)
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        centred_wrap = int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignHCenter)
        top = thumb.bottom() + 6
        painter.setFont(bold)
        title_rect = QRect(rect.left(), top, rect.width(), 2 * bold_metrics.height())
        used = bold_metrics.boundingRect(title_rect, centred_wrap, title)
        painter.drawText(title_rect, centred_wrap, title)
        small = QFont(opt.font)
        small.setPointSizeF(opt.font.pointSizeF() * 0.9)
        painter.setFont(small)
        body_top = top + min(used.height(), title_rect.height()) + 2
        painter.drawText(
            QRect(rect.left(), body_top, rect.width(), cell.bottom() - body_top), centred_wrap, body
        )
        if opt.state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(opt.palette.color(QPalette.ColorRole.Highlight).darker(130))
            painter.drawRect(cell.adjusted(0, 0, -1, -1))
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        metrics = QFontMetrics(option.font)
        height = THUMBNAIL_HEIGHT + 6 + metrics.height() * (2 + TEXT_LINES) + 2 * MARGIN
        return QSize(CELL.width(), max(height, CELL.height()))
