"""Each recipient's message, built fast from the campaign's frozen copy.

Structure (the same as :func:`editor.render.mime.build_message`, which stays the slow reference
path for ``bulletin render --eml``): ``multipart/alternative`` holding the text part, then
``multipart/related`` with the HTML and its images as ``cid:`` parts, so the message shows its
images offline and text-only readers get a real text part.

Headers: From, To (with the contact's name), Reply-To, Subject, Date, the Message-ID the campaign
chose (on the sender's domain, so bounces and replies can be matched), List-Unsubscribe (always
the ``mailto:`` to ``local+unsub-TOKEN@domain``, and the sender's page with the token when there
is one), List-Unsubscribe-Post only when that page is https and accepts the RFC 8058 one-click
POST, List-Id, ``Precedence: bulk``, X-Mailer. ``Precedence`` is not a standard field, but
auto-responders look for it (RFC 3834 §2: no reply to ``bulk``/``list``/``junk``), so the
user's inbox — and the inbox sync that reads unsubscriptions there — gets fewer out-of-office
replies; Google's sender guidelines recommended it until 2023 and now neither ask for it nor
warn against it. No ``Auto-Submitted``: a newsletter is not an automatic reply (RFC 3834
``auto-generated`` is for machine notices), and some clients hide or deprioritise such mail.

Speed: the email package costs ~29 ms a message (its generator and quoted-printable encoder).
Everything that is the same for every recipient is made once per campaign: the image parts
(base64), the boundaries, the static headers, the HTML with its ``cid:`` URLs and the templates
split at their merge markers. Per recipient only the markers are filled and the two bodies are
quoted-printable encoded by :func:`binascii.b2a_qp` (C). Header values are encoded here, never
concatenated raw: control characters become spaces, non-ASCII names and subjects become RFC 2047
encoded words, so no value can add a header line.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import html
import mimetypes
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any

from editor.i18n import _
from editor.merge import MergeTags, evaluate
from editor.merge import _escape as escape_value
from editor.render.engine import cid_url, content_id
from editor.render.mime import MessageError, list_unsubscribe
from editor.render.text import RULE, rewrap, underline
from editor.richtext import MARKER
from editor.sending.frozen import FrozenNewsletter
from editor.sending.tokens import ascii_domain, is_token

if TYPE_CHECKING:
    from editor.tracking.links import Measurement

__all__ = [
    "MessageError",
    "MessageFactory",
    "Recipient",
    "format_address",
    "list_unsubscribe",
    "make_list_id",
    "make_message_id",
]

CRLF = "\r\n"
_RULE_LINE = re.compile(rf"{RULE}[=-]")
_IMAGE_SRC = re.compile(r"bulletin-image:([A-Za-z0-9_./-]+)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")
_ATEXT = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*")  # a phrase that needs no quotes
_DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LOCAL = re.compile(r"[!#-;=?-~]+")  # printable ASCII, no space, quote, < or >
_MESSAGE_ID = re.compile(r"<[!-;=?-~]+@[A-Za-z0-9.-]+>")  # printable ASCII, no < >
_LIST_ID = re.compile(r"(.*?)\s*<([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)>")
MAX_NAME = 400  # characters of a display name kept (the line stays far below 998)
MAX_WORD_BYTES = 45  # 60 base64 characters: "=?utf-8?b?" + 60 + "?=" = 72 ≤ 75


@dataclass(frozen=True)
class Recipient:
    """One delivery of a campaign: who it goes to, their merge values and their token."""

    delivery_id: int
    contact_id: int
    email: str
    first_name: str = ""
    last_name: str = ""
    fields: Mapping[str, str] = field(default_factory=dict)  # custom fields
    token: str = ""  # per-recipient unsubscribe token

    def values(self) -> dict[str, Any]:
        """The merge values of this recipient (custom fields, then the built-in ones)."""
        values: dict[str, Any] = dict(self.fields)
        values.update(
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            unsubscribe_token=self.token,
        )
        return values


class _Template:
    """A rendered text cut at its merge markers, so filling it is a join, not a regex pass."""

    def __init__(self, tags: MergeTags, text: str) -> None:
        self.tags = tags
        self.parts: list[str] = []
        self.slots: list[tuple[int, str, str]] = []  # (index in parts, kind, key)
        last = 0
        for m in MARKER.finditer(text):
            if m.group(2) not in tags.expressions:  # not ours: stays as written
                continue
            self.parts.append(text[last : m.start()])
            self.slots.append((len(self.parts), m.group(1), m.group(2)))
            self.parts.append("")
            last = m.end()
        self.parts.append(text[last:])

        self._encoded: list[bytes] | None = None

    def fill(self, values: Mapping[str, Any], *, for_html: bool) -> str:
        """The text with every marker replaced as :func:`editor.merge.fill` would."""
        if not self.slots:
            return self.parts[0]
        parts = list(self.parts)
        for index, value in self._values(values, for_html):
            parts[index] = value
        return "".join(parts)

    def encode(self, values: Mapping[str, Any], *, for_html: bool) -> bytes:
        """:meth:`fill`, quoted-printable encoded: the static parts were encoded once.

        Each part is encoded on its own and ends with a soft line break (unless it ends a
        line), so the parts join into valid quoted-printable that decodes to the filled text.
        """
        if self._encoded is None:
            last = len(self.parts) - 1
            self._encoded = [_qp_piece(part, i == last) for i, part in enumerate(self.parts)]
        encoded = list(self._encoded)
        for index, value in self._values(values, for_html):
            encoded[index] = _qp_piece(value, False)
        return b"".join(encoded)

    def _values(self, values: Mapping[str, Any], for_html: bool) -> list[tuple[int, str]]:
        raw: dict[str, str] = {}
        out = []
        for index, kind, key in self.slots:
            if key not in raw:
                raw[key] = evaluate(self.tags, key, values)
            out.append((index, escape_value(kind, raw[key], for_html)))
        return out


class _TextPart:
    """The text part's template: lines without merge tags wrapped once per campaign.

    :func:`~editor.render.text.rewrap` works line by line and
    :func:`~editor.render.text.underline` on a line and the rule line under it, so only the
    lines holding a marker (with their rule line) need wrapping again per recipient; the rest
    is done here once. The result is the same as wrapping the whole filled text.
    """

    def __init__(self, tags: MergeTags, text: str) -> None:
        self.pieces: list[str | _Template] = []
        lines = text.split("\n")
        static: list[str] = []
        i = 0
        while i < len(lines):
            group = lines[i : i + 2] if _is_rule(lines, i + 1) else lines[i : i + 1]
            chunk = "\n".join(group)
            if any(m.group(2) in tags.expressions for m in MARKER.finditer(chunk)):
                if static:
                    self.pieces.append(rewrap(underline("\n".join(static))))
                    static = []
                self.pieces.append(_Template(tags, chunk))
            else:
                static.append(chunk)
            i += len(group)
        if static:
            self.pieces.append(rewrap(underline("\n".join(static))))

        last = len(self.pieces) - 1
        self._encoded = [
            _qp_piece(piece if i == last else piece + "\n", i == last)
            if isinstance(piece, str)
            else b""
            for i, piece in enumerate(self.pieces)
        ]

    def fill(self, values: Mapping[str, Any]) -> str:
        return "\n".join(
            piece
            if isinstance(piece, str)
            else rewrap(underline(piece.fill(values, for_html=False)))
            for piece in self.pieces
        )

    def encode(self, values: Mapping[str, Any]) -> bytes:
        """:meth:`fill`, quoted-printable encoded (the static lines were encoded once)."""
        last = len(self.pieces) - 1
        out = list(self._encoded)
        for i, piece in enumerate(self.pieces):
            if not isinstance(piece, str):
                text = rewrap(underline(piece.fill(values, for_html=False)))
                out[i] = _qp_piece(text if i == last else text + "\n", i == last)
        return b"".join(out)


def _is_rule(lines: list[str], index: int) -> bool:
    return index < len(lines) and _RULE_LINE.fullmatch(lines[index]) is not None


class MessageFactory:
    """Built once per campaign; :meth:`build` makes one recipient's message in well under 1 ms.

    ``list_id`` is the whole List-Id value (see :func:`make_list_id`) or just the list's name,
    then made into one on the sender's domain. ``subject_prefix`` (« [TEST] ») goes before the
    subject. ``now`` gives the Date header's time (tests fix it). Raises
    :class:`MessageError` when the sender's addresses are not usable.

    ``measurement`` (:mod:`editor.tracking`): for the deliveries it holds a token for (the
    consenting recipients of a measured campaign), the HTML part gets the pixel and wrapped
    links, filled and encoded whole (about a millisecond); every other recipient takes the
    usual fast path and gets byte for byte the message they would get without it.
    """

    def __init__(
        self,
        frozen: FrozenNewsletter,
        *,
        from_name: str,
        from_email: str,
        reply_to: str = "",
        list_id: str,
        campaign_uid: str,
        subject_prefix: str = "",
        now: Callable[[], datetime] | None = None,
        measurement: Measurement | None = None,
    ) -> None:
        self.frozen = frozen
        self.measurement = measurement
        self._now = now or _utc_now
        self.campaign_uid = campaign_uid
        self.domain = _domain_of(from_email, _("the sender"))
        self.subject_prefix = " ".join(_CONTROL.sub(" ", subject_prefix).split())
        # The campaign refused fields no contact has; one a contact lacks is empty for it
        # (so `| default("ami")` applies), never an error in the middle of a campaign.
        self._fields = sorted(frozen.merge_fields())
        r = frozen.rendered
        tags = r.tags
        known = set(r.images)
        page = _IMAGE_SRC.sub(
            lambda m: html.escape(cid_url(m.group(1))) if m.group(1) in known else m.group(0),
            r.html,
        )
        # A body ends with a line break, as the email package writes it.
        self._html = _Template(tags, page if page.endswith("\n") else page + "\n")
        self._text = _TextPart(tags, r.text)
        self._subject = _Template(tags, r.subject)
        self._unsubscribe = _Template(tags, r.unsubscribe)
        self._mailto = _Template(tags, frozen.unsubscribe_mailto)
        list_id = _list_id(list_id, self.domain)
        static = [
            "From: " + format_address(from_name, from_email, _("the sender")),
        ]
        if reply_to.strip():
            static.append("Reply-To: " + format_address("", reply_to, _("the reply-to address")))
        static.append("List-Id: " + list_id)
        static.append("Precedence: bulk")
        static.append("X-Mailer: Bulletin")
        static.append("MIME-Version: 1.0")
        self._static_headers = CRLF.join(static) + CRLF
        # "=_" never occurs in quoted-printable or base64 text, so the boundaries cannot
        # collide with a body; derived from the campaign so a resumed campaign (or a frozen
        # copy read back) makes the very same bytes.
        mark = hashlib.sha256(f"bulletin:{campaign_uid}".encode()).hexdigest()[:24]
        self._alt = f"=_bulletin_alt_{mark}"
        self._rel = f"=_bulletin_rel_{mark}"
        self._images = self._image_parts()

    # -------------------------------------------------------------------------------- public

    def build(
        self, recipient: Recipient, message_id: str, *, values: Mapping[str, Any] | None = None
    ) -> bytes:
        """The whole message for ``recipient`` (RFC 5322, CRLF line ends, 7-bit).

        ``values``: merge values to use instead of the recipient's (a test sent to oneself
        with a chosen contact's values); the token is always the recipient's.
        """
        if not _MESSAGE_ID.fullmatch(message_id):
            raise MessageError(f"invalid Message-ID: {message_id!r}")
        if not is_token(recipient.token):
            raise MessageError(f"recipient {recipient.delivery_id} has no unsubscribe token")
        values = recipient.values() if values is None else dict(values)
        values["unsubscribe_token"] = recipient.token
        for name in self._fields:  # a field other contacts have: empty for this one
            values.setdefault(name, "")
        unsubscribe = self._unsubscribe.fill(values, for_html=False)
        values["unsubscribe_url"] = unsubscribe
        mailto = self._mailto.fill(values, for_html=False)
        subject = " ".join(self._subject.fill(values, for_html=False).split())
        if self.subject_prefix:
            subject = f"{self.subject_prefix} {subject}".strip()
        name = " ".join(f"{recipient.first_name} {recipient.last_name}".split())
        header, post = list_unsubscribe(unsubscribe, mailto, one_click=self.frozen.one_click)
        lines = [
            self._static_headers,
            "To: ",
            format_address(name, recipient.email, _("the recipient")),
            CRLF,
            "Subject: ",
            encode_unstructured(subject, len("Subject: ")),
            CRLF,
            "Date: ",
            format_datetime(self._now()),
            CRLF,
            "Message-ID: ",
            message_id,
            CRLF,
        ]
        if header:
            lines += ["List-Unsubscribe: ", header, CRLF]
        if post:
            lines += ["List-Unsubscribe-Post: List-Unsubscribe=One-Click", CRLF]
        lines += [
            f'Content-Type: multipart/alternative; boundary="{self._alt}"',
            CRLF,
            CRLF,
        ]
        head = "".join(lines).encode("ascii")
        out = [
            head,
            b"--",
            self._alt.encode(),
            b'\r\nContent-Type: text/plain; charset="utf-8"\r\n'
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            self._text.encode(values),
            b"\r\n--",
            self._alt.encode(),
            b"\r\n",
        ]
        if self._images:
            out += [
                f'Content-Type: multipart/related; boundary="{self._rel}"; '.encode(),
                b'type="text/html"\r\n\r\n--',
                self._rel.encode(),
                b"\r\n",
            ]
        token = (
            None if self.measurement is None else self.measurement.token_for(recipient.delivery_id)
        )
        if token is None:
            body = self._html.encode(values, for_html=True)
        else:
            body = self._measured_html(values, token, (unsubscribe, recipient.token))
        out += [
            b'Content-Type: text/html; charset="utf-8"\r\n'
            b"Content-Transfer-Encoding: quoted-printable\r\n\r\n",
            body,
            b"\r\n",
            self._images,
            b"--",
            self._alt.encode(),
            b"--\r\n",
        ]
        return b"".join(out)

    # ------------------------------------------------------------------------------ helpers

    def _measured_html(
        self, values: Mapping[str, Any], token: str, unsubscribe: tuple[str, ...]
    ) -> bytes:
        """A consenting recipient's HTML part: filled, links wrapped, pixel added, encoded.

        Wrapping after filling signs the URL the reader would have followed (UTM parameters
        and merge values in it); the unsubscribe URL and token are never wrapped.
        """
        assert self.measurement is not None
        page = self._html.fill(values, for_html=True)
        return quoted_printable(self.measurement.wrap(page, token, unsubscribe))

    def _image_parts(self) -> bytes:
        """Every image part (base64, once per campaign) and the closing related boundary."""
        refs = self.frozen.rendered.images
        if not refs:
            return b""
        out: list[bytes] = []
        for ref in refs:
            data = self.frozen.images[ref]
            kind = mimetypes.guess_type(ref)[0] or "application/octet-stream"
            filename = ref.rsplit("/", 1)[-1]
            if not re.fullmatch(r"[A-Za-z0-9_.-]+", filename):
                filename = "image"
            out.append(
                (
                    f"--{self._rel}\r\n"
                    f"Content-Type: {kind}\r\n"
                    "Content-Transfer-Encoding: base64\r\n"
                    f"Content-ID: <{content_id(ref)}>\r\n"
                    f'Content-Disposition: inline; filename="{filename}"\r\n\r\n'
                ).encode("ascii")
            )
            out.append(_base64_lines(data))
        out.append(f"--{self._rel}--\r\n".encode("ascii"))
        return b"".join(out)


# ----------------------------------------------------------------------------------- headers


def _utc_now() -> datetime:
    return datetime.now(UTC)


def make_message_id(campaign_uid: str, delivery_id: int, domain: str) -> str:
    """``<c{campaign_uid}.{delivery_id}.{random}@{domain}>``, the domain in ASCII (IDNA).

    The random part keeps ids unique if a delivery is ever sent again (the user resends the
    unknown ones); the campaign and delivery in it let replies and bounces be matched.
    """
    uid = re.sub(r"[^A-Za-z0-9-]", "", campaign_uid) or "0"
    return f"<c{uid}.{int(delivery_id)}.{secrets.token_hex(6)}@{ascii_domain(domain)}>"


def make_list_id(name: str, domain: str) -> str:
    """``"Name" <slug.domain>`` (RFC 2919), the slug made of the name's ASCII letters."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")[:60] or "newsletter"
    clean = " ".join(_CONTROL.sub(" ", name).split())
    label = f"<{slug}.{ascii_domain(domain)}>"
    return f"{_phrase(clean)} {label}" if clean else label


