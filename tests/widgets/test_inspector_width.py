"""The composer fits a 1366 × 768 laptop: the inspector shows the whole rich-text toolbar, in
English and in French, and nothing forces the window wider than the screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QToolBar, QToolButton
from pytestqt.qtbot import QtBot

from editor.i18n import set_language
from tests.widgets.conftest import sample_file
from widgets.documents import OpenDocument
from widgets.inspector.text_panel import TextPanel
from widgets.main_window import INSPECTOR_WIDTH, PALETTE_WIDTH, MainWindow

pytestmark = pytest.mark.gui

LAPTOP = (1366, 768)


@pytest.fixture(autouse=True)
def back_to_english() -> Iterator[None]:
    yield
    set_language(None)


def _window(qtbot: QtBot) -> MainWindow:
    win = MainWindow(OpenDocument(sample_file()))
    qtbot.addWidget(win)
    win.resize(*LAPTOP)
    win.show()
    qtbot.waitExposed(win)
    return win


def _overflowing(toolbar: QToolBar) -> bool:
    """Whether the toolbar folds buttons behind its » extension button."""
    return any(
        button.isVisible()
        for button in toolbar.findChildren(QToolButton)
        if button.objectName() == "qt_toolbar_ext_button"
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_rich_text_toolbar_fits_the_inspector_on_a_laptop(qtbot: QtBot, lang: str) -> None:
    set_language(lang)
    win = _window(qtbot)
    assert win.session is not None
    win.session.select(next(b.id for b in win.session.document.blocks if b.TYPE == "text"))
    for _ in range(5):
        QApplication.processEvents()
    panel = win.inspector.panel  # type: ignore[attr-defined]
    assert isinstance(panel, TextPanel)
    assert win.inspector.width() >= INSPECTOR_WIDTH - 20  # the docks keep their room at 1366
    toolbar = panel.text.rich.toolbar
    assert not _overflowing(toolbar)
    assert panel.text.rich.merge_button.isVisible()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_window_fits_a_1366_px_screen_with_its_docks(qtbot: QtBot, lang: str) -> None:
    set_language(lang)
    win = _window(qtbot)
    assert win.minimumSizeHint().width() <= LAPTOP[0]
    assert win.width() == LAPTOP[0]
    win.show_preview()  # desktop and phone side by side scroll rather than widen the window
    for _ in range(5):
        QApplication.processEvents()
    assert win.minimumSizeHint().width() <= LAPTOP[0]
    assert win.width() == LAPTOP[0]
    # Both docks at their usual widths still leave the centre all the room it asks for.
    centre = win.centre.minimumSizeHint().width()
    assert PALETTE_WIDTH + INSPECTOR_WIDTH + centre + 40 <= LAPTOP[0]
    assert win._inspector_dock.isVisible() and win._palette_dock.isVisible()
