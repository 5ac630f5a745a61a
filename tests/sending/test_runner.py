"""The campaign runner against a real aiosmtpd server on 127.0.0.1, with its fault hooks."""

from __future__ import annotations

import email
from collections import Counter
from collections.abc import Iterator
from email import policy
from pathlib import Path

import pytest

from editor.contacts.store import ContactStore
from editor.sending.campaigns import Campaign, CampaignError, CampaignStore
from editor.sending.runner import CampaignRunner, Progress, pause_message
from tests.sending.campaign_support import (
    FakeClock,
    account,
    addresses,
    frozen,
    profile,
    received_to,
)
from tests.smtp_server import SmtpServer


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    """A plain SMTP server on 127.0.0.1, no AUTH, stopped after the test."""
    with SmtpServer() as running:
        yield running


NO_WAIT = (0.0,)  # retries and reconnections at once


def setup(tmp_path: Path, n: int) -> tuple[ContactStore, CampaignStore, Campaign]:
    """A profile with ``n`` readers and a campaign to all of them."""
    store = profile(tmp_path / "c.sqlite3", {"Readers": addresses(n)})
    campaigns = CampaignStore(store.db)
    campaign = campaigns.create(frozen(), lists=["Readers"], account="local", scheduled_at=None)
    return store, campaigns, campaign


def exactly_once(server: SmtpServer) -> Counter[str]:
    counts = Counter(server.recipients())
    assert all(n == 1 for n in counts.values()), counts.most_common(3)
    return counts


def test_sends_everyone_once_over_reused_connections(tmp_path: Path, server: SmtpServer) -> None:
    store, campaigns, campaign = setup(tmp_path, 30)
    with store:
        seen: list[Progress] = []
        runner = CampaignRunner(
            campaigns,
            campaign.id,
            account(server.port, connections=3),
            None,
            progress=seen.append,
        )
        final = runner.run()
        assert (final.status, final.sent, final.remaining) == ("done", 30, 0)
        assert seen[-1] == final
        assert set(exactly_once(server)) == set(addresses(30))
        assert server.connections <= 3  # one persistent connection per worker
        assert {sender for sender, _r, _d in server.messages} == {"bounces@example.org"}
        assert campaigns.get(campaign.id).status == "done"
        # Each received message names its recipient, and its Message-ID is the delivery's.
        for _sender, rcpts, data in server.messages:
            parsed = email.message_from_bytes(data, policy=policy.default)
            assert parsed["To"].addresses[0].addr_spec == rcpts[0]
            ref = campaigns.delivery_by_message_id(str(parsed["Message-ID"]))
            assert ref is not None and ref.email == rcpts[0] and ref.state == "sent"
            assert (
                parsed["List-Unsubscribe"] and ref.token and ref.token in parsed["List-Unsubscribe"]
            )
        sent = campaigns.deliveries(campaign.id, state="sent", limit=1)[0]
        assert sent.smtp_code == 250 and "queued" in sent.smtp_reply and sent.sent_at


def test_consent_is_enforced(tmp_path: Path, server: SmtpServer) -> None:
    store = profile(tmp_path / "c.sqlite3", {"Readers": addresses(6)})
    with store:
        ids = {c.email: c.id for c in store.iter_contacts()}
        store.set_status([ids["reader0000@example.org"]], "unsubscribed", "t")
        store.set_status([ids["reader0001@example.org"]], "bounced", "t")
        store.set_status([ids["reader0002@example.org"]], "complained", "t")
        store.connection.execute(
            "UPDATE contacts SET basis = NULL WHERE id = ?", (ids["reader0003@example.org"],)
        )
        campaigns = CampaignStore(store.db)
        c = campaigns.create(frozen(), lists=["Readers"], account="local", scheduled_at=None)
        CampaignRunner(campaigns, c.id, account(server.port), None).run()
        assert sorted(exactly_once(server)) == [
            "reader0004@example.org",
            "reader0005@example.org",
        ]


