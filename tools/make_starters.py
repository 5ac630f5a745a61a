"""Write the starter newsletters (``resources/starters/<name>.json``) and their images.

Each starter is built here from the document dataclasses, so every file has the current
format version, every field the renderer expects and consistent block ids; the JSON written is
``to_json`` plus a ``"starter"`` key with the one-line descriptions ``bulletin templates``
shows. Images come from ``tools/make_starter_images.py`` and are named after their SHA-256.

Copy is written with plain spaces and straight apostrophes; :func:`polish` then applies the
typography of each language (typographic apostrophes, and in French the non-breaking spaces
before « : ; ! ? », inside guillemets and between a number and its unit).

    uv run python tools/make_starters.py
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from make_starter_images import write_all

from editor import richtext
from editor.document import (
    Block,
    ButtonBlock,
    ButtonStyle,
    Column,
    ColumnsBlock,
    DividerBlock,
    FooterBlock,
    HeadingBlock,
    HtmlBlock,
    ImageBlock,
    Newsletter,
    PostsBlock,
    Sender,
    SocialBlock,
    SocialLink,
    SpacerBlock,
    TextBlock,
    Theme,
    to_json,
)

OUT = Path(__file__).resolve().parent.parent / "resources" / "starters"
NBSP = "\u00a0"


@dataclass(frozen=True)
class Starter:
    name: str
    description_fr: str
    description_en: str
    newsletter: Newsletter


# ------------------------------------------------------------------------------- typography

_MARKUP = re.compile(r"(<[^>]*>|{{.*?}})", re.S)
_UNITS = "h|min|am|pm|€|%|g|kg|cl|ml|cm|ans|kilos|litres|places"


def _units(text: str) -> str:
    """Keep a number with its unit, and the sides of a « × », on one line."""
    text = re.sub(r"(\d) (?=(?:" + _UNITS + r")(?!\w))", r"\1" + NBSP, text)
    return re.sub(r"(\d) × (?=\d)", r"\1" + NBSP + "×" + NBSP, text)


def _french(text: str) -> str:
    text = re.sub(r" ([:;!?»])", NBSP + r"\1", text)
    text = text.replace("« ", "«" + NBSP)
    text = _units(text)
    text = text.replace("n° ", "n°" + NBSP)
    return text


def polish(text: str, language: str) -> str:
    """Typographic apostrophes (and French spacing) in text, never inside tags or merge tags."""
    parts = _MARKUP.split(text)
    for i in range(0, len(parts), 2):
        part = parts[i].replace("'", "\u2019")
        parts[i] = _french(part) if language == "fr" else _units(part)
    return "".join(parts)


def finish(newsletter: Newsletter, name: str) -> Newsletter:
    """Polish the copy, clean the rich text like the composer would, give stable ids."""
    lang = newsletter.language
    newsletter.subject = polish(newsletter.subject, lang)
    newsletter.preheader = polish(newsletter.preheader, lang)
    for i, block in enumerate(newsletter.walk()):
        block.id = hashlib.sha256(f"{name}/{i}".encode()).hexdigest()[:12]
        for attr in ("text", "label", "alt", "company", "reason", "read_more_label"):
            if isinstance(getattr(block, attr, None), str):
                setattr(block, attr, polish(getattr(block, attr), lang))
        if isinstance(block, TextBlock):
            block.html = richtext.clean(polish(block.html, lang))
        elif isinstance(block, HtmlBlock):
            block.html = polish(block.html, lang)
    newsletter.validate()
    return newsletter


# ---------------------------------------------------------------------------------- helpers


def h1(text: str, align: str = "center") -> HeadingBlock:
    return HeadingBlock(text=text, level=1, align=align)  # type: ignore[arg-type]


def h2(text: str, align: str = "left") -> HeadingBlock:
    return HeadingBlock(text=text, level=2, align=align)  # type: ignore[arg-type]


def h3(text: str, align: str = "left") -> HeadingBlock:
    return HeadingBlock(text=text, level=3, align=align)  # type: ignore[arg-type]


def text(html: str, align: str = "left") -> TextBlock:
    return TextBlock(html=html, align=align)  # type: ignore[arg-type]


def columns(ratio: str, *cols: list[Block]) -> ColumnsBlock:
    return ColumnsBlock(columns=[Column(blocks=list(c)) for c in cols], ratio=ratio)


def social(*links: tuple[str, str], style: str = "color") -> SocialBlock:
    return SocialBlock(links=[SocialLink(n, u) for n, u in links], icon_style=style, size=32)


def box(background: str, body: str, color: str = "#ffffff", radius: int = 10) -> HtmlBlock:
    """A highlighted panel (promo code, practical details) as a raw-HTML block."""
    return HtmlBlock(
        html=(
            '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
            'border="0"><tr>'
            f'<td align="center" bgcolor="{background}" style="background-color:{background};'
            f"border-radius:{radius}px;padding:22px 20px 10px 20px;color:{color};"
            'text-align:center;">'
            f"{body}</td></tr></table>"
        )
    )


def small_print(html: str) -> HtmlBlock:
    return HtmlBlock(
        html=f'<p style="margin:0;font-size:13px;line-height:1.5;color:#6b7280;">{html}</p>'
    )


# ----------------------------------------------------------------------------- 1. bakery


BAKERY_THEME = Theme(
    content_width=600,
    page_background="#f4ece1",
    content_background="#fffdf8",
    body_font="Arial, Helvetica, sans-serif",
    heading_font="Georgia, 'Times New Roman', Times, serif",
    text_color="#3d2b1f",
    link_color="#a4521c",
    heading_color="#6b3a17",
    font_size=16,
    button=ButtonStyle(background="#a4521c", color="#ffffff", radius=24),
)


def monthly(lang: str, img: dict[str, str]) -> Newsletter:
    fr = lang == "fr"
    site = "https://boulangerie-martin.example"
    if fr:
        copy = {
            "subject": "Octobre au fournil : pain aux noix, tarte aux pommes et atelier enfants",
            "preheader": "Les nouveautés du mois, l'atelier du mercredi 22 octobre et nos "
            "horaires de la Toussaint.",
            "hero_alt": "Pain de campagne, croissants et baguettes sur le comptoir de la "
            "Boulangerie Martin",
            "title": "Octobre au fournil",
            "intro": '<p>Bonjour {{ first_name | default("à vous") }},</p>'
            "<p>Les journées raccourcissent, mais le four, lui, ne chôme pas. Ce mois-ci, "
            "Julien et son équipe ont sorti les noix, le miel de la Dombes et les premières "
            "reinettes du verger des Roux. Voici ce qui vous attend au comptoir.</p>",
            "news": "Les nouveautés du mois",
            "walnut_alt": "Pain aux noix et au miel posé sur une planche, entouré de noix, "
            "avec un pot de miel",
            "walnut_title": "Le pain aux noix et au miel",
            "walnut": "<p>Levain naturel, farine de seigle bio et noix de Grenoble : une mie "
            "moelleuse qui se garde quatre jours. Parfait avec un chèvre frais.</p>"
            "<p><strong>4,80 € les 500 g</strong></p>",
            "tart_alt": "Tarte aux pommes en rosace vue de dessus, à côté d'une pomme rouge et "
            "de bâtons de cannelle",
            "tart_title": "La tarte aux pommes du verger",
            "tart": "<p>Reinettes du verger des Roux, pâte feuilletée pur beurre et une pointe "
            "de cannelle. À la part, ou entière pour six personnes.</p>"
            "<p><strong>3,90 € la part · 21 € la tarte</strong></p>",
            "workshop": "L'atelier des petits mitrons",
            "workshop_text": "<p>Le <strong>mercredi 22 octobre, de 14 h 30 à 16 h 30</strong>, "
            "Julien ouvre le fournil aux enfants de 6 à 11 ans : pétrissage, façonnage et "
            "dégustation de leurs propres petits pains. Huit places seulement, goûter "
            "compris.</p>",
            "workshop_button": "Réserver une place (12 €)",
            "workshop_url": f"{site}/atelier",
            "blog": "Les dernières recettes du blog",
            "hours": "<p><strong>Horaires de la Toussaint :</strong> ouvert le samedi "
            "1er novembre de 7 h à 13 h, fermé le dimanche 2. Le reste du mois, nous vous "
            "accueillons du mardi au samedi de 7 h à 19 h 30 et le dimanche de 7 h à 13 h.</p>"
            "<p>Un pain spécial pour le week-end ? Répondez simplement à cet e-mail la veille, "
            "nous vous le mettrons de côté.</p>",
            "address": "27 rue Saint-Georges\n69005 Lyon",
            "reason": "Vous recevez cette lettre parce que vous avez demandé à recevoir nos "
            "nouvelles, en boutique ou sur boulangerie-martin.example.",
            "unsubscribe": f"{site}/desinscription?email={{{{ email }}}}",
        }
    else:
        copy = {
            "subject": "October at the bakery: walnut bread, apple tart and a kids' baking class",
            "preheader": "This month's new bakes, our kids' baking class on Wednesday "
            "22 October and our half-term opening hours.",
            "hero_alt": "A country loaf, croissants and baguettes on the counter at "
            "Boulangerie Martin",
            "title": "October at the bakery",
            "intro": '<p>Hello {{ first_name | default("there") }},</p>'
            "<p>The days are drawing in, but the oven hasn't had a day off. This month "
            "Julien and the team have brought out the walnuts, local wildflower honey and the "
            "first Cox apples from Hartley's orchard. Here's what's waiting for you on the "
            "counter.</p>",
            "news": "New this month",
            "walnut_alt": "A walnut and honey loaf on a bread board, with walnuts and a jar of "
            "honey",
            "walnut_title": "Walnut and honey loaf",
            "walnut": "<p>Natural sourdough, organic rye flour and plenty of walnuts: a soft, "
            "moist crumb that keeps for four days. Lovely with a fresh goat's cheese.</p>"
            "<p><strong>£4.20 a loaf</strong></p>",
            "tart_alt": "An apple tart with its slices arranged in a rosette, seen from above, "
            "next to a red apple and cinnamon sticks",
            "tart_title": "Orchard apple tart",
            "tart": "<p>Cox apples from Hartley's orchard, all-butter puff pastry and a hint of "
            "cinnamon. By the slice, or whole to serve six.</p>"
            "<p><strong>£3.50 a slice · £19 whole</strong></p>",
            "workshop": "Little bakers' workshop",
            "workshop_text": "<p>On <strong>Wednesday 22 October, 2.30–4.30 pm</strong>, "
            "Julien opens the bakehouse to children aged 6 to 11: kneading, shaping and, best "
            "of all, eating the rolls they've made. Only eight places, snack included.</p>",
            "workshop_button": "Book a place (£10)",
            "workshop_url": f"{site}/workshop",
            "blog": "Fresh from the blog",
            "hours": "<p><strong>Half-term hours:</strong> open as usual, plus Monday "
            "27 October from 7 am to 1 pm. The rest of the month we're open Tuesday to "
            "Saturday, 7 am–7.30 pm, and Sunday, 7 am–1 pm.</p>"
            "<p>Need a special loaf for the weekend? Just reply to this email the day before "
            "and we'll put one aside for you.</p>",
            "address": "27 Walcot Street\nBath BA1 5BG\nUnited Kingdom",
            "reason": "You're receiving this email because you asked for our news, in the shop "
            "or at boulangerie-martin.example.",
            "unsubscribe": f"{site}/unsubscribe?email={{{{ email }}}}",
        }
    return Newsletter(
        subject=copy["subject"],
        preheader=copy["preheader"],
        language=lang,
        sender=Sender(
            name="Boulangerie Martin",
            email="bonjour@boulangerie-martin.example",
            reply_to="contact@boulangerie-martin.example",
            unsubscribe_url=copy["unsubscribe"],
        ),
        theme=BAKERY_THEME,
        blocks=[
            ImageBlock(src=img["bakery-hero"], alt=copy["hero_alt"]),
            h1(copy["title"]),
            text(copy["intro"]),
            DividerBlock(color="#ead9c4", thickness=1, width_percent=100),
            h2(copy["news"]),
            columns(
                "50-50",
                [
                    ImageBlock(src=img["bakery-walnut"], alt=copy["walnut_alt"]),
                    h3(copy["walnut_title"]),
                    text(copy["walnut"]),
                ],
                [
                    ImageBlock(src=img["bakery-tart"], alt=copy["tart_alt"]),
                    h3(copy["tart_title"]),
                    text(copy["tart"]),
                ],
            ),
            DividerBlock(color="#ead9c4", thickness=1, width_percent=100),
            h2(copy["workshop"]),
            text(copy["workshop_text"]),
            ButtonBlock(label=copy["workshop_button"], url=copy["workshop_url"]),
            DividerBlock(color="#ead9c4", thickness=1, width_percent=100),
            h2(copy["blog"]),
            PostsBlock(feed_url=f"{site}/feed/", count=3),
            DividerBlock(color="#ead9c4", thickness=1, width_percent=100),
            text(copy["hours"]),
            social(
                ("facebook", "https://www.facebook.com/boulangeriemartin"),
                ("instagram", "https://www.instagram.com/boulangeriemartin"),
                ("website", site + "/"),
            ),
            FooterBlock(
                company="Boulangerie Martin", address=copy["address"], reason=copy["reason"]
            ),
        ],
    )


# ------------------------------------------------------------------------------- 2. shop


SHOP_THEME = Theme(
    content_width=600,
    page_background="#f9ecef",
    content_background="#ffffff",
    body_font="Helvetica, Arial, sans-serif",
    heading_font="'Trebuchet MS', 'Lucida Grande', Helvetica, Arial, sans-serif",
    text_color="#3a2a36",
    link_color="#b02a5b",
    heading_color="#3b1f3a",
    font_size=16,
    button=ButtonStyle(background="#b02a5b", color="#ffffff", radius=4),
)


def promo(lang: str, img: dict[str, str]) -> Newsletter:
    fr = lang == "fr"
    site = "https://maison-pivoine.example"
    if fr:
        copy = {
            "subject": "Nouvelle collection Terre & Lin : −20 % jusqu'à dimanche",
            "preheader": "Mugs en grès, bougies et plaids en lin lavé : avec le code PIVOINE20, "
            "profitez de −20 % jusqu'au dimanche 19 octobre à minuit.",
            "hero_alt": "Sacs Maison Pivoine, bouquet de pivoines, plaids pliés et bougie "
            "allumée : la nouvelle collection Terre & Lin",
            "title": "La collection Terre & Lin est arrivée",
            "intro": '<p>{{ first_name | default("Bonjour") }}, vous la découvrez en '
            "avant-première : des pièces tournées, coulées et tissées à la main dans de petits "
            "ateliers de la Drôme et des Flandres, pour des soirées d'automne tout en "
            "douceur.</p>",
            "offer": (
                '<p style="margin:0 0 6px 0;font-size:13px;letter-spacing:2px;'
                'text-transform:uppercase;color:#f5b8c9;">Offre réservée aux abonnés · '
                "jusqu'à dimanche minuit</p>"
                '<p style="margin:0 0 14px 0;font-size:30px;line-height:1.2;font-weight:bold;'
                'color:#ffffff;">−20 % sur toute la collection</p>'
                '<p style="margin:0 0 14px 0;"><span style="display:inline-block;'
                "border:2px dashed #e9b949;border-radius:6px;padding:8px 20px;font-size:24px;"
                'font-weight:bold;letter-spacing:3px;color:#ffffff;">PIVOINE20</span></p>'
                '<p style="margin:0 0 12px 0;font-size:14px;color:#f3e6ee;">Code à saisir dans '
                "votre panier en ligne, ou à montrer en caisse à la boutique.</p>"
            ),
            "favourites": "Nos coups de cœur",
            "products": [
                (
                    "shop-mug",
                    "Mug en grès émaillé vert sauge, encore fumant",
                    "Mug Argile",
                    "<p>Grès émaillé, tourné à Dieulefit, 35 cl.</p>"
                    "<p><strong>22,40 €</strong> au lieu de 28 €</p>",
                    "Voir le mug",
                    "mug-argile",
                ),
                (
                    "shop-candle",
                    "Bougie parfumée dans son pot en verre, allumée",
                    "Bougie Feu de bois",
                    "<p>Cire de colza, 45 h de combustion.</p>"
                    "<p><strong>19,20 €</strong> au lieu de 24 €</p>",
                    "Voir la bougie",
                    "bougie-feu-de-bois",
                ),
                (
                    "shop-plaid",
                    "Trois plaids en lin pliés, dans des tons de vert sauge",
                    "Plaid Sauge",
                    "<p>Lin lavé, 130 × 170 cm, tissé dans le Nord.</p>"
                    "<p><strong>71,20 €</strong> au lieu de 89 €</p>",
                    "Voir le plaid",
                    "plaid-sauge",
                ),
            ],
            "delivery": "<p><strong>Livraison offerte dès 60 €</strong> et retrait gratuit en "
            "boutique sous deux heures. Un doute ? Vous avez 30 jours pour changer d'avis.</p>",
            "cta": "Découvrir toute la collection",
            "collection": f"{site}/terre-et-lin",
            "legal": "Offre valable du lundi 13 octobre au dimanche 19 octobre à minuit, en ligne "
            "et en boutique, sur les articles de la collection Terre & Lin, dans la limite des "
            "stocks disponibles. Non cumulable avec d'autres remises.",
            "address": "41 rue de la Monnaie\n59800 Lille",
            "reason": "Vous recevez cet e-mail parce que vous avez un compte client sur "
            "maison-pivoine.example ou que vous avez demandé à recevoir nos offres en boutique.",
            "unsubscribe": f"{site}/preferences?email={{{{ email }}}}",
        }
    else:
        copy = {
            "subject": "New in: the Earth & Linen collection, 20% off until Sunday",
            "preheader": "Stoneware mugs, candles and washed-linen throws: use code PIVOINE20 "
            "for 20% off until midnight on Sunday 19 October.",
            "hero_alt": "Maison Pivoine shopping bags, a bunch of peonies, folded throws and a "
            "lit candle: the new Earth & Linen collection",
            "title": "The Earth & Linen collection is here",
            "intro": '<p>{{ first_name | default("Hello") }}, you\'re getting a first look: '
            "pieces thrown, poured and woven by hand in small workshops in Devon and the "
            "Scottish Borders, made for slow autumn evenings.</p>",
            "offer": (
                '<p style="margin:0 0 6px 0;font-size:13px;letter-spacing:2px;'
                'text-transform:uppercase;color:#f5b8c9;">Subscribers only · ends Sunday at '
                "midnight</p>"
                '<p style="margin:0 0 14px 0;font-size:30px;line-height:1.2;font-weight:bold;'
                'color:#ffffff;">20% off the whole collection</p>'
                '<p style="margin:0 0 14px 0;"><span style="display:inline-block;'
                "border:2px dashed #e9b949;border-radius:6px;padding:8px 20px;font-size:24px;"
                'font-weight:bold;letter-spacing:3px;color:#ffffff;">PIVOINE20</span></p>'
                '<p style="margin:0 0 12px 0;font-size:14px;color:#f3e6ee;">Enter the code at '
                "checkout online, or show this email at the till in our shop.</p>"
            ),
            "favourites": "Our favourites",
            "products": [
                (
                    "shop-mug",
                    "A steaming mug in sage-green glazed stoneware",
                    "Clay mug",
                    "<p>Glazed stoneware, 350 ml.</p><p><strong>£17.60</strong> (was £22)</p>",
                    "Shop mug",
                    "clay-mug",
                ),
                (
                    "shop-candle",
                    "A lit scented candle in a glass jar",
                    "Woodsmoke candle",
                    "<p>Rapeseed wax, 45-hour burn.</p><p><strong>£15.20</strong> (was £19)</p>",
                    "Shop candle",
                    "woodsmoke-candle",
                ),
                (
                    "shop-plaid",
                    "Three folded linen throws in shades of sage green",
                    "Sage throw",
                    "<p>Washed linen, 130 × 170 cm.</p><p><strong>£59.20</strong> (was £74)</p>",
                    "Shop throw",
                    "sage-throw",
                ),
            ],
            "delivery": "<p><strong>Free delivery on orders over £50</strong> and free click "
            "and collect within two hours. Changed your mind? You have 30 days to return "
            "anything.</p>",
            "cta": "Shop the whole collection",
            "collection": f"{site}/earth-and-linen",
            "legal": "Offer valid from Monday 13 October until midnight on Sunday 19 October, "
            "online and in store, on items from the Earth & Linen collection while stocks last. "
            "Cannot be combined with any other offer.",
            "address": "41 Gloucester Road\nBristol BS7 8AE\nUnited Kingdom",
            "reason": "You're receiving this email because you have a customer account at "
            "maison-pivoine.example or asked to hear about our offers in the shop.",
            "unsubscribe": f"{site}/preferences?email={{{{ email }}}}",
        }
    product_columns = []
    for image, alt, name, body, button, slug in copy["products"]:
        url = f"{site}/p/{slug}"
        product_columns.append(
            [
                # 170 px: the same size in the three columns (the middle one is wider).
                ImageBlock(src=img[image], alt=alt, width=170),
                h3(name, "center"),
                text(body, "center"),
                ButtonBlock(label=button, url=url, full_width=True),
            ]
        )
    return Newsletter(
        subject=copy["subject"],
        preheader=copy["preheader"],
        language=lang,
        sender=Sender(
            name="Maison Pivoine",
            email="bonjour@maison-pivoine.example",
            reply_to="service-client@maison-pivoine.example",
            unsubscribe_url=copy["unsubscribe"],
        ),
        theme=SHOP_THEME,
        blocks=[
            ImageBlock(src=img["shop-hero"], alt=copy["hero_alt"]),
            h1(copy["title"]),
            text(copy["intro"], "center"),
            SpacerBlock(height=8),
            box("#3b1f3a", copy["offer"]),
            SpacerBlock(height=12),
            h2(copy["favourites"], "center"),
            columns("33-33-33", *product_columns),
            SpacerBlock(height=8),
            text(copy["delivery"], "center"),
            ButtonBlock(label=copy["cta"], url=copy["collection"]),
            SpacerBlock(height=8),
            small_print(copy["legal"]),
            SpacerBlock(height=8),
            social(
                ("instagram", "https://www.instagram.com/maisonpivoine"),
                ("pinterest", "https://www.pinterest.com/maisonpivoine"),
                ("facebook", "https://www.facebook.com/maisonpivoine"),
            ),
            FooterBlock(company="Maison Pivoine", address=copy["address"], reason=copy["reason"]),
        ],
    )


# --------------------------------------------------------------------------- 3. bookshop


EVENT_THEME = Theme(
    content_width=600,
    page_background="#e6ebf1",
    content_background="#ffffff",
    body_font="Verdana, Geneva, sans-serif",
    heading_font="Georgia, 'Times New Roman', Times, serif",
    text_color="#26313f",
    link_color="#1e5a99",
    heading_color="#1e3a5f",
    font_size=15,
    button=ButtonStyle(background="#1e3a5f", color="#ffffff", radius=6),
)


def event(lang: str, img: dict[str, str]) -> Newsletter:
    fr = lang == "fr"
    label = 'style="color:#f2c14e;"'
    if fr:
        site = "https://librairie-encrier.example"
        company = "Librairie L'Encrier"
        copy = {
            "subject": "Invitation : soirée avec Hélène Vasseur, jeudi 13 novembre à 19 h",
            "preheader": "Lecture, rencontre et dédicace de « La Maison des marées » à la "
            "librairie. Entrée libre sur inscription, 40 places.",
            "hero_alt": "Illustration : piles de livres, guirlande lumineuse et calendrier "
            "ouvert au 13, pour la soirée du jeudi 13 novembre",
            "kicker": "Rencontre et dédicace",
            "title": "Une soirée avec Hélène Vasseur",
            "intro": '<p>{{ first_name | default("Chère lectrice, cher lecteur") }}, nous '
            "avons le plaisir de vous inviter à la librairie pour fêter la sortie de "
            "<em>La Maison des marées</em>, le nouveau roman d'Hélène Vasseur : une saga "
            "familiale sur la côte de Cancale, des années 1950 à nos jours. Elle en lira "
            "quelques pages, répondra à vos questions et dédicacera ses livres autour d'un "
            "verre de cidre.</p>",
            "details": (
                f"<p><strong {label}>Quand :</strong> jeudi 13 novembre, de 19 h à 21 h</p>"
                f"<p><strong {label}>Où :</strong> Librairie L'Encrier, 5 rue des Carmes, "
                "Rennes</p>"
                f"<p><strong {label}>Entrée :</strong> libre, sur inscription (40 places)</p>"
            ),
            "rsvp": "Je réserve ma place",
            "rsvp_url": f"{site}/rencontres/helene-vasseur",
            "programme": "Au programme",
            "agenda": "<ul>"
            "<li><strong>19 h</strong> — accueil et verre de cidre offert</li>"
            "<li><strong>19 h 30</strong> — lecture d'extraits et conversation avec l'autrice, "
            "animée par Louis, notre libraire</li>"
            "<li><strong>20 h 15</strong> — questions du public</li>"
            "<li><strong>20 h 30</strong> — séance de dédicaces</li>"
            "</ul>",
            "access": "Venir à la librairie",
            "venue_alt": "La devanture de la librairie L'Encrier, avec son store rayé jaune et "
            "ses vitrines éclairées pleines de livres",
            "directions": "<p><strong>Métro :</strong> ligne A, station République, puis "
            "3 minutes à pied.</p>"
            "<p><strong>Vélo :</strong> arceaux juste devant la librairie.</p>"
            "<p><strong>Accessibilité :</strong> la librairie est de plain-pied. Dites-nous si "
            "vous souhaitez qu'on vous réserve une place assise.</p>",
            "cannot": "<p>Vous ne pourrez pas venir ? Répondez simplement à cet e-mail : nous "
            "vous mettrons de côté un exemplaire dédicacé.</p>",
            "address": "5 rue des Carmes\n35000 Rennes",
            "reason": "Vous recevez cette invitation parce que vous suivez les rencontres de la "
            "librairie (inscription en caisse ou sur librairie-encrier.example).",
            "sender": "rencontres@librairie-encrier.example",
            "reply_to": "contact@librairie-encrier.example",
            "unsubscribe": f"{site}/lettre/desinscription?email={{{{ email }}}}",
        }
        handles = "librairie.encrier"
    else:
        site = "https://inkwell-books.example"
        company = "Inkwell Books"
        copy = {
            "subject": "You're invited: an evening with Nora Ellis, Thursday 13 November at 7 pm",
            "preheader": "A reading, conversation and book signing for The Tide House. Entry "
            "is free, but there are only 40 places, so book yours now.",
            "hero_alt": "Illustration: piles of books, fairy lights and a calendar open at the "
            "13th, for the evening of Thursday 13 November",
            "kicker": "Author talk and signing",
            "title": "An evening with Nora Ellis",
            "intro": '<p>{{ first_name | default("Dear reader") }}, we\'d love you to join us '
            "at the shop to celebrate the publication of <em>The Tide House</em>, Nora Ellis's "
            "new novel: a family saga set on the Northumberland coast from the 1950s to the "
            "present day. Nora will read a few pages, answer your questions and sign copies "
            "over a glass of local cider.</p>",
            "details": (
                f"<p><strong {label}>When:</strong> Thursday 13 November, 7–9 pm</p>"
                f"<p><strong {label}>Where:</strong> Inkwell Books, 42 Fossgate, York</p>"
                f"<p><strong {label}>Entry:</strong> free, booking required (40 places)</p>"
            ),
            "rsvp": "Book my place",
            "rsvp_url": f"{site}/events/nora-ellis",
            "programme": "The evening",
            "agenda": "<ul>"
            "<li><strong>7 pm</strong> — doors open, with a glass of cider on us</li>"
            "<li><strong>7.30 pm</strong> — reading and conversation with Nora, hosted by "
            "Tom, our bookseller</li>"
            "<li><strong>8.15 pm</strong> — questions from the audience</li>"
            "<li><strong>8.30 pm</strong> — book signing</li>"
            "</ul>",
            "access": "Getting here",
            "venue_alt": "The Inkwell Books shopfront, with its yellow-striped awning and lit "
            "windows full of books",
            "directions": "<p><strong>By bus:</strong> Merchantgate stop, then two minutes on "
            "foot.</p>"
            "<p><strong>By bike:</strong> racks right outside the shop.</p>"
            "<p><strong>Access:</strong> step-free entrance. Let us know if you'd like us to "
            "reserve you a seat.</p>",
            "cannot": "<p>Can't make it? Just reply to this email and we'll put a signed copy "
            "aside for you.</p>",
            "address": "42 Fossgate\nYork YO1 9TF\nUnited Kingdom",
            "reason": "You're receiving this invitation because you signed up for news of our "
            "author events, in the shop or at inkwell-books.example.",
            "sender": "events@inkwell-books.example",
            "reply_to": "hello@inkwell-books.example",
            "unsubscribe": f"{site}/newsletter/unsubscribe?email={{{{ email }}}}",
        }
        handles = "inkwellbooks"
    return Newsletter(
        subject=copy["subject"],
        preheader=copy["preheader"],
        language=lang,
        sender=Sender(
            name=company,
            email=copy["sender"],
            reply_to=copy["reply_to"],
            unsubscribe_url=copy["unsubscribe"],
        ),
        theme=EVENT_THEME,
        blocks=[
            ImageBlock(src=img["event-hero"], alt=copy["hero_alt"]),
            SpacerBlock(height=8),
            h3(copy["kicker"].upper(), "center"),
            h1(copy["title"]),
            text(copy["intro"]),
            box("#1e3a5f", copy["details"], radius=8),
            ButtonBlock(label=copy["rsvp"], url=copy["rsvp_url"]),
            DividerBlock(color="#d5dde8", thickness=1, width_percent=100),
            h2(copy["programme"]),
            text(copy["agenda"]),
            h2(copy["access"]),
            columns(
                "50-50",
                [ImageBlock(src=img["event-venue"], alt=copy["venue_alt"])],
                [text(copy["directions"])],
            ),
            text(copy["cannot"]),
            social(
                ("instagram", f"https://www.instagram.com/{handles}"),
                ("facebook", f"https://www.facebook.com/{handles}"),
                ("website", site + "/"),
            ),
            FooterBlock(company=company, address=copy["address"], reason=copy["reason"]),
        ],
    )


# ------------------------------------------------------------------------ 4. association


GARDEN_THEME = Theme(
    content_width=600,
    page_background="#edf4ea",
    content_background="#ffffff",
    body_font="Arial, Helvetica, sans-serif",
    heading_font="'Trebuchet MS', Verdana, Arial, sans-serif",
    text_color="#27352a",
    link_color="#2e6b33",
    heading_color="#2f5d34",
    font_size=16,
    button=ButtonStyle(background="#2f7036", color="#ffffff", radius=30),
)


def association(lang: str, img: dict[str, str]) -> Newsletter:
    fr = lang == "fr"
    if fr:
        site = "https://graines-de-quartier.example"
        company = "Graines de quartier"
        copy = {
            "subject": "La lettre d'automne de Graines de quartier : récoltes, compost et fête "
            "des semences",
            "preheader": "Le mot de la présidente, des nouvelles du jardin, les dates à retenir "
            "d'ici décembre et un appel aux bonnes volontés.",
            "hero_alt": "Illustration : quatre jardinières et jardiniers de l'association "
            "derrière un bac potager, entre les tomates et les tournesols",
            "title": "La lettre d'automne",
            "issue": f"<p>Jardin partagé de la rue Pasteur{NBSP}·{NBSP}lettre{NBSP}n° 14</p>",
            "word": "Le mot de la présidente",
            "portrait": "Portrait illustré de Camille Moreau, présidente de l'association",
            "president": '<p>Bonjour {{ first_name | default("à toutes et à tous") }},</p>'
            "<p>Quelle saison ! Grâce aux 42 jardinières et jardiniers qui se relaient chaque "
            "semaine, les bacs de la rue Pasteur ont donné plus de 300 kilos de légumes, dont un "
            "tiers offert à l'épicerie solidaire du quartier. Merci à chacune et à chacun.</p>"
            "<p>Cet automne, nous préparons la terre pour le printemps. Nous avons besoin de "
            "bras… et de quelques euros pour remplacer la cuve de récupération d'eau de pluie, "
            "fendue par le gel l'hiver dernier.</p>"
            "<p><em>Camille Moreau, présidente</em></p>",
            "news": "Des nouvelles du jardin",
            "compost_alt": "Deux bacs à compost en bois remplis de feuilles mortes, une fourche "
            "appuyée contre eux",
            "compost_title": "Un deuxième composteur collectif",
            "compost": "<p>Le premier débordait : la métropole nous a livré un second bac de "
            "600 litres. Épluchures, marc de café et feuilles mortes sont les bienvenus ; la "
            "liste de ce qui se composte est affichée sur le portail.</p>",
            "basket_alt": "Panier en osier rempli de tomates, d'une salade, de carottes et d'une "
            "courge",
            "basket_title": "Les paniers solidaires continuent",
            "basket": "<p>Chaque samedi matin, le surplus de la récolte part à l'épicerie "
            "solidaire. Il nous manque deux personnes pour la livraison en vélo-cargo, de 11 h "
            "à midi.</p>",
            "dates": "À vos agendas",
            "agenda": "<ul>"
            "<li><strong>Samedi 18 octobre, 10 h</strong> — grand nettoyage d'automne et "
            "paillage des bacs</li>"
            "<li><strong>Samedi 8 novembre, 14 h</strong> — fête des semences : troc de graines "
            "et soupe partagée</li>"
            "<li><strong>Mardi 25 novembre, 19 h</strong> — assemblée générale à la maison de "
            "quartier, suivie d'un pot</li>"
            "<li><strong>Samedi 6 décembre, 10 h</strong> — atelier nichoirs à mésanges, dès "
            "7 ans</li>"
            "</ul>",
            "help": "Donnez un coup de main",
            "help_text": "<p>Une heure par mois suffit : arrosage pendant les vacances, accueil "
            "des classes de l'école Jean-Zay, tenue du stand au marché du dimanche. Vous "
            "préférez nous soutenir autrement ? Chaque don compte : la nouvelle cuve coûte "
            "480 €, et il nous manque encore 210 €.</p>",
            "volunteer": "Je deviens bénévole",
            "volunteer_url": f"{site}/benevolat",
            "donate": "Je fais un don",
            "donate_url": f"{site}/don",
            "address": "Maison de quartier Pasteur\n3 rue Pasteur\n44000 Nantes",
            "reason": "Vous recevez cette lettre parce que vous avez adhéré à l'association ou "
            "nous avez laissé votre adresse lors d'une fête du jardin.",
            "sender": "lettre@graines-de-quartier.example",
            "reply_to": "contact@graines-de-quartier.example",
        }
        handles = "grainesdequartier"
    else:
        site = "https://commonground-garden.example"
        company = "Common Ground Community Garden"
        copy = {
            "subject": "Common Ground autumn newsletter: harvest, compost and our seed swap",
            "preheader": "A word from our chair, news from the garden, dates for your diary "
            "until December and a call for helping hands.",
            "hero_alt": "Illustration: four of our gardeners behind a raised bed, between the "
            "tomatoes and the sunflowers",
            "title": "Autumn newsletter",
            "issue": f"<p>Mill Lane community garden{NBSP}·{NBSP}Issue{NBSP}14</p>",
            "word": "A word from our chair",
            "portrait": "Illustrated portrait of Susan Clarke, chair of the garden",
            "president": '<p>Hello {{ first_name | default("everyone") }},</p>'
            "<p>What a season! Thanks to the 42 gardeners who take turns every week, the Mill "
            "Lane beds have produced more than 300 kilos of vegetables, a third of which went "
            "to the local food bank. Thank you, every one of you.</p>"
            "<p>This autumn we're getting the soil ready for spring. We need more hands… and a "
            "little money to replace the rainwater tank that split in last winter's frost.</p>"
            "<p><em>Susan Clarke, Chair</em></p>",
            "news": "News from the garden",
            "compost_alt": "Two wooden compost bins full of fallen leaves, with a garden fork "
            "leaning against them",
            "compost_title": "A second community compost bin",
            "compost": "<p>The first one was overflowing, so the council has delivered a second "
            "600-litre bin. Peelings, coffee grounds and fallen leaves are all welcome; the "
            "list of what can go in is on the gate.</p>",
            "basket_alt": "A wicker basket full of tomatoes, a lettuce, carrots and a pumpkin",
            "basket_title": "Harvest boxes carry on",
            "basket": "<p>Every Saturday morning, the surplus from the beds goes to the food "
            "bank. We're short of two people to deliver it by cargo bike, from 11 am to "
            "noon.</p>",
            "dates": "Dates for your diary",
            "agenda": "<ul>"
            "<li><strong>Saturday 18 October, 10 am</strong> — autumn clear-up and mulching "
            "the beds</li>"
            "<li><strong>Saturday 8 November, 2 pm</strong> — seed swap and shared soup</li>"
            "<li><strong>Tuesday 25 November, 7 pm</strong> — AGM at the community centre, "
            "followed by drinks</li>"
            "<li><strong>Saturday 6 December, 10 am</strong> — bird-box workshop, ages 7 and "
            "up</li>"
            "</ul>",
            "help": "Lend a hand",
            "help_text": "<p>An hour a month is enough: watering during the holidays, welcoming "
            "classes from Mill Lane Primary, or helping on our stall at the Sunday market. "
            "Rather support us another way? Every donation counts: the new tank costs £420 "
            "and we still need £180.</p>",
            "volunteer": "Volunteer with us",
            "volunteer_url": f"{site}/volunteer",
            "donate": "Make a donation",
            "donate_url": f"{site}/donate",
            "address": "Eastfield Community Centre\n12 Mill Lane\nSheffield S2 4PQ\nUnited Kingdom",
            "reason": "You're receiving this newsletter because you're a member of the garden "
            "or left us your email address at one of our open days.",
            "sender": "news@commonground-garden.example",
            "reply_to": "hello@commonground-garden.example",
        }
        handles = "commongroundgarden"
    return Newsletter(
        subject=copy["subject"],
        preheader=copy["preheader"],
        language=lang,
        # No unsubscribe page: the link is a mailto to the reply-to address.
        sender=Sender(name=company, email=copy["sender"], reply_to=copy["reply_to"]),
        theme=GARDEN_THEME,
        blocks=[
            ImageBlock(src=img["assoc-hero"], alt=copy["hero_alt"]),
            h1(copy["title"]),
            text(copy["issue"], "center"),
            DividerBlock(color="#d7e6d2", thickness=1, width_percent=100),
            h2(copy["word"]),
            columns(
                "25-75",
                [ImageBlock(src=img["assoc-president"], alt=copy["portrait"], width=120)],
                [text(copy["president"])],
            ),
            DividerBlock(color="#d7e6d2", thickness=1, width_percent=100),
            h2(copy["news"]),
            columns(
                "50-50",
                [
                    ImageBlock(src=img["assoc-compost"], alt=copy["compost_alt"]),
                    h3(copy["compost_title"]),
                    text(copy["compost"]),
                ],
                [
                    ImageBlock(src=img["assoc-basket"], alt=copy["basket_alt"]),
                    h3(copy["basket_title"]),
                    text(copy["basket"]),
                ],
            ),
            DividerBlock(color="#d7e6d2", thickness=1, width_percent=100),
            h2(copy["dates"]),
            text(copy["agenda"]),
            DividerBlock(color="#d7e6d2", thickness=1, width_percent=100),
            h2(copy["help"]),
            text(copy["help_text"]),
            columns(
                "50-50",
                [ButtonBlock(label=copy["volunteer"], url=copy["volunteer_url"], full_width=True)],
                [
                    ButtonBlock(
                        label=copy["donate"],
                        url=copy["donate_url"],
                        background="#b4532a",
                        full_width=True,
                    )
                ],
            ),
            social(
                ("facebook", f"https://www.facebook.com/{handles}"),
                ("instagram", f"https://www.instagram.com/{handles}"),
                ("email", copy["reply_to"]),
            ),
            FooterBlock(company=company, address=copy["address"], reason=copy["reason"]),
        ],
    )


# ---------------------------------------------------------------------------------- writing

THEMES: dict[str, tuple[Callable[[str, dict[str, str]], Newsletter], str, str]] = {
    "monthly": (
        monthly,
        "Lettre mensuelle d'un commerce de proximité : nouveautés, atelier, articles du blog",
        "Monthly news from a local business: new products, a workshop, latest blog posts",
    ),
    "promo": (
        promo,
        "Lancement d'une collection : code promo, trois produits, date limite",
        "Product launch: promo code, three-product grid, deadline",
    ),
    "event": (
        event,
        "Invitation à un événement : date et lieu, programme, inscription, accès",
        "Event invitation: date and place, programme, RSVP button, directions",
    ),
    "association": (
        association,
        "Lettre d'association : mot du président, nouvelles, agenda, bénévoles et dons",
        "Association newsletter: word from the chair, news, dates, volunteers and donations",
    ),
}


def build(images: dict[str, str]) -> list[Starter]:
    out = []
    for theme, (make, desc_fr, desc_en) in THEMES.items():
        for lang, suffix_fr, suffix_en in (
            ("fr", "(en français)", "(in French)"),
            ("en", "(en anglais)", "(in English)"),
        ):
            name = f"{theme}-{lang}"
            doc = finish(make(lang, images), name)
            out.append(
                Starter(
                    name,
                    polish(f"{desc_fr} {suffix_fr}", "fr"),
                    polish(f"{desc_en} {suffix_en}", "en"),
                    doc,
                )
            )
    return out


def main() -> None:
    images = write_all()
    for starter in build(images):
        data = {
            "starter": {
                "description_fr": starter.description_fr,
                "description_en": starter.description_en,
            },
            **to_json(starter.newsletter),
        }
        path = OUT / f"{starter.name}.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(path.relative_to(OUT.parent.parent))


if __name__ == "__main__":
    main()
