"""Raw HTML for advanced users, sanitised (no script, style, event handlers) when rendered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup

from editor import richtext
from editor.blocks.base import UNWRAPPED, Block, BlockType, aligned, safe_links
from editor.i18n import _

if TYPE_CHECKING:
    from editor.render.context import RenderContext


@dataclass
class HtmlBlock(Block):
    """Raw HTML for advanced users; sanitised (no script, style, event handlers) when rendered."""

    TYPE: ClassVar[str] = "html"
    html: str = ""


def _view(block: HtmlBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    marked = ctx.tags.mark_source(block.html, richtext.sanitize_raw)
    return aligned(block, html=Markup(safe_links(marked)))  # noqa: S704 (sanitised)


def _text(block: HtmlBlock, ctx: RenderContext) -> str:
    return richtext.to_text(
        ctx.tags.mark_source(block.html, richtext.sanitize_raw), width=UNWRAPPED
    )


def _summary(block: HtmlBlock) -> str:
    from editor.feeds import plain_text  # only the outline needs it: see blocks.text

    return plain_text(block.html)


BLOCK_TYPE = BlockType(
    name="html",
    cls=HtmlBlock,
    label=lambda: _("HTML"),
    view=_view,
    text=_text,
    summary=_summary,
)
