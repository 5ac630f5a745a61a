"""Rich-text subset, raw-HTML sanitiser and plain-text conversion."""

from __future__ import annotations

import sys
from collections.abc import Callable
from html.parser import HTMLParser
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor import merge
from editor.richtext import (
    MERGE_TAG,
    clean,
    link_target,
    plain_text_to_html,
    sanitize_raw,
    to_text,
)

# What QTextEdit.toHtml() (Qt 6) writes for a short newsletter paragraph, lists and links.
QT_HTML = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN" "http://www.w3.org/TR/REC-html40/strict.dtd">
<html><head><meta name="qrichtext" content="1" /><meta charset="utf-8" /><style type="text/css">
p, li { white-space: pre-wrap; }
hr { height: 1px; border-width: 0; }
li.unchecked::marker { content: "\\2610"; }
li.checked::marker { content: "\\2612"; }
</style></head><body style=" font-family:'Sans Serif'; font-size:9pt; font-weight:400; font-style:normal;">
<p style=" margin-top:0px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;">Bonjour {{ first_name }},</p>
<p style="-qt-paragraph-type:empty; margin-top:0px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;"><br /></p>
<p style=" margin-top:0px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;">Voici les <span style=" font-weight:700;">nouveautés</span> du <span style=" font-style:italic;">mois</span>, <span style=" text-decoration: underline;">à lire</span> et <span style=" font-weight:700; font-style:italic;">à partager</span>&nbsp;!<br />Notre <a href="https://shop.fr/?id={{ email }}&amp;utm=news"><span style=" text-decoration: underline; color:#0000ff;">boutique</span></a> &amp; nos ateliers.</p>
<ul style="margin-top: 0px; margin-bottom: 0px; margin-left: 0px; margin-right: 0px; -qt-list-indent: 1;">
<li style=" margin-top:12px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;">Atelier <span style=" font-weight:600;">céramique</span></li>
<li style=" margin-top:0px; margin-bottom:12px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;">Marché de Noël
<ul style="margin-top: 0px; margin-bottom: 0px; margin-left: 0px; margin-right: 0px; -qt-list-indent: 2;">
<li style=" margin-top:0px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;">samedi 14</li></ul></li></ul>
<ol style="margin-top: 0px; margin-bottom: 0px; margin-left: 0px; margin-right: 0px; -qt-list-indent: 1;">
<li style=" margin-top:12px; margin-bottom:12px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;">Réservez</li></ol>
<p style=" margin-top:0px; margin-bottom:0px; margin-left:0px; margin-right:0px; -qt-block-indent:0; text-indent:0px;"><a href="{{ unsubscribe_url }}"><span style=" text-decoration: underline; color:#0000ff;">Se désinscrire</span></a></p></body></html>"""  # noqa: E501

QT_CLEAN = (
    "<p>Bonjour {{ first_name }},</p>"
    "<p><br></p>"
    "<p>Voici les <strong>nouveautés</strong> du <em>mois</em>, <u>à lire</u> et "
    "<strong><em>à partager</em></strong>&nbsp;!<br>"
    'Notre <a href="https://shop.fr/?id={{ email }}&amp;utm=news">boutique</a> &amp; nos ateliers.'
    "</p>"
    "<ul><li>Atelier <strong>céramique</strong></li>"
    "<li>Marché de Noël<ul><li>samedi 14</li></ul></li></ul>"
    "<ol><li>Réservez</li></ol>"
    '<p><a href="{{ unsubscribe_url }}">Se désinscrire</a></p>'
)

SUBSET = {"p", "br", "strong", "em", "u", "a", "ul", "ol", "li", "span"}


class _Tags(HTMLParser):
    """Every tag and attribute a browser would see in some markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(markup)
    parser.close()
    return parser.tags


def assert_subset(markup: str) -> None:
    for tag, attrs in tags_of(markup):
        assert tag in SUBSET, markup
        allowed = {"href", "title"} if tag == "a" else set()
        assert set(attrs) <= allowed, markup
        href = attrs.get("href")
        if href is not None:
            assert href.startswith(("http://", "https://", "mailto:", "tel:", "{{")), href


def assert_harmless(markup: str) -> None:
    lowered = markup.lower()
    for tag, attrs in tags_of(markup):
        assert tag not in {"script", "style", "iframe", "object", "embed", "svg", "form"}
        assert tag not in {"input", "meta", "link", "base"}
        for name, value in attrs.items():
            assert not name.startswith("on"), markup
            value = (value or "").lower().replace(" ", "")
            assert "javascript:" not in value and "vbscript:" not in value, markup
            assert "expression(" not in value, markup
    assert "<script" not in lowered


