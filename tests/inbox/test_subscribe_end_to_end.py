"""Subscriptions by email end to end, through ``bulletin inbox``: a request lands in a real
dovecot mailbox, the sync sends the confirmation through a real SMTP server (aiosmtpd), the
person's reply lands in the mailbox, the next sync subscribes them with the proof; a second
sync changes nothing and sends nothing."""

from __future__ import annotations

import email
import io
import json
from pathlib import Path
from typing import Any

import pytest

from editor.cli import run
from editor.contacts.store import ContactStore
from editor.inbox.subscriptions import pending_requests
from editor.sending.accounts import AccountBook
from tests.imap_server import ImapServer, imap_server
from tests.inbox.subscribe_samples import out_of_office_reply, reply, request
from tests.inbox.test_cli_inbox import JSON_KEYS
from tests.keychain import Keychain, keychain
from tests.sending.campaign_support import account, profile
from tests.smtp_server import SmtpServer, smtp_server

__all__ = ["imap_server", "keychain", "smtp_server"]

MARIE = "marie@example.net"


def add_mailbox(server: ImapServer, monkeypatch: pytest.MonkeyPatch, *extra: str) -> int:
    monkeypatch.setattr(
        "sys.stdin", io.TextIOWrapper(io.BytesIO((server.password + "\n").encode()))
    )
    return run(
        [
            "inbox",
            "add",
            "News",
            "--host",
            server.host,
            "--port",
            str(server.port),
            "--security",
            "none",
            "--username",
            server.user,
            "--password-stdin",
            *extra,
        ]
    )


