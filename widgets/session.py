"""One open newsletter being edited: the document, its undo stack and the selected block.

Every panel of the composer (palette, canvas, inspector, preview, findings) talks to the same
:class:`EditSession` and never to the others: a panel changes the document only through
:meth:`EditSession.push` with a core command from :mod:`editor.commands`, and redraws when
:attr:`EditSession.changed` fires. So undo/redo, the modified marker, autosave and the preview
all see every edit, whichever panel made it.
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from editor.commands import Command
from editor.document import DocumentError, Newsletter
from editor.feeds import FeedCache
from editor.locate import find_block
from editor.package import BulletinFile

# Typing in one block merges into one undo step until a pause this long, or a word ends.
MERGE_PAUSE_S = 1.0
_TAGS = re.compile(r"<[^>]*>")


class DocumentCommand(QUndoCommand):
    """One core command on the Qt undo stack: redo applies it, undo applies its inverse.

    The command is applied before it is pushed (so a refused command raises where the caller
    can show it, and nothing is pushed); the first ``redo`` that ``push`` makes is skipped.
    Commands given the same ``merge_key`` (typing in one text field) merge into one step:
    :meth:`EditSession.push` merges them itself (:meth:`absorb`) instead of QUndoStack, because
    PySide6 never frees a Python command that QUndoStack deleted after ``mergeWith`` (measured:
    199 of 200 merged commands still alive after ``clear()``), which leaked every keystroke.
    """

    def __init__(
        self,
        session: EditSession,
        command: Command,
        inverse: Command,
        merge_key: str | None = None,
    ) -> None:
        super().__init__(command.label)
        self.session, self.command, self.inverse = session, command, inverse
        self.merge_key = merge_key
        self.stamp = time.monotonic()
        self._applied = True

    def absorb(self, command: Command, merge_key: str | None, stamp: float) -> bool:
        """Take ``command`` (already applied) into this step if it continues the same typing:
        same field, within :data:`MERGE_PAUSE_S`, and this step did not end a word."""
        if not merge_key or merge_key != self.merge_key:
            return False
        if stamp - self.stamp > MERGE_PAUSE_S or _ends_word(self.command):
            return False
        # Keep our inverse (the state before the first keystroke), take the latest command.
        self.command, self.stamp = command, stamp
        return True

    def redo(self) -> None:
        if not self._applied:
            self.inverse = self.command.apply(self.session.document)
            self.session.changed.emit()
        self._applied = False

    def undo(self) -> None:
        self.inverse.apply(self.session.document)
        self.session.changed.emit()


def _ends_word(command: Command) -> bool:
    """True when the text this command set ends with a space or punctuation (a word ended)."""
    value = getattr(command, "html", None)
    if value is None:
        value = getattr(command, "value", None)
    if not isinstance(value, str) or not value:
        return False
    text = _TAGS.sub("", value).replace("&nbsp;", " ")
    return bool(text) and (text[-1].isspace() or text[-1] in ".,;:!?")


class EditSession(QObject):
    """The document being edited, shared by the composer's panels.

    Attributes:
        file: the newsletter and its embedded images (:attr:`document` is ``file.newsletter``);
            an image added by a panel goes in with ``file.add_image`` (not an undo step:
            unused images stay in memory and are left out when saving).
        feeds: the feed cache the latest-posts blocks render from.
        undo_stack: every edit, without limit.

    Signals:
        changed: the document changed (an edit, an undo or a redo); panels redraw.
        selection_changed(str): the selected block id, "" when the newsletter itself is.
        error(str): a command was refused; the sentence is worded for the user.
    """

    changed = Signal()
    selection_changed = Signal(str)
    error = Signal(str)

    def __init__(
        self,
        file: BulletinFile | Newsletter,
        feeds: FeedCache | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.file = file if isinstance(file, BulletinFile) else BulletinFile(file)
        self.feeds = feeds if feeds is not None else FeedCache()
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(0)  # no limit
        self._selected = ""
        # An undo can remove the selected block: fall back to the newsletter.
        self.changed.connect(self._check_selection)

    @property
    def document(self) -> Newsletter:
        return self.file.newsletter

    # ---------------------------------------------------------------------------- edits

    def push(self, command: Command, merge_key: str | None = None) -> bool:
        """Apply ``command`` and put it on the undo stack; False (and ``error``) if refused."""
        try:
            inverse = command.apply(self.document)
        except DocumentError as exc:
            self.error.emit(str(exc))
            return False
        stack = self.undo_stack
        index = stack.index()
        # Like QUndoStack: only onto the last step done, never onto the saved state.
        if index == stack.count() and index > 0 and index != stack.cleanIndex():
            top = stack.command(index - 1)
            if isinstance(top, DocumentCommand) and top.absorb(
                command, merge_key, time.monotonic()
            ):
                self.changed.emit()
                return True
        stack.push(DocumentCommand(self, command, inverse, merge_key))
        self.changed.emit()
        return True

    @property
    def modified(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_saved(self) -> None:
        self.undo_stack.setClean()

    # ------------------------------------------------------------------------ selection

    @property
    def selected(self) -> str:
        """The selected block's id, or "" when the newsletter itself is selected."""
        return self._selected

    def select(self, block_id: str) -> None:
        if block_id and not self._exists(block_id):
            block_id = ""
        if block_id != self._selected:
            self._selected = block_id
            self.selection_changed.emit(block_id)

    def _check_selection(self) -> None:
        if self._selected and not self._exists(self._selected):
            self.select("")

    def _exists(self, block_id: str) -> bool:
        try:
            find_block(self.document, block_id)
        except DocumentError:
            return False
        return True
