"""What a paste into a text block becomes: the rich-text subset, whatever the clipboard held.

People paste from Word, LibreOffice, Google Docs and web pages. Each writes its own HTML, and
each has a quirk that a generic sanitiser gets wrong:

- **Word** writes lists as paragraphs styled ``mso-list:l0 level1 lfo1`` whose bullet is
  literal text in an ``<![if !supportLists]>`` section (``<!--[if !supportLists]-->`` in newer
  versions): read naively, a list becomes paragraphs starting with « · » and a tab. They are
  turned back into ``<ul>``/``<ol>`` (nested by level, numbered when the marker is ``1.``,
  ``a)``, ``iv.``…), and a paragraph holding only ``&nbsp;`` (Word's blank line) becomes an
  empty paragraph.
- **Google Docs** wraps everything in ``<b style="font-weight:normal" id="docs-internal-guid-…">``
  (:func:`editor.richtext.clean` knows it is not bold) and, in published documents, sends links
  through ``https://www.google.com/url?q=…``; Outlook does the same with SafeLinks. The real
  target is kept.
- **Windows** clipboard HTML (CF_HTML) may start with a ``Version:0.9 StartHTML:…`` header; its
  ``SourceURL`` resolves relative links, as does the page address a browser gives.

Everything else — fonts, colours, sizes, images, tables (kept as their text), scripts, styles,
comments — is :func:`editor.richtext.clean`'s job. Plain text keeps its line breaks. Pure
Python, so the composer's paste is tested without Qt.
"""

from __future__ import annotations

import html as htmlmod
import re
import urllib.parse

from editor.richtext import clean, plain_text_to_html

__all__ = ["from_html", "from_text"]

