"""What a newsletter file may hold, checked before anything is built from it.

A ``.bulletin`` file is exchanged like any attachment, so opening one must cost seconds and
megabytes whatever it claims. These limits are generous for a real newsletter (the largest
starter is 40 blocks and 30 KB of JSON; Gmail clips a message at 102 KB of HTML) and small
enough that the worst file within them opens in well under a second.

Images are sized from their headers by :func:`image_size`, without decoding pixels and without
Pillow's decompression-bomb machinery (which warns or raises through process-wide settings).
"""

from __future__ import annotations

import struct
from typing import Any

from editor.i18n import _

MAX_DOCUMENT_BYTES = 4 * 1024 * 1024  # document.json once decompressed
MAX_BLOCKS = 1_000
MAX_DEPTH = 12  # nesting of JSON objects and lists (a document needs 7)
MAX_NODES = 200_000  # JSON values of any kind
MAX_STRING = 256 * 1024  # characters in one string (a raw HTML block)
MAX_IMAGE_PIXELS = 100_000_000  # 100 megapixels: any camera photo, not a forged header
MAX_IMAGE_SIDE = 30_000


class LimitError(ValueError):
    """A document or image over one of the limits, with a message naming it."""


def check_document_data(data: Any) -> None:
    """Walk parsed JSON once, iteratively, and refuse it when it is over a limit.

    Runs before any dataclass is built, so a file of seven million blocks is refused after one
    pass over plain lists instead of after building (and validating) every block.
    """
    blocks = nodes = 0
    stack: list[tuple[Any, int, bool]] = [(data, 1, False)]
    while stack:
        value, depth, is_blocks = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise _over_nodes()
        if depth > MAX_DEPTH:
            raise LimitError(
                _("the document is nested too deeply (over {max_depth} levels).").format(
                    max_depth=MAX_DEPTH
                )
            )
        if isinstance(value, str):
            if len(value) > MAX_STRING:
                raise LimitError(
                    _("a text of the document is over {max_string} KB.").format(
                        max_string=MAX_STRING // 1024
                    )
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if len(key) > 100:
                    raise _over_nodes()
                stack.append((item, depth + 1, key == "blocks"))
        elif isinstance(value, list):
            if is_blocks:
                blocks += len(value)
                if blocks > MAX_BLOCKS:
                    raise LimitError(
                        _("the document has more than {max_blocks} blocks.").format(
                            max_blocks=MAX_BLOCKS
                        )
                    )
            stack.extend((item, depth + 1, False) for item in value)


def _over_nodes() -> LimitError:
    return LimitError(_("the document is far larger than a newsletter."))


def check_image(data: bytes, label: str) -> tuple[int, int] | None:
    """The image's size when within the limits; raise :class:`LimitError` when it is not."""
    size = image_size(data)
    if size is not None:
        width, height = size
        if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS:
            raise LimitError(
                _(
                    "the image {label} claims {width} × {height} pixels, over "
                    "{max_image_pixels} megapixels."
                ).format(
                    label=label,
                    width=width,
                    height=height,
                    max_image_pixels=MAX_IMAGE_PIXELS // 1000000,
                )
            )
    return size


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height read from a PNG, JPEG, GIF or WebP header; None when unreadable."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return _positive(width, height)
        if data.startswith((b"GIF87a", b"GIF89a")):
            width, height = struct.unpack("<HH", data[6:10])
            return _positive(width, height)
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_size(data)
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _positive(width: int, height: int) -> tuple[int, int] | None:
    return (width, height) if width > 0 and height > 0 else None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return _positive(width, height)
    if chunk == b"VP8L" and data[20:21] == b"\x2f":
        bits = int.from_bytes(data[21:25], "little")
        return _positive((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return _positive(width & 0x3FFF, height & 0x3FFF)
    return None


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG markers up to the first start-of-frame (bounded by the data's length)."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if length < 2:
            return None
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return _positive(width, height)
        pos += 2 + length
    return None