def _list_id(value: str, domain: str) -> str:
    """A caller's List-Id: a whole ``Name <label.domain>`` (its name encoded as needed) or a
    list's name, made into one on the sender's domain."""
    clean = " ".join(_CONTROL.sub(" ", value).split())
    match = _LIST_ID.fullmatch(clean)
    if match is None:
        return make_list_id(clean, domain)
    name = match.group(1).strip().strip('"')
    return f"{_phrase(name)} <{match.group(2)}>" if name else f"<{match.group(2)}>"


def format_address(name: str, email: str, what: str = "") -> str:
    """``Name <local@domain>`` for a header: the name quoted or RFC 2047-encoded as needed,
    control characters turned to spaces, the domain in IDNA form.

    Raises :class:`MessageError` when ``email`` is not an ASCII ``local@domain`` address.
    """
    local, at, domain = email.strip().rpartition("@")
    try:
        if not at or not _LOCAL.fullmatch(local):
            raise ValueError(email)
        domain = ascii_domain(domain)
    except ValueError as exc:
        raise MessageError(
            _('Invalid address for {what}: "{email}".').format(what=what, email=email.strip())
        ) from exc
    if not _DOT_ATOM.fullmatch(local):  # "odd..local": legal only quoted
        local = '"' + local.replace("\\", "\\\\").replace('"', '\\"') + '"'
    address = f"{local}@{domain}"
    clean = " ".join(_CONTROL.sub(" ", name).split())
    return f"{_phrase(clean)} <{address}>" if clean else address


