"""The inspector's panel for an image block: the picture, its alt text, link, width and alignment.

A file chosen (or dropped on the panel) is prepared for email off the UI thread by
:func:`editor.images.prepare_for_email` (a phone photo shrinks from megabytes to a few hundred
kilobytes, loses its GPS position, is turned upright), then embedded in the file and set as the
block's ``src`` in one undo step. The panel says how much was saved. A remote image is only
ever referenced by its https address: the panel never downloads it (privacy, offline work).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.blocks.image import ImageBlock
from editor.commands import SetBlockField
from editor.document import DocumentError
from editor.i18n import _, number
from editor.images import Prepared, prepare_for_email
from editor.urls import web_uri
from widgets.background import BackgroundTask
from widgets.inspector.base import BlockPanel
from widgets.inspector.editors import (
    ERROR_COLOR,
    ChoiceEditor,
    IntEditor,
    LineEditor,
    push,
)
from widgets.inspector.form import link_problem
from widgets.session import EditSession

MAX_SOURCE_BYTES = 50 * 1024 * 1024  # a file to prepare: the largest camera JPEGs are ~30 MB
THUMBNAIL = QSize(260, 150)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp")
NOTE_STYLE = "background: #fef3c7; color: #78350f; padding: 6px; border-radius: 4px;"


def image_url_problem(text: str) -> str | None:
    """Why ``text`` cannot be an image's address; "" when it can, None while half typed."""
    value = text.strip()
    if not value or "https://".startswith(value.lower()):
        return None
    if value.lower().startswith("https://") and web_uri(value):
        return ""
    return _(
        "An image address must be a secure web address, starting with https:// "
        "(for example https://www.example.com/photo.jpg)."
    )


def saved_text(prepared: Prepared) -> str:
    """What the preparation gained, in the user's words: « 1 840 Ko économisés »."""
    if prepared.saved_bytes < 1024:
        return _("Added as it was: it is already light enough for an email.")
    return _("{size} KB saved").format(size=number(round(prepared.saved_bytes / 1024)))


