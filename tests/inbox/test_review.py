"""The review list: unrecognised messages are kept raw; marking applies the same rules to the
contact the message names or the address the user gives; not-relevant and delete take them off
without changing anyone; a decided message is not brought back by a later run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.contacts.store import ContactStore
from editor.inbox.process import process_message
from editor.inbox.review import (
    MAX_REVIEW_BYTES,
    delete,
    mark,
    raw_message,
    review_count,
    review_items,
)
from tests.inbox.support import NOW, Sent, sent_campaign, statuses

QUESTION = (
    b"From: Bruno <bruno@example.net>\r\nTo: news@example.org\r\nSubject: Question\r\n"
    b"Date: Wed, 04 Mar 2026 10:00:00 +0000\r\nMessage-ID: <q-1@example.net>\r\n\r\n"
    b"Please stop sending me this.\r\n"
)
ODD_BOUNCE = (
    b"From: MAILER-DAEMON@mx.example.net\r\nTo: bounces@example.org\r\n"
    b"Subject: Undeliverable: La lettre\r\nMessage-ID: <odd-1@mx>\r\n\r\n"
    b"Your message could not be handed over.\r\n"
)


@pytest.fixture
def sent(tmp_path: Path) -> Iterator[tuple[ContactStore, dict[str, Sent]]]:
    store, deliveries = sent_campaign(tmp_path / "c.sqlite3")
    try:
        yield store, deliveries
    finally:
        store.close()


def test_unrecognised_messages_are_listed_with_their_raw_bytes(
    sent: tuple[ContactStore, dict[str, Sent]],
) -> None:
    store, _d = sent
    for raw in (QUESTION, ODD_BOUNCE, QUESTION):
        process_message(store, raw, now=NOW, source="box")
    items = review_items(store)
    assert [(i.sender, i.subject, i.message_id) for i in items] == [
        ("bruno@example.net", "Question", "<q-1@example.net>"),
        ("MAILER-DAEMON@mx.example.net", "Undeliverable: La lettre", "<odd-1@mx>"),
    ]
    assert items[0].date == "2026-03-04T10:00:00Z" and items[0].source == "box"
    assert raw_message(store, items[0].id) == QUESTION
    assert raw_message(store, 9999) is None
    assert set(statuses(store).values()) == {"subscribed"}


def test_mark_as_unsubscribe_uses_the_sender(sent: tuple[ContactStore, dict[str, Sent]]) -> None:
    store, _d = sent
    process_message(store, QUESTION, now=NOW)
    item = review_items(store)[0]
    outcome = mark(store, item.id, "unsubscribe", now=NOW, source="by hand")
    assert outcome is not None
    assert [(c.email, c.status) for c in outcome.changed] == [("bruno@example.net", "unsubscribed")]
    assert review_count(store) == 0
    contact = store.get("bruno@example.net")
    assert contact is not None
    last = store.history(contact.id)[-1]
    assert "<q-1@example.net>" in last.reason and last.source == "by hand"
    # the decision sticks: the same message read again is not put back on the list
    assert process_message(store, QUESTION, now=NOW).duplicate
    assert review_count(store) == 0
    kind = store.connection.execute(
        "SELECT kind FROM inbox_messages WHERE key = '<q-1@example.net>'"
    ).fetchone()[0]
    assert kind == "unsubscribe"


def test_mark_as_bounce_needs_a_contact(sent: tuple[ContactStore, dict[str, Sent]]) -> None:
    store, _d = sent
    process_message(store, ODD_BOUNCE, now=NOW)
    item = review_items(store)[0]
    nobody = mark(store, item.id, "bounce", now=NOW)
    assert nobody is not None and nobody.contact_id is None and nobody.changed == []
    assert review_count(store) == 1  # still there: the user can name the address
    stranger = mark(store, item.id, "bounce", email="stranger@elsewhere.org", now=NOW)
    assert stranger is not None and stranger.changed == [] and review_count(store) == 1
    named = mark(store, item.id, "bounce", email="Gina@Example.net", now=NOW)
    assert named is not None
    assert [(c.email, c.status) for c in named.changed] == [("gina@example.net", "bounced")]
    assert statuses(store)["gina@example.net"] == "bounced"
    assert sum(s != "subscribed" for s in statuses(store).values()) == 1
    assert review_count(store) == 0


def test_mark_as_complaint(sent: tuple[ContactStore, dict[str, Sent]]) -> None:
    store, _d = sent
    process_message(store, QUESTION, now=NOW)
    outcome = mark(store, review_items(store)[0].id, "complaint", now=NOW)
    assert outcome is not None and [c.status for c in outcome.changed] == ["complained"]


def test_not_relevant_and_delete_change_nobody(
    sent: tuple[ContactStore, dict[str, Sent]],
) -> None:
    store, _d = sent
    process_message(store, QUESTION, now=NOW)
    process_message(store, ODD_BOUNCE, now=NOW)
    first, second = review_items(store)
    outcome = mark(store, first.id, "not_relevant", now=NOW)
    assert outcome is not None and outcome.changed == []
    assert delete(store, second.id) and not delete(store, second.id)
    assert review_count(store) == 0
    assert mark(store, first.id, "bounce") is None
    assert set(statuses(store).values()) == {"subscribed"}
    with pytest.raises(ValueError):
        mark(store, first.id, "erase")  # type: ignore[arg-type]


def test_huge_message_is_kept_cut(sent: tuple[ContactStore, dict[str, Sent]]) -> None:
    store, _d = sent
    huge = QUESTION.replace(b"<q-1@", b"<q-2@") + b"x" * (MAX_REVIEW_BYTES + 1000)
    assert process_message(store, huge, now=NOW).reviewed
    item = review_items(store)[0]
    assert item.size == MAX_REVIEW_BYTES
    assert raw_message(store, item.id) == huge[:MAX_REVIEW_BYTES]
