"""One pass over an email's HTML: the text as drawn (colour, background, size, visibility),
the links, images and forms, each with the block it belongs to.

The HTML is parsed once with lxml (already used through premailer) and walked once; every rule
then reads lists. Styles are taken from ``style`` attributes and the old presentational ones
(``bgcolor``, ``<font color size>``), which is what email HTML uses once its CSS is inlined.
Bulletin marks each top-level block with a ``<!--block:ID-->`` comment: everything after one
belongs to that block until the next.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from editor.spam.view import Form, Image, Link, TextRun

DEFAULT_SIZE = 16.0
WHITE = "#ffffff"
_MAX_DEPTH = 400  # deeper than any real email; hostile nesting stops here
_BLOCK_MARK = re.compile(r"^block:([A-Za-z0-9_-]{1,64})$")
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "xml"})
_SPACES = re.compile(r"\s+")
# Invisible characters used as preheader filler (and by spammers to split words).
_FILLER = re.compile("[\u034f\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_FONT_SIZES = {1: 10.0, 2: 13.0, 3: 16.0, 4: 18.0, 5: 24.0, 6: 32.0, 7: 48.0}
_HEADINGS = {"h1": 32.0, "h2": 24.0, "h3": 18.7, "h4": 16.0, "h5": 13.3, "h6": 10.7}
_NAMED = {
    "black": "#000000",
    "white": "#ffffff",
    "red": "#ff0000",
    "darkred": "#8b0000",
    "crimson": "#dc143c",
    "green": "#008000",
    "blue": "#0000ff",
    "yellow": "#ffff00",
    "orange": "#ffa500",
    "gray": "#808080",
    "grey": "#808080",
    "silver": "#c0c0c0",
    "lightgray": "#d3d3d3",
    "lightgrey": "#d3d3d3",
    "whitesmoke": "#f5f5f5",
    "snow": "#fffafa",
    "ivory": "#fffff0",
    "navy": "#000080",
    "maroon": "#800000",
    "purple": "#800080",
    "fuchsia": "#ff00ff",
    "magenta": "#ff00ff",
    "lime": "#00ff00",
    "olive": "#808000",
    "teal": "#008080",
    "aqua": "#00ffff",
    "cyan": "#00ffff",
}
_HEX = re.compile(r"^#([0-9a-f]{3}|[0-9a-f]{6})$")
_RGB = re.compile(
    r"^rgba?\(\s*([\d.]+)%?\s*,?\s*([\d.]+)%?\s*,?\s*([\d.]+)%?\s*(?:[,/]\s*([\d.]+%?))?\)$"
)
_LENGTH = re.compile(r"^(-?[\d.]+)\s*(px|pt|em|rem|%)?$")
_BG_COLOR = re.compile(r"(#[0-9a-fA-F]{3,6}\b|rgba?\([^)]*\)|\b[a-zA-Z]+\b)")


@dataclass
class Scan:
    """What :func:`scan` found; see :class:`editor.spam.view.MessageView` for the meanings."""

    runs: list[TextRun] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    title: str | None = None
    preheader: str = ""
    block_ids: set[str] = field(default_factory=set)

    @property
    def visible_text(self) -> str:
        return clean(" ".join(r.text for r in self.runs if not r.hidden))


def clean(text: str) -> str:
    """Whitespace collapsed, invisible filler characters removed."""
    return _SPACES.sub(" ", _FILLER.sub("", text)).strip()


@dataclass(frozen=True)
class _Style:
    color: str | None
    background: str
    size: float
    bold: bool
    hidden: bool  # inherited: display:none… (a zero font size is not: children may reset it)

    @property
    def invisible(self) -> bool:
        return self.hidden or self.size < 1


ImageInfo = Callable[[str], tuple[int | None, str | None]]
"""For an image ``src``: its byte size when known, and the block it comes from when known."""


def scan(html: str, image_info: ImageInfo | None = None) -> Scan:
    """Parse ``html`` once and collect what the rules need (never raises on bad markup)."""
    out = Scan()
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):  # empty document, or only a comment
        return out
    title = root.find(".//title")
    if title is not None:
        out.title = clean("".join(str(t) for t in title.itertext()))
    walker = _Walker(out, image_info)
    start = _Style(None, WHITE, DEFAULT_SIZE, False, False)
    walker.walk(root, start, 0)
    return out


class _Walker:
    def __init__(self, out: Scan, image_info: ImageInfo | None) -> None:
        self.out = out
        self.block: str | None = None
        self.image_info = image_info
        self.seen_visible = False
        self.link_stack: list[list[str]] = []

    def text(self, text: str | None, style: _Style) -> None:
        if not text:
            return
        stripped = clean(text)
        if not stripped:
            return
        hidden = style.invisible
        if hidden and not self.seen_visible and self.block is None:
            # Hidden text before any content is the preheader (the inbox's preview line).
            self.out.preheader = clean(f"{self.out.preheader} {stripped}")
            return
        if not hidden:
            self.seen_visible = True
        self.out.runs.append(
            TextRun(
                stripped,
                self.block,
                style.color,
                style.background,
                style.size,
                style.bold,
                hidden,
            )
        )
        for parts in self.link_stack:
            if not hidden:
                parts.append(stripped)

    def walk(self, el: lxml.html.HtmlElement, parent: _Style, depth: int) -> None:
        tag = el.tag
        if not isinstance(tag, str):  # comment or processing instruction
            if isinstance(el, lxml.etree._Comment):
                m = _BLOCK_MARK.match((el.text or "").strip())
                if m:
                    self.block = m.group(1)
                    self.out.block_ids.add(self.block)
            self.text(el.tail, parent)
            return
        tag = tag.lower()
        if tag in _SKIP or depth > _MAX_DEPTH:
            return
        style = _style_of(el, tag, parent)
        link_parts: list[str] | None = None
        link_block, link_images = self.block, len(self.out.images)
        if tag == "a" and el.get("href") is not None:
            link_parts = []
            self.link_stack.append(link_parts)
        elif tag == "img":
            self.image(el, style)
        elif tag == "form":
            has_password = any(
                (i.get("type") or "").lower() == "password" for i in el.iter("input")
            )
            self.out.forms.append(Form(self.block, el.get("action") or "", has_password))
        elif (
            tag == "input"
            and (el.get("type") or "").lower() == "password"
            and not any(p.tag == "form" for p in el.iterancestors())
        ):
            self.out.forms.append(Form(self.block, "", True))
        self.text(el.text, style)
        for child in el:
            self.walk(child, style, depth + 1)
        if link_parts is not None:
            self.link_stack.pop()
            has_image = len(self.out.images) > link_images
            if has_image:
                self.out.images[link_images:] = [_linked(i) for i in self.out.images[link_images:]]
            self.out.links.append(
                Link(
                    (el.get("href") or "").strip(),
                    clean(" ".join(link_parts)),
                    link_block,
                    has_image,
                )
            )
        self.text(el.tail, parent)

    def image(self, el: lxml.html.HtmlElement, style: _Style) -> None:
        src = (el.get("src") or "").strip()
        size, block = (None, None) if self.image_info is None else self.image_info(src)
        width = _pixels(el.get("width")) or _css_pixels(_props(el.get("style") or "").get("width"))
        height = _pixels(el.get("height")) or _css_pixels(
            _props(el.get("style") or "").get("height")
        )
        self.out.images.append(
            Image(
                src=src,
                alt=el.get("alt"),
                width=width,
                height=height,
                size=size,
                remote=src.lower().startswith(("http://", "https://", "//")),
                block=block or self.block,
            )
        )


def _linked(image: Image) -> Image:
    return Image(
        image.src,
        image.alt,
        image.width,
        image.height,
        image.size,
        image.remote,
        image.block,
        linked=True,
    )


def _style_of(el: lxml.html.HtmlElement, tag: str, parent: _Style) -> _Style:
    color, background, size = parent.color, parent.background, parent.size
    bold, hidden = parent.bold, parent.hidden
    if tag in _HEADINGS:
        size, bold = _HEADINGS[tag] * size / DEFAULT_SIZE, True
    elif tag in ("b", "strong", "th"):
        bold = True
    elif tag in ("small",):
        size = size * 0.83
    if el.get("hidden") is not None:
        hidden = True
    bgcolor = el.get("bgcolor")
    if bgcolor:
        background = _color(bgcolor) or background
    if tag == "font":
        color = _color(el.get("color") or "") or color
        font_size = (el.get("size") or "").strip()
        if font_size.lstrip("+-").isdigit():
            n = int(font_size) + (3 if font_size[0] in "+-" else 0)
            size = _FONT_SIZES[min(7, max(1, n))]
    raw = el.get("style")
    if raw:
        props = _props(raw)
        if "color" in props:
            color = _color(props["color"]) or color
        for name in ("background-color", "background"):
            if name in props:
                found = _BG_COLOR.search(props[name]) if name == "background" else None
                value = found.group(1) if found else props[name]
                background = _color(value) or background
        if "font-size" in props:
            size = _font_size(props["font-size"], size)
        if "font-weight" in props:
            weight = props["font-weight"]
            bold = weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
        if props.get("display") == "none" or props.get("visibility") == "hidden":
            hidden = True
        opacity = props.get("opacity", "")
        if opacity and _number(opacity) == 0:
            hidden = True
        if (_css_pixels(props.get("max-height")) == 0 and props.get("overflow") == "hidden") or (
            _css_pixels(props.get("height")) == 0 and props.get("overflow") == "hidden"
        ):
            hidden = True
    return _Style(color, background, size, bold, hidden)


@functools.lru_cache(maxsize=4096)
def _props(style: str) -> dict[str, str]:
    """A ``style`` attribute as lowercase property → value (``!important`` dropped)."""
    out: dict[str, str] = {}
    for decl in style.split(";"):
        name, colon, value = decl.partition(":")
        if colon:
            out[name.strip().lower()] = value.replace("!important", "").strip().lower()
    return out


@functools.lru_cache(maxsize=1024)
def _color(value: str) -> str | None:
    """``#rrggbb`` for a CSS colour, None for one we cannot or need not read (transparent…)."""
    value = value.strip().lower()
    if value in _NAMED:
        return _NAMED[value]
    if _HEX.match(value):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits
    if len(value) in (3, 6) and all(c in "0123456789abcdef" for c in value):
        return _color("#" + value)  # bgcolor="ffffff", as old HTML writes it
    m = _RGB.match(value)
    if m:
        if m.group(4) is not None and _number(m.group(4).rstrip("%")) == 0:
            return None
        pct = "%" in value
        channels = [min(255, round(float(g) * (2.55 if pct else 1))) for g in m.group(1, 2, 3)]
        return "#" + "".join(f"{c:02x}" for c in channels)
    return None


def _font_size(value: str, parent: float) -> float:
    named = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0}
    if value in named:
        return named[value]
    m = _LENGTH.match(value)
    if not m:
        return parent
    number, unit = float(m.group(1)), m.group(2) or "px"
    if unit == "pt":
        return number * 4 / 3
    if unit in ("em", "rem"):
        return number * (parent if unit == "em" else DEFAULT_SIZE)
    if unit == "%":
        return number * parent / 100
    return number


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _pixels(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip().lower().removesuffix("px")
    return int(value) if value.isdigit() and len(value) < 7 else None


def _css_pixels(value: str | None) -> int | None:
    if value is None:
        return None
    m = _LENGTH.match(value.strip())
    if not m or (m.group(2) or "px") != "px":
        return None
    try:
        return round(float(m.group(1)))
    except (ValueError, OverflowError):
        return None
