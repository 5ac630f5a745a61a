"""Draw the illustrations of the starter newsletters (``resources/starters/images``).

We cannot ship stock photos, so every picture is a flat illustration made of Pillow
primitives: gradients, soft shadows, rounded shapes. They carry no words (a starter exists in
several languages and the alt text says what each picture shows), so one set serves every
language. Everything is drawn at twice the final size and scaled down with Lanczos for clean
edges; heroes are 1200 px wide and column pictures about 600 px, i.e. crisp on high-density
screens at the size the emails show them.

Files are named after the SHA-256 of their bytes, like the images embedded in a document.
``tools/make_starters.py`` calls :func:`write_all` and writes the starters' JSON with those
names; run that script rather than this one after changing a drawing:

    uv run python tools/make_starters.py
    uv run python tools/make_starter_images.py --sheet /tmp/starter-images.png  # a contact sheet
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import random
import subprocess
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

OUT = Path(__file__).resolve().parent.parent / "resources" / "starters" / "images"
SS = 2  # supersampling factor
FALLBACK_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")

Point = tuple[float, float]
Color = str | tuple[int, int, int] | tuple[int, int, int, int]


# ----------------------------------------------------------------------------------- helpers


def rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def mix(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from ``a`` to ``b``."""
    ca, cb = rgb(a), rgb(b)
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))


def serif_font() -> Path:
    """DejaVu Serif Bold, as fontconfig knows it (only needed to redraw the images)."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}", "DejaVu Serif:bold"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        found = ""
    path = Path(found) if found and "DejaVuSerif-Bold" in found else FALLBACK_FONT
    if not path.exists():
        raise SystemExit("DejaVu Serif Bold not found: install fonts-dejavu-core.")
    return path


def rng(seed: int) -> random.Random:
    """A seeded generator for scattering confetti and leaves: the same drawing every run."""
    return random.Random(seed)  # noqa: S311 (layout, not security)


def rotate(points: Iterable[Point], center: Point, degrees: float) -> list[Point]:
    a = math.radians(degrees)
    cx, cy = center
    cos, sin = math.cos(a), math.sin(a)
    return [
        (cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
        for x, y in points
    ]


def ellipse_points(cx: float, cy: float, rx: float, ry: float, angle: float = 0) -> list[Point]:
    pts = [
        (cx + rx * math.cos(t), cy + ry * math.sin(t))
        for t in (2 * math.pi * i / 72 for i in range(72))
    ]
    return rotate(pts, (cx, cy), angle) if angle else pts


def capsule_points(cx: float, cy: float, length: float, thick: float, angle: float) -> list[Point]:
    """A stadium (a baguette, a leek): ``length`` end to end, ``thick`` across."""
    r = thick / 2
    half = length / 2 - r
    pts: list[Point] = []
    for i in range(25):
        t = -math.pi / 2 + math.pi * i / 24
        pts.append((cx + half + r * math.cos(t), cy + r * math.sin(t)))
    for i in range(25):
        t = math.pi / 2 + math.pi * i / 24
        pts.append((cx - half + r * math.cos(t), cy + r * math.sin(t)))
    return rotate(pts, (cx, cy), angle)


class Canvas:
    """An RGB(A) picture drawn in final-pixel coordinates on a supersampled surface."""

    def __init__(self, width: int, height: int, background: Color = "#ffffff", mode: str = "RGB"):
        self.width, self.height = width, height
        self.img = Image.new(mode, (width * SS, height * SS), background)
        self.draw = ImageDraw.Draw(self.img, "RGBA")

    # Coordinates ---------------------------------------------------------------------------

    @staticmethod
    def _b(box: Sequence[float]) -> list[float]:
        return [v * SS for v in box]

    @staticmethod
    def _p(points: Iterable[Point]) -> list[Point]:
        return [(x * SS, y * SS) for x, y in points]

    # Shapes --------------------------------------------------------------------------------

    def rect(self, box: Sequence[float], fill: Color, radius: float = 0) -> None:
        if radius:
            self.draw.rounded_rectangle(self._b(box), radius=radius * SS, fill=fill)
        else:
            self.draw.rectangle(self._b(box), fill=fill)

    def ellipse(self, box: Sequence[float], fill: Color) -> None:
        self.draw.ellipse(self._b(box), fill=fill)

    def circle(self, cx: float, cy: float, r: float, fill: Color) -> None:
        self.ellipse((cx - r, cy - r, cx + r, cy + r), fill)

    def poly(self, points: Iterable[Point], fill: Color) -> None:
        self.draw.polygon(self._p(points), fill=fill)

    def line(self, points: Iterable[Point], fill: Color, width: float) -> None:
        """A polyline with round joints and round ends."""
        pts = list(points)
        self.draw.line(self._p(pts), fill=fill, width=max(1, round(width * SS)), joint="curve")
        if width > 2:
            for x, y in (pts[0], pts[-1]):
                self.circle(x, y, width / 2 - 0.3, fill)

    def curve(self, points: Sequence[Point], fill: Color, width: float, steps: int = 40) -> None:
        """A smooth line through a quadratic/cubic Bézier's control points."""
        self.line(bezier(points, steps), fill, width)

    def arc(
        self, box: Sequence[float], start: float, end: float, fill: Color, width: float
    ) -> None:
        self.draw.arc(self._b(box), start, end, fill=fill, width=round(width * SS))

    def pie(self, box: Sequence[float], start: float, end: float, fill: Color) -> None:
        self.draw.pieslice(self._b(box), start, end, fill=fill)

    def text(self, center: Point, text: str, size: float, fill: Color) -> None:
        font = ImageFont.truetype(str(serif_font()), round(size * SS))
        x, y = center
        self.draw.text((x * SS, y * SS), text, font=font, fill=fill, anchor="mm")

    # Effects -------------------------------------------------------------------------------

    def shadow(
        self, shape: Callable[[ImageDraw.ImageDraw], None], blur: float, color: str, alpha: float
    ) -> None:
        """A soft shadow: ``shape`` draws (in supersampled pixels) on a mask that gets blurred."""
        mask = Image.new("L", self.img.size, 0)
        shape(ImageDraw.Draw(mask))
        mask = mask.filter(ImageFilter.GaussianBlur(blur * SS))
        mask = mask.point(lambda v: round(v * alpha))
        self.img.paste(Image.new(self.img.mode, self.img.size, color), (0, 0), mask)

    def drop_ellipse(self, box: Sequence[float], blur: float = 10, alpha: float = 0.25) -> None:
        """The soft oval shadow an object casts on the surface it stands on."""
        scaled = self._b(box)
        self.shadow(lambda d: d.ellipse(scaled, fill=255), blur, "#000000", alpha)

    def glow(self, cx: float, cy: float, r: float, color: str, alpha: float) -> None:
        self.shadow(
            lambda d: d.ellipse(self._b((cx - r, cy - r, cx + r, cy + r)), fill=255),
            r * 0.6,
            color,
            alpha,
        )

    def gradient(self, top: str, bottom: str, box: Sequence[float] | None = None) -> None:
        """A vertical gradient over ``box`` (the whole picture by default)."""
        x0, y0, x1, y1 = self._b(box or (0, 0, self.width, self.height))
        w, h = round(x1 - x0), round(y1 - y0)
        ramp = Image.linear_gradient("L").resize((w, h), Image.Resampling.BICUBIC)
        layer = Image.composite(
            Image.new(self.img.mode, (w, h), bottom), Image.new(self.img.mode, (w, h), top), ramp
        )
        self.img.paste(layer, (round(x0), round(y0)))

    # Output --------------------------------------------------------------------------------

    def result(self) -> Image.Image:
        return self.img.resize((self.width, self.height), Image.Resampling.LANCZOS)


