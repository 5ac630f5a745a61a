"""The newsletter document: blocks, theme, sender, and their JSON form.

Everything the composer edits lives here as plain dataclasses, so the renderer, the CLI and the
Qt UI share one model. The JSON form carries a schema ``version``; older documents are upgraded
step by step in :mod:`editor.upgrade` before they are turned into objects.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, ClassVar, Literal, TypeVar

from editor.i18n import t

FORMAT_VERSION = 2

Align = Literal["left", "center", "right"]
ALIGNS: tuple[str, ...] = ("left", "center", "right")

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
COLUMN_RATIOS: dict[str, tuple[int, ...]] = {
    "50-50": (50, 50),
    "33-67": (33, 67),
    "67-33": (67, 33),
    "25-75": (25, 75),
    "75-25": (75, 25),
    "33-33-33": (33, 34, 33),
    "25-50-25": (25, 50, 25),
}

_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
# A block id: it is written into the email's HTML (a comment marking each block), so it is
# limited to characters that cannot end a comment or open a tag.
_BLOCK_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# A font stack: family names, quotes, commas, spaces and hyphens only (it lands in CSS).
_FONT_STACK = re.compile(r"^[A-Za-z0-9 ,'\"\-]{1,200}$")


class DocumentError(ValueError):
    """A document that cannot be used, with a message meant for the user."""


def new_id() -> str:
    """A short, stable block id (survives saves, used by the render cache and the UI)."""
    return uuid.uuid4().hex[:12]


def check_color(value: str, what: str) -> str:
    """Return ``value`` when it is a #rgb/#rrggbb colour, else raise a readable error."""
    if not isinstance(value, str) or not _COLOR.match(value):
        raise DocumentError(
            t(
                f"{what}: « {value} » n'est pas une couleur #RRGGBB valide.",
                f'{what}: "{value}" is not a valid #RRGGBB colour.',
            )
        )
    return value.lower()


def check_font(value: str, what: str) -> str:
    """Font stacks end up inside CSS: refuse anything that could break out of it."""
    if not isinstance(value, str) or not _FONT_STACK.match(value):
        raise DocumentError(
            t(
                f"{what}: « {value} » n'est pas une liste de polices valide.",
                f'{what}: "{value}" is not a valid font list.',
            )
        )
    return value


# --------------------------------------------------------------------------- identity and theme


@dataclass
class Sender:
    """Who the newsletter comes from; ``unsubscribe_url`` may hold merge tags (e.g. {{ email }}).

    When ``unsubscribe_url`` is empty the unsubscribe link is a ``mailto:`` to the reply-to
    address, which the inbox sync later turns into an unsubscription.
    """

    name: str = ""
    email: str = ""
    reply_to: str = ""
    unsubscribe_url: str = ""


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
            raise DocumentError(
                t(
                    "L'arrondi des boutons doit être compris entre 0 et 50 pixels.",
                    "The button corner radius must be between 0 and 50 pixels.",
                )
            )


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
            raise DocumentError(
                t(
                    "La largeur du contenu doit être comprise entre 320 et 900 pixels.",
                    "The content width must be between 320 and 900 pixels.",
                )
            )
        if not 12 <= self.font_size <= 24:
            raise DocumentError(
                t(
                    "La taille du texte doit être comprise entre 12 et 24 pixels.",
                    "The text size must be between 12 and 24 pixels.",
                )
            )
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


# --------------------------------------------------------------------------------------- blocks


@dataclass
class Block:
    """Base of every block: a stable id and the ``type`` tag used in JSON."""

    TYPE: ClassVar[str] = ""
    id: str = field(default_factory=new_id)

    def validate(self) -> None:
        """Raise :class:`DocumentError` when a field holds a value that cannot be rendered."""


@dataclass
class HeadingBlock(Block):
    TYPE: ClassVar[str] = "heading"
    text: str = ""
    level: int = 1
    align: Align = "left"

    def validate(self) -> None:
        if self.level not in (1, 2, 3):
            raise DocumentError(
                t("Un titre est de niveau 1, 2 ou 3.", "A heading is level 1, 2 or 3.")
            )
        _check_align(self.align)


