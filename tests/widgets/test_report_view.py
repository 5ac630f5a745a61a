"""The report window on a campaign really sent through a loopback SMTP server, with bounces, a
complaint and an unsubscribe fed to the inbox: figures, chart, per-list table, dashboard,
CSV and PDF exports, and the Report… button of the campaigns view."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarSeries
from PySide6.QtWidgets import QLabel, QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from editor.contacts.model import DB_NAME
from editor.contacts.store import ContactStore
from editor.sending.campaigns import CampaignStore
from editor.settings import data_dir
from tests.sending.campaign_support import frozen, profile
from tests.test_reports import READERS, Sent, feed_inbox, send_campaign
from widgets import report_view
from widgets.campaigns_view import CampaignsView
from widgets.report_view import ReportView

pytestmark = pytest.mark.gui


@pytest.fixture
def sent() -> Iterator[Sent]:
    result = send_campaign(data_dir() / DB_NAME, fail=(READERS[9],))
    feed_inbox(result)
    result.store.close()
    yield result


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def figure(view: ReportView, label: str) -> str:
    for row in range(view.figures.rowCount()):
        shown = view.figures.itemAt(row, view.figures.ItemRole.FieldRole).widget()
        if isinstance(shown, QLabel) and shown.accessibleName() == label:
            return shown.text()
    raise AssertionError(label)


def test_window_shows_figures_chart_and_lists(qtbot: QtBot, sent: Sent) -> None:
    view = ReportView(sent.campaign_id)
    qtbot.addWidget(view)
    view.show()
    assert figure(view, "Sent") == "8"
    assert figure(view, "Bounced (permanent)") == "1"
    assert figure(view, "Spam complaints") == "1"
    assert figure(view, "Complaint rate") == "12.50\u00a0%"
    assert view.alerts.isVisibleTo(view) and "0.3" in view.alerts.text()
    # The chart: one bar series, sent and bounced per day.
    series = view.chart.series()
    assert len(series) == 1 and isinstance(series[0], QBarSeries)
    sets = series[0].barSets()
    assert [s.label() for s in sets] == ["Sent", "Bounced"]
    assert [sets[0].at(i) for i in range(sets[0].count())] == [8, 0, 0]  # 2, 3, 4 March
    assert [sets[1].at(i) for i in range(sets[1].count())] == [2, 2, 0]
    assert view.chart_view.isVisibleTo(view)
    # Per list.
    assert [cell(view.lists, r, 0) for r in range(view.lists.rowCount())] == ["Readers", "VIP"]
    assert [cell(view.lists, 1, c) for c in range(1, 7)] == ["3", "3", "0", "2", "0", "0"]


def test_dashboard_tab(qtbot: QtBot, sent: Sent) -> None:
    view = ReportView(sent.campaign_id)
    qtbot.addWidget(view)
    assert view.dashboard.rowCount() == 1
    assert cell(view.dashboard, 0, 2) == "8"  # nothing before: no arrow
    assert "25.00" in cell(view.dashboard, 0, 3)


def test_dashboard_arrows_and_double_click(qtbot: QtBot, sent: Sent) -> None:
    with ContactStore() as store:
        later = CampaignStore(store.db).create(
            frozen(), lists=["VIP"], account="local", scheduled_at=None
        )
        store.connection.execute(
            "UPDATE deliveries SET state = 'sent', sent_at = '2026-04-06T09:00:00Z'"
            " WHERE campaign_id = ? AND state = 'queued'",
            (later.id,),
        )
    view = ReportView(sent.campaign_id)
    qtbot.addWidget(view)
    assert view.dashboard.rowCount() == 2
    assert cell(view.dashboard, 0, 2) == "2 ↓"  # reader0000 bounced: skipped the second time
    rate = view.dashboard.item(0, 3)
    assert rate is not None and rate.text() == "0.00\u00a0% ↓"
    assert rate.foreground().color().name() == "#15803d"  # fewer bounces: good news
    assert rate.toolTip() == "Lower than the campaign before"
    view.dashboard.cellDoubleClicked.emit(0, 0)
    assert view.campaign_id == later.id and view.tabs.currentIndex() == 0
    assert figure(view, "Sent") == "2"


def test_exports(qtbot: QtBot, sent: Sent, tmp_path: Path) -> None:
    view = ReportView(sent.campaign_id)
    qtbot.addWidget(view)
    csv_path = view.export_csv(tmp_path / "r.csv")
    assert csv_path is not None
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.startswith("Email,") and len(text.splitlines()) == 11  # header + 10 people
    pdf_path = view.export_pdf(tmp_path / "r.pdf")
    assert pdf_path is not None
    data = pdf_path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000 and b"%%EOF" in data[-64:]


def test_export_asks_where_and_reports_errors(
    qtbot: QtBot, sent: Sent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = ReportView(sent.campaign_id)
    qtbot.addWidget(view)
    target = tmp_path / "chosen.pdf"
    monkeypatch.setattr(
        report_view.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "")
    )
    view.pdf_button.click()
    assert target.read_bytes().startswith(b"%PDF")
    monkeypatch.setattr(report_view.QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert view.export_csv() is None  # cancelled: nothing written
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    assert view.export_csv(tmp_path / "missing" / "r.csv") is None
    assert shown and "missing" in shown[0]


def test_unknown_campaign(qtbot: QtBot, sent: Sent) -> None:
    view = ReportView(999)
    qtbot.addWidget(view)
    assert "999" in view.title.text()
    assert not view.csv_button.isEnabled() and not view.pdf_button.isEnabled()


def test_report_button_of_the_campaigns_view(qtbot: QtBot, sent: Sent) -> None:
    campaigns = CampaignsView()
    qtbot.addWidget(campaigns)
    campaigns.show_campaign(sent.campaign_id)
    assert campaigns.report_button.isEnabled()
    opened = campaigns.open_report()
    assert isinstance(opened, ReportView)
    qtbot.addWidget(opened)
    assert opened.isVisible() and opened.campaign_id == sent.campaign_id
    assert figure(opened, "Recipients") == "9"
    opened.close()


def test_pdf_contains_the_chart(qtbot: QtBot, sent: Sent, tmp_path: Path) -> None:
    """The PDF carries the chart as an image XObject; without it the PDF has none."""
    from editor.reports import campaign_report

    with ContactStore() as store:
        report = campaign_report(store.db, sent.campaign_id)
    with_chart = report_view.pdf_bytes(report)
    without = report_view.pdf_bytes(report, chart=False)
    assert b"/Subtype /Image" in with_chart
    assert b"/Subtype /Image" not in without
    assert len(with_chart) > len(without) + 5000
    image = report_view.chart_image(report)
    assert image.width() == 2 * report_view.PDF_CHART_SIZE.width()
    # The bars were really drawn: the chart has more than a background and some text.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20
    # The window's export writes the same kind of PDF.
    view = ReportView(sent.campaign_id)
    qtbot.addWidget(view)
    path = view.export_pdf(tmp_path / "with-chart.pdf")
    assert path is not None and b"/Subtype /Image" in path.read_bytes()


def test_pdf_of_a_campaign_with_nothing_to_chart(qtbot: QtBot, tmp_path: Path) -> None:
    """No send and no bounce yet: the PDF is the text alone, no empty chart."""
    from editor.reports import campaign_report

    with profile(data_dir() / DB_NAME, {"Readers": READERS}) as store:
        campaigns = CampaignStore(store.db)
        later = datetime(2099, 1, 1, tzinfo=UTC)
        campaign = campaigns.create(
            frozen(), lists=["Readers"], account="local", scheduled_at=later
        )
        report = campaign_report(store.db, campaign.id)
    assert report.recipients == 10 and report.sent == 0
    data = report_view.pdf_bytes(report)
    assert data.startswith(b"%PDF") and b"/Subtype /Image" not in data
