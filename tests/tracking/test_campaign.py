"""A campaign's measurement decision and tokens (editor.tracking.campaign), and the runner's
use of it: decided once, only consenting recipients get a token, a withdrawal counts from the
next run, a missing secret stops the run before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.contacts.store import ContactStore
from editor.sending.campaigns import CampaignError, CampaignStore
from editor.sending.runner import CampaignRunner
from editor.sending.secrets import PasswordMissing
from editor.tracking import TrackingError, consent
from editor.tracking.campaign import decision, prepare
from editor.tracking.settings import TrackingSettings, save
from tests.keychain import no_keychain
from tests.sending.campaign_support import account, frozen
from tests.smtp_server import SmtpServer
from tests.tracking.support import CONSENTING, READERS, measured_profile

__all__ = ["no_keychain"]

URL = "https://mesure.example/track.php"
ON = TrackingSettings(url=URL, enabled=True)


def secret() -> str:
    return "campaign-test-secret-01"


def no_secret() -> str:
    raise PasswordMissing("no secret")


def create(tmp_path: Path) -> tuple[ContactStore, CampaignStore, int]:
    store = measured_profile(tmp_path / "c.sqlite3")
    campaigns = CampaignStore(store.db)
    campaign = campaigns.create(frozen(), lists=["Readers"], account="local", scheduled_at=None)
    return store, campaigns, campaign.id


def emails_with_tokens(store: ContactStore, campaign_id: int, tokens: dict[int, str]) -> set[str]:
    rows = store.db.connection.execute(
        "SELECT id, email FROM deliveries WHERE campaign_id = ?", (campaign_id,)
    ).fetchall()
    return {email for delivery_id, email in rows if delivery_id in tokens}


def test_measured_campaign_gives_tokens_to_consenting_recipients_only(tmp_path: Path) -> None:
    store, _campaigns, cid = create(tmp_path)
    with store:
        m = prepare(store.db, cid, frozen(), settings=ON, secret=secret)
        assert m is not None and m.endpoint == URL
        assert emails_with_tokens(store, cid, m.tokens) == set(CONSENTING)
        assert len(set(m.tokens.values())) == len(CONSENTING)
        assert all(len(t) == 22 for t in m.tokens.values())
        assert decision(store.db, cid) == (True, URL)
        # Run again (a resume): the same tokens, not new ones.
        again = prepare(store.db, cid, frozen(), settings=ON, secret=secret)
        assert again is not None and again.tokens == m.tokens


def test_off_by_default_and_the_decision_is_kept(tmp_path: Path) -> None:
    store, _campaigns, cid = create(tmp_path)
    with store:
        assert prepare(store.db, cid, frozen(), settings=TrackingSettings(), secret=secret) is None
        assert decision(store.db, cid) == (False, "")
        # Turning measurement on later does not change a campaign already decided.
        assert prepare(store.db, cid, frozen(), settings=ON, secret=secret) is None
        count = store.db.connection.execute("SELECT count(*) FROM tracking_deliveries").fetchone()
        assert count[0] == 0


def test_a_campaign_keeps_measuring_after_measurement_is_turned_off(tmp_path: Path) -> None:
    store, _campaigns, cid = create(tmp_path)
    with store:
        assert prepare(store.db, cid, frozen(), settings=ON, secret=secret) is not None
        off = TrackingSettings(url=URL, enabled=False)
        assert prepare(store.db, cid, frozen(), settings=off, secret=secret) is not None


def test_withdrawal_removes_the_unsent_token(tmp_path: Path) -> None:
    store, _campaigns, cid = create(tmp_path)
    with store:
        prepare(store.db, cid, frozen(), settings=ON, secret=secret)
        consent.withdraw(store.db, [CONSENTING[0]])
        consent.give(store.db, [READERS[5]], proof="email of 3 March")
        m = prepare(store.db, cid, frozen(), settings=ON, secret=secret)
        assert m is not None
        assert emails_with_tokens(store, cid, m.tokens) == {*CONSENTING[1:], READERS[5]}


def test_a_missing_secret_stops_before_anything_is_recorded(tmp_path: Path) -> None:
    store, _campaigns, cid = create(tmp_path)
    with store:
        with pytest.raises(TrackingError, match="bulletin tracking disable"):
            prepare(store.db, cid, frozen(), settings=ON, secret=no_secret)
        assert decision(store.db, cid) is None


@pytest.mark.usefixtures("no_keychain")
def test_the_runner_refuses_to_start_without_the_secret(tmp_path: Path) -> None:
    save(ON)  # measurement on in this profile's settings, and no keychain to hold the secret
    store, campaigns, cid = create(tmp_path)
    with store, SmtpServer() as server:
        runner = CampaignRunner(campaigns, cid, account(server.port), None)
        with pytest.raises(CampaignError, match="secret"):
            runner.run()
        assert server.messages == []
        assert campaigns.get(cid).counts.sent == 0


def test_a_campaign_started_before_measurement_existed_is_not_measured(tmp_path: Path) -> None:
    store, _campaigns, cid = create(tmp_path)
    with store:
        store.db.connection.execute(
            "UPDATE deliveries SET state = 'sent' WHERE id = (SELECT min(id) FROM deliveries)"
        )
        assert prepare(store.db, cid, frozen(), settings=ON, secret=secret) is None
        assert decision(store.db, cid) == (False, "")
