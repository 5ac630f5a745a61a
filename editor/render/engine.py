"""Document → email HTML, one block at a time, with a per-block cache.

Each top-level block goes through its Jinja template (autoescaped) and then through premailer
with the theme's stylesheet, on its own. The inlined fragment is cached under a key made of
the block's JSON, the theme/sender/language fingerprint, the width it is drawn at and, for the
latest-posts block, the posts it shows. Editing one block therefore costs one template and one
premailer run; the page skeleton (head, ``@media`` rules, Outlook ghost tables) is a cheap
template around the cached fragments and is never run through premailer, so its
``!important`` mobile rules survive as written.

What a block needs to know comes from its type in :mod:`editor.blocks` (template variables,
text part); what it noticed is cached with it as :class:`~editor.findings.Finding` data, never
as sentences, so the cache does not depend on the UI language.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import jinja2
from markupsafe import Markup
from premailer import Premailer

from editor.blocks.base import CHILD_PAD, IMAGE_SCHEME, PAD
from editor.blocks.registry import type_of
from editor.blocks.text import clean_rich_text
from editor.document import Block, FooterBlock, Newsletter, PostsBlock, block_to_json, to_json
from editor.findings import FOOTER_MISSING, GMAIL_CLIP, Finding
from editor.limits import image_size
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
from editor.render.context import RenderContext, unsubscribe_template
from editor.render.text import rewrap, underline
from editor.sending.tokens import SAMPLE_TOKEN, is_token
from editor.settings import resources_dir

__all__ = [
    "CHILD_PAD",
    "GMAIL_CLIP_BYTES",
    "IMAGE_SCHEME",
    "PAD",
    "FeedSource",
    "Rendered",
    "Renderer",
    "cid_url",
    "clean_rich_text",
    "content_id",
    "inline_css",
    "unsubscribe_template",
]

GMAIL_CLIP_BYTES = 102 * 1024
_IMAGE_SRC = re.compile(r"bulletin-image:([A-Za-z0-9_./-]+)")
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
    ``bulletin-image:`` reference the HTML uses (document images and bundled icons);
    ``findings`` is what the renderer noticed, as data (worded by :mod:`editor.findings`).
    """

    html: str
    text: str
    subject: str
    tags: MergeTags
    unsubscribe: str
    images: list[str]
    findings: list[Finding] = field(default_factory=list)

    def values_for(
        self, contact: Mapping[str, Any] | None = None, *, preview: bool = False
    ) -> dict[str, Any]:
        """Merge values for ``contact`` (sample ones when None), ``unsubscribe_url`` included."""
        values: dict[str, Any] = {"first_name": "", "last_name": "", "email": ""}
        values.update(sample_values() if contact is None else contact)
        if not is_token(str(values.get("unsubscribe_token", ""))):
            values["unsubscribe_token"] = SAMPLE_TOKEN  # a preview: a token that names no one
        values["unsubscribe_url"] = fill(
            self.tags, self.unsubscribe, values, for_html=False, lenient=preview
        )
        return values

    def html_for(
        self,
        contact: Mapping[str, Any] | None = None,
        image_url: Callable[[str], str] | None = None,
        *,
        preview: bool = False,
    ) -> str:
        """Final HTML for one contact; ``image_url`` maps an image reference to its ``src``.

        ``preview``: a tag that cannot be filled shows as written instead of raising (the
        composer shows the document while it is being fixed; sending never passes it).
        """
        values = self.values_for(contact, preview=preview)
        out = fill(self.tags, self.html, values, for_html=True, lenient=preview)
        resolve = image_url or cid_url
        known = set(self.images)  # not the same words typed in a text or a contact's field

        def image(m: re.Match[str]) -> str:
            return html.escape(resolve(m.group(1))) if m.group(1) in known else m.group(0)

        return _IMAGE_SRC.sub(image, out)

    def text_for(self, contact: Mapping[str, Any] | None = None, *, preview: bool = False) -> str:
        values = self.values_for(contact, preview=preview)
        return rewrap(
            underline(fill(self.tags, self.text, values, for_html=False, lenient=preview))
        )

    def subject_for(
        self, contact: Mapping[str, Any] | None = None, *, preview: bool = False
    ) -> str:
        values = self.values_for(contact, preview=preview)
        return fill(self.tags, self.subject, values, for_html=False, lenient=preview)


