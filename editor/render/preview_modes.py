"""What the final HTML looks like in a dark-mode mail client, and with images blocked.

Both are plain text transforms of the HTML the preview shows (the email after inlining, with
sample values), so they are tested without a browser and the preview only loads their result.

**Dark mode.** Mail clients recolour an email in one of three ways (Litmus, "The Ultimate Guide
to Dark Mode for Email Marketers"; Parcel and caniemail's notes agree): no change (Apple Mail
honours the email's own ``prefers-color-scheme`` rules), *partial* inversion (Outlook.com and the
Outlook apps: light backgrounds become dark and dark text light, dark areas are left alone) and
*full* inversion (the Gmail app on iOS, Outlook for Windows: every colour's lightness is flipped,
so a dark band turns light too). Neither inverting kind reads the email's
``prefers-color-scheme`` rules. :func:`dark_mode` models the full inversion by default — the
most common reader (Gmail's app) and the one that surprises authors most — and the partial one
on request. Images are never recoloured (the clients keep photos as they are), which is exactly
what shows a logo with a white box around it, or dark text drawn into a picture.

The model is deliberately simple: the HSL lightness of each colour is mirrored (``L → 1 − L``),
hue and saturation kept; colours are read from ``style`` attributes, ``<style>`` elements and the
``bgcolor``/``color`` attributes. Real clients tune their palette (Gmail's "black" is #121212);
the preview shows the contrast problems, not each client's exact shade.

**Images off.** Outlook and many webmails block images until the reader allows them, and show
each one as a box of its size holding its alt text. :func:`images_off` does the same: every
``<img>`` becomes such a box, and background images go. An image without alt text becomes an
empty box — which is what recipients see, and why the renderer warns about it.
"""

from __future__ import annotations

import colorsys
import html
import re
from collections.abc import Callable
from typing import Literal

__all__ = ["DarkScheme", "dark_mode", "images_off", "invert_color", "parse_color"]

DarkScheme = Literal["full", "partial"]

# Where the dark-mode rules of our own skeleton (and of any well-made email) live; inverting
# clients ignore them, so the model removes them before recolouring.
_DARK_MEDIA = re.compile(r"@media[^{]*prefers-color-scheme\s*:\s*dark[^{]*\{", re.IGNORECASE)
_STYLE_ELEMENT = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)(\s[^<>]*?)?(/?)>")
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_DECLARATION = re.compile(r"(?<![\w-])([a-zA-Z-]+)(\s*:\s*)([^;{}\"]+)")
_HEX = r"#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})(?![0-9a-zA-Z])"
_FUNCTION = r"rgba?\(\s*[^()]*\)"

# The CSS names an email is likely to use (the 16 basic ones and the common greys).
NAMED_COLORS = {
    "black": "#000000",
    "silver": "#c0c0c0",
    "gray": "#808080",
    "grey": "#808080",
    "white": "#ffffff",
    "maroon": "#800000",
    "red": "#ff0000",
    "purple": "#800080",
    "fuchsia": "#ff00ff",
    "green": "#008000",
    "lime": "#00ff00",
    "olive": "#808000",
    "yellow": "#ffff00",
    "navy": "#000080",
    "blue": "#0000ff",
    "teal": "#008080",
    "aqua": "#00ffff",
    "orange": "#ffa500",
    "whitesmoke": "#f5f5f5",
    "gainsboro": "#dcdcdc",
    "lightgray": "#d3d3d3",
    "lightgrey": "#d3d3d3",
    "darkgray": "#a9a9a9",
    "darkgrey": "#a9a9a9",
    "dimgray": "#696969",
    "dimgrey": "#696969",
}
_COLOR = re.compile(
    rf"{_HEX}|{_FUNCTION}|(?<![\w#-])(?:{'|'.join(sorted(NAMED_COLORS, key=len, reverse=True))})"
    r"(?![\w-])",
    re.IGNORECASE,
)

_BACKGROUND_PROPERTIES = frozenset({"background", "background-color"})
_FOREGROUND_PROPERTIES = frozenset(
    {
        "color",
        "border",
        "border-color",
        "border-top",
        "border-right",
        "border-bottom",
        "border-left",
        "border-top-color",
        "border-right-color",
        "border-bottom-color",
        "border-left-color",
        "outline",
        "outline-color",
        "text-decoration-color",
        "column-rule",
        "column-rule-color",
    }
)

Rgba = tuple[float, float, float, float]


# ------------------------------------------------------------------------------------ colours


