"""The real PHP endpoint for the tests: ``php -S 127.0.0.1:PORT`` serving a folder that holds
``track.php`` with a test secret, as the user would upload it.

:class:`PhpEndpoint` starts the built-in server on a free loopback port, waits (bounded) until
it answers, and stops it (and its data file goes with the temporary folder). ``get`` makes a
request without following redirects, so the tests see the endpoint's own answer.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from editor.tracking.endpoint import php_source
from tests.system import need_php

SECRET = "test-secret-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


class PhpEndpoint:
    """``track.php`` (with ``secret``) under PHP's built-in server; a context manager."""

    def __init__(self, folder: Path, secret: str = SECRET) -> None:
        self.folder = folder
        self.secret = secret
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/track.php"

    @property
    def data_file(self) -> Path:
        return self.folder / "bulletin-track-data.php"

    def start(self) -> PhpEndpoint:
        php = need_php()
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "track.php").write_text(php_source(self.secret), encoding="utf-8")
        self.port = free_port()
        self.process = subprocess.Popen(
            [php, "-n", "-S", f"127.0.0.1:{self.port}", "-t", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10.0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("php -S stopped at once")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("php -S did not start listening")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
            self.process = None

    def __enter__(self) -> PhpEndpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def get(
        self, url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Answer:
        """The answer to ``url`` (GET, or POST with ``data``), redirects not followed."""
        request = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with _opener.open(request, timeout=10) as response:
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                return Answer(exc.code, dict(exc.headers), exc.read())

    def query(self, query: str, **kwargs: Any) -> Answer:
        return self.get(f"{self.url}?{query}", **kwargs)
