"""The composer's frame driven as a user does: new from the gallery, edit, save, reopen, recent
files, Save as my template, the close prompt, the layout kept between runs, preferences and the
``bulletin PATH.bulletin`` argument."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

import main
from editor import package
from editor.blocks.registry import all_types
from editor.commands import SetDocumentField
from editor.document import to_json
from editor.package import PackageError
from editor.recent import load_recent
from editor.templates import list_templates
from tests.widgets.conftest import sample_file
from widgets.documents import OpenDocument
from widgets.main_window import MainWindow, layout_settings
from widgets.start_dialog import TEMPLATE_ROLE, StartDialog

pytestmark = pytest.mark.gui


def title(window: MainWindow) -> str:
    return window.windowTitle().replace("[*]", "*" if window.isWindowModified() else "")


def new_window(qtbot: QtBot, document: OpenDocument | None = None) -> MainWindow:
    window = MainWindow(document)
    qtbot.addWidget(window)
    return window


def edit_subject(window: MainWindow, subject: str) -> None:
    assert window.session is not None
    assert window.session.push(SetDocumentField("subject", subject))


@pytest.fixture(autouse=True)
def discard_at_teardown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows left modified are closed after each test: their prompt answers Discard."""
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda *a: QMessageBox.StandardButton.Discard)
    )


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the close prompt answers (set ``answer[0]``); the questions asked land after it."""
    state: list[Any] = [QMessageBox.StandardButton.Cancel]

    def warning(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        state.append(text)
        return QMessageBox.StandardButton(state[0])

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return state


def pick_in_gallery(
    monkeypatch: pytest.MonkeyPatch, choose: str, lang: str = "fr", template: bool = False
) -> None:
    """Make the gallery, when the window opens it, pick a tile the way a user does."""

    def run(dialog: StartDialog) -> int:
        dialog.language.setCurrentIndex(dialog.language.findData(lang))
        tiles = dialog.templates if template else dialog.starters
        role = TEMPLATE_ROLE if template else Qt.ItemDataRole.UserRole + 1
        [item] = [tiles.item(i) for i in range(tiles.count()) if tiles.item(i).data(role) == choose]
        tiles.setCurrentItem(item)
        dialog.create_button.click()
        return int(dialog.result())

    monkeypatch.setattr(StartDialog, "exec", run)


def test_new_edit_save_reopen(
    qtbot: QtBot,
    tmp_path: Path,
    starters_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[tuple[str, str]],
) -> None:
    window = new_window(qtbot)
    pick_in_gallery(monkeypatch, "mensuelle")
    window.window_actions.new.trigger()
    assert window.document is not None and window.document.starter == "mensuelle"
    assert title(window) == "Untitled — Bulletin"
    edit_subject(window, "Nouvelles de mars")
    assert title(window) == "Untitled* — Bulletin"
    window.window_actions.undo.trigger()
    assert title(window) == "Untitled — Bulletin"
    window.window_actions.redo.trigger()
    assert window.isWindowModified()

    target = tmp_path / "mars.bulletin"
    assert window.save_as(target)
    assert errors == []
    assert title(window) == "mars — Bulletin"
    assert load_recent() == [target.resolve()]

    other = new_window(qtbot)
    assert other.open_file(target)
    assert other.document is not None
    assert to_json(other.document.file.newsletter) == to_json(window.document.file.newsletter)
    assert other.document.file.newsletter.subject == "Nouvelles de mars"


def test_insert_menu_lists_every_block_type_and_inserts_after_the_selection(qtbot: QtBot) -> None:
    window = new_window(qtbot, OpenDocument(sample_file()))
    names = [str(a.data()) for a in window.insert_actions]
    assert names == [kind.name for kind in all_types()]
    session = window.session
    assert session is not None
    first = session.document.blocks[0].id
    session.select(first)
    [divider] = [a for a in window.insert_actions if a.data() == "divider"]
    divider.trigger()
    assert session.document.blocks[1].TYPE == "divider"
    assert session.selected == session.document.blocks[1].id
    assert window.isWindowModified()
    window.window_actions.undo.trigger()
    assert session.document.blocks[1].TYPE != "divider" or len(session.document.blocks) == 7


def test_an_empty_window_cannot_insert_or_save(qtbot: QtBot) -> None:
    window = new_window(qtbot)
    assert not any(a.isEnabled() for a in window.insert_actions)
    assert not window.window_actions.save_template.isEnabled()
    assert not window.window_actions.send_test.isEnabled()
    assert window.window_actions.send_test.toolTip().startswith("Send this newsletter")


def test_findings_select_their_block(qtbot: QtBot) -> None:
    window = new_window(qtbot, OpenDocument(sample_file()))
    session = window.session
    assert session is not None
    image = session.document.blocks[3].columns[0].blocks[0]  # type: ignore[attr-defined]
    window.go_to_block(image.id)
    assert session.selected == image.id
    assert window.centre.currentIndex() == 0


def test_save_as_my_template_then_it_is_in_the_gallery(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, errors: list[tuple[str, str]]
) -> None:
    window = new_window(qtbot, OpenDocument(sample_file()))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Ma lettre / mars", True))
    window.window_actions.save_template.trigger()
    assert errors == []
    assert [t.name for t in list_templates()] == ["Ma lettre mars"]

    gallery = StartDialog()
    qtbot.addWidget(gallery)
    assert [gallery.templates.item(i).text() for i in range(gallery.templates.count())] == [
        "Ma lettre mars"
    ]
    # Made from the template: a new untitled document with the same content.
    pick_in_gallery(monkeypatch, "Ma lettre mars", template=True)
    window.window_actions.new.trigger()
    assert window.document is not None and window.document.path is None
    assert window.document.file.newsletter.subject == sample_file().newsletter.subject


def test_saving_a_template_under_a_taken_name_asks_first(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = new_window(qtbot, OpenDocument(sample_file()))
    assert window.save_as_template("Promo")
    edit_subject(window, "Deuxième")
    asked: list[str] = []

    def question(parent: Any, title: str, text: str, *a: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    assert not window.save_as_template("Promo")
    assert asked == ['A template named "Promo" already exists. Replace it?']
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    assert window.save_as_template("Promo")
    from editor.templates import load_template

    assert load_template("Promo").newsletter.subject == "Deuxième"


def test_open_recent_lists_the_last_files_and_opens_them(qtbot: QtBot, tmp_path: Path) -> None:
    paths = []
    for name in ("un", "deux", "trois"):
        path = tmp_path / f"{name}.bulletin"
        package.save(sample_file(), path)
        paths.append(path)
    window = new_window(qtbot)
    for path in paths:
        assert window.open_file(path)
    paths[1].unlink()  # a file gone is pruned
    window.fill_recent_menu()
    actions = [a for a in window.recent_menu.actions() if a.data()]
    assert [a.text() for a in actions] == ["&1 trois.bulletin", "&2 un.bulletin"]
    actions[1].trigger()
    assert window.document is not None and window.document.path == paths[0]
    window.fill_recent_menu()
    assert window.recent_menu.actions()[0].text() == "&1 un.bulletin"


def test_opening_a_corrupt_file_keeps_the_edited_document(
    qtbot: QtBot, tmp_path: Path, errors: list[tuple[str, str]]
) -> None:
    window = new_window(qtbot, OpenDocument(sample_file()))
    edit_subject(window, "Modifié")
    before = to_json(window.session.document)  # type: ignore[union-attr]
    bad = tmp_path / "abîmé.bulletin"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    with pytest.raises(PackageError) as raised:
        package.load(bad)
    # The document is modified, so the window asks first: Discard lets the opening go on.
    window.may_replace = lambda: True  # type: ignore[method-assign]
    assert not window.open_file(bad)
    assert errors == [("Cannot open the file", str(raised.value))]
    assert to_json(window.session.document) == before  # type: ignore[union-attr]
    assert window.isWindowModified()
    assert load_recent() == []


def test_close_prompt_cancel_keeps_the_window_discard_closes(
    qtbot: QtBot, answer: list[Any]
) -> None:
    window = new_window(qtbot, OpenDocument(sample_file()))
    window.show()
    window.close()  # unmodified: closes without asking
    assert len(answer) == 1
    window = new_window(qtbot, OpenDocument(sample_file()))
    window.show()
    edit_subject(window, "À garder")
    assert not window.close()
    assert window.isVisible()
    assert answer[1:] == ['Save the changes to "Untitled" before closing it?']
    answer[0] = QMessageBox.StandardButton.Discard
    assert window.close()


def test_close_prompt_save_writes_the_file(qtbot: QtBot, tmp_path: Path, answer: list[Any]) -> None:
    path = tmp_path / "lettre.bulletin"
    package.save(sample_file(), path)
    window = new_window(qtbot)
    assert window.open_file(path)
    window.show()
    edit_subject(window, "Enregistré en fermant")
    answer[0] = QMessageBox.StandardButton.Save
    assert window.close()
    assert package.load(path).newsletter.subject == "Enregistré en fermant"


def test_layout_is_saved_on_close_and_restored(qtbot: QtBot, bulletin_home: Path) -> None:
    window = MainWindow()  # closed (and deleted) below: not handed to qtbot
    window.resize(1100, 640)
    window.show()
    inspector = window.findChild(QDockWidget, "inspectorDock")
    assert inspector is not None
    inspector.hide()
    size = (window.width(), window.height())
    assert window.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert (bulletin_home / "layout.ini").is_file()
    assert not (bulletin_home / "preferences.json").exists()  # kept apart from preferences
    assert layout_settings().value("window/state") is not None

    again = new_window(qtbot)
    assert again.layout_restored
    again.show()
    dock = again.findChild(QDockWidget, "inspectorDock")
    assert dock is not None and not dock.isVisible()
    # The offscreen screen is narrower than the window's minimum: Qt keeps only the height.
    assert again.height() == size[1] == 640


def test_undo_redo_have_the_standard_keys(qtbot: QtBot) -> None:
    window = new_window(qtbot)
    a = window.window_actions
    assert a.undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert {QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")} <= set(a.redo.shortcuts())
    assert a.undo in window.toolbar.actions() and a.redo in window.toolbar.actions()
    assert a.send_test in window.toolbar.actions()


# --- bulletin PATH.bulletin ------------------------------------------------------------------


def test_a_bulletin_path_opens_the_app_with_it(tmp_path: Path) -> None:
    assert main.parse_args([]) == main.Launch(cli=False, args=[])
    launch = main.parse_args(["lettre.bulletin"])
    assert not launch.cli and launch.path == Path("lettre.bulletin")
    existing = tmp_path / "sans-suffixe"
    existing.write_bytes(b"x")
    assert main.parse_args([str(existing)]).path == existing


@pytest.mark.parametrize(
    "args",
    [
        ["templates"],
        ["--help"],
        ["new", "--template", "monthly-fr", "x.bulletin"],
        ["render", "x.bulletin", "--html", "out.html"],
        ["lists"],
    ],
)
def test_subcommands_stay_the_cli(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "templates").write_bytes(b"a file named like a subcommand")
    assert main.parse_args(args) == main.Launch(cli=True, args=args)


def test_the_app_opens_the_given_file(qtbot: QtBot, tmp_path: Path) -> None:
    from widgets.app import first_windows

    path = tmp_path / "avril.bulletin"
    package.save(sample_file(), path)
    [window] = first_windows(path)
    qtbot.addWidget(window)
    assert window.document is not None and window.document.path == path
    assert title(window) == "avril — Bulletin"
    assert load_recent() == [path.resolve()]


def test_the_outline_follows_the_selection(qtbot: QtBot) -> None:
    from widgets.outline import BLOCK_ID_ROLE

    window = new_window(qtbot, OpenDocument(sample_file()))
    session = window.session
    assert session is not None
    column_text = session.document.blocks[3].columns[0].blocks[0]  # type: ignore[attr-defined]
    session.select(column_text.id)
    assert window.outline.currentIndex().data(BLOCK_ID_ROLE) == column_text.id
    window.outline.clicked.emit(window.outline.outline.index(0, 0))
    assert session.selected == session.document.blocks[0].id


def test_the_panels_are_the_real_ones_and_wired(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Palette insert, canvas edit request, findings click and a refused edit, end to end."""
    from widgets.canvas import Canvas
    from widgets.inspector import Inspector
    from widgets.palette import Palette

    window = new_window(qtbot, OpenDocument(sample_file()))
    window.show()
    session = window.session
    assert session is not None
    assert isinstance(window.block_palette, Palette)
    assert isinstance(window.canvas, Canvas)
    assert isinstance(window.inspector, Inspector)
    assert window.centre.widget(0) is window.canvas

    first = session.document.blocks[0].id
    session.select(first)
    window.block_palette.insert_requested.emit("spacer")
    assert session.document.blocks[1].TYPE == "spacer"

    focused: list[bool] = []

    def focus() -> bool:
        focused.append(True)
        return True

    monkeypatch.setattr(window.inspector, "focus_editor", focus)
    window.canvas.edit_requested.emit(first)
    assert focused == [True]

    scrolled: list[str] = []
    monkeypatch.setattr(window.canvas, "scroll_to", scrolled.append)
    window.show_preview()
    window.warnings.block_activated.emit(first)
    assert session.selected == first and scrolled and set(scrolled) == {first}
    assert window.centre.currentIndex() == 0  # back to the canvas, where the block is

    assert not session.push(SetDocumentField("theme.content_width", 10))
    assert "between 320 and 900" in window.statusBar().currentMessage()


