"""The report window: one campaign's figures, a chart of sends and bounces over time, the per-list
table, CSV and PDF export; and a dashboard of the last campaigns with trend arrows.

Thin over :mod:`editor.reports`, which computes everything in SQLite (0.3 s for a
100,000-delivery campaign, so reading on the UI thread is acceptable). The PDF is the report's
HTML (:func:`editor.reports.report_html`) laid out by a ``QTextDocument`` and printed to a
``QPdfWriter`` in memory, then written atomically; the window's chart goes in as an image drawn
off screen at twice its size (:func:`chart_image`), so the PDF shows what the window shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRectF,
    QSize,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QCloseEvent,
    QColor,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGraphicsScene,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor.atomic import write_atomic
from editor.i18n import _
from editor.reports import (
    CampaignReport,
    DashboardRow,
    campaign_report,
    dashboard,
    day_headers,
    export_csv,
    list_headers,
    list_values,
    per_day_rows,
    percent,
    report_html,
    summary_lines,
    warnings,
)
from editor.sending.campaigns import CampaignError, status_label
from widgets.campaigns_view import _local as local_time

_ARROWS = {"up": "↑", "down": "↓", "same": "→", "": ""}
_BAD = "#b91c1c"
_GOOD = "#15803d"
#: The chart's size in the PDF, in CSS pixels of the text document (about 16 cm wide on A4).
PDF_CHART_SIZE = QSize(640, 320)
_CHART_URL = "bulletin-chart://sends-per-day"


def fill_chart(chart: QChart, report: CampaignReport) -> None:
    """Draw the report's sends and bounces per day into ``chart`` (replacing what was there):
    the window and the PDF show the same chart."""
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)
    rows = per_day_rows(report)
    headers = day_headers()
    series = QBarSeries()
    sets = [QBarSet(headers[i]) for i in (1, 2)]  # sent, bounced
    for _day, values in rows:
        sets[0].append(values[0])
        sets[1].append(values[1])
    for bar_set in sets:
        series.append(bar_set)
    chart.addSeries(series)
    days = QBarCategoryAxis()
    days.append([day for day, _values in rows] or [""])
    chart.addAxis(days, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(days)
    counts = QValueAxis()
    counts.setLabelFormat("%d")
    counts.setRange(0, max([v[0] for _d, v in rows] + [v[1] for _d, v in rows] + [1]))
    chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(counts)
    chart.legend().setVisible(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)


def chart_image(report: CampaignReport, size: QSize = PDF_CHART_SIZE, scale: int = 2) -> QImage:
    """The report's chart drawn off screen at ``scale`` times ``size`` (sharp when printed).

    The chart sits alone in a scene that no view shows, with its geometry set by hand (a
    hidden view never lays its chart out), and the scene is painted into the image: this works
    on any platform, offscreen included, and no window flashes up during an export.
    """
    chart = QChart()
    chart.setTitle(_("Sends and bounces per day (UTC)"))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    fill_chart(chart, report)
    scene = QGraphicsScene()
    scene.addItem(chart)
    area = QRectF(0, 0, size.width(), size.height())
    chart.setGeometry(area)
    layout = chart.layout()
    if layout is not None:
        layout.activate()
    image = QImage(size * scale, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scene.render(painter, area, area)
    finally:
        painter.end()
    scene.removeItem(chart)
    chart.deleteLater()
    return image


def pdf_bytes(report: CampaignReport, *, chart: bool = True) -> bytes:
    """The report as a PDF (A4), made by Qt: no extra dependency.

    The HTML of :func:`editor.reports.report_html` with the chart of the window appended as an
    image resource of the text document (``chart=False`` leaves it out: the tests compare).
    Nothing to chart (no send, no bounce yet) means no chart rather than empty axes.
    """
    document = QTextDocument()
    page_html = report_html(report)
    if chart and per_day_rows(report):
        image = chart_image(report)
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(_CHART_URL), image)
        size = PDF_CHART_SIZE
        tag = f'<p><img src="{_CHART_URL}" width="{size.width()}" height="{size.height()}"/></p>'
        end = page_html.rfind("</body>")
        page_html = page_html[:end] + tag + page_html[end:] if end >= 0 else page_html + tag
    document.setHtml(page_html)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(_("Campaign report"))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document.print_(writer)
    del writer  # ends the PDF
    buffer.close()
    return bytes(data.data())


def export_pdf(report: CampaignReport, path: Path) -> None:
    write_atomic(path, pdf_bytes(report))


def _item(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def trend_text(value: str, trend: str) -> str:
    arrow = _ARROWS.get(trend, "")
    return f"{value} {arrow}".strip()


def _trend_tooltip(trend: str) -> str:
    return {
        "up": _("Higher than the campaign before"),
        "down": _("Lower than the campaign before"),
        "same": _("Same as the campaign before"),
    }.get(trend, _("No earlier campaign to compare with"))


class ReportView(QWidget):
    """One campaign's report (figures, chart, lists) and the dashboard, in two tabs."""

    def __init__(self, campaign_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Campaign report"))
        self.campaign_id = campaign_id
        self.report: CampaignReport | None = None
        self.rows: list[DashboardRow] = []

        self.title = QLabel()
        self.title.setAccessibleName(_("Campaign"))
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.alerts = QLabel()
        self.alerts.setAccessibleName(_("Warnings"))
        self.alerts.setWordWrap(True)
        self.alerts.setStyleSheet(f"color: {_BAD};")
        self.figures = QFormLayout()
        figures_box = QWidget()
        figures_box.setAccessibleName(_("Figures"))
        figures_box.setLayout(self.figures)

        self.chart = QChart()
        self.chart.setTitle(_("Sends and bounces per day (UTC)"))
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setAccessibleName(_("Sends and bounces over time"))
        self.chart_view.setMinimumHeight(220)

        self.lists = QTableWidget(0, len(list_headers()))
        self.lists.setAccessibleName(_("Per list"))
        self.lists.setToolTip(
            _("Each list of the campaign, by the lists its recipients are in now")
        )
        self._table_setup(self.lists)

        self.csv_button = QPushButton(_("Export &CSV…"))
        self.csv_button.setAccessibleName(_("Export the per-recipient results as CSV"))
        self.csv_button.setToolTip(_("Every recipient with their state, server reply and bounce"))
        self.csv_button.clicked.connect(lambda: self.export_csv())
        self.pdf_button = QPushButton(_("Export &PDF…"))
        self.pdf_button.setAccessibleName(_("Export the report as PDF"))
        self.pdf_button.setToolTip(_("The figures and tables of this report, to print or share"))
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.refresh_button = QPushButton(_("Re&fresh"))
        self.refresh_button.setAccessibleName(_("Refresh"))
        self.refresh_button.setToolTip(_("Read the figures again"))
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)

        campaign_tab = QWidget()
        top = QHBoxLayout()
        top.addWidget(figures_box)
        top.addWidget(self.chart_view, 1)
        layout = QVBoxLayout(campaign_tab)
        layout.addWidget(self.title)
        layout.addWidget(self.alerts)
        layout.addLayout(top, 2)
        layout.addWidget(self.lists, 1)
        layout.addLayout(buttons)

        self.dashboard = QTableWidget(0, 6)
        self.dashboard.setHorizontalHeaderLabels(
            [
                _("Subject"),
                _("Created"),
                _("Sent"),
                _("Bounce rate"),
                _("Complaint rate"),
                _("Unsubscribe rate"),
            ]
        )
        self.dashboard.setAccessibleName(_("Last campaigns"))
        self.dashboard.setToolTip(
            _("The last campaigns, newest first; arrows compare with the campaign before")
        )
        self._table_setup(self.dashboard)
        self.dashboard.cellDoubleClicked.connect(self._open_from_dashboard)

        self.tabs = QTabWidget()
        self.tabs.addTab(campaign_tab, _("This campaign"))
        self.tabs.addTab(self.dashboard, _("Last campaigns"))
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)
        self.resize(900, 640)
        self.refresh()

    @staticmethod
    def _table_setup(table: QTableWidget) -> None:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    # -------------------------------------------------------------------------------- reading

    def refresh(self) -> None:
        from editor.contacts.store import ContactStore

        try:
            with ContactStore() as store:
                self.report = campaign_report(store.db, self.campaign_id)
                self.rows = dashboard(store.db, 10)
        except CampaignError as exc:
            self.report = None
            self.title.setText(str(exc))
            for button in (self.csv_button, self.pdf_button):
                button.setEnabled(False)
            return
        self._draw(self.report)
        self._draw_dashboard(self.rows)

    def show_campaign(self, campaign_id: int) -> None:
        self.campaign_id = campaign_id
        self.refresh()
        self.tabs.setCurrentIndex(0)

    def _draw(self, report: CampaignReport) -> None:
        c = report.campaign
        self.setWindowTitle(_("Report: {subject}").format(subject=c.subject))
        self.title.setText(
            _("{subject} — {status}, created {created}").format(
                subject=c.subject, status=status_label(c.status), created=local_time(c.created)
            )
        )
        alerts = warnings(report)
        self.alerts.setText("\n".join(alerts))
        self.alerts.setVisible(bool(alerts))
        while self.figures.rowCount():
            self.figures.removeRow(0)
        for label, value in summary_lines(report):
            shown = QLabel(value)
            shown.setAccessibleName(label)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.figures.addRow(label, shown)
        self.lists.setColumnCount(len(list_headers()))
        self.lists.setHorizontalHeaderLabels(list_headers())
        self.lists.setRowCount(len(report.lists))
        for row, figures in enumerate(report.lists):
            self.lists.setItem(row, 0, _item(figures.name))
            for column, number in enumerate(list_values(figures), start=1):
                self.lists.setItem(row, column, _item(str(number)))
        self._draw_chart(report)
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(True)

    def _draw_chart(self, report: CampaignReport) -> None:
        fill_chart(self.chart, report)

    def _draw_dashboard(self, rows: list[DashboardRow]) -> None:
        table = self.dashboard
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            subject = _item(row.subject, status_label(row.status))
            subject.setData(Qt.ItemDataRole.UserRole, row.id)
            table.setItem(r, 0, subject)
            table.setItem(r, 1, _item(local_time(row.created)))
            table.setItem(
                r,
                2,
                _item(
                    trend_text(str(row.sent), row.trends["sent"]),
                    _trend_tooltip(row.trends["sent"]),
                ),
            )
            for column, key in enumerate(("bounce_rate", "complaint_rate", "unsubscribe_rate"), 3):
                direction = row.trends[key]
                item = _item(
                    trend_text(percent(getattr(row, key)), direction), _trend_tooltip(direction)
                )
                # For these rates, up is bad news and down good news.
                if direction in ("up", "down"):
                    item.setForeground(QColor(_BAD if direction == "up" else _GOOD))
                table.setItem(r, column, item)

    def _open_from_dashboard(self, row: int, _column: int) -> None:
        item = self.dashboard.item(row, 0)
        if item is not None:
            self.show_campaign(int(item.data(Qt.ItemDataRole.UserRole)))

    # -------------------------------------------------------------------------------- exports

    def _ask_path(self, caption: str, suffix: str, kind: str) -> Path | None:
        subject = self.report.campaign.subject if self.report else ""
        stem = "".join(ch if ch.isalnum() else "-" for ch in subject).strip("-")[:40] or "report"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, caption, f"{stem}.{suffix}", f"{kind} (*.{suffix})"
        )
        return Path(chosen) if chosen else None

    def export_csv(self, path: Path | None = None) -> Path | None:
        """Write the per-recipient CSV (asks where when ``path`` is None); the path written."""
        from editor.contacts.store import ContactStore

        path = path or self._ask_path(_("Export the results as CSV"), "csv", _("CSV files"))
        if path is None:
            return None
        try:
            with ContactStore() as store:
                export_csv(store.db, self.campaign_id, path)
        except (OSError, CampaignError) as exc:
            self._error(path, exc)
            return None
        return path

    def export_pdf(self, path: Path | None = None) -> Path | None:
        """Write the PDF summary (asks where when ``path`` is None); the path written."""
        if self.report is None:
            return None
        path = path or self._ask_path(_("Export the report as PDF"), "pdf", _("PDF files"))
        if path is None:
            return None
        try:
            export_pdf(self.report, path)
        except OSError as exc:
            self._error(path, exc)
            return None
        return path

    def closeEvent(self, event: QCloseEvent) -> None:
        if self in _open:
            _open.remove(self)
        super().closeEvent(event)

    def _error(self, path: Path, exc: Exception) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        QMessageBox.warning(
            self,
            _("Export failed"),
            _("Could not write {path}: {error}").format(path=path, error=reason),
        )


_open: list[ReportView] = []


def open_report(campaign_id: int) -> ReportView:
    """Show a campaign's report in its own window (kept alive until closed)."""
    view = ReportView(campaign_id)
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open.append(view)
    view.show()
    return view
