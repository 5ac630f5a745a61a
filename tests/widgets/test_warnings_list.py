"""The findings panel: worded when shown, with their fix, severity and block id; merged from
several sources worst first; a click or Enter on one about a block asks to select it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from editor import findings, i18n
from editor.findings import Finding, Severity
from widgets.outline import BLOCK_ID_ROLE
from widgets.warnings_list import FINDING_ROLE, WarningsList

pytestmark = pytest.mark.gui


def test_rows_hold_message_fix_and_block_id(qapp: object) -> None:
    panel = WarningsList()
    assert [panel.item(0).text()] == ["No warnings."] and panel.count() == 1
    alt = Finding.of(findings.IMAGE_NO_ALT, "img1")
    footer = Finding.of(findings.FOOTER_MISSING)
    panel.set_findings([alt, footer, alt])
    assert panel.findings == [alt, footer]
    assert panel.count() == 2
    first = panel.item(0)
    assert first.text() == f"{findings.message(alt)}\n{findings.fix(alt)}"
    assert first.data(BLOCK_ID_ROLE) == "img1" and first.data(FINDING_ROLE) == alt
    assert panel.item(1).data(BLOCK_ID_ROLE) is None
    assert not first.icon().isNull()


def test_retranslate_rewords_the_same_findings(qapp: object) -> None:
    panel = WarningsList()
    panel.set_findings([Finding.of(findings.IMAGE_NO_ALT, "img1")])
    assert "alt text" in panel.item(0).text()
    i18n.set_language("fr")
    try:
        panel.retranslate()
        assert "texte alternatif" in panel.item(0).text()
        assert panel.item(0).data(BLOCK_ID_ROLE) == "img1"
    finally:
        i18n.set_language("en")


def test_findings_from_several_sources_are_merged_worst_first(qapp: object) -> None:
    panel = WarningsList()
    alt = Finding.of(findings.IMAGE_NO_ALT, "img1")
    unknown = Finding.of(findings.MERGE_UNKNOWN_FIELD, "txt1", tag="{{ ville }}", fields="ville")
    spam = Finding(findings.LINK_UNSAFE, Severity.INFO, "btn1", (("url", "javascript:x"),))
    panel.set_findings([alt, unknown])
    assert panel.findings == [unknown, alt]  # the error before the warning
    panel.set_findings([spam, alt], source="spam")
    assert panel.findings == [unknown, alt, spam]  # one row for the finding both gave
    assert panel.count() == 3
    panel.set_findings([], source="render")  # a source's new list replaces its old one
    assert panel.findings == [alt, spam]


def test_a_finding_about_a_block_selects_it_on_click_or_enter(qtbot: QtBot) -> None:
    panel = WarningsList()
    qtbot.addWidget(panel)
    panel.resize(500, 300)
    panel.show()
    assert panel.accessibleName()
    alt = Finding.of(findings.IMAGE_NO_ALT, "img1")
    footer = Finding.of(findings.FOOTER_MISSING)
    panel.set_findings([alt, footer])
    activated: list[str] = []
    panel.block_activated.connect(activated.append)
    rect = panel.visualItemRect(panel.item(0))
    qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated == ["img1"]
    panel.setFocus()
    panel.setCurrentRow(0)
    qtbot.keyClick(panel, Qt.Key.Key_Return)
    assert activated == ["img1", "img1"]
    # The footer finding concerns the whole newsletter: nothing to select.
    qtbot.mouseClick(
        panel.viewport(),
        Qt.MouseButton.LeftButton,
        pos=panel.visualItemRect(panel.item(1)).center(),
    )
    assert activated == ["img1", "img1"]
    assert panel.item(0).toolTip() == findings.fix(alt)