def parse_color(value: str) -> Rgba | None:
    """``#rgb``, ``#rrggbb`` (with alpha), ``rgb()``/``rgba()`` or a common name, as 0–1 floats.

    None for what is not a colour this module changes (``transparent``, ``inherit``…).
    """
    text = value.strip().lower()
    text = NAMED_COLORS.get(text, text)
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) in (3, 4):
            digits = "".join(c * 2 for c in digits)
        if len(digits) not in (6, 8) or not re.fullmatch(r"[0-9a-f]+", digits):
            return None
        channels = [int(digits[i : i + 2], 16) / 255 for i in range(0, len(digits), 2)]
        alpha = channels[3] if len(channels) == 4 else 1.0
        return channels[0], channels[1], channels[2], alpha
    match = re.fullmatch(r"rgba?\((.*)\)", text)
    if not match:
        return None
    parts = [p for p in re.split(r"[\s,/]+", match.group(1).strip()) if p]
    if len(parts) not in (3, 4):
        return None
    try:
        rgb = [float(p[:-1]) / 100 if p.endswith("%") else float(p) / 255 for p in parts[:3]]
        alpha = 1.0
        if len(parts) == 4:
            alpha = float(parts[3][:-1]) / 100 if parts[3].endswith("%") else float(parts[3])
    except ValueError:
        return None
    r, g, b = (min(max(c, 0.0), 1.0) for c in rgb)
    return r, g, b, min(max(alpha, 0.0), 1.0)


def lightness(color: Rgba) -> float:
    """HSL lightness, 0 (black) to 1 (white)."""
    return colorsys.rgb_to_hls(color[0], color[1], color[2])[1]


def invert_color(color: Rgba) -> Rgba:
    """The same hue and saturation with the lightness mirrored: white ↔ black, #f4ece1 → dark."""
    h, lum, s = colorsys.rgb_to_hls(color[0], color[1], color[2])
    r, g, b = colorsys.hls_to_rgb(h, 1.0 - lum, s)
    return r, g, b, color[3]


def format_color(color: Rgba) -> str:
    r, g, b = (round(c * 255) for c in color[:3])
    if color[3] >= 1.0:
        return f"#{r:02x}{g:02x}{b:02x}"
    return f"rgba({r}, {g}, {b}, {round(color[3], 3)})"


# ---------------------------------------------------------------------------------- dark mode


def dark_mode(page: str, scheme: DarkScheme = "full") -> str:
    """``page`` as an inverting dark-mode client shows it (see the module's docstring).

    ``full``: every background and text colour has its lightness mirrored. ``partial``: only
    light backgrounds (lightness above one half) and dark text, borders and lines are.
    """
    background = _recolour(lambda c: scheme == "full" or lightness(c) > 0.5)
    foreground = _recolour(lambda c: scheme == "full" or lightness(c) < 0.5)

    def declarations(css: str) -> str:
        def one(m: re.Match[str]) -> str:
            name = m.group(1).lower()
            if name in _BACKGROUND_PROPERTIES:
                return m.group(1) + m.group(2) + _COLOR.sub(background, m.group(3))
            if name in _FOREGROUND_PROPERTIES:
                return m.group(1) + m.group(2) + _COLOR.sub(foreground, m.group(3))
            return m.group(0)

        return _DECLARATION.sub(one, css)

    def attribute(name: str, value: str) -> str:
        if name == "style":
            return declarations(value)
        if name == "bgcolor":
            return _COLOR.sub(background, value)
        if name == "color":
            return _COLOR.sub(foreground, value)
        return value

    def style_element(m: re.Match[str]) -> str:
        return m.group(1) + declarations(_drop_dark_rules(m.group(2))) + m.group(3)

    out = _STYLE_ELEMENT.sub(style_element, page)
    out = _rewrite_tags(out, attribute)
    # What the client paints where the email sets no colour: its canvas and its text.
    canvas = _COLOR.sub(background, "#ffffff")
    ink = _COLOR.sub(foreground, "#000000")
    base = (
        f"<style>html, body {{ background-color: {canvas}; color: {ink}; }}"
        f" :root {{ color-scheme: only light; }}</style>"
    )
    head_end = re.search(r"</head\s*>", out, re.IGNORECASE)
    if head_end:
        return out[: head_end.start()] + base + out[head_end.start() :]
    return base + out


def _recolour(should: Callable[[Rgba], bool]) -> Callable[[re.Match[str]], str]:
    def replace(m: re.Match[str]) -> str:
        color = parse_color(m.group(0))
        if color is None or not should(color):
            return m.group(0)
        return format_color(invert_color(color))

    return replace


def _drop_dark_rules(css: str) -> str:
    """Remove every ``@media (prefers-color-scheme: dark) { … }`` block (braces matched)."""
    out, pos = [], 0
    for m in _DARK_MEDIA.finditer(css):
        if m.start() < pos:
            continue
        depth, end = 1, m.end()
        while end < len(css) and depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        out.append(css[pos : m.start()])
        pos = end
    out.append(css[pos:])
    return "".join(out)


