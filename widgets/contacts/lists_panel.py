"""The lists panel: « All contacts » and every list with its count; new, rename, delete, export.

Signals:
    list_chosen(object): the list to show, by id, or None for all contacts.
    lists_changed(): a list was created, renamed or deleted (the window refreshes its table).
    export_requested(object): export the contacts of this list id (None: all contacts).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.contacts.db import StoreError
from editor.contacts.store import ContactStore, ListInfo
from editor.i18n import _
from widgets.contacts import prompts
from widgets.contacts.labels import count_text

ListIdRole = Qt.ItemDataRole.UserRole + 1  # None for « All contacts »


class ListsPanel(QWidget):
    list_chosen = Signal(object)
    lists_changed = Signal()
    export_requested = Signal(object)

    def __init__(self, store: ContactStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._lists: list[ListInfo] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_("Lists"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self.rename_list())
        layout.addWidget(self.tree, 1)

        buttons = QGridLayout()
        self.new_button = QPushButton(_("New…"))
        self.new_button.setToolTip(_("Create a list"))
        self.rename_button = QPushButton(_("Rename…"))
        self.delete_button = QPushButton(_("Delete…"))
        self.delete_button.setToolTip(_("Delete the list (its contacts stay)"))
        self.export_button = QPushButton(_("Export…"))
        self.export_button.setToolTip(_("Export these contacts to CSV or XLSX"))
        self.new_button.clicked.connect(self.new_list)
        self.rename_button.clicked.connect(self.rename_list)
        self.delete_button.clicked.connect(self.delete_list)
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self.current_list()))
        buttons.addWidget(self.new_button, 0, 0)
        buttons.addWidget(self.rename_button, 0, 1)
        buttons.addWidget(self.delete_button, 1, 0)
        buttons.addWidget(self.export_button, 1, 1)
        layout.addLayout(buttons)
        self.refresh()

    # -- state ----------------------------------------------------------------------------------

    def lists(self) -> list[ListInfo]:
        return list(self._lists)

    def current_list(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, ListIdRole) if item is not None else None

    def current_name(self) -> str | None:
        list_id = self.current_list()
        return next((info.name for info in self._lists if info.id == list_id), None)

    def select_list(self, list_id: int | None) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None and item.data(0, ListIdRole) == list_id:
                self.tree.setCurrentItem(item)
                return

    def refresh(self) -> None:
        """Re-read the lists and counts, keeping the current list (All if it is gone)."""
        current = self.current_list()
        self._lists = self._store.lists()
        self.tree.blockSignals(True)
        self.tree.clear()
        everyone = QTreeWidgetItem([_("All contacts"), ""])
        everyone.setData(0, ListIdRole, None)
        everyone.setText(1, count_text(self._store.count()))
        font = everyone.font(0)
        font.setBold(True)
        everyone.setFont(0, font)
        items = [everyone]
        for info in self._lists:
            item = QTreeWidgetItem([info.name, count_text(info.count)])
            item.setData(0, ListIdRole, info.id)
            item.setToolTip(0, info.name)
            items.append(item)
        height = self.tree.fontMetrics().height() + 10
        for item in items:
            item.setSizeHint(0, QSize(0, height))
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setForeground(1, self.palette().placeholderText())
        self.tree.addTopLevelItems(items)
        chosen = next((i for i in items if i.data(0, ListIdRole) == current), everyone)
        self.tree.setCurrentItem(chosen)
        self.tree.blockSignals(False)
        self._update_buttons()
        if chosen.data(0, ListIdRole) != current:
            self.list_chosen.emit(None)

    def _current_changed(self, *_: object) -> None:
        self._update_buttons()
        self.list_chosen.emit(self.current_list())

    def _update_buttons(self) -> None:
        is_list = self.current_list() is not None
        self.rename_button.setEnabled(is_list)
        self.delete_button.setEnabled(is_list)

    # -- actions --------------------------------------------------------------------------------

    def new_list(self) -> int | None:
        name = prompts.ask_text(self, _("New list"), _("Name:"))
        if name is None:
            return None
        try:
            list_id = self._store.create_list(name)
        except StoreError as exc:
            prompts.error(self, _("New list"), str(exc))
            return None
        self.refresh()
        self.select_list(list_id)
        self.lists_changed.emit()
        return list_id

    def rename_list(self) -> None:
        list_id, old = self.current_list(), self.current_name()
        if list_id is None or old is None:
            return
        name = prompts.ask_text(self, _("Rename the list"), _("Name:"), old)
        if name is None or name == old:
            return
        try:
            self._store.rename_list(list_id, name)
        except StoreError as exc:
            prompts.error(self, _("Rename the list"), str(exc))
            return
        self.refresh()
        self.lists_changed.emit()

    def delete_list(self) -> None:
        list_id, name = self.current_list(), self.current_name()
        if list_id is None or name is None:
            return
        if not prompts.confirm(
            self,
            _("Delete the list"),
            _('Delete the list "{name}"? Its contacts stay in "All contacts".').format(name=name),
        ):
            return
        try:
            self._store.delete_list(list_id)
        except StoreError as exc:
            prompts.error(self, _("Delete the list"), str(exc))
            return
        self.refresh()
        self.lists_changed.emit()
