"""The import wizard: paste and files end to end, mapping, basis, cancel, reader errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

from editor.contacts.readers import ImportFileError, PastedText
from editor.contacts.store import ContactQuery, ContactStore
from widgets.contacts import prompts
from widgets.contacts.import_wizard import ImportWizard, import_file_filter
from widgets.contacts.window import ContactsWindow

pytestmark = pytest.mark.gui

DATA = Path(__file__).resolve().parents[2] / "data" / "contacts"
IMPORT_TIMEOUT_MS = 30_000
PASTE = (
    "Prénom\tNom\tCourriel\tVille\r\n"
    "Élodie\tLefèvre\telodie.lefevre@exemple.fr\tLyon\r\n"
    'Jean\tDupont\tjean.dupont@exemple.fr\t"Saint-Étienne\r\n(Loire)"\r\n'
    "Zoé\tNœud\tzoe.noeud@exemple.fr\tNantes\r\n"
    "Paul\tSans\tpas-une-adresse\tBrest\r\n"
)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Messages the contacts UI shows in warning boxes."""
    shown: list[str] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: shown.append(text))
    return shown


def open_paste(window: ContactsWindow, text: str) -> ImportWizard:
    QGuiApplication.clipboard().setText(text)
    window.paste_contacts()
    assert window.wizard is not None
    return window.wizard


def to_basis_page(wizard: ImportWizard) -> None:
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    assert wizard.currentPage() is wizard.basis_page


def run(qtbot: QtBot, wizard: ImportWizard) -> None:
    wizard.next()
    assert wizard.currentPage() is wizard.run_page
    qtbot.waitUntil(
        lambda: wizard.report is not None or wizard.error is not None, timeout=IMPORT_TIMEOUT_MS
    )


def test_pasted_text_is_imported_end_to_end(
    qtbot: QtBot, window: ContactsWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = window.model.rowCount()
    wizard = open_paste(window, PASTE)
    assert wizard.table.kind == "paste" and wizard.table.header_row == 1
    assert wizard.source_page.preview.rowCount() == 4
    assert wizard.source_page.preview.item(1, 3).text() == "Saint-Étienne\n(Loire)"
    to_basis_page(wizard)
    assert wizard.mapping() == ["first_name", "last_name", "email", "field:city"]
    wizard.basis_page.choose("consent")
    wizard.basis_page.source.setText("salon 2025")
    wizard.basis_page.proof.setText("Inscrit sur le stand")
    wizard.basis_page.set_list("Salon 2025")
    run(qtbot, wizard)

    report = wizard.report
    assert report is not None and wizard.error is None
    assert (report.added, report.updated, len(report.invalid)) == (3, 0, 1)
    assert (report.invalid[0].row, report.invalid[0].value) == (5, "pas-une-adresse")
    view = wizard.run_page.report_view
    assert wizard.run_page.stack.currentWidget() is view
    assert view.count_labels["added"].text() == "3"
    model = view.rejected.model()
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0)) == "5"
    assert model.data(model.index(0, 1)) == "pas-une-adresse"
    assert "@" in model.data(model.index(0, 2))
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()

    out = tmp_path / "report.csv"
    monkeypatch.setattr(prompts, "save_path", lambda *args: out)
    view.export_button.click()
    text = out.read_text(encoding="utf-8-sig")
    assert "pas-une-adresse" in text and "5" in text

    # The window shows the new contacts and the new list at once.
    assert window.model.rowCount() == before + 3
    assert "Salon 2025" in [info.name for info in window.lists_panel.lists()]
    stored = window.store.get("jean.dupont@exemple.fr")
    assert stored is not None
    assert stored.lists == ["Salon 2025"] and stored.basis == "consent"
    assert stored.basis_source == "salon 2025" and stored.basis_proof == "Inscrit sur le stand"
    assert stored.fields == {"city": "Saint-Étienne\n(Loire)"}
    wizard.accept()
    assert window.wizard is None


def test_basis_page_blocks_next_until_a_basis_is_chosen(
    qtbot: QtBot, window: ContactsWindow
) -> None:
    wizard = open_paste(window, PASTE)
    to_basis_page(wizard)
    page = wizard.basis_page
    forward = wizard.button(QWizard.WizardButton.CommitButton)
    assert forward.isVisible() and forward.text() == "Import"
    assert not page.isComplete() and not forward.isEnabled()
    assert page.basis() is None
    wizard.next()  # refused: still on the basis page, nothing imported
    assert wizard.currentPage() is page and wizard.worker is None
    page.choose("professional")
    assert page.isComplete() and forward.isEnabled()
    assert page.basis() is not None and page.basis().kind == "professional"
    # A new list needs a name.
    page.list.setCurrentIndex(page.list.findData(page.NEW_LIST))
    assert not forward.isEnabled()
    page.new_list.setText("Prospects")
    assert forward.isEnabled() and page.list_name() == "Prospects"


