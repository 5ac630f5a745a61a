"""The subject line and the preheader: what the inbox shows before the message is opened."""

from __future__ import annotations

import re
from collections.abc import Iterator

from editor.findings import Severity
from editor.i18n import _
from editor.spam.lists import phrases
from editor.spam.registry import Hit, rule
from editor.spam.view import MessageView

SUBJECT_MAX = 78  # RFC 5322's line length; Gmail's phone view shows ~40 characters
SUBJECT_MIN_WORDS = 2
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2300-\u23ff\U0001f900-\U0001f9ff]"
)
_REPEATED_PUNCT = re.compile(r"[!?]{2,}|\${2,}|€{2,}")
_MONEY = re.compile(r"[$£€]\s?\d|\d\s?(?:[$£€]|euros?\b|dollars?\b)", re.IGNORECASE)
_TAG = re.compile(r"(\{\{.*?\}\}|\{%.*?%\})")
_WORD = re.compile(r"\w+")


def has_shouting_subject(subject: str) -> bool:
    subject = _TAG.sub(" ", subject)
    letters = [c for c in subject if c.isalpha()]
    words = [w for w in _WORD.findall(subject) if any(c.isalpha() for c in w)]
    return len(letters) >= 6 and len(words) >= 2 and not any(c.islower() for c in letters)


def sentence_case(text: str) -> str:
    """``BIG SALE TODAY`` → ``Big sale today``, leaving merge tags as written."""
    parts = _TAG.split(text)
    out, first = [], True
    for part in parts:
        if _TAG.fullmatch(part):
            out.append(part)
            continue
        lowered = part.lower()
        if first and any(c.isalpha() for c in lowered):
            i = next(i for i, c in enumerate(lowered) if c.isalpha())
            lowered = lowered[:i] + lowered[i].upper() + lowered[i + 1 :]
            first = False
        out.append(lowered)
    return "".join(out)


def calm_punctuation(text: str) -> str:
    """``Sale!!!`` → ``Sale!``, ``Why?!?`` → ``Why?``, ``$$$`` → ``$``."""
    text = re.sub(r"[!?]{2,}", lambda m: "?" if "?" in m.group(0) else "!", text)
    return re.sub(r"([$€])\1+", r"\1", text)


@rule(
    "subject_empty",
    2.0,
    Severity.ERROR,
    mirrors="SpamAssassin MISSING_SUBJECT, EMPTY_SUBJECT; rspamd MISSING_SUBJECT, EMPTY_SUBJECT",
    message=lambda p: _("The subject is empty."),
    fix=lambda p: _("Write a subject that says what the newsletter is about."),
)
def subject_empty(view: MessageView) -> Iterator[Hit]:
    """No subject: SpamAssassin scores MISSING_SUBJECT (up to 1.8) and rspamd MISSING_SUBJECT
    (2.0); readers skip a message that does not say what it is."""
    if view.subject is not None and not view.subject.strip():
        yield Hit()


@rule(
    "subject_all_caps",
    1.5,
    Severity.WARNING,
    mirrors="SpamAssassin SUBJ_ALL_CAPS; rspamd SUBJ_ALL_CAPS",
    message=lambda p: _("The subject is written in capitals."),
    fix=lambda p: _("Write it in sentence case: capitals read as shouting."),
)
def subject_all_caps(view: MessageView) -> Iterator[Hit]:
    """Every letter of a subject of two words or more in capitals (SpamAssassin SUBJ_ALL_CAPS
    0.5, rspamd SUBJ_ALL_CAPS 3.0), merge tags left out (a first name is not shouting).
    One-click fix: sentence case."""
    written = view.subject_source if view.subject_source is not None else view.subject
    if written and has_shouting_subject(written):
        yield Hit()


@rule(
    "subject_too_long",
    0.5,
    Severity.INFO,
    mirrors="rspamd LONG_SUBJ",
    message=lambda p: _("The subject is {length} characters long.").format(length=p["length"]),
    fix=lambda p: _(
        "Keep it under {max} characters: phones show about 40 and cut the rest."
    ).format(max=p["max"]),
)
def subject_too_long(view: MessageView) -> Iterator[Hit]:
    """A subject over 78 characters. rspamd's LONG_SUBJ fires from 200; long subjects are a
    spam trait (keyword stuffing) and phones cut them at about 40 characters anyway."""
    if view.subject and len(view.subject) > SUBJECT_MAX:
        points = 0.5 if len(view.subject) <= 200 else 2.0
        yield Hit(params={"length": len(view.subject), "max": SUBJECT_MAX}, points=points)


@rule(
    "subject_too_short",
    0.3,
    Severity.INFO,
    mirrors="",
    message=lambda p: _('The subject "{subject}" is very short.').format(subject=p["subject"]),
    fix=lambda p: _("Say in a few words what is inside, so readers open it."),
)
def subject_too_short(view: MessageView) -> Iterator[Hit]:
    """A one-word subject. Neither filter scores it; mailbox providers rank by engagement
    (Gmail's Promotions and spam placement learn from opens), and vague one-word subjects
    ("Hello", "News") are opened less and look like the bait of bulk mail."""
    if view.subject and view.subject.strip():
        words = _WORD.findall(_TAG.sub("name", view.subject))
        if len(words) < SUBJECT_MIN_WORDS:
            yield Hit(params={"subject": view.subject.strip()})


