"""Rich text for the text block, raw HTML for the HTML block, and plain text for both.

The text block stores a tiny HTML subset (p, br, strong, em, u, a, ul, ol, li, span) so that the
renderer, the plain-text part and the Qt editor agree on what a newsletter paragraph can hold.
:func:`clean` turns anything (Qt's ``toHtml()``, pasted web pages, old plain text) into that
subset; :func:`sanitize_raw` keeps the raw-HTML block email-shaped but harmless; :func:`to_text`
writes the ``text/plain`` alternative.

Merge tags (``{{ first_name }}``, ``https://shop.fr/?id={{ email }}``) are Jinja source that the
renderer expands per recipient, so they must come out byte for byte: they are swapped for inert
placeholders before any HTML parsing and put back afterwards.
"""

from __future__ import annotations

import html as htmlmod
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

from editor.urls import is_safe_link

__all__ = ["MERGE_TAG", "clean", "link_target", "plain_text_to_html", "sanitize_raw", "to_text"]

# The one definition of a merge tag in the user's text (the expression is group 1): the
# sanitiser protects these tags, :mod:`editor.merge` marks and fills them. It lives here, the
# lower of the two modules, so loading a document does not load Jinja.
MERGE_TAG = re.compile(r"{{(.*?)}}", re.S)
# A merge tag once the renderer has marked it (see editor.merge): inert letters and digits.
MARKER = re.compile(r"BMT([TQWC])([0-9a-f]{12})Z")
_TAG_OR_MARKER = re.compile(f"{MERGE_TAG.pattern}|{MARKER.pattern}", re.S)


# Placeholder delimiters: private-use characters that no parser treats specially.
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not \s: a non-breaking space is meaningful text
_SCHEME = re.compile(r"[a-z][a-z0-9+.\-]*:", re.I)
_TEXT_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|jpg|gif);base64,[a-z0-9+/=]*", re.I)
_TAG = re.compile(r"<[a-z!/?]", re.I)


# --------------------------------------------------------------------------------- merge tags


class _MergeTags:
    """Swaps merge tags for placeholders, then puts them back verbatim.

    A tag holding ``<`` or ``>`` is left alone (it is then sanitised like any text): restoring it
    verbatim could smuggle markup past the sanitiser.
    """

    def __init__(self, source: str, *, everything: bool = False, decode: bool = False) -> None:
        self.tags: list[str] = []

        def protect(match: re.Match[str]) -> str:
            tag = match.group(0)
            if not everything and ("<" in tag or ">" in tag):
                return tag
            if decode:
                tag = _decoded_tag(tag)
            self.tags.append(tag)
            return f"{_OPEN}{len(self.tags) - 1}{_CLOSE}"

        self.text = MERGE_TAG.sub(protect, source.replace(_OPEN, "").replace(_CLOSE, ""))

    def restore(self, text: str) -> str:
        """Put the tags back, for text content (where quotes are harmless)."""
        return _PLACEHOLDER.sub(lambda m: self._tag(m), text)

    def restore_attribute(self, value: str) -> str:
        """Put the tags back inside an attribute value.

        nh3 escapes ``"`` there, which Jinja could not read; ``"`` and ``'`` delimit the same
        Jinja strings, so swap them when that changes nothing else.
        """

        def put(match: re.Match[str]) -> str:
            tag = self._tag(match)
            return tag.replace('"', "'") if "'" not in tag else tag

        return _PLACEHOLDER.sub(put, value)

    def attribute_safe(self, text: str) -> str | None:
        """``text`` with placeholders that may be restored verbatim inside an attribute.

        For values nh3 rewrites (style): each placeholder is re-registered with its quotes
        swapped as in :meth:`restore_attribute`; ``None`` when a tag holds both kinds.
        """
        failed = False

        def swap(match: re.Match[str]) -> str:
            nonlocal failed
            tag = self._tag(match)
            if '"' in tag:
                if "'" in tag:
                    failed = True
                tag = tag.replace('"', "'")
            self.tags.append(tag)
            return f"{_OPEN}{len(self.tags) - 1}{_CLOSE}"

        out = _PLACEHOLDER.sub(swap, text)
        return None if failed else out

    def _tag(self, match: re.Match[str]) -> str:
        index = int(match.group(1))
        return self.tags[index] if index < len(self.tags) else ""


