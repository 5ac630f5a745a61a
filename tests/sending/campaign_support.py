"""Shared pieces of the campaign tests: a profile with contacts in lists, a frozen newsletter
from a starter, an account on the test SMTP server, and a clock tests move by hand."""

from __future__ import annotations

import email
import threading
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from editor.contacts.model import Basis, ContactInput
from editor.contacts.store import ContactStore
from editor.sending.accounts import Account
from editor.sending.campaigns import CampaignStore
from editor.sending.frozen import FrozenNewsletter, freeze, from_bytes, to_bytes
from editor.starters import create

CONSENT = Basis("consent", source="test")
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


@cache
def _frozen_bytes() -> bytes:
    return to_bytes(freeze(create("monthly-en")))


def frozen() -> FrozenNewsletter:
    """A real frozen newsletter (a starter), rebuilt from bytes so each test gets its own."""
    return from_bytes(_frozen_bytes())


def addresses(n: int, prefix: str = "reader") -> list[str]:
    return [f"{prefix}{i:04d}@example.org" for i in range(n)]


def profile(path: Path, lists: Mapping[str, Iterable[str]]) -> ContactStore:
    """A contacts store with these lists (name → addresses), everyone with consent."""
    store = ContactStore(path)
    for name, emails in lists.items():
        list_id = store.list_id(name, create=True)
        rows = [ContactInput(e, first_name=e.split("@")[0].title()) for e in emails]
        store.upsert_many(rows, list_id=list_id, basis=CONSENT)
    return store


def account(port: int, *, connections: int = 2, **changes: object) -> Account:
    values: dict[str, object] = {
        "name": "local",
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "from_email": "news@example.org",
        "from_name": "Les Nouvelles",
        "envelope_from": "bounces@example.org",
        "connections": connections,
        "timeout": 5.0,
    }
    values.update(changes)
    return Account(**values)  # type: ignore[arg-type]


class FakeClock:
    """A thread-safe clock tests move by hand; ``sleep`` advances it instead of waiting."""

    def __init__(self, start: datetime = START) -> None:
        self._now = start
        self._lock = threading.Lock()
        self.slept = 0.0

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        return self.now().timestamp()

    def sleep(self, seconds: float) -> None:
        self.advance(max(seconds, 0.001))

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self.slept += seconds


def campaign_store(store: ContactStore, clock: FakeClock | None = None) -> CampaignStore:
    return CampaignStore(store.db, clock=clock.now) if clock else CampaignStore(store.db)


def received_to(messages: list[tuple[str, list[str], bytes]]) -> list[str]:
    """The To address of each received message (parsed back with the email package)."""
    out = []
    for _sender, _rcpts, data in messages:
        parsed = email.message_from_bytes(data)
        out.append(email.utils.parseaddr(str(parsed["To"]))[1])
    return out
