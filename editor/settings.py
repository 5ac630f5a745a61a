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


AUTOSAVE_SECONDS = 30
"""How often an edited document is autosaved, unless the user chose otherwise."""
AUTOSAVE_RANGE = (5, 600)
"""The autosave intervals the preferences accept, in seconds (others fall back to the default)."""


@dataclass
class Preferences:
    """The user's choices.

    Attributes:
        language: ``fr``/``en``, or None to follow the system.
        other: keys this version does not know (a newer version's), written back untouched.
        autosave_seconds: how often an edited document is copied to the data folder.
        remote_images: whether previews load images from the web (off: opening a preview
            should not tell a tracker that the newsletter is being written).
    """

    language: str | None = None
    other: dict[str, Any] = field(default_factory=dict)
    autosave_seconds: int = AUTOSAVE_SECONDS
    remote_images: bool = False


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
    seconds = data.pop("autosave_seconds", AUTOSAVE_SECONDS)
    low, high = AUTOSAVE_RANGE
    if type(seconds) is not int or not low <= seconds <= high:  # bool is no interval
        seconds = AUTOSAVE_SECONDS
    remote = data.pop("remote_images", False)
    return Preferences(
        language=lang if lang in ("fr", "en") else None,
        other=data,
        autosave_seconds=seconds,
        remote_images=remote is True,
    )


def save_preferences(prefs: Preferences) -> None:
    data: dict[str, Any] = dict(prefs.other)
    if prefs.language is not None:
        data["language"] = prefs.language
    if prefs.autosave_seconds != AUTOSAVE_SECONDS:
        data["autosave_seconds"] = prefs.autosave_seconds
    if prefs.remote_images:
        data["remote_images"] = True
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_atomic(preferences_path(), text.encode("utf-8"))