def test_the_edit_menu_holds_undo_redo_then_the_block_actions(qtbot: QtBot) -> None:
    window = new_window(qtbot, OpenDocument(sample_file()))
    actions = [a for a in window.edit_menu.actions() if not a.isSeparator()]
    assert actions[:2] == [window.window_actions.undo, window.window_actions.redo]
    assert actions[-1] is window.window_actions.preferences
    block_actions = window.canvas.block_actions.for_menu()  # type: ignore[attr-defined]
    assert block_actions and all(a in actions for a in block_actions)


def test_the_findings_and_size_follow_the_preview(qtbot: QtBot) -> None:
    from tests.widgets.conftest import LOAD_TIMEOUT_MS

    window = new_window(qtbot)
    with qtbot.waitSignal(window.preview.rendered_changed, timeout=LOAD_TIMEOUT_MS):
        window.set_document(OpenDocument(sample_file()))
    assert window.rendered is not None
    assert window.warnings.findings == list(dict.fromkeys(window.rendered.findings))
    assert window.size_label.text().startswith("HTML: ")
    window.set_document(None)
    assert window.rendered is None and window.size_label.text() == ""


def test_a_preview_mode_in_the_toolbar_shows_the_preview(qtbot: QtBot) -> None:
    window = new_window(qtbot, OpenDocument(sample_file()))
    modes = window.preview.mode_actions()
    assert modes and all(mode in window.toolbar.actions() for mode in modes)
    assert window.centre.currentIndex() == 0
    modes[0].trigger()
    assert window.centre.currentIndex() == 1
    assert window.window_actions.show_preview.isChecked()
