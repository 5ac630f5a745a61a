"""The thing checked: one normalised view of a message, whatever it was made from.

A newsletter being composed, a ``.bulletin`` file, an ``.html`` page and an ``.eml`` message all
become a :class:`MessageView` (see :mod:`editor.spam.sources`), so every rule is written once.
Fields a source cannot know are None (an HTML page has no headers and no text part): a rule
that needs them stays silent rather than guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Literal

Kind = Literal["newsletter", "html", "eml"]


@dataclass(frozen=True)
class TextRun:
    """A piece of text as a reader's client draws it: colours, size and visibility resolved
    from the inline styles of every ancestor (premailer inlines everything, so that suffices)."""

    text: str
    block: str | None
    color: str | None  # #rrggbb, None when no colour is set (the client's default)
    background: str  # #rrggbb, white when nothing sets one
    size: float  # CSS pixels
    bold: bool
    hidden: bool  # display:none, visibility:hidden, opacity:0, font-size:0…


@dataclass(frozen=True)
class Link:
    href: str
    text: str  # the visible text, whitespace collapsed
    block: str | None
    has_image: bool


@dataclass(frozen=True)
class Image:
    src: str
    alt: str | None  # None: no alt attribute at all
    width: int | None
    height: int | None
    size: int | None  # bytes, when the image travels with the message or the document
    remote: bool
    block: str | None
    linked: bool = False


@dataclass(frozen=True)
class Form:
    block: str | None
    action: str
    has_password: bool


@dataclass
class MessageView:
    """Everything the rules read. Built once per check; rules never change it.

    Attributes:
        kind: what it was made from.
        subject, preheader: None when the source cannot say (an HTML page has no subject).
        html: the HTML as sent (merge tags filled with sample values), None for a text-only
            message; ``html_bytes`` its UTF-8 size.
        visible_text: what a reader sees, whitespace collapsed (no preheader, no hidden text).
        plain: the text/plain part, None when there is none or the source cannot have one.
        runs, links, images, forms: what the HTML holds, each naming its block when known.
        title: the HTML ``<title>``.
        from_address, reply_to: addresses (lowercase), "" when absent, None when unknown;
            from_name: the From display name.
        smtp_host: the SMTP server the message goes through, when known.
        headers: the ``.eml``'s headers (None for the other sources).
        unsubscribe_url: the unsubscribe link the newsletter renders, when known.
        has_postal_address: True/False when the source knows (a newsletter's footer), None to
            let the rule look for an address in the text.
    """

    kind: Kind
    subject: str | None = None
    preheader: str | None = None
    html: str | None = None
    html_bytes: int = 0
    visible_text: str = ""
    plain: str | None = None
    runs: list[TextRun] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)
    title: str | None = None
    from_name: str | None = None
    from_address: str | None = None
    reply_to: str | None = None
    smtp_host: str | None = None
    headers: EmailMessage | None = None
    unsubscribe_url: str | None = None
    has_postal_address: bool | None = None
    language: str | None = None
    subject_source: str | None = None  # the subject as written, merge tags unfilled
    block_ids: frozenset[str] = frozenset()

    @property
    def sender_domain(self) -> str:
        """The From address's domain, lowercase ("" when unknown)."""
        return (self.from_address or "").rpartition("@")[2].lower()

    def raw_header(self, name: str) -> str | None:
        """An ``.eml`` header's value as written (folding kept), None when absent: the parsed
        value drops what the parser cannot read, which is what a validity check must see."""
        return None if self.headers is None else raw_header(self.headers, name)

    def header(self, name: str) -> str | None:
        """An ``.eml`` header's value ("" when present but unreadable), None when absent."""
        if self.headers is None:
            return None
        try:
            value = self.headers.get(name)
        except Exception:  # a malformed header the policy cannot parse
            return ""
        return None if value is None else str(value)


def raw_header(msg: EmailMessage, name: str) -> str | None:
    """The first ``name`` header of ``msg`` as the parser stored it, None when absent."""
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return None
