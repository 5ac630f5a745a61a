"""The render context: what a block needs while it is drawn, shared by HTML and text parts.

Both :mod:`editor.render.engine` and :mod:`editor.render.text` import this module, and block
types (:mod:`editor.blocks`) receive it; it imports neither, so there is no cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from editor.blocks.registry import type_of
from editor.document import Block, Newsletter, PostsBlock
from editor.findings import LINK_UNSAFE, Finding, Param
from editor.merge import URL_MARKER, MergeTags
from editor.render.strings import strings
from editor.urls import is_safe_link

Posts = list[dict[str, str]]


def unsubscribe_template(newsletter: Newsletter) -> str:
    """The unsubscribe URL with its merge tags: the sender's own page, else a mailto."""
    sender = newsletter.sender
    if sender.unsubscribe_url.strip():
        return sender.unsubscribe_url.strip()
    address = sender.reply_to or sender.email or "unsubscribe@invalid"
    subject = quote(strings(newsletter.language)["unsubscribe_subject"] + " ")
    return f"mailto:{address}?subject={subject}{{{{ email }}}}"


def _no_posts(_block: PostsBlock) -> Posts:
    return []


def _no_size(_ref: str) -> tuple[int, int] | None:
    return None


def _no_draw(_block: Block, _width: int, _pad: int) -> str:
    return ""


@dataclass
class RenderContext:
    """One render of one newsletter.

    Attributes:
        tags: where merge tags are registered and turned into markers.
        posts: the posts a latest-posts block shows (read once per render).
        image_size: the pixel size of a document image, when known.
        draw: the raw HTML of a block drawn ``width`` px wide with ``pad`` px padding (columns
            draw their children through it).
        findings / images: what the blocks drawn so far reported and referenced.
    """

    newsletter: Newsletter
    tags: MergeTags
    posts: Callable[[PostsBlock], Posts] = _no_posts
    image_size: Callable[[str], tuple[int, int] | None] = _no_size
    draw: Callable[[Block, int, int], str] = _no_draw
    findings: list[Finding] = field(default_factory=list)
    images: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.strings: Mapping[str, str] = strings(self.newsletter.language)
        self.unsubscribe = unsubscribe_template(self.newsletter)

    @property
    def language_index(self) -> int:
        """0 for a French newsletter, 1 for an English one (label tables are pairs)."""
        return 0 if self.newsletter.language == "fr" else 1

    @property
    def colon(self) -> str:
        """« Libellé : » in French, "Label:" in English."""
        return " :" if self.newsletter.language == "fr" else ":"

    def report(self, code: str, block_id: str | None = None, **params: Param) -> None:
        self.findings.append(Finding.of(code, block_id, **params))

    def url(self, value: str, block_id: str | None) -> str:
        """A URL with its merge tags marked; anything but http(s)/mailto/tel becomes ``#``.

        A URL that starts with a merge tag is checked once the tag holds a value (see
        :func:`editor.merge.fill`).
        """
        marked = self.tags.mark_url(value)
        if not marked:
            return "#"
        checked_later = marked == "#" or marked.startswith(URL_MARKER)
        if not checked_later and not is_safe_link(marked):
            self.report(LINK_UNSAFE, block_id, url=value[:80])
            return "#"
        return marked

    def text(self, block: Block) -> str:
        """The block's share of the plain-text part."""
        return type_of(block).text(block, self)

    def cache_extra(self, block: Block) -> Any:
        """Outside data a block shows (feed posts), part of its render cache key."""
        extra = type_of(block).cache_extra
        return None if extra is None else extra(block, self)
