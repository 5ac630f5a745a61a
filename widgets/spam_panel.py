"""The composer's spam score: a gauge in its own dock, the findings in the one Warnings list.

The score is recomputed live and never blocks typing: each rendering the preview makes is kept
(the check reuses it, nothing is rendered twice) and, once the preview has shown it and edits
have paused for :data:`CHECK_DELAY_MS`, a copy of the document is checked on the thread pool
(:class:`SpamChecker`); a burst of edits checks once, and a result older than the latest
request is dropped. The spam findings join the renderer's in the window's
:class:`~widgets.warnings_list.WarningsList` (source ``"spam"``, with the points each costs), so
the owner reads one list; where both name the same problem (an image without alt text, Gmail
clipping) the renderer's row stays and carries the points. Rows the core can fix safely
(:func:`editor.spam.fixes.has_fix`) get a « Fix » button; the fix is a document command pushed on
the session's undo stack, so Undo takes it back in one step.

The check waits for the preview's ``shown`` rather than its ``rendered_changed``: the page then
loads first (the check does not compete with it), and a check never runs against a rendering
older than the document while a newer one is on its way.
"""

from __future__ import annotations

import copy
import logging
import math
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QCheckBox, QLabel, QSizePolicy, QVBoxLayout, QWidget

from editor import findings
from editor.document import Newsletter
from editor.findings import Finding, Severity
from editor.i18n import _, ngettext, number
from editor.package import BulletinFile
from editor.render.engine import Rendered
from editor.spam.fixes import fix_for, has_fix
from editor.spam.model import ScoredFinding, SpamReport
from widgets.background import BackgroundTask
from widgets.session import EditSession
from widgets.warnings_list import WarningsList

log = logging.getLogger(__name__)

CHECK_DELAY_MS = 400
"""Quiet time after the last shown rendering before the check runs."""
SOURCE = "spam"
"""The spam rules' source in the Warnings list."""
GOOD, RISKY = 8.0, 5.0
"""Score bands: at least GOOD is green, at least RISKY amber, below red (SpamAssassin's spam
threshold is 5 points, that is 5/10 here)."""
BAND_COLOURS = {"good": "#15803d", "risky": "#b45309", "bad": "#b91c1c"}
SAME_PROBLEM = {"spam.image_no_alt": findings.IMAGE_NO_ALT, "spam.gmail_clip": findings.GMAIL_CLIP}
"""Spam rules that name a problem the renderer already reports: one row, the renderer's."""

Check = Callable[..., SpamReport]


class _Preview(Protocol):
    rendered_changed: Any
    shown: Any

    def is_current(self) -> bool: ...


def band(score: float) -> str:
    """``"good"``, ``"risky"`` or ``"bad"``: the gauge's colour band for ``score``."""
    return "good" if score >= GOOD else "risky" if score >= RISKY else "bad"


def verdict(score: float) -> str:
    """One sentence for the owner on what ``score`` means."""
    return {
        "good": _("Good: unlikely to be taken for spam."),
        "risky": _("At risk: some spam filters may file it as spam."),
        "bad": _("Likely to be filed as spam."),
    }[band(score)]


def sender_smtp_host(newsletter: Newsletter) -> str | None:
    """The SMTP server of the sending account whose address is the newsletter's sender (the
    free-mail rule wants it), or None; worker thread (it reads the accounts file)."""
    from editor.sending.accounts import AccountBook, AccountError

    email = newsletter.sender.email.strip().casefold()
    if not email:
        return None
    try:
        accounts = AccountBook().list()
    except AccountError:
        return None
    for account in accounts:
        if account.from_email.strip().casefold() == email:
            return account.host
    return None


def list_entries(
    report: SpamReport, render_findings: list[Finding]
) -> tuple[list[Finding], dict[Finding, float]]:
    """What the Warnings list gets from ``report``: the spam findings (without those the
    renderer already reports, :data:`SAME_PROBLEM`) and the points of every row they cost."""
    shown: list[Finding] = []
    points: dict[Finding, float] = {}
    for scored in report.findings:
        finding = scored.finding
        same = SAME_PROBLEM.get(finding.code)
        twins = [f for f in render_findings if f.code == same] if same else []
        if not twins:
            shown.append(finding)
            points[finding] = points.get(finding, 0.0) + scored.points
            continue
        exact = [f for f in twins if f.block_id == finding.block_id]
        for twin in exact or twins:
            points[twin] = max(points.get(twin, 0.0), scored.points)
    return shown, points


