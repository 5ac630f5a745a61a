"""The merge-tag grammar: a field and literal-argument filters, every other shape refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor.merge_grammar import (
    MAX_VALUE,
    FilterCall,
    TagGrammarError,
    UnknownField,
    evaluate,
    parse,
)


def test_field_with_filters_is_parsed_in_order() -> None:
    tag = parse(' first_name | default("ami") |  title ')
    assert tag.field == "first_name"
    assert tag.filters == (FilterCall("default", ("ami",)), FilterCall("title"))
    assert evaluate(tag, {}) == "Ami"
    assert evaluate(tag, {"first_name": "léa"}) == "Léa"
    assert evaluate(tag, {"first_name": ""}) == "Ami"


def test_missing_field_without_default_is_reported() -> None:
    with pytest.raises(UnknownField):
        evaluate(parse("company"), {"first_name": "x"})


@pytest.mark.parametrize(
    "source",
    [
        "1",
        "'x'",
        "first_name + last_name",
        "first_name * 100",
        "2 ** 2 ** 2 ** 2",
        "'%0300000000d' % 1",
        "'{:>300000000}'.format(1)",
        "first_name.upper()",
        "first_name[0]",
        "first_name.__class__",
        "''.__class__.__mro__[1].__subclasses__()",
        "cycler.__init__.__globals__.os",
        "range(10)",
        "[1, 2] * 3",
        "[x for x in first_name]",
        "first_name if email else last_name",
        "first_name is defined",
        "first_name | attr('__class__')",
        "first_name | map('upper')",
        "first_name | join(',')",
        "first_name | default(last_name)",
        "first_name | replace('a', 'b' * 9)",
        "first_name | default(x='y')",
        "first_name | truncate(*args)",
        "1 }}{% for a in range(9) %}x{% endfor %}{{ 2",
        "a }}{{ b",
        "first_name | unknown_filter",
        "",
        "x" * 600,
    ],
)
def test_anything_but_field_and_filters_is_refused(source: str) -> None:
    with pytest.raises(TagGrammarError) as info:
        parse(source)
    message = str(info.value)
    assert "{{" in message  # names the tag


def test_growth_is_capped() -> None:
    chain = "first_name" + ' | replace("a", "aaaaaaaaaa")' * 8
    assert len(evaluate(parse(chain), {"first_name": "a" * 50})) <= MAX_VALUE
    assert len(evaluate(parse("first_name | upper"), {"first_name": "é" * 10**6})) <= MAX_VALUE
    assert evaluate(parse('first_name | replace("", "--")'), {"first_name": "ab"}) == "--a--b--"


def test_filters_with_bad_arguments_get_a_message() -> None:
    with pytest.raises(TagGrammarError):
        evaluate(parse('first_name | truncate("x")'), {"first_name": "abc"})


def test_number_filters_never_raise_on_text() -> None:
    assert evaluate(parse("age | int"), {"age": "douze"}) == "0"
    assert evaluate(parse("age | int"), {"age": "12,7"}) == "12"
    assert evaluate(parse("age | float | round(1)"), {"age": "inf"}) in ("inf", "0.0")
    assert evaluate(parse("age | int"), {"age": "1e400"}) == "0"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_source_is_parsed_or_refused_cleanly(source: str) -> None:
    try:
        tag = parse(source)
    except TagGrammarError:
        return
    value = evaluate(tag, {tag.field: "Zoé " * 10})
    assert len(value) <= MAX_VALUE


_names = st.sampled_from(["upper", "lower", "title", "trim", "capitalize", "first", "length"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_names, max_size=8), st.text(max_size=3000))
def test_accepted_tags_stay_bounded(filters: list[str], value: str) -> None:
    tag = parse(" | ".join(["nom", *filters]))
    assert len(evaluate(tag, {"nom": value})) <= MAX_VALUE
