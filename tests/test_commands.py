"""Document commands: each applies itself and returns its exact inverse (editor/commands.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import fields
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from editor import richtext
from editor.commands import (
    Command,
    Composite,
    DuplicateBlock,
    InsertBlock,
    MoveBlock,
    RemoveBlock,
    SetBlockField,
    SetColumnsRatio,
    SetDocumentField,
    SetRichText,
    gap_to_path,
    insert_new,
)
from editor.document import (
    COLUMN_RATIOS,
    SOCIAL_NETWORKS,
    Block,
    ButtonBlock,
    Column,
    ColumnsBlock,
    DividerBlock,
    DocumentError,
    FooterBlock,
    HeadingBlock,
    HtmlBlock,
    ImageBlock,
    Newsletter,
    PostsBlock,
    SocialBlock,
    SocialLink,
    SpacerBlock,
    TextBlock,
    from_json,
    to_json,
)
from editor.i18n import set_language
from editor.locate import BlockPath, block_at, container, find_block, locate, subtree
from editor.starters import list_starters

STARTERS = {s.name: s.path for s in list_starters()}


def dump(doc: Newsletter) -> str:
    return json.dumps(to_json(doc), sort_keys=True)


def starter(name: str) -> Newsletter:
    data = json.loads(STARTERS[name].read_text(encoding="utf-8"))
    data.pop("starter")
    return from_json(data)


def small() -> Newsletter:
    """h1, t1, c1 [[i1, b1], [s1]], d1, f1."""
    return Newsletter(
        subject="Hello",
        blocks=[
            HeadingBlock(id="h1", text="Title"),
            TextBlock(id="t1", html="<p>Body</p>"),
            ColumnsBlock(
                id="c1",
                columns=[
                    Column([ImageBlock(id="i1"), ButtonBlock(id="b1", label="Go")]),
                    Column([SpacerBlock(id="s1")]),
                ],
            ),
            DividerBlock(id="d1"),
            FooterBlock(id="f1"),
        ],
    )


def ids(blocks: list[Block]) -> list[str]:
    return [b.id for b in blocks]


def roundtrip(doc: Newsletter, command: Command) -> str:
    """Apply, undo, redo (both ways): every state byte-identical to the one it stands for."""
    before = dump(doc)
    inverse = command.apply(doc)
    after = dump(doc)
    doc.validate()
    redo = inverse.apply(doc)
    assert dump(doc) == before
    again = redo.apply(doc)
    assert dump(doc) == after
    again.apply(doc)
    assert dump(doc) == before
    command.apply(doc)  # the Qt stack's redo() re-applies the original command
    assert dump(doc) == after
    return after


def unchanged(doc: Newsletter, command: Command, match: str = "") -> None:
    """The command raises DocumentError and leaves the document exactly as it was."""
    before = dump(doc)
    with pytest.raises(DocumentError, match=match):
        command.apply(doc)
    assert dump(doc) == before


# ----------------------------------------------------------------------------------- locate


def test_locate_top_level_and_columns() -> None:
    doc = small()
    assert locate(doc, "t1") == BlockPath.top(1)
    assert locate(doc, "b1") == BlockPath.inside("c1", 0, 1)
    assert locate(doc, "s1") == BlockPath(0, "c1", 1)
    assert container(doc, locate(doc, "b1")) is doc.blocks[2].columns[0].blocks  # type: ignore[attr-defined]
    assert find_block(doc, "s1").TYPE == "spacer"
    assert block_at(doc, BlockPath(4)).id == "f1"
    assert BlockPath(2).same_container(BlockPath(0, None, 3))
    assert not BlockPath(2, "c1", 0).same_container(BlockPath(2, "c1", 1))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: locate(d, "nope"), 'No block has the id "nope"'),
        (lambda d: container(d, BlockPath(0, "nope", 0)), 'No block has the id "nope"'),
        (lambda d: container(d, BlockPath(0, "h1", 0)), "is not a columns block"),
        (lambda d: container(d, BlockPath(0, "c1", 2)), "has no column 3"),
        (lambda d: block_at(d, BlockPath(5)), "out of range"),
        (lambda d: block_at(d, BlockPath(-1)), "out of range"),
        (lambda d: block_at(d, BlockPath(1, "c1", 1)), "out of range"),
    ],
)
def test_locate_errors(call: Callable[[Newsletter], Any], message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        call(small())


def test_errors_speak_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_LANG", "fr")
    set_language("fr")
    with pytest.raises(DocumentError, match="Aucun bloc n'a l'identifiant « nope »"):
        locate(small(), "nope")
    assert RemoveBlock("x").label == "Supprimer le bloc"
    monkeypatch.setenv("BULLETIN_LANG", "en")
    set_language("en")
    assert RemoveBlock("x").label == "Delete block"


# ---------------------------------------------------------------------------- insert/remove


@pytest.mark.parametrize(
    "path", [BlockPath(0), BlockPath(3), BlockPath(4), BlockPath(2, "c1", 0), BlockPath(0, "c1", 1)]
)
def test_insert_then_undo(path: BlockPath) -> None:
    doc = small()
    block = HeadingBlock(id="new", text="Hi")
    roundtrip(doc, InsertBlock(path, block))
    assert locate(doc, "new") == path
    assert container(doc, path)[path.index] is not block  # the command keeps its own copy


def test_insert_stores_canonical_values() -> None:
    doc = small()
    InsertBlock(BlockPath(0), DividerBlock(id="n", color="#ABCDEF")).apply(doc)
    assert find_block(doc, "n").color == "#abcdef"  # type: ignore[attr-defined]


def test_insert_a_columns_block_with_children() -> None:
    doc = small()
    block = ColumnsBlock(id="c2", columns=[Column([TextBlock(id="t2")]), Column()])
    inverse = InsertBlock(BlockPath(1), block).apply(doc)
    assert inverse == RemoveBlock("c2")
    assert locate(doc, "t2") == BlockPath(0, "c2", 0)


@pytest.mark.parametrize(
    ("path", "block", "message"),
    [
        (BlockPath(6), HeadingBlock(id="n"), "out of range"),
        (BlockPath(5), HeadingBlock(id="n"), "Nothing can go after the footer"),
        (BlockPath(5), FooterBlock(id="n"), "already has a footer"),
        (BlockPath(0), FooterBlock(id="n"), "already has a footer"),
        (BlockPath(-1), HeadingBlock(id="n"), "out of range"),
        (BlockPath(3, "c1", 0), HeadingBlock(id="n"), "out of range"),
        (BlockPath(0, "c1", 2), HeadingBlock(id="n"), "has no column 3"),
        (BlockPath(0, "zz", 0), HeadingBlock(id="n"), "No block has the id"),
        (BlockPath(0, "h1", 0), HeadingBlock(id="n"), "not a columns block"),
        (BlockPath(0, "c1", 0), FooterBlock(id="n"), "cannot hold columns or a footer"),
        (BlockPath(0, "c1", 0), ColumnsBlock(id="n"), "cannot hold columns or a footer"),
        (BlockPath(0), HeadingBlock(id="h1"), 'id "h1" is already in use'),
        (
            BlockPath(0),
            ColumnsBlock(id="n", columns=[Column([TextBlock(id="b1")]), Column()]),
            'id "b1" is already in use',
        ),
        (
            BlockPath(0),
            ColumnsBlock(id="n", columns=[Column([TextBlock(id="n")]), Column()]),
            "duplicate block id",
        ),
        (BlockPath(0), HeadingBlock(id="bad id!"), "invalid"),
        (BlockPath(0), HeadingBlock(id="n", level=7), "level 1, 2 or 3"),
        (BlockPath(0), HeadingBlock(id="n", text=3), "unexpected value type"),  # type: ignore[arg-type]
        (BlockPath(0), HeadingBlock(id=7), "unexpected value type"),  # type: ignore[arg-type]
        (BlockPath(0), DividerBlock(id="n", color="red"), "not a valid #RRGGBB"),
        (BlockPath(0), ColumnsBlock(id="n", columns=[Column()]), "needs 2 columns"),
        (
            BlockPath(0),
            ColumnsBlock(id="n", columns=[Column([FooterBlock(id="x")]), Column()]),
            "cannot hold columns or a footer",
        ),
    ],
)
def test_insert_refused_changes_nothing(path: BlockPath, block: Block, message: str) -> None:
    unchanged(small(), InsertBlock(path, block), message)


@pytest.mark.parametrize(
    ("type_name", "after", "path"),
    [
        ("heading", None, BlockPath(4)),  # before the final footer
        ("text", "h1", BlockPath(1)),
        ("text", "f1", BlockPath(4)),  # after the footer: just before it
        ("divider", "c1", BlockPath(3)),
        ("image", "i1", BlockPath(1, "c1", 0)),
        ("spacer", "s1", BlockPath(1, "c1", 1)),
        ("columns", "i1", BlockPath(3)),  # a column cannot hold it: after the columns block
    ],
)
def test_insert_new(type_name: str, after: str | None, path: BlockPath) -> None:
    doc = small()
    command = insert_new(doc, type_name, after)
    assert (command.block.TYPE, command.path) == (type_name, path)
    roundtrip(doc, command)
    assert block_at(doc, path).id == command.block.id


def test_a_new_footer_goes_last_and_a_second_one_is_refused() -> None:
    doc = small()
    for after in (None, "f1", "s1", "h1"):
        command = insert_new(doc, "footer", after)
        assert command.path == BlockPath(5)
        unchanged(doc, command, "already has a footer")
    RemoveBlock("f1").apply(doc)
    command = insert_new(doc, "footer", "h1")
    assert command.path == BlockPath(4)
    roundtrip(doc, command)


def test_insert_new_at_the_end_without_footer_and_unknown_type() -> None:
    doc = Newsletter(blocks=[HeadingBlock(id="h")])
    assert insert_new(doc, "divider").path == BlockPath(1)
    assert insert_new(Newsletter(), "divider").path == BlockPath(0)
    with pytest.raises(DocumentError, match='Unknown block type "nope"'):
        insert_new(doc, "nope")
    with pytest.raises(DocumentError, match="No block has the id"):
        insert_new(doc, "text", "zz")


@pytest.mark.parametrize("block_id", ["h1", "f1", "b1", "s1", "c1"])
def test_remove_then_undo(block_id: str) -> None:
    doc = small()
    path = locate(doc, block_id)
    inverse = RemoveBlock(block_id).apply(doc)
    assert isinstance(inverse, InsertBlock) and inverse.path == path
    assert doc.find(block_id) is None
    inverse.apply(doc)
    assert dump(doc) == dump(small())
    roundtrip(doc, RemoveBlock(block_id))


def test_undoing_a_removal_restores_the_block_verbatim() -> None:
    # A document built in code may hold values loading would have made canonical.
    doc = Newsletter(blocks=[DividerBlock(id="d", color="#ABCDEF")])
    before = dump(doc)
    RemoveBlock("d").apply(doc).apply(doc)
    assert dump(doc) == before


def test_commands_never_share_blocks_with_the_document() -> None:
    doc = small()
    inverse = RemoveBlock("h1").apply(doc)
    assert isinstance(inverse, InsertBlock)
    inverse.apply(doc)
    SetBlockField("h1", "text", "changed").apply(doc)
    assert inverse.block.text == "Title"  # type: ignore[attr-defined]
    insert = InsertBlock(BlockPath(0), HeadingBlock(id="n", text="a"))
    insert.apply(doc)
    SetBlockField("n", "text", "b").apply(doc)
    assert insert.block.text == "a"  # type: ignore[attr-defined]


def test_remove_columns_takes_children_and_undo_brings_them_back() -> None:
    doc = small()
    RemoveBlock("c1").apply(doc).apply(doc)
    assert locate(doc, "s1") == BlockPath(0, "c1", 1)
    RemoveBlock("c1").apply(doc)
    assert {"i1", "b1", "s1"}.isdisjoint(ids(doc.walk()))


def test_remove_missing_block() -> None:
    unchanged(small(), RemoveBlock("nope"), "No block has the id")


# -------------------------------------------------------------------------------------- move


def test_move_index_is_the_final_position_in_the_same_container() -> None:
    doc = Newsletter(blocks=[HeadingBlock(id=x) for x in "aBcde"])
    roundtrip(doc, MoveBlock("B", BlockPath(3)))
    assert ids(doc.blocks) == ["a", "c", "d", "B", "e"]
    MoveBlock("B", BlockPath(4)).apply(doc)
    assert ids(doc.blocks) == ["a", "c", "d", "e", "B"]
    MoveBlock("B", BlockPath(0)).apply(doc)
    assert ids(doc.blocks) == ["B", "a", "c", "d", "e"]
    unchanged(doc, MoveBlock("B", BlockPath(5)), "out of range")  # 0..4 without the block
    inverse = MoveBlock("B", BlockPath(0)).apply(doc)  # moving in place is a no-op
    assert inverse == MoveBlock("B", BlockPath(0), verbatim=True)
    assert ids(doc.blocks) == ["B", "a", "c", "d", "e"]


def test_gap_to_path_counts_the_drop_with_the_block_in_place() -> None:
    doc = Newsletter(blocks=[HeadingBlock(id=x) for x in "aBcde"])
    assert gap_to_path(doc, "B", BlockPath(4)) == BlockPath(3)  # dropped before "e"
    assert gap_to_path(doc, "B", BlockPath(2)) == BlockPath(1)  # just below itself: stays
    assert gap_to_path(doc, "B", BlockPath(0)) == BlockPath(0)
    assert gap_to_path(doc, "B", BlockPath(5)) == BlockPath(4)
    MoveBlock("B", gap_to_path(doc, "B", BlockPath(4))).apply(doc)
    assert ids(doc.blocks) == ["a", "c", "d", "B", "e"]
    doc = small()
    assert gap_to_path(doc, "h1", BlockPath(2, "c1", 0)) == BlockPath(2, "c1", 0)


@pytest.mark.parametrize(
    ("block_id", "to", "layout"),
    [
        # top level -> column
        ("h1", BlockPath(1, "c1", 1), [["t1", "c1", "d1", "f1"], ["i1", "b1"], ["s1", "h1"]]),
        # column -> top level
        ("b1", BlockPath(0), [["b1", "h1", "t1", "c1", "d1", "f1"], ["i1"], ["s1"]]),
        # between columns
        ("i1", BlockPath(0, "c1", 1), [["h1", "t1", "c1", "d1", "f1"], ["b1"], ["i1", "s1"]]),
        # within a column
        ("i1", BlockPath(1, "c1", 0), [["h1", "t1", "c1", "d1", "f1"], ["b1", "i1"], ["s1"]]),
        # the columns block itself, with its children
        ("c1", BlockPath(3), [["h1", "t1", "d1", "c1", "f1"], ["i1", "b1"], ["s1"]]),
    ],
)
def test_move_between_containers(block_id: str, to: BlockPath, layout: list[list[str]]) -> None:
    doc = small()
    roundtrip(doc, MoveBlock(block_id, to))
    columns = find_block(doc, "c1")
    assert isinstance(columns, ColumnsBlock)
    assert [ids(doc.blocks), *(ids(c.blocks) for c in columns.columns)] == layout
    assert locate(doc, block_id) == to


@pytest.mark.parametrize(
    ("block_id", "to", "message"),
    [
        ("c1", BlockPath(0, "c1", 0), "cannot be put inside itself"),
        ("f1", BlockPath(0, "c1", 0), "cannot hold columns or a footer"),
        ("h1", BlockPath(3, "c1", 0), "out of range"),
        ("i1", BlockPath(2, "c1", 0), "out of range"),  # 0..1 once it has left
        ("i1", BlockPath(6), "out of range"),
        ("h1", BlockPath(0, "c1", 5), "has no column 6"),
        ("h1", BlockPath(0, "d1", 0), "not a columns block"),
        ("h1", BlockPath(0, "h1", 0), "cannot be put inside itself"),
        ("zz", BlockPath(0), "No block has the id"),
        ("f1", BlockPath(0), "footer always stays at the end"),
        ("f1", BlockPath(3), "footer always stays at the end"),
        ("h1", BlockPath(4), "Nothing can go after the footer"),
        ("b1", BlockPath(5), "Nothing can go after the footer"),
        ("c1", BlockPath(4), "Nothing can go after the footer"),
    ],
)
def test_move_refused_changes_nothing(block_id: str, to: BlockPath, message: str) -> None:
    unchanged(small(), MoveBlock(block_id, to), message)


def test_the_footer_moves_only_to_the_end_and_in_place() -> None:
    doc = small()
    RemoveBlock("d1").apply(doc)
    assert MoveBlock("f1", BlockPath(3)).apply(doc) == MoveBlock("f1", BlockPath(3), verbatim=True)
    unchanged(doc, DuplicateBlock("f1", ("f2",)), "already has a footer")


def test_a_file_that_breaks_the_footer_rule_still_undoes_exactly() -> None:
    """An older file with a block after the footer and two footers: moving the stray blocks
    into place works, and every undo gives the file back byte for byte."""
    doc = Newsletter(
        blocks=[
            HeadingBlock(id="h"),
            FooterBlock(id="f"),
            TextBlock(id="t", html="<p>x</p>"),
            FooterBlock(id="g"),
        ]
    )
    roundtrip(doc, MoveBlock("t", BlockPath(0)))  # out from behind the footer
    roundtrip(doc, RemoveBlock("g"))  # the undo puts the second footer back
    roundtrip(doc, RemoveBlock("t"))
    roundtrip(doc, InsertBlock(BlockPath(0), DividerBlock(id="d")))  # before both: fine
    unchanged(doc, MoveBlock("h", BlockPath(2)), "after the footer")
    unchanged(doc, InsertBlock(BlockPath(3), DividerBlock(id="d")), "after the footer")


def test_columns_cannot_go_into_another_columns_block() -> None:
    doc = small()
    InsertBlock(BlockPath(0), ColumnsBlock(id="c2")).apply(doc)
    unchanged(doc, MoveBlock("c2", BlockPath(0, "c1", 0)), "cannot hold columns")


# --------------------------------------------------------------------------------- duplicate


def test_duplicate_is_deterministic() -> None:
    doc = small()
    command = DuplicateBlock("t1", ("t1copy",))
    after = roundtrip(doc, command)
    assert ids(doc.blocks)[:3] == ["h1", "t1", "t1copy"]
    copy = find_block(doc, "t1copy")
    assert isinstance(copy, TextBlock) and copy.html == "<p>Body</p>"
    fresh = small()
    command.apply(fresh)
    assert dump(fresh) == after


def test_duplicate_columns_gives_nested_blocks_the_given_ids() -> None:
    doc = small()
    roundtrip(doc, DuplicateBlock("c1", ("k", "k1", "k2", "k3")))
    copy = doc.blocks[3]
    assert isinstance(copy, ColumnsBlock) and copy.id == "k"
    assert [ids(c.blocks) for c in copy.columns] == [["k1", "k2"], ["k3"]]
    original = find_block(doc, "c1")
    assert isinstance(original, ColumnsBlock)
    assert [ids(c.blocks) for c in original.columns] == [["i1", "b1"], ["s1"]]


def test_duplicate_inside_a_column_stays_in_it() -> None:
    doc = small()
    DuplicateBlock("i1", ("i2",)).apply(doc)
    assert locate(doc, "i2") == BlockPath(1, "c1", 0)


def test_duplicate_of_chooses_fresh_distinct_ids() -> None:
    doc = small()
    command = DuplicateBlock.of(doc, "c1")
    assert len(command.new_ids) == 4 and len(set(command.new_ids)) == 4
    assert set(command.new_ids).isdisjoint(ids(doc.walk()))
    roundtrip(doc, command)


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (DuplicateBlock("c1", ("k",)), "needs 4 ids, 1 given"),
        (DuplicateBlock("t1", ()), "needs 1 ids, 0 given"),
        (DuplicateBlock("t1", ("h1",)), 'id "h1" is already in use'),
        (DuplicateBlock("c1", ("k", "k1", "k1", "k3")), "duplicate block id"),
        (DuplicateBlock("t1", ("no way",)), "invalid"),
        (DuplicateBlock("zz", ("k",)), "No block has the id"),
    ],
)
def test_duplicate_refused_changes_nothing(command: DuplicateBlock, message: str) -> None:
    unchanged(small(), command, message)


# ------------------------------------------------------------------------------------ values


def test_set_block_field_normalises_and_undoes() -> None:
    doc = small()
    after = roundtrip(doc, SetBlockField("b1", "background", "#AbCdEf"))
    assert '"background": "#abcdef"' in after
    roundtrip(doc, SetBlockField("h1", "level", 2))
    assert find_block(doc, "h1").level == 2  # type: ignore[attr-defined]
    roundtrip(doc, SetBlockField("b1", "radius", None))
    roundtrip(doc, SetBlockField("c1", "ratio", "33-67"))


def test_set_block_field_list_value_is_copied() -> None:
    doc = Newsletter(blocks=[SocialBlock(id="s")])
    links = [SocialLink("facebook", "https://facebook.com/x")]
    roundtrip(doc, SetBlockField("s", "links", links))
    links[0].url = "changed"
    links.append(SocialLink())
    block = find_block(doc, "s")
    assert isinstance(block, SocialBlock)
    assert block.links == [SocialLink("facebook", "https://facebook.com/x")]


def test_set_block_field_on_text_html_cleans_it() -> None:
    doc = small()
    SetBlockField("t1", "html", "<b>Hi</b><script>x()</script>").apply(doc)
    assert find_block(doc, "t1").html == richtext.clean("<b>Hi</b><script>x()</script>")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (SetBlockField("b1", "background", "blue"), "not a valid #RRGGBB"),
        (SetBlockField("h1", "level", 4), "level 1, 2 or 3"),
        (SetBlockField("h1", "level", "2"), "unexpected value type"),
        (SetBlockField("h1", "text", 3), "unexpected value type"),
        (SetBlockField("h1", "align", "middle"), "Unknown alignment"),
        (SetBlockField("c1", "ratio", "33-33-33"), "needs 3 columns"),
        (SetBlockField("h1", "id", "h9"), 'Property "id" cannot be set'),
        (SetBlockField("c1", "columns", []), 'Property "columns" cannot be set'),
        (SetBlockField("h1", "html", ""), 'Property "html" cannot be set'),
        (SetBlockField("zz", "text", ""), "No block has the id"),
    ],
)
def test_set_block_field_refused_changes_nothing(command: SetBlockField, message: str) -> None:
    unchanged(small(), command, message)


def test_set_rich_text_stores_what_the_renderer_keeps() -> None:
    doc = small()
    raw = '<p onclick="x()">Hi <b>you</b> <a href="javascript:evil()">x</a></p><script>1</script>'
    roundtrip(doc, SetRichText("t1", raw))
    stored = find_block(doc, "t1").html  # type: ignore[attr-defined]
    assert stored == richtext.clean(raw)
    assert "script" not in stored and "javascript" not in stored and "onclick" not in stored


def test_undoing_rich_text_restores_the_old_html_verbatim() -> None:
    raw = "<b>not   clean</b>"  # a document built in code may hold html clean() would change
    doc = Newsletter(blocks=[TextBlock(id="t", html=raw)])
    inverse = SetRichText("t", "<p>new</p>").apply(doc)
    inverse.apply(doc)
    assert find_block(doc, "t").html == raw  # type: ignore[attr-defined]


def test_set_rich_text_refused() -> None:
    unchanged(small(), SetRichText("h1", "<p>x</p>"), "not a text block")
    unchanged(small(), SetRichText("zz", "<p>x</p>"), "No block has the id")


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("subject", "New subject", "New subject"),
        ("preheader", "Inside", "Inside"),
        ("language", "en", "en"),
        ("sender.email", "a@example.org", "a@example.org"),
        ("sender.unsubscribe_url", "https://x.example/u?e={{ email }}", None),
        ("theme.font_size", 18, 18),
        ("theme.link_color", "#ABC", "#abc"),
        ("theme.body_font", "Verdana, sans-serif", None),
        ("theme.button.radius", 0, 0),
        ("theme.button.background", "#FF0000", "#ff0000"),
    ],
)
def test_set_document_field(path: str, value: Any, expected: Any) -> None:
    doc = small()
    roundtrip(doc, SetDocumentField(path, value))
    current: Any = doc
    for step in path.split("."):
        current = getattr(current, step)
    assert current == (value if expected is None else expected)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("language", "de", "Unknown language"),
        ("subject", None, "unexpected value type"),
        ("theme.font_size", 30, "between 12 and 24"),
        ("theme.content_width", 100, "between 320 and 900"),
        ("theme.text_color", "black", "not a valid #RRGGBB"),
        ("theme.heading_font", "x; } body {", "not a valid font list"),
        ("theme.button.radius", 99, "between 0 and 50"),
        ("theme.button.radius", None, "unexpected value type"),  # only a button block's may be
        ("theme.button", None, 'Setting "theme.button" cannot be set'),
        ("theme", None, 'Setting "theme" cannot be set'),
        ("sender", None, 'Setting "sender" cannot be set'),
        ("blocks", [], 'Setting "blocks" cannot be set'),
        ("version", 3, 'Unknown setting "version"'),
        ("theme.nope", 1, 'Unknown setting "theme.nope"'),
        ("blocks.0.text", "x", "Unknown setting"),
        ("sender.name.x", "x", "Unknown setting"),
    ],
)
def test_set_document_field_refused_changes_nothing(path: str, value: Any, message: str) -> None:
    unchanged(small(), SetDocumentField(path, value), message)


def test_labels_name_what_changed() -> None:
    assert SetDocumentField("theme.button.radius", 1).label == "Edit theme"
    assert SetDocumentField("sender.name", "x").label == "Edit sender"
    assert SetDocumentField("subject", "x").label == "Edit subject"
    assert InsertBlock(BlockPath(0), HeadingBlock()).label == "Add block"
    assert MoveBlock("x", BlockPath(0)).label == "Move block"
    assert DuplicateBlock("x", ()).label == "Duplicate block"
    assert SetRichText("x", "").label == "Edit text"


# ------------------------------------------------------------------------------ column ratio


def test_columns_ratio_grow_adds_an_empty_column() -> None:
    doc = small()
    roundtrip(doc, SetColumnsRatio("c1", "25-50-25"))
    block = find_block(doc, "c1")
    assert isinstance(block, ColumnsBlock)
    assert block.ratio == "25-50-25"
    assert [ids(c.blocks) for c in block.columns] == [["i1", "b1"], ["s1"], []]


def test_columns_ratio_shrink_moves_blocks_into_the_last_column_kept() -> None:
    doc = small()
    block = ColumnsBlock(
        id="c3",
        ratio="33-33-33",
        columns=[Column([TextBlock(id="a")]), Column([TextBlock(id="b")]), Column()],
    )
    InsertBlock(BlockPath(0), block).apply(doc)
    MoveBlock("b", BlockPath(0, "c3", 2)).apply(doc)
    MoveBlock("s1", BlockPath(1, "c3", 2)).apply(doc)
    roundtrip(doc, SetColumnsRatio("c3", "67-33"))
    shrunk = find_block(doc, "c3")
    assert isinstance(shrunk, ColumnsBlock) and shrunk.ratio == "67-33"
    assert [ids(c.blocks) for c in shrunk.columns] == [["a"], ["b", "s1"]]


def test_columns_ratio_same_count_only_changes_the_ratio() -> None:
    doc = small()
    inverse = SetColumnsRatio("c1", "75-25").apply(doc)
    assert find_block(doc, "c1").ratio == "75-25"  # type: ignore[attr-defined]
    assert inverse.label == "Change column layout"
    inverse.apply(doc)
    assert dump(doc) == dump(small())


def test_columns_ratio_refused() -> None:
    unchanged(small(), SetColumnsRatio("c1", "10-90"), "Unknown column ratio")
    unchanged(small(), SetColumnsRatio("h1", "50-50"), "not a columns block")


# --------------------------------------------------------------------------------- composite


def test_composite_applies_and_undoes_as_one_step() -> None:
    doc = small()
    macro = Composite(
        "Style",
        (
            MoveBlock("h1", BlockPath(0, "c1", 1)),
            SetBlockField("h1", "align", "center"),
            SetDocumentField("theme.font_size", 14),
        ),
    )
    roundtrip(doc, macro)
    assert locate(doc, "h1") == BlockPath(0, "c1", 1)
    inverse = macro.apply(small())
    assert isinstance(inverse, Composite) and inverse.label == "Style"


def test_composite_failing_step_undoes_the_steps_before() -> None:
    doc = small()
    macro = Composite(
        "Broken",
        (
            RemoveBlock("h1"),
            MoveBlock("t1", BlockPath(0, "c1", 0)),
            SetBlockField("b1", "background", "not a colour"),
            RemoveBlock("d1"),
        ),
    )
    unchanged(doc, macro, "not a valid #RRGGBB")


def test_nested_composites() -> None:
    doc = small()
    inner = Composite("a", (DuplicateBlock("t1", ("t2",)), MoveBlock("t2", BlockPath(0))))
    roundtrip(doc, Composite("b", (inner, SetRichText("t2", "<p>copy</p>"))))
    assert ids(doc.blocks)[:3] == ["t2", "h1", "t1"]


# -------------------------------------------------------------------------------- hypothesis

_ALIGN = st.sampled_from(["left", "center", "right"])
_SHORT = st.text(max_size=8)
_HTML_PARTS = st.sampled_from(
    ["<p>", "</p>", "<b>", "</b>", "<em>", "<ul><li>", "</li></ul>", "<br>", "Bonjour ", "x",
     "{{ first_name }}", '<a href="https://e.example">', "</a>", "<script>1</script>", "&amp;",
     "\n\n", "  ", '<span style="font-weight:700">', "</span>", "<h2>", "</h2>", "é"]
)  # fmt: skip
_HTML = st.lists(_HTML_PARTS, max_size=8).map("".join)
_SIMPLE: st.SearchStrategy[Block] = st.one_of(
    st.builds(HeadingBlock, text=_SHORT, level=st.sampled_from([1, 2, 3]), align=_ALIGN),
    st.builds(TextBlock, html=_HTML.map(richtext.clean), align=_ALIGN),
    st.builds(ImageBlock, alt=_SHORT, width=st.integers(0, 600)),
    st.builds(
        ButtonBlock,
        label=_SHORT,
        background=st.sampled_from(["", "#123abc"]),
        radius=st.one_of(st.none(), st.integers(0, 50)),
    ),
    st.builds(DividerBlock, thickness=st.integers(1, 10)),
    st.builds(SpacerBlock, height=st.integers(4, 200)),
    st.builds(
        SocialBlock,
        links=st.lists(
            st.builds(SocialLink, network=st.sampled_from(SOCIAL_NETWORKS), url=_SHORT), max_size=2
        ),
    ),
    st.builds(PostsBlock, count=st.integers(1, 10)),
    st.builds(HtmlBlock, html=_SHORT),
)


def _columns_of(ratio: str) -> st.SearchStrategy[Block]:
    n = len(COLUMN_RATIOS[ratio])
    return st.lists(st.lists(_SIMPLE, max_size=3), min_size=n, max_size=n).map(
        lambda cols: ColumnsBlock(ratio=ratio, columns=[Column(c) for c in cols])
    )


_COLUMNS = st.sampled_from(sorted(COLUMN_RATIOS)).flatmap(_columns_of)
_TOP = st.one_of(_SIMPLE, _COLUMNS, st.builds(FooterBlock, company=_SHORT))


@st.composite
def generated(draw: st.DrawFn) -> Newsletter:
    doc = Newsletter(subject=draw(_SHORT), blocks=draw(st.lists(_TOP, max_size=8)))
    for number, block in enumerate(doc.walk()):
        block.id = f"g{number}"
    return from_json(to_json(doc))


_SET_PATHS = [
    "subject", "preheader", "language", "sender.name", "sender.email", "sender.reply_to",
    "sender.unsubscribe_url", "theme.content_width", "theme.page_background",
    "theme.content_background", "theme.body_font", "theme.heading_font", "theme.text_color",
    "theme.link_color", "theme.heading_color", "theme.font_size", "theme.button.background",
    "theme.button.color", "theme.button.radius", "theme.button", "blocks", "nope",
]  # fmt: skip
_STRINGS = st.one_of(
    _SHORT,
    st.sampled_from(
        ["", "left", "center", "right", "middle", "#ABC", "#a1b2c3", "#GGGGGG", "fr", "en", "de",
         "https://example.org/x", "images/nope.png", "50-50", "33-67", "33-33-33", "dark",
         "Verdana, sans-serif", "x;}{"]
    ),
)  # fmt: skip
_ANY = st.one_of(
    _STRINGS, st.integers(-5, 2100), st.booleans(), st.none(),
    st.lists(st.builds(SocialLink, network=st.sampled_from([*SOCIAL_NETWORKS, "myspace"])),
             max_size=2),
)  # fmt: skip


_COLOURS = st.sampled_from(["#ABC", "#a1b2c3", "#FFFFFF", "#0f0f0f"])
# Values usually valid for a field, by name (the blocks' and the newsletter's fields).
_VALID: dict[str, st.SearchStrategy[Any]] = {
    **dict.fromkeys(
        ["background", "color", "page_background", "content_background", "text_color",
         "link_color", "heading_color"],
        _COLOURS,
    ),
    "align": _ALIGN,
    "language": st.sampled_from(["fr", "en"]),
    "body_font": st.sampled_from(["Verdana, sans-serif", "'Open Sans', Arial"]),
    "heading_font": st.sampled_from(["Georgia, serif", "Tahoma"]),
    "font_size": st.integers(12, 24),
    "content_width": st.integers(320, 900),
    "radius": st.integers(0, 50),
    "level": st.integers(1, 3),
    "width": st.integers(0, 2000),
    "height": st.integers(4, 200),
    "thickness": st.integers(1, 10),
    "width_percent": st.integers(10, 100),
    "count": st.integers(1, 10),
    "size": st.sampled_from([24, 32, 40, 48]),
    "icon_style": st.sampled_from(["color", "dark", "light"]),
    "ratio": st.sampled_from(sorted(COLUMN_RATIOS)),
    "src": st.sampled_from(["", "https://example.org/a.png"]),
    "feed_url": st.sampled_from(["", "https://example.org/feed"]),
}  # fmt: skip


def _value_like(name: str, current: Any) -> st.SearchStrategy[Any]:
    """Mostly a value usually valid for field ``name``, else of its kind, sometimes anything."""
    if isinstance(current, bool):
        own: st.SearchStrategy[Any] = st.booleans()
    elif isinstance(current, int) or current is None:
        own = st.one_of(st.integers(-5, 2100), st.none())
    elif isinstance(current, str):
        own = _STRINGS
    else:
        own = _ANY
    valid = _VALID.get(name, own)
    return st.one_of(valid, valid, own, _ANY)


class Ops:
    """Draws commands against the document as it is now: mostly valid, some not."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.fresh: Iterator[int] = count()

    def draw(self, strategy: st.SearchStrategy[Any]) -> Any:
        return self.data.draw(strategy)

    def new_id(self, doc: Newsletter) -> str:
        existing = [b.id for b in doc.walk()]
        if existing and self.draw(st.sampled_from([False] * 19 + [True])):
            return str(self.draw(st.sampled_from(existing)))  # a clash, refused
        return f"n{next(self.fresh)}"

    def block_id(self, doc: Newsletter, kind: type[Block] = Block) -> str:
        """Any block's id or a missing one; usually one of type ``kind`` when there is one."""
        typed = [b.id for b in doc.walk() if isinstance(b, kind)]
        if typed and self.draw(st.sampled_from([True, True, True, False])):
            return str(self.draw(st.sampled_from(typed)))
        return str(self.draw(st.sampled_from([*(b.id for b in doc.walk()), "missing"])))

    def target(self, doc: Newsletter) -> BlockPath:
        slots: list[tuple[str | None, int, int]] = [(None, 0, len(doc.blocks))]
        for block in doc.blocks:
            if isinstance(block, ColumnsBlock):
                slots += [(block.id, k, len(c.blocks)) for k, c in enumerate(block.columns)]
                slots.append((block.id, len(block.columns), 0))  # no such column
        columns_id, column, size = self.draw(st.sampled_from(slots))
        return BlockPath(self.draw(st.integers(-1, size + 1)), columns_id, column)

    def command(self, doc: Newsletter, depth: int = 0) -> Command:
        kind = self.draw(st.sampled_from(
            ["insert", "remove", "move", "move", "duplicate", "field", "field", "rich", "doc",
             "ratio", "composite" if depth == 0 else "move"]
        ))  # fmt: skip
        if kind == "insert":
            block = self.draw(_TOP)
            for inner in [block, *(b for c in getattr(block, "columns", []) for b in c.blocks)]:
                inner.id = self.new_id(doc)
            return InsertBlock(self.target(doc), block)
        if kind == "remove":
            return RemoveBlock(self.block_id(doc))
        if kind == "move":
            return MoveBlock(self.block_id(doc), self.target(doc))
        if kind == "duplicate":
            block_id = self.block_id(doc)
            found = doc.find(block_id)
            size = len(list(subtree(found))) if found else 1
            size += self.draw(st.sampled_from([0, 0, 0, 0, 1, -1]))
            return DuplicateBlock(block_id, tuple(self.new_id(doc) for _ in range(max(size, 0))))
        if kind == "field":
            block_id = self.block_id(doc)
            found = doc.find(block_id)
            names = (
                [f.name for f in fields(found) if f.name not in ("id", "columns")]
                if found
                else ["x"]
            )
            name = self.draw(st.sampled_from(names))
            value = self.draw(_value_like(name, getattr(found, name, "")))
            return SetBlockField(block_id, name, value)
        if kind == "rich":
            return SetRichText(self.block_id(doc, TextBlock), self.draw(_HTML))
        if kind == "doc":
            path = self.draw(st.sampled_from(_SET_PATHS))
            current: Any = doc
            for step in path.split("."):
                current = getattr(current, step, "")
            return SetDocumentField(path, self.draw(_value_like(path.rpartition(".")[2], current)))
        if kind == "ratio":
            return SetColumnsRatio(
                self.block_id(doc, ColumnsBlock),
                self.draw(st.sampled_from([*COLUMN_RATIOS, "1-2"])),
            )
        steps = [self.command(doc, depth + 1) for _ in range(self.draw(st.integers(1, 3)))]
        return Composite("macro", tuple(steps))


