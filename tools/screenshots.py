"""README's screenshots, taken from the real app offscreen.

Run: ``uv run python tools/screenshots.py`` (English) and ``--lang fr`` (French variants, named
``…-fr.png``); ``--out DIR`` writes elsewhere, ``--only NAME`` takes one shot (repeatable).
Each shot waits for what it shows to be complete — the preview's ``shown`` of the last render,
the gallery's thumbnails — so no pane is half loaded, and PNGs above :data:`MAX_BYTES` are
quantised to 256 colours with Pillow. The app runs with a throw-away ``BULLETIN_HOME``: no
recent files, no templates, no saved window layout, the same pictures on every machine.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SHOTS = ("main-preview", "gallery", "inspector-image", "inspector-text", "spam-panel")
"""The screenshots, in README's order."""
WINDOW_SIZE = (1600, 940)
GALLERY_SIZE = (980, 700)
MAX_BYTES = 300_000
TIMEOUT_MS = 60_000


def prepare_environment(lang: str, home: Path) -> None:
    """Offscreen Qt (no sandbox as root), the language, a private data folder: before Qt."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    os.environ["BULLETIN_LANG"] = lang
    os.environ["BULLETIN_HOME"] = str(home)


def pause(ms: int) -> None:
    """Let the event loop run (layouts, paints, queued signals) for ``ms`` milliseconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(done: Callable[[], bool], timeout_ms: int = TIMEOUT_MS) -> None:
    """Run the event loop until ``done()``; a screenshot of a half-loaded app is an error."""
    waited = 0
    while not done():
        if waited >= timeout_ms:
            raise TimeoutError("the app did not finish drawing in time")
        pause(50)
        waited += 50


def save_png(image: Any, path: Path) -> int:
    """Write the QImage ``image`` as an optimised PNG (quantised when too big); its size."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    picture = Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGB")
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    if out.tell() > MAX_BYTES:
        out = io.BytesIO()
        picture.quantize(256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    path.write_bytes(out.getvalue())
    return len(out.getvalue())


class Studio:
    """The app on one starter newsletter, ready to pose for each shot."""

    def __init__(self, lang: str) -> None:
        from editor.starters import create
        from widgets.app import application
        from widgets.documents import OpenDocument
        from widgets.main_window import MainWindow

        self.lang = lang
        self.app = application([sys.argv[0]])
        self.window = MainWindow(OpenDocument(create(f"monthly-{lang}")))
        self.window.resize(*WINDOW_SIZE)
        self.window.show()
        self.settle_preview()

    @property
    def session(self) -> Any:
        assert self.window.session is not None
        return self.window.session

    def settle_preview(self) -> None:
        preview = self.window.preview
        preview.flush()
        wait_until(lambda: preview.is_current() and preview.shown_generation > 0)
        pause(300)  # the page just swapped in gets painted

    def first_block(self, type_name: str) -> str:
        from editor.blocks.registry import type_of

        for block in self.session.document.walk():
            if type_of(block).name == type_name:
                return str(block.id)
        raise LookupError(f"the starter has no {type_name} block")

    def main_preview(self) -> Any:
        """The window on the Preview tab, desktop and phone side by side."""
        self.window.preview.set_mode("both")
        self.window.show_preview()
        self.settle_preview()
        return self.window.grab().toImage()

    def inspector(self, type_name: str) -> Any:
        """The Compose tab with the first ``type_name`` block selected and in view."""
        block_id = self.first_block(type_name)
        self.window.show_compose()
        self.window.go_to_block(block_id)
        pause(400)
        return self.window.grab().toImage()

    def spam_panel(self) -> Any:
        """The Compose tab after the subject was shouted: the spam score and its findings, two
        with « Fix » (the subject edit is undone afterwards)."""
        from editor.commands import SetDocumentField

        shouted = {
            "en": "LAST CHANCE: 50% OFF EVERYTHING!!!",
            "fr": "DERNIÈRE CHANCE : -50 % SUR TOUT !!!",
        }[self.lang]
        self.session.push(SetDocumentField("subject", shouted))
        self.window.show_compose()
        panel = self.window.spam_panel

        def scored() -> bool:
            report = panel.report
            return (
                report is not None
                and not panel.checker.busy
                and any(f.rule == "subject_all_caps" for f in report.findings)
            )

        self.settle_preview()
        wait_until(scored)
        pause(400)
        image = self.window.grab().toImage()
        self.session.undo_stack.undo()
        return image

    def gallery(self) -> Any:
        """The start gallery, every thumbnail drawn."""
        from widgets.start_dialog import StartDialog

        dialog = StartDialog()
        dialog.resize(*GALLERY_SIZE)
        dialog.show()
        dialog.thumbnails.wait(TIMEOUT_MS)
        pause(400)  # the thumbnails' ready signals are queued to this thread
        image = dialog.grab().toImage()
        dialog.close()
        dialog.deleteLater()
        return image

    def close(self) -> None:
        self.session.mark_saved()  # nothing to ask about on close
        self.window.close()
        pause(100)


def take(names: list[str], lang: str, out: Path) -> list[Path]:
    """Take the shots ``names`` in ``lang`` into ``out``; the files written."""
    with tempfile.TemporaryDirectory(prefix="bulletin-shots-") as home:
        prepare_environment(lang, Path(home))
        out.mkdir(parents=True, exist_ok=True)
        studio = Studio(lang)
        poses: dict[str, Callable[[], Any]] = {
            "main-preview": studio.main_preview,
            "gallery": studio.gallery,
            "inspector-image": lambda: studio.inspector("image"),
            "inspector-text": lambda: studio.inspector("text"),
            "spam-panel": studio.spam_panel,
        }
        written = []
        try:
            for name in names:
                path = out / (f"{name}.png" if lang == "en" else f"{name}-{lang}.png")
                size = save_png(poses[name](), path)
                print(f"{path} ({size / 1024:.0f} KB)")
                written.append(path)
        finally:
            studio.close()
        return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make README's screenshots from the real app.")
    parser.add_argument("--lang", choices=("en", "fr"), default="en")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", action="append", choices=SHOTS, help="one shot (repeatable)")
    args = parser.parse_args(argv)
    take(args.only or list(SHOTS), args.lang, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
