"""Build a :class:`~editor.spam.view.MessageView` from what the user has: the composer's
newsletter (with the :class:`~editor.render.engine.Rendered` it already holds), an HTML page or
an ``.eml`` message.

Merge tags are filled with the preview's sample values, images are named by the ``cid:`` URLs
the real message uses (so the HTML size is the one Gmail sees), and each link, image and piece
of text keeps the id of the block it comes from.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Mapping
from email.message import EmailMessage, Message
from email.utils import getaddresses

from editor.document import Block, ButtonBlock, ColumnsBlock, ImageBlock, Newsletter
from editor.render.engine import Rendered, content_id
from editor.spam.html_scan import clean, scan
from editor.spam.view import Image, Link, MessageView, raw_header
from editor.utm import add_utm, utm_params

_DATA_URL = re.compile(r"data:image/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]+", re.IGNORECASE)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)""", re.IGNORECASE)


def from_newsletter(
    newsletter: Newsletter,
    rendered: Rendered,
    images: Mapping[str, bytes] | None = None,
    *,
    smtp_host: str | None = None,
) -> MessageView:
    """The view of a newsletter as its message would be sent (sample values for merge tags)."""
    images = images or {}
    html = rendered.html_for(None, preview=True)
    image_blocks = _image_blocks(newsletter)
    by_cid: dict[str, tuple[int | None, str]] = {}  # cid: URL → (size, the picture's reference)
    for ref in rendered.images:
        data = images.get(ref)
        by_cid[f"cid:{content_id(ref)}"] = (None if data is None else len(data), ref)
    seen: dict[str, int] = {}

    def image_info(src: str) -> tuple[int | None, str | None]:
        # Called in document order, which is the blocks' order: the n-th <img> of a picture is
        # the n-th image block showing it (two blocks may show the same picture).
        size, ref = by_cid.get(src, (None, src))
        blocks = image_blocks.get(ref, [])
        index = seen.get(ref, 0)
        seen[ref] = index + 1
        return size, (blocks[min(index, len(blocks) - 1)] if blocks else None)

    found = scan(html, image_info)
    links = _refine_links(newsletter, found.links)
    footer = newsletter.footer
    sender = newsletter.sender
    unsubscribe = str(rendered.values_for(None, preview=True).get("unsubscribe_url", ""))
    return MessageView(
        kind="newsletter",
        subject=rendered.subject_for(None, preview=True),
        preheader=newsletter.preheader,
        html=html,
        html_bytes=len(html.encode()),
        visible_text=found.visible_text,
        plain=rendered.text_for(None, preview=True),
        runs=found.runs,
        links=links,
        images=found.images,
        forms=found.forms,
        title=found.title,
        from_name=sender.name,
        from_address=sender.email.strip().lower(),
        reply_to=sender.reply_to.strip().lower(),
        smtp_host=smtp_host,
        unsubscribe_url=unsubscribe,
        has_postal_address=bool(footer is not None and footer.address.strip()),
        language=newsletter.language,
        subject_source=newsletter.subject,
        block_ids=frozenset(found.block_ids),
    )


def from_html(html: str) -> MessageView:
    """The view of an HTML page (no subject, headers nor text part: those rules stay silent).

    Images inlined as ``data:`` URLs (as ``bulletin render --html`` writes them) count as
    ``cid:`` references in the size: a mail program sends them as attachments.
    """
    found = scan(html)
    return MessageView(
        kind="html",
        preheader=found.preheader or None,
        html=html,
        html_bytes=len(_DATA_URL.sub("cid:image", html).encode()),
        visible_text=found.visible_text,
        runs=found.runs,
        links=found.links,
        images=found.images,
        forms=found.forms,
        title=found.title,
    )


