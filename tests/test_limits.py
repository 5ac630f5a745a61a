"""Document and image limits: checked from plain JSON and image headers, before building."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from editor.limits import (
    MAX_BLOCKS,
    MAX_DEPTH,
    MAX_STRING,
    LimitError,
    check_document_data,
    check_image,
    image_size,
)
from editor.starters import create, list_starters


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
@pytest.mark.parametrize("size", [(1, 1), (37, 5), (640, 480)])
def test_image_size_matches_pillow(fmt: str, size: tuple[int, int]) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#c00").save(buffer, fmt)
    assert image_size(buffer.getvalue()) == size


def test_webp_lossless_and_extended_sizes() -> None:
    for options in ({"lossless": True}, {"lossless": False, "exif": b"Exif\x00\x00"}):
        buffer = io.BytesIO()
        Image.new("RGBA", (300, 77), (0, 0, 0, 0)).save(buffer, "WEBP", **options)
        assert image_size(buffer.getvalue()) == (300, 77)


def test_forged_huge_png_header_is_refused_without_decoding() -> None:
    data = _png_header(100_000, 100_000)
    assert image_size(data) == (100_000, 100_000)
    with pytest.raises(LimitError, match="100000 × 100000"):
        check_image(data, "images/x.png")
    assert check_image(_png_header(4000, 3000), "ok") == (4000, 3000)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_garbage_never_raises(data: bytes) -> None:
    for prefix in (b"", b"\xff\xd8", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"RIFF0000WEBPVP8X"):
        image_size(prefix + data)


def test_every_starter_is_within_limits() -> None:
    from editor.document import to_json

    for starter in list_starters():
        check_document_data(to_json(create(starter.name).newsletter))


def test_too_many_blocks() -> None:
    blocks = [{"type": "spacer", "id": f"b{i}"} for i in range(MAX_BLOCKS + 1)]
    with pytest.raises(LimitError, match=str(MAX_BLOCKS)):
        check_document_data({"version": 2, "blocks": blocks})


def test_blocks_inside_columns_count_too() -> None:
    column = {"blocks": [{"type": "spacer"} for _ in range(MAX_BLOCKS // 4)]}
    columns = [{"type": "columns", "columns": [column, column]} for _ in range(3)]
    with pytest.raises(LimitError):
        check_document_data({"blocks": columns})


def test_deep_nesting_and_long_strings() -> None:
    deep: object = "x"
    for _ in range(MAX_DEPTH + 1):
        deep = [deep]
    with pytest.raises(LimitError):
        check_document_data({"blocks": [], "x": deep})
    with pytest.raises(LimitError, match=r"Ko|KB"):
        check_document_data({"subject": "x" * (MAX_STRING + 1)})


def test_many_small_values() -> None:
    with pytest.raises(LimitError):
        check_document_data({"theme": {"x": list(range(300_000))}})
