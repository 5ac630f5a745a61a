"""A complete MIME message for one contact.

Structure: multipart/alternative (text/plain, then multipart/related holding the HTML and its
images as ``cid:`` attachments), so the message shows its images offline, with no hosting,
and text-only readers get a real text part. Headers include List-Unsubscribe (one-click when
the unsubscribe link is https), as Gmail and Yahoo require of bulk senders since 2024.
"""

from __future__ import annotations

import base64
import mimetypes
from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from typing import Any
from urllib.parse import quote

from editor.i18n import _
from editor.merge import SAMPLE_CONTACT, fill
from editor.render.engine import Rendered, content_id
from editor.settings import resources_dir


class MessageError(ValueError):
    """A message that cannot be built (bad sender or recipient address…)."""


def image_bytes(ref: str, images: Mapping[str, bytes]) -> bytes:
    """Bytes of an image reference: a document image, or an icon bundled in resources/."""
    if ref.startswith("images/"):
        return images[ref]
    path = (resources_dir() / ref).resolve()
    if resources_dir().resolve() not in path.parents:
        raise MessageError(f"image reference outside resources: {ref}")
    return path.read_bytes()


BROKEN_IMAGE = "data:,"  # an image that fails to load, so a browser shows the alt text


def data_url(ref: str, images: Mapping[str, bytes]) -> str:
    """A ``data:`` URL for an image reference, for HTML shown outside a mail client.

    An image that cannot be found becomes a broken image rather than an error: a preview or
    an exported page should still show the rest of the newsletter.
    """
    try:
        data = image_bytes(ref, images)
    except (KeyError, OSError, MessageError):
        return BROKEN_IMAGE
    kind = mimetypes.guess_type(ref)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def build_message(
    rendered: Rendered,
    *,
    sender_name: str,
    sender_email: str,
    reply_to: str = "",
    images: Mapping[str, bytes],
    contact: Mapping[str, Any] | None = None,
    message_id: str | None = None,
    unsubscribe_mailto: str = "",
    one_click: bool = False,
) -> EmailMessage:
    """The message for ``contact`` (a sample person when None), ready for SMTP.

    ``message_id`` (``<unique@domain>``) is the caller's: a campaign picks its own ids so it
    can match bounces and replies to the message; when None a fresh one is made up.
    ``unsubscribe_mailto`` (:func:`~editor.render.context.unsubscribe_mailto_template`) is
    offered in List-Unsubscribe next to the sender's page; ``one_click``: that page accepts the
    RFC 8058 POST. Campaigns build their messages faster with
    :class:`editor.sending.message.MessageFactory`, which this function is the reference for.
    """
    values = rendered.values_for(contact)
    to_address = str(values.get("email") or SAMPLE_CONTACT["email"])
    # refold_source="none": List-Unsubscribe is stored raw (see below) and must stay as written.
    msg = EmailMessage(policy=SMTP.clone(refold_source="none"))
    msg["From"] = _address(sender_name, sender_email, _("the sender"))
    display = " ".join(str(values.get(k) or "") for k in ("first_name", "last_name")).strip()
    msg["To"] = _address(display, to_address, _("the recipient"))
    if reply_to:
        msg["Reply-To"] = _address("", reply_to, _("the reply-to address"))
    msg["Subject"] = " ".join(rendered.subject_for(values).split())
    msg["Date"] = format_datetime(_now())
    domain = _ascii_domain(sender_email.strip().rpartition("@")[2]) or "bulletin.invalid"
    msg["Message-ID"] = message_id or make_msgid(domain=domain)
    mailto = ""
    if unsubscribe_mailto:
        mailto = fill(
            rendered.tags, rendered.tags.mark_url(unsubscribe_mailto), values, for_html=False
        )
    header, post = list_unsubscribe(str(values["unsubscribe_url"]), mailto, one_click=one_click)
    if header:
        msg.set_raw("List-Unsubscribe", header)
    if post:
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["Precedence"] = "bulk"  # fewer out-of-office replies (see editor.sending.message)
    msg["X-Mailer"] = "Bulletin"
    msg.set_content(
        rendered.text_for(values), subtype="plain", charset="utf-8", cte="quoted-printable"
    )
    msg.add_alternative(
        rendered.html_for(values), subtype="html", charset="utf-8", cte="quoted-printable"
    )
    parts = msg.get_payload()
    assert isinstance(parts, list)
    html_part = parts[1]
    assert isinstance(html_part, EmailMessage)
    for ref in rendered.images:
        data = image_bytes(ref, images)
        kind = mimetypes.guess_type(ref)[0] or "application/octet-stream"
        maintype, subtype = kind.split("/", 1)
        filename = ref.rsplit("/", 1)[1]
        html_part.add_related(
            data,
            maintype=maintype,
            subtype=subtype,
            cid=f"<{content_id(ref)}>",
            filename=filename,
            disposition="inline",
        )
    return msg


_URL_SAFE = "!#$%&'()*+,-./:;=?@[]_~"


def list_unsubscribe(url: str, mailto: str, *, one_click: bool) -> tuple[str, bool]:
    """The List-Unsubscribe value ("" for none) and whether List-Unsubscribe-Post goes with it.

    ``url`` is the body's unsubscribe link (the sender's page or, without one, the tokened
    mailto); ``mailto`` is offered too when there is a page (RFC 8058's example order: mailto
    first). One-click only for an https page its owner says accepts the POST. A URL is one
    long word: the folding policy would turn a long one into an RFC 2047 encoded word, which
    no mailbox provider decodes there, so it goes in raw, printable ASCII only (spaces, line
    breaks and non-ASCII percent-encoded).
    """
    url = quote(url, safe=_URL_SAFE)
    mailto = quote(mailto, safe=_URL_SAFE)
    if url.startswith(("https://", "http://")):
        value = f"<{mailto}>,\r\n <{url}>" if mailto.startswith("mailto:") else f"<{url}>"
        return value, one_click and url.startswith("https://")
    if url.startswith("mailto:"):
        return f"<{url}>", False
    if mailto.startswith("mailto:"):  # the page's link was refused (unsafe): the mailto stays
        return f"<{mailto}>", False
    return "", False


def _address(name: str, email: str, what: str) -> Address:
    try:
        local, _unused, domain = email.strip().rpartition("@")
        if not local or not domain:
            raise ValueError(email)
        domain = _ascii_domain(domain)
        if not domain:
            raise ValueError(email)
        return Address(display_name=" ".join(name.split()), username=local, domain=domain)
    except (ValueError, IndexError) as exc:
        raise MessageError(
            _('Invalid address for {what}: "{email}".').format(what=what, email=email)
        ) from exc


def _ascii_domain(domain: str) -> str:
    """The domain as headers need it: an internationalised one in its IDNA (xn--) form."""
    try:
        return domain.strip().encode("idna").decode("ascii")
    except UnicodeError:
        return ""


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
