"""The inspector's panel for the newsletter itself: subject, preheader, sender, UTM, theme.

Every control is bound to one ``SetDocumentField`` path (``subject``, ``sender.email``,
``theme.button.radius``…), so it edits, merges and undoes like a block's field. The theme's
colours show how readable text is on its background (WCAG contrast, :mod:`editor.contrast`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from editor.commands import SetDocumentField
from editor.contacts.emails import validate_address
from editor.contrast import Legibility, contrast_ratio, legibility
from editor.i18n import _, ngettext
from editor.utm import campaign_slug
from widgets.inspector.editors import (
    ERROR_COLOR,
    Binding,
    BoolEditor,
    ChoiceEditor,
    ColorEditor,
    FieldEditor,
    FontEditor,
    IntEditor,
    LineEditor,
)
from widgets.inspector.form import contrast_text, link_problem, read_path
from widgets.session import EditSession

SUBJECT_PHONE = 60  # characters of a subject most phones show before cutting it
PREHEADER_MIN, PREHEADER_MAX = 40, 130  # the preview text inboxes show after the subject
# The theme ranges :meth:`editor.document.Theme.validate` accepts (a test checks they agree).
CONTENT_WIDTH = (320, 900)
FONT_SIZE = (12, 24)
RADIUS = (0, 50)

# A verdict worth a second look stands out (both over 4.5:1 on the window's light grey).
VERDICT_COLORS = {Legibility.POOR: ERROR_COLOR, Legibility.LARGE_ONLY: "#92400e"}

# Contrast pairs shown under the colours: key, foreground path, background path, large text.
CONTRASTS: tuple[tuple[str, str, str, bool], ...] = (
    ("text", "theme.text_color", "theme.content_background", False),
    ("headings", "theme.heading_color", "theme.content_background", True),
    ("links", "theme.link_color", "theme.content_background", False),
    ("button", "theme.button.color", "theme.button.background", False),
)


def address_problem(value: Any) -> str:
    """The core's reason an address cannot be used, "" when it can (or is empty)."""
    text = str(value).strip()
    if not text:
        return ""
    address, reason = validate_address(text)
    return "" if address else reason[:1].upper() + reason[1:]


def subject_hint(subject: str) -> str:
    count = len(subject)
    if not count:
        return _("Empty: many inboxes will show “(no subject)”.")
    length = ngettext("{count} character", "{count} characters", count).format(count=count)
    if count <= SUBJECT_PHONE:
        advice = _("shown in full on most phones")
    else:
        advice = _("phones cut it after about {limit}").format(limit=SUBJECT_PHONE)
    return _("{length} — {advice}").format(length=length, advice=advice)


def preheader_hint(preheader: str) -> str:
    count = len(preheader)
    if not count:
        return _("Empty: inboxes will show the first words of the email instead.")
    length = ngettext("{count} character", "{count} characters", count).format(count=count)
    if count < PREHEADER_MIN:
        advice = _("short: inboxes fill the rest with the first words of the email")
    elif count <= PREHEADER_MAX:
        advice = _("a good length")
    else:
        advice = _("long: inboxes cut it after about {limit}").format(limit=PREHEADER_MAX)
    return _("{length} — {advice}").format(length=length, advice=advice)


