"""The recently opened documents (File ▸ Open Recent), kept in ``recent.json`` in the data folder.

Its own small file rather than a preferences key: it changes at every opening, and a list of
paths is not a choice the user made. Files that no longer exist are pruned when the list is
read, so the menu never offers a dead entry.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from pathlib import Path

from editor.atomic import write_text_atomic
from editor.settings import data_dir

RECENT_FILE = "recent.json"
MAX_RECENT = 10


def recent_path() -> Path:
    return data_dir() / RECENT_FILE


def _read() -> list[Path]:
    try:
        data = json.loads(recent_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, list):
        return []
    return [Path(item) for item in data if isinstance(item, str) and item]


def _write(paths: list[Path]) -> None:
    text = json.dumps([str(p) for p in paths], ensure_ascii=False, indent=2) + "\n"
    # A read-only data folder costs the menu, never the opening or the saving.
    with suppress(OSError):
        write_text_atomic(recent_path(), text)


def _key(path: Path) -> str:
    return os.path.normcase(str(path))


def load_recent() -> list[Path]:
    """The recent documents, most recent first; missing files are dropped (and forgotten)."""
    stored = _read()
    alive = [p for p in stored if p.is_file()][:MAX_RECENT]
    if alive != stored:
        _write(alive)
    return alive


def add_recent(path: str | os.PathLike[str]) -> list[Path]:
    """Put ``path`` first (once), keep the last :data:`MAX_RECENT`; return the new list."""
    full = Path(path).expanduser().resolve()
    paths = [full] + [p for p in load_recent() if _key(p) != _key(full)]
    paths = paths[:MAX_RECENT]
    _write(paths)
    return paths


def remove_recent(path: str | os.PathLike[str]) -> list[Path]:
    """Forget ``path`` (a file that could not be opened); return the new list."""
    full = Path(path).expanduser().resolve()
    paths = [p for p in load_recent() if _key(p) != _key(full)]
    _write(paths)
    return paths


def clear_recent() -> None:
    _write([])
