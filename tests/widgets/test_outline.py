"""The outline model: a valid Qt model, one row per block, columns' children nested."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from editor.document import (
    Column,
    ColumnsBlock,
    DividerBlock,
    HtmlBlock,
    ImageBlock,
    Newsletter,
    PostsBlock,
    SocialBlock,
    SocialLink,
    SpacerBlock,
    TextBlock,
)
from tests.widgets.conftest import sample_file
from widgets.outline import BLOCK_ID_ROLE, OutlineModel, block_label, block_summary

pytestmark = pytest.mark.gui


def test_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = OutlineModel()
    model.set_newsletter(sample_file().newsletter)
    qtmodeltester.check(model, force_py=True)
    model.set_newsletter(None)
    assert model.rowCount() == 0
    qtmodeltester.check(model, force_py=True)


def test_column_rows_carry_no_block_id() -> None:
    model = OutlineModel()
    columns = ColumnsBlock(ratio="33-33-33", columns=[Column(), Column(), Column()])
    model.set_newsletter(Newsletter(blocks=[columns]))
    parent = model.index(0, 0)
    assert model.block_id(parent) == columns.id
    assert model.rowCount(parent) == 3
    assert [model.index(r, 1, parent).data() for r in range(3)] == ["33 %", "34 %", "33 %"]
    assert model.index(0, 0, parent).data(BLOCK_ID_ROLE) is None
    assert model.block_id(model.index(0, 1, parent)) is None


@pytest.mark.parametrize(
    ("block", "label", "summary"),
    [
        (
            TextBlock(html="<p>Un <em>long</em> texte " + "très " * 30 + "</p>"),
            "Text",
            "Un long texte " + "très " * 8 + "très…",
        ),
        (HtmlBlock(html="<div><script>x()</script>Promo</div>"), "HTML", "Promo"),
        (ImageBlock(src="https://cdn.example/a/photo.jpg"), "Image", "photo.jpg"),
        (ImageBlock(alt="Le chat"), "Image", "Le chat"),
        (ImageBlock(), "Image", "(no alt text)"),
        (DividerBlock(thickness=2, width_percent=50), "Divider", "2 px, 50 %"),
        (SpacerBlock(height=40), "Spacer", "40 px"),
        (ColumnsBlock(ratio="33-67"), "Columns", "33 / 67"),
        (
            PostsBlock(feed_url="https://blog.example/feed", count=4),
            "Latest posts",
            "4 posts from blog.example",
        ),
        (PostsBlock(), "Latest posts", "3 posts from no feed"),
        (
            SocialBlock(links=[SocialLink("instagram", "x"), SocialLink("email", "a@b.c")]),
            "Social links",
            "Instagram, Email",
        ),
    ],
)
def test_labels_and_summaries(block: object, label: str, summary: str) -> None:
    assert block_label(block) == label  # type: ignore[arg-type]
    assert block_summary(block) == summary  # type: ignore[arg-type]


def test_rows_show_their_block_types_icon() -> None:
    from editor.blocks.registry import type_of

    model = OutlineModel()
    image = ImageBlock(alt="x")
    columns = ColumnsBlock(columns=[Column([image]), Column()])
    model.set_newsletter(Newsletter(blocks=[SpacerBlock(), columns]))
    for index in (model.index(0, 0), model.index(0, 0, model.index(0, 0, model.index(1, 0)))):
        assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
    child = model.index(0, 0, model.index(0, 0, model.index(1, 0)))
    assert model.block_id(child) == image.id
    assert type_of(image).icon_file.name == "image.svg"
    assert model.index(0, 0, model.index(1, 0)).data(Qt.ItemDataRole.DecorationRole) is None
