"""The composer's spam score: the gauge shows a spammy document's score, its findings join the
Warnings list with their points, a click selects the block, « Fix » is one undo step that
raises the score; the check is debounced and a stale result dropped."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from editor import findings
from editor.document import FooterBlock, HeadingBlock, ImageBlock, Newsletter, Sender, TextBlock
from editor.findings import Finding, Severity
from editor.i18n import set_language
from editor.package import BulletinFile
from editor.render.engine import Renderer
from editor.sending.accounts import Account, AccountBook
from editor.spam.check import check_newsletter
from editor.spam.model import ScoredFinding, SpamReport
from tests.widgets.conftest import LOAD_TIMEOUT_MS, png
from widgets.background import BackgroundTask
from widgets.documents import OpenDocument
from widgets.language_menu import install_qt_translations
from widgets.main_window import MainWindow
from widgets.session import EditSession
from widgets.spam_panel import (
    SpamChecker,
    band,
    list_entries,
    sender_smtp_host,
    verdict,
)
from widgets.warnings_list import FINDING_ROLE

pytestmark = pytest.mark.gui

SHOUTED = "LAST CHANCE: HUGE SALE ON EVERYTHING!!!"


def spammy() -> BulletinFile:
    """A newsletter whose subject shouts and whose heading has "!!!": both fixable."""
    file = BulletinFile()
    photo = file.add_image(png(), "bakery.png")
    file.newsletter = Newsletter(
        subject=SHOUTED,
        preheader="Our bread, our honey, our apples",
        language="en",
        sender=Sender(name="Bakery", email="hello@bakery.example"),
        blocks=[
            HeadingBlock(text="Fresh bread every morning!!!"),
            TextBlock(
                html="<p>The oven has not had a day off: walnuts, local honey and the first "
                "apples from the orchard are on the counter this month, with a new rye loaf "
                "and the kids' baking class on Saturdays.</p>"
            ),
            ImageBlock(src=photo, alt="The counter"),
            FooterBlock(company="Bakery", address="1 Bread Street\nLyon"),
        ],
    )
    return file


@pytest.fixture
def composer(qtbot: QtBot) -> Iterator[MainWindow]:
    """A shown window editing :func:`spammy`, its first spam report in."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(window.sizeHint())
    window.show()
    assert window.set_document(OpenDocument(spammy()))
    wait_report(qtbot, window)
    yield window


