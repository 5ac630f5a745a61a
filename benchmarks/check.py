"""Spam-check benchmark: the 12-block newsletter and a ~100 KB one, given their render (what
the composer's panel pays after each edit) and with the render, beside ``spamc`` against a warm
``spamd`` on the same messages when SpamAssassin is installed.

Run: ``uv run python benchmarks/check.py``. Prints medians in milliseconds. spamd is started
on a free loopback port with its own site configuration (no Bayes, no network tests, ``-L``)
and stopped at the end.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.render import IMG, image, newsletter
from editor.document import TextBlock
from editor.render.engine import Renderer
from editor.render.mime import build_message
from editor.spam import check_newsletter

REPEAT = 41
SPAMC_REPEAT = 11


def median_ms(job: Callable[[], object], repeat: int = REPEAT) -> float:
    job()  # warm: regexes compiled, word lists read
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def big_newsletter() -> object:
    """The 12-block newsletter grown to about 100 KB of HTML with more text blocks."""
    doc = newsletter()
    para = doc.blocks[2]
    assert isinstance(para, TextBlock)
    for n in range(17):
        doc.blocks.insert(3 + n, TextBlock(id=f"more{n}", html=para.html))
    return doc


def message_bytes(doc: object, images: dict[str, bytes]) -> bytes:
    rendered = Renderer(images).render(doc)  # type: ignore[arg-type]
    return build_message(
        rendered,
        sender_name="Boulangerie Martin",
        sender_email="news@boulangerie.example",
        images=images,
    ).as_bytes()


def start_spamd() -> tuple[subprocess.Popen[bytes], int, Path] | None:
    program = shutil.which("spamd") or (
        "/usr/sbin/spamd" if Path("/usr/sbin/spamd").exists() else None
    )
    if program is None or shutil.which("spamc") is None:
        return None
    root = Path(os.path.realpath(tempfile.mkdtemp(prefix="bulletin-bench-spamd-")))
    site, home = root / "site", root / "home"
    site.mkdir()
    home.mkdir()
    for pre in Path("/etc/spamassassin").glob("*.pre"):
        shutil.copy(pre, site / pre.name)
    (site / "local.cf").write_text(
        "use_bayes 0\ndns_available no\nskip_rbl_checks 1\nuse_razor2 0\nuse_pyzor 0\n",
        encoding="utf-8",
    )
    for path in (root, site, home, *site.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [program, "-L", "-x", "-i", f"127.0.0.1:{port}", "-A", "127.0.0.1", "-m", "2"]
    command += [f"--siteconfigpath={site}", f"--helper-home-dir={home}", "-s", "stderr"]
    if os.geteuid() == 0:
        command += ["-u", "nobody"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
                sock.sendall(b"PING SPAMC/1.5\r\n\r\n")
                if sock.recv(100).startswith(b"SPAMD/"):
                    return process, port, root
        except OSError:
            time.sleep(0.2)
    process.terminate()
    return None


def main() -> None:
    images = {IMG: image()}
    docs = {"12-block newsletter": newsletter(), "~100 KB newsletter": big_newsletter()}
    messages = {}
    for label, doc in docs.items():
        rendered = Renderer(images).render(doc)  # type: ignore[arg-type]
        html_kb = len(rendered.html_for(None, preview=True).encode()) / 1024
        given = median_ms(lambda d=doc, r=rendered: check_newsletter(d, r, images=images))  # type: ignore[misc]
        fresh = median_ms(lambda d=doc: check_newsletter(d, images=images))  # type: ignore[misc]
        print(f"{label} ({html_kb:.0f} KB of HTML):")
        print(f"  check, given its render   {given:7.2f} ms")
        print(f"  check, rendering it first {fresh:7.2f} ms")
        messages[label] = message_bytes(doc, images)
    spamd = start_spamd()
    if spamd is None:
        print("spamc/spamd not installed: no SpamAssassin figure")
        return
    process, port, root = spamd
    try:
        for label, raw in messages.items():
            ms = median_ms(
                lambda raw=raw: subprocess.run(  # type: ignore[misc]
                    ["spamc", "-d", "127.0.0.1", "-p", str(port), "-c"],
                    input=raw,
                    capture_output=True,
                    check=False,
                ),
                SPAMC_REPEAT,
            )
            print(f"spamc → warm spamd, {label}: {ms:7.1f} ms")
    finally:
        process.terminate()
        process.wait(timeout=15)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
