"""What every rendered newsletter must hold, whatever its blocks."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from editor import findings
from editor.document import (
    ButtonBlock,
    Column,
    ColumnsBlock,
    HeadingBlock,
    HtmlBlock,
    ImageBlock,
    PostsBlock,
    SocialBlock,
    SocialLink,
    TextBlock,
)
from editor.feeds import Post
from editor.merge import MergeTagError
from editor.render.engine import GMAIL_CLIP_BYTES, Renderer, inline_css
from tests.render.helpers import fragment, newsletter, png

IMAGE = "images/" + "b" * 64 + ".png"


def test_page_skeleton_has_the_email_essentials() -> None:
    rendered = Renderer().render(newsletter(TextBlock(html="<p>Hi</p>")))
    html = rendered.html_for()
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta name="color-scheme" content="light dark">' in html
    assert "<!--[if mso | IE]>" in html
    assert 'role="presentation"' in html
    assert "What is new this month" in html  # hidden preheader
    assert "mso-hide:all" in html
    assert "@media only screen and (max-width: 620px)" in html


def test_important_survives_in_the_mobile_rules() -> None:
    html = Renderer().render(newsletter(ColumnsBlock())).html
    media = html[html.index("@media only screen") :]
    assert ".bl-col { display: block !important; width: 100% !important;" in media


def test_premailer_keeps_important_when_inlining() -> None:
    out = inline_css('<p class="x">a</p>', ".x { color: red !important; }")
    assert "color:red !important" in out.replace(": ", ":")


def test_merge_tag_in_href_is_not_url_encoded_by_premailer() -> None:
    doc = newsletter(ButtonBlock(label="Go", url="https://x.example/?e={{ email }}"))
    html = Renderer().render(doc).html_for({"email": "zoé@x.example"})
    assert 'href="https://x.example/?e=zo%C3%A9%40x.example&amp;utm_source=newsletter' in html
    assert "%7B%7B" not in html and "{{" not in html


def test_personalised_values_are_escaped() -> None:
    doc = newsletter(HeadingBlock(text="Hi {{ first_name }}"))
    html = Renderer().render(doc).html_for({"email": "a@b.c", "first_name": "<script>x</script>"})
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_sandbox_escape_attempt_fails_clearly() -> None:
    doc = newsletter(TextBlock(html="<p>{{ ''.__class__.__mro__ }}</p>"))
    rendered = Renderer().render(doc)
    with pytest.raises(MergeTagError, match="not allowed"):
        rendered.html_for()


def test_every_image_has_alt_and_width_and_missing_alt_warns() -> None:
    doc = newsletter(
        ImageBlock(id="noalt", src=IMAGE, alt=""),
        ImageBlock(src="https://cdn.example/a.jpg", alt="A"),
    )
    rendered = Renderer({IMAGE: png(800, 400)}).render(doc)
    html = rendered.html_for()
    for tag in re.findall(r"<img\b[^>]*>", html):
        assert " alt=" in tag and " width=" in tag
    missing = [f for f in rendered.findings if f.code == findings.IMAGE_NO_ALT]
    assert [f.block_id for f in missing] == ["noalt"]
    assert "alt text" in findings.message(missing[0])
    assert 'width="552" height="276"' in html  # 800×400 shown at the 552 px text width


def test_embedded_images_become_cid_and_remote_stay_urls() -> None:
    doc = newsletter(
        ImageBlock(src=IMAGE, alt="a"), ImageBlock(src="https://cdn.example/a.jpg", alt="b")
    )
    rendered = Renderer({IMAGE: png()}).render(doc)
    html = rendered.html_for()
    assert f'src="cid:img-{"b" * 16}.png@bulletin"' in html
    assert 'src="https://cdn.example/a.jpg"' in html
    assert IMAGE in rendered.images


def test_missing_footer_is_added_with_a_warning() -> None:
    rendered = Renderer().render(newsletter(TextBlock(html="<p>x</p>"), footer=False))
    found = [f for f in rendered.findings if f.code == findings.FOOTER_MISSING]
    assert len(found) == 1 and found[0].block_id is None
    assert "footer" in findings.message(found[0]).lower()
    assert (
        "mailto:hello+unsub-sampletokensampletokensa@bakery.example?subject=Unsubscribe"
        in rendered.html_for()
    )


def test_unsafe_links_are_neutralised() -> None:
    doc = newsletter(
        ButtonBlock(label="x", url="javascript:alert(1)"),
        TextBlock(html='<p><a href="javascript:alert(2)">y</a></p>'),
        HtmlBlock(html='<a href="vbscript:z" onmouseover="z()">z</a>'),
    )
    rendered = Renderer().render(doc)
    html = rendered.html_for()
    assert "javascript:" not in html and "vbscript:" not in html and "onmouseover" not in html


def test_editing_one_block_rerenders_only_that_block() -> None:
    blocks = [TextBlock(html=f"<p>Paragraph {i}</p>") for i in range(10)]
    doc = newsletter(*blocks)
    renderer = Renderer()
    first = renderer.render(doc)
    assert renderer.misses == 11  # ten texts and the footer
    blocks[4].html = "<p>Changed</p>"
    second = renderer.render(doc)
    assert renderer.misses == 12
    assert "Changed" in second.html and "Paragraph 4" not in second.html
    assert first.html.replace("Paragraph 4", "Changed") == second.html


def test_theme_change_invalidates_every_block() -> None:
    doc = newsletter(TextBlock(html="<p>a</p>"), TextBlock(html="<p>b</p>"))
    renderer = Renderer()
    renderer.render(doc)
    doc.theme.text_color = "#ff0000"
    html = renderer.render(doc).html
    assert renderer.misses == 6
    assert "color:#f00" in html  # cssutils shortens colours


def test_columns_are_fluid_hybrid_with_ghost_tables() -> None:
    doc = newsletter(
        ColumnsBlock(
            columns=[Column([TextBlock(html="<p>L</p>")]), Column([TextBlock(html="<p>R</p>")])]
        )
    )
    html = Renderer().render(doc).html
    assert html.count('class="bl-col"') == 2
    assert "display:inline-block" in html and "max-width:284px" in html
    assert '<!--[if mso | IE]><td width="284" valign="top"' in html


def test_gmail_clipping_warning() -> None:
    big = "<p>" + ("Lorem ipsum dolor sit amet. " * 40) + "</p>"
    doc = newsletter(*[TextBlock(html=big) for _ in range(120)])
    rendered = Renderer().render(doc)
    assert len(rendered.html.encode()) > GMAIL_CLIP_BYTES
    clip = [f for f in rendered.findings if f.code == findings.GMAIL_CLIP]
    assert len(clip) == 1 and clip[0].values["kb"] == len(rendered.html.encode()) // 1024
    assert "102" in findings.message(clip[0])
    small = Renderer().render(newsletter(TextBlock(html="<p>x</p>")))
    assert not any(f.code == findings.GMAIL_CLIP for f in small.findings)


def test_escaped_quote_in_a_link_does_not_become_an_attribute() -> None:
    doc = newsletter(
        TextBlock(html='<p><a href="https://x.fr/&quot;onmouseover=&quot;alert(1)">x</a></p>'),
        TextBlock(html='<p>see href="&lt;img src=x onerror=alert(1)&gt;"</p>'),
        HtmlBlock(html='<a href="https://x.fr/&quot;onclick=&quot;alert(1)">y</a>'),
    )
    html = Renderer().render(doc).html_for()
    attributes: list[str] = []
    tags: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append(tag)
            attributes.extend(name for name, _ in attrs)

    Collect().feed(html)
    assert not {"onmouseover", "onclick", "onerror"} & set(attributes)
    assert "img" not in tags


def test_unsafe_unsubscribe_page_is_neutralised_with_a_warning() -> None:
    doc = newsletter(TextBlock(html="<p>x</p>"))
    doc.sender.unsubscribe_url = "javascript:alert(1)"
    rendered = Renderer().render(doc)
    assert "javascript:" not in rendered.html_for()
    unsafe = [f for f in rendered.findings if f.code == findings.LINK_UNSAFE]
    assert unsafe and unsafe[0].values["url"] == "javascript:alert(1)"
    assert "javascript:alert(1)" in findings.message(unsafe[0])


def test_block_id_cannot_inject_markup() -> None:
    from editor.document import DocumentError

    doc = newsletter(TextBlock(id="x--><script>alert(1)</script><!--", html="<p>x</p>"))
    with pytest.raises(DocumentError, match="id"):
        Renderer().render(doc)


def test_image_scheme_in_text_or_contact_values_is_left_alone() -> None:
    forged = "bulletin-image:images/" + "a" * 64 + ".png"
    doc = newsletter(
        TextBlock(html=f"<p>{forged} {{{{ first_name }}}}</p>"),
        ImageBlock(src=IMAGE, alt="a"),
        SocialBlock(links=[SocialLink("facebook", "https://facebook.com/x")]),
    )
    renderer = Renderer({IMAGE: png()})
    rendered = renderer.render(doc)
    assert rendered.images == [IMAGE, "social/color/facebook.png"]
    assert renderer.render(doc).images == rendered.images  # cached blocks too
    contact = {"email": "a@b.c", "first_name": "bulletin-image:social/dark/x.png"}
    html = rendered.html_for(contact)
    assert forged in html and "bulletin-image:social/dark/x.png" in html
    assert f'src="cid:img-{"b" * 16}.png@bulletin"' in html


class _HostileFeed:
    """A feed whose posts try to use the newsletter's merge tags and markers."""

    def posts(self, url: str, count: int) -> list[Post]:
        from editor.merge import MergeTags

        marker = MergeTags().mark_url("https://x/?{{ email }}").split("?")[1]  # BMTQ…Z
        return [
            Post(f"Hi {marker}", f"https://evil.example/?a={{{{ email }}}}&b={marker}"),
            Post("Broken", "https://evil.example/{{ a.( }}", image="https://e.example/{{ x }}"),
        ]