class SpamChecker(QObject):
    """Checks the session's newsletter off the UI thread, debounced, the latest request winning.

    Signals:
        report_ready(SpamReport): a check of the latest request finished.
        busy_changed(bool): a check started (True) or the last one ended (False).
    """

    report_ready = Signal(object)
    busy_changed = Signal(bool)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        delay_ms: int = CHECK_DELAY_MS,
        check: Check | None = None,
        smtp_host: Callable[[Newsletter], str | None] = sender_smtp_host,
    ) -> None:
        super().__init__(parent)
        self._check = check
        self._smtp_host = smtp_host
        self._session: EditSession | None = None
        self._rendered: Rendered | None = None
        self._generation = 0
        self._task: BackgroundTask | None = None
        self.is_ready: Callable[[], bool] = lambda: True
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.check_now)

    @property
    def generation(self) -> int:
        """The number of the last check started."""
        return self._generation

    @property
    def busy(self) -> bool:
        return self._task is not None

    def set_session(self, session: EditSession | None) -> None:
        """Check ``session`` from now on; results for an earlier one are dropped."""
        self._session = session
        self._rendered = None
        self._generation += 1
        self.timer.stop()
        self._set_task(None)

    def set_rendered(self, rendered: Rendered | None) -> None:
        """The latest rendering of the session's document (checked after :meth:`schedule`)."""
        self._rendered = rendered

    def schedule(self, *_args: object) -> None:
        """Check after the quiet time (restarted by every call: a burst checks once)."""
        if self._session is not None and self._rendered is not None:
            self.timer.start()

    def check_now(self) -> None:
        """Start the check now (a copy of the document, on the thread pool)."""
        self.timer.stop()
        session, rendered = self._session, self._rendered
        if session is None or rendered is None or not self.is_ready():
            return  # a newer rendering is on its way: it schedules the check again
        self._generation += 1
        generation = self._generation
        newsletter = copy.deepcopy(session.document)
        images = dict(session.file.images)
        check, smtp_host = self._check, self._smtp_host

        def work() -> tuple[int, SpamReport]:
            from editor.spam.check import check_newsletter

            run = check or check_newsletter
            report = run(newsletter, rendered, images=images, smtp_host=smtp_host(newsletter))
            return generation, report

        task = BackgroundTask(work)
        task.succeeded.connect(self._done)
        task.finished.connect(lambda: self._set_task(None) if self._task is task else None)
        self._set_task(task)
        task.start()

    def _done(self, result: tuple[int, SpamReport]) -> None:
        generation, report = result
        if generation == self._generation:  # else a newer request (or session) superseded it
            self.report_ready.emit(report)

    def _set_task(self, task: BackgroundTask | None) -> None:
        was = self.busy
        self._task = task
        if self.busy != was:
            self.busy_changed.emit(self.busy)


