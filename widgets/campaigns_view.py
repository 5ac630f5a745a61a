"""The campaigns view: every campaign with its counts, the live progress of the one selected,
Pause / Resume / Cancel, and the per-recipient results with the server's reply.

A campaign runs in this process through a :class:`CampaignRun`: the blocking
:meth:`CampaignRunner.run <editor.sending.runner.CampaignRunner.run>` on the thread pool (the
keychain may wait for an unlock prompt, sending takes minutes), its ``progress`` callback —
called from the runner's worker threads — re-emitted as a Qt signal, so the UI thread only ever
draws. Runs are kept in a module registry (:func:`running`), so a view opened after the wizard
started a campaign, or a second view, follows the same run and can pause it.

The database stays the truth: the table and the results are read from
:class:`~editor.sending.campaigns.CampaignStore`, and a campaign paused by a crash, another
process or an authentication failure shows as such, with the reason in words.
"""

from __future__ import annotations

import ssl
from datetime import UTC, datetime
from typing import ClassVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import N_, _, ngettext, pgettext
from editor.sending.accounts import Account, AccountBook
from editor.sending.runner import Progress, pause_message
from widgets.background import BackgroundTask

PAGE_SIZE = 200
_ERROR = "#b91c1c"
_OK = "#15803d"
_DELIVERY_STATES = (
    ("", N_("All")),
    ("queued", N_("Queued")),
    ("sending", N_("Sending")),
    ("sent", N_("Sent")),
    ("failed", N_("Failed")),
    ("unknown", N_("Unknown")),
    ("skipped", N_("Skipped")),
)


