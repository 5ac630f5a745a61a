"""Every diagnosis of "Test connection", produced by a real server or a real socket situation."""

from __future__ import annotations

import smtplib
import socket
import ssl

import pytest

from editor.sending.accounts import Account
from editor.sending.connect import SmtpFailure, failure_from, open_connection, test_connection
from tests.smtp_server import (
    HOST,
    SilentServer,
    SmtpServer,
    closed_port,
    smtp_server,
    smtp_server_starttls,
    smtp_server_tls,
)

__all__ = ["smtp_server", "smtp_server_starttls", "smtp_server_tls"]


def account_for(server: SmtpServer | SilentServer | None = None, **changes: object) -> Account:
    security = "none"
    if isinstance(server, SmtpServer):
        security = {"plain": "none", "starttls": "starttls", "tls": "tls"}[server.security]
    values: dict[str, object] = {
        "name": "Test",
        "host": HOST,
        "port": server.port if server is not None else 25,
        "security": security,
        "from_email": "news@example.org",
        "timeout": 5.0,
    }
    if isinstance(server, SmtpServer) and server.auth is not None:
        values["username"] = server.auth[0]
    values.update(changes)
    return Account(**values)  # type: ignore[arg-type]


def test_starttls_login_and_sender_ok_sends_nothing(smtp_server_starttls: SmtpServer) -> None:
    server = smtp_server_starttls
    result = test_connection(
        account_for(server), "secret", ssl_context=server.ssl_context_for_clients()
    )
    assert result.ok, result.message
    assert result.kind == "ok"
    assert "news@example.org" in result.message
    assert server.logins == ["user"]
    assert server.messages == []


def test_implicit_tls_ok(smtp_server_tls: SmtpServer) -> None:
    server = smtp_server_tls
    result = test_connection(
        account_for(server), "secret", ssl_context=server.ssl_context_for_clients()
    )
    assert result.ok


def test_open_connection_is_logged_in_and_sends(smtp_server_starttls: SmtpServer) -> None:
    server = smtp_server_starttls
    smtp = open_connection(
        account_for(server), "secret", ssl_context=server.ssl_context_for_clients()
    )
    try:
        smtp.sendmail("news@example.org", ["a@example.com"], b"Subject: x\r\n\r\nbody\r\n")
    finally:
        smtp.quit()
    assert [m[1] for m in server.messages] == [["a@example.com"]]


def test_wrong_password_is_auth(smtp_server_starttls: SmtpServer) -> None:
    server = smtp_server_starttls
    result = test_connection(
        account_for(server), "wrong-pass-123", ssl_context=server.ssl_context_for_clients()
    )
    assert (result.ok, result.kind, result.code) == (False, "auth", 535)
    assert "wrong-pass-123" not in result.message + result.hint + result.detail
    with pytest.raises(SmtpFailure) as caught:
        open_connection(
            account_for(server), "wrong-pass-123", ssl_context=server.ssl_context_for_clients()
        )
    assert caught.value.kind == "auth" and not caught.value.temporary
    assert "wrong-pass-123" not in str(caught.value) + repr(caught.value)


def test_sender_refused_at_mail_from(smtp_server: SmtpServer) -> None:
    smtp_server.mail_from_replies["news@example.org"] = "553 5.7.1 Sender not allowed"
    result = test_connection(account_for(smtp_server), None)
    assert (result.kind, result.code) == ("sender_refused", 553)
    assert "Sender not allowed" in result.message


def test_envelope_sender_is_the_one_tested(smtp_server: SmtpServer) -> None:
    smtp_server.mail_from_replies["bounces@example.org"] = "550 5.7.1 No"
    result = test_connection(account_for(smtp_server, envelope_from="bounces@example.org"), None)
    assert result.kind == "sender_refused"


def test_untrusted_self_signed_certificate(smtp_server_starttls: SmtpServer) -> None:
    # No ssl_context: the system's CAs, which do not know the test's self-signed certificate.
    result = test_connection(account_for(smtp_server_starttls), "secret")
    assert result.kind == "certificate"
    assert "self-signed" in result.detail or "self signed" in result.detail


def test_certificate_for_another_name() -> None:
    with SmtpServer(security="tls", cert_names=("mail.other.example",)) as server:
        result = test_connection(
            account_for(server), None, ssl_context=server.ssl_context_for_clients()
        )
    assert result.kind == "certificate"
    assert "mismatch" in result.detail.lower() or "not valid" in result.detail.lower()


