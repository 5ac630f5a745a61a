"""Every item model of the composer under pytest-qt's ``qtmodeltester``.

Each model is checked on a full starter newsletter (columns, images, a latest-posts block, one
finding) by pytest-qt's Python tester, which stays connected while the document is edited
through the session — insert, duplicate, move into a column, remove, undo — and checks every
row insertion, removal and reset as it happens; at the end Qt's own
``QAbstractItemModelTester`` checks the final state again (a failure is a Qt warning, which
fails the test). Item widgets (QListWidget) are checked through their ``model()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QAbstractItemModel
from PySide6.QtTest import QAbstractItemModelTester
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from editor import templates
from editor.commands import DuplicateBlock, MoveBlock, RemoveBlock, insert_new
from editor.contacts.importer import Rejected
from editor.contacts.model import Contact
from editor.document import ColumnsBlock, PostsBlock
from editor.locate import BlockPath
from editor.starters import create
from widgets.contacts.import_report import RejectedModel
from widgets.contacts.purge_dialog import InactiveModel
from widgets.documents import OpenDocument
from widgets.inspector import Inspector
from widgets.main_window import MainWindow
from widgets.outline import BLOCK_ID_ROLE
from widgets.palette import Palette
from widgets.session import EditSession
from widgets.start_dialog import StartDialog

pytestmark = pytest.mark.gui

TIMEOUT_MS = 30_000


# The widgets below are closed by their fixture, not by qtbot.addWidget: qtbot closes its
# widgets before any fixture is torn down, and the model tester, torn down before the fixtures
# it comes after, must still find its model to disconnect from it.


@pytest.fixture
def composer(qtbot: QtBot) -> Iterator[MainWindow]:
    """The main window on the monthly starter, its preview and findings up to date."""
    window = MainWindow(OpenDocument(create("monthly-en")))
    window.resize(1200, 800)
    window.show()
    qtbot.waitUntil(window.preview.is_current, timeout=TIMEOUT_MS)
    yield window
    if window.session is not None:
        window.session.mark_saved()  # no « save the changes? » box
    window.close()


@pytest.fixture
def gallery(qtbot: QtBot) -> Iterator[StartDialog]:
    dialog = StartDialog()
    yield dialog
    dialog.thumbnails.stop()
    dialog.close()
    dialog.deleteLater()


def session_of(window: MainWindow) -> EditSession:
    assert window.session is not None
    return window.session


def top_level_ids(window: MainWindow) -> list[str]:
    return [block.id for block in session_of(window).document.blocks]


def outline_ids(window: MainWindow) -> list[str]:
    model = window.outline.outline
    return [model.index(row, 0).data(BLOCK_ID_ROLE) for row in range(model.rowCount())]


def watch(tester: ModelTester, model: object) -> None:
    """pytest-qt's Python tester: checks ``model`` now and after each of its changes."""
    tester.check(model, force_py=True)  # type: ignore[no-untyped-call]


def recheck(model: QAbstractItemModel) -> None:
    """Qt's model tester over the model as it is now (its findings are Qt warnings)."""
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait for the outline (redrawn after a pause) and the preview's findings to follow."""
    qtbot.waitUntil(lambda: outline_ids(window) == top_level_ids(window), timeout=TIMEOUT_MS)
    qtbot.waitUntil(window.preview.is_current, timeout=TIMEOUT_MS)


def edit_everything(qtbot: QtBot, window: MainWindow) -> None:
    """Insert, duplicate, move into a column, remove and undo, through the session."""
    session = session_of(window)
    doc = session.document
    columns = next(b for b in doc.blocks if isinstance(b, ColumnsBlock))
    first = doc.blocks[0].id

    image = insert_new(doc, "image", after=first)  # an image without alt: a new finding
    assert session.push(image)
    settle(qtbot, window)
    assert session.push(DuplicateBlock.of(doc, image.block.id))
    settle(qtbot, window)
    assert session.push(MoveBlock(image.block.id, BlockPath(0, columns.id, 1)))
    settle(qtbot, window)
    assert session.push(RemoveBlock(columns.id))
    settle(qtbot, window)
    for _step in range(2):
        session.undo_stack.undo()
        settle(qtbot, window)
    session.undo_stack.redo()
    settle(qtbot, window)


