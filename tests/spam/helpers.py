"""Small builders for the spam-rule tests: messages as bytes, pages as text, starters."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from editor.package import BulletinFile
from editor.render.engine import Renderer
from editor.spam.sources import from_newsletter
from editor.spam.view import MessageView
from editor.starters import create

CLEAN_TEXT = (
    "Our autumn market opens on Saturday in the covered hall, with twenty local growers, "
    "bread from the bakery next door and a workshop on seed saving for children. "
) * 3
FOOTER = (
    "<p>Les Jardins du Coin, 12 rue des Lilas, 69003 Lyon. "
    '<a href="https://jardins.example/unsubscribe?t=1">Unsubscribe</a></p>'
)


def page(body: str, title: str = "Autumn market") -> str:
    """An HTML page with ``body`` inside, in the shape of a real newsletter."""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body>{body}</body></html>"
    )


def eml(
    body_html: str | None = None,
    *,
    subject: str = "Autumn market on Saturday",
    plain: str | None = "default",
    sender: str = "news@jardins.example",
    reply_to: str | None = None,
    headers: dict[str, str] | None = None,
    omit: tuple[str, ...] = (),
) -> bytes:
    """A message: HTML (``body_html`` in :func:`page`) and a matching text part by default."""
    msg = EmailMessage(policy=SMTP)
    values = {
        "From": f"Les Jardins <{sender}>",
        "To": "marie@example.org",
        "Subject": subject,
        "Date": format_datetime(__import__("datetime").datetime(2026, 10, 1, 9, 0)),
        "Message-ID": make_msgid(domain="jardins.example"),
        "List-Unsubscribe": "<https://jardins.example/unsubscribe?t=1>",
        "List-Id": "Les Jardins du Coin <news.jardins.example>",
    }
    if reply_to:
        values["Reply-To"] = reply_to
    values.update(headers or {})
    for name, value in values.items():
        if name not in omit:
            msg[name] = value
    html = page((body_html if body_html is not None else f"<p>{CLEAN_TEXT}</p>") + FOOTER)
    if plain == "default":
        plain = (
            f"{CLEAN_TEXT}\n\nLes Jardins du Coin, 12 rue des Lilas, 69003 Lyon.\n"
            "Unsubscribe: https://jardins.example/unsubscribe?t=1\n"
        )
    if plain is not None:
        msg.set_content(plain)
        msg.add_alternative(html, subtype="html")
    else:
        msg.set_content(html, subtype="html")
    return msg.as_bytes()


def starter(name: str = "association-en") -> BulletinFile:
    return create(name)


def starter_view(name: str = "association-en", smtp_host: str | None = None) -> MessageView:
    doc = starter(name)
    rendered = Renderer(doc.images).render(doc.newsletter)
    return from_newsletter(doc.newsletter, rendered, doc.images, smtp_host=smtp_host)