def _decoded_tag(tag: str) -> str:
    """A tag found in HTML source, with its character references read as the text they are.

    Qt's ``toHtml()`` (and many pasted pages) write ``{{ name | default(&quot;ami&quot;) }}``:
    that is the text ``default("ami")``, which the renderer must see as such. The decoded form
    is kept only when it is still one plain tag (no markup, no tag delimiters inside).
    """
    if "&" not in tag:
        return tag
    decoded = htmlmod.unescape(tag).replace(_OPEN, "").replace(_CLOSE, "")
    inner = decoded[2:-2]
    if any(c in decoded for c in "<>\x00") or "{{" in inner or "}}" in inner:
        return tag
    return decoded


def _url_ok(url: str, schemes: frozenset[str] = _TEXT_SCHEMES) -> bool:
    """Whether a link target may be kept: an allowed scheme written out, or a leading merge tag.

    Relative URLs mean nothing in an inbox. A URL that starts with a merge tag is the
    renderer's to check once expanded, unless the literal rest already spells a scheme
    (``{{ x }}javascript:…`` would become ``javascript:`` with an empty ``x``).
    """
    first = _TAG_OR_MARKER.search(url)
    prefix = _CONTROL.sub("", url[: first.start()] if first else url)
    if prefix:
        scheme = _SCHEME.match(prefix)
        return scheme is not None and scheme.group(0)[:-1].lower() in schemes
    if first is None:
        return False
    return _SCHEME.match(_CONTROL.sub("", _TAG_OR_MARKER.sub("", url))) is None


_FORBIDDEN_IN_LINK = re.compile(r'[<>"\x00-\x1f\x7f]')
_EMAIL_LIKE = re.compile(r"[^\s@<>\"'/:]+@[^\s@<>\"'/:]+\.[^\s@<>\"'/:.]+")
_HOST_LIKE = re.compile(
    r"(?:www\.)?[a-z0-9\u00a0-\uffff-]+(?:\.[a-z0-9\u00a0-\uffff-]+)+(?:[:/?#]\S*)?", re.I
)


def link_target(text: str) -> str | None:
    """What a person typed as a link, as the link the subset keeps; None when it cannot be one.

    ``https://…``, ``mailto:…`` and ``tel:…`` are kept (see :func:`editor.urls.is_safe_link`),
    as is a URL starting with a merge tag (``{{ website }}``); ``atelier.fr/agenda`` gets
    ``https://`` and ``marie@atelier.fr`` gets ``mailto:``, as people write them, and spaces
    outside merge tags become ``%20``. Anything else (``javascript:``, ``data:``, a relative
    path) is refused.
    """
    url = text.strip()
    if not url or _FORBIDDEN_IN_LINK.search(MERGE_TAG.sub("", url)):
        return None
    parts = re.split(f"({MERGE_TAG.pattern})", url, flags=re.S)
    url = "".join(
        part if i % 3 else part.replace(" ", "%20")  # re.split gives text, tag, expression
        for i, part in enumerate(parts)
        if i % 3 != 2
    )
    if is_safe_link(url) or url.startswith("{{"):
        return url if _url_ok(url) else None
    if _SCHEME.match(url) and not _HOST_LIKE.fullmatch(url):
        return None  # another scheme (javascript:, data:, ftp:…)
    if _EMAIL_LIKE.fullmatch(url):
        return "mailto:" + url
    if _HOST_LIKE.fullmatch(url):
        return "https://" + url
    return None


# ---------------------------------------------------------------------------------- the subset

