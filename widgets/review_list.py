"""The review list: messages the inbox could not classify, for the user to decide.

A table (date, from, subject) of :func:`editor.inbox.review.review_items`; the selected message
is shown as plain text — its main headers, then its text parts (HTML parts reduced to their text,
reports and quoted headers as they are) — in a read-only plain-text view, so nothing in hostile
mail is rendered, fetched or run. Marking as bounce, complaint or unsubscribe applies the inbox's
rules (:func:`editor.inbox.review.mark`); when the message names no contact, the user is asked
which address it is about. "Not relevant" and "Delete" take it off the list changing nobody.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
from email.message import Message
from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import _, ngettext
from editor.inbox.review import Decision
from widgets.contacts.labels import status_label

MAX_SHOWN_CHARS = 200_000  # the view stays responsive; the review list keeps 2 MB at most
_HEADERS = ("Date", "From", "To", "Subject", "Message-ID", "Auto-Submitted")
_TAGS = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]*>", re.IGNORECASE | re.DOTALL)
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")


def _part_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        inner = part.get_payload()
        return inner if isinstance(inner, str) else ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name
        return payload.decode("utf-8", errors="replace")


def _html_to_text(text: str) -> str:
    text = re.sub(r"<br\s*/?>|</p\s*>|</div\s*>|</tr\s*>", "\n", text, flags=re.IGNORECASE)
    text = html.unescape(_TAGS.sub("", text))
    return _BLANK_LINES.sub("\n\n", text).strip()


def readable_message(raw: bytes) -> str:
    """The message as plain text for a person: main headers, then its readable parts.

    Never raises on hostile input (falls back to the raw bytes decoded leniently).
    """
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        lines = []
        for name in _HEADERS:
            value = message.get(name)
            if value is not None:
                lines.append(f"{name}: {_header(value)}")
        parts: list[str] = []
        for part in message.walk():
            if part.get_content_type() == "message/rfc822" and part.is_multipart():
                quoted = cast(list[Message], part.get_payload())
                for inner in quoted[:1]:
                    heads = [f"{k}: {_header(v)}" for k, v in inner.items()[:40]]
                    parts.append(_("[quoted message]") + "\n" + "\n".join(heads))
                continue
            if part.is_multipart():
                continue
            kind = part.get_content_type()
            if kind == "text/html":
                parts.append(
                    _("[HTML part, shown as text]") + "\n" + _html_to_text(_part_text(part))
                )
            elif kind.startswith("text/") or kind.startswith("message/"):
                parts.append(_part_text(part).strip())
            else:
                name = part.get_filename() or kind
                parts.append(_("[attachment: {name}]").format(name=_header(name)))
        text = "\n".join(lines) + "\n\n" + "\n\n".join(p for p in parts if p)
    except Exception:  # a message so broken the parser gave up: show the bytes
        text = raw.decode("utf-8", errors="replace")
    if len(text) > MAX_SHOWN_CHARS:
        text = text[:MAX_SHOWN_CHARS] + "\n\n" + _("[… the rest is not shown]")
    return text.replace("\0", "")


def _header(value: object) -> str:
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(str(value))))
    except Exception:
        return str(value)


def _sender_address(raw: bytes) -> str:
    from email.utils import parseaddr

    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        return parseaddr(str(message.get("From", "")))[1]
    except Exception:
        return ""


class ReviewListDialog(QDialog):
    """The messages to review (see the module doc).

    Signals:
        changed(int): after a decision; the number of messages left to review.
    Attributes: ``table`` (one row per message, its id in column 0's UserRole), ``message``
    (the selected message's text), ``status`` (the last result, worded).
    """

    changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Messages to review"))
        self.resize(900, 600)
        intro = QLabel(
            _(
                "Bulletin could not tell what these messages are. Read each one and say what "
                "it is: the contact it is about is updated as for a recognised message."
            )
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Date"), _("From"), _("Subject")])
        self.table.setAccessibleName(_("Messages to review"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.setColumnWidth(1, 260)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.message = QPlainTextEdit()
        self.message.setReadOnly(True)
        self.message.setAccessibleName(_("The message"))
        self.message.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.message)
        splitter.setSizes([220, 380])

        self.bounce_button = self._button(
            _("&Bounce"), _("The address does not exist any more: stop sending to it")
        )
        self.complaint_button = self._button(
            _("&Complaint"), _("The person reported the letter as spam")
        )
        self.unsubscribe_button = self._button(
            _("&Unsubscribe"), _("The person asks to receive no more letters")
        )
        self.irrelevant_button = self._button(
            _("&Not relevant"), _("Nothing to do: take it off the list, change nobody")
        )
        self.delete_button = self._button(
            _("&Delete from the list"), _("Take it off the list without deciding")
        )
        self.bounce_button.clicked.connect(lambda: self.decide("bounce"))
        self.complaint_button.clicked.connect(lambda: self.decide("complaint"))
        self.unsubscribe_button.clicked.connect(lambda: self.decide("unsubscribe"))
        self.irrelevant_button.clicked.connect(lambda: self.decide("not_relevant"))
        self.delete_button.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(_("Mark as:")))
        for button in (
            self.bounce_button,
            self.complaint_button,
            self.unsubscribe_button,
            self.irrelevant_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAccessibleName(_("Result"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.refresh()

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAccessibleName(text.replace("&", ""))
        button.setAutoDefault(False)  # Enter must never mark a message by accident
        return button

    # -- list

    def refresh(self) -> int:
        """Read the list again (the selection moves to the first row); how many there are."""
        from editor.contacts.store import ContactStore
        from editor.db import StoreError
        from editor.inbox.review import review_items

        try:
            with ContactStore() as store:
                items = review_items(store)
        except StoreError as exc:
            items = []
            self._show_error(str(exc))
        self.table.setRowCount(0)
        for item in items:
            row = self.table.rowCount()
            self.table.insertRow(row)
            date = (item.date or "")[:16].replace("T", " ")
            for column, text in enumerate((date, _header(item.sender), _header(item.subject))):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if column == 0:
                    cell.setData(Qt.ItemDataRole.UserRole, item.id)
                self.table.setItem(row, column, cell)
        if items:
            self.table.selectRow(0)
        else:
            self.message.setPlainText(_("No message to review."))
        self._update_buttons()
        return len(items)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        cell = self.table.item(rows[0].row(), 0)
        return int(cell.data(Qt.ItemDataRole.UserRole)) if cell is not None else None

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        for button in (
            self.bounce_button,
            self.complaint_button,
            self.unsubscribe_button,
            self.irrelevant_button,
            self.delete_button,
        ):
            button.setEnabled(chosen)

    def _raw(self, item_id: int) -> bytes | None:
        from editor.contacts.store import ContactStore
        from editor.inbox.review import raw_message

        with ContactStore() as store:
            return raw_message(store, item_id)

    def _show_selected(self) -> None:
        self._update_buttons()
        item_id = self.selected_id()
        if item_id is None:
            self.message.clear()
            return
        raw = self._raw(item_id)
        self.message.setPlainText(readable_message(raw) if raw is not None else "")

    # -- decisions

    def decide(self, decision: Decision, email_address: str | None = None) -> bool:
        """Apply ``decision`` to the selected message; asks the address when none is found."""
        from editor.contacts.store import ContactStore
        from editor.db import StoreError
        from editor.inbox.review import mark

        item_id = self.selected_id()
        if item_id is None:
            return False
        source = _("review list")
        try:
            with ContactStore() as store:
                outcome = mark(store, item_id, decision, email=email_address, source=source)
                if (
                    outcome is not None
                    and outcome.contact_id is None
                    and decision != "not_relevant"
                ):
                    address = self._ask_address(item_id, decision)
                    if not address:
                        self._show_error(_("Nothing changed: no address was given."))
                        return False
                    outcome = mark(store, item_id, decision, email=address, source=source)
                    if outcome is not None and outcome.contact_id is None:
                        self._show_error(
                            _("{email} is not one of your contacts: nothing changed.").format(
                                email=address
                            )
                        )
                        return False
        except StoreError as exc:
            self._show_error(str(exc))
            return False
        if outcome is None:  # decided elsewhere meanwhile
            self._after_change(_("That message was already off the list."))
            return False
        if decision == "not_relevant":
            text = _("Marked as not relevant: nobody changed.")
        elif outcome.changed:
            text = "; ".join(
                _("{email}: now {status}").format(email=c.email, status=status_label(c.status))
                for c in outcome.changed
            )
        else:
            text = _("Recorded; the contact's status stays as it was.")
        self._after_change(text)
        return True

    def _ask_address(self, item_id: int, decision: Decision) -> str:
        raw = self._raw(item_id) or b""
        questions = {
            "bounce": _("Which address bounced?"),
            "complaint": _("Which address complained?"),
            "unsubscribe": _("Which address asks to unsubscribe?"),
        }
        address, ok = QInputDialog.getText(
            self,
            _("Which contact?"),
            questions.get(decision, _("Which address is it about?"))
            + "\n"
            + _("The message does not name one of your contacts."),
            QLineEdit.EchoMode.Normal,
            _sender_address(raw),
        )
        return address.strip() if ok else ""

    def delete_selected(self) -> bool:
        """Take the selected message off the list without deciding (after a confirmation)."""
        from editor.contacts.store import ContactStore
        from editor.inbox.review import delete

        item_id = self.selected_id()
        if item_id is None:
            return False
        answer = QMessageBox.question(
            self,
            _("Delete from the list"),
            _("Take this message off the list? Nobody changes, and it will not come back."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        with ContactStore() as store:
            delete(store, item_id)
        self._after_change(_("Deleted from the list."))
        return True

    def _after_change(self, text: str) -> None:
        left = self.refresh()
        self.status.setText(
            text
            + " "
            + ngettext("{n} message left to review.", "{n} messages left to review.", left).format(
                n=left
            )
        )
        self.status.setStyleSheet("color: #15803d;")
        self.changed.emit(left)

    def _show_error(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b91c1c;")
