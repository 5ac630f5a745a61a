"""The newsletter document: blocks, theme, sender, and their JSON form.

Everything the composer edits lives here as plain dataclasses, so the renderer, the CLI and the
Qt UI share one model. The JSON form carries a schema ``version``; older documents are upgraded
step by step in :mod:`editor.upgrade` before they are turned into objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from editor.blocks.base import (
    ALIGNS,
    CHILD_PAD,
    PAD,
    SOCIAL_NETWORKS,
    SOCIAL_SIZES,
    SOCIAL_STYLES,
    Align,
    Block,
    DocumentError,
    as_dict,
    as_list,
    build,
    canonical,
    check_color,
    check_font,
    new_id,
    same_kind,
)
from editor.blocks.button import ButtonBlock
from editor.blocks.columns import COLUMN_RATIOS, Column, ColumnsBlock
from editor.blocks.divider import DividerBlock
from editor.blocks.footer import FooterBlock
from editor.blocks.heading import HeadingBlock
from editor.blocks.html import HtmlBlock
from editor.blocks.image import ImageBlock
from editor.blocks.posts import PostsBlock
from editor.blocks.registry import BLOCK_TYPES, block_type
from editor.blocks.social import SocialBlock, SocialLink
from editor.blocks.spacer import SpacerBlock
from editor.blocks.text import TextBlock
from editor.i18n import _

__all__ = [
    "ALIGNS",
    "BLOCK_TYPES",
    "CHILD_PAD",
    "COLUMN_RATIOS",
    "FORMAT_VERSION",
    "PAD",
    "SOCIAL_NETWORKS",
    "SOCIAL_SIZES",
    "SOCIAL_STYLES",
    "Align",
    "Block",
    "ButtonBlock",
    "ButtonStyle",
    "Column",
    "ColumnsBlock",
    "DividerBlock",
    "DocumentError",
    "FooterBlock",
    "HeadingBlock",
    "HtmlBlock",
    "ImageBlock",
    "Newsletter",
    "PostsBlock",
    "Sender",
    "SocialBlock",
    "SocialLink",
    "SpacerBlock",
    "TextBlock",
    "Theme",
    "Utm",
    "block_from_json",
    "block_to_json",
    "check_color",
    "check_font",
    "from_json",
    "new_id",
    "normalised",
    "to_json",
]

FORMAT_VERSION = 2

# A block id: it is written into the email's HTML (a comment marking each block), so it is
# limited to characters that cannot end a comment or open a tag.
_BLOCK_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


# --------------------------------------------------------------------------- identity and theme


@dataclass
class Sender:
    """Who the newsletter comes from; ``unsubscribe_url`` may hold merge tags (e.g. {{ email }}).

    When ``unsubscribe_url`` is empty the unsubscribe link is a ``mailto:`` to the reply-to
    address, which the inbox sync later turns into an unsubscription. Either way the link
    carries the recipient's token, never their address. ``one_click_unsubscribe``: the page
    accepts the RFC 8058 one-click POST (mail clients then unsubscribe without opening it).
    """

    name: str = ""
    email: str = ""
    reply_to: str = ""
    unsubscribe_url: str = ""
    one_click_unsubscribe: bool = False


@dataclass
class ButtonStyle:
    """The default look of buttons; each button block may override its colours."""

    background: str = "#2563eb"
    color: str = "#ffffff"
    radius: int = 6

    def validate(self) -> None:
        """Report (never fix) a value the renderer cannot use."""
        check_color(self.background, "Bouton (fond)")
        check_color(self.color, "Bouton (texte)")
        if not 0 <= self.radius <= 50:
            raise DocumentError(_("The button corner radius must be between 0 and 50 pixels."))


@dataclass
class Theme:
    """Page-wide look. Colours are #rrggbb, widths in CSS pixels."""

    content_width: int = 600
    page_background: str = "#f3f4f6"
    content_background: str = "#ffffff"
    body_font: str = "Arial, Helvetica, sans-serif"
    heading_font: str = "Georgia, 'Times New Roman', serif"
    text_color: str = "#1f2937"
    link_color: str = "#2563eb"
    heading_color: str = "#111827"
    font_size: int = 16
    button: ButtonStyle = field(default_factory=ButtonStyle)

    def validate(self) -> None:
        if not 320 <= self.content_width <= 900:
            raise DocumentError(_("The content width must be between 320 and 900 pixels."))
        if not 12 <= self.font_size <= 24:
            raise DocumentError(_("The text size must be between 12 and 24 pixels."))
        for name in (
            "page_background",
            "content_background",
            "text_color",
            "link_color",
            "heading_color",
        ):
            check_color(getattr(self, name), f"Thème ({name})")
        check_font(self.body_font, "Police du texte")
        check_font(self.heading_font, "Police des titres")
        self.button.validate()