_DROP = frozenset(
    {
        "script",
        "style",
        "title",
        "template",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "noframes",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "select",
        "option",
        "textarea",
        "button",
        "input",
        "img",
        "xmp",
        "noembed",
    }
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "address",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "aside",
        "nav",
        "figure",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "dl",
        "dt",
        "dd",
        "center",
        "hr",
        "form",
        "fieldset",
        "legend",
        "details",
        "summary",
        "li",
        "body",
        "html",
    }
)
_LISTS = frozenset({"ul", "ol", "menu", "dir"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

_TEXT_CLEANER_TAGS = {"p", "br", "strong", "em", "u", "a", "ul", "ol", "li", "span"}


@dataclass
class _Open:
    name: str
    html: str


@dataclass
class _Flow:
    """Inline content poured into paragraphs (top level) or lines (inside a list item).

    Formatting that spans a block boundary (``<b><p>a</p><p>b</p></b>``) is closed and reopened
    around each paragraph; a tag is only written once text needs it, so no empty ``<em></em>``.
    """

    item: bool
    stack: list[_Open] = field(default_factory=list)
    chunks: list[tuple[str, str]] = field(default_factory=list)
    buf: list[str] = field(default_factory=list)
    opened: int = 0
    has_text: bool = False
    has_br: bool = False
    space: bool = False
    line_start: bool = True
    pre: int = 0

    def names(self) -> set[str]:
        return {o.name for o in self.stack}

    def push(self, tag: _Open) -> None:
        self.stack.append(tag)

    def pop(self) -> None:
        if len(self.stack) <= self.opened:
            self.opened -= 1
            self.buf.append(f"</{self.stack[-1].name}>")
        self.stack.pop()

    def text(self, value: str) -> None:
        if not value:
            return
        if self.pre:  # keep the line breaks; email paragraphs collapse the spaces anyway
            for i, line in enumerate(value.split("\n")):
                if i:
                    self.br()
                self._inline(line)
        else:
            self._inline(value)

    def _inline(self, value: str) -> None:
        collapsed = _SPACES.sub(" ", value)
        if collapsed.startswith(" "):
            self.space = True
            collapsed = collapsed[1:]
        if not collapsed:
            return
        trailing = collapsed.endswith(" ")
        self._write(htmlmod.escape(collapsed.rstrip(" "), quote=False))
        self.space = trailing

    def _write(self, escaped: str) -> None:
        if self.space and not self.line_start:
            self.buf.append(" ")
        self.space = False
        while self.opened < len(self.stack):
            self.buf.append(self.stack[self.opened].html)
            self.opened += 1
        self.buf.append(escaped)
        self.has_text = True
        self.line_start = False

    def br(self) -> None:
        self.buf.append("<br>")
        self.has_br = True
        self.space = False
        self.line_start = True

    def end_block(self) -> None:
        """Finish the current paragraph (or line of a list item)."""
        while self.opened:
            self.opened -= 1
            self.buf.append(f"</{self.stack[self.opened].name}>")
        if self.has_text:
            # A <br> followed only by closing tags is invisible: drop it.
            end = len(self.buf)
            while end and self.buf[end - 1].startswith("</"):
                end -= 1
            while end and self.buf[end - 1] == "<br>":
                del self.buf[end - 1]
                end -= 1
            self.chunks.append(("line", "".join(self.buf)))
        elif self.has_br and not self.item:
            self.chunks.append(("line", "<br>"))  # an empty paragraph the writer typed
        self.buf = []
        self.has_text = self.has_br = self.space = False
        self.line_start = True

    def add_list(self, markup: str) -> None:
        self.end_block()
        if markup:
            self.chunks.append(("list", markup))

    def render(self) -> str:
        self.end_block()
        out: list[str] = []
        previous = ""
        for kind, markup in self.chunks:
            if kind == "list":
                out.append(markup)
            elif self.item:
                out.append(("<br>" if previous == "line" else "") + markup)
            else:
                out.append(f"<p>{markup}</p>")
            previous = kind
        return "".join(out)


def _style_flags(style: str) -> dict[str, bool]:
    """Bold/italic/underline as set (True) or unset (False) by an inline ``style``."""
    flags: dict[str, bool] = {}
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "font-weight":
            if value in ("bold", "bolder"):
                flags["strong"] = True
            elif value in ("normal", "lighter"):
                flags["strong"] = False
            elif value.isdigit():
                flags["strong"] = int(value) >= 600
        elif name == "font-style":
            flags["em"] = value in ("italic", "oblique")
        elif name in ("text-decoration", "text-decoration-line"):
            flags["u"] = "underline" in value
    return flags


_TAG_FLAGS = {"b": "strong", "strong": "strong", "i": "em", "em": "em", "u": "u"}


_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "frame", "hr", "img", "input", "link", "meta"}
    | {"param", "source", "track", "wbr", "keygen"}
)


