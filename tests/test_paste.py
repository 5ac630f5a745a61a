"""Pasting into a text block: clipboard HTML from Word, LibreOffice, Google Docs and web pages.

The fixtures in ``tests/data/paste/`` are hand-written in the shape each program puts on the
clipboard (Word's conditional list markers and ``<o:p>``, LibreOffice's ``<font>`` nests and
unclosed ``<li>``, Google Docs' ``docs-internal-guid`` bold wrapper and redirect links, a
browser's computed inline styles); ``<name>.expected.html`` holds the subset each must give,
one block per line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from editor import merge_grammar
from editor.paste import from_html, from_text
from editor.richtext import MERGE_TAG, clean

DATA = Path(__file__).resolve().parent / "data" / "paste"
SOURCES = sorted(
    p.name.removesuffix(".html") for p in DATA.glob("*.html") if ".expected" not in p.name
)


def expected(name: str) -> str:
    return (DATA / f"{name}.expected.html").read_text(encoding="utf-8").replace("\n", "")


def test_every_source_has_a_fixture() -> None:
    assert SOURCES == ["google_docs", "libreoffice", "web_page", "word"]


@pytest.mark.parametrize("name", SOURCES)
def test_fixture_becomes_the_subset(name: str) -> None:
    pasted = from_html((DATA / f"{name}.html").read_text(encoding="utf-8"))
    assert pasted == expected(name)
    assert clean(pasted) == pasted  # already what a text block stores


@pytest.mark.parametrize("name", SOURCES)
def test_fixture_drops_fonts_colours_images_and_scripts(name: str) -> None:
    pasted = from_html((DATA / f"{name}.html").read_text(encoding="utf-8"))
    for gone in ("style=", "<img", "<font", "<span", "<table", "<td", "<script", "gtag", "mso"):
        assert gone not in pasted
    assert "·" not in pasted  # Word's literal bullets
    assert "<li>" in pasted and "<a href=" in pasted


def test_word_lists_keep_their_kind_and_nesting() -> None:
    pasted = from_html((DATA / "word.html").read_text(encoding="utf-8"))
    assert "<ul><li>Poterie le <strong>mardi</strong><ul><li>débutants" in pasted
    assert "<ol><li>Choisir un créneau</li><li>Écrire à " in pasted


def test_word_for_mac_marker_span_without_conditional() -> None:
    source = (
        "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>"
        "<span style='mso-list:Ignore'>a)<span style='font:7.0pt \"Times\"'>&nbsp; </span>"
        "</span>Premier</p>"
        "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>"
        "<span style='mso-list:Ignore'>b)<span>&nbsp; </span></span>Second</p>"
    )
    assert from_html(source) == "<ol><li>Premier</li><li>Second</li></ol>"


def test_word_newer_comment_markers() -> None:
    source = (
        "<p style='mso-list:l2 level1 lfo3'><!--[if !supportLists]--><span>"
        "<span style='mso-list:Ignore'>-<span>&nbsp;&nbsp; </span></span></span>"
        "<!--[endif]-->un</p>"
        "<p style='mso-list:l2 level1 lfo3'><!--[if !supportLists]-->-<!--[endif]-->deux</p>"
        "<p class=MsoNormal>après</p>"
    )
    assert from_html(source) == "<ul><li>un</li><li>deux</li></ul><p>après</p>"


def test_word_list_after_a_deeper_level_returns_to_the_outer_list() -> None:
    item = (
        "<p style='mso-list:l0 level{level} lfo1'><![if !supportLists]>{marker}<![endif]>{text}</p>"
    )
    source = "".join(
        item.format(level=level, marker=marker, text=text)
        for level, marker, text in [
            (1, "1.", "a"),
            (2, "o", "a1"),
            (3, "§", "a1x"),
            (1, "2.", "b"),
        ]
    )
    assert from_html(source) == (
        "<ol><li>a<ul><li>a1<ul><li>a1x</li></ul></li></ul></li><li>b</li></ol>"
    )


@pytest.mark.parametrize(
    ("href", "target"),
    [
        (
            "https://www.google.com/url?q=https://atelier.fr/a%3Fb%3D1&amp;sa=D&amp;usg=x",
            "https://atelier.fr/a?b=1",
        ),
        (
            "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fatelier.fr%2F"
            "&amp;data=05%7C01&amp;reserved=0",
            "https://atelier.fr/",
        ),
        ("https://www.google.com/search?q=https://atelier.fr", None),  # a search, not a redirect
        ("https://www.google.com/url?q=javascript:alert(1)", None),  # never unwrap to a script
    ],
)
def test_redirect_links_are_unwrapped(href: str, target: str | None) -> None:
    pasted = from_html(f'<p><a href="{href}">lien</a></p>')
    kept = target if target is not None else clean(f'<a href="{href}">x</a>').split('"')[1]
    assert pasted == f'<p><a href="{kept.replace("&", "&amp;")}">lien</a></p>'


def test_relative_links_resolve_against_the_page_address() -> None:
    source = '<p><a href="/agenda">agenda</a> <a href="#top">haut</a> <a href="../x">x</a></p>'
    assert from_html(source, base_url="https://atelier.fr/blog/post/") == (
        '<p><a href="https://atelier.fr/agenda">agenda</a> '
        '<a href="https://atelier.fr/blog/post/#top">haut</a> '
        '<a href="https://atelier.fr/blog/x">x</a></p>'
    )
    assert from_html(source) == "<p>agenda haut x</p>"  # nowhere to resolve them: text only
    assert from_html(source, base_url="file:///home/claire/") == "<p>agenda haut x</p>"


def test_windows_clipboard_header_is_dropped_and_gives_the_page_address() -> None:
    source = (
        "Version:0.9\r\nStartHTML:0000000165\r\nEndHTML:0000000302\r\n"
        "StartFragment:0000000201\r\nEndFragment:0000000266\r\n"
        "SourceURL:https://atelier.fr/blog/\r\n"
        '<html><body>\r\n<!--StartFragment--><b>Gras</b> <a href="hiver">hiver</a>'
        "<!--EndFragment-->\r\n</body></html>"
    )
    assert from_html(source) == (
        '<p><strong>Gras</strong> <a href="https://atelier.fr/blog/hiver">hiver</a></p>'
    )


def test_blank_paragraphs_at_the_edges_are_dropped_inside_kept() -> None:
    source = "<p>&nbsp;</p><p><o:p>&nbsp;</o:p></p><p>a</p><p>&nbsp;</p><p>b</p><br><br>"
    assert from_html(source) == "<p>a</p><p><br></p><p>b</p>"


def test_merge_tags_survive_a_paste() -> None:
    source = (
        "<p><span style='color:red'>Bonjour {{ first_name | default(&quot;ami&quot;) }}</span>,"
        ' <a href="https://shop.fr/?m={{ email }}">ici</a></p>'
    )
    pasted = from_html(source)
    assert pasted == (
        '<p>Bonjour {{ first_name | default("ami") }}, '
        '<a href="https://shop.fr/?m={{ email }}">ici</a></p>'
    )
    for tag in MERGE_TAG.finditer(pasted):
        merge_grammar.parse(tag.group(1))


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Bonjour,\nà bientôt", "<p>Bonjour,<br>à bientôt</p>"),
        ("un\n\ndeux\r\ntrois", "<p>un</p><p>deux<br>trois</p>"),
        ("<b>pas du gras</b> & co", "<p>&lt;b&gt;pas du gras&lt;/b&gt; &amp; co</p>"),
        (
            'Salut {{ first_name | default("toi") }}',
            '<p>Salut {{ first_name | default("toi") }}</p>',
        ),
        ("", ""),
    ],
)
def test_plain_text_keeps_its_line_breaks_and_is_never_markup(text: str, html: str) -> None:
    assert from_text(text) == html
