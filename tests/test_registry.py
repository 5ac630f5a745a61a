"""The block registry: every type declares everything, and a new type is one module + template."""

from __future__ import annotations

import ast
import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

import pytest

from editor import document, i18n
from editor.blocks import registry
from editor.blocks.base import Block, BlockType, aligned
from editor.document import (
    Column,
    ColumnsBlock,
    DocumentError,
    Newsletter,
    block_from_json,
    block_to_json,
    from_json,
    normalised,
    to_json,
)
from editor.render.context import RenderContext
from editor.render.engine import Renderer
from editor.settings import resources_dir
from tests.render.helpers import newsletter

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = {
    "heading",
    "text",
    "image",
    "button",
    "divider",
    "spacer",
    "social",
    "columns",
    "posts",
    "footer",
    "html",
}


def test_the_registry_holds_every_block_type() -> None:
    assert set(registry.BLOCK_TYPES) == EXPECTED
    assert [kind.name for kind in registry.all_types()] == list(registry.BLOCK_TYPES)
    assert document.BLOCK_TYPES is registry.BLOCK_TYPES
    with pytest.raises(DocumentError, match="Unknown block type"):
        registry.block_type("carousel")


@pytest.mark.parametrize("kind", registry.all_types(), ids=lambda k: k.name)
def test_every_type_declares_everything(kind: BlockType) -> None:
    # dataclass, tagged with its name, importable from editor.document
    assert kind.name == kind.cls.TYPE
    assert issubclass(kind.cls, Block)
    assert getattr(document, kind.cls.__name__) is kind.cls
    block = kind.cls()
    # JSON round trip (through text, as in a file)
    data = json.loads(json.dumps(block_to_json(block)))
    assert data["type"] == kind.name
    assert block_from_json(data) == block
    # validation: the default block is valid and validating it changes nothing
    before = copy.deepcopy(block)
    block.validate()
    assert block == before
    # template, text part, summary, label, icon
    assert (kind.template_dir / kind.template).is_file()
    icon = kind.icon_file
    assert icon.is_file() and icon.is_relative_to(resources_dir() / "icons" / "blocks")
    svg = icon.read_text()
    assert svg.startswith("<svg") and 'viewBox="0 0 24 24"' in svg
    assert isinstance(kind.label(), str) and kind.label()
    assert isinstance(kind.summary(block), str)
    ctx = RenderContext(Newsletter(), Renderer().tags)
    assert isinstance(kind.text(block, ctx), str)
    assert "b" in kind.view(block, ctx, 552, 24)


@pytest.mark.parametrize("kind", registry.all_types(), ids=lambda k: k.name)
def test_every_type_has_its_own_label_in_both_languages(kind: BlockType) -> None:
    labels = []
    for language in ("fr", "en"):
        i18n.set_language(language)
        labels.append(kind.label())
    i18n.set_language("en")
    assert all(labels)
    others = [k.label() for k in registry.all_types() if k is not kind]
    assert kind.label() not in others


def _isinstance_targets(path: Path) -> set[str]:
    """Class names tested with isinstance() in a module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "isinstance":
            for part in ast.walk(node.args[1]):
                if isinstance(part, ast.Name):
                    names.add(part.id)
    return names


@pytest.mark.parametrize(
    ("module", "allowed"),
    [
        ("editor/render/engine.py", set()),
        ("editor/render/text.py", set()),
        ("editor/render/context.py", set()),
        # the outline nests a columns block's children: structure, not a per-type branch
        ("widgets/outline.py", {"ColumnsBlock"}),
    ],
)
def test_no_per_type_branches_outside_the_block_modules(module: str, allowed: set[str]) -> None:
    block_classes = {kind.cls.__name__ for kind in registry.all_types()}
    assert _isinstance_targets(ROOT / module) & block_classes <= allowed
    source = (ROOT / module).read_text()
    assert not re.search(r"\.TYPE\s*==", source)  # no "if block.TYPE == 'image'" either


# ----------------------------------------------------------- a new type: one module, one template


@dataclass
class QuoteBlock(Block):
    """A pull quote: defined here, with its template in a temporary folder."""

    TYPE: ClassVar[str] = "quote"
    text: str = ""
    author: str = ""

    def validate(self) -> None:
        if len(self.text) > 500:
            raise DocumentError("A quote is at most 500 characters.")


def _quote_view(block: QuoteBlock, ctx: RenderContext, width: int, pad: int) -> dict[str, Any]:
    return aligned(block, text=ctx.tags.mark_text(block.text), author=block.author)


def _quote_text(block: QuoteBlock, ctx: RenderContext) -> str:
    return f"« {ctx.tags.mark_text(block.text)} » — {block.author}"


@pytest.fixture
def quote_type(tmp_path: Path) -> Iterator[BlockType]:
    (tmp_path / "email" / "blocks").mkdir(parents=True)
    (tmp_path / "email" / "blocks" / "quote.html.j2").write_text(
        '<table role="presentation"><tr><td class="{{ padclass }}" style="padding:0 {{ pad }}px;">'
        "<blockquote>{{ b.text }}</blockquote><p>{{ b.author }}</p></td></tr></table>\n"
    )
    (tmp_path / "icons" / "blocks").mkdir(parents=True)
    (tmp_path / "icons" / "blocks" / "quote.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"/>'
    )
    kind = BlockType(
        name="quote",
        cls=QuoteBlock,
        label=lambda: "Quote",
        view=_quote_view,
        text=_quote_text,
        summary=lambda block: block.text,
        resources=tmp_path,
    )
    registry.register(kind)
    try:
        yield kind
    finally:
        registry.unregister("quote")
    assert "quote" not in registry.BLOCK_TYPES


def test_a_new_type_needs_nothing_but_its_module_and_template(quote_type: BlockType) -> None:
    quote = QuoteBlock(id="q1", text="Bonjour {{ first_name }}", author="Marie")
    inner = QuoteBlock(id="q2", text="Inside", author="Léa")
    doc = newsletter(quote, ColumnsBlock(id="c1", columns=[Column([inner]), Column()]))
    # JSON: saved and loaded like any block, nested in columns too
    loaded = from_json(json.loads(json.dumps(to_json(doc))))
    assert loaded == doc
    # rendered: HTML from its template, text part from its module, inside columns too
    rendered = Renderer().render(doc)
    html = rendered.html_for({"first_name": "Paul"})
    assert "<blockquote" in html and "Bonjour Paul</blockquote>" in html
    assert "Inside</blockquote>" in html
    assert "<!--block:q1-->" in html
    text = rendered.text_for({"first_name": "Paul"})
    assert "« Bonjour Paul » — Marie" in text and "« Inside » — Léa" in text
    # validated through its dataclass
    with pytest.raises(DocumentError):
        normalised(quote, "text", "x" * 501)
    assert [f.name for f in fields(quote)] == ["id", "text", "author"]


@pytest.mark.gui
def test_a_new_type_shows_in_the_outline(quote_type: BlockType, qapp: Any) -> None:
    from widgets.outline import OutlineModel, block_icon, block_label, block_summary

    quote = QuoteBlock(text="Carpe diem")
    assert block_label(quote) == "Quote"
    assert block_summary(quote) == "Carpe diem"
    assert not block_icon(quote).isNull()
    model = OutlineModel()
    model.set_newsletter(Newsletter(blocks=[quote]))
    assert model.index(0, 0).data() == "Quote"
