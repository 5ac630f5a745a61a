"""The import wizard: source preview → column mapping → lawful basis and list → import and report.

The source (a file, or text pasted from a spreadsheet) is opened with :func:`open_table` on the
UI thread: that reads only the first rows. The import itself runs :func:`run_import` in a
:class:`Worker` with its own store, the wizard showing progress and a Cancel button, then the
report. Every :class:`ImportFileError` (a PDF renamed ``.csv``, a zip bomb, a damaged workbook)
is shown as its message.

Signals:
    imported(object): the :class:`ImportReport`, once the import ended (cancelled or not).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from editor.contacts.importer import ImportReport, run_import
from editor.contacts.readers import ImportFileError, PastedText, Table, open_table
from editor.contacts.store import BASES, Basis, ContactStore
from editor.i18n import N_, _, pgettext
from widgets.contacts import prompts
from widgets.contacts.import_report import ReportView
from widgets.contacts.labels import basis_explanation, basis_label
from widgets.contacts.mapping_page import MappingPage
from widgets.contacts.workers import JobContext, Worker

Source = Path | PastedText
PREVIEW_ROWS = 20
_DELIMITERS = {
    "\t": N_("tab"),
    ";": N_("semicolon"),
    ",": N_("comma"),
    "|": N_("vertical bar"),
}


def import_file_filter() -> str:
    """The file dialog's filter: every kind of file the readers take."""
    return _("Tables (*.csv *.tsv *.txt *.xlsx *.xlsm *.ods);;All files (*)")


def source_name(source: Source) -> str:
    if isinstance(source, PastedText):
        return _("Pasted text")
    return source.name


# -- page 1 -------------------------------------------------------------------------------------


# Codec names as people know them (the wizard says which one was detected).
_ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32": "UTF-32",
    "cp1252": "Windows (cp1252)",
    "latin-1": "Latin-1",
    "mac_roman": "Mac (Mac Roman)",
}


