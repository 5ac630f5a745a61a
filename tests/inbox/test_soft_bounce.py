"""The soft-bounce rule with an injected clock: SOFT_LIMIT temporary failures in a row bounce an
address only when they span at least a week; notices about one delivery count once; a
resubscription starts the count again."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from editor.inbox.process import SOFT_LIMIT, process_message
from tests.inbox.samples import our_original, postfix_dsn
from tests.inbox.support import NOW, sent_campaign, statuses


def delay(email: str, when: datetime, n: int, original: str = "") -> bytes:
    """A temporary failure for ``email`` dated ``when`` (its own Message-ID ``n``)."""
    return postfix_dsn(
        email,
        original or f"From: news@example.org\nTo: {email}\nSubject: x\n",
        status="4.2.2",
        diagnostic="smtp; 452 4.2.2 Mailbox full",
        date=when.strftime("%a, %d %b %Y %H:%M:%S +0000"),
        message_id=f"<delay-{n}@mx.example.net>",
    )


def test_three_within_a_week_is_not_yet(tmp_path: Path) -> None:
    store, _d = sent_campaign(tmp_path / "c.sqlite3", ["full@example.net", "ok@example.net"])
    try:
        for n in range(SOFT_LIMIT):
            when = NOW + timedelta(days=2 * n)  # days 0, 2, 4
            outcome = process_message(store, delay("full@example.net", when, n), now=when)
            assert outcome.kind == "soft_bounce" and outcome.changed == []
        assert statuses(store) == {"full@example.net": "subscribed", "ok@example.net": "subscribed"}
        # a fourth one, eight days after the first: now the failures span over a week
        when = NOW + timedelta(days=8)
        outcome = process_message(store, delay("full@example.net", when, 9), now=when)
        assert [(c.email, c.status) for c in outcome.changed] == [("full@example.net", "bounced")]
        assert statuses(store) == {"full@example.net": "bounced", "ok@example.net": "subscribed"}
        contact = store.get("full@example.net")
        assert contact is not None
        reason = store.history(contact.id)[-1].reason
        assert "4 temporary delivery failures in a row over 8 days" in reason
        assert "4.2.2" in reason and "<delay-9@mx.example.net>" in reason
    finally:
        store.close()


def test_spread_over_a_week_bounces_at_the_third(tmp_path: Path) -> None:
    store, _d = sent_campaign(tmp_path / "c.sqlite3", ["full@example.net"])
    try:
        days = (0, 4, 7)
        outcomes = [
            process_message(
                store,
                delay("full@example.net", NOW + timedelta(days=d), d),
                now=NOW + timedelta(days=d),
            )
            for d in days
        ]
        assert [bool(o.changed) for o in outcomes] == [False, False, True]
        assert statuses(store)["full@example.net"] == "bounced"
        assert store.is_suppressed("full@example.net")
    finally:
        store.close()


def test_the_message_date_counts_not_the_processing_time(tmp_path: Path) -> None:
    """An import of old delay notices, all processed the same minute, still sees their span;
    a date in the future is not believed."""
    store, _d = sent_campaign(tmp_path / "c.sqlite3", ["a@example.net", "b@example.net"])
    try:
        late = NOW + timedelta(days=30)
        for n, d in enumerate((0, 3, 9)):
            process_message(store, delay("a@example.net", NOW + timedelta(days=d), n), now=late)
        assert statuses(store)["a@example.net"] == "bounced"
        for n in range(3):  # dated years ahead: taken as now, so no span at all
            future = NOW + timedelta(days=3650 + 30 * n)
            process_message(store, delay("b@example.net", future, 100 + n), now=NOW)
        assert statuses(store)["b@example.net"] == "subscribed"
    finally:
        store.close()


def test_notices_about_one_delivery_count_once(tmp_path: Path) -> None:
    store, d = sent_campaign(tmp_path / "c.sqlite3", ["slow@example.net"])
    try:
        sent = d["slow@example.net"]
        original = our_original(sent.email, sent.message_id, sent.token)
        for n, day in enumerate((0, 4, 8, 12)):  # Postfix's repeated « still retrying »
            when = NOW + timedelta(days=day)
            process_message(store, delay(sent.email, when, n, original), now=when)
        assert statuses(store)["slow@example.net"] == "subscribed"
    finally:
        store.close()


def test_resubscription_starts_the_count_again(tmp_path: Path) -> None:
    store, _d = sent_campaign(tmp_path / "c.sqlite3", ["full@example.net"])
    try:
        contact = store.get("full@example.net")
        assert contact is not None
        for n, day in enumerate((0, 4, 8)):
            when = NOW + timedelta(days=day)
            process_message(store, delay(contact.email, when, n), now=when)
        assert statuses(store)["full@example.net"] == "bounced"
        resubscribed = NOW + timedelta(days=20)
        store.set_status(
            [contact.id], "subscribed", "mailbox emptied", now=resubscribed.isoformat()
        )
        for n, day in enumerate((21, 25)):  # two more, over four days: not yet
            when = NOW + timedelta(days=day)
            process_message(store, delay(contact.email, when, 50 + n), now=when)
        assert statuses(store)["full@example.net"] == "subscribed"
    finally:
        store.close()


def test_failures_before_a_resubscription_are_forgotten(tmp_path: Path) -> None:
    store, _d = sent_campaign(tmp_path / "c.sqlite3", ["full@example.net"])
    try:
        contact = store.get("full@example.net")
        assert contact is not None
        for n, day in enumerate((0, 4)):
            when = NOW + timedelta(days=day)
            process_message(store, delay(contact.email, when, n), now=when)
        store.set_status(
            [contact.id], "unsubscribed", "asked", now=(NOW + timedelta(days=5)).isoformat()
        )
        store.set_status(
            [contact.id], "subscribed", "asked again", now=(NOW + timedelta(days=6)).isoformat()
        )
        when = NOW + timedelta(days=9)  # three in total over nine days, but only one since
        process_message(store, delay(contact.email, when, 7), now=when)
        assert statuses(store)["full@example.net"] == "subscribed"
    finally:
        store.close()
