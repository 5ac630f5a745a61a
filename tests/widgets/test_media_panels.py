"""The image, social-links and latest-posts panels of the inspector, driven as a user does.

The network is a real HTTP server on 127.0.0.1 serving the feed fixtures; images are made by
Pillow in the test's folder. Every wait is bounded and waits for a state, never for a duration.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, QThreadPool, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from editor.blocks.image import ImageBlock
from editor.blocks.posts import PostsBlock
from editor.blocks.social import SocialBlock, SocialLink
from editor.document import Newsletter
from editor.feeds import FeedCache
from editor.i18n import set_language
from editor.images import Prepared
from editor.package import BulletinFile
from tests.test_feeds import RSS, Reply, fixture, serve, slow
from widgets.background import BackgroundTask
from widgets.inspector.base import BlockPanel
from widgets.inspector.image_panel import ImagePanel, saved_text
from widgets.inspector.posts_panel import PostsPanel, when
from widgets.inspector.social_panel import SocialPanel
from widgets.session import EditSession

WAIT_MS = 20_000  # a bound for a loaded machine, not a measurement
FEED = Reply(body=fixture("wordpress.xml"), headers={"Content-Type": RSS})
HOME = Reply(body=fixture("wordpress-home.html"), headers={"Content-Type": "text/html"})
TITLES = [
    "Café & chocolat : l’accord parfait pour l’hiver",
    "Atelier « Latte art » : les inscriptions sont ouvertes",
    "Nouvelle origine : Colombie, finca El Paraíso",
]


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything goes straight to 127.0.0.1, whatever proxy the machine has configured."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("no_proxy", "*")


@pytest.fixture(autouse=True)
def background_work_ends(qtbot: QtBot) -> Iterator[None]:
    """No test leaves a job running, or its results undelivered, for the next one."""
    yield
    assert QThreadPool.globalInstance().waitForDone(WAIT_MS)
    qtbot.waitUntil(lambda: BackgroundTask.running() == 0, timeout=WAIT_MS)


def session_with(*blocks: object, tmp_path: Path) -> EditSession:
    newsletter = Newsletter(language="fr", blocks=list(blocks))  # type: ignore[arg-type]
    return EditSession(BulletinFile(newsletter), FeedCache(tmp_path / "feeds"))


def shown(qtbot: QtBot, session: EditSession, panel: BlockPanel) -> None:
    """Show ``panel`` as the inspector does: it re-reads the block after every change."""
    session.changed.connect(panel.refresh)
    qtbot.addWidget(panel)
    panel.resize(340, 700)
    panel.show()


def camera_photo(folder: Path) -> Path:
    """A 4000 × 3000 photo as a phone writes it, with its GPS position."""
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (45.0, 45.0, 30.0)}
    grain = Image.effect_noise((4000, 3000), 40).convert("RGB")
    base = Image.linear_gradient("L").resize((4000, 3000)).convert("RGB")
    path = folder / "IMG_2041.jpg"
    Image.blend(base, grain, 0.3).save(path, "JPEG", quality=95, exif=exif)
    return path


# --------------------------------------------------------------------------------------- image


def test_choosing_a_photo_embeds_it_lighter_in_one_undo_step(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = session_with(
        ImageBlock(id="img", src="https://cdn.example/old.jpg"), tmp_path=tmp_path
    )
    panel = ImagePanel(session, "img")
    shown(qtbot, session, panel)
    photo = camera_photo(tmp_path)
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *args: (str(photo), "Images"))
    )

    with qtbot.waitSignal(panel.image_set, timeout=WAIT_MS):
        qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
        assert panel.is_busy() and not panel.choose_button.isEnabled()  # off the UI thread

    block = session.document.blocks[0]
    assert isinstance(block, ImageBlock) and block.is_embedded
    stored = session.file.images[block.src]
    assert len(stored) < photo.stat().st_size / 5
    assert Image.open(io.BytesIO(stored)).size == (1200, 900)  # twice the 600 px content width
    assert b"Exif" not in stored
    assert panel.status.isVisible() and panel.status.text().endswith("KB saved")
    saved = round((photo.stat().st_size - len(stored)) / 1024)
    assert panel.status.text() == f"{saved:,} KB saved"
    assert not panel.thumbnail.pixmap().isNull()
    assert session.undo_stack.count() == 1

    session.undo_stack.undo()
    assert session.document.blocks[0].src == "https://cdn.example/old.jpg"  # type: ignore[attr-defined]
    assert panel.url.value() == "https://cdn.example/old.jpg"
    assert not panel.status.isVisible()  # the figure spoke of the image that is gone


def test_saved_size_is_written_as_the_language_writes_numbers() -> None:
    prepared = Prepared(b"", "jpg", 1, 1, 1_884_160)
    assert saved_text(prepared) == "1,840 KB saved"
    set_language("fr")
    assert any(f"1{space}840" in saved_text(prepared) for space in ("\u202f", "\u00a0", " "))


def test_a_file_that_is_no_image_changes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    session = session_with(ImageBlock(id="img"), tmp_path=tmp_path)
    panel = ImagePanel(session, "img")
    shown(qtbot, session, panel)
    fake = tmp_path / "facture.jpg"
    fake.write_bytes(b"%PDF-1.7 not a photo")

    with qtbot.waitSignal(panel.busy_changed, timeout=WAIT_MS, check_params_cb=lambda b: not b):
        panel.use_file(str(fake))

    assert panel.error.isVisible()
    assert (
        "facture.jpg" in panel.error.text() and "not a PNG, JPEG, GIF or WebP" in panel.error.text()
    )
    assert session.document.blocks[0].src == ""  # type: ignore[attr-defined]
    assert session.undo_stack.count() == 0 and not session.file.images


def test_dropping_a_file_on_the_panel(qtbot: QtBot, tmp_path: Path) -> None:
    session = session_with(ImageBlock(id="img"), tmp_path=tmp_path)
    panel = ImagePanel(session, "img")
    shown(qtbot, session, panel)
    path = tmp_path / "logo.png"
    Image.new("RGBA", (300, 100), (37, 99, 235, 255)).save(path)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )

    with qtbot.waitSignal(panel.image_set, timeout=WAIT_MS):
        panel.dropEvent(drop)

    block = session.document.blocks[0]
    assert isinstance(block, ImageBlock) and block.src.endswith(".png")
    assert panel.status.text() == "Added as it was: it is already light enough for an email."


def test_image_address_must_be_https(qtbot: QtBot, tmp_path: Path) -> None:
    session = session_with(ImageBlock(id="img"), tmp_path=tmp_path)
    panel = ImagePanel(session, "img")
    shown(qtbot, session, panel)

    for bad in ("http://cdn.example/photo.jpg", "javascript:alert(1)", "file:///etc/passwd"):
        panel.url.line.setText(bad)
        qtbot.keyClick(panel.url.line, Qt.Key.Key_Return)
        assert "must be a secure web address" in panel.url.error_text()
        assert session.document.blocks[0].src == ""  # type: ignore[attr-defined]
    assert session.undo_stack.count() == 0

    panel.url.line.setText("https://cdn.example/photo.jpg")
    qtbot.keyClick(panel.url.line, Qt.Key.Key_Return)
    assert panel.url.error_text() == ""
    assert session.document.blocks[0].src == "https://cdn.example/photo.jpg"  # type: ignore[attr-defined]
    assert "not shown here" in panel.thumbnail.text()  # never downloaded by the panel


def test_empty_alt_text_asks_for_one(qtbot: QtBot, tmp_path: Path) -> None:
    session = session_with(ImageBlock(id="img"), tmp_path=tmp_path)
    panel = ImagePanel(session, "img")
    shown(qtbot, session, panel)
    assert panel.alt_prompt.isVisible()
    assert "screen reader" in panel.alt_prompt.text()

    qtbot.keyClicks(panel.alt.line, "Vitrine")
    assert not panel.alt_prompt.isVisible()
    assert session.document.blocks[0].alt == "Vitrine"  # type: ignore[attr-defined]
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert panel.alt.value() == "" and panel.alt_prompt.isVisible()


def test_bad_link_is_refused_and_width_and_alignment_are_set(qtbot: QtBot, tmp_path: Path) -> None:
    session = session_with(ImageBlock(id="img"), tmp_path=tmp_path)
    panel = ImagePanel(session, "img")
    shown(qtbot, session, panel)

    qtbot.keyClicks(panel.link.line, "javascript:alert(1)")
    panel.link.finished.emit()
    assert panel.link.error_text()
    assert session.document.blocks[0].link == ""  # type: ignore[attr-defined]

    panel.width_editor.spin.setValue(300)
    panel.align.combo.setCurrentIndex(panel.align.combo.findData("left"))
    block = session.document.blocks[0]
    assert isinstance(block, ImageBlock) and (block.width, block.align) == (300, "left")


def test_panel_closed_while_preparing(qtbot: QtBot, tmp_path: Path) -> None:
    """The inspector drops the panel when the selection changes: the result goes nowhere."""
    session = session_with(ImageBlock(id="img"), tmp_path=tmp_path)
    panel = ImagePanel(session, "img")
    session.changed.connect(panel.refresh)
    panel.show()
    panel.use_file(str(camera_photo(tmp_path)))
    panel.close()
    panel.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # gone before the result
    qtbot.waitUntil(lambda: BackgroundTask.running() == 0, timeout=WAIT_MS)
    assert session.document.blocks[0].src == ""  # type: ignore[attr-defined]
    assert session.undo_stack.count() == 0


# -------------------------------------------------------------------------------------- social


def social_session(tmp_path: Path) -> EditSession:
    links = [
        SocialLink("facebook", "https://www.facebook.com/atelier"),
        SocialLink("instagram", "https://www.instagram.com/atelier"),
    ]
    return session_with(SocialBlock(id="soc", links=links), tmp_path=tmp_path)


def links(session: EditSession) -> list[tuple[str, str]]:
    block = session.document.blocks[0]
    assert isinstance(block, SocialBlock)
    return [(link.network, link.url) for link in block.links]


def test_facebook_field_refuses_a_twitter_address(qtbot: QtBot, tmp_path: Path) -> None:
    session = social_session(tmp_path)
    panel = SocialPanel(session, "soc")
    shown(qtbot, session, panel)
    before = links(session)
    field = panel.rows[0].field

    field.line.clear()
    qtbot.keyClicks(field.line, "https://twitter.com/atelier")
    qtbot.keyClick(field.line, Qt.Key.Key_Return)

    assert "not on Facebook" in field.error_text()
    assert field.error.isVisible()
    assert links(session) == before
    assert session.undo_stack.count() == 0


def test_profile_link_typed_goes_in_and_undoes(qtbot: QtBot, tmp_path: Path) -> None:
    session = social_session(tmp_path)
    panel = SocialPanel(session, "soc")
    shown(qtbot, session, panel)
    before = links(session)
    field = panel.rows[1].field

    field.line.clear()
    qtbot.keyClicks(field.line, "instagram.com/la.brulerie")

    assert field.error_text() == ""
    assert links(session)[1] == ("instagram", "instagram.com/la.brulerie")
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert links(session) == before
    assert field.value() == "https://www.instagram.com/atelier"


def test_networks_are_added_moved_and_removed(qtbot: QtBot, tmp_path: Path) -> None:
    session = social_session(tmp_path)
    panel = SocialPanel(session, "soc")
    shown(qtbot, session, panel)

    panel._fill_add_menu()
    offered = [action.text() for action in panel.add_menu.actions()]
    assert "Facebook" not in offered and "LinkedIn" in offered and "Email" in offered
    next(a for a in panel.add_menu.actions() if a.text() == "Email").trigger()
    assert [n for n, _url in links(session)] == ["facebook", "instagram", "email"]
    assert [row.network for row in panel.rows] == ["facebook", "instagram", "email"]

    email = panel.rows[2].field
    qtbot.keyClicks(email.line, "bonjour@")
    email.finished.emit()
    assert "not a valid email address" in email.error_text()
    assert links(session)[2] == ("email", "")

    qtbot.mouseClick(panel.rows[2].up, Qt.MouseButton.LeftButton)
    assert [n for n, _url in links(session)] == ["facebook", "email", "instagram"]
    qtbot.mouseClick(panel.rows[0].remove, Qt.MouseButton.LeftButton)
    assert [n for n, _url in links(session)] == ["email", "instagram"]
    assert [row.network for row in panel.rows] == ["email", "instagram"]
    assert not panel.rows[0].up.isEnabled() and not panel.rows[1].down.isEnabled()

    session.undo_stack.undo()
    session.undo_stack.undo()
    assert [n for n, _url in links(session)] == ["facebook", "instagram", "email"]
    assert [row.network for row in panel.rows] == ["facebook", "instagram", "email"]


def test_alt_arrows_move_a_network_from_its_field(qtbot: QtBot, tmp_path: Path) -> None:
    session = social_session(tmp_path)
    panel = SocialPanel(session, "soc")
    shown(qtbot, session, panel)
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.rows[0].field.line.setFocus()
    qtbot.waitUntil(panel.rows[0].field.line.hasFocus, timeout=WAIT_MS)

    qtbot.keyClick(panel.rows[0].field.line, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)

    assert [n for n, _url in links(session)] == ["instagram", "facebook"]
    assert panel.rows[1].network == "facebook" and panel.rows[1].field.line.hasFocus()
    qtbot.keyClick(panel.rows[1].field.line, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [n for n, _url in links(session)] == ["facebook", "instagram"]


def test_icons_are_the_real_files_in_the_chosen_style(qtbot: QtBot, tmp_path: Path) -> None:
    session = social_session(tmp_path)
    panel = SocialPanel(session, "soc")
    shown(qtbot, session, panel)

    def corner_colour() -> str:
        image = panel.rows[0].icon.pixmap().toImage()
        return image.pixelColor(image.width() // 8, image.height() // 2).name()

    assert corner_colour() == "#1877f2"  # Facebook blue, from resources/social/color
    panel.style_editor.combo.setCurrentIndex(panel.style_editor.combo.findData("dark"))
    assert session.document.blocks[0].icon_style == "dark"  # type: ignore[attr-defined]
    assert corner_colour() == "#1f2937"
    panel.size_editor.combo.setCurrentIndex(panel.size_editor.combo.findData(48))
    assert session.document.blocks[0].size == 48  # type: ignore[attr-defined]
    assert session.undo_stack.count() == 2
    assert not panel.strip.pixmap().isNull()


# --------------------------------------------------------------------------------------- posts


def test_refresh_then_offline_shows_the_cached_posts_and_their_date(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with serve({"/feed/": FEED}) as site:
        url = site.url("/feed/")
        session = session_with(PostsBlock(id="posts", feed_url=url), tmp_path=tmp_path)
        panel = PostsPanel(session, "posts")
        shown(qtbot, session, panel)
        assert panel.posts.count() == 0 and "No posts fetched yet" in panel.status.text()

        with (
            qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS),
            qtbot.waitSignal(session.changed, timeout=WAIT_MS),
        ):
            qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
            assert panel.cancel_button.isVisible() and panel.progress.isVisible()

    today = when(datetime.now().astimezone())
    assert panel.status.text() == f"Posts as of {today}"
    assert [panel.posts.item(i).text().split("\n")[0] for i in range(3)] == TITLES
    assert not panel.cancel_button.isVisible() and not panel.error.isVisible()
    assert session.undo_stack.count() == 0  # fetching is no change to the document

    # The server is gone: the refresh fails, the cached posts and their date stay.
    with qtbot.waitSignal(panel.busy_changed, timeout=WAIT_MS, check_params_cb=lambda b: not b):
        qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
    assert panel.error.isVisible() and "connection refused" in panel.error.text()
    assert panel.status.text() == f"Posts as of {today}"
    assert panel.posts.count() == 3
    cached = session.feeds.get(url)
    assert cached is not None and len(cached.posts) == 3


def test_fewer_posts_shown_when_the_count_drops(qtbot: QtBot, tmp_path: Path) -> None:
    with serve({"/feed/": FEED}) as site:
        session = session_with(
            PostsBlock(id="posts", feed_url=site.url("/feed/")), tmp_path=tmp_path
        )
        session.feeds.refresh(site.url("/feed/"))
    panel = PostsPanel(session, "posts")
    shown(qtbot, session, panel)
    assert panel.posts.count() == 3
    panel.count.spin.setValue(1)
    assert session.document.blocks[0].count == 1  # type: ignore[attr-defined]
    assert panel.posts.count() == 1
    excerpt = next(b for b in panel.bindings if b.editor.objectName() == "show_excerpt")
    excerpt.editor.check.setChecked(False)  # type: ignore[attr-defined]
    assert session.document.blocks[0].show_excerpt is False  # type: ignore[attr-defined]


def test_find_the_feed_from_the_home_page(qtbot: QtBot, tmp_path: Path) -> None:
    with serve({"/": HOME, "/feed/": FEED, "/comments/feed/": FEED}) as site:
        session = session_with(PostsBlock(id="posts"), tmp_path=tmp_path)
        panel = PostsPanel(session, "posts")
        shown(qtbot, session, panel)
        panel.feed.line.setText(site.url("/"))

        with qtbot.waitSignal(panel.refreshed, timeout=WAIT_MS):
            qtbot.mouseClick(panel.find_button, Qt.MouseButton.LeftButton)

        assert session.document.blocks[0].feed_url == site.url("/feed/")  # type: ignore[attr-defined]
        assert panel.feed.value() == site.url("/feed/")
        assert panel.posts.count() == 3
        assert session.undo_stack.count() == 1  # the address; the fetch is no step


def test_a_bad_address_is_refused(qtbot: QtBot, tmp_path: Path) -> None:
    session = session_with(PostsBlock(id="posts"), tmp_path=tmp_path)
    panel = PostsPanel(session, "posts")
    shown(qtbot, session, panel)
    panel.feed.line.setText("ftp://example.com/feed")
    qtbot.keyClick(panel.feed.line, Qt.Key.Key_Return)
    assert panel.feed.error_text()
    assert session.document.blocks[0].feed_url == ""  # type: ignore[attr-defined]

    panel.feed.line.setText("brulerie.example/feed/")
    qtbot.keyClick(panel.feed.line, Qt.Key.Key_Return)
    assert session.document.blocks[0].feed_url == "https://brulerie.example/feed/"  # type: ignore[attr-defined]


def test_cancelled_refresh_changes_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    with serve({"/slow/": slow}) as site:
        url = site.url("/slow/")
        session = session_with(PostsBlock(id="posts", feed_url=url), tmp_path=tmp_path)
        panel = PostsPanel(session, "posts")
        shown(qtbot, session, panel)
        changes: list[None] = []
        session.changed.connect(lambda: changes.append(None))

        qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
        assert panel.is_busy()
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)

        assert not panel.is_busy() and panel.refresh_button.isEnabled()
        assert not panel.cancel_button.isVisible()
        assert "Cancelled" in panel.error.text()
    # The server is gone and the download has ended: still nothing stored, nothing redrawn.
    assert QThreadPool.globalInstance().waitForDone(WAIT_MS)
    qtbot.waitUntil(lambda: BackgroundTask.running() == 0, timeout=WAIT_MS)
    assert session.feeds.get(url) is None
    assert changes == [] and "Cancelled" in panel.error.text()
