"""WCAG contrast ratios against known values, and the AA rating the inspector shows."""

from __future__ import annotations

import pytest

from editor.contrast import (
    AA_LARGE,
    AA_NORMAL,
    Legibility,
    contrast_ratio,
    legibility,
    luminance,
    rgb,
)


def test_black_on_white_is_21_to_1_in_either_order() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000") == pytest.approx(21.0)


def test_same_colour_is_1_to_1() -> None:
    assert contrast_ratio("#2563eb", "#2563EB") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("fg", "bg", "expected"),
    [
        ("#777777", "#ffffff", 4.48),  # the classic "just fails AA" grey
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
        ("#ff0000", "#ffffff", 4.00),
        ("#0000ff", "#ffffff", 8.59),
        ("#1f2937", "#ffffff", 14.68),  # the default theme's text on its content
    ],
)
def test_known_ratios(fg: str, bg: str, expected: float) -> None:
    assert contrast_ratio(fg, bg) == pytest.approx(expected, abs=0.01)


def test_luminance_ends_and_short_form() -> None:
    assert luminance("#000") == 0.0
    assert luminance("#fff") == pytest.approx(1.0)
    assert rgb("#abc") == (0xAA, 0xBB, 0xCC)
    assert rgb("#A0B1C2") == (0xA0, 0xB1, 0xC2)


@pytest.mark.parametrize("bad", ["", "red", "#12", "#1234", "#ggg", "#1234567", "rgb(0,0,0)"])
def test_not_a_colour_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        rgb(bad)


def test_legibility_thresholds_are_wcag_aa() -> None:
    assert (AA_NORMAL, AA_LARGE) == (4.5, 3.0)
    assert legibility(4.5) is Legibility.GOOD
    assert legibility(4.49) is Legibility.LARGE_ONLY
    assert legibility(3.0) is Legibility.LARGE_ONLY
    assert legibility(2.99) is Legibility.POOR
    assert legibility(3.0, large=True) is Legibility.GOOD
    assert legibility(2.99, large=True) is Legibility.POOR
