"""Consent to measurement in the contact's history: given and withdrawn are lines of it, with
the proof and where it came from, worded in the contacts window in either language."""

from __future__ import annotations

from pathlib import Path

import pytest

from editor.i18n import set_language
from editor.tracking import consent
from tests.sending.campaign_support import profile

MARIE = "marie@example.net"


def measurement_events(path: Path) -> list[tuple[str, str | None, str | None, str, str]]:
    with profile(path, {"Readers": [MARIE]}) as store:
        contact = store.get(MARIE)
        assert contact is not None
        consent.give(store.db, [MARIE], proof="asked at the shop", source="by hand")
        consent.withdraw(store.db, [MARIE, MARIE], source="command line")
        consent.withdraw(store.db, [MARIE])  # nothing to withdraw: no line
        consent.give_ids(store.db, [contact.id], proof="reply <r-1@x>", source="email")
        return [
            (e.kind, e.old, e.new, e.reason, e.source)
            for e in store.history(contact.id)
            if e.kind == consent.EVENT
        ]


def test_given_and_withdrawn_are_lines_of_the_history(tmp_path: Path) -> None:
    assert measurement_events(tmp_path / "c.sqlite3") == [
        ("measurement", None, "given", "asked at the shop", "by hand"),
        ("measurement", "given", "withdrawn", "", "command line"),
        ("measurement", None, "given", "reply <r-1@x>", "email"),
    ]


@pytest.mark.parametrize(
    ("lang", "given", "withdrawn"),
    [
        ("en", "consent to open/click measurement: given", "withdrawn"),
        ("fr", "consentement à la mesure des ouvertures et clics : donné", "retiré"),
    ],
)
def test_the_contacts_window_words_them(
    tmp_path: Path, lang: str, given: str, withdrawn: str
) -> None:
    from editor.contacts.model import Event
    from widgets.contacts.labels import event_description

    set_language(lang)
    try:
        first = event_description(
            Event("2026-03-01T10:00:00Z", "measurement", None, "given", "", "")
        )
        second = event_description(
            Event("2026-03-02T10:00:00Z", "measurement", "given", "withdrawn", "", "")
        )
    finally:
        set_language(None)
    assert first.startswith(given)
    assert second.endswith(withdrawn)
