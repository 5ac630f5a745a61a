"""Preferences: the autosave interval and remote images, beside the language (tests/test_i18n)."""

from __future__ import annotations

import json

import pytest

from editor.settings import (
    AUTOSAVE_SECONDS,
    Preferences,
    load_preferences,
    preferences_path,
    save_preferences,
)


def test_defaults_autosave_every_30_s_and_block_remote_images() -> None:
    prefs = load_preferences()
    assert prefs.autosave_seconds == AUTOSAVE_SECONDS == 30
    assert prefs.remote_images is False


def test_choices_round_trip_and_unknown_keys_stay() -> None:
    preferences_path().write_text('{"future": {"x": 1}}', encoding="utf-8")
    prefs = load_preferences()
    prefs.autosave_seconds = 5
    prefs.remote_images = True
    save_preferences(prefs)
    data = json.loads(preferences_path().read_text(encoding="utf-8"))
    assert data == {"future": {"x": 1}, "autosave_seconds": 5, "remote_images": True}
    assert load_preferences() == Preferences(None, {"future": {"x": 1}}, 5, True)


@pytest.mark.parametrize("value", ["30", 0, 4, 601, True, None, 12.5])
def test_an_unusable_interval_falls_back_to_the_default(value: object) -> None:
    preferences_path().write_text(json.dumps({"autosave_seconds": value}), encoding="utf-8")
    assert load_preferences().autosave_seconds == AUTOSAVE_SECONDS


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_remote_images_only_when_really_true(value: object) -> None:
    preferences_path().write_text(json.dumps({"remote_images": value}), encoding="utf-8")
    assert load_preferences().remote_images is False