class SourcePage(QWizardPage):
    """What was read: the kind of source, the sheet, the header row, the first rows."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Preview"))
        self.setSubTitle(_("Check that the columns and the first rows read right."))
        layout = QVBoxLayout(self)
        self.description = QLabel()
        self.description.setWordWrap(True)
        layout.addWidget(self.description)
        options = QHBoxLayout()
        self.sheet_label = QLabel(_("Sheet:"))
        self.sheet = QComboBox()
        self.sheet.setMinimumContentsLength(16)
        options.addWidget(self.sheet_label)
        options.addWidget(self.sheet)
        options.addSpacing(16)
        options.addWidget(QLabel(_("Header row:")))
        self.header_row = QSpinBox()
        self.header_row.setRange(0, 1_000_000)
        self.header_row.setSpecialValueText(_("none"))
        self.header_row.setToolTip(
            _(
                'The row naming the columns, found automatically. "none": the '
                "file starts right away with contacts."
            )
        )
        options.addWidget(self.header_row)
        self.header_hint = QLabel()
        self.header_hint.setEnabled(False)
        options.addWidget(self.header_hint)
        options.addStretch(1)
        layout.addLayout(options)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b03a2e;")
        self.problem.hide()
        layout.addWidget(self.problem)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setWordWrap(False)
        self.preview.verticalHeader().hide()  # its 1, 2, 3 are not the file's row numbers
        layout.addWidget(self.preview, 1)
        self.sheet.activated.connect(self._sheet_chosen)
        self.header_row.editingFinished.connect(self._header_chosen)
        self.header_row.valueChanged.connect(self._header_typed)

    def show_table(self, table: Table) -> None:
        """Fill the page from ``table`` (after opening, or reopening on another sheet/header)."""
        kind = {
            "paste": _("Text pasted from a spreadsheet"),
            "csv": _("Text file (CSV)"),
            "xlsx": _("Excel workbook"),
            "ods": _("OpenDocument spreadsheet (LibreOffice)"),
        }.get(table.kind, table.kind)
        details = []
        if table.encoding:
            name = _ENCODING_NAMES.get(table.encoding, table.encoding)
            details.append(_("{name} encoding").format(name=name))
        if table.delimiter and table.kind != "paste":
            delimiter = _DELIMITERS.get(table.delimiter)
            shown = _(delimiter) if delimiter else table.delimiter
            details.append(_("delimiter: {name}").format(name=shown))
        text = (
            kind if table.kind == "paste" else f"<b>{_escape(source_name(self._wizard.source))}</b>"
        )
        if table.kind != "paste":
            text += " — " + _escape(", ".join([kind, *details]))
        self.description.setText(text)
        is_book = table.kind in ("xlsx", "ods")
        self.sheet_label.setVisible(is_book)
        self.sheet.setVisible(is_book)
        self.sheet.blockSignals(True)
        self.sheet.clear()
        self.sheet.addItems(table.sheets)
        if table.sheet is not None:
            self.sheet.setCurrentText(table.sheet)
        self.sheet.blockSignals(False)
        self.header_row.blockSignals(True)
        self.header_row.setValue(table.header_row or 0)
        self.header_row.blockSignals(False)
        self.header_hint.setText(_("(detected)") if self._wizard.header_choice == "auto" else "")
        try:
            rows = table.preview(PREVIEW_ROWS)
        except ImportFileError as exc:
            rows = []
            self.show_problem(str(exc))
        if not table.headers:
            self.show_problem(
                _("Nothing to import: the sheet is empty.") if is_book else _("Nothing to import.")
            )
        self.completeChanged.emit()
        self.preview.clear()
        self.preview.setColumnCount(len(table.headers))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(table.headers)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value if len(value) > 40 else "")
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
        for c in range(self.preview.columnCount()):
            self.preview.setColumnWidth(c, min(self.preview.columnWidth(c), 260))

    def isComplete(self) -> bool:
        return bool(self._wizard.table.headers)

    def validatePage(self) -> bool:
        return self.isComplete()

    def show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.setVisible(bool(message))

    def _sheet_chosen(self, *_: object) -> None:
        self._wizard.reopen(sheet=self.sheet.currentText())

    def _header_typed(self, value: int) -> None:
        if not self.header_row.hasFocus():  # arrows or wheel: apply at once
            self._header_chosen()

    def _header_chosen(self) -> None:
        value = self.header_row.value()
        table = self._wizard.table
        if (table.header_row or 0) != value:
            self._wizard.reopen(header_row=value or None)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- page 3 -------------------------------------------------------------------------------------


class BasisPage(QWizardPage):
    """The lawful basis of the whole batch (no default: the user must say) and the target list."""

    NEW_LIST = "\x00new"

    def __init__(self, wizard: ImportWizard, default_list: str | None) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Lawful basis and list"))
        self.setSubTitle(
            _(
                "On what basis may you email these people? Without one, the law "
                "forbids sending them newsletters."
            )
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Import"))
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        grid = QGridLayout()
        for row, kind in enumerate(BASES):
            radio = QRadioButton(basis_label(kind).capitalize())
            font = radio.font()
            font.setBold(True)
            radio.setFont(font)
            explanation = QLabel(basis_explanation(kind))
            explanation.setWordWrap(True)
            explanation.setBuddy(radio)
            self.group.addButton(radio)
            self.radios[kind] = radio
            grid.addWidget(radio, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(explanation, row, 1)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(10)
        layout.addLayout(grid)
        self.group.buttonToggled.connect(lambda *_: self.completeChanged.emit())

        form = QFormLayout()
        self.source = QLineEdit()
        self.source.setPlaceholderText(
            pgettext(
                "widgets.contacts.import_wizard.BasisPage.__init__", "e.g. website form, 2025 fair"
            )
        )
        self.proof = QLineEdit()
        self.proof.setPlaceholderText(
            _('e.g. the checkbox wording: "I agree to receive the newsletter"')
        )
        form.addRow(_("Source:"), self.source)
        form.addRow(_("Proof:"), self.proof)

        self.list = QComboBox()
        self.list.addItem(_("No list"), None)
        for info in wizard.store.lists():
            self.list.addItem(info.name, info.name)
        self.list.addItem(_("New list…"), self.NEW_LIST)
        self.new_list = QLineEdit()
        self.new_list.setPlaceholderText(_("Name of the new list"))
        self.new_list.hide()
        chooser = QHBoxLayout()
        chooser.addWidget(self.list, 1)
        chooser.addWidget(self.new_list, 1)
        form.addRow(_("Add to list:"), chooser)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addStretch(1)
        if default_list is not None:
            self.list.setCurrentIndex(max(0, self.list.findData(default_list)))
        self.list.currentIndexChanged.connect(self._list_changed)
        self.new_list.textChanged.connect(lambda *_: self.completeChanged.emit())

    def choose(self, kind: str) -> None:
        self.radios[kind].setChecked(True)

    def basis(self) -> Basis | None:
        for kind, radio in self.radios.items():
            if radio.isChecked():
                return Basis(
                    kind, source=self.source.text().strip(), proof=self.proof.text().strip()
                )
        return None

    def list_name(self) -> str | None:
        data = self.list.currentData()
        if data == self.NEW_LIST:
            return " ".join(self.new_list.text().split()) or None
        return data  # type: ignore[no-any-return]

    def set_list(self, name: str | None) -> None:
        """Choose an existing list by name, or a new list called ``name``."""
        index = self.list.findData(name)
        if index < 0:
            index = self.list.findData(self.NEW_LIST)
            self.new_list.setText(name or "")
        self.list.setCurrentIndex(index)

    def _list_changed(self, *_: object) -> None:
        is_new = self.list.currentData() == self.NEW_LIST
        self.new_list.setVisible(is_new)
        if is_new:
            self.new_list.setFocus()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.group.checkedButton() is None:
            return False
        return self.list.currentData() != self.NEW_LIST or bool(self.new_list.text().strip())

    def validatePage(self) -> bool:
        return self.isComplete()  # QWizard.next() called from code skips the button's state


# -- page 4 -------------------------------------------------------------------------------------


class RunPage(QWizardPage):
    """Progress and Cancel while importing, then the report."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(pgettext("widgets.contacts.import_wizard.RunPage.__init__", "Import"))
        self.setSubTitle(_("Contacts are saved as they are read."))
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        layout.addWidget(self.stack)

        running = QWidget()
        column = QVBoxLayout(running)
        self.status = QLabel(_("Importing…"))
        column.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        column.addWidget(self.progress)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton(_("Cancel the import"))
        self.cancel_button.clicked.connect(wizard.cancel_import)
        row.addWidget(self.cancel_button)
        column.addLayout(row)
        column.addStretch(1)
        self.stack.addWidget(running)

        self.report_view = ReportView()
        self.stack.addWidget(self.report_view)

        failed = QWidget()
        column = QVBoxLayout(failed)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b03a2e; font-weight: bold;")
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.error)
        column.addStretch(1)
        self.stack.addWidget(failed)

    def initializePage(self) -> None:
        self.stack.setCurrentIndex(0)
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self._wizard.start_import()

    def set_progress(self, fraction: float) -> None:
        self.progress.setValue(max(0, min(1000, round(fraction * 1000))))

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self.status.setText(_("Cancelling… (the current batch finishes)"))

    def show_report(self, report: ImportReport) -> None:
        self.setTitle(_("Import cancelled") if report.cancelled else _("Import finished"))
        self.setSubTitle(
            _("The rows read before cancelling were imported.")
            if report.cancelled
            else _("Here is what was done.")
        )
        self.report_view.show_report(report)
        self.stack.setCurrentIndex(1)
        self.completeChanged.emit()

    def show_error(self, message: str) -> None:
        self.setTitle(_("Import failed"))
        self.setSubTitle(_("Nothing was imported after the error."))
        self.error.setText(message)
        self.stack.setCurrentIndex(2)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.stack.currentIndex() != 0


