"""The preferences dialog: language, autosave interval, remote images in previews.

Stored through :mod:`editor.settings` (keys it does not know are kept). The language choice
goes through :func:`widgets.language_menu.choose_language`, as the Language menu does, so both
save, switch and tell the user the same way. Window layout is not a preference: the main window
keeps it apart (``layout.ini``).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import _
from editor.settings import AUTOSAVE_RANGE, Preferences, load_preferences, save_preferences
from widgets.language_menu import LANGUAGE_NAMES, SYSTEM, choose_language


class PreferencesDialog(QDialog):
    """Edits the saved preferences; OK saves them, Cancel changes nothing.

    Attributes:
        language: follow the system, French or English.
        autosave: the autosave interval, in seconds.
        remote_images: whether previews load images from the web.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Preferences"))
        prefs = load_preferences()
        self._saved_language = prefs.language or SYSTEM

        self.language = QComboBox()
        self.language.addItem(_("Follow the system"), SYSTEM)
        for code, name in LANGUAGE_NAMES:
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(self._saved_language)))
        self.language.setAccessibleName(_("Language"))
        self.language.setToolTip(_("The language of the windows opened from now on"))

        self.autosave = QSpinBox()
        self.autosave.setRange(*AUTOSAVE_RANGE)
        self.autosave.setSuffix(_(" s"))
        self.autosave.setValue(prefs.autosave_seconds)
        self.autosave.setAccessibleName(_("Autosave interval"))
        self.autosave.setToolTip(
            _("How often a copy of unsaved work is kept, to recover it after a crash")
        )

        self.remote_images = QCheckBox(_("Load remote images in previews"))
        self.remote_images.setChecked(prefs.remote_images)
        self.remote_images.setToolTip(
            _(
                "Images given by a web address are fetched when previewing; the site they "
                "come from then sees it. Embedded images always show."
            )
        )

        form = QFormLayout()
        form.addRow(_("&Language:"), self.language)
        form.addRow(_("&Autosave every:"), self.autosave)
        form.addRow(self.remote_images)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def preferences(self) -> Preferences:
        """The saved preferences with this dialog's choices (language aside)."""
        prefs = load_preferences()
        prefs.autosave_seconds = self.autosave.value()
        prefs.remote_images = self.remote_images.isChecked()
        return prefs

    def accept(self) -> None:
        save_preferences(self.preferences())
        code = self.language.currentData()
        if code != self._saved_language:
            choose_language(code or None, self)
        super().accept()
