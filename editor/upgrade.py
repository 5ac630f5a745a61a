"""Bring older document JSON up to :data:`~editor.document.FORMAT_VERSION`, one step at a time.

Each step is a function registered in :data:`STEPS` under the version it upgrades *from*, so
format 3 only needs ``FORMAT_VERSION = 3`` and ``STEPS[2]``; a version-1 file then goes 1 → 2 → 3.
Steps work on plain JSON data, not on the dataclasses, because those only know the current format.
They leave values of the wrong type alone: :func:`~editor.document.from_json` reports those.

Format 1 (the format before ``version`` existed): no ``version`` key, no ``language`` (the
newsletter was French), ``theme.width`` instead of ``theme.content_width``, text blocks held plain
``text`` (blank lines between paragraphs) instead of ``html``, and blocks had no ``id``.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable
from typing import Any

from editor.document import FORMAT_VERSION, DocumentError, new_id
from editor.i18n import _

Step = Callable[[dict[str, Any]], dict[str, Any]]


class VersionError(DocumentError):
    """A format version this Bulletin cannot read: written by a newer release, or nonsense."""


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` in the current format; ``data`` itself is left untouched.

    A document without ``version`` is version 1. Raises :class:`VersionError` for a version newer
    than this Bulletin knows (the user must update) or one that is not a positive integer.
    """
    if not isinstance(data, dict):
        raise DocumentError(_("The document is not a JSON object."))
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise VersionError(_("Unknown format version {version!r}.").format(version=version))
    if version > FORMAT_VERSION:
        raise VersionError(
            _(
                "This file was made by a newer Bulletin (format {version}; this "
                "version reads up to format {format_version}). Please update "
                "Bulletin to open it."
            ).format(version=version, format_version=FORMAT_VERSION)
        )
    out = copy.deepcopy(data)
    while version < FORMAT_VERSION:
        out = STEPS[version](out)
        version += 1
        out["version"] = version
    return out


def plain_text_to_html(text: str) -> str:
    """Plain text as escaped ``<p>`` paragraphs: blank lines split paragraphs, newlines → ``<br>``.

    Lines holding only spaces count as blank, so hand-typed text keeps the paragraphs it shows.
    """
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(html.escape(line, quote=False))
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return "".join("<p>" + "<br>".join(lines) + "</p>" for lines in paragraphs)


# ------------------------------------------------------------------------------------- 1 → 2


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    data.setdefault("language", "fr")
    theme = data.get("theme")
    if isinstance(theme, dict) and "width" in theme:
        width = theme.pop("width")
        theme.setdefault("content_width", width)
    blocks = data.get("blocks")
    if isinstance(blocks, list):
        _v1_blocks(blocks)
    return data


def _v1_blocks(blocks: list[Any]) -> None:
    for block in blocks:
        if not isinstance(block, dict):
            continue
        if not block.get("id"):
            block["id"] = new_id()
        if block.get("type") == "text" and "text" in block:
            text = block.pop("text")
            if not isinstance(text, str):
                raise DocumentError(
                    _("A text block holds an unexpected value ({text!r}).").format(text=text)
                )
            block.setdefault("html", plain_text_to_html(text))
        columns = block.get("columns") if block.get("type") == "columns" else None
        if isinstance(columns, list):
            for column in columns:
                if isinstance(column, dict) and isinstance(column.get("blocks"), list):
                    _v1_blocks(column["blocks"])


STEPS: dict[int, Step] = {
    1: _v1_to_v2,
}
"""Upgrade functions keyed by the version they upgrade from (``n`` → ``n + 1``)."""