@dataclass
class TextBlock(Block):
    """Rich text kept as a small, sanitised HTML subset (p, br, b/strong, i/em, u, a, ul/ol/li).

    The subset is what the composer's rich-text editor produces; anything else is dropped by
    :func:`editor.richtext.clean` when the document is loaded or edited.
    """

    TYPE: ClassVar[str] = "text"
    html: str = ""
    align: Align = "left"

    def validate(self) -> None:
        _check_align(self.align)


@dataclass
class ImageBlock(Block):
    """An image: ``src`` is ``images/<sha256>.<ext>`` (embedded in the file) or an http(s) URL.

    ``width`` is in pixels; 0 means the full available width.
    """

    TYPE: ClassVar[str] = "image"
    src: str = ""
    alt: str = ""
    link: str = ""
    width: int = 0
    align: Align = "center"

    def validate(self) -> None:
        _check_align(self.align)
        if self.width < 0 or self.width > 2000:
            raise DocumentError(
                t(
                    "La largeur d'une image doit être comprise entre 0 et 2000 pixels.",
                    "An image width must be between 0 and 2000 pixels.",
                )
            )
        if self.src and not (self.is_embedded or self.is_remote):
            raise DocumentError(
                t(
                    f"Image « {self.src} » : ni une image du document ni une URL.",
                    f'Image "{self.src}" is neither an image of the document nor a URL.',
                )
            )

    @property
    def is_embedded(self) -> bool:
        return bool(re.fullmatch(r"images/[0-9a-f]{64}\.(png|jpg|gif|webp)", self.src))

    @property
    def is_remote(self) -> bool:
        return self.src.startswith(("https://", "http://"))


@dataclass
class ButtonBlock(Block):
    """A bulletproof button; empty colours fall back to the theme's button style."""

    TYPE: ClassVar[str] = "button"
    label: str = ""
    url: str = ""
    background: str = ""
    color: str = ""
    radius: int | None = None
    full_width: bool = False
    align: Align = "center"

    def validate(self) -> None:
        _check_align(self.align)
        if self.background:
            check_color(self.background, "Bouton (fond)")
        if self.color:
            check_color(self.color, "Bouton (texte)")
        if self.radius is not None and not 0 <= self.radius <= 50:
            raise DocumentError(
                t(
                    "L'arrondi d'un bouton doit être compris entre 0 et 50 pixels.",
                    "A button corner radius must be between 0 and 50 pixels.",
                )
            )


@dataclass
class DividerBlock(Block):
    TYPE: ClassVar[str] = "divider"
    color: str = "#e5e7eb"
    thickness: int = 1
    width_percent: int = 100

    def validate(self) -> None:
        check_color(self.color, "Séparateur")
        if not 1 <= self.thickness <= 10:
            raise DocumentError(
                t(
                    "L'épaisseur d'un séparateur est comprise entre 1 et 10 pixels.",
                    "A divider is 1 to 10 pixels thick.",
                )
            )
        if not 10 <= self.width_percent <= 100:
            raise DocumentError(
                t(
                    "La largeur d'un séparateur est comprise entre 10 et 100 %.",
                    "A divider is 10 to 100 % wide.",
                )
            )


@dataclass
class SpacerBlock(Block):
    TYPE: ClassVar[str] = "spacer"
    height: int = 24

    def validate(self) -> None:
        if not 4 <= self.height <= 200:
            raise DocumentError(
                t(
                    "La hauteur d'un espace est comprise entre 4 et 200 pixels.",
                    "A spacer is 4 to 200 pixels high.",
                )
            )


@dataclass
class SocialLink:
    network: str = "website"
    url: str = ""

    def validate(self) -> None:
        if self.network not in SOCIAL_NETWORKS:
            raise DocumentError(
                t(
                    f"Réseau social inconnu : « {self.network} ».",
                    f'Unknown social network "{self.network}".',
                )
            )


