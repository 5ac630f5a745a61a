"""The campaign store: creation with its audience, counts, listing, lookups, crash recovery."""

from __future__ import annotations

import dataclasses
import json
import multiprocessing
from pathlib import Path

import pytest

from editor.contacts.db import schema_version
from editor.contacts.model import ContactInput
from editor.contacts.store import ContactStore
from editor.sending.campaigns import CampaignError, CampaignStore
from tests.sending.campaign_support import (
    CONSENT,
    FakeClock,
    addresses,
    campaign_store,
    frozen,
    profile,
)


def mixed_profile(path: Path) -> ContactStore:
    """Readers (10), Members (5, two of them also Readers) and one of each kind of skip."""
    store = profile(
        path,
        {
            "Readers": addresses(10),
            "Members": [*addresses(2), *addresses(3, "member")],
        },
    )
    readers = store.list_id("Readers")
    assert readers is not None
    extra = {
        "gone@example.org": "unsubscribed",
        "bounce@example.org": "bounced",
        "spam@example.org": "complained",
    }
    for address, status in extra.items():
        cid = store.add(ContactInput(address), CONSENT, readers)
        store.set_status([cid], status, "test")
    nobasis = store.add(ContactInput("nobasis@example.org"), CONSENT, readers)
    invalid = store.add(ContactInput("invalid@example.org"), CONSENT, readers)
    conn = store.connection
    conn.execute("UPDATE contacts SET basis = NULL WHERE id = ?", (nobasis,))
    conn.execute("UPDATE contacts SET email = 'not an address' WHERE id = ?", (invalid,))
    return store


def test_schema_version_3_has_the_sending_tables(tmp_path: Path) -> None:
    with profile(tmp_path / "c.sqlite3", {}) as store:
        assert schema_version(store.connection) >= 3
        tables = {r[0] for r in store.connection.execute("SELECT name FROM sqlite_master")}
        assert {"campaigns", "deliveries", "delivery_events"} <= tables
        assert {"deliveries_state", "deliveries_sent"} <= tables


def test_create_snapshots_the_audience_with_reasons(tmp_path: Path) -> None:
    with mixed_profile(tmp_path / "c.sqlite3") as store:
        campaigns = CampaignStore(store.db)
        preview = campaigns.preview(["Readers", "Members"])
        campaign = campaigns.create(
            frozen(), lists=["readers", "Members"], account="local", scheduled_at=None
        )
        assert campaign.status == "draft"
        assert campaign.lists == ["Readers", "Members"]
        assert campaign.subject == frozen().subject
        counts = campaign.counts
        assert counts.queued == 13  # 10 readers + 3 members (2 members are readers too)
        summary = campaigns.summary(campaign.id)
        assert summary.recipients == 13 == preview.recipients
        assert summary.skipped == preview.skipped
        assert {k: v for k, v in summary.skipped.items() if v} == {
            "duplicate": 2,
            "unsubscribed": 1,
            "bounced": 1,
            "complained": 1,
            "no_basis": 1,
            "invalid": 1,
        }
        assert counts.skipped == 7
        assert any("13 people" in line for line in summary.lines())
        rows = campaigns.deliveries(campaign.id, state="queued", limit=100)
        tokens = [
            store.connection.execute(
                "SELECT token FROM deliveries WHERE id = ?", (r.id,)
            ).fetchone()[0]
            for r in rows
        ]
        assert len(set(tokens)) == 13 and all(tokens)
        assert sorted(r.email for r in rows) == sorted([*addresses(10), *addresses(3, "member")])
        # The merge values are a snapshot: changing the contact later changes nothing.
        row = campaigns.delivery_by_token(tokens[0])
        assert row is not None and row.state == "queued" and row.campaign_id == campaign.id
        merge = store.connection.execute(
            "SELECT merge FROM deliveries WHERE id = ?", (row.delivery_id,)
        ).fetchone()[0]
        assert json.loads(merge)["first_name"] == row.email.split("@")[0].title()
        assert campaigns.frozen(campaign.id).subject == frozen().subject


def test_unknown_merge_field_blocks_and_writes_nothing(tmp_path: Path) -> None:
    with profile(tmp_path / "c.sqlite3", {"Readers": addresses(3)}) as store:
        campaigns = CampaignStore(store.db)
        copy = frozen()
        marked = copy.rendered.tags.mark_text("Dear {{ company }}")
        copy = dataclasses.replace(
            copy, rendered=dataclasses.replace(copy.rendered, subject=marked)
        )
        with pytest.raises(CampaignError, match="company"):
            campaigns.create(copy, lists=["Readers"], account="local", scheduled_at=None)
        assert campaigns.list() == []
        summary = campaigns.preview(["Readers"], ["company"])
        assert summary.blocked and summary.findings[0].code == "merge.unknown_field"


def test_a_tag_with_a_default_does_not_block(tmp_path: Path) -> None:
    from editor.sending.audience import required_fields

    with profile(tmp_path / "c.sqlite3", {"Readers": addresses(2)}) as store:
        campaigns = CampaignStore(store.db)
        copy = frozen()
        marked = copy.rendered.tags.mark_text('Hi {{ company | default("friend") }} {{ city }}')
        copy = dataclasses.replace(
            copy, rendered=dataclasses.replace(copy.rendered, text=copy.rendered.text + marked)
        )
        assert {"company", "city"} <= copy.merge_fields()
        assert required_fields(copy) == {"city"}  # the starter's first_name has a default too
        with pytest.raises(CampaignError, match="city") as refused:
            campaigns.create(copy, lists=["Readers"], account="a", scheduled_at=None)
        assert "company" not in str(refused.value)
        store.update(store.get(addresses(2)[0]).id, fields={"city": "Lyon"})  # type: ignore[union-attr]
        assert campaigns.create(copy, lists=["Readers"], account="a", scheduled_at=None).id


