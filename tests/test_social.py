"""The shipped social icons and their names."""

from __future__ import annotations

import pytest
from PIL import Image

from editor.document import SOCIAL_NETWORKS, SOCIAL_STYLES
from editor.i18n import set_language
from editor.social import ICON_SIZE, NETWORK_LABELS, icon_path, label


@pytest.mark.parametrize("style", SOCIAL_STYLES)
@pytest.mark.parametrize("network", SOCIAL_NETWORKS)
def test_every_icon_is_a_square_png_with_transparency(network: str, style: str) -> None:
    path = icon_path(network, style)
    assert path.is_file(), path
    assert path.stat().st_size < 4096  # emails embed them: keep them light
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (ICON_SIZE, ICON_SIZE) == (96, 96)
        assert image.mode == "RGBA"
        rgba = image.convert("RGBA")
    corner = rgba.getpixel((0, 0))
    centre_ring = rgba.getpixel((ICON_SIZE // 2, 4))  # inside the circle, above the glyph
    assert isinstance(corner, tuple) and isinstance(centre_ring, tuple)
    assert corner[3] == 0  # round icon: transparent corners
    assert centre_ring[3] == 255
    alphas = sum(1 for count in rgba.getchannel("A").histogram() if count)
    assert alphas > 2  # antialiased edge, not a jagged cut-out
    counted = rgba.getcolors(ICON_SIZE * ICON_SIZE) or []
    colours = {p[:3] for _, p in counted if isinstance(p, tuple) and p[3] == 255}
    assert len(colours) > 2  # a glyph is drawn on the circle


def test_brand_colours_and_styles() -> None:
    def ring(network: str, style: str) -> tuple[int, ...]:
        with Image.open(icon_path(network, style)) as image:
            pixel = image.convert("RGBA").getpixel((ICON_SIZE // 2, 3))
        assert isinstance(pixel, tuple)
        return pixel[:3]

    assert ring("facebook", "color") == (0x18, 0x77, 0xF2)
    assert ring("whatsapp", "color") == (0x25, 0xD3, 0x66)
    assert ring("youtube", "color") == (0xFF, 0x00, 0x00)
    assert ring("facebook", "dark") == ring("email", "dark") == (0x1F, 0x29, 0x37)
    assert ring("facebook", "light") == ring("email", "light") == (0xE5, 0xE7, 0xEB)


def test_icon_path_is_under_resources() -> None:
    path = icon_path("website", "dark")
    assert path.parts[-3:] == ("social", "dark", "website.png")


@pytest.mark.parametrize(
    ("network", "style"),
    [
        ("myspace", "color"),
        ("facebook", "neon"),
        ("../../etc/passwd", "color"),
        ("facebook", "../color"),
        ("", ""),
        ("Facebook", "color"),
    ],
)
def test_icon_path_refuses_unknown_values(network: str, style: str) -> None:
    with pytest.raises(ValueError, match="Unknown"):
        icon_path(network, style)


def test_labels_cover_every_network_in_both_languages() -> None:
    assert set(NETWORK_LABELS) == set(SOCIAL_NETWORKS)
    assert NETWORK_LABELS["website"] == ("Site web", "Website")
    assert NETWORK_LABELS["email"] == ("E-mail", "Email")
    for french, english in NETWORK_LABELS.values():
        assert french.strip() and english.strip()


def test_label_follows_the_language() -> None:
    try:
        set_language("fr")
        assert label("website") == "Site web"
        set_language("en")
        assert label("website") == "Website"
        assert label("unknown") == "unknown"
    finally:
        set_language(None)
