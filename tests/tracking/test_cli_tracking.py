"""``bulletin tracking …`` through editor.cli.run, with a real keychain and the real endpoint."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from editor.cli import run
from editor.contacts.model import DB_NAME
from editor.contacts.store import ContactStore
from editor.settings import data_dir
from editor.tracking import consent, settings
from editor.tracking.links import open_url
from tests.keychain import Keychain, keychain
from tests.tracking.php_server import SECRET, PhpEndpoint
from tests.tracking.support import CONSENTING, READERS, measured_profile

__all__ = ["keychain"]


def feed_stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def test_setup_endpoint_status_and_fetch(
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    measured_profile(data_dir() / DB_NAME).close()
    with PhpEndpoint(tmp_path / "site") as endpoint:
        feed_stdin(monkeypatch, SECRET + "\n")
        assert run(["tracking", "setup", "--url", endpoint.url, "--secret-stdin"]) == 0
        assert "Measurement is on" in capsys.readouterr().out
        assert settings.get_secret() == SECRET
        assert SECRET not in (data_dir() / "tracking.json").read_text()

        assert run(["tracking", "endpoint"]) == 0
        php = capsys.readouterr().out
        assert php.startswith("<?php") and f"const BULLETIN_SECRET = '{SECRET}';" in php

        assert run(["tracking", "status", "--json"]) == 0
        status = json.loads(capsys.readouterr().out)
        assert status == {"url": endpoint.url, "enabled": True, "consenting": len(CONSENTING)}

        endpoint.get(open_url(endpoint.url, "UnknownTokenUnknown0"))
        assert run(["tracking", "fetch", "--json"]) == 0
        result = json.loads(capsys.readouterr().out)
        assert (result["read"], result["stored"], result["ignored"], result["purged"]) == (
            1,
            0,
            1,
            True,
        )

        assert run(["tracking", "disable"]) == 0
        assert settings.load().enabled is False
        assert run(["tracking", "enable"]) == 0
        assert settings.load().enabled is True


def test_setup_refusals_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["tracking", "setup", "--url", "http://exemple.fr/t.php", "--secret-stdin"]) == 2
    assert "https" in capsys.readouterr().err
    assert run(["tracking", "setup", "--url", "https://exemple.fr/t.php"]) == 2
    assert "--secret-stdin" in capsys.readouterr().err
    feed_stdin(monkeypatch, "short\n")
    assert run(["tracking", "setup", "--url", "https://exemple.fr/t.php", "--secret-stdin"]) == 2
    assert "at least 16" in capsys.readouterr().err
    assert not (data_dir() / "tracking.json").exists()
    assert run(["tracking", "fetch"]) == 2
    assert "bulletin tracking setup" in capsys.readouterr().err
    assert run(["tracking", "enable"]) == 2


def test_consent_and_withdrawal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    measured_profile(data_dir() / DB_NAME).close()
    listing = tmp_path / "agreed.csv"
    listing.write_text(f"email;name\n{READERS[4]};Zoé\n", encoding="utf-8")
    args = ["tracking", "consent", READERS[3], "nobody@example.org", "--from-file", str(listing)]
    assert run([*args, "--proof", "form of 4 March, box ticked"]) == 0
    captured = capsys.readouterr()
    assert "2 consents to measurement recorded." in captured.out
    assert "nobody@example.org is not a contact" in captured.err
    with ContactStore(data_dir() / DB_NAME) as store:
        record = consent.record(store.db, READERS[3])
        assert record is not None and record.active
        assert record.proof == "form of 4 March, box ticked"
        assert consent.consenting_count(store.db) == len(CONSENTING) + 2
    assert run(["tracking", "consent", "--withdraw", READERS[3], READERS[5]]) == 0
    assert "1 withdrawal of consent to measurement recorded." in capsys.readouterr().out
    with ContactStore(data_dir() / DB_NAME) as store:
        record = consent.record(store.db, READERS[3])
        assert record is not None and not record.active and record.withdrawn_at
    assert run(["tracking", "consent"]) == 2
