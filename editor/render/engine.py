"""Document → email HTML, one block at a time, with a per-block cache.

Each top-level block goes through its Jinja template (autoescaped) and then through premailer
with the theme's stylesheet, on its own. The inlined fragment is cached under a key made of
the block's JSON, the theme/sender/language fingerprint, the width it is drawn at and, for the
latest-posts block, the posts it shows. Editing one block therefore costs one template and one
premailer run; the page skeleton (head, ``@media`` rules, Outlook ghost tables) is a cheap
template around the cached fragments and is never run through premailer, so its
``!important`` mobile rules survive as written.
"""

from __future__ import annotations

import functools
import hashlib
import html
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol
from urllib.parse import quote

import jinja2
from markupsafe import Markup
from premailer import Premailer

from editor import richtext
from editor.document import (
    Block,
    ButtonBlock,
    ColumnsBlock,
    DividerBlock,
    FooterBlock,
    HeadingBlock,
    HtmlBlock,
    ImageBlock,
    Newsletter,
    PostsBlock,
    SocialBlock,
    SpacerBlock,
    TextBlock,
    block_to_json,
    to_json,
)
from editor.i18n import t
from editor.merge import (
    MergeTagError,
    MergeTags,
    defuse_text,
    defuse_url,
    evaluate,
    fill,
    sample_values,
    used_keys,
)
from editor.render.strings import format_date, strings
from editor.settings import resources_dir
from editor.social import NETWORK_LABELS, social_url

GMAIL_CLIP_BYTES = 102 * 1024
PAD = 24  # horizontal padding of a top-level block, px
CHILD_PAD = 8  # horizontal padding of a block inside a column, px
IMAGE_SCHEME = "bulletin-image:"
_IMAGE_SRC = re.compile(r"bulletin-image:([A-Za-z0-9_./-]+)")
_SAFE_URL = re.compile(r"^(https?://|mailto:|tel:|#$|BMTW)", re.I)
_PREHEADER_FILLER = Markup("&#847;&zwnj;&nbsp;" * 60)  # noqa: S704 (constant)


class PostLike(Protocol):
    title: str
    link: str
    excerpt: str
    image: str
    date: datetime | None


class FeedSource(Protocol):
    """Where the latest-posts block reads its posts (the offline cache, in practice)."""

    def posts(self, url: str, count: int) -> Sequence[PostLike]: ...


