"""The live preview: the final email as desktop and phone clients show it, in dark mode, with
images blocked, and its plain-text part.

The page is exactly what will be sent (:meth:`Rendered.html_for` after inlining) with sample
merge values and every embedded image as a ``data:`` URL, so the preview works offline. It is
written to a file in a private temporary folder and loaded from there: ``setHtml`` refuses
documents over 2 MB, which a few photos reach quickly.

Given an :class:`~widgets.session.EditSession`, the pane follows it: each ``changed`` restarts
an 80 ms timer, then a copy of the document is rendered on a worker thread
(:mod:`widgets.render_worker`) with the window's renderer; a result older than the last
request is dropped. Once a page is shown, a new rendering replaces its document in place, with a
script in Qt's application world, keeping the scroll position: no navigation, because each one
costs QtWebEngine about 16 KB in our process for good (measured with a bare QWebEngineView:
15–18 KB per load, history kept or cleared, unique URLs or not; an in-place update costs
0.03 KB), which grew the app by megabytes over an afternoon of typing. The first page, and a
reload (remote images allowed, a page that failed), load in the second web view stacked behind
the first, get the front one's scroll position, and only then come to the front, so the user
never sees a blank page or a jump back to the top.

Privacy: each pane has its own off-the-record profile whose request interceptor refuses every
http(s) request (remote images tell their server when and where the email is read) until the
user allows them for this newsletter; embedded images are ``data:`` URLs and always show.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QObject, QPointF, Qt, QTemporaryDir, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QActionGroup, QDesktopServices, QFontDatabase, QKeySequence
from PySide6.QtWebEngineCore import (
    QWebEngineLoadingInfo,
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedLayout,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from editor.i18n import _
from editor.render.engine import Rendered, Renderer
from widgets.render_worker import (
    DARK,
    EMAIL,
    IMAGES_OFF,
    VARIANTS,
    RenderJob,
    RenderResult,
    RenderWorker,
    preview_html,
)
from widgets.session import EditSession

__all__ = [
    "DEBOUNCE_MS",
    "DESKTOP_WIDTH",
    "MOBILE_WIDTH",
    "MODES",
    "DevicePreview",
    "PreviewPage",
    "PreviewPane",
    "RemoteBlocker",
    "preview_html",
]

DESKTOP_WIDTH = 800
MOBILE_WIDTH = 375
DEBOUNCE_MS = 80
"""Pause after an edit before rendering: a burst of keystrokes costs one render."""

MODES = ("desktop", "phone", "both", "dark", "images_off", "text")
"""Preview modes, in the toolbar's order; ``both`` is desktop and phone side by side."""

# mode → (page variant or None, shows the desktop view, shows the phone view)
_LAYOUT: dict[str, tuple[str | None, bool, bool]] = {
    "desktop": (EMAIL, True, False),
    "phone": (EMAIL, False, True),
    "both": (EMAIL, True, True),
    "dark": (DARK, True, True),
    "images_off": (IMAGES_OFF, True, True),
    "text": (None, False, False),
}
_REMOTE_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
_FILE_NAME = re.compile(r"preview-(\d+)\.html")
# What makes a page ask for something remote (links do not): images, backgrounds, CSS urls.
_REMOTE_REFERENCE = re.compile(
    r"""(?:\bsrc|\bbackground)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//""",
    re.IGNORECASE,
)

