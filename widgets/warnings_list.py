"""The findings panel: what the renderer (and later the spam rules) noticed, worst first.

It shows :class:`editor.findings.Finding` objects, worded when shown (message, then how to fix
it) in the UI language; :meth:`WarningsList.retranslate` re-words them after a language switch.
Findings come from several sources (``"render"`` and ``"spam"``, the spam rules): each source's
list replaces that source's previous one, and the panel shows them merged in one list, errors
first, then those costing the most spam-score points (given with them, shown on the row). A row
whose finding :attr:`WarningsList.fixable` accepts carries a « Fix » button that emits
:attr:`WarningsList.fix_requested`; the window's spam panel applies the fix.
Each row keeps the finding (:data:`FINDING_ROLE`) and the id of the block it concerns
(:data:`widgets.outline.BLOCK_ID_ROLE`); clicking such a row, or pressing Enter on it, emits
:attr:`WarningsList.block_activated` so the window can select and show that block.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from editor import findings
from editor.findings import Finding, Severity
from editor.i18n import _, number
from widgets.outline import BLOCK_ID_ROLE

FINDING_ROLE = Qt.ItemDataRole.UserRole + 2
"""The :class:`Finding` a row shows."""

_ICONS = {
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
FIX_ROOM_ROLE = Qt.ItemDataRole.UserRole + 3
"""The width kept free at a row's right end for its « Fix » button (0 or absent: none)."""


def finding_text(finding: Finding, points: float = 0.0) -> str:
    """The row text: what is wrong (and what it costs on the spam score), then what to do, in
    the current UI language."""
    message = findings.message(finding)
    if points > 0:
        message = _("{message} (−{points} on the spam score)").format(
            message=message, points=number(points, 1)
        )
    return f"{message}\n{findings.fix(finding)}"


class WarningsList(QListWidget):
    """One row per finding, worst first, or a single "no warnings" row.

    Attributes:
        fixable: which findings get a « Fix » button (None: none do).

    Signals:
        block_activated(str): a row about a block was clicked or activated (Enter); the id.
        fix_requested(Finding): a row's « Fix » button was pressed.
        changed(): the findings shown changed (a source gave a new list).
    """

    block_activated = Signal(str)
    fix_requested = Signal(object)
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.setItemDelegate(_FixRoomDelegate(self))
        self.setAccessibleName(_("Findings"))
        self.setToolTip(_("Click a finding to select its block"))
        self.fixable: Callable[[Finding], bool] | None = None
        self._sources: dict[str, list[Finding]] = {}
        self._source_points: dict[str, dict[Finding, float]] = {}
        self._points: dict[Finding, float] = {}
        self._findings: list[Finding] = []
        self.itemClicked.connect(self._item_activated)
        self.itemActivated.connect(self._item_activated)
        self.set_findings([])

    @property
    def findings(self) -> list[Finding]:
        """Every source's findings, without repeats, errors first, then by spam-score points
        (stable otherwise)."""
        return list(self._findings)

    def points(self, finding: Finding) -> float:
        """What ``finding`` costs on the spam score (0 when no source said)."""
        return self._points.get(finding, 0.0)

    def set_findings(
        self,
        found: Sequence[Finding],
        source: str = "render",
        *,
        points: Mapping[Finding, float] | None = None,
    ) -> None:
        """Replace the findings of ``source`` (the others stay) and show them all; ``points``:
        what findings (of any source) cost on the spam score."""
        self._sources[source] = list(found)
        self._source_points[source] = dict(points or {})
        self._points = {}
        for given in self._source_points.values():
            self._points.update(given)
        merged = dict.fromkeys(f for items in self._sources.values() for f in items)
        self._findings = sorted(
            merged,
            key=lambda f: (_ORDER.get(f.severity, len(_ORDER)), -self._points.get(f, 0.0)),
        )
        self.retranslate()
        self.changed.emit()

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
                style.standardIcon(_ICONS[finding.severity]),
                finding_text(finding, self.points(finding)),
            )
            item.setData(BLOCK_ID_ROLE, finding.block_id)
            item.setData(FINDING_ROLE, finding)
            item.setToolTip(findings.fix(finding))
            if not finding.block_id:  # about the whole newsletter: nothing to select
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.addItem(item)
            if self.fixable is not None and self.fixable(finding):
                holder = self._fix_holder(item, finding)
                item.setData(FIX_ROOM_ROLE, holder.sizeHint().width() + 4)
                self.setItemWidget(item, holder)

    def fix_button(self, row: int) -> QPushButton | None:
        """The « Fix » button of ``row``, if it has one."""
        holder = self.itemWidget(self.item(row))
        return holder.findChild(QPushButton) if holder is not None else None

    def _fix_holder(self, item: QListWidgetItem, finding: Finding) -> QWidget:
        """A « Fix » button at the row's right end; the rest of the row still selects."""
        button = QPushButton(_("Fix"))
        button.setToolTip(_("Make this change for you (Undo takes it back)"))
        button.setAccessibleName(_("Fix: {problem}").format(problem=findings.message(finding)))
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.clicked.connect(lambda: self.fix_requested.emit(finding))
        holder = _RowHolder(self, item)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 6, 0)
        row.addStretch(1)
        row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        return holder

    def _item_activated(self, item: QListWidgetItem) -> None:
        block_id = item.data(BLOCK_ID_ROLE)
        if block_id:
            self.block_activated.emit(str(block_id))


class _RowHolder(QWidget):
    """What lies over a row with a « Fix » button: a click beside the button acts on the row
    as a click on the row would (it covers the whole row)."""

    def __init__(self, owner: WarningsList, item: QListWidgetItem) -> None:
        super().__init__()
        self._owner, self._item = owner, item

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._owner.setCurrentItem(self._item)
        self._owner.itemClicked.emit(self._item)
        event.accept()


Index = QModelIndex | QPersistentModelIndex


class _FixRoomDelegate(QStyledItemDelegate):
    """Rows laid out and drawn narrower by their :data:`FIX_ROOM_ROLE`, so wrapped text never
    runs under the « Fix » button."""

    def _narrowed(self, option: QStyleOptionViewItem, index: Index) -> QStyleOptionViewItem:
        room = index.data(FIX_ROOM_ROLE)
        narrowed = QStyleOptionViewItem(option)
        if isinstance(room, int) and room > 0 and narrowed.rect.isValid():
            narrowed.rect.setWidth(max(1, narrowed.rect.width() - room))
        return narrowed

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        room = index.data(FIX_ROOM_ROLE)
        if isinstance(room, int) and room > 0:
            # The row's background (selection, alternate colour) in full, the text beside the
            # button.
            full = QStyleOptionViewItem(option)
            self.initStyleOption(full, index)
            full.text = ""
            full.icon = QIcon()
            style = full.widget.style() if full.widget is not None else None
            if style is not None:
                style.drawControl(QStyle.ControlElement.CE_ItemViewItem, full, painter, full.widget)
            super().paint(painter, self._narrowed(option, index), index)
            return
        super().paint(painter, option, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return super().sizeHint(self._narrowed(option, index), index)
