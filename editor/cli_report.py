"""``bulletin report ID [--json] [--csv FILE]``: a campaign's report from the command line.

Human output: the subject and status, then one figure a line (tab-separated label and value),
the warnings (complaint rate over Gmail's and Yahoo's 0.3 %, hard bounces over 2 %) and the
per-list table, then for a measured campaign the opens and clicks of its consenting recipients
(totals and rates, per link). ``--json`` prints
:meth:`editor.reports.CampaignReport.to_json`. ``--csv`` also writes the per-recipient
results. An unknown id exits 2 with a sentence on stderr.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from editor.i18n import _


def add_parsers(sub: Any) -> None:
    """Register ``report`` on the main parser's subparsers."""
    p = sub.add_parser("report", help=_("show what happened to a campaign"))
    p.add_argument("id", metavar="ID", type=int)
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help=_("also write the per-recipient results to this CSV file"),
    )
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from editor.cli_errors import CliError
    from editor.contacts.store import ContactStore
    from editor.reports import (
        campaign_report,
        export_csv,
        link_headers,
        link_values,
        list_headers,
        list_values,
        measurement_note,
        summary_lines,
        to_json_text,
        warnings,
    )
    from editor.sending.campaigns import CampaignError, status_label

    with ContactStore() as store:
        try:
            report = campaign_report(store.db, args.id)
            if args.csv is not None:
                export_csv(store.db, args.id, args.csv)
        except CampaignError as exc:
            raise CliError(str(exc)) from exc
        except OSError as exc:
            raise CliError(
                _("Could not write {path}: {error}").format(path=args.csv, error=exc.strerror)
            ) from exc
    if args.json:
        print(to_json_text(report))
        return 0
    c = report.campaign
    print(f"{c.id}\t{c.subject}")
    print(_("Status: {status}").format(status=status_label(c.status)))
    for label, value in summary_lines(report):
        print(f"{label}\t{value}")
    for text in warnings(report):
        print(_("Warning: {text}").format(text=text))
    if report.lists:
        print()
        print("\t".join(list_headers()))
        for f in report.lists:
            print("\t".join([f.name, *map(str, list_values(f))]))
    m = report.measurement
    if m is not None:
        print()
        print(measurement_note(m))
        if m.links and not m.withheld:
            print("\t".join(link_headers()))
            for link in m.links:
                print("\t".join(link_values(m, link)))
    return 0