# Turns the shown document into a new one, keeping the scroll position; true once done. Run in
# Qt's application world: the page's own JavaScript is off. DOMParser makes inert nodes (no
# script runs, none is in an email anyway); remote requests still go through the interceptor.
# Only what differs is touched, node by node: typing changes a text node, and unchanged images
# are not decoded again (replacing the whole document cost the web process ~650 KB per update
# for a page with one photo, this ~30 KB, measured).
_REPLACE_DOCUMENT = """(function (html) {
  function morph(a, b) {
    if (a.nodeType !== b.nodeType || a.nodeName !== b.nodeName) {
      a.parentNode.replaceChild(document.importNode(b, true), a);
      return;
    }
    if (a.nodeType === 3 || a.nodeType === 8) {
      if (a.data !== b.data) a.data = b.data;
      return;
    }
    if (a.nodeType !== 1) return;
    var i, name;
    for (i = a.attributes.length - 1; i >= 0; i--) {
      name = a.attributes[i].name;
      if (!b.hasAttribute(name)) a.removeAttribute(name);
    }
    for (i = 0; i < b.attributes.length; i++) {
      name = b.attributes[i].name;
      if (a.getAttribute(name) !== b.attributes[i].value) {
        a.setAttribute(name, b.attributes[i].value);
      }
    }
    var ac = a.childNodes, bc = b.childNodes;
    for (i = 0; i < bc.length; i++) {
      if (i < ac.length) morph(ac[i], bc[i]);
      else a.appendChild(document.importNode(bc[i], true));
    }
    while (ac.length > bc.length) a.removeChild(a.lastChild);
  }
  var x = window.scrollX, y = window.scrollY;
  var parsed = new DOMParser().parseFromString(html, "text/html");
  morph(document.documentElement, parsed.documentElement);
  window.scrollTo(x, y);
  return true;
})(%s)"""


class RemoteBlocker(QWebEngineUrlRequestInterceptor):
    """Lets the preview load its own page and ``data:`` URLs; remote ones only when allowed.

    Every other request is refused: other local files, and http(s) until :attr:`allowed`.

    Signals:
        blocked(QUrl): a remote request of the page at this URL was refused.
    """

    blocked = Signal(QUrl)

    def __init__(self, folder: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder).resolve()
        self.allowed = False

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        scheme = url.scheme()
        if scheme in ("data", "blob", "about"):
            return
        if scheme == "file":
            path = Path(url.toLocalFile()).resolve()
            if path.parent != self.folder:
                info.block(True)
            return
        if scheme in _REMOTE_SCHEMES and self.allowed:
            return
        info.block(True)
        if scheme in _REMOTE_SCHEMES:
            self.blocked.emit(info.firstPartyUrl())