# ------------------------------------------------------------------------------------ MERGE_TAG


def test_merge_tag_pattern_is_lazy_and_spans_lines() -> None:
    text = "Hi {{ first_name }}, see {{ url |\n default('x') }}!"
    found = [m.group(0) for m in MERGE_TAG.finditer(text)]
    assert found == ["{{ first_name }}", "{{ url |\n default('x') }}"]
    assert MERGE_TAG is merge.MERGE_TAG  # one definition, shared with the renderer


# ---------------------------------------------------------------------------------------- clean


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", ""),
        ("   \n\t ", ""),
        ("<p>Hello</p>", "<p>Hello</p>"),
        ("<p>a <b>b</b> <i>c</i> <u>d</u></p>", "<p>a <strong>b</strong> <em>c</em> <u>d</u></p>"),
        ("<p><strong>s</strong><em>e</em></p>", "<p><strong>s</strong><em>e</em></p>"),
        ("hello <b>bold</b> world", "<p>hello <strong>bold</strong> world</p>"),
        ("hello<div>block</div>tail", "<p>hello</p><p>block</p><p>tail</p>"),
        ("<b><p>one</p><p>two</p></b>", "<p><strong>one</strong></p><p><strong>two</strong></p>"),
        ("<p>  lots   of \n  space  </p>", "<p>lots of space</p>"),
        ("<p>a<br>b<br/>c<br></p>", "<p>a<br>b<br>c</p>"),
        ("<p>a<br><br>b</p>", "<p>a<br><br>b</p>"),
        ("<p><br></p><p> </p>", "<p><br></p>"),
        ("<p>a &amp; b &lt; c &gt; d</p>", "<p>a &amp; b &lt; c &gt; d</p>"),
        ("<p>Bonjour&nbsp;!</p>", "<p>Bonjour&nbsp;!</p>"),
        ("<p>café &eacute; &#233;</p>", "<p>café é é</p>"),
        ("<h1>Title</h1><p>Body</p>", "<p><strong>Title</strong></p><p>Body</p>"),
        ("<span class='x' style='color:red' id='y'>plain</span>", "<p>plain</p>"),
        ("<blockquote><div>quoted</div></blockquote>", "<p>quoted</p>"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "<p>a b</p>"),
        ("<pre>line 1\n   line 2</pre>", "<p>line 1<br>line 2</p>"),
        ("<p>x<font color=red>y</font><small>z</small></p>", "<p>xyz</p>"),
        (
            '<a href="https://example.com" title="Ex" target="_blank" rel="x">ex</a>',
            '<p><a href="https://example.com" title="Ex">ex</a></p>',
        ),
        ('<a href="mailto:hi@example.com">m</a>', '<p><a href="mailto:hi@example.com">m</a></p>'),
        ('<a href="tel:+33123456789">t</a>', '<p><a href="tel:+33123456789">t</a></p>'),
        ('<a href="/relative">r</a> <a href="#top">t</a>', "<p>r t</p>"),
        ('<a href="ftp://example.com">f</a>', "<p>f</p>"),
        (
            '<a href="https://a.fr"><u>underlined link</u></a>',
            '<p><a href="https://a.fr">underlined link</a></p>',
        ),
        (
            '<a href="https://a.fr">a <a href="https://b.fr">b</a></a>',
            '<p><a href="https://a.fr">a</a> <a href="https://b.fr">b</a></p>',
        ),
        ("<ul><li>a</li><li>b</li></ul>", "<ul><li>a</li><li>b</li></ul>"),
        ("<ol><li>a</li></ol>", "<ol><li>a</li></ol>"),
        ("<ul><li>a<ul><li>b</li></ul>c</li></ul>", "<ul><li>a<ul><li>b</li></ul>c</li></ul>"),
        ("<ul><li>a</li><ul><li>b</li></ul></ul>", "<ul><li>a<ul><li>b</li></ul></li></ul>"),
        ("<ul><li><p>p1</p><p>p2</p></li></ul>", "<ul><li>p1<br>p2</li></ul>"),
        ("<ul><li></li><li> </li></ul><ol></ol>", ""),
        ("<ul>stray<li>a</li></ul>", "<ul><li>stray</li><li>a</li></ul>"),
        ("<li>orphan</li>", "<p>orphan</p>"),
        ("<p>before<ul><li>x</li></ul>after</p>", "<p>before</p><ul><li>x</li></ul><p>after</p>"),
        (
            "<b>x<ul><li>in list</li></ul></b>",
            "<p><strong>x</strong></p><ul><li><strong>in list</strong></li></ul>",
        ),
    ],
)
def test_clean(source: str, expected: str) -> None:
    assert clean(source) == expected
    assert clean(expected) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Hello", "<p>Hello</p>"),
        ("line 1\nline 2", "<p>line 1<br>line 2</p>"),
        ("para 1\n\npara 2", "<p>para 1</p><p>para 2</p>"),
        ("para 1\r\n\r\n\r\npara 2\r\nnext", "<p>para 1</p><p>para 2<br>next</p>"),
        ("  spaced   out  \n\n\n", "<p>spaced out</p>"),
        ("Tom & Jerry > 3 < 4", "<p>Tom &amp; Jerry &gt; 3 &lt; 4</p>"),
        ('Say "hi" {{ first_name }}', '<p>Say "hi" {{ first_name }}</p>'),
        ("{{ a & b }}", "<p>{{ a & b }}</p>"),
    ],
)
def test_clean_plain_text_becomes_paragraphs(source: str, expected: str) -> None:
    assert clean(source) == expected


