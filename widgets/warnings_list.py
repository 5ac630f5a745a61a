"""The warnings panel: what the renderer noticed (missing alt text, clipped HTML, bad links…).

It shows :class:`editor.findings.Finding` objects, worded when shown (message, then how to fix
it) in the UI language; :meth:`WarningsList.retranslate` re-words them after a language switch.
Each row keeps the finding (:data:`FINDING_ROLE`) and the id of the block it concerns
(:data:`widgets.outline.BLOCK_ID_ROLE`), so a panel can select that block.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from editor import findings
from editor.findings import Finding, Severity
from editor.i18n import _
from widgets.outline import BLOCK_ID_ROLE

FINDING_ROLE = Qt.ItemDataRole.UserRole + 2
"""The :class:`Finding` a row shows."""

_ICONS = {
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


def finding_text(finding: Finding) -> str:
    """The row text: what is wrong, then what to do, in the current UI language."""
    return f"{findings.message(finding)}\n{findings.fix(finding)}"


class WarningsList(QListWidget):
    """One row per finding of the last rendering, or a single "no warnings" row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._findings: list[Finding] = []
        self.set_findings([])

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def set_findings(self, found: Sequence[Finding]) -> None:
        self._findings = list(dict.fromkeys(found))
        self.retranslate()

    def retranslate(self) -> None:
        """Word the rows again (after the UI language changed)."""
        self.clear()
        style = self.style()
        if not self._findings:
            item = QListWidgetItem(
                style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                _("No warnings."),
            )
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
            return
        for finding in self._findings:
            item = QListWidgetItem(
                style.standardIcon(_ICONS[finding.severity]), finding_text(finding)
            )
            item.setData(BLOCK_ID_ROLE, finding.block_id)
            item.setData(FINDING_ROLE, finding)
            self.addItem(item)
