"""Merge tags (``{{ first_name | default("ami") }}``): marking, checking and filling them in.

The renderer never lets Jinja see the user's text as a template. Each ``{{ … }}`` found in a
text or URL is replaced by an inert alphanumeric marker *before* HTML escaping and CSS inlining
(premailer would otherwise URL-encode the braces inside ``href``), and the expression itself is
compiled once in a sandboxed Jinja environment. Personalising a message is then a single regex
pass that swaps each marker for its value, escaped for the place it stands in:

- ``T`` text: HTML-escaped in the HTML part, verbatim in the text part;
- ``Q`` part of a URL (``https://shop.fr/?m={{ email }}``): percent-encoded;
- ``W`` a URL or the start of one (``{{ website }}``, ``{{ site }}/promo``): kept only if it is
  an http(s)/mailto/tel URL;
- ``C`` inside a ``style`` attribute: kept only if it is a plain CSS value (``#ff0000``,
  ``12px``, ``Arial``), so a contact's field cannot add declarations or load a resource.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2 import meta
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from editor.findings import (
    MERGE_FAILED,
    MERGE_MALFORMED,
    MERGE_NOT_ALLOWED,
    MERGE_UNKNOWN_FIELD,
    Finding,
)
from editor.i18n import t
from editor.richtext import MERGE_TAG
from editor.urls import is_safe_link

MARKER = re.compile(r"BMT([TQWC])([0-9a-f]{12})Z")
URL_MARKER = "BMTW"  # how a URL that starts with a merge tag begins once marked

BUILTIN_FIELDS: tuple[str, ...] = ("first_name", "last_name", "email", "unsubscribe_url")
SAMPLE_CONTACT: dict[str, str] = {
    "first_name": "Marie",
    "last_name": "Dupont",
    "email": "marie.dupont@example.com",
}
_CSS_VALUE = re.compile(r"[\w #.,%+-]*")  # no ; : ( ) quotes, backslashes or braces


class MergeTagError(ValueError):
    """A merge tag that cannot be used, with a message meant for the user.

    ``code`` and ``params`` say the same as data (a :mod:`editor.findings` code), so the
    renderer can report it as a finding worded in the UI language when shown.
    """

    def __init__(self, message: str, code: str = MERGE_FAILED, **params: str | int) -> None:
        super().__init__(message)
        self.code = code
        self.params = params

    def finding(self, block_id: str | None = None) -> Finding:
        """The same problem as data, for the findings panel."""
        return Finding.of(self.code, block_id, **self.params)


def _default(value: Any, default_value: Any = "", boolean: bool = True) -> Any:
    """Like Jinja's ``default``, but an empty field also takes the default (« Bonjour ami »)."""
    if isinstance(value, jinja2.Undefined) or (boolean and not value):
        return default_value
    return value


# What a merge tag may use: formatting a field, nothing that loops, builds or allocates.
_FILTERS = (
    "abs",
    "capitalize",
    "first",
    "float",
    "int",
    "last",
    "length",
    "lower",
    "replace",
    "round",
    "string",
    "title",
    "trim",
    "truncate",
    "upper",
    "wordcount",
)
_MAX_REPEAT = 10_000  # characters or items a ``*`` may produce


class _MergeEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, minus the ways to exhaust memory or time (``'a' * 10**9``, ``range``)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and (abs(right) > 64 if isinstance(right, int | float) else True):
            raise SecurityError("exponent too large")
        if operator == "*":
            sized = next((v for v in (left, right) if isinstance(v, str | list | tuple)), None)
            count = right if sized is left else left
            if sized is not None and isinstance(count, int) and len(sized) * count > _MAX_REPEAT:
                raise SecurityError("repetition too large")
        return super().call_binop(context, operator, left, right)


def _environment() -> ImmutableSandboxedEnvironment:
    env = _MergeEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.filters = {name: env.filters[name] for name in _FILTERS}
    env.filters["default"] = _default
    env.filters["d"] = _default
    env.globals.clear()  # no range(), dict(), lipsum(), cycler()…
    return env


@dataclass
class Expression:
    """One distinct ``{{ … }}`` expression, compiled once."""

    source: str
    template: jinja2.Template
    names: frozenset[str]