def keeps_footer_rule(doc: Newsletter) -> bool:
    """One footer at most, last of the top level (columns never hold one: validated)."""
    footers = [i for i, b in enumerate(doc.blocks) if isinstance(b, FooterBlock)]
    return footers in ([], [len(doc.blocks) - 1])


class BareStack:
    """A QUndoStack without Qt, wrapping each command one to one as the composer will.

    ``redo()`` re-applies the pushed command and keeps the inverse it returns, ``undo()``
    applies that inverse; pushing after undos drops the undone entries. Every step checks the
    document's JSON against the state recorded when the entry was first done.
    """

    def __init__(self, doc: Newsletter) -> None:
        self.doc = doc
        self.entries: list[list[Any]] = []  # [command, inverse, JSON before, JSON after]
        self.index = 0

    def push(self, command: Command) -> None:
        before = dump(self.doc)
        before_doc = from_json(json.loads(before))
        try:
            inverse = command.apply(self.doc)
        except DocumentError:
            assert dump(self.doc) == before, command  # refused commands change nothing
            event(f"refused {type(command).__name__}")
            return
        event(f"applied {type(command).__name__}")
        if keeps_footer_rule(before_doc):
            assert keeps_footer_rule(self.doc), command  # no command breaks it
        after = dump(self.doc)
        self.doc.validate()
        assert dump(self.doc) == after  # valid, and validation does not touch it
        del self.entries[self.index :]
        self.entries.append([command, inverse, before, after])
        self.index += 1

    def undo(self) -> None:
        if self.index:
            self.index -= 1
            _, inverse, before, after = self.entries[self.index]
            assert dump(self.doc) == after
            inverse.apply(self.doc)
            assert dump(self.doc) == before

    def redo(self) -> None:
        if self.index < len(self.entries):
            entry = self.entries[self.index]
            assert dump(self.doc) == entry[2]
            entry[1] = entry[0].apply(self.doc)
            assert dump(self.doc) == entry[3]
            self.index += 1


