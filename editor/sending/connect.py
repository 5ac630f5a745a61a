"""Opening an SMTP connection for an account, and saying precisely what went wrong.

:func:`open_connection` connects with the account's security (implicit TLS, STARTTLS, or none
for this computer), always verifying certificates, and logs in. Every error of smtplib, socket
and ssl becomes an :class:`SmtpFailure` with a ``kind`` the runner acts on (retry a temporary
failure, pause on ``auth``, record a ``recipient_refused``) and the UI words.
:func:`test_connection` goes one step further than a login: it sends ``MAIL FROM`` with the
account's sender and then ``RSET`` (no message is sent), because a provider that refuses the
sender only says so there. When a plain connection times out before the greeting it checks
whether the port speaks TLS, so "wrong port/security pairing" is told apart from a slow server.

Nothing here puts a password in an exception, a reply or a repr.
"""

from __future__ import annotations

import errno
import smtplib
import socket
import ssl
from contextlib import suppress
from dataclasses import dataclass
from typing import Final

from editor.i18n import N_, _
from editor.sending.accounts import Account, is_loopback

KINDS: Final = (
    "name_not_found",
    "refused",
    "timeout",
    "wrong_security",
    "certificate",
    "no_starttls",
    "auth",
    "sender_refused",
    "recipient_refused",
    "temporary",
    "permanent",
    "dropped",
    "other",
)
_TEMPORARY_KINDS = {"timeout", "temporary", "dropped"}
# OpenSSL's reasons when one side speaks TLS and the other plain text.
_PLAIN_TEXT_REASONS = (
    "WRONG_VERSION_NUMBER",
    "UNKNOWN_PROTOCOL",
    "HTTP_REQUEST",
    "PACKET_LENGTH_TOO_LONG",
    "RECORD_LAYER_FAILURE",
    "UNEXPECTED_RECORD",
)


class SmtpFailure(Exception):
    """An SMTP attempt that failed, classified (see the module doc).

    ``reply`` is the server's text or the system's error text, never a password; ``phase`` is
    where it happened: ``connect``, ``tls``, ``login``, ``mail``, ``rcpt``, ``data`` or ``""``.
    """

    def __init__(
        self,
        kind: str,
        reply: str = "",
        code: int | None = None,
        *,
        temporary: bool | None = None,
        phase: str = "",
    ) -> None:
        super().__init__(f"{kind}: {code or ''} {reply}".strip())
        self.kind = kind
        self.code = code
        self.reply = reply
        self.temporary = kind in _TEMPORARY_KINDS if temporary is None else temporary
        self.phase = phase

    def __repr__(self) -> str:
        return f"SmtpFailure(kind={self.kind!r}, code={self.code!r}, reply={self.reply!r})"


def _text(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _coded(code: int, reply: str) -> SmtpFailure:
    if 400 <= code < 500:
        return SmtpFailure("temporary", reply, code, temporary=True)
    if 500 <= code < 600:
        return SmtpFailure("permanent", reply, code, temporary=False)
    return SmtpFailure("other", reply, code, temporary=False)


def failure_from(exc: BaseException) -> SmtpFailure:
    """Classify any smtplib/socket/ssl error (an SmtpFailure is returned as is)."""
    if isinstance(exc, SmtpFailure):
        return exc
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        code = exc.smtp_code
        temporary = 400 <= code < 500
        return SmtpFailure("auth", _text(exc.smtp_error), code, temporary=temporary)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        failure = _coded(exc.smtp_code, _text(exc.smtp_error))
        if failure.kind == "permanent":
            failure.kind = "sender_refused"
        return failure
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(exc.recipients.values()), (550, b""))
        failure = _coded(code, _text(reply))
        if failure.kind == "permanent":
            failure.kind = "recipient_refused"
        return failure
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if "STARTTLS" in str(exc).upper():
            return SmtpFailure("no_starttls", str(exc), temporary=False)
        return SmtpFailure("other", str(exc), temporary=False)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _coded(exc.smtp_code, _text(exc.smtp_error))
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        for inner in _chain(exc)[1:]:
            if not isinstance(inner, smtplib.SMTPServerDisconnected):
                return failure_from(inner)
        if "timed out" in str(exc):
            return SmtpFailure("timeout", str(exc))
        return SmtpFailure("dropped", str(exc))
    if isinstance(exc, socket.gaierror):
        temporary = exc.errno == socket.EAI_AGAIN
        return SmtpFailure("name_not_found", str(exc.strerror or exc), temporary=temporary)
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = getattr(exc, "verify_message", None) or getattr(exc, "reason", None) or str(exc)
        return SmtpFailure("certificate", str(detail), temporary=False)
    if isinstance(exc, ssl.SSLError):
        reason = str(getattr(exc, "reason", None) or "")
        if reason.upper() in _PLAIN_TEXT_REASONS or "wrong version number" in str(exc):
            return SmtpFailure("wrong_security", reason or str(exc), temporary=False)
        if isinstance(exc, ssl.SSLEOFError | ssl.SSLZeroReturnError):
            return SmtpFailure("dropped", str(exc))
        return SmtpFailure("other", reason or str(exc), temporary=False)
    if isinstance(exc, TimeoutError | socket.timeout):
        return SmtpFailure("timeout", str(exc) or "timed out")
    if isinstance(exc, ConnectionRefusedError):
        return SmtpFailure("refused", exc.strerror or str(exc), temporary=True)
    if isinstance(exc, ConnectionResetError | ConnectionAbortedError | BrokenPipeError):
        return SmtpFailure("dropped", exc.strerror or str(exc))
    if isinstance(exc, OSError):
        unreachable = exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH)
        return SmtpFailure("other", exc.strerror or str(exc), temporary=unreachable)
    return SmtpFailure("other", type(exc).__name__, temporary=False)


