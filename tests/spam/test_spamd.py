"""The spamd client against a real spamd on loopback (local tests only, its own configuration),
and against small fake servers for the failures a real spamd cannot be made to show."""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.merge import sample_values
from editor.render.context import unsubscribe_mailto_template
from editor.render.engine import Renderer
from editor.render.mime import build_message
from editor.spam.model import SpamdRule
from editor.spam.spamd import (
    MAX_MESSAGE_BYTES,
    SpamdError,
    check_with_spamd,
    parse_address,
    parse_report,
    parse_symbols,
)
from editor.starters import create
from tests.system import find_program, unavailable

GTUBE = b"XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
HEADERS = (
    b"From: Boulangerie <news@bakery.example>\r\nTo: zoe@example.org\r\n"
    b"Subject: Our news\r\nDate: Mon, 01 Dec 2025 10:00:00 +0000\r\n"
    b"Message-ID: <20251201100000.12345@bakery.example>\r\n"
)
SITE_CONFIG = (
    "use_bayes 0\nbayes_auto_learn 0\ndns_available no\nskip_rbl_checks 1\n"
    "use_razor2 0\nuse_pyzor 0\n"
)
START_SECONDS = 120.0  # SpamAssassin compiles its rules at start: a few seconds, more on slow CI


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
            sock.sendall(b"PING SPAMC/1.5\r\n\r\n")
            return sock.recv(100).startswith(b"SPAMD/")
    except OSError:
        return False


@pytest.fixture(scope="module")
def spamd() -> Iterator[str]:
    """A spamd on 127.0.0.1 with a free port, its own site configuration (no Bayes, no network
    tests, ``-L``) and home folder; the address is yielded, and spamd stopped after the module."""
    program = find_program("spamd")
    if program is None:
        unavailable("spamd not found: apt-get install spamassassin spamd")
    # Not pytest's tmp folder: spamd drops to "nobody" when run as root, and nobody must read it.
    root = Path(os.path.realpath(tempfile.mkdtemp(prefix="bulletin-spamd-")))
    site, home = root / "site", root / "home"
    site.mkdir()
    home.mkdir()
    for pre in Path("/etc/spamassassin").glob("*.pre"):  # they load the plugins the rules use
        shutil.copy(pre, site / pre.name)
    (site / "local.cf").write_text(SITE_CONFIG, encoding="utf-8")
    for path in (root, site, home, *site.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    port = _free_port()
    command = [program, "-L", "-x", "-i", f"127.0.0.1:{port}", "-A", "127.0.0.1", "-m", "2"]
    command += [f"--siteconfigpath={site}", f"--helper-home-dir={home}", "-s", "stderr"]
    if os.geteuid() == 0:
        command += ["-u", "nobody"]
    log = (root / "spamd.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _ping(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("spamd did not start:\n" + (root / "spamd.log").read_text("utf-8"))
            time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
        log.close()
        shutil.rmtree(root, ignore_errors=True)


def starter_message(name: str = "monthly-en") -> bytes:
    """A starter newsletter's MIME message, built as ``bulletin render --eml`` builds it."""
    doc = create(name)
    rendered = Renderer(doc.images).render(doc.newsletter)
    sender = doc.newsletter.sender
    message = build_message(
        rendered,
        sender_name=sender.name or "Bakery",
        sender_email=sender.email or "news@bakery.example",
        reply_to=sender.reply_to,
        images=doc.images,
        contact=sample_values(rendered.tags.names() - {"unsubscribe_url"}),
        unsubscribe_mailto=unsubscribe_mailto_template(doc.newsletter),
        one_click=sender.one_click_unsubscribe,
    )
    return message.as_bytes()


# --------------------------------------------------------------------------- against real spamd


def test_gtube_scores_at_least_1000_with_rule_gtube(spamd: str) -> None:
    report = check_with_spamd(HEADERS + b"\r\n" + GTUBE + b"\r\n", spamd)
    assert report.score >= 1000
    assert report.threshold == 5.0
    gtube = next(rule for rule in report.rules if rule.name == "GTUBE")
    assert gtube.points == 1000
    assert "Unsolicited Bulk Email" in gtube.description
    assert sum(rule.points for rule in report.rules) == pytest.approx(report.score, abs=0.05)


def test_clean_starter_newsletter_scores_low(spamd: str) -> None:
    report = check_with_spamd(starter_message(), spamd)
    assert report.score < report.threshold
    assert "GTUBE" not in {rule.name for rule in report.rules}
    assert all(rule.description for rule in report.rules)


def test_a_message_of_a_few_megabytes_is_checked(spamd: str) -> None:
    attachment = base64.encodebytes(bytes(range(256)) * 12_000)  # 3 MB, 4 MB encoded
    message = (
        HEADERS + b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
        b"--XX\r\nContent-Type: text/plain\r\n\r\n" + GTUBE + b"\r\n--XX\r\n"
        b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + attachment
        + b"\r\n--XX--\r\n"
    )
    assert len(message) > 4_000_000
    report = check_with_spamd(message, spamd, timeout=60)
    assert "GTUBE" in {rule.name for rule in report.rules}


# ------------------------------------------------------------------------------------- failures


def test_refused_port_asks_whether_spamd_runs() -> None:
    with socket.socket() as bound:  # bound but not listening: connecting is refused
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]
        with pytest.raises(SpamdError, match=r"refused\. Is spamd running\?"):
            check_with_spamd(GTUBE, f"127.0.0.1:{port}")


def test_server_that_never_answers_times_out() -> None:
    with socket.socket() as silent:  # the kernel accepts the connection; nobody reads it
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        with pytest.raises(SpamdError, match=r"did not answer within 0\.5 seconds"):
            check_with_spamd(HEADERS + b"\r\nhello\r\n", f"127.0.0.1:{port}", timeout=0.5)


class OneReplyServer:
    """Accepts one connection on loopback, reads the request, sends ``reply`` and closes."""

    def __init__(self, reply: bytes) -> None:
        self.reply = reply
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.sock.settimeout(10)
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _peer = self.sock.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(10)
            conn.recv(65536)
            conn.sendall(self.reply)

    def close(self) -> None:
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture
def one_reply() -> Iterator[list[OneReplyServer]]:
    servers: list[OneReplyServer] = []
    yield servers
    for server in servers:
        server.close()


def test_a_server_that_is_not_spamd_is_named(one_reply: list[OneReplyServer]) -> None:
    server = OneReplyServer(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    one_reply.append(server)
    with pytest.raises(SpamdError, match=r'is not a spamd \(it answered "HTTP/1.1 400'):
        check_with_spamd(HEADERS + b"\r\nhello\r\n", server.address, timeout=10)


def test_spamd_refusing_the_message_gives_its_reason(one_reply: list[OneReplyServer]) -> None:
    server = OneReplyServer(b"SPAMD/1.0 76 Bad header line: (Content-Length mismatch)\r\n")
    one_reply.append(server)
    with pytest.raises(SpamdError, match=r"Bad header line.*\(code 76\)"):
        check_with_spamd(HEADERS + b"\r\nhello\r\n", server.address, timeout=10)


def test_a_report_without_a_table_falls_back_to_symbols() -> None:
    """A site's report template may drop the table: the rules are then asked with SYMBOLS."""
    report = b"SPAMD/1.1 0 EX_OK\r\nContent-length: 9\r\nSpam: False ; 1.5 / 5.0\r\n\r\nCustom.\r\n"
    symbols = b"SPAMD/1.1 0 EX_OK\r\nSpam: False ; 1.5 / 5.0\r\n\r\nHTML_MESSAGE,MISSING_MID"
    server = TwoReplyServer(report, symbols)
    try:
        result = check_with_spamd(HEADERS + b"\r\nhello\r\n", server.address, timeout=10)
    finally:
        server.close()
    assert result.score == 1.5
    assert [rule.name for rule in result.rules] == ["HTML_MESSAGE", "MISSING_MID"]
    assert server.commands == [b"REPORT", b"SYMBOLS"]


class TwoReplyServer(OneReplyServer):
    """Answers two connections in turn, remembering each request's command."""

    def __init__(self, first: bytes, second: bytes) -> None:
        self.replies = [first, second]
        self.commands: list[bytes] = []
        super().__init__(first)

    def _serve(self) -> None:
        for reply in self.replies:
            try:
                conn, _peer = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                self.commands.append(conn.recv(65536).split(b" ", 1)[0])
                conn.sendall(reply)


def test_too_large_message_is_refused_before_connecting() -> None:
    with pytest.raises(SpamdError, match="too large"):
        check_with_spamd(b"x" * (MAX_MESSAGE_BYTES + 1), "127.0.0.1:1")


@pytest.mark.parametrize(
    "address", ["", "host:", "[::1]:", "host:port", "host:0", "a:99999", "[::1", "[::1]x", "h st"]
)
def test_malformed_address(address: str) -> None:
    with pytest.raises(SpamdError, match="is not a spamd address"):
        check_with_spamd(GTUBE, address)


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("127.0.0.1:7830", ("127.0.0.1", 7830)),
        ("localhost", ("localhost", 783)),
        (" spamd.lan:783 ", ("spamd.lan", 783)),
        ("[::1]:7830", ("::1", 7830)),
        ("[::1]", ("::1", 783)),
        ("::1", ("::1", 783)),
    ],
)
def test_parse_address(address: str, expected: tuple[str, int]) -> None:
    assert parse_address(address) == expected