def test_clean_qt_document() -> None:
    assert clean(QT_HTML) == QT_CLEAN
    assert clean(QT_CLEAN) == QT_CLEAN


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("font-weight:700", "<strong>x</strong>"),
        ("font-weight:600", "<strong>x</strong>"),  # Qt 5 wrote 600 for bold
        ("font-weight: bold", "<strong>x</strong>"),
        ("font-weight:400", "x"),
        (" font-style:italic;", "<em>x</em>"),
        ("font-style: oblique", "<em>x</em>"),
        (" text-decoration: underline;", "<u>x</u>"),
        ("text-decoration: underline line-through", "<u>x</u>"),
        (
            "font-weight:700; font-style:italic; text-decoration: underline",
            "<strong><em><u>x</u></em></strong>",
        ),
        ("color:#ff0000; font-size:20pt", "x"),
    ],
)
def test_clean_turns_styled_spans_into_tags(style: str, expected: str) -> None:
    assert clean(f'<p><span style="{style}">x</span></p>') == f"<p>{expected}</p>"


def test_clean_google_docs_wrapper_is_not_bold() -> None:
    pasted = (
        '<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-1">'
        '<p dir="ltr"><span style="font-weight:700">Gras</span> normal</p></b>'
    )
    assert clean(pasted) == "<p><strong>Gras</strong> normal</p>"


def test_clean_does_not_nest_the_same_format_twice() -> None:
    assert clean("<b>a <strong>b <span style='font-weight:700'>c</span></strong></b>") == (
        "<p><strong>a b c</strong></p>"
    )


# Merge tags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            '<a href="{{ website }}">site</a>',
            '<p><a href="{{ website }}">site</a></p>',
        ),
        (
            '<a href="{{ unsubscribe_url }}">stop</a>',
            '<p><a href="{{ unsubscribe_url }}">stop</a></p>',
        ),
        (
            '<a href="https://shop.fr/?id={{ email }}">shop</a>',
            '<p><a href="https://shop.fr/?id={{ email }}">shop</a></p>',
        ),
        (
            '<a href="mailto:{{ email }}?subject={{ subject }}">me</a>',
            '<p><a href="mailto:{{ email }}?subject={{ subject }}">me</a></p>',
        ),
        (
            '<a href="{{ base_url }}/offre?u={{ id }}">offre</a>',
            '<p><a href="{{ base_url }}/offre?u={{ id }}">offre</a></p>',
        ),
        (
            "<p>Hi {{ first_name | default('ami') }}, {{ name|title }}!</p>",
            "<p>Hi {{ first_name | default('ami') }}, {{ name|title }}!</p>",
        ),
        (
            '<p>{{ first_name|default("ami") }}</p>',
            '<p>{{ first_name|default("ami") }}</p>',
        ),
        ("<p>{{ a & b }}</p>", "<p>{{ a & b }}</p>"),
        ("<p>{{\n  first_name\n}}</p>", "<p>{{\n  first_name\n}}</p>"),
        (
            "<p><b>{{ first_name }}</b></p>",
            "<p><strong>{{ first_name }}</strong></p>",
        ),
        (
            # Double quotes cannot be written inside href="…": Jinja reads ' just as well.
            "<a href='{{ url|default(\"https://a.fr\") }}'>x</a>",
            "<p><a href=\"{{ url|default('https://a.fr') }}\">x</a></p>",
        ),
    ],
)
def test_clean_keeps_merge_tags_verbatim(source: str, expected: str) -> None:
    assert clean(source) == expected
    assert clean(expected) == expected


