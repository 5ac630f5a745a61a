"""Dark mode and images off: transforms of the final HTML, checked on every shipped starter."""

from __future__ import annotations

import html
import re

import pytest

from editor.document import ImageBlock
from editor.render.engine import Renderer
from editor.render.mime import data_url
from editor.render.preview_modes import (
    IMAGE_BOX_CLASS,
    dark_mode,
    images_off,
    invert_color,
    lightness,
    parse_color,
)
from editor.starters import create, list_starters
from tests.render.helpers import newsletter, png

STARTERS = [s.name for s in list_starters()]
IMG = "images/" + "c" * 64 + ".png"

# (property or attribute, colour) as they appear in inline styles and attributes.
_COLOURED = re.compile(
    r"(?<![\w-])(background-color|background|color|bgcolor)\s*[:=]\s*\"?"
    r"(#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)|white|black)",
    re.IGNORECASE,
)


def page_of(name: str) -> str:
    bf = create(name)
    rendered = Renderer(bf.images).render(bf.newsletter)
    return rendered.html_for(None, image_url=lambda ref: data_url(ref, bf.images), preview=True)


def body(page: str) -> str:
    """The page after <head>: where inline colours live (the head holds the rules)."""
    return page[page.index("<body") :]


@pytest.fixture(scope="module", params=STARTERS)
def starter_page(request: pytest.FixtureRequest) -> str:
    return page_of(request.param)


def test_colours_are_read_as_css_writes_them() -> None:
    assert parse_color("#fff") == (1.0, 1.0, 1.0, 1.0)
    assert parse_color("#FFFFFF") == (1.0, 1.0, 1.0, 1.0)
    assert parse_color("white") == parse_color("#ffffff")
    assert parse_color("rgb(0, 0, 0)") == (0.0, 0.0, 0.0, 1.0)
    assert parse_color("rgba(255,0,0,0.5)") == (1.0, 0.0, 0.0, 0.5)
    assert parse_color("#00000080") == (0.0, 0.0, 0.0, 128 / 255)
    for other in ("transparent", "inherit", "currentColor", "#12", "rgb(a, b, c)"):
        assert parse_color(other) is None
    assert invert_color((1.0, 1.0, 1.0, 1.0)) == (0.0, 0.0, 0.0, 1.0)
    cream = parse_color("#f4ece1")
    assert cream is not None and lightness(invert_color(cream)) == pytest.approx(
        1 - lightness(cream)
    )


def test_dark_mode_turns_light_backgrounds_dark_and_dark_text_light(starter_page: str) -> None:
    before = _COLOURED.findall(body(starter_page))
    after = _COLOURED.findall(body(dark_mode(starter_page)))
    assert len(before) == len(after) and before
    changed = 0
    for (name, old), (same_name, new) in zip(before, after, strict=True):
        assert name == same_name
        old_rgba, new_rgba = parse_color(old), parse_color(new)
        assert old_rgba is not None and new_rgba is not None
        # Full inversion: every colour's lightness is mirrored, hue kept.
        assert lightness(new_rgba) == pytest.approx(1 - lightness(old_rgba), abs=0.01)
        if name.lower() in ("background", "background-color", "bgcolor"):
            if lightness(old_rgba) > 0.6:
                assert lightness(new_rgba) < 0.4
                changed += 1
        elif lightness(old_rgba) < 0.4:
            assert lightness(new_rgba) > 0.6
            changed += 1
    assert changed >= 3  # page, content and text at least


def test_dark_mode_keeps_images_and_drops_the_emails_own_dark_rules(starter_page: str) -> None:
    dark = dark_mode(starter_page)
    assert re.findall(r"<img\b[^>]*>", dark) == re.findall(r"<img\b[^>]*>", starter_page)
    assert "prefers-color-scheme" in starter_page
    assert "prefers-color-scheme" not in dark  # inverting clients ignore those rules
    # The client's own canvas and ink where the email sets none: dark and light.
    assert re.search(r"html, body \{ background-color: #000000; color: #ffffff; \}", dark)
    # The mobile rules and everything else in the head stay.
    assert "@media only screen" in dark