# ----------------------------------------------------------------------------- parsing the reply

REPORT = """Spam detection software, running on the system "vm", has identified ...

Content analysis details:   (7.1 points, 5.0 required)

 pts rule name              description
---- ---------------------- --------------------------------------------------
-0.0 NO_RECEIVED            Informational: message has no Received headers
 2.5 URIBL_SOMETHING        Contains an URL listed in a blocklist
                            [URIs: example.com]
1000 GTUBE                  BODY: Generic Test for Unsolicited Bulk Email
 0.0 A_VERY_LONG_RULE_NAME_OVER_22 Its description
 0.1 NO_DESCRIPTION

"""


def test_parse_report_reads_points_names_and_wrapped_descriptions() -> None:
    assert parse_report(REPORT) == [
        SpamdRule("NO_RECEIVED", 0.0, "Informational: message has no Received headers"),
        SpamdRule(
            "URIBL_SOMETHING", 2.5, "Contains an URL listed in a blocklist [URIs: example.com]"
        ),
        SpamdRule("GTUBE", 1000.0, "BODY: Generic Test for Unsolicited Bulk Email"),
        SpamdRule("A_VERY_LONG_RULE_NAME_OVER_22", 0.0, "Its description"),
        SpamdRule("NO_DESCRIPTION", 0.1, ""),
    ]


def test_parse_report_without_table_is_none() -> None:
    assert parse_report("This message scored 2.0.\n") is None


def test_parse_symbols_with_or_without_trailing_newline() -> None:
    assert parse_symbols("A,B_C,D\r\n") == ["A", "B_C", "D"]
    assert parse_symbols("A,B_C,D") == ["A", "B_C", "D"]
    assert parse_symbols("") == []
