"""Opening an IMAP connection for a mailbox, and saying precisely what went wrong.

:func:`open_imap` connects with the mailbox's security (implicit TLS, STARTTLS, or none for this
computer), always verifying certificates, and logs in; :func:`select_folder` opens the folder.
Every error of imaplib, socket and ssl becomes an :class:`ImapFailure` whose ``kind`` the UI
and the CLI word (:class:`ImapDiagnosis`): name not found, refused, timeout, wrong port/security
pairing, certificate, no STARTTLS, login refused, folder missing. Socket and TLS errors are
classified by :func:`editor.sending.connect.failure_from`, as for SMTP, so both read alike.

Nothing here puts a password in an exception, a reply or a repr.
"""

from __future__ import annotations

import base64
import imaplib
import ssl
from contextlib import suppress
from dataclasses import dataclass

from editor.i18n import _
from editor.inbox.mailboxes import Mailbox, MailboxError
from editor.sending.accounts import is_loopback
from editor.sending.connect import (
    NETWORK_HINTS,
    NETWORK_MESSAGES,
    client_context,
    failure_from,
    speaks_tls,
)

__all__ = [
    "ImapDiagnosis",
    "ImapFailure",
    "close",
    "encode_folder",
    "open_imap",
    "quote",
    "select_folder",
    "test_mailbox",
]


class ImapFailure(Exception):
    """An IMAP attempt that failed, classified (see the module doc).

    ``detail`` is the server's text or the system's error text, never a password; ``phase``:
    ``connect``, ``tls``, ``login``, ``select`` or ``fetch``; ``folder`` names the folder for
    ``folder_missing``; ``host`` and ``port`` the server, once known. ``str()`` words it in the
    UI language (as :class:`ImapDiagnosis` does, with the mailbox's settings).
    """

    def __init__(
        self,
        kind: str,
        detail: str = "",
        *,
        phase: str = "",
        folder: str = "",
        host: str = "",
        port: int = 0,
    ) -> None:
        super().__init__(f"{kind}: {detail}".strip())
        self.kind = kind
        self.detail = detail
        self.phase = phase
        self.folder = folder
        self.host = host
        self.port = port

    def __str__(self) -> str:
        diagnosis = ImapDiagnosis(
            False,
            self.kind,
            self.host or _("the mail server"),
            self.port,
            "",
            self.folder,
            self.detail or self.kind,
        )
        return diagnosis.message

    def __repr__(self) -> str:
        return f"ImapFailure(kind={self.kind!r}, detail={self.detail!r}, phase={self.phase!r})"


# -- folder names: IMAP's modified UTF-7 (RFC 3501 5.1.3), quoted


