"""Connecting to a mailbox and saying what went wrong, against a real dovecot on loopback."""

from __future__ import annotations

from dataclasses import replace

import pytest

from editor.inbox.imap_connect import (
    ImapDiagnosis,
    ImapFailure,
    encode_folder,
    open_imap,
    quote,
    test_mailbox,
)
from editor.inbox.mailboxes import Mailbox, MailboxError
from tests.imap_server import ImapServer, free_port, imap_server

__all__ = ["imap_server"]


def mailbox_for(server: ImapServer, **changes: object) -> Mailbox:
    mailbox = Mailbox(
        name="Bounces",
        host=server.host,
        port=server.tls_port,
        security="tls",
        username=server.user,
        timeout=5,
    )
    return replace(mailbox, **changes)  # type: ignore[arg-type]


def check(server: ImapServer, mailbox: Mailbox, password: str | None = None) -> ImapDiagnosis:
    return test_mailbox(
        mailbox,
        server.password if password is None else password,
        ssl_context=server.ssl_context_for_clients(),
    )


@pytest.mark.parametrize("security", ["tls", "starttls", "none"])
def test_each_security_connects_and_finds_the_folder(
    imap_server: ImapServer, security: str
) -> None:
    port = imap_server.tls_port if security == "tls" else imap_server.port
    diagnosis = check(imap_server, mailbox_for(imap_server, security=security, port=port))
    assert diagnosis.ok, str(diagnosis)
    assert "folder INBOX" in diagnosis.message
    assert "TLS" in imap_server.log() or security == "none"


def test_wrong_password_is_a_refused_login(imap_server: ImapServer) -> None:
    diagnosis = check(imap_server, mailbox_for(imap_server), "not-the-password")
    assert (diagnosis.ok, diagnosis.kind) == (False, "auth")
    assert "refused the user name or the password" in diagnosis.message
    assert "app password" in diagnosis.hint
    assert "not-the-password" not in str(diagnosis)


def test_non_ascii_password_goes_through_sasl_plain(imap_server: ImapServer) -> None:
    imap_server.set_users({imap_server.user: "pässwörd-€"})
    assert check(imap_server, mailbox_for(imap_server), "pässwörd-€").ok
    assert check(imap_server, mailbox_for(imap_server), "passwort").kind == "auth"


def test_nobody_listening_is_refused(imap_server: ImapServer) -> None:
    diagnosis = check(imap_server, mailbox_for(imap_server, port=free_port()))
    assert diagnosis.kind == "refused"
    assert "refused the connection on port" in diagnosis.message and "993" in diagnosis.hint


def test_tls_on_the_plain_port_is_a_wrong_pairing(imap_server: ImapServer) -> None:
    diagnosis = check(imap_server, mailbox_for(imap_server, port=imap_server.port))
    assert diagnosis.kind == "wrong_security"
    assert f"Port {imap_server.port} of 127.0.0.1 does not work with TLS" in diagnosis.message


@pytest.mark.parametrize("security", ["starttls", "none"])
def test_plain_on_the_tls_port_is_a_wrong_pairing(imap_server: ImapServer, security: str) -> None:
    # The TLS port waits for a handshake that never comes: a timeout, then a probe finds TLS.
    mailbox = mailbox_for(imap_server, security=security, timeout=1)
    diagnosis = check(imap_server, mailbox)
    assert diagnosis.kind == "wrong_security", str(diagnosis)


def test_an_untrusted_certificate_is_named(imap_server: ImapServer) -> None:
    diagnosis = test_mailbox(mailbox_for(imap_server), imap_server.password)  # system CAs only
    assert diagnosis.kind == "certificate"
    assert "cannot be trusted" in diagnosis.message


def test_missing_folders_are_named(imap_server: ImapServer) -> None:
    diagnosis = check(imap_server, mailbox_for(imap_server, folder="Retours"))
    assert (diagnosis.kind, diagnosis.folder) == ("folder_missing", "Retours")
    assert diagnosis.message == "The folder Retours does not exist on 127.0.0.1."
    moving = mailbox_for(imap_server, processed="move", move_to="Bulletin/Traités")
    diagnosis = check(imap_server, moving)
    assert (diagnosis.kind, diagnosis.folder) == ("folder_missing", "Bulletin/Traités")
    imap_server.append(b"Subject: x\r\n\r\nx\r\n", folder="Bulletin/Traités")
    assert check(imap_server, moving).ok


def test_unencrypted_to_another_computer_is_refused_before_connecting() -> None:
    mailbox = Mailbox("B", "imap.example.org", 143, "none", "me")
    with pytest.raises(MailboxError, match="unencrypted"):
        open_imap(mailbox, "secret")


def test_failures_never_show_the_password(imap_server: ImapServer) -> None:
    with pytest.raises(ImapFailure) as caught:
        open_imap(mailbox_for(imap_server), "hunter2-secret", ssl_context=None)
    assert "hunter2-secret" not in repr(caught.value) + str(caught.value)


def test_folder_names_in_modified_utf7() -> None:
    assert encode_folder("INBOX") == "INBOX"
    assert encode_folder("Traités") == "Trait&AOk-s"
    assert encode_folder("A&B") == "A&-B"
    assert encode_folder("日本語") == "&ZeVnLIqe-"
    assert quote('a "b"\\c') == '"a \\"b\\"\\\\c"'