def bezier(points: Sequence[Point], steps: int = 40) -> list[Point]:
    out = []
    n = len(points) - 1
    for i in range(steps + 1):
        t = i / steps
        x = y = 0.0
        for k, (px, py) in enumerate(points):
            c = math.comb(n, k) * (1 - t) ** (n - k) * t**k
            x += c * px
            y += c * py
        out.append((x, y))
    return out


# ------------------------------------------------------------------------------ shared props


def wheat_ear(c: Canvas, base: Point, length: float, angle: float, color: str = "#d9a441") -> None:
    """A wheat ear: a thin stem and paired grains towards its tip."""
    bx, by = base
    tip = rotate([(bx, by - length)], base, angle)[0]
    c.line([base, tip], mix(color, "#8a5a1c", 0.3), 2.2)
    grains = 9
    for i in range(grains):
        t = 0.45 + 0.55 * i / grains
        gx, gy = rotate([(bx, by - length * t)], base, angle)[0]
        size = 9 * (1 - 0.35 * i / grains)
        for side in (-1, 1):
            ox, oy = rotate([(gx + side * size * 0.55, gy)], (gx, gy), angle)[0]
            c.poly(ellipse_points(ox, oy, size * 0.45, size, angle + side * 28), color)
    c.poly(ellipse_points(tip[0], tip[1], 3.5, 8, angle), color)


def croissant(c: Canvas, cx: float, cy: float, size: float, angle: float = 0) -> None:
    """A croissant seen from the front: rolled ribs along a crescent, biggest in the middle."""
    c.drop_ellipse((cx - size * 1.05, cy + size * 0.05, cx + size * 1.05, cy + size * 0.5), 8, 0.3)
    n = 7
    crust, light, dark = "#c77d2e", "#e6ad5c", "#94541a"

    def at(t: float) -> tuple[float, float, float]:
        x = cx + t * size * 0.92
        y = cy - (1 - t * t) * size * 0.2 + t**4 * size * 0.3
        return x, y, size * (0.44 - 0.24 * t * t)

    for k in range(41):  # the dough under the ribs, so that they hold together
        x, y, r = at(k / 20 - 1)
        px, py = rotate([(x, y + r * 0.1)], (cx, cy), angle)[0]
        c.circle(px, py, r * 0.62, dark)
    order = sorted(range(n), key=lambda i: -abs(i - (n - 1) / 2))
    for i in order:
        t = i / (n - 1) * 2 - 1  # -1 .. 1
        x, y, r = at(t)
        tilt = angle + t * 40
        for dx, dy, rx, ry, col in (
            (0, 0, 0.6, 1.0, dark),
            (-0.04, -0.07, 0.5, 0.88, crust),
            (-0.1, -0.3, 0.2, 0.42, light),
        ):
            pts = ellipse_points(x + dx * r, y + dy * r, r * rx, r * ry, tilt)
            c.poly(rotate(pts, (cx, cy), angle), col)


def leaf(c: Canvas, x: float, y: float, length: float, angle: float, color: str) -> None:
    """A pointed leaf with a lighter midrib, its base at (x, y)."""
    pts = bezier([(0, 0), (length * 0.35, -length * 0.32), (length, 0)], 16)
    pts += bezier([(length, 0), (length * 0.35, length * 0.32), (0, 0)], 16)
    moved = [(x + px, y + py) for px, py in pts]
    c.poly(rotate(moved, (x, y), angle), color)
    rib = rotate([(x, y), (x + length * 0.85, y)], (x, y), angle)
    c.line(rib, mix(color, "#ffffff", 0.35), max(1.0, length / 22))


def person(
    c: Canvas,
    cx: float,
    base: float,
    height: float,
    skin: str,
    shirt: str,
    hair: str,
    hair_style: str = "short",
) -> None:
    """A friendly bust: rounded shoulders and a round head, ``height`` from base to crown."""
    head_r = height * 0.2
    head_cy = base - height + head_r
    body_top = head_cy + head_r * 1.25
    c.rect(
        (cx - height * 0.36, body_top, cx + height * 0.36, base + height * 0.3),
        shirt,
        height * 0.22,
    )
    c.rect((cx - head_r * 0.38, head_cy + head_r * 0.6, cx + head_r * 0.38, body_top + 6), skin, 4)
    if hair_style == "long":
        c.rect(
            (
                cx - head_r * 1.15,
                head_cy - head_r * 0.9,
                cx + head_r * 1.15,
                head_cy + head_r * 1.05,
            ),
            hair,
            head_r * 0.6,
        )
    c.circle(cx, head_cy, head_r, skin)
    if hair_style == "short":
        c.pie(
            (
                cx - head_r * 1.05,
                head_cy - head_r * 1.1,
                cx + head_r * 1.05,
                head_cy + head_r * 0.9,
            ),
            180,
            360,
            hair,
        )
    elif hair_style == "long":
        c.pie(
            (
                cx - head_r * 1.08,
                head_cy - head_r * 1.12,
                cx + head_r * 1.08,
                head_cy + head_r * 0.75,
            ),
            180,
            360,
            hair,
        )
    elif hair_style == "bun":
        c.circle(cx, head_cy - head_r * 1.05, head_r * 0.45, hair)
        c.pie(
            (
                cx - head_r * 1.04,
                head_cy - head_r * 1.06,
                cx + head_r * 1.04,
                head_cy + head_r * 0.7,
            ),
            180,
            360,
            hair,
        )
    elif hair_style == "cap":
        c.pie(
            (
                cx - head_r * 1.08,
                head_cy - head_r * 1.15,
                cx + head_r * 1.08,
                head_cy + head_r * 0.6,
            ),
            180,
            360,
            hair,
        )
        c.rect(
            (
                cx - head_r * 0.2,
                head_cy - head_r * 0.32,
                cx + head_r * 1.5,
                head_cy - head_r * 0.12,
            ),
            hair,
            4,
        )
    # a calm smile
    c.arc(
        (cx - head_r * 0.35, head_cy - head_r * 0.05, cx + head_r * 0.35, head_cy + head_r * 0.5),
        20,
        160,
        mix(skin, "#3b2314", 0.6),
        max(1.5, head_r * 0.07),
    )
    for side in (-1, 1):
        c.circle(cx + side * head_r * 0.36, head_cy - head_r * 0.05, head_r * 0.075, "#2b2118")