def run_and_unwind(doc: Newsletter, data: st.DataObject) -> None:
    """Random commands, undos and redos on a bare stack; then everything undone and redone.

    Finally the same through the inverses alone: undo by the inverses, redo by the inverses
    those returned.
    """
    ops = Ops(data)
    original = dump(doc)
    stack = BareStack(doc)
    for _ in range(data.draw(st.integers(1, 25))):
        step = data.draw(st.sampled_from(["push"] * 4 + ["undo", "redo"]))
        if step == "push":
            stack.push(ops.command(doc))
        else:
            getattr(stack, step)()
    while stack.index:
        stack.undo()
    assert dump(doc) == original
    while stack.index < len(stack.entries):
        stack.redo()
    final = dump(doc)

    redos = [inverse.apply(doc) for _, inverse, _, _ in reversed(stack.entries)]
    assert dump(doc) == original
    undos: list[Command] = []
    for redo, (_, _, _, after) in zip(reversed(redos), stack.entries, strict=True):
        undos.append(redo.apply(doc))
        assert dump(doc) == after
    assert dump(doc) == final
    for undo in reversed(undos):
        undo.apply(doc)
    assert dump(doc) == original


_BOUNDED = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_BOUNDED
@given(name=st.sampled_from(sorted(STARTERS)), data=st.data())
def test_random_edits_of_starters_unwind_exactly(name: str, data: st.DataObject) -> None:
    run_and_unwind(starter(name), data)


@_BOUNDED
@given(doc=generated(), data=st.data())
def test_random_edits_of_generated_documents_unwind_exactly(
    doc: Newsletter, data: st.DataObject
) -> None:
    run_and_unwind(doc, data)


def test_unavailable_types_name_a_second_footer_and_why() -> None:
    from editor.blocks.footer import FooterBlock
    from editor.document import Newsletter, TextBlock
    from editor.locate import unavailable_types

    assert unavailable_types(Newsletter(blocks=[TextBlock(id="t")])) == {}
    with_footer = Newsletter(blocks=[TextBlock(id="t"), FooterBlock(id="f")])
    assert unavailable_types(with_footer) == {
        "footer": "This newsletter already has a footer: it has only one."
    }
