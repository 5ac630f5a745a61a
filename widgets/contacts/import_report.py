"""The end of an import: progress with Cancel while it runs, then the report.

:class:`ReportView` shows an :class:`ImportReport` (counts, warnings, every rejected row with its
row number, value and reason, the addresses skipped because they are suppressed, what each
column of the source became) and saves it with :meth:`ImportReport.write_csv`. When a column held
consent to open/click measurement, it also shows how many consents were recorded and, in a tab
of its own, the rows whose answer was neither yes nor no.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor.contacts.importer import ImportReport, Rejected
from editor.i18n import _
from widgets.contacts import prompts
from widgets.contacts.labels import count_text

Index = QModelIndex | QPersistentModelIndex


class RejectedModel(QAbstractTableModel):
    """The rejected rows of a report: row number, value, reason (thousands of rows stay light)."""

    def __init__(self, rows: list[Rejected], parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (_("Row"), _("Value"), _("Reason"))
        return titles[section] if 0 <= section < 3 else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        rejected = self._rows[index.row()]
        column = index.column()
        if column == 0:
            return str(rejected.row) if role == Qt.ItemDataRole.DisplayRole else None
        return rejected.value if column == 1 else rejected.reason


class ReportView(QWidget):
    """An import report, with « Export report… »."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: ImportReport | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        counts = QFormLayout()
        self.count_labels: dict[str, QLabel] = {}
        for key, label in (
            ("added", _("Added:")),
            ("updated", _("Updated:")),
            ("duplicates", _("Duplicates in the file:")),
            (
                "suppressed",
                _("Unsubscribed or erased, skipped:"),
            ),
            ("invalid", _("Rejected rows:")),
            ("consents", _("Consents to open/click measurement recorded:")),
        ):
            value = QLabel()
            self.count_labels[key] = value
            counts.addRow(label, value)
        self.counts = counts
        self.consent_details = QLabel()  # kept, withdrawn, unreadable: said in a sentence
        self.consent_details.setWordWrap(True)
        counts.addRow("", self.consent_details)
        layout.addLayout(counts)

        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #b03a2e;")
        layout.addWidget(self.warnings)

        self.tabs = QTabWidget()
        self.rejected = QTableView()
        self.rejected.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rejected.verticalHeader().hide()
        self.rejected.setWordWrap(False)
        self.skipped = QListView()
        self.skipped.setModel(QStringListModel(self.skipped))
        self.skipped.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.skipped.setUniformItemSizes(True)  # a re-import may skip thousands
        self.columns = QListView()
        self.columns.setModel(QStringListModel(self.columns))
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.consent_rows = QTableView()
        self.consent_rows.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.consent_rows.verticalHeader().hide()
        self.consent_rows.setWordWrap(False)
        self.tabs.addTab(self.rejected, "")
        self.tabs.addTab(self.skipped, "")
        self.tabs.addTab(self.columns, "")
        self.tabs.addTab(self.consent_rows, "")
        layout.addWidget(self.tabs, 1)

        row = QHBoxLayout()
        row.addStretch(1)
        self.export_button = QPushButton(_("Export report…"))
        self.export_button.clicked.connect(self.export_report)
        row.addWidget(self.export_button)
        layout.addLayout(row)

    def show_report(self, report: ImportReport) -> None:
        self.report = report
        values = {
            "added": report.added,
            "updated": report.updated,
            "duplicates": report.duplicates,
            "suppressed": report.suppressed,
            "invalid": len(report.invalid),
        }
        for key, value in values.items():
            self.count_labels[key].setText(count_text(value))
        self.warnings.setText("\n".join(report.warnings))
        self.warnings.setVisible(bool(report.warnings))
        model = RejectedModel(report.invalid, self.rejected)
        self.rejected.setModel(model)
        header = self.rejected.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.rejected.setColumnWidth(1, 260)
        header.setStretchLastSection(True)
        self.tabs.setTabText(
            0,
            _("Rejected rows ({invalid_count})").format(invalid_count=len(report.invalid)),
        )
        self.skipped.setModel(QStringListModel(report.suppressed_emails, self.skipped))
        skipped = len(report.suppressed_emails)
        self.tabs.setTabText(
            1,
            _("Unsubscribed or erased ({skipped})").format(skipped=skipped),
        )
        self.columns.setModel(
            QStringListModel([use.label() for use in report.columns], self.columns)
        )
        self.tabs.setTabText(
            2, _("Columns ({columns_count})").format(columns_count=len(report.columns))
        )
        self._show_consents(report)
        # What needs a look first: rejected rows, unreadable consents, skipped addresses, else
        # what columns became.
        self.tabs.setCurrentIndex(
            0 if report.invalid else 3 if report.consent_invalid else 1 if skipped else 2
        )

    def _show_consents(self, report: ImportReport) -> None:
        """The consent to measurement part: only when a column held it."""
        shown = report.has_consent_column
        self.count_labels["consents"].setText(count_text(report.consents))
        details = bool(report.consents_kept or report.consents_withdrawn or report.consent_invalid)
        self.consent_details.setText(report.consent_summary() if shown and details else "")
        self.counts.setRowVisible(self.count_labels["consents"], shown)
        self.counts.setRowVisible(self.consent_details, shown and details)
        model = RejectedModel(report.consent_invalid, self.consent_rows)
        self.consent_rows.setModel(model)
        self.consent_rows.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.consent_rows.setColumnWidth(1, 160)
        self.consent_rows.horizontalHeader().setStretchLastSection(True)
        self.tabs.setTabText(
            3,
            _("Consent not recorded ({count})").format(count=len(report.consent_invalid)),
        )
        self.tabs.setTabVisible(3, bool(report.consent_invalid))

    def export_report(self) -> None:
        if self.report is None:
            return
        path = prompts.save_path(
            self,
            _("Export the import report"),
            _("import-report.csv"),
            _("CSV file (*.csv)"),
        )
        if path is None:
            return
        try:
            self.report.write_csv(path)
        except OSError as exc:
            prompts.error(
                self,
                _("Export the report"),
                _('Cannot write "{name}": {value}.').format(
                    name=path.name, value=exc.strerror or exc
                ),
            )
