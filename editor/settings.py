"""Where Bulletin keeps its data, and the user's preferences. ``BULLETIN_HOME`` overrides the
per-user folder (tests use it)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from editor.atomic import write_atomic

APP_NAME = "Bulletin"


def data_dir() -> Path:
    """The data folder, created on first use: ``$BULLETIN_HOME`` or platformdirs' user data dir."""
    override = os.environ.get("BULLETIN_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def feeds_cache_dir() -> Path:
    """Last fetched copy of each feed, so the latest-posts block renders offline."""
    path = data_dir() / "feeds"
    path.mkdir(parents=True, exist_ok=True)
    return path


def resources_dir() -> Path:
    """The read-only data shipped with the app (templates, starters, icons)."""
    return Path(__file__).resolve().parent.parent / "resources"


# Preferences: the user's choices (not window geometry, which Qt keeps apart). A small JSON file
# in the data folder, written atomically; unknown keys from a newer version are kept untouched.

PREFERENCES_FILE = "preferences.json"


@dataclass
class Preferences:
    """The user's choices. ``language`` is ``fr``/``en``, or None to follow the system."""

    language: str | None = None
    other: dict[str, Any] = field(default_factory=dict)


def preferences_path() -> Path:
    return data_dir() / PREFERENCES_FILE


def load_preferences() -> Preferences:
    """The saved preferences; defaults when the file is missing or unreadable (never fatal)."""
    try:
        data = json.loads(preferences_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(data, dict):
        return Preferences()
    lang = data.pop("language", None)
    return Preferences(language=lang if lang in ("fr", "en") else None, other=data)


def save_preferences(prefs: Preferences) -> None:
    data: dict[str, Any] = dict(prefs.other)
    if prefs.language is not None:
        data["language"] = prefs.language
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomic(preferences_path(), text.encode("utf-8"))