# ------------------------------------------------------------------------------ the bakery


def bakery_hero() -> Image.Image:
    c = Canvas(1200, 560)
    c.gradient("#f8e8d2", "#efcfa6")
    c.glow(230, 40, 260, "#fff6e6", 0.8)
    # A shelf with jars in the back, out of focus.
    c.rect((0, 170, 1200, 182), "#d9b184")
    for x, h, col in (
        (560, 70, "#e9cfae"),
        (630, 90, "#e3c39c"),
        (700, 60, "#ecd6ba"),
        (800, 80, "#e5c7a2"),
    ):
        c.rect((x, 170 - h, x + 52, 170), col, 10)
    # Counter.
    c.rect((0, 432, 1200, 560), "#8b5a2b")
    c.rect((0, 424, 1200, 440), "#a8703a")
    for y in (478, 522):
        c.rect((0, y, 1200, y + 2), "#7a4d24")
    # A terracotta jar of wheat on the left.
    for i, angle in enumerate((-24, -14, -5, 4, 13, 22, 30)):
        wheat_ear(c, (165 + i * 5, 330), 170 + (i % 3) * 18, angle)
    c.drop_ellipse((80, 410, 260, 450), 8)
    c.poly([(105, 300), (235, 300), (222, 432), (118, 432)], "#b8613a")
    c.rect((96, 292, 244, 312), "#c9724a", 6)
    c.rect((112, 350, 228, 358), "#a5532f")
    # A round country loaf (boule), scored with three curved cuts.
    c.drop_ellipse((250, 420, 560, 470), 12, 0.3)
    c.ellipse((260, 268, 550, 456), "#a65f25")
    c.ellipse((272, 272, 538, 440), "#bf7433")
    c.ellipse((300, 282, 500, 392), "#cf8640")
    for dx in (-62, 0, 62):
        c.curve([(370 + dx, 300), (430 + dx, 350), (380 + dx, 418)], "#8c4a18", 13)
        c.curve([(372 + dx, 302), (427 + dx, 350), (382 + dx, 414)], "#f2cc8a", 7)
    # Croissants.
    croissant(c, 660, 426, 92, -3)
    croissant(c, 842, 440, 82, 5)
    # A wicker basket of baguettes.
    for k, (dx, angle, length) in enumerate(((-30, -104, 340), (8, -88, 380), (40, -74, 320))):
        a = math.radians(angle)
        bx, by = 1040 + dx + math.cos(a) * length / 2, 420 + math.sin(a) * length / 2
        c.poly(capsule_points(bx, by, length, 60, angle), "#c58332")
        c.poly(capsule_points(bx - 6, by - 2, length - 36, 34, angle), "#d99a45")
        for j in range(-2, 3):
            sx, sy = rotate([(bx + j * 62, by)], (bx, by), angle)[0]
            c.poly(capsule_points(sx, sy, 46, 12, angle + 24 + k), "#f0c77c")
    c.drop_ellipse((930, 418, 1160, 456), 10, 0.3)
    c.poly([(930, 330), (1150, 330), (1130, 440), (950, 440)], "#b98247")
    for j in range(4):
        y = 342 + j * 24
        c.rect((934 + j * 4, y, 1146 - j * 4, y + 8), "#d7a26a", 4)
    for k in range(9):
        x = 950 + k * 23
        c.line([(x, 334), (x + (1040 - x) * 0.08, 436)], "#9a6a36", 3)
    c.rect((922, 322, 1158, 338), "#c98f52", 8)
    # A dusting of flour.
    rnd = rng(7)
    for _ in range(70):
        x, y = rnd.uniform(220, 1180), rnd.uniform(440, 550)
        c.circle(x, y, rnd.uniform(0.8, 2.2), "#f6e7d2")
    return c.result()


def bakery_walnut() -> Image.Image:
    c = Canvas(600, 420)
    c.gradient("#f3eadc", "#e6d5bb")
    c.glow(120, 60, 160, "#fffaf0", 0.6)
    # A honey jar at the back.
    c.drop_ellipse((440, 200, 560, 230), 8, 0.2)
    c.rect((450, 110, 550, 222), "#e7a23a", 22)
    c.rect((458, 118, 474, 210), "#f3c46a", 8)
    c.rect((446, 92, 554, 118), "#8a5a2b", 8)
    c.rect((446, 104, 554, 108), "#74491f")
    # A bread board with a handle, seen at a slant.
    c.drop_ellipse((40, 320, 560, 400), 14, 0.28)
    c.rect((40, 272, 500, 376), "#a8703f", 36)
    c.rect((40, 262, 500, 362), "#c9935b", 36)
    c.rect((486, 290, 596, 328), "#c9935b", 18)
    c.circle(570, 309, 8, "#e6d5bb")
    c.rect((70, 272, 470, 282), "#d9aa72", 5)
    # The walnut loaf: an oval with an ear-of-wheat scoring.
    c.drop_ellipse((100, 262, 460, 330), 10, 0.35)
    c.poly(ellipse_points(280, 226, 180, 88, -4), "#7f4a21")
    c.poly(ellipse_points(276, 218, 170, 76, -4), "#9a5b2a")
    c.poly(ellipse_points(266, 204, 120, 40, -4), "#ad6a33")
    spine = rotate([(140, 222), (420, 222)], (280, 222), -4)
    c.line(spine, "#dcaa6c", 4)
    for k in range(6):
        x = 160 + k * 46
        for side in (-1, 1):
            pts = rotate([(x, 222), (x + 34, 222 + side * 26)], (280, 222), -4)
            c.line(pts, "#e6b77a", 6)
    # Walnuts in their shells, and a few kernels.
    for x, y, r in ((392, 330, 26), (444, 318, 22), (150, 334, 24)):
        c.drop_ellipse((x - r, y + r * 0.4, x + r * 1.2, y + r * 1.1), 4, 0.3)
        c.circle(x, y, r, "#8f6237")
        c.circle(x - 1, y - 1, r * 0.92, "#b48352")
        for a in range(0, 360, 60):
            bx = x + r * 0.45 * math.cos(math.radians(a))
            by = y + r * 0.45 * math.sin(math.radians(a))
            c.circle(bx - 1, by - 1, r * 0.32, "#c4945f")
        c.line([(x - r * 0.15, y - r * 0.95), (x + r * 0.15, y + r * 0.95)], "#7a5230", 2.5)
    for x, y, a in ((300, 352, 15), (214, 356, -10)):
        c.poly(ellipse_points(x, y, 15, 10, a), "#c89258")
        c.poly(ellipse_points(x - 2, y - 2, 12, 7, a), "#e0b27a")
        c.line(rotate([(x - 10, y), (x + 10, y)], (x, y), a), "#a77544", 2)
    return c.result()