def test_no_eligible_recipient_is_refused(tmp_path: Path) -> None:
    with profile(tmp_path / "c.sqlite3", {"Readers": addresses(2)}) as store:
        store.set_status([c.id for c in store.iter_contacts()], "unsubscribed", "test")
        campaigns = CampaignStore(store.db)
        with pytest.raises(CampaignError, match="No eligible recipient"):
            campaigns.create(frozen(), lists=["Readers"], account="local", scheduled_at=None)
        assert campaigns.list() == []
        with pytest.raises(Exception, match="does not exist"):
            campaigns.create(frozen(), lists=["Nope"], account="local", scheduled_at=None)


def test_list_is_newest_first_with_the_json_shape(tmp_path: Path) -> None:
    clock = FakeClock()
    with profile(tmp_path / "c.sqlite3", {"Readers": addresses(3)}) as store:
        campaigns = campaign_store(store, clock)
        first = campaigns.create(frozen(), lists=["Readers"], account="a", scheduled_at=None)
        clock.advance(60)
        later = clock.now().replace(year=2027)
        second = campaigns.create(frozen(), lists=["Readers"], account="a", scheduled_at=later)
        listed = campaigns.list()
        assert [c.id for c in listed] == [second.id, first.id]
        assert listed[0].status == "scheduled"
        assert listed[1].to_json() == {
            "id": first.id,
            "subject": first.subject,
            "status": "draft",
            "created": "2026-03-02T09:00:00Z",
            "counts": {
                "queued": 3,
                "sending": 0,
                "sent": 0,
                "failed": 0,
                "unknown": 0,
                "skipped": 0,
            },
        }
        assert campaigns.due(later) == [second.id]
        assert campaigns.due(clock.now()) == []


def test_pause_resume_cancel_states(tmp_path: Path) -> None:
    with profile(tmp_path / "c.sqlite3", {"Readers": addresses(3)}) as store:
        campaigns = CampaignStore(store.db)
        c = campaigns.create(frozen(), lists=["Readers"], account="a", scheduled_at=None)
        campaigns.pause(c.id, "user")
        assert campaigns.get(c.id).status == "paused"
        assert campaigns.resume(c.id).status == "paused"  # the runner sets "sending"
        campaigns.cancel(c.id)
        assert campaigns.get(c.id).status == "cancelled"
        assert campaigns.get(c.id).finished_at is not None
        with pytest.raises(CampaignError, match="cannot be changed"):
            campaigns.resume(c.id)


def _hold_lock(path: str, campaign_id: int, ready, release) -> None:  # type: ignore[no-untyped-def]
    from editor.sending.campaigns import CampaignLock

    lock = CampaignLock(Path(path), campaign_id)
    assert lock.acquire()
    ready.set()
    release.wait(10)
    lock.release()


def test_a_crash_leaves_unknown_never_queued(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with profile(path, {"Readers": addresses(4)}) as store:
        campaigns = CampaignStore(store.db)
        c = campaigns.create(frozen(), lists=["Readers"], account="a", scheduled_at=None)
        claimed = campaigns.claim(c.id, lambda i: f"<m{i}@example.org>", campaigns.clock())
        assert claimed is not None and claimed.message_id == f"<m{claimed.id}@example.org>"
        campaigns.set_status(c.id, "sending")
        assert campaigns.delivery_by_message_id(f"m{claimed.id}@example.org") is not None

        # Another live process holds the campaign: opening the store must not touch it.
        ctx = multiprocessing.get_context("spawn")
        ready, release = ctx.Event(), ctx.Event()
        holder = ctx.Process(target=_hold_lock, args=(str(path), c.id, ready, release))
        holder.start()
        try:
            assert ready.wait(30)
            assert CampaignStore(store.db).counts(c.id).sending == 1
        finally:
            release.set()
            holder.join(30)

        # The process is gone (as after kill -9): the delivery in flight becomes unknown.
        reopened = CampaignStore(store.db)
        assert reopened.counts(c.id).unknown == 1
        assert reopened.get(c.id).status == "paused"
        assert reopened.get(c.id).pause_reason == "interrupted"
        assert reopened.events(claimed.id)[-1][1] == "unknown"
        reopened.resume(c.id)
        assert reopened.counts(c.id).unknown == 1  # not resent without the user's choice
        reopened.resume(c.id, resend_unknown=True)
        counts = reopened.counts(c.id)
        assert (counts.unknown, counts.queued) == (0, 4)


def test_concurrent_claims_share_commits_but_never_a_delivery(tmp_path: Path) -> None:
    import threading

    with profile(tmp_path / "c.sqlite3", {"Readers": addresses(200)}) as store:
        campaigns = CampaignStore(store.db)
        c = campaigns.create(frozen(), lists=["Readers"], account="a", scheduled_at=None)
        claimed: list[int] = []
        lock = threading.Lock()

        def worker() -> None:
            previous = None
            while True:
                got = campaigns.claim(
                    c.id, lambda i: f"<m{i}@example.org>", campaigns.clock(), sent=previous
                )
                if got is None:
                    break
                with lock:
                    claimed.append(got.id)
                previous = (got.id, 250, "OK", campaigns.clock())
            if previous is not None:
                campaigns.finish(previous[0], "sent", now=previous[3], code=250, reply="OK")
            store.db.disconnect()

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(claimed) == len(set(claimed)) == 200
        counts = campaigns.counts(c.id)
        assert (counts.sent, counts.sending, counts.queued) == (200, 0, 0)