@dataclass
class MergeTags:
    """The registry of expressions met while rendering one document (markers → expressions)."""

    env: ImmutableSandboxedEnvironment = field(default_factory=_environment)
    expressions: dict[str, Expression] = field(default_factory=dict)

    def compile(self, source: str) -> str:
        """Register ``source`` (the text between the braces) and return its key."""
        source = " ".join(html.unescape(source).split())
        key = hashlib.sha256(source.encode()).hexdigest()[:12]
        if key not in self.expressions:
            text = "{{ " + source + " }}"
            try:
                parsed = self.env.parse(text)
                template = self.env.from_string(text)
            except jinja2.TemplateSyntaxError as exc:
                raise MergeTagError(
                    t(
                        f"La balise {text} est mal écrite ({exc.message}).",
                        f"The merge tag {text} is malformed ({exc.message}).",
                    ),
                    MERGE_MALFORMED,
                    tag=text,
                    detail=str(exc.message),
                ) from exc
            names = frozenset(meta.find_undeclared_variables(parsed))
            self.expressions[key] = Expression(source, template, names)
        return key

    def mark_text(self, text: str) -> str:
        """Replace each tag of a plain text by a text marker."""
        return MERGE_TAG.sub(lambda m: f"BMTT{self.compile(m.group(1))}Z", text)

    def mark_url(self, url: str) -> str:
        """Replace the tags of a URL: a tag that starts it holds a URL (``{{ site }}/promo``)
        and must be a safe one; tags further in are parts of it, percent-encoded."""
        url = url.strip()
        lead = MERGE_TAG.match(url)
        start = ""
        if lead:
            start, url = f"{URL_MARKER}{self.compile(lead.group(1))}Z", url[lead.end() :]
        return start + MERGE_TAG.sub(lambda m: f"BMTQ{self.compile(m.group(1))}Z", url)

    def mark_html(self, fragment: str) -> str:
        """Mark tags inside a (sanitised) HTML fragment: in ``href``/``src`` as URLs, in
        ``style`` as CSS values, else text."""

        def attr(m: re.Match[str]) -> str:
            # Unescaped to read the tags, escaped again: a sanitiser's ``&quot;`` must not
            # come back as a quote that closes the attribute (markers are alphanumeric).
            value = html.unescape(m.group(2))
            if m.group(1) == "style":
                marked = MERGE_TAG.sub(lambda t: f"BMTC{self.compile(t.group(1))}Z", value)
            else:
                marked = self.mark_url(value)
            return f'{m.group(1)}="{html.escape(marked, quote=True)}"'

        fragment = re.sub(r'\b(href|src|style)="([^"]*)"', attr, fragment)
        return self.mark_text(fragment)

    def names(self, markers: Iterable[str] | None = None) -> set[str]:
        """Every field name used by the given marker keys (all when None)."""
        keys = self.expressions.keys() if markers is None else markers
        return {n for k in keys if k in self.expressions for n in self.expressions[k].names}


def used_keys(rendered: str) -> list[str]:
    """The expression keys that appear in a rendered text, in first-seen order."""
    return list(dict.fromkeys(m.group(2) for m in MARKER.finditer(rendered)))


def unknown_fields(tags: MergeTags, rendered: str, available: Iterable[str]) -> list[str]:
    """Field names used in ``rendered`` that no contact field provides (reported before sending)."""
    known = set(available) | set(BUILTIN_FIELDS)
    return sorted(tags.names(used_keys(rendered)) - known)


def evaluate(tags: MergeTags, key: str, values: Mapping[str, Any]) -> str:
    """The value of one expression for one contact, with a clear error when it cannot be had."""
    expression = tags.expressions[key]
    tag = f"{{{{ {expression.source} }}}}"
    try:
        return expression.template.render(dict(values))
    except SecurityError as exc:
        raise MergeTagError(
            t(
                f"La balise {{{{ {expression.source} }}}} n'est pas autorisée "
                "(seuls les champs des contacts peuvent être utilisés).",
                f"The merge tag {{{{ {expression.source} }}}} is not allowed "
                "(only contact fields can be used).",
            ),
            MERGE_NOT_ALLOWED,
            tag=tag,
        ) from exc
    except jinja2.UndefinedError as exc:
        missing = ", ".join(sorted(expression.names - set(values))) or expression.source
        raise MergeTagError(
            t(
                f"La balise {{{{ {expression.source} }}}} utilise un champ inconnu : {missing}. "
                'Ajoutez ce champ aux contacts ou une valeur par défaut : | default("…").',
                f"The merge tag {{{{ {expression.source} }}}} uses an unknown field: {missing}. "
                'Add that field to the contacts or a default: | default("…").',
            ),
            MERGE_UNKNOWN_FIELD,
            tag=tag,
            fields=missing,
        ) from exc
    except Exception as exc:  # any other template error (bad filter, wrong call...)
        raise MergeTagError(
            t(
                f"La balise {{{{ {expression.source} }}}} ne peut pas être calculée : {exc}",
                f"The merge tag {{{{ {expression.source} }}}} cannot be computed: {exc}",
            ),
            MERGE_FAILED,
            tag=tag,
            detail=str(exc),
        ) from exc


def fill(tags: MergeTags, rendered: str, values: Mapping[str, Any], *, for_html: bool) -> str:
    """Swap every marker of ``rendered`` for its value, escaped for where it stands."""
    cache: dict[tuple[str, str], str] = {}

    def one(m: re.Match[str]) -> str:
        kind, key = m.group(1), m.group(2)
        if (kind, key) not in cache:
            cache[(kind, key)] = _escape(kind, evaluate(tags, key, values), for_html)
        return cache[(kind, key)]

    return MARKER.sub(one, rendered)


def _escape(kind: str, value: str, for_html: bool) -> str:
    if kind == "Q":
        value = quote(value, safe="")
    elif kind == "W":
        value = value.strip()
        if not is_safe_link(value):
            value = "#"
    elif kind == "C" and not _CSS_VALUE.fullmatch(value):
        value = ""
    return html.escape(value, quote=True) if for_html else value


def defuse_text(text: str) -> str:
    """Text from outside the document (feed posts) with any marker look-alike made inert.

    Such text is never marked, so its ``{{ }}`` stay literal; a word joiner after ``BMT`` keeps
    a forged marker from being filled with the recipient's data.
    """
    return MARKER.sub(lambda m: "BMT\u2060" + m.group(0)[3:], text)


def defuse_url(url: str) -> str:
    """A URL from outside the document with its braces and marker look-alikes made inert."""
    url = url.replace("{", "%7B").replace("}", "%7D")
    return MARKER.sub(lambda m: "%42" + m.group(0)[1:], url)  # %42 is "B"


def sample_values(fields: Iterable[str] = ()) -> dict[str, str]:
    """Values for previews: a sample person, and each custom field shown as its own name."""
    values = {name: f"[{name}]" for name in fields}
    values.update(SAMPLE_CONTACT)
    return values


Filler = Callable[[str], str]
