"""Findings: codes, severities and block ids as data, worded in the UI language when shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from editor import findings, i18n
from editor.document import (
    ButtonBlock,
    Column,
    ColumnsBlock,
    ImageBlock,
    PostsBlock,
    TextBlock,
)
from editor.findings import CATALOGUE, Finding, Severity
from editor.merge import MergeTagError
from editor.render.engine import Renderer
from tests.render.helpers import newsletter


@pytest.fixture
def french() -> Iterator[None]:
    i18n.set_language("fr")
    try:
        yield
    finally:
        i18n.set_language("en")


def test_a_finding_is_plain_hashable_data() -> None:
    a = Finding.of(findings.LINK_UNSAFE, "b1", url="javascript:x")
    b = Finding(findings.LINK_UNSAFE, Severity.WARNING, "b1", (("url", "javascript:x"),))
    assert a == b and hash(a) == hash(b)
    assert a.values == {"url": "javascript:x"}
    assert Finding.of(findings.GMAIL_CLIP, kb=3, x=1).params == (("kb", 3), ("x", 1))
    with pytest.raises(KeyError):
        Finding.of("no.such.code")


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_is_worded_in_both_languages(code: str) -> None:
    params: dict[str, str | int] = {
        "url": "x:y",
        "kb": 120,
        "feed": "https://f.example",
        "tag": "{{ a }}",
        "detail": "oops",
        "fields": "a",
    }
    finding = Finding.of(code, None, **params)
    worded = {}
    for language in ("fr", "en"):
        i18n.set_language(language)
        worded[language] = (findings.message(finding), findings.fix(finding))
    i18n.set_language("en")
    assert all(worded["fr"]) and all(worded["en"])
    assert worded["fr"] != worded["en"]


def test_a_code_is_registered_once() -> None:
    with pytest.raises(ValueError, match="already"):
        findings.register(findings.IMAGE_NO_ALT, Severity.INFO, lambda p: "", lambda p: "")


def test_render_findings_carry_codes_and_block_ids() -> None:
    doc = newsletter(
        ImageBlock(id="top", src="https://cdn.example/a.jpg"),
        ColumnsBlock(
            id="cols",
            columns=[
                Column([ImageBlock(id="inner", src="https://cdn.example/b.jpg")]),
                Column([ButtonBlock(id="btn", label="Go", url="javascript:alert(1)")]),
            ],
        ),
        PostsBlock(id="posts", feed_url="https://blog.example/feed"),
        footer=False,
    )
    rendered = Renderer().render(doc)
    got = {(f.code, f.block_id) for f in rendered.findings}
    assert got == {
        (findings.FOOTER_MISSING, None),
        (findings.IMAGE_NO_ALT, "top"),
        (findings.IMAGE_NO_ALT, "inner"),  # the image's id, not its columns block's
        (findings.LINK_UNSAFE, "btn"),
        (findings.POSTS_EMPTY, "posts"),
    }
    unsafe = next(f for f in rendered.findings if f.code == findings.LINK_UNSAFE)
    assert unsafe.values == {"url": "javascript:alert(1)"}
    assert all(f.severity is Severity.WARNING for f in rendered.findings)
    # the same findings come back when every block is served from the cache
    renderer = Renderer()
    first = renderer.render(doc).findings
    misses = renderer.misses
    assert renderer.render(doc).findings == first
    assert renderer.misses == misses


@pytest.mark.parametrize(
    ("tag", "code", "params"),
    [
        ("{{ x.__class__ }}", findings.MERGE_NOT_ALLOWED, {"tag": "{{ x.__class__ }}"}),
        ("{{ 1/0 }}", findings.MERGE_NOT_ALLOWED, {"tag": "{{ 1/0 }}"}),
        ("{{ first_name.mro() }}", findings.MERGE_NOT_ALLOWED, {"tag": "{{ first_name.mro() }}"}),
        ("{{ name | nofilter }}", findings.MERGE_NOT_ALLOWED, {"tag": "{{ name | nofilter }}"}),
    ],
)
def test_a_merge_tag_that_cannot_be_computed_is_a_finding_at_its_block(
    tag: str, code: str, params: dict[str, str]
) -> None:
    doc = newsletter(TextBlock(id="t1", html="<p>x</p>"), TextBlock(id="t2", html=f"<p>{tag}</p>"))
    rendered = Renderer().render(doc)
    found = [f for f in rendered.findings if f.code.startswith("merge.")]
    assert found == [Finding.of(code, "t2", **params)]
    assert found[0].severity is Severity.ERROR
    assert tag in findings.message(found[0])


def test_merge_error_in_the_subject_has_no_block() -> None:
    doc = newsletter(TextBlock(html="<p>x</p>"))
    doc.subject = "News for {{ x.__class__ }}"
    found = [f for f in Renderer().render(doc).findings if f.code.startswith("merge.")]
    assert [(f.code, f.block_id) for f in found] == [(findings.MERGE_NOT_ALLOWED, None)]


def test_a_malformed_tag_stops_the_render_with_a_code() -> None:
    doc = newsletter(TextBlock(html="<p>{{ name | }}</p>"))
    with pytest.raises(MergeTagError) as caught:
        Renderer().render(doc)
    finding = caught.value.finding()
    assert finding.code == findings.MERGE_MALFORMED
    assert finding.values["tag"] == "{{ name | }}"
    assert "name |" in findings.message(finding)


def test_cached_findings_are_worded_in_the_current_language(french: None) -> None:
    renderer = Renderer()
    doc = newsletter(ImageBlock(id="img", src="https://cdn.example/a.jpg"), footer=False)
    first = renderer.render(doc)
    french_words = [findings.message(f) for f in first.findings]
    assert any("texte alternatif" in m for m in french_words)
    i18n.set_language("en")
    misses = renderer.misses
    again = renderer.render(doc)
    assert renderer.misses == misses  # every block came from the cache
    assert again.findings == first.findings
    english = [findings.message(f) for f in again.findings]
    assert any("alt text" in m for m in english)
    assert any("footer is missing" in m for m in english)
    assert not any("texte alternatif" in m for m in english)


def test_render_cache_key_does_not_depend_on_the_ui_language(french: None) -> None:
    renderer = Renderer()
    doc = newsletter(ImageBlock(src="https://cdn.example/a.jpg"))
    french_html = renderer.render(doc).html
    keys = set(renderer._cache)
    i18n.set_language("en")
    assert renderer.render(doc).html == french_html
    assert set(renderer._cache) == keys