def encode_folder(name: str) -> str:
    """``name`` in IMAP's modified UTF-7 ("Traités" → "Trait&AOk-s"); ASCII is unchanged."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append(
                "&" + base64.b64encode(data).decode("ascii").rstrip("=").replace("/", ",") + "-"
            )
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def quote(name: str) -> str:
    """A folder name as an IMAP quoted string, encoded (imaplib sends arguments as they are)."""
    encoded = encode_folder(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- connecting


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, list | tuple):
        return " ".join(_text(item) for item in value if item is not None)
    return str(value)


def _from_imaplib(exc: imaplib.IMAP4.error, phase: str) -> ImapFailure:
    """An imaplib protocol error (a NO/BAD reply, a closed connection) by the phase it was in."""
    detail = _text(exc.args[0] if exc.args else exc)
    upper = detail.upper()
    if isinstance(exc, imaplib.IMAP4.abort):
        return ImapFailure("dropped", detail, phase=phase)
    if phase == "tls" and "STARTTLS" in upper:
        return ImapFailure("no_starttls", detail, phase=phase)
    if phase == "login":
        if "PRIVACYREQUIRED" in upper or "LOGINDISABLED" in upper:
            return ImapFailure("wrong_security", detail, phase=phase)
        if "UNAVAILABLE" in upper:
            return ImapFailure("temporary", detail, phase=phase)
        return ImapFailure("auth", detail, phase=phase)
    return ImapFailure("other", detail, phase=phase)


def _classified(exc: BaseException, phase: str) -> ImapFailure:
    if isinstance(exc, ImapFailure):
        return exc
    if isinstance(exc, imaplib.IMAP4.error):
        return _from_imaplib(exc, phase)
    smtp_like = failure_from(exc)  # socket, DNS and TLS errors: the same kinds as for SMTP
    kind = smtp_like.kind if smtp_like.kind != "temporary" else "other"
    return ImapFailure(kind, smtp_like.reply, phase=phase)


def _login(imap: imaplib.IMAP4, username: str, password: str) -> None:
    if username.isascii() and password.isascii():
        imap.login(username, password)
        return
    # LOGIN's quoted strings are ASCII in imaplib; SASL PLAIN carries UTF-8.
    secret = b"\0" + username.encode("utf-8") + b"\0" + password.encode("utf-8")
    imap.authenticate("PLAIN", lambda _challenge: secret)


def open_imap(
    mailbox: Mailbox,
    password: str,
    *,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float | None = None,
) -> imaplib.IMAP4:
    """A connected, encrypted as configured and logged-in IMAP client; else ImapFailure.

    An unencrypted connection to another computer that the user did not confirm is refused
    (MailboxError) before anything is sent, whatever built the mailbox.
    """
    insecure = mailbox.security == "none" and not is_loopback(mailbox.host)
    if insecure and not mailbox.insecure_confirmed:
        mailbox.validate()  # raises the MailboxError that explains it
    context = ssl_context or client_context()
    wait = timeout if timeout is not None else mailbox.timeout
    phase = "connect"
    imap: imaplib.IMAP4 | None = None
    try:
        if mailbox.security == "tls":
            imap = imaplib.IMAP4_SSL(mailbox.host, mailbox.port, ssl_context=context, timeout=wait)
        else:
            imap = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=wait)
        if mailbox.security == "starttls":
            phase = "tls"
            imap.starttls(context)
        phase = "login"
        if not password:
            raise ImapFailure("auth", "no password", phase=phase)
        _login(imap, mailbox.username, password)
    except BaseException as exc:
        if imap is not None:
            close(imap)
        if isinstance(exc, KeyboardInterrupt | SystemExit | MailboxError):
            raise
        failure = _classified(exc, phase)
        failure.phase = failure.phase or phase
        failure.host, failure.port = mailbox.host, mailbox.port
        if password and password in failure.detail:
            failure.detail = failure.detail.replace(password, "***")
        if (
            failure.kind in ("timeout", "dropped")
            and phase == "connect"
            and mailbox.security != "tls"
            and speaks_tls(mailbox.host, mailbox.port, min(wait, 5.0))
        ):
            failure.kind = "wrong_security"
        raise failure from None
    return imap


def select_folder(imap: imaplib.IMAP4, folder: str, *, readonly: bool = False) -> int:
    """Open ``folder`` (EXAMINE when ``readonly``); its message count, or ImapFailure."""
    try:
        typ, data = imap.select(quote(folder), readonly=readonly)
    except imaplib.IMAP4.error as exc:
        raise _from_imaplib(exc, "select") from None
    if typ != "OK":
        raise ImapFailure("folder_missing", _text(data), phase="select", folder=folder)
    try:
        return int(_text(data[0]).strip() or "0")
    except (ValueError, IndexError):
        return 0


def folder_exists(imap: imaplib.IMAP4, folder: str) -> bool:
    """Whether ``folder`` exists (STATUS answers for it), without selecting it."""
    try:
        typ, _data = imap.status(quote(folder), "(MESSAGES)")
    except imaplib.IMAP4.error as exc:
        if isinstance(exc, imaplib.IMAP4.abort):
            raise _from_imaplib(exc, "select") from None
        return False
    return typ == "OK"


def close(imap: imaplib.IMAP4) -> None:
    """Log out, or just drop the connection when it is already broken."""
    with suppress(Exception):
        imap.logout()
    with suppress(Exception):
        imap.shutdown()


# -- what "Test connection" and the CLI say


@dataclass(frozen=True)
class ImapDiagnosis:
    """A connection check or a failed sync; ``message`` and ``hint`` are worded when read."""

    ok: bool
    kind: str  # "ok" or an ImapFailure kind
    host: str = ""
    port: int = 0
    security: str = ""
    folder: str = ""
    detail: str = ""

    @classmethod
    def of(cls, mailbox: Mailbox, failure: ImapFailure | None = None) -> ImapDiagnosis:
        if failure is None:
            return cls(True, "ok", mailbox.host, mailbox.port, mailbox.security, mailbox.folder)
        return cls(
            False,
            failure.kind,
            mailbox.host,
            mailbox.port,
            mailbox.security,
            failure.folder or mailbox.folder,
            failure.detail,
        )

    @property
    def message(self) -> str:
        return _message(self)

    @property
    def hint(self) -> str:
        return _hint(self)

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


_SECURITY_NAMES = {"tls": "TLS", "starttls": "STARTTLS", "none": "IMAP"}


def _message(d: ImapDiagnosis) -> str:
    values = {
        "host": d.host,
        "port": d.port,
        "folder": d.folder,
        "detail": d.detail,
        "security": _SECURITY_NAMES.get(d.security, d.security),
    }
    texts = {
        **{kind: _(text) for kind, text in NETWORK_MESSAGES.items()},
        "ok": _("The connection works: the server accepted the login and the folder {folder}."),
        "auth": _("The mail server refused the user name or the password ({detail})."),
        "folder_missing": _("The folder {folder} does not exist on {host}."),
        "temporary": _("The mail server is temporarily unavailable ({detail})."),
    }
    return texts.get(d.kind, texts["other"]).format(**values)


def _hint(d: ImapDiagnosis) -> str:
    hints = {
        **{kind: _(text) if text else "" for kind, text in NETWORK_HINTS.items()},
        "refused": _(
            "Check the port (usually 993 for TLS, 143 for STARTTLS); a firewall may also block it."
        ),
        "timeout": _(
            "Check the port and the security. If they are right, the server may be busy: try "
            "again later."
        ),
        "wrong_security": _(
            "Use TLS with port 993, STARTTLS with port 143, as your provider documents."
        ),
        "no_starttls": _("Choose TLS (usually port 993)."),
        "auth": _(
            "Check the user name and the password. Gmail and Outlook need an app password for IMAP."
        ),
        "folder_missing": _(
            "Check the folder's name as your mail program shows it; INBOX is the main folder."
        ),
    }
    return hints.get(d.kind, hints["other"])


def test_mailbox(
    mailbox: Mailbox, password: str, *, ssl_context: ssl.SSLContext | None = None
) -> ImapDiagnosis:
    """Connect, log in, look at the folder (and the folder messages move to): a diagnosis."""
    try:
        imap = open_imap(mailbox, password, ssl_context=ssl_context)
    except ImapFailure as failure:
        return ImapDiagnosis.of(mailbox, failure)
    try:
        select_folder(imap, mailbox.folder, readonly=True)
        if mailbox.processed == "move" and not folder_exists(imap, mailbox.move_to):
            raise ImapFailure("folder_missing", folder=mailbox.move_to, phase="select")
    except ImapFailure as failure:
        return ImapDiagnosis.of(mailbox, failure)
    except Exception as exc:
        return ImapDiagnosis.of(mailbox, _classified(exc, "select"))
    finally:
        close(imap)
    return ImapDiagnosis.of(mailbox)


test_mailbox.__test__ = False  # type: ignore[attr-defined]  # not a pytest test when imported
