"""What every block type shares: the base dataclass, value checks, and the registry entry.

A block type is one module of this package declaring its dataclass and a :class:`BlockType`
entry (JSON hooks, label, icon, template, template variables, text part, outline summary),
plus one template under ``resources/email/blocks/``. The renderer, the text part and the
outline only ever go through the entry, so adding a type touches nothing else.

This module imports nothing from the renderer at run time: the render context is only named
in annotations, which keeps ``editor.document`` → blocks → render free of cycles.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from editor.i18n import _
from editor.settings import resources_dir

if TYPE_CHECKING:
    from editor.render.context import RenderContext

Align = Literal["left", "center", "right"]
ALIGNS: tuple[str, ...] = ("left", "center", "right")

# Social networks live here rather than in ``social.py`` because ``editor.social`` (icons,
# profile URLs) needs them and the social block module needs ``editor.social``.
SOCIAL_NETWORKS: tuple[str, ...] = (
    "facebook",
    "instagram",
    "linkedin",
    "x",
    "youtube",
    "tiktok",
    "pinterest",
    "whatsapp",
    "website",
    "email",
)
SOCIAL_STYLES: tuple[str, ...] = ("color", "dark", "light")
SOCIAL_SIZES: tuple[int, ...] = (24, 32, 40, 48)

PAD = 24  # horizontal padding of a top-level block, px
CHILD_PAD = 8  # horizontal padding of a block inside a column, px
IMAGE_SCHEME = "bulletin-image:"  # src prefix the renderer swaps for cid:/data: URLs
RULE = "BMTRULE"  # text part: a heading underline, sized once merge tags are filled in
UNWRAPPED = 100_000  # text part: blocks are wrapped after personalisation

_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# A font stack: family names, quotes, commas, spaces and hyphens only (it lands in CSS).
_FONT_STACK = re.compile(r"^[A-Za-z0-9 ,'\"\-]{1,200}$")


class DocumentError(ValueError):
    """A document that cannot be used, with a message meant for the user."""


def new_id() -> str:
    """A short, stable block id (survives saves, used by the render cache and the UI)."""
    return uuid.uuid4().hex[:12]


def check_color(value: str, what: str) -> str:
    """Return ``value`` (lowercased) when it is a #rgb/#rrggbb colour, else raise."""
    if not isinstance(value, str) or not _COLOR.match(value):
        raise DocumentError(
            _('{what}: "{value}" is not a valid #RRGGBB colour.').format(what=what, value=value)
        )
    return value.lower()


def check_font(value: str, what: str) -> str:
    """Font stacks end up inside CSS: refuse anything that could break out of it."""
    if not isinstance(value, str) or not _FONT_STACK.match(value):
        raise DocumentError(
            _('{what}: "{value}" is not a valid font list.').format(what=what, value=value)
        )
    return value


def check_align(value: str) -> None:
    if value not in ALIGNS:
        raise DocumentError(
            _('Unknown alignment "{value}" (left, center or right).').format(value=value)
        )


@dataclass
class Block:
    """Base of every block: a stable id and the ``type`` tag used in JSON."""

    TYPE: ClassVar[str] = ""
    IN_COLUMNS: ClassVar[bool] = True  # may sit inside a columns block
    id: str = field(default_factory=new_id)

    def validate(self) -> None:
        """Raise :class:`DocumentError` when a field cannot be rendered; never change a value."""

    def children(self) -> list[Block]:
        """Blocks nested inside this one, in reading order (columns' children)."""
        return []


Dump = Callable[[Block], dict[str, Any]]
Load = Callable[[Any], Block]


