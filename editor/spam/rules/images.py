"""Images: image-only messages, missing alt text, heavy files, many remote images."""

from __future__ import annotations

from collections.abc import Iterator

from editor.findings import Severity
from editor.i18n import _
from editor.spam.registry import Hit, rule
from editor.spam.sources import images_of
from editor.spam.view import MessageView

# SpamAssassin's HTML_IMAGE_ONLY_xx bands (bytes of text, upper bound) and our points: SA's own
# scores (1.4–2.8) are for messages where the text is a single line; newsletters always carry
# some images, so above 800 bytes the points only nudge.
IMAGE_ONLY_BANDS = ((400, 2.5, "04"), (800, 0.8, "08"), (1200, 0.4, "12"), (1600, 0.2, "16"))
LARGE_IMAGE_BYTES = 1024 * 1024
MANY_REMOTE = 10
SHORT_TEXT = 300
LOW_RATIO = 0.004  # characters of text per pixel of image area (SA HTML_IMAGE_RATIO_04)


@rule(
    "image_only",
    2.5,
    Severity.WARNING,
    mirrors="SpamAssassin HTML_IMAGE_ONLY_04 … HTML_IMAGE_ONLY_16",
    message=lambda p: _("Images with little text ({chars} characters).").format(chars=p["chars"]),
    fix=lambda p: _("Add text: filters cannot read images, and many readers do not load them."),
)
def image_only(view: MessageView) -> Iterator[Hit]:
    """At least one image and under 1,600 bytes of text, in SpamAssassin's 400-byte bands
    (HTML_IMAGE_ONLY_04 to _16): the less text, the more points."""
    if view.html is None or not images_of(view):
        return
    chars = len(view.visible_text.encode())
    for limit, points, band in IMAGE_ONLY_BANDS:
        if chars <= limit:
            yield Hit(params={"chars": chars, "band": band}, points=points)
            return


@rule(
    "image_text_ratio",
    0.5,
    Severity.INFO,
    mirrors="SpamAssassin HTML_IMAGE_RATIO_02 … _08; rspamd HTML_TEXT_IMG_RATIO",
    message=lambda p: _("The images are large for the amount of text."),
    fix=lambda p: _("Balance them with text, or use smaller images."),
)
def image_text_ratio(view: MessageView) -> Iterator[Hit]:
    """Little text per pixel of image (SpamAssassin HTML_IMAGE_RATIO_xx: under 0.004
    characters per square pixel). Only when :func:`image_only` has not already fired."""
    chars = len(view.visible_text.encode())
    if view.html is None or chars <= IMAGE_ONLY_BANDS[-1][0]:
        return
    area = sum((i.width or 0) * (i.height or 0) for i in images_of(view))
    if area and chars / area < LOW_RATIO:
        yield Hit()


@rule(
    "image_no_alt",
    0.3,
    Severity.WARNING,
    mirrors="",
    message=lambda p: _("An image has no alt text."),
    fix=lambda p: _(
        "Describe the image in a few words: the text shows when images are blocked "
        "and is read to blind readers."
    ),
)
def image_no_alt(view: MessageView) -> Iterator[Hit]:
    """Images without alt text (at most 1 point in all). Neither filter scores it, but
    Outlook and many corporate clients block images by default, so the reader sees an empty
    frame, and mailbox providers rank bulk mail by how readers engage with it."""
    count = 0
    for image in images_of(view):
        if not (image.alt or "").strip():
            count += 1
            if count <= 3:
                yield Hit(image.block, {"src": image.src[:80]}, points=0.3 if count < 3 else 0.4)


@rule(
    "image_too_large",
    0.5,
    Severity.WARNING,
    mirrors="",
    message=lambda p: _("An image weighs {kb} KB.").format(kb=p["kb"]),
    fix=lambda p: _("Resize it to the width it is shown at (at most twice) and compress it."),
)
def image_too_large(view: MessageView) -> Iterator[Hit]:
    """An image over 1 MB. Neither filter scores image weight, but heavy messages load
    slowly on phones, Gmail refuses messages over 25 MB, and size limits at many corporate
    gateways bounce them."""
    for image in view.images:
        if image.size is not None and image.size > LARGE_IMAGE_BYTES:
            yield Hit(image.block, {"kb": image.size // 1024})


@rule(
    "remote_images_many",
    0.5,
    Severity.INFO,
    mirrors="SpamAssassin T_REMOTE_IMAGE",
    message=lambda p: _("The message loads {count} images from the web.").format(count=p["count"]),
    fix=lambda p: _("Embed the images in the message instead (Bulletin's default)."),
)
def remote_images_many(view: MessageView) -> Iterator[Hit]:
    """More than 10 images fetched from the web (SpamAssassin T_REMOTE_IMAGE): clients
    block them until the reader allows it, so the message shows empty frames."""
    remote = [i for i in images_of(view) if i.remote]
    if len(remote) > MANY_REMOTE:
        yield Hit(params={"count": len(remote)})


@rule(
    "short_linked_image",
    1.5,
    Severity.WARNING,
    mirrors="SpamAssassin HTML_SHORT_LINK_IMG_1…3; rspamd HTML_SHORT_LINK_IMG_1, _2",
    message=lambda p: _("The message is mostly a linked image, with little text."),
    fix=lambda p: _("Add text saying what the link is about."),
)
def short_linked_image(view: MessageView) -> Iterator[Hit]:
    """A short message (under 300 characters) whose content is an image wrapped in a link:
    the classic image-spam layout (SpamAssassin HTML_SHORT_LINK_IMG_1, rspamd
    HTML_SHORT_LINK_IMG_1 2.0)."""
    if len(view.visible_text) >= SHORT_TEXT:
        return
    linked = next((i for i in images_of(view) if i.linked), None)
    if linked is not None:
        yield Hit(linked.block)