@dataclass
class SocialBlock(Block):
    TYPE: ClassVar[str] = "social"
    links: list[SocialLink] = field(default_factory=list)
    icon_style: str = "color"
    size: int = 32
    align: Align = "center"

    def validate(self) -> None:
        _check_align(self.align)
        if self.icon_style not in SOCIAL_STYLES:
            raise DocumentError(
                t(
                    f"Style d'icônes inconnu : « {self.icon_style} ».",
                    f'Unknown icon style "{self.icon_style}".',
                )
            )
        if self.size not in SOCIAL_SIZES:
            raise DocumentError(
                t(
                    "La taille des icônes est 24, 32, 40 ou 48 pixels.",
                    "Icons are 24, 32, 40 or 48 pixels.",
                )
            )
        for link in self.links:
            link.validate()


@dataclass
class Column:
    blocks: list[Block] = field(default_factory=list)

    def validate(self) -> None:
        for block in self.blocks:
            if isinstance(block, (ColumnsBlock, FooterBlock)):
                raise DocumentError(
                    t(
                        "Une colonne ne peut contenir ni colonnes ni pied de page.",
                        "A column cannot hold columns or a footer.",
                    )
                )
            block.validate()


@dataclass
class ColumnsBlock(Block):
    """Two or three columns side by side; they stack on phones unless ``stack_on_mobile`` is off."""

    TYPE: ClassVar[str] = "columns"
    columns: list[Column] = field(default_factory=lambda: [Column(), Column()])
    ratio: str = "50-50"
    stack_on_mobile: bool = True

    def validate(self) -> None:
        if self.ratio not in COLUMN_RATIOS:
            raise DocumentError(
                t(
                    f"Répartition de colonnes inconnue : « {self.ratio} ».",
                    f'Unknown column ratio "{self.ratio}".',
                )
            )
        if len(self.columns) != self.expected:
            raise DocumentError(
                t(
                    f"La répartition « {self.ratio} » demande {self.expected} colonnes, "
                    f"le bloc en a {len(self.columns)}.",
                    f'Ratio "{self.ratio}" needs {self.expected} columns, '
                    f"the block has {len(self.columns)}.",
                )
            )
        for column in self.columns:
            column.validate()

    @property
    def widths(self) -> tuple[int, ...]:
        return COLUMN_RATIOS[self.ratio]

    @property
    def expected(self) -> int:
        return len(COLUMN_RATIOS[self.ratio])


@dataclass
class PostsBlock(Block):
    """The latest posts of a site's RSS/Atom feed, rendered from the last fetched copy."""

    TYPE: ClassVar[str] = "posts"
    feed_url: str = ""
    count: int = 3
    show_image: bool = True
    show_excerpt: bool = True
    show_date: bool = True
    show_read_more: bool = True
    read_more_label: str = ""

    def validate(self) -> None:
        if not 1 <= self.count <= 10:
            raise DocumentError(
                t(
                    "Le bloc « Derniers articles » montre de 1 à 10 articles.",
                    "The latest-posts block shows 1 to 10 posts.",
                )
            )
        if self.feed_url and not self.feed_url.startswith(("http://", "https://")):
            raise DocumentError(
                t(
                    f"Adresse de flux invalide : « {self.feed_url} ».",
                    f'Invalid feed address "{self.feed_url}".',
                )
            )


@dataclass
class FooterBlock(Block):
    """Legal footer: who sends, where they are, why you get this, how to stop. Mandatory."""

    TYPE: ClassVar[str] = "footer"
    company: str = ""
    address: str = ""
    reason: str = ""
    unsubscribe_label: str = ""
    align: Align = "center"

    def validate(self) -> None:
        _check_align(self.align)


@dataclass
class HtmlBlock(Block):
    """Raw HTML for advanced users; sanitised (no script, style, event handlers) when rendered."""

    TYPE: ClassVar[str] = "html"
    html: str = ""


BLOCK_TYPES: dict[str, type[Block]] = {
    cls.TYPE: cls
    for cls in (
        HeadingBlock,
        TextBlock,
        ImageBlock,
        ButtonBlock,
        DividerBlock,
        SpacerBlock,
        SocialBlock,
        ColumnsBlock,
        PostsBlock,
        FooterBlock,
        HtmlBlock,
    )
}


