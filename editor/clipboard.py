"""Blocks on the clipboard: JSON for Bulletin, HTML and plain text for every other program.

Copying blocks puts three forms on the clipboard (the composer's canvas does the Qt part):

- Bulletin's own format (:data:`widgets.mime_types.BLOCKS_MIME`): the blocks in the
  document's JSON form plus the embedded images they use, base64-encoded, so a paste into
  *another* newsletter (another window, another file) brings the pictures along;
- the blocks rendered as email HTML (CSS inlined, images as ``data:`` URLs), for a word
  processor or a webmail;
- their plain-text part.

The clipboard is outside data: anything may be there, written by another program. So
:func:`decode` checks the payload as :mod:`editor.package` checks a file (size, nesting,
block count, image formats and hashes) before building any block, and every pasted block gets
fresh ids (:func:`renew_ids`), so pasting twice, or into the newsletter copied from, never
clashes with an id in use.
"""

from __future__ import annotations

import base64
import binascii
import copy
import dataclasses
import hashlib
import html
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from editor.document import (
    Block,
    DocumentError,
    FooterBlock,
    ImageBlock,
    Newsletter,
    block_from_json,
    block_to_json,
    new_id,
)
from editor.i18n import _
from editor.limits import MAX_DOCUMENT_BYTES, LimitError, check_document_data, check_image
from editor.locate import subtree
from editor.merge import MergeTags
from editor.package import MAX_IMAGE_BYTES, image_format
from editor.render.engine import FeedSource, Renderer
from editor.render.mime import data_url
from editor.richtext import MARKER