@pytest.fixture(autouse=True)
def discard_at_teardown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows left modified are closed after each test: their prompt answers Discard."""
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda *a: QMessageBox.StandardButton.Discard)
    )


def wait_report(qtbot: QtBot, window: MainWindow, better_than: float = -1.0) -> SpamReport:
    panel = window.spam_panel

    def ready() -> bool:
        report = panel.report
        return report is not None and report.score > better_than and not panel.checker.busy

    qtbot.waitUntil(ready, timeout=LOAD_TIMEOUT_MS)
    assert panel.report is not None
    return panel.report


def rows(window: MainWindow) -> list[Finding]:
    w = window.warnings
    return [w.item(i).data(FINDING_ROLE) for i in range(w.count())]


def row_of(window: MainWindow, code: str) -> int:
    return next(i for i, f in enumerate(rows(window)) if f is not None and f.code == code)


def test_the_gauge_shows_the_score_of_a_spammy_document(composer: MainWindow) -> None:
    panel = composer.spam_panel
    report = panel.report
    assert report is not None
    assert composer.session is not None and composer.rendered is not None
    expected = check_newsletter(
        composer.session.document, composer.rendered, images=composer.session.file.images
    )
    assert report.score == expected.score < 8  # capitals and "!!!" cost points
    assert panel.gauge.score == report.score
    assert panel.verdict.text() == verdict(report.score) != ""
    assert "10 is best" in panel.gauge.toolTip() and "points" in panel.gauge.toolTip()
    rules = {f.rule for f in report.findings}
    assert {"subject_all_caps", "subject_punctuation", "excessive_punctuation"} <= rules
    assert "See them in Warnings" in panel.summary.text()


def test_a_language_switch_rewords_the_panel_and_its_findings(
    qtbot: QtBot, composer: MainWindow
) -> None:
    panel = composer.spam_panel
    english_verdict = panel.verdict.text()
    english_rows = [composer.warnings.item(i).text() for i in range(composer.warnings.count())]
    app = QApplication.instance()
    assert app is not None
    try:
        set_language("fr")
        assert install_qt_translations(app, "fr")  # Qt sends LanguageChange to every widget
        qtbot.waitUntil(lambda: panel.verdict.text() != english_verdict, timeout=5000)
        assert "Avertissements" in panel.summary.text()  # « See them in Warnings »
        french_rows = [composer.warnings.item(i).text() for i in range(composer.warnings.count())]
        assert len(french_rows) == len(english_rows) and french_rows != english_rows
    finally:
        set_language("en")
        install_qt_translations(app, "en")
    qtbot.waitUntil(lambda: panel.verdict.text() == english_verdict, timeout=5000)


def test_spam_findings_join_the_warnings_list_with_points_and_fix_buttons(
    composer: MainWindow,
) -> None:
    report = composer.spam_panel.report
    assert report is not None
    shown = rows(composer)
    for scored in report.findings:
        assert scored.finding in shown
    caps = row_of(composer, "spam.subject_all_caps")
    item = composer.warnings.item(caps)
    assert "on the spam score" in item.text()
    assert composer.warnings.fix_button(caps) is not None
    image_only = [f for f in shown if f.code == "spam.image_only"]
    if image_only:  # no one-click fix for it: no button
        assert composer.warnings.fix_button(shown.index(image_only[0])) is None
    # Errors first, then the costliest: the points never increase within a severity.
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    keys = [(order[f.severity], -composer.warnings.points(f)) for f in shown]
    assert keys == sorted(keys)
    assert composer._warnings_dock.windowTitle() == f"Warnings ({len(shown)})"


def test_clicking_a_spam_finding_selects_its_block(qtbot: QtBot, composer: MainWindow) -> None:
    assert composer.session is not None
    heading = composer.session.document.blocks[0]
    row = row_of(composer, "spam.excessive_punctuation")
    assert rows(composer)[row].block_id == heading.id
    composer.session.select("")
    w = composer.warnings
    w.scrollToItem(w.item(row))
    rect = w.visualItemRect(w.item(row))
    # Beside its « Fix » button: the row's own click.
    point = QPoint(rect.left() + 80, rect.center().y())
    target = w.viewport().childAt(point)
    assert target is w.itemWidget(w.item(row))  # the « Fix » holder covers the row's text
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(w.viewport(), point))
    assert composer.session.selected == heading.id
    assert composer.centre.currentIndex() == 0


def test_fix_is_one_undo_step_and_the_score_improves(qtbot: QtBot, composer: MainWindow) -> None:
    session = composer.session
    assert session is not None
    before = composer.spam_panel.report
    assert before is not None
    steps = session.undo_stack.count()
    button = composer.warnings.fix_button(row_of(composer, "spam.subject_all_caps"))
    assert button is not None
    button.click()
    assert session.undo_stack.count() == steps + 1
    assert session.document.subject == "Last chance: huge sale on everything!!!"
    after = wait_report(qtbot, composer, better_than=before.score)
    assert "subject_all_caps" not in {f.rule for f in after.findings}
    assert after.score > before.score
    session.undo_stack.undo()
    assert session.document.subject == SHOUTED
    wait_report(qtbot, composer)
    qtbot.waitUntil(
        lambda: (
            composer.spam_panel.report is not None
            and composer.spam_panel.report.score == before.score
        ),
        timeout=LOAD_TIMEOUT_MS,
    )


def test_a_fix_with_nothing_left_to_fix_pushes_nothing(composer: MainWindow) -> None:
    session = composer.session
    assert session is not None
    caps = rows(composer)[row_of(composer, "spam.subject_all_caps")]
    assert composer.spam_panel.apply_fix(caps)
    steps = session.undo_stack.count()
    assert not composer.spam_panel.apply_fix(caps)  # already in sentence case
    assert session.undo_stack.count() == steps


def test_closing_the_document_clears_the_score_and_its_findings(composer: MainWindow) -> None:
    assert composer.session is not None
    composer.session.mark_saved()
    composer.set_document(None)
    assert composer.spam_panel.report is None and composer.spam_panel.gauge.score is None
    assert not any(f.code.startswith("spam.") for f in composer.warnings.findings)


def test_the_dock_is_in_the_view_menu(composer: MainWindow) -> None:
    view = next(a.menu() for a in composer.menuBar().actions() if a.text() == "&View")
    assert composer._spam_dock.toggleViewAction() in view.actions()
    assert composer._spam_dock.windowTitle() == "Spam score"


# ---------------------------------------------------------------------- the checker alone


class Counting:
    """A check that counts its calls and may hold the first one until released."""

    def __init__(self, hold_first: bool = False) -> None:
        self.calls = 0
        self.release = threading.Event()
        if not hold_first:
            self.release.set()
        self._lock = threading.Lock()

    def __call__(self, newsletter: Newsletter, rendered: Any, **_kw: Any) -> SpamReport:
        with self._lock:
            self.calls += 1
            number = self.calls
        if number == 1:
            assert self.release.wait(10)
        return SpamReport(score=float(number), points=10.0 - number, findings=[], html_bytes=0)


def checker_for(qtbot: QtBot, check: Counting) -> tuple[SpamChecker, list[SpamReport]]:
    file = spammy()
    checker = SpamChecker(delay_ms=50, check=check, smtp_host=lambda _n: None)
    checker.set_session(EditSession(file))
    checker.set_rendered(Renderer(file.images).render(file.newsletter))
    reports: list[SpamReport] = []
    checker.report_ready.connect(reports.append)
    return checker, reports


def test_a_burst_of_requests_checks_once(qtbot: QtBot) -> None:
    check = Counting()
    checker, reports = checker_for(qtbot, check)
    for _ in range(10):
        checker.schedule()
    qtbot.waitUntil(lambda: bool(reports), timeout=10_000)
    qtbot.waitUntil(lambda: BackgroundTask.running() == 0, timeout=10_000)
    assert check.calls == 1 and len(reports) == 1
    assert not checker.timer.isActive()


def test_a_result_older_than_the_latest_request_is_dropped(qtbot: QtBot) -> None:
    check = Counting(hold_first=True)
    checker, reports = checker_for(qtbot, check)
    busy: list[bool] = []
    checker.busy_changed.connect(busy.append)
    checker.check_now()  # held on the worker
    qtbot.waitUntil(lambda: check.calls == 1, timeout=10_000)
    checker.check_now()  # the latest request: answered first
    qtbot.waitUntil(lambda: bool(reports), timeout=10_000)
    check.release.set()
    qtbot.waitUntil(lambda: BackgroundTask.running() == 0, timeout=10_000)
    assert check.calls == 2
    assert [r.score for r in reports] == [2.0]  # the first call's result never arrives
    assert busy[0] is True


def test_nothing_is_checked_while_a_newer_rendering_is_on_its_way(qtbot: QtBot) -> None:
    check = Counting()
    checker, _reports = checker_for(qtbot, check)
    checker.is_ready = lambda: False
    checker.check_now()
    assert check.calls == 0 and not checker.busy


# ---------------------------------------------------------------------------- helpers


def test_bands_and_verdicts() -> None:
    assert [band(s) for s in (10, 8, 7.9, 5, 4.9, 0)] == [
        "good",
        "good",
        "risky",
        "risky",
        "bad",
        "bad",
    ]
    assert len({verdict(9), verdict(6), verdict(2)}) == 3


def test_a_problem_the_renderer_reports_too_is_one_row_carrying_the_points() -> None:
    no_alt = Finding.of(findings.IMAGE_NO_ALT, "img1")
    spam_alt = Finding("spam.image_no_alt", Severity.WARNING, "img1", (("src", "x"),))
    other = Finding("spam.subject_all_caps", Severity.WARNING, None, ())
    report = SpamReport(
        score=8.2,
        points=1.8,
        findings=[
            ScoredFinding(other, 1.5, "subject_all_caps"),
            ScoredFinding(spam_alt, 0.3, "image_no_alt"),
        ],
        html_bytes=0,
    )
    shown, points = list_entries(report, [no_alt])
    assert shown == [other]
    assert points == {other: 1.5, no_alt: 0.3}
    shown, points = list_entries(report, [])  # the renderer did not see it: the spam row
    assert shown == [other, spam_alt]


def test_the_sending_accounts_server_is_found_by_the_sender_address() -> None:
    newsletter = spammy().newsletter
    assert sender_smtp_host(newsletter) is None
    AccountBook().save(
        Account(
            name="gmail",
            host="smtp.gmail.com",
            port=587,
            security="starttls",
            from_email="Hello@Bakery.example",
        )
    )
    assert sender_smtp_host(newsletter) == "smtp.gmail.com"
