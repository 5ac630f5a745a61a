"""The drag-and-drop and clipboard formats the composer's panels agree on.

Each panel reads and writes these on its own (the palette drags a type, the canvas moves and
copies blocks), so the names live here rather than in either panel.
"""

from __future__ import annotations

BLOCK_TYPE_MIME = "application/x-bulletin-block-type"
"""A new block of a registered type (the palette's drag): the type name, UTF-8."""

BLOCKS_MIME = "application/x-bulletin-blocks"
"""Blocks copied or dragged: ``{"blocks": [<block JSON>, ...], "images": {"images/<sha256>.<ext>":
"<base64>"}, "source": "<canvas token>"}``, UTF-8 JSON in the document's own block format with
the embedded images the blocks use, so a paste into another newsletter works (written and checked
by :mod:`editor.clipboard`)."""