@dataclass
class _List:
    name: str
    parent: _Flow  # the flow the list sits in; items start with its open formatting
    items: list[str] = field(default_factory=list)

    def render(self) -> str:
        if not self.items:
            return ""
        body = "".join(f"<li>{item}</li>" for item in self.items)
        return f"<{self.name}>{body}</{self.name}>"


@dataclass
class _Entry:
    """An open element, and how to undo what its start tag did."""

    tag: str
    kind: str  # inline, block, item or list
    flow: _Flow
    pushed: int = 0
    pre: bool = False


class _Subset(HTMLParser):
    """Writes the text-block subset from a stream of tags.

    A tokenizer rather than a tree: formatting then survives block boundaries the way a
    browser shows it (``<b><p>a</p><p>b</p></b>`` stays bold), misnested or unclosed tags
    just close early, and depth costs no recursion.
    """

    def __init__(self, merge: _MergeTags) -> None:
        super().__init__(convert_charrefs=True)
        self.merge = merge
        self.top = _Flow(item=False)
        self.contexts: list[_Flow | _List] = [self.top]
        self.entries: list[_Entry] = []
        self.dropping = 0

    def result(self) -> str:
        self.close()
        self.close_to(0)
        return self.top.render()

    # Contexts ------------------------------------------------------------------------------

    def flow(self) -> _Flow:
        """The flow text goes to; text loose inside a list gets an item of its own."""
        context = self.contexts[-1]
        if isinstance(context, _List):
            item = _Flow(item=True, stack=list(context.parent.stack))
            self.contexts.append(item)
            self.entries.append(_Entry("li", "item", item))
            return item
        return context

    def close_to(self, index: int) -> None:
        while len(self.entries) > index:
            entry = self.entries.pop()
            for _ in range(entry.pushed):
                entry.flow.pop()
            entry.flow.pre -= entry.pre
            if entry.kind == "block":
                entry.flow.end_block()
            elif entry.kind == "item":
                self.contexts.pop()
                owner = self.contexts[-1]
                markup = entry.flow.render()
                if markup and isinstance(owner, _List):
                    owner.items.append(markup)
            elif entry.kind == "list":
                done = self.contexts.pop()
                markup = done.render() if isinstance(done, _List) else ""
                owner = self.contexts[-1]
                if isinstance(owner, _List):
                    # <ul><li>a</li><ul>…</ul></ul>: the nested list belongs to the item above.
                    if owner.items:
                        owner.items[-1] += markup
                    elif markup:
                        owner.items.append(markup)
                else:
                    owner.add_list(markup)

    # HTMLParser callbacks ------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROP:
            self.dropping += tag not in _VOID
            return
        if self.dropping:
            return
        if tag in _VOID:
            if tag == "br":
                self.flow().br()
            elif tag == "hr" and isinstance(self.contexts[-1], _Flow):
                self.contexts[-1].end_block()
            return
        if tag in _LISTS:
            context = self.contexts[-1]
            parent = context if isinstance(context, _Flow) else context.parent
            if isinstance(context, _Flow):
                context.end_block()
            self.contexts.append(_List("ol" if tag == "ol" else "ul", parent))
            self.entries.append(_Entry(tag, "list", parent))
            return
        if tag == "li":
            for index in range(len(self.entries) - 1, -1, -1):
                kind = self.entries[index].kind
                if kind == "item":  # an <li> implicitly ends the previous one
                    self.close_to(index)
                    break
                if kind == "list":
                    break
            if isinstance(self.contexts[-1], _List):
                self.flow()
                return
        if tag == "a":  # links do not nest: a new one ends the open one, as in browsers
            for index in range(len(self.entries) - 1, -1, -1):
                if self.entries[index].kind in ("item", "list"):
                    break
                if self.entries[index].tag == "a":
                    self.close_to(index)
                    break
        flow = self.flow()
        attributes = dict(attrs)
        if tag in _BLOCKS:
            flow.end_block()
            entry = _Entry(tag, "block", flow, pre=tag == "pre")
            flow.pre += entry.pre
            if tag in _HEADINGS and "strong" not in flow.names():
                flow.push(_Open("strong", "<strong>"))
                entry.pushed = 1
        else:
            entry = _Entry(tag, "inline", flow, pushed=self.open_inline(tag, attributes, flow))
        self.entries.append(entry)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP:
            self.dropping = max(0, self.dropping - (tag not in _VOID))
            return
        if self.dropping:
            return
        for index in range(len(self.entries) - 1, -1, -1):
            if self.entries[index].tag == tag:
                self.close_to(index)
                return
        if tag == "p" and isinstance(self.contexts[-1], _Flow):
            self.contexts[-1].end_block()  # a stray </p> still ends a paragraph

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        if isinstance(self.contexts[-1], _List) and not data.strip(" \t\n\r\f\v"):
            return  # the indentation between <li>s
        self.flow().text(data)

    def open_inline(self, tag: str, attrs: dict[str, str | None], flow: _Flow) -> int:
        """Push the subset tags an inline element stands for; return how many."""
        active = flow.names()
        opens: list[_Open] = []
        if tag == "a" and "a" not in active:
            href = (attrs.get("href") or "").strip()
            if href and _url_ok(self.merge.restore(href)):
                title = attrs.get("title")
                extra = f' title="{htmlmod.escape(title)}"' if title else ""
                opens.append(_Open("a", f'<a href="{htmlmod.escape(href)}"{extra}>'))
        flags = {_TAG_FLAGS[tag]: True} if tag in _TAG_FLAGS else {}
        flags.update(_style_flags(attrs.get("style") or ""))
        in_link = "a" in active or bool(opens)
        for name in ("strong", "em", "u"):
            if flags.get(name) and name not in active and not (name == "u" and in_link):
                opens.append(_Open(name, f"<{name}>"))
        for o in opens:
            flow.push(o)
        if tag in ("td", "th"):
            flow.text(" ")
        return len(opens)


