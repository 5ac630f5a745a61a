"""Entry point: the GUI with no arguments, the command-line interface with a subcommand."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Start the CLI when given a subcommand, otherwise the desktop app."""
    args = sys.argv[1:] if argv is None else argv
    if args:
        from editor.cli import run

        return run(args)
    from widgets.app import run_app

    return run_app()


if __name__ == "__main__":
    sys.exit(main())
