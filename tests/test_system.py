"""The helper for tests that need a system program: found, missing (skip), required (fail)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests import system
from tests.system import need_program

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PATH holding only a fake ``Xvfb`` (and no sbin fallback)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "Xvfb"
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(system, "_SBIN", str(folder))
    monkeypatch.delenv(system.REQUIRE, raising=False)
    monkeypatch.delenv(system.FAKE_MISSING, raising=False)
    return folder


@pytest.mark.skipif(os.name != "posix", reason="executable bit")
def test_present_program_is_found(bin_dir: Path) -> None:
    assert need_program("Xvfb", package="xvfb") == str(bin_dir / "Xvfb")
    assert need_program("nope", package="x", alternatives=("Xvfb",)) == str(bin_dir / "Xvfb")


def test_missing_program_skips_naming_the_package(bin_dir: Path) -> None:
    with pytest.raises(
        pytest.skip.Exception, match=r"^chromium not found: apt-get install chromium$"
    ):
        system.need_chromium()


def test_missing_program_fails_when_required(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(system.REQUIRE, "1")
    with pytest.raises(
        pytest.fail.Exception, match="dovecot not found: apt-get install dovecot-imapd"
    ):
        system.need_dovecot()


@pytest.mark.skipif(os.name != "posix", reason="executable bit")
def test_fake_missing_hides_a_present_program(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(system.FAKE_MISSING, "chromium, Xvfb")
    with pytest.raises(pytest.skip.Exception, match="Xvfb not found: apt-get install xvfb"):
        system.need_xvfb()
    monkeypatch.setenv(system.REQUIRE, "1")
    with pytest.raises(pytest.fail.Exception, match="Xvfb not found"):
        system.need_xvfb()


def test_reasons_for_the_coming_tests(bin_dir: Path) -> None:
    for need, reason in (
        (
            system.need_gnome_keyring,
            "gnome-keyring-daemon not found: apt-get install gnome-keyring",
        ),
        (system.need_dbus_run_session, "dbus-run-session not found: apt-get install dbus"),
    ):
        with pytest.raises(pytest.skip.Exception, match=reason):
            need()


def test_qtwebengine_faked_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(system.REQUIRE, raising=False)  # this test checks the skip itself
    monkeypatch.setenv(system.FAKE_MISSING, "QtWebEngine")
    problem = system.qtwebengine_problem()
    assert problem is not None
    with pytest.raises(pytest.skip.Exception, match="apt-get install libnss3"):
        system.need_qtwebengine(problem)
    system.need_qtwebengine(None)  # loads: nothing happens


def run_pytest(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        k: v for k, v in os.environ.items() if k not in (system.REQUIRE, system.FAKE_MISSING)
    }
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:randomly", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_whole_run_skips_visibly_then_fails_in_ci() -> None:
    """End to end: a machine without Xvfb sees a listed skip with the package; CI a failure."""
    target = "tests/widgets/test_real_window.py"
    skipped = run_pytest(target, BULLETIN_FAKE_MISSING="Xvfb")
    assert skipped.returncode == 0, skipped.stdout[-3000:]
    assert "SKIPPED [1] tests/widgets/test_real_window.py:" in skipped.stdout  # the test's line
    assert "Xvfb not found: apt-get install xvfb" in skipped.stdout

    failed = run_pytest(target, BULLETIN_FAKE_MISSING="Xvfb", BULLETIN_REQUIRE_SYSTEM="1")
    assert failed.returncode == 1, failed.stdout[-3000:]
    assert "Xvfb not found: apt-get install xvfb (BULLETIN_REQUIRE_SYSTEM=1" in failed.stdout


def test_widget_folder_skips_when_qtwebengine_cannot_load() -> None:
    result = run_pytest(
        "tests/widgets/test_outline.py", "tests/test_atomic.py", BULLETIN_FAKE_MISSING="QtWebEngine"
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "SKIPPED [1]" in result.stdout
    assert "QtWebEngine cannot load (QtWebEngine faked missing): apt-get install libnss3" in (
        result.stdout
    )
    assert " passed, 1 skipped" in result.stdout

    failed = run_pytest(
        "tests/widgets/test_outline.py",
        BULLETIN_FAKE_MISSING="QtWebEngine",
        BULLETIN_REQUIRE_SYSTEM="1",
    )
    assert failed.returncode != 0
    assert "QtWebEngine cannot load" in failed.stdout