def _phrase(name: str) -> str:
    """A display name as a header phrase: an atom run, a quoted string, or encoded words.

    ASCII stays readable (quoted when it has specials, or ``=?`` that must not read as an
    encoded word: RFC 2047 words are not decoded inside quotes). Non-ASCII becomes encoded
    words; a long name takes several, folded, which RFC 2047 readers join again (Python's own
    parser adds a space between them, as it does for what its email package writes).
    """
    if name.isascii():
        name = name[:MAX_NAME]
        if _ATEXT.fullmatch(name) and "=?" not in name:
            return name
        return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{CRLF} ".join(_encoded_words(name[:MAX_NAME]))


def encode_unstructured(text: str, used: int) -> str:
    """A one-line text (already without line breaks) as an unstructured header value.

    Plain ASCII is folded at spaces to keep lines short; anything else (non-ASCII, a word too
    long to fold, text that would read as an encoded word) becomes RFC 2047 encoded words.
    ``used``: characters already on the first line (``"Subject: "``).
    """
    text = _CONTROL.sub(" ", text)
    words = text.split(" ")
    if text.isascii() and "=?" not in text and all(len(w) < 900 for w in words):
        lines: list[str] = []
        current = ""
        width = 78 - used
        for word in words:
            if current and len(current) + 1 + len(word) > width:
                lines.append(current)
                current, width = word, 77
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
        return f"{CRLF} ".join(lines)
    return f"{CRLF} ".join(_encoded_words(text))