class PreviewPage(QWebEnginePage):
    """A page that stays on the email: clicked links open in the user's browser instead.

    JavaScript is off (an email never runs any; the preview's own scripts run in Qt's
    application world, which this setting does not reach) and the page may not read other
    local files. Remote content is left to the profile's :class:`RemoteBlocker`.
    """

    def __init__(
        self, profile: QWebEngineProfile | None = None, parent: QWidget | None = None
    ) -> None:
        if profile is None:
            super().__init__(parent)
        else:
            super().__init__(profile, parent)
        settings = self.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        if profile is not None:
            # A page loaded from a file reaches the web only with this; the profile's request
            # interceptor then decides (remote images wait for the user's permission).
            settings.setAttribute(
                QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, True
            )

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
    """One device: a caption above two stacked web views of a given width.

    A page loads in the view behind (:meth:`load`), takes the front view's scroll position,
    then comes to the front: the user never sees a blank page while it loads.

    Attributes:
        caption: the label above the views.

    Signals:
        swapped(QUrl, bool): the page at this URL is now in front (False: it failed to load).
    """

    swapped = Signal(QUrl, bool)

    def __init__(
        self,
        caption: str,
        width: int | None,
        profile: QWebEngineProfile | None = None,
        parent: QWidget | None = None,
        accessible_name: str = "",
    ) -> None:
        super().__init__(parent)
        self.caption = QLabel(caption)
        self.caption.setObjectName("previewCaption")
        self._target = QUrl()
        self._front_ok = False  # the front view holds a page that loaded: it can be updated
        self.shown_url = QUrl()  # the page shown (the front view's URL is that of its load)
        self._views: list[QWebEngineView] = []
        self._stack = QStackedLayout()
        self._stack.setStackingMode(QStackedLayout.StackingMode.StackAll)
        for _index in range(2):
            view = QWebEngineView()
            view.setPage(PreviewPage(profile, view))
            view.setAccessibleName(accessible_name or caption)
            view.page().loadingChanged.connect(
                lambda info, view=view: self._loading_changed(view, info)
            )
            if width is None:
                view.setMinimumWidth(MOBILE_WIDTH + 100)
                view.setMaximumWidth(DESKTOP_WIDTH)
            else:
                view.setFixedWidth(width)
                # Phones draw their scroll bars over the page: the page keeps all its width.
                view.settings().setAttribute(QWebEngineSettings.WebAttribute.ShowScrollBars, False)
            self._views.append(view)
            self._stack.addWidget(view)
        self._stack.setCurrentIndex(0)
        frame = QFrame()
        frame.setLayout(self._stack)
        if width is None:
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            self._stack.setContentsMargins(1, 1, 1, 1)
            self.setMaximumWidth(DESKTOP_WIDTH + 2)
        else:
            # A phone's bezel around the page.
            frame.setObjectName("phoneFrame")
            frame.setStyleSheet(
                "#phoneFrame { border: 10px solid #2b2f36; border-radius: 18px;"
                " background: #2b2f36; }"
            )
            self._stack.setContentsMargins(0, 0, 0, 0)
            self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.caption)
        layout.addWidget(frame, 1)

    @property
    def view(self) -> QWebEngineView:
        """The view in front: what the user sees."""
        widget = self._stack.currentWidget()
        assert isinstance(widget, QWebEngineView)
        return widget

    @property
    def back(self) -> QWebEngineView:
        """The view behind, where the next page loads."""
        return self._views[1] if self.view is self._views[0] else self._views[0]

    @property
    def loading(self) -> QUrl:
        """The URL loading behind (empty when none)."""
        return QUrl(self._target)

    def show_page(self, url: QUrl, html: str | None = None) -> None:
        """Show the page at ``url`` (whose content is ``html``): its document replaces the front
        one in place when that one loaded and nothing is loading, else it loads behind
        (:meth:`load`). ``html`` None always loads. :attr:`swapped` says when it is shown."""
        if html is None or not self._front_ok or not self._target.isEmpty():
            self.load(url)
            return
        view = self.view
        view.page().runJavaScript(
            _REPLACE_DOCUMENT % json.dumps(html),
            QWebEngineScript.ScriptWorldId.ApplicationWorld,
            lambda result: self._replaced(view, url, result is True),
        )

    def _replaced(self, view: QWebEngineView, url: QUrl, ok: bool) -> None:
        if not ok:  # the page went away meanwhile: load it the usual way
            self._front_ok = False
            self.load(url)
            return
        if view is self.view:
            self.shown_url = QUrl(url)
        self.swapped.emit(url, True)

    def load(self, url: QUrl) -> None:
        """Load ``url`` behind; :attr:`swapped` says when it is in front."""
        self._target = QUrl(url)
        self.back.load(url)
        if self.view.url().isEmpty():
            # The first page also goes in front (it is blank anyway): a view that never drew a
            # page while in front shows one blank frame the first time it comes forward.
            self.view.load(url)

    def clear(self) -> None:
        self._target = QUrl()
        self._front_ok = False
        self.shown_url = QUrl()
        for view in self._views:
            view.setHtml("")

    def _loading_changed(self, back: QWebEngineView, info: QWebEngineLoadingInfo) -> None:
        Status = QWebEngineLoadingInfo.LoadStatus
        if (
            back is not self.back
            or self._target.isEmpty()
            or info.url() != self._target
            or info.status() == Status.LoadStartedStatus
        ):
            return
        ok = info.status() == Status.LoadSucceededStatus
        url = QUrl(self._target)
        position: QPointF = self.view.page().scrollPosition()
        # The page's own JavaScript is off; Qt's application world still runs ours.
        back.page().runJavaScript(
            f"window.scrollTo({position.x():.0f}, {position.y():.0f}); 0",
            QWebEngineScript.ScriptWorldId.ApplicationWorld,
            lambda _result: self._bring_forward(back, url, ok),
        )

    def _bring_forward(self, view: QWebEngineView, url: QUrl, ok: bool) -> None:
        if view is not self.back or url != self._target:
            return  # a newer page is on its way
        self._target = QUrl()
        self._stack.setCurrentWidget(view)
        self._front_ok = ok
        self.shown_url = QUrl(url)
        self.swapped.emit(url, ok)


