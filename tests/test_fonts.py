"""The theme's font menu: every stack is one the core accepts, and documents' stacks are found."""

from __future__ import annotations

import json

import pytest

from editor.blocks.base import check_font
from editor.document import Theme
from editor.fonts import FONT_STACKS, first_family, known_stack
from editor.starters import list_starters


@pytest.mark.parametrize("entry", FONT_STACKS, ids=lambda e: e.name)
def test_every_stack_passes_the_core_check(entry) -> None:  # type: ignore[no-untyped-def]
    assert check_font(entry.stack, "test") == entry.stack
    assert entry.generic in ("serif", "sans-serif", "monospace")


def test_names_are_unique() -> None:
    assert len({e.name for e in FONT_STACKS}) == len(FONT_STACKS)
    assert len({e.family.casefold() for e in FONT_STACKS}) == len(FONT_STACKS)


def test_first_family_strips_quotes() -> None:
    assert first_family("'Trebuchet MS', Verdana, sans-serif") == "Trebuchet MS"
    assert first_family('"Courier New", monospace') == "Courier New"


def test_default_theme_and_every_starter_font_is_in_the_menu() -> None:
    stacks = {Theme().body_font, Theme().heading_font}
    for starter in list_starters():
        theme = json.loads(starter.path.read_text(encoding="utf-8"))["theme"]
        stacks |= {theme["body_font"], theme["heading_font"]}
    for stack in stacks:
        assert known_stack(stack) is not None, stack


def test_unknown_family_is_not_matched() -> None:
    assert known_stack("Comic Sans MS, cursive") is None
    assert known_stack("arial, sans-serif") is FONT_STACKS[0]  # families are case-insensitive


def test_label_names_the_generic_family_in_the_ui_language() -> None:
    georgia = known_stack("Georgia, serif")
    assert georgia is not None
    assert georgia.label() == "Georgia (serif)"  # tests run in English
