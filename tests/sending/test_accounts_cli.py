"""``bulletin accounts``: through editor.cli.run, with a real keychain and a real SMTP server."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import keyring.backend
import pytest

from editor.cli import run
from editor.sending import secrets
from editor.sending.accounts import AccountBook
from tests.keychain import Keychain, keychain, no_keychain
from tests.smtp_server import SmtpServer, closed_port, smtp_server

__all__ = ["keychain", "no_keychain", "smtp_server"]

PASSWORD = "Tr0ub4dor-&3-unique-8f2c1e"


def feed_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def add(*extra: str) -> int:
    return run(
        [
            "accounts",
            "add",
            "Work",
            "--host",
            "smtp.example.org",
            "--port",
            "587",
            "--security",
            "starttls",
            "--from",
            "news@example.org",
            *extra,
        ]
    )


def test_password_goes_to_the_keychain_and_nowhere_else(
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    bulletin_home: Path,
) -> None:
    caplog.set_level(logging.DEBUG)
    feed_stdin(monkeypatch, PASSWORD + "\n")
    local = ["--host", "127.0.0.1", "--port", str(closed_port()), "--security", "none"]
    assert add(*local, "--username", "me@example.org", "--password-stdin", "--rate", "30/min") == 0
    assert secrets.get_password("Work") == PASSWORD
    account = AccountBook().get("Work")
    assert (account.username, account.rate_per_minute) == ("me@example.org", 30)
    # The password is in no file of the data folder, in any encoding a leak would take.
    files = [p for p in bulletin_home.rglob("*") if p.is_file()]
    assert files, "the account was saved somewhere"
    needles = [PASSWORD.encode(), PASSWORD.encode("utf-16-le"), PASSWORD[5:20].encode()]
    for path in files:
        data = path.read_bytes()
        assert not any(needle in data for needle in needles), path
    out = capsys.readouterr()
    assert PASSWORD not in out.out + out.err
    assert PASSWORD not in caplog.text
    # And the failing test command does not leak it either.
    assert run(["accounts", "test", "Work"]) == 2  # nothing listens on that port
    out = capsys.readouterr()
    assert PASSWORD not in out.out + out.err + caplog.text


def test_add_list_test_remove(
    keychain: Keychain,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["accounts", "add", "Local", "--host", "127.0.0.1", "--port", str(smtp_server.port)]
    args += ["--security", "none", "--from", "news@example.org", "--from-name", "La Lettre"]
    args += ["--rate", "100/hour", "--connections", "2", "--daily-quota", "400"]
    assert run(args) == 0
    capsys.readouterr()
    assert run(["accounts", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [
        (a["name"], a["rate_per_hour"], a["connections"], a["daily_quota"]) for a in listed
    ] == [("Local", 100, 2, 400)]
    assert run(["accounts", "list"]) == 0
    assert "Local\t127.0.0.1:" in capsys.readouterr().out
    assert run(["accounts", "test", "Local"]) == 0
    assert "news@example.org" in capsys.readouterr().out
    assert smtp_server.messages == []  # the test sends nothing
    secrets.set_password("Local", "pw")
    assert run(["accounts", "remove", "Local"]) == 0
    assert AccountBook().list() == []
    assert not secrets.has_password("Local")  # removing an account forgets its password


def test_test_failure_exits_2_with_the_diagnosis(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["accounts", "add", "Dead", "--host", "127.0.0.1", "--port", str(closed_port())]
    assert run([*args, "--security", "none", "--from", "a@example.org"]) == 0
    capsys.readouterr()
    assert run(["accounts", "test", "Dead"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bulletin: ") and "refused the connection" in err


def test_sender_refused_by_the_server(
    smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    smtp_server.mail_from_replies["*"] = "550 5.7.1 Not your domain"
    args = ["accounts", "add", "L", "--host", "localhost", "--port", str(smtp_server.port)]
    assert run([*args, "--security", "none", "--from", "a@example.org"]) == 0
    assert run(["accounts", "test", "L"]) == 2
    assert "sender address a@example.org" in capsys.readouterr().err


def test_security_none_needs_insecure_for_a_remote_host(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert add("--security", "none") == 2
    err = capsys.readouterr().err
    assert "--insecure" in err and err.count("\n") == 1
    assert AccountBook().list() == []
    assert add("--security", "none", "--insecure") == 0
    assert AccountBook().get("Work").insecure_confirmed


def test_preset(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["accounts", "add", "SG", "--preset", "sendgrid", "--from", "a@example.org"]
    assert run(args) == 0
    account = AccountBook().get("SG")
    assert (account.host, account.port, account.username) == ("smtp.sendgrid.net", 587, "apikey")
    args = ["accounts", "add", "SES", "--preset", "ses", "--region", "eu-west-1"]
    assert run([*args, "--from", "a@example.org", "--rate", "10/min"]) == 0
    ses = AccountBook().get("SES")
    assert (ses.host, ses.rate_per_minute) == ("email-smtp.eu-west-1.amazonaws.com", 10)


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--rate", "fast"], "N/min"),
        (["--port", "70000"], "port"),
        (["--from-name", "x"], None),
        (["--connections", "50"], "connections"),
    ],
)
def test_bad_options_one_sentence_exit_2(
    extra: list[str], words: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = add(*extra)
    err = capsys.readouterr().err
    if words is None:
        assert code == 0
        return
    assert code == 2
    assert words in err and err.startswith("bulletin: ")


def test_unknown_account(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["accounts", "test", "Nope"]) == 2
    assert capsys.readouterr().err == 'bulletin: No account named "Nope".\n'
    assert run(["accounts", "remove", "Nope"]) == 2


def test_no_keychain_refuses_and_saves_nothing(
    no_keychain: keyring.backend.KeyringBackend,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    feed_stdin(monkeypatch, PASSWORD + "\n")
    assert add("--username", "me", "--password-stdin") == 2
    err = capsys.readouterr().err
    assert "keychain" in err and "gnome-keyring" in err and PASSWORD not in err
    assert AccountBook().list() == []


def test_locked_keychain_on_test(keychain: Keychain, capsys: pytest.CaptureFixture[str]) -> None:
    assert add("--username", "me") == 0
    secrets.set_password("Work", PASSWORD)
    keychain.lock()
    assert run(["accounts", "test", "Work"]) == 2
    assert "locked" in capsys.readouterr().err


def test_damaged_accounts_file(bulletin_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bulletin_home / "accounts.json").write_text("{oops", encoding="utf-8")
    assert run(["accounts", "list"]) == 2
    assert "damaged" in capsys.readouterr().err