class CampaignRun(QObject):
    """One campaign sending in this process, off the UI thread.

    Signals (on the UI thread):
        progress(object): a :class:`Progress`, a few times a second while it sends.
        finished(object): the final :class:`Progress`.
        failed(str): why it could not run (keychain locked, already sent elsewhere…).
        ended(): after ``finished`` or ``failed``.
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    ended = Signal()

    _runs: ClassVar[dict[int, CampaignRun]] = {}

    def __init__(
        self, campaign_id: int, account: Account, *, ssl_context: ssl.SSLContext | None = None
    ) -> None:
        super().__init__()  # no parent: it outlives the window that started it
        self.campaign_id = campaign_id
        self.account = account
        self.ssl_context = ssl_context
        self.last: Progress | None = None
        self._runner: object | None = None
        self._halt: str = ""  # a pause/cancel asked before the runner existed
        self._task: BackgroundTask | None = None

    def start(self) -> None:
        CampaignRun._runs[self.campaign_id] = self
        account, campaign_id, context = self.account, self.campaign_id, self.ssl_context
        emit = self.progress.emit

        def work() -> Progress:
            from editor.contacts.store import ContactStore
            from editor.sending.campaigns import CampaignStore
            from editor.sending.runner import CampaignRunner
            from editor.sending.secrets import get_password

            password = get_password(account.name) if account.username else None
            with ContactStore() as store:
                runner = CampaignRunner(
                    CampaignStore(store.db),
                    campaign_id,
                    account,
                    password,
                    ssl_context=context,
                    progress=emit,
                )
                self._runner = runner
                if self._halt == "cancel":
                    runner.cancel()
                elif self._halt == "pause":
                    runner.pause()
                return runner.run()

        task = BackgroundTask(work)
        task.succeeded.connect(self._on_done)
        task.failed.connect(lambda error: self.failed.emit(str(error)))
        task.finished.connect(self._on_ended)
        self.progress.connect(self._remember)
        self._task = task
        task.start()

    def _remember(self, progress: Progress) -> None:
        self.last = progress

    def _on_done(self, progress: Progress) -> None:
        self.last = progress
        self.finished.emit(progress)

    def _on_ended(self) -> None:
        CampaignRun._runs.pop(self.campaign_id, None)
        self._task = None
        self.ended.emit()

    def pause(self) -> None:
        """Stop after the messages in flight; the campaign becomes paused (thread-safe)."""
        self._halt = self._halt or "pause"
        runner = self._runner
        if runner is not None:
            runner.pause()  # type: ignore[attr-defined]

    def cancel(self) -> None:
        """Stop after the messages in flight; nothing still queued is ever sent."""
        self._halt = "cancel"
        runner = self._runner
        if runner is not None:
            runner.cancel()  # type: ignore[attr-defined]

    def is_running(self) -> bool:
        return self._task is not None

    def wait(self, timeout: float) -> bool:
        """Block until the run ended (tests and closing the app)."""
        task = self._task
        return task is None or task.wait(timeout)


def running(campaign_id: int) -> CampaignRun | None:
    """The run of this campaign in this process, if it is sending."""
    return CampaignRun._runs.get(campaign_id)


def start_campaign(
    campaign_id: int, account: Account, *, ssl_context: ssl.SSLContext | None = None
) -> CampaignRun:
    """Send a stored campaign in the background (or return the run already doing it)."""
    run = running(campaign_id)
    if run is None:
        run = CampaignRun(campaign_id, account, ssl_context=ssl_context)
        run.start()
    return run


def pause_all(timeout: float = 30.0) -> bool:
    """Pause every campaign sending in this process and wait for the messages in flight (the
    main window calls it when closing: a run left going would hold the thread pool, and the
    campaign resumes from where it stopped). False if one did not stop within ``timeout``."""
    runs = list(CampaignRun._runs.values())
    for run in runs:
        run.pause()
    return all(run.wait(timeout) for run in runs)


def _item(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setToolTip(tooltip or text)
    return item


def _local(stamp: str | None) -> str:
    """A stored UTC ISO stamp in the user's local time, to the minute."""
    if not stamp:
        return ""
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class CampaignsView(QWidget):
    """The campaigns table, the selected campaign's progress and controls, its results.

    Signals:
        selected(int): the campaign shown below the table (0: none).

    ``book``: where a resumed campaign's account is read; ``ssl_context`` (None: the system's
    CAs) what resumed runs connect with (tests trust their own server).
    """

    selected = Signal(int)

    def __init__(self, parent: QWidget | None = None, *, book: AccountBook | None = None) -> None:
        super().__init__(parent)
        self.book = book or AccountBook()
        self.ssl_context: ssl.SSLContext | None = None
        self.campaign_id = 0
        self._page = 0
        self._run: CampaignRun | None = None
        self._subject = ""
        # While a run is followed, the results page is read again now and then (the progress
        # signal only carries counts).
        self._live = QTimer(self)
        self._live.setInterval(1000)
        self._live.timeout.connect(lambda: self._show_page(self._page))

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            [
                _("Subject"),
                _("Status"),
                _("Created"),
                pgettext("column", "Sent"),
                pgettext("column", "Failed"),
            ]
        )
        self.table.setAccessibleName(_("Campaigns"))
        self.table.setToolTip(_("Every campaign, newest first; select one to follow it"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection)

        self.title = QLabel()
        self.title.setAccessibleName(_("Selected campaign"))
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName(_("Campaign progress"))
        self.progress_bar.setToolTip(_("Messages handled out of the recipients"))
        self.figures = QLabel()
        self.figures.setAccessibleName(_("Sent, failed, remaining, rate and time left"))
        self.figures.setWordWrap(True)
        self.status = QLabel()
        self.status.setAccessibleName(_("Campaign status"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.pause_button = QPushButton(_("&Pause"))
        self.pause_button.setAccessibleName(_("Pause the campaign"))
        self.pause_button.setToolTip(_("Stop after the messages in flight; resume later"))
        self.pause_button.clicked.connect(self.pause)
        self.resume_button = QPushButton(_("&Resume"))
        self.resume_button.setAccessibleName(_("Resume the campaign"))
        self.resume_button.setToolTip(_("Carry on sending to those not reached yet"))
        self.resume_button.clicked.connect(self.resume)
        self.cancel_button = QPushButton(_("Cancel &campaign"))
        self.cancel_button.setAccessibleName(_("Cancel the campaign"))
        self.cancel_button.setToolTip(_("Stop for good: no one still waiting will receive it"))
        self.cancel_button.clicked.connect(self.cancel)
        self.refresh_button = QPushButton(_("Re&fresh"))
        self.refresh_button.setAccessibleName(_("Refresh"))
        self.refresh_button.setToolTip(_("Read the campaigns again (F5)"))
        self.refresh_button.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.refresh_button.clicked.connect(self.refresh)
        self.report_button = QPushButton(_("Rep&ort…"))
        self.report_button.setAccessibleName(_("Campaign report"))
        self.report_button.setToolTip(
            _("Figures, bounces, complaints and unsubscribes, with charts")
        )
        self.report_button.clicked.connect(self.open_report)
        controls = QHBoxLayout()
        for button in (self.pause_button, self.resume_button, self.cancel_button):
            controls.addWidget(button)
        controls.addWidget(self.report_button)
        controls.addStretch(1)
        controls.addWidget(self.refresh_button)

        self.state_filter = QComboBox()
        self.state_filter.setAccessibleName(_("Show recipients"))
        self.state_filter.setToolTip(_("Show only the recipients in this state"))
        for state, label in _DELIVERY_STATES:
            self.state_filter.addItem(_(label), state)
        self.state_filter.currentIndexChanged.connect(lambda _i: self._show_page(0))
        self.previous_button = QPushButton(_("◀ Pre&vious"))
        self.previous_button.setAccessibleName(_("Previous page"))
        self.previous_button.setToolTip(_("The previous {n} recipients").format(n=PAGE_SIZE))
        self.previous_button.clicked.connect(lambda: self._show_page(self._page - 1))
        self.next_button = QPushButton(_("Ne&xt ▶"))
        self.next_button.setAccessibleName(_("Next page"))
        self.next_button.setToolTip(_("The next {n} recipients").format(n=PAGE_SIZE))
        self.next_button.clicked.connect(lambda: self._show_page(self._page + 1))
        self.page_label = QLabel()
        self.page_label.setAccessibleName(_("Page"))
        filters = QHBoxLayout()
        shown = QLabel(_("S&how:"))
        shown.setBuddy(self.state_filter)
        filters.addWidget(shown)
        filters.addWidget(self.state_filter)
        filters.addStretch(1)
        filters.addWidget(self.previous_button)
        filters.addWidget(self.page_label)
        filters.addWidget(self.next_button)

        self.results = QTableWidget(0, 4)
        self.results.setHorizontalHeaderLabels(
            [_("Recipient"), _("State"), _("Server reply"), _("Updated")]
        )
        self.results.setAccessibleName(_("Recipients"))
        self.results.setToolTip(_("What happened for each recipient, with the server's reply"))
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.verticalHeader().hide()
        self.results.setWordWrap(False)
        self.results.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        details = QWidget()
        lower = QVBoxLayout(details)
        lower.setContentsMargins(0, 0, 0, 0)
        lower.addWidget(self.title)
        lower.addWidget(self.progress_bar)
        lower.addWidget(self.figures)
        lower.addWidget(self.status)
        lower.addLayout(controls)
        lower.addLayout(filters)
        lower.addWidget(self.results, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(details)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.refresh()

    # ---------------------------------------------------------------------------------- reading

    def _store_call(self, method: str, *args: object, **kwargs: object) -> object:
        """One short read or state change on the campaign store (its own connection)."""
        from editor.contacts.store import ContactStore
        from editor.sending.campaigns import CampaignStore

        with ContactStore() as store:
            return getattr(CampaignStore(store.db), method)(*args, **kwargs)

    def refresh(self) -> None:
        """Read the campaigns again, keeping the selection."""
        from editor.sending.campaigns import Campaign, status_label

        keep = self.campaign_id
        listed = self._store_call("list")
        assert isinstance(listed, list)
        self.table.blockSignals(True)
        self.table.setRowCount(len(listed))
        row_of_keep = -1
        for row, campaign in enumerate(listed):
            assert isinstance(campaign, Campaign)
            n = campaign.counts
            subject = _item(campaign.subject or _("(no subject)"))
            subject.setData(Qt.ItemDataRole.UserRole, campaign.id)
            status = status_label(campaign.status)
            tip = pause_message(campaign.pause_reason) if campaign.pause_reason else status
            self.table.setItem(row, 0, subject)
            self.table.setItem(row, 1, _item(status, tip))
            self.table.setItem(row, 2, _item(_local(campaign.created)))
            self.table.setItem(row, 3, _item(f"{n.sent}/{n.recipients}"))
            self.table.setItem(row, 4, _item(str(n.failed)))
            if campaign.id == keep:
                row_of_keep = row
        if row_of_keep >= 0:
            self.table.selectRow(row_of_keep)
        self.table.blockSignals(False)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        if row_of_keep < 0 and listed:
            self.table.selectRow(0)  # shows the newest
        else:
            self._show_campaign(keep if row_of_keep >= 0 else 0)

    def show_campaign(self, campaign_id: int) -> None:
        """Select a campaign (e.g. the one the wizard just started)."""
        self.refresh()
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == campaign_id:
                self.table.selectRow(row)
                return

    def _on_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        self._show_campaign(int(item.data(Qt.ItemDataRole.UserRole)) if item else 0)

    def _show_campaign(self, campaign_id: int) -> None:
        from editor.sending.campaigns import Campaign

        if campaign_id != self.campaign_id:
            self._follow(None)
            self._page = 0
        self.campaign_id = campaign_id
        if not campaign_id:
            self.title.setText(_("No campaign yet: send one with Sending ▸ Send the Newsletter…"))
            for widget in (self.progress_bar, self.figures, self.status):
                widget.setVisible(False)
            self._set_buttons("")
            self.results.setRowCount(0)
            self.selected.emit(0)
            return
        for widget in (self.progress_bar, self.figures, self.status):
            widget.setVisible(True)
        campaign = self._store_call("get", campaign_id)
        assert isinstance(campaign, Campaign)
        self._subject = campaign.subject
        n = campaign.counts
        self._draw(
            Progress(
                campaign_id, campaign.status, n.sent, n.failed, n.unknown, n.remaining,
                n.skipped, 0.0, None, campaign.pause_reason,
            )
        )  # fmt: skip
        run = running(campaign_id)
        self._follow(run)
        if run is not None and run.last is not None:
            self._draw(run.last)
        self._set_buttons(campaign.status)
        self._show_page(self._page)
        self.selected.emit(campaign_id)

    def _follow(self, run: CampaignRun | None) -> None:
        """Listen to the live run of the selected campaign (and only to it)."""
        if self._run is run:
            return
        if self._run is not None:
            self._run.progress.disconnect(self._draw)
            self._run.ended.disconnect(self._on_run_ended)
            self._run.failed.disconnect(self._on_run_failed)
        self._run = run
        if run is not None:
            run.progress.connect(self._draw)
            run.ended.connect(self._on_run_ended)
            run.failed.connect(self._on_run_failed)
            self._live.start()
        else:
            self._live.stop()

    def _on_run_ended(self) -> None:
        self._follow(None)
        self.refresh()

    def _on_run_failed(self, message: str) -> None:
        self._show_status(message, _ERROR)

    def _draw(self, p: Progress) -> None:
        """Show a progress snapshot (from the database or the live run)."""
        from editor.sending.campaigns import status_label

        if p.campaign_id != self.campaign_id:
            return
        status = status_label(p.status)
        self.title.setText(_("“{subject}” — {status}").format(subject=self._subject, status=status))
        row = self.table.currentRow()
        if row >= 0 and self.table.item(row, 1) is not None:
            self.table.item(row, 1).setText(status)  # type: ignore[union-attr]
            self.table.item(row, 3).setText(f"{p.sent}/{p.total}")  # type: ignore[union-attr]
            self.table.item(row, 4).setText(str(p.failed))  # type: ignore[union-attr]
        done = p.sent + p.failed + p.unknown
        self.progress_bar.setRange(0, max(p.total, 1))
        self.progress_bar.setValue(done)
        parts = [
            _("{sent} sent").format(sent=p.sent),
            _("{failed} failed").format(failed=p.failed),
            _("{remaining} remaining").format(remaining=p.remaining),
        ]
        if p.unknown:
            parts.append(_("{unknown} unknown").format(unknown=p.unknown))
        if p.status == "sending" and p.rate > 0:
            parts.append(_("{rate:.1f} per second").format(rate=p.rate))
        if p.status == "sending" and p.eta is not None:
            parts.append(_("about {time} left").format(time=_duration(p.eta)))
        self.figures.setText(" · ".join(parts))
        if p.reason and p.status in ("paused", "waiting"):
            self._show_status(pause_message(p.reason), "" if p.reason == "user" else _ERROR)
        elif p.status == "done":
            self._show_status(_("Finished."), _OK)
        elif p.status == "sending":
            self._show_status(_("Sending…"), "")
        else:
            self._show_status("", "")

    def _show_status(self, text: str, color: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {color};" if color else "")

    def _set_buttons(self, status: str) -> None:
        live = self._run is not None
        self.report_button.setEnabled(bool(self.campaign_id))
        self.pause_button.setEnabled(live or status in ("scheduled", "waiting"))
        self.resume_button.setEnabled(
            not live and status in ("draft", "paused", "waiting", "scheduled", "sending")
        )
        self.cancel_button.setEnabled(
            live or status in ("draft", "scheduled", "paused", "waiting", "sending")
        )

    def _show_page(self, page: int) -> None:
        """One page of the per-recipient results, filtered by state."""
        from editor.sending.audience import reason_label

        if not self.campaign_id:
            return
        self._page = max(0, page)
        state = self.state_filter.currentData() or None
        rows = self._store_call(
            "deliveries",
            self.campaign_id,
            state=state,
            offset=self._page * PAGE_SIZE,
            limit=PAGE_SIZE + 1,
        )
        assert isinstance(rows, list)
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        labels = dict(_DELIVERY_STATES)
        self.results.setRowCount(len(rows))
        for row, d in enumerate(rows):
            who = f"{d.name} <{d.email}>" if d.name else d.email
            state_text = _(labels.get(d.state, d.state))
            reply = d.smtp_reply
            if d.state == "skipped" and d.skip_reason:
                reply = reason_label(d.skip_reason)
            elif d.smtp_code:
                reply = f"{d.smtp_code} {reply}".strip()
            self.results.setItem(row, 0, _item(who))
            self.results.setItem(row, 1, _item(state_text))
            self.results.setItem(row, 2, _item(reply))
            self.results.setItem(row, 3, _item(_local(d.updated_at)))
        self.results.resizeColumnToContents(0)
        self.results.resizeColumnToContents(1)
        self.results.resizeColumnToContents(3)
        self.previous_button.setEnabled(self._page > 0)
        self.next_button.setEnabled(more)
        self.page_label.setText(_("page {n}").format(n=self._page + 1))

    # ---------------------------------------------------------------------------------- actions

    def open_report(self) -> QWidget | None:
        """The selected campaign's report, in its own window."""
        if not self.campaign_id:
            return None
        from widgets.report_view import open_report

        return open_report(self.campaign_id)

    def pause(self) -> None:
        """Pause the selected campaign: the live run after its messages in flight, or a
        scheduled/waiting one at once."""
        if self._run is not None:
            self._run.pause()
            self._show_status(_("Pausing after the messages in flight…"), "")
            self.pause_button.setEnabled(False)
            return
        if self.campaign_id:
            self._change("pause", "user")

    def cancel(self) -> None:
        """Cancel the selected campaign for good, once the user confirmed."""
        if not self.campaign_id:
            return
        answer = QMessageBox.question(
            self,
            _("Cancel the campaign?"),
            _(
                "No one still waiting will receive this newsletter, and the campaign cannot "
                "be resumed. Those already sent are not affected."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._run is not None:
            self._run.cancel()
            self._show_status(_("Cancelling after the messages in flight…"), "")
            self._set_buttons("cancelled")
            self.pause_button.setEnabled(False)
            self.cancel_button.setEnabled(False)
            return
        self._change("cancel")

    def _change(self, method: str, *args: object) -> None:
        from editor.db import StoreError

        try:
            self._store_call(method, self.campaign_id, *args)
        except StoreError as exc:
            self._show_status(str(exc), _ERROR)
            return
        self.refresh()

    def resume(self) -> None:
        """Carry on sending the selected campaign in the background."""
        from editor.db import StoreError
        from editor.sending.accounts import AccountError
        from editor.sending.campaigns import Campaign

        if not self.campaign_id or self._run is not None:
            return
        try:
            before = self._store_call("get", self.campaign_id)
            assert isinstance(before, Campaign)
            resend = False
            if before.counts.unknown:
                answer = ask_resend_unknown(self, before.counts.unknown)
                if answer is None:
                    return
                resend = answer
            campaign = self._store_call("resume", self.campaign_id, resend_unknown=resend)
            assert isinstance(campaign, Campaign)
            account = self.book.get(campaign.account)
        except (StoreError, AccountError) as exc:
            self._show_status(str(exc), _ERROR)
            return
        if campaign.status == "done" and not campaign.counts.queued:
            self.refresh()
            return
        run = start_campaign(campaign.id, account, ssl_context=self.ssl_context)
        self._follow(run)
        self._set_buttons("sending")
        self._show_status(_("Sending…"), "")


def ask_resend_unknown(parent: QWidget, n: int) -> bool | None:
    """Whether Resume also resends the messages a crash left *unknown* (None: do not resume).

    They may or may not have arrived; the safe default sends only the rest.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Resume the campaign"))
    box.setText(
        ngettext(
            "{n} message was being sent when the campaign stopped: it may or may not have arrived.",
            "{n} messages were being sent when the campaign stopped: they may or may not have "
            "arrived.",
            n,
        ).format(n=n)
    )
    box.setInformativeText(
        _("Resending may give some people the newsletter twice; not resending may miss a few.")
    )
    rest = box.addButton(_("Send the &rest only"), QMessageBox.ButtonRole.AcceptRole)
    again = box.addButton(_("Resend &them too"), QMessageBox.ButtonRole.YesRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(rest)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is rest:
        return False
    if clicked is again:
        return True
    return None


class CampaignsDialog(QDialog):
    """The campaigns view in its own non-modal window (Sending ▸ Campaigns…)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        campaign_id: int = 0,
        book: AccountBook | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Campaigns"))
        self.view = CampaignsView(self, book=book)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(_("Close"))
        close.setToolTip(_("Close this window; campaigns go on sending"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(820, 620)
        if campaign_id:
            self.view.show_campaign(campaign_id)


class DueCampaigns(QObject):
    """Starts scheduled (and quota-waiting) campaigns when their time comes, while the app runs.

    The main window makes one and keeps it; it looks every ``interval_ms`` (a minute) and at
    once when asked (:meth:`check`). Campaigns already sending here are left alone; one whose
    account is gone is skipped and reported.

    Signals:
        started(int): a due campaign began sending (open the campaigns view on it, or not).
        failed(int, str): a due campaign could not start, in a sentence.
    """

    started = Signal(int)
    failed = Signal(int, str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        book: AccountBook | None = None,
        interval_ms: int = 60_000,
    ) -> None:
        super().__init__(parent)
        self.book = book or AccountBook()
        self.ssl_context: ssl.SSLContext | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> list[int]:
        """Start every due campaign not already running here; their ids."""
        from editor.contacts.store import ContactStore
        from editor.db import StoreError
        from editor.sending.accounts import AccountError
        from editor.sending.campaigns import CampaignStore

        out: list[int] = []
        try:
            with ContactStore() as store:
                campaigns = CampaignStore(store.db)
                due = [(cid, campaigns.get(cid).account) for cid in campaigns.due()]
        except StoreError:
            return out
        for campaign_id, name in due:
            if running(campaign_id) is not None:
                continue
            try:
                account = self.book.get(name)
            except AccountError as exc:
                self.failed.emit(campaign_id, str(exc))
                continue
            run = start_campaign(campaign_id, account, ssl_context=self.ssl_context)
            run.failed.connect(lambda message, cid=campaign_id: self.failed.emit(cid, message))
            out.append(campaign_id)
            self.started.emit(campaign_id)
        return out
