"""Findings: what the renderer (and later the spam rules) noticed, as data rather than prose.

A :class:`Finding` holds a stable code, a severity, the block it concerns and its parameters;
nothing in it depends on the UI language, so it can be cached with the HTML. The wording lives
in :data:`CATALOGUE` as functions that call :func:`editor.i18n.t` when the finding is shown,
so switching the UI language re-words cached findings too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from editor.i18n import _

Param = str | int
Params = Mapping[str, Param]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One problem, at a block (``block_id``) or the whole document (None).

    ``params`` is a sorted tuple of (name, value) pairs so findings are hashable and compare
    equal whatever order they were given in; :meth:`of` builds one from keywords.
    """

    code: str
    severity: Severity
    block_id: str | None = None
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, code: str, block_id: str | None = None, **params: Param) -> Finding:
        """A finding with the catalogue's severity for ``code``."""
        return cls(code, CATALOGUE[code].severity, block_id, tuple(sorted(params.items())))

    @property
    def values(self) -> dict[str, Param]:
        return dict(self.params)


@dataclass(frozen=True)
class Wording:
    """How a code reads: its usual severity, and functions wording the message and the fix."""

    severity: Severity
    message: Callable[[Params], str]
    fix: Callable[[Params], str]


CATALOGUE: dict[str, Wording] = {}


def register(
    code: str, severity: Severity, message: Callable[[Params], str], fix: Callable[[Params], str]
) -> None:
    """Add a code (the spam rules register theirs); a code may only be defined once."""
    if code in CATALOGUE:
        raise ValueError(f"finding code already registered: {code}")
    CATALOGUE[code] = Wording(severity, message, fix)


def message(finding: Finding) -> str:
    """What is wrong, in the current UI language."""
    return CATALOGUE[finding.code].message(finding.values)


def fix(finding: Finding) -> str:
    """How to put it right, in the current UI language."""
    return CATALOGUE[finding.code].fix(finding.values)


# ------------------------------------------------------------------------------ renderer codes

FOOTER_MISSING = "footer.missing"
IMAGE_NO_ALT = "image.no_alt"
LINK_UNSAFE = "link.unsafe"
GMAIL_CLIP = "html.gmail_clip"
POSTS_EMPTY = "posts.empty"
MERGE_MALFORMED = "merge.malformed"
MERGE_NOT_ALLOWED = "merge.not_allowed"
MERGE_UNKNOWN_FIELD = "merge.unknown_field"
MERGE_FAILED = "merge.failed"


def _footer_missing(_p: Params) -> str:
    return _("The footer is missing: a footer with the unsubscribe link was added.")


def _footer_missing_fix(_p: Params) -> str:
    return _('Add a "Footer" block with the sender\'s name and address.')


def _no_alt(_p: Params) -> str:
    return _("An image has no alt text.")


def _no_alt_fix(_p: Params) -> str:
    return _(
        "Describe the image in a few words: the text shows when images "
        "are blocked and is read to blind readers."
    )


def _unsafe(p: Params) -> str:
    url = p["url"]
    return _('Link ignored (not http, https or mailto): "{url}".').format(url=url)


def _unsafe_fix(_p: Params) -> str:
    return _("Use an address that starts with https://, mailto: or tel:.")


def _clip(p: Params) -> str:
    kb = p["kb"]
    return _('The HTML is {kb} KB: Gmail clips messages over 102 KB ("Message clipped").').format(
        kb=kb
    )


def _clip_fix(_p: Params) -> str:
    return _("Remove some blocks or raw HTML.")


def _no_posts(p: Params) -> str:
    feed = p["feed"] or "—"
    return _(
        'No posts fetched yet for "{feed}": the latest-posts block shows a placeholder.'
    ).format(feed=feed)


def _no_posts_fix(_p: Params) -> str:
    return _("Refresh the feed.")


def _malformed(p: Params) -> str:
    tag, detail = p["tag"], p["detail"]
    return _("The merge tag {tag} is malformed ({detail}).").format(tag=tag, detail=detail)


def _not_allowed(p: Params) -> str:
    tag = p["tag"]
    return _("The merge tag {tag} is not allowed (only contact fields can be used).").format(
        tag=tag
    )


def _unknown_field(p: Params) -> str:
    tag, fields = p["tag"], p["fields"]
    return _("The merge tag {tag} uses an unknown field: {fields}.").format(tag=tag, fields=fields)


def _unknown_field_fix(_p: Params) -> str:
    return _('Add that field to the contacts or a default: | default("…").')


def _failed(p: Params) -> str:
    tag, detail = p["tag"], p["detail"]
    return _("The merge tag {tag} cannot be computed: {detail}").format(tag=tag, detail=detail)


def _tag_fix(_p: Params) -> str:
    return _('Correct the tag: {{ field }} or {{ field | default("…") }}.')


register(FOOTER_MISSING, Severity.WARNING, _footer_missing, _footer_missing_fix)
register(IMAGE_NO_ALT, Severity.WARNING, _no_alt, _no_alt_fix)
register(LINK_UNSAFE, Severity.WARNING, _unsafe, _unsafe_fix)
register(GMAIL_CLIP, Severity.WARNING, _clip, _clip_fix)
register(POSTS_EMPTY, Severity.WARNING, _no_posts, _no_posts_fix)
register(MERGE_MALFORMED, Severity.ERROR, _malformed, _tag_fix)
register(MERGE_NOT_ALLOWED, Severity.ERROR, _not_allowed, _tag_fix)
register(MERGE_UNKNOWN_FIELD, Severity.ERROR, _unknown_field, _unknown_field_fix)
register(MERGE_FAILED, Severity.ERROR, _failed, _tag_fix)
