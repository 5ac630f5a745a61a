"""Checking a mailbox: the sync, then the subscription confirmations, then « last checked ».

:func:`check_mailbox` is what the CLI (``bulletin inbox sync``), the « Check now » dialog and the
periodic check run: :func:`~editor.inbox.imap_sync.sync_mailbox`, then
:func:`~editor.inbox.confirm_send.send_confirmations` over one SMTP connection, and records in
``mailbox_checks`` when the mailbox was checked and how it went (counts, or the failure's kind),
worded only when shown (:meth:`LastCheck.describe`), in the language of that moment.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from editor.contacts.model import iso_utc
from editor.i18n import _, ngettext
from editor.inbox import imap_sync
from editor.inbox.batch import Cancelled, Progress
from editor.inbox.confirm_send import SendReport, send_confirmations
from editor.inbox.imap_connect import ImapDiagnosis, ImapFailure
from editor.inbox.imap_sync import SyncResult

if TYPE_CHECKING:
    import sqlite3
    from pathlib import Path

    from editor.contacts.store import ContactStore
    from editor.inbox.mail_import import ImportResult
    from editor.inbox.mailboxes import Mailbox
    from editor.sending.accounts import Account

__all__ = [
    "CheckResult",
    "LastCheck",
    "check_mailbox",
    "forget_check",
    "last_check",
    "last_checks",
    "record_check",
    "rename_mailbox",
]


@dataclass
class CheckResult:
    """A sync's result and the confirmations sent after it."""

    sync: SyncResult
    confirmations: SendReport

    @property
    def noteworthy(self) -> bool:
        """Something the user may want to hear about (a periodic check stays silent else)."""
        tally = self.sync.tally
        return bool(
            tally.changed or tally.unrecognised or self.confirmations.sent or self.sync.unmarked
        )


@dataclass(frozen=True)
class LastCheck:
    """When a mailbox was last checked and how it went (a row of ``mailbox_checks``)."""

    mailbox: str
    at: str  # ISO UTC
    outcome: str  # ok, cancelled, failed
    counts: dict[str, int]
    error: str = ""  # an ImapFailure kind, or "other"
    detail: str = ""

    def when(self) -> str:
        """The time, local, to the minute."""
        try:
            moment = datetime.fromisoformat(self.at).astimezone()
        except ValueError:
            return self.at
        return moment.strftime("%Y-%m-%d %H:%M")

    def describe(self, mailbox: Mailbox | None = None) -> str:
        """One sentence: when, and what it found or why it failed."""
        when = self.when()
        if self.outcome == "failed":
            if mailbox is not None and self.error != "other":
                problem = str(
                    ImapDiagnosis(
                        False,
                        self.error,
                        mailbox.host,
                        mailbox.port,
                        mailbox.security,
                        mailbox.folder,
                        self.detail,
                    ).message
                )
            else:
                problem = self.detail or self.error
            return _("Last checked {when}: failed. {problem}").format(when=when, problem=problem)
        processed = self.counts.get("processed", 0)
        changed = self.counts.get("changed", 0)
        found = ngettext("{n} new message", "{n} new messages", processed).format(n=processed)
        contacts = ngettext("{n} contact changed", "{n} contacts changed", changed).format(
            n=changed
        )
        text = (
            _("Last checked {when} (cancelled): {found}, {contacts}.")
            if self.outcome == "cancelled"
            else _("Last checked {when}: {found}, {contacts}.")
        )
        return text.format(when=when, found=found, contacts=contacts)


def record_check(
    conn: sqlite3.Connection,
    mailbox: str,
    at: datetime,
    outcome: str,
    counts: dict[str, int] | None = None,
    error: str = "",
    detail: str = "",
) -> None:
    """Remember the mailbox's latest check (in a transaction of its own or the caller's)."""
    from editor.db import transaction

    with transaction(conn):
        conn.execute(
            "INSERT INTO mailbox_checks (mailbox, at, outcome, counts, error, detail)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (mailbox) DO UPDATE SET at = excluded.at,"
            " outcome = excluded.outcome, counts = excluded.counts, error = excluded.error,"
            " detail = excluded.detail",
            (mailbox, iso_utc(at), outcome, json.dumps(counts or {}), error, detail[:500]),
        )


