"""Tests that need something the system provides (a program, QtWebEngine's libraries).

On a machine without it, such a test skips with a reason naming the Debian package to install,
so ``uv run pytest`` passes on a fresh machine that has only Python and uv, and ``-ra`` lists
what was skipped. CI (``.ci/run``) sets ``BULLETIN_REQUIRE_SYSTEM=1``: every such skip becomes
a failure there, so CI still runs them all. ``BULLETIN_FAKE_MISSING=Xvfb,chromium`` makes the
named programs look absent, to see (and test) these skips on a machine that has everything.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

REQUIRE = "BULLETIN_REQUIRE_SYSTEM"
FAKE_MISSING = "BULLETIN_FAKE_MISSING"
# Daemons live in sbin, which is not on a normal user's PATH on Debian.
_SBIN = os.pathsep.join(["/usr/local/sbin", "/usr/sbin", "/sbin"])

# The libraries QtWebEngine loads beyond Qt's own (README's Linux notes).
QTWEBENGINE_PACKAGES = (
    "libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1 libasound2"
)


def required() -> bool:
    """Whether a missing system requirement fails the test instead of skipping it (CI)."""
    return os.environ.get(REQUIRE, "") == "1"


def faked_missing(name: str) -> bool:
    names = os.environ.get(FAKE_MISSING, "")
    return name in {part.strip() for part in names.split(",")}


def find_program(*names: str) -> str | None:
    """The path of the first of ``names`` found on PATH (then in sbin), else None."""
    for name in names:
        if faked_missing(name):
            continue
        found = shutil.which(name) or shutil.which(name, path=_SBIN)
        if found:
            return found
    return None


def unavailable(reason: str) -> NoReturn:
    """Skip with ``reason``, or fail with it when ``BULLETIN_REQUIRE_SYSTEM=1``.

    These helpers hide themselves from tracebacks, so ``-ra`` names the test's own line.
    """
    __tracebackhide__ = True
    if required():
        pytest.fail(f"{reason} ({REQUIRE}=1: this test must run)", pytrace=False)
    pytest.skip(reason)


def need_program(name: str, *, package: str, alternatives: tuple[str, ...] = ()) -> str:
    """The path of program ``name`` (or of one of its ``alternatives``); skip or fail without.

    ``package`` is the Debian package that provides it, named in the reason:
    ``need_program("Xvfb", package="xvfb")`` skips with "Xvfb not found: apt-get install xvfb".
    """
    __tracebackhide__ = True
    found = find_program(name, *alternatives)
    if found is None:
        unavailable(f"{name} not found: apt-get install {package}")
    return found


def need_xvfb() -> str:
    __tracebackhide__ = True
    return need_program("Xvfb", package="xvfb")


def need_chromium() -> str:
    __tracebackhide__ = True
    return need_program(
        "chromium", package="chromium", alternatives=("chromium-browser", "google-chrome")
    )


def need_dovecot() -> str:
    """The IMAP server of the inbox tests."""
    __tracebackhide__ = True
    return need_program("dovecot", package="dovecot-imapd")


def need_php() -> str:
    """PHP's command-line interpreter, whose built-in server runs the measurement endpoint."""
    __tracebackhide__ = True
    return need_program("php", package="php-cli")


def need_gnome_keyring() -> str:
    """A real Secret Service for keyring (run it inside :func:`need_dbus_run_session`)."""
    __tracebackhide__ = True
    return need_program("gnome-keyring-daemon", package="gnome-keyring")


def need_dbus_run_session() -> str:
    """A private D-Bus session bus for a test (the Secret Service lives on it)."""
    __tracebackhide__ = True
    return need_program("dbus-run-session", package="dbus")


def qtwebengine_problem() -> str | None:
    """Why QtWebEngine cannot load here (a missing system library), or None when it can."""
    if faked_missing("QtWebEngine"):
        return "QtWebEngine faked missing"
    try:
        from PySide6 import QtWebEngineWidgets  # noqa: F401
    except ImportError as error:
        return str(error)
    return None


def need_qtwebengine(problem: str | None) -> None:
    """Skip (or fail) when QtWebEngine could not load (``problem``: :func:`qtwebengine_problem`)."""
    __tracebackhide__ = True
    if problem is not None:
        unavailable(f"QtWebEngine cannot load ({problem}): apt-get install {QTWEBENGINE_PACKAGES}")
