"""What the inspector shows for each block type: field name → kind of editor, as data.

A block panel is generated from a short spec (:data:`SPECS`) instead of a hand-written form:
each :class:`Field` names a dataclass field of the block and the kind of control that edits it
(:class:`Kind`). A registered type without a spec still gets a form, derived from its dataclass
fields by :func:`generic_fields` (str → line, int → spin, bool → check box, a ``Literal`` →
choice), so a new block type is editable without touching the inspector.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import Enum
from typing import Any, Literal

from editor.blocks.base import COLOR_FIELDS, NESTED_FIELDS, Block, BlockType
from editor.commands import Command, SetBlockField, SetColumnsRatio
from editor.document import COLUMN_RATIOS
from editor.i18n import N_, _


class Kind(Enum):
    """The control that edits a field."""

    LINE = "line"  # one line of text
    MULTILINE = "multiline"  # plain text over several lines
    INT = "int"  # a number in [minimum, maximum]; optional: None shown as ``none_label``
    COLOR = "color"  # swatch + #rrggbb; optional: "" shown as ``none_label``
    CHOICE = "choice"  # one of ``choices``
    BOOL = "bool"  # a check box
    URL = "url"  # a link: http(s), mailto or tel (or starting with a merge tag)


Make = Callable[[str, Any], Command]


def set_field(name: str) -> Make:
    """The usual command: ``SetBlockField(block_id, name, value)``."""
    return lambda block_id, value: SetBlockField(block_id, name, value)


@dataclass(frozen=True)
class Field:
    """One control of a block panel.

    Attributes:
        name: the block's dataclass field.
        kind: the control.
        label: the caption, an English text marked with ``N_`` (translated when shown); a
            generic field's caption is its name, shown as is.
        help: tooltip and, for ``note``, a line under the control (``N_``-marked).
        minimum / maximum / suffix: an INT's range and unit.
        choices: a CHOICE's values and their captions (``N_``-marked or literal).
        optional: an empty colour / None number is allowed (it then follows the theme).
        none_label: what the control shows for that empty value.
        note: show ``help`` permanently under the control (a warning the user must see).
        command: the command setting the value (default: ``SetBlockField``).
        translate: captions are ``N_``-marked (False for generic fields: field names).
        translate_choices: the choices' captions are ``N_``-marked (False for "50 % / 50 %").
        follows: the document value used while this one is empty (``"theme.button.color"``),
            shown by the control.
        contrast_on: for a colour of text, the document value of its background
            (``"theme.content_background"``): the panel shows their WCAG contrast under it.
        large: that text is large (headings): 3:1 is enough for it.
    """

    name: str
    kind: Kind
    label: str
    help: str = ""
    minimum: int = 0
    maximum: int = 100_000
    suffix: str = ""
    choices: tuple[tuple[Any, str], ...] = ()
    optional: bool = False
    none_label: str = ""
    note: bool = False
    command: Make | None = None
    translate: bool = True
    translate_choices: bool = True
    follows: str = ""
    contrast_on: str = ""
    large: bool = False

    def caption(self) -> str:
        return _(self.label) if self.translate else self.label

    def tooltip(self) -> str:
        return _(self.help) if self.help else self.caption()

    def choice_caption(self, caption: str) -> str:
        return _(caption) if self.translate and self.translate_choices else caption

    def make(self, block_id: str, value: Any) -> Command:
        return (self.command or set_field(self.name))(block_id, value)


ALIGN_CHOICES: tuple[tuple[Any, str], ...] = (
    ("left", N_("Left")),
    ("center", N_("Centre")),
    ("right", N_("Right")),
)
ALIGN = Field("align", Kind.CHOICE, N_("Alignment"), choices=ALIGN_CHOICES)
THEME = N_("As in the theme")  # the empty value of a colour or radius that follows the theme

SPECS: dict[str, tuple[Field, ...]] = {
    "heading": (
        Field("text", Kind.LINE, N_("Heading")),
        Field(
            "level",
            Kind.CHOICE,
            N_("Level"),
            choices=(
                (1, N_("Title (level 1)")),
                (2, N_("Section (level 2)")),
                (3, N_("Sub-section (level 3)")),
            ),
            help=N_("Level 1 for the newsletter's title, 2 and 3 for its sections."),
        ),
        Field(
            "color",
            Kind.COLOR,
            N_("Colour"),
            help=N_("The colour of this heading; « As in the theme » follows the theme's."),
            optional=True,
            none_label=THEME,
            follows="theme.heading_color",
            contrast_on="theme.content_background",
            large=True,
        ),
        ALIGN,
    ),
    "text": (ALIGN,),
    "button": (
        Field("label", Kind.LINE, N_("Button text")),
        Field(
            "url",
            Kind.URL,
            N_("Link"),
            help=N_("Where the button leads: https://…, mailto:… or tel:…"),
        ),
        Field(
            "background",
            Kind.COLOR,
            N_("Button colour"),
            optional=True,
            none_label=THEME,
            follows="theme.button.background",
        ),
        Field(
            "color",
            Kind.COLOR,
            N_("Text colour"),
            optional=True,
            none_label=THEME,
            follows="theme.button.color",
        ),
        Field(
            "radius",
            Kind.INT,
            N_("Rounded corners"),
            minimum=0,
            maximum=50,
            suffix=" px",
            optional=True,
            none_label=THEME,
        ),
        Field(
            "full_width",
            Kind.BOOL,
            N_("Full width"),
            help=N_("The button spans the whole width of the email."),
        ),
        ALIGN,
    ),
    "divider": (
        Field("color", Kind.COLOR, N_("Colour")),
        Field("thickness", Kind.INT, N_("Thickness"), minimum=1, maximum=10, suffix=" px"),
        Field("width_percent", Kind.INT, N_("Width"), minimum=10, maximum=100, suffix=" %"),
    ),
    "spacer": (Field("height", Kind.INT, N_("Height"), minimum=4, maximum=200, suffix=" px"),),
    "columns": (
        Field(
            "ratio",
            Kind.CHOICE,
            N_("Layout"),
            choices=tuple(
                (ratio, " / ".join(f"{w} %" for w in widths))
                for ratio, widths in COLUMN_RATIOS.items()
            ),
            help=N_(
                "Column widths. With fewer columns, the blocks of removed columns move to "
                "the last one kept."
            ),
            command=SetColumnsRatio,
            translate_choices=False,
        ),
        Field(
            "stack_on_mobile",
            Kind.BOOL,
            N_("Stack on phones"),
            help=N_("On narrow screens, columns are shown one under the other."),
        ),
    ),
    "footer": (
        Field("company", Kind.LINE, N_("Company or association")),
        Field(
            "address",
            Kind.MULTILINE,
            N_("Postal address"),
            help=N_("The law asks for a postal address in every commercial email."),
        ),
        Field(
            "reason",
            Kind.LINE,
            N_("Why readers get this email"),
            help=N_("Leave empty for the usual sentence."),
        ),
        Field(
            "unsubscribe_label",
            Kind.LINE,
            N_("Unsubscribe link text"),
            help=N_("Leave empty for the usual wording."),
        ),
        ALIGN,
    ),
    "html": (
        Field(
            "html",
            Kind.MULTILINE,
            N_("HTML code"),
            help=N_(
                "Raw HTML is sanitised when the email is made: scripts, styles, forms and "
                "event handlers are removed."
            ),
            note=True,
        ),
    ),
}


def fields_for(kind: BlockType) -> tuple[Field, ...]:
    """The controls of a block type's panel: its spec, else the generic form."""
    return SPECS.get(kind.name) or generic_fields(kind.cls)


