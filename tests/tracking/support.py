"""Shared pieces of the measurement tests: a profile where some readers consent, a measured
campaign sent through the real runner to the test SMTP server, and reading a message's HTML."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from editor.contacts.store import ContactStore
from editor.sending.campaigns import CampaignStore
from editor.sending.runner import CampaignRunner
from editor.tracking import consent
from editor.tracking.settings import TrackingSettings
from tests.sending.campaign_support import account, addresses, frozen, profile
from tests.smtp_server import SmtpServer

READERS = addresses(6)
CONSENTING = READERS[:3]
HREF = re.compile(r'href="([^"]*)"')


@dataclass
class Sent:
    store: ContactStore
    campaigns: CampaignStore
    campaign_id: int
    messages: dict[str, bytes]  # recipient → message as received


def measured_profile(path: Path) -> ContactStore:
    store = profile(path, {"Readers": READERS})
    consent.give(store.db, CONSENTING, proof="signup form, box ticked", now="2026-03-01T10:00:00Z")
    return store


def send(store: ContactStore, server: SmtpServer) -> Sent:
    """One campaign to every reader through the runner; every message, by recipient."""
    campaigns = CampaignStore(store.db)
    campaign = campaigns.create(frozen(), lists=["Readers"], account="local", scheduled_at=None)
    final = CampaignRunner(campaigns, campaign.id, account(server.port), None).run()
    assert final.status == "done" and final.sent == len(READERS)
    messages = {rcpts[0]: data for _sender, rcpts, data in server.messages}
    return Sent(store, campaigns, campaign.id, messages)


def html_of(data: bytes) -> str:
    parsed = email.message_from_bytes(data, policy=policy.default)
    body = parsed.get_body(("html",))
    assert body is not None
    return str(body.get_content())


def text_of(data: bytes) -> str:
    parsed = email.message_from_bytes(data, policy=policy.default)
    body = parsed.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def hrefs(page: str) -> list[str]:
    import html

    return [html.unescape(h) for h in HREF.findall(page)]


def params(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def settings_for(url: str) -> TrackingSettings:
    return TrackingSettings(url=url, enabled=True)
