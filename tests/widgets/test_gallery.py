"""The gallery: thumbnails drawn in the background and cached, the language filter, My
templates (create, rename, delete)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from editor.templates import list_templates, save_template
from tests.widgets.conftest import sample_file
from widgets.start_dialog import LANGUAGE_ROLE, STARTER_ROLE, StartDialog
from widgets.thumbnails import THUMBNAIL_HEIGHT, THUMBNAIL_WIDTH, thumbnails_dir

pytestmark = pytest.mark.gui


def gallery(qtbot: QtBot) -> StartDialog:
    dialog = StartDialog()
    qtbot.addWidget(dialog)
    return dialog


def visible(dialog: StartDialog) -> list[str]:
    tiles = dialog.starters
    return [
        tiles.item(i).data(STARTER_ROLE)
        for i in range(tiles.count())
        if not tiles.item(i).isHidden()
    ]


def show_all(dialog: StartDialog) -> None:
    """Every language: hidden tiles get their thumbnail only when shown."""
    dialog.language.setCurrentIndex(dialog.language.findData(""))


def test_thumbnails_are_drawn_once_and_cached(qtbot: QtBot, starters_folder: Path) -> None:
    dialog = gallery(qtbot)
    show_all(dialog)
    tiles = dialog.starters
    qtbot.waitUntil(
        lambda: all(not tiles.item(i).icon().isNull() for i in range(tiles.count())),
        timeout=30_000,
    )
    cached = sorted(thumbnails_dir().glob("*.png"))
    assert len(cached) == 2
    image = QImage(str(cached[0]))
    assert image.width() <= THUMBNAIL_WIDTH and image.height() <= THUMBNAIL_HEIGHT
    assert image.width() == THUMBNAIL_WIDTH or image.height() == THUMBNAIL_HEIGHT
    stamps = [p.stat().st_mtime_ns for p in cached]
    # A second gallery finds them in the cache at once: no drawing, icons already there.
    again = gallery(qtbot)
    show_all(again)
    assert all(not again.starters.item(i).icon().isNull() for i in range(2))
    assert [p.stat().st_mtime_ns for p in sorted(thumbnails_dir().glob("*.png"))] == stamps


def test_a_changed_starter_gets_a_new_thumbnail(qtbot: QtBot, starters_folder: Path) -> None:
    dialog = gallery(qtbot)
    dialog.thumbnails.wait()
    before = set(thumbnails_dir().glob("*.png"))
    path = starters_folder / "annonce.json"
    path.write_text(path.read_text(encoding="utf-8").replace("Sujet", "Objet"), encoding="utf-8")
    again = gallery(qtbot)
    again.thumbnails.wait()
    assert len(set(thumbnails_dir().glob("*.png")) - before) == 1


def test_shipped_starters_are_filtered_by_language(qtbot: QtBot) -> None:
    dialog = gallery(qtbot)
    assert dialog.language.currentData() == "en"  # the UI's language (BULLETIN_LANG=en here)
    english = visible(dialog)
    assert english and all(name.endswith("-en") for name in english)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    french = visible(dialog)
    assert french and all(name.endswith("-fr") for name in french)
    assert dialog.selected_starter() == french[0]
    dialog.language.setCurrentIndex(dialog.language.findData(""))
    assert len(visible(dialog)) == dialog.starters.count() == len(english) + len(french)
    langs = {dialog.starters.item(i).data(LANGUAGE_ROLE) for i in range(dialog.starters.count())}
    assert langs == {"fr", "en"}
    dialog.thumbnails.wait()


def test_my_templates_rename_and_delete(
    qtbot: QtBot, starters_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = gallery(qtbot)
    assert dialog.templates.count() == 0 and not dialog.no_templates.isHidden()
    save_template(sample_file(), "Printemps")
    dialog.reload_templates()
    assert dialog.no_templates.isHidden()
    dialog.templates.setCurrentRow(0)
    assert dialog.selected_template() == "Printemps"
    assert dialog.selected_starter() is None  # one choice across both sections
    assert dialog.rename_button.isEnabled() and dialog.delete_button.isEnabled()
    monkeypatch.setattr("widgets.start_dialog.QInputDialog.getText", lambda *a, **k: ("Été", True))
    dialog.rename_button.click()
    assert [t.name for t in list_templates()] == ["Été"]
    dialog.templates.setCurrentRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    dialog.delete_button.click()
    assert list_templates() == [] and dialog.templates.count() == 0
    dialog.thumbnails.wait()


def test_gallery_screenshot_paints(qtbot: QtBot, starters_folder: Path) -> None:
    dialog = gallery(qtbot)
    dialog.show()
    dialog.thumbnails.wait()
    assert not dialog.grab().isNull()


def test_a_hidden_starter_gets_its_thumbnail_when_shown(qtbot: QtBot) -> None:
    """An icon-mode list paints a hidden tile's new icon over its first tile: hidden tiles
    receive their thumbnail only once the filter shows them."""
    dialog = gallery(qtbot)
    dialog.thumbnails.wait()
    tiles = dialog.starters
    qtbot.waitUntil(
        lambda: all(
            not tiles.item(i).icon().isNull()
            for i in range(tiles.count())
            if not tiles.item(i).isHidden()
        ),
        timeout=30_000,
    )
    hidden = [tiles.item(i) for i in range(tiles.count()) if tiles.item(i).isHidden()]
    assert hidden and all(item.icon().isNull() for item in hidden)
    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    assert all(not item.icon().isNull() for item in hidden)
