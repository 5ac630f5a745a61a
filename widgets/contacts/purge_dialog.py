"""Retention: find contacts inactive for too long, show who they are, then erase them.

Nothing is erased before the user has seen the list (:func:`privacy.inactive`) and confirmed;
the erasure (:func:`privacy.purge`) keeps only salted hashes so the addresses never come back
with an old file. Both run in the background.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from editor.contacts import privacy
from editor.contacts.store import BASES, Contact, ContactStore
from editor.i18n import _
from widgets.contacts import prompts
from widgets.contacts.labels import basis_label, contacts_text, local_time
from widgets.contacts.workers import JobContext, JobTracker, run_with_progress

Index = QModelIndex | QPersistentModelIndex


class InactiveModel(QAbstractTableModel):
    """The contacts a purge would erase: email, name, basis, last sign of life."""

    def __init__(self, contacts: list[Contact], parent: Any = None) -> None:
        super().__init__(parent)
        self._contacts = contacts

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._contacts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (
            _("Email"),
            _("Name"),
            _("Lawful basis"),
            _("Last sign of life"),
        )
        return titles[section] if 0 <= section < 4 else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        contact = self._contacts[index.row()]
        column = index.column()
        if column == 0:
            return contact.email
        if column == 1:
            return " ".join(p for p in (contact.first_name, contact.last_name) if p)
        if column == 2:
            return basis_label(contact.basis)
        last = contact.last_activity_at or contact.updated_at or contact.created_at
        return local_time(last, with_time=False)


class PurgeDialog(QDialog):
    """Find → preview → erase. ``purged(int)`` once contacts were erased.

    Attributes:
        found: the contacts of the last search (what « Erase » would erase).
    """

    purged = Signal(int)

    def __init__(self, store: ContactStore, tracker: JobTracker, parent: QWidget | None = None):
        super().__init__(parent)
        self._store = store
        self._tracker = tracker
        self.found: list[Contact] = []
        self.setWindowTitle(_("Purge inactive contacts"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "The GDPR forbids keeping data longer than needed. The French "
                "CNIL advises erasing a prospect three years after the last "
                "contact. Search first: nothing is erased before you have seen "
                "the list."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Inactive for more than")))
        self.days = QSpinBox()
        self.days.setRange(1, 36_500)
        self.days.setValue(privacy.RETENTION_DAYS_PROSPECTS)
        self.days.setSuffix(_(" days"))
        row.addWidget(self.days)
        row.addWidget(QLabel(_("lawful basis:")))
        self.basis = QComboBox()
        self.basis.addItem(_("any"), None)
        for kind in BASES:
            self.basis.addItem(basis_label(kind), kind)
        self.basis.setCurrentIndex(self.basis.findData("consent"))
        row.addWidget(self.basis)
        self.search_button = QPushButton(_("Search"))
        self.search_button.clicked.connect(self.search)
        row.addWidget(self.search_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.summary = QLabel(_("Run the search."))
        layout.addWidget(self.summary)
        self.table = QTableView()
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setModel(InactiveModel([], self.table))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.erase_button = QPushButton(_("Erase these contacts…"))
        self.erase_button.setEnabled(False)
        buttons.addButton(self.erase_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.erase_button.clicked.connect(self.erase)
        layout.addWidget(buttons)
        self.days.valueChanged.connect(self._stale)
        self.basis.currentIndexChanged.connect(self._stale)
        self.resize(760, 520)

    def _stale(self, *_unused: object) -> None:
        """Criteria changed: the preview no longer says who would be erased."""
        self._show([])
        self.summary.setText(_("Run the search."))

    def _show(self, contacts: list[Contact]) -> None:
        self.found = contacts
        self.table.setModel(InactiveModel(contacts, self.table))
        self.erase_button.setEnabled(bool(contacts))
        self.erase_button.setText(
            _("Erase these {contacts_count}…").format(contacts_count=contacts_text(len(contacts)))
            if contacts
            else _("Erase these contacts…")
        )

    def search(self) -> None:
        days, basis = self.days.value(), self.basis.currentData()

        def work(job: JobContext) -> list[Contact]:
            return privacy.inactive(job.store(), days, basis=basis)

        def found(contacts: list[Contact]) -> None:
            self._show(contacts)
            self.summary.setText(
                _("{contacts_count} with no activity for more than {days} days.").format(
                    contacts_count=contacts_text(len(contacts)), days=days
                )
            )

        self.search_button.setEnabled(False)
        worker = run_with_progress(
            self,
            self._tracker,
            self._store.path,
            _("Finding inactive contacts…"),
            work,
            found,
            cancellable=False,  # one read of a few tenths of a second
        )
        worker.finished.connect(lambda: self.search_button.setEnabled(True))

    def erase(self) -> None:
        ids = [contact.id for contact in self.found]
        if not ids or not prompts.confirm(
            self,
            _("Erase for good"),
            _(
                "Erase {ids_count} for good? This cannot be undone: their data "
                "and history are deleted; only a fingerprint of each address is "
                "kept so it is never imported again."
            ).format(ids_count=contacts_text(len(ids))),
        ):
            return

        previewed = list(self.found)

        def work(job: JobContext) -> int:
            # The previewed contacts, not ids: one that became active meanwhile is spared.
            return privacy.purge(job.store(), previewed)

        def done(count: int) -> None:
            self._show([])
            self.summary.setText(_("{count} erased.").format(count=contacts_text(count)))
            self.purged.emit(count)

        run_with_progress(
            self,
            self._tracker,
            self._store.path,
            _("Erasing…"),
            work,
            done,
            busy=True,
            on_cancel=lambda: self.summary.setText(_("Cancelled: nobody was erased.")),
        )