def test_merge_tag_cannot_break_out_of_an_attribute() -> None:
    out = clean('<a href="https://a.fr" title=\'{{ x" onmouseover="alert(1) }}\'>t</a>')
    assert_subset(out)
    [attrs] = [attrs for tag, attrs in tags_of(out) if tag == "a"]
    assert set(attrs) == {"href", "title"}


def test_merge_tag_holding_markup_is_sanitised_not_restored() -> None:
    out = clean("<p>{{ '<script>alert(1)</script>' }}</p>")
    assert_harmless(out)
    assert "<script" not in out


@pytest.mark.parametrize(
    "href",
    [
        "java{{ x }}script:alert(1)",  # an empty x would spell javascript:
        "{{ x }}javascript:alert(1)",
        "{{ x }} javascript:alert(1)",
    ],
)
def test_merge_tags_cannot_assemble_a_script_url(href: str) -> None:
    out = clean(f'<a href="{href}">x</a>')
    assert out == "<p>x</p>"


# Hostile input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<script>alert(1)</script>ok", "<p>ok</p>"),
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
        ("<style>p { color: red }</style><p>ok</p>", "<p>ok</p>"),
        ('<img src="x" onerror="alert(1)">ok', "<p>ok</p>"),
        ('<p onclick="alert(1)" onmouseover="x">ok</p>', "<p>ok</p>"),
        ('<a href="javascript:alert(1)">x</a>', "<p>x</p>"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "<p>x</p>"),
        ('<a href=" javascript:alert(1)">x</a>', "<p>x</p>"),
        ('<a href="java\tscript:alert(1)">x</a>', "<p>x</p>"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "<p>x</p>"),
        ('<a href="&#106;avascript:alert(1)">x</a>', "<p>x</p>"),
        ('<a href="vbscript:msgbox(1)">x</a>', "<p>x</p>"),
        ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "<p>x</p>"),
        ("<iframe src='https://evil'>inner</iframe>ok", "<p>ok</p>"),
        ("<object data='x'><embed src='y'>inner</object>ok", "<p>ok</p>"),
        ("<svg onload='alert(1)'><script>x</script><text>t</text></svg>ok", "<p>ok</p>"),
        ("<form action='x'><input value='v'><button>Go</button>label</form>", "<p>label</p>"),
        ("<textarea>secret</textarea><select><option>o</option></select>ok", "<p>ok</p>"),
        ("<!-- comment --><p>ok<!-- <script>x</script> --></p>", "<p>ok</p>"),
        ("<!--[if mso]><p>outlook</p><![endif]--><p>ok</p>", "<p>ok</p>"),
        ("<p>unclosed <b>bold <i>both", "<p>unclosed <strong>bold <em>both</em></strong></p>"),
        ("<p>a</b></i></p></div>b", "<p>a</p><p>b</p>"),
        ("<p><p><p>x", "<p>x</p>"),
        ("<<b>>x<</b>>", "<p>&lt;<strong>&gt;x&lt;</strong>&gt;</p>"),
        ("<ul><li>a<li>b</ul>", "<ul><li>a</li><li>b</li></ul>"),
        (
            "<a href='https://a.fr'><div><p>block in link</p></div></a>",
            '<p><a href="https://a.fr">block in link</a></p>',
        ),
        ("<p>nul\x00byte</p>", "<p>nulbyte</p>"),
        ("nul\x00byte", "<p>nulbyte</p>"),
        ("<?xml version='1.0' encoding='latin-1'?><p>é</p>", "<p>é</p>"),
        ("<head><title>T</title><meta charset='utf-8'><body>unclosed head", "<p>unclosed head</p>"),
        ("<p>\ue000" + "0\ue001 placeholder lookalike</p>", "<p>0 placeholder lookalike</p>"),
    ],
)
def test_clean_hostile(source: str, expected: str) -> None:
    out = clean(source)
    assert out == expected
    assert_subset(out)
    assert_harmless(out)


def test_clean_deep_nesting() -> None:
    out = clean("<div><b>" * 3000 + "deep" + "</b></div>" * 3000)
    assert "deep" in out
    assert_subset(out)