def generic_fields(cls: type[Block]) -> tuple[Field, ...]:
    """A form for any block dataclass: one control per scalar field, captioned by its name.

    Lists and nested objects (columns, social links) are skipped: they need a real panel.
    """
    hints = typing.get_type_hints(cls)
    default = cls()
    out: list[Field] = []
    for f in fields(cls):
        if f.name == "id" or f.name in NESTED_FIELDS:
            continue
        field = _generic(f.name, hints.get(f.name, Any), getattr(default, f.name))
        if field is not None:
            out.append(field)
    return tuple(out)


def _generic(name: str, hint: Any, default: Any) -> Field | None:
    caption = name.replace("_", " ").capitalize()
    args = typing.get_args(hint)
    optional = type(None) in args
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and optional:
        rest = [a for a in args if a is not type(None)]
        hint = rest[0] if len(rest) == 1 else Any
    if typing.get_origin(hint) is Literal:
        choices = tuple((v, str(v)) for v in typing.get_args(hint))
        return Field(name, Kind.CHOICE, caption, choices=choices, translate=False)
    if hint is bool or isinstance(default, bool):
        return Field(name, Kind.BOOL, caption, translate=False)
    if hint is int or isinstance(default, int):
        return Field(name, Kind.INT, caption, optional=optional, none_label="—", translate=False)
    if hint is str or isinstance(default, str):
        kind = Kind.COLOR if name in COLOR_FIELDS else Kind.LINE
        optional = kind is Kind.COLOR and default == ""
        return Field(name, kind, caption, optional=optional, none_label="—", translate=False)
    return None
