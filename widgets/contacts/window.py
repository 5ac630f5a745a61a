"""The contacts window: lists on the left, the contacts table, and what can be done with them.

It owns the UI thread's :class:`ContactStore`; everything long (imports, exports, purges,
changes to thousands of selected contacts) runs in a :class:`Worker` on its own store.

Ctrl+V anywhere in the window but a text box imports the clipboard (cells copied from Excel,
LibreOffice or Google Sheets) through the import wizard.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.contacts import privacy
from editor.contacts.db import StoreError
from editor.contacts.export import export_contacts
from editor.contacts.readers import PastedText
from editor.contacts.store import BASES, STATUSES, Contact, ContactQuery, ContactStore
from editor.i18n import _
from editor.tracking.consent import give_ids, withdraw_ids
from widgets.contacts import prompts
from widgets.contacts.contact_dialog import ContactDialog
from widgets.contacts.import_wizard import ImportWizard, import_file_filter, open_import_wizard
from widgets.contacts.labels import basis_label, contacts_text, count_text, status_label
from widgets.contacts.lists_panel import ListsPanel
from widgets.contacts.purge_dialog import PurgeDialog
from widgets.contacts.table_model import COLUMNS, LISTS, ContactsTableModel, sort_key
from widgets.contacts.workers import JobContext, JobTracker, run_with_progress

SEARCH_DELAY_MS = 250


def by_hand() -> str:
    """The history's "source" of the changes made in this window."""
    return _("by hand")


_COLUMN_WIDTHS = (240, 110, 130, 130, 130, 180, 130)


class _ExportStore(ContactStore):
    """A store whose contact stream reports progress and stops on Cancel (export_contacts
    reads through :meth:`iter_contacts` and removes its temporary file when interrupted)."""

    def __init__(self, path: Path, job: JobContext, total: int) -> None:
        super().__init__(path)
        self._job = job
        self._total = max(total, 1)

    def iter_contacts(self, *args: Any, **kwargs: Any) -> Any:
        for i, contact in enumerate(super().iter_contacts(*args, **kwargs)):
            if i % 500 == 0:
                self._job.check()
                self._job.progress(i / self._total)
            yield contact