def cid_url(ref: str) -> str:
    """``cid:`` URL of an image reference, as used by the MIME message."""
    return f"cid:{content_id(ref)}"


def content_id(ref: str) -> str:
    """A Content-ID for an image reference: short, unique, and free of path separators."""
    stem = ref.replace("/", "-")
    if ref.startswith("images/"):
        stem = "img-" + ref.split("/")[1][:16] + "." + ref.rsplit(".", 1)[1]
    return f"{stem}@bulletin"


class Renderer:
    """Renders newsletters, keeping inlined fragments between calls (one per composer window).

    Attributes:
        images: the document's embedded images (reference → bytes), for their pixel sizes.
        feeds: where latest-posts blocks take their posts; None renders them empty.
        misses: how many blocks were rendered for real (the rest came from the cache).

    A renderer is used by one thread at a time (its fragment cache is its own); several
    renderers may run at once on different threads, the caches they share are thread-safe.
    """

    def __init__(
        self, images: Mapping[str, bytes] | None = None, feeds: FeedSource | None = None
    ) -> None:
        self.images = images if images is not None else {}
        self.feeds = feeds
        self.tags = MergeTags()
        self.misses = 0
        self._cache: dict[str, tuple[str, str, tuple[Finding, ...], tuple[str, ...]]] = {}
        self._sizes: dict[str, tuple[int, int] | None] = {}
        self._posts: dict[tuple[str, int], list[dict[str, str]]] = {}
        self._env = _environment()

    # ------------------------------------------------------------------------------- public

    def render(self, newsletter: Newsletter) -> Rendered:
        """Render the whole document (only changed blocks cost anything)."""
        newsletter.validate()
        self._posts = {}  # a feed may have been refreshed since the last render
        ctx = RenderContext(
            newsletter,
            self.tags,
            posts=self.posts,
            image_size=self._natural_size,
            draw=lambda block, width, pad: self._block(block, ctx, width, pad),
        )
        blocks = list(newsletter.blocks)
        if newsletter.footer is None:
            ctx.report(FOOTER_MISSING)
            blocks.append(FooterBlock(id="auto-footer", company=newsletter.sender.name))
        theme = newsletter.theme
        doc = to_json(newsletter)
        fingerprint = _digest([doc["theme"], doc["sender"], doc["language"], ctx.utm])
        css = self._env.get_template("inline.css.j2").render(theme=theme)
        live: set[str] = set()
        parts, texts = [], []
        for block in blocks:
            key, fragment, text_part = self._top_level(block, ctx, fingerprint, css)
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
            theme=theme,
            breakpoint=theme.content_width + 20,
            body=Markup("\n".join(parts)),  # noqa: S704 (our own inlined fragments)
        )
        text = "\n\n".join(texts).rstrip() + "\n"
        rendered = Rendered(
            html=page,
            text=text,
            subject=subject,
            tags=self.tags,
            unsubscribe=self.tags.mark_url(ctx.unsubscribe),
            images=list(dict.fromkeys(ctx.images)),
            findings=ctx.findings,
        )
        samples = rendered.values_for(sample_values(self.tags.names()))
        for key in used_keys(page + text):
            try:
                evaluate(self.tags, key, samples)
            except MergeTagError as exc:
                owner = next((b.id for b, p in zip(blocks, parts, strict=True) if key in p), None)
                ctx.findings.append(exc.finding(owner))
        size = len(page.encode())  # markers are about as long as the values they stand for
        if size > GMAIL_CLIP_BYTES:
            ctx.report(GMAIL_CLIP, kb=size // 1024)
        rendered.findings = list(dict.fromkeys(ctx.findings))  # one row per distinct finding
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

    def _top_level(
        self, block: Block, ctx: RenderContext, fingerprint: str, css: str
    ) -> tuple[str, str, str]:
        """Cache key, inlined HTML and text part of one top-level block."""
        width = ctx.newsletter.theme.content_width - 2 * PAD
        extra = [ctx.cache_extra(b) for b in (block, *block.children())]
        key = _digest([block_to_json(block), fingerprint, extra])
        cached = self._cache.get(key)
        if cached is None:
            self.misses += 1
            before, images_before = len(ctx.findings), len(ctx.images)
            raw = self._block(block, ctx, width, PAD)
            fragment = f"<!--block:{block.id}-->\n{inline_css(raw, css)}"
            text = ctx.text(block)
            cached = (
                fragment,
                text,
                tuple(ctx.findings[before:]),
                tuple(ctx.images[images_before:]),
            )
            self._cache[key] = cached
        else:  # a cached block still owes its findings and images to this render
            ctx.findings.extend(cached[2])
            ctx.images.extend(cached[3])
        return key, cached[0], cached[1]

    def _block(self, block: Block, ctx: RenderContext, width: int, pad: int) -> str:
        """The raw (not yet inlined) HTML of one block drawn ``width`` px wide."""
        kind = type_of(block)
        variables = kind.view(block, ctx, width, pad)
        env = self._env if kind.resources is None else _environment(kind.template_dir)
        template = env.get_template(kind.template)
        # Inside columns the padding class differs: the phone rule that widens top-level
        # padding must not add to the columns' own (children would sit 8 px further in).
        padclass = "bl-pad" if pad == PAD else "bl-cpad"
        return template.render(
            theme=ctx.newsletter.theme,
            s=ctx.strings,
            width=width,
            pad=pad,
            padclass=padclass,
            **variables,
        )

    def _natural_size(self, ref: str) -> tuple[int, int] | None:
        """Pixel size from the image's header: no decoding, so no decompression bomb."""
        if ref not in self._sizes:
            data = self.images.get(ref)
            self._sizes[ref] = None if data is None else image_size(data)
        return self._sizes[ref]


@functools.cache
def _environment(extra: Path | None = None) -> jinja2.Environment:
    """The block templates, compiled once per process and shared by every renderer.

    ``extra`` is the template folder of a block type defined outside the app, searched first.
    """
    folders = [resources_dir() / "email"] if extra is None else [extra, resources_dir() / "email"]
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        # HTML templates escape; the CSS template must not (quotes in font names).
        autoescape=jinja2.select_autoescape(["html.j2"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class _Premailer(Premailer):  # type: ignore[misc]
    """Premailer that parses each stylesheet once per process, not once per block.

    Serialising cssutils rules back to text is most of premailer's cost; the theme's sheet is
    the same for every block, so its parsed rules are kept (a few sheets at most: one a theme).
    Renders run on several threads (the UI's preview worker, the sender), so the shared cache
    is only touched under a lock; callers get their own lists.
    """

    def _parse_style_rules(self, css_body: str, ruleset_index: int) -> tuple[list[Any], list[Any]]:
        key = (css_body, ruleset_index, self.strip_important, self.disable_validation)
        with _RULES_LOCK:
            if key not in _RULES:
                if len(_RULES) > 32:
                    _RULES.clear()
                _RULES[key] = super()._parse_style_rules(css_body, ruleset_index)
            rules, leftover = _RULES[key]
            return list(rules), list(leftover)


_RULES: dict[tuple[Any, ...], tuple[list[Any], list[Any]]] = {}
_RULES_LOCK = threading.Lock()


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


def _digest(parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
