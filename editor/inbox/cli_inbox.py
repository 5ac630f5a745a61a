"""``bulletin inbox add|list|remove|sync|import``: mailboxes and what comes back, from the CLI.

The password only ever comes from standard input (``--password-stdin``), never from an argument
(which ``ps`` and the shell history would show), and goes straight to the keychain. ``sync`` and
``import`` print the tally, one line per count, or with ``--json`` the object
``{"processed", "bounces", "soft_bounces", "complaints", "unsubscribes", "auto_replies",
"backscatter", "unrecognised", "changed": [{"email", "status", "reason"}]}``; what happened to
subscription confirmations goes beside it (standard error with ``--json``), never into it.
``list`` shows each mailbox's last check.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor.cli_errors import CliError
from editor.i18n import N_, _, ngettext
from editor.inbox.mailboxes import (
    SECURITIES,
    SUBSCRIBE_LANGUAGES,
    Mailbox,
    MailboxBook,
    MailboxError,
)
from editor.sending.accounts import is_loopback
from editor.sending.secrets import KeychainError

if TYPE_CHECKING:
    from editor.inbox.confirm_send import SendReport
    from editor.inbox.process import Tally

# The tally's counts, in the order shown, with their labels (translated when shown).
_COUNTS = (
    ("processed", N_("Messages processed")),
    ("bounces", N_("Permanent bounces")),
    ("soft_bounces", N_("Temporary bounces")),
    ("complaints", N_("Spam complaints")),
    ("unsubscribes", N_("Unsubscribe requests")),
    ("auto_replies", N_("Automatic replies")),
    ("backscatter", N_("Backscatter (forged in your name)")),
    ("unrecognised", N_("Not recognised (to review)")),
)


def add_parsers(sub: Any) -> None:
    """Register ``inbox`` and its subcommands on the main parser's subparsers."""
    from editor.cli import _Parser

    inbox = sub.add_parser("inbox", help=_("read bounces and replies from a mailbox"))
    isub = inbox.add_subparsers(dest="inbox_command", required=True, parser_class=_Parser)

    p = isub.add_parser("add", help=_("add or replace a mailbox to watch (IMAP)"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--host", required=True, metavar="HOST")
    p.add_argument("--port", required=True, type=int, metavar="PORT")
    p.add_argument("--security", required=True, choices=list(SECURITIES))
    p.add_argument("--username", required=True, metavar="USER")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password from standard input, into the keychain"),
    )
    p.add_argument("--folder", default="INBOX", metavar="FOLDER")
    p.add_argument(
        "--account",
        default="",
        metavar="SENDING_ACCOUNT",
        help=_("the sending account whose replies arrive here"),
    )
    p.add_argument(
        "--move-to",
        default="",
        metavar="FOLDER",
        help=_("move processed messages to this folder (default: flag them)"),
    )
    p.add_argument(
        "--mark-read",
        action="store_true",
        help=_("also mark processed messages as read"),
    )
    p.add_argument(
        "--insecure",
        action="store_true",
        help=_("allow an unencrypted connection to another computer"),
    )
    p.add_argument(
        "--subscribe-list",
        default="",
        metavar="LIST",
        help=_(
            "accept subscriptions by email (double opt-in) to the +subscribe address; "
            "confirmed subscribers join this list"
        ),
    )
    p.add_argument(
        "--subscribe-language",
        default="auto",
        choices=list(SUBSCRIBE_LANGUAGES),
        help=_("language of the confirmation email (auto: the request's)"),
    )
    p.add_argument(
        "--check-every",
        default=0,
        type=int,
        metavar="MINUTES",
        help=_("check the mailbox automatically while the app is open (0: never)"),
    )
    p.set_defaults(func=cmd_inbox_add)

    p = isub.add_parser("list", help=_("show the mailboxes"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_inbox_list)

    p = isub.add_parser("remove", help=_("remove a mailbox and its password"))
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=cmd_inbox_remove)

    p = isub.add_parser("sync", help=_("process the mailbox's new messages"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_inbox_sync)

    p = isub.add_parser("import", help=_("process the messages of an mbox file or maildir folder"))
    p.add_argument("path", metavar="PATH", type=Path)
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--mailbox",
        default="",
        metavar="NAME",
        help=_(
            "the mailbox the file comes from: its subscription settings and sending account apply"
        ),
    )
    p.set_defaults(func=cmd_inbox_import)


def cmd_inbox_add(args: argparse.Namespace) -> int:
    from editor.inbox import mailboxes
    from editor.sending.accounts import AccountBook, AccountError
    from editor.sending.cli_accounts import _read_password

    mailbox = Mailbox(
        name=args.name,
        host=args.host,
        port=args.port,
        security=args.security,
        username=args.username,
        folder=args.folder,
        account=args.account,
        processed="move" if args.move_to else "flag",
        move_to=args.move_to,
        mark_read=args.mark_read,
        accept_subscriptions=bool(args.subscribe_list.strip()),
        subscribe_list=args.subscribe_list.strip(),
        subscribe_language=args.subscribe_language,
        check_every=args.check_every,
    )
    if mailbox.security == "none" and not is_loopback(mailbox.host):
        if not args.insecure:
            raise CliError(
                _(
                    "--security none sends the password and the messages unencrypted to "
                    "{host}: choose tls or starttls, or add --insecure if you accept the risk."
                ).format(host=mailbox.host)
            )
        mailbox.insecure_confirmed = True
    try:
        mailbox.validate()
        if mailbox.account:
            AccountBook().get(mailbox.account)  # a typo is caught now, not at sync time
        book = MailboxBook()
        book.list()  # a damaged file is reported before anything is stored
        if args.password_stdin:
            mailboxes.set_password(mailbox.name, _read_password())
        book.save(mailbox)
    except (MailboxError, AccountError, KeychainError) as exc:
        raise CliError(str(exc)) from None
    print(_('Mailbox "{name}" saved.').format(name=mailbox.name))
    return 0


def _last_checks() -> dict[str, Any]:
    """Every mailbox's last check (none when the database cannot be read)."""
    from editor.contacts.store import ContactStore, StoreError
    from editor.inbox.check import last_checks

    try:
        with ContactStore() as store:
            return dict(last_checks(store))
    except StoreError:
        return {}


def cmd_inbox_list(args: argparse.Namespace) -> int:
    try:
        boxes = MailboxBook().list()
    except MailboxError as exc:
        raise CliError(str(exc)) from None
    checks = _last_checks()
    if args.json:
        entries = []
        for m in boxes:
            entry = m.to_json()
            check = checks.get(m.name)
            entry["last_check"] = (
                None
                if check is None
                else {
                    "at": check.at,
                    "outcome": check.outcome,
                    "counts": check.counts,
                    "error": check.error,
                }
            )
            entries.append(entry)
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    for m in boxes:
        then = (
            _("move to {folder}").format(folder=m.move_to) if m.processed == "move" else _("flag")
        )
        check = checks.get(m.name)
        last = check.describe(m) if check is not None else _("never checked")
        columns = [m.name, f"{m.host}:{m.port}", m.security, m.username, m.folder, then, last]
        print("\t".join(columns))
    return 0


def cmd_inbox_remove(args: argparse.Namespace) -> int:
    from editor.contacts.store import ContactStore
    from editor.inbox.check import forget_check
    from editor.inbox.imap_sync import forget_state

    try:
        MailboxBook().remove(args.name)
    except MailboxError as exc:
        raise CliError(str(exc)) from None
    with ContactStore() as store, store.db.transaction() as conn:
        forget_state(conn, args.name)
        forget_check(conn, args.name)
    print(_('Mailbox "{name}" removed.').format(name=args.name))
    return 0


def print_tally(tally: Tally, as_json: bool) -> None:
    """The tally as the ``--json`` object, or as lines a person reads."""
    data = tally.to_json()
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    width = max(len(_(label)) for _key, label in _COUNTS)
    for key, label in _COUNTS:
        print(f"{_(label) + ':':<{width + 1}} {data[key]}")
    for change in tally.changed:
        line = _("{email}: now {status}").format(email=change.email, status=change.status)
        print(f"  {line} — {change.reason}" if change.reason else f"  {line}")


def print_confirmations(report: SendReport, as_json: bool) -> None:
    """What happened to the subscription confirmations: with the tally for a person, on
    standard error beside ``--json`` (whose object is a contract: no key is added)."""
    lines = report.lines()
    if not lines:
        return
    if as_json:
        from editor.cli import _warn

        for line in lines:
            _warn(line)
        return
    for line in lines:
        print(line)


def cmd_inbox_sync(args: argparse.Namespace) -> int:
    from editor.contacts.store import ContactStore
    from editor.inbox import mailboxes
    from editor.inbox.check import check_mailbox
    from editor.inbox.imap_connect import ImapDiagnosis, ImapFailure

    try:
        mailbox = MailboxBook().get(args.name)
        password = mailboxes.get_password(mailbox.name)
    except (MailboxError, KeychainError) as exc:
        raise CliError(str(exc)) from None
    try:
        with ContactStore() as store:
            checked = check_mailbox(store, mailbox, password)
    except ImapFailure as failure:
        raise CliError(str(ImapDiagnosis.of(mailbox, failure))) from None
    except MailboxError as exc:
        raise CliError(str(exc)) from None
    result = checked.sync
    print_tally(result.tally, args.json)
    print_confirmations(checked.confirmations, args.json)
    if result.unmarked:
        from editor.cli import _warn

        _warn(
            ngettext(
                "The server refused to flag or move {count} processed message; it will not be "
                "read again.",
                "The server refused to flag or move {count} processed messages; they will not "
                "be read again.",
                result.unmarked,
            ).format(count=result.unmarked)
        )
    return 0


def cmd_inbox_import(args: argparse.Namespace) -> int:
    from editor.contacts.store import ContactStore
    from editor.inbox.check import import_file
    from editor.inbox.mail_import import MailImportError

    try:
        mailbox = MailboxBook().get(args.mailbox) if args.mailbox else None
    except MailboxError as exc:
        raise CliError(str(exc)) from None
    try:
        with ContactStore() as store:
            result, report = import_file(store, args.path, mailbox)
    except MailImportError as exc:
        raise CliError(str(exc)) from None
    print_tally(result.tally, args.json)
    if report is not None:
        print_confirmations(report, args.json)
    return 0