def bakery_tart() -> Image.Image:
    c = Canvas(600, 420)
    c.gradient("#f6ece0", "#ecd9c2")
    c.glow(480, 70, 150, "#fffaf2", 0.7)
    # Linen napkin.
    c.poly([(30, 300), (210, 250), (280, 400), (90, 420)], "#d8e0d2")
    for k in range(4):
        c.line([(48 + k * 8, 306 + k * 28), (220 + k * 12, 262 + k * 30)], "#c4cfbd", 2)
    # Plate and tart (top view).
    cx, cy = 330, 206
    c.drop_ellipse((cx - 175, cy - 150, cx + 190, cy + 190), 16, 0.28)
    c.circle(cx, cy, 172, "#fbfaf7")
    c.circle(cx, cy, 150, "#efece6")
    c.circle(cx, cy, 138, "#b86f2c")
    c.circle(cx, cy, 128, "#d99a4d")
    for ring, count, radius, size in ((0, 26, 98, 30), (1, 18, 62, 26), (2, 11, 30, 20)):
        for k in range(count):
            a = 360 * k / count + ring * 7
            x = cx + radius * math.cos(math.radians(a))
            y = cy + radius * math.sin(math.radians(a))
            c.poly(ellipse_points(x, y, size, 9, a + 90 - 25), "#c98a3e")
            c.poly(ellipse_points(x - 1, y - 1, size - 2, 7, a + 90 - 25), "#f2cf82")
            c.poly(ellipse_points(x - 2, y - 3, size * 0.55, 2.5, a + 90 - 25), "#fae4ae")
    c.circle(cx, cy, 12, "#e8b767")
    # Glaze shine.
    c.arc((cx - 118, cy - 118, cx + 118, cy + 118), 200, 250, "#fff3d0", 4)
    # An apple and a cinnamon stick.
    c.drop_ellipse((478, 330, 586, 372), 8, 0.25)
    c.circle(530, 320, 44, "#b8322a")
    c.circle(520, 306, 30, "#d44a3a")
    c.circle(512, 296, 9, "#ec8a72")
    c.line([(532, 282), (538, 258)], "#5a3a1d", 4)
    leaf(c, 537, 264, 34, -30, "#5f8f3c")
    for k, col in enumerate(("#7a3f1c", "#8e4b22")):
        c.poly(capsule_points(150 + k * 4, 360 + k * 14, 150, 18, -12), col)
    return c.result()


# --------------------------------------------------------------------------------- the shop


def shopping_bag(c: Canvas, x: float, y: float, w: float, h: float, body: str, fold: str) -> None:
    c.drop_ellipse((x - 10, y + h - 24, x + w + 40, y + h + 24), 12, 0.25)
    # Handles behind the bag.
    c.arc(
        (x + w * 0.22, y - h * 0.36, x + w * 0.78, y + h * 0.28),
        180,
        360,
        mix(body, "#000000", 0.35),
        w * 0.05,
    )
    c.rect((x, y, x + w, y + h), body, 10)
    c.poly(
        [
            (x + w, y),
            (x + w + w * 0.14, y + w * 0.06),
            (x + w + w * 0.14, y + h - 6),
            (x + w, y + h),
        ],
        fold,
    )
    c.rect((x, y, x + w, y + h * 0.09), mix(body, "#000000", 0.12), 10)


def peony(c: Canvas, cx: float, cy: float, r: float, petal: str, heart: str) -> None:
    """The shop's peony mark: two rings of round petals and a golden heart."""
    for ring, (count, dist, size, col) in enumerate(
        ((8, 0.62, 0.42, petal), (6, 0.34, 0.36, mix(petal, "#ffffff", 0.25)))
    ):
        for k in range(count):
            a = math.radians(360 * k / count + ring * 30)
            c.circle(cx + r * dist * math.cos(a), cy + r * dist * math.sin(a), r * size, col)
    c.circle(cx, cy, r * 0.2, heart)


def shop_hero() -> Image.Image:
    c = Canvas(1200, 560)
    c.gradient("#fde7e4", "#f8c9b8")
    c.glow(930, 120, 260, "#fff4ef", 0.8)
    c.glow(240, 460, 240, "#f3b3a6", 0.5)
    # A table top.
    c.rect((0, 470, 1200, 560), "#e9a593")
    c.rect((0, 466, 1200, 474), "#f1b8a6")
    # Confetti and petals.
    rnd = rng(3)
    for _ in range(34):
        x, y = rnd.uniform(20, 1180), rnd.uniform(20, 430)
        if 360 < x < 860 and y > 120:
            continue
        col = rnd.choice(("#d6336c", "#f08fa8", "#ffffff", "#e9b949", "#7fa38a"))
        if rnd.random() < 0.5:
            c.circle(x, y, rnd.uniform(4, 9), col)
        else:
            c.poly(
                ellipse_points(x, y, rnd.uniform(8, 14), rnd.uniform(4, 6), rnd.uniform(0, 180)),
                col,
            )
    # The main bag and a smaller one.
    shopping_bag(c, 455, 190, 260, 290, "#3b1f3a", "#2a1529")
    peony(c, 585, 330, 62, "#f08fa8", "#e9b949")
    shopping_bag(c, 700, 280, 170, 200, "#7fa38a", "#62877a")
    # Tissue paper peeking out of the small bag.
    for k, col in enumerate(("#fbe1e7", "#f6c6d3", "#ffffff")):
        c.poly([(715 + k * 40, 285), (745 + k * 40, 226 + k * 8), (790 + k * 38, 285)], col)
    # A price tag hanging from the main bag.
    c.line([(690, 205), (760, 170)], "#b48b2f", 3)
    tag = [(760, 150), (840, 150), (862, 180), (840, 210), (760, 210)]
    c.poly(rotate(tag, (760, 180), -12), "#e9b949")
    c.circle(*rotate([(772, 180)], (760, 180), -12)[0], 6, "#fde7e4")
    c.text(rotate([(812, 181)], (760, 180), -12)[0], "%", 40, "#3b1f3a")
    # A vase of peonies on the left.
    for x2, y2, r in ((110, 250, 30), (178, 214, 36), (236, 270, 28)):
        c.curve([(170, 400), (170 + (x2 - 170) * 0.2, 330), (x2, y2)], "#5f8a6a", 4)
        leaf(c, (170 + x2) / 2, (400 + y2) / 2 + 30, 34, -150 if x2 < 170 else -30, "#6f9c7a")
        peony(c, x2, y2, r, "#f08fa8" if r != 30 else "#d6336c", "#e9b949")
    c.drop_ellipse((120, 452, 230, 480), 6, 0.25)
    c.rect((130, 380, 210, 470), "#dfe8e1", 30)
    c.rect((146, 370, 194, 392), "#dfe8e1", 8)
    c.rect((140, 398, 150, 452), "#f4f8f5", 5)
    # A folded blanket and a candle next to the bags.
    for k, col in enumerate(("#b9cbb1", "#9fb59a", "#c7d6bf")):
        c.rect((300 - k * 6, 440 - k * 28, 440 + k * 6, 470 - k * 28), col, 12)
    c.rect((316, 388, 330, 386 + 24), "#eef2ea", 3)
    c.drop_ellipse((920, 450, 1040, 480), 6, 0.25)
    c.rect((935, 372, 1025, 470), "#f4eee6", 14)
    c.rect((935, 410, 1025, 440), "#3b1f3a")
    c.line([(980, 372), (980, 356)], "#333333", 3)
    c.glow(980, 338, 26, "#ffd27a", 0.9)
    c.poly(ellipse_points(980, 340, 8, 17), "#f6a935")
    c.poly(ellipse_points(980, 344, 4, 9), "#fff1b8")
    return c.result()


