"""What a message in the sender's mailbox is: :func:`classify` (pure, no database).

Order matters, most reliable first: an ARF complaint, an RFC 3464 delivery status, a reply to
our List-Unsubscribe address, flufl.bounce's detectors for the MTAs that do not follow RFC 3464,
a reply to a subscription confirmation (an automatic one is only an automatic reply), an
« unsubscribe » subject, a subscription request (to the ``+subscribe`` address or with
« subscribe » as subject, never from a program), an automatic reply, then « looks like a bounce
but names nobody » and everything else, which go to the review list. Any input gives an answer:
broken MIME, unknown charsets, no headers, megabytes of attachments (only the first
:data:`~editor.inbox.mime.MAX_CLASSIFY_BYTES` are read).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import Message
from typing import Literal, get_args

from editor.inbox.arf import COMPLAINT_TYPES, feedback_report
from editor.inbox.autoreply import auto_reply_reason
from editor.inbox.dsn import Failure, delivery_status, shorten
from editor.inbox.mime import (
    addresses,
    clean_address,
    content_type,
    date,
    header,
    headers,
    message_id,
    parse,
    text_of,
    walk,
)
from editor.inbox.original import Original, find_original, token_of_recipients

__all__ = ["KINDS", "Classification", "Failure", "Kind", "classify", "message_key"]

Kind = Literal[
    "bounce",
    "soft_bounce",
    "complaint",
    "unsubscribe",
    "auto_reply",
    "backscatter",
    "unrecognised",
    "subscribe",
    "confirm",
]
KINDS: tuple[Kind, ...] = get_args(Kind)  # the same list, to iterate over

#: Headers that may hold the address a message was delivered to (ours with the token).
RECIPIENT_HEADERS = (
    "To",
    "Cc",
    "Delivered-To",
    "X-Original-To",
    "Envelope-To",
    "X-Envelope-To",
    "X-Delivered-To",
    "Original-Recipient",
)
_UNSUBSCRIBE_SUBJECT = re.compile(
    r"^\s*(\[?\s*(unsubscribe|unsubscribe me|se d[ée]sabonner|d[ée]sabonner|d[ée]sabonnement|"
    r"d[ée]sinscription|d[ée]sinscrire|me d[ée]sinscrire|me d[ée]sabonner|remove me|stop)"
    r"\s*\]?)\s*[.!]?\s*$",
    re.IGNORECASE,
)
_SUBSCRIBE_SUBJECT = re.compile(
    r"^\s*(\[?\s*(subscribe|subscribe me|sign me up|s['’]abonner|m['’]abonner|je m['’]abonne|"
    r"abonnement|inscription|m['’]inscrire|je m['’]inscris)\s*\]?)\s*[.!]?\s*$",
    re.IGNORECASE,
)
#: Words that say a request is written in French (its confirmation then is too).
_FRENCH = re.compile(
    r"(^|\W)(s['’]abonner|m['’]abonner|abonnement|inscription|inscrire|bonjour|merci|"
    r"j['’]accepte|recevoir|lettre d['’]information|prénom|courriel)(\W|$)",
    re.IGNORECASE,
)
_FIRST_NAME_LINE = re.compile(
    r"^\s*(first name|pr[ée]nom)[^:\n]{0,40}:[ \t]*([^\n]{1,200})$", re.IGNORECASE | re.MULTILINE
)
#: Precedence values of mail written by programs: never a person confirming.
_BULK_PRECEDENCE = ("bulk", "junk", "list", "auto_reply")
_BOUNCE_SENDER = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery (status )?notification|delivery fail|failure notice|"
    r"returned mail|returned to sender|mail delivery|could not be delivered|nondeliverable|"
    r"non remis|non distribu|[ée]chec de (la )?(remise|distribution)|message non d[ée]livr|"
    r"unzustellbar|delivery has failed|rejected",
    re.IGNORECASE,
)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]+")
FLUFL_BYTES = 256 * 1024  # bytes of a message flufl.bounce's detectors look at
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Classification:
    """What a message is, and everything needed to act on it and prove it.

    ``recipients``: the addresses concerned (failed recipients of a bounce, the complainer,
    the person asking to unsubscribe or replying automatically: the From address).
    ``failures``: per failed recipient, permanent or not, with status and diagnostic.
    ``original_message_id`` and ``token``: of our message the report is about, when found
    (quoted original, List-Unsubscribe, the ``+unsub-TOKEN`` address, In-Reply-To).
    ``message_id`` and ``date``: the message's own, the proof kept in the history.
    ``detail``: how it was recognised, in English, for logs and the review list.
    ``subscribe``: the requested address is ``sender``; ``name`` a first name the request gave,
    ``language`` ``fr``/``en`` when its wording says so, ``measurement`` its « Mesure des
    ouvertures et des clics : oui » line as written ('' if none). ``confirm``: ``token`` from the
    ``+confirm-`` address, ``references`` the confirmation Message-IDs it replies to.
    """

    kind: Kind
    recipients: tuple[str, ...] = ()
    failures: tuple[Failure, ...] = ()
    status: str = ""
    diagnostic: str = ""
    original_message_id: str = ""
    token: str = ""
    message_id: str = ""
    date: datetime | None = None
    sender: str = ""
    subject: str = ""
    detail: str = ""
    has_original: bool = False
    original_looks_ours: bool = False
    name: str = ""
    language: str = ""
    references: tuple[str, ...] = ()
    measurement: str = ""

    @property
    def failure_kind(self) -> Kind:
        """``bounce`` if any recipient failed permanently, else ``soft_bounce`` (for a
        backscatter suspect that the send log shows to be ours after all)."""
        return "bounce" if any(f.permanent for f in self.failures) else "soft_bounce"


def message_key(raw: bytes, message_id_value: str) -> str:
    """The key a message is remembered by: its Message-ID, else a hash of its bytes."""
    if message_id_value:
        return message_id_value[:998]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def classify(raw: bytes) -> Classification:
    """Classify one raw message (RFC 5322 bytes). Never raises: anything unreadable is
    ``unrecognised``."""
    try:
        msg = parse(raw)
        base = Classification(
            kind="unrecognised",
            message_id=message_id(header(msg, "Message-ID")),
            date=date(msg),
            sender=from_address(msg),
            subject=shorten(header(msg, "Subject"), 200),
        )
    except Exception:  # hostile input: unrecognised, never a crash
        log.debug("unparseable message", exc_info=True)
        return Classification(kind="unrecognised", detail="unparseable message")
    try:
        return _classify(raw, msg, base)
    except RecursionError:
        return replace(base, detail="message nested too deeply")
    except Exception:
        log.debug("classification failed", exc_info=True)
        return replace(base, detail="unreadable message structure")


def _classify(raw: bytes, msg: Message, base: Classification) -> Classification:
    complaint = _complaint(msg, base)
    if complaint is not None:
        return complaint
    status = delivery_status(msg)
    if status.failures:
        return _bounce(msg, base, status.failures, "RFC 3464 delivery status notification")
    recipient_values = [v for name in RECIPIENT_HEADERS for v in headers(msg, name)]
    token, tagged = token_of_recipients(recipient_values)
    auto = auto_reply_reason(msg)
    if (token or tagged) and not auto.startswith("Auto-Submitted"):
        return _unsubscribe(msg, base, token, "reply to the List-Unsubscribe address")
    # flufl.bounce's heuristics cost about 0.5 s per MB of text; a report is at the start
    failures = _flufl_failures(msg if len(raw) <= FLUFL_BYTES else parse(raw[:FLUFL_BYTES]))
    if failures:
        return _bounce(msg, base, failures, "non-standard bounce (flufl.bounce)")
    if status.found:  # a DSN naming no failed recipient (a success notice, or half-written)
        return replace(base, kind="auto_reply", detail="delivery notification without failure")
    automatic = auto or _automatic(msg, base)
    confirm = _confirmation(msg, base, recipient_values, automatic)
    if confirm is not None:
        return confirm
    if _UNSUBSCRIBE_SUBJECT.match(base.subject) and not auto:
        return _unsubscribe(msg, base, "", "unsubscribe request in the subject")
    if not automatic and base.sender:
        request = _subscribe_request(msg, base, recipient_values)
        if request is not None:
            return request
    if auto:
        return replace(
            base,
            kind="auto_reply",
            recipients=(base.sender,) if base.sender else (),
            original_message_id=_in_reply_to(msg),
            detail=f"automatic reply ({auto})",
        )
    if _BOUNCE_SENDER.match(base.sender) or _BOUNCE_SUBJECT.search(base.subject):
        return replace(base, detail="looks like a bounce but names no recipient")
    return replace(base, detail="not recognised")


def from_address(msg: Message) -> str:
    """The From address, read before encoded words are decoded: a display name can then never
    smuggle in another address (``=?utf-8?b?…?=`` hiding ``CRLF Bcc: x@y``)."""
    try:
        values = [str(v) for v in msg.get_all("From") or []]
    except Exception:
        return ""
    flat = [" ".join(_CONTROLS.sub(" ", value).split()) for value in values]
    return next(iter(addresses(flat)), "")


def _complaint(msg: Message, base: Classification) -> Classification | None:
    feedback = feedback_report(msg)
    if feedback is None:
        return None
    original = find_original(msg) or Original()
    if feedback.feedback_type not in COMPLAINT_TYPES:
        return replace(
            base,
            original_message_id=original.message_id,
            token=original.token,
            detail=f"feedback report of type {feedback.feedback_type!r}",
        )
    recipients = feedback.recipients or original.to
    return replace(
        base,
        kind="complaint",
        recipients=tuple(recipients),
        original_message_id=original.message_id,
        token=original.token,
        has_original=bool(original.message_id or original.token),
        original_looks_ours=original.looks_ours,
        detail="spam complaint (ARF"
        + (f", {feedback.user_agent}" if feedback.user_agent else "")
        + ")",
    )


def _bounce(
    msg: Message, base: Classification, failures: tuple[Failure, ...], detail: str
) -> Classification:
    original = find_original(msg)
    first = next((f for f in failures if f.permanent), failures[0])
    found = replace(
        base,
        recipients=tuple(f.address for f in failures),
        failures=failures,
        status=first.status,
        diagnostic=first.diagnostic,
        detail=detail,
    )
    if original is not None:
        found = replace(
            found,
            original_message_id=original.message_id,
            token=original.token,
            has_original=True,
            original_looks_ours=original.looks_ours,
        )
        if original.message_id and not original.looks_ours:
            # Quoting a message with someone else's Message-ID and none of our tokens:
            # backscatter unless the send log knows that Message-ID (process() checks).
            return replace(found, kind="backscatter", detail=f"{detail}; original not ours")
    return replace(found, kind=found.failure_kind)


def _unsubscribe(msg: Message, base: Classification, token: str, detail: str) -> Classification:
    return replace(
        base,
        kind="unsubscribe",
        recipients=(base.sender,) if base.sender else (),
        token=token,
        original_message_id=_in_reply_to(msg),
        detail=detail if token else f"{detail} (no valid token)",
    )


def _automatic(msg: Message, base: Classification) -> str:
    """Signs of mail written by a program beyond :func:`auto_reply_reason`: a null return path
    (bounces and auto-replies are sent with ``MAIL FROM:<>``), a bulk or list precedence, a
    mailer-daemon sender. Such mail never subscribes or confirms anyone."""
    if header(msg, "Return-Path").replace(" ", "") == "<>":
        return "null return path"
    precedence = header(msg, "Precedence").lower()
    if precedence in _BULK_PRECEDENCE:
        return f"Precedence: {precedence}"
    if header(msg, "List-Id") or header(msg, "List-Unsubscribe"):
        return "sent by a mailing list"
    if _BOUNCE_SENDER.match(base.sender):
        return "sent by a mail system"
    return ""


def _confirmation(
    msg: Message, base: Classification, recipient_values: list[str], automatic: str
) -> Classification | None:
    """A reply to one of our subscription confirmations: to its ``+confirm-TOKEN`` Reply-To,
    or answering its Message-ID. An automatic one (out-of-office…) is an automatic reply,
    never a confirmation."""
    from editor.inbox.subscribe_mail import confirm_token_from_address, confirmation_ids

    token = next(
        (t for a in addresses(recipient_values) if (t := confirm_token_from_address(a))), ""
    )
    references = confirmation_ids(
        " ".join([header(msg, "In-Reply-To"), *headers(msg, "References")])
    )
    if not token and not references:
        return None
    if automatic:
        return replace(
            base,
            kind="auto_reply",
            recipients=(base.sender,) if base.sender else (),
            detail=f"automatic reply to a subscription confirmation ({automatic})",
        )
    return replace(
        base,
        kind="confirm",
        token=token,
        references=references,
        original_message_id=references[0] if references else "",
        detail="reply to a subscription confirmation",
    )


def _subscribe_request(
    msg: Message, base: Classification, recipient_values: list[str]
) -> Classification | None:
    """A request to subscribe: delivered to a ``+subscribe`` address, or « subscribe » /
    « s'abonner » / « inscription » as the whole subject. The From address is the one asked
    for (the confirmation goes there, so a forged From subscribes nobody)."""
    from editor.inbox.subscribe_mail import is_subscribe_address, measurement_line, one_line

    to_subscribe = any(is_subscribe_address(a) for a in addresses(recipient_values))
    if not to_subscribe and not _SUBSCRIBE_SUBJECT.match(base.subject):
        return None
    text = _first_text(msg)
    match = _FIRST_NAME_LINE.search(text)
    name = one_line(match.group(2), 100) if match else ""
    language = "fr" if _FRENCH.search(f"{base.subject}\n{text[:4000]}") else ""
    if not language and re.search(r"(^|\W)(subscribe|hello|newsletter)(\W|$)", base.subject, re.I):
        language = "en"
    return replace(
        base,
        kind="subscribe",
        recipients=(base.sender,),
        name=name,
        language=language,
        measurement=measurement_line(text),
        detail="subscription request"
        + (" to the subscribe address" if to_subscribe else " in the subject"),
    )


def _first_text(msg: Message) -> str:
    """The first text/plain part's text (bounded), '' if none."""
    for part in walk(msg):
        if content_type(part) == "text/plain":
            return text_of(part)[:20_000]
    return ""


