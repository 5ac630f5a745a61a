"""Merge tags (``{{ first_name | default("ami") }}``): marking, checking and filling them in.

The renderer never lets Jinja see the user's text as a template. Each ``{{ … }}`` found in a
text or URL is replaced by an inert alphanumeric marker *before* sanitising, HTML escaping and
CSS inlining (premailer would otherwise URL-encode the braces inside ``href``), and the
expression is parsed once by :mod:`editor.merge_grammar`: a field and literal-argument filters,
nothing else. In HTML the markers are placed before the sanitiser runs, so a tag can never
carry markup past it (a tag written across a closing quote is just text to the sanitiser), and
each marker gets its kind from where the sanitised HTML puts it. Personalising a message is
then a single regex pass that swaps each marker for its value, escaped for the place it stands
in:

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

from editor import merge_grammar
from editor.findings import (
    MERGE_FAILED,
    MERGE_MALFORMED,
    MERGE_NOT_ALLOWED,
    MERGE_UNKNOWN_FIELD,
    Finding,
)
from editor.i18n import _
from editor.richtext import MARKER, MERGE_TAG
from editor.urls import is_safe_link

URL_MARKER = "BMTW"  # how a URL that starts with a merge tag begins once marked

BUILTIN_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "email",
    "unsubscribe_url",
    "unsubscribe_token",
)
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


@dataclass
class Expression:
    """One distinct ``{{ … }}`` expression, parsed once.

    A well-formed tag outside the grammar keeps its ``refusal``: rendering goes on (the
    renderer reports it as a finding at its block) and any attempt to fill it raises.
    """

    source: str
    tag: merge_grammar.Tag | None
    refusal: MergeTagError | None = None

    @property
    def names(self) -> frozenset[str]:
        return frozenset() if self.tag is None else frozenset({self.tag.field})


@dataclass
class MergeTags:
    """The registry of expressions met while rendering one document (markers → expressions)."""

    expressions: dict[str, Expression] = field(default_factory=dict)

    def compile(self, source: str) -> str:
        """Register ``source`` (the text between the braces) and return its key.

        Entities are decoded first (rich text stores quotes as ``&quot;``), so a tag closed by
        ``&#125;&#125;`` is read as the grammar sees it and refused, never run.
        """
        source = " ".join(html.unescape(source).split())
        key = hashlib.sha256(source.encode()).hexdigest()[:12]
        if key not in self.expressions:
            try:
                self.expressions[key] = Expression(source, merge_grammar.parse(source))
            except merge_grammar.TagGrammarError as exc:
                shown = f"{{{{ {source if len(source) <= 80 else source[:77] + '...'} }}}}"
                if exc.detail:  # not even well-formed: the author must fix it to go on
                    raise MergeTagError(
                        str(exc), MERGE_MALFORMED, tag=shown, detail=exc.detail
                    ) from exc
                refusal = MergeTagError(str(exc), MERGE_NOT_ALLOWED, tag=shown)
                self.expressions[key] = Expression(source, None, refusal)
        return key

    def mark_text(self, text: str) -> str:
        """Replace each tag of a plain text by a text marker."""
        return self._mark(defuse_text(text), "T")

    def mark_url(self, url: str) -> str:
        """Replace the tags of a URL: a tag that starts it holds a URL (``{{ site }}/promo``)
        and must be a safe one; tags further in are parts of it, percent-encoded."""
        url = defuse_text(url.strip())
        lead = MERGE_TAG.match(url)
        start = ""
        if lead:
            start, url = f"{URL_MARKER}{self.compile(lead.group(1))}Z", url[lead.end() :]
        return start + self._mark(url, "Q")

    def mark_source(self, source: str, sanitise: Callable[[str], str]) -> str:
        """Mark the tags of user HTML, sanitise it, then give each marker its kind.

        The sanitiser only ever sees inert alphanumeric markers where tags were, so a tag
        written across markup (``title="{{ x | default('">') }}"``) cannot reopen an attribute
        or a tag after sanitising. In ``href``/``src`` a marker that starts the value holds a
        URL, later ones are parts of it; in ``style`` they are CSS values; elsewhere text.
        """
        sanitised = sanitise(self._mark(defuse_text(source), "T"))
        return _ATTRIBUTE.sub(_rekind, sanitised)

    def _mark(self, text: str, kind: str) -> str:
        return MERGE_TAG.sub(lambda m: f"BMT{kind}{self.compile(m.group(1))}Z", text)

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
    if expression.tag is None:
        assert expression.refusal is not None
        raise expression.refusal
    try:
        return merge_grammar.evaluate(expression.tag, values)
    except merge_grammar.UnknownField as exc:
        missing = expression.tag.field
        raise MergeTagError(
            _(
                "The merge tag {tag} uses an unknown field: {missing}. Add that "
                'field to the contacts or a default: | default("…").'
            ).format(tag=tag, missing=missing),
            MERGE_UNKNOWN_FIELD,
            tag=tag,
            fields=missing,
        ) from exc
    except merge_grammar.TagGrammarError as exc:  # a filter given arguments it cannot use
        raise MergeTagError(str(exc), MERGE_FAILED, tag=tag, detail=str(exc)) from exc


def fill(
    tags: MergeTags,
    rendered: str,
    values: Mapping[str, Any],
    *,
    for_html: bool,
    lenient: bool = False,
) -> str:
    """Swap every marker of ``rendered`` for its value, escaped for where it stands.

    ``lenient`` (previews): a tag that cannot be filled shows as written, in text, and as
    nothing (or ``#`` for a link) elsewhere, instead of raising; its finding says why.
    """
    cache: dict[tuple[str, str], str] = {}

    def one(m: re.Match[str]) -> str:
        kind, key = m.group(1), m.group(2)
        if key not in tags.expressions:  # not ours (user text is defused when marked)
            return m.group(0)
        if (kind, key) not in cache:
            try:
                value = evaluate(tags, key, values)
            except MergeTagError:
                if not lenient:
                    raise
                shown = f"{{{{ {tags.expressions[key].source} }}}}"
                fallback = {"T": shown, "W": "#"}.get(kind, "")
                cache[(kind, key)] = html.escape(fallback) if for_html else fallback
                return cache[(kind, key)]
            cache[(kind, key)] = _escape(kind, value, for_html)
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


_ATTRIBUTE = re.compile(r'\b(href|src|style)="([^"]*)"')


def _rekind(match: re.Match[str]) -> str:
    """Give the markers of one sanitised attribute the kind their place calls for."""
    name, value = match.group(1), match.group(2)
    if name == "style":
        return f'{name}="{MARKER.sub(lambda m: f"BMTC{m.group(2)}Z", value)}"'
    lead = MARKER.match(value.strip())
    out = MARKER.sub(lambda m: f"BMTQ{m.group(2)}Z", value)
    if lead:
        out = out.replace(f"BMTQ{lead.group(2)}Z", f"{URL_MARKER}{lead.group(2)}Z", 1)
    return f'{name}="{out}"'


def sample_values(fields: Iterable[str] = ()) -> dict[str, str]:
    """Values for previews: a sample person, and each custom field shown as its own name."""
    values = {name: f"[{name}]" for name in fields}
    values.update(SAMPLE_CONTACT)
    return values


Filler = Callable[[str], str]
