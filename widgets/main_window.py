"""The main window: one document, its outline, its preview and the renderer's warnings.

The window owns its own :class:`~editor.render.engine.Renderer` (which caches rendered blocks)
and feed cache; nothing is shared between windows. It is a frame around separate panels —
:class:`~widgets.outline.OutlineView`, :class:`~widgets.preview.PreviewPane`,
:class:`~widgets.warnings_list.WarningsList` — and the actions of :mod:`widgets.actions`; the
composer will add its panels the same way.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QWidget

from editor.feeds import FeedCache
from editor.i18n import _
from editor.render.engine import GMAIL_CLIP_BYTES, Rendered, Renderer
from widgets.actions import create_actions
from widgets.documents import (
    OpenDocument,
    ask_open_path,
    ask_save_path,
    load_document,
    save_document,
    show_error,
    show_unexpected,
)
from widgets.language_menu import language_menu
from widgets.outline import OutlineView
from widgets.preview import DESKTOP_WIDTH, MOBILE_WIDTH, PreviewPane
from widgets.start_dialog import StartDialog
from widgets.warnings_list import WarningsList

APP_NAME = "Bulletin"
OUTLINE_WIDTH = 340


class MainWindow(QMainWindow):
    """Shows one newsletter; File ▸ New/Open replace it, Save/Save As write it.

    Attributes:
        outline: the tree of blocks (left).
        preview: desktop, mobile and plain-text previews (centre).
        warnings: what the last rendering warned about (bottom).
        window_actions: the window's actions (QWidget.actions() is taken), also in its menus.
    """

    def __init__(self, document: OpenDocument | None = None) -> None:
        super().__init__()
        # A closed window is gone: its web views and their renderer processes go with it.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._document: OpenDocument | None = None
        self._rendered: Rendered | None = None
        self._renderer: Renderer | None = None
        self._feeds = FeedCache()
        self._contacts: QWidget | None = None

        self.preview = PreviewPane()
        self.setCentralWidget(self.preview)
        self.outline = OutlineView()
        self.warnings = WarningsList()
        self._outline_dock = self._dock(
            "outline", _("Outline"), self.outline, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self._warnings_dock = self._dock(
            "warnings",
            _("Warnings"),
            self.warnings,
            Qt.DockWidgetArea.BottomDockWidgetArea,
        )
        self.resizeDocks([self._outline_dock], [OUTLINE_WIDTH], Qt.Orientation.Horizontal)
        self.resizeDocks([self._warnings_dock], [96], Qt.Orientation.Vertical)
        self.size_label = QLabel()
        self.statusBar().addPermanentWidget(self.size_label)

        self.window_actions = create_actions(self)
        self._build_menus()
        self.set_document(document)

    # ------------------------------------------------------------------------------- state

    @property
    def document(self) -> OpenDocument | None:
        return self._document

    @property
    def rendered(self) -> Rendered | None:
        """The last rendering of the document (None when there is no document)."""
        return self._rendered

    def sizeHint(self) -> QSize:
        # Outline, the desktop preview at about DESKTOP_WIDTH px and the phone beside it.
        return QSize(OUTLINE_WIDTH + DESKTOP_WIDTH + MOBILE_WIDTH + 80, 900)

    def set_document(self, document: OpenDocument | None) -> bool:
        """Show ``document``; when it cannot be rendered, say why and keep the current one."""
        rendered = None
        renderer = None
        if document is not None:
            renderer = Renderer(document.file.images, self._feeds)
            try:
                rendered = renderer.render(document.file.newsletter)
            except ValueError as exc:  # DocumentError, MergeTagError: worded for the user
                show_error(
                    self,
                    _("Cannot show the newsletter"),
                    str(exc),
                )
                return False
            except Exception as exc:  # a bug: say so plainly, keep the current document
                show_unexpected(self, _("Cannot show the newsletter"), exc)
                return False
        self._document, self._renderer, self._rendered = document, renderer, rendered
        self.outline.set_newsletter(document.file.newsletter if document else None)
        self.preview.show_rendered(rendered, document.file.images if document else {})
        self.warnings.set_findings(rendered.findings if rendered else [])
        self._warnings_dock.setWindowTitle(
            _("Warnings") + (f" ({len(self.warnings.findings)})" if self.warnings.findings else "")
        )
        self.window_actions.save.setEnabled(document is not None)
        self.window_actions.save_as.setEnabled(document is not None)
        self._update_title()
        self._update_size(rendered)
        return True

    def _update_title(self) -> None:
        doc = self._document
        self.setWindowTitle(f"{doc.name} — {APP_NAME}" if doc else APP_NAME)

    def _update_size(self, rendered: Rendered | None) -> None:
        if rendered is None:
            self.size_label.clear()
            return
        kb = len(rendered.html_for(preview=True).encode()) / 1024
        limit = GMAIL_CLIP_BYTES // 1024
        self.size_label.setText(
            _("HTML: {kb:.0f} KB (Gmail clips above {limit} KB)").format(kb=kb, limit=limit)
        )

    # ----------------------------------------------------------------------------- actions

    def new_from_template(self) -> bool:
        """Ask for a starter (or a file) in the start dialog and show the result."""
        dialog = StartDialog(self, self._directory())
        accepted = dialog.exec() == StartDialog.DialogCode.Accepted
        document = dialog.document
        dialog.deleteLater()
        return accepted and document is not None and self.set_document(document)

    def open_file(self, path: Path | None = None) -> bool:
        """Open ``path`` (asked for when None); errors are shown, the current document kept."""
        path = path or ask_open_path(self, self._directory())
        if path is None:
            return False
        document = load_document(self, path)
        return document is not None and self.set_document(document)

    def save(self) -> bool:
        """Save to the document's file; a document never saved asks where (Save As)."""
        if self._document is None:
            return False
        if self._document.path is None:
            return self.save_as()
        return self._save_to(self._document.path)

    def save_as(self, path: Path | None = None) -> bool:
        """Save to ``path`` (asked for when None) and keep working on that file."""
        if self._document is None:
            return False
        if path is None:
            suggested = self._directory() / f"{self._document.name}.bulletin"
            path = ask_save_path(self, suggested)
            if path is None:
                return False
        return self._save_to(path)

    def _save_to(self, path: Path) -> bool:
        assert self._document is not None
        if not save_document(self, self._document, path):
            return False
        self._update_title()
        self.statusBar().showMessage(_("Saved: {path}").format(path=path), 5000)
        return True

    def show_contacts(self) -> QWidget | None:
        """Open the contacts window (one per main window), or bring it to the front."""
        from editor.contacts.db import StoreError
        from widgets.contacts import ContactsWindow

        if self._contacts is None:
            try:
                self._contacts = ContactsWindow()
            except StoreError as exc:
                show_error(self, _("Contacts unavailable"), str(exc))
                return None
            # Closing it closes its database: the next opening builds a fresh window.
            self._contacts.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._contacts.destroyed.connect(self._contacts_closed)
        self._contacts.show()
        self._contacts.raise_()
        self._contacts.activateWindow()
        return self._contacts

    def _contacts_closed(self) -> None:
        self._contacts = None

    def about(self) -> None:
        try:
            version = metadata.version("bulletin")
        except metadata.PackageNotFoundError:
            version = "?"
        QMessageBox.about(
            self,
            _("About Bulletin"),
            _(
                "<h3>Bulletin {version}</h3><p>Newsletters: compose, manage "
                "contacts, check deliverability and send through your own SMTP "
                "server.</p><p>Free software, GPL 3 or later.</p>"
            ).format(version=version),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        # Nothing to ask yet: the document cannot be edited, so it is never modified.
        event.accept()

    # ----------------------------------------------------------------------------- helpers

    def _directory(self) -> Path:
        """Where file dialogs start: the current document's folder, else the home folder."""
        doc = self._document
        return doc.path.parent if doc and doc.path else Path.home()

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}Dock")
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(area, dock)
        return dock

    def _new_triggered(self) -> None:
        self.new_from_template()

    def _open_triggered(self) -> None:
        self.open_file()

    def _save_triggered(self) -> None:
        self.save()

    def _save_as_triggered(self) -> None:
        self.save_as()

    def _build_menus(self) -> None:
        a = self.window_actions
        # Bound methods, not lambdas: a lambda holding ``self`` would keep the window alive.
        a.new.triggered.connect(self._new_triggered)
        a.open.triggered.connect(self._open_triggered)
        a.save.triggered.connect(self._save_triggered)
        a.save_as.triggered.connect(self._save_as_triggered)
        a.quit.triggered.connect(self.close)  # one window per process for now
        a.about.triggered.connect(self.about)
        a.contacts.triggered.connect(self.show_contacts)
        file_menu = self.menuBar().addMenu(_("&File"))
        file_menu.addActions([a.new, a.open])
        file_menu.addSeparator()
        file_menu.addActions([a.save, a.save_as])
        file_menu.addSeparator()
        file_menu.addMenu(language_menu(self))
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        contacts_menu = self.menuBar().addMenu(_("C&ontacts"))
        contacts_menu.addAction(a.contacts)
        help_menu = self.menuBar().addMenu(_("&Help"))
        help_menu.addAction(a.about)
