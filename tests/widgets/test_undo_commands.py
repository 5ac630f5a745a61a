"""The core's document commands on a real QUndoStack, wrapped as editor/commands.py advises."""

from __future__ import annotations

import json

import pytest
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication

from editor.commands import Command, DuplicateBlock, MoveBlock, RemoveBlock, SetBlockField
from editor.document import (
    Column,
    ColumnsBlock,
    DocumentError,
    HeadingBlock,
    Newsletter,
    TextBlock,
    to_json,
)
from editor.locate import BlockPath


class DocumentCommand(QUndoCommand):
    """The wrapper from editor/commands.py's docstring: applied before it is pushed."""

    def __init__(self, doc: Newsletter, command: Command, inverse: Command) -> None:
        super().__init__(command.label)
        self.doc, self.command, self.inverse = doc, command, inverse
        self.applied = True

    def redo(self) -> None:
        if not self.applied:
            self.inverse = self.command.apply(self.doc)
        self.applied = False

    def undo(self) -> None:
        self.inverse.apply(self.doc)


def push(stack: QUndoStack, doc: Newsletter, command: Command) -> None:
    stack.push(DocumentCommand(doc, command, command.apply(doc)))


def dump(doc: Newsletter) -> str:
    return json.dumps(to_json(doc), sort_keys=True)


def test_undo_stack_replays_core_commands_exactly(qapp: QApplication) -> None:
    doc = Newsletter(
        blocks=[
            HeadingBlock(id="h"),
            TextBlock(id="t", html="<p>x</p>"),
            ColumnsBlock(id="c", columns=[Column([TextBlock(id="a")]), Column()]),
        ]
    )
    stack = QUndoStack()
    states = [dump(doc)]
    for command in (
        MoveBlock("h", BlockPath(0, "c", 1)),
        SetBlockField("h", "align", "center"),
        DuplicateBlock("c", ("c2", "a2", "h2")),
    ):
        push(stack, doc, command)
        states.append(dump(doc))
    stack.beginMacro("Tidy")
    push(stack, doc, RemoveBlock("t"))
    push(stack, doc, MoveBlock("a2", BlockPath(0)))
    stack.endMacro()
    states.append(dump(doc))
    assert stack.count() == 4 and stack.undoText() == "Tidy"

    for state in reversed(states[:-1]):
        stack.undo()
        assert dump(doc) == state
    assert stack.redoText() == "Move block"
    for state in states[1:]:
        stack.redo()
        assert dump(doc) == state

    with pytest.raises(DocumentError):
        push(stack, doc, MoveBlock("zz", BlockPath(0)))
    assert stack.count() == 4 and dump(doc) == states[-1]
