"""Golden tests: each block type renders to exactly the reviewed HTML in tests/data/golden.

After an intended change, regenerate with ``BULLETIN_UPDATE_GOLDEN=1 uv run pytest
tests/render/test_golden.py`` and review the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from editor.document import (
    Block,
    ButtonBlock,
    Column,
    ColumnsBlock,
    DividerBlock,
    FooterBlock,
    HeadingBlock,
    HtmlBlock,
    ImageBlock,
    PostsBlock,
    SocialBlock,
    SocialLink,
    SpacerBlock,
    TextBlock,
)
from editor.feeds import Post
from editor.render.engine import Renderer
from tests.render.helpers import fragment, newsletter, png

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden"
IMAGE = "images/" + "a" * 64 + ".png"


class FixedFeeds:
    def posts(self, url: str, count: int) -> list[Post]:
        from datetime import UTC, datetime

        return [
            Post(
                "Pain au levain",
                "https://blog.example/levain",
                datetime(2026, 3, 3, tzinfo=UTC),
                "Notre recette <secrète> enfin dévoilée…",
                "https://blog.example/levain.jpg",
            ),
            Post("Atelier & dégustation", "https://blog.example/atelier", None, "", ""),
        ][:count]


BLOCKS: dict[str, Block] = {
    "heading": HeadingBlock(
        id="b", text='Hello {{ first_name | default("friend") }} & co', level=1, align="center"
    ),
    "heading_color": HeadingBlock(id="b", text="Nos nouveautés", level=2, color="#9a3412"),
    "text": TextBlock(
        id="b",
        html="<p>Fresh <strong>bread</strong>, <em>every</em> <u>day</u>: "
        '<a href="https://bakery.example/?m={{ email }}">order</a></p>'
        "<ul><li>Baguette</li><li>Croissant</li></ul><ol><li>One</li></ol>",
    ),
    "image": ImageBlock(
        id="b", src=IMAGE, alt="Our shop front", link="https://bakery.example", width=400
    ),
    "button": ButtonBlock(id="b", label="Order now", url="https://bakery.example/order", radius=20),
    "button_full": ButtonBlock(
        id="b",
        label="Book",
        url="https://x.example",
        full_width=True,
        background="#16a34a",
        color="#ffffff",
    ),
    "divider": DividerBlock(id="b", color="#cccccc", thickness=2, width_percent=50),
    "spacer": SpacerBlock(id="b", height=32),
    "social": SocialBlock(
        id="b",
        links=[
            SocialLink("facebook", "https://facebook.com/bakery"),
            SocialLink("instagram", "https://instagram.com/bakery"),
            SocialLink("email", "hello@bakery.example"),
            SocialLink("x", ""),
        ],
        size=32,
    ),
    "columns": ColumnsBlock(
        id="b",
        ratio="33-67",
        columns=[
            Column([ImageBlock(id="c1", src=IMAGE, alt="Bread")]),
            Column(
                [
                    HeadingBlock(id="c2", text="Our bread", level=3),
                    TextBlock(id="c3", html="<p>Baked at dawn.</p>"),
                ]
            ),
        ],
    ),
    "columns3_fixed": ColumnsBlock(
        id="b",
        ratio="33-33-33",
        stack_on_mobile=False,
        columns=[
            Column([TextBlock(id="c1", html="<p>A</p>")]),
            Column([TextBlock(id="c2", html="<p>B</p>")]),
            Column([TextBlock(id="c3", html="<p>C</p>")]),
        ],
    ),
    "posts": PostsBlock(id="b", feed_url="https://blog.example/feed/", count=2),
    "footer": FooterBlock(
        id="b",
        company="Bakery Martin",
        address="1 rue du Pain\n75001 Paris",
        reason="You bought bread from us.",
    ),
    "html": HtmlBlock(
        id="b", html='<div style="color:#ff0000" onclick="steal()">Hi<script>x()</script></div>'
    ),
}


@pytest.mark.parametrize("name", sorted(BLOCKS))
def test_block_matches_golden(name: str) -> None:
    doc = newsletter(BLOCKS[name], footer=name != "footer")
    renderer = Renderer({IMAGE: png(1200, 800)}, FixedFeeds())
    out = fragment(renderer.render(doc).html, "b")
    path = GOLDEN / f"{name}.html"
    if os.environ.get("BULLETIN_UPDATE_GOLDEN"):
        # Update mode checks nothing: it says what it rewrote, and never passes as a check.
        if path.exists() and path.read_text(encoding="utf-8") == out + "\n":
            pytest.skip(f"update mode: {path.name} unchanged (nothing was checked)")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out + "\n", encoding="utf-8")
        pytest.fail(
            f"update mode: {path.name} regenerated; review the diff, then run the tests "
            "without BULLETIN_UPDATE_GOLDEN",
            pytrace=False,
        )
    assert path.exists(), f"no golden file for {name}: run with BULLETIN_UPDATE_GOLDEN=1"
    assert out + "\n" == path.read_text(encoding="utf-8")


def test_update_mode_never_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """BULLETIN_UPDATE_GOLDEN=1 writes the file, then fails saying so; unchanged, it skips."""
    monkeypatch.setattr(f"{__name__}.GOLDEN", tmp_path)
    monkeypatch.setenv("BULLETIN_UPDATE_GOLDEN", "1")
    with pytest.raises(pytest.fail.Exception, match=r"heading\.html regenerated"):
        test_block_matches_golden("heading")
    assert "<" in (tmp_path / "heading.html").read_text(encoding="utf-8")
    with pytest.raises(pytest.skip.Exception, match=r"heading\.html unchanged"):
        test_block_matches_golden("heading")
    monkeypatch.delenv("BULLETIN_UPDATE_GOLDEN")
    test_block_matches_golden("heading")  # the regenerated file is a valid golden file
