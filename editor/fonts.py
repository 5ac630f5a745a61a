"""Font stacks that every email client can show, for the theme's font menus.

Email clients only use fonts installed on the reader's device, so each stack names a widely
installed family, then look-alikes, then a generic family. Every stack passes the core's
:func:`editor.blocks.base.check_font` (a test checks it). A document may hold any other valid
stack (written by hand, an older version): :func:`known_stack` finds the menu entry whose first
family it starts with, so the menu can show it without rewriting it.
"""

from __future__ import annotations

from dataclasses import dataclass

from editor.i18n import N_, _

# The generic family a stack ends with, worded for the menu.
GENERIC_LABELS: dict[str, str] = {
    "sans-serif": N_("sans serif"),
    "serif": N_("serif"),
    "monospace": N_("monospace"),
}


@dataclass(frozen=True)
class FontStack:
    """One menu entry: the family shown as its name, and the CSS list written in the email."""

    name: str
    stack: str

    @property
    def family(self) -> str:
        """The first family, as a font chooser knows it (for drawing the menu entry)."""
        return first_family(self.stack)

    @property
    def generic(self) -> str:
        """The generic family it falls back on ("serif", "sans-serif", "monospace")."""
        return self.stack.rsplit(",", 1)[-1].strip()

    def label(self) -> str:
        """« Georgia (serif) » in the UI language."""
        kind = GENERIC_LABELS.get(self.generic)
        if kind is None:
            return self.name
        return _("{font} ({kind})").format(font=self.name, kind=_(kind))


FONT_STACKS: tuple[FontStack, ...] = (
    FontStack("Arial", "Arial, Helvetica, sans-serif"),
    FontStack("Helvetica", "Helvetica, Arial, sans-serif"),
    FontStack("Verdana", "Verdana, Geneva, sans-serif"),
    FontStack("Tahoma", "Tahoma, Verdana, Segoe, sans-serif"),
    FontStack("Trebuchet MS", "'Trebuchet MS', 'Lucida Grande', Helvetica, Arial, sans-serif"),
    FontStack("Lucida Sans", "'Lucida Sans Unicode', 'Lucida Grande', sans-serif"),
    FontStack("Georgia", "Georgia, 'Times New Roman', Times, serif"),
    FontStack("Times New Roman", "'Times New Roman', Times, serif"),
    FontStack("Palatino", "'Palatino Linotype', 'Book Antiqua', Palatino, serif"),
    FontStack("Courier New", "'Courier New', Courier, monospace"),
)


def first_family(stack: str) -> str:
    """The first family of a CSS font list, without quotes: "Trebuchet MS"."""
    return stack.split(",", 1)[0].strip().strip("'\"").strip()


def known_stack(stack: str) -> FontStack | None:
    """The menu entry for ``stack``: the same list, else the same first family; None if neither."""
    for entry in FONT_STACKS:
        if entry.stack == stack:
            return entry
    family = first_family(stack).casefold()
    return next((e for e in FONT_STACKS if e.family.casefold() == family), None)
