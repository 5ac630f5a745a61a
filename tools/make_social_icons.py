"""Draw the social-network icons shipped in ``resources/social/<style>/<network>.png``.

A developer script, run once after changing a glyph; its PNGs are committed. We cannot ship the
networks' own logo files, so each mark is a simple, recognisable drawing made of Pillow
primitives and DejaVu Sans Bold letters. Everything is drawn at 4x and scaled down, which
gives clean antialiased edges at the 24-48 px the emails show them at (96 px keeps them sharp
on high-density screens). Area averaging is used rather than Lanczos: same look, no ringing,
files half the size.

    uv run python tools/make_social_icons.py [--sheet /tmp/social-sheet.png]
"""

from __future__ import annotations

import argparse
import math
import subprocess
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

from editor.document import SOCIAL_NETWORKS, SOCIAL_STYLES

SIZE = 96
SCALE = 4
S = SIZE * SCALE  # the drawing canvas
C = S / 2  # its centre

BRAND: dict[str, str] = {
    "facebook": "#1877F2",
    "instagram": "#E4405F",
    "linkedin": "#0A66C2",
    "x": "#000000",
    "youtube": "#FF0000",
    "tiktok": "#000000",
    "pinterest": "#E60023",
    "whatsapp": "#25D366",
    "website": "#4B5563",
    "email": "#4B5563",
}
DARK, LIGHT = "#1f2937", "#e5e7eb"
WHITE = "#ffffff"
TIKTOK_CYAN, TIKTOK_RED = "#25F4EE", "#FE2C55"

OUT = Path(__file__).resolve().parent.parent / "resources" / "social"
FALLBACK_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# Area averaging of the 4x drawing is exact 16-sample antialiasing. Lanczos looks the same at
# 24-96 px but its ringing adds colours that double the file sizes.
RESAMPLE = Image.Resampling.BOX

Box = tuple[float, float, float, float]


def font_path() -> Path:
    """DejaVu Sans Bold, as fontconfig knows it (only needed to regenerate the icons)."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "DejaVu Sans:bold"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        found = ""
    path = Path(found) if found else FALLBACK_FONT
    if "DejaVuSans-Bold" not in path.name:
        path = FALLBACK_FONT
    if not path.exists():
        raise SystemExit("DejaVu Sans Bold not found: install fonts-dejavu-core.")
    return path


FONT = font_path()


def mask() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (S, S), 0)
    return image, ImageDraw.Draw(image)


def box(cx: float, cy: float, rx: float, ry: float | None = None) -> Box:
    return (cx - rx, cy - (rx if ry is None else ry), cx + rx, cy + (rx if ry is None else ry))


def letters(text: str, height: float, dx: float = 0, dy: float = 0) -> Image.Image:
    """``text`` centred on the canvas by its ink (not its line box), ``height`` px tall."""
    image, draw = mask()
    size = int(height * 1.4)
    font = ImageFont.truetype(str(FONT), size)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    # Scale the font so the ink is exactly ``height`` tall, then centre the ink.
    font = ImageFont.truetype(str(FONT), round(size * height / (bottom - top)))
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = C - (left + right) / 2 + dx
    y = C - (top + bottom) / 2 + dy
    draw.text((x, y), text, font=font, fill=255)
    return image


# ------------------------------------------------------------------------------------- glyphs


def facebook() -> Image.Image:
    return letters("f", S * 0.50, dx=S * 0.02)


def instagram() -> Image.Image:
    image, draw = mask()
    r = S * 0.25  # half the side of the camera body
    stroke = S * 0.055
    draw.rounded_rectangle(box(C, C, r), radius=r * 0.55, outline=255, width=round(stroke))
    draw.ellipse(box(C, C, r * 0.46), outline=255, width=round(stroke))
    draw.ellipse(box(C + r * 0.56, C - r * 0.56, stroke * 0.62), fill=255)
    return image


def linkedin() -> Image.Image:
    return letters("in", S * 0.40, dy=S * 0.005)


def x() -> Image.Image:
    """The X mark: a hollow heavy stroke from top left, a thin one from top right."""
    image, draw = mask()
    half = S * 0.21
    top, bottom = C - half, C + half
    left, right = C - half * 0.92, C + half * 0.92
    heavy = S * 0.095  # width of the heavy stroke, measured along a row
    outline = round(S * 0.029)
    draw.polygon(
        [(left, top), (left + heavy, top), (right, bottom), (right - heavy, bottom)],
        outline=255,
        width=outline,
    )
    thin = round(S * 0.036)
    # The thin stroke stops at the heavy one's edges, as in the logo.
    draw.line([(right - S * 0.01, top), (C + S * 0.035, C - S * 0.035)], fill=255, width=thin)
    draw.line([(left + S * 0.01, bottom), (C - S * 0.035, C + S * 0.035)], fill=255, width=thin)
    return image


def youtube() -> Image.Image:
    image, draw = mask()
    w, h = S * 0.30, S * 0.21
    draw.rounded_rectangle(box(C, C, w, h), radius=h * 0.42, fill=255)
    t = S * 0.075  # the play triangle's half height
    draw.polygon([(C - t * 0.8, C - t), (C - t * 0.8, C + t), (C + t * 1.05, C)], fill=0)
    return image


def tiktok() -> Image.Image:
    """A note: a ring for the head, a stem, and the logo's curl at the top."""
    image, draw = mask()
    stroke = S * 0.075
    head_r = S * 0.085
    stem_x = C + S * 0.02  # the stem's left edge
    head_cx, head_cy = stem_x - head_r + stroke * 0.5, C + S * 0.12
    top = C - S * 0.23
    draw.ellipse(box(head_cx, head_cy, head_r + stroke / 2), fill=255)
    draw.ellipse(box(head_cx, head_cy, head_r - stroke / 2), fill=0)
    draw.rectangle((stem_x, top, stem_x + stroke, head_cy), fill=255)
    # The curl: a quarter ring leaving the top of the stem to the right.
    curl = S * 0.11
    ring = (stem_x, top - curl + stroke, stem_x + 2 * curl + stroke, top + curl + stroke)
    draw.pieslice(ring, 180, 270, fill=255)
    inner = (ring[0] + stroke, ring[1] + stroke, ring[2] - stroke, ring[3] - stroke)
    draw.pieslice(inner, 180, 270, fill=0)
    draw.rectangle((stem_x, top, stem_x + stroke, top + curl), fill=255)
    return image