def _plain_to_html(text: str) -> str:
    """Plain text: a blank line starts a paragraph, a single newline is a line break."""
    paragraphs = re.split(r"\n[ \t]*\n\s*", text.replace("\r\n", "\n").replace("\r", "\n"))
    out: list[str] = []
    for paragraph in paragraphs:
        lines = [_SPACES.sub(" ", line).strip() for line in paragraph.split("\n")]
        lines = [htmlmod.escape(line, quote=False) for line in lines if line]
        if lines:
            out.append("<p>" + "<br>".join(lines) + "</p>")
    return "".join(out)


def plain_text_to_html(text: str) -> str:
    """Plain text (a paste, an old document) in the subset, whatever characters it holds.

    Unlike :func:`clean`, which guesses, this never reads ``<b>`` as markup. A blank line starts
    a paragraph, a single newline is a line break, merge tags stay as written.
    """
    merge = _MergeTags(text.replace("\x00", ""))
    return merge.restore(_plain_to_html(merge.text))


def clean(html: str) -> str:
    """Reduce any HTML (or plain text) to the text-block subset, merge tags intact.

    Qt's bold/italic/underline spans become strong/em/u, b/i become strong/em, block elements
    become paragraphs, links keep http(s)/mailto/tel targets only. The structure is rebuilt by
    a pass over the tag stream; nh3 then has the last word on what may go out.
    """
    html = html.replace("\x00", "")
    plain = _MergeTags(html)
    if not plain.text.strip():
        return ""
    if not _TAG.search(plain.text):
        return plain.restore(_plain_to_html(plain.text))
    merge = _MergeTags(html, decode=True)
    source = merge.text
    subset = _Subset(merge)
    subset.feed(source)
    markup = subset.result()

    def attribute(tag: str, name: str, value: str) -> str | None:
        value = merge.restore_attribute(value)
        if name == "href" and not _url_ok(value):
            return None
        return value

    cleaned = nh3.clean(
        markup,
        tags=_TEXT_CLEANER_TAGS,
        clean_content_tags={"script", "style"},
        attributes={"a": {"href", "title"}},
        attribute_filter=attribute,
        link_rel=None,
        url_schemes=set(_TEXT_SCHEMES),
    )
    return merge.restore(cleaned)


