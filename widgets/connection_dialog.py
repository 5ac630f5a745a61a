"""What the sending-accounts and mailboxes dialogs share: a list of named settings beside a
form, a status line under a busy bar, « Test connection » run off the UI thread, and the one
rule for security "none": fine on this computer, asked once for another one, since the password
and every message then cross the network readable by anyone.

Each dialog keeps its own form, validation and keychain service; this holds the parts that
were the same line for line in both."""

from __future__ import annotations

import dataclasses
import ssl
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from editor.i18n import _
from editor.sending.accounts import is_loopback
from widgets.background import BackgroundTask


class _Connection(Protocol):
    @property
    def security(self) -> str: ...
    @property
    def host(self) -> str: ...
    @property
    def insecure_confirmed(self) -> bool: ...
    def validate(self) -> None: ...


C = TypeVar("C", bound=_Connection)


def with_security_confirmed(item: C, ask: Callable[[str], bool]) -> C | None:
    """``item`` with ``insecure_confirmed`` as it must be saved: True once the user accepted an
    unencrypted connection to another computer (``ask(host)``, asked only if not yet accepted),
    False otherwise; None when the user refused."""
    if item.security == "none" and not is_loopback(item.host):
        if not item.insecure_confirmed and not ask(item.host):
            return None
        return dataclasses.replace(item, insecure_confirmed=True)  # type: ignore[type-var]
    return dataclasses.replace(item, insecure_confirmed=False)  # type: ignore[type-var]


def line_edit(name: str, tip: str, placeholder: str = "") -> QLineEdit:
    """A form's text field with its accessible name, tooltip and placeholder."""
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setToolTip(tip)
    edit.setPlaceholderText(placeholder)
    return edit


class ConnectionDialog(QDialog):
    """The shared frame (see the module doc).

    Signals:
        tested(object): the diagnosis of a finished connection test (it has ``ok``, ``message``
            and ``hint``).

    ``ssl_context`` (None: the system's trusted CAs) is what the connection test uses; tests
    set it to trust their own server. ``_current`` names the entry being edited ("" = new).
    """

    tested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ssl_context: ssl.SSLContext | None = None
        self._task: BackgroundTask | None = None
        self._current = ""
        self._insecure_confirmed = False
        self._test_buttons: Sequence[QPushButton] = ()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(8)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName(_("Testing the connection"))
        self.busy.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAccessibleName(_("Result"))

    # -- list

    @staticmethod
    def fill_list(widget: QListWidget, entries: Sequence[tuple[str, str]], select: str) -> bool:
        """Show ``entries`` (name, tooltip) in ``widget`` and select ``select``, else the first;
        False when there is none (the caller then opens an empty form)."""
        widget.blockSignals(True)
        widget.clear()
        for name, tip in entries:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(tip)
            widget.addItem(item)
        widget.blockSignals(False)
        names = [name for name, _tip in entries]
        if select in names:
            widget.setCurrentRow(names.index(select))
        elif names:
            widget.setCurrentRow(0)
        return bool(names)

    @staticmethod
    def clear_selection(widget: QListWidget) -> None:
        """No entry selected, without loading one (a new entry's empty form follows)."""
        widget.blockSignals(True)
        widget.setCurrentRow(-1)
        widget.blockSignals(False)

    # -- the form's settings

    def checked(self, item: C, *, refusal: str, question: str, errors: type[Exception]) -> C | None:
        """``item`` with the unencrypted case confirmed (``question``, with ``{host}``, asked
        once) and validated; None, the reason shown, when the user refused (``refusal``) or
        it is not valid (an ``errors`` exception)."""
        confirmed = with_security_confirmed(
            item, lambda host: self._ask_unencrypted(question.format(host=host))
        )
        if confirmed is None:
            self._show_error(refusal)
            return None
        self._insecure_confirmed = confirmed.insecure_confirmed or self._insecure_confirmed
        try:
            confirmed.validate()
        except errors as exc:
            self._show_error(str(exc))
            return None
        return confirmed

    def _ask_unencrypted(self, question: str) -> bool:
        """Yes/No (No by default) on ``question``, which names the host and what travels."""
        answer = QMessageBox.question(
            self,
            _("Unencrypted connection"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- connection test

    def run_test(self, host: str, work: Callable[[], Any], buttons: Sequence[QPushButton]) -> None:
        """Run ``work`` (it returns a diagnosis) on the thread pool, ``buttons`` disabled and
        the busy bar shown until it ends; the diagnosis shows in the status line."""
        self._test_buttons = buttons
        self.busy.show()
        for button in buttons:
            button.setEnabled(False)
        self.status.setText(_("Testing the connection to {host}…").format(host=host))
        self.status.setStyleSheet("")
        task = BackgroundTask(work)
        task.succeeded.connect(self._on_tested)
        task.failed.connect(self._on_test_error)
        task.finished.connect(self._on_test_finished)
        self._task = task
        task.start()

    def _on_tested(self, diagnosis: Any) -> None:
        if diagnosis.ok:
            self._show_ok(diagnosis.message)
        else:
            self._show_error(f"{diagnosis.message}\n{diagnosis.hint}")
        self.tested.emit(diagnosis)

    def _on_test_error(self, error: BaseException) -> None:
        self._show_error(str(error))

    def _on_test_finished(self) -> None:
        self._task = None
        self.busy.hide()
        for button in self._test_buttons:
            button.setEnabled(True)

    def is_testing(self) -> bool:
        return self._task is not None

    # -- status

    def _show_error(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b91c1c;")

    def _show_ok(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #15803d;")

    def done(self, result: int) -> None:
        if self._task is not None:
            self._task.wait(1)  # its result is dropped with the dialog; don't block for long
        super().done(result)
