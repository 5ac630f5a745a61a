"""The content: phrases, shouting, punctuation, and text a reader cannot (or can barely) see."""

from __future__ import annotations

import colorsys
import functools
import re
from collections.abc import Iterator

from editor.contrast import AA_LARGE, contrast_ratio, rgb
from editor.findings import Severity
from editor.i18n import _
from editor.spam.lists import normalise, phrases
from editor.spam.registry import Hit, rule
from editor.spam.view import MessageView, TextRun

PHRASES_CAP = 5.0  # one language's phrases never cost more than this in total
SHOUT_MIN_LETTERS = 80
TINY_PX = 8
HUGE_PX = 32
_NOT_LETTER = re.compile(r"[\W\d_]+")
_EXCLAIM = re.compile(r"[!?]{3,}|!{2,}")
_OBFUSCATED = re.compile("\\w[\u200b\u200c\u200d\u2060\u00ad]\\w")


def block_of(view: MessageView, needle: str) -> str | None:
    """The block of the first visible run containing ``needle`` (normalised), None when the
    text spans several runs."""
    for run in view.runs:
        if not run.hidden and needle in normalise(run.text):
            return run.block
    return None


def _phrase_hits(view: MessageView, language: str) -> Iterator[Hit]:
    points = phrases(language).find(view.visible_text)
    total = 0.0
    for phrase in sorted(points, key=lambda p: (-points[p], p)):
        if total >= PHRASES_CAP:
            break
        value = min(points[phrase], PHRASES_CAP - total)
        total += value
        yield Hit(block_of(view, phrase), {"phrase": phrase}, points=value)


@rule(
    "spam_phrase_en",
    1.0,
    Severity.WARNING,
    mirrors="SpamAssassin 20_phrases.cf / 20_body_tests.cf (DEAR_FRIEND, FREE_QUOTE_INSTANT, "
    "MONEY_BACK…)",
    message=lambda p: _('"{phrase}" is a phrase spam filters score.').format(phrase=p["phrase"]),
    fix=lambda p: _("Say it in your own, concrete words."),
)
def spam_phrase_en(view: MessageView) -> Iterator[Hit]:
    """English spam phrases in the visible text (resources/spam/phrases-en.txt, each with its
    points, as SpamAssassin's body phrase rules); at most 5 points in all."""
    yield from _phrase_hits(view, "en")


@rule(
    "spam_phrase_fr",
    1.0,
    Severity.WARNING,
    mirrors="",
    message=lambda p: _('"{phrase}" is a phrase spam filters score.').format(phrase=p["phrase"]),
    fix=lambda p: _("Say it in your own, concrete words."),
)
def spam_phrase_fr(view: MessageView) -> Iterator[Hit]:
    """French spam phrases ("gratuit", "gagnez", "cliquez ici", "offre exceptionnelle"…).
    SpamAssassin has no French phrase rules and rspamd only learns them through Bayes, but
    Orange, Free and SFR's filters (Vade) and Gmail's classifiers are trained on French spam,
    where these are the commonest words."""
    yield from _phrase_hits(view, "fr")


@rule(
    "shouting",
    1.0,
    Severity.WARNING,
    mirrors="SpamAssassin UPPERCASE_50_75, UPPERCASE_75_100",
    message=lambda p: _("{percent}% of the letters are capitals.").format(percent=p["percent"]),
    fix=lambda p: _("Write in sentence case; use bold for what matters."),
)
def shouting(view: MessageView) -> Iterator[Hit]:
    """Half the letters or more in capitals (SpamAssassin UPPERCASE_50_75 and
    UPPERCASE_75_100, on bodies long enough to judge)."""
    letters = _NOT_LETTER.sub("", view.visible_text)
    if len(letters) < SHOUT_MIN_LETTERS:
        return
    upper = sum(map(str.isupper, letters))
    ratio = upper / len(letters)
    if ratio >= 0.5:
        yield Hit(params={"percent": round(ratio * 100)}, points=1.5 if ratio >= 0.75 else 1.0)


@rule(
    "excessive_punctuation",
    0.5,
    Severity.INFO,
    mirrors="",
    message=lambda p: _('Repeated punctuation: "{text}".').format(text=p["text"]),
    fix=lambda p: _("One exclamation mark is enough."),
)
def excessive_punctuation(view: MessageView) -> Iterator[Hit]:
    """``!!``, ``!!!`` or ``?!?`` in the text. SpamAssassin only scores it in the subject, but
    rspamd's and Gmail's statistical filters learn it as a spam token, and it reads as
    pressure. One hit per block, at most three."""
    blocks: dict[str | None, str] = {}
    for run in view.runs:
        if not run.hidden:
            m = _EXCLAIM.search(run.text)
            if m:
                blocks.setdefault(run.block, m.group(0))
    for block, text in list(blocks.items())[:3]:
        yield Hit(block, {"text": text})


@rule(
    "hidden_text",
    2.0,
    Severity.ERROR,
    mirrors="rspamd ZERO_FONT, MANY_INVISIBLE_PARTS; SpamAssassin TVD_VIS_HIDDEN",
    message=lambda p: _('Hidden text: "{text}".').format(text=p["text"]),
    fix=lambda p: _("Remove it: text readers cannot see is how spam hides words from filters."),
)
def hidden_text(view: MessageView) -> Iterator[Hit]:
    """Text hidden with display:none, visibility:hidden, opacity 0 or a zero font size, other
    than the preheader (rspamd ZERO_FONT 1.0 and MANY_INVISIBLE_PARTS, SpamAssassin
    TVD_VIS_HIDDEN). One hit per block."""
    blocks: dict[str | None, str] = {}
    for run in view.runs:
        if run.hidden and len(run.text) >= 3:
            blocks.setdefault(run.block, "")
            blocks[run.block] = (blocks[run.block] + " " + run.text).strip()
    for block, text in blocks.items():
        if len(text) >= 10:
            yield Hit(block, {"text": _excerpt(text)})