def _in_reply_to(msg: Message) -> str:
    value = header(msg, "In-Reply-To") or (header(msg, "References").split() or [""])[-1]
    return message_id(value)


def _flufl_failures(msg: Message) -> tuple[Failure, ...]:
    """Failures found by flufl.bounce (Mailman's detectors), permanent kept apart from
    temporary. Its heuristics may raise on odd input: that is « nothing found »."""
    temporary, permanent = _run_detectors(msg)
    failures: dict[str, Failure] = {}
    for found, is_permanent in ((temporary, False), (permanent, True)):
        for item in found:
            text = item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
            address = clean_address(text)
            if address:
                failures[address.lower()] = Failure(address, is_permanent)
    return tuple(failures.values())


def _run_detectors(msg: Message) -> tuple[frozenset[bytes], frozenset[bytes]]:
    """flufl.bounce's ``all_failures``, except that a detector raising (its Yale detector does
    on a message without From) is skipped instead of ending the scan: the same detectors, in
    the same order, first one that finds something wins."""
    import flufl.bounce._scan as scan

    detectors = getattr(scan, "_DETECTORS", None)
    if not isinstance(detectors, list):  # a future flufl.bounce: its public function
        try:
            return scan.all_failures(msg)
        except Exception:
            log.debug("flufl.bounce failed", exc_info=True)
            return frozenset(), frozenset()
    for detector in detectors:
        try:
            temporary, permanent = detector().process(msg)
        except Exception:
            log.debug("flufl.bounce detector %s failed", detector, exc_info=True)
            continue
        if temporary or permanent:
            return frozenset(temporary), frozenset(permanent)
    return frozenset(), frozenset()
