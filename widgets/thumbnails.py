"""Thumbnails of starters and templates for the gallery, drawn off the UI thread and cached.

Each document is rendered by the core (the same HTML as the email) and laid out by a
:class:`~PySide6.QtGui.QTextDocument` onto a :class:`~PySide6.QtGui.QImage`, both of which may
be used outside the UI thread. QTextDocument knows less CSS than a mail client, so this is an
approximation; it is good enough at the size of a thumbnail and needs no web engine. PNGs are
cached in ``<data>/thumbnails/`` under the hash of what they were drawn from, so they are drawn
once per version of a starter or template.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QIODevice,
    QObject,
    QRectF,
    QRunnable,
    Qt,
    QThreadPool,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument

from editor.atomic import write_atomic
from editor.package import BulletinFile
from editor.render.engine import Renderer
from editor.settings import data_dir

_log = logging.getLogger(__name__)

THUMBNAIL_WIDTH = 135
THUMBNAIL_HEIGHT = 180
PAGE_HEIGHT_RATIO = THUMBNAIL_HEIGHT / THUMBNAIL_WIDTH
_VERSION = b"thumbnail-1"  # bump when the drawing changes: every cached PNG is redrawn
_IMAGE_SCHEME = "bulletin-thumb:"


def thumbnails_dir() -> Path:
    path = data_dir() / "thumbnails"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_path(content: bytes) -> Path:
    """Where the thumbnail of ``content`` (the bytes it is drawn from) is cached."""
    digest = hashlib.sha256(_VERSION + b"\0" + content).hexdigest()[:32]
    return thumbnails_dir() / f"{digest}.png"


def draw(bf: BulletinFile) -> QImage:
    """The top of ``bf``'s email, as a thumbnail-sized image (any thread)."""
    rendered = Renderer(bf.images, None).render(bf.newsletter)
    html = rendered.html_for(None, image_url=lambda ref: _IMAGE_SCHEME + ref, preview=True)
    doc = QTextDocument()
    for ref, data in bf.images.items():
        doc.addResource(
            QTextDocument.ResourceType.ImageResource,
            QUrl(_IMAGE_SCHEME + ref),
            QImage.fromData(data),
        )
    doc.setHtml(html)
    doc.setTextWidth(bf.newsletter.theme.content_width)
    width = max(1, int(doc.size().width()))
    height = int(width * PAGE_HEIGHT_RATIO)
    page = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    page.fill(QColor("white"))
    painter = QPainter(page)
    doc.drawContents(painter, QRectF(0, 0, width, height))
    painter.end()
    return page.scaled(
        THUMBNAIL_WIDTH,
        THUMBNAIL_HEIGHT,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # stubs want bytes, PySide wants str
        raise OSError("cannot encode the thumbnail")
    return bytes(buffer.data().data())


@dataclass(frozen=True)
class ThumbnailJob:
    """One thumbnail to make: ``key`` names it for the caller, ``load`` reads the document."""

    key: str
    content: bytes
    load: Callable[[], BulletinFile]


class _Signals(QObject):
    done = Signal(str, str)  # key, PNG path ("" when the document could not be drawn)


class _Task(QRunnable):
    def __init__(self, job: ThumbnailJob, signals: _Signals) -> None:
        super().__init__()
        self.job, self.signals = job, signals

    def run(self) -> None:
        target = cache_path(self.job.content)
        try:
            write_atomic(target, png_bytes(draw(self.job.load())))
        except Exception:  # a broken starter or template: no thumbnail, the gallery goes on
            _log.warning("no thumbnail for %s", self.job.key, exc_info=True)
            self.signals.done.emit(self.job.key, "")
            return
        self.signals.done.emit(self.job.key, str(target))


class ThumbnailMaker(QObject):
    """Hands out cached thumbnails at once and draws the missing ones on a thread pool.

    Signals:
        ready(str, str): the key of a job and its PNG's path, once drawn ("" on failure).
    """

    ready = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one core is the user's; thumbnails are no hurry
        self._signals = _Signals()
        self._signals.done.connect(self.ready)

    def request(self, job: ThumbnailJob) -> Path | None:
        """The cached PNG when there is one; otherwise None, and ``ready`` fires later."""
        cached = cache_path(job.content)
        if cached.is_file():
            return cached
        self.pool.start(_Task(job, self._signals))
        return None

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for the pending drawings (tests, screenshots)."""
        return self.pool.waitForDone(msecs)

    def stop(self) -> None:
        """Drop the drawings not started and wait for the one under way (a fraction of a
        second), so nothing runs once the gallery is gone; the next gallery draws the rest."""
        self.pool.clear()
        self.pool.waitForDone()
