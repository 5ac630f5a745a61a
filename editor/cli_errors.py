"""The command line's one error type, in a module of its own so every ``cli_*`` module can
import it at the top without importing :mod:`editor.cli` (which imports them)."""

from __future__ import annotations


class CliError(Exception):
    """An error to show the user as is, then exit 2."""