def test_421_on_connect_is_retried(tmp_path: Path, server: SmtpServer) -> None:
    store, campaigns, campaign = setup(tmp_path, 5)
    with store:
        server.refuse_next_connections = 2
        final = CampaignRunner(
            campaigns,
            campaign.id,
            account(server.port, connections=1),
            None,
            backoff=NO_WAIT,
            connect_backoff=NO_WAIT,
        ).run()
        assert final.status == "done"
        assert set(exactly_once(server)) == set(addresses(5))


def test_451_and_452_mid_campaign_are_retried_and_delivered_once(
    tmp_path: Path, server: SmtpServer
) -> None:
    store, campaigns, campaign = setup(tmp_path, 10)
    with store:
        server.message_replies = {
            3: "451 4.3.0 Try again later",
            6: "452 4.3.1 Insufficient storage",
        }
        final = CampaignRunner(
            campaigns,
            campaign.id,
            account(server.port, connections=2),
            None,
            backoff=NO_WAIT,
            connect_backoff=NO_WAIT,
        ).run()
        assert (final.status, final.sent, final.failed) == ("done", 10, 0)
        assert set(exactly_once(server)) == set(addresses(10))
        retried = store.connection.execute(
            "SELECT count(*) FROM delivery_events WHERE kind = 'retry'"
        ).fetchone()[0]
        assert retried == 2


def test_550_recipients_fail_with_the_reply(tmp_path: Path, server: SmtpServer) -> None:
    store, campaigns, campaign = setup(tmp_path, 6)
    with store:
        server.rcpt_replies = {
            "reader0002@example.org": "550 5.1.1 No such user here",
            "reader0004@example.org": "550 5.1.1 No such user here",
        }
        final = CampaignRunner(campaigns, campaign.id, account(server.port), None).run()
        assert (final.status, final.sent, final.failed) == ("done", 4, 2)
        failed = campaigns.deliveries(campaign.id, state="failed")
        assert sorted(d.email for d in failed) == [
            "reader0002@example.org",
            "reader0004@example.org",
        ]
        assert all(d.smtp_code == 550 and "No such user" in d.smtp_reply for d in failed)
        assert "reader0002@example.org" not in server.recipients()


def test_a_drop_during_data_is_unknown_and_never_resent(tmp_path: Path, server: SmtpServer) -> None:
    store, campaigns, campaign = setup(tmp_path, 8)
    with store:
        server.drop_messages = {4}
        final = CampaignRunner(
            campaigns,
            campaign.id,
            account(server.port, connections=1),
            None,
            backoff=NO_WAIT,
            connect_backoff=NO_WAIT,
        ).run()
        assert (final.status, final.sent, final.unknown) == ("done", 7, 1)
        unknown = campaigns.deliveries(campaign.id, state="unknown")
        assert len(unknown) == 1
        got = exactly_once(server)
        assert unknown[0].email not in got and len(got) == 7
        # A plain resume sends nothing more; only the user's explicit choice resends it.
        assert campaigns.resume(campaign.id).status == "done"
        with pytest.raises(CampaignError, match="already done"):
            CampaignRunner(campaigns, campaign.id, account(server.port), None).run()
        assert len(server.messages) == 7
        campaigns.resume(campaign.id, resend_unknown=True)
        again = CampaignRunner(campaigns, campaign.id, account(server.port), None).run()
        assert (again.sent, again.unknown) == (8, 0)
        assert set(exactly_once(server)) == set(addresses(8))


