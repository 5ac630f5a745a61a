"""``bulletin send``, ``resume``, ``campaigns`` and ``run-due``: campaigns from the command line.

``send`` shows the summary (who receives it, who is skipped and why, quota warnings) on stderr,
asks for confirmation unless ``--yes`` (and refuses to guess when nobody can answer: without a
terminal, ``--yes`` is required), checks the connection, stores the campaign, prints its id on
stdout at once (so a script has it even if the process is killed), then sends in the
foreground with a progress bar on stderr. ``--at`` in the future stores the campaign as
scheduled and exits; ``run-due`` (from cron or the Task Scheduler) sends it when due.

**Ctrl+C pauses cleanly**: the messages in flight finish, the campaign is ``paused``, and the
command exits with status **130** (the shell's convention for "interrupted by SIGINT"), so a
script can tell a pause from a finished campaign. ``bulletin resume ID`` carries on.

Exit status: 0 done (or scheduled, or waiting for tomorrow's quota), 2 an error in plain words
(unknown account, unreachable server, locked keychain, no eligible recipient, authentication
refused while sending), 130 paused by Ctrl+C.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from editor.cli_errors import CliError
from editor.i18n import _, ngettext

if TYPE_CHECKING:
    from editor.contacts.store import ContactStore
    from editor.sending.accounts import Account
    from editor.sending.campaigns import CampaignStore
    from editor.sending.runner import Progress

EXIT_INTERRUPTED = 130


def add_parsers(sub: Any) -> None:
    """Register ``send``, ``resume``, ``campaigns`` and ``run-due`` on the main subparsers."""
    p = sub.add_parser("send", help=_("send a newsletter to lists"))
    p.add_argument("doc", metavar="DOC.bulletin", type=Path)
    p.add_argument(
        "--list",
        dest="lists",
        action="append",
        required=True,
        metavar="NAME",
        help=_("a list to send to; repeatable"),
    )
    p.add_argument("--account", required=True, metavar="NAME")
    p.add_argument(
        "--at",
        metavar="ISO-8601",
        help=_("send later, e.g. 2026-03-02T18:30 (local time)"),
    )
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    p.add_argument("--json", action="store_true", help=_("print the outcome as JSON"))
    p.set_defaults(func=cmd_send)

    p = sub.add_parser("resume", help=_("carry on sending a paused campaign"))
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument(
        "--resend-unknown",
        action="store_true",
        help=_("also resend the messages whose delivery is unknown (they may arrive twice)"),
    )
    p.add_argument("--json", action="store_true", help=_("print the outcome as JSON"))
    p.set_defaults(func=cmd_resume)

    p = sub.add_parser("campaigns", help=_("show campaigns, newest first"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_campaigns)

    p = sub.add_parser("run-due", help=_("send the campaigns whose time has come"))
    p.set_defaults(func=cmd_run_due)


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


# ------------------------------------------------------------------------------------ helpers


def _account(name: str) -> Account:
    from editor.sending.accounts import AccountBook, AccountError

    try:
        return AccountBook().get(name)
    except AccountError as exc:
        raise CliError(str(exc)) from None


def _password(account: Account) -> str | None:
    from editor.sending.secrets import KeychainError, get_password

    if not account.username:
        return None
    try:
        return get_password(account.name)
    except KeychainError as exc:
        raise CliError(str(exc)) from None


def _check_server(account: Account, password: str | None) -> None:
    """Fail early, before anything is stored, when the server cannot be used."""
    from editor.sending.connect import test_connection

    diagnosis = test_connection(account, password)
    if not diagnosis.ok:
        raise CliError(str(diagnosis))


@contextmanager
def _open() -> Iterator[tuple[ContactStore, CampaignStore]]:
    from editor.contacts.store import ContactStore
    from editor.sending.campaigns import CampaignStore

    with ContactStore() as store:
        yield store, CampaignStore(store.db)


class _Bar:
    """A one-line progress bar on stderr (redrawn on a terminal, a line every 10 s else)."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        if not self.tty and now - self._last < 10 and p.status == "sending":
            return
        self._last = now
        done = p.sent + p.failed + p.unknown
        total = max(p.total, 1)
        width = 30
        filled = int(width * done / total)
        eta = ""
        if p.eta is not None:
            minutes, seconds = divmod(int(p.eta), 60)
            eta = " " + _("ETA {m}:{s:02d}").format(m=minutes, s=seconds)
        line = _(
            "[{bar}] {done}/{total} — {sent} sent, {failed} failed, {unknown} unknown, "
            "{rate:.1f}/s{eta}"
        ).format(
            bar="#" * filled + " " * (width - filled),
            done=done,
            total=p.total,
            sent=p.sent,
            failed=p.failed,
            unknown=p.unknown,
            rate=p.rate,
            eta=eta,
        )
        sys.stderr.write(("\r" + line) if self.tty else (line + "\n"))
        sys.stderr.flush()

    def end(self) -> None:
        if self.tty:
            sys.stderr.write("\n")