def sync(capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], str]:
    assert run(["inbox", "sync", "News", "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert set(data) == JSON_KEYS  # the contract: no key added for subscriptions
    return data, captured.err


def test_request_confirmation_reply_on_real_servers(
    imap_server: ImapServer,
    smtp_server: SmtpServer,
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    bulletin_home: Path,
) -> None:
    profile(bulletin_home / "contacts.sqlite3", {"Readers": ["old@example.net"]}).close()
    AccountBook().save(account(smtp_server.port))
    extra = ("--account", "local", "--subscribe-list", "Lecteurs du site", "--check-every", "15")
    assert add_mailbox(imap_server, monkeypatch, *extra) == 0
    capsys.readouterr()
    imap_server.append(request(f"Marie <{MARIE}>", subject="Abonnement", body="Bonjour\n"))

    data, err = sync(capsys)
    assert data["processed"] == 1 and data["changed"] == []
    assert all(data[k] == 0 for k in JSON_KEYS - {"processed", "changed"})
    assert "1 subscription confirmation sent." in err
    ((mail_from, rcpts, raw),) = smtp_server.wait_for_messages(1)
    assert (mail_from, rcpts) == ("bounces@example.org", [MARIE])
    confirmation = email.message_from_bytes(raw)
    assert confirmation["From"] == "Les Nouvelles <news@example.org>"
    assert confirmation["Reply-To"].startswith("Les Nouvelles <news+confirm-")
    assert confirmation["Auto-Submitted"] == "auto-replied"
    assert confirmation["Content-Language"] == "fr"  # the request was in French
    assert confirmation["Message-ID"].endswith("@example.org>")
    with ContactStore() as store:
        assert store.get(MARIE) is None

    imap_server.append(out_of_office_reply(raw, MARIE))  # must not confirm
    imap_server.append(reply(raw, f"Marie <{MARIE}>"))
    data, _err = sync(capsys)
    assert data["processed"] == 2 and data["auto_replies"] == 1
    (change,) = data["changed"]
    assert (change["email"], change["status"]) == (MARIE, "subscribed")
    assert confirmation["Message-ID"] in change["reason"]
    with ContactStore() as store:
        contact = store.get(MARIE)
        assert contact is not None and contact.status == "subscribed"
        assert contact.lists == ["Lecteurs du site"] and contact.basis == "consent"
        assert confirmation["Message-ID"] in contact.basis_proof
        assert "Pour confirmer, répondez à ce message" in contact.basis_proof
        assert pending_requests(store) == []

    data, err = sync(capsys)  # a second sync changes nothing and sends nothing
    assert data["processed"] == 0 and data["changed"] == [] and err == ""
    assert len(smtp_server.messages) == 1
    assert len(imap_server.messages()) == 3  # nothing deleted

    assert run(["inbox", "list"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.split("\t")[-1].startswith("Last checked ")
    assert run(["inbox", "list", "--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)
    assert entry["accept_subscriptions"] is True and entry["check_every"] == 15
    assert entry["subscribe_list"] == "Lecteurs du site"


def test_without_an_account_the_requests_wait_and_the_output_says_why(
    imap_server: ImapServer,
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    bulletin_home: Path,
) -> None:
    profile(bulletin_home / "contacts.sqlite3", {"Readers": []}).close()
    assert add_mailbox(imap_server, monkeypatch, "--subscribe-list", "Readers") == 0
    capsys.readouterr()
    imap_server.append(request(MARIE))
    assert run(["inbox", "sync", "News"]) == 0
    out = capsys.readouterr().out
    assert "Messages processed: 1" in " ".join(out.split())
    assert "1 subscription request waits for its confirmation email." in out
    assert "no sending account" in out
    with ContactStore() as store:
        assert [r.state for r in pending_requests(store)] == ["queued"]


def test_import_with_a_mailbox_applies_its_settings(
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    bulletin_home: Path,
    tmp_path: Path,
) -> None:
    import mailbox as stdlib_mailbox

    from editor.inbox.mailboxes import Mailbox, MailboxBook

    profile(bulletin_home / "contacts.sqlite3", {"Readers": []}).close()
    AccountBook().save(account(smtp_server.port))
    MailboxBook().save(
        Mailbox(
            "News",
            "127.0.0.1",
            143,
            "none",
            "u",
            account="local",
            accept_subscriptions=True,
            subscribe_list="Readers",
        )
    )
    path = tmp_path / "export.mbox"
    box = stdlib_mailbox.mbox(path)
    box.add(request(MARIE))
    box.close()
    assert run(["inbox", "import", str(path), "--json"]) == 0  # no mailbox: review list
    assert "confirmation" not in capsys.readouterr().err and smtp_server.messages == []
    other = tmp_path / "other.mbox"
    box = stdlib_mailbox.mbox(other)
    box.add(request(MARIE, message_id="<another@x>"))
    box.close()
    assert run(["inbox", "import", str(other), "--json", "--mailbox", "News"]) == 0
    assert "1 subscription confirmation sent." in capsys.readouterr().err
    assert smtp_server.wait_for_messages(1)[0][1] == [MARIE]


def test_measurement_consent_through_real_servers(
    imap_server: ImapServer,
    smtp_server: SmtpServer,
    keychain: Keychain,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    bulletin_home: Path,
) -> None:
    """The signup form's second button: its request carries the measurement line; confirmed,
    the person is subscribed AND consents to measurement, with the proof. A request without
    the line, confirmed the same way, records no such consent."""
    from editor.tracking import consent

    paul = "paul@example.net"
    profile(bulletin_home / "contacts.sqlite3", {"Readers": []}).close()
    AccountBook().save(account(smtp_server.port))
    assert add_mailbox(imap_server, monkeypatch, "--account", "local", "--subscribe-list", "R") == 0
    capsys.readouterr()
    line = "Mesure des ouvertures et des clics : oui"
    body = f"J’accepte de recevoir la lettre.\r\n{line}\r\nPrénom (facultatif) : Marie\r\n"
    imap_server.append(request(f"Marie <{MARIE}>", subject="Abonnement", body=body))
    imap_server.append(request(paul, message_id="<req-paul@x>"))
    data, err = sync(capsys)
    assert data["processed"] == 2 and "2 subscription confirmations sent." in err
    sent = {rcpts[0]: raw for _f, rcpts, raw in smtp_server.wait_for_messages(2)}
    marie_confirmation = email.message_from_bytes(sent[MARIE])
    text = marie_confirmation.get_payload(decode=True)
    assert isinstance(text, bytes) and "nous mesurions" in text.decode("utf-8")
    assert b"measuring" not in sent[paul] and b"mesurions" not in sent[paul]

    imap_server.append(reply(sent[MARIE], f"Marie <{MARIE}>"))
    imap_server.append(reply(sent[paul], paul, message_id="<reply-paul@x>"))
    data, _err = sync(capsys)
    assert sorted((c["email"], c["status"]) for c in data["changed"]) == [
        (MARIE, "subscribed"),
        (paul, "subscribed"),
    ]
    with ContactStore() as store:
        for address in (MARIE, paul):
            contact = store.get(address)
            assert contact is not None and contact.status == "subscribed"
        record = consent.record(store.db, MARIE)
        assert record is not None and record.active
        assert line in record.proof and "<req-1@mail.example.com>" in record.proof
        assert marie_confirmation["Message-ID"] in record.proof
        assert consent.record(store.db, paul) is None
        assert consent.consenting_count(store.db) == 1
    assert run(["tracking", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["consenting"] == 1
