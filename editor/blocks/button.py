"""Button: a bulletproof call-to-action link; empty colours fall back to the theme's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from editor.blocks.base import (
    Align,
    Block,
    BlockType,
    DocumentError,
    aligned,
    check_align,
    check_color,
)
from editor.i18n import _

if TYPE_CHECKING:
    from editor.render.context import RenderContext


@dataclass
class ButtonBlock(Block):
    """A bulletproof button; empty colours fall back to the theme's button style."""

    TYPE: ClassVar[str] = "button"
    label: str = ""
    url: str = ""
    background: str = ""
    color: str = ""
    radius: int | None = None
    full_width: bool = False
    align: Align = "center"

    def validate(self) -> None:
        check_align(self.align)
        if self.background:
            check_color(self.background, "Bouton (fond)")
        if self.color:
            check_color(self.color, "Bouton (texte)")
        if self.radius is not None and not 0 <= self.radius <= 50:
            raise DocumentError(_("A button corner radius must be between 0 and 50 pixels."))


def _view(block: ButtonBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    style = ctx.newsletter.theme.button
    return aligned(
        block,
        label=ctx.tags.mark_text(block.label),
        url=ctx.link(block.url, block.id),
        background=block.background or style.background,
        color=block.color or style.color,
        radius=style.radius if block.radius is None else block.radius,
        full_width=block.full_width,
    )


def _text(block: ButtonBlock, ctx: RenderContext) -> str:
    return f"{ctx.tags.mark_text(block.label)}{ctx.colon} {ctx.text_link(block.url)}"


def _summary(block: ButtonBlock) -> str:
    return f"{block.label} → {block.url}" if block.url else block.label


BLOCK_TYPE = BlockType(
    name="button",
    cls=ButtonBlock,
    label=lambda: _("Button"),
    view=_view,
    text=_text,
    summary=_summary,
)
