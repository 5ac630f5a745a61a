"""``bulletin accounts add|list|test|remove``: SMTP accounts from the command line.

The password only ever comes from standard input (``--password-stdin``), never from an
argument (which ``ps`` and the shell history would show), and goes straight to the keychain.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from editor.cli_errors import CliError
from editor.i18n import _
from editor.sending.accounts import SECURITIES, Account, AccountBook, AccountError, is_loopback
from editor.sending.secrets import KeychainError

_RATE = re.compile(
    r"\s*(?P<n>\d+)\s*(?:/\s*(?P<unit>m|min|minute|minutes|h|hr|hour|hours))?\s*\Z", re.I
)


def add_parsers(sub: Any) -> None:
    """Register ``accounts`` and its subcommands on the main parser's subparsers."""
    from editor.cli import _Parser
    from editor.sending.presets import SES_DEFAULT_REGION, keys

    accounts = sub.add_parser("accounts", help=_("manage sending accounts"))
    asub = accounts.add_subparsers(dest="accounts_command", required=True, parser_class=_Parser)

    p = asub.add_parser("add", help=_("add or replace an SMTP account"))
    p.add_argument("name", metavar="NAME")
    p.add_argument("--preset", choices=keys(), help=_("a sending service's usual settings"))
    p.add_argument(
        "--region",
        default=SES_DEFAULT_REGION,
        metavar="REGION",
        help=_("the Amazon SES region"),
    )
    p.add_argument("--host", metavar="HOST")
    p.add_argument("--port", type=int, metavar="PORT")
    p.add_argument("--security", choices=list(SECURITIES))
    p.add_argument("--from", dest="from_email", required=True, metavar="EMAIL")
    p.add_argument("--from-name", default="", metavar="NAME")
    p.add_argument("--reply-to", default="", metavar="EMAIL")
    p.add_argument(
        "--envelope-from",
        default="",
        metavar="EMAIL",
        help=_("where bounces go (default: the sender)"),
    )
    p.add_argument("--username", metavar="USER")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the password or API key from standard input, into the keychain"),
    )
    p.add_argument(
        "--rate",
        action="append",
        default=[],
        metavar="N/min|N/hour",
        help=_("at most N messages a minute or an hour; repeatable"),
    )
    p.add_argument("--connections", type=int, metavar="N")
    p.add_argument("--daily-quota", type=int, metavar="N")
    p.add_argument("--monthly-quota", type=int, metavar="N")
    p.add_argument(
        "--insecure",
        action="store_true",
        help=_("allow an unencrypted connection to another computer"),
    )
    p.set_defaults(func=cmd_accounts_add)

    p = asub.add_parser("list", help=_("show the accounts"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_accounts_list)

    p = asub.add_parser("test", help=_("check the connection, login and sender"))
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=cmd_accounts_test)

    p = asub.add_parser("remove", help=_("remove an account and its password"))
    p.add_argument("name", metavar="NAME")
    p.set_defaults(func=cmd_accounts_remove)


def parse_rate(text: str) -> tuple[int, str]:
    """``"30/min"`` → ``(30, "minute")``, ``"500/hour"`` → ``(500, "hour")``; a bare number is
    per minute."""
    match = _RATE.match(text)
    if not match:
        raise CliError(
            _("--rate {value}: write N/min or N/hour, for example --rate 30/min.").format(
                value=text
            )
        )
    unit = (match.group("unit") or "min").lower()
    return int(match.group("n")), "hour" if unit.startswith("h") else "minute"


def _read_password() -> str:
    raw = sys.stdin.buffer.readline()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CliError(_("The password on standard input is not UTF-8 text.")) from None
    password = text.rstrip("\r\n")
    if not password:
        raise CliError(_("--password-stdin: standard input holds no password."))
    return password


def cmd_accounts_add(args: argparse.Namespace) -> int:
    from editor.sending import secrets
    from editor.sending.presets import preset

    base = Account(name=args.name, host="", port=587, security="starttls")
    if args.preset:
        base = preset(args.preset).apply(base, region=args.region)
    elif args.host is None or args.port is None or args.security is None:
        raise CliError(_("Give --host, --port and --security, or a --preset."))
    account = Account(
        **{
            **base.to_json(),
            "from_email": args.from_email,
            "from_name": args.from_name,
            "reply_to": args.reply_to,
            "envelope_from": args.envelope_from,
        }
    )
    for attr, value in (
        ("host", args.host),
        ("port", args.port),
        ("security", args.security),
        ("username", args.username),
        ("connections", args.connections),
        ("daily_quota", args.daily_quota),
        ("monthly_quota", args.monthly_quota),
    ):
        if value is not None:
            setattr(account, attr, value)
    for text in args.rate:
        number, unit = parse_rate(text)
        if unit == "hour":
            account.rate_per_hour = number
        else:
            account.rate_per_minute = number
    if account.security == "none" and not is_loopback(account.host):
        if not args.insecure:
            raise CliError(
                _(
                    "--security none sends the password and the messages unencrypted to "
                    "{host}: choose tls or starttls, or add --insecure if you accept the risk."
                ).format(host=account.host)
            )
        account.insecure_confirmed = True
    try:
        account.validate()
        book = AccountBook()
        book.list()  # a damaged file is reported before anything is stored
        if args.password_stdin:
            secrets.set_password(account.name, _read_password())
        book.save(account)
    except (AccountError, KeychainError) as exc:
        raise CliError(str(exc)) from None
    print(_('Account "{name}" saved.').format(name=account.name))
    return 0


def cmd_accounts_list(args: argparse.Namespace) -> int:
    try:
        accounts = AccountBook().list()
    except AccountError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        print(json.dumps([a.to_json() for a in accounts], ensure_ascii=False, indent=2))
        return 0
    for a in accounts:
        sender = f"{a.from_name} <{a.from_email}>" if a.from_name else a.from_email
        print("\t".join([a.name, f"{a.host}:{a.port}", a.security, sender, a.preset]))
    return 0


def cmd_accounts_test(args: argparse.Namespace) -> int:
    from editor.sending import secrets
    from editor.sending.connect import test_connection

    try:
        account = AccountBook().get(args.name)
        password = secrets.get_password(account.name) if account.username else None
    except (AccountError, KeychainError) as exc:
        raise CliError(str(exc)) from None
    diagnosis = test_connection(account, password)
    if diagnosis.ok:
        print(diagnosis.message)
        return 0
    raise CliError(str(diagnosis))


def cmd_accounts_remove(args: argparse.Namespace) -> int:
    try:
        AccountBook().remove(args.name)
    except AccountError as exc:
        raise CliError(str(exc)) from None
    print(_('Account "{name}" removed.').format(name=args.name))
    return 0
