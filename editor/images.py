"""Images made fit for an email: no heavier than the reader's screen needs, and no private data.

A phone photo is 4000 px wide and 3–5 MB; an email shows it 600 px wide, so its recipients
download ten times what they see, and its EXIF block tells every one of them where it was taken
(GPS) and with which phone. :func:`prepare_for_email` resizes a photo to twice its displayed
width (sharp on high-density screens), applies its EXIF orientation (once the metadata is gone,
nothing else would turn it upright), and writes it without metadata.

Everything else is kept as close to the original as possible: an image already small enough
is only stripped of its metadata, losslessly (its JPEG or PNG segments are dropped, the pixels
are not re-encoded); a PNG stays PNG (transparency, sharp edges of logos); an animated GIF is
left untouched (resizing it frame by frame would lose its palette). WebP is turned into JPEG or
PNG, which every email client shows (Outlook for Windows does not show WebP).

Images come from anywhere, so the pixel count is checked from the header before Pillow decodes
anything (a 100,000 × 100,000 PNG of a few kilobytes would need 30 GB), and every failure is an
:class:`ImageError` with a sentence for the user. Nothing here changes Pillow's process-wide
settings.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from editor.document import DocumentError, Theme
from editor.i18n import _, number
from editor.limits import MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE, image_size

JPEG_QUALITY = 82  # indistinguishable from the original at 2x on a phone, a third of q95's size
SCALE = 2  # pixels per displayed pixel: sharp on high-density (Retina) screens
_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# JPEG segments that carry metadata: APP1 (EXIF, XMP), APP13 (IPTC/Photoshop), COM (comments).
# APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform) are needed to
# show the pixels right and are kept.
_JPEG_DROP = frozenset({0xE1, 0xED, 0xFE})
# PNG chunks that carry metadata (EXIF, text, XMP in iTXt, modification time).
_PNG_DROP = frozenset({b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"})
_ROTATED = (5, 6, 7, 8)  # EXIF orientations that swap width and height


class ImageError(DocumentError):
    """An image that cannot be used, with a sentence for the user."""


@dataclass(frozen=True)
class Prepared:
    """An image ready to embed.

    Attributes:
        data: the bytes to store (``BulletinFile.add_image``).
        format: their format: ``jpg``, ``png`` or ``gif``.
        width, height: their size in pixels, upright.
        saved_bytes: how much lighter than the original they are (0 when kept as is).
    """

    data: bytes
    format: str
    width: int
    height: int
    saved_bytes: int


def default_display_width() -> int:
    """The width an image shown at "full width" takes in the default theme."""
    return Theme().content_width


def prepare_for_email(data: bytes, display_width: int = 0, *, name: str = "") -> Prepared:
    """``data`` made light and private for an email where it is shown ``display_width`` px wide.

    ``display_width`` 0 means the default content width. ``name`` (the file's name) only
    appears in messages. Raises :class:`ImageError` for anything that is not a usable PNG,
    JPEG, GIF or WebP image.
    """
    shown = name or _("the image")
    limit = SCALE * (display_width if display_width > 0 else default_display_width())
    _check_size(data, shown)
    try:
        with Image.open(io.BytesIO(data), formats=_FORMATS) as image:
            if getattr(image, "is_animated", False):
                image.load()  # the first frame: refuses a truncated file
                fmt = "gif" if image.format == "GIF" else "webp"
                if fmt == "webp":
                    raise ImageError(
                        _(
                            "{name} is an animated WebP image, which many email programs do "
                            "not show: use an animated GIF instead."
                        ).format(name=shown)
                    )
                return Prepared(data, fmt, image.width, image.height, 0)
            return _prepare(image, data, limit)
    except Image.DecompressionBombError as error:
        raise _too_large(shown) from error
    except UnidentifiedImageError as error:
        raise ImageError(
            _("{name} is not a PNG, JPEG, GIF or WebP image.").format(name=shown)
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError, struct.error) as error:
        if isinstance(error, ImageError):
            raise
        raise ImageError(
            _("{name} is damaged or incomplete (the file may have been cut short).").format(
                name=shown
            )
        ) from error


def _check_size(data: bytes, shown: str) -> None:
    """Refuse an image whose header claims more pixels than we will decode.

    Pillow's own limit (:data:`PIL.Image.MAX_IMAGE_PIXELS`) only warns between one and two
    times its value; refusing at the lower of the two limits keeps it from ever warning.
    """
    size = image_size(data)
    if size is None:
        return
    width, height = size
    pixels = MAX_IMAGE_PIXELS
    if Image.MAX_IMAGE_PIXELS:
        pixels = min(pixels, int(Image.MAX_IMAGE_PIXELS))
    if width > MAX_IMAGE_SIDE or height > MAX_IMAGE_SIDE or width * height > pixels:
        raise _too_large(shown, width, height)


def _too_large(shown: str, width: int = 0, height: int = 0) -> ImageError:
    if width and height:
        return ImageError(
            _(
                "{name} is {width} × {height} pixels: too large to open safely "
                "(at most {limit} megapixels)."
            ).format(
                name=shown,
                width=number(width),
                height=number(height),
                limit=number(_pixel_limit() // 1_000_000),
            )
        )
    return ImageError(
        _("{name} is too large to open safely (at most {limit} megapixels).").format(
            name=shown, limit=number(_pixel_limit() // 1_000_000)
        )
    )


def _pixel_limit() -> int:
    return min(MAX_IMAGE_PIXELS, int(Image.MAX_IMAGE_PIXELS or MAX_IMAGE_PIXELS))


def _prepare(image: Image.Image, data: bytes, limit: int) -> Prepared:
    fmt = image.format
    orientation = _orientation(image)
    width, height = image.size
    if orientation in _ROTATED:
        width, height = height, width
    too_wide = width > limit
    target = (limit, max(1, round(height * limit / width))) if too_wide else (width, height)
    if fmt == "JPEG" and too_wide:
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale (still at least the target): a 12 MP
        # photo then costs a fraction of its full decode.
        stored = (target[1], target[0]) if orientation in _ROTATED else target
        image.draft("RGB", stored)
    image.load()  # refuses a truncated or damaged file before anything is kept
    if fmt == "GIF" and not too_wide:  # a still GIF small enough: as it is
        return Prepared(data, "gif", width, height, 0)
    candidates: list[tuple[bytes, str, int, int]] = []
    cmyk = fmt == "JPEG" and image.mode not in ("RGB", "L")  # shown wrongly by some clients
    if orientation == 1 and fmt in _EXTENSIONS and not cmyk:
        # The original, metadata removed, competes: a flat PNG logo may weigh less at 3000 px
        # than redrawn at 1200. Not when turned by EXIF: without it, it would lie on its side.
        stripped = _strip_metadata(data, fmt)
        if stripped is not None:
            candidates.append((stripped, _EXTENSIONS[fmt], width, height))
    upright = ImageOps.exif_transpose(image) if orientation != 1 else image
    if upright.size != target:
        upright = _resized(upright, target)
    candidates.append(_encode(upright, fmt))
    best = min(candidates, key=lambda candidate: len(candidate[0]))
    out, ext, out_width, out_height = best
    return Prepared(out, ext, out_width, out_height, max(0, len(data) - len(out)))


_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif"}


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except (OSError, ValueError, SyntaxError, struct.error):  # a damaged EXIF block
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _resized(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` at ``size``, filtered (Lanczos); palette images go through RGB(A) first."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
    return image.resize(size, Image.Resampling.LANCZOS)


def _encode(image: Image.Image, fmt: str | None) -> tuple[bytes, str, int, int]:
    """``image`` written for email: PNG when it has transparency or was a PNG/GIF, else JPEG."""
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    if fmt in ("PNG", "GIF") or _has_alpha(image):
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA" if _has_alpha(image) else "RGB")
        image.save(out, "PNG", optimize=True, icc_profile=icc)
        return out.getvalue(), "png", image.width, image.height
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")  # CMYK, palette…: email clients expect RGB
    image.save(
        out,
        "JPEG",
        quality=JPEG_QUALITY,
        optimize=True,
        progressive=True,
        icc_profile=icc,
    )
    return out.getvalue(), "jpg", image.width, image.height


# ------------------------------------------------------------------- lossless metadata removal


def _strip_metadata(data: bytes, fmt: str | None) -> bytes | None:
    """``data`` without its metadata segments, pixels untouched; None when it cannot be done."""
    try:
        if fmt == "JPEG":
            return _strip_jpeg(data)
        if fmt == "PNG":
            return _strip_png(data)
    except (IndexError, struct.error, ValueError):
        return None
    return data if fmt == "GIF" else None


def _strip_jpeg(data: bytes) -> bytes | None:
    """The JPEG without APP1/APP13/COM segments: the marker walk up to the image data."""
    if not data.startswith(b"\xff\xd8"):
        return None
    out = bytearray(b"\xff\xd8")
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data, kept as it is
            out += data[pos:]
            return bytes(out)
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            return None
        if marker not in _JPEG_DROP:
            out += data[pos:end]
        pos = end
    return None


def _strip_png(data: bytes) -> bytes | None:
    """The PNG without its text, EXIF and time chunks (whole chunks kept or dropped)."""
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        return None
    out = bytearray(signature)
    pos = len(signature)
    while pos + 12 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            return None
        if kind not in _PNG_DROP:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            return bytes(out)
    return None
