"""The inspector's panel for a latest-posts block: the feed, how many posts, what each shows.

People know their site's address, not its feed's: "Find the feed" reads the home page for the
feed it announces (WordPress's ``/feed/`` otherwise) with :func:`editor.feeds.discover_feed`.
"Refresh" fetches the posts with the session's :class:`~editor.feeds.FeedCache`, off the UI
thread, behind a busy bar and a Cancel button; a cancelled refresh stores nothing. The posts
shown are always the cached ones with their date (« Articles du 3 décembre 2026 »), so
offline, or when the site fails, the panel shows what the email will carry and why it could
not be updated. A refresh changes no document value: it is no undo step, it only emits the
session's ``changed`` so the canvas and the preview draw the new posts.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from babel.dates import format_date
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor.blocks.posts import PostsBlock
from editor.commands import SetBlockField
from editor.feeds import (
    FeedError,
    Post,
    RefreshCancel,
    RefreshCancelled,
    discover_feed,
)
from editor.i18n import _, language
from editor.render.strings import strings
from editor.urls import web_uri
from widgets.background import BackgroundTask
from widgets.inspector.base import BlockPanel
from widgets.inspector.editors import (
    ERROR_COLOR,
    BoolEditor,
    IntEditor,
    LineEditor,
    push,
)
from widgets.session import EditSession

TIMEOUT_S = 10.0  # each network wait; a whole download is bounded by three times that


def when(fetched_at: datetime) -> str:
    """The day posts were fetched, in the UI's language and the user's time zone."""
    return format_date(fetched_at.astimezone().date(), format="long", locale=language())


def feed_address(text: str) -> str:
    """What the user typed as an http(s) address ("" when it is none); https:// when bare."""
    value = text.strip()
    if value and "://" not in value:
        value = "https://" + value
    return web_uri(value)


