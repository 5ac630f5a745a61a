"""``bulletin check --spamd`` against a real spamd on loopback, and ``--dns`` against a real DNS
server on loopback serving test records."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from editor import cli
from editor.spam import dns_checks
from tests.dns_server import DnsServer, Records, txt
from tests.spam.helpers import eml
from tests.spam.test_spamd import spamd  # noqa: F401  (the module-scoped spamd fixture)

RECORDS: Records = {
    "jardins.example": {"TXT": [txt("hello")]},  # no SPF, no MX, no DMARC
}


@pytest.fixture(scope="module")
def dns_server() -> Iterator[DnsServer]:
    with DnsServer(RECORDS) as running:
        yield running


@pytest.fixture
def loopback_dns(dns_server: DnsServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks the CLI runs, resolving through the loopback server (no other change)."""
    real = dns_checks.check_sender_domain

    def through_loopback(domain: str, **kw: Any) -> Any:
        return real(domain, resolver=dns_server.resolver(), **kw)

    monkeypatch.setattr(dns_checks, "check_sender_domain", through_loopback)


def test_dns_findings_join_the_report(
    tmp_path: Path, loopback_dns: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(eml())
    assert cli.run(["check", str(path), "--json"]) == 0
    without = json.loads(capsys.readouterr().out)
    assert cli.run(["check", str(path), "--json", "--dns"]) == 0
    data = json.loads(capsys.readouterr().out)
    dns_ids = {f["id"] for f in data["findings"]} - {f["id"] for f in without["findings"]}
    assert any("spf" in i for i in dns_ids), dns_ids
    assert data["points"] > without["points"]


def test_dns_on_an_unknown_domain_exits_2(
    tmp_path: Path, loopback_dns: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(eml(sender="news@nowhere.example"))
    assert cli.run(["check", str(path), "--dns"]) == 2
    assert capsys.readouterr().err.startswith("bulletin: ")


def test_dns_without_a_sender_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.html"
    path.write_text("<p>Hello</p>", encoding="utf-8")
    assert cli.run(["check", str(path), "--dns"]) == 2
    assert "sender" in capsys.readouterr().err


def test_spamd_report_is_shown_beside_ours(
    tmp_path: Path,
    spamd: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(eml())
    assert cli.run(["check", str(path), "--json", "--spamd", spamd]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["spamd"]["threshold"] == 5.0
    assert isinstance(data["spamd"]["rules"], list)
    assert cli.run(["check", str(path), "--spamd", spamd]) == 0
    assert "SpamAssassin: " in capsys.readouterr().out


def test_spamd_not_running_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = tmp_path / "m.eml"
    path.write_bytes(eml())
    assert cli.run(["check", str(path), "--spamd", f"127.0.0.1:{port}"]) == 2
    assert capsys.readouterr().err.startswith("bulletin: ")


def test_dkim_selectors_given_are_looked_up(
    tmp_path: Path, loopback_dns: None, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(eml())
    args = ["check", str(path), "--json", "--dns", "--dkim-selector", "s1"]
    assert cli.run(args) == 0
    data = json.loads(capsys.readouterr().out)
    missing = [f for f in data["findings"] if f["id"] == "dns_dkim_missing"]
    assert missing and "s1" in missing[0]["message"]


def test_the_account_s_server_counts_for_the_free_mail_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from editor.sending.accounts import AccountBook
    from tests.sending.campaign_support import account

    AccountBook().save(account(2525, host="smtp.sendgrid.net", security="starttls"))
    path = tmp_path / "m.eml"
    path.write_bytes(eml(sender="boulangerie.martin@gmail.com"))

    def freemail_points(*extra: str) -> float:
        assert cli.run(["check", str(path), "--json", *extra]) == 0
        data = json.loads(capsys.readouterr().out)
        return sum(f["points"] for f in data["findings"] if f["id"].startswith("freemail"))

    assert freemail_points("--account", "local") > freemail_points()
    assert cli.run(["check", str(path), "--account", "nobody"]) == 2
    assert capsys.readouterr().err.startswith("bulletin: ")
