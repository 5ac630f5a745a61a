"""The findings panel: what the renderer (and later the spam rules) noticed, worst first.

It shows :class:`editor.findings.Finding` objects, worded when shown (message, then how to fix
it) in the UI language; :meth:`WarningsList.retranslate` re-words them after a language switch.
Findings come from several sources (``"render"`` now, the spam rules later): each source's list
replaces that source's previous one, and the panel shows them merged, errors first.
Each row keeps the finding (:data:`FINDING_ROLE`) and the id of the block it concerns
(:data:`widgets.outline.BLOCK_ID_ROLE`); clicking such a row, or pressing Enter on it, emits
:attr:`WarningsList.block_activated` so the window can select and show that block.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
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
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def finding_text(finding: Finding) -> str:
    """The row text: what is wrong, then what to do, in the current UI language."""
    return f"{findings.message(finding)}\n{findings.fix(finding)}"


class WarningsList(QListWidget):
    """One row per finding, worst first, or a single "no warnings" row.

    Signals:
        block_activated(str): a row about a block was clicked or activated (Enter); the id.
    """

    block_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.setAccessibleName(_("Findings"))
        self.setToolTip(_("Click a finding to select its block"))
        self._sources: dict[str, list[Finding]] = {}
        self._findings: list[Finding] = []
        self.itemClicked.connect(self._item_activated)
        self.itemActivated.connect(self._item_activated)
        self.set_findings([])

    @property
    def findings(self) -> list[Finding]:
        """Every source's findings, without repeats, errors first (stable within a severity)."""
        return list(self._findings)

    def set_findings(self, found: Sequence[Finding], source: str = "render") -> None:
        """Replace the findings of ``source`` (the others stay) and show them all."""
        self._sources[source] = list(found)
        merged = dict.fromkeys(f for items in self._sources.values() for f in items)
        self._findings = sorted(merged, key=lambda f: _ORDER.get(f.severity, len(_ORDER)))
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
            item.setToolTip(findings.fix(finding))
            if not finding.block_id:  # about the whole newsletter: nothing to select
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.addItem(item)

    def _item_activated(self, item: QListWidgetItem) -> None:
        block_id = item.data(BLOCK_ID_ROLE)
        if block_id:
            self.block_activated.emit(str(block_id))
