"""Images prepared for email: resized, upright, stripped of private data; hostile input refused.

Every image is made by Pillow in the test's temporary folder, as a camera or an editor writes it.
"""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from editor import images
from editor.images import ImageError, Prepared, prepare_for_email
from editor.package import BulletinFile

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def photo(width: int, height: int) -> Image.Image:
    """A photo-like image: smooth gradients plus grain (as JPEG sees a real photo)."""
    base = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    grain = Image.effect_noise((width, height), 40).convert("RGB")
    return Image.blend(base, grain, 0.3)


def camera_jpeg(tmp_path: Path, width: int = 4000, height: int = 3000) -> bytes:
    """A phone photo: stored sideways with orientation 6 (turn 90° to view), GPS and maker."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (45.0, 45.0, 30.0), 3: "E", 4: (4.0, 50.0, 12.0)}
    path = tmp_path / "IMG_0001.jpg"
    photo(width, height).save(path, "JPEG", quality=95, exif=exif)
    return path.read_bytes()


def opened(prepared: Prepared) -> Image.Image:
    image = Image.open(io.BytesIO(prepared.data))
    image.load()
    return image


def test_large_photo_is_resized_upright_and_stripped(tmp_path: Path) -> None:
    original = camera_jpeg(tmp_path)
    assert b"PhoneMaker" in original

    prepared = prepare_for_email(original, 600)

    assert prepared.format == "jpg"
    # Stored 4000 × 3000 sideways: upright it is 3000 wide × 4000 high, shown 600 wide → 1200.
    assert (prepared.width, prepared.height) == (1200, 1600)
    image = opened(prepared)
    assert image.format == "JPEG" and image.size == (1200, 1600)
    assert image.info.get("progressive") == 1
    assert not image.getexif()  # no orientation, no GPS, no camera
    assert b"PhoneMaker" not in prepared.data and b"Exif" not in prepared.data
    assert prepared.saved_bytes == len(original) - len(prepared.data)
    assert prepared.saved_bytes > len(original) * 0.8


def test_orientation_is_applied_to_the_pixels(tmp_path: Path) -> None:
    # A sideways photo whose left half (as stored) is black: once turned 90° clockwise, the
    # black half is the top one.
    stored = Image.new("RGB", (400, 200), "white")
    stored.paste((0, 0, 0), (0, 0, 200, 200))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=95, exif=exif)

    image = opened(prepare_for_email(out.getvalue(), 600))

    assert image.size == (200, 400)
    assert image.getpixel((100, 50))[0] < 30  # top: black
    assert image.getpixel((100, 350))[0] > 225  # bottom: white


def test_display_width_zero_means_the_default_content_width(tmp_path: Path) -> None:
    prepared = prepare_for_email(camera_jpeg(tmp_path, 3000, 2000), 0)
    assert prepared.width == 2 * images.default_display_width() == 1200


def test_small_photo_keeps_its_pixels_but_loses_its_gps(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (45.0, 45.0, 30.0)}
    out = io.BytesIO()
    photo(800, 600).save(out, "JPEG", quality=70, exif=exif)  # already light

    prepared = prepare_for_email(out.getvalue(), 600)

    image = opened(prepared)
    assert image.size == (800, 600)
    assert not image.getexif()
    assert b"PhoneMaker" not in prepared.data
    assert len(prepared.data) <= len(out.getvalue())


def test_metadata_is_removed_without_reencoding_when_that_is_smallest() -> None:
    """A heavily compressed JPEG: re-encoding at quality 82 would make it heavier, so its own
    image data is kept, byte for byte, and only the EXIF segment goes."""
    exif = Image.Exif()
    exif[MAKE] = "PhoneMaker"
    out = io.BytesIO()
    photo(300, 200).save(out, "JPEG", quality=20, exif=exif)
    original = out.getvalue()

    prepared = prepare_for_email(original, 600)

    scan = original.index(b"\xff\xda")
    assert prepared.data.endswith(original[scan:])
    assert b"PhoneMaker" not in prepared.data
    assert prepared.saved_bytes == len(original) - len(prepared.data) > 0


def test_png_with_alpha_stays_png(tmp_path: Path) -> None:
    logo = Image.new("RGBA", (2400, 1200), (0, 0, 0, 0))
    logo.paste((37, 99, 235, 255), (600, 300, 1800, 900))
    path = tmp_path / "logo.png"
    logo.save(path, "PNG")  # not optimised, as many editors write it

    prepared = prepare_for_email(path.read_bytes(), 600)

    image = opened(prepared)
    assert prepared.format == "png" and image.format == "PNG"
    assert image.mode == "RGBA" and image.size == (1200, 600)
    assert image.getpixel((10, 10))[3] == 0  # still transparent
    assert image.getpixel((600, 300)) == (37, 99, 235, 255)


def test_png_text_and_exif_chunks_are_dropped(tmp_path: Path) -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Marie Dupont, 3 rue des Potiers")
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N"}
    out = io.BytesIO()
    Image.new("RGBA", (100, 50), (200, 0, 0, 128)).save(out, "PNG", pnginfo=info, exif=exif)

    prepared = prepare_for_email(out.getvalue(), 600)

    assert b"Marie Dupont" not in prepared.data
    assert b"eXIf" not in prepared.data and b"tEXt" not in prepared.data
    assert opened(prepared).getpixel((5, 5)) == (200, 0, 0, 128)


def test_animated_gif_is_left_untouched(tmp_path: Path) -> None:
    frames = [Image.new("P", (1600, 400), index) for index in range(3)]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    original = path.read_bytes()

    prepared = prepare_for_email(original, 300)

    assert prepared.data == original
    assert (prepared.format, prepared.width, prepared.height) == ("gif", 1600, 400)
    assert prepared.saved_bytes == 0


def test_webp_becomes_a_format_every_email_client_shows() -> None:
    out = io.BytesIO()
    photo(500, 300).save(out, "WEBP")

    prepared = prepare_for_email(out.getvalue(), 600)

    assert prepared.format == "jpg" and opened(prepared).format == "JPEG"


def test_what_is_stored_is_accepted_by_the_file() -> None:
    out = io.BytesIO()
    photo(2000, 1000).save(out, "JPEG")
    prepared = prepare_for_email(out.getvalue(), 500)
    ref = BulletinFile().add_image(prepared.data, "photo.jpg")
    assert ref.endswith(".jpg")


# ------------------------------------------------------------------------------------ hostile


def test_truncated_jpeg_is_refused_with_a_sentence(tmp_path: Path) -> None:
    whole = camera_jpeg(tmp_path, 1600, 1200)
    with pytest.raises(ImageError, match="damaged or incomplete") as caught:
        prepare_for_email(whole[: len(whole) // 2], 600, name="plage.jpg")
    assert "plage.jpg" in str(caught.value)


def test_truncated_small_jpeg_is_refused_too() -> None:
    """An image small enough to keep is still decoded once, so a cut file never goes out."""
    out = io.BytesIO()
    photo(400, 300).save(out, "JPEG")
    with pytest.raises(ImageError, match="damaged or incomplete"):
        prepare_for_email(out.getvalue()[:-2000], 600)


@pytest.mark.parametrize(
    "data",
    [b"", b"%PDF-1.7\n1 0 obj", b"GIF89a", b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, "café".encode()],
    ids=["empty", "pdf", "gif-header-only", "png-signature-only", "text"],
)
def test_not_an_image_is_refused(data: bytes) -> None:
    with pytest.raises(ImageError, match=r"not a PNG, JPEG, GIF or WebP image|damaged"):
        prepare_for_email(data, 600, name="facture.pdf")


def test_bmp_or_tiff_are_not_opened() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "BMP")
    with pytest.raises(ImageError, match="not a PNG, JPEG, GIF or WebP image"):
        prepare_for_email(out.getvalue(), 600)


def bomb_png(width: int, height: int) -> bytes:
    """A PNG header claiming ``width`` × ``height`` pixels, with a few bytes of data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused_before_decoding() -> None:
    with pytest.raises(ImageError, match="too large to open safely") as caught:
        prepare_for_email(bomb_png(20_000, 20_000), 600, name="bombe.png")
    message = str(caught.value)
    assert "bombe.png" in message and "20,000 × 20,000" in message


