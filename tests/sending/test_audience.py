"""Who receives a campaign and who is skipped and why, streamed in pages."""

from __future__ import annotations

from pathlib import Path

import pytest

import editor.sending.audience as audience
from editor.contacts.suppression import UPSERT_SUPPRESSION
from editor.sending.audience import iter_audience, merge_findings, summarise
from tests.sending.campaign_support import addresses, profile


def test_pages_cover_everyone_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audience, "PAGE", 7)  # many pages, with duplicates at page edges
    lists = {"A": addresses(30), "B": addresses(30)[10:25], "C": addresses(5, "c")}
    with profile(tmp_path / "c.sqlite3", lists) as store:
        rows = list(iter_audience(store.db, ["A", "B", "C"]))
        received = [r.email for r in rows if not r.skip_reason]
        assert sorted(received) == sorted([*addresses(30), *addresses(5, "c")])
        assert sum(r.skip_reason == "duplicate" for r in rows) == 15
        summary = summarise(store.db, ["a", "b", "c"])
        assert summary.recipients == 35 and summary.skipped_total == 15
        assert summary.lists == ["A", "B", "C"]


def test_suppressed_address_is_skipped_even_if_the_status_says_subscribed(
    tmp_path: Path,
) -> None:
    with profile(tmp_path / "c.sqlite3", {"A": addresses(3)}) as store:
        # An inconsistent row (as a bug or a hand-edited file could leave): still never sent.
        key = store.suppression_key(addresses(3)[1])
        store.connection.execute(UPSERT_SUPPRESSION, (key, "unsubscribed", "2026-01-01T00:00:00Z"))
        rows = {r.email: r.skip_reason for r in iter_audience(store.db, ["A"])}
        assert rows == {addresses(3)[0]: "", addresses(3)[1]: "suppressed", addresses(3)[2]: ""}


def test_merge_findings_name_each_unknown_field() -> None:
    findings = merge_findings({"first_name", "company", "city"}, ["city"])
    assert [f.values["fields"] for f in findings] == ["company"]
    assert findings[0].code == "merge.unknown_field"
    assert merge_findings({"first_name", "email", "last_name"}, []) == []