def test_feed_posts_cannot_use_merge_tags_or_markers() -> None:
    doc = newsletter(PostsBlock(id="p", feed_url="https://blog.example/feed/"))
    rendered = Renderer(feeds=_HostileFeed()).render(doc)
    contact = {"email": "victim@example.com"}
    posts = fragment(rendered.html_for(contact), "p")
    assert "victim" not in posts and "victim" not in rendered.text_for(contact).split("-- ")[0]
    assert "https://evil.example/?a=%7B%7B" in posts


def test_contact_value_cannot_add_css_to_a_raw_html_style() -> None:
    doc = newsletter(HtmlBlock(id="h", html='<div style="color: {{ c }}">x</div>'))
    rendered = Renderer().render(doc)
    hostile = {"email": "a@b.c", "c": "red; background-image: url(https://track.example/x)"}
    assert "track.example" not in rendered.html_for(hostile)
    assert "color:green" in fragment(rendered.html_for({"email": "a@b.c", "c": "green"}), "h")


def test_a_posts_block_reads_the_feed_cache_once_a_render() -> None:
    from editor.document import PostsBlock
    from tests.render.test_golden import FixedFeeds

    class CountingFeeds(FixedFeeds):
        calls = 0

        def posts(self, url: str, count: int):  # type: ignore[no-untyped-def]
            CountingFeeds.calls += 1
            return super().posts(url, count)

    feeds = CountingFeeds()
    renderer = Renderer(feeds=feeds)
    doc = newsletter(PostsBlock(feed_url="https://blog.example/feed/", count=2))
    renderer.render(doc)
    assert CountingFeeds.calls == 1  # key, HTML and text part share one read
    assert "Pain au levain" in renderer.render(doc).text_for()
    assert CountingFeeds.calls == 2  # a new render reads again: the feed may have changed


def test_renders_on_several_threads_match_a_single_threaded_render() -> None:
    # The premailer rule cache is shared by every renderer: threads (preview worker, sender)
    # rendering different themes at once must each get their own theme's styles.
    from concurrent.futures import ThreadPoolExecutor

    from editor.render import engine

    docs = []
    for number, color in enumerate(("#112233", "#445566", "#778899", "#aabbcc")):
        doc = newsletter(
            HeadingBlock(text=f"Title {number}"), TextBlock(html=f"<p>Text {number}</p>")
        )
        doc.theme.heading_color = color
        docs.append(doc)
    expected = [Renderer().render(doc).html for doc in docs]
    for _ in range(3):
        engine._RULES.clear()
        with ThreadPoolExecutor(max_workers=4) as pool:
            got = list(pool.map(lambda d: Renderer().render(d).html, docs * 3))
        assert got == expected * 3
    assert len(engine._RULES) >= 4  # one entry per theme: the cache is shared, not bypassed
