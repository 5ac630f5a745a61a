"""One card per block: the block drawn as the email will show it, in the theme's look.

A card is an approximation made of Qt widgets (rich-text labels, pixmaps, a little painting),
not the email's HTML: the exact rendering is the preview's job, and the canvas must redraw a
dozen blocks in a few milliseconds while the user types. Each block type has a drawer in
:data:`DRAWERS` (type name → function building the card's body); a type without one (a
plug-in's) gets a generic card with its icon, label and summary, so nothing is ever missing.

Cards never change the document: presses, double-clicks and drags go to the :class:`CardHost`
(the canvas), which selects, asks for the editor, or starts a move.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QIcon,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from editor.blocks.base import CHILD_PAD, PAD, Block
from editor.blocks.registry import type_of
from editor.document import Theme
from editor.feeds import Post
from editor.i18n import _
from editor.render.strings import format_date, strings
from editor.richtext import MERGE_TAG
from editor.social import icon_path

SELECTED = QColor("#2563eb")
HOVERED = QColor("#93c5fd")
HINT = "#6b7280"
CHIP = "background-color:#e0e7ff; color:#3730a3;"
_ALIGN = {
    "left": Qt.AlignmentFlag.AlignLeft,
    "center": Qt.AlignmentFlag.AlignHCenter,
    "right": Qt.AlignmentFlag.AlignRight,
}


class CardHost(Protocol):
    """What a card tells the canvas."""

    def card_pressed(self, block_id: str) -> None: ...

    def card_double_clicked(self, block_id: str) -> None: ...

    def card_dragged(self, block_id: str) -> None: ...


@dataclass
class CardContext:
    """What drawing a card needs besides the block.

    Attributes:
        theme, language: the newsletter's look and language (built-in wording).
        images: the file's embedded images (reference → bytes).
        posts: the cached posts of a latest-posts block (no network from the canvas).
        host: who hears presses, double-clicks and drags.
        pixmaps: images decoded and scaled, kept between redraws ((reference, width, pixel
            ratio) → pixmap; (reference, 0, 0) → the decoded image), owned by the canvas.
    """

    theme: Theme
    language: str
    images: Mapping[str, bytes]
    posts: Callable[[str, int], list[Post]]
    host: CardHost
    pixmaps: dict[tuple[str, int, float], QImage | QPixmap] = field(default_factory=dict)


# ------------------------------------------------------------------------------------ the card


class Card(QFrame):
    """One block on the canvas: its body, an outline when selected or hovered.

    Attributes:
        block_id: the block shown.
        pad: the horizontal padding around the body (a column's children have less).
        room: the width the body has in the email, px (images are drawn at most that wide).
    """

    def __init__(
        self, block: Block, ctx: CardContext, pad: int, room: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.block_id = block.id
        self.pad = pad
        self.room = room
        self._ctx = ctx
        self._selected = False
        self._hovered = False
        self._press: QPoint | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_Hover)
        self.setAccessibleName(type_of(block).label())
        self.setAccessibleDescription(_summary(block))
        self.body_layout = QVBoxLayout(self)
        self.body_layout.setContentsMargins(pad, 8, pad, 8)
        self.body_layout.setSpacing(0)
        self.columns: list[ColumnArea] = []  # filled by the columns drawer
        drawer = DRAWERS.get(block.TYPE, generic)
        self.body_layout.addWidget(drawer(block, ctx, self))

    @property
    def selected(self) -> bool:
        return self._selected

    def set_selected(self, selected: bool) -> None:
        if selected != self._selected:
            self._selected = selected
            self.update()

    # -------------------------------------------------------------------------- mouse

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self._ctx.host.card_pressed(self.block_id)
        event.accept()  # not the columns card around it, nor the page

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        moved = (event.position().toPoint() - self._press).manhattanLength()
        if moved >= QApplication.startDragDistance():
            self._press = None
            self._ctx.host.card_dragged(self.block_id)
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._ctx.host.card_double_clicked(self.block_id)
        event.accept()

    def enterEvent(self, event: Any) -> None:
        self._hovered = True
        self.update()
        super().enterEvent(event)

    def leaveEvent(self, event: Any) -> None:
        self._hovered = False
        self.update()
        super().leaveEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not (self._selected or self._hovered):
            return
        painter = QPainter(self)
        pen = QPen(SELECTED if self._selected else HOVERED, 2 if self._selected else 1)
        if not self._selected:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawRect(self.rect().adjusted(1, 1, -1, -1))


class ColumnArea(QFrame):
    """One column of a columns card: its child cards, or a drop hint when empty.

    Attributes:
        columns_id, column: which column this is (for drop paths).
        cards: the child cards, in order.
    """

    def __init__(self, columns_id: str, column: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns_id, self.column = columns_id, column
        self.cards: list[Card] = []
        self.setAccessibleName(_("Column {number}").format(number=column + 1))
        self.body_layout = QVBoxLayout(self)
        self.body_layout.setContentsMargins(0, 0, 0, 0)
        self.body_layout.setSpacing(0)

    def add(self, card: Card) -> None:
        self.cards.append(card)
        self.body_layout.addWidget(card)

    def add_hint(self) -> None:
        words = html.escape(_("Drop a block here"))
        hint = _label(f'<div align="center" style="color:{HINT}; font-size:12px;">{words}</div>')
        hint.setMinimumHeight(56)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setStyleSheet("QLabel { border: 1px dashed #9ca3af; border-radius: 4px; }")
        self.body_layout.setContentsMargins(4, 4, 4, 4)  # two empty columns: two boxes
        self.body_layout.addWidget(hint)


# ------------------------------------------------------------------------------------ helpers


class RichText(QWidget):
    """Rich text laid out once per width (a word-wrapped QLabel lays it out on every size
    query: with a dozen long paragraphs, showing the canvas took a tenth of a second).

    Clicks go through to the card; screen readers get the plain text as the accessible name.
    """

    def __init__(self, rich: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._source = rich
        self._doc = QTextDocument(self)
        self._doc.setDocumentMargin(0)
        self._doc.setHtml(rich)
        self._width = -1  # the width the document is laid out at
        self._heights: dict[int, int] = {}  # layouts ask again and again for a few widths
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAccessibleName(self._doc.toPlainText()[:500])

    def text(self) -> str:
        """The rich text shown (as given)."""
        return self._source

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            self._lay_out(width)
            height = self._heights[width] = math.ceil(self._doc.size().height())
        return height

    def _lay_out(self, width: int) -> None:
        if width != self._width:
            self._doc.setTextWidth(width)
            self._width = width

    def sizeHint(self) -> QSize:
        width = self.width() if self.width() > 0 else 200
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._lay_out(self.width())
        painter = QPainter(self)
        self._doc.drawContents(painter)


def _rich(rich: str, parent: QWidget) -> RichText:
    return RichText(rich, parent)


def _label(rich: str, parent: QWidget | None = None) -> QLabel:
    """A rich-text label that lets clicks through to its card."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setText(rich)
    label.setWordWrap(True)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    return label


def _chips(escaped: str) -> str:
    """Merge tags (already HTML-escaped text) shown as chips, written as the author wrote them."""
    return MERGE_TAG.sub(
        lambda m: f'<span style="{CHIP}">&#8201;{{{{{m.group(1)}}}}}&#8201;</span>', escaped
    )


def _text(value: str) -> str:
    return _chips(html.escape(value))


def _summary(block: Block) -> str:
    try:
        return " ".join(type_of(block).summary(block).split())
    except Exception:  # a plug-in's summary must not stop the canvas
        return ""


def _font(font_stack: str, size: int, color: str, extra: str = "") -> str:
    return f"font-family:{font_stack}; font-size:{size}px; color:{color};{extra}"


def _aligned(widget: QWidget, align: str, parent: QWidget) -> QWidget:
    """``widget`` in a row, placed left, centre or right."""
    row = QWidget(parent)
    row.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 0, _ALIGN.get(align, Qt.AlignmentFlag.AlignLeft))
    return row