# What a UTM value may hold: printable text of reasonable length (it goes into every link).
UTM_MAX = 100
_UTM_BAD = re.compile(r"[\x00-\x1f\x7f]")


@dataclass
class Utm:
    """The UTM parameters added to the newsletter's web links (see :mod:`editor.utm`).

    On by default so the sender's own analytics see where visits come from; nothing tracks the
    reader. ``campaign`` "" means a slug of the subject.
    """

    enabled: bool = True
    source: str = "newsletter"
    medium: str = "email"
    campaign: str = ""

    def validate(self) -> None:
        """Report (never fix) a value that cannot go into a link."""
        for value in (self.source, self.medium, self.campaign):
            if len(value) > UTM_MAX or _UTM_BAD.search(value):
                raise DocumentError(
                    _("A UTM value must be one line of at most {limit} characters.").format(
                        limit=UTM_MAX
                    )
                )


def _check_id(value: object) -> None:
    if not isinstance(value, str) or not _BLOCK_ID.match(value):
        _bad_id(value)


def _bad_id(value: object) -> None:
    raise DocumentError(_('Missing, invalid or duplicate block id "{value}".').format(value=value))


# ----------------------------------------------------------------------------------- newsletter


@dataclass
class Newsletter:
    """A whole newsletter. ``language`` picks the built-in wording (« Lire la suite »…)."""

    subject: str = ""
    preheader: str = ""
    language: str = "fr"
    sender: Sender = field(default_factory=Sender)
    theme: Theme = field(default_factory=Theme)
    utm: Utm = field(default_factory=Utm)
    blocks: list[Block] = field(default_factory=list)

    def validate(self) -> None:
        """Check every value the renderer relies on; raise :class:`DocumentError` on the first."""
        if self.language not in ("fr", "en"):
            raise DocumentError(
                _('Unknown language "{language}" (fr or en).').format(language=self.language)
            )
        self.theme.validate()
        self.utm.validate()
        seen: set[str] = set()
        for block in self.walk():
            if block.id in seen:
                _bad_id(block.id)
            _check_id(block.id)
            seen.add(block.id)
            block.validate()

    def walk(self) -> list[Block]:
        """Every block, columns' children included, in reading order."""
        out: list[Block] = []
        for block in self.blocks:
            out.append(block)
            out.extend(block.children())
        return out

    def find(self, block_id: str) -> Block | None:
        return next((b for b in self.walk() if b.id == block_id), None)

    @property
    def footer(self) -> FooterBlock | None:
        return next((b for b in self.blocks if isinstance(b, FooterBlock)), None)


# ------------------------------------------------------------------------------------------ JSON


def to_json(newsletter: Newsletter) -> dict[str, Any]:
    """The document as JSON-ready data, with the current format ``version``."""
    return {
        "version": FORMAT_VERSION,
        "subject": newsletter.subject,
        "preheader": newsletter.preheader,
        "language": newsletter.language,
        "sender": _plain(newsletter.sender),
        "theme": _plain(newsletter.theme),
        "utm": _plain(newsletter.utm),
        "blocks": [block_to_json(b) for b in newsletter.blocks],
    }


def block_to_json(block: Block) -> dict[str, Any]:
    """One block as JSON data: its ``type`` tag, then its fields in declaration order."""
    kind = block_type(block.TYPE)
    data: dict[str, Any] = {"type": block.TYPE}
    for f in fields(block):
        value = getattr(block, f.name)
        convert = kind.to_json.get(f.name)
        data[f.name] = value if convert is None else convert(value, block_to_json)
    return data