def test_replies_slower_than_the_timeout(tmp_path: Path, server: SmtpServer) -> None:
    store, campaigns, campaign = setup(tmp_path, 2)
    with store:
        server.reply_delay = 1.0
        final = CampaignRunner(
            campaigns,
            campaign.id,
            account(server.port, connections=1, timeout=0.2),
            None,
            max_attempts=2,
            backoff=NO_WAIT,
            connect_backoff=NO_WAIT,
        ).run()
        assert (final.status, final.failed, final.sent) == ("done", 2, 0)
        rows = campaigns.deliveries(campaign.id, state="failed")
        assert all(d.attempts == 2 and "timeout" in d.smtp_reply for d in rows)
        assert server.messages == []


def test_authentication_failure_pauses(tmp_path: Path) -> None:
    store, campaigns, campaign = setup(tmp_path, 3)
    with store, SmtpServer(auth=("user", "secret")) as server:
        final = CampaignRunner(
            campaigns,
            campaign.id,
            account(server.port, username="user"),
            "wrong",
            backoff=NO_WAIT,
            connect_backoff=NO_WAIT,
        ).run()
        assert final.status == "paused" and final.reason.startswith("auth")
        assert "password" in pause_message(final.reason)
        counts = campaigns.counts(campaign.id)
        assert (counts.queued, counts.sending, counts.sent) == (3, 0, 0)
        assert campaigns.get(campaign.id).status == "paused"
        # With the right password, resuming sends everyone.
        final = CampaignRunner(
            campaigns, campaign.id, account(server.port, username="user"), "secret"
        ).run()
        assert final.status == "done" and set(exactly_once(server)) == set(addresses(3))


def test_pause_then_resume_sends_the_rest_once(tmp_path: Path, server: SmtpServer) -> None:
    store, campaigns, campaign = setup(tmp_path, 40)
    with store:
        runner: CampaignRunner

        def progress(p: Progress) -> None:
            if p.sent >= 5:
                runner.pause()

        runner = CampaignRunner(
            campaigns,
            campaign.id,
            account(server.port, connections=2),
            None,
            progress=progress,
        )
        import editor.sending.runner as runner_module

        old = runner_module.PROGRESS_EVERY
        runner_module.PROGRESS_EVERY = 0.0
        try:
            paused = runner.run()
        finally:
            runner_module.PROGRESS_EVERY = old
        assert paused.status == "paused" and paused.reason == "user"
        counts = campaigns.counts(campaign.id)
        assert counts.sending == 0 and counts.sent < 40 and counts.queued == 40 - counts.sent
        final = CampaignRunner(campaigns, campaign.id, account(server.port), None).run()
        assert final.status == "done"
        assert set(exactly_once(server)) == set(addresses(40))


def test_cancel_stops_for_good(tmp_path: Path, server: SmtpServer) -> None:
    store, campaigns, campaign = setup(tmp_path, 20)
    with store:
        runner = CampaignRunner(campaigns, campaign.id, account(server.port), None)
        runner.cancel()
        final = runner.run()
        assert final.status == "cancelled"
        assert campaigns.get(campaign.id).status == "cancelled"
        with pytest.raises(Exception, match="cancelled"):
            CampaignRunner(campaigns, campaign.id, account(server.port), None).run()


def test_throttle_keeps_the_rate_with_an_injected_clock(tmp_path: Path, server: SmtpServer) -> None:
    store, campaigns, campaign = setup(tmp_path, 7)
    clock = FakeClock()
    with store:
        campaigns.clock = clock.now
        final = CampaignRunner(
            campaigns,
            campaign.id,
            account(server.port, connections=1, rate_per_minute=3),
            None,
            clock=clock.now,
            monotonic=clock.monotonic,
            sleep=clock.sleep,
        ).run()
        assert final.sent == 7
        times = sorted(
            clock_seconds(r[0]) for r in store.connection.execute("SELECT sent_at FROM deliveries")
        )
        for i, t in enumerate(times):
            assert sum(1 for u in times[i:] if u < t + 60) <= 3
        assert clock.slept >= 120  # 7 messages at 3 a minute: two full minutes of waiting