def shop_tile(background: str) -> Canvas:
    c = Canvas(480, 480)
    c.gradient(mix(background, "#ffffff", 0.5), background)
    c.glow(130, 110, 140, "#ffffff", 0.6)
    return c


def shop_mug() -> Image.Image:
    c = shop_tile("#f3dcdf")
    c.drop_ellipse((110, 360, 390, 410), 12, 0.28)
    c.arc((276, 196, 396, 330), 270, 90, "#b7a392", 24)
    c.rect((110, 160, 320, 390), "#c9b8a6", 40)
    c.ellipse((110, 140, 320, 186), "#b7a392")
    c.ellipse((122, 146, 308, 180), "#5d4536")
    # Glaze dripping from the rim.
    c.rect((110, 160, 320, 230), "#6f8f7a")
    for x, h in ((132, 40), (170, 22), (205, 50), (246, 28), (286, 44)):
        c.rect((x, 210, x + 26, 230 + h), "#6f8f7a", 13)
    c.ellipse((110, 140, 320, 186), "#7e9d88")
    c.ellipse((124, 147, 306, 179), "#5a3f2e")
    c.rect((140, 260, 156, 360), "#d8cab9", 8)
    # Steam.
    for x in (180, 230):
        c.curve([(x, 128), (x - 22, 100), (x + 22, 72), (x, 40)], "#ffffff", 7)
    return c.result()


def shop_candle() -> Image.Image:
    c = shop_tile("#efe3d3")
    c.drop_ellipse((120, 370, 360, 414), 12, 0.28)
    c.rect((130, 180, 350, 392), "#e4e6e3", 30)
    c.rect((140, 196, 340, 380), "#f7f1e7", 24)
    c.ellipse((140, 186, 340, 214), "#efe5d4")
    c.rect((130, 262, 350, 320), "#3b1f3a")
    peony(c, 240, 291, 20, "#f08fa8", "#e9b949")
    c.rect((150, 200, 166, 370), "#ffffff", 8)
    c.line([(240, 198), (240, 172)], "#3a3a3a", 4)
    c.glow(240, 140, 60, "#ffd27a", 0.85)
    c.poly(ellipse_points(240, 142, 15, 34), "#f59f2f")
    c.poly(ellipse_points(240, 150, 8, 18), "#fff3c4")
    return c.result()


def shop_plaid() -> Image.Image:
    c = shop_tile("#dde8dc")
    c.drop_ellipse((60, 340, 430, 390), 14, 0.28)
    # Three folded throws, bottom one first; each a slab with a rounded fold on the right.
    layers = (("#8fa98b", 288, 0), ("#c9d6c3", 226, 14), ("#a5bca0", 164, 4))
    for col, top, shift in layers:
        x0, x1 = 80 + shift, 400 + shift
        c.rect((x0, top, x1, top + 64), mix(col, "#000000", 0.12), 26)
        c.rect((x0, top, x1 - 6, top + 58), col, 24)
        c.rect((x0 + 12, top + 8, x1 - 40, top + 14), mix(col, "#ffffff", 0.3), 3)
        for sx in (x0 + 70, x0 + 84, x1 - 110):
            c.rect((sx, top + 2, sx + 6, top + 56), mix(col, "#ffffff", 0.55))
        for fy in range(int(top) + 8, int(top) + 56, 8):  # fringe on the open end
            c.line([(x0 + 2, fy), (x0 - 12, fy + 2)], mix(col, "#000000", 0.2), 2.5)
    # A ribbon and a little label on the top throw.
    c.rect((300, 164, 318, 222), "#3b1f3a")
    c.line([(309, 170), (340, 140)], "#3b1f3a", 2)
    c.poly(rotate([(330, 120), (372, 120), (372, 154), (330, 154)], (330, 140), -18), "#f7f1e7")
    peony(c, 350, 130, 9, "#f08fa8", "#e9b949")
    return c.result()


# ----------------------------------------------------------------------------- the bookshop


def book_stack(c: Canvas, x: float, base: float, books: Sequence[tuple[float, float, str]]) -> None:
    """Books lying flat: each ``(width, thickness, colour)``, bottom first."""
    y = base
    for k, (w, t, col) in enumerate(books):
        offset = (-1) ** k * 8
        c.rect((x + offset, y - t, x + offset + w, y), col, 4)
        c.rect((x + offset + w - 14, y - t + 4, x + offset + w - 4, y - 4), "#f5efe1", 2)
        c.rect((x + offset + 24, y - t, x + offset + 34, y), mix(col, "#e0a526", 0.6))
        y -= t