def test_expired_certificate() -> None:
    with SmtpServer(security="tls", expired_cert=True) as server:
        result = test_connection(
            account_for(server), None, ssl_context=server.ssl_context_for_clients()
        )
    assert result.kind == "certificate"
    assert "expired" in result.detail


def test_tls_on_a_starttls_port_is_wrong_security(smtp_server_starttls: SmtpServer) -> None:
    server = smtp_server_starttls
    result = test_connection(
        account_for(server, security="tls"), "secret", ssl_context=server.ssl_context_for_clients()
    )
    assert result.kind == "wrong_security"
    assert str(server.port) in result.message


def test_plain_on_a_tls_port_is_wrong_security(smtp_server_tls: SmtpServer) -> None:
    server = smtp_server_tls
    account = account_for(server, security="starttls", timeout=0.5)
    result = test_connection(account, "secret", ssl_context=server.ssl_context_for_clients())
    assert result.kind == "wrong_security"


def test_server_without_starttls(smtp_server: SmtpServer) -> None:
    result = test_connection(account_for(smtp_server, security="starttls"), None)
    assert result.kind == "no_starttls"


def test_closed_port_is_refused() -> None:
    result = test_connection(account_for(port=closed_port()), None)
    assert result.kind == "refused"


def test_unknown_name() -> None:
    # .invalid never resolves (RFC 2606): resolvers answer without asking the network.
    result = test_connection(account_for(host="smtp.bulletin-test.invalid", security="tls"), None)
    assert result.kind == "name_not_found"
    assert "smtp.bulletin-test.invalid" in result.message


def test_silent_server_is_timeout() -> None:
    with SilentServer() as silent:
        result = test_connection(account_for(silent, timeout=0.3), None)
    assert result.kind == "timeout"
    assert result.hint


def test_421_greeting_is_temporary(smtp_server: SmtpServer) -> None:
    smtp_server.refuse_next_connections = 1
    with pytest.raises(SmtpFailure) as caught:
        open_connection(account_for(smtp_server), None)
    assert (caught.value.kind, caught.value.code, caught.value.temporary) == (
        "temporary",
        421,
        True,
    )


def test_sending_failures_classified(smtp_server: SmtpServer) -> None:
    smtp_server.rcpt_replies["nobody@example.com"] = "550 5.1.1 No such user"
    smtp_server.message_replies[1] = "452 4.3.1 Insufficient storage"
    smtp_server.drop_messages.add(2)
    smtp = open_connection(account_for(smtp_server), None)
    failures = []
    for rcpt in ("nobody@example.com", "a@example.com", "b@example.com"):
        try:
            smtp.sendmail("news@example.org", [rcpt], b"Subject: x\r\n\r\nx\r\n")
        except (smtplib.SMTPException, OSError) as exc:
            failures.append(failure_from(exc))
    smtp.close()
    assert [(f.kind, f.code, f.temporary) for f in failures] == [
        ("recipient_refused", 550, False),
        ("temporary", 452, True),
        ("dropped", None, True),
    ]


def test_failure_from_system_errors() -> None:
    assert failure_from(socket.gaierror(socket.EAI_NONAME, "Name or service not known")).kind == (
        "name_not_found"
    )
    assert failure_from(TimeoutError("timed out")).kind == "timeout"
    assert failure_from(ConnectionRefusedError(111, "Connection refused")).kind == "refused"
    cert = ssl.SSLCertVerificationError(1, "certificate verify failed")
    assert failure_from(cert).kind == "certificate"


def test_none_security_without_tls(smtp_server: SmtpServer) -> None:
    assert test_connection(account_for(smtp_server), None).ok


def test_diagnosis_is_worded_in_the_ui_language(smtp_server: SmtpServer) -> None:
    from editor import i18n

    result = test_connection(account_for(port=closed_port()), None)
    before = i18n.language()
    try:
        i18n.set_language("en")
        english = result.message
    finally:
        i18n.set_language(before)
    assert "refused the connection" in english


def test_unconfirmed_cleartext_to_another_host_is_refused_before_connecting() -> None:
    from editor.sending.accounts import AccountError

    # The .invalid name would fail to resolve: the refusal comes first, nothing is looked up.
    with pytest.raises(AccountError, match="unencrypted"):
        open_connection(account_for(host="smtp.bulletin-test.invalid"), None)
    confirmed = account_for(host="smtp.bulletin-test.invalid", insecure_confirmed=True)
    assert test_connection(confirmed, None).kind == "name_not_found"
