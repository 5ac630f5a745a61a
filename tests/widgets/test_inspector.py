"""The inspector driven as a user does: typing, picking colours, undoing, every starter's blocks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QColorDialog, QWidget
from pytestqt.qtbot import QtBot

from editor.blocks.base import Block, BlockType, DocumentError
from editor.blocks.registry import register, unregister
from editor.commands import InsertBlock, SetDocumentField, insert_new
from editor.document import (
    ButtonBlock,
    ColumnsBlock,
    FooterBlock,
    HeadingBlock,
    HtmlBlock,
    Newsletter,
    TextBlock,
    to_json,
)
from editor.locate import BlockPath, find_block
from editor.starters import create, list_starters
from widgets import session as session_module
from widgets.inspector import inspector as inspector_module
from widgets.inspector import text_panel
from widgets.inspector.base import BlockPanel
from widgets.inspector.editors import (
    ERROR_COLOR,
    BoolEditor,
    ChoiceEditor,
    ColorEditor,
    IntEditor,
    LineEditor,
    TextEditor,
)
from widgets.inspector.fields import SPECS
from widgets.inspector.form import FormPanel
from widgets.inspector.inspector import Inspector
from widgets.inspector.newsletter_panel import (
    CONTENT_WIDTH,
    FONT_SIZE,
    RADIUS,
    NewsletterPanel,
)
from widgets.inspector.text_panel import TextPanel
from widgets.session import EditSession

from .conftest import sample_file


def dump(doc: Newsletter) -> str:
    return json.dumps(to_json(doc), sort_keys=True, ensure_ascii=False)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The session's merge clock, frozen: typing merges by words only, never by pauses."""
    now = [1000.0]
    monkeypatch.setattr(session_module.time, "monotonic", lambda: now[0])
    return now