class NewsletterPanel(QWidget):
    """Subject, preheader, sender, language and theme of the session's newsletter.

    Attributes:
        editors: the controls by document path ("subject", "theme.text_color"…).
        contrast: the contrast lines by pair ("text", "headings", "links", "button").
    """

    def __init__(self, session: EditSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.editors: dict[str, FieldEditor] = {}
        self.bindings: list[Binding] = []
        self.contrast: dict[str, QLabel] = {}
        self._samples: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)

        email = self._group(layout, _("Email"))
        self._add(email, "subject", LineEditor(_("Subject")), typed=True)
        self._add(
            email,
            "preheader",
            LineEditor(
                _("Preheader"),
                _("The line inboxes show after the subject. Aim for 40 to 130 characters."),
            ),
            typed=True,
        )
        languages = [("fr", "Français"), ("en", "English")]  # each in its own language
        self._add(
            email,
            "language",
            ChoiceEditor(
                _("Language of the newsletter"),
                languages,
                _("Used for the built-in wording: « Read more », the footer's sentences, dates."),
            ),
        )

        sender = self._group(layout, _("Sender"))
        self._add(sender, "sender.name", LineEditor(_("Name")), typed=True)
        self._add(
            sender, "sender.email", LineEditor(_("Address")), typed=True, check=address_problem
        )
        self._add(
            sender,
            "sender.reply_to",
            LineEditor(_("Reply-to address"), _("Replies go here; empty: to the sender's.")),
            typed=True,
            check=address_problem,
        )
        self._add(
            sender,
            "sender.unsubscribe_url",
            LineEditor(
                _("Unsubscribe page"),
                _("Empty: the unsubscribe link is an email to the reply-to address."),
            ),
            typed=True,
            check=link_problem,
        )
        self._add(
            sender,
            "sender.one_click_unsubscribe",
            BoolEditor(
                _("The page accepts one-click unsubscription"),
                _(
                    "Tick only if your page unsubscribes on a simple POST, without a click "
                    "(RFC 8058): mail apps then show their own Unsubscribe button."
                ),
            ),
        )

        tracking = self._group(layout, _("Link tracking for your analytics (UTM)"))
        self._add(
            tracking,
            "utm.enabled",
            BoolEditor(
                _("Add UTM parameters to links"),
                _(
                    "Your site's analytics then count the visits this newsletter brings. Only "
                    "links to web pages get them, never social profiles nor the unsubscribe "
                    "link; nothing tracks your readers."
                ),
            ),
        )
        self._add(tracking, "utm.source", LineEditor(_("Source (utm_source)")), typed=True)
        self._add(tracking, "utm.medium", LineEditor(_("Medium (utm_medium)")), typed=True)
        self._add(
            tracking,
            "utm.campaign",
            LineEditor(
                _("Campaign (utm_campaign)"),
                _("Empty: made from the subject."),
            ),
            typed=True,
        )

        colours = self._group(layout, _("Colours"))
        for path, caption in (
            ("theme.page_background", _("Page background")),
            ("theme.content_background", _("Content background")),
            ("theme.text_color", _("Text")),
            ("theme.heading_color", _("Headings")),
            ("theme.link_color", _("Links")),
        ):
            self._add(colours, path, ColorEditor(caption), typed=True)
        colours.addWidget(self._contrast_grid())

        text = self._group(layout, _("Text and layout"))
        self._add(text, "theme.body_font", FontEditor(_("Text font")))
        self._add(text, "theme.heading_font", FontEditor(_("Heading font")))
        self._add(
            text,
            "theme.font_size",
            IntEditor(_("Text size"), *FONT_SIZE, suffix=" px"),
            typed=True,
        )
        self._add(
            text,
            "theme.content_width",
            IntEditor(
                _("Content width"),
                *CONTENT_WIDTH,
                suffix=" px",
                tooltip=_("The width of the email on a computer; 600 px suits most inboxes."),
            ),
            typed=True,
        )

        buttons = self._group(layout, _("Buttons"))
        self._add(buttons, "theme.button.background", ColorEditor(_("Button colour")), typed=True)
        self._add(buttons, "theme.button.color", ColorEditor(_("Button text")), typed=True)
        self._add(
            buttons,
            "theme.button.radius",
            IntEditor(_("Rounded corners"), *RADIUS, suffix=" px"),
            typed=True,
        )
        layout.addStretch(1)
        self.refresh()

    def _group(self, layout: QVBoxLayout, title: str) -> QVBoxLayout:
        box = QGroupBox(title)
        box.setFlat(True)
        inner = QVBoxLayout(box)
        inner.setSpacing(8)
        layout.addWidget(box)
        return inner

    def _add(
        self,
        layout: QVBoxLayout,
        path: str,
        editor: FieldEditor,
        typed: bool = False,
        check: Callable[[Any], str | None] | None = None,
    ) -> None:
        editor.setObjectName(path)
        layout.addWidget(editor)
        self.editors[path] = editor
        self.bindings.append(
            Binding(
                self.session,
                editor,
                read=lambda: read_path(self.session.document, path),
                make=lambda value: SetDocumentField(path, value),
                merge_key=f"document.{path}" if typed else None,
                check=check,
            )
        )

    def _contrast_grid(self) -> QWidget:
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        grid.setContentsMargins(0, 4, 0, 0)
        grid.setHorizontalSpacing(8)
        captions = {
            "text": _("Text"),
            "headings": _("Headings"),
            "links": _("Links"),
            "button": _("Button"),
        }
        for row, (key, _fg, _bg, _large) in enumerate(CONTRASTS):
            sample = QLabel("Aa")
            sample.setAlignment(Qt.AlignmentFlag.AlignCenter)
            sample.setFixedSize(32, 22)
            sample.setAccessibleName(captions[key])
            line = QLabel()
            line.setAccessibleName(_("Contrast: {what}").format(what=captions[key]))
            line.setToolTip(
                _(
                    "WCAG contrast of this text on its background: at least 4.5:1 for body "
                    "text, 3:1 for large headings."
                )
            )
            line.setWordWrap(True)
            grid.addWidget(sample, row, 0)
            grid.addWidget(QLabel(captions[key]), row, 1)
            grid.addWidget(line, row, 2)
            self._samples[key] = sample
            self.contrast[key] = line
        grid.setColumnStretch(2, 1)
        return grid_widget

    def refresh(self) -> None:
        """Re-read every value (after an undo, or another panel's edit); never pushes."""
        for binding in self.bindings:
            binding.sync()
        doc = self.session.document
        self.editors["subject"].show_hint(subject_hint(doc.subject))
        self.editors["preheader"].show_hint(preheader_hint(doc.preheader))
        campaign = self.editors["utm.campaign"]
        assert isinstance(campaign, LineEditor)
        campaign.line.setPlaceholderText(campaign_slug(doc.subject))
        for name in ("utm.source", "utm.medium", "utm.campaign"):
            self.editors[name].setEnabled(doc.utm.enabled)
        for key, fg_path, bg_path, large in CONTRASTS:
            fg, bg = read_path(doc, fg_path), read_path(doc, bg_path)
            self._samples[key].setStyleSheet(
                f"color: {fg}; background: {bg}; border: 1px solid #9ca3af;"
                + (" font-weight: bold;" if large else "")
            )
            ratio = contrast_ratio(fg, bg)
            self.contrast[key].setText(contrast_text(ratio, large))
            colour = VERDICT_COLORS.get(legibility(ratio, large))
            self.contrast[key].setStyleSheet(f"color: {colour};" if colour else "")

    def focus_editor(self) -> bool:
        self.editors["subject"].focus_target().setFocus()
        return True
