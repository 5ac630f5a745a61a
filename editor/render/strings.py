"""Built-in wording that ends up inside the email, in the newsletter's own language.

This is not the UI language: an English-speaking user may write a French newsletter.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "fr": {
        "read_more": "Lire la suite",
        "unsubscribe": "Se désabonner",
        "unsubscribe_subject": "Désabonnement",
        "reason": "Vous recevez cet e-mail car vous êtes inscrit(e) à notre lettre d'information.",
        "no_posts": "Les derniers articles apparaîtront ici dès que le flux aura été récupéré.",
        "unsubscribe_text": "Pour ne plus recevoir nos e-mails",
        "image": "Image",
        "date_format": "{day} {month} {year}",
        "months": "janvier février mars avril mai juin juillet août septembre octobre novembre "
        "décembre",
    },
    "en": {
        "read_more": "Read more",
        "unsubscribe": "Unsubscribe",
        "unsubscribe_subject": "Unsubscribe",
        "reason": "You are receiving this email because you subscribed to our newsletter.",
        "no_posts": "The latest posts will appear here once the feed has been fetched.",
        "unsubscribe_text": "Unsubscribe from this newsletter",
        "image": "Image",
        "date_format": "{month} {day}, {year}",
        "months": "January February March April May June July August September October "
        "November December",
    },
}


def strings(language: str) -> dict[str, str]:
    return STRINGS.get(language, STRINGS["fr"])


def format_date(day: int, month: int, year: int, language: str) -> str:
    """« 3 mars 2026 » / "March 3, 2026", without depending on the system locale."""
    s = strings(language)
    name = s["months"].split()[month - 1]
    return s["date_format"].format(day=day, month=name, year=year)