def test_cancel_stops_the_import_of_a_large_paste(qtbot: QtBot, window: ContactsWindow) -> None:
    rows = 200_000
    text = "E-mail\tPrénom\r\n" + "".join(
        f"client{i:06d}@exemple.fr\tPrénom{i % 97}\r\n" for i in range(rows)
    )
    wizard = open_paste(window, text)
    to_basis_page(wizard)
    wizard.basis_page.choose("customer")
    wizard.next()
    page = wizard.run_page
    assert wizard.is_importing()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    qtbot.waitUntil(lambda: page.progress.value() > 0, timeout=IMPORT_TIMEOUT_MS)
    page.cancel_button.click()
    assert not page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=IMPORT_TIMEOUT_MS)
    report = wizard.report
    assert report is not None and report.cancelled
    assert 0 < report.added < rows
    assert page.title() == "Import cancelled"
    assert page.report_view.count_labels["added"].text() == f"{report.added:,}"
    with ContactStore(window.store.path) as store:
        assert store.count(ContactQuery(search="client")) == report.added


def test_closing_the_wizard_during_an_import_cancels_it(
    qtbot: QtBot, window: ContactsWindow
) -> None:
    text = "E-mail\r\n" + "".join(f"x{i:06d}@exemple.fr\r\n" for i in range(200_000))
    wizard = open_paste(window, text)
    to_basis_page(wizard)
    wizard.basis_page.choose("consent")
    wizard.next()
    worker = wizard.worker
    assert worker is not None
    qtbot.waitUntil(lambda: wizard.run_page.progress.value() > 0, timeout=IMPORT_TIMEOUT_MS)
    wizard.reject()
    assert not worker.is_running()
    assert window.wizard is None
    assert window.store.count(ContactQuery(search="@exemple.fr")) < 200_000


def test_mapping_can_be_changed(qtbot: QtBot, window: ContactsWindow) -> None:
    text = "Nom\tAdresse\tSanté\tNotes\r\nDupont\tjean@exemple.fr\tasthme\tvip\r\n"
    wizard = open_paste(window, text)
    wizard.next()
    page = wizard.mapping_page
    assert wizard.mapping() == ["last_name", "email", "field:Santé", "field:notes"]
    assert page.isComplete()
    assert "Santé" in page.warnings.text()  # art. 9 data warned about
    cards = page.cards
    assert [card.samples.text().split("\n")[0] for card in cards][:2] == [
        "Dupont",
        "jean@exemple.fr",
    ]
    # Choosing the address for another column frees the first one.
    cards[3].combo.setCurrentIndex(cards[3].combo.findData("email"))
    assert wizard.mapping() == ["last_name", "ignore", "field:Santé", "email"]
    cards[3].combo.setCurrentIndex(cards[3].combo.findData("ignore"))
    assert not page.isComplete() and page.problem.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.set_mapping(["full_name", "email", "ignore", "field:"])
    cards[3].name.setText("Remarques")
    assert wizard.mapping() == ["full_name", "email", "ignore", "field:Remarques"]
    assert page.warnings.isHidden()


def test_workbook_sheets_and_header_row(
    qtbot: QtBot, window: ContactsWindow, errors: list[str]
) -> None:
    wizard = window.open_wizard(DATA / "clients_fr.xlsx")
    assert wizard is not None
    page = wizard.source_page
    assert not page.sheet.isHidden()
    assert [page.sheet.itemText(i) for i in range(page.sheet.count())] == [
        "Clients 2024",
        "Prospects",
        "Vide",
    ]
    assert page.header_row.value() == 4 and "detected" in page.header_hint.text()
    assert wizard.table.headers[3] == "Adresse e-mail"
    assert wizard.reopen(sheet="Prospects")
    assert wizard.table.sheet == "Prospects" and page.header_row.value() == 1
    assert page.preview.rowCount() == 1
    assert wizard.reopen(sheet="Vide")
    assert not page.isComplete() and "empty" in page.problem.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.reopen(sheet="Clients 2024", header_row=None)  # « none »: all rows are data
    assert wizard.table.header_row is None and page.header_row.value() == 0
    assert not wizard.reopen(header_row=500)  # the reader refuses: the message, the old table
    assert "500" in page.problem.text() and wizard.table.header_row is None
    wizard.next()
    assert "email" in wizard.mapping()  # found from the content, without a header


def test_the_detected_encoding_is_named_as_people_know_it(
    window: ContactsWindow, tmp_path: Path
) -> None:
    mac = tmp_path / "export-mac.csv"
    mac.write_bytes("Prénom;Courriel\rHélène;helene@exemple.fr\r".encode("mac_roman"))
    wizard = window.open_wizard(mac)
    assert wizard is not None
    assert "Mac (Mac Roman) encoding" in wizard.source_page.description.text()
    assert wizard.table.headers == ["Prénom", "Courriel"]


def test_unreadable_files_are_a_message_not_a_traceback(
    window: ContactsWindow, tmp_path: Path, errors: list[str]
) -> None:
    pdf = tmp_path / "clients.csv"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    assert window.open_wizard(pdf) is None
    assert window.wizard is None
    assert errors and "PDF" in errors[-1]
    assert window.open_wizard(tmp_path / "missing.xlsx") is None
    assert "missing.xlsx" in errors[-1]