def pinterest() -> Image.Image:
    return letters("P", S * 0.48, dx=S * 0.01)


def whatsapp() -> Image.Image:
    """A round speech bubble with its tail at the bottom left, and a handset inside."""
    image, draw = mask()
    r = S * 0.24
    stroke = S * 0.045
    draw.ellipse(box(C, C, r), outline=255, width=round(stroke))
    tail = [
        (C - r * 0.80, C + r * 0.42),
        (C - r * 1.12, C + r * 1.10),
        (C - r * 0.40, C + r * 0.88),
    ]
    draw.polygon(tail, fill=255)
    # Keep the inside of the bubble clear where the tail joins it.
    draw.ellipse(box(C, C, r - stroke * 0.98), fill=0)
    image.paste(255, (0, 0), handset())
    return image


def handset() -> Image.Image:
    """A telephone handset: earpiece top left, mouthpiece bottom right, bowed to the bottom left."""
    image, draw = mask()
    r = S * 0.145  # radius of the handle's arc
    width = S * 0.046
    cx, cy = C + r * 0.5, C - r * 0.5  # so the quarter arc's bounding box sits on the centre
    start, end = 95, 175  # PIL angles run clockwise from 3 o'clock: the lower-left quarter
    draw.arc(box(cx, cy, r + width / 2), start, end, fill=255, width=round(width))
    for angle in (start, end):
        # Each end piece is a short, wider bar pointing back towards the arc's centre.
        ux, uy = math.cos(math.radians(angle)), math.sin(math.radians(angle))
        pad = S * 0.037  # half the pad's width
        outer, inner = r + width / 2 - pad, r - S * 0.04
        draw.line(
            [(cx + ux * outer, cy + uy * outer), (cx + ux * inner, cy + uy * inner)],
            fill=255,
            width=round(2 * pad),
        )
        for radius in (outer, inner):
            draw.ellipse(box(cx + ux * radius, cy + uy * radius, pad), fill=255)
    return image


def website() -> Image.Image:
    """A globe: outline, equator, two parallels and two meridians."""
    image, draw = mask()
    r = S * 0.24
    stroke = round(S * 0.034)
    draw.ellipse(box(C, C, r), outline=255, width=stroke)
    draw.ellipse(box(C, C, r * 0.45, r), outline=255, width=stroke)
    draw.line([(C, C - r), (C, C + r)], fill=255, width=stroke)
    draw.line([(C - r, C), (C + r, C)], fill=255, width=stroke)
    for dy in (-r * 0.52, r * 0.52):
        half = (r * r - dy * dy) ** 0.5
        draw.line([(C - half, C + dy), (C + half, C + dy)], fill=255, width=stroke)
    return image