def _run(
    campaigns: CampaignStore, campaign_id: int, account: Account, password: str | None
) -> Progress:
    """Run in the foreground; Ctrl+C pauses after the messages in flight."""
    from editor.sending.runner import CampaignRunner

    bar = _Bar()
    runner = CampaignRunner(campaigns, campaign_id, account, password, progress=bar)

    def on_sigint(_signum: int, _frame: FrameType | None) -> None:
        _err("\n" + _("Pausing after the messages in flight…"))
        runner.pause()

    previous: Callable[[int, FrameType | None], Any] | int | None = None
    try:
        previous = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread (tests call run() from a thread)
        previous = None
    try:
        return runner.run()
    finally:
        bar.end()
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _outcome(p: Progress, as_json: bool) -> int:
    """Report the end of a run; the exit status (see the module doc)."""
    from editor.sending.runner import pause_message

    _err(
        _("{sent} sent, {failed} failed, {unknown} unknown, {remaining} left.").format(
            sent=p.sent, failed=p.failed, unknown=p.unknown, remaining=p.remaining
        )
    )
    if as_json:
        print(
            json.dumps(
                {
                    "id": p.campaign_id,
                    "status": p.status,
                    "reason": p.reason,
                    "sent": p.sent,
                    "failed": p.failed,
                    "unknown": p.unknown,
                    "remaining": p.remaining,
                }
            )
        )
    if p.unknown:
        _err(
            ngettext(
                "{n} message may or may not have left (connection lost): "
                "bulletin resume {id} --resend-unknown sends it again.",
                "{n} messages may or may not have left (connection lost): "
                "bulletin resume {id} --resend-unknown sends them again.",
                p.unknown,
            ).format(n=p.unknown, id=p.campaign_id)
        )
    if p.status == "paused":
        if p.reason == "user":
            _err(_("Paused. Carry on with: bulletin resume {id}").format(id=p.campaign_id))
            return EXIT_INTERRUPTED
        raise CliError(pause_message(p.reason))
    if p.status == "waiting":
        _err(
            _(
                "The account's quota is used up: the rest goes when it allows "
                "(bulletin run-due, or Bulletin left open)."
            )
        )
    return 0


# ----------------------------------------------------------------------------------- commands