MAX_CLIP_IMAGES = 50
# The JSON text: the blocks (as a document may hold) plus images, base64 being 4/3 of bytes.
MAX_CLIP_BYTES = MAX_DOCUMENT_BYTES + MAX_CLIP_IMAGES * (MAX_IMAGE_BYTES * 4 // 3 + 200)
# The page skeleton (resources/email/email.html.j2) closes the content cell right after the
# last block; the renderer's own footer is that last block when the copy has none.
_AUTO_FOOTER = "<!--block:auto-footer-->"
_BODY_END = "\n</td></tr>\n</table>\n</div>\n<!--[if mso | IE]></td></tr></table><![endif]-->"
_TEXT_FOOTER = "-- \n"


class ClipboardError(DocumentError):
    """Clipboard data that cannot be pasted, with a message meant for the user."""


@dataclass
class Clip:
    """Blocks read from the clipboard.

    Attributes:
        blocks: the blocks as they were copied (ids included: a move within one window
            needs them; a paste goes through :func:`renew_ids`).
        images: the embedded images those blocks use (``images/<sha256>.<ext>`` → bytes),
            each checked against its name's hash and format.
        source: who copied them (the canvas's token), to tell a move from a copy.
    """

    blocks: list[Block]
    images: dict[str, bytes] = field(default_factory=dict)
    source: str = ""


# ------------------------------------------------------------------------------------- JSON


def used_images(blocks: Iterable[Block]) -> list[str]:
    """The embedded image references ``blocks`` use, columns' children included, in order."""
    refs = [
        b.src
        for block in blocks
        for b in subtree(block)
        if isinstance(b, ImageBlock) and b.is_embedded
    ]
    return list(dict.fromkeys(refs))


def encode(blocks: Sequence[Block], images: Mapping[str, bytes], source: str = "") -> str:
    """Bulletin's clipboard JSON for ``blocks`` with the embedded images they use."""
    carried = {ref: images[ref] for ref in used_images(blocks) if ref in images}
    return json.dumps(
        {
            "blocks": [block_to_json(b) for b in blocks],
            "images": {
                ref: base64.b64encode(data).decode("ascii") for ref, data in carried.items()
            },
            "source": source,
        },
        ensure_ascii=False,
    )


def decode(raw: bytes | str) -> Clip:
    """The blocks of Bulletin's clipboard JSON; :class:`ClipboardError` when it cannot be used.

    Checked before anything is built: the size of the text, then the JSON's shape within
    :mod:`editor.limits`, then each block as a document would check it (ids well formed and
    distinct, values usable), then each image (format from its bytes, name = its hash).
    """
    if len(raw) > MAX_CLIP_BYTES:
        raise ClipboardError(_("The clipboard holds far more than blocks of a newsletter."))
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ClipboardError(_("The clipboard does not hold Bulletin blocks.")) from exc
    if not isinstance(data, dict) or not isinstance(data.get("blocks"), list):
        raise ClipboardError(_("The clipboard does not hold Bulletin blocks."))
    if not data["blocks"]:
        raise ClipboardError(_("The clipboard holds no block."))
    try:
        check_document_data({"blocks": data["blocks"]})
    except LimitError as exc:
        raise ClipboardError(
            _("The blocks on the clipboard cannot be pasted: {reason}").format(reason=exc)
        ) from exc
    blocks = [block_from_json(b) for b in data["blocks"]]
    Newsletter(blocks=list(blocks)).validate()
    source = data.get("source", "")
    return Clip(blocks, _images(data.get("images", {})), source if isinstance(source, str) else "")


def _images(value: Any) -> dict[str, bytes]:
    if not isinstance(value, dict) or len(value) > MAX_CLIP_IMAGES:
        raise ClipboardError(_("The images on the clipboard cannot be read."))
    images: dict[str, bytes] = {}
    for ref, encoded in value.items():
        try:
            data = base64.b64decode(encoded, validate=True)
        except (TypeError, ValueError, binascii.Error) as exc:
            raise ClipboardError(_("The images on the clipboard cannot be read.")) from exc
        ext = image_format(data)
        expected = f"images/{hashlib.sha256(data).hexdigest()}.{ext}"
        if len(data) > MAX_IMAGE_BYTES or ext is None or ref != expected:
            raise ClipboardError(_("The images on the clipboard cannot be read."))
        try:
            check_image(data, ref)
        except LimitError as exc:
            raise ClipboardError(str(exc)) from exc
        images[ref] = data
    return images


def renew_ids(block: Block) -> Block:
    """A copy of ``block`` whose ids (nested ones included) are all new."""
    twin = copy.deepcopy(block)
    for part in subtree(twin):
        part.id = new_id()
    return twin


# ------------------------------------------------------------------------- HTML and plain text


def render(
    blocks: Sequence[Block],
    newsletter: Newsletter,
    images: Mapping[str, bytes],
    feeds: FeedSource | None = None,
) -> tuple[str, str]:
    """``blocks`` as a standalone HTML page and as plain text, for pasting into other programs.

    They are drawn with ``newsletter``'s theme, language and sender; images become ``data:``
    URLs so the HTML needs nothing else; merge tags stay as written (``{{ first_name }}``)
    rather than filled with a sample person. The footer the renderer adds to a newsletter
    without one is left out.
    """
    doc = dataclasses.replace(
        newsletter, subject="", preheader="", blocks=[copy.deepcopy(b) for b in blocks]
    )
    rendered = Renderer(images, feeds).render(doc)
    page, text = rendered.html, rendered.text
    if not any(isinstance(b, FooterBlock) for b in blocks):
        page, text = _without_auto_footer(page, text)
    written = dataclasses.replace(
        rendered,
        html=_tags_as_written(rendered.tags, page, for_html=True),
        text=_tags_as_written(rendered.tags, text, for_html=False),
    )
    return (
        written.html_for(image_url=lambda ref: data_url(ref, images), preview=True),
        written.text_for(preview=True),
    )


def _without_auto_footer(page: str, text: str) -> tuple[str, str]:
    start = page.find(_AUTO_FOOTER)
    end = page.find(_BODY_END, start)
    if start >= 0 and end >= 0:
        page = page[:start] + page[end:]
    # The text part ends with the footer's "-- " signature line and what follows it.
    rest = "" if text.startswith(_TEXT_FOOTER) else text.rsplit("\n\n" + _TEXT_FOOTER, 1)[0]
    text = rest + "\n" if rest else ""
    return page, text


def _tags_as_written(tags: MergeTags, rendered: str, *, for_html: bool) -> str:
    """Put each merge tag back as the author wrote it (normalised spacing)."""

    def written(match: Any) -> str:
        expression = tags.expressions.get(match.group(2))
        if expression is None:
            return str(match.group(0))
        tag = f"{{{{ {expression.source} }}}}"
        return html.escape(tag) if for_html else tag

    return MARKER.sub(written, rendered)