def _python_steps(func: Callable[[str], object], arg: str) -> int:
    """How many Python-level steps (calls and lines) ``func(arg)`` takes: a machine-independent
    measure of work, so growth with the input size shows without timing anything."""
    steps = 0

    def tracer(frame: FrameType, event: str, _arg: Any) -> Any:
        nonlocal steps
        steps += 1
        return tracer

    previous = sys.gettrace()  # a coverage tool's, if any: put back afterwards
    sys.settrace(tracer)
    try:
        func(arg)
    finally:
        sys.settrace(previous)
    return steps


def _words(count: int) -> str:
    return " ".join(f"mot{i}" for i in range(count))


def test_clean_does_no_per_word_python_work() -> None:
    # The parsing is nh3's (linear, native); our own Python work must not grow with the text,
    # or a long newsletter would make every keystroke slower (and quadratically so).
    small = _python_steps(clean, f"<p>{_words(2000)}</p><p><b>{_words(2000)}</b></p>")
    large = _python_steps(clean, f"<p>{_words(8000)}</p><p><b>{_words(8000)}</b></p>")
    assert large <= small * 1.1
    lines = _python_steps(clean, "\n\n".join(["ligne " * 20] * 400))
    more_lines = _python_steps(clean, "\n\n".join(["ligne " * 20] * 800))
    assert more_lines <= lines * 2.2  # one paragraph per line: linear in the lines


def test_clean_large_text_is_complete() -> None:
    words = _words(20_000)  # ~130 KB
    out = clean(f"<p>{words}</p><p><b>{words}</b></p>")
    assert out == f"<p>{words}</p><p><strong>{words}</strong></p>"
    plain = "\n\n".join(["ligne " * 20] * 1000)  # ~120 KB of plain text
    assert clean(plain).count("<p>") == 1000


_FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<u>",
        "<br>",
        "<ul>",
        "<li>",
        "</li>",
        "</ul>",
        "<ol>",
        "<div>",
        "</div>",
        '<a href="https://a.fr">',
        '<a href="javascript:x">',
        "</a>",
        '<span style="font-weight:700">',
        "</span>",
        "<script>",
        "</script>",
        "{{ name }}",
        "{{ a",
        "}}",
        "&amp;",
        "&nbsp;",
        " ",
        "\n",
        "text",
        "é",
        "<",
        ">",
        '"',
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=30).map("".join))
def test_clean_is_idempotent_and_stays_in_the_subset(source: str) -> None:
    out = clean(source)
    assert clean(out) == out
    assert_subset(out)
    assert_harmless(out)


# --------------------------------------------------------------------------------- sanitize_raw


