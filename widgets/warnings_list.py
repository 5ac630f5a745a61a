"""The warnings panel: what the renderer noticed (missing alt text, clipped HTML, bad links…)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QStyle, QWidget

from editor.i18n import t


class WarningsList(QListWidget):
    """One row per warning of the last rendering, or a single "no warnings" row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._warnings: list[str] = []
        self.set_warnings([])

    @property
    def warnings(self) -> list[str]:
        return list(self._warnings)

    def set_warnings(self, warnings: Sequence[str]) -> None:
        self.clear()
        self._warnings = list(dict.fromkeys(warnings))  # one image without alt text is enough
        style = self.style()
        if not self._warnings:
            item = QListWidgetItem(
                style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton),
                t("Aucun avertissement.", "No warnings."),
            )
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.addItem(item)
            return
        icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for warning in self._warnings:
            self.addItem(QListWidgetItem(icon, warning))
