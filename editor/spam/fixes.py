"""One-click fixes: for the findings where a change is safe to make without asking, the
document command (from :mod:`editor.commands`) that makes it, so the composer applies it on
its undo stack like any edit.

Safe means the fix keeps the author's meaning: sentence case for a subject in capitals, one
``!`` for ``!!!``. Nothing is offered where the right change needs the author (alt text, a
preheader) or knowledge we lack offline (whether a site answers on https).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from editor.commands import Command, SetBlockField, SetDocumentField, SetRichText
from editor.document import ButtonBlock, HeadingBlock, Newsletter, TextBlock
from editor.findings import Finding
from editor.spam.registry import CODE_PREFIX
from editor.spam.rules.subject import calm_punctuation, sentence_case

Fixer = Callable[[Newsletter, Finding], Command | None]
_TAG = re.compile(r"(<[^>]*>)")


def _subject(change: Callable[[str], str]) -> Fixer:
    def fixer(newsletter: Newsletter, _finding: Finding) -> Command | None:
        new = change(newsletter.subject)
        return None if new == newsletter.subject else SetDocumentField("subject", new)

    return fixer


def _calm_html(html: str) -> str:
    """Punctuation calmed in the text only, never inside tags or attributes."""
    return "".join(
        part if part.startswith("<") else calm_punctuation(part) for part in _TAG.split(html)
    )


def _calm_block(newsletter: Newsletter, finding: Finding) -> Command | None:
    block = newsletter.find(finding.block_id) if finding.block_id else None
    if isinstance(block, TextBlock):
        new = _calm_html(block.html)
        return None if new == block.html else SetRichText(block.id, new)
    if isinstance(block, HeadingBlock):
        new = calm_punctuation(block.text)
        return None if new == block.text else SetBlockField(block.id, "text", new)
    if isinstance(block, ButtonBlock):
        new = calm_punctuation(block.label)
        return None if new == block.label else SetBlockField(block.id, "label", new)
    return None


FIXERS: dict[str, Fixer] = {
    "subject_all_caps": _subject(sentence_case),
    "subject_punctuation": _subject(calm_punctuation),
    "excessive_punctuation": _calm_block,
}
"""Rule id → the function building its fix (only rules with a safe fix are here)."""


def fix_for(newsletter: Newsletter, finding: Finding) -> Command | None:
    """The command fixing ``finding`` in ``newsletter``, or None when no safe fix exists (or
    the document has already changed so that there is nothing left to fix)."""
    if not finding.code.startswith(CODE_PREFIX):
        return None
    fixer = FIXERS.get(finding.code.removeprefix(CODE_PREFIX))
    return None if fixer is None else fixer(newsletter, finding)


def has_fix(finding: Finding) -> bool:
    """Whether the finding's rule offers a one-click fix (the panel shows a button)."""
    return finding.code.removeprefix(CODE_PREFIX) in FIXERS
