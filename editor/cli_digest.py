"""``bulletin digest``: the periodic report by email, previewed, sent now, or sent when due.

* ``bulletin digest`` prints the plain-text report of the last complete week or month (the
  settings' frequency, or ``--period``), in the settings' language; ``--json`` prints
  :meth:`editor.digest.Digest.to_json` instead.
* ``--send`` sends it now through the settings' account to the owner's addresses (or to
  ``--to ADDRESS``, repeatable: a try, which is not recorded as the period's report).
* ``--if-due`` sends it only when it is due and not sent yet: for cron or Task Scheduler when
  Bulletin is not open (the app and this command never both send a period).

SMTP, keychain and account problems exit 2 with a sentence on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from typing import Any

from editor.cli_errors import CliError
from editor.digest import FREQUENCIES
from editor.i18n import _


def add_parsers(sub: Any) -> None:
    """Register ``digest`` on the main parser's subparsers."""
    p = sub.add_parser("digest", help=_("preview or send the periodic report by email"))
    p.add_argument(
        "--period", choices=FREQUENCIES, help=_("a week or a month (default: the settings')")
    )
    p.add_argument("--json", action="store_true", help=_("print the figures as JSON"))
    what = p.add_mutually_exclusive_group()
    what.add_argument("--send", action="store_true", help=_("send the report now"))
    what.add_argument(
        "--if-due",
        action="store_true",
        help=_("send the report only if it is due and was not sent yet (for cron)"),
    )
    p.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="ADDRESS",
        help=_("send to this address instead of the owner's (with --send; repeatable)"),
    )
    p.set_defaults(func=cmd_digest)


def cmd_digest(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from editor.contacts.store import ContactStore
    from editor.digest import (
        DigestSendError,
        build_digest,
        last_complete,
        load_settings,
        preview_text,
        run_due,
        send_digest,
    )

    if args.to and not args.send:
        raise CliError(_("--to goes with --send."))
    settings = load_settings()
    if args.period:
        settings = replace(settings, frequency=args.period)
    now = datetime.now(UTC)
    period = last_complete(now, settings.frequency, settings.zone())
    with ContactStore() as store:
        try:
            if args.if_due:
                outcome = run_due(store.db, now=now, settings=settings)
                if outcome is None:
                    print(_("The report is not due."))
                    return 0
            elif args.send:
                outcome = send_digest(store.db, settings, now=now, period=period, to=args.to)
            else:
                digest = build_digest(store.db, period, settings.language)
                if args.json:
                    print(json.dumps(digest.to_json(), ensure_ascii=False, indent=2))
                else:
                    sys.stdout.write(preview_text(digest, settings.account))
                return 0
        except DigestSendError as exc:
            raise CliError(str(exc)) from None
    print(
        _("Report {period} sent to {addresses}: {subject}").format(
            period=outcome.period.key,
            addresses=", ".join(outcome.recipients),
            subject=outcome.subject,
        )
    )
    return 0
