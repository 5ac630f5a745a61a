"""Rendering for the preview, off the UI thread, one job at a time, only the latest kept.

The preview hands over a *copy* of the document taken on the UI thread (the user keeps typing
into the real one while a render runs) and the window's own :class:`Renderer`, whose per-block
cache makes a one-block edit cost one block. The worker renders, fills in sample values, inlines
the images as ``data:`` URLs, applies the preview mode's transform (dark, images off) and writes
the page to a file: everything but loading it, which QtWebEngine does on the UI thread.

One job runs at a time (a :class:`Renderer` is used by one thread at a time); a job submitted
while another runs waits, and a newer one replaces it, so a burst of edits costs at most two
renders. The pane still drops a result older than what it last asked for (its generation).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from editor.document import Newsletter
from editor.i18n import _
from editor.render.engine import Rendered, Renderer
from editor.render.mime import data_url
from editor.render.preview_modes import dark_mode, images_off

_log = logging.getLogger(__name__)

EMAIL, DARK, IMAGES_OFF = "email", "dark", "images_off"
"""The page variants the preview shows (None: no page, the plain-text mode)."""

VARIANTS: dict[str, Callable[[str], str]] = {
    EMAIL: lambda page: page,
    DARK: dark_mode,
    IMAGES_OFF: images_off,
}


def preview_html(rendered: Rendered, images: Mapping[str, bytes]) -> str:
    """The page the preview shows: sample merge values, images inlined."""
    return rendered.html_for(None, image_url=lambda ref: data_url(ref, images), preview=True)


@dataclass(frozen=True)
class RenderJob:
    """What one render needs, all of it owned by the job (nothing the UI thread changes).

    Attributes:
        generation: the pane's counter for this request; results carry it back.
        newsletter: a copy of the document, taken on the UI thread.
        images: the document's images at that moment (a new mapping; bytes are immutable).
        variant: :data:`EMAIL`, :data:`DARK`, :data:`IMAGES_OFF`, or None for no page.
        path: where to write the page.
    """

    generation: int
    newsletter: Newsletter
    images: Mapping[str, bytes]
    variant: str | None
    path: Path


@dataclass(frozen=True)
class RenderResult:
    """A finished job: the rendering, the page file and its HTML (``page``, so a page shown
    in place need not be read back from the file), the text part, or why it failed."""

    generation: int
    rendered: Rendered | None = None
    path: Path | None = None
    text: str = ""
    error: str = ""
    page: str = ""


def run_job(job: RenderJob, renderer: Renderer) -> RenderResult:
    """Render ``job`` (on any thread); a failure becomes a worded ``error``, never a raise."""
    try:
        rendered = renderer.render(job.newsletter)
        text = rendered.text_for(None, preview=True)
        path, page = None, ""
        if job.variant is not None:
            page = VARIANTS[job.variant](preview_html(rendered, job.images))
            job.path.write_text(page, encoding="utf-8")
            path = job.path
        return RenderResult(job.generation, rendered, path, text, page=page)
    except ValueError as exc:  # DocumentError, MergeTagError: worded for the user
        return RenderResult(job.generation, error=str(exc))
    except Exception as exc:  # a bug: logged, shown plainly, the preview keeps going
        _log.error("preview rendering failed", exc_info=exc)
        return RenderResult(
            job.generation,
            error=_(
                "Unexpected error ({name}). Nothing was changed; the details are in Bulletin's log."
            ).format(name=type(exc).__name__),
        )


class RenderWorker(QObject):
    """Runs :func:`run_job` on a thread of its own pool, one job at a time, latest wins.

    Signals:
        finished(RenderResult): a job ended (on the UI thread), stale or not.
    """

    finished = Signal(object)
    _done = Signal(object)  # emitted on the pool's thread, received on this object's thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)  # deleted with us, after waiting for a running job
        self._pool.setMaxThreadCount(1)
        self._busy = False
        self._waiting: tuple[RenderJob, Renderer] | None = None
        self.jobs_run = 0
        self._done.connect(self._job_done)

    @property
    def busy(self) -> bool:
        """A job is running or waiting."""
        return self._busy or self._waiting is not None

    def submit(self, job: RenderJob, renderer: Renderer) -> None:
        """Run ``job`` now, or after the running one (replacing any job already waiting)."""
        if self._busy:
            self._waiting = (job, renderer)
            return
        self._start(job, renderer)

    def _start(self, job: RenderJob, renderer: Renderer) -> None:
        self._busy = True
        self.jobs_run += 1
        done = self._done

        def work() -> None:
            result = run_job(job, renderer)
            # RuntimeError: the pane (and this worker) is being deleted: nobody waits.
            with contextlib.suppress(RuntimeError):
                done.emit(result)

        self._pool.start(work)

    def _job_done(self, result: RenderResult) -> None:
        self._busy = False
        if self._waiting is not None:
            job, renderer = self._waiting
            self._waiting = None
            self._start(job, renderer)
        self.finished.emit(result)