def _check_id(value: object) -> None:
    if not isinstance(value, str) or not _BLOCK_ID.match(value):
        _bad_id(value)


def _bad_id(value: object) -> None:
    raise DocumentError(
        t(
            f"Identifiant de bloc manquant, invalide ou en double : « {value} ».",
            f'Missing, invalid or duplicate block id "{value}".',
        )
    )


def _check_align(value: str) -> None:
    if value not in ALIGNS:
        raise DocumentError(
            t(
                f"Alignement inconnu : « {value} » (left, center ou right).",
                f'Unknown alignment "{value}" (left, center or right).',
            )
        )


# ----------------------------------------------------------------------------------- newsletter


@dataclass
class Newsletter:
    """A whole newsletter. ``language`` picks the built-in wording (« Lire la suite »…)."""

    subject: str = ""
    preheader: str = ""
    language: str = "fr"
    sender: Sender = field(default_factory=Sender)
    theme: Theme = field(default_factory=Theme)
    blocks: list[Block] = field(default_factory=list)

    def validate(self) -> None:
        """Check every value the renderer relies on; raise :class:`DocumentError` on the first."""
        if self.language not in ("fr", "en"):
            raise DocumentError(
                t(
                    f"Langue inconnue : « {self.language} » (fr ou en).",
                    f'Unknown language "{self.language}" (fr or en).',
                )
            )
        self.theme.validate()
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
            if isinstance(block, ColumnsBlock):
                for column in block.columns:
                    out.extend(column.blocks)
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
        "blocks": [block_to_json(b) for b in newsletter.blocks],
    }


def block_to_json(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {"type": block.TYPE}
    for f in fields(block):
        value = getattr(block, f.name)
        if isinstance(block, ColumnsBlock) and f.name == "columns":
            value = [{"blocks": [block_to_json(b) for b in c.blocks]} for c in block.columns]
        elif isinstance(block, SocialBlock) and f.name == "links":
            value = [_plain(link) for link in block.links]
        data[f.name] = value
    return data


def from_json(data: Any) -> Newsletter:
    """Build a validated :class:`Newsletter` from current-version JSON data.

    Older versions must go through :func:`editor.upgrade.upgrade` first. Unknown keys are
    ignored (a newer minor writer may add some); wrong types raise :class:`DocumentError`.
    """
    if not isinstance(data, dict):
        raise DocumentError(
            t("Le document n'est pas un objet JSON.", "The document is not a JSON object.")
        )
    if data.get("version") != FORMAT_VERSION:
        raise DocumentError(
            t(
                f"Version de document inattendue : {data.get('version')!r}.",
                f"Unexpected document version {data.get('version')!r}.",
            )
        )
    newsletter = Newsletter(
        subject=_str(data.get("subject", ""), "subject"),
        preheader=_str(data.get("preheader", ""), "preheader"),
        language=_str(data.get("language", "fr"), "language"),
        sender=_build(Sender, data.get("sender", {}), "sender"),
        theme=_theme(data.get("theme", {})),
        blocks=[block_from_json(b) for b in _list(data.get("blocks", []), "blocks")],
    )
    newsletter.validate()
    return newsletter


def block_from_json(data: Any) -> Block:
    if not isinstance(data, dict):
        raise DocumentError(
            t(
                "Un bloc du document n'est pas un objet JSON.",
                "A block of the document is not a JSON object.",
            )
        )
    kind = data.get("type")
    cls = BLOCK_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise DocumentError(
            t(f"Type de bloc inconnu : « {kind} ».", f'Unknown block type "{kind}".')
        )
    values = {k: v for k, v in data.items() if k != "type"}
    if cls is ColumnsBlock and "columns" in values:
        values["columns"] = [
            Column(
                blocks=[
                    block_from_json(b)
                    for b in _list(_dict(c, "column").get("blocks", []), "column.blocks")
                ]
            )
            for c in _list(values["columns"], "columns")
        ]
    if cls is SocialBlock and "links" in values:
        values["links"] = [
            _build(SocialLink, link, "social.links") for link in _list(values["links"], "links")
        ]
    return _build(cls, values, kind or "block")


def _theme(data: Any) -> Theme:
    values = dict(_dict(data, "theme"))
    if "button" in values:
        values["button"] = _build(ButtonStyle, values["button"], "theme.button")
    return _build(Theme, values, "theme")


_NESTED = {"button", "columns", "links"}
T = TypeVar("T")


def _build(cls: type[T], data: Any, where: str) -> T:
    """Instantiate dataclass ``cls`` from ``data``, checking scalar types against defaults."""
    values = _dict(data, where)
    known = {f.name: f for f in fields(cls)}  # type: ignore[arg-type]
    kwargs: dict[str, Any] = {}
    for name, value in values.items():
        if name not in known:
            continue
        if name not in _NESTED:
            default = getattr(cls(), name)
            if not _same_kind(value, default, name):
                raise DocumentError(
                    t(
                        f"{where}.{name} : valeur de type inattendu ({value!r}).",
                        f"{where}.{name}: unexpected value type ({value!r}).",
                    )
                )
        kwargs[name] = _canonical(name, value)
    return cls(**kwargs)


def _same_kind(value: Any, default: Any, name: str) -> bool:
    if name == "radius" and value is None:
        return True
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int) or (name == "radius"):
        return isinstance(value, int)
    if isinstance(default, str):
        return isinstance(value, str)
    return True


