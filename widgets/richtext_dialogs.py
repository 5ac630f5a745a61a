"""The two small dialogs of the rich-text toolbar: a link's address, a merge tag's default.

Each checks what is typed as it is typed, with the core's rules
(:func:`editor.richtext.link_target`, :func:`editor.merge_fields.default_problem`), says why in
words when OK is greyed, and is reached through one static getter (:meth:`LinkDialog.get_link`,
:meth:`MergeTagDialog.get_default`) that tests replace.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import _
from editor.merge_fields import default_problem, merge_tag
from editor.richtext import link_target


class LinkDialog(QDialog):
    """Asks a link's address, and its text when nothing is selected to carry it."""

    def __init__(self, parent: QWidget | None, url: str = "", text: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Link"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.url = QLineEdit(url)
        self.url.setPlaceholderText(_("https://www.example.com or name@example.com"))
        self.url.setAccessibleName(_("Link address"))
        self.url.setToolTip(_("A web address, an email address or a phone number (tel:…)"))
        self.url.setMinimumWidth(self.fontMetrics().averageCharWidth() * 48)
        form.addRow(_("&Address:"), self.url)
        self.text: QLineEdit | None = None
        if text is not None:
            self.text = QLineEdit(text)
            self.text.setAccessibleName(_("Link text"))
            self.text.setToolTip(_("The words readers click; the address when left empty"))
            form.addRow(_("&Text:"), self.text)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(_("Why the address cannot be used"))
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.url.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        typed = self.url.text().strip()
        ok = link_target(typed) is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        self.problem.setText(
            ""
            if ok or not typed
            else _(
                "Emails can only link to web pages (https://…), email addresses (mailto:…) "
                "and phone numbers (tel:…)."
            )
        )

    @staticmethod
    def get_link(
        parent: QWidget | None, url: str = "", text: str | None = None
    ) -> tuple[str, str] | None:
        """``(address as typed, link text)``, or None when cancelled.

        ``text`` None means the selection carries the link (no text field is shown, and "" is
        returned as the text).
        """
        dialog = LinkDialog(parent, url, text)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.url.text().strip(), dialog.text.text() if dialog.text is not None else ""


class MergeTagDialog(QDialog):
    """Asks the default a merge tag shows when the contact's field is empty."""

    def __init__(self, parent: QWidget | None, field: str, label: str) -> None:
        super().__init__(parent)
        self.field = field
        self.setWindowTitle(_("Insert a merge field"))
        layout = QVBoxLayout(self)
        intro = QLabel(_('"{label}" is replaced by each contact\'s own value.').format(label=label))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.default = QLineEdit()
        self.default.setPlaceholderText(_("for example: dear customer"))
        self.default.setAccessibleName(_("Default when empty"))
        self.default.setToolTip(
            _("Shown to contacts who have no value for this field; leave empty for nothing")
        )
        form.addRow(_("&Default when empty:"), self.default)
        layout.addLayout(form)
        self.preview = QLabel()
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.preview.setAccessibleName(_("Merge tag inserted"))
        layout.addWidget(self.preview)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.default.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        problem = default_problem(self.default.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)
        if problem is None:
            self.preview.setText(merge_tag(self.field, self.default.text()))
        else:
            self.preview.setText(problem)

    @staticmethod
    def get_default(parent: QWidget | None, field: str, label: str) -> str | None:
        """The default typed ("" for none), or None when cancelled."""
        dialog = MergeTagDialog(parent, field, label)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.default.text().strip()