def test_raw_keeps_email_layout() -> None:
    source = (
        '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" '
        'bgcolor="#ffffff" align="center" style="border-collapse: collapse; max-width: 600px">'
        '<tr><td align="left" valign="top" colspan="2" style="padding: 16px 24px; '
        'font-family: Arial, sans-serif; color: #111827">'
        '<h2 style="margin: 0">Titre</h2><p>Texte <strong>fort</strong></p>'
        '<img src="https://cdn.example.com/a.png" alt="Logo" width="120" height="40">'
        '<a href="https://example.com" target="_blank">Lien</a>'
        "</td></tr></table>"
    )
    out = sanitize_raw(source)
    assert out == (
        '<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" '
        'bgcolor="#ffffff" align="center" style="border-collapse:collapse;max-width:600px">'
        '<tbody><tr><td align="left" valign="top" colspan="2" style="padding:16px 24px;'
        'font-family:Arial , sans-serif;color:#111827">'  # nh3 re-serialises the CSS
        '<h2 style="margin:0">Titre</h2><p>Texte <strong>fort</strong></p>'
        '<img src="https://cdn.example.com/a.png" alt="Logo" width="120" height="40">'
        '<a href="https://example.com" target="_blank">Lien</a>'
        "</td></tr></tbody></table>"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<div>ok</div><script>alert(1)</script>", "<div>ok</div>"),
        ("<style>body { display: none }</style><p>ok</p>", "<p>ok</p>"),
        ("<iframe src='https://evil.example'>x</iframe><p>ok</p>", "<p>ok</p>"),
        ("<object data='x.swf'>fallback</object><embed src='y'><p>ok</p>", "<p>ok</p>"),
        ("<form action='https://evil'><input name='pw'>F</form>", "F"),
        ("<meta http-equiv='refresh' content='0;url=x'><link rel='stylesheet' href='x'>ok", "ok"),
        ("<base href='https://evil/'><p>ok</p>", "<p>ok</p>"),
        ("<svg onload='alert(1)'><text>t</text></svg><p>ok</p>", "<p>ok</p>"),
        ("<p onclick='x' onmouseover='y' data-x='1' id='i'>ok</p>", "<p>ok</p>"),
        ('<img src="x.png" onerror="alert(1)">', "<img>"),
        ('<img src="javascript:alert(1)">', "<img>"),
        (
            '<img src="https://a.fr/x.png" style="display:block; border: 0">',
            '<img src="https://a.fr/x.png" style="display:block;border:0">',
        ),
        (
            '<img src="data:image/png;base64,iVBORw0KGgo=">',
            '<img src="data:image/png;base64,iVBORw0KGgo=">',
        ),
        (
            '<img src="data:image/jpeg;base64,/9j/4AAQ">',
            '<img src="data:image/jpeg;base64,/9j/4AAQ">',
        ),
        (
            '<img src="data:image/gif;base64,R0lGODlh">',
            '<img src="data:image/gif;base64,R0lGODlh">',
        ),
        ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>"),
        ('<img src="data:text/html;base64,PHNjcmlwdD4=">', "<img>"),
        ('<a href="data:image/png;base64,iVBORw0KGgo=">d</a>', "<a>d</a>"),
        ('<a href="javascript:alert(1)">j</a>', "<a>j</a>"),
        ('<a href="vbscript:msgbox(1)">v</a>', "<a>v</a>"),
        ('<a href="mailto:a@b.fr">m</a>', '<a href="mailto:a@b.fr">m</a>'),
        ('<a href="https://a.fr" target="evil">t</a>', '<a href="https://a.fr">t</a>'),
        ("<!--[if mso]><table><tr><td>mso</td></tr></table><![endif]-->ok", "ok"),
        ("<p>\x00nul</p>", "<p>nul</p>"),
        ("<div><span>unclosed", "<div><span>unclosed</span></div>"),
    ],
)
def test_raw_removes_active_content(source: str, expected: str) -> None:
    out = sanitize_raw(source)
    assert out == expected
    assert_harmless(out)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("color: red; position: fixed; top: 0", "color:red"),
        ("width: expression(alert(1)); color: blue", "color:blue"),
        ("background: url(javascript:alert(1)); color: blue", "color:blue"),
        (
            "background: url('https://a.fr/bg.png')",
            "background:url(&quot;https://a.fr/bg.png&quot;)",
        ),
        ("background-image: url(data:image/svg+xml,x); color: red", "color:red"),
        ("w\\69dth: expr\\65ssion(alert(1)); color: red", "color:red"),
        ("width: expr/**/ession(alert(1)); color: red", "color:red"),
        ("behavior: url(x.htc); -moz-binding: url(x.xml#x); color: red", "color:red"),
        ("color: red; </style><script>alert(1)</script>", "color:red"),
        (
            "font-family: Georgia, 'Times New Roman', serif",
            "font-family:Georgia , &quot;Times New Roman&quot; , serif",
        ),
    ],
)
def test_raw_filters_inline_styles(style: str, expected: str) -> None:
    out = sanitize_raw(f'<div style="{style}">x</div>')
    assert out == f'<div style="{expected}">x</div>'.replace('style=""', "").replace(
        "<div >", "<div>"
    )
    assert_harmless(out)


def test_raw_keeps_merge_tags() -> None:
    source = (
        '<a href="{{ website }}">site</a> <a href="https://shop.fr/?id={{ email }}">shop</a> '
        '<img src="{{ logo_url }}" alt="{{ company }}"> <p style="color: {{ brand_color }}">'
        "Bonjour {{ first_name | default('ami') }}</p>"
    )
    assert sanitize_raw(source) == (
        '<a href="{{ website }}">site</a> <a href="https://shop.fr/?id={{ email }}">shop</a> '
        '<img src="{{ logo_url }}" alt="{{ company }}"> <p style="color:{{ brand_color }}">'
        "Bonjour {{ first_name | default('ami') }}</p>"
    )


def test_raw_merge_tags_cannot_break_out_of_attributes() -> None:
    out = sanitize_raw(
        "<p style='color: {{ x\" onmouseover=\"alert(1) }}' title='{{ y\" onclick=\"z }}'>t</p>"
        '<a href="java{{ x }}script:alert(1)">j</a>'
    )
    assert_harmless(out)
    for _tag, attrs in tags_of(out):
        assert set(attrs) <= {"style", "title", "href"}
    assert "href" not in out


