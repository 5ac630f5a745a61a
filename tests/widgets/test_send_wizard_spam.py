"""The send wizard's spam score: the summary shows it; a critical (error) spam finding keeps
Finish (and Next) disabled until « Send anyway » is ticked, and going back resets that choice."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from editor.document import TextBlock
from editor.starters import create
from tests.widgets.test_send_wizard import (  # noqa: F401  (fixtures)
    TIMEOUT,
    home,
    make_wizard,
    server,
    to_summary,
)
from widgets.session import EditSession
from widgets.spam_panel import critical

pytestmark = pytest.mark.gui

WALLET = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"


def with_wallet() -> EditSession:
    """The monthly starter asking for bitcoin: a critical spam finding (crypto_address)."""
    file = create("monthly-en")
    file.newsletter.blocks.insert(1, TextBlock(html=f"<p>Send your gift in BTC to {WALLET}</p>"))
    return EditSession(file)


def test_the_summary_shows_the_spam_score(qtbot: QtBot, home: Path) -> None:  # noqa: F811
    wizard = make_wizard(qtbot)
    to_summary(qtbot, wizard, "Readers")
    prep = wizard.preparation
    assert prep is not None and prep.spam is not None
    spam = wizard.summary_page.spam
    assert spam.score.isVisibleTo(wizard)
    assert spam.score.text().startswith(f"Spam score: {prep.spam.score:.1f}/10 (10 is best).")
    assert not critical(prep.spam)
    assert not spam.override.isVisibleTo(wizard) and not spam.critical.isVisibleTo(wizard)
    assert wizard.summary_page.isComplete()


def test_a_critical_finding_blocks_until_the_user_sends_anyway(
    qtbot: QtBot,
    home: Path,  # noqa: F811
) -> None:
    wizard = make_wizard(qtbot, with_wallet())
    to_summary(qtbot, wizard, "Readers")
    prep = wizard.preparation
    assert prep is not None and prep.ok  # nothing else blocks it
    assert [f.rule for f in critical(prep.spam)] == ["crypto_address"]
    page = wizard.summary_page
    assert page.spam.critical.isVisibleTo(wizard)
    assert "Critical" in page.spam.critical.text()
    assert "bitcoin" in page.spam.critical.text().lower()
    assert page.spam.override.isVisibleTo(wizard) and not page.spam.override.isChecked()
    assert not page.isComplete()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    wizard.accept()  # Finish cannot slip through either
    assert not wizard.is_busy() and wizard.campaign_id == 0

    page.spam.override.setChecked(True)
    assert page.isComplete()
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()

    wizard.back()  # a new summary asks again
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preparation is not None, timeout=TIMEOUT)
    assert not page.spam.override.isChecked() and not page.isComplete()