@rule(
    "tiny_text",
    1.0,
    Severity.WARNING,
    mirrors="rspamd ZERO_FONT (small font sizes); SpamAssassin HTML_FONT_SIZE tests",
    message=lambda p: _('Text is drawn {size} px high: "{text}".').format(
        size=p["size"], text=p["text"]
    ),
    fix=lambda p: _("Use at least 12 px: tiny text is a way of hiding words."),
)
def tiny_text(view: MessageView) -> Iterator[Hit]:
    """Visible text under 8 px: unreadable, so filters treat it like hidden text (rspamd
    ZERO_FONT counts tiny sizes too). One hit per block."""
    seen: set[str | None] = set()
    for run in view.runs:
        if not run.hidden and run.size < TINY_PX and len(run.text) >= 3 and run.block not in seen:
            seen.add(run.block)
            yield Hit(run.block, {"size": round(run.size), "text": _excerpt(run.text)})


def _contrast(run: TextRun) -> float | None:
    return None if run.color is None else _ratio(run.color, run.background)


@functools.lru_cache(maxsize=1024)
def _ratio(color: str, background: str) -> float | None:
    try:
        return contrast_ratio(color, background)
    except ValueError:
        return None


@rule(
    "low_contrast",
    1.5,
    Severity.WARNING,
    mirrors="SpamAssassin HTML_FONT_LOW_CONTRAST; rspamd R_WHITE_ON_WHITE",
    message=lambda p: _('Text is barely visible on its background ({ratio}:1): "{text}".').format(
        ratio=p["ratio"], text=p["text"]
    ),
    fix=lambda p: _("Darken the text or lighten its background (4.5:1 at least for body text)."),
)
def low_contrast(view: MessageView) -> Iterator[Hit]:
    """Text whose colour is close to its background's: under 1.5:1 it is as good as
    invisible (SpamAssassin HTML_FONT_LOW_CONTRAST, rspamd R_WHITE_ON_WHITE); under 3:1 it
    fails WCAG AA even for large text (0.3 points, a readability warning). Reuses
    :mod:`editor.contrast`; one hit per block, the worst one."""
    worst: dict[str | None, tuple[float, TextRun]] = {}
    for run in view.runs:
        if run.hidden or len(run.text) < 3:
            continue
        ratio = _contrast(run)
        if (
            ratio is not None
            and ratio < AA_LARGE
            and (run.block not in worst or ratio < worst[run.block][0])
        ):
            worst[run.block] = (ratio, run)
    for block, (ratio, run) in worst.items():
        points = 1.5 if ratio < 1.5 else 0.3
        yield Hit(block, {"ratio": f"{ratio:.1f}", "text": _excerpt(run.text)}, points=points)


def _is_red(color: str) -> bool:
    r, g, b = (c / 255 for c in rgb(color))
    hue, lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    return (hue < 0.05 or hue > 0.95) and saturation > 0.5 and 0.25 < lightness < 0.75


@rule(
    "huge_red_text",
    0.8,
    Severity.WARNING,
    mirrors="SpamAssassin HTML_FONT_SIZE_HUGE (and the red-font rules of its 3.x sets)",
    message=lambda p: _('Huge red text: "{text}".').format(text=p["text"]),
    fix=lambda p: _("Use a heading in the theme's colour: big red letters look like an advert."),
)
def huge_red_text(view: MessageView) -> Iterator[Hit]:
    """Text of 32 px or more in a saturated red: the look of bulk advertising that
    SpamAssassin's HTML_FONT_SIZE_HUGE and old FONT_COLOR_RED rules targeted. One per block."""
    seen: set[str | None] = set()
    for run in view.runs:
        if (
            not run.hidden
            and run.size >= HUGE_PX
            and run.color is not None
            and run.block not in seen
            and _is_red(run.color)
        ):
            seen.add(run.block)
            yield Hit(run.block, {"text": _excerpt(run.text)})


@rule(
    "body_empty",
    2.0,
    Severity.ERROR,
    mirrors="SpamAssassin EMPTY_MESSAGE",
    message=lambda p: _("The message has almost no text."),
    fix=lambda p: _("Write what the newsletter is about."),
)
def body_empty(view: MessageView) -> Iterator[Hit]:
    """Under 20 characters of visible text and no image (SpamAssassin EMPTY_MESSAGE 2.2)."""
    if len(view.visible_text) < 20 and not view.images:
        yield Hit()


@rule(
    "obfuscated_words",
    1.5,
    Severity.WARNING,
    mirrors="SpamAssassin HTML_OBFUSCATE_*; rspamd MIXED_CHARSET",
    message=lambda p: _('Words are split by invisible characters: "{text}".').format(
        text=p["text"]
    ),
    fix=lambda p: _("Retype the text: pasted invisible characters look like filter evasion."),
)
def obfuscated_words(view: MessageView) -> Iterator[Hit]:
    """Zero-width or soft-hyphen characters inside words, the way spam splits "V\u200bIAGRA"
    to dodge phrase rules (SpamAssassin HTML_OBFUSCATE_*). Preheader filler is not inside
    words, so it does not count. Read from the raw HTML and text part."""
    for source in (view.html or "", view.plain or ""):
        m = _OBFUSCATED.search(source)
        if m:
            yield Hit(params={"text": m.group(0).encode("unicode_escape").decode("ascii")})
            return


def _excerpt(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
