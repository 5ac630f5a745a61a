"""Footer: who sends, where they are, why you get this, how to stop. Mandatory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from markupsafe import Markup

from editor.blocks.base import Align, Block, BlockType, aligned, check_align
from editor.i18n import _

if TYPE_CHECKING:
    from editor.render.context import RenderContext


@dataclass
class FooterBlock(Block):
    """Legal footer: who sends, where they are, why you get this, how to stop. Mandatory."""

    TYPE: ClassVar[str] = "footer"
    IN_COLUMNS: ClassVar[bool] = False
    company: str = ""
    address: str = ""
    reason: str = ""
    unsubscribe_label: str = ""
    align: Align = "center"

    def validate(self) -> None:
        check_align(self.align)


def _view(block: FooterBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    mark = ctx.tags.mark_text
    lines = [mark(line.strip()) for line in block.address.splitlines() if line.strip()]
    variables = aligned(
        block,
        company=mark(block.company),
        address=Markup("<br>").join(lines),
        reason=mark(block.reason or ctx.strings["reason"]),
        unsubscribe_label=mark(block.unsubscribe_label or ctx.strings["unsubscribe"]),
    )
    variables["unsubscribe_url"] = ctx.url(ctx.unsubscribe, block.id)
    return variables


def _text(block: FooterBlock, ctx: RenderContext) -> str:
    mark = ctx.tags.mark_text
    lines = ["-- "]
    if block.company.strip():
        lines.append(mark(block.company.strip()))
    lines += [mark(line.strip()) for line in block.address.splitlines() if line.strip()]
    lines.append("")
    lines.append(mark(block.reason.strip() or ctx.strings["reason"]))
    label = mark(block.unsubscribe_label.strip() or ctx.strings["unsubscribe_text"])
    lines.append(f"{label}{ctx.colon} {ctx.tags.mark_url(ctx.unsubscribe)}")
    return "\n".join(lines)


def _summary(block: FooterBlock) -> str:
    return block.company


BLOCK_TYPE = BlockType(
    name="footer",
    cls=FooterBlock,
    label=lambda: _("Footer"),
    view=_view,
    text=_text,
    summary=_summary,
)