def from_json(data: Any) -> Newsletter:
    """Build a validated :class:`Newsletter` from current-version JSON data.

    Older versions must go through :func:`editor.upgrade.upgrade` first. Unknown keys are
    ignored (a newer minor writer may add some); wrong types raise :class:`DocumentError`.
    Values are normalised on the way in (colours lowercase), so ``validate`` only checks.
    """
    if not isinstance(data, dict):
        raise DocumentError(_("The document is not a JSON object."))
    if data.get("version") != FORMAT_VERSION:
        raise DocumentError(
            _("Unexpected document version {value!r}.").format(value=data.get("version"))
        )
    newsletter = Newsletter(
        subject=_str(data.get("subject", ""), "subject"),
        preheader=_str(data.get("preheader", ""), "preheader"),
        language=_str(data.get("language", "fr"), "language"),
        sender=build(Sender, data.get("sender", {}), "sender"),
        theme=_theme(data.get("theme", {})),
        utm=_utm(data.get("utm", {})),
        blocks=[block_from_json(b) for b in as_list(data.get("blocks", []), "blocks")],
    )
    newsletter.validate()
    return newsletter


def block_from_json(data: Any) -> Block:
    """One block from JSON data (not validated: :meth:`Newsletter.validate` does that)."""
    if not isinstance(data, dict):
        raise DocumentError(_("A block of the document is not a JSON object."))
    kind_name = data.get("type")
    if not isinstance(kind_name, str):
        raise DocumentError(_('Unknown block type "{kind_name}".').format(kind_name=kind_name))
    kind = block_type(kind_name)
    values = {k: v for k, v in data.items() if k != "type"}
    for name, convert in kind.from_json.items():
        if name in values:
            values[name] = convert(values[name], block_from_json)
    return build(kind.cls, values, kind_name)


def _theme(data: Any) -> Theme:
    values = dict(as_dict(data, "theme"))
    if "button" in values:
        values["button"] = build(ButtonStyle, values["button"], "theme.button")
    return build(Theme, values, "theme")


def _utm(data: Any) -> Utm:
    # Values are kept as typed (stripping while the user types would eat their spaces); the
    # renderer strips them and percent-encodes what it adds to links.
    return build(Utm, data, "utm")


def _plain(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        out[f.name] = _plain(value) if hasattr(value, "__dataclass_fields__") else value
    return out


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise DocumentError(_("{where}: a text was expected.").format(where=where))
    return value


# -------------------------------------------------------------------------------- normalisation


def normalised(obj: object, name: str, value: Any) -> Any:
    """Return the canonical value for field ``name`` of dataclass instance ``obj``.

    Code that sets a value (the composer's commands) calls this first, and loading applies the
    same rules, so the model only ever holds canonical values and ``validate()`` merely reports.
    Raises :class:`DocumentError` when the value has the wrong type or is not usable; ``obj``
    itself is never changed. A nested object (a theme's button style, the sender) comes back as
    a canonical copy; lists of blocks, links or columns are checked, not rewritten.
    """
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError(f"normalised() needs a dataclass instance, not {obj!r}")
    cls = type(obj)
    where = f"{cls.__name__}.{name}"
    if name not in {f.name for f in fields(obj)}:
        raise DocumentError(_("{where}: unknown field.").format(where=where))
    current = getattr(obj, name)
    item_type = _ITEMS.get(name)
    if isinstance(current, list) and item_type is not None:
        ok = isinstance(value, list) and all(isinstance(v, item_type) for v in value)
    elif is_dataclass(current):
        ok = isinstance(value, type(current))
    else:
        ok = same_kind(value, getattr(cls(), name), name)
    if not ok:
        raise DocumentError(
            _("{where}: unexpected value type ({value!r}).").format(where=where, value=value)
        )
    if isinstance(value, Theme):
        value = _theme(_plain(value))
    elif isinstance(value, Utm):
        value = _utm(_plain(value))
    elif isinstance(value, ButtonStyle | Sender):
        value = build(type(value), _plain(value), where)
    else:
        value = canonical(name, value)
    if name == "id" and isinstance(obj, Block):
        _check_id(value)
    candidate = replace(obj, **{name: value})
    check = getattr(candidate, "validate", None)
    if check is not None:
        check()
    return value


# The element type of each list field.
_ITEMS: dict[str, type] = {"blocks": Block, "columns": Column, "links": SocialLink}
