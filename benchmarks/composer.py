"""Composer benchmark: app start to window shown, keystroke to preview, memory after 200 edits.

Run: ``uv run python benchmarks/composer.py`` (``--help`` for the parts and counts). Everything
runs the real main window offscreen on the 12-block newsletter of :mod:`benchmarks.render`,
saved as a ``.bulletin`` file in a temporary folder, with a fresh ``BULLETIN_HOME``.

1. Start: a fresh ``python`` child runs ``main.main([PATH.bulletin])`` — the entry point a file
   manager uses — unchanged; the child only wraps ``widgets.app``'s own functions to stamp the
   phases (imports, QApplication, window build, first expose and paint of the main window, then
   the preview's first page) and quits after the first preview page. Times are counted from the
   parent's ``Popen``, so the interpreter's own start is included.
2. Keystroke → preview: a character typed with ``QTest.keyClick`` into the inspector's rich-text
   field (the real editor path: QTextEdit → RichTextEditor.edited → ``SetRichText`` pushed on the
   session), timed until the preview's ``shown(generation)`` of a render asked for after it; the
   phases (push, render requested after the debounce, render done on the worker, shown) are
   stamped from the session's and the preview's own signals. Per preview mode.
3. Memory: in a fresh child, RSS (ours, and the QtWebEngine helper processes') before and after
   200 typed edits each shown in the preview, then after ``undo_stack.clear()``; beside it, the
   undo stack's own size (the core commands it holds and their strings).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MODES = ("desktop", "both", "phone")
MARKER = "BENCH-JSON "
WINDOW_SIZE = (1440, 900)
TIMEOUT_S = 60.0
WARM_UP_EDITS = 80  # more than the 64 texts clean_rich_text remembers: its cache is full


# ---------------------------------------------------------------------------------- set-up


def qt_environment(home: Path) -> dict[str, str]:
    """Offscreen Qt, no sandbox as root, a private data folder, English."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            env["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()
    env["BULLETIN_HOME"] = str(home)
    env["BULLETIN_LANG"] = "en"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def write_newsletter(folder: Path) -> Path:
    """The 12-block newsletter of benchmarks/render.py, its photo embedded, as a .bulletin."""
    from benchmarks import render
    from editor.document import ImageBlock
    from editor.package import BulletinFile, save

    bf = BulletinFile(render.newsletter())
    ref = bf.add_image(render.image(), "photo.png")
    for block in bf.newsletter.walk():
        if isinstance(block, ImageBlock):
            block.src = ref
    path = folder / "novembre.bulletin"
    save(bf, path)
    return path


# -------------------------------------------------------------------------------- helpers