def client_context() -> ssl.SSLContext:
    """The TLS settings of every connection: the system's trusted CAs, host names checked."""
    return ssl.create_default_context()


def open_connection(
    account: Account,
    password: str | None,
    *,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float | None = None,
) -> smtplib.SMTP:
    """A connected, encrypted as configured and logged-in SMTP client; else SmtpFailure.

    An unencrypted connection to another computer that the user did not confirm is refused
    (AccountError) before anything is sent, whatever built the account.
    """
    insecure = account.security == "none" and not is_loopback(account.host)
    if insecure and not account.insecure_confirmed:
        account.validate()  # raises the AccountError that explains it
    context = ssl_context or client_context()
    wait = timeout if timeout is not None else account.timeout
    phase = "connect"
    smtp: smtplib.SMTP | None = None
    try:
        if account.security == "tls":
            smtp = smtplib.SMTP_SSL(account.host, account.port, timeout=wait, context=context)
        else:
            smtp = smtplib.SMTP(account.host, account.port, timeout=wait)
        smtp.ehlo()
        if account.security == "starttls":
            phase = "tls"
            if not smtp.has_extn("starttls"):
                raise SmtpFailure("no_starttls", _text(smtp.ehlo_resp or b""))
            smtp.starttls(context=context)
            smtp.ehlo()
        if account.username:
            phase = "login"
            if not password:
                raise SmtpFailure("auth", "no password", temporary=False)
            if (
                not smtp.has_extn("auth")
                and account.security == "none"
                and smtp.has_extn("starttls")
            ):
                # Servers offer AUTH only once the connection is encrypted.
                raise SmtpFailure("wrong_security", "AUTH needs STARTTLS", temporary=False)
            smtp.login(account.username, password)
    except BaseException as exc:
        if smtp is not None:
            close_quietly(smtp)
        failure = failure_from(exc)
        failure.phase = failure.phase or phase
        if password and password in failure.reply:
            failure.reply = failure.reply.replace(password, "***")
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise failure from None
    return smtp


def close_quietly(smtp: smtplib.SMTP) -> None:
    """Drop a connection that may already be broken: nothing more to tell anyone."""
    with suppress(Exception):
        smtp.close()


def quit_quietly(smtp: smtplib.SMTP) -> None:
    """Say goodbye (QUIT) after a send; a server that does not answer is simply dropped."""
    try:
        smtp.quit()
    except Exception:
        close_quietly(smtp)