def test_pillow_bomb_check_is_caught_when_the_header_cannot_be_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should our header reader miss a size, Pillow's own check still stops the file."""
    monkeypatch.setattr(images, "image_size", lambda data: None)
    with pytest.raises(ImageError, match="too large to open safely"):
        prepare_for_email(bomb_png(20_000, 20_000), 600)


def test_wide_still_gif_is_resized_as_png() -> None:
    out = io.BytesIO()
    Image.new("P", (2000, 400), 3).save(out, "GIF")

    prepared = prepare_for_email(out.getvalue(), 600)

    assert (prepared.format, prepared.width, prepared.height) == ("png", 1200, 240)
    assert opened(prepared).format == "PNG"


def test_cmyk_jpeg_becomes_rgb() -> None:
    """Print shops send CMYK JPEGs; several email clients show them with wrong colours."""
    out = io.BytesIO()
    photo(1600, 1000).convert("CMYK").save(out, "JPEG", quality=95)

    image = opened(prepare_for_email(out.getvalue(), 600))

    assert image.mode == "RGB" and image.size == (1200, 750)


def test_small_cmyk_jpeg_becomes_rgb_even_when_the_original_is_lighter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    encode = images._encode

    def heavier(image: Image.Image, fmt: str | None) -> tuple[bytes, str, int, int]:
        data, ext, width, height = encode(image, fmt)
        return data + b"\0" * 100_000, ext, width, height  # padding after the end marker

    monkeypatch.setattr(images, "_encode", heavier)
    out = io.BytesIO()
    photo(500, 300).convert("CMYK").save(out, "JPEG", quality=40)

    prepared = prepare_for_email(out.getvalue(), 600)

    assert len(prepared.data) > len(out.getvalue())
    assert opened(prepared).mode == "RGB"