def pause(ms: int) -> None:
    """Let the event loop run for ``ms`` milliseconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def wait_until(signal: Any, done: Callable[[], bool], timeout_s: float = TIMEOUT_S) -> bool:
    """Run the event loop until ``done()`` holds, checked each time ``signal`` fires."""
    from PySide6.QtCore import QEventLoop, QTimer

    if done():
        return True
    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)

    def check(*_args: object) -> None:
        if done():
            loop.quit()

    signal.connect(check)
    timer.start(int(timeout_s * 1000))
    loop.exec()
    timer.stop()
    signal.disconnect(check)
    return done()


def rss_kb(pid: int | str = "self") -> int:
    """Resident set size of one process (Linux /proc), in KB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (QtWebEngine's zygote and renderers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def deep_size(obj: object, seen: set[int] | None = None) -> int:
    """Bytes held by ``obj`` and what it refers to (dataclasses, containers, strings)."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj)
    if isinstance(obj, str | bytes | int | float | bool) or obj is None:
        return size
    if isinstance(obj, dict):
        return size + sum(deep_size(k, seen) + deep_size(v, seen) for k, v in obj.items())
    if isinstance(obj, list | tuple | set | frozenset):
        return size + sum(deep_size(item, seen) for item in obj)
    if dataclasses.is_dataclass(obj):
        return size + sum(deep_size(getattr(obj, f.name), seen) for f in dataclasses.fields(obj))
    return size


def undo_stack_bytes(stack: Any) -> int:
    """What the undo stack's commands hold: each core command and its inverse."""
    seen: set[int] = set()
    total = 0
    for index in range(stack.count()):
        command = stack.command(index)
        total += deep_size(getattr(command, "command", None), seen)
        total += deep_size(getattr(command, "inverse", None), seen)
    return total


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p90(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


# ------------------------------------------------------------------------- 1. app start


def start_child(path: str) -> None:
    """In the child: the app's own start, stamped; prints the stamps and quits."""
    stamps: dict[str, float] = {"enter": time.time()}
    import PySide6.QtWidgets

    stamps["qt_imported"] = time.time()
    import PySide6.QtWebEngineWidgets  # noqa: F401

    stamps["webengine_imported"] = time.time()
    import main as entry
    import widgets.app as app_module

    stamps["app_imported"] = time.time()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QWindow
    from PySide6.QtWidgets import QApplication

    from widgets.main_window import MainWindow
    from widgets.preview import PreviewPane

    windows: list[MainWindow] = []
    make_application = app_module.application
    make_windows = app_module.first_windows
    build_preview = PreviewPane.__init__

    def application(argv: Any) -> QApplication:
        stamps["application_start"] = time.time()
        app = make_application(argv)
        stamps["application_made"] = time.time()
        app.installEventFilter(watch)
        return app

    def first_windows(path: Path | None = None) -> list[MainWindow]:
        stamps["window_start"] = time.time()
        made = make_windows(path)
        stamps["window_built"] = time.time()
        windows.extend(made)
        for window in made:
            window.preview.shown.connect(preview_shown)
        return made

    def preview_init(self: PreviewPane, *args: Any, **kwargs: Any) -> None:
        start = time.time()
        build_preview(self, *args, **kwargs)
        stamps["preview_pane_s"] = stamps.get("preview_pane_s", 0.0) + time.time() - start

    def preview_shown(_generation: int) -> None:
        stamps.setdefault("preview_shown", time.time())
        QTimer.singleShot(0, finish)

    def finish() -> None:
        print(MARKER + json.dumps(stamps), flush=True)
        QApplication.quit()

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            kind = event.type()
            if kind == QEvent.Type.Expose and isinstance(obj, QWindow) and obj.isExposed():
                stamps.setdefault("exposed", time.time())
            elif kind == QEvent.Type.Paint and isinstance(obj, MainWindow):
                stamps.setdefault("painted", time.time())
            return False

    watch = Watch()
    app_module.application = application
    app_module.first_windows = first_windows
    PreviewPane.__init__ = preview_init  # type: ignore[method-assign]
    QTimer.singleShot(int(TIMEOUT_S * 1000), finish)  # never hang: report what was reached
    sys.exit(entry.main([path]))


def bench_start(path: Path, home: Path, runs: int) -> dict[str, list[float]]:
    """Seconds from Popen to each phase, over ``runs`` fresh processes."""
    phases: dict[str, list[float]] = {}
    env = qt_environment(home)
    for _run in range(runs):
        spawned = time.time()
        done = subprocess.run(
            [sys.executable, __file__, "--start-child", str(path)],
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S + 30,
            check=False,
            cwd=ROOT,
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
        if not lines:
            raise RuntimeError(f"the start child printed nothing:\n{done.stderr[-3000:]}")
        stamps = json.loads(lines[-1][len(MARKER) :])
        for key, value in stamps.items():
            figure = value if key.endswith("_s") else value - spawned
            phases.setdefault(key, []).append(figure)
    return phases


# ---------------------------------------------------------------- shared: window, typing


class Composer:
    """The real main window on the newsletter, with the text block's field at hand."""

    def __init__(self, path: Path) -> None:
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QTextEdit

        from editor.document import TextBlock
        from widgets.app import application
        from widgets.documents import load_document
        from widgets.inspector import Inspector
        from widgets.inspector.text_panel import TextPanel
        from widgets.main_window import MainWindow

        self.app = application(sys.argv[:1])
        document = load_document(None, path)
        assert document is not None
        self.window = MainWindow(document)
        self.window.resize(*WINDOW_SIZE)
        self.window.show()
        self.window.show_preview()
        self.preview = self.window.preview
        session = self.window.session
        assert session is not None
        self.session = session
        if not wait_until(self.preview.shown, self.preview.is_current):
            raise RuntimeError("the preview never showed the newsletter")
        # The third block: « Bonjour … » and twelve paragraphs, about 4 KB of HTML.
        block = next(b for b in session.document.blocks if isinstance(b, TextBlock))
        self.block_id = block.id
        session.select(block.id)
        inspector = self.window.inspector
        assert isinstance(inspector, Inspector)
        panel = inspector.panel
        assert isinstance(panel, TextPanel)
        field = panel.text.text_edit()
        assert isinstance(field, QTextEdit)
        self.field = field
        inspector.focus_editor()
        self.field.moveCursor(self.field.textCursor().MoveOperation.End)
        self._key: Callable[[QTextEdit, str], None] = QTest.keyClick  # type: ignore[assignment]
        self.stamps: dict[str, float] = {}
        session.changed.connect(self._changed)
        self.preview._worker.finished.connect(self._rendered)
        self.preview.shown.connect(self._shown)

    def _changed(self) -> None:
        self.stamps.setdefault("pushed", time.perf_counter())

    def _rendered(self, *_args: object) -> None:
        self.stamps["rendered"] = time.perf_counter()

    def _shown(self, generation: int) -> None:
        self.stamps["shown"] = time.perf_counter()
        self.stamps["shown_generation"] = generation

    def set_mode(self, mode: str) -> None:
        self.preview.set_mode(mode)
        if not wait_until(self.preview.shown, self.preview.is_current):
            raise RuntimeError(f"the preview never showed mode {mode}")

    def type_one(self, char: str) -> dict[str, float]:
        """Type ``char`` at the end of the text; wait until the preview shows it. Seconds."""
        before = self.preview.generation
        self.stamps = {}
        start = time.perf_counter()
        self._key(self.field, char)
        typed = time.perf_counter()
        requested: list[float] = []

        def request_seen() -> bool:
            if not requested and self.preview.generation > before:
                requested.append(time.perf_counter())
            return self.stamps.get("shown_generation", 0) > before

        if not wait_until(self.preview.shown, request_seen):
            raise RuntimeError("the preview never showed the keystroke")
        if "pushed" not in self.stamps:
            raise RuntimeError("the keystroke pushed no edit")
        return {
            "total": self.stamps["shown"] - start,
            "key_handled": typed - start,
            "pushed": self.stamps["pushed"] - start,
            "rendered": self.stamps.get("rendered", float("nan")) - start,
        }


def bench_typing(path: Path, runs: int, spacing_ms: int) -> dict[str, dict[str, list[float]]]:
    """Per preview mode: ``runs`` keystrokes, each timed until the preview shows it."""
    composer = Composer(path)
    results: dict[str, dict[str, list[float]]] = {}
    letters = "bulletin"
    for mode in MODES:
        composer.set_mode(mode)
        for warm in range(3):
            composer.type_one(letters[warm])
            pause(spacing_ms)
        figures: dict[str, list[float]] = {}
        for run in range(runs):
            for key, value in composer.type_one(letters[run % len(letters)]).items():
                figures.setdefault(key, []).append(value)
            pause(spacing_ms)
        results[mode] = figures
    composer.window.session.mark_saved()  # type: ignore[union-attr]
    composer.window.close()
    return results


# ------------------------------------------------------------------------------ 3. memory


def memory_child(path: str, edits: int) -> None:
    """In the child: RSS before/after ``edits`` typed edits and after clearing the undo stack."""
    import ctypes

    composer = Composer(Path(path))
    stack = composer.session.undo_stack
    me = os.getpid()

    def measure() -> dict[str, int]:
        gc.collect()
        composer.app.processEvents()
        helpers = descendants(me)
        return {
            "rss_kb": rss_kb(),
            "helpers_kb": sum(rss_kb(pid) for pid in helpers),
            "helpers": len(helpers),
            "undo_count": stack.count(),
            "undo_bytes": undo_stack_bytes(stack),
        }

    text = "Nouveau pain du samedi matin "
    for index in range(WARM_UP_EDITS):  # caches full, the first renders, the worker thread
        composer.type_one(text[index % len(text)])
    stack.clear()
    pause(500)
    figures: dict[str, Any] = {"before": measure(), "trend": []}
    for index in range(edits):
        composer.type_one(text[index % len(text)])
        if (index + 1) % 50 == 0 and index + 1 < edits:
            figures["trend"].append((index + 1, measure()))
    pause(500)
    figures["after"] = measure()
    figures["html_bytes"] = len(composer.field.toHtml().encode())
    stack.clear()
    pause(500)
    figures["cleared"] = measure()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        figures["trimmed"] = measure()
    except (OSError, AttributeError):
        pass
    print(MARKER + json.dumps(figures), flush=True)
    composer.session.mark_saved()
    composer.window.close()


def bench_memory(path: Path, home: Path, edits: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(path), "--edits", str(edits)],
        env=qt_environment(home),
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S + edits * 2,
        check=False,
        cwd=ROOT,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if not lines:
        raise RuntimeError(f"the memory child printed nothing:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1][len(MARKER) :])
    return result


# ------------------------------------------------------------------------------- report


def machine() -> str:
    """CPU model, cores, load: figures depend on them."""
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    from PySide6 import __version__ as pyside

    return (
        f"{model}, {os.cpu_count()} cores, load {load:.1f}; Python {sys.version.split()[0]}, "
        f"PySide6 {pyside}, platform offscreen (software rendering)"
    )


def print_start(phases: dict[str, list[float]], runs: int) -> None:
    rows = [
        ("interpreter up (child's first line)", "enter"),
        ("+ PySide6.QtWidgets imported", "qt_imported"),
        ("+ QtWebEngineWidgets imported", "webengine_imported"),
        ("+ main, widgets.app imported", "app_imported"),
        ("QApplication created", "application_made"),
        ("main window built (file opened)", "window_built"),
        ("main window exposed", "exposed"),
        ("main window first painted", "painted"),
        ("preview's first page shown", "preview_shown"),
    ]
    print(f"\n1. App start to window shown ({runs} fresh processes; seconds since Popen)")
    print(f"   {'phase':<40} {'median':>7} {'min':>7} {'max':>7}")
    for label, key in rows:
        values = phases.get(key, [])
        if values:
            print(f"   {label:<40} {median(values):7.3f} {min(values):7.3f} {max(values):7.3f}")
        else:
            print(f"   {label:<40} {'—':>7}")
    pane = phases.get("preview_pane_s", [])
    if pane:
        print(f"   {'of which PreviewPane() construction':<40} {median(pane):7.3f}")
    painted = phases.get("painted", [])
    if painted:
        verdict = "met" if median(painted) <= 2.0 else "NOT met"
        print(f"   target: window shown <= 2 s: {verdict}")


def print_typing(results: dict[str, dict[str, list[float]]], runs: int, spacing: int) -> None:
    print(
        f"\n2. Keystroke -> preview showing it ({runs} keystrokes per mode, {spacing} ms apart;"
        " ms since the key press)"
    )
    print(
        f"   {'mode':<9} {'median':>7} {'p90':>7} {'min':>7} {'max':>7}   "
        f"{'edit pushed':>11} {'rendered':>9}  (medians)"
    )
    for mode, figures in results.items():
        total = [v * 1000 for v in figures["total"]]
        pushed = median([v * 1000 for v in figures["pushed"]])
        rendered = median([v * 1000 for v in figures["rendered"]])
        print(
            f"   {mode:<9} {median(total):7.1f} {p90(total):7.1f} {min(total):7.1f} "
            f"{max(total):7.1f}   {pushed:11.1f} {rendered:9.1f}"
        )
    worst = max(median(f["total"]) for f in results.values()) * 1000
    print(
        f"   target: median <= 150 ms with the 80 ms debounce: {'met' if worst <= 150 else 'NOT met'}"
    )


def print_memory(figures: dict[str, Any], edits: int) -> None:
    before, after, cleared = figures["before"], figures["after"], figures["cleared"]
    print(f"\n3. Memory after {edits} typed edits, each shown in the preview (KB)")
    print(f"   {'':<34} {'ours RSS':>9} {'helpers RSS':>12} {'undo steps':>10} {'undo size':>10}")
    rows: list[tuple[str, dict[str, int] | None]] = [
        (f"before (after {WARM_UP_EDITS} warm-up edits)", before)
    ]
    rows += [(f"  after {count} edits", row) for count, row in figures.get("trend", [])]
    rows += [
        (f"after {edits} edits", after),
        ("after undo_stack.clear()", cleared),
        ("after malloc_trim(0)", figures.get("trimmed")),
    ]
    for label, row in rows:
        if row is None:
            continue
        print(
            f"   {label:<34} {row['rss_kb']:9d} {row['helpers_kb']:12d} "
            f"{row['undo_count']:10d} {row['undo_bytes'] / 1024:10.0f}"
        )
    helpers = figures["after"]["helpers"]
    print(f"   helpers: QtWebEngine's processes under ours ({helpers} at the end)")
    growth = after["rss_kb"] - before["rss_kb"]
    undo = after["undo_bytes"] / 1024
    print(
        f"   growth of our RSS: {growth} KB for an undo stack of {undo:.0f} KB "
        f"({after['undo_count']} steps); after clear(): {cleared['rss_kb'] - before['rss_kb']} KB"
    )
    print(f"   the text block's HTML at the end: {figures['html_bytes'] / 1024:.1f} KB")


@dataclasses.dataclass
class Options:
    parts: list[str]
    start_runs: int
    keys: int
    spacing: int
    edits: int


def parse(argv: list[str]) -> tuple[argparse.Namespace, Options]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--part", action="append", choices=("start", "typing", "memory"), help="default: all"
    )
    parser.add_argument("--start-runs", type=int, default=7)
    parser.add_argument("--keys", type=int, default=30, help="keystrokes per preview mode")
    parser.add_argument("--spacing", type=int, default=150, help="ms between keystrokes")
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--start-child", help=argparse.SUPPRESS)
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    parts = args.part or ["start", "typing", "memory"]
    return args, Options(parts, args.start_runs, args.keys, args.spacing, args.edits)


def main(argv: list[str] | None = None) -> None:
    args, options = parse(sys.argv[1:] if argv is None else argv)
    if args.start_child:
        start_child(args.start_child)
        return
    if args.memory_child:
        memory_child(args.memory_child, args.edits)
        return
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-") as name:
        folder = Path(name)
        home = folder / "home"
        home.mkdir()
        os.environ.update(qt_environment(home))
        path = write_newsletter(folder)
        print("Composer benchmark: the 12-block newsletter of benchmarks/render.py, offscreen")
        print(f"machine: {machine()}")
        if "start" in options.parts:
            print_start(bench_start(path, home, options.start_runs), options.start_runs)
        if "typing" in options.parts:
            typing = bench_typing(path, options.keys, options.spacing)
            print_typing(typing, options.keys, options.spacing)
        if "memory" in options.parts:
            print_memory(bench_memory(path, home, options.edits), options.edits)
        if hasattr(os, "getloadavg"):  # other work on the machine inflates the figures
            print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