def _encoded_words(text: str) -> list[str]:
    """``=?utf-8?b?…?=`` words of at most 75 characters, never splitting a character."""
    words: list[str] = []
    chunk = bytearray()
    for char in text:
        data = char.encode("utf-8")
        if len(chunk) + len(data) > MAX_WORD_BYTES:
            words.append(_word(bytes(chunk)))
            chunk.clear()
        chunk += data
    if chunk or not words:
        words.append(_word(bytes(chunk)))
    return words


def _word(data: bytes) -> str:
    return f"=?utf-8?b?{base64.b64encode(data).decode('ascii')}?="


def _domain_of(email: str, what: str) -> str:
    local, at, domain = email.strip().rpartition("@")
    try:
        if not at or not local:
            raise ValueError(email)
        return ascii_domain(domain)
    except ValueError as exc:
        raise MessageError(
            _('Invalid address for {what}: "{email}".').format(what=what, email=email.strip())
        ) from exc


# ------------------------------------------------------------------------------------ bodies


def quoted_printable(text: str) -> bytes:
    """UTF-8 text as quoted-printable with CRLF line ends (soft breaks at 76 characters).

    ``binascii.b2a_qp`` (C) does the work; it keeps a lone CR as it is, so every line end is
    made a LF first and each LF a CRLF after.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    encoded = binascii.b2a_qp(text.encode("utf-8"), quotetabs=False, istext=True, header=False)
    return encoded.replace(b"\n", b"\r\n")


def _qp_piece(text: str, last: bool) -> bytes:
    """One piece of a body, quoted-printable, ending with a soft line break unless it ends a
    line or the body: pieces encoded apart then join into one valid encoding."""
    encoded = quoted_printable(text)
    if last or not encoded or encoded.endswith(b"\r\n"):
        return encoded
    return encoded + b"=\r\n"


def _base64_lines(data: bytes) -> bytes:
    """Base64 in lines of 76 characters, CRLF-terminated (images, once per campaign)."""
    encoded = base64.b64encode(data)
    return b"".join(encoded[i : i + 76] + b"\r\n" for i in range(0, len(encoded), 76))