class ContactsWindow(QMainWindow):
    """Contacts, lists, import, export and the GDPR tools of one contacts database.

    ``store_path`` is the SQLite file (default: the profile's, in the data folder); raises
    :class:`StoreError` when it cannot be opened.

    Attributes:
        store: the UI thread's store.
        model: the table's lazy model.
        wizard: the import wizard while one is open.
    """

    def __init__(self, store_path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = ContactStore(store_path)
        self.tracker = JobTracker()
        self.wizard: ImportWizard | None = None
        self.setWindowTitle(_("Contacts — Bulletin"))

        self.model = ContactsTableModel(self.store, self)
        self.lists_panel = ListsPanel(self.store)
        self.lists_panel.setMinimumWidth(200)
        self.table = self._make_table()
        self._build_filters()
        self._build_actions()
        self._build_layout()

        self.lists_panel.list_chosen.connect(lambda _: self.apply_query())
        self.lists_panel.lists_changed.connect(self.refresh)
        self.lists_panel.export_requested.connect(self.export_list)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self._selection_changed)
        self.model.modelReset.connect(self._update_placeholder)
        self._update_placeholder()
        self._selection_changed()
        self.resize(1280, 760)

    # -- building -------------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setShowGrid(False)
        table.setCornerButtonEnabled(False)
        vertical = table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never measure rows
        header.setHighlightSections(False)
        for column, width in enumerate(_COLUMN_WIDTHS):
            table.setColumnWidth(column, width)
        header.setSectionResizeMode(LISTS, QHeaderView.ResizeMode.Stretch)  # takes what is left
        header.setMinimumSectionSize(60)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        self._sort_indicator = (0, Qt.SortOrder.AscendingOrder)
        header.sortIndicatorChanged.connect(self._sort_clicked)
        table.doubleClicked.connect(lambda _: self.edit_contact())
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        return table

    def _build_filters(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(_("Search email, first or last name…"))
        self.search.setClearButtonEnabled(True)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.apply_query)
        self.search.textChanged.connect(lambda _: self.search_timer.start())
        self.search.returnPressed.connect(self.apply_query)

        self.status_filter = QComboBox()
        self.status_filter.addItem(_("All statuses"), None)
        for status in STATUSES:
            self.status_filter.addItem(status_label(status).capitalize(), status)
        self.basis_filter = QComboBox()
        self.basis_filter.addItem(_("All lawful bases"), None)
        for kind in BASES:
            self.basis_filter.addItem(basis_label(kind).capitalize(), kind)
        self.status_filter.currentIndexChanged.connect(lambda _: self.apply_query())
        self.basis_filter.currentIndexChanged.connect(lambda _: self.apply_query())
        self.count_label = QLabel()

    def _action(
        self,
        text: str,
        slot: Callable[[], Any],
        tip: str = "",
        shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _=False: slot())
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.import_action = self._action(
            _("Import file…"),
            self.import_file,
            _("Import contacts from a CSV or Excel file"),
            QKeySequence(QKeySequence.StandardKey.Open),
        )
        self.paste_action = self._action(
            _("Paste contacts"),
            self.paste_contacts,
            _("Import cells copied in Excel, LibreOffice or Google Sheets (Ctrl+V)"),
            QKeySequence(QKeySequence.StandardKey.Paste),
        )
        self.new_action = self._action(
            _("New contact…"),
            self.new_contact,
            shortcut=QKeySequence(QKeySequence.StandardKey.New),
        )
        self.edit_action = self._action(_("Edit…"), self.edit_contact)
        self.unsubscribe_action = self._action(
            _("Unsubscribe…"),
            lambda: self.change_status("unsubscribed"),
            _("Stop sending to the selected contacts"),
        )
        self.resubscribe_action = self._action(
            _("Resubscribe…"),
            lambda: self.change_status("subscribed"),
            _("Only for people who asked to receive your newsletters again"),
        )
        self.person_export_action = self._action(
            _("Export this person's data…"),
            self.export_person,
            _("Right of access (GDPR, art. 15)"),
        )
        self.forget_action = self._action(
            _("Forget this person…"),
            self.forget_person,
            _("Right to erasure (GDPR, art. 17)"),
        )
        self.measure_consent_action = self._action(
            _("Record consent to measurement…"),
            self.record_measurement_consent,
            _("They agreed that their opens and clicks are measured (off by default)"),
        )
        self.measure_withdraw_action = self._action(
            _("Withdraw consent to measurement"),
            self.withdraw_measurement_consent,
            _("Stop measuring their opens and clicks from the next campaign"),
        )
        self.purge_action = self._action(
            _("Purge inactive…"),
            self.purge_inactive,
            _("Erase long-inactive contacts"),
        )
        self.export_list_action = self._action(
            _("Export the list…"),
            lambda: self.export_list(self.lists_panel.current_list()),
        )
        self.add_menu = QMenu(_("Add to list"), self)
        self.add_menu.aboutToShow.connect(lambda: self._fill_list_menu(self.add_menu, add=True))
        self.remove_menu = QMenu(_("Remove from list"), self)
        self.remove_menu.aboutToShow.connect(
            lambda: self._fill_list_menu(self.remove_menu, add=False)
        )
        self.privacy_menu = QMenu(_("GDPR"), self)
        self.privacy_menu.addAction(self.person_export_action)
        self.privacy_menu.addAction(self.forget_action)
        self.privacy_menu.addSeparator()
        self.privacy_menu.addAction(self.measure_consent_action)
        self.privacy_menu.addAction(self.measure_withdraw_action)
        self.privacy_menu.addSeparator()
        self.privacy_menu.addAction(self.purge_action)

        menu = self.menuBar().addMenu(_("&Contacts"))
        menu.addAction(self.import_action)
        menu.addAction(self.paste_action)
        menu.addAction(self.new_action)
        menu.addSeparator()
        menu.addAction(self.export_list_action)
        menu.addSeparator()
        menu.addAction(self._action(_("Close"), self.close))
        selection = self.menuBar().addMenu(_("&Selection"))
        self._fill_selection_menu(selection)
        self.menuBar().addMenu(self.privacy_menu)

        bar = self.addToolBar(_("Contacts"))
        bar.setObjectName("contacts-toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addAction(self.import_action)
        bar.addAction(self.paste_action)
        bar.addSeparator()
        bar.addAction(self.new_action)
        bar.addAction(self.edit_action)
        for menu_ in (self.add_menu, self.remove_menu):
            button = QToolButton()
            button.setText(menu_.title())
            button.setMenu(menu_)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            bar.addWidget(button)
        bar.addAction(self.unsubscribe_action)
        bar.addAction(self.resubscribe_action)
        bar.addSeparator()
        privacy_button = QToolButton()
        privacy_button.setText(self.privacy_menu.title())
        privacy_button.setMenu(self.privacy_menu)
        privacy_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        bar.addWidget(privacy_button)

    def _fill_selection_menu(self, menu: QMenu) -> None:
        menu.addAction(self.edit_action)
        menu.addMenu(self.add_menu)
        menu.addMenu(self.remove_menu)
        menu.addSeparator()
        menu.addAction(self.unsubscribe_action)
        menu.addAction(self.resubscribe_action)
        menu.addSeparator()
        menu.addAction(self.person_export_action)
        menu.addAction(self.forget_action)

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.basis_filter, 1)
        self.placeholder = QLabel()
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setEnabled(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.placeholder)
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(filters)
        column.addWidget(self.stack, 1)
        splitter = QSplitter()
        splitter.addWidget(self.lists_panel)
        splitter.addWidget(centre)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 1040])
        splitter.setChildrenCollapsible(False)
        outer = QWidget()
        layout = QVBoxLayout(outer)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(splitter)
        self.setCentralWidget(outer)
        self.statusBar().addPermanentWidget(self.count_label)

    # -- query and selection --------------------------------------------------------------------

    def current_query(self) -> ContactQuery:
        q = self.model.query
        return ContactQuery(
            search=self.search.text().strip(),
            status=self.status_filter.currentData(),
            basis=self.basis_filter.currentData(),
            list_id=self.lists_panel.current_list(),
            sort=q.sort,
            descending=q.descending,
        )

    def apply_query(self) -> None:
        """Show what the search box, filters and current list ask for."""
        self.search_timer.stop()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)

    def refresh(self) -> None:
        """Re-read after a change: the table (keeping its scroll position when it can) and lists."""
        self.lists_panel.refresh()
        query = self.current_query()
        if query != self.model.query:
            self.model.set_query(query)
        else:
            self.model.refresh()
        self._update_placeholder()
        self._selection_changed()

    def _sort_clicked(self, column: int, order: Qt.SortOrder) -> None:
        """A header click on a column the store cannot sort by puts the indicator back."""
        if sort_key(column) is None:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(*self._sort_indicator)
            header.blockSignals(False)
            self.statusBar().showMessage(
                _("The lists column cannot be sorted."),
                3000,
            )
            return
        self._sort_indicator = (column, order)

    def _selection_ranges(self) -> list[tuple[int, int]]:
        selection = self.table.selectionModel().selection()
        ranges = [(r.top(), r.bottom()) for r in selection]  # type: ignore[attr-defined]
        merged: list[tuple[int, int]] = []
        for top, bottom in sorted(ranges):
            if merged and top <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], bottom))
            else:
                merged.append((top, bottom))
        return merged

    def selection_count(self) -> int:
        return sum(bottom - top + 1 for top, bottom in self._selection_ranges())

    def selected_ids(self) -> list[int]:
        return self.model.ids_in_rows(self._selection_ranges())

    def select_rows(self, first: int, last: int | None = None) -> None:
        """Select rows ``first..last`` from code (tests, a future "select these" command)."""
        last = first if last is None else last
        selection = self.table.selectionModel()
        top = self.model.index(first, 0)
        bottom = self.model.index(last, len(COLUMNS) - 1)
        selection.select(
            QItemSelection(top, bottom),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        selection.setCurrentIndex(top, QItemSelectionModel.SelectionFlag.NoUpdate)

    def _selection_changed(self, *_unused: object) -> None:
        count = self.selection_count()
        one, some = count == 1, count > 0
        for action in (self.edit_action, self.person_export_action, self.forget_action):
            action.setEnabled(one)
        for action in (
            self.unsubscribe_action,
            self.resubscribe_action,
            self.measure_consent_action,
            self.measure_withdraw_action,
        ):
            action.setEnabled(some)
        self.add_menu.setEnabled(some)
        self.remove_menu.setEnabled(some)
        text = contacts_text(self.model.rowCount())
        if some:
            text += _(" · {count} selected").format(count=count_text(count))
        self.count_label.setText(text)

    def _update_placeholder(self) -> None:
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.table)
            return
        if self.store.count() == 0:
            self.placeholder.setText(
                _(
                    "No contacts yet.\n\nCopy cells in Excel, LibreOffice or Google "
                    "Sheets and paste them here (Ctrl+V),\nor import a CSV or Excel "
                    "file."
                )
            )
        else:
            self.placeholder.setText(_("No contact matches."))
        self.stack.setCurrentWidget(self.placeholder)

    def _context_menu(self, position: QPoint) -> None:
        if self.selection_count() == 0:
            return
        menu = QMenu(self)
        self._fill_selection_menu(menu)
        menu.popup(self.table.viewport().mapToGlobal(position))

    def _fill_list_menu(self, menu: QMenu, *, add: bool) -> None:
        menu.clear()
        for info in self.lists_panel.lists():
            action = menu.addAction(f"{info.name} ({count_text(info.count)})")
            if add:
                action.triggered.connect(lambda _=False, i=info.id: self.add_to_list(i))
            else:
                action.triggered.connect(lambda _=False, i=info.id: self.remove_from_list(i))
        if add:
            if menu.actions():
                menu.addSeparator()
            new = menu.addAction(_("New list…"))
            new.triggered.connect(lambda _=False: self.add_to_new_list())
        elif not menu.actions():
            empty = menu.addAction(_("(no list)"))
            empty.setEnabled(False)

    # -- import -----------------------------------------------------------------------------------

    def import_file(self) -> None:
        path = prompts.open_path(
            self,
            _("Import contacts"),
            import_file_filter(),
        )
        if path is not None:
            self.open_wizard(path)

    def paste_contacts(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.statusBar().showMessage(
                _("The clipboard holds no text: copy cells from a spreadsheet."),
                5000,
            )
            return
        self.open_wizard(PastedText(text))

    def open_wizard(self, source: Path | PastedText) -> ImportWizard | None:
        """Open the import wizard on ``source`` (one at a time); None if it cannot be read."""
        if self.wizard is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            return None
        wizard = open_import_wizard(
            self, self.store, source, default_list=self.lists_panel.current_name()
        )
        if wizard is None:
            return None
        self.wizard = wizard
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.setWindowModality(Qt.WindowModality.WindowModal)
        wizard.imported.connect(self._imported)
        wizard.finished.connect(self._wizard_closed)
        wizard.show()
        return wizard

    def _imported(self, report: Any) -> None:
        self.refresh()
        self.statusBar().showMessage(report.summary(), 10_000)

    def _wizard_closed(self, *_: object) -> None:
        self.wizard = None
        self.refresh()

    # -- editing ----------------------------------------------------------------------------------

    def _current_contact(self) -> Contact | None:
        ids = self.selected_ids() if self.selection_count() == 1 else []
        return self.store.get_by_id(ids[0]) if ids else None

    def new_contact(self) -> None:
        dialog = ContactDialog(self.store, None, self, list_id=self.lists_panel.current_list())
        if dialog.exec() == ContactDialog.DialogCode.Accepted:
            self.refresh()

    def edit_contact(self) -> None:
        contact = self._current_contact()
        if contact is None:
            return
        dialog = ContactDialog(self.store, contact, self)
        if dialog.exec() == ContactDialog.DialogCode.Accepted:
            self.refresh()

    def _bulk(
        self, label: str, change: Callable[[ContactStore, list[int]], int], done: str
    ) -> None:
        """Apply ``change`` to the selected contacts in the background, then refresh."""
        ids = self.selected_ids()
        if not ids:
            return

        def work(job: JobContext) -> int:
            return change(job.store(), ids)

        def finished(count: int) -> None:
            self.refresh()
            self.statusBar().showMessage(done.format(n=contacts_text(count)), 8000)

        def cancelled() -> None:
            self.statusBar().showMessage(
                _("Cancelled: no contact was changed."),
                8000,
            )

        run_with_progress(
            self,
            self.tracker,
            self.store.path,
            label,
            work,
            finished,
            busy=True,
            on_cancel=cancelled,
        )

    def add_to_list(self, list_id: int) -> None:
        self._bulk(
            _("Adding to the list…"),
            lambda store, ids: store.add_to_list(ids, list_id, source=by_hand()),
            _("{n} added to the list."),
        )

    def add_to_new_list(self) -> None:
        list_id = self.lists_panel.new_list()
        if list_id is not None:
            self.add_to_list(list_id)

    def remove_from_list(self, list_id: int) -> None:
        self._bulk(
            _("Removing from the list…"),
            lambda store, ids: store.remove_from_list(ids, list_id, source=by_hand()),
            _("{n} removed from the list."),
        )

    def change_status(self, status: str) -> None:
        """Unsubscribe or resubscribe the selection, with a reason kept in their history."""
        count = self.selection_count()
        if count == 0:
            return
        who = contacts_text(count)
        if status == "subscribed":
            title = _("Resubscribe")
            label = _(
                "Resubscribe {who}? Only do it if these people asked to receive "
                "your newsletters again. Why (kept in their history)?"
            ).format(who=who)
            default = ""
        else:
            title = _("Unsubscribe")
            label = _(
                "Unsubscribe {who}? They will receive nothing more. Why (kept in their history)?"
            ).format(who=who)
            default = _("The person asked")
        reason = prompts.ask_reason(self, title, label, default)
        if reason is None:
            return
        self._bulk(
            _("Changing the status…"),
            lambda store, ids: store.set_status(ids, status, reason, source=by_hand()),
            _("{n}: status changed."),
        )

    # -- consent to open and click measurement (CNIL: prior consent) -----------------------------

    def record_measurement_consent(self) -> None:
        """Record that the selection agreed to have opens and clicks measured, with how (the
        proof CNIL asks to be able to show)."""
        count = self.selection_count()
        if count == 0:
            return
        proof = prompts.ask_reason(
            self,
            _("Consent to measurement"),
            _(
                "Record that {who} agreed to have their opens and clicks measured? Only with "
                "their explicit consent. How and when did they agree (kept as proof)?"
            ).format(who=contacts_text(count)),
            "",
        )
        if proof is None:
            return
        self._bulk(
            _("Recording consent…"),
            lambda store, ids: give_ids(store.db, ids, proof=proof, source=by_hand()),
            _("{n}: consent to measurement recorded."),
        )

    def withdraw_measurement_consent(self) -> None:
        """Record the selection's withdrawal: nothing more is measured from the next campaign."""
        self._bulk(
            _("Recording the withdrawal…"),
            lambda store, ids: withdraw_ids(store.db, ids, source=by_hand()),
            _("{n}: withdrawal of consent to measurement recorded."),
        )

    # -- GDPR -------------------------------------------------------------------------------------

    def export_person(self) -> None:
        contact = self._current_contact()
        if contact is None:
            return
        folder = prompts.choose_folder(
            self,
            _("Where to save {email}'s data?").format(email=contact.email),
        )
        if folder is None:
            return
        title = _("Personal data")
        try:
            json_path, csv_path = privacy.write_person_export(self.store, contact.email, folder)
        except OSError as exc:
            prompts.error(self, title, _("Cannot write: {exc}").format(exc=exc))
            return
        prompts.info(
            self,
            title,
            _(
                "{email}'s data is in:\n{json_path}\n{csv_path}\n\nSend them to the "
                "person who asked."
            ).format(email=contact.email, json_path=json_path, csv_path=csv_path),
        )

    def forget_person(self) -> None:
        contact = self._current_contact()
        if contact is None:
            return
        if not prompts.confirm(
            self,
            _("Forget this person"),
            _(
                "Erase {email} for good? This cannot be undone: the record, lists "
                "and history are deleted. Only a fingerprint of the address is "
                "kept, so an old file never imports it again."
            ).format(email=contact.email),
        ):
            return
        try:
            forgotten = privacy.forget(self.store, contact.email)
        except StoreError as exc:
            prompts.error(self, _("Forget this person"), str(exc))
            return
        if not forgotten.complete:
            prompts.error(self, _("Forget this person"), privacy.erasure_pending_message())
        self.table.clearSelection()
        self.refresh()
        self.statusBar().showMessage(_("{email} was erased.").format(email=contact.email), 8000)

    def purge_dialog(self) -> PurgeDialog:
        """The retention dialog, wired to refresh this window after a purge."""
        dialog = PurgeDialog(self.store, self.tracker, self)
        dialog.purged.connect(lambda _: self.refresh())
        return dialog

    def purge_inactive(self) -> None:
        self.purge_dialog().exec()

    # -- export -----------------------------------------------------------------------------------

    def export_list(self, list_id: int | None) -> None:
        """Export a list (None: every contact) to CSV or XLSX, in the background."""
        names = {info.id: info.name for info in self.lists_panel.lists()}
        name = names.get(list_id) if list_id is not None else None
        suggested = (name or _("contacts")) + ".xlsx"
        path = prompts.save_path(
            self,
            _("Export contacts"),
            suggested,
            _("Excel workbook (*.xlsx);;CSV file (*.csv)"),
        )
        if path is None:
            return
        total = self.store.count(ContactQuery(list_id=list_id))

        def work(job: JobContext) -> int:
            store = job.store(lambda p: _ExportStore(p, job, total))
            return export_contacts(store, path, name)

        def done(count: int) -> None:
            self.statusBar().showMessage(
                _("{count} exported to {name}.").format(count=contacts_text(count), name=path.name),
                10_000,
            )

        def cancelled() -> None:
            self.statusBar().showMessage(_("Export cancelled."), 5000)

        run_with_progress(
            self,
            self.tracker,
            self.store.path,
            _("Exporting to {name}…").format(name=path.name),
            work,
            done,
            on_cancel=cancelled,
        )

    # -- closing ----------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop background work (an import keeps what it already wrote) before the store closes."""
        if self.wizard is not None:
            self.wizard.reject()
        self.tracker.stop_all()
        self.store.close()
        super().closeEvent(event)
