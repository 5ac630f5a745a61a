"""The periodic report really sent: a loopback aiosmtpd server (STARTTLS and a login), the
password in a real Secret Service, the headers and both parts checked as received; once per
period even after a crash, a refusal retried later, a broken connection never retried; and the
``bulletin digest`` command with its exit codes."""

from __future__ import annotations

import email
import json
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest

from editor.cli import run
from editor.contacts.store import ContactStore
from editor.digest import (
    RETRY_AFTER,
    DigestSendError,
    DigestSettings,
    claim,
    last_complete,
    read_record,
    run_due,
    save_settings,
    send_digest,
)
from editor.sending import secrets
from editor.sending.accounts import Account, AccountBook
from tests.keychain import Keychain, keychain
from tests.sending.campaign_support import account as local_account
from tests.smtp_server import HOST, SmtpServer, closed_port, smtp_server, smtp_server_starttls

__all__ = ["keychain", "smtp_server", "smtp_server_starttls"]

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 3, 9, 8, 30, tzinfo=PARIS)  # the report of 2–8 March is due
OWNER = "owner@example.org"


def owner_account(server: SmtpServer) -> Account:
    return Account(
        name="Owner SMTP",
        host=HOST,
        port=server.port,
        security="starttls",
        username="user",
        from_email="news@boulangerie.example",
        from_name="Boulangerie Martin",
        timeout=5.0,
    )


def configure(account: Account, **changes: object) -> DigestSettings:
    AccountBook().save(account)
    values: dict[str, object] = {
        "enabled": True,
        "recipients": [OWNER],
        "account": account.name,
        "language": "en",
        "timezone": "Europe/Paris",
        "since": "2026-01-01T00:00:00Z",
    }
    values.update(changes)
    return save_settings(DigestSettings(**values))  # type: ignore[arg-type]