def cmd_send(args: argparse.Namespace) -> int:
    from editor.package import load
    from editor.sending.audience import required_fields
    from editor.sending.frozen import FrozenError, freeze
    from editor.sending.quotas import plan, usage
    from editor.sending.schedule import advice, parse_when

    account = _account(args.account)
    when: datetime | None = None
    if args.at:
        try:
            when = parse_when(args.at)
        except ValueError as exc:
            raise CliError(str(exc)) from None
    doc = load(args.doc)
    from editor.feeds import FeedCache

    try:
        frozen = freeze(doc, FeedCache())
    except FrozenError as exc:
        raise CliError(str(exc)) from None
    blocking = frozen.blocking()
    if blocking:
        from editor.findings import message

        raise CliError(" ".join(message(f) for f in blocking))
    with _open() as (_store, campaigns):
        summary = campaigns.preview(args.lists, sorted(required_fields(frozen)))
        if summary.blocked:
            from editor.findings import message

            raise CliError(" ".join(message(f) for f in summary.findings))
        if summary.recipients == 0:
            raise CliError(
                _("No eligible recipient in {lists}: nobody would receive it.").format(
                    lists=", ".join(f"« {n} »" for n in summary.lists)
                )
            )
        _err(
            _('"{subject}" to {lists}, through "{account}".').format(
                subject=frozen.subject, lists=", ".join(summary.lists), account=account.name
            )
        )
        for line in summary.lines():
            _err("  " + line)
        now = datetime.now(UTC)
        quota = plan(
            usage(campaigns.db, account.name, account.daily_quota, account.monthly_quota, now),
            summary.recipients,
        )
        for line in quota.warnings():
            _err("  " + line)
        later = when is not None and when > now
        if later and when is not None:
            _err("  " + _("Scheduled for {when}.").format(when=when.strftime("%Y-%m-%d %H:%M")))
            tip = advice(when)
            if tip:
                _err("  " + tip)
        if not args.yes:
            if not sys.stdin.isatty():
                raise CliError(_("Add --yes to send without being asked (no terminal to confirm)."))
            sys.stderr.write(_("Send it? [y/N] "))
            sys.stderr.flush()
            answer = sys.stdin.readline().strip().lower()
            if answer not in ("y", "yes", "o", "oui"):
                _err(_("Nothing sent."))
                return 1
        password = _password(account)
        if not later:
            _check_server(account, password)
        campaign = campaigns.create(
            frozen,
            lists=args.lists,
            account=account.name,
            scheduled_at=when if later else None,
            document=str(Path(args.doc).resolve()),
        )
        if not args.json or later:
            print(
                json.dumps({"id": campaign.id, "status": campaign.status})
                if args.json
                else campaign.id
            )
            sys.stdout.flush()
        if later:
            return 0
        return _outcome(_run(campaigns, campaign.id, account, password), args.json)


def cmd_resume(args: argparse.Namespace) -> int:
    with _open() as (_store, campaigns):
        campaign = campaigns.get(args.id)
        account = _account(campaign.account)
        password = _password(account)
        campaign = campaigns.resume(args.id, resend_unknown=args.resend_unknown)
        if campaign.status == "done" and not campaign.counts.queued:
            _err(_("Campaign {id} is done: nothing left to send.").format(id=campaign.id))
            return 0
        _check_server(account, password)
        return _outcome(_run(campaigns, campaign.id, account, password), args.json)


def cmd_campaigns(args: argparse.Namespace) -> int:
    from editor.sending.campaigns import status_label

    with _open() as (_store, campaigns):
        listed = campaigns.list()
    if args.json:
        print(json.dumps([c.to_json() for c in listed], ensure_ascii=False, indent=2))
        return 0
    for c in listed:
        n = c.counts
        print(
            "\t".join(
                [
                    str(c.id),
                    c.created,
                    status_label(c.status),
                    _("{sent}/{total} sent, {failed} failed, {unknown} unknown").format(
                        sent=n.sent, total=n.recipients, failed=n.failed, unknown=n.unknown
                    ),
                    c.subject,
                ]
            )
        )
    return 0


def cmd_run_due(args: argparse.Namespace) -> int:
    """Send every due campaign, one after another; 2 if any of them could not be sent."""
    from editor.db import StoreError

    status = 0
    with _open() as (_store, campaigns):
        for campaign_id in campaigns.due():
            campaign = campaigns.get(campaign_id)
            _err(_('Campaign {id}: "{subject}"').format(id=campaign_id, subject=campaign.subject))
            try:
                account = _account(campaign.account)
                password = _password(account)
                _check_server(account, password)
                code = _outcome(_run(campaigns, campaign_id, account, password), False)
            except (CliError, StoreError) as exc:  # e.g. the app is sending it right now
                _err(f"bulletin: {exc}")
                code = 2
            if code == EXIT_INTERRUPTED:
                return code
            status = max(status, code)
    return status
