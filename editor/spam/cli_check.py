"""``bulletin check FILE [--json] [--spamd HOST:PORT] [--dns]``: the spam score of a
``.bulletin``, an ``.html`` page or an ``.eml`` message.

Exit status 0 whatever the score (a score is a result, not a failure), 2 when the input cannot
be read or an optional check (spamd, DNS) fails, with one sentence on stderr. ``--json`` prints
the report in the shape :meth:`~editor.spam.model.SpamReport.to_json` defines.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from editor import findings
from editor.cli_errors import CliError
from editor.i18n import _, number
from editor.spam.model import ScoredFinding, SpamdReport, SpamReport


def add_parsers(sub: Any) -> None:
    """Register ``check`` on the main subparsers."""
    p = sub.add_parser("check", help=_("spam score of a newsletter or message"))
    p.add_argument("file", metavar="FILE", type=Path, help=_(".bulletin, .html or .eml"))
    p.add_argument("--json", action="store_true", help=_("print the report as JSON"))
    p.add_argument(
        "--spamd",
        metavar="HOST:PORT",
        help=_("also ask a running SpamAssassin daemon (spamd)"),
    )
    p.add_argument(
        "--dns",
        action="store_true",
        help=_("also check the sender domain's SPF, DKIM, DMARC and MX records"),
    )
    p.add_argument(
        "--account",
        metavar="NAME",
        help=_("the sending account it will go through (its server counts for some checks)"),
    )
    p.add_argument(
        "--dkim-selector",
        dest="dkim_selectors",
        action="append",
        default=[],
        metavar="NAME",
        help=_("a DKIM selector to look up with --dns; repeatable"),
    )
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from editor.spam.check import CheckError, check_view, load

    try:
        loaded = load(args.file)
    except CheckError as exc:
        raise CliError(str(exc)) from exc
    if args.account:
        loaded.view.smtp_host = _account_host(args.account)
    extra: list[ScoredFinding] = []
    if args.dns:
        extra = _dns(loaded.sender_domain, loaded.view.smtp_host, args.dkim_selectors)
    spamd = _spamd(loaded.message, args.spamd) if args.spamd else None
    report = check_view(loaded.view, extra)
    report.spamd = spamd
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(human(report))
    return 0


def _spamd(message: bytes, address: str) -> SpamdReport:
    from editor.spam.spamd import SpamdError, check_with_spamd

    try:
        return check_with_spamd(message, address)
    except SpamdError as exc:
        raise CliError(str(exc)) from exc


def _account_host(name: str) -> str:
    from editor.sending.accounts import AccountBook, AccountError

    try:
        return AccountBook().get(name).host
    except AccountError as exc:
        raise CliError(str(exc)) from exc


def _dns(domain: str, smtp_host: str | None, selectors: list[str]) -> list[ScoredFinding]:
    from editor.spam.dns_checks import DnsCheckError, check_sender_domain

    if not domain:
        raise CliError(_("--dns needs a sender address, and this file has none."))
    try:
        return check_sender_domain(
            domain, smtp_host=smtp_host or "", dkim_selectors=tuple(selectors)
        )
    except DnsCheckError as exc:
        raise CliError(str(exc)) from exc


def human(report: SpamReport) -> str:
    """The report for a terminal: the score, then each finding by impact with its fix."""
    lines = [
        _("Score: {score}/10 ({points} points)").format(
            score=number(report.score, 1), points=number(report.points, 1)
        )
    ]
    if not report.findings:
        lines.append(_("No problem found."))
    for item in report.findings:
        where = item.finding.block_id
        place = _(" (block {block})").format(block=where) if where else ""
        lines.append(
            f"{item.points:+5.1f}  {findings.message(item.finding)}{place}\n"
            f"       {findings.fix(item.finding)}"
        )
    if report.spamd is not None:
        lines.append(
            _("SpamAssassin: {score} points (spam from {threshold})").format(
                score=number(report.spamd.score, 1), threshold=number(report.spamd.threshold, 1)
            )
        )
        for r in report.spamd.rules:
            lines.append(f"{r.points:+5.1f}  {r.name}  {r.description}")
    return "\n".join(lines)
