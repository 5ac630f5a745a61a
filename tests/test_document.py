"""The model: validation only reports, normalisation happens on load and on set."""

from __future__ import annotations

import copy

import pytest

from editor.document import (
    ButtonBlock,
    ButtonStyle,
    Column,
    ColumnsBlock,
    DividerBlock,
    DocumentError,
    FooterBlock,
    HeadingBlock,
    Newsletter,
    Sender,
    SocialBlock,
    SocialLink,
    Theme,
    block_from_json,
    from_json,
    normalised,
    to_json,
)


def _upper_case_document() -> Newsletter:
    theme = Theme(text_color="#ABCDEF", button=ButtonStyle(background="#ABCDEF"))
    return Newsletter(
        theme=theme,
        blocks=[
            ButtonBlock(id="b1", label="Go", url="https://example.org", background="#ABCDEF"),
            DividerBlock(id="d1", color="#ABCDEF"),
            ColumnsBlock(
                id="c1", columns=[Column([DividerBlock(id="d2", color="#ABCDEF")]), Column()]
            ),
            FooterBlock(id="f1"),
        ],
    )


def test_validate_leaves_the_document_unchanged() -> None:
    newsletter = _upper_case_document()
    before = copy.deepcopy(newsletter)
    newsletter.validate()
    assert newsletter == before
    assert newsletter.theme.text_color == "#ABCDEF"


def test_validate_still_reports_a_bad_colour() -> None:
    newsletter = Newsletter(blocks=[DividerBlock(id="d1", color="red")])
    with pytest.raises(DocumentError):
        newsletter.validate()
    assert newsletter.blocks[0].color == "red"  # type: ignore[attr-defined]


def test_loading_normalises_colours() -> None:
    data = to_json(_upper_case_document())
    loaded = from_json(data)
    assert loaded.theme.text_color == "#abcdef"
    assert loaded.theme.button.background == "#abcdef"
    assert loaded.blocks[0].background == "#abcdef"  # type: ignore[attr-defined]
    inner = loaded.blocks[2].columns[0].blocks[0]  # type: ignore[attr-defined]
    assert inner.color == "#abcdef"
    assert block_from_json({"type": "divider", "color": "#FFF"}).color == "#fff"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("obj", "name", "value", "expected"),
    [
        (ButtonBlock(), "background", "#ABCDEF", "#abcdef"),
        (ButtonBlock(), "background", "", ""),
        (ButtonBlock(), "radius", None, None),
        (Theme(), "link_color", "#ABC", "#abc"),
        (ButtonStyle(), "color", "#FFFFFF", "#ffffff"),
        (HeadingBlock(), "level", 2, 2),
        (HeadingBlock(), "text", "Bonjour", "Bonjour"),
        (Sender(), "email", "a@example.org", "a@example.org"),
        (Newsletter(), "language", "en", "en"),
        (
            SocialBlock(),
            "links",
            [SocialLink("x", "https://x.com/a")],
            [SocialLink("x", "https://x.com/a")],
        ),
        (Theme(), "button", ButtonStyle(background="#ABCDEF"), ButtonStyle(background="#abcdef")),
        (
            Newsletter(),
            "theme",
            Theme(link_color="#ABC", button=ButtonStyle(color="#DDD")),
            Theme(link_color="#abc", button=ButtonStyle(color="#ddd")),
        ),
        (Newsletter(), "sender", Sender("A", "a@example.org"), Sender("A", "a@example.org")),
    ],
)
def test_normalised_returns_the_canonical_value(
    obj: object, name: str, value: object, expected: object
) -> None:
    before = copy.deepcopy(obj)
    assert normalised(obj, name, value) == expected
    assert obj == before  # never changes the object it is asked about


@pytest.mark.parametrize(
    ("obj", "name", "value"),
    [
        (HeadingBlock(), "level", 4),
        (HeadingBlock(), "level", "2"),
        (HeadingBlock(), "align", "middle"),
        (HeadingBlock(), "id", "a b"),
        (HeadingBlock(), "missing", 1),
        (Theme(), "content_width", True),
        (Theme(), "content_width", 100),
        (Theme(), "body_font", "x;}</style>"),
        (ButtonBlock(), "background", "blue"),
        (DividerBlock(), "color", ""),
        (Newsletter(), "language", "de"),
        (SocialBlock(), "links", [SocialLink("myspace")]),
        (SocialBlock(), "links", ["x"]),
        (ColumnsBlock(), "columns", [Column([FooterBlock()]), Column()]),
        (ColumnsBlock(), "ratio", "10-90"),
        (ButtonStyle(), "radius", None),
        (Theme(), "button", ButtonStyle(radius=99)),
        (Theme(), "button", Sender()),
        (Newsletter(), "theme", Theme(text_color="red")),
        (Theme(), "text_color", None),
    ],
)
def test_normalised_refuses_unusable_values(obj: object, name: str, value: object) -> None:
    with pytest.raises(DocumentError):
        normalised(obj, name, value)


def test_normalised_needs_an_instance() -> None:
    with pytest.raises(TypeError):
        normalised(Theme, "font_size", 16)


def test_a_null_theme_button_radius_is_refused_on_load() -> None:
    data = to_json(Newsletter())
    data["theme"]["button"]["radius"] = None
    with pytest.raises(DocumentError, match="radius"):
        from_json(data)
    data = to_json(Newsletter(blocks=[ButtonBlock(id="b1", radius=None)]))
    assert from_json(data).blocks[0].radius is None  # type: ignore[attr-defined]
