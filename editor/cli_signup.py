"""``bulletin signup-form``: the signup snippet and GDPR notice for the user's own website.

Writes the HTML snippet (or, with ``--notice-only``, the information notice alone; ``--text``
for its plain-text form) to stdout or to ``--out FILE`` (written atomically). The notice's
language is the website's (``--lang``), by default the UI's. ``--ask-measurement`` adds the
optional consent to measuring opens and clicks (form and notice). Bad settings exit 2 with a
sentence.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from editor.i18n import _


def add_parsers(sub: Any) -> None:
    """Register ``signup-form`` on the main parser's subparsers."""
    p = sub.add_parser(
        "signup-form", help=_("write a signup form and privacy notice for your website")
    )
    p.add_argument(
        "--organisation",
        required=True,
        metavar="NAME",
        help=_("who collects the addresses (the data controller)"),
    )
    p.add_argument(
        "--email",
        required=True,
        metavar="CONTACT",
        help=_("where people write to access or erase their data"),
    )
    p.add_argument("--address", default="", metavar="TEXT", help=_("your postal address"))
    target = p.add_mutually_exclusive_group()
    target.add_argument(
        "--action", default="", metavar="URL", help=_("your own form handler (https://…)")
    )
    target.add_argument(
        "--mailto",
        default="",
        metavar="SENDER",
        help=_("your sender address: the form opens a message to its +subscribe address"),
    )
    p.add_argument("--lang", choices=["fr", "en"], help=_("the language of your website"))
    p.add_argument("--list", default="", metavar="NAME", help=_("the newsletter's name"))
    p.add_argument("--purpose", default="", metavar="TEXT", help=_("why you collect addresses"))
    p.add_argument(
        "--recipients",
        default="",
        metavar="TEXT",
        help=_("who else processes the data, e.g. your sending service"),
    )
    p.add_argument(
        "--transfers",
        default="",
        metavar="TEXT",
        help=_("transfers outside the EU and their safeguards (default: none)"),
    )
    p.add_argument("--dpo", default="", metavar="TEXT", help=_("your data protection officer"))
    p.add_argument(
        "--retention-months",
        type=int,
        default=36,
        metavar="N",
        help=_("months kept after the last contact (default: 36)"),
    )
    p.add_argument(
        "--ask-measurement",
        action="store_true",
        help=_("also ask for the optional consent to measuring opens and clicks"),
    )
    p.add_argument("--notice-only", action="store_true", help=_("write only the privacy notice"))
    p.add_argument(
        "--text",
        action="store_true",
        help=_("the privacy notice as plain text (implies --notice-only)"),
    )
    p.add_argument("--out", type=Path, metavar="FILE", help=_("write to this file"))
    p.set_defaults(func=cmd_signup_form)


def cmd_signup_form(args: argparse.Namespace) -> int:
    from editor.atomic import write_text_atomic
    from editor.cli_errors import CliError
    from editor.i18n import language
    from editor.signup import (
        SignupError,
        SignupSettings,
        privacy_notice,
        privacy_notice_text,
        signup_form,
    )

    settings = SignupSettings(
        organisation=args.organisation,
        contact_email=args.email,
        address=args.address,
        purpose=args.purpose,
        retention_months=args.retention_months,
        recipients=args.recipients,
        transfers=args.transfers,
        dpo=args.dpo,
        language=args.lang or language(),
        action=args.action,
        mailto=args.mailto,
        list_name=args.list,
        ask_measurement=args.ask_measurement,
    )
    try:
        if args.text:
            output = privacy_notice_text(settings)
        elif args.notice_only:
            output = privacy_notice(settings)
        else:
            output = signup_form(settings)
    except SignupError as exc:
        raise CliError(str(exc)) from exc
    if args.out is None:
        sys.stdout.write(output)
        return 0
    try:
        write_text_atomic(args.out, output)
    except OSError as exc:
        raise CliError(
            _("Could not write {path}: {error}").format(path=args.out, error=exc.strerror)
        ) from exc
    return 0
