"""Run every rule over a message and build the :class:`~editor.spam.model.SpamReport`.

Entry points: :func:`check_newsletter` (the composer: a newsletter and the ``Rendered`` it
already has, so nothing is rendered twice), :func:`check_eml`, :func:`check_html` and
:func:`check_file` (the CLI: ``.bulletin``, ``.html`` or ``.eml``). Every problem with the input
becomes a :class:`CheckError` with a sentence for the user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from editor.document import DocumentError, Newsletter
from editor.i18n import _
from editor.render.engine import Rendered, Renderer
from editor.spam.model import ScoredFinding, SpamReport
from editor.spam.registry import all_rules
from editor.spam.score import score_of, sort_by_impact
from editor.spam.sources import from_eml, from_html, from_newsletter
from editor.spam.view import MessageView

MAX_INPUT_BYTES = 64 * 1024 * 1024


class CheckError(ValueError):
    """Input that cannot be checked (unreadable, not a message, too large); the text says why."""


def check_view(view: MessageView, extra: list[ScoredFinding] | None = None) -> SpamReport:
    """Every rule over ``view``, plus ``extra`` findings (DNS checks), scored and sorted."""
    found: list[ScoredFinding] = []
    for rule in all_rules():
        found.extend(rule.check(view))
    found.extend(extra or [])
    points = round(sum(f.points for f in found), 3)
    return SpamReport(
        score=score_of(points),
        points=points,
        findings=sort_by_impact(found),
        html_bytes=view.html_bytes,
    )


def check_newsletter(
    newsletter: Newsletter,
    rendered: Rendered | None = None,
    *,
    images: Mapping[str, bytes] | None = None,
    smtp_host: str | None = None,
) -> SpamReport:
    """Check a newsletter as it would be sent; ``rendered`` is the composer's own render of it
    (rendered here when None), ``smtp_host`` the sending account's server when known (for
    the free-mail rule). ``images`` gives the embedded images' sizes."""
    if rendered is None:
        rendered = Renderer(images).render(newsletter)
    return check_view(from_newsletter(newsletter, rendered, images, smtp_host=smtp_host))


def check_eml(raw: bytes) -> SpamReport:
    """Check a whole message (``.eml`` bytes, any MIME structure and charset)."""
    return check_view(eml_view(raw))


def check_html(html: str) -> SpamReport:
    """Check an HTML page (the rules needing headers or a text part stay silent)."""
    return check_view(from_html(html))


def eml_view(raw: bytes) -> MessageView:
    if not raw.strip() or b"\0" in raw[:4096] or b":" not in raw[:4096]:
        raise CheckError(_("This is not an email message (no headers)."))
    return from_eml(raw)


@dataclass
class Loaded:
    """A file ready to check: its view, and the message a real filter would be given."""

    view: MessageView
    message: bytes
    sender_domain: str


def load(path: Path) -> Loaded:
    """Read ``path`` (``.bulletin``, ``.html``/``.htm`` or ``.eml``; the content decides when
    the extension says nothing) into a view; :class:`CheckError` when it cannot be read."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_INPUT_BYTES + 1)
    except IsADirectoryError as exc:
        raise CheckError(_("{path} is a folder.").format(path=path)) from exc
    except FileNotFoundError as exc:
        raise CheckError(_("{path} does not exist.").format(path=path)) from exc
    except OSError as exc:
        raise CheckError(
            _("{path} cannot be read: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    if len(raw) > MAX_INPUT_BYTES:
        raise CheckError(
            _("{path} is too large to check (over {mb} MB).").format(
                path=path, mb=MAX_INPUT_BYTES // (1024 * 1024)
            )
        )
    suffix = path.suffix.lower()
    try:
        if suffix == ".bulletin" or (suffix not in (".html", ".htm", ".eml") and raw[:2] == b"PK"):
            return _load_bulletin(path)
        if suffix in (".html", ".htm") or (suffix != ".eml" and raw.lstrip()[:1] == b"<"):
            html = _decode_html(raw)
            return Loaded(from_html(html), _html_message(html), "")
        view = eml_view(raw)
        return Loaded(view, raw, view.sender_domain)
    except (MemoryError, RecursionError) as exc:
        raise CheckError(
            _("{path} is too large or too deeply nested to check.").format(path=path)
        ) from exc


def check_file(path: Path | str) -> SpamReport:
    """Check a ``.bulletin``, ``.html`` or ``.eml`` file."""
    return check_view(load(Path(path)).view)


# ------------------------------------------------------------------------------------ helpers


def _load_bulletin(path: Path) -> Loaded:
    from editor.feeds import FeedCache
    from editor.package import load as load_package
    from editor.render.context import unsubscribe_mailto_template
    from editor.render.mime import MessageError, build_message

    try:
        doc = load_package(path)
        rendered = Renderer(doc.images, FeedCache()).render(doc.newsletter)
    except DocumentError as exc:
        raise CheckError(str(exc)) from exc
    view = from_newsletter(doc.newsletter, rendered, doc.images)
    sender = doc.newsletter.sender
    try:
        message = build_message(
            rendered,
            sender_name=sender.name,
            sender_email=sender.email or "sender@bulletin.invalid",
            reply_to=sender.reply_to,
            images=doc.images,
            unsubscribe_mailto=unsubscribe_mailto_template(doc.newsletter),
            one_click=sender.one_click_unsubscribe,
        ).as_bytes()
    except (MessageError, KeyError, OSError):
        message = _html_message(rendered.html_for(None, preview=True))
    return Loaded(view, message, view.sender_domain)


def _decode_html(raw: bytes) -> str:
    """HTML bytes as text: UTF-8 (BOM or not), else the declared charset, else Windows-1252."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    import re

    m = re.search(rb"""charset=["']?([A-Za-z0-9_.:-]{1,40})""", raw[:4096])
    if m:
        try:
            return raw.decode(m.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return raw.decode("cp1252", errors="replace")


def _html_message(html: str) -> bytes:
    """A minimal message around an HTML page, for spamd (which checks whole messages)."""
    msg = EmailMessage()
    msg["Subject"] = ""
    msg.set_content(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg.as_bytes()
