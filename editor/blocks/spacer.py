"""Spacer: vertical space."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from editor.blocks.base import Block, BlockType, DocumentError
from editor.i18n import _

if TYPE_CHECKING:
    from editor.render.context import RenderContext


@dataclass
class SpacerBlock(Block):
    TYPE: ClassVar[str] = "spacer"
    height: int = 24

    def validate(self) -> None:
        if not 4 <= self.height <= 200:
            raise DocumentError(_("A spacer is 4 to 200 pixels high."))


def _view(block: SpacerBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    return {"b": {"align": "left", **vars(block)}}


def _text(block: SpacerBlock, ctx: RenderContext) -> str:
    return ""


def _summary(block: SpacerBlock) -> str:
    return f"{block.height} px"


BLOCK_TYPE = BlockType(
    name="spacer",
    cls=SpacerBlock,
    label=lambda: _("Spacer"),
    view=_view,
    text=_text,
    summary=_summary,
)