def event_hero() -> Image.Image:
    c = Canvas(1200, 560)
    c.gradient("#1b2f4d", "#2b4a73")
    c.glow(600, 560, 380, "#e0a526", 0.22)
    # String lights.
    pts = bezier([(-20, 60), (400, 190), (800, 40), (1220, 150)], 60)
    c.line(pts, "#0f1c30", 2.5)
    for k in range(3, 60, 4):
        x, y = pts[k]
        c.glow(x, y + 14, 18, "#ffd27a", 0.5)
        c.poly(ellipse_points(x, y + 12, 6, 9), "#ffe29a")
    # A table.
    c.rect((0, 470, 1200, 560), "#14233a")
    c.rect((0, 462, 1200, 474), "#33547f")
    # Piles of books.
    c.drop_ellipse((120, 452, 470, 482), 10, 0.4)
    book_stack(
        c,
        140,
        466,
        (
            (300, 40, "#b9473c"),
            (280, 34, "#e0a526"),
            (290, 44, "#3f7d6e"),
            (262, 30, "#f2ede3"),
            (276, 38, "#8a5a9e"),
        ),
    )
    book_stack(c, 850, 466, ((240, 36, "#3f7d6e"), (220, 30, "#b9473c")))
    # An upright book on the second pile, slightly open.
    c.poly([(900, 400), (990, 384), (990, 250), (900, 266)], "#f2ede3")
    c.poly([(990, 384), (1080, 400), (1080, 266), (990, 250)], "#ffffff")
    for k in range(6):
        y = 280 + k * 16
        c.line([(912, y + 2), (978, y - 10)], "#c9c2b2", 2)
        c.line([(1002, y - 10), (1068, y + 2)], "#d6d0c2", 2)
    # A calendar page: the date of the evening.
    cx, top = 600, 180
    c.shadow(
        lambda d: d.rounded_rectangle(
            Canvas._b((cx - 118, top + 12, cx + 130, top + 290)), 24 * SS, fill=255
        ),
        14,
        "#000000",
        0.35,
    )
    c.rect((cx - 120, top, cx + 120, top + 276), "#fbf8f1", 22)
    c.rect((cx - 120, top, cx + 120, top + 70), "#e0a526", 22)
    c.rect((cx - 120, top + 48, cx + 120, top + 70), "#e0a526")
    for dx in (-60, 60):
        c.rect((cx + dx - 8, top - 20, cx + dx + 8, top + 24), "#f5efe1", 8)
    c.text((cx, top + 172), "13", 120, "#1e3a5f")
    # A glass of cider.
    c.drop_ellipse((700, 452, 780, 478), 6, 0.4)
    c.poly([(706, 350), (774, 350), (764, 466), (716, 466)], "#cfe0f0")
    c.poly([(712, 386), (769, 386), (762, 460), (718, 460)], "#f0b545")
    c.rect((716, 392, 724, 452), "#fbe2a0", 4)
    # A small plant.
    c.poly([(1110, 410), (1170, 410), (1160, 466), (1120, 466)], "#b9473c")
    for angle, length in ((-120, 70), (-90, 84), (-60, 70), (-140, 52), (-40, 56)):
        leaf(c, 1140, 410, length, angle, "#5f9b7e")
    # Stars.
    rnd = rng(11)
    for _ in range(26):
        x, y = rnd.uniform(0, 1200), rnd.uniform(0, 150)
        c.circle(x, y, rnd.uniform(1, 2.4), "#dbe6f5")
    return c.result()


def event_venue() -> Image.Image:
    c = Canvas(600, 450)
    c.gradient("#f7d9a9", "#9fb7d6")
    # Facade.
    c.rect((40, 40, 560, 400), "#e7dcc9")
    c.rect((40, 40, 560, 58), "#d6c8b1")
    for x in (110, 290, 470):
        c.rect((x - 40, 80, x + 40, 150), "#8fa7c5", 6)
        c.rect((x - 40, 80, x + 40, 150), "#8fa7c5", 6)
        c.rect((x - 2, 80, x + 2, 150), "#e7dcc9")
        c.rect((x - 48, 150, x + 48, 158), "#d6c8b1", 3)
    # Shop front.
    c.rect((60, 180, 540, 400), "#1f4d3a")
    c.rect((60, 180, 540, 222), "#173a2c")
    c.rect((250, 188, 350, 214), "#e0a526", 4)  # the sign: an open book
    c.poly([(262, 196), (300, 192), (300, 208), (262, 210)], "#1f4d3a")
    c.poly([(300, 192), (338, 196), (338, 210), (300, 208)], "#1f4d3a")
    # Awning.
    for k in range(12):
        x = 60 + k * 40
        col = "#e0a526" if k % 2 == 0 else "#fbf3df"
        c.poly([(x, 222), (x + 40, 222), (x + 44, 262), (x + 4, 262)], col)
        c.ellipse((x + 4, 250, x + 44, 274), col)
    # Windows with warm light and books on shelves.
    for x0, x1 in ((84, 236), (364, 516)):
        c.rect((x0, 284, x1, 384), "#ffd98a", 4)
        c.glow((x0 + x1) / 2, 330, 60, "#fff2c6", 0.6)
        rnd = rng(x0)
        for shelf in (318, 356):
            c.rect((x0, shelf, x1, shelf + 4), "#8a6a3c")
            x = x0 + 6
            while x < x1 - 16:
                w = rnd.choice((8, 10, 12, 14))
                h = rnd.choice((22, 26, 30))
                c.rect(
                    (x, shelf - h, x + w, shelf),
                    rnd.choice(("#b9473c", "#3f7d6e", "#1e3a5f", "#8a5a9e", "#e0a526")),
                )
                x += w + 2
    # Door.
    c.rect((256, 280, 344, 400), "#14352a", 4)
    c.rect((268, 292, 332, 352), "#ffd98a", 3)
    c.circle(330, 370, 4, "#e0a526")
    # Pavement and a lamp post.
    c.rect((0, 400, 600, 450), "#b9b2a6")
    c.rect((0, 400, 600, 408), "#d3ccbf")
    c.rect((566, 150, 574, 420), "#2b2b2b")
    c.glow(570, 140, 30, "#ffe6a0", 0.8)
    c.poly([(556, 146), (584, 146), (578, 124), (562, 124)], "#ffe29a")
    c.rect((552, 116, 588, 126), "#2b2b2b", 3)
    # A bicycle shape: two wheels and a frame.
    for x in (90, 170):
        c.arc((x - 28, 374, x + 28, 430), 0, 360, "#2b2b2b", 4)
    frame = "#b9473c"
    c.line([(90, 402), (126, 402), (114, 366), (90, 402)], frame, 4)
    c.line([(126, 402), (158, 370), (114, 366)], frame, 4)
    c.line([(158, 370), (170, 402)], frame, 4)
    c.line([(154, 358), (160, 372)], "#2b2b2b", 4)
    c.line([(148, 356), (166, 356)], "#2b2b2b", 4)
    c.line([(104, 360), (124, 360)], "#2b2b2b", 5)
    return c.result()


# -------------------------------------------------------------------------- the association