# ------------------------------------------------------------------------------------ drawers


def heading(block: Any, ctx: CardContext, card: Card) -> QWidget:
    theme = ctx.theme
    scale = {1: 1.75, 2: 1.375, 3: 1.125}.get(block.level, 1.0)
    size = round(theme.font_size * scale)
    empty = html.escape(_("Heading"))
    text = _text(block.text) or f'<span style="color:{HINT};">{empty}</span>'
    colour = getattr(block, "color", "") or theme.heading_color
    style = _font(theme.heading_font, size, colour, " font-weight:bold;")
    return _rich(f'<div align="{block.align}" style="{style}">{text}</div>', card)


def text(block: Any, ctx: CardContext, card: Card) -> QWidget:
    theme = ctx.theme
    empty = html.escape(_("Double-click to write…"))
    body = block.html.strip() or f'<p style="color:{HINT};">{empty}</p>'
    style = _font(theme.body_font, theme.font_size, theme.text_color)
    links = f"<style>a {{ color:{theme.link_color}; }} p {{ margin: 0 0 10px 0; }}</style>"
    return _rich(f'{links}<div align="{block.align}" style="{style}">{_chips(body)}</div>', card)


def _decoded(ref: str, ctx: CardContext) -> QImage:
    """The embedded image ``ref``, decoded once for the canvas's lifetime."""
    decoded = ctx.pixmaps.get((ref, 0, 0))
    if not isinstance(decoded, QImage):
        decoded = ctx.pixmaps[(ref, 0, 0)] = QImage.fromData(ctx.images[ref])
    return decoded


