"""The start dialog: starters with localised descriptions, Create, and Open… with errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from editor import package
from editor.i18n import set_language
from editor.package import PackageError
from tests.widgets.conftest import sample_file
from widgets.start_dialog import STARTER_ROLE, StartDialog

pytestmark = pytest.mark.gui


def dialog(qtbot: QtBot, lang: str = "fr") -> StartDialog:
    """The gallery showing the starters in ``lang`` (the test starters are French)."""
    widget = StartDialog()
    qtbot.addWidget(widget)
    widget.language.setCurrentIndex(widget.language.findData(lang))
    return widget


def test_lists_starters_with_their_description(qtbot: QtBot, starters_folder: Path) -> None:
    d = dialog(qtbot)
    rows = [d.starters.item(i) for i in range(d.starters.count())]
    assert [r.data(STARTER_ROLE) for r in rows] == ["annonce", "mensuelle"]
    assert rows[0].text() == "annonce\nA short announcement"
    assert d.selected_starter() == "annonce"
    assert d.create_button.isEnabled()
    d.show()
    assert not d.grab().isNull()  # the two-line delegate paints
    delegate = d.starters.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(d.starters)
    height = delegate.sizeHint(option, d.starters.model().index(0, 0)).height()
    assert height >= 2 * d.starters.fontMetrics().height()


def test_speaks_french(
    qtbot: QtBot, starters_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BULLETIN_LANG", "fr")
    set_language("fr")
    d = dialog(qtbot)
    assert d.starters.item(1).text() == "mensuelle\nLa lettre du mois"
    assert d.create_button.text() == "&Créer"
    assert d.windowTitle() == "Bulletin — Nouvelle lettre"


def test_create_makes_a_new_unsaved_document(qtbot: QtBot, starters_folder: Path) -> None:
    d = dialog(qtbot)
    d.starters.setCurrentRow(1)
    d.create_button.click()
    assert d.result() == StartDialog.DialogCode.Accepted
    assert d.document is not None
    assert d.document.path is None and d.document.starter == "mensuelle"
    assert d.document.file.newsletter.subject == "Sujet mensuelle"


def test_no_starters_disables_create(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("editor.starters.starters_dir", lambda: tmp_path)
    d = dialog(qtbot)
    assert d.starters.count() == 0
    assert not d.create_button.isEnabled()


def test_open_reads_the_chosen_file(
    qtbot: QtBot, tmp_path: Path, starters_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "avril.bulletin"
    package.save(sample_file(), path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    d = dialog(qtbot)
    d.open_button.click()
    assert d.result() == StartDialog.DialogCode.Accepted
    assert d.document is not None and d.document.path == path
    assert d.document.name == "avril"


def test_a_corrupt_file_is_reported_and_the_dialog_stays(
    qtbot: QtBot,
    tmp_path: Path,
    starters_folder: Path,
    errors: list[tuple[str, str]],
) -> None:
    bad = tmp_path / "vide.bulletin"
    bad.write_bytes(b"")
    with pytest.raises(PackageError) as raised:
        package.load(bad)
    d = dialog(qtbot)
    d.open_file(bad)
    assert errors == [("Cannot open the file", str(raised.value))]
    assert d.document is None and d.result() != StartDialog.DialogCode.Accepted


def test_cancelled_open_keeps_the_dialog(
    qtbot: QtBot, starters_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    d = dialog(qtbot)
    d.open_button.click()
    assert d.document is None