class PreviewPane(QWidget):
    """The preview with its mode bar, the remote-images bar and the render-error bar.

    Attributes:
        toolbar: the mode buttons (hidden when a host takes :meth:`mode_actions`); more
            actions (« Send a test ») may go at its end.
        desktop, mobile: the two devices (their ``view`` is the web view in front).
        text: the plain-text part.

    Signals:
        shown(int): the page of render ``generation`` is in front in every visible view
            (or the text part is shown, in plain-text mode).
        loaded(bool): the same moment, True when every view loaded the page.
        rendered_changed(Rendered): a new rendering (for the findings and the size label).
        failed(str): a render failed; the message is shown above the last good preview.
        mode_changed(str): the mode changed (one of :data:`MODES`).
        remote_images_allowed_changed(bool): the user allowed or blocked remote images.
    """

    shown = Signal(int)
    loaded = Signal(bool)
    rendered_changed = Signal(object)
    failed = Signal(str)
    mode_changed = Signal(str)
    remote_images_allowed_changed = Signal(bool)

    def __init__(
        self,
        session: EditSession | None = None,
        parent: QWidget | None = None,
        *,
        renderer: Renderer | None = None,
        remote_images_allowed: bool = False,
    ) -> None:
        super().__init__(parent)
        self._folder = QTemporaryDir()
        if not self._folder.isValid():
            raise OSError(self._folder.errorString())
        self._mode = "both"
        self._generation = 0
        self._shown_generation = 0
        self._done_generation = 0
        self._rendered: Rendered | None = None
        self._showing: tuple[int, QUrl, dict[DevicePreview, bool | None]] | None = None
        self._legacy: tuple[Rendered, Mapping[str, bytes]] | None = None
        self._session: EditSession | None = None
        self._renderer: Renderer | None = None
        self._blocked_pages: set[str] = set()
        self._reload = False  # the next page loads anew (remote images were allowed)

        # The profile is created first (the pages need it) but parented last, so it is deleted
        # after them: a profile deleted before its pages makes QtWebEngine complain.
        self._profile = QWebEngineProfile()
        self._blocker = RemoteBlocker(self._folder.path(), self._profile)
        self._blocker.allowed = remote_images_allowed
        self._blocker.blocked.connect(self._remote_blocked)
        self._profile.setUrlRequestInterceptor(self._blocker)

        self.toolbar = QToolBar()
        self.toolbar.setAccessibleName(_("Preview modes"))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._mode_actions = self._build_mode_actions()

        self.remote_bar = QFrame()
        self.remote_bar.setObjectName("remoteImagesBar")
        self.remote_bar.setStyleSheet(
            "#remoteImagesBar { background: #fff7e0; border: 1px solid #e8d49b; }"
            " #remoteImagesBar QLabel { color: #4a3b00; }"
        )
        self.remote_label = QLabel(_("Remote images blocked"))
        self.remote_label.setToolTip(
            _(
                "Images on the web are not loaded: their server would learn when and from "
                "where the email is read. Embedded images always show."
            )
        )
        self.remote_button = QPushButton(_("Show"))
        self.remote_button.setAccessibleName(_("Show remote images"))
        self.remote_button.setToolTip(
            _("Load this newsletter's images from the web until it is closed")
        )
        self.remote_button.clicked.connect(self._allow_clicked)
        bar = QHBoxLayout(self.remote_bar)
        bar.setContentsMargins(8, 4, 8, 4)
        bar.addWidget(self.remote_label, 1)
        bar.addWidget(self.remote_button)
        self.remote_bar.hide()

        self.error_bar = QLabel()
        self.error_bar.setObjectName("renderErrorBar")
        self.error_bar.setWordWrap(True)
        self.error_bar.setAccessibleName(_("Preview error"))
        self.error_bar.setStyleSheet(
            "#renderErrorBar { background: #fdecea; color: #8a1c12;"
            " border: 1px solid #f0b8b0; padding: 6px 8px; }"
        )
        self.error_bar.hide()

        self.desktop = DevicePreview(
            _("Desktop"), None, self._profile, accessible_name=_("Desktop preview")
        )
        self.mobile = DevicePreview(
            _("Phone · {width} px").format(width=MOBILE_WIDTH),
            MOBILE_WIDTH,
            self._profile,
            accessible_name=_("Phone preview"),
        )
        for device in self.devices:
            device.swapped.connect(self._device_swapped)
        devices = QWidget()
        row = QHBoxLayout(devices)
        row.setContentsMargins(12, 10, 12, 12)
        row.setSpacing(16)
        row.addStretch(0)
        row.addWidget(self.desktop, 1)
        row.addWidget(self.mobile)
        row.addStretch(0)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName(_("Plain-text part"))
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setFrameShape(QFrame.Shape.NoFrame)
        self.text.document().setDocumentMargin(12)
        self._pages = QStackedWidget()
        # Side by side the frames need ~910 px; on a 1366 px laptop with both docks open the
        # tab is narrower: it scrolls sideways rather than forcing the window wider.
        scroller = QScrollArea()
        scroller.setWidget(devices)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._pages.addWidget(scroller)
        self._pages.addWidget(self.text)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.remote_bar)
        layout.addWidget(self.error_bar)
        layout.addWidget(self._pages, 1)

        self._worker = RenderWorker(self)
        self._worker.finished.connect(self._job_finished)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._request)
        self._profile.setParent(self)
        self._apply_mode()
        if session is not None:
            self.set_session(session, renderer)

    # ------------------------------------------------------------------------------ public

    @property
    def devices(self) -> tuple[DevicePreview, DevicePreview]:
        return self.desktop, self.mobile

    @property
    def views(self) -> tuple[QWebEngineView, QWebEngineView]:
        """The web views in front, desktop then phone."""
        return self.desktop.view, self.mobile.view

    @property
    def rendered(self) -> Rendered | None:
        """The last successful rendering (None before the first one)."""
        return self._rendered

    @property
    def generation(self) -> int:
        """The number of the last render asked for."""
        return self._generation

    @property
    def shown_generation(self) -> int:
        """The number of the render now in front."""
        return self._shown_generation

    def is_current(self) -> bool:
        """No edit waiting, no render running, the last one shown (or failed): tests wait on it."""
        return (
            not self._timer.isActive()
            and not self._worker.busy
            and self._done_generation == self._generation
        )

    def flush(self) -> None:
        """Render the edits now instead of after the pause (before a screenshot, say)."""
        if self._timer.isActive():
            self._request()

    @property
    def session(self) -> EditSession | None:
        return self._session

    def set_session(self, session: EditSession | None, renderer: Renderer | None = None) -> None:
        """Follow ``session`` (None: stop following), rendering with ``renderer`` — the window's
        own, shared with nobody else on another thread — or a new one for the session."""
        if self._session is not None:
            self._session.changed.disconnect(self._document_changed)
        self._session = session
        self._legacy = None
        if session is None:
            self._renderer = None
            self._timer.stop()
            return
        self._renderer = renderer or Renderer(session.file.images, session.feeds)
        session.changed.connect(self._document_changed)
        self._request()

    def mode_actions(self) -> list[QAction]:
        """The mode actions (checkable, exclusive, Alt+1 to Alt+6) for a host's toolbar; the
        pane then hides its own bar, which would only repeat them."""
        self.toolbar.hide()
        return [self._mode_actions[mode] for mode in MODES]

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Show the preview as ``mode`` (one of :data:`MODES`) and render it so."""
        if mode not in _LAYOUT:
            raise ValueError(f"unknown preview mode: {mode}")
        if mode == self._mode:
            return
        self._mode = mode
        self._apply_mode()
        self.mode_changed.emit(mode)
        self._refresh()

    @property
    def remote_images_allowed(self) -> bool:
        return self._blocker.allowed

    def set_remote_images_allowed(self, allowed: bool) -> None:
        """Load (True) or refuse remote images from now on; the page is loaded again."""
        if allowed == self._blocker.allowed:
            return
        self._blocker.allowed = allowed
        self._blocked_pages.clear()
        self._reload = True  # images the page already refused are asked for again
        self._update_remote_bar()
        self.remote_images_allowed_changed.emit(allowed)
        self._refresh()

    def show_rendered(self, rendered: Rendered | None, images: Mapping[str, bytes]) -> None:
        """Show ``rendered`` now, rendered by the caller (without a session); None empties."""
        self._legacy = None
        if rendered is None:
            self._rendered = None
            self._showing = None
            self.text.clear()
            if self._shown_generation:
                # Only once something was shown: a load issued while the first navigation of a
                # fresh view is in flight may go unreported by QtWebEngine.
                for device in self.devices:
                    device.clear()
            return
        self._legacy = (rendered, images)
        self._generation += 1
        variant = _LAYOUT[self._mode][0]
        path, page = None, ""
        if variant is not None:
            path = self._path(self._generation)
            page = VARIANTS[variant](preview_html(rendered, images))
            path.write_text(page, encoding="utf-8")
        text = rendered.text_for(None, preview=True)
        self._show(RenderResult(self._generation, rendered, path, text, page=page))

    # ---------------------------------------------------------------------------- rendering

    def _document_changed(self) -> None:
        self._timer.start()  # restarts: a burst of edits renders once, after it

    def _refresh(self) -> None:
        """Render again for a new mode or image policy."""
        if self._session is not None:
            self._request()
        elif self._legacy is not None:
            self.show_rendered(*self._legacy)

    def _request(self) -> None:
        """Hand a copy of the document to the worker (it renders the latest one asked for)."""
        self._timer.stop()
        if self._session is None or self._renderer is None:
            return
        self._generation += 1
        job = RenderJob(
            self._generation,
            copy.deepcopy(self._session.document),
            dict(self._session.file.images),
            _LAYOUT[self._mode][0],
            self._path(self._generation),
        )
        self._worker.submit(job, self._renderer)

    def _job_finished(self, result: RenderResult) -> None:
        if result.generation != self._generation:
            return  # a newer render is on its way
        if result.error:
            self._done_generation = result.generation
            self.error_bar.setText(
                _("The preview cannot be updated: {reason}").format(reason=result.error)
            )
            self.error_bar.show()
            self.failed.emit(result.error)
            return
        self._show(result)

    def _show(self, result: RenderResult) -> None:
        self.error_bar.hide()
        assert result.rendered is not None
        self._rendered = result.rendered
        if self.text.toPlainText() != result.text:  # most edits change it; the mode does not
            scroll = self.text.verticalScrollBar().value()
            self.text.setPlainText(result.text)
            self.text.verticalScrollBar().setValue(scroll)
        self.rendered_changed.emit(result.rendered)
        devices = self._visible_devices()
        if result.path is None or not devices:
            self._showing = None
            self._finish(result.generation, True)
            return
        url = QUrl.fromLocalFile(str(result.path))
        self._showing = (result.generation, url, dict.fromkeys(devices))
        html = None if self._reload or not result.page else result.page
        self._reload = False
        if html is not None and not _REMOTE_REFERENCE.search(result.rendered.html):
            # Updated in place, a page keeps its URL: it no longer asks for remote images.
            for device in devices:
                self._blocked_pages.discard(device.shown_url.toString())
        for device in devices:
            device.show_page(url, html)

    def _device_swapped(self, url: QUrl, ok: bool) -> None:
        device = self.sender()
        if self._showing is None or url != self._showing[1]:
            return
        generation, _url, pending = self._showing
        if not isinstance(device, DevicePreview) or device not in pending:
            return
        pending[device] = ok
        if all(done is not None for done in pending.values()):
            self._showing = None
            self._finish(generation, all(bool(done) for done in pending.values()))

    def _finish(self, generation: int, ok: bool) -> None:
        self._shown_generation = self._done_generation = generation
        self._update_remote_bar()
        self._remove_old_pages()
        self.shown.emit(generation)
        self.loaded.emit(ok)

    # ------------------------------------------------------------------------------- privacy

    def _remote_blocked(self, page: QUrl) -> None:
        self._blocked_pages.add(page.toString())
        # A page updated in place asks with the URL it was loaded from.
        for device in self.devices:
            if device.view.url() == page:
                self._blocked_pages.add(device.shown_url.toString())
        self._update_remote_bar()

    def _update_remote_bar(self) -> None:
        shown = {device.shown_url.toString() for device in self._visible_devices()}
        self.remote_bar.setVisible(not self._blocker.allowed and bool(shown & self._blocked_pages))

    def _allow_clicked(self) -> None:
        self.set_remote_images_allowed(True)

    # ------------------------------------------------------------------------------- helpers

    def _visible_devices(self) -> list[DevicePreview]:
        _variant, desktop, mobile = _LAYOUT[self._mode]
        return [d for d, on in ((self.desktop, desktop), (self.mobile, mobile)) if on]

    def _apply_mode(self) -> None:
        _variant, desktop, mobile = _LAYOUT[self._mode]
        self.desktop.setVisible(desktop)
        self.mobile.setVisible(mobile)
        self._pages.setCurrentIndex(1 if self._mode == "text" else 0)
        self._mode_actions[self._mode].setChecked(True)
        self._update_remote_bar()

    def _build_mode_actions(self) -> dict[str, QAction]:
        labels: dict[str, tuple[str, str]] = {
            "desktop": (
                _("Desktop"),
                _("The email as a desktop mail client shows it, up to 800 pixels wide"),
            ),
            "phone": (_("Phone"), _("The email on a phone screen, 375 pixels wide")),
            "both": (_("Desktop and phone"), _("Desktop and phone side by side")),
            "dark": (
                _("Dark mode"),
                _(
                    "As the Gmail app and Outlook for Windows show it in dark mode: light "
                    "backgrounds turn dark and dark text light; images stay as they are"
                ),
            ),
            "images_off": (
                _("Images off"),
                _(
                    "As Outlook and many webmails show it before images are allowed: each "
                    "image is a box holding its alt text"
                ),
            ),
            "text": (
                _("Plain text"),
                _("The text part, for mail programs that do not show HTML"),
            ),
        }
        group = QActionGroup(self)
        group.setExclusive(True)
        actions: dict[str, QAction] = {}
        for index, mode in enumerate(MODES, start=1):
            label, tip = labels[mode]
            action = QAction(label, self)
            action.setCheckable(True)
            shortcut = QKeySequence(f"Alt+{index}")  # Ctrl+1/2: Compose/Preview
            action.setShortcut(shortcut)
            native = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({native})")
            action.setStatusTip(tip)
            action.triggered.connect(self._mode_triggered)
            action.setData(mode)
            group.addAction(action)
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            button.setAccessibleName(label)
            button.setAccessibleDescription(tip)
            actions[mode] = action
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)  # « Send a test » comes after it, with sending
        return actions

    def _mode_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.set_mode(str(action.data()))

    def _path(self, generation: int) -> Path:
        return Path(self._folder.path()) / f"preview-{generation}.html"

    def _remove_old_pages(self) -> None:
        """Delete the page files up to the one shown that no view shows or is loading (a page
        updated in place was read at once)."""
        keep = {d.view.url().toLocalFile() for d in self.devices}
        keep |= {d.loading.toLocalFile() for d in self.devices}
        for path in Path(self._folder.path()).glob("preview-*.html"):
            match = _FILE_NAME.fullmatch(path.name)
            if match and int(match.group(1)) <= self._shown_generation and str(path) not in keep:
                path.unlink(missing_ok=True)
