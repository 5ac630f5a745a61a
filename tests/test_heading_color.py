"""A heading's own colour: checked, kept canonical, drawn in the HTML only when set."""

from __future__ import annotations

import pytest

from editor.commands import SetBlockField
from editor.document import DocumentError, HeadingBlock, Newsletter, from_json, to_json
from editor.render.engine import Renderer


def _doc(color: str = "") -> Newsletter:
    return Newsletter(blocks=[HeadingBlock(id="h", text="Nos nouveautés", level=2, color=color)])


def test_the_colour_is_set_lowercase_and_undone_exactly() -> None:
    doc = _doc()
    before = to_json(doc)
    inverse = SetBlockField("h", "color", "#9A3412").apply(doc)
    assert doc.blocks[0].color == "#9a3412"  # type: ignore[attr-defined]
    inverse.apply(doc)
    assert to_json(doc) == before


@pytest.mark.parametrize("value", ["red", "#12345", "#9a3412;}", "javascript:x"])
def test_a_colour_that_is_not_rrggbb_is_refused(value: str) -> None:
    doc = _doc()
    with pytest.raises(DocumentError, match="not a valid #RRGGBB"):
        SetBlockField("h", "color", value).apply(doc)
    assert doc.blocks[0].color == ""  # type: ignore[attr-defined]


def test_an_older_file_without_the_field_loads_with_the_theme_colour() -> None:
    data = to_json(_doc())
    del data["blocks"][0]["color"]
    assert from_json(data).blocks[0].color == ""  # type: ignore[attr-defined]


def test_the_html_carries_the_colour_and_the_text_part_does_not_change() -> None:
    plain = Renderer({}).render(_doc())
    coloured = Renderer({}).render(_doc("#9a3412"))
    assert "color:#9a3412" in coloured.html
    assert "#9a3412" not in plain.html
    assert coloured.text == plain.text