def _scaled(ref: str, width: int, ratio: float, ctx: CardContext) -> QPixmap:
    """The embedded image ``ref`` drawn ``width`` px wide, scaled once per width."""
    scaled = ctx.pixmaps.get((ref, width, ratio))
    if not isinstance(scaled, QPixmap):
        image = _decoded(ref, ctx).scaledToWidth(
            max(1, round(width * ratio)), Qt.TransformationMode.SmoothTransformation
        )
        scaled = QPixmap.fromImage(image)
        scaled.setDevicePixelRatio(ratio)
        ctx.pixmaps[(ref, width, ratio)] = scaled
    return scaled


def image(block: Any, ctx: CardContext, card: Card) -> QWidget:
    if block.is_embedded and block.src in ctx.images and not _decoded(block.src, ctx).isNull():
        # As the renderer: the block's width, else the image's own, never wider than the room.
        width = min(block.width or _decoded(block.src, ctx).width(), card.room)
        label = QLabel(card)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        label.setPixmap(_scaled(block.src, width, card.devicePixelRatioF(), ctx))
        label.setAccessibleName(block.alt or _("(no alt text)"))
        return _aligned(label, block.align, card)
    if block.is_remote:
        host = urlsplit(block.src).hostname or block.src
        words = _("Image from {host}").format(host=host)
    else:
        words = _("No image yet: drop a picture here or choose one in the inspector.")
    box = _label(
        f'<div align="center" style="color:{HINT}; font-size:13px;">{html.escape(words)}</div>',
        card,
    )
    box.setMinimumHeight(90)
    box.setAlignment(Qt.AlignmentFlag.AlignCenter)
    box.setStyleSheet("QLabel { background: #f3f4f6; border: 1px dashed #9ca3af; }")
    return box


def button(block: Any, ctx: CardContext, card: Card) -> QWidget:
    theme = ctx.theme
    background = block.background or theme.button.background
    color = block.color or theme.button.color
    radius = theme.button.radius if block.radius is None else block.radius
    label = QLabel(card)
    label.setTextFormat(Qt.TextFormat.RichText)
    words = _text(block.label) or html.escape(_("Button"))
    label.setText(f"<b>{words}</b>")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    label.setStyleSheet(
        f"QLabel {{ background-color:{background}; color:{color}; border-radius:{radius}px;"
        f" padding:12px 28px; font-family:{theme.body_font}; font-size:{theme.font_size}px; }}"
    )
    if block.full_width:
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return label
    return _aligned(label, block.align, card)


