"""Settings (https only, secret rules, damaged file), fetching against hostile or broken
endpoints (bounded, clear errors, no redirect followed), and parsing the export's lines."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.contacts.store import ContactStore
from editor.tracking import TrackingError
from editor.tracking import settings as tracking_settings
from editor.tracking.fetch import MAX_PAGE_BYTES, fetch, parse_page
from editor.tracking.settings import check_secret, check_url, load, set_enabled


@pytest.mark.parametrize(
    "url",
    [
        "https://exemple.fr/track.php",
        "http://127.0.0.1:8080/track.php",
        "http://localhost/track.php",
        "http://[::1]/t.php",
    ],
)
def test_accepted_addresses(url: str) -> None:
    assert check_url(f"  {url} ") == url


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://exemple.fr/track.php", "https"),
        ("ftp://exemple.fr/track.php", "not a valid"),
        ("https://exemple.fr/track.php?x=1", "without ?"),
        ("https://exemple.fr/track.php#a", "without ?"),
        ("https://user:pw@exemple.fr/track.php", "password"),
        ("https://exem ple.fr/t.php", "not a valid"),
        ("https://exemple.fr:99999/t.php", "not a valid"),
        ("", "Give the address"),
        ("javascript:alert(1)", "not a valid"),
    ],
)
def test_refused_addresses(url: str, words: str) -> None:
    with pytest.raises(TrackingError, match=words):
        check_url(url)


@pytest.mark.parametrize("secret", ["short", "x" * 300, "quote'quote'quote'q", "é" * 20])
def test_refused_secrets(secret: str) -> None:
    with pytest.raises(TrackingError):
        check_secret(secret)


def test_settings_default_off_damaged_file_and_enable(bulletin_home: Path) -> None:
    assert load() == tracking_settings.TrackingSettings(url="", enabled=False)
    with pytest.raises(TrackingError, match="setup"):
        set_enabled(True)  # no endpoint yet
    path = bulletin_home / "tracking.json"
    path.write_text("{broken", encoding="utf-8")
    with pytest.raises(TrackingError, match="damaged"):
        load()
    tracking_settings.save(tracking_settings.TrackingSettings("https://e.fr/t.php", True))
    assert set_enabled(False).enabled is False and load().url == "https://e.fr/t.php"


def test_parse_page_keeps_good_lines_and_counts_bad_ones() -> None:
    body = (
        b'{"n":1,"k":"o","t":"AbCdEfGhIjKlMnOpQrSt","l":-1,"at":"2026-03-02T09:00:00Z"}\n'
        b'{"n":2,"k":"c","t":"AbCdEfGhIjKlMnOpQrSt","l":3,"at":"2026-03-02T09:12:44Z"}\n'
        b'{"n":3,"k":"x","t":"AbCdEfGhIjKlMnOpQrSt","l":3,"at":"2026-03-02T09:00:00Z"}\n'
        b'{"n":4,"k":"o","t":"bad token!","l":-1,"at":"2026-03-02T09:00:00Z"}\n'
        b'{"n":5,"k":"o","t":"AbCdEfGhIjKlMnOpQrSt","l":2,"at":"2026-03-02T09:00:00Z"}\n'
        b"not json\n\n"
    )
    events, highest, bad = parse_page(body)
    assert [(e.number, e.kind, e.link) for e in events] == [(1, "open", -1), (2, "click", 3)]
    assert events[1].hour == "2026-03-02T09:00:00Z"  # cut to the hour on our side too
    assert (highest, bad) == (5, 4)
    with pytest.raises(TrackingError, match="not the expected"):
        parse_page(b"<html><body>Welcome to my site</body></html>")
    with pytest.raises(TrackingError, match="not the expected"):
        parse_page(b"\xff\xfe\x00garbage")


class _Handler(http.server.BaseHTTPRequestHandler):
    mode = "ok"

    def do_POST(self) -> None:
        # Read the request body, else closing with it unread resets the connection.
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        mode = type(self).mode
        if mode == "redirect":
            self.send_response(302)
            self.send_header("Location", "https://elsewhere.example/steal")
            self.end_headers()
        elif mode == "forbidden":
            self.send_response(403)
            self.end_headers()
        elif mode == "huge":
            self.send_response(200)
            self.end_headers()
            chunk = b"x" * 65536
            for _ in range(MAX_PAGE_BYTES // len(chunk) + 2):
                self.wfile.write(chunk)
        elif mode == "html":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"<!doctype html><p>hello</p>")

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def web() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/track.php", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("redirect", "redirection to https://elsewhere.example/steal"),
        ("forbidden", "refused the secret"),
        ("huge", "too large"),
        ("html", "not the expected"),
    ],
)
def test_fetch_errors_are_sentences(
    tmp_path: Path, web: tuple[str, type[_Handler]], mode: str, words: str
) -> None:
    url, handler = web
    handler.mode = mode
    with ContactStore(tmp_path / "c.sqlite3") as store, pytest.raises(TrackingError, match=words):
        fetch(store.db, url, "a-secret-of-16-chars", timeout=5)


def test_fetch_from_nowhere(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/t.php"
    with (
        ContactStore(tmp_path / "c.sqlite3") as store,
        pytest.raises(TrackingError, match="Could not reach"),
    ):
        fetch(store.db, url, "a-secret-of-16-chars", timeout=5)
