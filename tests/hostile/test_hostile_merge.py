"""Hostile merge tags: tags across markup, statements smuggled through entities, unbounded
growth, marker look-alikes. Built as a hostile author would write them into a document.

Every final HTML is parsed as a browser would tokenise it and must hold no script, no event
handler and no ``javascript:`` link, whatever the tags and the recipient's values are.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editor.document import (
    FooterBlock,
    HeadingBlock,
    HtmlBlock,
    Newsletter,
    Sender,
    TextBlock,
)
from editor.merge import MergeTagError
from editor.merge_grammar import MAX_VALUE
from editor.package import BulletinFile, load, save
from editor.render.engine import Renderer
from editor.render.mime import build_message

_DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "form", "svg", "math", "base", "meta"}
_URL_ATTRS = {"href", "src", "action", "formaction", "background", "poster", "xlink:href"}
_HOSTILE_VALUES = {
    "first_name": '"><script>alert(1)</script>',
    "last_name": "' onmouseover='alert(1)",
    "email": "javascript:alert(1)//@x.fr",
    "site": "javascript:alert(1)",
}


class _Audit(HTMLParser):
    """Collects what a browser would see as elements and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta" or tag == "style":
            return  # the page skeleton's own (checked by the golden tests)
        if tag in _DANGEROUS_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}={value!r}")
            if name in _URL_ATTRS and value is not None:
                squashed = "".join(ch for ch in value if ch > " ").lower()
                if squashed.startswith(("javascript:", "vbscript:", "data:text")):
                    self.problems.append(f"{tag} {name}={value!r}")

    handle_startendtag = handle_starttag


def audit(markup: str) -> list[str]:
    parser = _Audit()
    parser.feed(markup)
    parser.close()
    return parser.problems


def _doc(*blocks: object) -> Newsletter:
    return Newsletter(
        subject="Test",
        sender=Sender(name="Asso", email="asso@example.org"),
        blocks=[*blocks, FooterBlock(id="foot", company="Asso", address="1 rue X")],  # type: ignore[list-item]
    )


def _render_all(doc: Newsletter) -> list[str]:
    """Every output a recipient or the user gets: sample HTML, hostile-contact HTML, the .eml."""
    rendered = Renderer().render(doc)
    outputs = [rendered.html_for(), rendered.html_for(_HOSTILE_VALUES)]
    message = build_message(
        rendered,
        sender_name="Asso",
        sender_email="asso@example.org",
        images={},
        contact=_HOSTILE_VALUES,
    )
    html_part = next(p for p in message.walk() if p.get_content_type() == "text/html")
    outputs.append(html_part.get_content())
    return outputs


# ---------------------------------------------------------------- 1. tags across markup

CROSSING = [
    # The case: a quote and ">" inside the tag's expression close the attribute.
    '<p title="{{ first_name | default(\'x">\') }}" onmouseover="alert(1)">Hi</p>',
    '<img src="https://x.example/a.png" alt="{{ first_name | default(\'\\">\') }}" '
    'onerror="alert(1)">',
    '<a href="https://x.example/" title="{{ x | default(\'">\') }}" '
    'href="javascript:alert(1)">lien</a>',
    '<a title="{{ x | default(\'"><a href="\') }}" href="javascript:alert(1)">x</a>',
    '<div title="{{ a">}}<img src=x onerror=alert(1)>',
    '<p>{{ first_name | default("<img src=x onerror=alert(1)>") }}</p>',
    '<a href="{{ site }}">site</a><a href="{{ site }}/p?x={{ email }}">p</a>',
    "<p style=\"color: {{ c | default('red;background:url(javascript:alert(1))') }}\">x</p>",
]


@pytest.mark.parametrize("markup", CROSSING)
@pytest.mark.parametrize("kind", ["html", "text"])
def test_tags_across_markup_never_reach_the_output_as_markup(markup: str, kind: str) -> None:
    block = HtmlBlock(id="raw", html=markup) if kind == "html" else TextBlock(id="t", html=markup)
    try:
        outputs = _render_all(_doc(block))
    except MergeTagError:
        return  # refused with a message naming the tag: fine too
    for out in outputs:
        assert audit(out) == [], out


# Vectors from the OWASP XSS filter-evasion cheat sheet that nh3 already blocks: they must stay
# blocked once merge tags are mixed in.
OWASP = [
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>"\\>',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;"
    "&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert("XSS")>',
    '<<SCRIPT>alert("XSS");//\\<</SCRIPT>',
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    '<svg/onload=alert("XSS")>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<a href=\"jav&#x0A;ascript:alert('XSS');\">x</a>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table>",
]


@pytest.mark.parametrize("vector", OWASP)
@pytest.mark.parametrize("where", ["before", "inside", "after"])
def test_owasp_vectors_stay_blocked_with_merge_tags_around(vector: str, where: str) -> None:
    tag = "{{ first_name | default('\">') }}"
    markup = {
        "before": tag + vector,
        "inside": vector.replace(">", f' title="{tag}">', 1),
        "after": vector + tag,
    }[where]
    for block in (HtmlBlock(id="raw", html=markup), TextBlock(id="t", html=markup)):
        try:
            outputs = _render_all(_doc(block))
        except MergeTagError:
            continue
        for out in outputs:
            assert audit(out) == [], (markup, out)


