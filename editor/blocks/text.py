"""Text: rich text kept as a small, sanitised HTML subset."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup

from editor import richtext
from editor.blocks.base import (
    UNWRAPPED,
    Align,
    Block,
    BlockType,
    aligned,
    check_align,
    safe_links,
)
from editor.i18n import _

if TYPE_CHECKING:
    from editor.render.context import RenderContext


@dataclass
class TextBlock(Block):
    """Rich text kept as a small, sanitised HTML subset (p, br, b/strong, i/em, u, a, ul/ol/li).

    The subset is what the composer's rich-text editor produces; anything else is dropped by
    :func:`editor.richtext.clean` when the block is rendered.
    """

    TYPE: ClassVar[str] = "text"
    html: str = ""
    align: Align = "left"

    def validate(self) -> None:
        check_align(self.align)


@functools.lru_cache(maxsize=64)
def clean_rich_text(html: str) -> str:
    """:func:`richtext.clean`, remembered: the HTML and the text part both need it."""
    return richtext.clean(html)


def _view(block: TextBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    marked = ctx.tracked_html(ctx.tags.mark_source(block.html, clean_rich_text))
    return aligned(block, html=Markup(safe_links(marked)))  # noqa: S704 (sanitised)


def _text(block: TextBlock, ctx: RenderContext) -> str:
    marked = ctx.tracked_html(ctx.tags.mark_source(block.html, clean_rich_text))
    return richtext.to_text(marked, width=UNWRAPPED)


def _summary(block: TextBlock) -> str:
    # Only the outline needs this; editor.feeds brings feedparser and httpx, too much to load
    # with every document (the CLI, the sender).
    from editor.feeds import plain_text

    return plain_text(block.html)


BLOCK_TYPE = BlockType(
    name="text",
    cls=TextBlock,
    label=lambda: _("Text"),
    view=_view,
    text=_text,
    summary=_summary,
)