# -- the wizard ---------------------------------------------------------------------------------


class ImportWizard(QWizard):
    """Imports ``table`` (opened from ``source``) into ``store``'s database.

    Attributes:
        report: the :class:`ImportReport` once the import ended, else None.
        error: the message of an import that failed, else None.
    """

    imported = Signal(object)

    def __init__(
        self,
        store: ContactStore,
        source: Source,
        table: Table,
        parent: QWidget | None = None,
        *,
        default_list: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.source = source
        self.table = table
        self.header_choice: int | str | None = "auto"
        self.report: ImportReport | None = None
        self.error: str | None = None
        self.worker: Worker | None = None
        self.setWindowTitle(_("Import contacts") + " — " + source_name(source))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        for button, text in (
            (QWizard.WizardButton.BackButton, _("< Back")),
            (QWizard.WizardButton.NextButton, _("Next >")),
            (QWizard.WizardButton.CancelButton, _("Cancel")),
            (QWizard.WizardButton.FinishButton, _("Finish")),
        ):
            self.setButtonText(button, text)
        self.source_page = SourcePage(self)
        self.mapping_page = MappingPage()
        self.basis_page = BasisPage(self, default_list)
        self.run_page = RunPage(self)
        for page in (self.source_page, self.mapping_page, self.basis_page, self.run_page):
            self.addPage(page)
        self.currentIdChanged.connect(self._page_changed)
        self.source_page.show_table(table)
        self.resize(900, 620)

    # -- pages ----------------------------------------------------------------------------------

    def _page_changed(self, page_id: int) -> None:
        if self.page(page_id) is self.mapping_page:
            self.mapping_page.load(self.table)

    def reopen(self, *, sheet: str | None = None, header_row: int | str | None = "same") -> bool:
        """Open the source again on another sheet or header row; False (and the reason shown)
        if the reader refuses, the current table then stays."""
        new_sheet = sheet if sheet is not None else self.table.sheet
        choice = self.header_choice if header_row == "same" else header_row
        if sheet is not None and header_row == "same":
            choice = "auto"  # another sheet: find its own header
        try:
            table = open_table(self.source, sheet=new_sheet, header_row=choice)  # type: ignore[arg-type]
        except ImportFileError as exc:
            self.source_page.show_problem(str(exc))
            self.source_page.show_table(self.table)
            return False
        self.table.close()
        self.table = table
        self.header_choice = choice
        self.source_page.show_problem("")
        self.source_page.show_table(table)
        return True

    def mapping(self) -> list[str]:
        self.mapping_page.load(self.table)
        return self.mapping_page.mapping()

    # -- the import -----------------------------------------------------------------------------

    def start_import(self) -> None:
        if self.worker is not None:
            return
        table = self.table
        mapping = self.mapping()
        basis = self.basis_page.basis()
        list_name = self.basis_page.list_name()

        name = None if isinstance(self.source, PastedText) else self.source.name

        def work(job: JobContext) -> ImportReport:
            return run_import(
                job.store(interruptible=False),
                table,
                mapping,
                list_name=list_name,
                basis=basis,
                progress=job.progress,
                cancelled=job.cancelled,
                source_name=name,
            )

        self.worker = Worker(self.store.path, work, self)
        self.worker.progressed.connect(self.run_page.set_progress)
        self.worker.succeeded.connect(self._succeeded)
        self.worker.failed.connect(self._failed)
        self.worker.start()

    def cancel_import(self) -> None:
        if self.worker is not None and self.worker.is_running():
            self.worker.cancel()
            self.run_page.cancelling()

    def is_importing(self) -> bool:
        return self.worker is not None and self.worker.is_running()

    def _succeeded(self, report: ImportReport) -> None:
        self.report = report
        self.run_page.show_report(report)
        self.imported.emit(report)

    def _failed(self, message: str) -> None:
        self.error = message
        self.run_page.show_error(message)

    # -- closing --------------------------------------------------------------------------------

    def reject(self) -> None:
        """Closing while importing cancels the import (the rows already read stay imported)."""
        if self.worker is not None and self.worker.is_running():
            self.worker.cancel()
            self.worker.wait(60)
        super().reject()

    def done(self, result: int) -> None:
        if self.worker is not None:
            self.worker.wait(60)
        self.table.close()
        super().done(result)


def open_import_wizard(
    parent: QWidget | None,
    store: ContactStore,
    source: Source,
    *,
    default_list: str | None = None,
) -> ImportWizard | None:
    """The wizard for ``source``, or None after telling the user why it cannot be read."""
    try:
        table = open_table(source)
    except ImportFileError as exc:
        prompts.error(parent, _("Import contacts"), str(exc))
        return None
    return ImportWizard(store, source, table, parent, default_list=default_list)