def from_eml(raw: bytes) -> MessageView:
    """The view of a whole message: headers, HTML and text parts, inline images' sizes.

    Broken MIME, unknown charsets and undecodable headers are read as well as can be; nothing
    here raises on a malformed message.
    """
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    html: str | None = None
    plain: str | None = None
    sizes: dict[str, int] = {}
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()
        if ctype == "text/html" and html is None and disposition != "attachment":
            html = _decode(part)
        elif ctype == "text/plain" and plain is None and disposition != "attachment":
            plain = _decode(part)
        elif ctype.startswith("image/"):
            cid = (_safe_header(part, "Content-ID") or "").strip().strip("<>")
            payload = part.get_payload(decode=True)
            if cid and isinstance(payload, bytes):
                sizes[f"cid:{cid}"] = len(payload)

    def image_info(src: str) -> tuple[int | None, str | None]:
        return sizes.get(src), None

    view = MessageView(kind="eml", headers=msg, plain=plain)
    view.subject = clean(_safe_header(msg, "Subject") or "")
    view.from_name, view.from_address = _first_address(_safe_header(msg, "From"))
    view.reply_to = _first_address(_safe_header(msg, "Reply-To"))[1]
    if html is not None:
        found = scan(html, image_info)
        view.html = html
        view.html_bytes = len(html.encode())
        view.visible_text = found.visible_text
        view.runs, view.links, view.images = found.runs, found.links, found.images
        view.forms, view.title = found.forms, found.title
        view.preheader = found.preheader or None
    elif plain is not None:
        view.visible_text = clean(plain)
    return view


# ------------------------------------------------------------------------------------ helpers


def _decode(part: Message) -> str:
    """A text part's content in any charset (unknown ones read as UTF-8 with replacements)."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        payload = str(part.get_payload()).encode("utf-8", "replace")
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        return payload.decode("utf-8", errors="replace")


def _safe_header(msg: Message, name: str) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # the policy failed to parse a hostile header: read it raw
        return (raw_header(msg, name) if isinstance(msg, EmailMessage) else None) or ""
    return None if value is None else str(value)


def _first_address(value: str | None) -> tuple[str, str]:
    """The display name and the lowercase address of an address header's first address
    (``("", "")`` when absent or unreadable)."""
    if not value:
        return "", ""
    try:
        pairs = getaddresses([value])
    except (ValueError, IndexError):
        return "", ""
    return next(((name, addr.strip().lower()) for name, addr in pairs if "@" in addr), ("", ""))


def _image_blocks(newsletter: Newsletter) -> dict[str, list[str]]:
    """Image reference (or URL) → the image blocks showing it, in document order."""
    out: dict[str, list[str]] = {}
    for block in newsletter.walk():
        if isinstance(block, ImageBlock) and block.src:
            out.setdefault(block.src, []).append(block.id)
    return out


def _refine_links(newsletter: Newsletter, links: list[Link]) -> list[Link]:
    """Links drawn inside a columns block name the column's block they come from."""
    columns = {b.id: b for b in newsletter.blocks if isinstance(b, ColumnsBlock)}
    if not columns:
        return links
    owners: dict[str, dict[str, str]] = {}
    utm = newsletter.utm
    params = utm_params(utm.enabled, utm.source, utm.medium, utm.campaign, newsletter.subject)
    for cid, block in columns.items():
        owners[cid] = {}
        for child in block.children():
            for url in _urls_of(child):
                owners[cid].setdefault(url, child.id)
                # The rendered link carries the UTM parameters the renderer added.
                owners[cid].setdefault(add_utm(url, params), child.id)
    out = []
    for link in links:
        owner = owners.get(link.block or "", {}).get(link.href)
        out.append(link if owner is None else Link(link.href, link.text, owner, link.has_image))
    return out


def _urls_of(block: Block) -> list[str]:
    if isinstance(block, ButtonBlock):
        return [block.url]
    if isinstance(block, ImageBlock):
        return [block.link]
    html = getattr(block, "html", "")
    return _HREF.findall(html) if isinstance(html, str) else []


def images_of(view: MessageView) -> list[Image]:
    """The images a reader would download or see (tracking pixels and spacers left out)."""
    return [
        i
        for i in view.images
        if not (i.width is not None and i.height is not None and i.width * i.height <= 4)
    ]
