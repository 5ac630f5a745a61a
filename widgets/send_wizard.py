"""The send wizard: lists, account, schedule, summary, confirm — then the campaign is stored
and, when it goes now, sent in the background while the campaigns view follows it.

It mirrors ``bulletin send`` (:mod:`editor.sending.cli_send`): the newsletter is frozen (rendered
and inlined once) and the audience summarised on the thread pool, since a big list or a feed
block takes a moment; blocking findings (an unknown merge tag, nobody eligible) keep Finish
disabled and say why; the account's daily and monthly quotas are shown with a warning when the
campaign would exceed one (it is then spread over several days). The spam score is computed there
too, on the frozen rendering (:class:`widgets.spam_panel.SpamSummary`): critical spam findings
keep Finish disabled until the user ticks « Send anyway ». On Finish the connection is checked
(a campaign that goes now) and the campaign created, also off the UI thread; nothing is
stored when either fails. The frozen copy is what was summarised, so later edits to the document
do not change what is sent.
"""

from __future__ import annotations

import copy
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from editor.contacts.model import ListInfo
from editor.i18n import _, ngettext
from editor.package import BulletinFile
from editor.sending.accounts import Account, AccountBook, AccountError
from editor.sending.audience import AudienceSummary
from editor.sending.frozen import FrozenNewsletter
from editor.sending.quotas import QuotaPlan
from editor.spam.model import SpamReport
from widgets.background import BackgroundTask
from widgets.session import EditSession
from widgets.spam_panel import SpamSummary, spam_report

_ERROR = "#b91c1c"
_WARN = "#b45309"


@dataclass
class Preparation:
    """What the summary page computed off the UI thread."""

    frozen: FrozenNewsletter | None = None
    summary: AudienceSummary | None = None
    quota: QuotaPlan | None = None
    problems: list[str] = field(default_factory=list)  # blocking, in sentences
    spam: SpamReport | None = None

    @property
    def ok(self) -> bool:
        return self.frozen is not None and self.summary is not None and not self.problems


def _label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label


