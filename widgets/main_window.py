"""The main window: the composer's frame around one document being edited.

One :class:`~widgets.session.EditSession` per document; the panels talk to it and not to each
other, and the window only wires them: the block palette (left dock, the outline as a second
tab), the canvas (centre, tab « Compose »), the inspector (right dock), the final-email preview
(centre, tab « Preview ») and the findings under the centre. The preview is a tab rather than a
column beside the canvas: on a 1366×768 laptop the palette, a 600 px canvas and the inspector
already take about 1 100 px, and the preview's desktop frame (800 px) beside its phone frame
(375 px) would not fit next to them; as a tab it gets the whole centre, one key away (Ctrl+2).

Panels built by other parts of the composer (palette, canvas, inspector, session-bound preview)
are imported when the window is built; while one does not exist yet, an empty placeholder holds
its place. Window layout (geometry, docks, toolbar) is kept in ``layout.ini`` in the data folder,
apart from the user's preferences.
"""

from __future__ import annotations

import importlib
from importlib import metadata
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QUndoGroup
from PySide6.QtWidgets import (
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from editor import templates
from editor.blocks.registry import all_types
from editor.commands import insert_new
from editor.document import DocumentError
from editor.feeds import FeedCache
from editor.i18n import _
from editor.locate import unavailable_types
from editor.recent import add_recent, clear_recent, load_recent, remove_recent
from editor.render.engine import GMAIL_CLIP_BYTES, Rendered, Renderer
from editor.settings import data_dir, load_preferences
from widgets.actions import create_actions
from widgets.autosave import Autosaver, leftover_for
from widgets.documents import (
    OpenDocument,
    ask_open_path,
    ask_save_path,
    load_document,
    save_document,
    show_error,
    show_unexpected,
)
from widgets.inbox_menu import InboxMenu
from widgets.language_menu import language_menu
from widgets.outline import BLOCK_ID_ROLE, OutlineView
from widgets.preview import DESKTOP_WIDTH, MOBILE_WIDTH, PreviewPane
from widgets.sending_menu import SendingMenu
from widgets.session import EditSession
from widgets.spam_panel import SpamPanel
from widgets.start_dialog import StartDialog
from widgets.warnings_list import WarningsList

APP_NAME = "Bulletin"
PALETTE_WIDTH = 220
INSPECTOR_WIDTH = 380  # the rich-text toolbar in full, in French too
SPAM_WIDTH = 300  # the spam score's dial and its sentences, beside the warnings
LAYOUT_FILE = "layout.ini"
LAYOUT_VERSION = 2  # bump when docks are added or renamed: an older saved state is ignored
RENDER_DELAY_MS = 250  # the preview (until it renders by itself) and outline after an edit


def layout_settings() -> QSettings:
    """Where window layouts are kept: ``layout.ini`` in the data folder, not preferences.json."""
    return QSettings(str(data_dir() / LAYOUT_FILE), QSettings.Format.IniFormat)


def _panel(module: str, name: str) -> Any:
    """A panel class from another part of the composer, or None while it does not exist."""
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


def _session_preview() -> bool:
    """Whether the preview renders a session by itself (else the window renders for it)."""
    return hasattr(PreviewPane, "set_session")


class MainWindow(QMainWindow):
    """The composer for one newsletter; File ▸ New/Open replace it, Save/Save As write it.

    Attributes:
        session: the document being edited (None in an empty window).
        block_palette: the block types (left dock), or a placeholder.
        outline: the tree of blocks (left dock, second tab).
        canvas: the document block by block (centre), or a placeholder.
        inspector: the selected block's properties (right dock), or a placeholder.
        preview: the final email (centre, second tab).
        warnings: the findings of the last rendering (under the centre).
        centre: the tabs « Compose » and « Preview ».
        autosaver: copies unsaved work to the data folder.
        window_actions: the window's actions (QWidget.actions() is taken), also in its menus.
    """

    def __init__(self, document: OpenDocument | None = None) -> None:
        super().__init__()
        # A closed window is gone: its web views and their renderer processes go with it.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
        )
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self._document: OpenDocument | None = None
        self._rendered: Rendered | None = None
        self._renderer: Renderer | None = None
        self._feeds = FeedCache()
        self._contacts: QWidget | None = None
        self.session: EditSession | None = None
        self.undo_group = QUndoGroup(self)
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(RENDER_DELAY_MS)
        self._render_timer.timeout.connect(self._refresh)

        self.centre = QTabWidget()
        self.centre.setDocumentMode(True)
        self.centre.setObjectName("centreTabs")
        self.setCentralWidget(self.centre)
        self.canvas: QWidget = QWidget()
        self.centre.addTab(self.canvas, _("Compose"))
        self.preview = PreviewPane()
        self.centre.addTab(self.preview, _("Preview"))
        if hasattr(self.preview, "rendered_changed"):
            self.preview.rendered_changed.connect(self._rendered_changed)
        self.centre.currentChanged.connect(self._tab_changed)

        palette_class = _panel("widgets.palette", "Palette")
        self.block_palette: QWidget = palette_class(self) if palette_class else QWidget()
        if hasattr(self.block_palette, "insert_requested"):
            self.block_palette.insert_requested.connect(self.insert_block)
        self.outline = OutlineView()
        self.outline.clicked.connect(self._outline_clicked)
        self.inspector: QWidget = QWidget()
        self.warnings = WarningsList()
        if hasattr(self.warnings, "block_activated"):
            self.warnings.block_activated.connect(self.go_to_block)
        else:
            self.warnings.itemClicked.connect(self._warning_clicked)
        left = Qt.DockWidgetArea.LeftDockWidgetArea
        self._palette_dock = self._dock("palette", _("Blocks"), self.block_palette, left)
        self._outline_dock = self._dock("outline", _("Outline"), self.outline, left)
        self.tabifyDockWidget(self._palette_dock, self._outline_dock)
        self._palette_dock.raise_()
        self._inspector_dock = self._dock(
            "inspector", _("Inspector"), self.inspector, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self._warnings_dock = self._dock(
            "warnings", _("Warnings"), self.warnings, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.spam_panel = SpamPanel(self.warnings, self.preview)
        self._spam_dock = self._dock(
            "spam", _("Spam score"), self.spam_panel, Qt.DockWidgetArea.BottomDockWidgetArea
        )
        self.splitDockWidget(self._warnings_dock, self._spam_dock, Qt.Orientation.Horizontal)
        self.spam_panel.findings_requested.connect(self._show_warnings)
        self.warnings.changed.connect(self._count_warnings)
        self.resizeDocks([self._palette_dock], [PALETTE_WIDTH], Qt.Orientation.Horizontal)
        self.resizeDocks([self._inspector_dock], [INSPECTOR_WIDTH], Qt.Orientation.Horizontal)
        self.resizeDocks([self._warnings_dock], [110], Qt.Orientation.Vertical)
        self.resizeDocks(
            [self._warnings_dock, self._spam_dock],
            [DESKTOP_WIDTH - SPAM_WIDTH, SPAM_WIDTH],
            Qt.Orientation.Horizontal,
        )
        self.size_label = QLabel()
        self.statusBar().addPermanentWidget(self.size_label)

        self.window_actions = create_actions(self, self.undo_group)
        self.insert_actions: list[QAction] = []
        self.recent_menu = QMenu(_("Open &Recent"), self)
        self.recent_menu.setObjectName("recentMenu")
        self.recent_menu.aboutToShow.connect(self.fill_recent_menu)
        self.toolbar = QToolBar(_("Toolbar"), self)
        self.toolbar.setObjectName("mainToolBar")
        self._build_menus()
        self._build_toolbar()

        self.layout_restored = False
        self.autosaver = Autosaver(self)
        self.autosaver.failed.connect(self._autosave_failed)
        self._restore_layout()
        self.set_document(document)

    # ------------------------------------------------------------------------------- state

    @property
    def document(self) -> OpenDocument | None:
        return self._document

    @property
    def rendered(self) -> Rendered | None:
        """The last rendering of the document (None when there is no document)."""
        return self._rendered

    @property
    def modified(self) -> bool:
        return self.session is not None and self.session.modified

    def sizeHint(self) -> QSize:
        # Palette, the preview's desktop and phone frames side by side, the inspector.
        return QSize(PALETTE_WIDTH + DESKTOP_WIDTH + MOBILE_WIDTH + 80 + INSPECTOR_WIDTH, 900)

    def set_document(
        self, document: OpenDocument | None, recovered_from: Path | None = None
    ) -> bool:
        """Edit ``document`` (without asking about the current one: see :meth:`may_replace`).

        When it cannot be rendered, say why and keep the current one. ``recovered_from``: the
        key of the autosave ``document`` was recovered from; it is unsaved work, so the window
        shows it modified and keeps autosaving it under that key until it is saved or closed.
        """
        rendered = renderer = None
        if document is not None and not _session_preview():
            renderer = Renderer(document.file.images, self._feeds)
            try:
                rendered = renderer.render(document.file.newsletter)
            except ValueError as exc:  # DocumentError, MergeTagError: worded for the user
                show_error(self, _("Cannot show the newsletter"), str(exc))
                return False
            except Exception as exc:  # a bug: say so plainly, keep the current document
                show_unexpected(self, _("Cannot show the newsletter"), exc)
                return False
        self._close_session()
        self._document, self._renderer = document, renderer
        session = None
        if document is not None:
            session = EditSession(document.file, self._feeds, self)
            self.session = session
            self.undo_group.addStack(session.undo_stack)
            self.undo_group.setActiveStack(session.undo_stack)
            session.changed.connect(self._document_changed)
            session.error.connect(self._session_error)
            session.selection_changed.connect(self._selection_changed)
            session.undo_stack.cleanChanged.connect(self._update_title)
            if recovered_from is not None:
                session.undo_stack.resetClean()
        self._install_panels(session)
        path = document.path if document else None
        self.autosaver.watch(session, path, self._name(), recovered_from)
        if recovered_from is not None:
            self.autosaver.mark_dirty()
        self.outline.set_newsletter(document.file.newsletter if document else None)
        if not _session_preview():
            self._show_rendered(rendered)
        for action in (
            self.window_actions.save,
            self.window_actions.save_as,
            self.window_actions.save_template,
            self.window_actions.send_test,
            *self.insert_actions,
        ):
            action.setEnabled(document is not None)
        self.sending.set_enabled(document is not None)
        self._update_insertable()
        self._update_title()
        return True

    def _name(self) -> str:
        return self._document.name if self._document else ""

    def _close_session(self) -> None:
        session = self.session
        if session is None:
            return
        self.autosaver.discard()
        self.undo_group.removeStack(session.undo_stack)
        session.changed.disconnect(self._document_changed)
        session.undo_stack.cleanChanged.disconnect(self._update_title)
        self.session = None
        session.deleteLater()

    def _install_panels(self, session: EditSession | None) -> None:
        """The canvas, inspector (and session-bound preview) of ``session``; placeholders else."""
        canvas_class = _panel("widgets.canvas", "Canvas")
        inspector_class = _panel("widgets.inspector", "Inspector")
        canvas = canvas_class(session, self) if session and canvas_class else QWidget()
        inspector = inspector_class(session, self) if session and inspector_class else QWidget()
        current = self.centre.currentIndex()
        self._replace_tab(0, canvas, _("Compose"))
        self.canvas = canvas
        if hasattr(canvas, "edit_requested"):
            canvas.edit_requested.connect(self._edit_requested)
        old_inspector = self._inspector_dock.widget()
        self._inspector_dock.setWidget(inspector)
        if old_inspector is not None:
            old_inspector.deleteLater()
        self.inspector = inspector
        if _session_preview():
            self._apply_remote_images()
            self.preview.set_session(session)
            if session is None:
                self._rendered_changed(None)
        self.spam_panel.set_session(session)
        self.centre.setCurrentIndex(max(0, current))
        self._install_block_actions()

    def _replace_tab(self, index: int, widget: QWidget, title: str) -> None:
        old = self.centre.widget(index)
        if old is widget:
            return
        self.centre.blockSignals(True)
        self.centre.removeTab(index)
        self.centre.insertTab(index, widget, title)
        self.centre.blockSignals(False)
        if old is not None:
            old.deleteLater()

    def _update_title(self) -> None:
        doc = self._document
        # Qt shows "*" in place of "[*]" while the window is modified (or nothing).
        self.setWindowTitle(f"{doc.name}[*] — {APP_NAME}" if doc else APP_NAME)
        self.setWindowModified(self.modified)

    def _update_size(self, rendered: Rendered | None) -> None:
        if rendered is None:
            self.size_label.clear()
            return
        kb = len(rendered.html_for(preview=True).encode()) / 1024
        limit = GMAIL_CLIP_BYTES // 1024
        self.size_label.setText(
            _("HTML: {kb:.0f} KB (Gmail clips above {limit} KB)").format(kb=kb, limit=limit)
        )

    # ---------------------------------------------------------------------- edits, render

    def insert_block(self, type_name: str) -> bool:
        """Insert a new block of ``type_name`` after the selection, and select it."""
        session = self.session
        if session is None:
            return False
        try:
            command = insert_new(session.document, type_name, after=session.selected or None)
        except DocumentError as exc:
            self._session_error(str(exc))
            return False
        if not session.push(command):
            return False
        session.select(command.block.id)
        return True

    def go_to_block(self, block_id: str) -> None:
        """Select ``block_id`` and bring it into view on the canvas (a finding was clicked)."""
        if self.session is None or not block_id:
            return
        self.session.select(block_id)
        self.centre.setCurrentIndex(0)
        scroll_to = getattr(self.canvas, "scroll_to", None)
        if callable(scroll_to):
            scroll_to(block_id)

    def _document_changed(self) -> None:
        self._render_timer.start()
        self._update_title()
        self._update_insertable()

    def _update_insertable(self) -> None:
        """Grey out the block types that cannot be added now (a second footer)."""
        reasons = unavailable_types(self.session.document) if self.session else {}
        set_unavailable = getattr(self.block_palette, "set_unavailable", None)
        if callable(set_unavailable):
            set_unavailable(reasons)
        for action in self.insert_actions:
            why = reasons.get(str(action.data()), "")
            action.setEnabled(self.session is not None and not why)
            if why:
                action.setToolTip(why)

    def _refresh(self) -> None:
        """After edits have paused: the outline, and the preview when the window renders it."""
        doc = self._document
        if doc is None:
            return
        self.outline.set_newsletter(doc.file.newsletter)
        if self.session is not None:
            self._selection_changed(self.session.selected)
        if _session_preview() or self._renderer is None:
            return
        try:
            rendered = self._renderer.render(doc.file.newsletter)
        except ValueError as exc:
            self._session_error(str(exc))
            return
        self._show_rendered(rendered)

    def _show_rendered(self, rendered: Rendered | None) -> None:
        doc = self._document
        self._rendered = rendered
        show = getattr(self.preview, "show_rendered", None)
        if callable(show):
            show(rendered, doc.file.images if doc else {})
        self._set_findings(rendered)

    def _rendered_changed(self, result: object) -> None:
        rendered = getattr(result, "rendered", result)
        if isinstance(rendered, Rendered) or rendered is None:
            self._rendered = rendered
            self._set_findings(rendered)

    def _set_findings(self, rendered: Rendered | None) -> None:
        self.warnings.set_findings(rendered.findings if rendered else [])
        self._update_size(rendered)

    def _count_warnings(self) -> None:
        count = len(self.warnings.findings)
        self._warnings_dock.setWindowTitle(_("Warnings") + (f" ({count})" if count else ""))

    def _show_warnings(self) -> None:
        self._warnings_dock.show()
        self._warnings_dock.raise_()

    def _session_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10_000)

    def _edit_requested(self, *_args: object) -> None:
        focus = getattr(self.inspector, "focus_editor", None)
        self._inspector_dock.show()
        self._inspector_dock.raise_()
        if callable(focus):
            focus()

    def _selection_changed(self, block_id: str) -> None:
        """Show the selected block's row in the outline (whichever panel selected it)."""
        model = self.outline.outline
        found = model.match(
            model.index(0, 0),
            BLOCK_ID_ROLE,
            block_id,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        if block_id and found:
            self.outline.setCurrentIndex(found[0])
            self.outline.scrollTo(found[0])
        else:
            self.outline.clearSelection()

    def _outline_clicked(self, index: Any) -> None:
        block_id = index.siblingAtColumn(0).data(BLOCK_ID_ROLE)
        if self.session is not None and isinstance(block_id, str):
            self.session.select(block_id)

    def _warning_clicked(self, item: Any) -> None:
        block_id = item.data(BLOCK_ID_ROLE)
        if isinstance(block_id, str):
            self.go_to_block(block_id)

    def _tab_changed(self, index: int) -> None:
        self.window_actions.show_compose.setChecked(index == 0)
        self.window_actions.show_preview.setChecked(index == 1)

    def show_compose(self) -> None:
        self.centre.setCurrentIndex(0)

    def show_preview(self) -> None:
        self.centre.setCurrentIndex(1)

    # ------------------------------------------------------------------------ file actions

    def may_replace(self) -> bool:
        """Before the document goes (close, New, Open): Save / Discard / Cancel when modified.

        True when the window may go on; Discard also removes the autosave.
        """
        if not self.modified:
            return True
        answer = QMessageBox.warning(
            self,
            _("Unsaved changes"),
            _('Save the changes to "{name}" before closing it?').format(name=self._name()),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_from_template(self) -> bool:
        """Ask for a starter, template or file in the gallery and edit the result."""
        if not self.may_replace():
            return False
        dialog = StartDialog(self, self._directory())
        accepted = dialog.exec() == StartDialog.DialogCode.Accepted
        document = dialog.document
        dialog.deleteLater()
        if not (accepted and document is not None and self.set_document(document)):
            return False
        if document.path is not None:
            add_recent(document.path)
        return True

    def open_file(self, path: Path | None = None) -> bool:
        """Open ``path`` (asked for when None); errors are shown, the current document kept."""
        if not self.may_replace():
            return False
        path = path or ask_open_path(self, self._directory())
        if path is None:
            return False
        document = load_document(self, path)
        if document is None:
            if not path.is_file():
                remove_recent(path)
            return False
        recovered_from = self._newer_copy(document)
        if not self.set_document(document, recovered_from):
            return False
        add_recent(path)
        return True

    def _newer_copy(self, document: OpenDocument) -> Path | None:
        """A crash copy newer than the file being opened: offered, so it is never overwritten
        unseen (the user may have chosen « Decide later » at start). Its key when taken."""
        assert document.path is not None
        leftover = leftover_for(document.path)
        if leftover is None:
            return None
        answer = QMessageBox.question(
            self,
            _("Recover unsaved work"),
            _(
                'A more recent copy of "{name}" was kept automatically ({time}) when '
                "Bulletin closed without saving it. Open that copy instead of the file?"
            ).format(name=document.name, time=leftover.time.replace("T", " ")[:16]),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None  # the file as saved; the copy goes when this document is saved or closed
        try:
            document.file = leftover.recover()
        except DocumentError as exc:
            show_error(self, _("Cannot recover the newsletter"), str(exc))
            return None
        return leftover.key

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
        if self.session is not None:
            self.session.mark_saved()
        self.autosaver.rename(path, self._document.name)
        add_recent(path)
        self._update_title()
        self.statusBar().showMessage(_("Saved: {path}").format(path=path), 5000)
        return True

    def save_as_template(self, name: str | None = None) -> bool:
        """Keep the document among « My templates » under ``name`` (asked for when None)."""
        doc = self._document
        if doc is None:
            return False
        if name is None:
            name, ok = QInputDialog.getText(
                self, _("Save as my template"), _("Template name:"), text=doc.name
            )
            if not ok:
                return False
        try:
            replace = False
            if name.strip() and templates.exists(name):
                answer = QMessageBox.question(
                    self,
                    _("Save as my template"),
                    _('A template named "{name}" already exists. Replace it?').format(
                        name=templates.sanitise_name(name)
                    ),
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
                replace = True
            saved = templates.save_template(doc.file, name, replace=replace)
        except DocumentError as exc:
            show_error(self, _("Cannot save the template"), str(exc))
            return False
        self.statusBar().showMessage(
            _('Saved as the template "{name}".').format(name=saved.name), 5000
        )
        return True

    def fill_recent_menu(self) -> None:
        """The last opened files (missing ones pruned), then « Clear Menu »."""
        menu = self.recent_menu
        menu.clear()
        paths = load_recent()
        for number, path in enumerate(paths, start=1):
            prefix = f"&{number} " if number < 10 else "1&0 " if number == 10 else ""
            action = menu.addAction(prefix + path.name.replace("&", "&&"))
            action.setData(str(path))
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(self._recent_triggered)
        if not paths:
            empty = menu.addAction(_("No recent files"))
            empty.setEnabled(False)
            return
        menu.addSeparator()
        menu.addAction(_("&Clear Menu"), clear_recent)

    def _recent_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open_file(Path(str(action.data())))

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

    def show_send_test(self) -> None:
        """The "Send a test" dialog for the document being edited (modal)."""
        from widgets.send_test_dialog import SendTestDialog

        if self.session is None:
            return
        dialog = SendTestDialog(self.session, self)
        dialog.exec()
        dialog.deleteLater()

    def _current(self) -> tuple[EditSession | None, Path | None]:
        """The session being edited and its file, for the Sending menu."""
        return self.session, self._document.path if self._document else None

    def show_accounts(self) -> None:
        """The sending accounts dialog (modal)."""
        from widgets.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(self)
        dialog.exec()
        dialog.deleteLater()

    def show_preferences(self) -> bool:
        """The preferences dialog; accepted choices apply to this window at once."""
        from widgets.preferences import PreferencesDialog

        dialog = PreferencesDialog(self)
        accepted = dialog.exec() == PreferencesDialog.DialogCode.Accepted
        dialog.deleteLater()
        if accepted:
            self.apply_preferences()
        return accepted

    def apply_preferences(self) -> None:
        self.autosaver.set_interval(load_preferences().autosave_seconds)
        self._apply_remote_images()

    def _apply_remote_images(self) -> None:
        """The preference is where each newsletter starts; the preview's bar overrides it."""
        allow = getattr(self.preview, "set_remote_images_allowed", None)
        if callable(allow):
            allow(load_preferences().remote_images)

    def _autosave_failed(self, why: str) -> None:
        self.statusBar().showMessage(_("Autosave failed: {why}").format(why=why), 10_000)

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
        if not self.may_replace() or not self.sending.may_close():
            event.ignore()
            return
        self.autosaver.discard()  # a clean close: nothing to recover next time
        self.autosaver.timer.stop()
        self.save_layout()
        event.accept()

    # ------------------------------------------------------------------------------ layout

    def save_layout(self) -> None:
        settings = layout_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState(LAYOUT_VERSION))
        settings.sync()

    def _restore_layout(self) -> None:
        """The layout of the last window closed, if any (``layout_restored`` says so)."""
        settings = layout_settings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        self.layout_restored = isinstance(geometry, QByteArray) and self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state, LAYOUT_VERSION)

    # ----------------------------------------------------------------------------- helpers

    def _directory(self) -> Path:
        """Where file dialogs start: the current document's folder, else the home folder."""
        doc = self._document
        return doc.path.parent if doc and doc.path else Path.home()

    def _dock(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{name}Dock")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
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

    def _save_template_triggered(self) -> None:
        self.save_as_template()

    def _insert_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.insert_block(str(action.data()))

    def _build_menus(self) -> None:
        a = self.window_actions
        # Bound methods, not lambdas: a lambda holding ``self`` would keep the window alive.
        a.new.triggered.connect(self._new_triggered)
        a.open.triggered.connect(self._open_triggered)
        a.save.triggered.connect(self._save_triggered)
        a.save_as.triggered.connect(self._save_as_triggered)
        a.save_template.triggered.connect(self._save_template_triggered)
        a.quit.triggered.connect(self.close)  # one window per process for now
        a.about.triggered.connect(self.about)
        a.contacts.triggered.connect(self.show_contacts)
        a.send_test.triggered.connect(self.show_send_test)
        a.preferences.triggered.connect(self.show_preferences)
        a.show_compose.triggered.connect(self.show_compose)
        a.show_preview.triggered.connect(self.show_preview)
        a.show_compose.setChecked(True)
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.addActions([a.new, a.open])
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([a.save, a.save_as, a.save_template])
        file_menu.addSeparator()
        file_menu.addMenu(language_menu(self))
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        self.edit_menu = bar.addMenu(_("&Edit"))
        self.edit_menu.setObjectName("editMenu")
        self._install_block_actions()
        insert_menu = bar.addMenu(_("&Insert"))
        for kind in all_types():
            action = QAction(QIcon(str(kind.icon_file)), kind.label(), self)
            action.setData(kind.name)
            action.setToolTip(_("Insert {kind} after the selection").format(kind=kind.label()))
            action.triggered.connect(self._insert_triggered)
            insert_menu.addAction(action)
            self.insert_actions.append(action)
        view_menu = bar.addMenu(_("&View"))
        view_menu.addActions([a.show_compose, a.show_preview])
        view_menu.addSeparator()
        for dock in (
            self._palette_dock,
            self._outline_dock,
            self._inspector_dock,
            self._warnings_dock,
            self._spam_dock,
        ):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(self.toolbar.toggleViewAction())
        contacts_menu = bar.addMenu(_("C&ontacts"))
        contacts_menu.addAction(a.contacts)
        self.sending = SendingMenu(self, a.send_test, self._current)
        self.sending.accounts.triggered.connect(self.show_accounts)
        self.sending_menu = self.sending.menu
        bar.addMenu(self.sending_menu)
        self.inbox = InboxMenu(self)
        bar.addMenu(self.inbox.menu)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(a.about)

    def _install_block_actions(self) -> None:
        """The Edit menu: Undo/Redo, the canvas's block actions when it has some, Preferences."""
        menu = getattr(self, "edit_menu", None)
        if menu is None:
            return
        a = self.window_actions
        for action in menu.actions():  # not clear(): it would delete the shared actions
            menu.removeAction(action)
        menu.addActions([a.undo, a.redo])
        found = getattr(self.canvas, "block_actions", None)
        for_menu = getattr(found, "for_menu", None)
        block_actions = for_menu() if callable(for_menu) else None
        if block_actions:
            menu.addSeparator()
            menu.addActions(list(block_actions))
        menu.addSeparator()
        menu.addAction(a.preferences)

    def _build_toolbar(self) -> None:
        a = self.window_actions
        bar = self.toolbar
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setMovable(False)
        bar.addActions([a.undo, a.redo])
        for action in (a.undo, a.redo):
            # Icons only: their text names the step ("Undo Edit text") and would shift the bar.
            button = bar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        bar.addSeparator()
        bar.addActions([a.show_compose, a.show_preview])
        modes = getattr(self.preview, "mode_actions", None)
        if modes:
            bar.addSeparator()
            for mode in list(modes() if callable(modes) else modes):
                mode.triggered.connect(self.show_preview)  # a preview mode shows the preview
                bar.addAction(mode)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addActions([a.send_test, self.sending.send])
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
