"""Sending the queued subscription confirmations after a sync or an import.

Through the sending account the mailbox belongs to, over one SMTP connection
(:func:`editor.sending.connect.open_connection`), at most :data:`MAX_PER_SYNC` per run (the
rest wait for the next one). Never twice: before a confirmation is handed to the server its
row becomes ``sending`` with the Message-ID and wording it carries, in its own transaction; it
becomes ``sent`` once the server accepted it. A refusal the server states (a 4xx/5xx reply, a
connection that could not be opened) puts it back in the queue for the next sync; a connection
lost while the message was being transmitted counts it as sent (it may have arrived: never sent
twice), and its token stays valid until the request expires. A crash between the two steps
leaves it ``sending``: never sent again either. An address the server refused
:data:`MAX_ATTEMPTS` times is given up (the request is deleted).

No account, an account that no longer exists or a keychain without its password: nothing is
sent, the requests wait, and the report says why (:attr:`SendReport.problem`).
"""

from __future__ import annotations

import smtplib
import ssl
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from editor.contacts.model import iso_utc
from editor.i18n import _, ngettext
from editor.inbox.subscribe_mail import compose, make_confirmation_id
from editor.inbox.subscriptions import RESEND_AFTER, PendingRequest, pending_requests

if TYPE_CHECKING:
    from editor.contacts.store import ContactStore
    from editor.inbox.mailboxes import Mailbox
    from editor.sending.accounts import Account

__all__ = ["MAX_ATTEMPTS", "MAX_PER_SYNC", "SendReport", "send_confirmations"]

MAX_PER_SYNC = 20  # confirmations sent per sync at most: a flood of forged requests is slowed
MAX_ATTEMPTS = 3  # refusals of one address before its request is given up


@dataclass
class SendReport:
    """What sending the confirmations did.

    ``sent``: the addresses a confirmation went to; ``waiting``: requests of the mailbox still
    queued afterwards; ``problem``: why nothing (more) could be sent — ``no_account``,
    ``account_missing``, ``keychain`` or an SMTP failure kind — with ``detail``; '' when fine.
    """

    sent: list[str] = field(default_factory=list)
    failed: int = 0
    uncertain: int = 0
    given_up: int = 0
    waiting: int = 0
    problem: str = ""
    detail: str = ""
    account: str = ""

    def lines(self) -> list[str]:
        """The report in words (nothing when there was nothing to send)."""
        lines: list[str] = []
        if self.sent:
            lines.append(
                ngettext(
                    "{n} subscription confirmation sent.",
                    "{n} subscription confirmations sent.",
                    len(self.sent),
                ).format(n=len(self.sent))
            )
        if self.uncertain:
            lines.append(
                ngettext(
                    "{n} confirmation may not have arrived (the connection was lost while "
                    "sending it); it is not sent again.",
                    "{n} confirmations may not have arrived (the connection was lost while "
                    "sending them); they are not sent again.",
                    self.uncertain,
                ).format(n=self.uncertain)
            )
        if self.waiting:
            why = self.why()
            text = ngettext(
                "{n} subscription request waits for its confirmation email.",
                "{n} subscription requests wait for their confirmation email.",
                self.waiting,
            ).format(n=self.waiting)
            lines.append(f"{text} {why}".strip())
        return lines

    def why(self) -> str:
        texts = {
            "no_account": _(
                "This mailbox has no sending account: choose one in Inbox ▸ Mailboxes so the "
                "confirmations can be sent."
            ),
            "account_missing": _(
                'The sending account "{account}" of this mailbox does not exist any more: '
                "choose another one in Inbox ▸ Mailboxes."
            ),
            "keychain": "{detail}",
        }
        if not self.problem:
            return _("They are sent at the next check.")
        text = texts.get(
            self.problem,
            _(
                "The sending account could not send them ({detail}); they are sent at the next "
                "check."
            ),
        )
        return text.format(account=self.account, detail=self.detail or self.problem)


def _queued(store: ContactStore, mailbox: str, now: datetime) -> list[PendingRequest]:
    stamp = iso_utc(now)
    return [
        r for r in pending_requests(store, mailbox) if r.state == "queued" and r.expires_at > stamp
    ]


def send_confirmations(
    store: ContactStore,
    mailbox: Mailbox,
    *,
    account: Account | None = None,
    password: str | None = None,
    ssl_context: ssl.SSLContext | None = None,
    now: datetime | None = None,
    limit: int = MAX_PER_SYNC,
) -> SendReport:
    """Send the mailbox's queued confirmations (see the module doc). ``account`` and
    ``password``: looked up (accounts file, keychain) when not given."""
    from editor.sending.accounts import AccountBook, AccountError
    from editor.sending.secrets import KeychainError, get_password

    moment = now or datetime.now(UTC)
    report = SendReport(account=mailbox.account)
    queue = _queued(store, mailbox.name, moment)
    if not queue:
        return report
    report.waiting = len(queue)
    if account is None:
        if not mailbox.account:
            report.problem = "no_account"
            return report
        try:
            account = AccountBook().get(mailbox.account)
        except AccountError as exc:
            report.problem, report.detail = "account_missing", str(exc)
            return report
    if password is None and account.username:
        try:
            password = get_password(account.name)
        except KeychainError as exc:
            report.problem, report.detail = "keychain", str(exc)
            return report
    _send(store, account, password, queue[:limit], report, ssl_context, moment)
    report.waiting = len(_queued(store, mailbox.name, moment))
    return report