def raised_bed(c: Canvas, x: float, y: float, w: float, plants: str, rnd: random.Random) -> None:
    c.drop_ellipse((x - 10, y + 46, x + w + 10, y + 70), 8, 0.2)
    if plants == "leaves":
        for k in range(int(w / 26)):
            px = x + 16 + k * 26
            for angle in (-150, -115, -65, -30):
                leaf(
                    c,
                    px,
                    y + 6,
                    rnd.uniform(26, 38),
                    angle + rnd.uniform(-8, 8),
                    rnd.choice(("#4f8a3c", "#5f9b4a", "#3f7a33")),
                )
    elif plants == "tomatoes":
        for k in range(int(w / 60)):
            px = x + 30 + k * 60
            c.line([(px, y + 6), (px, y - 110)], "#7a5a35", 3)
            for j in range(5):
                leaf(c, px, y - 20 - j * 20, 30, -160 + (j % 2) * 140, "#4f8a3c")
            for j in range(3):
                c.circle(px + (-1) ** j * 12, y - 36 - j * 26, 10, "#d9432f")
                c.circle(px + (-1) ** j * 12 - 3, y - 39 - j * 26, 3, "#f08a72")
    elif plants == "sunflowers":
        for k in range(int(w / 70)):
            px = x + 35 + k * 70
            top = y - 150 - (k % 2) * 30
            c.line([(px, y + 6), (px, top)], "#5f8a3a", 4)
            leaf(c, px, top + 60, 36, -20, "#5f9b4a")
            leaf(c, px, top + 90, 36, -160, "#5f9b4a")
            for a in range(0, 360, 30):
                ox = px + 22 * math.cos(math.radians(a))
                oy = top + 22 * math.sin(math.radians(a))
                c.poly(ellipse_points(ox, oy, 14, 6, a), "#f2b63c")
            c.circle(px, top, 14, "#7a4a1f")
    c.rect((x, y, x + w, y + 56), "#a8733f", 6)
    c.rect((x, y, x + w, y + 10), "#bd8650", 5)
    c.rect((x, y + 30, x + w, y + 33), "#8d5d31")


def assoc_hero() -> Image.Image:
    c = Canvas(1200, 560)
    c.gradient("#e6f3e4", "#cfe7cf")
    c.glow(1020, 90, 90, "#fff4c2", 0.9)
    c.circle(1020, 90, 48, "#f7d774")
    # Hills.
    c.ellipse((-200, 330, 700, 760), "#b5d8a7")
    c.ellipse((450, 300, 1500, 800), "#a6cf98")
    c.rect((0, 470, 1200, 560), "#8dbb7d")
    # Clouds.
    for cx, cy in ((200, 90), (640, 60)):
        for dx, dy, r in ((-40, 8, 28), (0, -6, 38), (44, 6, 30)):
            c.circle(cx + dx, cy + dy, r, "#ffffff")
    rnd = rng(5)
    raised_bed(c, 40, 420, 300, "tomatoes", rnd)
    raised_bed(c, 860, 420, 300, "sunflowers", rnd)
    # The gardeners.
    people = (
        (430, "#f1c9a5", "#e07a5f", "#3b2a20", "bun"),
        (540, "#8d5a3b", "#3d8b40", "#1f1712", "short"),
        (650, "#e8b88f", "#f2b63c", "#a0522d", "long"),
        (760, "#c68a62", "#4a78b5", "#2b2118", "cap"),
    )
    for k, (x, skin, shirt, hair, style) in enumerate(people):
        person(c, x, 500 - (k % 2) * 14, 170, skin, shirt, hair, style)
    raised_bed(c, 356, 474, 488, "leaves", rnd)
    c.rect((356, 520, 844, 560), "#9a6636")
    # A watering can.
    c.rect((190, 480, 270, 540), "#4a78b5", 12)
    c.poly([(270, 500), (320, 470), (326, 478), (270, 520)], "#4a78b5")
    c.arc((200, 456, 260, 510), 180, 360, "#3b6496", 8)
    # Butterflies.
    for x, y in ((360, 200), (880, 170)):
        c.poly(ellipse_points(x - 8, y, 9, 6, -30), "#e07a5f")
        c.poly(ellipse_points(x + 8, y, 9, 6, 30), "#e07a5f")
        c.line([(x, y - 6), (x, y + 6)], "#3b2a20", 2)
    return c.result()


def assoc_president() -> Image.Image:
    c = Canvas(320, 320, (0, 0, 0, 0), mode="RGBA")
    c.circle(160, 160, 158, "#cfe6d0")
    c.glow(110, 90, 90, "#eef8ee", 0.8)
    # Hair behind the head, the bust, the head, glasses.
    c.rect((96, 70, 224, 210), "#d8d4cf", 60)
    c.rect((70, 222, 250, 380), "#2f5d34", 70)
    c.poly([(130, 222), (190, 222), (160, 268)], "#f6f1e8")
    c.rect((146, 180, 174, 236), "#e7b896", 10)
    c.circle(160, 150, 52, "#f0c6a3")
    c.pie((104, 88, 216, 190), 180, 360, "#d8d4cf")
    c.poly([(112, 138), (150, 100), (118, 112)], "#d8d4cf")
    for x in (140, 180):
        c.arc((x - 15, 140, x + 15, 166), 0, 360, "#3b3b3b", 3)
    c.line([(155, 152), (165, 152)], "#3b3b3b", 3)
    c.arc((140, 160, 180, 188), 25, 155, "#a0583f", 3)
    # A scarf in the association's green.
    c.poly([(118, 226), (202, 226), (190, 252), (130, 252)], "#7fb77e")
    # Mask to a circle.
    img = c.result()
    mask = Image.new("L", (320 * SS, 320 * SS), 0)
    ImageDraw.Draw(mask).ellipse((2 * SS, 2 * SS, 318 * SS, 318 * SS), fill=255)
    alpha = mask.resize((320, 320), Image.Resampling.LANCZOS)
    img.putalpha(Image.composite(img.getchannel("A"), Image.new("L", (320, 320), 0), alpha))
    return img


def assoc_compost() -> Image.Image:
    c = Canvas(600, 420)
    c.gradient("#eef4e6", "#d7e6c8")
    c.rect((0, 330, 600, 420), "#9cc28a")
    for k, x in enumerate((90, 320)):
        c.drop_ellipse((x - 20, 372, x + 210, 408), 10, 0.25)
        c.ellipse((x + 6, 150, x + 184, 196), "#6b4a2b")
        # Dead leaves on top of the heap.
        rnd = rng(k)
        for _ in range(14):
            leaf(
                c,
                x + rnd.uniform(20, 160),
                170 + rnd.uniform(-10, 10),
                rnd.uniform(16, 26),
                rnd.uniform(0, 360),
                rnd.choice(("#d98b3a", "#c25b2c", "#e7b149", "#8a9b3c")),
            )
        for j in range(5):
            y = 190 + j * 38
            c.rect((x, y, x + 190, y + 30), "#b88452" if j % 2 else "#a8733f", 4)
        for px in (x + 6, x + 172):
            c.rect((px, 184, px + 12, 388), "#8d5d31", 3)
    # A fork leaning on the bins.
    c.line([(560, 380), (500, 130)], "#8d5d31", 8)
    for dx in (-14, -5, 4, 13):
        c.line([(500 + dx, 132), (490 + dx, 90)], "#6d6d6d", 4)
    c.rect((482, 126, 522, 136), "#6d6d6d", 3)
    # Falling leaves.
    for x, y, a in ((60, 60, 30), (250, 90, 120), (470, 50, 250), (560, 220, 80)):
        leaf(c, x, y, 24, a, "#d98b3a")
    return c.result()


