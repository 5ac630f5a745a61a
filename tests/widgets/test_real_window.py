"""The app in a real X11 window (Xvfb + Qt's xcb plugin), as on a Linux desktop.

The other GUI tests use the offscreen platform; this one proves the xcb plugin and the
Debian libraries README lists are really there, and that the main window maps and paints.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.system import need_xvfb

pytestmark = pytest.mark.gui

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from widgets.app import application
    app = application(sys.argv[:1])
    from editor.starters import create
    from widgets.documents import OpenDocument
    from widgets.main_window import MainWindow
    window = MainWindow(OpenDocument(create("monthly-en"), None))
    window.resize(1200, 800)
    window.show()
    def done():
        assert app.platformName() == "xcb", app.platformName()
        assert window.isVisible() and window.windowHandle().isExposed()
        window.grab().save(sys.argv[1])
        app.quit()
    QTimer.singleShot(4000, done)
    sys.exit(app.exec())
    """
)


def test_main_window_in_a_real_x11_window(tmp_path: Path) -> None:
    xvfb = need_xvfb()  # skips without it (README's Linux notes; .ci/run installs it)
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            display = pipe.readline().strip()
        assert display, "Xvfb did not start"
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env.update(DISPLAY=f":{display}", QT_QPA_PLATFORM="xcb")
        shot = tmp_path / "window.png"
        result = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(shot)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert shot.stat().st_size > 20_000  # a painted window, not a blank one
    finally:
        server.terminate()
        server.wait(timeout=10)
