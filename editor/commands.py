"""Document edits as small command objects, each returning its exact inverse.

The composer keeps one :class:`~editor.document.Newsletter` and changes it only through these
commands; its Qt undo stack wraps each one in a ``QUndoCommand`` (redo applies the command,
undo applies the inverse it returned). So that undo and redo can never drift:

- ``apply(doc)`` changes ``doc`` in place and returns the command that puts it back, byte for
  byte in its JSON form; applying that inverse returns a command equivalent to the first.
- A command checks everything before it changes anything: one that would leave the document
  invalid raises :class:`~editor.document.DocumentError` and leaves it untouched.
- A command never shares mutable objects with the document: blocks and lists are copied on
  the way in, so the same command can be applied again after an undo.
- New values are made canonical (colours lowercase, rich text cleaned) as they go in; the
  inverses carry ``verbatim=True`` and put the old values back exactly as they were.

Blocks are named by their stable id and containers by :class:`~editor.locate.BlockPath`.
The composer's wrapper is then a few lines of Qt. ``QUndoStack.push`` calls ``redo`` and an
exception should not cross it, so the command is applied first (a refused one raises
:class:`~editor.document.DocumentError`, shown to the user, and nothing is pushed)::

    class DocumentCommand(QUndoCommand):
        def __init__(self, doc, command, inverse):  # inverse = command.apply(doc), done
            super().__init__(command.label)
            self.doc, self.command, self.inverse = doc, command, inverse
            self.applied = True
        def redo(self):
            if not self.applied:
                self.inverse = self.command.apply(self.doc)
            self.applied = False
        def undo(self):
            self.inverse.apply(self.doc)
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, Protocol

from editor.document import (
    COLUMN_RATIOS,
    Block,
    Column,
    ColumnsBlock,
    DocumentError,
    FooterBlock,
    Newsletter,
    TextBlock,
    block_from_json,
    block_to_json,
    new_id,
    normalised,
)
from editor.i18n import _
from editor.locate import (
    BlockPath,
    block_at,
    check_target,
    container,
    find_block,
    ids_of,
    locate,
    subtree,
)
from editor.richtext import clean


class Command(Protocol):
    """What the undo stack needs: a label for its menu, and apply-returning-the-inverse."""

    @property
    def label(self) -> str: ...

    def apply(self, doc: Newsletter) -> Command: ...


# ------------------------------------------------------------------------------ block structure


@dataclass(frozen=True)
class InsertBlock:
    """Insert a copy of ``block`` at ``path``; its ids, nested ones included, must be new.

    The copy goes through the block's JSON form, so it holds the types and canonical values
    that saving and opening it would give. ``verbatim`` (set on the inverse of a removal) puts
    the removed block back exactly as it was.
    """

    path: BlockPath
    block: Block
    verbatim: bool = False

    @property
    def label(self) -> str:
        return _("Add block")

    def apply(self, doc: Newsletter) -> Command:
        if self.verbatim:
            block = copy.deepcopy(self.block)
        else:
            block = block_from_json(block_to_json(self.block))
            # Alone in an empty newsletter, the block gets the document's checks: ids well
            # formed and distinct, values usable, a column's children allowed there.
            Newsletter(blocks=[block]).validate()
        check_target(doc, self.path, block, footer_rule=not self.verbatim)
        taken = {b.id for b in doc.walk()}
        clash = next((i for i in ids_of(block) if i in taken), None)
        if clash is not None:
            raise DocumentError(_('The block id "{clash}" is already in use.').format(clash=clash))
        container(doc, self.path).insert(self.path.index, block)
        return RemoveBlock(block.id)


def insert_new(doc: Newsletter, type_name: str, after: str | None = None) -> InsertBlock:
    """The command adding a new block of type ``type_name`` (fresh id, default values).

    It goes just after block ``after``, in the same container, or after the columns block
    when a column cannot hold it; without ``after``, at the end of the top level. Either way
    never after the footer, which ends the newsletter: a new footer goes at the very end (and
    is refused when applied if the newsletter already has one).
    """
    block = block_from_json({"type": type_name})  # defaults and a fresh id; checks the type
    end = len(doc.blocks)
    if isinstance(block, FooterBlock):
        return InsertBlock(BlockPath(end), block)
    if after is None:
        path = BlockPath(end)
    else:
        path = locate(doc, after)
        if path.columns_id is not None and isinstance(block, ColumnsBlock):
            path = locate(doc, path.columns_id)
        path = path.at(path.index + 1)
    if path.is_top:
        footer = next((i for i, b in enumerate(doc.blocks) if isinstance(b, FooterBlock)), end)
        path = path.at(min(path.index, footer))
    return InsertBlock(path, block)


@dataclass(frozen=True)
class RemoveBlock:
    """Remove a block (with what its columns hold); the inverse puts the same block back."""

    block_id: str

    @property
    def label(self) -> str:
        return _("Delete block")

    def apply(self, doc: Newsletter) -> Command:
        path = locate(doc, self.block_id)
        block = container(doc, path).pop(path.index)
        return InsertBlock(path, block, verbatim=True)


@dataclass(frozen=True)
class MoveBlock:
    """Move a block to ``to``, in the same container or another one (top level or column).

    ``to.index`` is the index the block has once moved: it counts the target container's
    blocks without the moving one. Within one container, moving the block at index 1 to index
    3 of ``[a, B, c, d, e]`` gives ``[a, c, d, B, e]``; the valid indexes there are 0 to 4.
    :func:`gap_to_path` converts a drop position counted with the block still in place.

    ``verbatim`` (set on the inverse) puts the block back where it was without the footer
    rule (:func:`editor.locate.check_footer_rule`): in a file that already broke it, undoing
    a move must still give the document back exactly.
    """

    block_id: str
    to: BlockPath
    verbatim: bool = False

    @property
    def label(self) -> str:
        return _("Move block")

    def apply(self, doc: Newsletter) -> Command:
        origin = locate(doc, self.block_id)
        block = block_at(doc, origin)
        check_target(doc, self.to, block, moving=True, footer_rule=not self.verbatim)
        container(doc, origin).pop(origin.index)
        container(doc, self.to).insert(self.to.index, block)
        return MoveBlock(self.block_id, origin, verbatim=True)


def gap_to_path(doc: Newsletter, block_id: str, gap: BlockPath) -> BlockPath:
    """The :class:`MoveBlock` target for a drop before ``gap.index`` (counted with the block).

    Dropping a block just below itself in its own container leaves it where it is.
    """
    origin = locate(doc, block_id)
    if origin.same_container(gap) and gap.index > origin.index:
        return gap.at(gap.index - 1)
    return gap


@dataclass(frozen=True)
class DuplicateBlock:
    """Put a copy of a block just after it, with the ids ``new_ids`` (see :meth:`of`).

    ``new_ids`` gives one id per block of the copy, in reading order (a columns block first,
    then its columns' children), so applying the command again yields the same document.
    """

    block_id: str
    new_ids: tuple[str, ...]

    @classmethod
    def of(cls, doc: Newsletter, block_id: str) -> DuplicateBlock:
        """A duplication of ``block_id`` with fresh ids chosen now."""
        return cls(block_id, tuple(new_id() for _ in ids_of(find_block(doc, block_id))))

    @property
    def label(self) -> str:
        return _("Duplicate block")

    def apply(self, doc: Newsletter) -> Command:
        path = locate(doc, self.block_id)
        twin = copy.deepcopy(block_at(doc, path))
        blocks = list(subtree(twin))
        if len(blocks) != len(self.new_ids):
            raise DocumentError(
                _("The copy needs {blocks_count} ids, {new_ids_count} given.").format(
                    blocks_count=len(blocks), new_ids_count=len(self.new_ids)
                )
            )
        for block, block_id in zip(blocks, self.new_ids, strict=True):
            block.id = block_id
        return InsertBlock(path.at(path.index + 1), twin).apply(doc)


@dataclass(frozen=True)
class SetColumnsRatio:
    """Give a columns block another ratio, adding or removing columns to match.

    New columns start empty; the blocks of removed columns go to the end of the last column
    kept, in reading order. The inverse moves them back and restores the columns.
    """

    block_id: str
    ratio: str

    @property
    def label(self) -> str:
        return _("Change column layout")

    def apply(self, doc: Newsletter) -> Command:
        block = find_block(doc, self.block_id)
        if not isinstance(block, ColumnsBlock):
            raise DocumentError(
                _('Block "{block_id}" is not a columns block.').format(block_id=self.block_id)
            )
        if self.ratio not in COLUMN_RATIOS:
            raise DocumentError(_('Unknown column ratio "{ratio}".').format(ratio=self.ratio))
        keep = len(COLUMN_RATIOS[self.ratio])
        steps: list[Command] = []
        end = len(block.columns[keep - 1].blocks) if keep < len(block.columns) else 0
        for column in block.columns[keep:]:
            for child in column.blocks:
                steps.append(MoveBlock(child.id, BlockPath(end, block.id, keep - 1)))
                end += 1
        steps.append(_Reshape(block.id, self.ratio, keep))
        return Composite(self.label, tuple(steps)).apply(doc)


@dataclass(frozen=True)
class _Reshape:
    """Set a columns block's ratio and column count; only empty columns are ever removed."""

    block_id: str
    ratio: str
    count: int

    @property
    def label(self) -> str:
        return _("Change column layout")

    def apply(self, doc: Newsletter) -> Command:
        block = find_block(doc, self.block_id)
        assert isinstance(block, ColumnsBlock)
        kept = block.columns[: self.count]
        if any(column.blocks for column in block.columns[self.count :]):
            raise DocumentError(_("This column is not empty."))
        columns = kept + [Column() for _ in range(self.count - len(kept))]
        replace(block, ratio=self.ratio, columns=columns).validate()
        undo = _Reshape(block.id, block.ratio, len(block.columns))
        block.ratio, block.columns = self.ratio, columns
        return undo


# ----------------------------------------------------------------------------------- values


# Fields that change the structure: they have their own commands (ids are stable).
_STRUCTURE = frozenset({"id", "columns"})


@dataclass(frozen=True)
class SetBlockField:
    """Set one property of a block to ``value``, made canonical (colours lowercase…).

    A text block's ``html`` is cleaned as by :class:`SetRichText`. ``verbatim`` (set on the
    inverses the commands return) puts a previous value back exactly as it was.
    """

    block_id: str
    name: str
    value: Any
    verbatim: bool = False

    @property
    def label(self) -> str:
        return _("Edit block")

    def apply(self, doc: Newsletter) -> Command:
        block = find_block(doc, self.block_id)
        if self.name in _STRUCTURE or self.name not in {f.name for f in fields(block)}:
            raise DocumentError(_('Property "{name}" cannot be set here.').format(name=self.name))
        old = _set(block, self.name, self.value, self.verbatim, rich=isinstance(block, TextBlock))
        return SetBlockField(self.block_id, self.name, old, verbatim=True)


@dataclass(frozen=True)
class SetRichText:
    """Replace a text block's rich content; it is stored cleaned, as the renderer keeps it."""

    block_id: str
    html: str
    verbatim: bool = False

    @property
    def label(self) -> str:
        return _("Edit text")

    def apply(self, doc: Newsletter) -> Command:
        block = find_block(doc, self.block_id)
        if not isinstance(block, TextBlock):
            raise DocumentError(
                _('Block "{block_id}" is not a text block.').format(block_id=self.block_id)
            )
        old = _set(block, "html", self.html, self.verbatim, rich=True)
        return SetRichText(self.block_id, old, verbatim=True)


# The objects whose fields SetDocumentField reaches, by dotted prefix ("" is the newsletter).
_DOCUMENT_PARTS = frozenset({"", "sender", "theme", "theme.button", "utm"})


@dataclass(frozen=True)
class SetDocumentField:
    """Set ``subject``, ``preheader``, ``language``, ``sender.*``, ``theme.*``, ``utm.*`` or
    ``theme.button.*`` (e.g. ``"theme.button.radius"``), made canonical and checked."""

    path: str
    value: Any
    verbatim: bool = False

    @property
    def label(self) -> str:
        if self.path.startswith("theme."):
            return _("Edit theme")
        if self.path.startswith("sender."):
            return _("Edit sender")
        if self.path.startswith("utm."):
            return _("Edit link tracking")
        if self.path == "language":
            return _("Change language")
        if self.path == "preheader":
            return _("Edit preheader")
        return _("Edit subject")

    def apply(self, doc: Newsletter) -> Command:
        owner, name = _document_field(doc, self.path)
        old = _set(owner, name, self.value, self.verbatim)
        return SetDocumentField(self.path, old, verbatim=True)


def _document_field(doc: Newsletter, path: str) -> tuple[Any, str]:
    part, _unused, name = path.rpartition(".")
    owner: Any = doc
    for step in part.split(".") if part else []:
        owner = getattr(owner, step, None)
    known = part in _DOCUMENT_PARTS and is_dataclass(owner)
    if not known or name not in {f.name for f in fields(owner)}:
        raise DocumentError(_('Unknown setting "{path}".').format(path=path))
    if name == "blocks" or is_dataclass(getattr(owner, name)):
        raise DocumentError(_('Setting "{path}" cannot be set here.').format(path=path))
    return owner, name


def _set(owner: Any, name: str, value: Any, verbatim: bool, *, rich: bool = False) -> Any:
    """Set ``owner.name`` and return the old value; check and normalise first unless verbatim."""
    if not verbatim:
        if rich and name == "html" and isinstance(value, str):
            value = clean(value)
        value = normalised(owner, name, value)
    old = getattr(owner, name)
    setattr(owner, name, copy.deepcopy(value))
    return old


# --------------------------------------------------------------------------------- composite


@dataclass(frozen=True)
class Composite:
    """Several commands as one undo step (e.g. a drop that moves and restyles a block).

    All or nothing: if one step raises, the steps already applied are undone before the error
    propagates. The inverse runs the steps' inverses in reverse order.
    """

    label: str
    commands: tuple[Command, ...]

    def apply(self, doc: Newsletter) -> Command:
        undo: list[Command] = []
        try:
            for command in self.commands:
                undo.append(command.apply(doc))
        except Exception:
            for inverse in reversed(undo):
                inverse.apply(doc)
            raise
        return Composite(self.label, tuple(reversed(undo)))
