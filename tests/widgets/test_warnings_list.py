"""The warnings panel: findings worded when shown, with their fix, severity and block id."""

from __future__ import annotations

import pytest

from editor import findings, i18n
from editor.findings import Finding
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