_pieces = st.sampled_from(
    [
        "<p>",
        "</p>",
        '<a href="',
        "<a href='",
        '<img src="https://i.example/a.png" alt="',
        '" onerror="alert(1)"',
        "' onmouseover='alert(1)'",
        '">',
        ">",
        "<",
        '"',
        "'",
        "javascript:alert(1)",
        "{{ first_name }}",
        "{{ site }}",
        "{{ x | default('\">') }}",
        '{{ x | default("<script>") }}',
        "{{ a",
        "}}",
        "&#125;&#125;",
        "&quot;",
        "{% for a in range(9) %}",
        "<script>alert(1)</script>",
        "text ",
        '<td style="color:',
        "BMTT0123456789abZ",
    ]
)


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(_pieces, min_size=1, max_size=14), st.booleans())
def test_generated_crossings_and_smuggling_render_safely(pieces: list[str], raw: bool) -> None:
    markup = "".join(pieces)
    block = HtmlBlock(id="raw", html=markup) if raw else TextBlock(id="t", html=markup)
    try:
        outputs = _render_all(_doc(block))
    except MergeTagError:
        return
    for out in outputs:
        assert audit(out) == [], (markup, out)


# ------------------------------------------------------- 2. statements smuggled as entities

SMUGGLED = (
    "{{ 1 &#125;&#125;{% for a in range(999) %}{% for b in range(999) %}"
    "{% for c in range(999) %}x{% endfor %}{% endfor %}{% endfor %}{{ 2 }}"
)


def test_entity_smuggled_statements_never_run_in_a_heading(tmp_path: Path) -> None:
    doc = _doc(HeadingBlock(id="h", text=SMUGGLED))
    path = tmp_path / "smuggled.bulletin"
    save(BulletinFile(doc, {}), path)
    opened = load(path)  # opening renders nothing, and must not hang either
    try:
        rendered = Renderer().render(opened.newsletter)
    except MergeTagError as exc:
        assert "{{" in str(exc)
        return
    assert any(f.code.startswith("merge.") for f in rendered.findings)
    assert "xxx" not in rendered.html and "xxx" not in rendered.text


@pytest.mark.parametrize("kind", ["html", "text"])
def test_entity_smuggled_statements_never_run_in_rich_text(kind: str) -> None:
    markup = f"<p>{SMUGGLED}</p>"
    block = HtmlBlock(id="raw", html=markup) if kind == "html" else TextBlock(id="t", html=markup)
    try:
        outputs = _render_all(_doc(block))
    except MergeTagError:
        return
    assert all("xxx" not in out for out in outputs)


# ----------------------------------------------------------- 3. expressions without bound

GROWTH = [
    "{{ x" + ' | replace("a", "aaaaaaaaaa")' * 8 + " }}",
    '{{ "%0300000000d" % 1 }}',
    '{{ "{:>300000000}".format(1) }}',
    "{{ 9 ** 9 ** 9 ** 9 }}",
    "{{ [[[1] * 1000] * 1000] * 1000 }}",
    "{{ 'a' * 1000000000 }}",
    "{{ x | truncate(999999999999) }}",
    "{{ x | replace('', 'xxxxxxxxxxxxxxxxxxxx') | replace('', 'xxxxxxxxxxxxxxxxxxxx') }}",
]


@pytest.mark.parametrize("tag", GROWTH)
def test_growing_expressions_are_refused_or_capped(tag: str) -> None:
    doc = _doc(HeadingBlock(id="h", text=f"Bonjour {tag}"))
    try:
        rendered = Renderer().render(doc)
    except MergeTagError:
        return
    try:
        html = rendered.html_for({"x": "a" * 200})
    except MergeTagError as exc:
        assert "{{" in str(exc)
        return
    assert len(html) < len(rendered.html) + MAX_VALUE + 100


# ------------------------------------------------------------ 5. marker look-alikes in text


def test_text_shaped_like_an_internal_marker_is_just_text() -> None:
    doc = _doc(
        HeadingBlock(id="h", text="Code BMTT0123456789abZ et BMTW0123456789abZ"),
        TextBlock(
            id="t",
            html='<p><a href="https://x.example/BMTQ0123456789abZ">BMTC0123456789abZ</a></p>',
        ),
    )
    rendered = Renderer().render(doc)
    html = rendered.html_for({"first_name": "Zoé"})
    text = rendered.text_for({"first_name": "Zoé"})
    assert "0123456789ab" in html and "0123456789ab" in text


def test_a_refused_tag_shows_as_written_in_previews_and_blocks_real_sends() -> None:
    doc = _doc(
        TextBlock(id="t", html='<p>Bonjour {{ first_name.upper() }} <a href="{{ x.y }}">l</a></p>')
    )
    doc.subject = "Pour {{ 1 + 1 }}"
    rendered = Renderer().render(doc)
    assert {f.code for f in rendered.findings} == {"merge.not_allowed"}
    html = rendered.html_for(preview=True)
    assert "Bonjour {{ first_name.upper() }}" in html and 'href="#"' in html
    assert "{{ first_name.upper() }}" in rendered.text_for(preview=True)
    assert rendered.subject_for(preview=True) == "Pour {{ 1 + 1 }}"
    for strict in (rendered.html_for, rendered.text_for, rendered.subject_for):
        with pytest.raises(MergeTagError):
            strict({"first_name": "Zoé"})
