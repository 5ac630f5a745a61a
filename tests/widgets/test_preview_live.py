"""The live preview following an edit session: debounced renders off the UI thread, stale
results dropped, each mode's page, scroll kept, remote images blocked, errors shown."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from pytestqt.qtbot import QtBot

from editor.commands import RemoveBlock, SetRichText
from editor.document import ImageBlock, Newsletter, TextBlock
from editor.render.engine import Rendered, Renderer
from editor.render.preview_modes import IMAGE_BOX_CLASS, lightness, parse_color
from tests.widgets.conftest import LOAD_TIMEOUT_MS, png, sample_file
from widgets.preview import MOBILE_WIDTH, MODES, PreviewPane
from widgets.session import EditSession

pytestmark = pytest.mark.gui


def page_value(qtbot: QtBot, view: QWebEngineView, script: str) -> Any:
    """``script``'s value in the page, run in Qt's own world (the email's JavaScript is off)."""
    result: list[Any] = []
    view.page().runJavaScript(
        script, QWebEngineScript.ScriptWorldId.ApplicationWorld, result.append
    )
    qtbot.waitUntil(lambda: bool(result), timeout=LOAD_TIMEOUT_MS)
    return result[0]


def page_html(qtbot: QtBot, view: QWebEngineView) -> str:
    result: list[str] = []
    view.page().toHtml(result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=LOAD_TIMEOUT_MS)
    return result[0]


class CountingRenderer(Renderer):
    """A renderer that counts its renders and can be held inside one (to make a result stale)."""

    def __init__(self, images: dict[str, bytes]) -> None:
        super().__init__(images)
        self.renders = 0
        self.hold = False
        self.entered = threading.Event()
        self.release = threading.Event()

    def render(self, newsletter: Newsletter) -> Rendered:
        self.renders += 1
        if self.hold:
            self.entered.set()
            self.release.wait(30)
        return super().render(newsletter)


def text_block(session: EditSession) -> TextBlock:
    block = session.document.blocks[1]
    assert isinstance(block, TextBlock)
    return block


def wait_current(qtbot: QtBot, pane: PreviewPane) -> None:
    qtbot.waitUntil(pane.is_current, timeout=LOAD_TIMEOUT_MS)


@pytest.fixture
def session() -> EditSession:
    return EditSession(sample_file())


@pytest.fixture
def pane(qtbot: QtBot, session: EditSession) -> PreviewPane:
    """A pane following ``session``, in desktop mode, with its first page shown."""
    renderer = CountingRenderer(session.file.images)
    widget = PreviewPane(session, renderer=renderer)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    widget.set_mode("desktop")
    wait_current(qtbot, widget)
    return widget


def renderer_of(pane: PreviewPane) -> CountingRenderer:
    renderer = pane._renderer
    assert isinstance(renderer, CountingRenderer)
    return renderer


def test_an_edit_shows_in_the_preview(
    qtbot: QtBot, pane: PreviewPane, session: EditSession
) -> None:
    block = text_block(session)
    seen: list[Rendered] = []
    pane.rendered_changed.connect(seen.append)
    with qtbot.waitSignal(pane.shown, timeout=LOAD_TIMEOUT_MS) as shown:
        assert session.push(SetRichText(block.id, "<p>Les cours reprennent lundi.</p>"))
        assert not pane.is_current()  # debounced: nothing rendered yet
    assert shown.args == [pane.generation]
    assert "Les cours reprennent lundi." in page_html(qtbot, pane.desktop.view)
    assert seen and seen[-1] is pane.rendered
    assert "Les cours reprennent lundi." in pane.text.toPlainText()


def test_a_burst_of_edits_renders_once(
    qtbot: QtBot, pane: PreviewPane, session: EditSession
) -> None:
    renderer = renderer_of(pane)
    before = renderer.renders
    block = text_block(session)
    for n in range(10):  # no event loop between them: the debounce timer cannot fire
        session.push(SetRichText(block.id, f"<p>Version {n}</p>"))
    wait_current(qtbot, pane)
    assert renderer.renders == before + 1
    assert "Version 9" in page_html(qtbot, pane.desktop.view)


def test_a_result_overtaken_by_an_edit_is_never_shown(
    qtbot: QtBot, pane: PreviewPane, session: EditSession
) -> None:
    renderer = renderer_of(pane)
    block = text_block(session)
    shown: list[int] = []
    pane.shown.connect(shown.append)
    renderer.hold = True
    session.push(SetRichText(block.id, "<p>Premier jet</p>"))
    pane.flush()
    first = pane.generation
    assert renderer.entered.wait(30)  # the worker is inside the first render
    renderer.hold = False
    session.push(SetRichText(block.id, "<p>Texte final</p>"))
    pane.flush()  # waits behind the running render
    renderer.release.set()
    wait_current(qtbot, pane)
    assert shown == [pane.generation] and pane.generation == first + 1
    html = page_html(qtbot, pane.desktop.view)
    assert "Texte final" in html and "Premier jet" not in html


def test_each_mode_shows_its_page(qtbot: QtBot, pane: PreviewPane) -> None:
    assert set(MODES) == {"desktop", "phone", "both", "dark", "images_off", "text"}

    pane.set_mode("both")
    wait_current(qtbot, pane)
    assert pane.desktop.isVisibleTo(pane) and pane.mobile.isVisibleTo(pane)
    assert page_value(qtbot, pane.mobile.view, "window.innerWidth") == MOBILE_WIDTH
    light = page_value(qtbot, pane.desktop.view, "getComputedStyle(document.body).backgroundColor")
    colour = parse_color(light)
    assert colour is not None and lightness(colour) > 0.5

    pane.set_mode("phone")
    wait_current(qtbot, pane)
    assert pane.mobile.isVisibleTo(pane) and not pane.desktop.isVisibleTo(pane)

    pane.set_mode("dark")
    wait_current(qtbot, pane)
    for view in pane.views:
        dark = page_value(qtbot, view, "getComputedStyle(document.body).backgroundColor")
        colour = parse_color(dark)
        assert colour is not None and lightness(colour) < 0.5, dark
        text = page_value(qtbot, view, "getComputedStyle(document.querySelector('.bl-text')).color")
        colour = parse_color(text)
        assert colour is not None and lightness(colour) > 0.5, text
    assert 'src="data:image/png;base64,' in page_html(qtbot, pane.desktop.view)  # images kept

    pane.set_mode("images_off")
    wait_current(qtbot, pane)
    html = page_html(qtbot, pane.desktop.view)
    assert "<img" not in html
    boxes = re.findall(rf'class="[^"]*{IMAGE_BOX_CLASS}"[^>]*>([^<]*)<', html)
    assert "L'atelier au printemps" in boxes and "" in boxes  # the column image has no alt
    # The box holds the image's place: as wide as the image would be.
    width = page_value(
        qtbot, pane.desktop.view, f"document.querySelector('.{IMAGE_BOX_CLASS}').offsetWidth"
    )
    assert width > 100

    pane.set_mode("text")
    wait_current(qtbot, pane)
    assert pane.text.isVisibleTo(pane) and not pane.desktop.isVisibleTo(pane)
    assert pane.rendered is not None
    assert pane.text.toPlainText() == pane.rendered.text_for(None, preview=True)
    assert "L'atelier rouvre ses portes le 3 mars." in pane.text.toPlainText()


def test_mode_buttons_have_names_shortcuts_and_switch_the_mode(
    qtbot: QtBot, pane: PreviewPane
) -> None:
    actions = pane.toolbar.actions()
    by_mode = {a.data(): a for a in actions if a.data()}
    assert list(by_mode) == list(MODES)
    for index, mode in enumerate(MODES, start=1):
        action = by_mode[mode]
        assert action.shortcut().toString() == f"Alt+{index}"
        assert action.toolTip() and action.isCheckable()
        button = pane.toolbar.widgetForAction(action)
        assert button.accessibleName() == action.text()
    with qtbot.waitSignal(pane.mode_changed) as changed:
        by_mode["dark"].trigger()
    assert changed.args == ["dark"] and pane.mode == "dark"
    assert by_mode["dark"].isChecked() and not by_mode["desktop"].isChecked()
    with pytest.raises(ValueError):
        pane.set_mode("sepia")
    # A host window may put the same actions in its own toolbar; the pane's bar then goes.
    assert pane.mode_actions() == [by_mode[mode] for mode in MODES]
    assert not pane.toolbar.isVisible()


def test_the_scroll_position_survives_an_update(
    qtbot: QtBot, pane: PreviewPane, session: EditSession
) -> None:
    pane.resize(1000, 400)  # the page is taller than the view
    front = pane.desktop.view
    qtbot.waitUntil(lambda: page_value(qtbot, front, "window.innerHeight") < 400)
    page_value(qtbot, front, "window.scrollTo(0, 150); window.scrollY")
    qtbot.waitUntil(lambda: front.page().scrollPosition().y() == 150, timeout=LOAD_TIMEOUT_MS)
    session.push(SetRichText(text_block(session).id, "<p>Un texte modifié</p>"))
    wait_current(qtbot, pane)
    now = pane.desktop.view
    assert now is front  # the page was updated in place
    assert "Un texte modifié" in page_html(qtbot, now)
    assert page_value(qtbot, now, "window.scrollY") == 150
    assert now.page().scrollPosition().y() == 150


class _Counter(BaseHTTPRequestHandler):
    hits: list[str]

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = png(40, 40)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def image_server() -> Iterator[tuple[str, list[str]]]:
    """An http server on 127.0.0.1 that serves a PNG and counts the requests."""
    hits: list[str] = []
    handler = type("Handler", (_Counter,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_remote_images_wait_for_the_users_permission(
    qtbot: QtBot, image_server: tuple[str, list[str]]
) -> None:
    base, hits = image_server
    bf = sample_file()
    bf.newsletter.blocks.insert(0, ImageBlock(src=f"{base}/logo.png", alt="Logo", width=40))
    session = EditSession(bf)
    pane = PreviewPane(session)
    qtbot.addWidget(pane)
    pane.resize(1300, 700)
    pane.show()
    wait_current(qtbot, pane)
    qtbot.waitUntil(pane.remote_bar.isVisible, timeout=LOAD_TIMEOUT_MS)
    assert hits == []
    assert not pane.remote_images_allowed
    # Embedded images show all the same.
    assert page_value(
        qtbot,
        pane.desktop.view,
        "[...document.images].filter(i => i.src.startsWith('data:'))"
        ".every(i => i.naturalWidth > 0)",
    )
    with qtbot.waitSignal(pane.remote_images_allowed_changed) as allowed:
        qtbot.mouseClick(pane.remote_button, Qt.MouseButton.LeftButton)
    assert allowed.args == [True]
    wait_current(qtbot, pane)
    qtbot.waitUntil(lambda: "/logo.png" in hits, timeout=LOAD_TIMEOUT_MS)
    assert not pane.remote_bar.isVisible()


def test_a_render_error_is_shown_and_the_last_preview_stays(
    qtbot: QtBot, pane: PreviewPane, session: EditSession
) -> None:
    block = text_block(session)
    with qtbot.waitSignal(pane.failed, timeout=LOAD_TIMEOUT_MS) as failed:
        session.push(SetRichText(block.id, "<p>Bonjour {{ first_name | }}</p>"))
    wait_current(qtbot, pane)
    assert pane.error_bar.isVisible()
    assert failed.args[0] in pane.error_bar.text()
    assert "first_name" in pane.error_bar.text()
    assert "rouvre" in page_html(qtbot, pane.desktop.view)  # the last good page stays
    with qtbot.waitSignal(pane.shown, timeout=LOAD_TIMEOUT_MS):
        session.undo_stack.undo()
    assert not pane.error_bar.isVisible()


def test_a_pane_without_session_renders_nothing(qtbot: QtBot) -> None:
    pane = PreviewPane()
    qtbot.addWidget(pane)
    assert pane.is_current() and pane.rendered is None and pane.session is None
    pane.flush()
    assert pane.generation == 0


def test_an_edit_updates_the_page_in_place_without_navigating(
    qtbot: QtBot, pane: PreviewPane, session: EditSession
) -> None:
    """No blank page while typing, and nothing that accumulates per edit: the front page's
    document is replaced in place; no view navigates (each navigation costs QtWebEngine memory
    for good)."""
    device = pane.desktop
    front, old_url = device.view, device.view.url()
    assert not old_url.isEmpty()
    starts: list[QWebEngineView] = []
    for view in (device.view, device.back):
        view.loadStarted.connect(lambda view=view: starts.append(view))
    for version in ("Nouvelle version", "Version suivante"):
        session.push(SetRichText(text_block(session).id, f"<p>{version}</p>"))
        wait_current(qtbot, pane)
        assert version in page_html(qtbot, device.view)
    assert starts == []
    assert device.view is front and front.url() == old_url
    assert device.shown_url != old_url and device.shown_url.fileName().startswith("preview-")
    assert page_value(qtbot, front, "document.title") == session.document.subject


def test_a_reload_keeps_the_old_page_in_front_until_the_new_one_has_loaded(
    qtbot: QtBot, pane: PreviewPane
) -> None:
    """Allowing remote images loads the page anew: behind, and in front once loaded."""
    device = pane.desktop
    front, old_url = device.view, device.view.url()
    assert not old_url.isEmpty() and device.back.url() == old_url  # both views drew a page
    seen: list[tuple[bool, bool]] = []  # while the new page loads: (old view in front, old URL)
    device.back.loadStarted.connect(
        lambda: seen.append((device.view is front, front.url() == old_url))
    )
    device.back.loadFinished.connect(
        lambda _ok: seen.append((device.view is front, front.url() == old_url))
    )
    pane.set_remote_images_allowed(True)
    wait_current(qtbot, pane)
    assert seen and all(in_front and same for in_front, same in seen)
    assert device.view is not front and device.view.url() != old_url
    assert device.shown_url == device.view.url()


def test_the_remote_images_bar_follows_pages_updated_in_place(
    qtbot: QtBot, image_server: tuple[str, list[str]]
) -> None:
    base, hits = image_server
    bf = sample_file()
    picture = ImageBlock(src=f"{base}/logo.png", alt="Logo", width=40)
    bf.newsletter.blocks.insert(0, picture)
    session = EditSession(bf)
    pane = PreviewPane(session)
    qtbot.addWidget(pane)
    pane.resize(1300, 700)
    pane.show()
    wait_current(qtbot, pane)
    qtbot.waitUntil(pane.remote_bar.isVisible, timeout=LOAD_TIMEOUT_MS)
    front = pane.desktop.view
    session.push(RemoveBlock(picture.id))
    wait_current(qtbot, pane)
    assert pane.desktop.view is front  # in place
    qtbot.waitUntil(lambda: not pane.remote_bar.isVisible(), timeout=LOAD_TIMEOUT_MS)
    session.undo_stack.undo()  # the remote picture is back: refused again, the bar again
    wait_current(qtbot, pane)
    qtbot.waitUntil(pane.remote_bar.isVisible, timeout=LOAD_TIMEOUT_MS)
    assert pane.desktop.view is front and hits == []
