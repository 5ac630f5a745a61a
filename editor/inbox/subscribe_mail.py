"""The addresses and the message of subscriptions by email (double opt-in, issue 11).

A person writes to ``local+subscribe@domain`` (the signup form's mailto,
:func:`editor.signup.subscribe_address`). Bulletin answers with a confirmation whose
``Reply-To`` is ``local+confirm-TOKEN@domain`` and whose Message-ID is
``<confirm.RANDOM@domain>``: replying to it confirms. The token (120 random bits) is the secret
only that mailbox received, so nobody can confirm for someone else.

The confirmation is written in French or English, the language of the request (or of the
mailbox's setting); its wording is fixed here rather than taken from the UI catalogs because it
is sent to the subscriber, in their language, and kept word for word as the consent proof.
Everything here is pure: no database, no network.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from editor.contacts.keys import plain_fold
from editor.sending.tokens import TOKEN_LENGTH, ascii_domain, new_token

__all__ = [
    "CONFIRM_TAG",
    "SUBSCRIBE_TAG",
    "Confirmation",
    "asks_measurement_only",
    "compose",
    "confirm_address",
    "confirm_token_from_address",
    "confirmation_ids",
    "is_confirmation_id",
    "is_subscribe_address",
    "make_confirmation_id",
    "measurement_line",
    "new_token",
    "states_measurement",
]

SUBSCRIBE_TAG = "subscribe"  # local+subscribe@domain (as editor.signup writes it)
CONFIRM_TAG = "confirm-"  # local+confirm-TOKEN@domain
LANGUAGES = ("fr", "en")

_CONFIRM_IN_LOCAL = re.compile(rf"\+{CONFIRM_TAG}([a-z2-7]{{{TOKEN_LENGTH}}})$", re.IGNORECASE)
_CONFIRMATION_ID = re.compile(r"<confirm\.[0-9a-f]{20}@[A-Za-z0-9.-]+>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_SAFE_ID = re.compile(r"<[!-;=?-~]{1,250}>")  # printable ASCII, no < >: safe in a header


def _split(address: str) -> tuple[str, str]:
    text = address.strip()
    if "<" in text and text.endswith(">"):
        text = text[text.rindex("<") + 1 : -1]
    local, _at, domain = text.rpartition("@")
    return local, domain


def is_subscribe_address(address: str) -> bool:
    """Whether ``address``'s local part ends with ``+subscribe`` (any case)."""
    local, domain = _split(address)
    return bool(domain) and local.lower().endswith(f"+{SUBSCRIBE_TAG}")


def confirm_address(from_email: str, token: str) -> str:
    """``local+confirm-TOKEN@domain`` for the sender ``local@domain`` (a ``+tag`` it already
    has is kept, the domain in ASCII). ValueError for something that is not an address."""
    local, at, domain = from_email.strip().rpartition("@")
    if not at or not local or not domain or any(c in from_email for c in "\r\n\0 <>"):
        raise ValueError(f"not an email address: {from_email!r}")
    return f"{local}+{CONFIRM_TAG}{token}@{ascii_domain(domain)}"


def confirm_token_from_address(address: str) -> str:
    """The token of a ``+confirm-TOKEN`` address, lowercase; '' for any other address."""
    local, domain = _split(address)
    if not domain:
        return ""
    match = _CONFIRM_IN_LOCAL.search(local)
    return match.group(1).lower() if match else ""


def make_confirmation_id(domain: str) -> str:
    """A fresh ``<confirm.RANDOM@domain>`` Message-ID (the domain in ASCII)."""
    return f"<confirm.{secrets.token_hex(10)}@{ascii_domain(domain)}>"


def is_confirmation_id(value: str) -> bool:
    return bool(_CONFIRMATION_ID.fullmatch(value.strip()))


def confirmation_ids(text: str) -> tuple[str, ...]:
    """The confirmation Message-IDs in an In-Reply-To or References value, in order."""
    return tuple(dict.fromkeys(_CONFIRMATION_ID.findall(text[:20_000])))


def one_line(text: str, limit: int = 200) -> str:
    """``text`` without control characters or line breaks, at most ``limit`` characters."""
    return " ".join(_CONTROL.sub(" ", text).split())[:limit]