def test_partial_inversion_leaves_dark_areas_alone() -> None:
    page = (
        '<html><head></head><body style="background-color:#ffffff;color:#222222">'
        '<td bgcolor="#111111" style="background-color:#111111;color:#eeeeee">Band</td>'
        '<font color="black">old</font></body></html>'
    )
    partial = dark_mode(page, "partial")
    assert 'style="background-color:#000000;color:#dddddd"' in partial
    assert 'bgcolor="#111111" style="background-color:#111111;color:#eeeeee"' in partial
    assert '<font color="#ffffff">' in partial
    full = dark_mode(page)
    assert 'bgcolor="#eeeeee" style="background-color:#eeeeee;color:#111111"' in full


def test_dark_mode_touches_colours_only() -> None:
    page = (
        "<html><head><style>a:hover { color: #000000; } .x { font-family: 'Arial Black'; }"
        "</style></head><body>"
        '<p style="font-family:&quot;Arial Black&quot;, sans-serif; color:transparent; '
        'border:1px solid #ffffff; background:#ffffff url(x.png) no-repeat">white text</p>'
        "</body></html>"
    )
    dark = dark_mode(page)
    assert "a:hover { color: #ffffff; }" in dark
    assert "font-family: 'Arial Black'" in dark
    assert "font-family:&quot;Arial Black&quot;, sans-serif" in dark
    assert "color:transparent" in dark
    assert "border:1px solid #000000" in dark
    assert "background:#000000 url(x.png) no-repeat" in dark
    assert ">white text</p>" in dark  # text is text, not a colour


def test_images_off_puts_a_box_with_the_alt_text_in_place_of_every_image(
    starter_page: str,
) -> None:
    images = re.findall(r"<img\b[^>]*>", starter_page)
    assert images
    off = images_off(starter_page)
    assert "<img" not in off
    boxes = re.findall(
        rf'<span class="([^"]*{IMAGE_BOX_CLASS})" role="img" aria-label="([^"]*)" '
        rf'style="([^"]*)">([^<]*)</span>',
        off,
    )
    assert len(boxes) == len(images)
    for tag, (classes, label, style, text) in zip(images, boxes, strict=True):
        alt = re.search(r'\balt="([^"]*)"', tag)
        assert alt is not None
        assert html.unescape(text) == html.unescape(label) == html.unescape(alt.group(1))
        width = re.search(r'\bwidth="(\d+)"', tag)
        assert width is not None
        assert f"max-width:{width.group(1)}px" in style or f"width:{width.group(1)}px" in style
        # The email's phone rules reach the box through the image's classes.
        assert classes.split()[:-1] == re.search(r'class="([^"]*)"', tag).group(1).split()  # type: ignore[union-attr]


def test_an_image_without_alt_text_is_an_empty_box_of_its_size() -> None:
    doc = newsletter(
        ImageBlock(id="no-alt", src=IMG, alt="", width=300),
        ImageBlock(id="alt", src=IMG, alt="Le fournil <le matin>", width=200),
    )
    images = {IMG: png(1200, 600)}
    rendered = Renderer(images).render(doc)
    off = images_off(rendered.html_for(None, image_url=lambda r: data_url(r, images)))
    boxes = re.findall(r'<span class="[^"]*bulletin-image-off"[^>]*style="([^"]*)">([^<]*)<', off)
    assert [text for _style, text in boxes] == ["", "Le fournil &lt;le matin&gt;"]
    assert "max-width:300px" in boxes[0][0] and "aspect-ratio:300 / 150" in boxes[0][0]
    assert "max-width:200px" in boxes[1][0] and "aspect-ratio:200 / 100" in boxes[1][0]


def test_images_off_handles_raw_html_images_and_background_images() -> None:
    page = (
        "<html><head><style>.hero { background-image: url(https://cdn.example/a.jpg); }"
        "</style></head><body>"
        '<td background="https://cdn.example/b.jpg" style="background:#fff url(\'c.jpg\');'
        ' background-image:url(d.jpg); color:#000">'
        "<img src='https://cdn.example/logo.png' alt='Logo'/>"
        '<img src="x.png" width="40" height="20" style="width:40px;height:20px">'
        "</td></body></html>"
    )
    off = images_off(page)
    assert "url(" not in off and 'background=""' in off
    assert "<img" not in off
    assert ">Logo</span>" in off
    assert "min-width:16px; min-height:16px" in off  # no size given: a small box still shows
    sized = re.search(r'style="(width:40px;[^"]*)"', off)
    assert sized is not None and "height:20px" in sized.group(1)
