"""The preview: the rendered email as a desktop and a phone client show it, and its text part.

The HTML comes from :meth:`editor.render.engine.Rendered.html_for` with sample merge values and
every image inlined as a ``data:`` URL, so the preview works offline and shows exactly the bytes
the message will carry. It is written to a file in a private temporary folder and loaded from
there: ``QWebEngineView.setHtml`` refuses documents over 2 MB, which a few photos reach quickly.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QTemporaryDir, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWebEngineCore import QWebEngineLoadingInfo, QWebEnginePage, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import _
from editor.render.engine import Rendered
from editor.render.mime import data_url

DESKTOP_WIDTH = 800
MOBILE_WIDTH = 375


def preview_html(rendered: Rendered, images: Mapping[str, bytes]) -> str:
    """The page the preview shows: sample merge values, images inlined."""
    return rendered.html_for(None, image_url=lambda ref: data_url(ref, images), preview=True)


class PreviewPage(QWebEnginePage):
    """A page that stays on the email: clicked links open in the user's browser instead.

    JavaScript is off (an email never runs any) and the page may not read other local files.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        settings = self.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)

    def acceptNavigationRequest(
        self, url: QUrl | str, type: QWebEnginePage.NavigationType, isMainFrame: bool
    ) -> bool:
        if type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            url = QUrl(url)
            if url.scheme() in ("http", "https", "mailto"):
                QDesktopServices.openUrl(url)
            return False
        return super().acceptNavigationRequest(url, type, isMainFrame)


class DevicePreview(QFrame):
    """One device: a caption above a web view of a given width (None: as wide as there is room).

    Attributes:
        view: the web view showing the email.
    """

    def __init__(self, caption: str, width: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(caption)
        self.caption.setObjectName("previewCaption")
        self.view = QWebEngineView()
        self.view.setPage(PreviewPage(self.view))
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        inner = QVBoxLayout(frame)
        inner.setContentsMargins(1, 1, 1, 1)
        inner.addWidget(self.view)
        if width is None:
            self.view.setMinimumWidth(MOBILE_WIDTH + 100)
        else:
            self.view.setFixedWidth(width)
            self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.caption)
        layout.addWidget(frame, 1)


class PreviewPane(QTabWidget):
    """Desktop and phone previews side by side in one tab, the plain-text part in another.

    Signals:
        loaded(bool): both views finished loading the last rendering (True when both worked).
            Loads of earlier renderings that finish late are not reported.
    """

    loaded = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self._folder = QTemporaryDir()
        if not self._folder.isValid():
            raise OSError(self._folder.errorString())
        self._count = 0
        self._url = QUrl()
        self._pending: list[bool | None] = []
        self.desktop = DevicePreview(_("Desktop"), None)
        self.mobile = DevicePreview(f"Mobile · {MOBILE_WIDTH} px", MOBILE_WIDTH)
        self.desktop.view.page().loadingChanged.connect(self._desktop_loading_changed)
        self.mobile.view.page().loadingChanged.connect(self._mobile_loading_changed)
        devices = QWidget()
        row = QHBoxLayout(devices)
        row.setContentsMargins(12, 10, 12, 12)
        row.setSpacing(16)
        row.addWidget(self.desktop, 1)
        row.addWidget(self.mobile)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.document().setDocumentMargin(12)
        self.addTab(devices, _("Preview"))
        self.addTab(self.text, _("Plain text"))

    @property
    def views(self) -> tuple[QWebEngineView, QWebEngineView]:
        return self.desktop.view, self.mobile.view

    def show_rendered(self, rendered: Rendered | None, images: Mapping[str, bytes]) -> None:
        """Show ``rendered``; None empties the views (no ``loaded`` signal then)."""
        if rendered is None:
            self.text.clear()
            if not self._url.isEmpty():
                # Only once something was shown: a load issued while the first navigation of a
                # fresh view is in flight may go unreported by QtWebEngine.
                self._url = QUrl()
                for view in self.views:
                    view.setHtml("")
            return
        self._url = QUrl.fromLocalFile(str(self._write(preview_html(rendered, images))))
        self._pending = [None] * len(self.views)
        for view in self.views:
            view.load(self._url)
        self.text.setPlainText(rendered.text_for(None, preview=True))

    def _desktop_loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        self._loading_changed(0, info)

    def _mobile_loading_changed(self, info: QWebEngineLoadingInfo) -> None:
        self._loading_changed(1, info)

    def _loading_changed(self, index: int, info: QWebEngineLoadingInfo) -> None:
        """Note that view ``index`` is done with the current rendering; report when all are."""
        Status = QWebEngineLoadingInfo.LoadStatus
        if info.url() != self._url or info.status() == Status.LoadStartedStatus:
            return
        if self._pending[index] is not None:
            return
        self._pending[index] = info.status() == Status.LoadSucceededStatus
        if all(done is not None for done in self._pending):
            self.loaded.emit(all(self._pending))

    def _write(self, html: str) -> Path:
        """A fresh file per rendering (the previous one is removed), so views always reload."""
        folder = Path(self._folder.path())
        previous = folder / f"preview-{self._count}.html"
        self._count += 1
        path = folder / f"preview-{self._count}.html"
        path.write_text(html, encoding="utf-8")
        previous.unlink(missing_ok=True)
        return path