def _row_to_check(row: tuple[str, str, str, str, str, str]) -> LastCheck:
    try:
        counts = json.loads(row[3])
        if not isinstance(counts, dict):
            counts = {}
    except ValueError:
        counts = {}
    clean = {str(k): int(v) for k, v in counts.items() if isinstance(v, int)}
    return LastCheck(row[0], row[1], row[2], clean, row[4], row[5])


def last_check(store: ContactStore, mailbox: str) -> LastCheck | None:
    row = store.connection.execute(
        "SELECT mailbox, at, outcome, counts, error, detail FROM mailbox_checks WHERE mailbox = ?",
        (mailbox,),
    ).fetchone()
    return _row_to_check(row) if row else None


def last_checks(store: ContactStore) -> dict[str, LastCheck]:
    """Every mailbox's last check, by name."""
    rows = store.connection.execute(
        "SELECT mailbox, at, outcome, counts, error, detail FROM mailbox_checks"
    ).fetchall()
    return {row[0]: _row_to_check(row) for row in rows}


def forget_check(conn: sqlite3.Connection, mailbox: str) -> None:
    """Drop a removed mailbox's last check and its unconfirmed subscription requests (nothing
    could send or receive their confirmation any more: keeping the addresses serves nothing)."""
    conn.execute("DELETE FROM mailbox_checks WHERE mailbox = ?", (mailbox,))
    conn.execute("DELETE FROM subscription_requests WHERE mailbox = ?", (mailbox,))


def rename_mailbox(conn: sqlite3.Connection, old: str, new: str) -> None:
    """A renamed mailbox keeps its last check and its waiting requests."""
    conn.execute("UPDATE mailbox_checks SET mailbox = ? WHERE mailbox = ?", (new, old))
    conn.execute("UPDATE subscription_requests SET mailbox = ? WHERE mailbox = ?", (new, old))


def _counts(result: CheckResult) -> dict[str, int]:
    data = result.sync.tally.to_json()
    counts = {k: v for k, v in data.items() if isinstance(v, int)}
    counts["changed"] = len(result.sync.tally.changed)
    counts["confirmations_sent"] = len(result.confirmations.sent)
    counts["confirmations_waiting"] = result.confirmations.waiting
    return counts


def check_mailbox(
    store: ContactStore,
    mailbox: Mailbox,
    password: str,
    *,
    ssl_context: ssl.SSLContext | None = None,
    account: Account | None = None,
    account_password: str | None = None,
    smtp_ssl_context: ssl.SSLContext | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CheckResult:
    """Sync ``mailbox``, send the confirmations its requests wait for (not after a cancel: they
    wait for the next check), and record the check. Raises what the sync raises (ImapFailure,
    StoreError), after recording the failure."""
    moment = now or datetime.now(UTC)
    try:
        synced = imap_sync.sync_mailbox(  # looked up at call time: tests may stand in for it
            store,
            mailbox,
            password,
            ssl_context=ssl_context,
            now=now,
            progress=progress,
            cancelled=cancelled,
        )
    except ImapFailure as failure:
        record_check(
            store.connection, mailbox.name, moment, "failed", None, failure.kind, failure.detail
        )
        raise
    except Exception as exc:
        record_check(store.connection, mailbox.name, moment, "failed", None, "other", str(exc))
        raise
    if synced.cancelled:
        report = SendReport(account=mailbox.account)
    else:
        try:
            report = send_confirmations(
                store,
                mailbox,
                account=account,
                password=account_password,
                ssl_context=smtp_ssl_context,
                now=now,
            )
        except Exception as exc:  # the sync's work is done and kept: the requests wait
            report = SendReport(account=mailbox.account, problem="other", detail=str(exc))
    result = CheckResult(synced, report)
    record_check(
        store.connection,
        mailbox.name,
        moment,
        "cancelled" if synced.cancelled else "ok",
        _counts(result),
    )
    return result


def import_file(
    store: ContactStore,
    path: Path,
    mailbox: Mailbox | None = None,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> tuple[ImportResult, SendReport | None]:
    """Import an mbox file or maildir (``inbox import``, Inbox ▸ Import a mailbox file), then,
    when it came from ``mailbox``, send the confirmations its requests wait for (not after a
    cancel: they wait for the next check or import). The report is None without a mailbox."""
    from editor.inbox.mail_import import import_messages

    result = import_messages(store, path, mailbox=mailbox, progress=progress, cancelled=cancelled)
    if mailbox is None or result.cancelled:
        return result, None
    return result, send_confirmations(store, mailbox)
