"""The main window: a document's outline, previews, warnings, and the File menu (the composer's
frame is tested in test_composer_window.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from editor import findings, package
from editor.document import ColumnsBlock, ImageBlock
from editor.package import PackageError
from editor.starters import list_starters
from tests.widgets.conftest import LOAD_TIMEOUT_MS, SUBJECT, sample_file
from widgets.documents import OpenDocument, create_document
from widgets.main_window import MainWindow
from widgets.outline import BLOCK_ID_ROLE
from widgets.preview import DESKTOP_WIDTH, MOBILE_WIDTH
from widgets.warnings_list import FINDING_ROLE

pytestmark = pytest.mark.gui

Show = Callable[[MainWindow, OpenDocument], None]


def page_value(qtbot: QtBot, view: QWebEngineView, script: str) -> object:
    """The value of ``script`` in the page (run in Qt's own world: the page has no JavaScript)."""
    result: list[object] = []
    view.page().runJavaScript(
        script, QWebEngineScript.ScriptWorldId.ApplicationWorld, result.append
    )
    qtbot.waitUntil(lambda: bool(result), timeout=LOAD_TIMEOUT_MS)
    return result[0]


def title(window: MainWindow) -> str:
    """The title as the user sees it: Qt shows "*" for "[*]" while the window is modified."""
    return window.windowTitle().replace("[*]", "*" if window.isWindowModified() else "")


def page_html(qtbot: QtBot, view: QWebEngineView) -> str:
    result: list[str] = []
    view.page().toHtml(result.append)
    qtbot.waitUntil(lambda: bool(result), timeout=LOAD_TIMEOUT_MS)
    return result[0]


def test_empty_window_has_nothing_to_save(window: MainWindow) -> None:
    assert window.windowTitle() == "Bulletin"
    assert window.outline.outline.rowCount() == 0
    assert not window.window_actions.save.isEnabled()
    assert not window.window_actions.save_as.isEnabled()


def test_title_names_the_document(window: MainWindow, sample: OpenDocument, show: Show) -> None:
    show(window, sample)
    assert title(window) == "Untitled — Bulletin"
    assert window.window_actions.save_as.isEnabled()
    assert window.size_label.text().startswith("HTML: ")
    assert window.size_label.text().endswith(" KB (Gmail clips above 102 KB)")


def test_outline_lists_blocks_and_nests_columns(
    window: MainWindow, sample: OpenDocument, show: Show
) -> None:
    show(window, sample)
    model = window.outline.outline
    blocks = sample.file.newsletter.blocks
    assert model.rowCount() == len(blocks)
    labels = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert labels == ["Heading", "Text", "Image", "Columns", "Button", "Divider", "Footer"]
    assert model.index(0, 1).data() == "H1 · Bonjour {{ first_name }} !"
    assert model.index(1, 1).data() == "L'atelier rouvre ses portes le 3 mars."
    assert [model.index(r, 0).data(BLOCK_ID_ROLE) for r in range(len(blocks))] == [
        b.id for b in blocks
    ]
    columns = model.index(3, 0)
    columns_block = blocks[3]
    assert isinstance(columns_block, ColumnsBlock)
    assert model.rowCount(columns) == 2
    first = model.index(0, 0, columns)
    assert (first.data(), model.index(0, 1, columns).data()) == ("Column 1", "50 %")
    assert model.index(0, 1, first).data() == "Poterie le mardi"
    assert model.index(0, 0, first).data(BLOCK_ID_ROLE) == columns_block.columns[0].blocks[0].id
    assert window.outline.isExpanded(columns)


def test_desktop_preview_shows_the_email(
    qtbot: QtBot, window: MainWindow, sample: OpenDocument, show: Show
) -> None:
    show(window, sample)
    view = window.preview.desktop.view
    assert view.title() == SUBJECT
    html = page_html(qtbot, view)
    assert "Bonjour" in html and "Réserver une place" in html
    # Images are inlined: the preview needs no network and no cid: resolver.
    assert 'src="data:image/png;base64,' in html
    assert "bulletin-image:" not in html and "cid:" not in html
    # Merge tags show sample values, not Jinja source.
    assert "{{" not in html


def test_mobile_preview_is_a_phone_wide(
    qtbot: QtBot, window: MainWindow, sample: OpenDocument, show: Show
) -> None:
    window.show_preview()  # the preview is the centre's second tab
    show(window, sample)
    mobile = window.preview.mobile.view
    assert mobile.width() == MOBILE_WIDTH
    # At the window's preferred size the desktop pane is about a desktop mail client wide.
    assert abs(window.preview.desktop.view.width() - DESKTOP_WIDTH) <= 60
    qtbot.waitUntil(lambda: mobile.title() == SUBJECT, timeout=LOAD_TIMEOUT_MS)
    assert page_value(qtbot, mobile, "window.innerWidth") == MOBILE_WIDTH


def test_plain_text_tab_shows_the_text_part(
    window: MainWindow, sample: OpenDocument, show: Show
) -> None:
    show(window, sample)
    text = window.preview.text
    assert text.isReadOnly()
    assert "L'atelier rouvre ses portes le 3 mars." in text.toPlainText()
    assert window.rendered is not None
    assert text.toPlainText() == window.rendered.text_for(None)
    assert [window.centre.tabText(i) for i in range(window.centre.count())] == [
        "Compose",
        "Preview",
    ]


def test_warnings_list_shows_the_renderer_warnings(
    window: MainWindow, sample: OpenDocument, show: Show
) -> None:
    assert window.warnings.item(0).text() == "No warnings."
    show(window, sample)
    assert window.rendered is not None
    assert window.rendered.findings  # the column image has no alt text
    assert window.warnings.findings == list(dict.fromkeys(window.rendered.findings))
    assert window.warnings.count() == len(window.warnings.findings)
    rows = [window.warnings.item(i) for i in range(window.warnings.count())]
    no_alt = [r for r in rows if r.data(FINDING_ROLE).code == findings.IMAGE_NO_ALT]
    assert no_alt and "alt text" in no_alt[0].text()
    assert findings.fix(no_alt[0].data(FINDING_ROLE)) in no_alt[0].text()
    image = no_alt[0].data(FINDING_ROLE).block_id
    assert image is not None and no_alt[0].data(BLOCK_ID_ROLE) == image
    assert isinstance(sample.file.newsletter.find(image), ImageBlock)  # selectable later


def test_opening_a_corrupt_file_shows_the_core_message(
    tmp_path: Path,
    window: MainWindow,
    sample: OpenDocument,
    show: Show,
    errors: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    show(window, sample)
    bad = tmp_path / "abîmé.bulletin"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(PackageError) as raised:
        package.load(bad)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    window.window_actions.open.trigger()
    assert errors == [("Cannot open the file", str(raised.value))]
    assert window.document is sample  # the open document stays
    assert title(window) == "Untitled — Bulletin"


def test_open_shows_the_file(
    tmp_path: Path, window: MainWindow, show: Show, qtbot: QtBot, errors: list[tuple[str, str]]
) -> None:
    path = tmp_path / "mars.bulletin"
    package.save(sample_file(), path)
    with qtbot.waitSignal(window.preview.loaded, timeout=LOAD_TIMEOUT_MS):
        assert window.open_file(path)
    assert errors == []
    assert title(window) == "mars — Bulletin"
    assert window.preview.desktop.view.title() == SUBJECT


def test_save_as_writes_a_file_the_core_reads(
    tmp_path: Path,
    window: MainWindow,
    sample: OpenDocument,
    show: Show,
    errors: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    show(window, sample)
    asked: list[str] = []

    def ask(parent: object, caption: str, suggested: str, *args: object) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / "copie"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    window.window_actions.save_as.trigger()
    saved = tmp_path / "copie.bulletin"  # the suffix is added
    assert errors == []
    assert Path(asked[0]).name == "Untitled.bulletin"
    reopened = package.load(saved)
    assert reopened.newsletter == sample.file.newsletter
    assert reopened.images == sample.file.images
    assert window.document is not None and window.document.path == saved
    assert title(window) == "copie — Bulletin"
    # From now on Save writes that file without asking.
    saved.unlink()
    window.window_actions.save.trigger()
    assert len(asked) == 1 and package.load(saved).newsletter.subject == SUBJECT


def test_save_of_a_new_document_asks_where(
    tmp_path: Path,
    window: MainWindow,
    sample: OpenDocument,
    show: Show,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    show(window, sample)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "new.bulletin"), "")
    )
    assert window.save()
    assert package.load(tmp_path / "new.bulletin").newsletter.subject == SUBJECT


def test_cancelled_save_as_writes_nothing(
    tmp_path: Path,
    window: MainWindow,
    sample: OpenDocument,
    show: Show,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    show(window, sample)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert not window.save_as()
    assert window.document is not None and window.document.path is None


def test_save_failure_shows_the_core_message(
    tmp_path: Path,
    window: MainWindow,
    sample: OpenDocument,
    show: Show,
    errors: list[tuple[str, str]],
) -> None:
    show(window, sample)
    target = tmp_path / "missing-folder" / "x.bulletin"
    assert not window.save_as(target)
    assert len(errors) == 1 and errors[0][0] == "Cannot save"
    assert "Traceback" not in errors[0][1] and errors[0][1]
    assert window.document is not None and window.document.path is None


def test_unknown_template_shows_the_core_message(errors: list[tuple[str, str]]) -> None:
    assert create_document(None, "does-not-exist") is None
    [(title, message)] = errors
    assert title == "Cannot create the newsletter"
    assert '"does-not-exist"' in message


def test_file_menu_has_standard_shortcuts(window: MainWindow) -> None:
    a = window.window_actions
    assert a.open.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert a.save.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert not a.save_as.shortcut().isEmpty()
    assert not a.quit.shortcut().isEmpty()
    assert [m.text() for m in window.menuBar().actions()] == [
        "&File",
        "&Edit",
        "&Insert",
        "&View",
        "C&ontacts",
        "&Sending",
        "In&box",
        "&Help",
    ]
    assert a.contacts.shortcut() == QKeySequence("Ctrl+Shift+C")
    assert QKeySequence(QKeySequence.StandardKey.Undo) in a.undo.shortcuts()
    assert QKeySequence("Ctrl+Shift+Z") in a.redo.shortcuts()
    assert QKeySequence("Ctrl+Y") in a.redo.shortcuts()


def test_about_names_the_app(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "about", lambda parent, title, text: shown.append((title, text))
    )
    window.window_actions.about.trigger()
    [(title, text)] = shown
    assert title == "About Bulletin" and "<h3>Bulletin " in text


def test_windows_share_nothing(qtbot: QtBot, sample: OpenDocument, show: Show) -> None:
    first, second = MainWindow(), MainWindow()
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    show(first, sample)
    show(second, OpenDocument(sample_file()))
    assert first.rendered is not second.rendered
    assert first.preview.desktop.view.url() != second.preview.desktop.view.url()


def test_every_shipped_starter_opens(
    qtbot: QtBot, window: MainWindow, show: Show, errors: list[tuple[str, str]]
) -> None:
    shipped = list_starters()
    if not shipped:
        pytest.skip("resources/starters holds no starter yet")
    for starter in shipped:
        document = create_document(window, starter.name)
        assert document is not None, errors
        show(window, document)
        assert window.outline.outline.rowCount() == len(document.file.newsletter.blocks)
        assert window.preview.desktop.view.title()  # the subject, merge tags filled
    assert errors == []


@pytest.mark.gui
def test_contacts_menu_opens_one_contacts_window_and_reopens_after_close(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    first = window.show_contacts()
    assert first is not None and first.isVisible()
    assert window.show_contacts() is first
    first.close()
    qtbot.waitUntil(lambda: window._contacts is None, timeout=5000)
    second = window.show_contacts()
    assert second is not None and second is not first
    second.close()


def test_opening_a_hostile_file_shows_a_message_and_keeps_the_document(
    tmp_path: Path,
    window: MainWindow,
    sample: OpenDocument,
    show: Show,
    errors: list[tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 12: a tiny zip of a huge document, and an error the core did not word."""
    import zipfile

    show(window, sample)
    bomb = tmp_path / "bombe.bulletin"
    block = b'{"type":"spacer","id":"a"},'
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", package.MIMETYPE)
        archive.writestr("document.json", b'{"version":2,"blocks":[' + block * 300_000 + b"{}]}")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bomb), ""))
    window.window_actions.open.trigger()
    assert len(errors) == 1 and "document.json" in errors[0][1]

    def broken(path: object) -> object:
        raise KeyError("BMTT0123456789abZ")

    monkeypatch.setattr(package, "load", broken)
    window.window_actions.open.trigger()
    assert len(errors) == 2 and errors[1][0] == "Cannot open the file"
    assert "KeyError" in errors[1][1] and "Traceback" not in errors[1][1]
    assert window.document is sample


def test_a_document_with_a_refused_merge_tag_is_shown_with_its_finding(
    window: MainWindow, sample: OpenDocument, show: Show, errors: list[tuple[str, str]]
) -> None:
    from editor.document import TextBlock

    sample.file.newsletter.blocks.insert(0, TextBlock(id="bad", html="<p>{{ a.b() }}</p>"))
    show(window, sample)
    assert errors == []
    codes = [f.code for f in window.warnings.findings]
    assert findings.MERGE_NOT_ALLOWED in codes


def test_sending_menu_offers_a_test_send_and_opens_the_accounts_dialog(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from widgets.accounts_dialog import AccountsDialog

    opened: list[AccountsDialog] = []
    monkeypatch.setattr(AccountsDialog, "exec", lambda self: opened.append(self) or 0)
    actions = {a.objectName(): a for a in window.sending_menu.actions()}
    assert window.window_actions.send_test in window.sending_menu.actions()
    actions["accountsAction"].trigger()
    assert len(opened) == 1 and opened[0].parent() is window
