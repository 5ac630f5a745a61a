"""The inspector's panel for a social-links block: networks, profile links, icon style and size.

Each network of the block is a row: its icon (the very PNG the email embeds, in the chosen
style), its profile link and buttons to move or remove it. A link is checked as it is typed by
:func:`editor.social.profile_problem` (a Facebook icon must lead to facebook.com, the email icon
to a valid address): a refused link never reaches the block, and the sentence saying why shows
under the field once the user leaves it. A strip above the rows shows the icons as the email
will: their size, spacing and alignment on the newsletter's background.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.blocks.base import SOCIAL_NETWORKS, SOCIAL_SIZES, SOCIAL_STYLES
from editor.blocks.social import SocialBlock, SocialLink
from editor.commands import SetBlockField
from editor.i18n import N_, _
from editor.social import PROFILE_DOMAINS, icon_path, label, profile_problem
from widgets.inspector.base import BlockPanel
from widgets.inspector.editors import MISSING, Binding, ChoiceEditor, LineEditor, push
from widgets.session import EditSession

ROW_ICON = 28  # px, the icon beside each link
STRIP_HEIGHT = 64
_STYLE_NAMES = {"color": N_("Colour"), "dark": N_("Dark"), "light": N_("Light")}
_GAP = 8  # px between icons in the email (resources/email/blocks/social.html.j2)


def icon_pixmap(network: str, style: str, size: int, ratio: float = 1.0) -> QPixmap:
    """The network's bundled icon at ``size`` logical pixels, sharp on high-density screens."""
    pixmap = QPixmap(str(icon_path(network, style)))
    if pixmap.isNull():
        return pixmap
    side = round(size * ratio)
    scaled = pixmap.scaled(
        side,
        side,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    scaled.setDevicePixelRatio(ratio)
    return scaled


def placeholder(network: str) -> str:
    """An example of what the field expects."""
    if network == "email":
        return _("name@example.com")
    if network == "whatsapp":
        return _("Phone number, or https://wa.me/…")
    if network == "website":
        return "https://www.example.com"
    domain = PROFILE_DOMAINS[network][0]
    shown = domain if domain in ("x.com",) or domain.count(".") > 1 else "www." + domain
    return f"https://{shown}/…"


class LinkRow(QWidget):
    """One network of the block: icon, profile link, move up/down and remove buttons."""

    def __init__(self, panel: SocialPanel, index: int, network: str) -> None:
        super().__init__(panel)
        self.network = network
        self.index = index
        name = label(network)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.icon = QLabel()
        self.icon.setFixedSize(ROW_ICON, ROW_ICON)
        self.icon.setAccessibleName(_("{network} icon").format(network=name))
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        if network == "email":
            tooltip = _("The address the email icon writes to.")
        elif network == "website":
            tooltip = _("Your website's address (https).")
        else:
            tooltip = _("The address of your {network} page or profile.").format(network=name)
        self.field = LineEditor(name, tooltip)
        self.field.setObjectName(network)
        self.field.line.setPlaceholderText(placeholder(network))
        self.binding = Binding(
            panel.session,
            self.field,
            read=lambda: panel.link_url(index, network),
            make=lambda text: panel.with_url(index, str(text).strip()),
            merge_key=f"{panel.block_id}.links.{index}",
            check=lambda text: profile_problem(network, str(text)),
        )
        layout.addWidget(self.field, 1)
        self.up = self._button(
            "▲", _("Move {network} up (Alt+Up)").format(network=name), panel.move_up
        )
        self.down = self._button(
            "▼", _("Move {network} down (Alt+Down)").format(network=name), panel.move_down
        )
        self.remove = self._button(
            "✕", _("Remove {network}").format(network=name), panel.remove_link
        )
        for button in (self.up, self.down, self.remove):
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        # From the keyboard, in the row's field: Alt+Up / Alt+Down move the network.
        for keys, action in (("Alt+Up", panel.move_up), ("Alt+Down", panel.move_down)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda action=action: action(self.index, focus=True))

    def _button(self, text: str, tip: str, action: Callable[[int], None]) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.clicked.connect(lambda: action(self.index))
        return button


class SocialPanel(BlockPanel):
    """Edits a social-links block.

    Attributes:
        rows: one :class:`LinkRow` per link, in the block's order.
    """

    def __init__(self, session: EditSession, block_id: str, parent: QWidget | None = None) -> None:
        super().__init__(session, block_id, parent)
        self.rows: list[LinkRow] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)

        self.strip = QLabel()
        self.strip.setObjectName("strip")
        self.strip.setFixedHeight(STRIP_HEIGHT)
        # The drawing follows the panel's width, never the reverse (it would only ever grow).
        self.strip.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.strip.setAccessibleName(_("The icons as the email shows them"))
        self.strip.setToolTip(_("The icons as the email shows them, on its background."))
        layout.addWidget(self.strip)

        self.rows_box = QVBoxLayout()
        self.rows_box.setSpacing(6)
        layout.addLayout(self.rows_box)
        self.empty = QLabel(_("No network yet: add the ones where your readers can find you."))
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        layout.addWidget(self.empty)

        self.add_button = QToolButton()
        self.add_button.setText(_("Add a network"))
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setAccessibleName(_("Add a network"))
        self.add_button.setToolTip(_("Add an icon linking to one more network."))
        self.add_menu = QMenu(self.add_button)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        self.add_button.setMenu(self.add_menu)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.style_editor = ChoiceEditor(
            _("Icon style"),
            [(style, _(_STYLE_NAMES[style])) for style in SOCIAL_STYLES],
            _("Colour: each network's own colour. Dark or light: one tone for every icon."),
        )
        self.style_editor.setObjectName("icon_style")
        self.style_editor.combo.setIconSize(QSize(20, 20))
        for index, style in enumerate(SOCIAL_STYLES):
            pixmap = icon_pixmap("facebook", style, 20, self.devicePixelRatioF())
            self.style_editor.combo.setItemIcon(index, QIcon(pixmap))
        self.size_editor = ChoiceEditor(
            _("Icon size"),
            [(size, _("{size} px").format(size=size)) for size in SOCIAL_SIZES],
            _("How large the icons are in the email."),
        )
        self.size_editor.setObjectName("size")
        self.align_editor = ChoiceEditor(
            _("Alignment"),
            [("left", _("Left")), ("center", _("Centre")), ("right", _("Right"))],
            _("Where the row of icons sits: left, centre or right."),
        )
        self.align_editor.setObjectName("align")
        self.bindings: list[Binding] = []
        for editor, name in (
            (self.style_editor, "icon_style"),
            (self.size_editor, "size"),
            (self.align_editor, "align"),
        ):
            layout.addWidget(editor)
            self.bindings.append(self.bind_field(editor, name))
        layout.addStretch(1)
        self.refresh()

    # ------------------------------------------------------------------------------ reading

    def social(self) -> SocialBlock | None:
        block = self.block()
        return block if isinstance(block, SocialBlock) else None

    def link_url(self, index: int, network: str) -> Any:
        """The URL of link ``index`` if it is still ``network``'s, else MISSING (rows rebuild)."""
        block = self.social()
        if block is None or index >= len(block.links) or block.links[index].network != network:
            return MISSING
        return block.links[index].url

    def refresh(self) -> None:
        block = self.social()
        if block is None:
            return
        networks = [link.network for link in block.links]
        if networks != [row.network for row in self.rows]:
            self._rebuild(networks)
        for row in self.rows:
            row.binding.sync()
            row.icon.setPixmap(
                icon_pixmap(row.network, block.icon_style, ROW_ICON, self.devicePixelRatioF())
            )
            row.up.setEnabled(row.index > 0)
            row.down.setEnabled(row.index < len(self.rows) - 1)
        self.empty.setVisible(not self.rows)
        self.add_button.setEnabled(len(set(networks)) < len(SOCIAL_NETWORKS))
        for binding in self.bindings:
            binding.sync()
        self._draw_strip(block)

    def _rebuild(self, networks: list[str]) -> None:
        for row in self.rows:
            self.rows_box.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.rows = [LinkRow(self, index, network) for index, network in enumerate(networks)]
        for row in self.rows:
            self.rows_box.addWidget(row)
            row.show()  # at once, so its field can take the focus and its shortcuts work

    def _draw_strip(self, block: SocialBlock) -> None:
        """The icons with a URL, as the email lays them out, on the content background."""
        ratio = self.devicePixelRatioF()
        width = max(self.strip.width(), 120)
        pixmap = QPixmap(round(width * ratio), round(STRIP_HEIGHT * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QColor(self.session.document.theme.content_background))
        shown = [link for link in block.links if link.url.strip()]
        total = len(shown) * block.size + max(0, len(shown) - 1) * _GAP
        x = {"left": 12, "center": (width - total) // 2, "right": width - 12 - total}[block.align]
        y = (STRIP_HEIGHT - block.size) // 2
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for link in shown:
            painter.drawPixmap(x, y, icon_pixmap(link.network, block.icon_style, block.size, ratio))
            x += block.size + _GAP
        if not shown:
            painter.setPen(QColor(self.session.document.theme.text_color))
            painter.drawText(
                0,
                0,
                width,
                STRIP_HEIGHT,
                Qt.AlignmentFlag.AlignCenter,
                _("Icons appear here once their link is filled in."),
            )
        painter.end()
        self.strip.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        block = self.social()
        if block is not None:
            self._draw_strip(block)

    def focus_editor(self) -> bool:
        if self.rows:
            self.rows[0].field.line.setFocus()
            return True
        return False

    # ------------------------------------------------------------------------------ editing

    def _links(self) -> list[SocialLink]:
        block = self.social()
        return copy.deepcopy(block.links) if block is not None else []

    def with_url(self, index: int, url: str) -> SetBlockField:
        """The command giving link ``index`` the URL ``url``."""
        links = self._links()
        links[index].url = url
        return SetBlockField(self.block_id, "links", links)

    def _push_links(self, links: list[SocialLink]) -> None:
        push(self.session, SetBlockField(self.block_id, "links", links))

    def add_network(self, network: str) -> None:
        self._push_links([*self._links(), SocialLink(network, "")])
        if self.rows and self.rows[-1].network == network:
            self.rows[-1].field.line.setFocus()

    def move_up(self, index: int, *, focus: bool = False) -> None:
        """Swap link ``index`` with the one above; ``focus``: keep typing in its field."""
        links = self._links()
        if 0 < index < len(links):
            links[index - 1], links[index] = links[index], links[index - 1]
            self._push_links(links)
            if focus and index - 1 < len(self.rows):
                self.rows[index - 1].field.line.setFocus()

    def move_down(self, index: int, *, focus: bool = False) -> None:
        links = self._links()
        if 0 <= index < len(links) - 1:
            links[index], links[index + 1] = links[index + 1], links[index]
            self._push_links(links)
            if focus and index + 1 < len(self.rows):
                self.rows[index + 1].field.line.setFocus()

    def remove_link(self, index: int) -> None:
        links = self._links()
        if 0 <= index < len(links):
            del links[index]
            self._push_links(links)

    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        block = self.social()
        present = {link.network for link in block.links} if block is not None else set()
        style = block.icon_style if block is not None else "color"
        for network in SOCIAL_NETWORKS:
            if network in present:
                continue
            action = self.add_menu.addAction(
                QIcon(icon_pixmap(network, style, 20, self.devicePixelRatioF())), label(network)
            )
            action.triggered.connect(lambda _checked=False, n=network: self.add_network(n))