# -- the measurement line of a request

#: The label of the signup form's line (:mod:`editor.signup`), accents, case and spaces folded.
_MEASUREMENT_LABEL = re.compile(
    r"(mesure des ouvertures et (des )?clics|measure( my)? opens and clicks"
    r"|measurement of (my )?opens and clicks) ?: ?(?P<answer>.*)"
)
_QUOTED = re.compile(r"^[ \t]*(>[ \t]*)*")
_YES = ("oui", "yes")
MEASUREMENT_TEXT = 20_000  # characters of a body looked at, as for the « Prénom : » line


def _fold(line: str) -> str:
    """``line`` without accents, case-folded, its spaces (no-break ones too) made single."""
    return " ".join(plain_fold(line).split())


def measurement_line(text: str) -> str:
    """The request's « Mesure des ouvertures et des clics : oui » / "Measure my opens and
    clicks: yes" line as written (one line, quoting ``>`` removed), or '' when there is none.

    Strict, because it is consent: the answer must be exactly yes or oui (a full stop
    allowed), and one such line answering anything else (« non », « oui mais… ») means no.
    """
    found = ""
    for raw in text[:MEASUREMENT_TEXT].splitlines():
        line = _QUOTED.sub("", raw)
        match = _MEASUREMENT_LABEL.fullmatch(_fold(line))
        if match is None:
            continue
        if match.group("answer").rstrip(".! ") not in _YES:
            return ""
        found = found or one_line(line, 200)
    return found


def states_measurement(wording: str) -> bool:
    """Whether a confirmation's wording (:attr:`Confirmation.wording`) told the person that
    replying also agrees to measurement: only then does the reply record that consent."""
    return any(
        words[key].partition("{")[0] in wording
        for words in _WORDS.values()
        for key in ("measurement", "measure_subject")
    )


def asks_measurement_only(wording: str) -> bool:
    """Whether a confirmation's wording asked a subscriber about measurement alone (not to
    subscribe): its reply then changes nothing of the subscription."""
    return any(words["measure_subject"].partition("{")[0] in wording for words in _WORDS.values())


# -- the message

