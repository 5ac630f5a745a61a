"""The review list dialog: unrecognised messages shown safely, marked, taken off the list."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from editor.contacts.store import ContactStore
from editor.inbox.process import process_message
from editor.inbox.review import review_count
from tests import mail_samples
from widgets.review_list import ReviewListDialog, readable_message

SHOTS = Path(os.environ.get("BULLETIN_SHOTS", "/tmp/inboxui-shots"))

ODD_BOUNCE = (
    b"From: MAILER-DAEMON@mx.example.net\r\nTo: bounces@example.org\r\n"
    b"Subject: Undeliverable: La lettre\r\nMessage-ID: <odd-1@mx>\r\n"
    b"Date: Wed, 04 Mar 2026 10:00:00 +0000\r\n\r\n"
    b"Your message could not be handed over.\r\n"
)
HOSTILE = (
    b"From: =?utf-8?q?Caf=C3=A9?= <x@example.com>\r\nTo: news@example.org\r\n"
    b"Subject: =?utf-8?q?Re=CC=81ponse?=\r\nMessage-ID: <hostile-1@example.com>\r\n"
    b"Date: Thu, 05 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/mixed; boundary="Z"\r\n\r\n'
    b"--Z\r\nContent-Type: text/html; charset=no-such-charset\r\n\r\n"
    b"<html><body><script>alert('x')</script><p>Bonjour</p>"
    b"<img src='http://tracker.example/p.gif'>&eacute;t&eacute;</body></html>\r\n"
    b"--Z\r\nContent-Type: application/octet-stream; name=evil.exe\r\n"
    b"Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--Z--\r\n"
)


@pytest.fixture
def reviewed(bulletin_home: Path) -> list[bytes]:
    """Two unrecognised messages on the review list of the profile's contacts database."""
    store = mail_samples.contacts_store(bulletin_home / "contacts.sqlite3")
    try:
        for raw in (ODD_BOUNCE, HOSTILE):
            assert process_message(store, raw).reviewed
    finally:
        store.close()
    return [ODD_BOUNCE, HOSTILE]


@pytest.fixture
def dialog(qtbot: QtBot, reviewed: list[bytes]) -> ReviewListDialog:
    widget = ReviewListDialog()
    qtbot.addWidget(widget)
    return widget


def row_of(dialog: ReviewListDialog, subject: str) -> int:
    for row in range(dialog.table.rowCount()):
        cell = dialog.table.item(row, 2)
        if cell is not None and subject in cell.text():
            return row
    raise AssertionError(subject)


def status_of(email: str) -> str:
    with ContactStore() as store:
        contact = store.get(email)
        assert contact is not None
        return contact.status


def test_marking_an_unrecognised_bounce_asks_the_address_and_the_contact_changes(
    qtbot: QtBot, dialog: ReviewListDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert dialog.table.rowCount() == 2
    dialog.table.selectRow(row_of(dialog, "Undeliverable"))
    assert "Your message could not be handed over." in dialog.message.toPlainText()
    asked: list[str] = []

    def get_text(parent: Any, title: str, label: str, *args: Any) -> tuple[str, bool]:
        asked.append(label)
        return mail_samples.BOUNCED, True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    with qtbot.waitSignal(dialog.changed) as signal:
        assert dialog.decide("bounce")
    assert signal.args == [1]
    assert len(asked) == 1 and "Which address bounced?" in asked[0]
    assert status_of(mail_samples.BOUNCED) == "bounced"
    assert status_of(mail_samples.UNTOUCHED) == "subscribed"
    assert f"{mail_samples.BOUNCED}: now bounced" in dialog.status.text()
    assert "1 message left to review." in dialog.status.text()
    assert dialog.table.rowCount() == 1
    with ContactStore() as store:
        history = store.history(store.get(mail_samples.BOUNCED).id)  # type: ignore[union-attr]
    assert any("review list" in str(event) for event in history)


def test_an_address_that_is_no_contact_changes_nothing(
    dialog: ReviewListDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog.table.selectRow(row_of(dialog, "Undeliverable"))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("nobody@example.com", True))
    assert not dialog.decide("complaint")
    assert "nobody@example.com is not one of your contacts" in dialog.status.text()
    monkeypatch.setattr(QInputDialog, "getText", lambda *a: ("", False))
    assert not dialog.decide("complaint")
    assert dialog.table.rowCount() == 2
    assert {status_of(e) for e in mail_samples.EXPECTED} == {"subscribed"}


def test_not_relevant_and_delete_take_messages_off_changing_nobody(
    dialog: ReviewListDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog.table.selectRow(row_of(dialog, "Undeliverable"))
    assert dialog.decide("not_relevant")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    assert dialog.delete_selected()
    assert dialog.table.rowCount() == 0
    assert not dialog.bounce_button.isEnabled()
    with ContactStore() as store:
        assert review_count(store) == 0
    assert {status_of(e) for e in mail_samples.EXPECTED} == {"subscribed"}


def test_hostile_mail_is_shown_as_text_only(qtbot: QtBot, dialog: ReviewListDialog) -> None:
    dialog.table.selectRow(row_of(dialog, "ponse"))
    text = dialog.message.toPlainText()
    assert "From: Café <x@example.com>" in text
    assert "Bonjour" in text and "été" in text
    assert "<script" not in text and "alert" not in text and "tracker.example" not in text
    assert "[attachment: evil.exe]" in text

    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(SHOTS / "review-list.png"))


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\xff\xfe\x00garbage\r\n\r\n\x00\x01",
        b"Content-Type: multipart/mixed; boundary=\r\n\r\n--\r\n",
        b"Subject: " + b"A" * 300_000 + b"\r\n\r\n" + b"x" * 300_000,
    ],
)
def test_readable_message_never_raises(raw: bytes) -> None:
    text = readable_message(raw)
    assert isinstance(text, str) and "\0" not in text
    assert len(text) <= 200_100
