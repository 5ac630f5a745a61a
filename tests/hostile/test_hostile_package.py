"""Hostile `.bulletin` files built by hand: huge documents, forged images, foreign layouts.

Each file is small on disk and claims or unpacks to something huge; opening it must be refused
with a message naming the problem, after bounded work (peak memory measured with tracemalloc).
"""

from __future__ import annotations

import hashlib
import json
import struct
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from editor.document import Newsletter, to_json
from editor.limits import MAX_BLOCKS, MAX_DOCUMENT_BYTES
from editor.package import MIMETYPE, PackageError, load

MB = 1024 * 1024


def _zip(path: Path, entries: dict[str, bytes], mimetype: bool = True) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if mimetype:
            archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _doc(**extra: Any) -> dict[str, Any]:
    return {**to_json(Newsletter(subject="x")), **extra}


def _peak_mb(action: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / MB


def _refused(path: Path, *words: str) -> tuple[str, float]:
    message = ""

    def attempt() -> None:
        nonlocal message
        with pytest.raises(PackageError) as info:
            load(path)
        message = str(info.value)

    peak = _peak_mb(attempt)
    for word in words:
        assert word in message, message
    return message, peak


def test_millions_of_blocks_in_a_small_zip_are_refused_before_building(tmp_path: Path) -> None:
    # The case: a few hundred KB of zip, a document.json of millions of blocks.
    block = b'{"type":"spacer","id":"a","height":24},'
    body = b'{"version":2,"subject":"x","blocks":[' + block * 2_000_000 + b'{"type":"spacer"}]}'
    path = _zip(tmp_path / "blocks.bulletin", {"document.json": body})
    assert path.stat().st_size < 1 * MB
    _message, peak = _refused(path, "document.json")
    assert peak < 3 * MAX_DOCUMENT_BYTES / MB + 10, peak


def test_many_blocks_under_the_size_cap_are_refused_by_count(tmp_path: Path) -> None:
    blocks = [{"type": "spacer", "id": f"s{i}"} for i in range(MAX_BLOCKS + 1)]
    path = _zip(
        tmp_path / "count.bulletin", {"document.json": json.dumps(_doc(blocks=blocks)).encode()}
    )
    _refused(path, str(MAX_BLOCKS))


def test_a_lying_directory_does_not_bypass_the_document_cap(tmp_path: Path) -> None:
    body = b'{"version":2,"subject":"' + b"x" * (MAX_DOCUMENT_BYTES + MB) + b'"}'
    path = _zip(tmp_path / "lie.bulletin", {"document.json": body})
    raw = bytearray(path.read_bytes())
    # Rewrite the declared uncompressed size (local header and central directory) to 100 bytes.
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            name_len = struct.unpack(
                "<H", raw[start + (26 if signature == b"PK\x03\x04" else 28) :][:2]
            )[0]
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + name_len] == b"document.json":
                raw[start + offset : start + offset + 4] = struct.pack("<I", 100)
            start += 4
    path.write_bytes(bytes(raw))
    message, peak = _refused(path)
    assert "document.json" in message or "endommag" in message or "damaged" in message
    assert peak < 3 * MAX_DOCUMENT_BYTES / MB + 10, peak


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    deep = "[" * 5000 + "]" * 5000
    body = ('{"version":2,"subject":"x","theme":{"x":' + deep + "}}").encode()
    _refused(_zip(tmp_path / "deep.bulletin", {"document.json": body}))


def _png_claiming(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    chunks = b""
    for kind, data in ((b"IHDR", ihdr), (b"IDAT", idat), (b"IEND", b"")):
        chunks += (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )
    return b"\x89PNG\r\n\x1a\n" + chunks


@pytest.mark.parametrize("size", [(100_000, 100_000), (20_000, 6_000)])
def test_decompression_bomb_png_is_refused_with_a_message(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    png = _png_claiming(*size)
    ref = f"images/{hashlib.sha256(png).hexdigest()}.png"
    doc = _doc(blocks=[{"type": "image", "id": "i1", "src": ref, "alt": "x"}])
    path = _zip(tmp_path / "bomb.bulletin", {"document.json": json.dumps(doc).encode(), ref: png})
    _refused(path, f"{size[0]} × {size[1]}")


def test_large_but_real_photo_size_opens(tmp_path: Path) -> None:
    png = _png_claiming(8000, 6000)  # a 48-megapixel phone photo's size
    ref = f"images/{hashlib.sha256(png).hexdigest()}.png"
    doc = _doc(blocks=[{"type": "image", "id": "i1", "src": ref, "alt": "x"}])
    path = _zip(tmp_path / "photo.bulletin", {"document.json": json.dumps(doc).encode(), ref: png})
    assert ref in load(path).images


def test_file_without_mimetype_is_accepted_and_checked_like_any_other(tmp_path: Path) -> None:
    blocks = [{"type": "spacer", "id": f"s{i}"} for i in range(MAX_BLOCKS + 1)]
    body = json.dumps(_doc(blocks=blocks)).encode()
    _refused(_zip(tmp_path / "nomime.bulletin", {"document.json": body}, mimetype=False))
    ok = _zip(tmp_path / "ok.bulletin", {"document.json": json.dumps(_doc()).encode()}, False)
    assert load(ok).newsletter.subject == "x"
