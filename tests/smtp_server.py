"""A real SMTP server on 127.0.0.1 for the sending tests (aiosmtpd in a thread).

``SmtpServer`` records every message it accepts (``.messages``: ``(mail_from, rcpt_tos, bytes)``)
and can misbehave on demand, so each failure the sending code must survive is produced by a real
server over a real socket rather than a mock. Its fault hooks are plain attributes, changeable
while it runs:

- ``refuse_next_connections = n``: the next n connections get ``421`` instead of a greeting;
- ``silent = True``: connections are accepted and never greeted (a client times out);
- ``mail_from_replies[address]`` (or ``["*"]``): the reply to ``MAIL FROM`` for that sender;
- ``rcpt_replies[address]``: the reply to ``RCPT TO`` for that address (e.g. ``"550 5.1.1 No"``);
- ``message_replies[n]``: the reply to the n-th DATA (1-based, counted over the server's life,
  retries included), e.g. ``"451 4.3.0 Try again later"``; such a message is not recorded;
- ``drop_messages``: n-th DATAs after which the connection is cut instead of answered (the
  message is not recorded: the client cannot know whether it was delivered);
- ``reply_delay``: seconds to wait before answering MAIL, RCPT and DATA (slow server).

Security: ``"plain"``, ``"starttls"`` (STARTTLS offered and required before AUTH/MAIL) or
``"tls"`` (implicit TLS), with a self-signed certificate made for the test;
``ssl_context_for_clients()`` trusts it. ``auth=(user, password)`` enables AUTH PLAIN/LOGIN
(required before MAIL). ``SilentServer`` is a listening socket that never answers (timeouts).
"""

from __future__ import annotations

import asyncio
import datetime
import gc
import ipaddress
import socket
import ssl
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

Security = Literal["plain", "starttls", "tls"]

HOST = "127.0.0.1"
SERVER_NAME = "smtp.test"

_CERTS: dict[tuple[tuple[str, ...], bool], tuple[bytes, bytes]] = {}
_CERTS_LOCK = threading.Lock()


def certificate(
    names: tuple[str, ...] = ("localhost", HOST), *, expired: bool = False
) -> tuple[bytes, bytes]:
    """A self-signed (certificate PEM, key PEM) for ``names`` (DNS names or IP addresses).

    Made once per process per set of names (EC keys: a few milliseconds).
    """
    key_id = (names, expired)
    with _CERTS_LOCK:
        if key_id not in _CERTS:
            _CERTS[key_id] = _make_certificate(names, expired)
        return _CERTS[key_id]


def _make_certificate(names: tuple[str, ...], expired: bool) -> tuple[bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    alt: list[x509.GeneralName] = []
    for name in names:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt.append(x509.DNSName(name))
    now = datetime.datetime.now(datetime.UTC)
    if expired:
        start, end = now - datetime.timedelta(days=30), now - datetime.timedelta(days=1)
    else:
        start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=30)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return cert_pem, key_pem


class _Session(Session):
    # aiosmtpd sets this deprecated property itself on AUTH: a plain attribute keeps its
    # DeprecationWarning (an error under pytest's filterwarnings) out of the server thread.
    login_data: Any = None


class _Smtp(SMTP):
    """aiosmtpd's server with the connection-level faults (421 greeting, silence)."""

    owner: SmtpServer

    def _create_session(self) -> Session:
        return _Session(self.loop)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.owner._live.add(self)
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        self.owner._live.discard(self)
        super().connection_lost(error)

    async def _handle_client(self) -> None:
        owner = self.owner
        with owner._lock:
            owner.connections += 1
            refuse = owner.refuse_next_connections > 0
            if refuse:
                owner.refuse_next_connections -= 1
        if owner.silent:
            await asyncio.sleep(3600)
            return
        if refuse:
            await self.push(owner.refuse_reply)
            assert self.transport is not None
            self.transport.close()
            return
        await super()._handle_client()