_WORDS = {
    "en": {
        "subject": "Please confirm your subscription to {what}",
        "body": (
            "Hello,\n\n"
            "Someone, probably you, asked to subscribe the address {email} to {what}.\n\n"
            "To confirm, reply to this message: what you write does not matter, replying is "
            "enough.\n\n"
            "{measurement}"
            "If you did not ask, ignore this message: nothing happens, you will not be "
            "subscribed and the request is deleted in 7 days.\n\n"
            "{sender}"
        ),
        "newsletter": "the newsletter",
        "named": "the newsletter « {name} »",
        "from": "the newsletter of {sender}",
        "measurement": (
            "Your request also says that you agree to our measuring, for you personally, "
            "whether you open our newsletters and which of their links you click. By replying, "
            "you agree to this too. It is optional: you can withdraw it at any time, without "
            "unsubscribing, by writing to {address}.\n\n"
        ),
        "measure_subject": "Please confirm: measuring your opens and clicks of {what}",
        "measure_body": (
            "Hello,\n\n"
            "Someone, probably you, asked that we measure, for the address {email}, which is "
            "subscribed to {what}, whether you open our newsletters and which of their links "
            "you click.\n\n"
            "To agree, reply to this message: what you write does not matter, replying is "
            "enough. It is optional: you can withdraw it at any time, without unsubscribing, "
            "by writing to {address}.\n\n"
            "If you did not ask, ignore this message: nothing changes and the request is "
            "deleted in 7 days.\n\n"
            "{sender}"
        ),
    },
    "fr": {
        "subject": "Merci de confirmer votre inscription à {what}",
        "body": (
            "Bonjour,\n\n"
            "Quelqu’un, sans doute vous, a demandé l’inscription de l’adresse {email} à "
            "{what}.\n\n"
            "Pour confirmer, répondez à ce message : le contenu de votre réponse n’a pas "
            "d’importance, il suffit de répondre.\n\n"
            "{measurement}"
            "Si vous n’avez rien demandé, ignorez ce message : il ne se passe rien, vous ne "
            "serez pas inscrit et la demande est effacée dans 7 jours.\n\n"
            "{sender}"
        ),
        "newsletter": "la lettre d’information",
        "named": "la lettre d’information « {name} »",
        "from": "la lettre d’information de {sender}",
        "measurement": (
            "Votre demande indique aussi que vous acceptez que nous mesurions, pour vous "
            "personnellement, si vous ouvrez nos lettres et sur quels liens vous cliquez. En "
            "répondant, vous l’acceptez aussi. C’est facultatif : vous pouvez retirer cet "
            "accord à tout moment, sans vous désabonner, en écrivant à {address}.\n\n"
        ),
        "measure_subject": "Merci de confirmer : mesure de vos ouvertures et clics de {what}",
        "measure_body": (
            "Bonjour,\n\n"
            "Quelqu’un, sans doute vous, a demandé que nous mesurions, pour l’adresse {email}, "
            "inscrite à {what}, si vous ouvrez nos lettres et sur quels liens vous cliquez.\n\n"
            "Pour l’accepter, répondez à ce message : le contenu de votre réponse n’a pas "
            "d’importance, il suffit de répondre. C’est facultatif : vous pouvez retirer cet "
            "accord à tout moment, sans vous désabonner, en écrivant à {address}.\n\n"
            "Si vous n’avez rien demandé, ignorez ce message : rien ne change et la demande est "
            "effacée dans 7 jours.\n\n"
            "{sender}"
        ),
    },
}


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A confirmation ready to send: the bytes, and what the consent proof quotes."""

    message_id: str
    subject: str
    body: str
    raw: bytes

    @property
    def wording(self) -> str:
        """The exact text the person was shown: the subject, then the body."""
        return f"{self.subject}\n\n{self.body}"


def compose(
    *,
    to: str,
    from_email: str,
    from_name: str,
    token: str,
    language: str,
    list_name: str,
    message_id: str,
    date: datetime,
    in_reply_to: str = "",
    measurement: bool = False,
    subscribed: bool = False,
) -> Confirmation:
    """The confirmation email (RFC 5322 bytes, CRLF): From the account's sender, Reply-To the
    ``+confirm-TOKEN`` address, Auto-Submitted (it answers a request) and
    X-Auto-Response-Suppress (so Exchange's out-of-office does not answer it).
    ``measurement``: the request also agreed to measuring opens and clicks; the body says so,
    and how to withdraw it (writing to the sender address). ``subscribed`` with it: the person
    is subscribed already, so the message asks about measurement alone."""
    from editor.sending.message import encode_unstructured, format_address, quoted_printable

    words = _WORDS[language if language in LANGUAGES else "en"]
    sender = one_line(from_name, 100)
    name = one_line(list_name, 100)
    if name:
        what = words["named"].format(name=name)
    elif sender:
        what = words["from"].format(sender=sender)
    else:
        what = words["newsletter"]
    if measurement and subscribed:
        subject = words["measure_subject"].format(what=what)
        body = words["measure_body"].format(
            email=to, what=what, sender=sender or from_email, address=from_email
        )
    else:
        subject = words["subject"].format(what=what)
        measured = words["measurement"].format(address=from_email) if measurement else ""
        body = words["body"].format(
            email=to, what=what, sender=sender or from_email, measurement=measured
        )
    body = body.rstrip() + "\n"
    headers = [
        ("From", format_address(sender, from_email, "From")),
        ("To", format_address("", to, "To")),
        ("Reply-To", format_address(sender, confirm_address(from_email, token), "Reply-To")),
        ("Subject", encode_unstructured(subject, len("Subject: "))),
        ("Date", format_datetime(date)),
        ("Message-ID", message_id),
    ]
    if _SAFE_ID.fullmatch(in_reply_to):  # the request's own id, if it is a plain one
        headers += [("In-Reply-To", in_reply_to), ("References", in_reply_to)]
    headers += [
        ("Auto-Submitted", "auto-replied"),
        ("X-Auto-Response-Suppress", "All"),
        ("Content-Language", language),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Transfer-Encoding", "quoted-printable"),
    ]
    head = "".join(f"{key}: {value}\r\n" for key, value in headers)
    raw = head.encode("ascii") + b"\r\n" + quoted_printable(body)
    return Confirmation(message_id, subject, body, raw)
