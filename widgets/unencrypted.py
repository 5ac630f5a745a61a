"""The one rule both connection forms (sending accounts, mailboxes) apply to security "none":
fine on this computer, asked once for another one, since the password and every message then
cross the network readable by anyone."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from editor.i18n import _
from editor.sending.accounts import is_loopback


class _Connection(Protocol):
    @property
    def security(self) -> str: ...
    @property
    def host(self) -> str: ...
    @property
    def insecure_confirmed(self) -> bool: ...


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


def ask_unencrypted(parent: QWidget, question: str) -> bool:
    """Yes/No (No by default) on ``question``, which names the host and what travels."""
    answer = QMessageBox.question(
        parent,
        _("Unencrypted connection"),
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