# A start tag whose attribute values may hold ">" (Word writes font:7.0pt "Times New Roman").
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_CF_HTML_HEADER = re.compile(r"\AVersion:\d[^<]*?(?=<)", re.S)
_SOURCE_URL = re.compile(r"^SourceURL:(\S+)", re.M)
_PARAGRAPH = re.compile(rf"(<p\b{_ATTRS}>)(.*?)</p\s*>", re.S | re.I)
_MSO_LIST = re.compile(r"mso-list:\s*(l\d+)\s+level(\d+)", re.I)
_SUPPORT_LISTS = re.compile(
    r"<!--\[if\s+!supportLists\]-->(.*?)<!--\[endif\]-->"
    r"|<!\[if\s+!supportLists\]>(.*?)<!\[endif\]>",
    re.S | re.I,
)
_IGNORE_SPAN = re.compile(r"<span\b[^>]*?mso-list:\s*Ignore[^>]*>", re.I)
_SPAN_TOKEN = re.compile(rf"<(/?)span\b{_ATTRS}>", re.I)
# Word's downlevel-revealed conditionals (shown by every browser): the markers go, the content
# stays. (Downlevel-hidden ones, <!--[if …]>…<![endif]-->, are comments and dropped whole.)
_REVEALED = re.compile(r"<!\[(?:if\s[^\]]*|endif)\]>|<!--\[(?:if\s[^\]]*|endif)\]-->", re.I)
_TAGS = re.compile(r"<[^>]*>")
_ORDERED_MARKER = re.compile(r"\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)]", re.I)
_BETWEEN_ITEMS = re.compile(r"(?:\s|<!--.*?-->|<o:p>\s*</o:p>)*", re.S | re.I)
_A_TAG = re.compile(rf"<a\b{_ATTRS}>", re.I)
_HREF = re.compile(r"""(\bhref\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:&nbsp;|\xa0| |<br>)*</p>")
_EDGE_EMPTY = re.compile(r"\A(?:<p><br></p>)+|(?:<p><br></p>)+\Z")
# Link wrappers that hide the real target behind a redirect: host → query parameter.
_REDIRECTS = {
    "www.google.com": "q",
    "google.com": "q",
    "safelinks.protection.outlook.com": "url",
}


def from_text(text: str) -> str:
    """Plain text as the subset: a blank line starts a paragraph, a newline breaks the line."""
    return plain_text_to_html(text)


def from_html(html: str, base_url: str = "") -> str:
    """Clipboard HTML as the subset: bold, italic, underline, links, lists and paragraphs.

    ``base_url`` is the page the HTML was copied from, when the clipboard says (relative
    links are resolved against it; without it they are dropped, meaning nothing in an inbox).
    Empty paragraphs at either end are dropped: a paste adds text, not blank lines around it.
    """
    header = _CF_HTML_HEADER.match(html)
    if header:
        source = _SOURCE_URL.search(header.group(0))
        base_url = base_url or (source.group(1) if source else "")
        html = html[header.end() :]
    html = _word_lists(html)
    html = _REVEALED.sub("", html)
    html = _rewrite_links(html, base_url)
    cleaned = clean(html)
    cleaned = _EMPTY_PARAGRAPH.sub("<p><br></p>", cleaned)
    return _EDGE_EMPTY.sub("", cleaned)


# ------------------------------------------------------------------------------- Word lists


def _word_lists(html: str) -> str:
    """Word's list paragraphs as nested ``<ul>``/``<ol>`` (see the module docstring)."""
    if "mso-list" not in html:
        return html
    out: list[str] = []
    run: list[tuple[int, bool, str]] = []  # (level, ordered, item HTML)
    position = 0
    for match in _PARAGRAPH.finditer(html):
        found = _MSO_LIST.search(match.group(1))
        between = html[position : match.start()]
        if run and (found is None or not _BETWEEN_ITEMS.fullmatch(between)):
            out.append(_list_markup(run))
            run = []
        if found is None:
            out.append(html[position : match.end()])
        else:
            if not run:
                out.append(between)
            body, marker = _without_marker(match.group(2))
            run.append((int(found.group(2)), bool(_ORDERED_MARKER.fullmatch(marker)), body))
        position = match.end()
    if run:
        out.append(_list_markup(run))
    out.append(html[position:])
    return "".join(out)


def _without_marker(body: str) -> tuple[str, str]:
    """An item's HTML without its literal bullet or number, and that marker as text."""
    found = _SUPPORT_LISTS.search(body)
    if found:
        marker_html = found.group(1) if found.group(1) is not None else found.group(2)
        return body[: found.start()] + body[found.end() :], _marker_text(marker_html)
    span = _IGNORE_SPAN.search(body)  # Word for Mac: the marker span without a conditional
    if span:
        end = _span_end(body, span.end())
        return body[: span.start()] + body[end:], _marker_text(body[span.end() : end])
    return body, ""


def _span_end(body: str, start: int) -> int:
    """Where the span opened just before ``start`` closes (spans nest in Word's markers)."""
    depth = 1
    for token in _SPAN_TOKEN.finditer(body, start):
        depth += -1 if token.group(1) else 1
        if depth == 0:
            return token.end()
    return len(body)


def _marker_text(markup: str) -> str:
    return htmlmod.unescape(_TAGS.sub("", markup)).replace("\xa0", " ").strip()


def _list_markup(items: list[tuple[int, bool, str]]) -> str:
    """Nested lists for ``(level, ordered, html)`` items; a deeper level nests in the item above."""
    out: list[str] = []
    stack: list[tuple[int, str]] = []  # (level, "ul"/"ol") of each open list
    for level, ordered, body in items:
        name = "ol" if ordered else "ul"
        while stack and stack[-1][0] > level:
            out.append(f"</li></{stack.pop()[1]}>")
        if stack and stack[-1][0] == level and stack[-1][1] != name:
            out.append(f"</li></{stack.pop()[1]}>")  # same level, other kind: a new list
        if stack and stack[-1][0] == level:
            out.append("</li>")
        else:
            stack.append((level, name))
            out.append(f"<{name}>")
        out.append(f"<li>{body}")
    while stack:
        out.append(f"</li></{stack.pop()[1]}>")
    return "".join(out)


# ------------------------------------------------------------------------------------ links


def _rewrite_links(html: str, base_url: str) -> str:
    """Unwrap redirect links and resolve relative ones against ``base_url`` (http(s) only)."""
    base = base_url.strip() if re.match(r"https?://", base_url.strip(), re.I) else ""

    def tag(match: re.Match[str]) -> str:
        return _HREF.sub(attribute, match.group(0), count=1)

    def attribute(match: re.Match[str]) -> str:
        raw = next(g for g in match.groups()[1:] if g is not None)
        url = _unwrapped(htmlmod.unescape(raw).strip())
        if base and not re.match(r"[a-z][a-z0-9+.\-]*:", url, re.I) and "{{" not in url:
            url = urllib.parse.urljoin(base, url)
        return f'{match.group(1)}"{htmlmod.escape(url)}"'

    return _A_TAG.sub(tag, html)


def _unwrapped(url: str) -> str:
    """The target of a Google or Outlook SafeLinks redirect, else ``url`` itself."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    host = (parts.hostname or "").lower()
    key = next(
        (k for h, k in _REDIRECTS.items() if host == h or host.endswith("." + h)),
        None,
    )
    if key is None or parts.scheme.lower() not in ("http", "https"):
        return url
    if host.endswith("google.com") and parts.path != "/url":
        return url
    target = urllib.parse.parse_qs(parts.query).get(key, [""])[0]
    return target if re.match(r"(?:https?|mailto):", target, re.I) else url