@rule(
    "subject_punctuation",
    1.0,
    Severity.WARNING,
    mirrors="SpamAssassin SUBJ_DOLLARS, PLING_QUERY; rspamd SUBJECT_HAS_EXCLAIM, "
    "SUBJECT_ENDS_EXCLAIM, SUBJECT_HAS_CURRENCY",
    message=lambda p: _('The subject has repeated punctuation: "{text}".').format(text=p["text"]),
    fix=lambda p: _("Use one exclamation or question mark at most."),
)
def subject_punctuation(view: MessageView) -> Iterator[Hit]:
    """``!!!``, ``???``, ``?!`` or ``$$$`` in the subject (SpamAssassin SUBJ_DOLLARS and
    PLING_QUERY, rspamd SUBJECT_HAS_EXCLAIM / SUBJECT_HAS_CURRENCY). One-click fix: a single
    mark."""
    if view.subject:
        m = _REPEATED_PUNCT.search(view.subject)
        if m:
            yield Hit(params={"text": m.group(0)})


@rule(
    "subject_money",
    0.8,
    Severity.INFO,
    mirrors="rspamd SUBJECT_HAS_CURRENCY; SpamAssassin SUBJ_DOLLARS",
    message=lambda p: _('The subject names a sum of money: "{text}".').format(text=p["text"]),
    fix=lambda p: _("Put prices in the message; a percentage or the offer's name reads better."),
)
def subject_money(view: MessageView) -> Iterator[Hit]:
    """A currency amount in the subject (rspamd SUBJECT_HAS_CURRENCY 1.0, SpamAssassin
    SUBJ_DOLLARS): money in the subject line is the hook of most scam and bulk offers."""
    if view.subject:
        m = _MONEY.search(view.subject)
        if m:
            yield Hit(params={"text": m.group(0)})


@rule(
    "subject_spam_phrase",
    1.0,
    Severity.WARNING,
    mirrors="SpamAssassin SUBJ_BUY, SUBJ_AS_SEEN, FREE_QUOTE_INSTANT…",
    message=lambda p: _('The subject contains "{phrase}", a phrase spam filters score.').format(
        phrase=p["phrase"]
    ),
    fix=lambda p: _("Say what the offer is in plain words instead."),
)
def subject_spam_phrase(view: MessageView) -> Iterator[Hit]:
    """Spam phrases (resources/spam/phrases-*.txt) in the subject weigh more than in the body,
    as SpamAssassin's SUBJ_* rules do; English and French lists both apply. A phrase also in
    the body costs only the difference (×0.5 on top of the body's ×1): SpamAssassin reads the
    subject as the body's first line and a rule scores once per message, however often its
    phrase appears."""
    if not view.subject:
        return
    found: dict[str, float] = {}
    for language in ("en", "fr"):
        found.update(phrases(language).find(view.subject))
    if not found:
        return
    in_body: set[str] = set()
    for language in ("en", "fr"):
        in_body.update(phrases(language).find(view.visible_text))
    for phrase, points in sorted(found.items()):
        extra = 0.5 if phrase in in_body else 1.5
        yield Hit(params={"phrase": phrase}, points=round(points * extra, 2))


@rule(
    "subject_emoji",
    0.5,
    Severity.INFO,
    mirrors="",
    message=lambda p: _("The subject has {count} emoji.").format(count=p["count"]),
    fix=lambda p: _("One emoji at most: several look like a promotion."),
)
def subject_emoji(view: MessageView) -> Iterator[Hit]:
    """Three emoji or more in the subject. Neither filter has a rule, but Gmail sorts such
    messages into Promotions and some corporate filters still treat 4-byte characters in
    headers as a spam trait (SpamAssassin's old SUBJ_ILLEGAL_CHARS)."""
    if view.subject:
        count = len(_EMOJI.findall(view.subject))
        if count >= 3:
            yield Hit(params={"count": count})


@rule(
    "subject_fake_reply",
    1.5,
    Severity.WARNING,
    mirrors="rspamd FAKE_REPLY",
    message=lambda p: _(
        'The subject starts with "{prefix}" but the message answers nothing.'
    ).format(prefix=p["prefix"]),
    fix=lambda p: _("Remove the prefix: a fake reply is a known spam trick."),
)
def subject_fake_reply(view: MessageView) -> Iterator[Hit]:
    """ "Re:"/"Fwd:"/"TR:" on a message that is no reply (no In-Reply-To): rspamd FAKE_REPLY."""
    if not view.subject:
        return
    m = re.match(r"^\s*(re|fwd?|tr|aw)\s*:", view.subject, re.IGNORECASE)
    if m and not view.header("In-Reply-To") and not view.header("References"):
        yield Hit(params={"prefix": m.group(0).strip()})


@rule(
    "preheader_missing",
    0.3,
    Severity.INFO,
    mirrors="",
    message=lambda p: _("There is no preheader."),
    fix=lambda p: _("Write one sentence for the preview line the inbox shows after the subject."),
)
def preheader_missing(view: MessageView) -> Iterator[Hit]:
    """No preheader: neither filter scores it, but Gmail, Apple Mail and Outlook then show the
    first text they find (often "View in browser" or an image's alt text), which lowers opens,
    and engagement is what mailbox providers rank bulk mail by. Only known for a newsletter."""
    if view.kind == "newsletter" and view.preheader is not None and not view.preheader.strip():
        yield Hit()