class _ListsPage(QWizardPage):
    def __init__(self, wizard: SendWizard) -> None:
        super().__init__()
        self.setTitle(_("Who receives it"))
        self.setSubTitle(_("Tick the lists to send to; someone on two lists gets it once."))
        self.lists = QListWidget()
        self.lists.setAccessibleName(_("Lists"))
        self.lists.setToolTip(_("The contact lists this newsletter goes to"))
        self.lists.itemChanged.connect(lambda _item: self.completeChanged.emit())
        self.empty = _label(name=_("Lists note"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.lists, 1)
        layout.addWidget(self.empty)
        self.load(wizard.list_infos)

    def load(self, infos: list[ListInfo]) -> None:
        self.lists.clear()
        for info in infos:
            text = ngettext("{name} ({n} member)", "{name} ({n} members)", info.count).format(
                name=info.name, n=info.count
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(_("Send to the list « {name} »").format(name=info.name))
            self.lists.addItem(item)
        self.empty.setText("" if infos else _("No list yet: import contacts into a list first."))
        self.empty.setVisible(not infos)

    def checked(self) -> list[str]:
        out = []
        for row in range(self.lists.count()):
            item = self.lists.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def isComplete(self) -> bool:
        return bool(self.checked())


class _AccountPage(QWizardPage):
    def __init__(self, wizard: SendWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Sent through"))
        self.setSubTitle(_("The account whose server sends the messages."))
        self.account = QComboBox()
        self.account.setAccessibleName(_("Sending account"))
        self.account.setToolTip(_("The SMTP account the campaign is sent through"))
        self.account.currentIndexChanged.connect(lambda _i: self.completeChanged.emit())
        self.accounts_button = QPushButton(_("&Accounts…"))
        self.accounts_button.setAccessibleName(_("Manage sending accounts"))
        self.accounts_button.setToolTip(_("Add or change sending accounts"))
        self.accounts_button.clicked.connect(self.manage_accounts)
        self.note = _label(name=_("Account note"))
        row = QHBoxLayout()
        row.addWidget(self.account, 1)
        row.addWidget(self.accounts_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.reload()

    def reload(self) -> None:
        current = self.account.currentData() or ""
        self.account.blockSignals(True)
        self.account.clear()
        try:
            accounts = self._wizard.book.list()
        except AccountError as exc:
            accounts = []
            self.note.setText(str(exc))
        for account in accounts:
            label = f"{account.name} — {account.from_email}" if account.from_email else account.name
            self.account.addItem(label, account.name)
        self.account.setCurrentIndex(max(self.account.findData(current), 0))
        self.account.blockSignals(False)
        if not accounts:
            self.note.setText(_("Add a sending account first (Accounts…)."))
        self.note.setVisible(not accounts or bool(self.note.text()))
        self.completeChanged.emit()

    def manage_accounts(self) -> None:
        from widgets.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(self, book=self._wizard.book)
        dialog.exec()
        dialog.deleteLater()
        self.note.clear()
        self.reload()

    def selected(self) -> Account | None:
        name = self.account.currentData()
        if not name:
            return None
        try:
            return self._wizard.book.get(str(name))
        except AccountError:
            return None

    def isComplete(self) -> bool:
        return self.selected() is not None


class _SchedulePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_("When"))
        self.setSubTitle(_("Send now, or at a date and time (Bulletin must be open then)."))
        self.now = QRadioButton(_("Send &now"))
        self.now.setAccessibleName(_("Send now"))
        self.now.setToolTip(_("Start sending as soon as you confirm"))
        self.later = QRadioButton(_("Send &at:"))
        self.later.setAccessibleName(_("Send at a date and time"))
        self.later.setToolTip(_("Schedule the campaign"))
        group = QButtonGroup(self)
        group.addButton(self.now)
        group.addButton(self.later)
        self.now.setChecked(True)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setAccessibleName(_("Date and time"))
        self.when.setToolTip(_("When the campaign starts (your local time)"))
        self.suggest = QPushButton(_("&Suggested time"))
        self.suggest.setAccessibleName(_("Use the suggested time"))
        self.suggest.setToolTip(_("The next Monday, Thursday or Friday evening (18–21 h)"))
        self.suggest.clicked.connect(self.use_suggestion)
        self.proposal = _label(name=_("Suggested time"))
        self.advice = _label(name=_("Advice"))
        self.advice.setStyleSheet(f"color: {_WARN};")
        for signal in (self.now.toggled, self.later.toggled):
            signal.connect(self._update)
        self.when.dateTimeChanged.connect(self._update)
        row = QHBoxLayout()
        row.addWidget(self.later)
        row.addWidget(self.when, 1)
        row.addWidget(self.suggest)
        layout = QVBoxLayout(self)
        layout.addWidget(self.now)
        layout.addLayout(row)
        layout.addWidget(self.proposal)
        layout.addWidget(self.advice)
        layout.addStretch(1)

    def initializePage(self) -> None:
        from editor.sending.schedule import next_good_slot

        slot = next_good_slot(datetime.now(UTC))
        self._slot = QDateTime.fromSecsSinceEpoch(int(slot.timestamp()))
        self.proposal.setText(
            _("Suggested: {when}, when newsletters are opened most.").format(
                when=slot.strftime("%Y-%m-%d %H:%M")
            )
        )
        if self.when.dateTime() < QDateTime.currentDateTime():
            self.when.setDateTime(self._slot)
        self._update()

    def use_suggestion(self) -> None:
        self.later.setChecked(True)
        self.when.setDateTime(self._slot)

    def scheduled_at(self) -> datetime | None:
        """The chosen moment (aware, UTC); None = now."""
        if self.now.isChecked():
            return None
        return datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), UTC)

    def _update(self) -> None:
        from editor.sending.schedule import advice, as_local

        self.when.setEnabled(self.later.isChecked())
        when = self.scheduled_at()
        moment = as_local(when if when is not None else datetime.now(UTC))
        self.advice.setText(advice(moment))
        self.advice.setVisible(bool(self.advice.text()))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        when = self.scheduled_at()
        return when is None or when > datetime.now(UTC)


class _SummaryPage(QWizardPage):
    def __init__(self, wizard: SendWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Summary"))
        self.setSubTitle(_("Who receives it, who is skipped and why, and the account's quotas."))
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName(_("Preparing"))
        self.busy.setToolTip(_("Rendering the newsletter and counting the recipients"))
        self.text = _label(name=_("Summary"))
        self.warnings = _label(name=_("Quota warnings"))
        self.warnings.setStyleSheet(f"color: {_WARN};")
        self.problems = _label(name=_("What blocks the send"))
        self.problems.setStyleSheet(f"color: {_ERROR};")
        self.spam = SpamSummary()
        self.spam.override.toggled.connect(lambda _on: self.completeChanged.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.busy)
        layout.addWidget(self.text)
        layout.addWidget(self.warnings)
        layout.addWidget(self.problems)
        layout.addWidget(self.spam)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.busy.show()
        self.text.setText(_("Preparing the summary…"))
        self.warnings.clear()
        self.problems.clear()
        self.spam.show_report(None)
        self._wizard.prepare()

    def show_result(self, prep: Preparation) -> None:
        self.busy.hide()
        lines = self._what(prep)
        if prep.summary is not None:
            lines += prep.summary.lines()
            if not prep.summary.skipped_total:
                lines.append(_("Nobody is skipped."))
        quota = prep.quota
        if quota is not None:
            u = quota.usage
            if u.daily_limit:
                daily = _("Daily quota: {used} used today of {limit}, this campaign adds {size}.")
                lines.append(daily.format(used=u.daily_used, limit=u.daily_limit, size=quota.size))
            if u.monthly_limit:
                monthly = _(
                    "Monthly quota: {used} used this month of {limit}, this campaign adds {size}."
                )
                lines.append(
                    monthly.format(used=u.monthly_used, limit=u.monthly_limit, size=quota.size)
                )
        self.text.setText("\n".join(lines))
        self.warnings.setText("\n".join(quota.warnings()) if quota is not None else "")
        self.warnings.setVisible(bool(self.warnings.text()))
        self.problems.setText("\n".join(prep.problems))
        self.problems.setVisible(bool(prep.problems))
        self.spam.show_report(prep.spam)
        self.completeChanged.emit()

    def _what(self, prep: Preparation) -> list[str]:
        """Subject and sender, as recipients will see them, then a blank line."""
        frozen, account = prep.frozen, self._wizard.account_page.selected()
        if frozen is None or account is None:
            return []
        name = account.from_name or frozen.sender_name
        sender = f"{name} <{account.from_email}>" if name else account.from_email
        return [
            _("Subject: {subject}").format(subject=frozen.subject),
            _("From: {sender}, through “{account}”").format(sender=sender, account=account.name),
            "",
        ]

    def isComplete(self) -> bool:
        prep = self._wizard.preparation
        return prep is not None and prep.ok and self.spam.cleared() and not self._wizard.is_busy()


class _ConfirmPage(QWizardPage):
    def __init__(self, wizard: SendWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Confirm"))
        self.setSubTitle(_("Check once more: a sent message cannot be called back."))
        self.setFinalPage(True)
        self.text = _label(name=_("What will happen"))
        self.status = _label(name=_("Status"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:
        w = self._wizard
        prep = w.preparation
        account = w.account_page.selected()
        n = prep.summary.recipients if prep is not None and prep.summary is not None else 0
        subject = prep.frozen.subject if prep is not None and prep.frozen is not None else ""
        when = w.schedule_page.scheduled_at()
        if when is None:
            text = ngettext(
                "“{subject}” will be sent now to {n} person through “{account}”.",
                "“{subject}” will be sent now to {n} people through “{account}”.",
                n,
            )
            w.setButtonText(QWizard.WizardButton.FinishButton, _("&Send"))
        else:
            text = ngettext(
                "“{subject}” will be sent on {when} to {n} person through “{account}”.",
                "“{subject}” will be sent on {when} to {n} people through “{account}”.",
                n,
            )
            w.setButtonText(QWizard.WizardButton.FinishButton, _("&Schedule"))
        self.text.setText(
            text.format(
                subject=subject,
                n=n,
                account=account.name if account is not None else "",
                when=when.astimezone().strftime("%Y-%m-%d %H:%M") if when else "",
            )
            + "\n\n"
            + _("Once started, the campaign can be paused or cancelled in Sending ▸ Campaigns.")
        )
        self.status.clear()

    def isComplete(self) -> bool:
        return not self._wizard.is_busy()


class SendWizard(QWizard):
    """Sends the session's newsletter as a campaign (see the module doc).

    Signals:
        campaign_created(int): the stored campaign's id (sent now or scheduled).

    ``book``: where the accounts are read (the profile's by default); ``document_path``: the
    ``.bulletin`` file, kept with the campaign (OpenDocument.path); ``ssl_context`` (None:
    the system's CAs) what the connection check and the run use (tests trust their server).
    After a "now" campaign, :attr:`campaigns_dialog` is the campaigns window following it.
    """

    campaign_created = Signal(int)

    def __init__(
        self,
        session: EditSession,
        parent: QWidget | None = None,
        *,
        book: AccountBook | None = None,
        document_path: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Send the Newsletter"))
        self.document_path = document_path
        self.session = session
        self.book = book or AccountBook()
        self.ssl_context: ssl.SSLContext | None = None
        self.preparation: Preparation | None = None
        self.campaign_id = 0
        self.campaigns_dialog: QWidget | None = None
        self._task: BackgroundTask | None = None
        self._generation = 0
        self.list_infos = self._read_lists()

        self.lists_page = _ListsPage(self)
        self.account_page = _AccountPage(self)
        self.schedule_page = _SchedulePage()
        self.summary_page = _SummaryPage(self)
        self.confirm_page = _ConfirmPage(self)
        for page in (
            self.lists_page,
            self.account_page,
            self.schedule_page,
            self.summary_page,
            self.confirm_page,
        ):
            self.addPage(page)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        for which, name in (
            (QWizard.WizardButton.NextButton, _("Next step")),
            (QWizard.WizardButton.BackButton, _("Previous step")),
            (QWizard.WizardButton.FinishButton, _("Send or schedule the campaign")),
            (QWizard.WizardButton.CancelButton, _("Close without sending")),
        ):
            button = self.button(which)
            button.setAccessibleName(name)
            button.setToolTip(name)
        self.resize(600, 460)

    @staticmethod
    def _read_lists() -> list[ListInfo]:
        from editor.contacts.store import ContactStore

        with ContactStore() as store:
            return store.lists()

    def is_busy(self) -> bool:
        return self._task is not None

    def _set_task(self, task: BackgroundTask | None) -> None:
        self._task = task
        for page in (self.summary_page, self.confirm_page):
            page.completeChanged.emit()

    # ---------------------------------------------------------------------------- preparation

    def prepare(self) -> None:
        """Freeze the newsletter and summarise the audience off the UI thread."""
        self._generation += 1
        generation = self._generation
        self.preparation = None
        # A copy: the user may go on editing while it is rendered on another thread.
        file = BulletinFile(
            copy.deepcopy(self.session.file.newsletter), dict(self.session.file.images)
        )
        feeds = self.session.feeds
        lists = self.lists_page.checked()
        account = self.account_page.selected()

        def work() -> tuple[int, Preparation]:
            return generation, _prepare(file, feeds, lists, account)

        task = BackgroundTask(work)
        task.succeeded.connect(self._on_prepared)
        task.failed.connect(
            lambda error: self._on_prepared((generation, Preparation(problems=[str(error)])))
        )
        task.finished.connect(lambda: self._set_task(None) if self._task is task else None)
        self._set_task(task)
        task.start()

    def _on_prepared(self, result: tuple[int, Preparation]) -> None:
        generation, prep = result
        if generation != self._generation:
            return  # the user went back and changed something meanwhile
        self.preparation = prep
        self._set_task(None)
        self.summary_page.show_result(prep)

    # ------------------------------------------------------------------------------- finishing

    def accept(self) -> None:
        """Check the server (now), store the campaign — off the UI thread — then close."""
        prep = self.preparation
        account = self.account_page.selected()
        if self.is_busy() or prep is None or not prep.ok or account is None:
            return
        if not self.summary_page.spam.cleared():
            return
        frozen = prep.frozen
        assert frozen is not None
        lists = self.lists_page.checked()
        when = self.schedule_page.scheduled_at()
        document = self.document_path
        context = self.ssl_context

        def work() -> int:
            from editor.contacts.store import ContactStore
            from editor.sending.campaigns import CampaignStore

            if when is None:
                from editor.sending.connect import test_connection
                from editor.sending.secrets import get_password

                password = get_password(account.name) if account.username else None
                diagnosis = test_connection(account, password, ssl_context=context)
                if not diagnosis.ok:
                    raise RuntimeError(str(diagnosis))
            with ContactStore() as store:
                campaign = CampaignStore(store.db).create(
                    frozen, lists=lists, account=account.name, scheduled_at=when, document=document
                )
            return campaign.id

        self.confirm_page.status.setStyleSheet("")
        self.confirm_page.status.setText(
            _("Checking the server…") if when is None else _("Saving the campaign…")
        )
        task = BackgroundTask(work)
        task.succeeded.connect(lambda campaign_id: self._on_created(campaign_id, account, when))
        task.failed.connect(self._on_create_failed)
        task.finished.connect(lambda: self._set_task(None) if self._task is task else None)
        self._set_task(task)
        task.start()

    def _on_created(self, campaign_id: int, account: Account, when: datetime | None) -> None:
        from widgets.campaigns_view import CampaignsDialog, start_campaign

        self.campaign_id = campaign_id
        self._set_task(None)
        if when is None:
            start_campaign(campaign_id, account, ssl_context=self.ssl_context)
            dialog = CampaignsDialog(self.parentWidget(), campaign_id=campaign_id, book=self.book)
            dialog.view.ssl_context = self.ssl_context
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.show()
            self.campaigns_dialog = dialog
        self.campaign_created.emit(campaign_id)
        super().accept()

    def _on_create_failed(self, error: BaseException) -> None:
        self._set_task(None)
        self.confirm_page.status.setStyleSheet(f"color: {_ERROR};")
        self.confirm_page.status.setText(str(error))

    def done(self, result: int) -> None:
        if self._task is not None:
            self._task.wait(1)  # a preparation's result is dropped with the wizard
        super().done(result)


def _prepare(
    file: BulletinFile, feeds: object, lists: list[str], account: Account | None
) -> Preparation:
    """Freeze, summarise, score and weigh the quotas, as ``bulletin send`` does (worker
    thread)."""
    from editor.contacts.store import ContactStore
    from editor.findings import message
    from editor.merge import MergeTagError
    from editor.sending.audience import required_fields
    from editor.sending.campaigns import CampaignStore
    from editor.sending.frozen import FrozenError, freeze
    from editor.sending.quotas import plan, usage

    try:
        frozen = freeze(file, feeds)  # type: ignore[arg-type]
    except (FrozenError, MergeTagError) as exc:
        return Preparation(problems=[str(exc)])
    prep = Preparation(frozen=frozen)
    prep.spam = spam_report(file, frozen.rendered, account.host if account else None)
    prep.problems += [message(f) for f in frozen.blocking()]
    with ContactStore() as store:
        campaigns = CampaignStore(store.db)
        summary = campaigns.preview(lists, sorted(required_fields(frozen)))
        prep.summary = summary
        if summary.blocked:
            prep.problems += [message(f) for f in summary.findings]
        if summary.recipients == 0:
            prep.problems.append(
                _("No eligible recipient in {lists}: nobody would receive it.").format(
                    lists=", ".join(f"« {n} »" for n in summary.lists)
                )
            )
        if account is not None:
            now = datetime.now(UTC)
            prep.quota = plan(
                usage(store.db, account.name, account.daily_quota, account.monthly_quota, now),
                summary.recipients,
            )
    return prep