def test_outline_model(composer: MainWindow, qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    model = composer.outline.outline
    assert model.rowCount() == len(composer.session.document.blocks)  # type: ignore[union-attr]
    watch(qtmodeltester, model)
    edit_everything(qtbot, composer)
    recheck(model)
    composer.set_document(None)
    assert model.rowCount() == 0
    recheck(model)


def test_findings_model(composer: MainWindow, qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    assert composer.warnings.findings  # the starter's latest-posts block was never fetched
    model = composer.warnings.model()
    watch(qtmodeltester, model)
    before = len(composer.warnings.findings)
    edit_everything(qtbot, composer)
    assert len(composer.warnings.findings) > before  # the image without alt text
    recheck(model)
    composer.warnings.set_findings([])  # the single « No warnings. » row
    assert model.rowCount() == 1
    recheck(model)


def test_palette_model(composer: MainWindow, qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    palette = composer.block_palette
    assert isinstance(palette, Palette)
    model = palette.list.model()
    watch(qtmodeltester, model)
    edit_everything(qtbot, composer)
    palette.refresh()  # rebuilt, as after a language switch
    assert model.rowCount() == len(palette.type_names()) > 0
    recheck(model)


def test_latest_posts_list_model(
    composer: MainWindow, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    session = session_of(composer)
    posts = next(b for b in session.document.walk() if isinstance(b, PostsBlock))
    session.select(posts.id)
    inspector = composer.inspector
    assert isinstance(inspector, Inspector)
    listing = getattr(inspector.panel, "posts", None)
    assert listing is not None, "the latest-posts panel has no posts list"
    model = listing.model()
    watch(qtmodeltester, model)
    edit_everything(qtbot, composer)
    recheck(model)


def test_gallery_models(gallery: StartDialog, qtbot: QtBot, qtmodeltester: ModelTester) -> None:
    dialog = gallery
    model = dialog.starters.model()
    assert model.rowCount() > 0
    watch(qtmodeltester, model)
    for index in range(dialog.language.count()):  # the language filter hides rows
        dialog.language.setCurrentIndex(index)
    assert dialog.thumbnails.wait(TIMEOUT_MS)
    qtbot.wait(50)  # the thumbnails' ready signals set the tiles' icons (dataChanged)
    recheck(model)
    dialog.thumbnails.stop()


def test_gallery_templates_model(
    gallery: StartDialog, qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    model = gallery.templates.model()
    assert model.rowCount() == 0
    watch(qtmodeltester, model)
    templates.save_template(create("event-en"), "Soirée de lancement")
    gallery.reload_templates()  # as after « Save as my template »
    assert model.rowCount() == 1
    gallery.rename_template("Soirée de lancement", "Lancement")
    assert model.rowCount() == 1
    recheck(model)


def _contact(number: int) -> Contact:
    return Contact(
        id=number,
        email=f"client{number}@example.org",
        first_name="Léa" if number % 2 else "",
        last_name="Martin",
        fields={},
        status="subscribed",
        basis="consent" if number % 3 else None,
        basis_source="",
        basis_date=None,
        basis_proof="",
        lists=[],
        created_at="2025-01-02T10:00:00+00:00",
        updated_at="2025-01-02T10:00:00+00:00",
        last_activity_at=None if number % 2 else "2025-06-01T09:00:00+00:00",
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: InactiveModel([_contact(n) for n in range(5)]),
        lambda: InactiveModel([]),
        lambda: RejectedModel(
            [Rejected(n + 2, f"valeur {n}", "adresse invalide") for n in range(4)]
        ),
        lambda: RejectedModel([]),
    ],
    ids=["inactive", "inactive-empty", "rejected", "rejected-empty"],
)
def test_contacts_table_models(
    make: Callable[[], object], qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    watch(qtmodeltester, make())
