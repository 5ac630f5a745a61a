"""Edit one contact (or add one by hand): names, address, custom fields, lawful basis, history.

The dialog writes through the store's own methods (:meth:`ContactStore.update`,
:meth:`~ContactStore.set_basis`, :meth:`~ContactStore.add`), which keep the history; it stays
open with the store's message when the store refuses (an address another contact has, a
suppressed address).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.contacts.db import StoreError
from editor.contacts.emails import check_email
from editor.contacts.privacy import sensitive_field_warnings
from editor.contacts.store import BASES, Basis, Contact, ContactInput, ContactStore
from editor.i18n import _
from widgets.contacts import prompts
from widgets.contacts.labels import (
    basis_explanation,
    basis_label,
    event_description,
    local_time,
    status_label,
)


class ContactDialog(QDialog):
    """Edits ``contact``, or creates a contact (in ``list_id``) when ``contact`` is None.

    Attributes:
        contact_id: the contact's id once saved (new contacts get theirs on OK).
    """

    def __init__(
        self,
        store: ContactStore,
        contact: Contact | None = None,
        parent: QWidget | None = None,
        *,
        list_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._contact = contact
        self._list_id = list_id
        self.contact_id: int | None = contact.id if contact else None
        self.setWindowTitle(
            _("New contact")
            if contact is None
            else _("Contact — {email}").format(email=contact.email)
        )
        layout = QVBoxLayout(self)
        tabs = QTabWidget()
        layout.addWidget(tabs)
        tabs.addTab(self._details_tab(), _("Details"))
        tabs.addTab(self._basis_tab(), _("Lawful basis"))
        if contact is not None:
            tabs.addTab(self._history_tab(contact), _("History"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.email.textChanged.connect(self._update_ok)
        self.basis.currentIndexChanged.connect(self._update_ok)
        self._update_ok()
        self.resize(620, 560)

    # -- tabs -----------------------------------------------------------------------------------

    def _details_tab(self) -> QWidget:
        contact = self._contact
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.email = QLineEdit(contact.email if contact else "")
        self.first_name = QLineEdit(contact.first_name if contact else "")
        self.last_name = QLineEdit(contact.last_name if contact else "")
        form.addRow(_("Email:"), self.email)
        form.addRow(_("First name:"), self.first_name)
        form.addRow(_("Last name:"), self.last_name)
        if contact is not None:
            form.addRow(_("Status:"), QLabel(status_label(contact.status)))
            lists = ", ".join(contact.lists) or _("none")
            lists_label = QLabel(lists)
            lists_label.setWordWrap(True)
            form.addRow(_("Lists:"), lists_label)
            form.addRow(
                _("Created:"),
                QLabel(
                    local_time(contact.created_at)
                    + _("  ·  updated ")
                    + local_time(contact.updated_at)
                ),
            )
        layout.addLayout(form)

        layout.addWidget(QLabel(_("Custom fields:")))
        self.fields = QTableWidget(0, 2)
        self.fields.setHorizontalHeaderLabels([_("Field"), _("Value")])
        self.fields.verticalHeader().hide()
        self.fields.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.fields.horizontalHeader().setStretchLastSection(True)
        self.fields.setColumnWidth(0, 170)
        self.fields.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for name, value in (contact.fields if contact else {}).items():
            self._add_field_row(name, value)
        self.fields.itemChanged.connect(self._update_warnings)
        layout.addWidget(self.fields, 1)
        row = QHBoxLayout()
        add = QPushButton(_("Add a field"))
        add.clicked.connect(self._new_field)
        remove = QPushButton(_("Remove the field"))
        remove.clicked.connect(self._remove_field)
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #b03a2e;")
        layout.addWidget(self.warnings)
        self._update_warnings()
        return page

    def _basis_tab(self) -> QWidget:
        contact = self._contact
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.basis = QComboBox()
        self.basis.addItem(_("— choose —"), None)
        for kind in BASES:
            self.basis.addItem(basis_label(kind), kind)
        if contact is not None and contact.basis is not None:
            self.basis.setCurrentIndex(self.basis.findData(contact.basis))
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.basis.currentIndexChanged.connect(self._explain)
        self.source = QLineEdit(contact.basis_source if contact else "")
        self.source.setPlaceholderText(_("e.g. website form, 2025 fair"))
        self.proof = QLineEdit(contact.basis_proof if contact else "")
        self.proof.setPlaceholderText(
            _('e.g. the checkbox wording: "I agree to receive the newsletter"')
        )
        form.addRow(_("Lawful basis:"), self.basis)
        form.addRow("", self.explanation)
        form.addRow(_("Source:"), self.source)
        form.addRow(_("Proof:"), self.proof)
        if contact is not None and contact.basis_date:
            form.addRow(_("Date:"), QLabel(local_time(contact.basis_date)))
        layout.addLayout(form)
        note = QLabel(
            _(
                "Changing the lawful basis records it in the contact's history, "
                "with its source and proof."
            )
        )
        note.setWordWrap(True)
        note.setEnabled(False)
        layout.addWidget(note)
        layout.addStretch(1)
        self._explain()
        return page

    def _history_tab(self, contact: Contact) -> QWidget:
        self.history = QTreeWidget()
        self.history.setColumnCount(2)
        self.history.setHeaderLabels([_("Date"), _("Event")])
        self.history.setRootIsDecorated(False)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history.setWordWrap(True)
        self.history.setAlternatingRowColors(True)
        self.history.setColumnWidth(0, 130)
        for event in reversed(self._store.history(contact.id)):  # newest first
            description = event_description(event)
            item = QTreeWidgetItem([local_time(event.at), description])
            item.setToolTip(1, description)
            self.history.addTopLevelItem(item)
        return self.history

    # -- behaviour ------------------------------------------------------------------------------

    def _add_field_row(self, name: str, value: str) -> None:
        row = self.fields.rowCount()
        self.fields.insertRow(row)
        self.fields.setItem(row, 0, QTableWidgetItem(name))
        self.fields.setItem(row, 1, QTableWidgetItem(value))

    def _new_field(self) -> None:
        self._add_field_row("", "")
        row = self.fields.rowCount() - 1
        self.fields.setCurrentCell(row, 0)
        item = self.fields.item(row, 0)
        if item is not None:
            self.fields.editItem(item)

    def _remove_field(self) -> None:
        rows = sorted({index.row() for index in self.fields.selectedIndexes()}, reverse=True)
        if not rows and self.fields.currentRow() >= 0:
            rows = [self.fields.currentRow()]
        for row in rows:
            self.fields.removeRow(row)
        self._update_warnings()

    def field_values(self) -> dict[str, str]:
        """The custom fields as typed (blank names skipped; the store drops blank values)."""
        values: dict[str, str] = {}
        for row in range(self.fields.rowCount()):
            name_item, value_item = self.fields.item(row, 0), self.fields.item(row, 1)
            name = name_item.text().strip() if name_item else ""
            if name:
                values[name] = value_item.text() if value_item else ""
        return values

    def _update_warnings(self, *_: object) -> None:
        warnings = sensitive_field_warnings(self.field_values())
        self.warnings.setText("\n".join(warnings))
        self.warnings.setVisible(bool(warnings))

    def _explain(self, *_: object) -> None:
        kind = self.basis.currentData()
        self.explanation.setText(basis_explanation(kind) if kind else "")

    def _update_ok(self, *_: object) -> None:
        ready = bool(self.email.text().strip())
        if self._contact is None:
            ready = ready and self.basis.currentData() is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)

    def chosen_basis(self) -> Basis | None:
        kind = self.basis.currentData()
        if kind is None:
            return None
        return Basis(kind, source=self.source.text().strip(), proof=self.proof.text().strip())

    def save(self) -> None:
        """Write the changes; stays open with the reason when the address or store refuses."""
        title = self.windowTitle()
        email, reason = check_email(self.email.text())
        if email is None:
            prompts.error(self, title, _("Address refused: {reason}.").format(reason=reason))
            return
        try:
            if self._contact is None:
                if not self._add(email):
                    return
            else:
                self._update(self._contact, email)
        except StoreError as exc:
            prompts.error(self, title, str(exc))
            return
        self.accept()

    def _add(self, email: str) -> bool:
        basis = self.chosen_basis()
        if basis is None:
            return False
        resubscribe, reason = False, ""
        if self._store.is_suppressed(email):
            answer = prompts.ask_reason(
                self,
                _("Suppressed address"),
                _(
                    "This address unsubscribed or was erased. Add it only if the "
                    "person agreed again. When and how did they?"
                ),
            )
            if answer is None:
                return False
            resubscribe, reason = True, answer
        contact = ContactInput(
            email=email,
            first_name=self.first_name.text().strip(),
            last_name=self.last_name.text().strip(),
            fields=self.field_values(),
        )
        self.contact_id = self._store.add(
            contact, basis, self._list_id, resubscribe=resubscribe, reason=reason
        )
        return True

    def _update(self, contact: Contact, email: str) -> None:
        self._store.update(
            contact.id,
            email=email,
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            fields=self.field_values(),
        )
        basis = self.chosen_basis()
        if basis is not None and (basis.kind, basis.source, basis.proof) != (
            contact.basis,
            contact.basis_source,
            contact.basis_proof,
        ):
            self._store.set_basis([contact.id], basis)
