"""Structure and headers: size and Gmail clipping, the text part, unsubscribing, the sender's
identity, and the headers an ``.eml`` must carry."""

from __future__ import annotations

import re
from collections.abc import Iterator

from editor.findings import Severity
from editor.i18n import _
from editor.render.engine import GMAIL_CLIP_BYTES
from editor.spam.registry import Hit, rule
from editor.spam.view import Link, MessageView

_UNSUB = re.compile(
    r"unsubscri|d[ée]s\s?abonn|d[ée]sinscri|opt[\s-]?out|list-unsubscribe|"
    r"manage (?:your )?(?:subscription|preferences)|vos préférences|abmelden|darse de baja",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"\b\d{1,4}(?:\s?(?:bis|ter|[a-z]))?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|allée|"
    r"place|impasse|route|quai|cours|square|street|st\.?|road|rd\.?|lane|drive|avenue|way|"
    r"close|court)\b"
    r"|\b(?:bp|cs)\s?\d{2,6}\b|\bcedex\b|\bp\.?\s?o\.?\s+box\b"
    r"|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"  # UK postcode
    r"|\b\d{5}\s+[A-ZÉÈ][\w'’ -]{2,}"  # French (and German) postcode + town
    r"|\b[A-Z]{2}\s\d{5}(?:-\d{4})?\b",  # US state + ZIP
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W\d_]{3,}")
PARTS_MIN_SHARE = 0.5


def unsubscribe_links(view: MessageView) -> list[Link]:
    """Links that unsubscribe (by their text, their address, or the newsletter's own link)."""
    return [
        link
        for link in view.links
        if (view.unsubscribe_url and link.href == view.unsubscribe_url)
        or _UNSUB.search(link.text)
        or _UNSUB.search(link.href)
    ]


def has_unsubscribe(view: MessageView) -> bool:
    if unsubscribe_links(view):
        return True
    if view.html is None and view.plain and _UNSUB.search(view.plain):
        return True
    return bool(view.header("List-Unsubscribe"))


