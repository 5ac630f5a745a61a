"""Where Bulletin keeps its data. ``BULLETIN_HOME`` overrides the per-user folder (tests use it)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

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
