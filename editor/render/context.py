"""The render context: what a block needs while it is drawn, shared by HTML and text parts.

Both :mod:`editor.render.engine` and :mod:`editor.render.text` import this module, and block
types (:mod:`editor.blocks`) receive it; it imports neither, so there is no cycle.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from editor import merge_grammar
from editor.blocks.registry import type_of
from editor.document import Block, Newsletter, PostsBlock
from editor.findings import LINK_UNSAFE, Finding, Param
from editor.merge import URL_MARKER, MergeTags
from editor.render.strings import strings
from editor.richtext import MERGE_TAG
from editor.sending.tokens import SAMPLE_TOKEN, unsubscribe_mailto

__all__ = [
    "SAMPLE_TOKEN",
    "TOKEN_TAG",
    "RenderContext",
    "unsubscribe_mailto_template",
    "unsubscribe_page",
    "unsubscribe_template",
]
from editor.urls import is_safe_link
from editor.utm import add_utm, add_utm_to_links, utm_params

Posts = list[dict[str, str]]


#: The merge tag an unsubscribe URL carries instead of the contact's address.
TOKEN_TAG = "{{ unsubscribe_token }}"  # noqa: S105 (a merge tag)
_TOKEN_FIELDS = frozenset({"email", "token", "unsubscribe_token"})


def unsubscribe_template(newsletter: Newsletter) -> str:
    """The unsubscribe URL with its merge tags: the sender's own page, else a mailto.

    Either way it carries the recipient's token, never their address (see
    :func:`unsubscribe_page` and :func:`unsubscribe_mailto_template`).
    """
    return unsubscribe_page(newsletter) or unsubscribe_mailto_template(newsletter)


def unsubscribe_page(newsletter: Newsletter) -> str:
    """The sender's unsubscribe page with the token in it; "" when there is no page.

    ``{{ token }}``/``{{ unsubscribe_token }}`` in the page's address become the token, and so
    does ``{{ email }}``: an address in a link would let anyone unsubscribe anyone. A page that
    names no token gets ``?token=…`` (or ``&token=…``) added, before any ``#fragment``, when it
    is a web address (or a merge tag holding one).
    """
    page = newsletter.sender.unsubscribe_url.strip()
    if not page:
        return ""

    def swap(match: re.Match[str]) -> str:
        try:
            name = merge_grammar.parse(html.unescape(match.group(1))).field
        except merge_grammar.TagGrammarError:
            return match.group(0)
        return TOKEN_TAG if name in _TOKEN_FIELDS else match.group(0)

    page = MERGE_TAG.sub(swap, page)
    web = page.lower().startswith(("https://", "http://")) or MERGE_TAG.match(page)
    if TOKEN_TAG in page or not web:  # a mailto: page, or an unsafe one the footer refuses
        return page
    base, hash_, fragment = page.partition("#")
    joiner = "&" if "?" in base else "?"
    if base.endswith(("?", "&")):
        joiner = ""
    return f"{base}{joiner}token={TOKEN_TAG}{hash_}{fragment}"


def unsubscribe_mailto_template(newsletter: Newsletter) -> str:
    """``mailto:local+unsub-{{ unsubscribe_token }}@domain?subject=Désabonnement``.

    The address is the reply-to (else the sender's): the mailbox the user reads, where the inbox
    sync finds the request and its token even when it comes from another address.
    """
    sender = newsletter.sender
    address = sender.reply_to.strip() or sender.email.strip()
    try:
        tokened = unsubscribe_mailto(address, TOKEN_TAG)
    except ValueError:
        tokened = unsubscribe_mailto("unsubscribe@invalid", TOKEN_TAG)
    subject = quote(strings(newsletter.language)["unsubscribe_subject"])
    return f"mailto:{tokened}?subject={subject}"


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
        utm = self.newsletter.utm
        self.utm: dict[str, str] = utm_params(
            utm.enabled, utm.source, utm.medium, utm.campaign, self.newsletter.subject
        )

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

    def link(self, value: str, block_id: str | None) -> str:
        """:meth:`url` for a link to a web page the sender promotes (text, button, image and
        post links), with the newsletter's UTM parameters; never social or unsubscribe links."""
        return add_utm(self.url(value, block_id), self.utm)

    def text_link(self, value: str) -> str:
        """A link's marked URL for the plain-text part, with the UTM parameters."""
        return add_utm(self.tags.mark_url(value), self.utm)

    def tracked_html(self, fragment: str) -> str:
        """Sanitised, marked rich text with the UTM parameters on its web links."""
        return add_utm_to_links(fragment, self.utm)

    def text(self, block: Block) -> str:
        """The block's share of the plain-text part."""
        return type_of(block).text(block, self)

    def cache_extra(self, block: Block) -> Any:
        """Outside data a block shows (feed posts), part of its render cache key."""
        extra = type_of(block).cache_extra
        return None if extra is None else extra(block, self)
