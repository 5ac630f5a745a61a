"""Divider: a horizontal rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from editor.blocks.base import Block, BlockType, DocumentError, check_color
from editor.i18n import _

if TYPE_CHECKING:
    from editor.render.context import RenderContext


@dataclass
class DividerBlock(Block):
    TYPE: ClassVar[str] = "divider"
    color: str = "#e5e7eb"
    thickness: int = 1
    width_percent: int = 100

    def validate(self) -> None:
        check_color(self.color, "Séparateur")
        if not 1 <= self.thickness <= 10:
            raise DocumentError(_("A divider is 1 to 10 pixels thick."))
        if not 10 <= self.width_percent <= 100:
            raise DocumentError(_("A divider is 10 to 100 % wide."))


def _view(block: DividerBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    return {"b": {"align": "left", **vars(block)}}


def _text(block: DividerBlock, ctx: RenderContext) -> str:
    return "-" * 40


def _summary(block: DividerBlock) -> str:
    return f"{block.thickness} px, {block.width_percent} %"


BLOCK_TYPE = BlockType(
    name="divider",
    cls=DividerBlock,
    label=lambda: _("Divider"),
    view=_view,
    text=_text,
    summary=_summary,
)