def _rewrite_tags(page: str, change: Callable[[str, str], str]) -> str:
    """Pass each attribute value of each start tag through ``change(name, value)``.

    Quotes are kept as they were; a value is HTML-unescaped before ``change`` sees it and
    escaped again after, so ``&quot;`` in a font name survives.
    """

    def tag(m: re.Match[str]) -> str:
        attributes = m.group(2)
        if not attributes:
            return m.group(0)

        def one(a: re.Match[str]) -> str:
            raw = a.group(2)
            if raw is None:
                return a.group(0)
            quote = raw[0] if raw[0] in "\"'" else ""
            value = html.unescape(raw[1:-1] if quote else raw)
            changed = change(a.group(1).lower(), value)
            if changed == value:
                return a.group(0)
            mark = quote or '"'
            return f"{a.group(1)}={mark}{html.escape(changed, quote=True)}{mark}"

        return f"<{m.group(1)}{_ATTRIBUTE.sub(one, attributes)}{m.group(3)}>"

    return _TAG.sub(tag, page)


# -------------------------------------------------------------------------------- images off

_IMG = re.compile(r"<img\b([^<>]*)>", re.IGNORECASE)
_KEPT_FROM_IMAGE = ("display", "margin", "float", "vertical-align", "width", "max-width")
_BOX_STYLE = (
    "box-sizing:border-box; overflow:hidden; border:1px solid #bdbdbd; "
    "background-color:#f2f2f2; color:#4d4d4d; font-family:Arial, Helvetica, sans-serif; "
    "font-size:12px; line-height:1.3; font-weight:normal; font-style:normal; "
    "text-align:left; text-decoration:none; padding:4px; word-break:break-word"
)
IMAGE_BOX_CLASS = "bulletin-image-off"
"""The class of the box that stands for a blocked image (tests and the preview look for it)."""


def images_off(page: str) -> str:
    """``page`` with images blocked, as Outlook shows it: a box of each image's size holding
    its alt text (an empty box without one); background images removed."""
    out = _IMG.sub(_image_box, page)

    def attribute(name: str, value: str) -> str:
        if name == "style":
            return _without_background_images(value)
        if name == "background":
            return ""
        return value

    out = _STYLE_ELEMENT.sub(
        lambda m: m.group(1) + _without_background_images(m.group(2)) + m.group(3), out
    )
    return _rewrite_tags(out, attribute)


def _image_box(m: re.Match[str]) -> str:
    attributes = {
        a.group(1).lower(): html.unescape(_unquote(a.group(2) or ""))
        for a in _ATTRIBUTE.finditer(m.group(1).rstrip("/"))
    }
    alt = attributes.get("alt", "")
    kept = []
    declared = {}
    for name, value in _declarations(attributes.get("style", "")):
        declared[name] = value
        if name.startswith(_KEPT_FROM_IMAGE):
            kept.append(f"{name}:{value}")
    width, height = _pixels(attributes.get("width")), _pixels(attributes.get("height"))
    style_width = _pixels(declared.get("width", "").removesuffix("px"))
    style_height = _pixels(declared.get("height", "").removesuffix("px"))
    width = style_width or width
    if "display" not in declared:
        kept.append("display:inline-block")
    if "width" not in declared and width:
        kept.append(f"width:{width}px")
    if "max-width" not in declared:
        kept.append("max-width:100%")
    if style_height and style_width:
        kept.append(f"height:{style_height}px")
    elif width and height:
        kept.append(f"aspect-ratio:{width} / {height}")
    else:
        kept.append("min-width:16px; min-height:16px")
    label = html.escape(alt, quote=True)
    # The image's classes stay: the email's phone rules (full width) apply to the box too.
    classes = html.escape(" ".join([*attributes.get("class", "").split(), IMAGE_BOX_CLASS]))
    return (
        f'<span class="{classes}" role="img" aria-label="{label}" '
        f'style="{html.escape("; ".join(kept), quote=True)}; {_BOX_STYLE}">{html.escape(alt)}'
        "</span>"
    )


def _declarations(css: str) -> list[tuple[str, str]]:
    out = []
    for part in css.split(";"):
        name, sep, value = part.partition(":")
        if sep and name.strip():
            out.append((name.strip().lower(), value.strip()))
    return out


def _without_background_images(css: str) -> str:
    css = re.sub(r"background-image\s*:[^;{}\"]*;?", "", css, flags=re.IGNORECASE)
    return re.sub(r"url\([^)]*\)", "none", css, flags=re.IGNORECASE)


def _unquote(value: str) -> str:
    return value[1:-1] if value[:1] in "\"'" and value[-1:] == value[:1] else value


def _pixels(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    return int(value) if value.isdigit() and int(value) > 0 else None