@dataclass(frozen=True)
class BlockType:
    """Everything the app needs to know about one kind of block.

    Attributes:
        name: the JSON ``type`` tag, also the template's and the icon's file name.
        cls: the dataclass (validation lives in its ``validate``).
        label: the kind of block as the user calls it, translated when called.
        view: template variables for ``blocks/<name>.html.j2`` (``b`` plus any extras) for a
            block drawn ``width`` px wide with ``pad`` px padding.
        text: the block's share of the plain-text part (merge tags marked).
        summary: one line saying what the block holds, for the outline.
        to_json / from_json: convert nested fields (name → converter), given the function that
            converts a whole block (columns hold blocks); plain fields need nothing.
        cache_extra: outside data the block shows (feed posts), added to its render cache key.
        resources: where the template and icon are, laid out like ``resources/``
            (``email/blocks/<name>.html.j2``, ``icons/blocks/<name>.svg``); None for the app's
            own. A type defined outside the app (a plug-in, a test) brings its own folder.
    """

    name: str
    cls: type[Block]
    label: Callable[[], str]
    view: Callable[[Any, RenderContext, int, int], dict[str, Any]]
    text: Callable[[Any, RenderContext], str]
    summary: Callable[[Any], str]
    to_json: dict[str, Callable[[Any, Dump], Any]] = field(default_factory=dict)
    from_json: dict[str, Callable[[Any, Load], Any]] = field(default_factory=dict)
    cache_extra: Callable[[Any, RenderContext], Any] | None = None
    resources: Path | None = None

    @property
    def template(self) -> str:
        """The Jinja template, relative to ``resources/email``."""
        return f"blocks/{self.name}.html.j2"

    @property
    def icon(self) -> str:
        """The icon, relative to :attr:`resources`: a 24×24 line drawing."""
        return f"icons/blocks/{self.name}.svg"

    @property
    def template_dir(self) -> Path:
        """The folder :attr:`template` is relative to."""
        return (self.resources or resources_dir()) / "email"

    @property
    def icon_file(self) -> Path:
        return (self.resources or resources_dir()) / self.icon


def aligned(block: Block, **values: Any) -> dict[str, Any]:
    """The ``b`` variable of a template: the block's alignment plus ``values``."""
    return {"b": {"align": getattr(block, "align", "left"), **values}}


def safe_links(fragment: str) -> str:
    """Open links in a new tab (webmail) without giving the page access to the mail client."""
    return fragment.replace("<a href=", '<a target="_blank" href=')


# ------------------------------------------------------------------------------------- JSON


# Field names that hold a colour, whatever the dataclass (theme, button style, blocks).
COLOR_FIELDS = frozenset(
    {
        "background",
        "color",
        "page_background",
        "content_background",
        "text_color",
        "link_color",
        "heading_color",
    }
)
# Fields holding nested objects: converted by their owner, not type-checked as scalars.
NESTED_FIELDS = frozenset({"button", "columns", "links"})
T = TypeVar("T")


def canonical(name: str, value: Any) -> Any:
    """The one spelling the model keeps for a value (colours lowercase); never raises."""
    if name in COLOR_FIELDS and isinstance(value, str) and _COLOR.match(value):
        return value.lower()
    return value


def build(cls: type[T], data: Any, where: str) -> T:
    """Instantiate dataclass ``cls`` from JSON ``data``: scalar types checked, values canonical.

    Unknown keys are ignored (a newer minor writer may add some).
    """
    values = as_dict(data, where)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        if name not in known:
            continue
        if name not in NESTED_FIELDS and not same_kind(value, getattr(cls(), name), name):
            raise DocumentError(
                _("{where}.{name}: unexpected value type ({value!r}).").format(
                    where=where, name=name, value=value
                )
            )
        kwargs[name] = canonical(name, value)
    return cls(**kwargs)


def same_kind(value: Any, default: Any, name: str) -> bool:
    """Whether a value has the type of the field's default (None only where that is the default:
    a button block's ``radius``, which then follows the theme)."""
    if value is None:
        return default is None
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int) or (name == "radius"):
        return isinstance(value, int)
    if isinstance(default, str):
        return isinstance(value, str)
    return True


def as_dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DocumentError(_("{where}: a JSON object was expected.").format(where=where))
    return value


def as_list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise DocumentError(_("{where}: a JSON list was expected.").format(where=where))
    return value