# -------------------------------------------------------------------------------------- to_text


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", ""),
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<p>line 1<br>line 2</p>", "line 1\nline 2"),
        ("<p>a<br><br>b<br></p><p><br></p>", "a\n\nb"),
        ("<p>  lots \n of   space </p>", "lots of space"),
        ("<p>a &amp; b &lt;c&gt; &eacute; &#233;&nbsp;!</p>", "a & b <c> é é\xa0!"),
        ("<p><strong>bold</strong> <em>it</em> <u>u</u></p>", "bold it u"),
        (
            '<p><a href="https://example.com/page">Our page</a></p>',
            "Our page (https://example.com/page)",
        ),
        ('<a href="https://example.com/">https://example.com/</a>', "https://example.com/"),
        ('<a href="https://example.com/">example.com</a>', "https://example.com/"),
        ('<a href="https://example.com"></a>', "https://example.com"),
        ('<a href="mailto:hi@example.com">hi@example.com</a>', "hi@example.com"),
        (
            '<a href="mailto:hi@example.com?subject=Hi">Write to us</a>',
            "Write to us (hi@example.com)",
        ),
        ('<a href="tel:+33123456789">Call</a>', "Call (+33123456789)"),
        ("<a>no target</a>", "no target"),
        (
            '<a href="{{ unsubscribe_url }}">Se désinscrire</a>',
            "Se désinscrire ({{ unsubscribe_url }})",
        ),
        ("<ul><li>one</li><li>two</li></ul>", "- one\n- two"),
        ("<ol><li>one</li><li>two</li></ol>", "1. one\n2. two"),
        (
            "<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul>after</li><li>d</li></ul>",
            "- a\n  - b\n    1. c\n  after\n- d",
        ),
        ("<p>Intro</p><ul><li>x</li></ul><p>Outro</p>", "Intro\n\n- x\n\nOutro"),
        ("<ul><li>x</li></ul><ol><li>y</li></ol>", "- x\n\n1. y"),
        ("<ul><li>a<br>b</li></ul>", "- a\n  b"),
        ("<script>var x;</script><style>p{}</style><p>ok</p>", "ok"),
        ("<h1>Title</h1><div>block</div>", "Title\n\nblock"),
        (
            '<p>Hi {{ first_name | default("l\'ami") }} &amp; co</p>',
            'Hi {{ first_name | default("l\'ami") }} & co',
        ),
        ("<p>{{ a &amp; b }}</p>", "{{ a &amp; b }}"),
        ("<p>nul\x00byte</p>", "nulbyte"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("<html><head><title>T</title><style>p{}</style><body><p>text", "text"),
    ],
)
def test_to_text(source: str, expected: str) -> None:
    assert to_text(source) == expected


def test_to_text_of_qt_document() -> None:
    assert to_text(clean(QT_HTML)) == (
        "Bonjour {{ first_name }},\n"
        "\n"
        "Voici les nouveautés du mois, à lire et à partager\xa0!\n"
        "Notre boutique (https://shop.fr/?id={{ email }}&utm=news) & nos ateliers.\n"
        "\n"
        "- Atelier céramique\n"
        "- Marché de Noël\n"
        "  - samedi 14\n"
        "\n"
        "1. Réservez\n"
        "\n"
        "Se désinscrire ({{ unsubscribe_url }})"
    )


def test_to_text_wraps_paragraphs() -> None:
    text = to_text("<p>" + "word " * 30 + "</p>", width=40)
    lines = text.split("\n")
    assert all(len(line) <= 40 for line in lines)
    assert lines[0] == " ".join(["word"] * 8)
    assert " ".join(lines).split() == ["word"] * 30


def test_to_text_default_width_is_76() -> None:
    lines = to_text("<p>" + "abcd " * 100 + "</p>").split("\n")
    assert max(len(line) for line in lines) == 74  # 15 words of 4 + 14 spaces fit in 76


def test_to_text_never_breaks_urls_or_merge_tags() -> None:
    url = "https://example.com/a/very/long/path/that/goes/on/and/on?x=1&y=2"
    assert to_text(f"<p>see {url} now</p>", width=30) == f"see\n{url}\nnow"
    tag = "{{ first_name | default('cher ami') }}"
    assert to_text(f"<p>Bonjour {tag} comment allez-vous</p>", width=20) == (
        f"Bonjour\n{tag}\ncomment allez-vous"
    )