class PostsPanel(BlockPanel):
    """Edits a latest-posts block and refreshes its feed.

    Signals:
        busy_changed(bool): a refresh or a feed search started (True) or ended (False).
        refreshed(): new posts were stored and ``session.changed`` emitted.
    """

    busy_changed = Signal(bool)
    refreshed = Signal()

    def __init__(self, session: EditSession, block_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, block_id, parent)
        self._task: BackgroundTask | None = None
        self._cancel: RefreshCancel | None = None
        self._done: Callable[[Any], None] = lambda result: None
        self._feed_synced: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.feed = LineEditor(
            _("Site or feed address"),
            _(
                "Your site's address (a WordPress site: its home page) or its RSS/Atom feed's. "
                "Press Enter to use it, or Find the feed to look it up from the home page."
            ),
        )
        self.feed.setObjectName("feed_url")
        self.feed.line.setPlaceholderText("https://www.example.com")
        self.feed.finished.connect(self._apply_feed)
        layout.addWidget(self.feed)
        self.find_button = QPushButton(_("Find the feed"))
        self.find_button.setAccessibleName(_("Find the feed"))
        self.find_button.setToolTip(
            _("Read the site's home page to find the address of its feed of posts.")
        )
        self.find_button.clicked.connect(self.find_feed)
        self.feed.row.addWidget(self.find_button)

        self.count = IntEditor(
            _("Number of posts"), 1, 10, tooltip=_("How many of the latest posts the email shows.")
        )
        self.count.setObjectName("count")
        layout.addWidget(self.count)
        self.bindings = [self.bind_field(self.count, "count", typed=True)]
        layout.addWidget(QLabel(_("Each post shows:")))
        for name, caption, tip in (
            ("show_image", _("Image"), _("Show each post's first image.")),
            ("show_excerpt", _("Excerpt"), _("Show the first lines of each post.")),
            ("show_date", _("Date"), _("Show the day each post was published.")),
            ("show_read_more", _('"Read more" link'), _("End each post with a link to it.")),
        ):
            editor = BoolEditor(caption, tip)
            editor.setObjectName(name)
            layout.addWidget(editor)
            self.bindings.append(self.bind_field(editor, name))
        self.read_more = LineEditor(
            _("Wording of the link"),
            _("The text of the link to each post; empty: the newsletter language's own."),
        )
        self.read_more.setObjectName("read_more_label")
        layout.addWidget(self.read_more)
        self.bindings.append(self.bind_field(self.read_more, "read_more_label", typed=True))

        row = QHBoxLayout()
        self.refresh_button = QPushButton(_("Refresh"))
        self.refresh_button.setAccessibleName(_("Refresh the posts"))
        self.refresh_button.setToolTip(_("Fetch the latest posts from the feed now."))
        self.refresh_button.clicked.connect(self.refresh_posts)
        row.addWidget(self.refresh_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # a download cannot say how far it is
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.setAccessibleName(_("Fetching"))
        self.progress.hide()
        row.addWidget(self.progress, 1)
        self.cancel_button = QPushButton(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel the fetch"))
        self.cancel_button.setToolTip(_("Stop waiting: the posts stay as they were."))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        row.addWidget(self.cancel_button)
        layout.addLayout(row)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(_("Posts status"))
        layout.addWidget(self.status)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setStyleSheet(f"color: {ERROR_COLOR};")
        self.error.setAccessibleName(_("Error"))
        self.error.hide()
        layout.addWidget(self.error)
        self.posts = QListWidget()
        self.posts.setObjectName("posts")
        self.posts.setAccessibleName(_("Posts the email shows"))
        self.posts.setToolTip(_("The posts the email shows, from the last fetch."))
        self.posts.setWordWrap(True)
        self.posts.setSpacing(3)
        self.posts.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout.addWidget(self.posts, 1)
        self.refresh()

    # ------------------------------------------------------------------------------ reading

    def _posts_block(self) -> PostsBlock | None:
        block = self.block()
        return block if isinstance(block, PostsBlock) else None

    def refresh(self) -> None:
        block = self._posts_block()
        if block is None:
            return
        for binding in self.bindings:
            binding.sync()
        if block.feed_url != self._feed_synced:
            self._feed_synced = block.feed_url
            self.feed.set_value(block.feed_url)
            self.feed.show_error("")
        self.read_more.setEnabled(block.show_read_more)
        self.read_more.line.setPlaceholderText(strings(self.session.document.language)["read_more"])
        busy = self._task is not None
        self.refresh_button.setEnabled(bool(block.feed_url) and not busy)
        self.find_button.setEnabled(not busy)
        self._show_cached(block)

    def _show_cached(self, block: PostsBlock) -> None:
        """The cached posts the email shows, and the day they were fetched."""
        self.posts.clear()
        cached = self.session.feeds.get(block.feed_url) if block.feed_url else None
        if cached is None:
            if block.feed_url:
                self.status.setText(_("No posts fetched yet: press Refresh."))
            else:
                self.status.setText(_("Give the address of your site, then Find the feed."))
            return
        self.status.setText(_("Posts as of {date}").format(date=when(cached.fetched_at)))
        for post in cached.posts[: block.count]:
            self.posts.addItem(self._item(post))
        if not cached.posts:
            self.status.setText(
                _("The feed had no posts on {date}.").format(date=when(cached.fetched_at))
            )

    def _item(self, post: Post) -> QListWidgetItem:
        title = post.title or post.link
        shown = title
        if post.date is not None:
            shown = f"{title}\n{when(post.date)}"
        item = QListWidgetItem(shown)
        item.setToolTip(post.link)
        return item

    def focus_editor(self) -> bool:
        self.feed.line.setFocus()
        return True

    # ------------------------------------------------------------------------------ editing

    def _apply_feed(self) -> None:
        """The address typed and confirmed (Enter, or leaving the field)."""
        block = self._posts_block()
        text = self.feed.value().strip()
        if block is None or text == block.feed_url:
            return
        address = feed_address(text) if text else ""
        if text and not address:
            self.feed.show_error(
                _("This is not a web address: it should look like https://www.example.com.")
            )
            return
        self._set_feed(address)

    def _set_feed(self, address: str) -> bool:
        problem = push(self.session, SetBlockField(self.block_id, "feed_url", address))
        self.feed.show_error(problem)
        self.refresh()
        return not problem

    # ---------------------------------------------------------------------- network work

    def is_busy(self) -> bool:
        return self._task is not None

    def find_feed(self) -> None:
        """Look the feed up from the address typed, in the background."""
        text = self.feed.value().strip()
        if not text or self._task is not None:
            if not text:
                self.feed.show_error(_("Type your site's address first."))
            return
        self._start(
            BackgroundTask(lambda: discover_feed(text, timeout=TIMEOUT_S)),
            self._found,
            _("Looking for the feed…"),
        )

    def _found(self, url: Any) -> None:
        address = str(url)
        block = self._posts_block()
        if block is None:
            return
        if address != block.feed_url and not self._set_feed(address):
            return
        self.feed.set_value(address)
        self.refresh_posts()

    def refresh_posts(self) -> None:
        """Fetch the feed's posts in the background; the cache is updated when it succeeds."""
        block = self._posts_block()
        if block is None or not block.feed_url or self._task is not None:
            return
        url, feeds, cancel = block.feed_url, self.session.feeds, RefreshCancel()
        self._cancel = cancel
        self._start(
            BackgroundTask(lambda: feeds.refresh(url, timeout=TIMEOUT_S, cancel=cancel)),
            self._refreshed,
            _("Fetching the latest posts…"),
        )

    def cancel(self) -> None:
        """Stop waiting. A refresh that already stored its posts is let through."""
        if self._task is None:
            return
        if self._cancel is not None and not self._cancel.cancel():
            return  # too late: the posts are stored, the result is on its way
        self._task = None
        self._cancel = None
        self._set_busy(False)
        self.refresh()
        self.error.setText(_("Cancelled: the posts are as they were."))
        self.error.show()

    def _start(self, task: BackgroundTask, done: Callable[[Any], None], message: str) -> None:
        # Bound methods, not closures: Qt drops the connections if the panel goes first.
        task.succeeded.connect(self._task_succeeded)
        task.failed.connect(self._task_failed)
        self._task, self._done = task, done
        self.error.hide()
        self._set_busy(True)
        self.status.setText(message)
        task.start()

    def _task_succeeded(self, result: Any) -> None:
        if self.sender() is self._task:  # not a cancelled one
            done = self._done
            self._finish()
            done(result)

    def _task_failed(self, error: Any) -> None:
        if self.sender() is self._task:
            self._finish()
            self._failed(error)

    def _finish(self) -> None:
        self._task = None
        self._cancel = None
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        block = self._posts_block()
        self.refresh_button.setEnabled(not busy and block is not None and bool(block.feed_url))
        self.find_button.setEnabled(not busy)
        self.busy_changed.emit(busy)

    def _refreshed(self, _posts: Any) -> None:
        self.refresh()
        self.refreshed.emit()
        self.session.changed.emit()  # the canvas and the preview draw the new posts

    def _failed(self, error: Any) -> None:
        self.refresh()  # the cached posts and their date stay on screen
        if isinstance(error, RefreshCancelled):
            return
        if isinstance(error, FeedError):
            message = str(error)
        elif isinstance(error, OSError):  # the cache folder cannot be written
            message = _("The posts could not be saved: {reason}.").format(
                reason=error.strerror or error
            )
        else:
            message = _("Unexpected error: {error!r}").format(error=error)
        self.error.setText(message)
        self.error.show()