def parsed(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def body(msg: EmailMessage, kind: str) -> str:
    part = msg.get_body((kind,))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


@pytest.fixture
def server(smtp_server_starttls: SmtpServer, keychain: Keychain) -> SmtpServer:
    del keychain  # running: the password goes there
    secrets.set_password("Owner SMTP", "secret")
    return smtp_server_starttls


def test_due_report_goes_out_once_with_its_headers_and_parts(server: SmtpServer) -> None:
    configure(owner_account(server))
    context = server.ssl_context_for_clients()
    with ContactStore() as store:
        outcome = run_due(store.db, now=MONDAY, ssl_context=context)
        assert outcome is not None and outcome.period.key == "2026-W10" and outcome.recorded
        assert run_due(store.db, now=MONDAY + timedelta(hours=2), ssl_context=context) is None
        record = read_record(store.db, "week")
    assert (record.period, record.state) == ("2026-W10", "sent")
    [(mail_from, rcpts, raw)] = server.wait_for_messages(1)
    assert server.logins == ["user"] and len(server.messages) == 1
    assert (mail_from, rcpts) == ("news@boulangerie.example", [OWNER])
    msg = parsed(raw)
    assert msg["Subject"] == "Bulletin — your week: nothing sent"
    assert msg["From"].addresses[0].addr_spec == "news@boulangerie.example"
    assert msg["From"].addresses[0].display_name == "Boulangerie Martin"
    assert msg["To"].addresses[0].addr_spec == OWNER
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["Content-Language"] == "en" and msg["X-Bulletin-Digest"] == "2026-W10"
    assert msg["Message-ID"].endswith("@boulangerie.example>") and msg["Date"]
    assert msg.get_content_type() == "multipart/alternative"
    text = body(msg, "plain")
    page = body(msg, "html")
    assert "No campaign was sent this week." in text and "Owner SMTP" in text
    assert "No campaign was sent this week." in page
    assert "<img" not in page and "src=" not in page and "http" not in page
    assert b"secret" not in raw


def test_french_report(server: SmtpServer) -> None:
    configure(owner_account(server), language="fr", frequency="month")
    with ContactStore() as store:
        outcome = run_due(
            store.db,
            now=datetime(2026, 4, 1, 9, tzinfo=PARIS),
            ssl_context=server.ssl_context_for_clients(),
        )
    assert outcome is not None and outcome.period.key == "2026-03"
    msg = parsed(server.wait_for_messages(1)[0][2])
    assert msg["Subject"] == "Bulletin — votre mois\u00a0: aucun envoi"
    assert msg["Content-Language"] == "fr"
    text = body(msg, "plain")
    assert text.startswith("Votre mois avec Bulletin — mars 2026\n")
    assert "Aucune campagne n’a été envoyée ce mois-ci." in text


def test_a_crash_after_the_claim_is_not_sent_again(server: SmtpServer) -> None:
    configure(owner_account(server))
    period = last_complete(MONDAY, "week", PARIS)
    with ContactStore() as store:
        assert claim(store.db, period, MONDAY) is not None  # then the app died
        assert run_due(store.db, now=MONDAY + timedelta(days=1)) is None
        assert read_record(store.db, "week").interrupted
    assert server.connections == 0


def test_a_refusal_is_retried_an_hour_later(server: SmtpServer) -> None:
    configure(owner_account(server))
    context = server.ssl_context_for_clients()
    server.rcpt_replies[OWNER] = "550 5.1.1 No such user here"
    with ContactStore() as store:
        with pytest.raises(DigestSendError, match="refused the recipient") as refused:
            run_due(store.db, now=MONDAY, ssl_context=context)
        assert not refused.value.uncertain
        record = read_record(store.db, "week")
        assert (record.period, record.failed) == (None, "2026-W10")
        assert "No such user" in record.error
        attempts = server.connections
        soon = MONDAY + RETRY_AFTER - timedelta(minutes=1)
        assert run_due(store.db, now=soon, ssl_context=context) is None
        assert server.connections == attempts  # not even a connection
        del server.rcpt_replies[OWNER]
        outcome = run_due(store.db, now=MONDAY + RETRY_AFTER, ssl_context=context)
        assert outcome is not None and read_record(store.db, "week").state == "sent"
    assert len(server.wait_for_messages(1)) == 1


def test_a_connection_cut_after_the_message_is_not_retried(server: SmtpServer) -> None:
    """It may have arrived: the period stays claimed rather than risk a second copy."""
    configure(owner_account(server))
    context = server.ssl_context_for_clients()
    server.drop_messages = {1}
    with ContactStore() as store:
        with pytest.raises(DigestSendError) as cut:
            run_due(store.db, now=MONDAY, ssl_context=context)
        assert cut.value.uncertain
        assert read_record(store.db, "week").interrupted
        assert run_due(store.db, now=MONDAY + timedelta(days=1), ssl_context=context) is None


def test_keychain_and_login_problems_are_sentences(keychain: Keychain) -> None:
    del keychain
    with SmtpServer(security="starttls", auth=("user", "secret")) as server:
        configure(owner_account(server))
        context = server.ssl_context_for_clients()
        with ContactStore() as store:
            with pytest.raises(DigestSendError, match='no password for the account "Owner SMTP"'):
                run_due(store.db, now=MONDAY, ssl_context=context)
            secrets.set_password("Owner SMTP", "wrong")
            with pytest.raises(DigestSendError, match="refused the user name or the password"):
                run_due(store.db, now=MONDAY + RETRY_AFTER, ssl_context=context)
            assert read_record(store.db, "week").period is None  # nothing sent: given back
        assert server.messages == []


def test_send_now_to_another_address_is_not_recorded(server: SmtpServer) -> None:
    settings = configure(owner_account(server))
    context = server.ssl_context_for_clients()
    with ContactStore() as store:
        tried = send_digest(
            store.db, settings, now=MONDAY, to=["me@example.net"], ssl_context=context
        )
        assert not tried.recorded and read_record(store.db, "week").period is None
        assert run_due(store.db, now=MONDAY, ssl_context=context) is not None  # still due
        # "Send now" to the owner records the period: the automatic report will not repeat it.
        now = send_digest(store.db, settings, now=MONDAY + timedelta(days=7), ssl_context=context)
        assert now.recorded and now.period.key == "2026-W11"
        assert run_due(store.db, now=MONDAY + timedelta(days=7), ssl_context=context) is None
    assert [m[1] for m in server.wait_for_messages(3)] == [["me@example.net"], [OWNER], [OWNER]]


# -- the command line --------------------------------------------------------------------------


def _zone_past_monday_morning() -> str:
    """A time zone where it is not Monday before 8 right now (the report is due there)."""
    now = datetime.now(UTC)
    for name in ("UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"):
        local = now.astimezone(ZoneInfo(name))
        if not (local.weekday() == 0 and local.hour < 8):
            return name
    raise AssertionError("the three zones' Monday mornings do not overlap")


def test_cli_preview_json_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["digest"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Your week in Bulletin — ")  # the app's language (English here)
    assert run(["digest", "--json", "--period", "month"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"]["kind"] == "month" and data["campaigns"] == []
    assert run(["digest", "--to", "x@example.net"]) == 2
    assert "--to goes with --send" in capsys.readouterr().err
    assert run(["digest", "--send"]) == 2  # nothing configured yet
    assert "Give the address the report goes to." in capsys.readouterr().err


def test_cli_send_if_due_and_smtp_failure(
    smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    configure(local_account(smtp_server.port), language="en", timezone=_zone_past_monday_morning())
    assert run(["digest", "--if-due"]) == 0
    assert (
        "sent to owner@example.org: Bulletin — your week: nothing sent" in capsys.readouterr().out
    )
    assert run(["digest", "--if-due"]) == 0  # the same period: not again
    assert "The report is not due." in capsys.readouterr().out
    assert run(["digest", "--send", "--to", "me@example.net", "--to", "you@example.net"]) == 0
    assert "me@example.net, you@example.net" in capsys.readouterr().out
    assert [m[1] for m in smtp_server.wait_for_messages(2)] == [
        [OWNER],
        ["me@example.net", "you@example.net"],
    ]
    configure(local_account(closed_port()), language="en")
    assert run(["digest", "--send"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bulletin: ") and "refused the connection" in err


def test_cli_keychain_failure(keychain: Keychain, capsys: pytest.CaptureFixture[str]) -> None:
    del keychain
    configure(local_account(closed_port(), username="someone"), language="en")
    assert run(["digest", "--send"]) == 2
    assert 'no password for the account "local"' in capsys.readouterr().err


def test_a_hand_edited_account_cannot_inject_headers(smtp_server: SmtpServer) -> None:
    configure(local_account(smtp_server.port))
    path = AccountBook().path
    data = json.loads(path.read_text(encoding="utf-8"))
    data["accounts"][0]["from_name"] = "Evil\r\nBcc: everyone@example.net"
    path.write_text(json.dumps(data), encoding="utf-8")
    with ContactStore() as store, pytest.raises(DigestSendError, match="on one line"):
        run_due(store.db, now=MONDAY)
    assert smtp_server.messages == []
