""" "Send a test" against a real aiosmtpd server on 127.0.0.1: [TEST] subject, the chosen
contact's values, one connection for every address, a precise result per address, no campaign."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage

import pytest

from editor.contacts.store import ContactStore
from editor.sending.accounts import Account, AccountError
from editor.sending.frozen import freeze
from editor.sending.test_send import TEST_PREFIX, parse_addresses, send_test
from editor.sending.tokens import SAMPLE_TOKEN
from tests.sending.test_message import document
from tests.smtp_server import HOST, SmtpServer, closed_port, smtp_server, smtp_server_starttls

__all__ = ["smtp_server", "smtp_server_starttls"]


def account_for(server: SmtpServer | None, **changes: object) -> Account:
    values: dict[str, object] = {
        "name": "Test",
        "host": HOST,
        "port": server.port if server is not None else closed_port(),
        "security": "starttls" if server is not None and server.security == "starttls" else "none",
        "from_email": "news@boulangerie.example",
        "from_name": "Boulangerie Martin",
        "timeout": 5.0,
    }
    if server is not None and server.auth is not None:
        values["username"] = server.auth[0]
    values.update(changes)
    return Account(**values)  # type: ignore[arg-type]


def parsed(raw: bytes) -> EmailMessage:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_test_goes_to_each_address_with_the_contact_values(
    smtp_server_starttls: SmtpServer,
) -> None:
    server = smtp_server_starttls
    contact = {
        "email": "zoe@exemple.fr",
        "first_name": "Zoé",
        "last_name": "Durand",
        "fields": {"city": "Lyon"},
    }
    progress: list[str] = []
    results = send_test(
        document(),
        account_for(server),
        "secret",
        ["me@example.org", "colleague@example.net"],
        contact,
        ssl_context=server.ssl_context_for_clients(),
        progress=lambda r: progress.append(r.address),
    )
    assert [r.ok for r in results] == [True, True], [r.message for r in results]
    assert progress == ["me@example.org", "colleague@example.net"]
    assert "me@example.org" in results[0].message
    received = server.wait_for_messages(2)
    assert server.connections == 1 and server.logins == ["user"]  # one connection for all
    assert [rcpts for _, rcpts, _ in received] == [["me@example.org"], ["colleague@example.net"]]
    for (mail_from, _rcpts, raw), address in zip(
        received, ["me@example.org", "colleague@example.net"], strict=True
    ):
        msg = parsed(raw)
        assert mail_from == "news@boulangerie.example"
        assert msg["Subject"] == f"{TEST_PREFIX} Nouvelles pour Zoé — Lyon"
        assert msg["To"].addresses[0].addr_spec == address
        text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "Bonjour Zoé Durand de Lyon" in text
        html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
        assert "?m=zoe%40exemple.fr" in html  # the contact's own values, address included
        # The sample token: following the test's unsubscribe link unsubscribes nobody.
        assert SAMPLE_TOKEN in msg["List-Unsubscribe"]
    # Nothing was stored as a campaign (the profile's database, where campaigns live).
    with ContactStore() as store:
        count = store.db.connection.execute("SELECT COUNT(*) FROM campaigns").fetchone()[0]
    assert count == 0


def test_sample_values_when_no_contact_and_a_frozen_copy_works(smtp_server: SmtpServer) -> None:
    frozen = freeze(document())
    results = send_test(frozen, account_for(smtp_server), None, ["me@example.org"], None)
    assert results[0].ok, results[0].message
    msg = parsed(smtp_server.wait_for_messages(1)[0][2])
    assert msg["Subject"] == f"{TEST_PREFIX} Nouvelles pour Marie — [city]"


def test_refused_recipient_and_invalid_address_are_told_apart(smtp_server: SmtpServer) -> None:
    smtp_server.rcpt_replies["gone@example.org"] = "550 5.1.1 No such user"
    results = send_test(
        document(),
        account_for(smtp_server),
        None,
        ["gone@example.org", "not an address", "me@example.org"],
        None,
    )
    assert [r.kind for r in results] == ["recipient_refused", "invalid", "ok"]
    assert results[0].code == 550 and "No such user" in results[0].message
    assert "not an address" in results[1].message
    assert smtp_server.recipients() == ["me@example.org"]
    assert smtp_server.connections == 1


def test_wrong_password_is_the_result_of_every_address(
    smtp_server_starttls: SmtpServer,
) -> None:
    server = smtp_server_starttls
    results = send_test(
        document(),
        account_for(server),
        "wrong",
        ["a@example.org", "b@example.org"],
        None,
        ssl_context=server.ssl_context_for_clients(),
    )
    assert [r.kind for r in results] == ["auth", "auth"]
    assert "password" in results[0].message
    assert server.connections == 1  # not one failed login per address
    assert server.messages == []


def test_unreachable_server_is_a_result_not_an_exception() -> None:
    results = send_test(document(), account_for(None), None, ["a@example.org"], None)
    assert [r.kind for r in results] == ["refused"]
    assert "refused the connection" in results[0].message


def test_dropped_connection_reconnects_for_the_next_address(smtp_server: SmtpServer) -> None:
    smtp_server.drop_messages = {1}
    results = send_test(
        document(), account_for(smtp_server), None, ["a@example.org", "b@example.org"], None
    )
    assert [r.kind for r in results] == ["dropped", "ok"]
    assert smtp_server.recipients() == ["b@example.org"]
    assert smtp_server.connections == 2


def test_an_unusable_account_is_refused_before_connecting() -> None:
    with pytest.raises(AccountError):
        send_test(document(), account_for(None, from_email=""), None, ["a@example.org"], None)


def test_addresses_are_split_and_checked() -> None:
    valid, invalid = parse_addresses(
        "a@example.org, b@example.org;\nc@example.org a@example.org x@"
    )
    assert valid == ["a@example.org", "b@example.org", "c@example.org"]
    assert invalid == ["x@"]
