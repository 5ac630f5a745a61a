"""Shared builders for rendering tests: small documents and a PNG made on the fly."""

from __future__ import annotations

import io
import re

from PIL import Image

from editor.document import (
    Block,
    FooterBlock,
    Newsletter,
    Sender,
)


def png(width: int = 1200, height: int = 600, color: tuple[int, int, int] = (200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "PNG")
    return buffer.getvalue()


def newsletter(*blocks: Block, footer: bool = True, language: str = "en") -> Newsletter:
    doc = Newsletter(
        subject="Our news",
        preheader="What is new this month",
        language=language,
        sender=Sender(
            name="Bakery Martin", email="news@bakery.example", reply_to="hello@bakery.example"
        ),
        blocks=list(blocks),
    )
    if footer:
        doc.blocks.append(
            FooterBlock(id="footer", company="Bakery Martin", address="1 rue du Pain\n75001 Paris")
        )
    return doc


def fragment(html: str, block_id: str) -> str:
    """The inlined HTML of one top-level block, cut from a rendered page."""
    match = re.search(
        rf"<!--block:{re.escape(block_id)}-->\n(.*?)(?=\n<!--block:|\n</td></tr>\n</table>\n</div>)",
        html,
        re.S,
    )
    assert match, f"block {block_id} not found"
    return match.group(1)
