"""The merge fields the composer offers and the tags it writes for them."""

from __future__ import annotations

import pytest

from editor import merge_grammar
from editor.i18n import set_language
from editor.merge_fields import (
    default_problem,
    is_field_name,
    merge_fields,
    merge_tag,
    store_fields,
)
from editor.richtext import clean


class Store:
    def __init__(self, names: list[str]) -> None:
        self.names = names

    def known_fields(self) -> list[str]:
        return self.names


def test_builtin_fields_come_first_in_the_ui_language() -> None:
    try:
        set_language("fr")
        assert merge_fields() == [
            ("first_name", "Prénom"),
            ("last_name", "Nom"),
            ("email", "E-mail"),
        ]
        set_language("en")
        assert [label for _name, label in merge_fields()] == ["First name", "Last name", "Email"]
    finally:
        set_language(None)


def test_custom_fields_that_a_tag_can_read_follow_the_builtin_ones() -> None:
    names = ["Société", "ville", "Code postal", "email", "ville-natale", "true", "{{ x }}", "ville"]
    offered = store_fields(Store(names))
    assert [name for name, _label in offered] == [
        "first_name",
        "last_name",
        "email",
        "Société",
        "ville",
    ]
    assert offered[-1] == ("ville", "ville")


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("first_name", True),
        ("Société", True),
        ("_x", True),
        ("Code postal", False),
        ("a.b", False),
        ("a|upper", False),
        ("none", False),
        ("", False),
        (" x", False),
    ],
)
def test_is_field_name(name: str, ok: bool) -> None:
    assert is_field_name(name) is ok


@pytest.mark.parametrize(
    ("default", "tag", "value"),
    [
        ("", "{{ first_name }}", None),
        ("   ", "{{ first_name }}", None),
        ("cher client", '{{ first_name | default("cher client") }}', "cher client"),
        ("l'ami", '{{ first_name | default("l\'ami") }}', "l'ami"),
        ('le "chef"', "{{ first_name | default('le \"chef\"') }}", 'le "chef"'),
        ('l\'"as"', '{{ first_name | default("l\'\\"as\\"") }}', 'l\'"as"'),
        ("a\\b", '{{ first_name | default("a\\\\b") }}', "a\\b"),
    ],
)
def test_merge_tag_is_the_documented_syntax_and_reads_back(
    default: str, tag: str, value: str | None
) -> None:
    written = merge_tag("first_name", default)
    assert written == tag
    parsed = merge_grammar.parse(written[2:-2])
    assert parsed.field == "first_name"
    if value is None:
        assert parsed.filters == ()
    else:
        assert parsed.filters == (merge_grammar.FilterCall("default", (value,)),)
        assert merge_grammar.evaluate(parsed, {"first_name": ""}) == value
    assert clean(f"<p>{written}</p>") == f"<p>{written}</p>"  # stored as written


@pytest.mark.parametrize("default", ["}}", "a {{ b", "<b>", "deux\nlignes", "x" * 201])
def test_merge_tag_refuses_defaults_that_would_break_it(default: str) -> None:
    assert default_problem(default)
    with pytest.raises(ValueError, match=default_problem(default) or "?"):
        merge_tag("first_name", default)


def test_merge_tag_refuses_an_unreadable_field() -> None:
    with pytest.raises(ValueError, match="Code postal"):
        merge_tag("Code postal")
