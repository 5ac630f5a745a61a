"""The campaign's frozen copy of a newsletter: rendered and inlined once, with its images.

A campaign may run for days (quotas spread it out, a crash resumes it): every recipient must get
the newsletter as it was when the user pressed Send, whatever happens to the document, the feed
cache or the app's bundled icons meanwhile. So the campaign keeps this copy — the renderer's
output with its merge markers still in place, the merge-tag expressions as written, and the
bytes of every image the HTML uses — and builds each message from it alone.

:func:`to_bytes` writes it compactly (a zlib-compressed JSON header, then the images' bytes as
they are, since images are compressed already); :func:`from_bytes` reads it back into an object
that makes byte-identical messages. The format is versioned.
"""

from __future__ import annotations

import json
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from editor.findings import Finding, Severity
from editor.merge import MergeTagError, MergeTags, used_keys
from editor.package import BulletinFile
from editor.render.context import unsubscribe_mailto_template, unsubscribe_page
from editor.render.engine import FeedSource, Rendered, Renderer
from editor.render.mime import MessageError, image_bytes

__all__ = [
    "FORMAT_VERSION",
    "FrozenError",
    "FrozenNewsletter",
    "freeze",
    "from_bytes",
    "to_bytes",
]

FORMAT_VERSION = 1
_MAGIC = b"BULLETIN-FROZEN\n"
_HEADER = struct.Struct(">HI")  # format version, compressed JSON length
#: Fields every message fills itself: no contact needs them.
MESSAGE_FIELDS = frozenset({"unsubscribe_url", "unsubscribe_token"})


class FrozenError(ValueError):
    """A frozen copy that cannot be made or read (a missing image, damaged bytes…)."""


@dataclass
class FrozenNewsletter:
    """The campaign's frozen copy (see the module doc).

    Attributes:
        rendered: the renderer's output, merge markers in place.
        images: the bytes of every image ``rendered.images`` names (icons included).
        subject: the subject as the user wrote it (for lists of campaigns).
        unsubscribe_page: the sender's page with the token tag in it, "" = mailto only.
        one_click: the page accepts the RFC 8058 one-click POST.
        unsubscribe_mailto: the marked ``mailto:local+unsub-TOKEN@domain?subject=…`` template
            (List-Unsubscribe always offers it; it is also the body's link when there is no
            page).
        language: the newsletter's language ("fr"/"en").
    """

    rendered: Rendered
    images: dict[str, bytes]
    subject: str
    unsubscribe_page: str
    one_click: bool
    unsubscribe_mailto: str = ""
    language: str = "fr"
    sender_name: str = ""
    sender_email: str = ""
    reply_to: str = ""
    findings: list[Finding] = field(default_factory=list)

    def merge_fields(self) -> set[str]:
        """Contact fields the messages use (``first_name``, custom ones…).

        The fields every message fills itself (the unsubscribe URL and token) are left out, so
        the campaign can block on any name here that no contact provides.
        """
        r = self.rendered
        keys = used_keys(r.html + r.text + r.subject + r.unsubscribe + self.unsubscribe_mailto)
        return r.tags.names(keys) - MESSAGE_FIELDS

    def blocking(self) -> list[Finding]:
        """Error findings that would make every message fail (a refused merge tag…)."""
        return [f for f in self.findings if f.severity == Severity.ERROR]


def freeze(file: BulletinFile, feeds: FeedSource | None = None) -> FrozenNewsletter:
    """Render ``file`` once with the real renderer (posts from the feed cache) and freeze it.

    Raises :class:`FrozenError` when an image the HTML uses cannot be found, and
    :class:`~editor.merge.MergeTagError` (with its finding code) when a merge tag is malformed
    or not allowed: such a tag would make every message fail.
    """
    newsletter = file.newsletter
    rendered = Renderer(file.images, feeds).render(newsletter)
    r = rendered
    for key in used_keys(r.html + r.text + r.subject + r.unsubscribe):
        refusal = r.tags.expressions[key].refusal
        if refusal is not None:  # a tag outside the grammar: every message would fail
            raise refusal
    mailto = rendered.tags.mark_url(unsubscribe_mailto_template(newsletter))
    images: dict[str, bytes] = {}
    for ref in rendered.images:
        try:
            images[ref] = image_bytes(ref, file.images)
        except (KeyError, OSError, MessageError) as exc:
            raise FrozenError(f"image not found: {ref}") from exc
    return FrozenNewsletter(
        rendered=rendered,
        images=images,
        subject=newsletter.subject,
        unsubscribe_page=unsubscribe_page(newsletter),
        one_click=newsletter.sender.one_click_unsubscribe,
        unsubscribe_mailto=mailto,
        language=newsletter.language,
        sender_name=newsletter.sender.name,
        sender_email=newsletter.sender.email,
        reply_to=newsletter.sender.reply_to,
        findings=list(rendered.findings),
    )


