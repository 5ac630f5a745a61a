"""Fixtures for the Qt UI tests: QtWebEngine set up before pytest-qt creates the QApplication.

Offscreen, QtWebEngine finds no GPU and says so through Qt warnings (which fail tests here,
``qt_log_level_fail = WARNING``) before falling back to software rendering, and the offscreen
platform warns that it cannot pass a window's minimum size to a window manager it does not have.
Those exact messages, and only those, are ignored in this folder (pytest-qt's ``qt_log_ignore``
mark, added below); any other Qt warning still fails the test.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PIL import Image
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from editor.document import (
    ButtonBlock,
    Column,
    ColumnsBlock,
    DividerBlock,
    FooterBlock,
    HeadingBlock,
    ImageBlock,
    Newsletter,
    Sender,
    TextBlock,
    to_json,
)
from editor.package import BulletinFile
from tests.system import need_qtwebengine, qtwebengine_problem
from widgets.documents import OpenDocument

if TYPE_CHECKING:
    from widgets.main_window import MainWindow

# QtWebEngine must be loaded before pytest-qt creates the QApplication: this does it, or says why
# it cannot (a system library missing), and then this folder's tests skip (or fail in CI).
QTWEBENGINE_PROBLEM = qtwebengine_problem()
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)

HERE = Path(__file__).resolve().parent
LOAD_TIMEOUT_MS = 30_000
SUBJECT = "Les nouvelles de l'atelier — mars"

# What Qt 6.12 prints on the offscreen platform: QtWebEngine, once per process, finding neither
# OpenGL nor Vulkan (it then renders in software, which is all the tests need), and the platform
# plugin when a window with a minimum size (the fixed-width phone preview) is shown.
OFFSCREEN_NOISE = (
    r"^QRhiGles2: Failed to create (temporary )?context$",
    r"^Failed to create RHI for backend: OpenGL$",
    r"^This plugin does not support createPlatformVulkanInstance$",
    r"^QVulkanInstance: Failed to initialize Vulkan$",
    r"^GBM is not supported with the current configuration and Vulkan is not available\. "
    r"Fallback to software rendering\.$",
    r"^GPUInfo not initialized on GpuInfoUpdate$",
    r"^This plugin does not support propagateSizeHints\(\)$",
    r"^This plugin does not support raise\(\)$",  # offscreen: no window stacking
)


class _Unavailable(pytest.Module):
    """A test module of this folder when QtWebEngine cannot load: skipped before importing it."""

    def collect(self) -> list[pytest.Item]:
        need_qtwebengine(QTWEBENGINE_PROBLEM)
        return []


def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Module | None:
    if QTWEBENGINE_PROBLEM is None:
        return None
    return _Unavailable.from_parent(parent, path=module_path)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


def png(width: int = 120, height: int = 60, color: str = "#2563eb") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def sample_file() -> BulletinFile:
    """A small newsletter using most block kinds, one embedded image and a column without alt."""
    bf = BulletinFile()
    photo = bf.add_image(png(), "atelier.png")
    bf.newsletter = Newsletter(
        subject=SUBJECT,
        preheader="Ateliers, nouveautés et dates à retenir",
        language="fr",
        sender=Sender(name="Atelier Lumière", email="bonjour@atelier.example"),
        blocks=[
            HeadingBlock(text="Bonjour {{ first_name }} !"),
            TextBlock(html="<p>L'atelier <strong>rouvre</strong> ses portes le 3 mars.</p>"),
            ImageBlock(src=photo, alt="L'atelier au printemps"),
            ColumnsBlock(
                columns=[
                    Column([TextBlock(html="<p>Poterie le mardi</p>")]),
                    Column([ImageBlock(src=photo, alt="")]),
                ]
            ),
            ButtonBlock(label="Réserver une place", url="https://atelier.example/reserver"),
            DividerBlock(),
            FooterBlock(company="Atelier Lumière", address="3 rue des Potiers\n69001 Lyon"),
        ],
    )
    return bf


@pytest.fixture
def sample() -> OpenDocument:
    return OpenDocument(sample_file())


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    """An empty main window, shown at its preferred size."""
    from widgets.main_window import MainWindow

    win = MainWindow()
    qtbot.addWidget(win)
    win.resize(win.sizeHint())
    win.show()
    yield win


@pytest.fixture(autouse=True)
def delete_closed_widgets(qtbot: QtBot) -> Iterator[None]:
    """Delete what the test closed (windows delete themselves on close) before the next test.

    Otherwise the last windows' web pages outlive QtWebEngine's profile at exit ("Release of
    profile requested but WebEnginePage still not deleted").
    """
    yield
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def show(qtbot: QtBot) -> Callable[[MainWindow, OpenDocument], None]:
    """Show a document in a window and wait until the desktop preview has loaded it."""

    def _show(win: MainWindow, document: OpenDocument) -> None:
        with qtbot.waitSignal(win.preview.loaded, timeout=LOAD_TIMEOUT_MS) as blocker:
            assert win.set_document(document)
        assert blocker.args == [True]

    return _show


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Error boxes as (title, message) instead of modal dialogs."""
    shown: list[tuple[str, str]] = []

    def critical(parent: Any, title: str, message: str, *args: Any) -> QMessageBox.StandardButton:
        shown.append((title, message))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", staticmethod(critical))
    return shown


@pytest.fixture
def starters_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A starters folder holding two starters, used instead of resources/starters."""
    folder = tmp_path / "starters"
    folder.mkdir()
    for name, fr, en in (
        ("annonce", "Une annonce courte", "A short announcement"),
        ("mensuelle", "La lettre du mois", "The monthly letter"),
    ):
        data = to_json(Newsletter(subject=f"Sujet {name}", blocks=[HeadingBlock(text=name)]))
        data["starter"] = {"description_fr": fr, "description_en": en}
        (folder / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr("editor.starters.starters_dir", lambda: folder)
    return folder
