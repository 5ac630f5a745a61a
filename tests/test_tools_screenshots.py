"""tools/screenshots.py runs offscreen and writes real pictures of the app.

Two of the four shots only (the main window on its preview, and the gallery), in a separate
process as the script is run, into a temporary folder: the committed PNGs are not touched.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.system import need_qtwebengine, qtwebengine_problem

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent


def test_the_script_writes_the_main_window_and_gallery_shots(tmp_path: Path) -> None:
    need_qtwebengine(qtwebengine_problem())
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "screenshots.py"),
            "--out",
            str(tmp_path),
            "--only",
            "main-preview",
            "--only",
            "gallery",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gallery.png", "main-preview.png"]
    from tools.screenshots import GALLERY_SIZE, MAX_BYTES, WINDOW_SIZE

    for name, size in (("main-preview.png", WINDOW_SIZE), ("gallery.png", GALLERY_SIZE)):
        path = tmp_path / name
        assert 0 < path.stat().st_size <= MAX_BYTES
        with Image.open(path) as image:
            assert image.size == size
            # A painted window has many colours (thumbnails, the email's photos); a blank or
            # half-drawn one has a handful.
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
            assert len(colours) > 200, f"{name} looks empty"