@rule(
    "gmail_clip",
    1.5,
    Severity.WARNING,
    mirrors="",
    message=lambda p: _("The HTML is {kb} KB: Gmail clips messages over 102 KB.").format(
        kb=p["kb"]
    ),
    fix=lambda p: _("Remove some blocks or raw HTML."),
)
def gmail_clip(view: MessageView) -> Iterator[Hit]:
    """HTML over 102 KB. Neither filter scores size, but Gmail shows "[Message clipped]" and
    hides the rest (footer, unsubscribe link, open-tracking pixel) behind a link."""
    if view.html_bytes > GMAIL_CLIP_BYTES:
        yield Hit(params={"kb": view.html_bytes // 1024})


@rule(
    "unsubscribe_clipped",
    1.5,
    Severity.ERROR,
    mirrors="",
    message=lambda p: _("The unsubscribe link is after Gmail's clipping point."),
    fix=lambda p: _("Shorten the message so the footer stays within the first 102 KB."),
)
def unsubscribe_clipped(view: MessageView) -> Iterator[Hit]:
    """Over 102 KB and the first unsubscribe link lies beyond the clip point: Gmail readers
    cannot find it, so they press "Report spam" instead, and Gmail's 2024 bulk-sender rules
    require a visible, easy way to unsubscribe."""
    if view.html is None or view.html_bytes <= GMAIL_CLIP_BYTES:
        return
    body = view.html.lower().find("<body")
    m = _UNSUB.search(view.html, max(body, 0))
    if m and len(view.html[: m.start()].encode()) > GMAIL_CLIP_BYTES:
        links = unsubscribe_links(view)
        yield Hit(links[0].block if links else None)


@rule(
    "text_part_missing",
    0.5,
    Severity.WARNING,
    mirrors="SpamAssassin MIME_HTML_ONLY; rspamd MIME_HTML_ONLY",
    message=lambda p: _("The message has no plain-text part."),
    fix=lambda p: _("Send the HTML with a text version (Bulletin always adds one)."),
)
def text_part_missing(view: MessageView) -> Iterator[Hit]:
    """An HTML message without text/plain alternative (SpamAssassin MIME_HTML_ONLY, rspamd
    MIME_HTML_ONLY): bulk tools always send both. Only an ``.eml`` can tell."""
    if view.kind == "eml" and view.html is not None and view.plain is None:
        yield Hit()


@rule(
    "text_base64_needless",
    1.0,
    Severity.WARNING,
    mirrors="rspamd MIME_BASE64_TEXT_BOGUS; SpamAssassin MIME_BASE64_TEXT",
    message=lambda p: _(
        "The {part} part is encoded in base64 though it is plain ASCII text."
    ).format(part=p["part"]),
    fix=lambda p: _(
        "Send text as 7-bit or quoted-printable (Bulletin does): filters read base64 text as "
        "a disguise."
    ),
)
def text_base64_needless(view: MessageView) -> Iterator[Hit]:
    """A text part in base64 whose decoded bytes are all ASCII (rspamd MIME_BASE64_TEXT_BOGUS
    1.0; SpamAssassin MIME_BASE64_TEXT, 1.7 with network tests): nothing needed the encoding,
    and hiding words from naive content scanners is what spam tools use it for. Only an
    ``.eml`` can tell; one finding per message, for its first such part."""
    if view.kind != "eml" or view.headers is None:
        return
    for part in view.headers.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        if part.get_content_disposition() == "attachment":
            continue
        if str(part.get("Content-Transfer-Encoding", "")).strip().lower() != "base64":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload.strip() and payload.isascii():
            yield Hit(params={"part": part.get_content_type()})
            return


@rule(
    "text_part_mismatch",
    1.5,
    Severity.WARNING,
    mirrors="SpamAssassin MPART_ALT_DIFF; rspamd R_PARTS_DIFFER",
    message=lambda p: _(
        "The plain-text part says something else than the HTML ({percent}% of its words)."
    ).format(percent=p["percent"]),
    fix=lambda p: _("Make the text version carry the same content as the HTML."),
)
def text_part_mismatch(view: MessageView) -> Iterator[Hit]:
    """The text part holds under half of the HTML's words (SpamAssassin MPART_ALT_DIFF up to
    2.2, rspamd R_PARTS_DIFFER): spam shows filters one text and readers another."""
    if view.html is None or not view.plain:
        return
    html_words = {w.lower() for w in _WORDS.findall(view.visible_text)}
    if len(html_words) < 10:
        return
    text_words = {w.lower() for w in _WORDS.findall(view.plain)}
    share = len(html_words & text_words) / len(html_words)
    if share < PARTS_MIN_SHARE:
        yield Hit(params={"percent": round(share * 100)})


@rule(
    "unsubscribe_missing",
    3.0,
    Severity.ERROR,
    mirrors="",
    message=lambda p: _("There is no unsubscribe link."),
    fix=lambda p: _('Add a "Footer" block: it carries the unsubscribe link.'),
)
def unsubscribe_missing(view: MessageView) -> Iterator[Hit]:
    """No way to unsubscribe (no link, no List-Unsubscribe header). Neither filter scores
    it (SpamAssassin's URI_UNSUBSCRIBE is 0), but since February 2024 Gmail and Yahoo require
    bulk senders to offer one, readers who cannot leave press "Report spam", and the law
    (GDPR, CAN-SPAM, the French LCEN) requires it."""
    if view.html is None and view.plain is None:
        return
    if not has_unsubscribe(view):
        yield Hit()


@rule(
    "list_unsubscribe_missing",
    1.5,
    Severity.WARNING,
    mirrors="rspamd HAS_LIST_UNSUB (its absence)",
    message=lambda p: _("The message has no List-Unsubscribe header."),
    fix=lambda p: _(
        "Send it with Bulletin, which adds List-Unsubscribe (and one-click unsubscribe)."
    ),
)
def list_unsubscribe_missing(view: MessageView) -> Iterator[Hit]:
    """No List-Unsubscribe header in an ``.eml``. rspamd only credits its presence
    (HAS_LIST_UNSUB), but Gmail and Yahoo require it, with RFC 8058 one-click, of anyone
    sending over 5,000 messages a day since 2024, and show their own unsubscribe button."""
    if view.kind == "eml" and view.header("List-Unsubscribe") is None:
        yield Hit()


@rule(
    "postal_address_missing",
    1.0,
    Severity.WARNING,
    mirrors="",
    message=lambda p: _("The sender's postal address is missing."),
    fix=lambda p: _("Write it in the footer: the law requires it and readers trust it."),
)
def postal_address_missing(view: MessageView) -> Iterator[Hit]:
    """No postal address of the sender. Filters have no rule for it, but CAN-SPAM requires
    one, the French LCEN and the GDPR require the sender's identity, and Gmail's bulk-sender
    guidelines ask for it; messages without one look anonymous."""
    if view.has_postal_address is not None:
        if not view.has_postal_address:
            yield Hit()
        return
    text = f"{view.visible_text}\n{view.plain or ''}"
    if (view.html is not None or view.plain) and not _ADDRESS.search(text):
        yield Hit()


@rule(
    "date_missing",
    2.0,
    Severity.WARNING,
    mirrors="SpamAssassin MISSING_DATE; rspamd MISSING_DATE",
    message=lambda p: _("The message has no Date header."),
    fix=lambda p: _("Send it with a mail program that dates its messages."),
)
def date_missing(view: MessageView) -> Iterator[Hit]:
    """No Date header, which RFC 5322 requires (SpamAssassin MISSING_DATE up to 2.7, rspamd
    MISSING_DATE 1.0); only scripts send such mail."""
    if view.kind == "eml" and not view.header("Date"):
        yield Hit()


_COMMENT = re.compile(r"\([^()]*\)")
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+"
_MESSAGE_ID = re.compile(rf"<{_ATEXT}@(?:{_ATEXT}|\[[^\[\]\\\s]*\])>")


@rule(
    "message_id_missing",
    5.0,
    Severity.ERROR,
    mirrors="SpamAssassin MISSING_MID; rspamd MISSING_MID, INVALID_MSGID",
    message=lambda p: (
        _('The Message-ID header "{value}" is not valid.').format(value=p["value"])
        if p.get("value")
        else _("The message has no Message-ID header.")
    ),
    fix=lambda p: _(
        "Send it with a mail program that sets a Message-ID: Gmail refuses mail without one."
    ),
)
def message_id_missing(view: MessageView) -> Iterator[Hit]:
    """No Message-ID, or one that is not ``<left@right>`` (SpamAssassin MISSING_MID up to 1.2,
    rspamd MISSING_MID 2.5 and INVALID_MSGID 1.7). Gmail refuses such mail outright since 2023
    (« 550-5.7.1 Messages missing a valid Message-ID header are not accepted »), so none of its
    users would get it: 5 points, SpamAssassin's spam threshold, keep the score at 5/10 or less
    whatever else the message gets right."""
    if view.kind != "eml":
        return
    value = re.sub(r"\r?\n[ \t]", " ", view.raw_header("Message-ID") or "").strip()  # unfolded
    bare = _COMMENT.sub("", value).strip()  # « <id@host> (added by postmaster) » is fine
    if not value:
        yield Hit()
    elif not _MESSAGE_ID.fullmatch(bare):
        yield Hit(params={"value": value[:80]})


_UNDISCLOSED = re.compile(
    r"undisclosed[-\s]recipients?|destinataires (inconnus|non divulgu[ée]s)|destinatari nascosti",
    re.IGNORECASE,
)
_HAS_ADDRESS = re.compile(r"[^\s@<>]+@[^\s@<>]+")


@rule(
    "undisclosed_recipients",
    1.5,
    Severity.WARNING,
    mirrors="rspamd R_UNDISC_RCPT; SpamAssassin __TO_UNDISCLOSED (UNDISC_MONEY, UNDISC_FREEM)",
    message=lambda p: _("The message is addressed to undisclosed recipients."),
    fix=lambda p: _(
        "Send one message per person with their own address in To, as Bulletin's campaigns do."
    ),
)
def undisclosed_recipients(view: MessageView) -> Iterator[Hit]:
    """An ``.eml`` sent to « undisclosed-recipients:; » or with no To at all: the whole list in
    Bcc, the way spam goes out (rspamd R_UNDISC_RCPT 3.0; SpamAssassin adds 1.0 to 2.0 when
    money or a free-mail Reply-To comes with it). Such mail cannot carry a personal unsubscribe
    link either."""
    if view.kind != "eml":
        return
    to = view.header("To")
    if to is None or _UNDISCLOSED.search(to) or not _HAS_ADDRESS.search(to):
        yield Hit()


@rule(
    "list_id_missing",
    0.5,
    Severity.INFO,
    mirrors="SpamAssassin __LIST_PARTIAL (LIST_PARTIAL_SHORT_MSG)",
    message=lambda p: _("The message has a List-Unsubscribe header but no List-Id."),
    fix=lambda p: _(
        "Send it with a tool that names the list in a List-Id header, as Bulletin does."
    ),
)
def list_id_missing(view: MessageView) -> Iterator[Hit]:
    """List-Unsubscribe without List-Id (RFC 2919): SpamAssassin calls these mailing-list
    headers incomplete (LIST_PARTIAL_SHORT_MSG 1.0 on a short message); Gmail groups and
    reports feedback by list with it."""
    if (
        view.kind == "eml"
        and view.header("List-Unsubscribe") is not None
        and view.header("List-Id") is None
    ):
        yield Hit()


@rule(
    "title_subject_differ",
    0.8,
    Severity.INFO,
    mirrors="SpamAssassin HTML_TITLE_SUBJ_DIFF",
    message=lambda p: _('The HTML title "{title}" has nothing in common with the subject.').format(
        title=p["title"]
    ),
    fix=lambda p: _("Use the subject as the page title."),
)
def title_subject_differ(view: MessageView) -> Iterator[Hit]:
    """An HTML <title> sharing no word with the subject (SpamAssassin HTML_TITLE_SUBJ_DIFF,
    up to 2.2): spam templates reused across campaigns keep a stale title."""
    if not view.title or not view.subject:
        return
    title = {w.lower() for w in _WORDS.findall(view.title)}
    subject = {w.lower() for w in _WORDS.findall(view.subject)}
    if title and subject and not title & subject:
        yield Hit(params={"title": view.title[:80]})