def clock_seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def test_daily_quota_waits_for_the_next_day(tmp_path: Path, server: SmtpServer) -> None:
    from datetime import UTC

    store, campaigns, campaign = setup(tmp_path, 8)
    clock = FakeClock()
    with store:
        campaigns.clock = clock.now
        acct = account(server.port, connections=2, daily_quota=5)
        final = CampaignRunner(campaigns, campaign.id, acct, None, clock=clock.now, zone=UTC).run()
        assert (final.status, final.sent, final.remaining) == ("waiting", 5, 3)
        stored = campaigns.get(campaign.id)
        assert stored.status == "waiting" and stored.scheduled_at == "2026-03-03T00:00:00Z"
        assert campaigns.due(clock.now()) == []
        clock.advance(24 * 3600)
        assert campaigns.due(clock.now()) == [campaign.id]
        final = CampaignRunner(campaigns, campaign.id, acct, None, clock=clock.now, zone=UTC).run()
        assert (final.status, final.sent) == ("done", 8)
        assert set(exactly_once(server)) == set(addresses(8))
        assert len(received_to(server.messages)) == 8


def test_an_unexpected_error_pauses_without_losing_track(
    tmp_path: Path, server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, campaigns, campaign = setup(tmp_path, 6)
    with store:
        real = campaigns.claim
        calls = 0

        def flaky(*args: object, **kwargs: object) -> object:
            nonlocal calls
            calls += 1
            if calls == 3:
                raise RuntimeError("disk on fire")
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(campaigns, "claim", flaky)
        final = CampaignRunner(
            campaigns, campaign.id, account(server.port, connections=1), None
        ).run()
        assert final.status == "paused" and "disk on fire" in pause_message(final.reason)
        counts = campaigns.counts(campaign.id)
        assert counts.sending == 0 and counts.sent == 2 == len(server.messages)
        monkeypatch.undo()
        final = CampaignRunner(campaigns, campaign.id, account(server.port), None).run()
        assert final.status == "done" and set(exactly_once(server)) == set(addresses(6))


def test_two_campaigns_of_one_account_share_its_rate(tmp_path: Path, server: SmtpServer) -> None:
    store = profile(tmp_path / "c.sqlite3", {"Readers": addresses(4)})
    clock = FakeClock()
    with store:
        campaigns = CampaignStore(store.db, clock=clock.now)
        first = campaigns.create(frozen(), lists=["Readers"], account="local", scheduled_at=None)
        second = campaigns.create(frozen(), lists=["Readers"], account="local", scheduled_at=None)
        acct = account(server.port, connections=1, rate_per_hour=5)
        for campaign in (first, second):
            CampaignRunner(
                campaigns,
                campaign.id,
                acct,
                None,
                clock=clock.now,
                monotonic=clock.monotonic,
                sleep=clock.sleep,
            ).run()
        times = sorted(
            clock_seconds(r[0]) for r in store.connection.execute("SELECT sent_at FROM deliveries")
        )
        assert len(times) == 8
        assert times[5] - times[0] >= 3600  # the 6th message waited for the first one's hour


@pytest.mark.parametrize(("from_name", "shown"), [("", None), ("Les Nouvelles", "Les Nouvelles")])
def test_from_name_is_the_account_s_else_the_newsletter_s(
    tmp_path: Path, server: SmtpServer, from_name: str, shown: str | None
) -> None:
    store, campaigns, campaign = setup(tmp_path, 1)
    newsletter_name = campaigns.frozen(campaign.id).sender_name
    assert newsletter_name and newsletter_name != "Les Nouvelles"
    with store:
        sender = account(server.port, from_name=from_name)
        assert CampaignRunner(campaigns, campaign.id, sender, None).run().sent == 1
    parsed = email.message_from_bytes(server.messages[0][2], policy=policy.default)
    assert parsed["From"].addresses[0].display_name == (shown or newsletter_name)
    assert parsed["From"].addresses[0].addr_spec == "news@example.org"