class ScoreGauge(QWidget):
    """A half-dial from 0 to 10 in three colour bands, the score written in its middle."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._score: float | None = None
        self.setAccessibleName(_("Spam score"))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    @property
    def score(self) -> float | None:
        return self._score

    def set_score(self, score: float | None) -> None:
        self._score = score
        self.setAccessibleDescription(
            "" if score is None else _("{score} out of 10").format(score=number(score, 1))
        )
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(200, 118)

    def minimumSizeHint(self) -> QSize:
        return QSize(150, 96)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        thickness = 14.0
        radius = min(self.width() / 2 - thickness, self.height() - thickness - 6)
        centre = QPointF(self.width() / 2, thickness / 2 + 4 + radius)
        arc = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        faded = self._score is None
        for start, end, name in ((0.0, RISKY, "bad"), (RISKY, GOOD, "risky"), (GOOD, 10.0, "good")):
            colour = QColor(BAND_COLOURS[name])
            if faded or band(self._score or 0.0) != name:
                colour.setAlpha(70)
            pen = QPen(colour, thickness, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            # Qt angles: 1/16 degree, counter-clockwise from 3 o'clock; 0 is left, 10 right.
            painter.drawArc(arc, int((180 - end * 18) * 16), int((end - start) * 18 * 16))
        text_colour = self.palette().windowText().color()
        if self._score is not None:
            angle = math.radians(180 - self._score * 18)
            inner, outer = radius - thickness, radius + thickness / 2
            tip = QPointF(
                centre.x() + outer * math.cos(angle), centre.y() - outer * math.sin(angle)
            )
            base = QPointF(
                centre.x() + inner * math.cos(angle), centre.y() - inner * math.sin(angle)
            )
            painter.setPen(QPen(text_colour, 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawLine(base, tip)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        painter.setFont(font)
        shown = "–" if self._score is None else number(self._score, 1)
        colour = text_colour if self._score is None else QColor(BAND_COLOURS[band(self._score)])
        painter.setPen(colour)
        box = QRectF(centre.x() - radius, centre.y() - radius * 0.62, 2 * radius, radius * 0.62)
        painter.drawText(box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, shown)
        small = QFont(self.font())
        painter.setFont(small)
        painter.setPen(text_colour)
        painter.drawText(
            QRectF(centre.x() - radius, centre.y() - 2, 2 * radius, thickness + 6),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
            _("out of 10"),
        )
        painter.end()


class SpamPanel(QWidget):
    """The « Spam score » dock's content: the gauge, what it means, a link to the findings.

    It checks the document of :meth:`set_session` after each rendering of ``preview``, puts
    the findings in ``warnings`` and applies their « Fix ».

    Attributes:
        checker: the debounced off-thread check.
        gauge: the 0–10 dial.
        report: the last report shown (None before the first check or without a document).

    Signals:
        findings_requested(): the user asked to see the findings (the window shows Warnings).
        report_changed(SpamReport | None): a new report is shown (None: cleared).
    """

    findings_requested = Signal()
    report_changed = Signal(object)

    def __init__(
        self,
        warnings: WarningsList,
        preview: _Preview | None = None,
        parent: QWidget | None = None,
        *,
        checker: SpamChecker | None = None,
    ) -> None:
        super().__init__(parent)
        self.warnings = warnings
        self.report: SpamReport | None = None
        self._session: EditSession | None = None
        self._render_findings: list[Finding] = []
        self.checker = checker or SpamChecker(self)
        self.checker.report_ready.connect(self.show_report)
        self.checker.busy_changed.connect(self._busy_changed)
        warnings.fixable = has_fix
        warnings.fix_requested.connect(self.apply_fix)

        self.gauge = ScoreGauge()
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.verdict.setAccessibleName(_("What the score means"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAccessibleName(_("Spam findings"))
        self.summary.linkActivated.connect(lambda _link: self.findings_requested.emit())
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.status.setAccessibleName(_("Spam check status"))
        self.status.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.gauge)
        layout.addWidget(self.verdict)
        layout.addWidget(self.summary)
        layout.addWidget(self.status)
        layout.addStretch(1)
        if preview is not None:
            self.follow(preview)
        self.show_report(None)

    def follow(self, preview: _Preview) -> None:
        """Check after each rendering ``preview`` shows (it reuses that rendering)."""
        preview.rendered_changed.connect(self._rendered)
        preview.shown.connect(self.checker.schedule)
        self.checker.is_ready = preview.is_current

    def set_session(self, session: EditSession | None) -> None:
        """Follow ``session`` (None: no document; the score and its findings go)."""
        self._session = session
        self.checker.set_session(session)
        self.show_report(None)

    def _rendered(self, rendered: object) -> None:
        result = rendered if isinstance(rendered, Rendered) else None
        self._render_findings = list(result.findings) if result is not None else []
        self.checker.set_rendered(result)

    # ---------------------------------------------------------------------------- showing

    def show_report(self, report: SpamReport | None) -> None:
        """Show ``report`` (None: nothing checked yet) and put its findings in the list."""
        self.report = report
        self.gauge.set_score(report.score if report else None)
        if report is None:
            self.warnings.set_findings([], SOURCE)
            self.verdict.clear()
            self.summary.setText(
                _("Checked after each change, once the preview is up to date.")
                if self._session is not None
                else ""
            )
            self.setToolTip("")
            self.report_changed.emit(None)
            return
        shown, points = list_entries(report, self._render_findings)
        self.warnings.set_findings(shown, SOURCE, points=points)
        self.verdict.setText(verdict(report.score))
        self.verdict.setStyleSheet(f"color: {BAND_COLOURS[band(report.score)]}; font-weight: bold;")
        self.summary.setText(self._summary(report))
        tip = _(
            "{score}/10 — 10 is best. The rules found {points} points; spam filters such as "
            "SpamAssassin file a message as spam from 5 points (5/10 here)."
        ).format(score=number(report.score, 1), points=number(report.points, 1))
        self.setToolTip(tip)
        self.gauge.setToolTip(tip)
        self.report_changed.emit(report)

    def _summary(self, report: SpamReport) -> str:
        costly = [f for f in report.findings if f.points > 0]
        if not costly:
            return _("Nothing lowers the score. 10 is best.")
        fixable = sum(1 for f in costly if has_fix(f.finding))
        text = ngettext(
            "{count} problem takes {points} off the score (10 is best).",
            "{count} problems take {points} off the score (10 is best).",
            len(costly),
        ).format(count=len(costly), points=number(min(report.points, 10.0), 1))
        if fixable:
            text += " " + _("Some can be fixed in one click.")
        link = _("See them in Warnings")
        return f'{_escape(text)} <a href="#findings">{_escape(link)}</a>'

    def _busy_changed(self, busy: bool) -> None:
        self.status.setText(_("Checking…") if busy else "")

    def changeEvent(self, event: QEvent) -> None:
        """Word the verdict, the summary and the findings again when the UI language changes
        (Qt sends LanguageChange when the language menu swaps its translators)."""
        if event.type() == QEvent.Type.LanguageChange:
            self.verdict.setAccessibleName(_("What the score means"))
            self.summary.setAccessibleName(_("Spam findings"))
            self.status.setAccessibleName(_("Spam check status"))
            report = self.report
            if report is not None:
                self.show_report(report)
            else:
                self.show_report(None)
            self.warnings.retranslate()
        super().changeEvent(event)

    # ------------------------------------------------------------------------------ fixing

    def apply_fix(self, finding: Finding) -> bool:
        """Apply the core's fix for ``finding`` as one undo step; False when there is nothing
        (left) to fix."""
        session = self._session
        if session is None:
            return False
        command = fix_for(session.document, finding)
        if command is None:
            return False
        return session.push(command)


def critical(report: SpamReport | None) -> list[ScoredFinding]:
    """The findings that block a send until the user overrides them (error severity)."""
    if report is None:
        return []
    return [f for f in report.findings if f.finding.severity == Severity.ERROR]


def spam_report(file: BulletinFile, rendered: Rendered, smtp_host: str | None) -> SpamReport | None:
    """The send wizard's check of the frozen rendering (worker thread); None when the check
    itself failed (a bug: it is logged, and sending is not held up by it)."""
    from editor.spam.check import check_newsletter

    try:
        return check_newsletter(file.newsletter, rendered, images=file.images, smtp_host=smtp_host)
    except Exception:
        log.exception("spam check failed")
        return None


class SpamSummary(QWidget):
    """The send wizard's spam score: the score, the critical findings and « Send anyway ».

    Attributes:
        override: the « Send anyway » box, shown only when something is critical.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: SpamReport | None = None
        self.score = QLabel()
        self.score.setWordWrap(True)
        self.score.setAccessibleName(_("Spam score"))
        self.critical = QLabel()
        self.critical.setWordWrap(True)
        self.critical.setAccessibleName(_("Critical spam problems"))
        self.critical.setStyleSheet(f"color: {BAND_COLOURS['bad']};")
        self.override = QCheckBox(_("Send &anyway, despite these problems"))
        self.override.setAccessibleName(_("Send anyway"))
        self.override.setToolTip(
            _("Spam filters are likely to reject or hide this newsletter; fix it first if you can")
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.score)
        layout.addWidget(self.critical)
        layout.addWidget(self.override)
        self.show_report(None)

    def show_report(self, report: SpamReport | None) -> None:
        """Show ``report`` (None: nothing, and « Send anyway » unticked)."""
        self.report = report
        blocking = critical(report)
        self.override.setChecked(False)
        self.override.setVisible(bool(blocking))
        self.critical.setVisible(bool(blocking))
        self.score.setVisible(report is not None)
        if report is None:
            self.score.clear()
            self.critical.clear()
            return
        self.score.setText(
            _("Spam score: {score}/10 (10 is best). {verdict}").format(
                score=number(report.score, 1), verdict=verdict(report.score)
            )
        )
        self.score.setStyleSheet(f"color: {BAND_COLOURS[band(report.score)]};")
        lines = [_("Critical, fix these before sending (Spam score panel, Warnings):")]
        lines += [f"• {findings.message(f.finding)} {findings.fix(f.finding)}" for f in blocking]
        self.critical.setText("\n".join(lines) if blocking else "")

    def cleared(self) -> bool:
        """Nothing critical, or the user chose to send anyway."""
        return not critical(self.report) or self.override.isChecked()


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=False)
