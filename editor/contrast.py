"""How readable a colour is on another: the WCAG 2 contrast ratio, in pure Python.

The inspector shows it next to the theme's colours so a non-designer sees at once when light
grey text on white will be hard to read. Thresholds are WCAG 2.1 level AA: 4.5:1 for body
text, 3:1 for large text (headings: 24 px, or 18.66 px bold).
"""

from __future__ import annotations

import re
from enum import StrEnum

AA_NORMAL = 4.5
AA_LARGE = 3.0

_HEX = re.compile(r"^#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


class Legibility(StrEnum):
    """What a ratio means for the text drawn with it."""

    GOOD = "good"  # meets AA for this text size
    LARGE_ONLY = "large_only"  # body text too faint, but fine for large text
    POOR = "poor"  # below AA even for large text


def rgb(color: str) -> tuple[int, int, int]:
    """The red, green and blue channels (0-255) of ``#rgb`` or ``#rrggbb``; ValueError else."""
    if not isinstance(color, str) or not _HEX.match(color):
        raise ValueError(f"not a #rgb or #rrggbb colour: {color!r}")
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _linear(channel: int) -> float:
    """An sRGB channel as linear light (WCAG's formula)."""
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(color: str) -> float:
    """WCAG relative luminance: 0 for black, 1 for white."""
    r, g, b = (_linear(c) for c in rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """The contrast ratio of two colours, from 1 (same) to 21 (black on white); order-free."""
    a, b = luminance(foreground), luminance(background)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def legibility(ratio: float, large: bool = False) -> Legibility:
    """Rate ``ratio`` against WCAG AA for body text, or for large text when ``large``."""
    if ratio >= (AA_LARGE if large else AA_NORMAL):
        return Legibility.GOOD
    if not large and ratio >= AA_LARGE:
        return Legibility.LARGE_ONLY
    return Legibility.POOR