class _Controller(Controller):
    """Controller that listens on a free port (port 0) and learns which one it got."""

    def __init__(self, owner: SmtpServer, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner

    def factory(self) -> SMTP:
        server = _Smtp(self.handler, **self.SMTP_kwargs)
        server.owner = self.owner
        return server

    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        # The trigger connection is not a client: do not let it consume a fault.
        with self.owner._lock:
            silent, refuse = self.owner.silent, self.owner.refuse_next_connections
            self.owner.silent, self.owner.refuse_next_connections = False, 0
        try:
            super()._trigger_server()  # type: ignore[no-untyped-call]
        finally:
            with self.owner._lock:
                self.owner.silent, self.owner.refuse_next_connections = silent, refuse
                self.owner.connections -= 1


class _Handler:
    def __init__(self, owner: SmtpServer) -> None:
        self.owner = owner

    async def _delay(self) -> None:
        if self.owner.reply_delay > 0:
            await asyncio.sleep(self.owner.reply_delay)

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        await self._delay()
        if self.owner.auth is not None and not session.authenticated:
            return "530 5.7.0 Authentication required"
        replies = self.owner.mail_from_replies
        reply = replies.get(address.lower()) or replies.get("*")
        if reply:
            return reply
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        await self._delay()
        reply = self.owner.rcpt_replies.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        owner = self.owner
        with owner._lock:
            owner.data_count += 1
            number = owner.data_count
        await self._delay()
        if number in owner.drop_messages:
            assert server.transport is not None
            server.transport.abort()  # type: ignore[attr-defined]
            return "250 OK"  # never reaches the client
        reply = owner.message_replies.get(number)
        if reply:
            return reply
        content = envelope.original_content or b""
        with owner._lock:
            owner.messages.append((envelope.mail_from or "", list(envelope.rcpt_tos), content))
        return "250 OK: queued"


class SmtpServer:
    """A real SMTP server on 127.0.0.1 (a free port); a context manager (see the module doc)."""

    def __init__(
        self,
        *,
        security: Security = "plain",
        auth: tuple[str, str] | None = None,
        cert_names: tuple[str, ...] = ("localhost", HOST),
        expired_cert: bool = False,
        require_starttls: bool = True,
    ) -> None:
        self.security: Security = security
        self.auth = auth
        self.host = HOST
        self.port = 0
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.connections = 0
        self.data_count = 0
        self.logins: list[str] = []
        # Fault hooks.
        self.refuse_next_connections = 0
        self.refuse_reply = "421 4.3.2 Service not available, try again later"
        self.silent = False
        self.mail_from_replies: dict[str, str] = {}
        self.rcpt_replies: dict[str, str] = {}
        self.message_replies: dict[int, str] = {}
        self.drop_messages: set[int] = set()
        self.reply_delay = 0.0
        self._lock = threading.Lock()
        self._live: set[_Smtp] = set()
        self._cert_pem, self._key_pem = certificate(cert_names, expired=expired_cert)
        self._require_starttls = require_starttls
        self._controller: _Controller | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    # -- lifecycle

    def start(self) -> SmtpServer:
        self._folder = tempfile.TemporaryDirectory(prefix="bulletin-smtp-")
        kwargs: dict[str, Any] = {"hostname": HOST, "port": 0, "server_hostname": SERVER_NAME}
        if self.security != "plain":
            folder = Path(self._folder.name)
            (folder / "cert.pem").write_bytes(self._cert_pem)
            (folder / "key.pem").write_bytes(self._key_pem)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
            if self.security == "tls":
                kwargs["ssl_context"] = context
            else:
                kwargs["tls_context"] = context
                kwargs["require_starttls"] = self._require_starttls
        if self.auth is not None:
            kwargs["authenticator"] = self._authenticate
            # Required by handle_MAIL (aiosmtpd's own auth_required warns without TLS).
            kwargs["auth_require_tls"] = False
        self._controller = _Controller(self, _Handler(self), **kwargs)
        self._controller.start()
        self.port = self._controller.port
        return self

    def stop(self) -> None:
        if self._controller is not None:
            controller = self._controller
            done = threading.Event()

            def close_all() -> None:
                for protocol in list(self._live):
                    if protocol.transport is not None:
                        protocol.transport.abort()  # type: ignore[attr-defined]
                done.set()

            controller.loop.call_soon_threadsafe(close_all)
            done.wait(5)
            controller.stop()
            self._controller = None
            # A connection still in its TLS handshake (a plain client on the TLS port) is not
            # ours to close; let the collector take it now without a ResourceWarning.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                gc.collect()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- helpers for tests

    def ssl_context_for_clients(self) -> ssl.SSLContext:
        """A client context that trusts this server's self-signed certificate (and only it)."""
        return ssl.create_default_context(cadata=self._cert_pem.decode("ascii"))

    def wait_for_messages(
        self, count: int, timeout: float = 10.0
    ) -> list[tuple[str, list[str], bytes]]:
        """The recorded messages once there are ``count`` or more (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(self.messages)} messages received, {count} expected")
            time.sleep(0.01)
        return list(self.messages)

    def recipients(self) -> list[str]:
        """Every RCPT of every recorded message, in order (duplicates kept: they are the bug)."""
        return [rcpt for _, rcpts, _ in self.messages for rcpt in rcpts]

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert self.auth is not None
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = self.auth
        ok = data.login == user.encode() and data.password == password.encode()
        if ok:
            self.logins.append(user)
        return AuthResult(success=ok, handled=False)


class SilentServer:
    """A listening socket on 127.0.0.1 that accepts (through the kernel backlog) and never
    answers: an SMTP client waiting for the greeting times out."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind((HOST, 0))
        self._socket.listen(16)
        self.host = HOST
        self.port: int = self._socket.getsockname()[1]

    def close(self) -> None:
        self._socket.close()

    def __enter__(self) -> SilentServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (connecting is refused at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A plain SMTP server, no AUTH."""
    with SmtpServer() as server:
        yield server


@pytest.fixture
def smtp_server_starttls() -> Iterator[SmtpServer]:
    """STARTTLS required, AUTH as ``user``/``secret``."""
    with SmtpServer(security="starttls", auth=("user", "secret")) as server:
        yield server


@pytest.fixture
def smtp_server_tls() -> Iterator[SmtpServer]:
    """Implicit TLS, AUTH as ``user``/``secret``."""
    with SmtpServer(security="tls", auth=("user", "secret")) as server:
        yield server