def test_to_text_wraps_list_items_with_a_hanging_indent() -> None:
    text = to_text("<ul><li>" + "item text " * 8 + "</li></ul>", width=30)
    assert text == (
        "- item text item text item\n  text item text item text\n  item text item text item\n  text"
    )
    nested = to_text("<ol><li>a<ul><li>" + "deep words " * 4 + "</li></ul></li></ol>", width=20)
    assert nested == "1. a\n  - deep words deep\n    words deep words\n    deep words"


def test_to_text_large_input() -> None:
    html = "<p>" + "mot " * 30_000 + "</p>"  # 120 KB
    text = to_text(html)
    assert text.count("mot") == 30_000


def test_to_text_work_is_linear_in_the_input() -> None:
    # Wrapping once per word: twice the words may cost twice the steps, not four times.
    small = _python_steps(to_text, "<p>" + "mot " * 2000 + "</p>")
    large = _python_steps(to_text, "<p>" + "mot " * 4000 + "</p>")
    assert small * 1.8 <= large <= small * 2.2


# Merge tags written by Qt, typed links, plain text -------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Qt's toHtml() writes the quotes of a default as &quot;: the tag is the text it shows.
        (
            "<p>Bonjour {{ first_name | default(&quot;cher client&quot;) }} !</p>",
            '<p>Bonjour {{ first_name | default("cher client") }} !</p>',
        ),
        ("<p>{{ a &amp; b }} {{ c }}</p>", "<p>{{ a & b }} {{ c }}</p>"),
        (
            '<p><a href="https://s.fr/?u={{ email | default(&quot;x&quot;) }}">s</a></p>',
            "<p><a href=\"https://s.fr/?u={{ email | default('x') }}\">s</a></p>",
        ),
        # Still no markup smuggled through a decoded tag, nor a second tag made up.
        (
            "<p>{{ x | default(&quot;&lt;b&gt;&quot;) }}</p>",
            "<p>{{ x | default(&quot;&lt;b&gt;&quot;) }}</p>",
        ),
        ("<p>{{ a &#125;&#125; b }}</p>", "<p>{{ a &#125;&#125; b }}</p>"),
        (
            '<p><a href="https://s.fr/{{ x | default(&quot;it\'s&quot;) }}">s</a></p>',
            '<p><a href="https://s.fr/{{ x | default(&quot;it\'s&quot;) }}">s</a></p>',
        ),
    ],
)
def test_clean_reads_character_references_inside_merge_tags(source: str, expected: str) -> None:
    assert clean(source) == expected
    assert clean(expected) == expected


@pytest.mark.parametrize(
    ("typed", "link"),
    [
        ("https://atelier.fr/agenda", "https://atelier.fr/agenda"),
        ("  http://a.fr  ", "http://a.fr"),
        ("mailto:bonjour@atelier.fr", "mailto:bonjour@atelier.fr"),
        ("tel:+33123456789", "tel:+33123456789"),
        ("atelier.fr", "https://atelier.fr"),
        ("www.atelier.fr/agenda?m=3", "https://www.atelier.fr/agenda?m=3"),
        ("atelier.fr:8080/x", "https://atelier.fr:8080/x"),
        ("bonjour@atelier.fr", "mailto:bonjour@atelier.fr"),
        ("{{ website }}", "{{ website }}"),
        ("{{ site }}/promo", "{{ site }}/promo"),
        ("https://a.fr/mon fichier.pdf", "https://a.fr/mon%20fichier.pdf"),
        (
            'https://a.fr/?n={{ first_name | default("a b") }}',
            'https://a.fr/?n={{ first_name | default("a b") }}',
        ),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("vbscript:x", None),
        ("ftp://atelier.fr", None),
        ("/agenda", None),
        ("#haut", None),
        ("{{ x }}javascript:alert(1)", None),
        ('https://a.fr/" onmouseover="x', None),
        ("https://a.fr/\nx", None),
        ("bonjour", None),
        ("", None),
    ],
)
def test_link_target(typed: str, link: str | None) -> None:
    assert link_target(typed) == link
    if link is not None:  # what it gives survives clean as a link
        assert clean(f'<a href="{link}">x</a>').startswith("<p><a href=")


def test_plain_text_to_html_never_reads_markup() -> None:
    assert plain_text_to_html("a <b>b</b>\nc") == "<p>a &lt;b&gt;b&lt;/b&gt;<br>c</p>"
    assert plain_text_to_html('{{ x | default("<i>") }}') == (
        '<p>{{ x | default("&lt;i&gt;") }}</p>'
    )
    assert plain_text_to_html("{{ a & b }}") == "<p>{{ a & b }}</p>"
