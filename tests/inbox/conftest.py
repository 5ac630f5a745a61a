"""Fixtures shared by the subscription tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.contacts.store import ContactStore
from tests.sending.campaign_support import profile


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ContactStore]:
    """A profile whose list « Readers » holds old@example.net (module fixtures named ``store``
    elsewhere in tests/inbox take precedence)."""
    store = profile(tmp_path / "c.sqlite3", {"Readers": ["old@example.net"]})
    try:
        yield store
    finally:
        store.close()