def _read_and_prepare(path: str, display_width: int) -> tuple[str, Prepared]:
    """Runs on the thread pool: the file's bytes, checked and made fit for email."""
    name = Path(path).name
    if os.stat(path).st_size > MAX_SOURCE_BYTES:
        raise DocumentError(
            _("{name} is larger than {size} MB: choose a smaller image.").format(
                name=name, size=number(MAX_SOURCE_BYTES // (1024 * 1024))
            )
        )
    data = Path(path).read_bytes()
    return name, prepare_for_email(data, display_width, name=name)


def _problem(error: BaseException, path: str) -> str:
    if isinstance(error, DocumentError):
        return str(error)
    if isinstance(error, OSError):
        return _("Cannot read {name}: {reason}.").format(
            name=Path(path).name, reason=error.strerror or error
        )
    return _("Unexpected error: {error!r}").format(error=error)


class ImagePanel(BlockPanel):
    """Edits an image block.

    Signals:
        image_set(str): a prepared file went into the block (its ``images/…`` reference).
        busy_changed(bool): a file is being prepared (True) or done (False).
    """

    image_set = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, session: EditSession, block_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, block_id, parent)
        self.setAcceptDrops(True)
        self._task: BackgroundTask | None = None
        self._path = ""
        self._last_ref = ""  # the image the "saved" line speaks of

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.thumbnail = QLabel()
        self.thumbnail.setObjectName("thumbnail")
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setMinimumSize(THUMBNAIL.width(), THUMBNAIL.height() // 2)
        self.thumbnail.setWordWrap(True)
        self.thumbnail.setStyleSheet("border: 1px dashed #9ca3af; border-radius: 4px;")
        self.thumbnail.setAccessibleName(_("Image preview"))
        self.thumbnail.setToolTip(_("The image of this block. Drop an image file here to use it."))
        layout.addWidget(self.thumbnail)
        self.details = QLabel()
        self.details.setEnabled(False)  # muted
        self.details.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.details)

        row = QHBoxLayout()
        self.choose_button = QPushButton(_("Choose a file…"))
        self.choose_button.setAccessibleName(_("Choose an image file"))
        self.choose_button.setToolTip(
            _(
                "Choose a photo or picture on this computer (PNG, JPEG, GIF or WebP). Large "
                "photos are made lighter for email and their location data is removed."
            )
        )
        self.choose_button.clicked.connect(self.choose_file)
        row.addWidget(self.choose_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: preparing cannot say how far it is
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.setAccessibleName(_("Preparing the image"))
        self.progress.hide()
        row.addWidget(self.progress, 1)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Image status"))
        self.status.hide()
        layout.addWidget(self.status)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setAccessibleName(_("Error"))
        self.error.hide()
        layout.addWidget(self.error)

        self.url = LineEditor(
            _("Or the address of an image on the web"),
            _(
                "An https address of an image already online. Bulletin does not download it: "
                "each reader's email program will."
            ),
        )
        self.url.setObjectName("src")
        self.url.line.setPlaceholderText("https://")
        self.url.finished.connect(self._apply_url)
        self._url_synced: str | None = None
        layout.addWidget(self.url)

        self.alt = LineEditor(
            _("Alternative text"), _("What the image shows, for readers who cannot see it.")
        )
        self.alt.setObjectName("alt")
        self.bindings = [self.bind_field(self.alt, "alt", typed=True)]
        layout.addWidget(self.alt)
        self.alt_prompt = QLabel(
            _(
                'Describe the image in a few words, for example "our shop front in spring". '
                "People who listen to their email with a screen reader hear this text, and "
                "many email programs show it instead of the image until the reader allows "
                "images."
            )
        )
        self.alt_prompt.setObjectName("alt_prompt")
        self.alt_prompt.setWordWrap(True)
        self.alt_prompt.setStyleSheet(NOTE_STYLE)
        self.alt_prompt.setAccessibleName(_("Alternative text missing"))
        layout.addWidget(self.alt_prompt)
        self.alt.line.textChanged.connect(self._update_alt_prompt)

        self.link = LineEditor(
            _("Link (optional)"),
            _("Where a click on the image leads: a web page, mailto: or tel:."),
        )
        self.link.setObjectName("link")
        self.link.line.setPlaceholderText("https://")
        self.bindings.append(self.bind_field(self.link, "link", typed=True, check=link_problem))
        layout.addWidget(self.link)

        self.width_editor = IntEditor(
            _("Width"),
            0,
            2000,
            " px",
            tooltip=_("How wide the image is shown, in pixels; « Full width » fills the column."),
        )
        self.width_editor.setObjectName("width")
        self.width_editor.spin.setSpecialValueText(_("Full width"))
        self.width_editor.spin.setSingleStep(10)
        self.bindings.append(self.bind_field(self.width_editor, "width", typed=True))
        layout.addWidget(self.width_editor)
        self.align = ChoiceEditor(
            _("Alignment"),
            [("left", _("Left")), ("center", _("Centre")), ("right", _("Right"))],
            _("Where a narrower image sits: left, centre or right."),
        )
        self.align.setObjectName("align")
        self.bindings.append(self.bind_field(self.align, "align"))
        layout.addWidget(self.align)
        layout.addStretch(1)
        self.refresh()

    # ------------------------------------------------------------------------------ reading

    def _image(self) -> ImageBlock | None:
        block = self.block()
        return block if isinstance(block, ImageBlock) else None

    def refresh(self) -> None:
        block = self._image()
        if block is None:
            return
        for binding in self.bindings:
            binding.sync()
        remote = block.src if block.is_remote else ""
        if remote != self._url_synced:
            self._url_synced = remote
            self.url.set_value(remote)
            self.url.show_error("")
        self._update_alt_prompt(self.alt.value())
        self._show_image(block)
        if self._last_ref and block.src != self._last_ref:
            self.status.hide()  # an undo put another image back: the figure no longer holds

    def focus_editor(self) -> bool:
        self.alt.line.setFocus()
        return True

    def _apply_url(self) -> None:
        """An image address typed and confirmed (Enter, or leaving the field)."""
        text = self.url.value().strip()
        block = self._image()
        if block is None or not text or text == (block.src if block.is_remote else ""):
            self.url.show_error("")
            return
        problem = image_url_problem(text)
        if problem is None:
            problem = image_url_problem(text + "x")  # "https:/" left as it is: say so
        if problem:
            self.url.show_error(problem)
            return
        problem = push(self.session, SetBlockField(self.block_id, "src", web_uri(text)))
        self.url.show_error(problem)
        if not problem:
            self._last_ref = ""
            self.status.hide()
            self.refresh()

    def _update_alt_prompt(self, text: str) -> None:
        self.alt_prompt.setVisible(not text.strip())

    def _show_image(self, block: ImageBlock) -> None:
        data = self.session.file.images.get(block.src) if block.is_embedded else None
        if data is None:
            self.thumbnail.setPixmap(QPixmap())
            if block.is_remote:
                self.thumbnail.setText(
                    _("Image on the web, not shown here: Bulletin does not download it.")
                )
            else:
                self.thumbnail.setText(_("No image yet: choose a file, or drop one here."))
            self.details.setText("")
            return
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        reader = QImageReader(buffer)
        size = reader.size()
        ratio = self.devicePixelRatioF()
        if size.isValid():
            reader.setScaledSize(size.scaled(THUMBNAIL * ratio, Qt.AspectRatioMode.KeepAspectRatio))
        image = reader.read()
        if image.isNull():
            self.thumbnail.setText(_("This image cannot be shown."))
            self.details.setText("")
            return
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.thumbnail.setPixmap(pixmap)
        if size.isValid():
            self.details.setText(
                _("{width} × {height} px, {size} KB").format(
                    width=number(size.width()),
                    height=number(size.height()),
                    size=number(max(1, round(len(data) / 1024))),
                )
            )

    # ------------------------------------------------------------------------- choosing files

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Choose an image"),
            "",
            _("Images (*.png *.jpg *.jpeg *.gif *.webp);;All files (*)"),
        )
        if path:
            self.use_file(path)

    def use_file(self, path: str) -> None:
        """Prepare the image file at ``path`` in the background, then put it in the block."""
        block = self._image()
        if block is None or self._task is not None:
            return
        display = block.width or self.session.document.theme.content_width
        task = BackgroundTask(lambda: _read_and_prepare(path, display))
        # Bound methods, not closures: Qt drops the connections if the panel goes first.
        task.succeeded.connect(self._prepared)
        task.failed.connect(self._failed)
        task.finished.connect(self._task_finished)
        self._task, self._path = task, path
        self._set_busy(True, _("Preparing {name}…").format(name=Path(path).name))
        task.start()

    def is_busy(self) -> bool:
        return self._task is not None

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self.choose_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        if busy:
            self.error.hide()
            self.status.setText(message)
            self.status.show()
        self.busy_changed.emit(busy)

    def _task_finished(self) -> None:
        self._task = None
        self._set_busy(False)

    def _prepared(self, result: Any) -> None:
        name, prepared = result
        block = self._image()
        if block is None:
            return
        try:
            ref = self.session.file.add_image(prepared.data, name)
        except DocumentError as error:
            self._show_error(str(error))
            return
        if ref != block.src:
            problem = push(self.session, SetBlockField(self.block_id, "src", ref))
            if problem:
                self._show_error(problem)
                return
        self._last_ref = ref
        self.status.setText(saved_text(prepared))
        self.status.show()
        self.refresh()
        self.image_set.emit(ref)

    def _failed(self, error: BaseException) -> None:
        self._show_error(_problem(error, self._path))

    def _show_error(self, message: str) -> None:
        self.status.hide()
        self.error.setText(message)
        self.error.show()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_image(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_image(event.mimeData().urls())
        if path:
            event.acceptProposedAction()
            self.use_file(path)


def _dropped_image(urls: list[QUrl]) -> str:
    """The first local image file among dropped ``urls``; "" when there is none."""
    for url in urls:
        if url.isLocalFile() and url.toLocalFile().lower().endswith(IMAGE_SUFFIXES):
            return url.toLocalFile()
    return ""