def speaks_tls(host: str, port: int, timeout: float) -> bool:
    """Whether the server at host:port answers a TLS handshake (certificate not checked: this
    only tells a TLS port from a plain one). Shared with the IMAP diagnosis
    (:mod:`editor.inbox.imap_connect`)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host),
        ):
            return True
    except (OSError, ValueError):
        return False


@dataclass(frozen=True)
class Diagnosis:
    """What "Test connection" found; ``message`` and ``hint`` are worded when read, in the
    UI language of that moment."""

    ok: bool
    kind: str  # "ok" or a SmtpFailure kind
    host: str = ""
    port: int = 0
    security: str = ""
    sender: str = ""
    detail: str = ""  # the server's reply or the system's error text, untranslated
    code: int | None = None

    @property
    def message(self) -> str:
        return _message(self)

    @property
    def hint(self) -> str:
        return _hint(self)

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


_SECURITY_NAMES = {"tls": "TLS", "starttls": "STARTTLS", "none": "SMTP"}


def _message(d: Diagnosis) -> str:
    values = {
        "host": d.host,
        "port": d.port,
        "sender": d.sender,
        "detail": d.detail,
        "security": _SECURITY_NAMES.get(d.security, d.security),
    }
    texts = {
        **{kind: _(text) for kind, text in NETWORK_MESSAGES.items()},
        "ok": _("The connection works: the server accepted the login and the sender {sender}."),
        "auth": _("The server refused the user name or the password ({detail})."),
        "sender_refused": _("The server refused the sender address {sender} ({detail})."),
        "recipient_refused": _("The server refused the recipient ({detail})."),
        "temporary": _("The server is temporarily unavailable ({detail})."),
        "permanent": _("The server refused ({detail})."),
    }
    return texts.get(d.kind, texts["other"]).format(**values)


NETWORK_MESSAGES: Final = {
    "name_not_found": N_("The server name {host} was not found."),
    "refused": N_("{host} refused the connection on port {port}."),
    "timeout": N_("{host} did not answer on port {port} in time."),
    "wrong_security": N_("Port {port} of {host} does not work with {security}."),
    "certificate": N_("The certificate of {host} cannot be trusted ({detail})."),
    "no_starttls": N_("{host} does not offer STARTTLS on port {port}."),
    "dropped": N_("The server closed the connection unexpectedly."),
    "other": N_("The connection failed ({detail})."),
}
"""What a connection test says of the failures SMTP and IMAP share (finding the server, its
port, TLS), by kind, untranslated: each protocol words them with its own texts."""

NETWORK_HINTS: Final = {
    "ok": "",
    "name_not_found": N_(
        "Check the spelling of the server name and that this computer is connected to the Internet."
    ),
    "certificate": N_(
        "Check the server name: it must be exactly the one your provider documents. An "
        "expired or self-signed certificate can only be fixed by the provider."
    ),
    "temporary": N_("Try again in a few minutes."),
    "dropped": N_("Try again; if it persists, check the port and the security."),
    "other": N_("Check the server name, the port and the security."),
}
"""The hints both protocols give where they do not depend on the protocol's ports."""


def _hint(d: Diagnosis) -> str:
    hints = {
        **{kind: _(text) if text else "" for kind, text in NETWORK_HINTS.items()},
        "refused": _(
            "Check the port (usually 465 for TLS, 587 for STARTTLS); a firewall or your "
            "Internet provider may also block it."
        ),
        "timeout": _(
            "Check the port and the security; some networks block the mail ports. If they "
            "are right, the server may be busy: try again later."
        ),
        "wrong_security": _(
            "Use TLS with port 465, STARTTLS with port 587 (or 25), as your provider documents."
        ),
        "no_starttls": _(
            "Choose TLS (usually port 465) or the port your provider gives for STARTTLS."
        ),
        "auth": _(
            "Check the user name and the password. Gmail and Outlook need an app password; "
            "SendGrid's user name is apikey, with an API key as the password."
        ),
        "sender_refused": _(
            "Send from an address this account may use (added and verified at your provider)."
        ),
        "recipient_refused": _("Check the recipient's address."),
        "permanent": _("Read the server's reply; your provider's help explains its codes."),
    }
    return hints.get(d.kind, hints["other"])


def test_connection(
    account: Account,
    password: str | None,
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> Diagnosis:
    """Connect, log in, ``MAIL FROM`` the sender, ``RSET`` and quit: a diagnosis, no message."""

    def diagnosis(kind: str, detail: str = "", code: int | None = None) -> Diagnosis:
        return Diagnosis(
            kind == "ok",
            kind,
            host=account.host,
            port=account.port,
            security=account.security,
            sender=account.sender,
            detail=detail,
            code=code,
        )

    try:
        smtp = open_connection(account, password, ssl_context=ssl_context)
    except SmtpFailure as refused:
        kind = refused.kind
        if (
            kind in ("timeout", "dropped")
            and refused.phase == "connect"
            and account.security != "tls"
            and speaks_tls(account.host, account.port, min(account.timeout, 5.0))
        ):
            kind = "wrong_security"
        return diagnosis(kind, refused.reply, refused.code)
    try:
        code, reply = smtp.mail(account.sender)
        if code != 250:
            coded = _coded(code, _text(reply))
            kind = "sender_refused" if coded.kind == "permanent" else coded.kind
            return diagnosis(kind, coded.reply, code)
        smtp.rset()
        smtp.quit()
    except Exception as exc:
        failed = failure_from(exc)
        return diagnosis(failed.kind, failed.reply, failed.code)
    finally:
        close_quietly(smtp)
    return diagnosis("ok")


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test when imported
