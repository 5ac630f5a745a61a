"""``bulletin tracking …``: opt-in measurement of opens and clicks through the user's endpoint.

* ``setup --url URL --secret-stdin``: the endpoint's address (https) and its secret (from
  standard input, never an argument ``ps`` would show; into the keychain); turns measurement
  on for the campaigns that start sending from now on.
* ``enable`` / ``disable``: measurement of new campaigns on or off (the endpoint is kept, so
  the events of past campaigns can still be fetched).
* ``status [--json]``: the address, whether it is on, how many contacts consent.
* ``consent EMAIL… [--proof TEXT] [--from-file FILE]`` records consent to measurement;
  ``--withdraw`` records its withdrawal.
* ``fetch [--json] [--keep-on-server]``: read the new events back, then have the endpoint
  forget them.
* ``endpoint``: print the PHP file to upload, secret included (:mod:`editor.tracking.endpoint`
  says why).

Errors go to stderr with exit status 2, as everywhere in the CLI.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from editor.cli_errors import CliError
from editor.i18n import _, ngettext
from editor.sending.secrets import KeychainError
from editor.tracking import TrackingError

MAX_FILE_BYTES = 16 * 1024 * 1024


def add_parsers(sub: Any) -> None:
    """Register ``tracking`` and its subcommands on the main parser's subparsers."""
    from editor.cli import _Parser

    tracking = sub.add_parser(
        "tracking", help=_("measure opens and clicks of consenting contacts (off by default)")
    )
    tsub = tracking.add_subparsers(dest="tracking_command", required=True, parser_class=_Parser)

    p = tsub.add_parser(
        "setup", help=_("set up your endpoint (address, secret) and turn measurement on")
    )
    p.add_argument("--url", required=True, metavar="URL", help=_("https://…/track.php"))
    p.add_argument(
        "--secret-stdin",
        action="store_true",
        help=_("read the secret from standard input, into the keychain"),
    )
    p.set_defaults(func=cmd_setup)

    p = tsub.add_parser("enable", help=_("measure the campaigns that start sending from now on"))
    p.set_defaults(func=cmd_enable)
    p = tsub.add_parser("disable", help=_("stop measuring new campaigns"))
    p.set_defaults(func=cmd_disable)

    p = tsub.add_parser("status", help=_("show the measurement settings"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = tsub.add_parser("consent", help=_("record consent to measurement (or its withdrawal)"))
    p.add_argument("emails", nargs="*", metavar="EMAIL")
    p.add_argument("--proof", default="", metavar="TEXT", help=_("how and when the person agreed"))
    p.add_argument(
        "--from-file",
        type=Path,
        metavar="FILE",
        help=_("also read addresses from this file, one a line (or the first column)"),
    )
    p.add_argument("--withdraw", action="store_true", help=_("record a withdrawal instead"))
    p.set_defaults(func=cmd_consent)

    p = tsub.add_parser("fetch", help=_("read the new opens and clicks from your endpoint"))
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--keep-on-server",
        action="store_true",
        help=_("leave the events on the endpoint after reading them"),
    )
    p.set_defaults(func=cmd_fetch)

    p = tsub.add_parser("endpoint", help=_("print the PHP file to upload to your website"))
    p.set_defaults(func=cmd_endpoint)


def _read_secret() -> str:
    raw = sys.stdin.buffer.readline()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CliError(_("The secret on standard input is not UTF-8 text.")) from None
    secret = text.rstrip("\r\n")
    if not secret:
        raise CliError(_("--secret-stdin: standard input holds no secret."))
    return secret


def cmd_setup(args: argparse.Namespace) -> int:
    from editor.tracking import settings

    if not args.secret_stdin:
        raise CliError(_("Give the endpoint's secret on standard input, with --secret-stdin."))
    try:
        settings.check_url(args.url)  # a bad address is reported before the secret is read
        current = settings.setup(args.url, _read_secret())
    except (TrackingError, KeychainError) as exc:
        raise CliError(str(exc)) from None
    print(
        _(
            "Measurement is on for the campaigns that start sending from now on, for the "
            "contacts who consented, through {url}."
        ).format(url=current.url)
    )
    print(_("Upload the endpoint to that address: bulletin tracking endpoint > track.php"))
    return 0


def cmd_enable(args: argparse.Namespace) -> int:
    return _switch(True)


def cmd_disable(args: argparse.Namespace) -> int:
    return _switch(False)


def _switch(enabled: bool) -> int:
    from editor.tracking import settings

    try:
        settings.set_enabled(enabled)
    except TrackingError as exc:
        raise CliError(str(exc)) from None
    if enabled:
        print(_("Measurement is on for the campaigns that start sending from now on."))
    else:
        print(_("Measurement is off for the campaigns that start sending from now on."))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from editor.contacts.store import ContactStore
    from editor.tracking import settings
    from editor.tracking.consent import consenting_count

    try:
        current = settings.load()
    except TrackingError as exc:
        raise CliError(str(exc)) from None
    with ContactStore() as store:
        consenting = consenting_count(store.db)
    if args.json:
        print(
            json.dumps({"url": current.url, "enabled": current.enabled, "consenting": consenting})
        )
        return 0
    print(_("Endpoint: {url}").format(url=current.url or "—"))
    if current.enabled:
        print(_("Measurement of new campaigns: on"))
    else:
        print(_("Measurement of new campaigns: off"))
    print(
        ngettext(
            "{n} contact consents to measurement.",
            "{n} contacts consent to measurement.",
            consenting,
        ).format(n=consenting)
    )
    return 0


def _addresses(args: argparse.Namespace) -> list[str]:
    emails = [e.strip() for e in args.emails if e.strip()]
    if args.from_file is not None:
        path: Path = args.from_file
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise CliError(_("{path} is too large for a list of addresses.").format(path=path))
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CliError(_("{path} is not a UTF-8 text file.").format(path=path)) from None
        except OSError as exc:
            raise CliError(
                _("Could not read {path}: {error}").format(path=path, error=exc.strerror)
            ) from None
        for line in text.splitlines():
            first = line.replace(";", ",").replace("\t", ",").split(",", 1)[0].strip().strip('"')
            if "@" in first:
                emails.append(first)
    if not emails:
        raise CliError(_("Give at least one address (or --from-file FILE)."))
    return emails


def cmd_consent(args: argparse.Namespace) -> int:
    from editor.contacts.store import ContactStore
    from editor.tracking import consent

    emails = _addresses(args)
    with ContactStore() as store:
        if args.withdraw:
            change = consent.withdraw(store.db, emails, source=_("command line"))
        else:
            change = consent.give(store.db, emails, proof=args.proof, source=_("command line"))
    for email in change.unknown:
        sys.stderr.write(
            _("{email} is not a contact: nothing recorded.").format(email=email) + "\n"
        )
    if args.withdraw:
        print(
            ngettext(
                "{n} withdrawal of consent to measurement recorded.",
                "{n} withdrawals of consent to measurement recorded.",
                change.changed,
            ).format(n=change.changed)
        )
    else:
        print(
            ngettext(
                "{n} consent to measurement recorded.",
                "{n} consents to measurement recorded.",
                change.changed,
            ).format(n=change.changed)
        )
        if not args.proof.strip():
            sys.stderr.write(
                _(
                    "Tip: --proof TEXT keeps how and when the person agreed (the CNIL asks "
                    "you to be able to show it)."
                )
                + "\n"
            )
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from editor.contacts.store import ContactStore
    from editor.tracking import settings
    from editor.tracking.fetch import fetch

    try:
        current = settings.load()
        if not current.configured:
            raise TrackingError(
                _("No endpoint is set up: bulletin tracking setup --url URL --secret-stdin.")
            )
        secret = settings.get_secret()
        with ContactStore() as store:
            result = fetch(store.db, current.url, secret, purge=not args.keep_on_server)
    except (TrackingError, KeychainError) as exc:
        raise CliError(str(exc)) from None
    if result.purge_error:
        sys.stderr.write(
            _("The events were read, but the endpoint did not forget them: {error}").format(
                error=result.purge_error
            )
            + "\n"
        )
    if args.json:
        print(json.dumps(result.to_json()))
        return 0
    print(ngettext("{n} event read.", "{n} events read.", result.read).format(n=result.read))
    print(ngettext("{n} counted.", "{n} counted.", result.stored).format(n=result.stored))
    if result.ignored:
        print(
            ngettext(
                "{n} ignored (unknown or erased recipient, damaged line).",
                "{n} ignored (unknown or erased recipients, damaged lines).",
                result.ignored,
            ).format(n=result.ignored)
        )
    return 0


def cmd_endpoint(args: argparse.Namespace) -> int:
    from editor.tracking import settings
    from editor.tracking.endpoint import php_source

    try:
        text = php_source(settings.get_secret())
    except (TrackingError, KeychainError) as exc:
        raise CliError(str(exc)) from None
    sys.stdout.write(text)
    return 0
