"""Preview helpers: images as data: URLs, large documents through a file, reloads, and a
rendering shown by the caller (no session)."""

from __future__ import annotations

import base64

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWebEngineCore import QWebEnginePage
from pytestqt.qtbot import QtBot

from editor.render.engine import Renderer
from editor.render.mime import BROKEN_IMAGE, data_url
from tests.widgets.conftest import LOAD_TIMEOUT_MS, png, sample_file
from widgets.preview import PreviewPage, PreviewPane, preview_html

pytestmark = pytest.mark.gui


def test_document_images_become_data_urls() -> None:
    data = png()
    url = data_url("images/" + "a" * 64 + ".png", {"images/" + "a" * 64 + ".png": data})
    assert url == "data:image/png;base64," + base64.b64encode(data).decode()


def test_a_missing_image_does_not_break_the_preview() -> None:
    assert data_url("images/" + "b" * 64 + ".png", {}) == BROKEN_IMAGE
    assert data_url("social/color/nothing-here.png", {}) == BROKEN_IMAGE
    assert data_url("../../etc/passwd", {}) == BROKEN_IMAGE


def test_preview_html_inlines_every_image() -> None:
    bf = sample_file()
    html = preview_html(Renderer(bf.images).render(bf.newsletter), bf.images)
    assert "bulletin-image:" not in html
    assert html.count("data:image/png;base64,") == 2


def test_a_preview_over_two_megabytes_loads(qtbot: QtBot) -> None:
    """setHtml() stops at 2 MB; the pane goes through a file, so big photos still show."""
    bf = sample_file()
    noise = bytes(range(256)) * (3 * 1024 * 1024 // 256)
    big = bf.add_image(png(8, 8) + noise, "big.png")  # PNG magic, 3 MB of payload
    bf.newsletter.blocks[2].src = big  # type: ignore[attr-defined]
    rendered = Renderer(bf.images).render(bf.newsletter)
    assert len(preview_html(rendered, bf.images)) > 2 * 1024 * 1024
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(1200, 700)
    pane.show()
    with qtbot.waitSignal(pane.loaded, timeout=LOAD_TIMEOUT_MS) as blocker:
        pane.show_rendered(rendered, bf.images)
    assert blocker.args == [True]
    assert pane.desktop.view.title() == bf.newsletter.subject


def test_each_rendering_reloads_and_cleans_up(qtbot: QtBot) -> None:
    bf = sample_file()
    renderer = Renderer(bf.images)
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.show()
    for subject in ("Premier", "Second"):
        bf.newsletter.subject = subject
        with qtbot.waitSignal(pane.loaded, timeout=LOAD_TIMEOUT_MS):
            pane.show_rendered(renderer.render(bf.newsletter), bf.images)
        assert pane.desktop.view.title() == subject
    folder = pane.desktop.view.url().toLocalFile().rsplit("/", 1)[0]
    from pathlib import Path

    assert len(list(Path(folder).glob("*.html"))) == 1
    pane.show_rendered(None, {})
    assert pane.text.toPlainText() == ""


def test_clicked_links_open_outside_the_preview(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    page = PreviewPage()
    clicked = QWebEnginePage.NavigationType.NavigationTypeLinkClicked
    assert not page.acceptNavigationRequest(QUrl("https://atelier.example/"), clicked, True)
    assert not page.acceptNavigationRequest(QUrl("file:///etc/passwd"), clicked, True)
    assert opened == ["https://atelier.example/"]
    typed = QWebEnginePage.NavigationType.NavigationTypeTyped
    assert page.acceptNavigationRequest(QUrl("file:///tmp/preview-1.html"), typed, True)
    page.deleteLater()


def test_a_rendering_shown_by_the_caller_follows_the_mode(qtbot: QtBot) -> None:
    """Without a session (the window renders), a mode switch shows the same rendering anew."""
    bf = sample_file()
    rendered = Renderer(bf.images).render(bf.newsletter)
    pane = PreviewPane()
    qtbot.addWidget(pane)
    pane.resize(1300, 700)
    pane.show()
    pane.set_mode("images_off")
    with qtbot.waitSignal(pane.shown, timeout=LOAD_TIMEOUT_MS):
        pane.show_rendered(rendered, bf.images)
    assert pane.rendered is rendered
    assert "<img" not in html_of(qtbot, pane)
    with qtbot.waitSignal(pane.shown, timeout=LOAD_TIMEOUT_MS):
        pane.set_mode("desktop")
    assert 'src="data:image/png;base64,' in html_of(qtbot, pane)


def html_of(qtbot: QtBot, pane: PreviewPane) -> str:
    result: list[str] = []
    pane.desktop.view.page().toHtml(result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=LOAD_TIMEOUT_MS)
    return result[0]
