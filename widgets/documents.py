"""Opening, creating and saving documents from the UI: core calls plus the dialogs around them.

The core does the work (:mod:`editor.package`, :mod:`editor.starters`) and words its errors for
the user; this module only asks for file names and shows those errors in a message box, so the
start dialog and the main window behave the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from editor import package, starters
from editor.document import DocumentError
from editor.i18n import _
from editor.package import BulletinFile

_log = logging.getLogger(__name__)


@dataclass
class OpenDocument:
    """A document shown in a window, and where it lives on disk.

    Attributes:
        file: the newsletter and its embedded images.
        path: the ``.bulletin`` file, or None until a document made from a starter is saved.
        starter: the starter the document was made from (None when opened from disk).
    """

    file: BulletinFile
    path: Path | None = None
    starter: str | None = None

    @property
    def name(self) -> str:
        """What the title bar calls the document."""
        if self.path is not None:
            return self.path.stem
        return _("Untitled")


def file_filter() -> str:
    return _("Bulletin newsletters (*.bulletin)")


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """The one place the UI reports a failed file operation: the core's sentence, as is."""
    QMessageBox.critical(parent, title, message)


def show_unexpected(parent: QWidget | None, title: str, exc: BaseException) -> None:
    """An error the core did not word (a bug): logged with its traceback, shown plainly."""
    _log.error("%s", title, exc_info=exc)
    show_error(
        parent,
        title,
        _(
            "Unexpected error ({name}). Nothing was changed; the details are in Bulletin's log."
        ).format(name=type(exc).__name__),
    )


def load_document(parent: QWidget | None, path: Path) -> OpenDocument | None:
    """Open ``path``; on failure show why and return None."""
    title = _("Cannot open the file")
    try:
        return OpenDocument(package.load(path), path=path)
    except DocumentError as exc:  # PackageError included
        show_error(parent, title, str(exc))
    except (MemoryError, RecursionError):
        show_error(
            parent,
            title,
            _("The file is too large or too deeply nested to open."),
        )
    except Exception as exc:
        show_unexpected(parent, title, exc)
    return None


def create_document(parent: QWidget | None, starter: str) -> OpenDocument | None:
    """A new, unsaved document from starter ``starter``; on failure show why and return None."""
    try:
        return OpenDocument(starters.create(starter), starter=starter)
    except DocumentError as exc:
        show_error(parent, _("Cannot create the newsletter"), str(exc))
        return None


def save_document(parent: QWidget | None, document: OpenDocument, path: Path) -> bool:
    """Write ``document`` to ``path`` (atomically, by the core) and remember the new path."""
    try:
        package.save(document.file, path)
    except DocumentError as exc:  # an invalid document, or PackageError when the disk refuses
        show_error(parent, _("Cannot save"), str(exc))
        return False
    document.path = path
    return True


def ask_open_path(parent: QWidget | None, directory: Path | None = None) -> Path | None:
    """Ask which ``.bulletin`` file to open."""
    name, _unused = QFileDialog.getOpenFileName(
        parent,
        _("Open a newsletter"),
        str(directory or Path.home()),
        file_filter(),
    )
    return Path(name) if name else None


def ask_save_path(parent: QWidget | None, suggested: Path) -> Path | None:
    """Ask where to save; the ``.bulletin`` suffix is added when the user leaves it out."""
    name, _unused = QFileDialog.getSaveFileName(parent, _("Save As"), str(suggested), file_filter())
    if not name:
        return None
    path = Path(name)
    return path if path.suffix == package.SUFFIX else path.with_name(path.name + package.SUFFIX)
