"""EditSession: core commands on the undo stack, typing merged, selection kept valid."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QApplication

from editor.commands import RemoveBlock, SetRichText, insert_new
from editor.document import HeadingBlock, Newsletter, TextBlock, to_json
from widgets import session as session_module
from widgets.session import EditSession


def dump(doc: Newsletter) -> str:
    return json.dumps(to_json(doc), sort_keys=True)


def make() -> EditSession:
    return EditSession(
        Newsletter(blocks=[HeadingBlock(id="h"), TextBlock(id="t", html="<p>a</p>")])
    )


def test_push_undo_redo_and_modified(qapp: QApplication) -> None:
    s = make()
    before = dump(s.document)
    changes: list[int] = []
    s.changed.connect(lambda: changes.append(1))
    assert not s.modified
    assert s.push(insert_new(s.document, "button", after="h"))
    after = dump(s.document)
    assert s.modified and len(s.document.blocks) == 3
    s.undo_stack.undo()
    assert dump(s.document) == before and not s.modified
    s.undo_stack.redo()
    assert dump(s.document) == after
    assert len(changes) == 3


def test_refused_command_is_reported_and_not_pushed(qapp: QApplication) -> None:
    s = make()
    errors: list[str] = []
    s.error.connect(errors.append)
    assert not s.push(RemoveBlock("nope"))
    assert errors and s.undo_stack.count() == 0


def test_typing_merges_until_a_word_ends_or_a_pause(qapp: QApplication, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    s = make()
    clock = [100.0]
    monkeypatch.setattr(session_module.time, "monotonic", lambda: clock[0])
    for text in ("<p>aB</p>", "<p>aBo</p>", "<p>aBon </p>"):
        s.push(SetRichText("t", text), merge_key="t.html")
        clock[0] += 0.2
    assert s.undo_stack.count() == 1
    s.push(SetRichText("t", "<p>aBon j</p>"), merge_key="t.html")  # after a space: new step
    assert s.undo_stack.count() == 2
    clock[0] += 5
    s.push(SetRichText("t", "<p>aBon jo</p>"), merge_key="t.html")  # after a pause: new step
    assert s.undo_stack.count() == 3
    for _ in range(3):
        s.undo_stack.undo()
    assert s.document.blocks[1].html == "<p>a</p>"  # type: ignore[attr-defined]


def test_selection_falls_back_when_its_block_goes(qapp: QApplication) -> None:
    s = make()
    seen: list[str] = []
    s.selection_changed.connect(seen.append)
    s.select("t")
    s.select("missing")
    assert s.selected == ""
    s.select("t")
    s.push(RemoveBlock("t"))
    assert s.selected == "" and seen == ["t", "", "t", ""]
    s.undo_stack.undo()
    assert s.selected == ""


def test_typing_never_merges_into_the_saved_state_nor_after_an_undo(
    qapp: QApplication,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    s = make()
    clock = [100.0]
    monkeypatch.setattr(session_module.time, "monotonic", lambda: clock[0])
    s.push(SetRichText("t", "<p>ab</p>"), merge_key="t.html")
    s.mark_saved()
    s.push(SetRichText("t", "<p>abc</p>"), merge_key="t.html")  # a new step after saving
    assert s.undo_stack.count() == 2 and s.modified
    s.undo_stack.undo()
    assert not s.modified and s.document.blocks[1].html == "<p>ab</p>"  # type: ignore[attr-defined]
    s.push(SetRichText("t", "<p>abd</p>"), merge_key="t.html")  # replaces the redo step
    assert s.undo_stack.count() == 2 and s.modified
    s.undo_stack.undo()
    assert s.document.blocks[1].html == "<p>ab</p>"  # type: ignore[attr-defined]


def test_merged_keystrokes_leave_nothing_behind(qapp: QApplication) -> None:
    """PySide6 never frees a Python command QUndoStack merged away: the session merges itself."""
    import gc

    from widgets.session import DocumentCommand

    def alive() -> int:
        gc.collect()
        return sum(isinstance(o, DocumentCommand) for o in gc.get_objects())

    s = make()
    before = alive()
    text = "<p>a"
    for char in "bonjour":
        text += char
        s.push(SetRichText("t", text + "</p>"), merge_key="t.html")
    assert s.undo_stack.count() == 1 and alive() == before + 1
    s.undo_stack.clear()
    assert alive() == before