def email() -> Image.Image:
    image, draw = mask()
    w, h = S * 0.26, S * 0.18
    stroke = round(S * 0.038)
    left, top, right, bottom = box(C, C, w, h)
    draw.rounded_rectangle((left, top, right, bottom), radius=S * 0.025, outline=255, width=stroke)
    inset = stroke * 0.5
    draw.line(
        [(left + inset, top + inset), (C, C + h * 0.12), (right - inset, top + inset)],
        fill=255,
        width=stroke,
        joint="curve",
    )
    return image


GLYPHS: dict[str, Callable[[], Image.Image]] = {
    "facebook": facebook,
    "instagram": instagram,
    "linkedin": linkedin,
    "x": x,
    "youtube": youtube,
    "tiktok": tiktok,
    "pinterest": pinterest,
    "whatsapp": whatsapp,
    "website": website,
    "email": email,
}


# -------------------------------------------------------------------------------------- icons


def colours(network: str, style: str) -> tuple[str, str]:
    """(circle, glyph) colours of one icon."""
    if style == "color":
        return BRAND[network], WHITE
    if style == "dark":
        return DARK, WHITE
    return LIGHT, DARK


def icon(network: str, style: str) -> Image.Image:
    """One 96 px icon: each colour layer's coverage is scaled down, then painted at 1x.

    Painting exact colours through scaled-down masks (rather than scaling a painted image)
    keeps the colours clean, gives the pixels outside the circle the circle's colour instead of
    transparent black, and lets PNG compress each icon to 1-3 KB.
    """
    circle_colour, glyph_colour = colours(network, style)
    circle, draw = mask()
    draw.ellipse((0, 0, S - 1, S - 1), fill=255)
    glyph = GLYPHS[network]()
    layers: list[tuple[str, Image.Image]] = []
    if network == "tiktok" and style == "color":
        # The logo's cyan and red echoes, offset up-left and down-right of the white note.
        shift = round(S * 0.018)
        layers += [(TIKTOK_CYAN, ImageChops.offset(glyph, -shift, -shift))]
        layers += [(TIKTOK_RED, ImageChops.offset(glyph, shift, shift))]
    layers.append((glyph_colour, glyph))
    image = Image.new("RGB", (SIZE, SIZE), circle_colour)
    for colour, coverage in layers:
        image.paste(colour, (0, 0), coverage.resize((SIZE, SIZE), RESAMPLE))
    image.putalpha(circle.resize((SIZE, SIZE), RESAMPLE))
    return image


def write_all(out: Path) -> list[Path]:
    written: list[Path] = []
    for style in SOCIAL_STYLES:
        (out / style).mkdir(parents=True, exist_ok=True)
        for network in SOCIAL_NETWORKS:
            path = out / style / f"{network}.png"
            icon(network, style).save(path, optimize=True)
            written.append(path)
    return written


def contact_sheet(paths: list[Path], target: Path, scale: int = 1) -> None:
    """Every icon on white and on dark grey, at 1x and at email sizes, for eyeballing."""
    columns = len(SOCIAL_NETWORKS)
    rows = len(SOCIAL_STYLES)
    cell = SIZE + 16
    small = (24, 32, 48)
    small_w = sum(small) + 8 * len(small)
    sheet = Image.new("RGB", (columns * (cell + small_w), rows * cell * 2), WHITE)
    for index, path in enumerate(paths):
        row, column = divmod(index, columns)
        tile = Image.open(path)
        for band, background in enumerate((WHITE, "#374151")):
            x0 = column * (cell + small_w)
            y0 = (row * 2 + band) * cell
            sheet.paste(background, (x0, y0, x0 + cell + small_w, y0 + cell))
            sheet.paste(tile, (x0 + 8, y0 + 8), tile)
            x = x0 + cell
            for size in small:
                thumb = tile.resize((size, size), Image.Resampling.LANCZOS)
                sheet.paste(thumb, (x, y0 + 8), thumb)
                x += size + 8
    if scale != 1:
        sheet = sheet.resize((sheet.width * scale, sheet.height * scale), Image.Resampling.NEAREST)
    sheet.save(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder to write (resources/social)")
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet PNG here")
    args = parser.parse_args()
    paths = write_all(args.out)
    total = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} icons in {args.out}, {total // 1024} KB in all")
    if args.sheet:
        contact_sheet(paths, args.sheet)
        print(f"contact sheet: {args.sheet}")


if __name__ == "__main__":
    main()