def _send(
    store: ContactStore,
    account: Account,
    password: str | None,
    queue: list[PendingRequest],
    report: SendReport,
    ssl_context: ssl.SSLContext | None,
    now: datetime,
) -> None:
    from editor.sending.connect import (
        SmtpFailure,
        close_quietly,
        failure_from,
        open_connection,
        quit_quietly,
    )

    smtp: smtplib.SMTP | None = None
    domain = account.from_email.rpartition("@")[2]
    try:
        for request in queue:
            if not _still_wanted(store, request, now):
                continue
            try:
                confirmation = compose(
                    to=request.email,
                    from_email=account.from_email,
                    from_name=account.from_name,
                    token=request.token,
                    language=request.language,
                    list_name=request.list_name,
                    message_id=make_confirmation_id(domain),
                    date=now,
                    in_reply_to=request.request_message_id,
                    measurement=bool(request.measurement),
                    subscribed=_subscribed(store, request),
                )
            except ValueError:  # an address no header can carry: give the request up
                _delete(store, request)
                report.given_up += 1
                continue
            if smtp is None:
                try:
                    smtp = open_connection(account, password, ssl_context=ssl_context)
                except SmtpFailure as refused_login:
                    report.problem, report.detail = refused_login.kind, refused_login.reply
                    return
            if not _mark_sending(store, request, confirmation.message_id, confirmation.wording):
                continue
            try:
                _transmit(smtp, account.sender, request.email, confirmation.raw)
            except _Refused as refused:
                report.failed += 1
                if _requeue(store, request, refused.text):
                    report.given_up += 1
                with suppress(smtplib.SMTPException, OSError):
                    smtp.rset()
                if refused.stop:
                    report.problem, report.detail = "sender_refused", refused.text
                    return
                continue
            except Exception as exc:  # lost while transmitting: it may have arrived
                lost = failure_from(exc)
                _mark_sent(store, request, now)
                report.uncertain += 1
                report.problem, report.detail = lost.kind, lost.reply
                close_quietly(smtp)
                smtp = None
                return
            _mark_sent(store, request, now)
            report.sent.append(request.email)
    finally:
        if smtp is not None:
            quit_quietly(smtp)


class _Refused(Exception):
    """The server answered no (nothing was delivered); ``stop``: no other address can go."""

    def __init__(self, text: str, stop: bool = False) -> None:
        super().__init__(text)
        self.text = text
        self.stop = stop


def _transmit(smtp: smtplib.SMTP, sender: str, to: str, raw: bytes) -> None:
    """MAIL, RCPT and DATA one step at a time, so a refusal is told apart from a connection
    lost during DATA (where the message may have been delivered)."""

    def reply(code: int, text: bytes) -> str:
        return f"{code} {text.decode('utf-8', 'replace')}"

    try:
        code, text = smtp.mail(sender)
        if code != 250:
            raise _Refused(reply(code, text), stop=True)
        code, text = smtp.rcpt(to)
        if code not in (250, 251):
            raise _Refused(reply(code, text))
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _Refused(str(exc), stop=True) from None
    code, text = smtp.data(raw)
    if code != 250:
        raise _Refused(reply(code, text))


def _subscribed(store: ContactStore, request: PendingRequest) -> bool:
    contact = store.get(request.email)
    return contact is not None and contact.status == "subscribed"


def _still_wanted(store: ContactStore, request: PendingRequest, now: datetime) -> bool:
    """Checked again just before sending: a contact subscribed meanwhile (unless the request
    asks a subscriber about measurement, not given yet), a complaint, or a confirmation sent
    less than a day ago means no confirmation now."""
    from editor.tracking.consent import record

    held = store.suppression_info(request.email)
    recent = request.confirm_sent_at is not None and datetime.fromisoformat(
        request.confirm_sent_at
    ) > (now - RESEND_AFTER)
    if _subscribed(store, request):
        given = record(store.db, request.email)
        wanted = bool(request.measurement) and not (given is not None and given.active)
    else:
        wanted = not (held is not None and held[0] == "complained")
    if not wanted:
        _delete(store, request)
        return False
    return not recent


def _mark_sending(store: ContactStore, request: PendingRequest, message_id: str, text: str) -> bool:
    with store.db.transaction() as conn:
        return (
            conn.execute(
                "UPDATE subscription_requests SET state = 'sending', confirm_message_id = ?,"
                " confirm_wording = ? WHERE id = ? AND state = 'queued'",
                (message_id, text, request.id),
            ).rowcount
            == 1
        )


def _mark_sent(store: ContactStore, request: PendingRequest, now: datetime) -> None:
    with store.db.transaction() as conn:
        conn.execute(
            "UPDATE subscription_requests SET state = 'sent', confirm_sent_at = ?,"
            " last_error = '' WHERE id = ?",
            (iso_utc(now), request.id),
        )


def _requeue(store: ContactStore, request: PendingRequest, error: str) -> bool:
    """Back in the queue after a refusal; True when given up (deleted) instead."""
    with store.db.transaction() as conn:
        if request.attempts + 1 >= MAX_ATTEMPTS:
            conn.execute("DELETE FROM subscription_requests WHERE id = ?", (request.id,))
            return True
        # The proof stays the one of the confirmation last sent (if any), not the refused one.
        conn.execute(
            "UPDATE subscription_requests SET state = 'queued', attempts = attempts + 1,"
            " last_error = ?, confirm_message_id = ?, confirm_wording = ? WHERE id = ?",
            (error[:500], request.confirm_message_id, request.confirm_wording, request.id),
        )
        return False


def _delete(store: ContactStore, request: PendingRequest) -> None:
    with store.db.transaction() as conn:
        conn.execute("DELETE FROM subscription_requests WHERE id = ?", (request.id,))
