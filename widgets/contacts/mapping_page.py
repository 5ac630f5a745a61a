"""Import wizard, page 2: what each column holds.

One card per column of the source, left to right as in the spreadsheet: its header, a chooser
(email, first name, last name, full name, consent to measurement, custom field with an editable
name, ignore) preset with :func:`suggest_mapping`, and sample values under it. A column without a
header says that its target was guessed from its values. Below the cards, one line says what
every column becomes (how many are imported, which are left out), so no column is dropped
unseen. Sensitive field names are warned about as they are typed. The page is complete once a
column holds the address.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from editor.contacts.importer import suggest_mapping
from editor.contacts.mapping import (
    FIELD_PREFIX,
    MEASUREMENT_CONSENT,
    TARGETS,
    field_name,
    is_generated_header,
    mapping_fields,
)
from editor.contacts.privacy import sensitive_field_warnings
from editor.contacts.readers import ImportFileError, Table
from editor.i18n import _, ngettext
from widgets.contacts.labels import target_label

SAMPLES = 5  # values shown under each column
# one column each
_SINGLE = ("email", "first_name", "last_name", "full_name", MEASUREMENT_CONSENT)


class ColumnCard(QFrame):
    """One source column: header, target chooser, custom field name, samples."""

    WIDTH = 190

    def __init__(self, header: str, samples: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = header
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(self.WIDTH)
        layout = QVBoxLayout(self)
        self.title = title = QLabel(header or _("(no title)"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        title.setToolTip(header)
        title.setText(
            title.fontMetrics().elidedText(title.text(), Qt.TextElideMode.ElideRight, 170)
        )
        layout.addWidget(title)
        self.combo = QComboBox()
        for target in TARGETS:
            self.combo.addItem(target_label(target), target)
        layout.addWidget(self.combo)
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Field name"))
        policy = self.name.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # every card the same height, samples aligned
        self.name.setSizePolicy(policy)
        layout.addWidget(self.name)
        self.samples = QLabel()
        self.samples.setTextFormat(Qt.TextFormat.PlainText)
        self.samples.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        metrics = self.samples.fontMetrics()
        shown = [
            metrics.elidedText(" / ".join(v.splitlines()), Qt.TextElideMode.ElideRight, 170)
            for v in samples
        ]
        shown += [""] * (SAMPLES - len(shown))
        self.samples.setText("\n".join(shown) if any(shown) else _("(empty)"))
        self.samples.setToolTip("\n".join(samples))
        self.samples.setFixedHeight(metrics.lineSpacing() * SAMPLES + 4)

        layout.addWidget(self.samples)
        self.guessed = QLabel(_("Guessed from the values") if is_generated_header(header) else "")
        self.guessed.setEnabled(False)
        self.guessed.setVisible(is_generated_header(header))
        layout.addWidget(self.guessed)
        layout.addStretch(1)
        self.combo.currentIndexChanged.connect(self._kind_changed)

    def target(self) -> str:
        kind = self.combo.currentData()
        if kind == FIELD_PREFIX:
            name = " ".join(self.name.text().split())
            return FIELD_PREFIX + name if name else "ignore"
        return str(kind)

    def set_target(self, target: str) -> None:
        name = field_name(target)
        kind = FIELD_PREFIX if name is not None else target
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(max(0, self.combo.findData(kind)))
        self.combo.blockSignals(False)
        self.name.setText(name if name is not None else " ".join(self.header.split()))
        self._kind_changed()

    def _kind_changed(self, *_: object) -> None:
        is_field = self.combo.currentData() == FIELD_PREFIX
        self.name.setVisible(is_field)
        if is_field and not self.name.text().strip():
            self.name.setText(" ".join(self.header.split()))
        ignored = self.combo.currentData() == "ignore"
        # Examples, not something to edit: muted, and more so for a column left out.
        self.samples.setStyleSheet("color: #aaa;" if ignored else "color: #555;")
        self.title.setStyleSheet("color: #999;" if ignored else "")


class MappingPage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Columns"))
        self.setSubTitle(
            _(
                "Say what each column holds. Unknown columns become custom fields "
                "your newsletters can use."
            )
        )
        self.cards: list[ColumnCard] = []
        self._table: Table | None = None
        layout = QVBoxLayout(self)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.strip = QWidget()
        self.strip_layout = QHBoxLayout(self.strip)
        self.strip_layout.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.scroller.setWidget(self.strip)
        layout.addWidget(self.scroller)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        layout.addWidget(self.outcome)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b03a2e; font-weight: bold;")
        layout.addWidget(self.problem)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #b03a2e;")
        layout.addWidget(self.warnings)
        layout.addStretch(1)

    def load(self, table: Table) -> None:
        """Build the cards for ``table`` with the suggested mapping (a new table only)."""
        if table is self._table:
            return
        self._table = table
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        try:
            preview = table.preview(50)
            suggested = suggest_mapping(table)
        except ImportFileError as exc:
            preview, suggested = [], ["ignore"] * len(table.headers)
            self.problem.setText(str(exc))
        for i, header in enumerate(table.headers):
            samples = [row[i] for row in preview if i < len(row) and row[i]][:SAMPLES]
            card = ColumnCard(header, samples, self.strip)
            card.set_target(suggested[i])
            card.combo.currentIndexChanged.connect(lambda _, c=card: self._chosen(c))
            card.name.textChanged.connect(self._update)
            self.strip_layout.addWidget(card, 0, Qt.AlignmentFlag.AlignTop)
            self.cards.append(card)
        frame = 2 * self.scroller.frameWidth()
        scrollbar = self.scroller.horizontalScrollBar().sizeHint().height()
        margins = self.strip_layout.contentsMargins()
        tallest = max((card.sizeHint().height() for card in self.cards), default=0)
        height = tallest + margins.top() + margins.bottom() + frame + scrollbar
        self.scroller.setFixedHeight(height)
        self._update()

    def mapping(self) -> list[str]:
        return [card.target() for card in self.cards]

    def set_mapping(self, targets: list[str]) -> None:
        for card, target in zip(self.cards, targets, strict=True):
            card.set_target(target)
        self._update()

    def _chosen(self, card: ColumnCard) -> None:
        """One column per email/name target: choosing it elsewhere frees the other column."""
        target = card.target()
        if target in _SINGLE:
            for other in self.cards:
                if other is not card and other.target() == target:
                    other.set_target("ignore")
        self._update()

    def _update(self, *_unused: object) -> None:
        mapping = self.mapping()
        if "email" not in mapping:
            self.problem.setText(_("Choose the column that holds the email address."))
        else:
            self.problem.setText("")
        self.outcome.setText(self._outcome(mapping))
        warnings = sensitive_field_warnings(mapping_fields(mapping))
        self.warnings.setText("\n".join(warnings))
        self.warnings.setVisible(bool(warnings))
        self.completeChanged.emit()

    def _outcome(self, mapping: list[str]) -> str:
        """« 4 colonnes importées ; non importée : Colonne 5. »"""
        left_out = [
            card.header
            for card, target in zip(self.cards, mapping, strict=True)
            if target == "ignore"
        ]
        kept = len(mapping) - len(left_out)
        text = ngettext("{kept} column imported", "{kept} columns imported", kept).format(kept=kept)
        if left_out:
            names = ", ".join(_('"{header}"').format(header=h) for h in left_out)
            text += ngettext(
                "; not imported: {names}.", "; not imported: {names}.", len(left_out)
            ).format(names=names)
        else:
            text += _(": all of them.")
        return text

    def isComplete(self) -> bool:
        return "email" in self.mapping()

    def validatePage(self) -> bool:
        return self.isComplete()