def to_bytes(frozen: FrozenNewsletter) -> bytes:
    """The frozen copy as bytes: magic, version, compressed JSON, then the images' bytes."""
    r = frozen.rendered
    refs = list(frozen.images)
    header: dict[str, Any] = {
        "html": r.html,
        "text": r.text,
        "rendered_subject": r.subject,
        "unsubscribe": r.unsubscribe,
        "rendered_images": r.images,
        "expressions": {key: e.source for key, e in r.tags.expressions.items()},
        "findings": [
            {"code": f.code, "severity": str(f.severity), "block": f.block_id, "params": f.params}
            for f in frozen.findings
        ],
        "subject": frozen.subject,
        "unsubscribe_page": frozen.unsubscribe_page,
        "one_click": frozen.one_click,
        "unsubscribe_mailto": frozen.unsubscribe_mailto,
        "language": frozen.language,
        "sender": [frozen.sender_name, frozen.sender_email, frozen.reply_to],
        "images": [[ref, len(frozen.images[ref])] for ref in refs],
    }
    packed = zlib.compress(json.dumps(header, ensure_ascii=False).encode("utf-8"), 6)
    return b"".join(
        [_MAGIC, _HEADER.pack(FORMAT_VERSION, len(packed)), packed]
        + [frozen.images[ref] for ref in refs]
    )


def from_bytes(data: bytes) -> FrozenNewsletter:
    """Read what :func:`to_bytes` wrote; the merge tags are compiled again from their source."""
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _HEADER.size:
        raise FrozenError("not a frozen newsletter")
    version, length = _HEADER.unpack_from(data, len(_MAGIC))
    if version != FORMAT_VERSION:
        raise FrozenError(f"unsupported frozen newsletter version {version}")
    start = len(_MAGIC) + _HEADER.size
    try:
        header = json.loads(zlib.decompress(data[start : start + length]).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise FrozenError("damaged frozen newsletter") from exc
    offset = start + length
    images: dict[str, bytes] = {}
    for ref, size in header["images"]:
        if offset + size > len(data):
            raise FrozenError("damaged frozen newsletter (images cut short)")
        images[ref] = data[offset : offset + size]
        offset += size
    tags = MergeTags()
    for key, source in header["expressions"].items():
        try:
            compiled = tags.compile(source)
        except MergeTagError as exc:  # was well-formed when frozen: the grammar changed
            raise FrozenError(f"merge tag no longer valid: {source}") from exc
        if compiled != key:
            raise FrozenError(f"merge tag key mismatch for: {source}")
    findings = [
        Finding(
            f["code"],
            Severity(f["severity"]),
            f["block"],
            tuple((str(name), value) for name, value in f["params"]),
        )
        for f in header["findings"]
    ]
    rendered = Rendered(
        html=header["html"],
        text=header["text"],
        subject=header["rendered_subject"],
        tags=tags,
        unsubscribe=header["unsubscribe"],
        images=list(header["rendered_images"]),
        findings=findings,
    )
    name, email, reply_to = header["sender"]
    return FrozenNewsletter(
        rendered=rendered,
        images=images,
        subject=header["subject"],
        unsubscribe_page=header["unsubscribe_page"],
        one_click=bool(header["one_click"]),
        unsubscribe_mailto=header["unsubscribe_mailto"],
        language=header["language"],
        sender_name=name,
        sender_email=email,
        reply_to=reply_to,
        findings=findings,
    )