# ----------------------------------------------------------------------------------- raw HTML

_RAW_TAGS = {
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "section",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "wbr",
}
# Raw HTML keeps images, media and form-looking markup's text; everything else _DROP drops.
_RAW_DROP_CONTENT = set(_DROP - {"img", "canvas", "video", "option", "button", "audio", "input"})
_CELL = {"width", "height", "align", "valign", "bgcolor", "colspan", "rowspan", "nowrap", "scope"}
_RAW_ATTRIBUTES = {
    "*": {"style", "class", "title", "dir", "lang", "align"},
    "a": {"href", "target", "rel", "name"},
    "img": {"src", "alt", "width", "height", "border"},
    "table": {"width", "height", "border", "cellpadding", "cellspacing", "bgcolor", "role"},
    "td": _CELL,
    "th": _CELL,
    "tr": {"valign", "bgcolor", "height"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "font": {"color", "face", "size"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "li": {"value"},
    "div": {"width"},
    "hr": {"width", "size", "color", "noshade"},
}
_CSS_PROPERTIES = {
    "background",
    "background-color",
    "background-image",
    "background-position",
    "background-repeat",
    "background-size",
    "border",
    "border-bottom",
    "border-bottom-color",
    "border-bottom-style",
    "border-bottom-width",
    "border-collapse",
    "border-color",
    "border-left",
    "border-left-color",
    "border-left-style",
    "border-left-width",
    "border-radius",
    "border-right",
    "border-right-color",
    "border-right-style",
    "border-right-width",
    "border-spacing",
    "border-style",
    "border-top",
    "border-top-color",
    "border-top-style",
    "border-top-width",
    "border-width",
    "color",
    "direction",
    "display",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-variant",
    "font-weight",
    "height",
    "letter-spacing",
    "line-height",
    "list-style",
    "list-style-type",
    "margin",
    "margin-bottom",
    "margin-left",
    "margin-right",
    "margin-top",
    "max-height",
    "max-width",
    "min-height",
    "min-width",
    "mso-hide",
    "mso-line-height-rule",
    "mso-table-lspace",
    "mso-table-rspace",
    "opacity",
    "overflow",
    "padding",
    "padding-bottom",
    "padding-left",
    "padding-right",
    "padding-top",
    "table-layout",
    "text-align",
    "text-decoration",
    "text-indent",
    "text-transform",
    "vertical-align",
    "white-space",
    "width",
    "word-break",
    "word-wrap",
}
# Anything that can run code or pull an unexpected resource from inside a declaration.
_CSS_DANGER = re.compile(
    r"expression|javascript|vbscript|behavior|binding|@import|\\|/\*|[<>]|&#", re.I
)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)


def _safe_style(style: str, merge: _MergeTags) -> str:
    """Keep the declarations that cannot run script or load a non-http(s) resource.

    nh3 calls the attribute filter with the raw value and only then parses and filters the
    properties, so this pass refuses escapes and comments that could hide ``expression(``
    rather than decoding them. Merge tags stay as placeholders here: nh3's CSS parser would
    mangle ``{{ … }}``; they are put back after nh3 is done.
    """
    kept: list[str] = []
    for declaration in style.split(";"):
        readable = merge.restore(declaration)
        if ":" not in readable or _CSS_DANGER.search(readable):
            continue
        urls = _CSS_URL.findall(declaration)
        if len(urls) != declaration.lower().count("url("):
            continue
        if any(not re.match(r"https?://", _CONTROL.sub("", u), re.I) for _, u in urls):
            continue
        safe = merge.attribute_safe(declaration.strip())
        if safe is not None:
            kept.append(safe)
    return "; ".join(kept)


def sanitize_raw(html: str) -> str:
    """Sanitise the raw-HTML block: email layout (tables, inline styles, images) stays, code goes.

    No script, style sheet, frame, form control, SVG or event handler; links are
    http(s)/mailto/tel; images are http(s) or inline PNG/JPEG/GIF data. Comments, including
    Outlook conditional comments, are dropped: they can carry markup nh3 never sees.
    """
    merge = _MergeTags(html.replace("\x00", ""))

    def attribute(tag: str, name: str, raw: str) -> str | None:
        value = merge.restore_attribute(raw)
        if name == "href":
            return value if _url_ok(value) else None
        if name == "src":
            if tag == "img" and _DATA_IMAGE.fullmatch(_CONTROL.sub("", value)):
                return value
            return value if _url_ok(value, frozenset({"http", "https"})) else None
        if name == "style":
            return _safe_style(raw, merge) or None
        if name == "target":
            return value if value in ("_blank", "_self") else None
        return value

    cleaned = nh3.clean(
        merge.text,
        tags=_RAW_TAGS,
        clean_content_tags=_RAW_DROP_CONTENT,
        attributes=_RAW_ATTRIBUTES,
        attribute_filter=attribute,
        link_rel=None,
        url_schemes={"http", "https", "mailto", "tel", "data"},
        filter_style_properties=_CSS_PROPERTIES,
    )
    return merge.restore(cleaned)


# --------------------------------------------------------------------------------- plain text

_TEXT_BLOCKS = _BLOCKS - {"li", "body", "html"}
# Not <head>: an unclosed one would swallow the text; what it holds is skipped tag by tag.
_TEXT_SKIP = frozenset({"script", "style", "title", "template", "noscript", "svg"})
_WORD = re.compile(r"(?:\{\{.*?\}\}|[^ \t\n\r\f\v])+", re.S)


@dataclass
class _TextBlock:
    first: str  # prefix of the first line: indentation and list marker
    rest: str  # prefix of the following lines
    group: int  # items of one list sit on consecutive lines; anything else gets a blank line
    parts: list[str | None] = field(default_factory=list)  # None is a line break


@dataclass
class _ListState:
    ordered: bool
    count: int = 0
    marker_width: int = 2


class _TextWriter(HTMLParser):
    """Collects paragraphs and list items from HTML, for :func:`to_text`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_TextBlock] = []
        self.current: _TextBlock | None = None
        self.lists: list[_ListState] = []
        self.skip = 0
        self.link: tuple[str, list[str]] | None = None
        self.list_count = 0

    # Block bookkeeping ---------------------------------------------------------------------

    def end_block(self) -> None:
        self.finish_link()
        self.current = None

    def block(self) -> _TextBlock:
        if self.current is None:
            if self.lists:  # text after a nested list or a second paragraph in an item
                indent = "  " * (len(self.lists) - 1) + " " * self.lists[-1].marker_width
                self.current = _TextBlock(indent, indent, self.list_count)
            else:
                self.current = _TextBlock("", "", 0)
            self.blocks.append(self.current)
        return self.current

    def write(self, text: str) -> None:
        if self.link is not None:
            self.link[1].append(text)
        elif self.current is not None or text.strip(" \t\n\r\f\v"):
            self.block().parts.append(text)

    def finish_link(self) -> None:
        if self.link is None:
            return
        href, label = self.link
        self.link = None
        self.write(_link_text(_SPACES.sub(" ", "".join(label)).strip(), href))

    # HTMLParser callbacks ------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _TEXT_SKIP:
            self.skip += 1
        if self.skip:
            return
        if tag == "br":
            if self.link is not None:
                self.link[1].append(" ")
            elif self.current is not None:
                self.current.parts.append(None)
        elif tag in _LISTS:
            self.end_block()
            if not self.lists:
                self.list_count += 1
            self.lists.append(_ListState(ordered=tag == "ol"))
        elif tag == "li":
            self.end_block()
            if not self.lists:
                self.list_count += 1
                self.lists.append(_ListState(ordered=False))
            state = self.lists[-1]
            state.count += 1
            marker = f"{state.count}. " if state.ordered else "- "
            state.marker_width = len(marker)
            indent = "  " * (len(self.lists) - 1)
            self.current = _TextBlock(indent + marker, indent + " " * len(marker), self.list_count)
            self.blocks.append(self.current)
        elif tag in _TEXT_BLOCKS:
            self.end_block()
        elif tag in ("td", "th"):
            self.write(" ")
        elif tag == "a":
            self.finish_link()
            self.link = ((dict(attrs).get("href") or "").strip(), [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TEXT_SKIP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _TEXT_SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in _LISTS:
            self.end_block()
            if self.lists:
                self.lists.pop()
        elif tag == "li" or tag in _TEXT_BLOCKS:
            self.end_block()
        elif tag in ("td", "th"):
            self.write(" ")
        elif tag == "a":
            self.finish_link()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.write(data)


def _link_text(label: str, href: str) -> str:
    """``label (URL)``, or just the URL when the label says nothing more."""
    if not href:
        return label
    shown = href
    lower = href.lower()
    if lower.startswith("mailto:"):
        shown = href[7:].split("?", 1)[0]
    elif lower.startswith("tel:"):
        shown = href[4:]

    def bare(value: str) -> str:
        value = re.sub(r"^(?:https?://|mailto:|tel:)", "", value.strip(), flags=re.I)
        return value.rstrip("/").lower()

    if not label or bare(label) in (bare(href), bare(shown)):
        return shown
    return f"{label} ({shown})"


def _wrap(line: str, first: str, rest: str, width: int) -> list[str]:
    """Greedy wrap that never splits a word, a URL or a merge tag."""
    lines: list[str] = []
    current = ""
    for word in _WORD.findall(line):
        prefix = rest if lines else first
        if not current:
            current = prefix + word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = rest + word
    if current:
        lines.append(current)
    return lines


def to_text(html: str, *, width: int = 76) -> str:
    """The plain-text version: paragraphs, ``- `` and ``1. `` lists, links as ``label (URL)``.

    Lines are wrapped at ``width`` (a longer word or URL gets its own line); merge tags are
    copied verbatim and never split.
    """
    merge = _MergeTags(html.replace("\x00", ""), everything=True)
    writer = _TextWriter()
    writer.feed(merge.text)
    writer.close()
    writer.end_block()
    out: list[str] = []
    previous: _TextBlock | None = None
    for block in writer.blocks:
        raw: list[str] = [""]
        for part in block.parts:
            if part is None:
                raw.append("")
            else:
                raw[-1] += part
        lines = [_SPACES.sub(" ", line).strip() for line in raw]
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        if not lines:
            continue
        rendered: list[str] = []
        for i, line in enumerate(lines):
            first = block.first if i == 0 else block.rest
            wrapped = _wrap(merge.restore(line), first, block.rest, width)
            rendered.extend(wrapped or [""])
        if previous is not None:
            same_list = block.group and previous.group == block.group
            out.append("\n" if same_list else "\n\n")
        out.append("\n".join(line.rstrip() for line in rendered))
        previous = block
    return "".join(out)