def test_ctrl_v_in_the_view_opens_the_wizard_with_the_clipboard(
    qtbot: QtBot, window: ContactsWindow
) -> None:
    QGuiApplication.clipboard().setText(PASTE)
    window.activateWindow()
    window.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.table)
    qtbot.keyClick(window.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.wizard is not None)
    assert window.wizard is not None
    assert isinstance(window.wizard.source, PastedText)
    assert window.wizard.source.text == PASTE
    assert window.wizard.isVisible()


def test_ctrl_v_in_the_search_box_pastes_text(qtbot: QtBot, window: ContactsWindow) -> None:
    QGuiApplication.clipboard().setText("dupont")
    window.activateWindow()
    window.search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search)
    qtbot.keyClick(window.search, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.search.text() == "dupont"
    assert window.wizard is None


def test_an_empty_clipboard_says_so(window: ContactsWindow) -> None:
    QGuiApplication.clipboard().setText("  \n")
    window.paste_contacts()
    assert window.wizard is None
    assert "clipboard" in window.statusBar().currentMessage()


def test_suppressed_addresses_are_listed_in_the_report(
    qtbot: QtBot, window: ContactsWindow
) -> None:
    gone = window.store.page(ContactQuery(status="unsubscribed"), 0, 1)[0]
    wizard = open_paste(window, f"Email\r\n{gone.email.upper()}\r\nnouveau@exemple.fr\r\n")
    to_basis_page(wizard)
    wizard.basis_page.choose("consent")
    run(qtbot, wizard)
    report = wizard.report
    assert report is not None and (report.added, report.suppressed) == (1, 1)
    view = wizard.run_page.report_view
    assert view.tabs.currentIndex() == 1 and "(1)" in view.tabs.tabText(1)
    skipped = view.skipped.model()
    assert skipped.rowCount() == 1
    assert skipped.data(skipped.index(0, 0)).lower() == gone.email.lower()
    refreshed = window.store.get(gone.email)
    assert refreshed is not None and refreshed.status == "unsubscribed"


def test_an_error_during_the_import_is_shown_on_the_last_page(
    qtbot: QtBot, window: ContactsWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def damaged(*args: object, **kwargs: object) -> None:
        raise ImportFileError("Le classeur est endommagé (lecture arrêtée à la ligne 7).")

    monkeypatch.setattr("widgets.contacts.import_wizard.run_import", damaged)
    wizard = open_paste(window, PASTE)
    to_basis_page(wizard)
    wizard.basis_page.choose("consent")
    run(qtbot, wizard)
    assert wizard.report is None and wizard.error is not None and "ligne 7" in wizard.error
    assert wizard.run_page.stack.currentIndex() == 2
    assert "ligne 7" in wizard.run_page.error.text()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_a_file_without_header_says_what_each_column_becomes(
    qtbot: QtBot, window: ContactsWindow
) -> None:
    """The issue's file (`email,first name`, no header): the first names are imported, the
    mapping page and the report say what each column became."""
    wizard = window.open_wizard(DATA / "email_first_name.csv")
    assert wizard is not None and wizard.table.header_row is None
    wizard.next()
    page = wizard.mapping_page
    assert wizard.mapping() == ["email", "first_name"]
    assert [not card.guessed.isHidden() for card in page.cards] == [True, True]
    assert page.outcome.text() == "2 columns imported: all of them."
    page.cards[1].combo.setCurrentIndex(page.cards[1].combo.findData("ignore"))
    assert page.outcome.text() == '1 column imported; not imported: "Column 2".'
    page.cards[1].combo.setCurrentIndex(page.cards[1].combo.findData("first_name"))
    wizard.next()
    wizard.basis_page.choose("consent")
    run(qtbot, wizard)
    report = wizard.report
    assert report is not None and (report.added, report.invalid) == (3, [])
    stored = window.store.get("sophie.bernard@exemple.fr")
    assert stored is not None and stored.first_name == "Sophie"
    view = wizard.run_page.report_view
    assert view.tabs.currentIndex() == 2 and view.tabs.tabText(2) == "Columns (2)"
    columns = view.columns.model()
    assert [columns.data(columns.index(i, 0)) for i in range(columns.rowCount())] == [
        "Column 1 → email address",
        "Column 2 → first name",
    ]


def test_libreoffice_spreadsheet_in_the_wizard(window: ContactsWindow) -> None:
    assert "*.ods" in import_file_filter()
    wizard = window.open_wizard(DATA / "membres.ods")
    assert wizard is not None
    page = wizard.source_page
    assert "OpenDocument spreadsheet (LibreOffice)" in page.description.text()
    assert not page.sheet.isHidden()
    assert [page.sheet.itemText(i) for i in range(page.sheet.count())] == ["Bureau", "Membres"]
    assert page.sheet.currentText() == "Membres" and page.header_row.value() == 3
    assert page.preview.rowCount() == 3
    assert wizard.reopen(sheet="Bureau")
    assert wizard.table.headers == ["Courriel", "Rôle"]