@pytest.fixture(params=["real", "fallback"])
def rich_editor(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Text panels with the real rich-text editor, then with the stand-in used without it."""
    if request.param == "fallback":
        monkeypatch.setattr(text_panel, "make_rich_text", text_panel.FallbackRichText)
    else:
        pytest.importorskip("widgets.richtext_editor")
    return str(request.param)


def set_text_align(field: Any, align: str) -> None:
    """Align a text block as the user does: the toolbar's button, or the stand-in's menu."""
    if isinstance(field, ChoiceEditor):
        field.combo.setCurrentIndex(field.combo.findData(align))
    else:
        field.rich.align_actions[align].trigger()


@pytest.fixture
def session() -> EditSession:
    return EditSession(sample_file())


@pytest.fixture
def inspector(qtbot: QtBot, session: EditSession) -> Inspector:
    widget = Inspector(session)
    qtbot.addWidget(widget)
    widget.resize(360, 900)
    widget.show()
    return widget


def block_id(session: EditSession, kind: type[Block], nth: int = 0) -> str:
    return [b for b in session.document.walk() if isinstance(b, kind)][nth].id


def editor(widget: QWidget, name: str) -> Any:
    editors = getattr(widget, "editors", {})
    assert name in editors, f"{name} not in {list(editors)}"
    return editors[name]


def newsletter_panel(inspector: Inspector) -> NewsletterPanel:
    assert isinstance(inspector.panel, NewsletterPanel)
    return inspector.panel


def retype(qtbot: QtBot, line: Any, text: str) -> None:
    """Select what the field holds and type ``text`` over it, key by key."""
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)


# ---------------------------------------------------------------------------- newsletter


def test_nothing_selected_shows_the_newsletter(inspector: Inspector, session: EditSession) -> None:
    assert session.selected == ""
    assert isinstance(inspector.panel, NewsletterPanel)
    assert inspector.title.text() == "Newsletter"
    assert editor(inspector.panel, "subject").value() == session.document.subject
    assert editor(inspector.panel, "theme.text_color").value() == "#1f2937"


def test_the_one_click_unsubscribe_box_sets_the_sender_flag_in_one_undo_step(
    inspector: Inspector, session: EditSession
) -> None:
    box = editor(inspector.panel, "sender.one_click_unsubscribe")
    assert not box.value() and not session.document.sender.one_click_unsubscribe
    box.check.setChecked(True)
    assert session.document.sender.one_click_unsubscribe
    session.undo_stack.undo()
    assert not session.document.sender.one_click_unsubscribe
    assert not box.check.isChecked()  # the box re-read the document


def test_typing_a_subject_is_one_undo_step_per_word(
    qtbot: QtBot, inspector: Inspector, session: EditSession, clock: list[float]
) -> None:
    subject = editor(inspector.panel, "subject")
    retype(qtbot, subject.line, "Hello dear world")
    assert session.document.subject == "Hello dear world"
    assert session.undo_stack.count() == 3  # "Hello ", "dear ", "world"
    assert "16 characters" in subject.hint.text()
    session.undo_stack.undo()
    assert session.document.subject == "Hello dear "
    assert subject.value() == "Hello dear "  # the field re-read the document
    session.undo_stack.undo()
    session.undo_stack.undo()
    assert session.document.subject == "Les nouvelles de l'atelier — mars"
    assert subject.value() == session.document.subject
    assert session.undo_stack.count() == 3  # undoing pushed nothing


def test_refresh_keeps_the_cursor_and_pushes_nothing(
    qtbot: QtBot, inspector: Inspector, session: EditSession, clock: list[float]
) -> None:
    subject = editor(inspector.panel, "subject")
    retype(qtbot, subject.line, "Spring news")
    subject.line.setCursorPosition(6)
    count = session.undo_stack.count()
    # Another panel changes the document: the subject field is not rewritten.
    assert session.push(SetDocumentField("preheader", "Dates for April"))
    assert subject.line.cursorPosition() == 6
    assert session.undo_stack.count() == count + 1
    assert editor(inspector.panel, "preheader").value() == "Dates for April"


def test_subject_and_preheader_guidance(qtbot: QtBot, inspector: Inspector) -> None:
    subject, preheader = editor(inspector.panel, "subject"), editor(inspector.panel, "preheader")
    retype(qtbot, subject.line, "x" * 61)
    assert subject.hint.text() == "61 characters — phones cut it after about 60"
    retype(qtbot, preheader.line, "Short")
    assert preheader.hint.text().startswith("5 characters — short")
    retype(qtbot, preheader.line, "p" * 80)
    assert preheader.hint.text() == "80 characters — a good length"
    retype(qtbot, preheader.line, "p" * 131)
    assert preheader.hint.text() == "131 characters — long: inboxes cut it after about 130"


def test_typing_a_colour_changes_the_theme_and_the_contrast(
    qtbot: QtBot, inspector: Inspector, session: EditSession, clock: list[float]
) -> None:
    text = newsletter_panel(inspector).contrast["text"]
    assert text.text() == "Contrast 14.6:1 — readable"  # #1f2937 on white: 14.68
    color = editor(inspector.panel, "theme.text_color")
    retype(qtbot, color.hex, "777777")  # the # is added
    assert color.hex.text() == "#777777"
    assert session.document.theme.text_color == "#777777"
    assert text.text() == "Contrast 4.4:1 — too faint for body text"  # 4.48, never rounded up
    assert session.undo_stack.count() == 1  # #777 then #777777: one step
    clock[0] += 10  # a pause: the next code is a step of its own
    retype(qtbot, color.hex, "#DDD")
    assert session.document.theme.text_color == "#ddd"
    assert text.text() == "Contrast 1.3:1 — hard to read"
    assert ERROR_COLOR in text.styleSheet()  # a poor contrast stands out
    session.undo_stack.undo()
    assert session.document.theme.text_color == "#777777"
    assert color.hex.text() == "#777777"


def test_unfinished_colour_code_is_not_pushed_and_is_put_back(
    qtbot: QtBot, inspector: Inspector, session: EditSession
) -> None:
    color = editor(inspector.panel, "theme.link_color")
    before = dump(session.document)
    retype(qtbot, color.hex, "#12")
    assert dump(session.document) == before
    color.hex.editingFinished.emit()
    assert color.hex.text() == "#2563eb"
    # A finished code goes in; one typed further and left unfinished gives it back.
    retype(qtbot, color.hex, "#abc")
    qtbot.keyClicks(color.hex, "d")
    color.hex.editingFinished.emit()
    assert session.document.theme.link_color == "#abc"
    assert color.hex.text() == "#abc"


def test_swatch_opens_the_colour_picker(
    inspector: Inspector, session: EditSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def pick(initial: QColor, parent: QWidget, title: str) -> QColor:
        asked.append(initial.name())
        return QColor("#0f766e")

    monkeypatch.setattr(QColorDialog, "getColor", staticmethod(pick))
    color = editor(inspector.panel, "theme.button.background")
    color.swatch.click()
    assert asked == ["#2563eb"]
    assert session.document.theme.button.background == "#0f766e"
    assert newsletter_panel(inspector).contrast["button"].text() == "Contrast 5.4:1 — readable"


def test_bad_sender_address_shows_the_core_error_and_changes_nothing(
    qtbot: QtBot, inspector: Inspector, session: EditSession
) -> None:
    address = editor(inspector.panel, "sender.email")
    before = dump(session.document)
    retype(qtbot, address.line, "bonjour@atelier")
    qtbot.keyClick(address.line, Qt.Key.Key_Return)
    assert address.error_text().startswith("Invalid address")
    assert "period" in address.error_text()  # email-validator's reason, through the core
    assert dump(session.document) == before
    assert session.undo_stack.count() == 0
    qtbot.keyClicks(address.line, ".fr")  # now valid: pushed, the error goes
    assert session.document.sender.email == "bonjour@atelier.fr"
    assert address.error_text() == ""


def test_theme_ranges_are_the_ones_the_core_accepts(session: EditSession) -> None:
    for path, (low, high) in (
        ("theme.content_width", CONTENT_WIDTH),
        ("theme.font_size", FONT_SIZE),
        ("theme.button.radius", RADIUS),
    ):
        assert session.push(SetDocumentField(path, low))
        assert session.push(SetDocumentField(path, high))
        assert not session.push(SetDocumentField(path, low - 1))
        assert not session.push(SetDocumentField(path, high + 1))


def test_fonts_width_and_language(inspector: Inspector, session: EditSession) -> None:
    panel = inspector.panel
    heading = editor(panel, "theme.heading_font")
    # The default "Georgia, 'Times New Roman', serif" shows as the Georgia entry, untouched.
    assert heading.combo.currentText() == "Georgia (serif)"
    body = editor(panel, "theme.body_font")
    body.combo.setCurrentIndex(body.combo.findText("Verdana (sans serif)"))
    assert session.document.theme.body_font == "Verdana, Geneva, sans-serif"
    editor(panel, "theme.content_width").spin.setValue(640)
    assert session.document.theme.content_width == 640
    language = editor(panel, "language")
    language.combo.setCurrentIndex(language.combo.findData("en"))
    assert session.document.language == "en"
    assert session.document.theme.heading_font == "Georgia, 'Times New Roman', serif"


# ---------------------------------------------------------------------------- blocks


def test_every_starter_block_gets_a_panel(qtbot: QtBot) -> None:
    starters = list_starters()
    assert starters
    for starter in starters:
        session = EditSession(create(starter.name))
        widget = Inspector(session)
        qtbot.addWidget(widget)
        for block in session.document.walk():
            session.select(block.id)
            panel = widget.panel
            assert isinstance(panel, BlockPanel), (starter.name, block.TYPE)
            assert panel.block_id == block.id
            if isinstance(block, TextBlock):
                assert isinstance(panel, TextPanel)
            if block.TYPE in SPECS and block.TYPE != "text":
                assert isinstance(panel, FormPanel)
                assert set(panel.editors) == {f.name for f in SPECS[block.TYPE]}
        session.select("")
        assert isinstance(widget.panel, NewsletterPanel)
        assert session.undo_stack.count() == 0  # showing panels pushed nothing


def test_heading_text_level_and_undo(
    qtbot: QtBot, inspector: Inspector, session: EditSession, clock: list[float]
) -> None:
    heading_id = block_id(session, HeadingBlock)
    session.select(heading_id)
    assert inspector.title.text() == "Heading"
    text = editor(inspector.panel, "text")
    retype(qtbot, text.line, "Spring")
    block = find_block(session.document, heading_id)
    assert isinstance(block, HeadingBlock)
    assert block.text == "Spring"
    level = editor(inspector.panel, "level")
    level.combo.setCurrentIndex(level.combo.findData(2))
    assert block.level == 2
    session.undo_stack.undo()
    assert block.level == 1 and level.value() == 1
    session.undo_stack.undo()
    assert block.text == "Bonjour {{ first_name }} !" and text.value() == block.text


def test_button_url_refuses_javascript(
    qtbot: QtBot, inspector: Inspector, session: EditSession
) -> None:
    button_id = block_id(session, ButtonBlock)
    session.select(button_id)
    url = editor(inspector.panel, "url")
    before = dump(session.document)
    retype(qtbot, url.line, "javascript:alert(1)")
    qtbot.keyClick(url.line, Qt.Key.Key_Return)
    assert url.error_text() == "Use an address that starts with https://, mailto: or tel:."
    assert dump(session.document) == before
    retype(qtbot, url.line, "https://atelier.example/agenda")
    block = find_block(session.document, button_id)
    assert isinstance(block, ButtonBlock)
    assert block.url == "https://atelier.example/agenda"
    assert url.error_text() == ""


def test_url_is_quiet_while_its_scheme_is_typed(
    qtbot: QtBot, inspector: Inspector, session: EditSession
) -> None:
    session.select(block_id(session, ButtonBlock))
    url = editor(inspector.panel, "url")
    retype(qtbot, url.line, "mailt")
    url.line.editingFinished.emit()
    assert url.error_text() == ""


def test_button_colours_and_radius_follow_the_theme_when_empty(
    qtbot: QtBot, inspector: Inspector, session: EditSession
) -> None:
    button_id = block_id(session, ButtonBlock)
    session.select(button_id)
    block = find_block(session.document, button_id)
    assert isinstance(block, ButtonBlock)
    radius, background = editor(inspector.panel, "radius"), editor(inspector.panel, "background")
    assert radius.spin.text() == "As in the theme" and radius.value() is None
    assert background.hex.placeholderText() == "As in the theme"
    assert background.fallback() == "#2563eb"  # the swatch shows the theme's button colour
    assert session.push(SetDocumentField("theme.button.background", "#7c3aed"))
    assert background.fallback() == "#7c3aed"
    radius.spin.setValue(12)
    assert block.radius == 12
    radius.spin.setValue(radius.spin.minimum())
    assert block.radius is None
    retype(qtbot, background.hex, "#be123c")
    assert block.background == "#be123c"
    retype(qtbot, background.hex, "")
    qtbot.keyClick(background.hex, Qt.Key.Key_Backspace)
    assert block.background == ""


def test_columns_ratio_goes_through_set_columns_ratio(
    inspector: Inspector, session: EditSession
) -> None:
    columns_id = block_id(session, ColumnsBlock)
    session.select(columns_id)
    before = dump(session.document)
    ratio = editor(inspector.panel, "ratio")
    assert ratio.combo.currentText() == "50 % / 50 %"
    ratio.combo.setCurrentIndex(ratio.combo.findData("33-33-33"))
    block = find_block(session.document, columns_id)
    assert isinstance(block, ColumnsBlock)
    assert len(block.columns) == 3
    session.undo_stack.undo()
    assert dump(session.document) == before
    assert ratio.value() == "50-50"


def test_html_block_warns_that_html_is_sanitised(
    inspector: Inspector, session: EditSession
) -> None:
    assert session.push(insert_new(session.document, "html"))
    html_id = session.document.blocks[-2].id
    session.select(html_id)
    html = editor(inspector.panel, "html")
    assert isinstance(html, TextEditor)
    assert "sanitised" in html.hint.text() and html.hint.isVisibleTo(inspector)
    html.text.setPlainText("<p>Hi</p>")
    block = find_block(session.document, html_id)
    assert isinstance(block, HtmlBlock) and block.html == "<p>Hi</p>"


def test_text_block_rich_text_merges_per_word_and_undoes(
    qtbot: QtBot, rich_editor: str, inspector: Inspector, session: EditSession, clock: list[float]
) -> None:
    text_id = block_id(session, TextBlock)
    session.select(text_id)
    panel = inspector.panel
    assert isinstance(panel, TextPanel)
    before = dump(session.document)
    rich = panel.text.rich
    assert (
        type(rich).__name__
        == {"real": "RichTextEditor", "fallback": "FallbackRichText"}[rich_editor]
    )
    rich.set_html("")  # set_html never pushes
    assert session.undo_stack.count() == 0
    typed = panel.text.text_edit()
    assert typed is not None
    typed.setFocus()
    qtbot.keyClicks(typed, "Hi there")
    block = find_block(session.document, text_id)
    assert isinstance(block, TextBlock)
    assert "Hi there" in block.html
    steps = session.undo_stack.count()
    assert steps == 2  # "Hi ", "there": one step per word
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert dump(session.document) == before
    assert "rouvre" in rich.html()


def test_selection_follows_an_undo_that_removes_the_block(
    inspector: Inspector, session: EditSession
) -> None:
    assert session.push(insert_new(session.document, "spacer"))
    spacer_id = session.document.blocks[-2].id
    session.select(spacer_id)
    assert inspector.title.text() == "Spacer"
    session.undo_stack.undo()
    assert session.selected == ""
    assert isinstance(inspector.panel, NewsletterPanel)


def test_undo_after_every_change_is_byte_identical(
    qtbot: QtBot, rich_editor: str, inspector: Inspector, session: EditSession, clock: list[float]
) -> None:
    doc = session.document
    changes: list[Callable[[], None]] = []

    def on(block_kind: type[Block] | None, name: str, act: Callable[[Any], None]) -> None:
        def run() -> None:
            session.select(block_id(session, block_kind) if block_kind else "")
            act(editor(inspector.panel, name))

        changes.append(run)

    on(None, "subject", lambda e: retype(qtbot, e.line, "Avril"))
    on(None, "theme.page_background", lambda e: retype(qtbot, e.hex, "#fef3c7"))
    on(None, "theme.font_size", lambda e: e.spin.setValue(18))
    on(None, "theme.heading_font", lambda e: e.combo.setCurrentIndex(0))
    on(None, "sender.reply_to", lambda e: retype(qtbot, e.line, "ecrire@atelier.example"))
    on(HeadingBlock, "align", lambda e: e.combo.setCurrentIndex(e.combo.findData("center")))
    on(ButtonBlock, "full_width", lambda e: e.check.setChecked(True))
    on(ButtonBlock, "color", lambda e: retype(qtbot, e.hex, "#111111"))
    on(ColumnsBlock, "ratio", lambda e: e.combo.setCurrentIndex(e.combo.findData("25-75")))
    on(ColumnsBlock, "stack_on_mobile", lambda e: e.check.setChecked(False))
    on(TextBlock, "align", lambda e: set_text_align(e, "right"))

    states = [dump(doc)]
    for change in changes:
        change()
        clock[0] += 10  # a pause: the next change is a step of its own
        assert session.undo_stack.count() == len(states), change
        states.append(dump(doc))
    assert len(set(states)) == len(states)  # every change changed something
    for expected in reversed(states[:-1]):
        session.undo_stack.undo()
        assert dump(doc) == expected
    for expected in states[1:]:
        session.undo_stack.redo()
        assert dump(doc) == expected


# ------------------------------------------------------------------------ generic form


@dataclass
class GadgetBlock(Block):
    """A throwaway block type: the inspector must edit it without knowing it."""

    TYPE: ClassVar[str] = "gadget"
    title: str = "Hello"
    count: int = 2
    shown: bool = True
    side: Literal["left", "right"] = "left"
    color: str = "#000000"
    limit: int | None = None

    def validate(self) -> None:
        if self.count > 10:
            raise DocumentError("A gadget counts at most 10.")


@pytest.fixture
def gadget() -> Iterator[None]:
    register(
        BlockType(
            name="gadget",
            cls=GadgetBlock,
            label=lambda: "Gadget",
            view=lambda b, ctx, width, pad: {"b": {}},
            text=lambda b, ctx: "",
            summary=lambda b: "",
        )
    )
    yield
    unregister("gadget")


@pytest.mark.usefixtures("gadget")
def test_generic_form_for_a_new_block_type(
    qtbot: QtBot, inspector: Inspector, session: EditSession
) -> None:
    assert session.push(InsertBlock(BlockPath(0), GadgetBlock(id="g1")))
    session.select("g1")
    panel = inspector.panel
    assert isinstance(panel, FormPanel) and inspector.title.text() == "Gadget"
    kinds = {name: type(e) for name, e in panel.editors.items()}
    assert kinds == {
        "title": LineEditor,
        "count": IntEditor,
        "shown": BoolEditor,
        "side": ChoiceEditor,
        "color": ColorEditor,
        "limit": IntEditor,
    }
    block = find_block(session.document, "g1")
    assert isinstance(block, GadgetBlock)
    retype(qtbot, editor(panel, "title").line, "Bye")
    editor(panel, "shown").check.setChecked(False)
    editor(panel, "side").combo.setCurrentIndex(1)
    editor(panel, "count").spin.setValue(7)
    assert (block.title, block.shown, block.side, block.count) == ("Bye", False, "right", 7)
    # A value the core refuses: its sentence under the field, the old value kept.
    count = editor(panel, "count")
    count.spin.setValue(11)
    assert count.error_text() == "A gadget counts at most 10."
    assert block.count == 7 and count.value() == 7
    assert editor(panel, "limit").value() is None


# ------------------------------------------------------------------------ own panels


class FakeImagePanel(BlockPanel):
    """Stands for "media"'s ImagePanel: the inspector must use a panel module when there."""

    refreshed = 0

    def refresh(self) -> None:
        FakeImagePanel.refreshed += 1


def test_own_panel_module_is_used_when_present(
    qtbot: QtBot, session: EditSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(inspector_module.OWN_PANELS, "image", (__name__, "FakeImagePanel"))
    monkeypatch.setitem(
        inspector_module.OWN_PANELS, "social", ("widgets.inspector.no_such_panel", "Nope")
    )
    widget = Inspector(session)
    qtbot.addWidget(widget)
    image_id = session.document.blocks[2].id
    session.select(image_id)
    assert isinstance(widget.panel, FakeImagePanel) and widget.panel.block_id == image_id
    before = FakeImagePanel.refreshed
    assert session.push(SetDocumentField("subject", "x"))
    assert FakeImagePanel.refreshed == before + 1
    assert inspector_module.own_panel_class("social") is None  # not written: generic form


def test_focus_editor_focuses_the_text(
    qtbot: QtBot, rich_editor: str, inspector: Inspector, session: EditSession
) -> None:
    with qtbot.waitActive(inspector):
        inspector.activateWindow()
    session.select(block_id(session, TextBlock))
    inspector.focus_editor()
    panel = inspector.panel
    assert isinstance(panel, TextPanel)
    qtbot.waitUntil(lambda: panel.text.focus_target().hasFocus(), timeout=2000)


def test_ctrl_z_in_a_field_is_the_document_undo(
    qtbot: QtBot, session: EditSession, clock: list[float]
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    undo = QAction("Undo", window)
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    undo.triggered.connect(session.undo_stack.undo)
    window.addAction(undo)
    inspector = Inspector(session, window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    subject = editor(inspector.panel, "subject")
    retype(qtbot, subject.line, "Hello dear")
    assert session.undo_stack.count() == 2
    qtbot.keyClick(subject.line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.document.subject == "Hello "  # the step "dear", not the line's own undo
    assert subject.value() == "Hello "
    assert session.undo_stack.count() == 2  # nothing pushed by the field
    # The same for a text area and a number.
    address = editor(FormPanel(session, block_id(session, FooterBlock), SPECS["footer"]), "address")
    for control in (address.text, editor(inspector.panel, "theme.font_size").spin):
        override = QKeyEvent(
            QEvent.Type.ShortcutOverride, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
        )
        QApplication.sendEvent(control, override)
        assert not override.isAccepted()  # left to the window's shortcut


# ------------------------------------------------------------------------ link tracking (UTM)


def test_utm_fields_edit_the_document_one_undo_step_each(
    qtbot: QtBot, inspector: Inspector, session: EditSession, clock: list[float]
) -> None:
    panel = newsletter_panel(inspector)
    box = editor(panel, "utm.enabled")
    assert box.value() and session.document.utm.enabled
    campaign = editor(panel, "utm.campaign")
    retype(qtbot, editor(panel, "subject").line, "Octobre")
    assert campaign.line.placeholderText() == "octobre"
    before = session.undo_stack.count()
    retype(qtbot, campaign.line, "spring")
    assert session.document.utm.campaign == "spring"
    assert session.undo_stack.count() == before + 1
    assert session.undo_stack.undoText() == "Edit link tracking"
    retype(qtbot, editor(panel, "utm.source").line, "lettre")
    assert session.document.utm.source == "lettre"
    box.check.setChecked(False)
    assert not session.document.utm.enabled
    assert not editor(panel, "utm.medium").isEnabled()
    session.undo_stack.undo()
    assert session.document.utm.enabled and box.check.isChecked()
    assert editor(panel, "utm.medium").isEnabled()
    session.undo_stack.undo()
    assert session.document.utm.source == "newsletter"
    session.undo_stack.undo()
    assert session.document.utm.campaign == ""
    assert campaign.value() == ""