class _Line(QWidget):
    """A divider: a line of a colour, thickness and share of the width."""

    def __init__(self, block: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.color, self.thickness, self.percent = block.color, block.thickness, block.width_percent
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFixedHeight(self.thickness + 12)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        width = self.width() * self.percent // 100
        box = QRect((self.width() - width) // 2, 6, width, self.thickness)
        painter.fillRect(box, QColor(self.color))


def divider(block: Any, ctx: CardContext, card: Card) -> QWidget:
    return _Line(block, card)


class _Space(QWidget):
    """A spacer: empty space, with a faint hatch so it can be seen and picked."""

    def __init__(self, height: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFixedHeight(height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(QPen(QColor(0, 0, 0, 24), 1, Qt.PenStyle.DotLine))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))


def spacer(block: Any, ctx: CardContext, card: Card) -> QWidget:
    return _Space(block.height, card)


def social(block: Any, ctx: CardContext, card: Card) -> QWidget:
    links = [link for link in block.links if link.url.strip()] or block.links
    if not links:
        words = html.escape(_("No social links yet."))
        return _label(f'<div align="{block.align}" style="color:{HINT};">{words}</div>', card)
    row = QWidget(card)
    row.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(8)
    ratio = card.devicePixelRatioF()
    for link in links:
        icon = QLabel(row)
        icon.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        try:
            path = icon_path(link.network, block.icon_style)
        except ValueError:
            continue
        pixmap = QIcon(str(path)).pixmap(QSize(block.size, block.size), ratio)
        icon.setPixmap(pixmap)
        icon.setToolTip(link.url)
        layout.addWidget(icon)
    return _aligned(row, block.align, card)


def posts(block: Any, ctx: CardContext, card: Card) -> QWidget:
    theme = ctx.theme
    found = ctx.posts(block.feed_url, block.count) if block.feed_url else []
    if not found:
        words = _("No posts yet: give the site's feed in the inspector and refresh it.")
        return _label(f'<div style="color:{HINT};">{html.escape(words)}</div>', card)
    read_more = block.read_more_label or strings(ctx.language)["read_more"]
    title = _font(
        theme.heading_font, theme.font_size + 2, theme.heading_color, " font-weight:bold;"
    )
    parts = []
    for post in found:
        parts.append(f'<p style="margin:0 0 4px 0; {title}">{html.escape(post.title)}</p>')
        if block.show_date and post.date is not None:
            day = format_date(post.date.day, post.date.month, post.date.year, ctx.language)
            parts.append(f'<p style="margin:0 0 4px 0; color:{HINT}; font-size:13px;">{day}</p>')
        if block.show_excerpt and post.excerpt:
            parts.append(f'<p style="margin:0 0 4px 0;">{html.escape(post.excerpt)}</p>')
        if block.show_read_more:
            parts.append(
                f'<p style="margin:0 0 14px 0;"><a href="#" style="color:{theme.link_color};">'
                f"{_text(read_more)}</a></p>"
            )
    style = _font(theme.body_font, theme.font_size, theme.text_color)
    return _rich(f'<div style="{style}">{"".join(parts)}</div>', card)


def footer(block: Any, ctx: CardContext, card: Card) -> QWidget:
    words = strings(ctx.language)
    lines = []
    if block.company.strip():
        lines.append(f"<b>{_text(block.company)}</b>")
    address = [_text(line.strip()) for line in block.address.splitlines() if line.strip()]
    if address:
        lines.append("<br>".join(address))
    lines.append(_text(block.reason or words["reason"]))
    lines.append(f"<u>{_text(block.unsubscribe_label or words['unsubscribe'])}</u>")
    style = _font(ctx.theme.body_font, 13, HINT, " border-top:1px solid #e5e7eb;")
    body = "".join(f'<p style="margin:0 0 6px 0;">{line}</p>' for line in lines)
    return _rich(f'<div align="{block.align}" style="{style}">{body}</div>', card)


def raw_html(block: Any, ctx: CardContext, card: Card) -> QWidget:
    label = QLabel(card)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(block.html.strip() or _("(empty HTML block)"))
    label.setWordWrap(True)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    label.setStyleSheet(
        "QLabel { font-family: monospace; font-size: 12px; color: #374151;"
        " background: #f9fafb; border: 1px solid #e5e7eb; padding: 6px; }"
    )
    return label


def columns(block: Any, ctx: CardContext, card: Card) -> QWidget:
    """The columns side by side, each with its child cards (built here, with a column's pad)."""
    # As in the email: the columns start PAD - CHILD_PAD from the edge, and each child has
    # CHILD_PAD of its own, so their text lines up with the blocks above and below.
    card.body_layout.setContentsMargins(PAD - CHILD_PAD, 8, PAD - CHILD_PAD, 8)
    inner = card.room + 2 * PAD - 2 * (PAD - CHILD_PAD)  # as the renderer computes it
    row = QWidget(card)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    for number, (percent, column) in enumerate(zip(block.widths, block.columns, strict=True)):
        area = ColumnArea(block.id, number, row)
        room = inner * percent // 100 - 2 * CHILD_PAD
        for child in column.blocks:
            area.add(Card(child, ctx, CHILD_PAD, room, area))
        if not column.blocks:
            area.add_hint()
        area.body_layout.addStretch(1)
        layout.addWidget(area, percent)
        card.columns.append(area)
    return row


def generic(block: Block, ctx: CardContext, card: Card) -> QWidget:
    """A type with no drawer of its own: its icon, its name and what it holds."""
    kind = type_of(block)
    row = QWidget(card)
    row.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 4, 0, 4)
    icon = QLabel(row)
    icon.setPixmap(QIcon(str(kind.icon_file)).pixmap(QSize(24, 24), card.devicePixelRatioF()))
    layout.addWidget(icon)
    summary = html.escape(_summary(block))
    layout.addWidget(_rich(f"<b>{html.escape(kind.label())}</b><br>{_chips(summary)}", row), 1)
    return row


Drawer = Callable[[Any, CardContext, Card], QWidget]
DRAWERS: dict[str, Drawer] = {
    "heading": heading,
    "text": text,
    "image": image,
    "button": button,
    "divider": divider,
    "spacer": spacer,
    "social": social,
    "posts": posts,
    "footer": footer,
    "html": raw_html,
    "columns": columns,
}
"""How each block type is drawn, by type name; a type missing here gets :func:`generic`."""


def column_areas(card: Card) -> list[ColumnArea]:
    """The columns of a columns card (none for any other card)."""
    return list(card.columns)
