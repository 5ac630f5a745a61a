"""The plain-text alternative, built from the document itself (not scraped from the HTML).

Spam filters and text-only readers judge this part on its own, so it has to read well:
underlined headings, wrapped paragraphs, links spelled out, list bullets, and the footer.
"""

from __future__ import annotations

import re

from editor.blocks.base import RULE, UNWRAPPED
from editor.document import Block
from editor.render.context import RenderContext

__all__ = ["RULE", "UNWRAPPED", "WIDTH", "block_text", "rewrap", "underline"]

WIDTH = 76
_RULE_LINE = re.compile(rf"^(.*)\n{RULE}([=-])$", re.M)


def underline(text: str) -> str:
    """Size each heading's underline to its personalised line (« Bonjour Marie » → 14 signs)."""
    return _RULE_LINE.sub(lambda m: f"{m[1]}\n{m[2] * min(len(m[1]), WIDTH)}", text)


_HANGING = re.compile(r"^(\s*(?:[-•*] |\d+\. )?)")


def rewrap(text: str, width: int = WIDTH) -> str:
    """Wrap long lines once merge tags hold real values, keeping list indents and whole URLs.

    Runs once per recipient, so it is a plain greedy split on spaces (textwrap costs ten times
    more); non-breaking spaces and hyphens never break a line, long words and URLs stand alone.
    """
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        prefix = _HANGING.match(line).group(1)  # type: ignore[union-attr]
        hanging = " " * len(prefix)
        words = [w for w in line[len(prefix) :].split(" ") if w]
        current = prefix + words[0] if words else prefix
        for word in words[1:]:
            if len(current) + 1 + len(word) <= width:
                current += " " + word
            else:
                out.append(current)
                current = hanging + word
        out.append(current)
    return "\n".join(out)


def block_text(block: Block, ctx: RenderContext) -> str:
    """One block's share of the text part, merge tags still marked (its type decides)."""
    return ctx.text(block)
