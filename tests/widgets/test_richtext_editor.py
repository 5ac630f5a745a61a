"""The text block's rich-text editor, driven as a person does: typing, shortcuts, the toolbar,
the link and merge-field dialogs (their getters replaced), pasting from other programs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QAction, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from pytestqt.qtbot import QtBot

from editor.blocks.text import TextBlock
from editor.locate import subtree
from editor.richtext import clean
from editor.starters import create, list_starters
from widgets.richtext_dialogs import LinkDialog, MergeTagDialog
from widgets.richtext_editor import RichTextEditor

PASTE = Path(__file__).resolve().parents[1] / "data" / "paste"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def editor(qtbot: QtBot) -> Iterator[RichTextEditor]:
    """An editor in a shown, active window (shortcuts need one)."""
    window = QMainWindow()
    qtbot.addWidget(window)
    widget = RichTextEditor()
    window.setCentralWidget(widget)
    window.resize(520, 360)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    widget.text_edit.setFocus()
    yield widget


@pytest.fixture
def edits(editor: RichTextEditor) -> list[str]:
    seen: list[str] = []
    editor.edited.connect(seen.append)
    return seen


def type_in(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """``qtbot.keyClicks`` (pytest-qt ships it untyped)."""
    qtbot.keyClicks(widget, text)  # type: ignore[no-untyped-call]


def press(
    qtbot: QtBot,
    widget: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    """``qtbot.keyClick`` (pytest-qt ships it untyped)."""
    qtbot.keyClick(widget, key, modifier)  # type: ignore[no-untyped-call]


def select_word(editor: RichTextEditor, word: str) -> None:
    text = editor.text_edit.toPlainText()
    start = text.index(word)
    cursor = editor.text_edit.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(word), QTextCursor.MoveMode.KeepAnchor)
    editor.text_edit.setTextCursor(cursor)


def put_cursor(editor: RichTextEditor, position: int) -> None:
    cursor = editor.text_edit.textCursor()
    cursor.setPosition(position)
    editor.text_edit.setTextCursor(cursor)


# ------------------------------------------------------------------------------- typing


def test_typing_emits_the_cleaned_html(
    qtbot: QtBot, editor: RichTextEditor, edits: list[str]
) -> None:
    type_in(qtbot, editor.text_edit, "Bonjour a tous")
    assert editor.html() == "<p>Bonjour a tous</p>"
    assert edits[-1] == "<p>Bonjour a tous</p>"
    # One per keystroke that changed the text: a space changes nothing kept until a word follows.
    assert len(edits) == len("Bonjour a tous") - 2


def test_a_keystroke_that_changes_nothing_kept_emits_nothing(
    qtbot: QtBot, editor: RichTextEditor, edits: list[str]
) -> None:
    type_in(qtbot, editor.text_edit, "Bonjour")
    count = len(edits)
    press(qtbot, editor.text_edit, Qt.Key.Key_Space)  # a trailing space is not kept
    assert len(edits) == count
    type_in(qtbot, editor.text_edit, "x")
    assert edits[-1] == "<p>Bonjour x</p>"


def test_enter_makes_paragraphs(qtbot: QtBot, editor: RichTextEditor) -> None:
    type_in(qtbot, editor.text_edit, "un")
    press(qtbot, editor.text_edit, Qt.Key.Key_Return)
    type_in(qtbot, editor.text_edit, "deux")
    assert editor.html() == "<p>un</p><p>deux</p>"


def test_ctrl_b_bolds_the_selected_word(
    qtbot: QtBot, editor: RichTextEditor, edits: list[str]
) -> None:
    type_in(qtbot, editor.text_edit, "Venez samedi matin")
    select_word(editor, "samedi")
    press(qtbot, editor.text_edit, Qt.Key.Key_B, CTRL)
    assert editor.html() == "<p>Venez <strong>samedi</strong> matin</p>"
    assert edits[-1] == editor.html()
    press(qtbot, editor.text_edit, Qt.Key.Key_I, CTRL)
    press(qtbot, editor.text_edit, Qt.Key.Key_U, CTRL)
    assert editor.html() == "<p>Venez <strong><em><u>samedi</u></em></strong> matin</p>"
    press(qtbot, editor.text_edit, Qt.Key.Key_B, CTRL)  # again: off
    assert editor.html() == "<p>Venez <em><u>samedi</u></em> matin</p>"


def test_bold_typing_after_ctrl_b(qtbot: QtBot, editor: RichTextEditor) -> None:
    type_in(qtbot, editor.text_edit, "Un ")
    press(qtbot, editor.text_edit, Qt.Key.Key_B, CTRL)
    assert editor.bold.isChecked()
    type_in(qtbot, editor.text_edit, "gras")
    assert editor.html() == "<p>Un <strong>gras</strong></p>"


def test_buttons_reflect_the_format_at_the_cursor(editor: RichTextEditor) -> None:
    editor.set_html("<p>a <strong>gras</strong> <em>it</em> <u>sous</u></p><ol><li>n</li></ol>")
    text = editor.text_edit.toPlainText()
    states = []
    for word in ("gras", "it", "sous", "n"):
        put_cursor(editor, text.index(word) + 1)
        states.append(
            (
                editor.bold.isChecked(),
                editor.italic.isChecked(),
                editor.underline.isChecked(),
                editor.bullets.isChecked(),
                editor.numbers.isChecked(),
            )
        )
    assert states == [
        (True, False, False, False, False),
        (False, True, False, False, False),
        (False, False, True, False, False),
        (False, False, False, False, True),
    ]


def test_shortcuts_and_names_are_set(editor: RichTextEditor) -> None:
    assert editor.bold.shortcut() == QKeySequence("Ctrl+B")
    assert editor.italic.shortcut() == QKeySequence("Ctrl+I")
    assert editor.underline.shortcut() == QKeySequence("Ctrl+U")
    assert editor.link.shortcut() == QKeySequence("Ctrl+K")
    for action in editor.toolbar.actions():
        if not action.isSeparator():
            widget = editor.toolbar.widgetForAction(action)
            assert widget is not None and widget.accessibleName()
            assert widget.toolTip()
    assert editor.text_edit.accessibleName()


# -------------------------------------------------------------------------------- links


def test_link_through_the_dialog(
    qtbot: QtBot, editor: RichTextEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str | None]] = []

    def get_link(parent: object, url: str = "", text: str | None = None) -> tuple[str, str]:
        asked.append((url, text))
        return "atelier.fr/agenda", ""

    monkeypatch.setattr(LinkDialog, "get_link", staticmethod(get_link))
    type_in(qtbot, editor.text_edit, "Voir notre agenda en ligne")
    select_word(editor, "agenda")
    press(qtbot, editor.text_edit, Qt.Key.Key_K, CTRL)
    assert asked == [("", None)]  # the selection carries the link: no text asked
    assert editor.html() == (
        '<p>Voir notre <a href="https://atelier.fr/agenda">agenda</a> en ligne</p>'
    )
    type_in(qtbot, editor.text_edit, " !")  # typing on after a link is not linked
    assert editor.html().endswith("</a> ! en ligne</p>")


def test_link_dialog_edits_the_link_under_the_cursor(
    editor: RichTextEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor.set_html('<p>Voir <a href="https://a.fr">le site</a> vite</p>')
    asked: list[str] = []

    def get_link(parent: object, url: str = "", text: str | None = None) -> tuple[str, str]:
        asked.append(url)
        return "https://b.fr", ""

    monkeypatch.setattr(LinkDialog, "get_link", staticmethod(get_link))
    put_cursor(editor, editor.text_edit.toPlainText().index("site"))
    editor.link.trigger()
    assert asked == ["https://a.fr"]
    assert editor.html() == '<p>Voir <a href="https://b.fr">le site</a> vite</p>'


def test_link_without_selection_inserts_its_text(
    qtbot: QtBot, editor: RichTextEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        LinkDialog,
        "get_link",
        staticmethod(lambda parent, url="", text=None: ("bonjour@atelier.fr", "")),
    )
    type_in(qtbot, editor.text_edit, "Ecrivez-nous : ")
    editor.link.trigger()
    assert editor.html() == (
        '<p>Ecrivez-nous : <a href="mailto:bonjour@atelier.fr">bonjour@atelier.fr</a></p>'
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "/agenda"])
def test_unsafe_link_is_refused_and_said(
    qtbot: QtBot,
    editor: RichTextEditor,
    edits: list[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
) -> None:
    monkeypatch.setattr(LinkDialog, "get_link", staticmethod(lambda p, u="", t=None: (url, "")))
    type_in(qtbot, editor.text_edit, "cliquez ici")
    select_word(editor, "ici")
    count = len(edits)
    editor.link.trigger()
    assert editor.html() == "<p>cliquez ici</p>"
    assert len(edits) == count
    assert editor.message.isVisible() and url in editor.message.text()
    type_in(qtbot, editor.text_edit, "x")  # the next edit hides the message
    assert not editor.message.isVisible()


def test_link_dialog_refuses_javascript_before_ok(qtbot: QtBot) -> None:
    dialog = LinkDialog(None, "", "")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    type_in(qtbot, dialog.url, "javascript:alert(1)")
    assert not ok.isEnabled() and dialog.problem.text()
    dialog.url.setText("https://atelier.fr")
    assert ok.isEnabled() and not dialog.problem.text()


def test_remove_link(editor: RichTextEditor) -> None:
    editor.set_html('<p>Voir <a href="https://a.fr">le <strong>site</strong></a> vite</p>')
    put_cursor(editor, editor.text_edit.toPlainText().index("le") + 1)
    editor.unlink.trigger()
    assert editor.html() == "<p>Voir le <strong>site</strong> vite</p>"


# -------------------------------------------------------------------------------- lists


def test_bulleted_and_numbered_lists(qtbot: QtBot, editor: RichTextEditor) -> None:
    type_in(qtbot, editor.text_edit, "vin chaud")
    editor.bullets.trigger()
    press(qtbot, editor.text_edit, Qt.Key.Key_Return)
    type_in(qtbot, editor.text_edit, "crepes")
    assert editor.html() == "<ul><li>vin chaud</li><li>crepes</li></ul>"
    assert editor.bullets.isChecked() and not editor.numbers.isChecked()
    editor.numbers.trigger()  # the other kind: the list changes kind
    assert editor.html() == "<ol><li>vin chaud</li><li>crepes</li></ol>"
    editor.numbers.trigger()  # the same kind again: the paragraph leaves the list
    assert editor.html() == "<ol><li>vin chaud</li></ol><p>crepes</p>"
    assert not editor.numbers.isChecked()


# ---------------------------------------------------------------------------- alignment


def test_alignment_is_the_blocks_not_the_htmls(
    editor: RichTextEditor, edits: list[str], qtbot: QtBot
) -> None:
    editor.set_html("<p>a</p><p>b</p>")
    with qtbot.waitSignal(editor.align_changed) as blocker:
        editor.align_actions["center"].trigger()
    assert blocker.args == ["center"]
    assert editor.align() == "center"
    assert editor.html() == "<p>a</p><p>b</p>" and edits == []
    layout_alignment = editor.text_edit.document().defaultTextOption().alignment()
    assert layout_alignment & Qt.AlignmentFlag.AlignHCenter
    with qtbot.assertNotEmitted(editor.align_changed):
        editor.set_align("right")
    assert editor.align_actions["right"].isChecked()


# ------------------------------------------------------------------------- merge fields


def test_merge_tag_with_a_default(
    qtbot: QtBot, editor: RichTextEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str]] = []

    def get_default(parent: object, field: str, label: str) -> str:
        asked.append((field, label))
        return "cher client"

    monkeypatch.setattr(MergeTagDialog, "get_default", staticmethod(get_default))
    type_in(qtbot, editor.text_edit, "Bonjour ")
    first = next(a for a in editor.merge_menu.actions() if a.data() == "first_name")
    first.trigger()
    type_in(qtbot, editor.text_edit, ",")
    assert asked == [("first_name", editor.merge_fields()[0][1])]
    assert editor.html() == '<p>Bonjour {{ first_name | default("cher client") }},</p>'
    html = editor.html()
    editor.set_html("")
    editor.set_html(html)  # a round trip through Qt keeps the tag as written
    assert editor.html() == html


def test_merge_tag_without_default_and_cancel(
    editor: RichTextEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["", None])
    monkeypatch.setattr(
        MergeTagDialog, "get_default", staticmethod(lambda p, f, lab: next(answers))
    )
    editor.insert_merge_tag("email", "E-mail")
    editor.insert_merge_tag("email", "E-mail")  # cancelled
    assert editor.html() == "<p>{{ email }}</p>"


def test_merge_menu_offers_builtin_and_usable_custom_fields(editor: RichTextEditor) -> None:
    editor.set_merge_fields(
        [("Société", "Société"), ("Code postal", "Code postal"), ("email", "x"), ("ville", "Ville")]
    )
    names = [a.data() for a in editor.merge_menu.actions()]
    assert names == ["first_name", "last_name", "email", "Société", "ville"]
    assert all(a.toolTip() for a in editor.merge_menu.actions())


def test_typed_merge_tags_survive(qtbot: QtBot, editor: RichTextEditor) -> None:
    type_in(qtbot, editor.text_edit, "Salut {{ first_name | default('toi') }} & {{ ville }}")
    html = editor.html()
    assert html == "<p>Salut {{ first_name | default('toi') }} &amp; {{ ville }}</p>"
    editor.set_html("")
    editor.set_html(html)
    assert editor.html() == html


def test_merge_tag_dialog_checks_the_default(qtbot: QtBot) -> None:
    dialog = MergeTagDialog(None, "first_name", "Prénom")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    type_in(qtbot, dialog.default, "cher client")
    assert ok.isEnabled()
    assert dialog.preview.text() == '{{ first_name | default("cher client") }}'
    type_in(qtbot, dialog.default, " }}")
    assert not ok.isEnabled()


# -------------------------------------------------------------------------------- paste


def paste(editor: RichTextEditor, mime: QMimeData) -> None:
    QApplication.clipboard().setMimeData(mime)
    editor.text_edit.paste()


@pytest.mark.parametrize("name", ["google_docs", "libreoffice", "web_page", "word"])
def test_paste_from_other_programs(editor: RichTextEditor, edits: list[str], name: str) -> None:
    mime = QMimeData()
    mime.setHtml((PASTE / f"{name}.html").read_text(encoding="utf-8"))
    mime.setText("the plain text alternative, not used")
    paste(editor, mime)
    expected = (PASTE / f"{name}.expected.html").read_text(encoding="utf-8").replace("\n", "")
    assert editor.html() == expected
    assert edits[-1] == expected


def test_paste_over_a_selection(editor: RichTextEditor) -> None:
    editor.set_html("<p>Avant - après</p>")
    select_word(editor, "-")
    mime = QMimeData()
    mime.setHtml('<span style="font-weight:700;color:red;font-size:30px">gras</span>')
    paste(editor, mime)
    assert editor.html() == "<p>Avant <strong>gras</strong> après</p>"


def test_paste_plain_text_keeps_line_breaks(editor: RichTextEditor) -> None:
    mime = QMimeData()
    mime.setText("Bonjour,\nà bientôt\n\n<b>pas du gras</b>")
    paste(editor, mime)
    assert editor.html() == ("<p>Bonjour,<br>à bientôt</p><p>&lt;b&gt;pas du gras&lt;/b&gt;</p>")


def test_paste_an_image_alone_is_refused(editor: RichTextEditor) -> None:
    mime = QMimeData()
    mime.setData("image/png", b"\x89PNG\r\n")
    assert not editor.text_edit.canInsertFromMimeData(mime)


def test_copy_and_paste_inside_the_editor_keeps_formatting(editor: RichTextEditor) -> None:
    editor.set_html('<p><strong>gras</strong> et <a href="https://a.fr">lien</a></p><p>|</p>')
    cursor = editor.text_edit.textCursor()
    cursor.setPosition(0)
    cursor.setPosition(len("gras et lien"), QTextCursor.MoveMode.KeepAnchor)
    editor.text_edit.setTextCursor(cursor)
    editor.text_edit.copy()
    put_cursor(editor, editor.text_edit.toPlainText().index("|"))
    editor.text_edit.paste()
    assert editor.html() == (
        '<p><strong>gras</strong> et <a href="https://a.fr">lien</a></p>'
        '<p><strong>gras</strong> et <a href="https://a.fr">lien</a>|</p>'
    )


# ------------------------------------------------------------------- set_html and undo


def test_set_html_emits_nothing_and_cleans(editor: RichTextEditor, edits: list[str]) -> None:
    editor.set_html("<div style='color:red'><b>a</b><script>x</script></div>")
    assert editor.html() == "<p><strong>a</strong></p>"
    assert edits == []


def test_set_html_echo_keeps_the_cursor(qtbot: QtBot, editor: RichTextEditor) -> None:
    type_in(qtbot, editor.text_edit, "Bonjour")
    put_cursor(editor, 3)
    editor.set_html(editor.html())  # what the host does after pushing the edit
    assert editor.text_edit.textCursor().position() == 3
    editor.set_html("<p>Bonjour tout le monde</p>")  # an undo elsewhere: same offset kept
    assert editor.text_edit.textCursor().position() == 3
    editor.set_html("<p>Bo</p>")
    assert editor.text_edit.textCursor().position() == 2


def test_undo_keys_go_to_the_window(qtbot: QtBot, editor: RichTextEditor) -> None:
    window = editor.window()
    undone: list[bool] = []
    undo = QAction("Undo", window)
    undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
    undo.triggered.connect(lambda: undone.append(True))
    window.addAction(undo)
    type_in(qtbot, editor.text_edit, "abc")
    press(qtbot, editor.text_edit, Qt.Key.Key_Z, CTRL)
    assert undone == [True]
    assert editor.html() == "<p>abc</p>"  # the QTextEdit kept no undo of its own


def starter_texts() -> Iterator[tuple[str, str]]:
    for starter in list_starters():
        newsletter = create(starter.name).newsletter
        for top in newsletter.blocks:
            for block in subtree(top):
                if isinstance(block, TextBlock) and block.html:
                    yield starter.name, block.html


STARTER_TEXTS = list(starter_texts())


def test_there_are_starter_texts() -> None:
    assert len(STARTER_TEXTS) >= 8


@pytest.mark.parametrize(("starter", "html"), STARTER_TEXTS)
def test_round_trip_of_every_starter_text(
    editor: RichTextEditor, edits: list[str], starter: str, html: str
) -> None:
    editor.set_html(html)
    assert editor.html() == clean(html)
    assert edits == []


def test_with_the_session_every_edit_is_one_undoable_command(
    qtbot: QtBot, editor: RichTextEditor
) -> None:
    """Wired as the inspector does: edits pushed as SetRichText, the document shown back."""
    from editor.commands import SetRichText
    from editor.document import Newsletter
    from widgets.session import EditSession

    block = TextBlock(html="<p>Bonjour</p>")
    session = EditSession(Newsletter(blocks=[block]))
    editor.edited.connect(
        lambda html: session.push(SetRichText(block.id, html), merge_key=f"{block.id}.html")
    )
    session.changed.connect(lambda: editor.set_html(block.html))
    editor.set_html(block.html)
    put_cursor(editor, len("Bonjour"))
    type_in(qtbot, editor.text_edit, " Marie")
    select_word(editor, "Marie")
    press(qtbot, editor.text_edit, Qt.Key.Key_B, CTRL)
    assert block.html == "<p>Bonjour <strong>Marie</strong></p>"
    assert editor.text_edit.textCursor().hasSelection()  # the echo left the selection alone
    session.undo_stack.undo()  # typing and bold within a second are one step (the session's rule)
    assert editor.html() == block.html
    assert "<strong>" not in block.html
    while session.undo_stack.canUndo():
        session.undo_stack.undo()
    assert editor.html() == block.html == "<p>Bonjour</p>"
    session.undo_stack.redo()
    assert editor.html() == block.html


def test_tab_nests_a_list_item_and_shift_tab_brings_it_out(
    qtbot: QtBot, editor: RichTextEditor
) -> None:
    type_in(qtbot, editor.text_edit, "a")
    editor.bullets.trigger()
    back = Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier
    for text in ("b", "c", "d"):
        press(qtbot, editor.text_edit, Qt.Key.Key_Return)  # a new item at the same level
        type_in(qtbot, editor.text_edit, text)
        if text == "b":
            press(qtbot, editor.text_edit, Qt.Key.Key_Tab)
        if text == "d":
            press(qtbot, editor.text_edit, *back)
    assert editor.html() == "<ul><li>a<ul><li>b</li><li>c</li></ul></li><li>d</li></ul>"
    put_cursor(editor, editor.text_edit.toPlainText().index("c"))
    press(qtbot, editor.text_edit, *back)
    assert editor.html() == "<ul><li>a<ul><li>b</li></ul></li><li>c</li><li>d</li></ul>"
    press(qtbot, editor.text_edit, *back)
    assert editor.html() == "<ul><li>a<ul><li>b</li></ul></li></ul><p>c</p><ul><li>d</li></ul>"
    assert editor.text_edit.hasFocus()


def test_tab_outside_a_list_leaves_the_text(qtbot: QtBot, editor: RichTextEditor) -> None:
    type_in(qtbot, editor.text_edit, "a")
    press(qtbot, editor.text_edit, Qt.Key.Key_Tab)
    assert editor.html() == "<p>a</p>"
    assert not editor.text_edit.hasFocus()


def test_a_paragraph_taken_out_of_a_list_splits_it(editor: RichTextEditor) -> None:
    editor.set_html("<ul><li>a</li><li>b</li><li>c</li></ul>")
    put_cursor(editor, editor.text_edit.toPlainText().index("b"))
    editor.bullets.trigger()  # Qt keeps one list object around the paragraph: split it
    assert editor.html() == "<ul><li>a</li></ul><p>b</p><ul><li>c</li></ul>"


def test_enter_on_an_empty_item_leaves_the_list(qtbot: QtBot, editor: RichTextEditor) -> None:
    editor.set_html("<ul><li>a</li><li>b</li></ul>")
    put_cursor(editor, 1)
    press(qtbot, editor.text_edit, Qt.Key.Key_Return)
    press(qtbot, editor.text_edit, Qt.Key.Key_Return)
    type_in(qtbot, editor.text_edit, "x")
    assert editor.html() == "<ul><li>a</li></ul><p>x</p><ul><li>b</li></ul>"


@pytest.mark.parametrize(
    "html",
    [
        "<p>a<br>b<br><br>c</p><p><br></p><p>d</p>",
        "<p><u>sous</u> <strong><em>les deux</em></strong> 3 &lt; 4 &amp; 5 &gt; 2 « l'été »</p>",
        '<p><a href="https://shop.fr/?id={{ email }}&amp;utm=news" title="Boutique">shop</a>'
        ' <a href="mailto:bonjour@atelier.fr">écrire</a> <a href="tel:+33123">appeler</a></p>',
        "<p><a href=\"{{ site | default('https://a.fr') }}/promo\"><strong>promo</strong></a></p>",
        '<p>{{ first_name | default("l\'ami") | title }}, {{ Société }}</p>',
        "<ol><li>un<ol><li>deux<ul><li>trois</li></ul></li></ol></li><li>quatre</li></ol>",
        "<ul><li><strong>gras</strong> et <em>italique</em><br>ligne</li></ul><p>après</p>",
    ],
)
def test_round_trip_of_every_construct(editor: RichTextEditor, edits: list[str], html: str) -> None:
    assert clean(html) == html
    editor.set_html(html)
    assert editor.html() == html
    assert edits == []


@pytest.mark.parametrize("width", [340, 700])
def test_merge_button_stays_in_sight(qtbot: QtBot, editor: RichTextEditor, width: int) -> None:
    editor.window().resize(width, 300)
    qtbot.waitUntil(lambda: editor.width() <= width, timeout=2000)
    QApplication.processEvents()
    assert editor.merge_button.isVisible()  # not pushed behind the toolbar's overflow arrow
    named = editor.merge_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert named is (width == 700)
