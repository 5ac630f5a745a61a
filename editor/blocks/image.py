"""Image: a document image (embedded in the file) or a remote one, optionally a link."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from editor import findings
from editor.blocks.base import (
    IMAGE_SCHEME,
    Align,
    Block,
    BlockType,
    DocumentError,
    aligned,
    check_align,
)
from editor.i18n import _
from editor.urls import is_web_url

if TYPE_CHECKING:
    from editor.render.context import RenderContext

_EMBEDDED = re.compile(r"images/[0-9a-f]{64}\.(png|jpg|gif|webp)")


@dataclass
class ImageBlock(Block):
    """An image: ``src`` is ``images/<sha256>.<ext>`` (embedded in the file) or an http(s) URL.

    ``width`` is in pixels; 0 means the full available width.
    """

    TYPE: ClassVar[str] = "image"
    src: str = ""
    alt: str = ""
    link: str = ""
    width: int = 0
    align: Align = "center"

    def validate(self) -> None:
        check_align(self.align)
        if self.width < 0 or self.width > 2000:
            raise DocumentError(_("An image width must be between 0 and 2000 pixels."))
        if self.src and not (self.is_embedded or self.is_remote):
            raise DocumentError(
                _('Image "{src}" is neither an image of the document nor a URL.').format(
                    src=self.src
                )
            )

    @property
    def is_embedded(self) -> bool:
        return bool(_EMBEDDED.fullmatch(self.src))

    @property
    def is_remote(self) -> bool:
        return is_web_url(self.src)


def _view(block: ImageBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    natural = ctx.image_size(block.src) if block.is_embedded else None
    shown = block.width or (natural[0] if natural else width)
    shown = max(1, min(shown, width))
    height = round(natural[1] * shown / natural[0]) if natural else 0
    if not block.alt.strip():
        ctx.report(findings.IMAGE_NO_ALT, block.id)
    if block.is_embedded:
        ctx.images.append(block.src)
    src = f"{IMAGE_SCHEME}{block.src}" if block.is_embedded else ctx.url(block.src, block.id)
    return aligned(
        block,
        src=src,
        alt=ctx.tags.mark_text(block.alt),
        link=ctx.link(block.link, block.id) if block.link.strip() else "",
        display_width=shown,
        display_height=height,
    )


def _text(block: ImageBlock, ctx: RenderContext) -> str:
    if not block.link.strip():
        return ""
    label = ctx.tags.mark_text(block.alt.strip() or ctx.strings["image"])
    return f"{label}{ctx.colon} {ctx.text_link(block.link)}"


def _summary(block: ImageBlock) -> str:
    where = block.src.rsplit("/", 1)[-1] if block.is_remote else ""
    return block.alt or where or _("(no alt text)")


BLOCK_TYPE = BlockType(
    name="image",
    cls=ImageBlock,
    label=lambda: _("Image"),
    view=_view,
    text=_text,
    summary=_summary,
)
