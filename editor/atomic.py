"""Atomic file writes: a crash or a full disk never leaves a half-written file behind.

The one way the core replaces a file (documents, exports, caches, settings): write a temporary
file in the same folder, fsync it, ``os.replace`` it over the target, then fsync the folder so
the rename itself survives a power cut. Readers see the old file or the new one, never half of
one; on any failure the old file is untouched and the temporary file is gone.
"""

from __future__ import annotations

import io
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

__all__ = ["atomic_binary", "atomic_text", "sync_folder", "write_atomic", "write_text_atomic"]

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data``, all or nothing."""
    with atomic_binary(path) as handle:
        handle.write(data)


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` encoded as ``encoding``, all or nothing."""
    write_atomic(path, text.encode(encoding))


@contextmanager
def atomic_binary(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """A binary file to stream into; it replaces ``path`` only when the block ends normally.

    For writers too big to hold in memory (a zip being built, an export read row by row). An
    exception in the block, or a failing fsync/rename, removes the temporary file and leaves
    ``path`` as it was. A symlink is followed: the file it points to is replaced, not the link.
    The permissions of the file being replaced are kept (a new file gets the umask's).
    """
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    fd, temp = _create_temp(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        with suppress(OSError):  # a new file: nothing to keep
            temp.chmod(stat.S_IMODE(target.stat().st_mode))
        os.replace(temp, target)
    except BaseException:
        with suppress(OSError):
            temp.unlink()
        raise
    sync_folder(target.parent)


@contextmanager
def atomic_text(
    path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[IO[str]]:
    """Like :func:`atomic_binary`, for text (``newline=""`` for the csv module)."""
    with atomic_binary(path) as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, newline=newline)
        try:
            yield text
            text.flush()
        finally:
            text.detach()  # the binary file is closed (and renamed) by atomic_binary


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); best effort, the data is already on disk."""
    if os.name != "posix":
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _create_temp(target: Path) -> tuple[int, Path]:
    """A new hidden file next to ``target`` (same filesystem, so the rename is atomic)."""
    for _ in range(99):
        temp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        with suppress(FileExistsError):
            return os.open(temp, _FLAGS, 0o666), temp
    temp = target.parent / f".{target.name}.{secrets.token_hex(8)}.tmp"
    return os.open(temp, _FLAGS, 0o666), temp
