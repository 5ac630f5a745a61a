"""The command-line interface: every data job the app does, scriptable.

Errors are written to stderr as one plain sentence and exit with status 2; stdout carries only
the requested output, so commands compose in scripts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from editor.cli_errors import CliError
from editor.contacts.db import StoreError
from editor.contacts.importer import ImportRefused
from editor.contacts.readers import ImportFileError
from editor.document import DocumentError, PostsBlock
from editor.i18n import _, ngettext, pgettext
from editor.merge import MergeTagError
from editor.render.mime import MessageError

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"bulletin: {message}\n")
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bulletin",
        description=_("Bulletin: newsletters, contacts and sending."),
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("templates", help=_("list starter templates"))
    p.set_defaults(func=cmd_templates)

    p = sub.add_parser("new", help=_("create from a template"))
    p.add_argument("--template", required=True, metavar="NAME")
    p.add_argument(
        "--force",
        action="store_true",
        help=_("overwrite an existing file"),
    )
    p.add_argument("out", metavar="OUT.bulletin", type=Path)
    p.set_defaults(func=cmd_new)

    p = sub.add_parser(
        "render",
        help=_("write the HTML, text and message"),
    )
    p.add_argument("doc", metavar="DOC.bulletin", type=Path)
    p.add_argument("--html", type=Path, metavar="OUT.html")
    p.add_argument("--text", type=Path, metavar="OUT.txt")
    p.add_argument("--eml", type=Path, metavar="OUT.eml")
    p.add_argument("--contact-json", type=Path, metavar="FILE")
    p.add_argument(
        "--refresh-feeds",
        action="store_true",
        help=_("fetch the latest posts of the feeds first"),
    )
    p.set_defaults(func=cmd_render)

    _contacts_parsers(sub)
    from editor.sending.cli_accounts import add_parsers as _accounts_parsers

    _accounts_parsers(sub)
    from editor.sending.cli_send import add_parsers as _send_parsers

    _send_parsers(sub)
    from editor.inbox.cli_inbox import add_parsers as _inbox_parsers

    _inbox_parsers(sub)
    from editor.spam.cli_check import add_parsers as _check_parsers

    _check_parsers(sub)
    from editor.cli_report import add_parsers as _report_parsers

    _report_parsers(sub)
    from editor.cli_signup import add_parsers as _signup_parsers

    _signup_parsers(sub)
    from editor.cli_tracking import add_parsers as _tracking_parsers

    _tracking_parsers(sub)
    from editor.cli_digest import add_parsers as _digest_parsers

    _digest_parsers(sub)
    return parser


def _contacts_parsers(sub: Any) -> None:
    contacts = sub.add_parser("contacts", help=_("manage contacts"))
    csub = contacts.add_subparsers(dest="contacts_command", required=True, parser_class=_Parser)

    p = csub.add_parser("import", help=_("import a file"))
    p.add_argument(
        "file",
        metavar="FILE",
        help=_("CSV, XLSX, or - for pasted text on standard input"),
    )
    p.add_argument("--list", required=True, metavar="NAME")
    p.add_argument("--basis", required=True, choices=["consent", "customer", "professional"])
    p.add_argument("--source", default="", metavar="TEXT")
    p.add_argument("--proof", default="", metavar="TEXT")
    p.add_argument("--sheet", metavar="NAME")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help=_(
            "what a column holds (header or number from 1): email, "
            "first_name, last_name, full_name, measurement_consent (yes/no: "
            "consent to open/click measurement), ignore or a custom field name; "
            "repeatable"
        ),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_contacts_import)

    p = csub.add_parser("list", help=_("show contacts"))
    p.add_argument("--list", metavar="NAME")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_contacts_list)

    p = csub.add_parser("export", help=_("export a list"))
    p.add_argument("--list", required=True, metavar="NAME")
    p.add_argument("out", metavar="OUT.csv|OUT.xlsx", type=Path)
    p.set_defaults(func=cmd_contacts_export)

    p = csub.add_parser("forget", help=_("erase a person (GDPR)"))
    p.add_argument("email", metavar="EMAIL")
    p.set_defaults(func=cmd_contacts_forget)

    p = csub.add_parser("purge", help=_("erase inactive contacts"))
    p.add_argument("--inactive-days", required=True, type=int, metavar="N")
    p.add_argument(
        "--yes",
        action="store_true",
        help=_("really erase (else: preview)"),
    )
    p.set_defaults(func=cmd_contacts_purge)

    p = sub.add_parser("lists", help=_("show lists"))
    p.set_defaults(func=cmd_lists)


def run(argv: Sequence[str]) -> int:
    """Run one command; return the process exit status."""
    args = build_parser().parse_args(list(argv))
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except (
        CliError,
        DocumentError,
        MergeTagError,
        MessageError,
        ImportFileError,
        ImportRefused,
        StoreError,
    ) as exc:
        sys.stderr.write(f"bulletin: {exc}\n")
        return EXIT_USAGE
    except (MemoryError, RecursionError):
        sys.stderr.write(
            "bulletin: " + _("the data is too large or too deeply nested to process.") + "\n"
        )
        return EXIT_USAGE
    except BrokenPipeError:
        # `bulletin templates | head -1`: the reader left; stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        name = exc.filename or ""
        sys.stderr.write(f"bulletin: {exc.strerror or exc} {f'({name})' if name else ''}\n")
        return EXIT_USAGE


# ------------------------------------------------------------------------------------ commands


def cmd_templates(args: argparse.Namespace) -> int:
    from editor.starters import list_starters

    starters = list_starters()
    width = max((len(s.name) for s in starters), default=0)
    for starter in starters:
        print(f"{starter.name:<{width}}  {starter.description}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from editor.package import save
    from editor.starters import create

    out: Path = args.out
    if out.exists() and not args.force:
        raise CliError(_("{out} already exists (add --force to replace it).").format(out=out))
    if out.suffix != ".bulletin":
        out = out.with_name(out.name + ".bulletin")
    save(create(args.template), out)
    print(out)
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    from editor import findings
    from editor.feeds import FeedCache, FeedError
    from editor.package import load
    from editor.render.context import unsubscribe_mailto_template
    from editor.render.engine import Renderer
    from editor.render.mime import build_message, data_url

    if not (args.html or args.text or args.eml):
        raise CliError(_("Give at least one output: --html, --text or --eml."))
    doc = load(args.doc)
    contact = _read_contact(args.contact_json) if args.contact_json else None
    feeds = FeedCache()
    if args.refresh_feeds:
        for block in doc.newsletter.walk():
            if isinstance(block, PostsBlock) and block.feed_url:
                try:
                    feeds.refresh(block.feed_url)
                except FeedError as exc:
                    _warn(str(exc))
    rendered = Renderer(doc.images, feeds).render(doc.newsletter)
    for finding in rendered.findings:  # worded now, in the UI language
        _warn(f"{findings.message(finding)} {findings.fix(finding)}")
    if contact is None:
        from editor.merge import unknown_fields

        for name in unknown_fields(rendered.tags, rendered.html + rendered.text, []):
            _warn(_("Unknown merge field: {name} (a sample value is used).").format(name=name))
        from editor.merge import sample_values

        contact_values: dict[str, Any] | None = sample_values(
            rendered.tags.names() - {"unsubscribe_url"}
        )
    else:
        contact_values = contact
    if args.html:
        page = rendered.html_for(contact_values, image_url=lambda ref: data_url(ref, doc.images))
        _write(args.html, page)
    if args.text:
        _write(args.text, rendered.text_for(contact_values))
    if args.eml:
        sender = doc.newsletter.sender
        message = build_message(
            rendered,
            sender_name=sender.name,
            sender_email=sender.email,
            reply_to=sender.reply_to,
            images=doc.images,
            contact=contact_values,
            unsubscribe_mailto=unsubscribe_mailto_template(doc.newsletter),
            one_click=sender.one_click_unsubscribe,
        )
        _write_bytes(args.eml, message.as_bytes())
    return 0


def cmd_contacts_import(args: argparse.Namespace) -> int:
    from editor.contacts.importer import override_mapping, run_import, suggest_mapping
    from editor.contacts.readers import PastedText, open_table
    from editor.contacts.store import Basis, ContactStore

    choices = []
    for item in args.map:
        column, equals, spec = item.rpartition("=")
        if not equals or not column.strip():
            raise CliError(
                _("--map {item}: write COLUMN=FIELD, for example --map 2=first_name.").format(
                    item=item
                )
            )
        choices.append((column, spec))
    if args.file == "-":
        raw = sys.stdin.buffer.read()
        source: Path | PastedText = PastedText(_decode_stdin(raw))
    else:
        source = Path(args.file)
    basis = Basis(kind=args.basis, source=args.source, proof=args.proof)
    with open_table(source, sheet=args.sheet) as table:
        mapping = override_mapping(table.headers, suggest_mapping(table), choices)
        with ContactStore() as store:
            report = run_import(
                store,
                table,
                mapping,
                list_name=args.list,
                basis=basis,
                source_name=source.name if isinstance(source, Path) else None,
            )
    for warning in report.warnings:
        _warn(warning)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.summary())
        print(_("Columns:"))
        for use in report.columns:
            print(f"  {use.label()}")
        for rejected in report.invalid:
            print(
                _('  row {row}: "{value}" — {reason}').format(
                    row=rejected.row, value=rejected.value, reason=rejected.reason
                )
            )
        for unread in report.consent_invalid:
            print(
                _('  row {row}: "{value}" — {reason}').format(
                    row=unread.row, value=unread.value, reason=unread.reason
                )
            )
    return 0


def cmd_contacts_list(args: argparse.Namespace) -> int:
    """Contacts one by one as they are read, so 100,000 of them never sit in memory."""
    from editor.contacts.store import ContactStore

    with ContactStore() as store:
        list_id = _list_id(store, args.list) if args.list else None
        contacts = store.iter_contacts(list_id)
        if args.json:
            _write_json_array(
                {
                    "email": c.email,
                    "first_name": c.first_name,
                    "last_name": c.last_name,
                    "status": c.status,
                    "basis": c.basis,
                    "lists": c.lists,
                    "fields": c.fields,
                }
                for c in contacts
            )
            return 0
        for c in contacts:
            name = " ".join(p for p in (c.first_name, c.last_name) if p)
            print("\t".join([c.email, name, c.status, c.basis or "-", ", ".join(c.lists)]))
    return 0


def _write_json_array(items: Iterable[object]) -> None:
    """``print(json.dumps(list(items), ensure_ascii=False, indent=2))``, item by item."""
    out = sys.stdout
    first = True
    for item in items:
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
        out.write(("[\n  " if first else ",\n  ") + text)
        first = False
    out.write("[]\n" if first else "\n]\n")


def cmd_contacts_export(args: argparse.Namespace) -> int:
    from editor.contacts.export import ExportError, export_contacts
    from editor.contacts.store import ContactStore

    try:
        with ContactStore() as store:
            count = export_contacts(store, args.out, args.list)
    except ExportError as exc:
        raise CliError(str(exc)) from exc
    print(
        ngettext(
            "{count} contact exported to {out}", "{count} contacts exported to {out}", count
        ).format(count=count, out=args.out)
    )
    return 0


def cmd_contacts_forget(args: argparse.Namespace) -> int:
    from editor.contacts.privacy import erasure_pending_message, forget
    from editor.contacts.store import ContactStore

    with ContactStore() as store:
        found, complete = forget(store, args.email)
    if not complete:
        _warn(erasure_pending_message())
    if found:
        print(
            _(
                "{email} was erased; only a fingerprint is kept so it is never "
                "imported again by mistake."
            ).format(email=args.email)
        )
    else:
        print(
            _("No contact {email}; the address is blocked from future imports anyway.").format(
                email=args.email
            )
        )
    return 0


def cmd_contacts_purge(args: argparse.Namespace) -> int:
    from editor.contacts.privacy import inactive, purge
    from editor.contacts.store import ContactStore

    if args.inactive_days < 1:
        raise CliError(_("--inactive-days must be a positive number of days."))
    with ContactStore() as store:
        found = inactive(store, args.inactive_days)
        if not args.yes:
            for contact in found:
                print(f"{contact.email}\t{contact.last_activity_at or contact.updated_at}")
            print(
                ngettext(
                    "{found_count} contact inactive for more than {inactive_days} "
                    "days. Run again with --yes to erase them.",
                    "{found_count} contacts inactive for more than {inactive_days} "
                    "days. Run again with --yes to erase them.",
                    len(found),
                ).format(found_count=len(found), inactive_days=args.inactive_days)
            )
            return 0
        erased = purge(store, found)  # spares any that became active since the listing
        if store.erasure.pending:
            from editor.contacts.privacy import erasure_pending_message

            _warn(erasure_pending_message())
    print(
        ngettext("{erased} contact erased.", "{erased} contacts erased.", erased).format(
            erased=erased
        )
    )
    return 0


def cmd_lists(args: argparse.Namespace) -> int:
    from editor.contacts.store import ContactStore

    with ContactStore() as store:
        for info in store.lists():
            print(f"{info.name}\t{info.count}")
    return 0


# ------------------------------------------------------------------------------------- helpers


def _list_id(store: Any, name: str) -> int:
    list_id: int | None = store.list_id(name)
    if list_id is None:
        raise CliError(_('The list "{name}" does not exist.').format(name=name))
    return list_id


def _decode_stdin(raw: bytes) -> str:
    """Pasted text on stdin: UTF-8 (with or without BOM), else Windows' cp1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _read_contact(path: Path) -> dict[str, Any]:
    """A contact from JSON: ``{"email":…, "first_name":…, "fields": {…}}`` or flat fields."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise CliError(_("{path} is not a UTF-8 text file.").format(path=path)) from exc
    except json.JSONDecodeError as exc:
        raise CliError(
            _("{path} is not valid JSON (line {lineno}).").format(path=path, lineno=exc.lineno)
        ) from exc
    if not isinstance(data, dict):
        raise CliError(_("{path} must hold a JSON object (one contact).").format(path=path))
    values = {k: v for k, v in data.items() if k != "fields"}
    extra = data.get("fields", {})
    if isinstance(extra, dict):
        values.update(extra)
    if not isinstance(values.get("email", ""), str) or "@" not in str(values.get("email", "")):
        raise CliError(
            _('{path}: the contact has no valid email address ("email" key).').format(path=path)
        )
    return {k: "" if v is None else str(v) for k, v in values.items()}


def _write(path: Path, text: str) -> None:
    _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> None:
    from editor.atomic import write_atomic

    write_atomic(path, data)


def _warn(message: str) -> None:
    label = pgettext("command line", "warning")
    sys.stderr.write(f"{label}: {message}\n")
