"""The starter newsletters shipped in resources/starters (built by tools/make_starters.py)."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict

import pytest
from PIL import Image

from editor import cli, findings, richtext
from editor.document import (
    FORMAT_VERSION,
    ButtonBlock,
    FooterBlock,
    HeadingBlock,
    ImageBlock,
    Newsletter,
    TextBlock,
    from_json,
    to_json,
)
from editor.render.engine import Renderer
from editor.starters import create, list_starters, starters_dir

STARTERS = list_starters()
NAMES = [s.name for s in STARTERS]
IMAGE_REF = re.compile(r"images/[0-9a-f]{64}\.(png|jpg)")


def _doc(name: str) -> Newsletter:
    return create(name).newsletter


def test_there_are_at_least_four_themes_in_both_languages() -> None:
    themes: dict[str, set[str]] = defaultdict(set)
    for name in NAMES:
        theme, _, lang = name.rpartition("-")
        themes[theme].add(lang)
    assert len(themes) >= 4
    for theme, langs in themes.items():
        assert langs == {"fr", "en"}, theme


def test_names_are_single_unique_words() -> None:
    assert len(NAMES) >= 8
    for name in NAMES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", name), name
    assert len({n.lower() for n in NAMES}) == len(NAMES)


@pytest.mark.parametrize("starter", STARTERS, ids=NAMES)
def test_descriptions_are_one_line_in_both_languages(starter) -> None:
    for description in (starter.description_fr, starter.description_en):
        assert description.strip() == description
        assert 10 < len(description) <= 100
        assert "\n" not in description
    assert starter.description_fr != starter.description_en


@pytest.mark.parametrize("name", NAMES)
def test_starter_loads_and_is_complete(name: str) -> None:
    doc = _doc(name)
    doc.validate()
    assert doc.language == name.rsplit("-", 1)[1]
    assert doc.subject.strip() and doc.preheader.strip()
    assert doc.subject != doc.preheader
    assert doc.sender.name.strip()
    for address in (doc.sender.email, doc.sender.reply_to):
        assert re.fullmatch(r"[a-z.-]+@[a-z-]+\.example", address), address
    footer = doc.footer
    assert isinstance(footer, FooterBlock)
    assert doc.blocks[-1] is footer
    assert footer.company.strip() and footer.reason.strip()
    assert len(footer.address.strip().splitlines()) >= 2
    kinds = {type(b) for b in doc.walk()}
    assert {HeadingBlock, TextBlock, ImageBlock, ButtonBlock} <= kinds


@pytest.mark.parametrize("name", NAMES)
def test_fresh_ids_on_every_creation(name: str) -> None:
    first = {b.id for b in _doc(name).walk()}
    second = {b.id for b in _doc(name).walk()}
    assert not first & second


@pytest.mark.parametrize("name", NAMES)
def test_json_is_in_the_current_canonical_form(name: str) -> None:
    data = json.loads((starters_dir() / f"{name}.json").read_text(encoding="utf-8"))
    meta = data.pop("starter")
    assert set(meta) == {"description_fr", "description_en"}
    assert data["version"] == FORMAT_VERSION
    assert to_json(from_json(json.loads(json.dumps(data)))) == data


@pytest.mark.parametrize("name", NAMES)
def test_rich_text_is_already_clean(name: str) -> None:
    """What the composer's editor would keep: nothing changes when the text is edited."""
    for block in _doc(name).walk():
        if isinstance(block, TextBlock):
            assert richtext.clean(block.html) == block.html


@pytest.mark.parametrize("name", NAMES)
def test_every_image_exists_and_has_alt_text(name: str) -> None:
    bulletin = create(name)
    images = [b for b in bulletin.newsletter.walk() if isinstance(b, ImageBlock)]
    assert images
    for block in images:
        assert IMAGE_REF.fullmatch(block.src), block.src
        assert (starters_dir() / block.src).is_file()
        assert len(block.alt.strip()) >= 15, block.src
        with Image.open(io.BytesIO(bulletin.images[block.src])) as img:
            img.verify()
    assert set(bulletin.images) == {b.src for b in images}


def test_image_files_are_all_used_and_reasonably_small() -> None:
    used = {b.src for name in NAMES for b in _doc(name).walk() if isinstance(b, ImageBlock)}
    files = {f"images/{p.name}" for p in (starters_dir() / "images").iterdir()}
    assert files == used
    sizes = [(starters_dir() / ref).stat().st_size for ref in files]
    assert max(sizes) <= 80 * 1024
    assert sum(sizes) <= 800 * 1024


@pytest.mark.parametrize("name", NAMES)
def test_renders_without_warnings(name: str) -> None:
    doc = _doc(name)
    bulletin = create(name)
    rendered = Renderer(bulletin.images).render(doc)
    # The only acceptable warning: the feed of a latest-posts block was never fetched here.
    assert [f for f in rendered.findings if f.code != findings.POSTS_EMPTY] == []
    html = rendered.html_for()
    text = rendered.text_for()
    for part in (html, text):
        assert "{{" not in part and "BMT" not in part
        assert "lorem" not in part.lower()
    assert "Marie" in text  # the greeting is personalised
    assert doc.footer is not None and doc.footer.company.split()[0] in text


def test_templates_command_lists_each_starter_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.run(["templates"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(STARTERS)
    for starter, line in zip(STARTERS, lines, strict=True):
        assert line.startswith(starter.name + " ")
        assert line.endswith(starter.description_en)  # tests run with BULLETIN_LANG=en
