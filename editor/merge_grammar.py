"""The merge-tag grammar: a field name and a few formatting filters, nothing else.

A merge tag is written by a newsletter's author and evaluated once per recipient, and a
``.bulletin`` file can come from anyone. Policing a general template language (Jinja's sandbox
with caps on ``*`` and ``**``) left ways to loop, allocate or smuggle statements, so a tag is
parsed with Jinja's parser and accepted only when it has this exact shape::

    {{ field }}
    {{ field | filter }}
    {{ field | filter("literal", 3) | filter }}

Anything else — operators, calls, attribute or item access, literals on their own, tests,
conditionals, statements, comprehensions — is refused with a message naming the tag. The
filters are our own small functions (never Jinja's runtime), each argument is a literal, and
every intermediate and final value is capped at :data:`MAX_VALUE` characters, so no tag can
take more than linear time and bounded memory.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes

from editor.i18n import _

MAX_SOURCE = 500  # characters between the braces
MAX_VALUE = 2_000  # characters a field or a tag's value may have
MAX_FILTERS = 8

Literal = str | int | float | bool | None


class TagGrammarError(ValueError):
    """A merge tag outside the grammar, with a message naming the tag.

    ``detail`` is set when the tag is not even well-formed (Jinja's syntax error message).
    """

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail


@dataclass(frozen=True)
class FilterCall:
    name: str
    args: tuple[Literal, ...] = ()


@dataclass(frozen=True)
class Tag:
    """One parsed tag: the field it reads and the filters applied in order."""

    source: str
    field: str
    filters: tuple[FilterCall, ...] = ()

    @property
    def has_default(self) -> bool:
        return any(f.name in ("default", "d") for f in self.filters)


# ------------------------------------------------------------------------------- the filters


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _default(value: Any, default: Literal = "", boolean: Literal = True) -> Any:
    """Like Jinja's ``default``, but an empty field also takes it (« Bonjour ami »)."""
    if value is _MISSING or (boolean and not value):
        return _text(default)
    return value


def _truncate(
    value: Any,
    length: Literal = 255,
    killwords: Literal = False,
    end: Literal = "...",
    leeway: Literal = 0,
) -> str:
    text, size, tail = _text(value), _int_arg(length, 1, MAX_VALUE), _text(end)
    if len(text) <= size + (_int_arg(leeway, 0, MAX_VALUE) if leeway else 0):
        return text
    cut = text[: max(0, size - len(tail))]
    if not killwords and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut + tail


def _replace(value: Any, old: Literal, new: Literal, count: Literal = None) -> str:
    text, old_s, new_s = _text(value), _text(old), _text(new)
    limit = -1 if count is None else _int_arg(count, 0, MAX_VALUE)
    if old_s:
        hits = text.count(old_s) if limit < 0 else min(limit, text.count(old_s))
        if len(text) + hits * (len(new_s) - len(old_s)) > MAX_VALUE:
            raise _TooLong
    elif len(text) * (len(new_s) + 1) > MAX_VALUE:
        raise _TooLong
    return text.replace(old_s, new_s, limit)


def _number(value: Any, kind: type[int] | type[float]) -> int | float:
    try:
        text = _text(value).strip().replace(",", ".")
        return kind(float(text)) if kind is int else float(text)
    except (ValueError, OverflowError):
        return kind(0)


def _round(value: Any, precision: Literal = 0) -> float:
    return round(_number(value, float), _int_arg(precision, 0, 10))


FILTERS: dict[str, Callable[..., Any]] = {
    "default": _default,
    "d": _default,
    "upper": lambda v: _text(v).upper(),
    "lower": lambda v: _text(v).lower(),
    "title": lambda v: _text(v).title(),
    "capitalize": lambda v: _text(v).capitalize(),
    "trim": lambda v, chars=None: _text(v).strip(None if chars is None else _text(chars)),
    "truncate": _truncate,
    "replace": _replace,
    "first": lambda v: _text(v)[:1],
    "last": lambda v: _text(v)[-1:],
    "length": lambda v: len(_text(v)),
    "wordcount": lambda v: len(_text(v).split()),
    "int": lambda v: _number(v, int),
    "float": lambda v: _number(v, float),
    "round": _round,
    "abs": lambda v: abs(_number(v, float)),
    "string": _text,
}


class _TooLong(Exception):
    pass


class _Missing:
    def __repr__(self) -> str:
        return "missing"


_MISSING: Any = _Missing()


def _int_arg(value: Literal, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(value)
    return max(low, min(high, int(value)))


# ------------------------------------------------------------------------------- the parser

_ENV = jinja2.Environment(autoescape=True)  # parsing only: nothing is ever rendered with it


def _refuse(source: str, why: str, detail: str = "") -> TagGrammarError:
    """The error for ``source``; ``why`` is already in the UI language."""
    shown = source if len(source) <= 80 else source[:77] + "..."
    return TagGrammarError(
        _(
            "The merge tag {{{{ {shown} }}}} is not allowed: {why} A merge "
            "tag is a field followed by filters, for example "
            '{{{{ first_name | default("friend") | title }}}}.'
        ).format(shown=shown, why=why),
        detail,
    )


def parse(source: str) -> Tag:
    """Parse the text between ``{{`` and ``}}``; raise :class:`TagGrammarError` off-grammar."""
    source = " ".join(source.split())
    if len(source) > MAX_SOURCE:
        raise _refuse(source, _("it is too long."))
    try:
        tree = _ENV.parse("{{ " + source + " }}")
    except jinja2.TemplateSyntaxError as exc:
        detail = str(exc.message)
        raise _refuse(
            source, _("it is malformed ({detail}).").format(detail=detail), detail
        ) from exc
    body = tree.body
    if len(body) != 1 or not isinstance(body[0], nodes.Output) or len(body[0].nodes) != 1:
        raise _refuse(source, _("it holds more than a value."))
    filters: list[FilterCall] = []
    node: nodes.Node = body[0].nodes[0]
    while isinstance(node, nodes.Filter):
        filters.append(_filter(node, source))
        if node.node is None:
            raise _refuse(source, _("a filter without a field."))
        node = node.node
    if not isinstance(node, nodes.Name) or node.ctx != "load":
        raise _refuse(
            source,
            _("it computes instead of reading a field."),
        )
    if len(filters) > MAX_FILTERS:
        raise _refuse(source, _("too many filters."))
    return Tag(source=source, field=node.name, filters=tuple(reversed(filters)))


def _filter(node: nodes.Filter, source: str) -> FilterCall:
    if node.name not in FILTERS:
        raise _refuse(
            source,
            _('Bulletin has no "{name}" filter.').format(name=node.name),
        )
    if node.kwargs or node.dyn_args is not None or node.dyn_kwargs is not None:
        raise _refuse(
            source,
            _("filter arguments are plain values in parentheses."),
        )
    args: list[Literal] = []
    for arg in node.args:
        if not isinstance(arg, nodes.Const) or not isinstance(
            arg.value, str | int | float | bool | type(None)
        ):
            raise _refuse(
                source,
                _("filter arguments are texts or numbers written as they are."),
            )
        if isinstance(arg.value, str) and len(arg.value) > MAX_VALUE:
            raise _refuse(source, _("an argument is too long."))
        args.append(arg.value)
    return FilterCall(node.name, tuple(args))


# ---------------------------------------------------------------------------- evaluation


class UnknownField(KeyError):
    """The tag reads a field the values do not have, and has no default."""


def evaluate(tag: Tag, values: Mapping[str, Any]) -> str:
    """The tag's value for one recipient, at most :data:`MAX_VALUE` characters."""
    if tag.field in values:
        value: Any = values[tag.field]
        if isinstance(value, str) and len(value) > MAX_VALUE:
            value = value[:MAX_VALUE]
    elif tag.filters and tag.filters[0].name in ("default", "d"):
        value = _MISSING
    else:
        raise UnknownField(tag.field)
    for call in tag.filters:
        try:
            value = FILTERS[call.name](value, *call.args)
        except _TooLong:
            value = _text(value)[:MAX_VALUE]
            continue
        except TypeError as exc:
            raise _refuse(
                tag.source,
                _('the "{name}" filter does not take these arguments.').format(name=call.name),
            ) from exc
        if value is _MISSING:
            value = ""
        if isinstance(value, str) and len(value) > MAX_VALUE:
            value = value[:MAX_VALUE]
    text = "" if value is _MISSING else _text(value)
    return text[:MAX_VALUE]
