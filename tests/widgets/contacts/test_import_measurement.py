"""The import wizard and a measurement consent column: its choice, its label, its report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from editor.contacts.mapping import MEASUREMENT_CONSENT
from editor.tracking import consent
from widgets.contacts.import_wizard import ImportWizard
from widgets.contacts.window import ContactsWindow

pytestmark = pytest.mark.gui

IMPORT_TIMEOUT_MS = 30_000
LABEL = "Consent to open/click measurement (yes/no)"


def run(qtbot: QtBot, wizard: ImportWizard) -> None:
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    wizard.basis_page.choose("consent")
    wizard.next()
    assert wizard.currentPage() is wizard.run_page
    qtbot.waitUntil(
        lambda: wizard.report is not None or wizard.error is not None, timeout=IMPORT_TIMEOUT_MS
    )
    assert wizard.error is None


def test_the_column_is_guessed_and_can_be_chosen_elsewhere_or_unchosen(
    window: ContactsWindow,
) -> None:
    QGuiApplication.clipboard().setText(
        "E-mail\tOpt\tConsentement mesure\r\nana@exemple.fr\toui\tnon\r\n"
    )
    window.paste_contacts()
    wizard = window.wizard
    assert wizard is not None
    wizard.next()
    cards = wizard.mapping_page.cards
    assert wizard.mapping() == ["email", "field:Opt", MEASUREMENT_CONSENT]
    combo = cards[1].combo
    index = combo.findData(MEASUREMENT_CONSENT)
    assert index >= 0 and combo.itemText(index) == LABEL
    assert cards[2].combo.currentText() == LABEL
    # At most one column: choosing it for « Opt » leaves « Consentement mesure » out.
    combo.setCurrentIndex(index)
    assert wizard.mapping() == ["email", MEASUREMENT_CONSENT, "ignore"]
    combo.setCurrentIndex(combo.findData("ignore"))
    assert MEASUREMENT_CONSENT not in wizard.mapping()
    assert wizard.mapping_page.isComplete()


def test_the_result_page_shows_the_consents_recorded_and_the_unreadable_answers(
    qtbot: QtBot, window: ContactsWindow, tmp_path: Path
) -> None:
    path = tmp_path / "inscrits.csv"
    path.write_text(
        "Email;Mesure d'audience\r\n"
        "ana@exemple.fr;oui\r\nbob@exemple.fr;non\r\ncyril@exemple.fr;bof\r\n",
        encoding="utf-8",
    )
    wizard = window.open_wizard(path)
    assert wizard is not None
    run(qtbot, wizard)
    report = wizard.report
    assert report is not None and (report.added, report.consents) == (3, 1)
    view = wizard.run_page.report_view
    assert view.counts.isRowVisible(view.count_labels["consents"])
    assert view.count_labels["consents"].text() == "1"
    assert view.counts.isRowVisible(view.consent_details)
    assert "1 answer neither yes nor no" in view.consent_details.text()
    assert view.tabs.isTabVisible(3) and view.tabs.currentIndex() == 3
    assert view.tabs.tabText(3) == "Consent not recorded (1)"
    rows = view.consent_rows.model()
    assert (rows.data(rows.index(0, 0)), rows.data(rows.index(0, 1))) == ("4", "bof")
    record = consent.record(window.store.db, "ana@exemple.fr")
    assert record is not None
    assert record.proof.startswith('Import of inscrits.csv, column "Mesure d\'audience", ')
    assert consent.record(window.store.db, "cyril@exemple.fr") is None
    assert window.store.get("cyril@exemple.fr") is not None


def test_without_the_column_the_result_page_does_not_mention_it(
    qtbot: QtBot, window: ContactsWindow
) -> None:
    QGuiApplication.clipboard().setText("E-mail\r\nana@exemple.fr\r\n")
    window.paste_contacts()
    wizard = window.wizard
    assert wizard is not None
    run(qtbot, wizard)
    view = wizard.run_page.report_view
    assert not view.counts.isRowVisible(view.count_labels["consents"])
    assert not view.counts.isRowVisible(view.consent_details)
    assert not view.tabs.isTabVisible(3)