@dataclass
class Rendered:
    """One rendered document: HTML and text with merge-tag markers still in place.

    ``html_for``/``text_for`` personalise them for one contact; ``images`` lists every
    ``bulletin-image:`` reference the HTML uses (document images and bundled icons).
    """

    html: str
    text: str
    subject: str
    tags: MergeTags
    unsubscribe: str
    images: list[str]
    warnings: list[str] = field(default_factory=list)

    def values_for(self, contact: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Merge values for ``contact`` (sample ones when None), ``unsubscribe_url`` included."""
        values: dict[str, Any] = {"first_name": "", "last_name": "", "email": ""}
        values.update(sample_values() if contact is None else contact)
        values["unsubscribe_url"] = fill(self.tags, self.unsubscribe, values, for_html=False)
        return values

    def html_for(
        self,
        contact: Mapping[str, Any] | None = None,
        image_url: Callable[[str], str] | None = None,
    ) -> str:
        """Final HTML for one contact; ``image_url`` maps an image reference to its ``src``."""
        out = fill(self.tags, self.html, self.values_for(contact), for_html=True)
        resolve = image_url or cid_url
        known = set(self.images)  # not the same words typed in a text or a contact's field

        def image(m: re.Match[str]) -> str:
            return html.escape(resolve(m.group(1))) if m.group(1) in known else m.group(0)

        return _IMAGE_SRC.sub(image, out)

    def text_for(self, contact: Mapping[str, Any] | None = None) -> str:
        from editor.render.text import rewrap, underline

        return rewrap(
            underline(fill(self.tags, self.text, self.values_for(contact), for_html=False))
        )

    def subject_for(self, contact: Mapping[str, Any] | None = None) -> str:
        return fill(self.tags, self.subject, self.values_for(contact), for_html=False)


def cid_url(ref: str) -> str:
    """``cid:`` URL of an image reference, as used by the MIME message."""
    return f"cid:{content_id(ref)}"


def content_id(ref: str) -> str:
    """A Content-ID for an image reference: short, unique, and free of path separators."""
    stem = ref.replace("/", "-")
    if ref.startswith("images/"):
        stem = "img-" + ref.split("/")[1][:16] + "." + ref.rsplit(".", 1)[1]
    return f"{stem}@bulletin"


@dataclass
class _Ctx:
    newsletter: Newsletter
    fingerprint: str
    css: str
    strings: dict[str, str]
    warnings: list[str]
    images: list[str] = field(default_factory=list)  # image references the blocks put in src


class Renderer:
    """Renders newsletters, keeping inlined fragments between calls (one per composer window).

    Attributes:
        images: the document's embedded images (reference → bytes), for their pixel sizes.
        feeds: where latest-posts blocks take their posts; None renders them empty.
        misses: how many blocks were rendered for real (the rest came from the cache).
    """

    def __init__(
        self, images: Mapping[str, bytes] | None = None, feeds: FeedSource | None = None
    ) -> None:
        self.images = images if images is not None else {}
        self.feeds = feeds
        self.tags = MergeTags()
        self.misses = 0
        self._cache: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {}
        self._sizes: dict[str, tuple[int, int] | None] = {}
        self._posts: dict[tuple[str, int], list[dict[str, str]]] = {}
        self._env = _environment()

    # ------------------------------------------------------------------------------- public

    def render(self, newsletter: Newsletter) -> Rendered:
        """Render the whole document (only changed blocks cost anything)."""
        newsletter.validate()
        self._posts = {}  # a feed may have been refreshed since the last render
        warnings: list[str] = []
        blocks = list(newsletter.blocks)
        if newsletter.footer is None:
            warnings.append(
                t(
                    "Il manque le pied de page : un pied de page avec le lien de désabonnement "
                    "a été ajouté automatiquement.",
                    "The footer is missing: a footer with the unsubscribe link was added.",
                )
            )
            blocks.append(FooterBlock(id="auto-footer", company=newsletter.sender.name))
        ctx = self._context(newsletter, warnings)
        live: set[str] = set()
        parts, texts = [], []
        for block in blocks:
            key, fragment, text_part = self._top_level(block, ctx)
            live.add(key)
            parts.append(fragment)
            if text_part.strip():
                texts.append(text_part.strip())
        # Drop fragments of deleted or edited blocks so the cache does not grow forever.
        self._cache = {k: v for k, v in self._cache.items() if k in live}
        subject = self.tags.mark_text(newsletter.subject)
        page = self._env.get_template("email.html.j2").render(
            language=newsletter.language,
            subject=subject,
            preheader=self.tags.mark_text(newsletter.preheader),
            preheader_filler=_PREHEADER_FILLER,
            theme=newsletter.theme,
            breakpoint=newsletter.theme.content_width + 20,
            body=Markup("\n".join(parts)),  # noqa: S704 (our own inlined fragments)
        )
        text = "\n\n".join(texts).rstrip() + "\n"
        rendered = Rendered(
            html=page,
            text=text,
            subject=subject,
            tags=self.tags,
            unsubscribe=self.tags.mark_url(unsubscribe_template(newsletter)),
            images=list(dict.fromkeys(ctx.images)),
            warnings=warnings,
        )
        samples = rendered.values_for(sample_values(self.tags.names()))
        for key in used_keys(page + text):
            try:
                evaluate(self.tags, key, samples)
            except MergeTagError as exc:
                warnings.append(str(exc))
        warnings[:] = list(dict.fromkeys(warnings))  # one line per distinct problem
        size = len(page.encode())  # markers are about as long as the values they stand for
        if size > GMAIL_CLIP_BYTES:
            warnings.append(
                t(
                    f"Le HTML fait {size // 1024} Ko : Gmail coupe les messages de plus de "
                    "102 Ko (« Message tronqué »). Retirez des blocs ou du HTML brut.",
                    f"The HTML is {size // 1024} KB: Gmail clips messages over 102 KB "
                    '("Message clipped"). Remove some blocks or raw HTML.',
                )
            )
        return rendered

    def posts(self, block: PostsBlock) -> list[dict[str, str]]:
        """The posts a latest-posts block shows, as plain strings (also used by the text part)."""
        if not block.feed_url or self.feeds is None:
            return []
        # Read once a render: the cache key, the HTML and the text part all need them, and
        # the feed cache is a file on disk.
        key = (block.feed_url, block.count)
        if key not in self._posts:
            self._posts[key] = self._read_posts(block)
        return self._posts[key]

    def _read_posts(self, block: PostsBlock) -> list[dict[str, str]]:
        assert self.feeds is not None
        # Feed data is not the user's writing: its braces and marker look-alikes stay inert.
        return [
            {
                "title": defuse_text(p.title),
                "link": defuse_url(p.link),
                "excerpt": defuse_text(p.excerpt),
                "image": defuse_url(p.image),
                "date": "" if p.date is None else p.date.isoformat(),
            }
            for p in self.feeds.posts(block.feed_url, block.count)
        ]

    # ------------------------------------------------------------------------------ helpers

    def _context(self, newsletter: Newsletter, warnings: list[str]) -> _Ctx:
        doc = to_json(newsletter)
        fingerprint = _digest([doc["theme"], doc["sender"], doc["language"]])
        css = self._env.get_template("inline.css.j2").render(theme=newsletter.theme)
        return _Ctx(newsletter, fingerprint, css, strings(newsletter.language), warnings)

    def _top_level(self, block: Block, ctx: _Ctx) -> tuple[str, str, str]:
        """Cache key, inlined HTML and text part of one top-level block."""
        from editor.render.text import block_text

        width = ctx.newsletter.theme.content_width - 2 * PAD
        extra = self.posts(block) if isinstance(block, PostsBlock) else None
        key = _digest([block_to_json(block), ctx.fingerprint, extra])
        cached = self._cache.get(key)
        if cached is None:
            self.misses += 1
            before, images_before = len(ctx.warnings), len(ctx.images)
            raw = self._block(block, ctx, width, PAD)
            fragment = f"<!--block:{block.id}-->\n{inline_css(raw, ctx.css)}"
            text = block_text(block, ctx.newsletter, self, ctx.strings)
            cached = (
                fragment,
                text,
                tuple(ctx.warnings[before:]),
                tuple(ctx.images[images_before:]),
            )
            self._cache[key] = cached
        else:  # a cached block still owes its warnings and images to this render
            ctx.warnings.extend(cached[2])
            ctx.images.extend(cached[3])
        return key, cached[0], cached[1]

    def _block(self, block: Block, ctx: _Ctx, width: int, pad: int) -> str:
        """The raw (not yet inlined) HTML of one block drawn ``width`` px wide."""
        theme = ctx.newsletter.theme
        view: dict[str, Any] = {"align": getattr(block, "align", "left")}
        extra: dict[str, Any] = {}
        mark, url = self.tags.mark_text, self._url
        if isinstance(block, HeadingBlock):
            view.update(text=mark(block.text), level=block.level)
        elif isinstance(block, TextBlock):
            clean = clean_rich_text(block.html)
            view["html"] = Markup(self.tags.mark_html(_safe_links(clean)))  # noqa: S704 (sanitised)
        elif isinstance(block, HtmlBlock):
            raw = richtext.sanitize_raw(block.html)
            view["html"] = Markup(self.tags.mark_html(_safe_links(raw)))  # noqa: S704 (sanitised)
        elif isinstance(block, ImageBlock):
            view.update(self._image(block, width, ctx))
        elif isinstance(block, ButtonBlock):
            view.update(
                label=mark(block.label),
                url=url(block.url, ctx),
                background=block.background or theme.button.background,
                color=block.color or theme.button.color,
                radius=theme.button.radius if block.radius is None else block.radius,
                full_width=block.full_width,
            )
        elif isinstance(block, DividerBlock | SpacerBlock):
            view.update(vars(block))
        elif isinstance(block, SocialBlock):
            lang = 0 if ctx.newsletter.language == "fr" else 1
            shown = [link for link in block.links if link.url.strip()]
            icons = [f"social/{block.icon_style}/{link.network}.png" for link in shown]
            ctx.images.extend(icons)
            view.update(
                size=block.size,
                links=[
                    {
                        "url": url(social_url(link.network, link.url), ctx),
                        "label": NETWORK_LABELS[link.network][lang],
                        "icon": f"{IMAGE_SCHEME}{icon}",
                    }
                    for link, icon in zip(shown, icons, strict=True)
                ],
            )
        elif isinstance(block, ColumnsBlock):
            extra["columns"], extra["inner_pad"] = self._columns(block, ctx, width), CHILD_PAD
            view["stack_on_mobile"] = block.stack_on_mobile
        elif isinstance(block, PostsBlock):
            view.update(
                show_image=block.show_image,
                show_excerpt=block.show_excerpt,
                show_date=block.show_date,
                show_read_more=block.show_read_more,
                read_more_label=mark(block.read_more_label or ctx.strings["read_more"]),
            )
            extra["posts"] = [self._post(p, ctx) for p in self.posts(block)]
            if not extra["posts"]:
                ctx.warnings.append(
                    t(
                        f"Aucun article récupéré pour « {block.feed_url or '—'} » : le bloc "
                        "« Derniers articles » affiche un texte d'attente. Actualisez le flux.",
                        f'No posts fetched yet for "{block.feed_url or "—"}": the latest-posts '
                        "block shows a placeholder. Refresh the feed.",
                    )
                )
        elif isinstance(block, FooterBlock):
            lines = [mark(line.strip()) for line in block.address.splitlines() if line.strip()]
            view.update(
                company=mark(block.company),
                address=Markup("<br>").join(lines),
                reason=mark(block.reason or ctx.strings["reason"]),
                unsubscribe_label=mark(block.unsubscribe_label or ctx.strings["unsubscribe"]),
            )
            extra["unsubscribe_url"] = self._url(unsubscribe_template(ctx.newsletter), ctx)
        template = self._env.get_template(f"blocks/{block.TYPE}.html.j2")
        # Inside columns the padding class differs: the phone rule that widens top-level
        # padding must not add to the columns' own (children would sit 8 px further in).
        padclass = "bl-pad" if pad == PAD else "bl-cpad"
        return template.render(
            b=view, theme=theme, s=ctx.strings, width=width, pad=pad, padclass=padclass, **extra
        )

    def _columns(self, block: ColumnsBlock, ctx: _Ctx, width: int) -> list[dict[str, Any]]:
        inner = width + 2 * PAD - 2 * (PAD - CHILD_PAD)
        out = []
        for percent, column in zip(block.widths, block.columns, strict=True):
            col_width = inner * percent // 100
            child_width = col_width - 2 * CHILD_PAD
            body = "\n".join(self._block(b, ctx, child_width, CHILD_PAD) for b in column.blocks)
            html_body = Markup(body)  # noqa: S704 (rendered by our autoescaped templates)
            out.append({"width": col_width, "percent": percent, "html": html_body})
        return out

    def _image(self, block: ImageBlock, width: int, ctx: _Ctx) -> dict[str, Any]:
        natural = self._natural_size(block.src) if block.is_embedded else None
        shown = block.width or (natural[0] if natural else width)
        shown = max(1, min(shown, width))
        height = round(natural[1] * shown / natural[0]) if natural else 0
        if not block.alt.strip():
            ctx.warnings.append(
                t(
                    "Une image n'a pas de texte alternatif : il s'affiche quand les images sont "
                    "bloquées et il est lu aux malvoyants.",
                    "An image has no alt text: it shows when images are blocked and is read "
                    "to blind readers.",
                )
            )
        if block.is_embedded:
            ctx.images.append(block.src)
        src = f"{IMAGE_SCHEME}{block.src}" if block.is_embedded else self._url(block.src, ctx)
        return {
            "src": src,
            "alt": self.tags.mark_text(block.alt),
            "link": self._url(block.link, ctx) if block.link.strip() else "",
            "display_width": shown,
            "display_height": height,
        }

    def _natural_size(self, ref: str) -> tuple[int, int] | None:
        if ref not in self._sizes:
            self._sizes[ref] = None
            data = self.images.get(ref)
            if data is not None:
                from PIL import Image, UnidentifiedImageError

                try:
                    with Image.open(io.BytesIO(data)) as img:
                        self._sizes[ref] = img.size
                except (UnidentifiedImageError, OSError):
                    self._sizes[ref] = None
        return self._sizes[ref]

    def _post(self, post: dict[str, str], ctx: _Ctx) -> dict[str, str]:
        date = ""
        if post["date"]:
            when = datetime.fromisoformat(post["date"])
            date = format_date(when.day, when.month, when.year, ctx.newsletter.language)
        return {
            **post,
            "date": date,
            "link": self._url(post["link"], ctx),
            "image": self._url(post["image"], ctx) if post["image"] else "",
        }

    def _url(self, value: str, ctx: _Ctx) -> str:
        """A URL with its merge tags marked; anything but http(s)/mailto/tel becomes ``#``."""
        marked = self.tags.mark_url(value)
        if not marked:
            return "#"
        if not _SAFE_URL.match(marked):
            ctx.warnings.append(
                t(
                    f"Lien ignoré (ni http, ni https, ni mailto) : « {value[:80]} ».",
                    f'Link ignored (not http, https or mailto): "{value[:80]}".',
                )
            )
            return "#"
        return marked


@functools.lru_cache(maxsize=512)
def clean_rich_text(html: str) -> str:
    """:func:`richtext.clean`, remembered: the HTML and the text part both need it."""
    return richtext.clean(html)


@functools.cache
def _environment() -> jinja2.Environment:
    """The block templates, compiled once per process and shared by every renderer."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(resources_dir() / "email"),
        # HTML templates escape; the CSS template must not (quotes in font names).
        autoescape=jinja2.select_autoescape(["html.j2"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def unsubscribe_template(newsletter: Newsletter) -> str:
    """The unsubscribe URL with its merge tags: the sender's own page, else a mailto."""
    sender = newsletter.sender
    if sender.unsubscribe_url.strip():
        return sender.unsubscribe_url.strip()
    address = sender.reply_to or sender.email or "unsubscribe@invalid"
    subject = quote(strings(newsletter.language)["unsubscribe_subject"] + " ")
    return f"mailto:{address}?subject={subject}{{{{ email }}}}"


class _Premailer(Premailer):  # type: ignore[misc]
    """Premailer that parses each stylesheet once per process, not once per block.

    Serialising cssutils rules back to text is most of premailer's cost; the theme's sheet is
    the same for every block, so its parsed rules are kept (a few sheets at most: one a theme).
    """

    _rules: ClassVar[dict[tuple[Any, ...], tuple[list[Any], list[Any]]]] = {}

    def _parse_style_rules(self, css_body: str, ruleset_index: int) -> tuple[list[Any], list[Any]]:
        key = (css_body, ruleset_index, self.strip_important, self.disable_validation)
        if key not in self._rules:
            if len(self._rules) > 32:
                self._rules.clear()
            self._rules[key] = super()._parse_style_rules(css_body, ruleset_index)
        rules, leftover = self._rules[key]
        return list(rules), list(leftover)


def inline_css(fragment: str, css: str) -> str:
    """Inline ``css`` into an HTML fragment with premailer and return the fragment alone.

    ``strip_important=False``: premailer's default removes ``!important``, which email clients
    need to let the mobile rules win. Classes are kept because the ``@media`` rules use them.
    """
    doc = f"<html><head><style>{css}</style></head><body>{fragment}</body></html>"
    out = _Premailer(
        doc,
        strip_important=False,
        remove_classes=False,
        keep_style_tags=False,
        disable_validation=True,
        allow_network=False,
        cache_css_parsing=True,
        disable_leftover_css=True,
        cssutils_logging_level="CRITICAL",
        disable_basic_attributes=["width", "height"],  # ours are exact pixel values
    ).transform()
    assert isinstance(out, str)
    start = out.index("<body>") + len("<body>")
    return out[start : out.rindex("</body>")].strip()


def _safe_links(fragment: str) -> str:
    """Open links in a new tab (webmail) without giving the page access to the mail client."""
    return fragment.replace("<a href=", '<a target="_blank" href=')


def _digest(parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
