"""Shared fixtures: every test gets its own data folder and a fixed language."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.i18n import set_language
from tests import system

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")


def pytest_report_header() -> str:
    """Say up front whether a missing system program skips its tests or fails them."""
    if system.required():
        return f"system programs: required ({system.REQUIRE}=1, a missing one fails its tests)"
    return f"system programs: tests needing a missing one skip ({system.REQUIRE}=1 to require)"


@pytest.fixture(autouse=True)
def bulletin_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A fresh BULLETIN_HOME per test, so no test touches the user's real data."""
    home = tmp_path_factory.mktemp("bulletin-home")
    monkeypatch.setenv("BULLETIN_HOME", str(home))
    monkeypatch.setenv("BULLETIN_LANG", "en")
    set_language("en")
    yield home
