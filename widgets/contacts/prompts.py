"""The small modal questions of the contacts view, in one place.

Every question goes through a function here, called as ``prompts.ask_text(...)``, so a test
replaces one function instead of driving a modal dialog. Confirmations use
``QMessageBox.question`` (tests patch that directly).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import _


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """A line of text (a list name), or None when cancelled or left blank."""
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    value = value.strip()
    return value if ok and value else None


class ReasonDialog(QDialog):
    """Asks why (kept in the contacts' history); OK stays disabled while the reason is blank."""

    def __init__(self, parent: QWidget | None, title: str, label: str, text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        message = QLabel(label)
        message.setWordWrap(True)
        layout.addWidget(message)
        self.edit = QLineEdit(text)
        self.edit.setPlaceholderText(_("Reason"))
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.edit.textChanged.connect(lambda value: ok.setEnabled(bool(value.strip())))
        ok.setEnabled(bool(text.strip()))
        self.resize(460, self.sizeHint().height())


def ask_reason(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    dialog = ReasonDialog(parent, title, label, text)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.edit.text().strip() or None


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes/No, No by default: every confirmation here is for something hard to undo."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def open_path(parent: QWidget | None, title: str, filters: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(name) if name else None


def save_path(parent: QWidget | None, title: str, suggested: str, filters: str) -> Path | None:
    """A file to write; the suffix of the chosen filter is added when the user typed none."""
    name, chosen = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    if not name:
        return None
    path = Path(name)
    if not path.suffix and "*." in chosen:
        path = path.with_suffix("." + chosen.split("*.", 1)[1].split(")", 1)[0].split()[0])
    return path


def choose_folder(parent: QWidget | None, title: str) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, title)
    return Path(name) if name else None
