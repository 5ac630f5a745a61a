"""SIGKILL (and Ctrl+C) in the middle of a campaign, then ``bulletin resume``: no one lost, no one
twice.

A real ``bulletin send … --yes`` process sends a few hundred messages to a real SMTP server
(this test's thread) and is killed with SIGKILL partway; ``bulletin resume ID`` (another real
process) finishes it. At the server: every delivery ``sent`` was received exactly once, every
``unknown`` one (in flight at the kill) at most once, nobody eligible is left queued or lost,
and the unsubscribed contacts received nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from editor.contacts.store import ContactStore
from editor.package import save
from editor.sending.accounts import AccountBook
from editor.sending.campaigns import CampaignStore
from editor.starters import create
from tests.sending.campaign_support import account, addresses, profile
from tests.smtp_server import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
ELIGIBLE = 300

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")


def bulletin(*args: str, home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "BULLETIN_HOME": str(home), "BULLETIN_LANG": "en"}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_sigkill_mid_campaign_then_resume(bulletin_home: Path, tmp_path: Path) -> None:
    gone = addresses(20, "gone")
    store = profile(bulletin_home / "contacts.sqlite3", {"Readers": [*addresses(ELIGIBLE), *gone]})
    with store:
        store.set_status(
            [c.id for c in store.iter_contacts() if c.email.startswith("gone")], "unsubscribed", "t"
        )
    doc = tmp_path / "news.bulletin"
    save(create("monthly-en"), doc)
    with SmtpServer() as server:
        server.reply_delay = 0.01  # a few seconds of sending: time to kill it halfway
        AccountBook().save(account(server.port, connections=3))
        sender = bulletin(
            "send",
            str(doc),
            "--list",
            "Readers",
            "--account",
            "local",
            "--yes",
            home=bulletin_home,
        )
        try:
            assert sender.stdout is not None
            campaign_id = int(sender.stdout.readline())
            deadline = time.monotonic() + 60
            while len(server.messages) < ELIGIBLE // 3:
                assert sender.poll() is None, sender.communicate()
                assert time.monotonic() < deadline, "the campaign did not get going"
                time.sleep(0.01)
            sender.send_signal(signal.SIGKILL)
            sender.wait(30)
        finally:
            if sender.poll() is None:
                sender.kill()
            sender.communicate()
        assert sender.returncode == -signal.SIGKILL
        received_at_kill = len(server.messages)
        assert received_at_kill < ELIGIBLE

        with ContactStore() as check:
            counts = CampaignStore(check.db).counts(campaign_id)
        assert counts.queued > 0  # killed mid-campaign for real
        server.reply_delay = 0.0
        resumer = bulletin("resume", str(campaign_id), home=bulletin_home)
        _out, err = resumer.communicate(timeout=120)
        assert resumer.returncode == 0, err

        with ContactStore() as check:
            campaigns = CampaignStore(check.db)
            final = campaigns.counts(campaign_id)
            states = {
                d.email: d.state for d in campaigns.deliveries(campaign_id, limit=ELIGIBLE + 100)
            }
            assert campaigns.get(campaign_id).status == "done"
        received = Counter(server.recipients())
        assert (final.queued, final.sending, final.failed) == (0, 0, 0)
        assert final.sent + final.unknown == ELIGIBLE  # no one lost
        assert final.skipped == len(gone)
        for address in addresses(ELIGIBLE):
            if states[address] == "sent":
                assert received[address] == 1, address
            else:
                assert states[address] == "unknown" and received[address] <= 1, address
        assert not any(received[g] for g in gone)
        assert max(received.values()) == 1  # nobody got it twice


def test_ctrl_c_pauses_cleanly_then_resume_finishes(bulletin_home: Path, tmp_path: Path) -> None:
    profile(bulletin_home / "contacts.sqlite3", {"Readers": addresses(ELIGIBLE)}).close()
    doc = tmp_path / "news.bulletin"
    save(create("monthly-en"), doc)
    with SmtpServer() as server:
        server.reply_delay = 0.01
        AccountBook().save(account(server.port, connections=2))
        sender = bulletin(
            "send",
            str(doc),
            "--list",
            "Readers",
            "--account",
            "local",
            "--yes",
            home=bulletin_home,
        )
        try:
            assert sender.stdout is not None
            campaign_id = int(sender.stdout.readline())
            deadline = time.monotonic() + 60
            while len(server.messages) < 30:
                assert sender.poll() is None, sender.communicate()
                assert time.monotonic() < deadline, "the campaign did not get going"
                time.sleep(0.01)
            sender.send_signal(signal.SIGINT)
            _out, err = sender.communicate(timeout=60)
        finally:
            if sender.poll() is None:
                sender.kill()
                sender.communicate()
        assert sender.returncode == 130, err
        assert f"bulletin resume {campaign_id}" in err
        with ContactStore() as check:
            campaigns = CampaignStore(check.db)
            paused = campaigns.get(campaign_id)
            assert (paused.status, paused.pause_reason) == ("paused", "user")
            counts = paused.counts
        assert counts.sending == 0 and counts.unknown == 0  # in-flight messages finished
        assert counts.sent == len(server.messages) < ELIGIBLE
        server.reply_delay = 0.0
        resumer = bulletin("resume", str(campaign_id), home=bulletin_home)
        _out, err = resumer.communicate(timeout=120)
        assert resumer.returncode == 0, err
        assert sorted(server.recipients()) == addresses(ELIGIBLE)
