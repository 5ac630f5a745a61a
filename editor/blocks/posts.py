"""Latest posts: the last fetched items of a site's RSS/Atom feed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from editor import findings
from editor.blocks.base import Block, BlockType, DocumentError
from editor.i18n import _
from editor.render.strings import format_date
from editor.urls import is_web_url

if TYPE_CHECKING:
    from editor.render.context import RenderContext


@dataclass
class PostsBlock(Block):
    """The latest posts of a site's RSS/Atom feed, rendered from the last fetched copy."""

    TYPE: ClassVar[str] = "posts"
    feed_url: str = ""
    count: int = 3
    show_image: bool = True
    show_excerpt: bool = True
    show_date: bool = True
    show_read_more: bool = True
    read_more_label: str = ""

    def validate(self) -> None:
        if not 1 <= self.count <= 10:
            raise DocumentError(_("The latest-posts block shows 1 to 10 posts."))
        if self.feed_url and not is_web_url(self.feed_url):
            raise DocumentError(
                _('Invalid feed address "{feed_url}".').format(feed_url=self.feed_url)
            )


def _date(iso: str, ctx: RenderContext) -> str:
    when = datetime.fromisoformat(iso)
    return format_date(when.day, when.month, when.year, ctx.newsletter.language)


def _view(block: PostsBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    posts = [
        {
            **post,
            "date": _date(post["date"], ctx) if post["date"] else "",
            "link": ctx.link(post["link"], block.id),
            "image": ctx.url(post["image"], block.id) if post["image"] else "",
        }
        for post in ctx.posts(block)
    ]
    if not posts:
        ctx.report(findings.POSTS_EMPTY, block.id, feed=block.feed_url)
    label = block.read_more_label or ctx.strings["read_more"]
    return {
        "b": {
            "align": "left",
            "show_image": block.show_image,
            "show_excerpt": block.show_excerpt,
            "show_date": block.show_date,
            "show_read_more": block.show_read_more,
            "read_more_label": ctx.tags.mark_text(label),
        },
        "posts": posts,
    }


def _text(block: PostsBlock, ctx: RenderContext) -> str:
    items = []
    for post in ctx.posts(block):
        lines = [post["title"]]
        if block.show_date and post["date"]:
            lines.append(_date(post["date"], ctx))
        if block.show_excerpt and post["excerpt"]:
            lines.append(post["excerpt"])
        lines.append(ctx.text_link(post["link"]))
        items.append("\n".join(lines))
    return "\n\n".join(items)


def _summary(block: PostsBlock) -> str:
    site = urlsplit(block.feed_url).netloc or _("no feed")
    return _("{count} posts from {site}").format(count=block.count, site=site)


BLOCK_TYPE = BlockType(
    name="posts",
    cls=PostsBlock,
    label=lambda: _("Latest posts"),
    view=_view,
    text=_text,
    summary=_summary,
    cache_extra=lambda block, ctx: ctx.posts(block),
)
