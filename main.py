"""Entry point: the GUI with no arguments or a document to open, the CLI with a subcommand."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from editor.package import SUFFIX


@dataclass(frozen=True)
class Launch:
    """What the command line asks for: the CLI with ``args``, or the app (opening ``path``)."""

    cli: bool
    args: list[str]
    path: Path | None = None


def parse_args(args: list[str]) -> Launch:
    """``bulletin`` → the app; ``bulletin PATH.bulletin`` → the app opening it (file managers
    call it so); anything else (a subcommand, ``--help``) → the CLI, exactly as before.

    A single argument is a document when it ends with ``.bulletin`` or names an existing file
    that is not a subcommand's name, so ``bulletin templates`` stays the CLI even if a file
    called ``templates`` sits in the current folder.
    """
    if not args:
        return Launch(cli=False, args=[])
    if len(args) == 1 and not args[0].startswith("-"):
        from editor.cli import build_parser

        candidate = Path(args[0])
        subcommands = _subcommands(build_parser())
        is_document = candidate.suffix.lower() == SUFFIX or (
            args[0] not in subcommands and candidate.is_file()
        )
        if is_document:
            return Launch(cli=False, args=[], path=candidate)
    return Launch(cli=True, args=list(args))


def _subcommands(parser: object) -> set[str]:
    import argparse

    found: set[str] = set()
    for action in getattr(parser, "_actions", []):
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def main(argv: list[str] | None = None) -> int:
    """Start the CLI when given a subcommand, otherwise the desktop app."""
    launch = parse_args(sys.argv[1:] if argv is None else argv)
    if launch.cli:
        from editor.cli import run

        return run(launch.args)
    from widgets.app import run_app

    return run_app(path=launch.path)


if __name__ == "__main__":
    sys.exit(main())
