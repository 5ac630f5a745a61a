"""Social links: one icon per network, in a colour, dark or light style."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from editor.blocks.base import (
    IMAGE_SCHEME,
    SOCIAL_NETWORKS,
    SOCIAL_SIZES,
    SOCIAL_STYLES,
    Align,
    Block,
    BlockType,
    DocumentError,
    Dump,
    Load,
    aligned,
    as_list,
    build,
    check_align,
)
from editor.i18n import _, language
from editor.social import NETWORK_LABELS, social_url

if TYPE_CHECKING:
    from editor.render.context import RenderContext


@dataclass
class SocialLink:
    network: str = "website"
    url: str = ""

    def validate(self) -> None:
        if self.network not in SOCIAL_NETWORKS:
            raise DocumentError(
                _('Unknown social network "{network}".').format(network=self.network)
            )


@dataclass
class SocialBlock(Block):
    TYPE: ClassVar[str] = "social"
    links: list[SocialLink] = field(default_factory=list)
    icon_style: str = "color"
    size: int = 32
    align: Align = "center"

    def validate(self) -> None:
        check_align(self.align)
        if self.icon_style not in SOCIAL_STYLES:
            raise DocumentError(
                _('Unknown icon style "{icon_style}".').format(icon_style=self.icon_style)
            )
        if self.size not in SOCIAL_SIZES:
            raise DocumentError(_("Icons are 24, 32, 40 or 48 pixels."))
        for link in self.links:
            link.validate()


def _view(block: SocialBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    shown = [link for link in block.links if link.url.strip()]
    icons = [f"social/{block.icon_style}/{link.network}.png" for link in shown]
    ctx.images.extend(icons)
    links = [
        {
            "url": ctx.url(social_url(link.network, link.url), block.id),
            "label": NETWORK_LABELS[link.network][ctx.language_index],
            "icon": f"{IMAGE_SCHEME}{icon}",
        }
        for link, icon in zip(shown, icons, strict=True)
    ]
    return aligned(block, size=block.size, links=links)


def _text(block: SocialBlock, ctx: RenderContext) -> str:
    return "\n".join(
        f"{NETWORK_LABELS[link.network][ctx.language_index]}{ctx.colon} "
        f"{ctx.tags.mark_url(social_url(link.network, link.url))}"
        for link in block.links
        if link.url.strip()
    )


def _summary(block: SocialBlock) -> str:
    index = 0 if language() == "fr" else 1
    return ", ".join(NETWORK_LABELS[link.network][index] for link in block.links)


def _links_to_json(links: list[SocialLink], _dump: Dump) -> list[dict[str, Any]]:
    return [{"network": link.network, "url": link.url} for link in links]


def _links_from_json(value: Any, _load: Load) -> list[SocialLink]:
    return [build(SocialLink, link, "social.links") for link in as_list(value, "links")]


BLOCK_TYPE = BlockType(
    name="social",
    cls=SocialBlock,
    label=lambda: _("Social links"),
    view=_view,
    text=_text,
    summary=_summary,
    to_json={"links": _links_to_json},
    from_json={"links": _links_from_json},
)