def _plain(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(obj):
        value = getattr(obj, f.name)
        out[f.name] = _plain(value) if hasattr(value, "__dataclass_fields__") else value
    return out


def _dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise DocumentError(
            t(f"{where} : un objet JSON était attendu.", f"{where}: a JSON object was expected.")
        )
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise DocumentError(
            t(f"{where} : une liste JSON était attendue.", f"{where}: a JSON list was expected.")
        )
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise DocumentError(
            t(f"{where} : un texte était attendu.", f"{where}: a text was expected.")
        )
    return value


# -------------------------------------------------------------------------------- normalisation

# Field names that hold a colour, whatever the dataclass (theme, button style, blocks).
_COLOR_FIELDS = frozenset(
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


def _canonical(name: str, value: Any) -> Any:
    """The one spelling the model keeps for a value (colours lowercase); never raises."""
    if name in _COLOR_FIELDS and isinstance(value, str) and _COLOR.match(value):
        return value.lower()
    return value


def normalised(obj: object, name: str, value: Any) -> Any:
    """Return the canonical value for field ``name`` of dataclass instance ``obj``.

    Code that sets a value (the composer's commands) calls this first, and loading applies the
    same rules, so the model only ever holds canonical values and ``validate()`` merely reports.
    Raises :class:`DocumentError` when the value has the wrong type or is not usable; ``obj``
    itself is never changed.
    """
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError(f"normalised() needs a dataclass instance, not {obj!r}")
    cls = type(obj)
    where = f"{cls.__name__}.{name}"
    if name not in {f.name for f in fields(obj)}:
        raise DocumentError(t(f"{where} : champ inconnu.", f"{where}: unknown field."))
    current = getattr(obj, name)
    item_type = _ITEMS.get(name)
    if isinstance(current, list) and item_type is not None:
        ok = isinstance(value, list) and all(isinstance(v, item_type) for v in value)
    elif is_dataclass(current):
        ok = isinstance(value, type(current))
    else:
        ok = _same_kind(value, getattr(cls(), name), name)
    if not ok:
        raise DocumentError(
            t(
                f"{where} : valeur de type inattendu ({value!r}).",
                f"{where}: unexpected value type ({value!r}).",
            )
        )
    value = _canonical(name, value)
    if name == "id" and isinstance(obj, Block):
        _check_id(value)
    candidate = replace(obj, **{name: value})
    check = getattr(candidate, "validate", None)
    if check is not None:
        check()
    return value


# The element type of each list field.
_ITEMS: dict[str, type] = {"blocks": Block, "columns": Column, "links": SocialLink}