def assoc_basket() -> Image.Image:
    c = Canvas(600, 420)
    c.gradient("#f4efe2", "#e6dcc4")
    c.glow(470, 60, 150, "#fffbef", 0.6)
    c.drop_ellipse((90, 330, 520, 400), 14, 0.28)
    # Vegetables behind the rim: a lettuce, carrots with their tops, a pumpkin, tomatoes.
    for x, y, r, col in (  # a lettuce
        (180, 200, 56, "#4f8a3c"),
        (236, 196, 52, "#5f9b4a"),
        (150, 176, 40, "#6fae55"),
        (206, 160, 46, "#7dbb5f"),
        (260, 168, 38, "#6fae55"),
        (204, 206, 34, "#a6d47e"),
    ):
        c.circle(x, y, r, col)
        c.arc((x - r * 0.6, y - r * 0.6, x + r * 0.6, y + r * 0.6), 200, 320, "#b9df93", 3)
    for x, top in ((318, 150), (352, 136), (386, 158)):
        for angle in (-120, -95, -70):
            leaf(c, x, top, 58, angle, "#5f9b4a")
        c.poly(
            [(x - 19, top + 6), (x + 19, top + 6), (x + 4, top + 130), (x - 4, top + 130)],
            "#ea7a2e",
        )
        c.rect((x - 19, top, x + 19, top + 18), "#f08c3e", 9)
        for k in range(3):
            c.line(
                [(x - 12 + k * 3, top + 34 + k * 22), (x - 2 + k * 3, top + 36 + k * 22)],
                "#c8621f",
                2,
            )
    c.circle(430, 236, 62, "#e8892e")  # a pumpkin
    for dx in (-32, 0, 32):
        c.poly(ellipse_points(430 + dx, 236, 22, 60), "#f09a3f" if dx else "#f3a64a")
    c.rect((424, 166, 438, 186), "#6b8a3a", 4)
    for x, y in ((170, 240), (215, 224), (300, 236), (250, 252)):
        c.circle(x, y, 30, "#c93a2a")  # tomatoes
        c.circle(x - 9, y - 10, 8, "#ef7d66")
        for a in range(0, 360, 72):
            leaf(c, x, y - 26, 12, a - 90, "#3f7a33")
    # Wicker basket.
    c.poly([(100, 250), (510, 250), (470, 380), (140, 380)], "#b98247")
    for j in range(5):
        y = 262 + j * 24
        c.rect((100 + j * 8, y, 510 - j * 8, y + 8), "#d7a26a", 4)
    for k in range(11):
        x = 130 + k * 35
        c.line([(x, 254), (x + (305 - x) * 0.1, 376)], "#9a6a36", 4)
    c.rect((92, 240, 518, 262), "#c98f52", 10)
    return c.result()


# --------------------------------------------------------------------------------- writing

DRAWINGS: dict[str, tuple[Callable[[], Image.Image], str]] = {
    "bakery-hero": (bakery_hero, "jpg"),
    "bakery-walnut": (bakery_walnut, "jpg"),
    "bakery-tart": (bakery_tart, "jpg"),
    "shop-hero": (shop_hero, "jpg"),
    "shop-mug": (shop_mug, "jpg"),
    "shop-candle": (shop_candle, "jpg"),
    "shop-plaid": (shop_plaid, "jpg"),
    "event-hero": (event_hero, "jpg"),
    "event-venue": (event_venue, "jpg"),
    "assoc-hero": (assoc_hero, "jpg"),
    "assoc-president": (assoc_president, "png"),
    "assoc-compost": (assoc_compost, "jpg"),
    "assoc-basket": (assoc_basket, "jpg"),
}


def encode(image: Image.Image, ext: str) -> bytes:
    """The file's bytes, without metadata, so that the same drawing gives the same name."""
    buf = io.BytesIO()
    if ext == "jpg":
        image.convert("RGB").save(
            buf, "JPEG", quality=84, optimize=True, progressive=True, subsampling=0
        )
    else:
        image.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def render_all() -> dict[str, tuple[str, bytes]]:
    """Every drawing: name → (reference ``images/<sha256>.<ext>``, bytes)."""
    out = {}
    for name, (draw, ext) in DRAWINGS.items():
        data = encode(draw(), ext)
        out[name] = (f"images/{hashlib.sha256(data).hexdigest()}.{ext}", data)
    return out


def write_all(out_dir: Path = OUT) -> dict[str, str]:
    """Write every image under ``out_dir`` (removing stale ones); return name → reference."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rendered = render_all()
    keep = set()
    for ref, data in rendered.values():
        path = out_dir / ref.split("/", 1)[1]
        keep.add(path.name)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    for path in out_dir.iterdir():
        if path.is_file() and path.name not in keep:
            path.unlink()
    return {name: ref for name, (ref, _) in rendered.items()}


def contact_sheet(path: Path) -> None:
    """Every drawing on one page, to look at them side by side."""
    images = [draw() for draw, _ in DRAWINGS.values()]
    width = 1240
    rows: list[list[Image.Image]] = []
    for img in images:
        scale = 0.5 if img.width >= 1000 else 0.5 if img.width >= 560 else 0.6
        small = img.resize((round(img.width * scale), round(img.height * scale)))
        if rows and sum(i.width + 20 for i in rows[-1]) + small.width <= width:
            rows[-1].append(small)
        else:
            rows.append([small])
    height = sum(max(i.height for i in row) + 20 for row in rows) + 20
    sheet = Image.new("RGB", (width, height), "#ffffff")
    y = 20
    for row in rows:
        x = 20
        for img in row:
            sheet.paste(img, (x, y), img if img.mode == "RGBA" else None)
            x += img.width + 20
        y += max(i.height for i in row) + 20
    sheet.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet PNG here")
    args = parser.parse_args()
    refs = write_all()
    for name, ref in refs.items():
        size = (OUT / ref.split("/", 1)[1]).stat().st_size
        print(f"{name:<16} {ref}  {size // 1024} KB")
    if args.sheet:
        contact_sheet(args.sheet)
        print(f"contact sheet: {args.sheet}")


if __name__ == "__main__":
    main()
