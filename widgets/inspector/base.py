"""The protocol every block panel of the inspector follows.

A panel edits one block of an :class:`~widgets.session.EditSession`: it pushes core commands
through :meth:`EditSession.push` (never touching the document itself) and, when the document
changes under it (an undo, a redo, another panel), the inspector calls :meth:`BlockPanel.refresh`
so the panel re-reads the block. ``refresh`` must not push anything back (no feedback loop).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from editor.blocks.base import Block
from editor.commands import SetBlockField
from editor.document import DocumentError
from editor.locate import find_block
from widgets.inspector.editors import MISSING, Binding, FieldEditor
from widgets.session import EditSession


class BlockPanel(QWidget):
    """Base of a block's panel in the inspector.

    Attributes:
        session: the document being edited.
        block_id: the id of the block this panel edits (fixed for the panel's lifetime: the
            inspector builds a new panel when the selection changes).
    """

    def __init__(self, session: EditSession, block_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.block_id = block_id

    def block(self) -> Block | None:
        """The block as it is now, or None once it has gone (an undo removed it)."""
        try:
            return find_block(self.session.document, self.block_id)
        except DocumentError:
            return None

    def read_field(self, name: str) -> Any:
        """The block's field ``name`` as it is now; MISSING once the block has gone."""
        block = self.block()
        return MISSING if block is None else getattr(block, name, MISSING)

    def bind_field(
        self,
        editor: FieldEditor,
        name: str,
        *,
        typed: bool = False,
        check: Callable[[Any], str | None] | None = None,
    ) -> Binding:
        """Tie ``editor`` to the block's field ``name``, set with :class:`SetBlockField`;
        ``typed`` fields merge their keystrokes into one undo step per word or pause."""
        return Binding(
            self.session,
            editor,
            read=lambda: self.read_field(name),
            make=lambda value: SetBlockField(self.block_id, name, value),
            merge_key=f"{self.block_id}.{name}" if typed else None,
            check=check,
        )

    def refresh(self) -> None:
        """Re-read the block's values into the controls without pushing any command.

        Called after every document change; a field the user is typing in keeps its cursor.
        """

    def focus_editor(self) -> bool:
        """Give the panel's main text field the keyboard focus; False when it has none."""
        return False
