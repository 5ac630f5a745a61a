"""A real IMAP server on 127.0.0.1 for the inbox tests: Debian's dovecot, run by the test.

``ImapServer`` writes its own configuration into a temporary folder (never the system
service's), with a passwd-file holding one test user, maildirs in that folder, a self-signed
certificate made by :func:`tests.smtp_server.certificate`, logs, ``base_dir`` and
``state_dir`` all inside it, and starts ``dovecot -F -c <tmp>/dovecot.conf`` listening on two free
loopback ports: ``port`` (plain IMAP, STARTTLS offered) and ``tls_port`` (implicit TLS).
``ssl_context_for_clients()`` trusts the certificate. ``stop()`` ends dovecot and removes the
folder. Dovecot runs as the user running the tests (root in CI: the mail processes then run as
root too, which ``first_valid_uid = 0`` allows).

Messages are put in with IMAP ``APPEND`` (:meth:`append`), as a mail client would; the
benchmark writes maildir files directly (:meth:`maildir`), which dovecot indexes on ``SELECT``.
``client()`` gives a logged-in ``imaplib`` client to look at what a sync left behind.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.smtp_server import certificate
from tests.system import need_dovecot

HOST = "127.0.0.1"
USER = "bulletin"
PASSWORD = "imap-test-password"

_CONFIG = """\
# Bulletin's test server: everything in {root}, nothing of the system's configuration.
protocols = imap
listen = {host}
base_dir = {root}/run
state_dir = {root}/state
instance_name = bulletin-test-{port}
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
first_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:{root}/mail/%u
mail_fsync = never
disable_plaintext_auth = no
auth_failure_delay = 0
auth_mechanisms = plain login
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/users
}}
namespace inbox {{
  inbox = yes
  separator = /
}}
service imap-login {{
  inet_listener imap {{
    address = {host}
    port = {port}
  }}
  inet_listener imaps {{
    address = {host}
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def free_port() -> int:
    """A loopback port nobody listens on right now (the caller binds it soon after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


class ImapServer:
    """A dovecot of its own (see the module doc); a context manager."""

    def __init__(self, program: str) -> None:
        self._program = program
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self.root = Path()
        self.host = HOST
        self.port = 0
        self.tls_port = 0
        self.user = USER
        self.password = PASSWORD
        self._cert_pem = b""

    # -- life
    def start(self) -> ImapServer:
        self._folder = tempfile.TemporaryDirectory(prefix="bulletin-imap-")
        self.root = Path(self._folder.name)
        self.root.chmod(0o755)  # dovecot's unprivileged processes read the users and the cert
        for name in ("run", "state", "mail"):
            (self.root / name).mkdir()
        self.hand_over()
        self._cert_pem, key_pem = certificate()
        (self.root / "cert.pem").write_bytes(self._cert_pem)
        (self.root / "key.pem").write_bytes(key_pem)
        (self.root / "key.pem").chmod(0o600)
        self.set_users({USER: PASSWORD})
        for _attempt in range(5):  # a port taken between free_port() and dovecot's bind
            self.port, self.tls_port = free_port(), free_port()
            self._write_config()
            self._process = subprocess.Popen(
                [self._program, "-F", "-c", str(self.root / "dovecot.conf")],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,  # its own process group: stop() ends all of it
            )
            if self._wait_ready():
                return self
            self._end_process()
        log = self.log()
        self.stop()
        raise RuntimeError(f"dovecot did not start:\n{log}")

    def _write_config(self) -> None:
        user = pwd.getpwuid(os.getuid()).pw_name
        group = grp.getgrgid(os.getgid()).gr_name
        login_user = user
        if os.getuid() == 0:  # dovecot's login and internal processes refuse to run as root
            user, group, login_user = _system_users()
        text = _CONFIG.format(
            root=self.root,
            host=HOST,
            port=self.port,
            tls_port=self.tls_port,
            user=user,
            group=group,
            login_user=login_user,
        )
        (self.root / "dovecot.conf").write_text(text, encoding="utf-8")

    def _wait_ready(self, timeout: float = 15.0) -> bool:
        """Until both listeners greet (False if dovecot exited: a port was taken). A greeting,
        not just an accepted connection: dovecot stopped while still forking its login
        processes takes seconds to end."""
        assert self._process is not None
        deadline = time.monotonic() + timeout
        context = self.ssl_context_for_clients()
        pending = [(self.port, False), (self.tls_port, True)]
        while pending:
            if self._process.poll() is not None:
                return False
            port, tls = pending[0]
            try:
                with socket.create_connection((HOST, port), timeout=2) as raw:
                    if tls:
                        with context.wrap_socket(raw, server_hostname=HOST) as secure:
                            greeting = secure.recv(100)
                    else:
                        greeting = raw.recv(100)
                if greeting.startswith(b"* OK"):
                    pending.pop(0)
                    continue
            except OSError:
                pass
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def _end_process(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        if process.stderr is not None:
            process.stderr.close()

    def stop(self) -> None:
        self._end_process()
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> ImapServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- set-up
    def set_users(self, users: dict[str, str]) -> None:
        """The passwd-file's users (dovecot rereads it when it changes)."""
        uid, gid = self.mail_ids()
        lines = [
            f"{name}:{{PLAIN}}{password}:{uid}:{gid}::{self.root}/mail/{name}::\n"
            for name, password in users.items()
        ]
        path = self.root / "users"
        path.write_text("".join(lines), encoding="utf-8")
        path.chmod(0o644)  # test passwords; dovecot's auth process runs as its own user

    def mail_ids(self) -> tuple[int, int]:
        """The uid and gid the mail processes run as (dovecot's own user when we are root:
        a passwd-file refuses uid 0)."""
        if os.getuid() != 0:
            return os.getuid(), os.getgid()
        entry = pwd.getpwnam(_system_users()[0])
        return entry.pw_uid, entry.pw_gid

    def hand_over(self) -> None:
        """Give the mail folders written directly (:meth:`maildir`) to the mail processes' user."""
        uid, gid = self.mail_ids()
        if os.getuid() != 0:
            return
        for top, dirs, files in os.walk(self.root / "mail"):
            os.chown(top, uid, gid)
            for name in dirs + files:
                os.chown(os.path.join(top, name), uid, gid)

    def log(self) -> str:
        try:
            return (self.root / "dovecot.log").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def certificate_pem(self) -> str:
        """The server's self-signed certificate (PEM), for a client in another process."""
        return self._cert_pem.decode("ascii")

    def ssl_context_for_clients(self) -> ssl.SSLContext:
        """A client context that trusts this server's self-signed certificate (and only it)."""
        return ssl.create_default_context(cadata=self._cert_pem.decode("ascii"))

    def maildir(self, folder: str = "INBOX", user: str = USER) -> Path:
        """The maildir of ``folder`` (created with cur/new/tmp), to write messages directly."""
        base = self.root / "mail" / user
        path = base if folder == "INBOX" else base / f".{folder.replace('/', '.')}"
        for sub in ("cur", "new", "tmp"):
            (path / sub).mkdir(parents=True, exist_ok=True)
        return path

    # -- IMAP
    def client(self) -> imaplib.IMAP4:
        """A logged-in plain-IMAP client (loopback) for looking at the mailbox."""
        imap = imaplib.IMAP4(HOST, self.port, timeout=10)
        imap.login(self.user, self.password)
        return imap

    def append(self, raw: bytes, folder: str = "INBOX", flags: str = "") -> None:
        imap = self.client()
        try:
            self.ensure_folder(imap, folder)
            typ, data = imap.append(_quote(folder), f"({flags})" if flags else None, None, raw)
            assert typ == "OK", data
        finally:
            imap.logout()

    def append_many(self, raws: list[bytes], folder: str = "INBOX") -> None:
        imap = self.client()
        try:
            self.ensure_folder(imap, folder)
            for raw in raws:
                typ, data = imap.append(_quote(folder), None, None, raw)
                assert typ == "OK", data
        finally:
            imap.logout()

    @staticmethod
    def ensure_folder(imap: imaplib.IMAP4, folder: str) -> None:
        if folder != "INBOX":
            typ, _data = imap.status(_quote(folder), "(MESSAGES)")
            if typ != "OK":
                typ, data = imap.create(_quote(folder))
                assert typ == "OK", data

    def messages(self, folder: str = "INBOX") -> dict[int, set[str]]:
        """Each message's UID and flags in ``folder`` (read-only: EXAMINE)."""
        imap = self.client()
        try:
            typ, data = imap.select(_quote(folder), readonly=True)
            assert typ == "OK", data
            if int(data[0] or b"0") == 0:
                return {}
            typ, data = imap.uid("FETCH", "1:*", "(UID FLAGS)")
            assert typ == "OK", data
            found: dict[int, set[str]] = {}
            for item in data:
                if not isinstance(item, bytes):
                    continue
                parsed = imaplib.ParseFlags(item)
                uid_part = item.split(b"UID ", 1)[1].split()[0].rstrip(b")")
                found[int(uid_part)] = {flag.decode() for flag in parsed}
            return found
        finally:
            imap.logout()

    def uidvalidity(self, folder: str = "INBOX") -> int:
        imap = self.client()
        try:
            typ, data = imap.status(_quote(folder), "(UIDVALIDITY)")
            assert typ == "OK", data
            raw = data[0]
            assert isinstance(raw, bytes)
            return int(raw.split(b"UIDVALIDITY ", 1)[1].split(b")")[0])
        finally:
            imap.logout()

    def recreate(self, folder: str) -> None:
        """Delete and create ``folder`` again: a new UIDVALIDITY, as a server rebuild gives."""
        imap = self.client()
        try:
            imap.delete(_quote(folder))
            typ, data = imap.create(_quote(folder))
            assert typ == "OK", data
        finally:
            imap.logout()


def _system_users() -> tuple[str, str, str]:
    """The unprivileged users Debian's dovecot package creates (internal, its group, login)."""
    internal, login = "dovecot", "dovenull"
    for name in (internal, login):
        try:
            pwd.getpwnam(name)
        except KeyError:
            raise RuntimeError(f"user {name} missing: apt-get install dovecot-core") from None
    return internal, grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name, login


def _quote(name: str) -> str:
    from editor.inbox.imap_connect import quote

    return quote(name)


def start_imap_server() -> ImapServer:
    """A started :class:`ImapServer`, or a skip (a failure in CI) without dovecot."""
    program = need_dovecot()
    return ImapServer(program).start()


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    """A running dovecot for one test, with the user ``bulletin`` and an empty INBOX."""
    server = start_imap_server()
    try:
        yield server
    finally:
        server.stop()
