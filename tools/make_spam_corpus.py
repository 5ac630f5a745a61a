"""Write the validation corpus ``tests/data/spam_corpus/*.eml``: newsletters from clean to spammy.

The spam rules (``editor.spam``) are validated against two real filters, SpamAssassin and
rspamd, on these messages (``tools/score_corpus.py`` scores them, ``tests/spam/
test_corpus_agreement.py`` compares). They are written as a small business, an association or a
scammer would send them, in French and English: clean letters (eight of them rendered from
Bulletin's own starters, as ``bulletin render --eml`` does), mild promotions, pushy marketing,
image-only mailings, URL shorteners, bare-IP and mismatched links, phishing, lottery, pharmacy
and crypto spam, a missing unsubscribe link or text part, HTML over Gmail's 102 KB clipping and
free-mail senders — in several charsets and transfer encodings.

Everything is fixed (Date, Message-ID, boundaries, order), so running this again writes the
same bytes and the stored filter scores stay true. File names start with the language.

    uv run python tools/make_spam_corpus.py
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

OUT = ROOT / "tests" / "data" / "spam_corpus"
BASE_DATE = datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
TO = Address("Claire Dupont", addr_spec="claire.dupont@example.org")

# A 1x1 PNG (for cid: images; the filters look at the HTML, not at the pixels).
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)

Block = tuple[str, ...]


@dataclass
class Mail:
    """One message of the corpus: headers, content blocks and how they are encoded.

    Blocks: ``("h", text)``, ``("p", text)`` where ``[label](url)`` is a link, ``("btn", label,
    url)``, ``("img", src, alt)`` (``cid:name`` attaches a pixel), ``("big", text)`` (huge red
    text), ``("raw", html, text)``. ``footer`` is the sender's identity and postal address;
    ``unsubscribe``: the unsubscribe page, put in the footer and in List-Unsubscribe.
    """

    name: str
    sender: str
    sender_name: str
    subject: str
    blocks: list[Block]
    footer: str = ""
    unsubscribe: str = ""
    text_part: bool = True
    html_part: bool = True
    charset: str = "utf-8"
    cte: str = "quoted-printable"
    extra_headers: dict[str, str] = field(default_factory=dict)
    preheader: str = ""
    dated: bool = True  # False: no Date header, as some bulk scripts send
    mid: str | None = ""  # "" a tool-like Message-ID, None none, else this exact value
    to: str = ""  # the To header as written ("" the corpus' usual recipient)
    from_header: str = ""  # the From header as written ("" built from sender and sender_name)


# ----------------------------------------------------------------------------- rendering

LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")


def _inline_html(text: str) -> str:
    out, last = [], 0
    for m in LINK.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f'<a href="{escape(m.group(2))}" style="color:#1a5fb4">{escape(m.group(1))}</a>')
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out).replace("\n", "<br>\n")


def _inline_text(text: str) -> str:
    return LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)


def html_of(mail: Mail) -> str:
    """A plain table-based newsletter page, as small senders' tools produce."""
    rows: list[str] = []
    for block in mail.blocks:
        kind = block[0]
        if kind == "h":
            rows.append(f'<h2 style="font-family:Georgia,serif;color:#222">{escape(block[1])}</h2>')
        elif kind == "p":
            rows.append(f'<p style="font-size:16px;line-height:1.5">{_inline_html(block[1])}</p>')
        elif kind == "big":
            rows.append(
                '<p style="font-size:42px;color:#ff0000;font-weight:bold">'
                f"{_inline_html(block[1])}</p>"
            )
        elif kind == "btn":
            rows.append(
                f'<p><a href="{escape(block[2])}" style="background:#e01b24;color:#ffffff;'
                'padding:12px 24px;text-decoration:none;border-radius:4px">'
                f"{escape(block[1])}</a></p>"
            )
        elif kind == "img":
            rows.append(
                f'<p><img src="{escape(block[1])}" alt="{escape(block[2])}" width="560" '
                'style="display:block;max-width:100%"></p>'
            )
        elif kind == "raw":
            rows.append(block[1])
        else:
            raise ValueError(kind)
    if mail.footer or mail.unsubscribe:
        foot = escape(mail.footer).replace("\n", "<br>")
        if mail.unsubscribe:
            label = "Se désabonner" if mail.name.startswith("fr-") else "Unsubscribe"
            foot += f'<br><a href="{escape(mail.unsubscribe)}" style="color:#666">{label}</a>'
        rows.append(f'<p style="font-size:12px;color:#666">{foot}</p>')
    pre = ""
    if mail.preheader:
        pre = (
            f'<div style="display:none;max-height:0;overflow:hidden">{escape(mail.preheader)}</div>'
        )
    body = "\n".join(f"<tr><td>{row}</td></tr>" for row in rows)
    lang = mail.name[:2]
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="{mail.charset}">'
        f"<title>{escape(mail.subject)}</title></head>\n"
        f'<body style="margin:0;background:#f4f4f4">{pre}\n'
        '<table role="presentation" width="600" align="center" style="background:#ffffff;'
        f'font-family:Arial,sans-serif;padding:20px">\n{body}\n</table>\n</body></html>\n'
    )


def text_of(mail: Mail) -> str:
    """The plain-text alternative, from the same blocks."""
    parts: list[str] = []
    for block in mail.blocks:
        kind = block[0]
        if kind in ("h", "p", "big"):
            parts.append(_inline_text(block[1]))
        elif kind == "btn":
            parts.append(f"{block[1]} : {block[2]}")
        elif kind == "img":
            parts.append(f"[{block[2]}]" if block[2] else "")
        elif kind == "raw":
            parts.append(block[2])
    if mail.footer:
        parts.append("--\n" + mail.footer)
    if mail.unsubscribe:
        label = "Se désabonner" if mail.name.startswith("fr-") else "Unsubscribe"
        parts.append(f"{label} : {mail.unsubscribe}")
    return "\n\n".join(p for p in parts if p) + "\n"


def _domain(address: str) -> str:
    return address.rpartition("@")[2]


def message_id(name: str, index: int, domain: str) -> str:
    """A fixed id shaped like a mailing tool's (date and hash; never the From address in it)."""
    when = (BASE_DATE + timedelta(hours=index)).strftime("%Y%m%d%H%M%S")
    return f"<{when}.{hashlib.sha256(name.encode()).hexdigest()[:16]}@{domain}>"


def message_of(mail: Mail, index: int) -> EmailMessage:
    msg = EmailMessage(policy=SMTP)
    if mail.from_header:
        msg["From"] = mail.from_header
    else:
        msg["From"] = Address(mail.sender_name, addr_spec=mail.sender)
    msg["To"] = mail.to or TO
    msg["Subject"] = mail.subject
    if mail.dated:
        msg["Date"] = format_datetime(BASE_DATE + timedelta(hours=index))
    if mail.mid == "":
        msg["Message-ID"] = message_id(mail.name, index, _domain(mail.sender))
    elif mail.mid is not None:
        msg["Message-ID"] = mail.mid
    if mail.unsubscribe:
        msg["List-Unsubscribe"] = f"<{mail.unsubscribe}>"
    for key, value in mail.extra_headers.items():
        msg[key] = value
    cs, cte = mail.charset, mail.cte
    text, html = _fit(text_of(mail), cs), _fit(html_of(mail), cs)
    html_holder: EmailMessage | None
    if mail.text_part and mail.html_part:
        msg.set_content(text, subtype="plain", charset=cs, cte=cte)
        msg.add_alternative(html, subtype="html", charset=cs, cte=cte)
        second = msg.get_payload()[1]  # type: ignore[index]
        assert isinstance(second, EmailMessage)
        html_holder = second
    elif mail.html_part:
        msg.set_content(html, subtype="html", charset=cs, cte=cte)
        html_holder = msg
    else:
        msg.set_content(text, subtype="plain", charset=cs, cte=cte)
        html_holder = None
    if html_holder is not None:
        for n, cid in enumerate(_cids(mail)):
            html_holder.add_related(
                PIXEL,
                maintype="image",
                subtype="png",
                cid=f"<{cid}>",
                filename=f"image{n + 1}.png",
                disposition="inline",
            )
    _fix_boundaries(msg, index)
    return msg


# What an ISO-8859 mailer writes for the typography its charset lacks.
_ASCII = str.maketrans({"—": "-", "–": "-", "•": "-", "’": "'", "…": "...", "œ": "oe", "€": "EUR"})


def _fit(text: str, charset: str) -> str:
    """``text`` in what ``charset`` can carry (ISO-8859-15 has « œ », ISO-8859-1 does not)."""
    if charset == "utf-8":
        return text
    table = dict(_ASCII)
    if charset == "iso-8859-15":
        del table[ord("œ")], table[ord("€")]
    fitted = text.translate(table)
    fitted.encode(charset)  # strict: a character left over is a mistake in the corpus
    return fitted


def _cids(mail: Mail) -> list[str]:
    return [b[1][4:] for b in mail.blocks if b[0] == "img" and b[1].startswith("cid:")]


def _fix_boundaries(msg: EmailMessage, index: int) -> None:
    """Replace the random MIME boundaries with fixed ones, so the output is stable."""
    for n, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"=_corpus_{index:03d}_{n}")


# ----------------------------------------------------------------------------- the starters

STARTERS = [
    "association-en",
    "association-fr",
    "event-en",
    "event-fr",
    "monthly-en",
    "monthly-fr",
    "promo-en",
    "promo-fr",
]


def starter_message(name: str, index: int) -> EmailMessage:
    """A starter rendered and assembled as ``bulletin render --eml`` does (sample contact)."""
    from editor.feeds import FeedCache
    from editor.merge import sample_values
    from editor.render.context import unsubscribe_mailto_template
    from editor.render.engine import Renderer
    from editor.render.mime import build_message
    from editor.starters import create

    doc = create(name)
    for n, block in enumerate(doc.newsletter.walk()):  # stable ids (create() draws new ones)
        block.id = hashlib.sha256(f"{name}/{n}".encode()).hexdigest()[:12]
    with tempfile.TemporaryDirectory() as cache:  # no feed was ever fetched: offline render
        rendered = Renderer(doc.images, FeedCache(Path(cache))).render(doc.newsletter)
    values = sample_values(rendered.tags.names() - {"unsubscribe_url"})
    sender = doc.newsletter.sender
    domain = _domain(sender.email)
    msg = build_message(
        rendered,
        sender_name=sender.name,
        sender_email=sender.email,
        reply_to=sender.reply_to,
        images=doc.images,
        contact=values,
        message_id=message_id(f"starter-{name}", index, domain),
        unsubscribe_mailto=unsubscribe_mailto_template(doc.newsletter),
        one_click=sender.one_click_unsubscribe,
    )
    msg.replace_header("Date", format_datetime(BASE_DATE + timedelta(hours=index)))
    _fix_boundaries(msg, index)
    return msg


# ----------------------------------------------------------------------------- the messages


def _catalogue(lang: str, rows: int) -> list[Block]:
    """Many product rows, to push the HTML past Gmail's 102 KB clipping."""
    out: list[Block] = []
    for n in range(1, rows + 1):
        if lang == "fr":
            out.append(
                (
                    "raw",
                    f'<table role="presentation" width="100%"><tr><td width="120">'
                    f'<img src="https://www.papeterie-lumiere.fr/img/ref-{n:04d}.jpg" '
                    f'alt="Référence {n}" width="110"></td><td style="font-size:14px">'
                    f"<b>Carnet ligné n° {n}</b> — papier recyclé 90 g, couverture lin, "
                    f"format A5. Fabriqué à Angoulême. <a href="
                    f'"https://www.papeterie-lumiere.fr/catalogue/ref-{n:04d}">Voir la fiche</a>'
                    f"</td><td>{12 + n % 9},50 €</td></tr></table>",
                    f"Carnet ligné n° {n} — {12 + n % 9},50 €",
                )
            )
        else:
            out.append(
                (
                    "raw",
                    f'<table role="presentation" width="100%"><tr><td width="120">'
                    f'<img src="https://www.harbourtools.co.uk/img/item-{n:04d}.jpg" '
                    f'alt="Item {n}" width="110"></td><td style="font-size:14px">'
                    f"<b>Hand plane no. {n}</b> — cast iron body, beech handle, sharpened "
                    f"and tested in our Bristol workshop. <a href="
                    f'"https://www.harbourtools.co.uk/shop/item-{n:04d}">See details</a>'
                    f"</td><td>£{20 + n % 13}.00</td></tr></table>",
                    f"Hand plane no. {n} — £{20 + n % 13}.00",
                )
            )
    return out


def mails() -> list[Mail]:
    """Every hand-written message, from clean to spammy."""
    m: list[Mail] = []

    # --- clean, French --------------------------------------------------------------------
    m.append(
        Mail(
            "fr-boulangerie-nouveautes",
            "lettre@boulangerie-martin.fr",
            "Boulangerie Martin",
            "Le pain de mars : seigle, noix et la galette du quartier",
            [
                ("h", "Les nouveautés du mois"),
                (
                    "p",
                    "Bonjour,\nCe mois-ci, notre pain de seigle aux noix revient sur les étals, "
                    "cuit au feu de bois le mardi et le vendredi. Nous avons aussi une nouvelle "
                    "farine de petit épeautre venue d'un moulin de la Drôme.",
                ),
                (
                    "p",
                    "Samedi 15 mars, Julien vous montre comment entretenir un levain à la "
                    "maison. Atelier gratuit, sur inscription à la boutique ou sur "
                    "[notre site](https://www.boulangerie-martin.fr/ateliers).",
                ),
                ("img", "cid:pain-seigle", "Pain de seigle aux noix sur une planche"),
                ("p", "Bonne semaine,\nCamille et Julien"),
            ],
            footer="Boulangerie Martin — 12 rue des Halles, 69002 Lyon\n"
            "Vous recevez cette lettre car vous vous êtes inscrit en boutique.",
            unsubscribe="https://www.boulangerie-martin.fr/desabonnement?c=7d1f",
            preheader="Le seigle aux noix est de retour, et un atelier levain le 15 mars.",
        )
    )
    m.append(
        Mail(
            "fr-librairie-rentree",
            "contact@librairie-lescale.fr",
            "Librairie L'Escale",
            "Nos coups de cœur de la rentrée littéraire",
            [
                ("h", "La rentrée littéraire à L'Escale"),
                (
                    "p",
                    "Chère lectrice, cher lecteur,\nL'équipe a lu pour vous une quarantaine de "
                    "romans cet été. Voici nos cinq coups de cœur, à retrouver sur la table "
                    "près de la vitrine.",
                ),
                (
                    "p",
                    "• Un premier roman sur une famille de pêcheurs bretons\n"
                    "• Une enquête dans le Paris de 1900\n"
                    "• Un recueil de nouvelles québécoises\n"
                    "• Un essai sur les forêts anciennes\n"
                    "• Une bande dessinée sur l'histoire de la radio",
                ),
                (
                    "p",
                    "Rencontre avec l'autrice de notre premier coup de cœur le jeudi 26 "
                    "septembre à 19 h. Réservation conseillée : "
                    "[agenda de la librairie](https://www.librairie-lescale.fr/agenda).",
                ),
            ],
            footer="Librairie L'Escale — 4 place du Marché, 29200 Brest — 02 98 00 00 00",
            unsubscribe="https://www.librairie-lescale.fr/lettre/desinscription?id=a91",
            charset="iso-8859-15",
        )
    )
    m.append(
        Mail(
            "fr-association-randonnee",
            "bureau@rando-vercors.org",
            "Les Randonneurs du Vercors",
            "Programme des sorties d'avril",
            [
                ("h", "Sorties d'avril"),
                (
                    "p",
                    "Bonjour à toutes et à tous,\nVoici le programme du mois. Les inscriptions "
                    "se font auprès de chaque responsable de sortie, au plus tard le jeudi "
                    "précédent.",
                ),
                (
                    "p",
                    "Dimanche 6 avril : le tour du Grand Veymont, 18 km, 1 100 m de dénivelé. "
                    "Responsable : Martine.\nDimanche 13 avril : balade familiale aux gorges "
                    "de la Bourne, 8 km.\nSamedi 26 avril : assemblée générale à la salle des "
                    "fêtes de Villard-de-Lans, suivie d'un repas partagé.",
                ),
                (
                    "p",
                    "Pensez à renouveler votre adhésion (25 € par personne, 40 € par famille) "
                    "sur [la page adhésion](https://www.rando-vercors.org/adhesion).",
                ),
            ],
            footer="Les Randonneurs du Vercors, association loi 1901\n"
            "Maison des associations, 38250 Villard-de-Lans",
            unsubscribe="https://www.rando-vercors.org/lettre/quitter?m=c2b",
            charset="iso-8859-1",
            cte="base64",
        )
    )
    m.append(
        Mail(
            "fr-agence-web-conseils",
            "bonjour@atelier-pixel.fr",
            "Atelier Pixel",
            "3 conseils pour rendre votre site plus rapide",
            [
                ("h", "Un site plus rapide en trois gestes"),
                (
                    "p",
                    "Bonjour,\nUn site qui met plus de trois secondes à s'afficher perd une "
                    "bonne partie de ses visiteurs. Voici trois gestes simples que nous "
                    "appliquons chez nos clients.",
                ),
                (
                    "p",
                    "1. Redimensionnez vos photos avant de les publier.\n"
                    "2. Limitez le nombre d'extensions installées.\n"
                    "3. Choisissez un hébergement proche de vos visiteurs.",
                ),
                (
                    "p",
                    "Le détail, avec des exemples, est sur "
                    "[notre blog](https://www.atelier-pixel.fr/blog/site-rapide).",
                ),
                ("p", "À bientôt,\nNadia, pour l'Atelier Pixel"),
            ],
            footer="Atelier Pixel SARL — 8 quai de la Fosse, 44000 Nantes",
            unsubscribe="https://www.atelier-pixel.fr/newsletter/unsubscribe?u=55e",
            cte="base64",
        )
    )
    m.append(
        Mail(
            "fr-mairie-infos-texte",
            "communication@mairie-saint-julien.fr",
            "Mairie de Saint-Julien",
            "Infos municipales : travaux rue de l'Église et collecte des encombrants",
            [
                (
                    "p",
                    "Madame, Monsieur,\n\nLes travaux de réfection de la rue de l'Église "
                    "commenceront le lundi 10 mars et dureront trois semaines. La circulation "
                    "sera alternée entre 8 h et 17 h.\n\nLa collecte des encombrants aura lieu "
                    "le mercredi 19 mars. Merci de sortir vos objets la veille au soir.\n\n"
                    "Le conseil municipal se réunira le jeudi 27 mars à 20 h 30 en mairie ; "
                    "la séance est publique.",
                ),
            ],
            footer="Mairie de Saint-Julien — 1 place de la Mairie, 21490 Saint-Julien",
            unsubscribe="https://www.mairie-saint-julien.fr/infos/desinscription",
            html_part=False,
        )
    )
    m.append(
        Mail(
            "fr-cabinet-kine-texte",
            "secretariat@kine-lesoliviers.fr",
            "Cabinet Les Oliviers",
            "Fermeture du cabinet pendant les vacances de printemps",
            [
                (
                    "p",
                    "Bonjour,\n\nLe cabinet sera fermé du 14 au 21 avril inclus. Pour toute "
                    "urgence, le cabinet du Dr Lefèvre assure la continuité des soins.\n\n"
                    "Les séances de renforcement du dos reprendront le mardi 22 avril.\n\n"
                    "Bien cordialement,\nLe secrétariat",
                ),
            ],
            footer="Cabinet de kinésithérapie Les Oliviers — 5 avenue Jean-Jaurès, 30000 Nîmes",
            unsubscribe="https://www.kine-lesoliviers.fr/lettre/stop",
            html_part=False,
            charset="iso-8859-1",
        )
    )

    # --- clean, English -------------------------------------------------------------------
    m.append(
        Mail(
            "en-bakery-news",
            "hello@crumbandcrust.co.uk",
            "Crumb & Crust Bakery",
            "Hot cross buns are back, and a sourdough class",
            [
                ("h", "What's new at Crumb & Crust"),
                (
                    "p",
                    "Hi there,\nOur hot cross buns are back from Friday, baked every morning "
                    "until Easter Monday. We have also started milling our own wholemeal flour "
                    "from a farm ten miles away.",
                ),
                (
                    "p",
                    "On Saturday 22 March, Tom runs a two-hour sourdough class in the bakehouse. "
                    "Six places only: [book a place](https://www.crumbandcrust.co.uk/classes).",
                ),
                ("img", "cid:buns", "A tray of hot cross buns"),
                ("p", "See you soon,\nTom and Priya"),
            ],
            footer="Crumb & Crust, 3 Mill Lane, Totnes TQ9 5AA, United Kingdom\n"
            "You are receiving this because you signed up in the shop.",
            unsubscribe="https://www.crumbandcrust.co.uk/unsubscribe?c=91aa",
            preheader="Hot cross buns from Friday, and six places left in the sourdough class.",
        )
    )
    m.append(
        Mail(
            "en-bookshop-picks",
            "books@thelanternbookshop.com",
            "The Lantern Bookshop",
            "Our staff picks for March",
            [
                ("h", "Staff picks"),
                (
                    "p",
                    "Dear reader,\nSpring is here and so are our March picks: a novel set in a "
                    "lighthouse, a history of the London Underground and a gentle guide to "
                    "growing vegetables on a balcony.",
                ),
                (
                    "p",
                    "Our book club meets on the last Thursday of the month at 7pm. This month we "
                    "read a short Japanese novel about a convenience store. All welcome: "
                    "[book club page](https://www.thelanternbookshop.com/book-club).",
                ),
            ],
            footer="The Lantern Bookshop, 21 High Street, Hay-on-Wye HR3 5AE",
            unsubscribe="https://www.thelanternbookshop.com/newsletter/leave?id=3b",
            charset="iso-8859-1",
        )
    )
    m.append(
        Mail(
            "en-charity-update",
            "news@riverbankfoodshare.org",
            "Riverbank Food Share",
            "What your donations did this winter",
            [
                ("h", "Thank you for a busy winter"),
                (
                    "p",
                    "Between December and February, our volunteers delivered 4,120 food parcels "
                    "to families across the valley. Two new collection points opened, at the "
                    "library and at the sports centre.",
                ),
                (
                    "p",
                    "We still need volunteer drivers on Tuesday mornings. If you can spare two "
                    "hours, [sign up here](https://www.riverbankfoodshare.org/volunteer).",
                ),
                ("btn", "Donate", "https://www.riverbankfoodshare.org/donate"),
            ],
            footer="Riverbank Food Share, registered charity no. 1100000\n"
            "The Old Chapel, Station Road, Hebden Bridge HX7 8AD",
            unsubscribe="https://www.riverbankfoodshare.org/unsubscribe?u=e01",
        )
    )
    m.append(
        Mail(
            "en-agency-monthly",
            "studio@northlightdesign.com",
            "Northlight Design",
            "Northlight monthly: accessible colours and a new case study",
            [
                ("h", "Colours everyone can read"),
                (
                    "p",
                    "Hello,\nThis month we look at colour contrast: why light grey text on white "
                    "loses readers, and how to check your palette in two minutes with free "
                    "tools.",
                ),
                (
                    "p",
                    "We also published a case study on the new website of a regional museum, "
                    "built with their curators over six months: "
                    "[read the case study](https://www.northlightdesign.com/work/museum).",
                ),
                ("p", "Best,\nAlex at Northlight"),
            ],
            footer="Northlight Design Ltd, 40 Broad Street, Edinburgh EH1 1AA",
            unsubscribe="https://www.northlightdesign.com/email/unsubscribe?u=d4",
            cte="base64",
        )
    )
    m.append(
        Mail(
            "en-yoga-studio-text",
            "namaste@stillwateryoga.com",
            "Stillwater Yoga",
            "New timetable from 1 April",
            [
                (
                    "p",
                    "Hello everyone,\n\nFrom 1 April we add an early class on Wednesdays at "
                    "6:45am and move the Friday evening class to 6pm.\n\nThe beginners' course "
                    "starts again on 8 April: six Tuesday evenings, mats provided.\n\n"
                    "Timetable and booking: https://www.stillwateryoga.com/timetable\n\n"
                    "Warmly,\nSara",
                ),
            ],
            footer="Stillwater Yoga, Unit 2, Canal Wharf, Leeds LS11 5PS",
            unsubscribe="https://www.stillwateryoga.com/unsubscribe",
            html_part=False,
        )
    )
    m.append(
        Mail(
            "en-library-events",
            "events@friendsofwestlibrary.org",
            "Friends of West Library",
            "Spring events at the library",
            [
                ("h", "Spring at West Library"),
                (
                    "p",
                    "Story time for under-fives every Monday at 10am. A local history talk on "
                    "the old tram lines on 12 April. A repair café on the first Saturday of each "
                    "month, where volunteers fix lamps, clothes and bicycles.",
                ),
                (
                    "p",
                    "Full programme: [events page](https://www.friendsofwestlibrary.org/events).",
                ),
            ],
            footer="Friends of West Library, 2 Park Road, Norwich NR2 3AA",
            unsubscribe="https://www.friendsofwestlibrary.org/unsubscribe?u=77",
            charset="iso-8859-15",
            cte="base64",
        )
    )

    # --- mildly promotional ---------------------------------------------------------------
    m.append(
        Mail(
            "fr-boutique-soldes",
            "boutique@maison-garance.fr",
            "Maison Garance",
            "Soldes d'hiver : jusqu'à -30 % sur les pulls",
            [
                ("h", "Les soldes commencent mercredi"),
                (
                    "p",
                    "Bonjour,\nDu 8 janvier au 4 février, profitez de -30 % sur nos pulls en "
                    "laine et de -20 % sur les écharpes. Les pièces sont tricotées dans notre "
                    "atelier de Roubaix.",
                ),
                ("img", "https://www.maison-garance.fr/img/pulls-hiver.jpg", "Pulls en laine"),
                ("btn", "Voir les soldes", "https://www.maison-garance.fr/soldes"),
            ],
            footer="Maison Garance — 17 rue de Lannoy, 59100 Roubaix",
            unsubscribe="https://www.maison-garance.fr/desabonnement?c=1f",
        )
    )
    m.append(
        Mail(
            "fr-fleuriste-fete-des-meres",
            "contact@fleurs-dupre.fr",
            "Fleurs Dupré",
            "Fête des mères : -20 % sur les bouquets commandés avant jeudi",
            [
                ("h", "Pour la fête des mères"),
                (
                    "p",
                    "Commandez votre bouquet avant jeudi 22 mai et bénéficiez de 20 % de remise "
                    "avec le code MAMAN25. Livraison offerte dans Tours et ses environs.",
                ),
                ("img", "cid:bouquet", "Bouquet de pivoines roses"),
                ("btn", "Commander", "https://www.fleurs-dupre.fr/fete-des-meres"),
            ],
            footer="Fleurs Dupré — 9 rue Nationale, 37000 Tours",
            unsubscribe="https://www.fleurs-dupre.fr/lettre/desinscription",
            charset="iso-8859-15",
        )
    )
    m.append(
        Mail(
            "en-garden-centre-sale",
            "offers@greenacresgarden.co.uk",
            "Green Acres Garden Centre",
            "Spring sale: 25% off seeds and bulbs this weekend",
            [
                ("h", "Spring sale this weekend"),
                (
                    "p",
                    "Saturday and Sunday only: 25% off all seeds and bulbs, and buy two bags of "
                    "peat-free compost, get a third at half price.",
                ),
                ("img", "https://www.greenacresgarden.co.uk/img/spring.jpg", "Seed packets"),
                ("btn", "Shop the sale", "https://www.greenacresgarden.co.uk/sale"),
            ],
            footer="Green Acres Garden Centre, Ford Road, Exeter EX2 7AA",
            unsubscribe="https://www.greenacresgarden.co.uk/unsubscribe?u=12",
        )
    )
    m.append(
        Mail(
            "en-wine-shop-offer",
            "cellar@oakbarrelwines.com",
            "Oak Barrel Wines",
            "Six bottles, free delivery: our spring case",
            [
                ("h", "The spring case"),
                (
                    "p",
                    "Six wines chosen by our buyer for the first warm evenings: two whites from "
                    "the Loire, a rosé from Provence and three light reds. £79 instead of £96, "
                    "with free delivery this month.",
                ),
                ("btn", "Order the case", "https://www.oakbarrelwines.com/spring-case"),
                ("p", "Please drink responsibly. Over-18s only."),
            ],
            footer="Oak Barrel Wines, 5 Quay Street, Bristol BS1 4DB",
            unsubscribe="https://www.oakbarrelwines.com/unsubscribe?u=a0",
            cte="base64",
        )
    )
    m.append(
        Mail(
            "fr-caviste-gmail",
            "cave.du.vieux.port@gmail.com",
            "La Cave du Vieux-Port",
            "Dégustation samedi et -15 % sur les rosés",
            [
                (
                    "p",
                    "Bonjour à tous,\nSamedi de 10 h à 13 h, dégustation des rosés de Provence "
                    "avec le domaine des Trois Sources. Ce jour-là, -15 % sur tous les rosés.\n"
                    "L'abus d'alcool est dangereux pour la santé.",
                ),
                ("p", "Guillaume"),
            ],
            footer="La Cave du Vieux-Port — 22 quai du Port, 13002 Marseille",
            unsubscribe="https://cave-vieux-port.fr/stop",
        )
    )

    # --- pushy marketing ------------------------------------------------------------------
    m.append(
        Mail(
            "fr-pushy-gratuit",
            "promo@super-affaires-direct.fr",
            "SUPER AFFAIRES",
            "GRATUIT !!! OFFRE EXCEPTIONNELLE : CLIQUEZ ICI AVANT MINUIT",
            [
                ("big", "OFFRE EXCEPTIONNELLE !!!"),
                (
                    "p",
                    "URGENT : vous avez été SÉLECTIONNÉ pour recevoir un cadeau GRATUIT !!! "
                    "Cette offre exceptionnelle expire ce soir à minuit. Ne ratez pas cette "
                    "occasion unique, 100 % satisfait ou remboursé !!!",
                ),
                ("btn", "CLIQUEZ ICI", "https://www.super-affaires-direct.fr/cadeau?ref=nl"),
                (
                    "p",
                    "Cliquez ici maintenant, les stocks sont LIMITÉS. Commandez sans risque, "
                    "satisfait ou remboursé, livraison GRATUITE !!!",
                ),
            ],
            footer="Super Affaires Direct",
            unsubscribe="https://www.super-affaires-direct.fr/stop",
        )
    )
    m.append(
        Mail(
            "en-pushy-free",
            "deals@mega-savings-now.com",
            "MEGA SAVINGS",
            "FREE GIFT!!! ACT NOW - LIMITED TIME OFFER",
            [
                ("big", "100% FREE!!!"),
                (
                    "p",
                    "Congratulations! You have been selected for an EXCLUSIVE deal. Act now! "
                    "This limited time offer expires TONIGHT. Click here to claim your FREE "
                    "gift. No credit card required. Risk free, 100% satisfaction guaranteed!!!",
                ),
                ("btn", "CLICK HERE NOW", "https://www.mega-savings-now.com/claim?id=9"),
                (
                    "p",
                    "Order now and save big! Call now! Once in a lifetime opportunity, "
                    "while supplies last!!!",
                ),
            ],
            footer="Mega Savings Now",
            unsubscribe="https://www.mega-savings-now.com/optout",
        )
    )
    m.append(
        Mail(
            "fr-pushy-cuisine",
            "offres@cuisine-pro-discount.com",
            "Cuisine Pro Discount",
            "€€€ DERNIER JOUR €€€ -70 % SUR TOUT LE SITE",
            [
                ("big", "-70 % SUR TOUT !!!"),
                (
                    "p",
                    "DERNIER JOUR !!! Casseroles, couteaux, robots : TOUT à -70 %. "
                    "Dépêchez-vous, offre limitée, plus que quelques heures !!! "
                    "Prix imbattables, jamais vus !!!",
                ),
                ("btn", "J'EN PROFITE", "https://www.cuisine-pro-discount.com/destockage"),
                ("img", "https://www.cuisine-pro-discount.com/img/promo1.jpg", ""),
                ("img", "https://www.cuisine-pro-discount.com/img/promo2.jpg", ""),
            ],
            footer="Cuisine Pro Discount",
            unsubscribe="https://www.cuisine-pro-discount.com/desinscription",
            charset="iso-8859-15",
        )
    )
    m.append(
        Mail(
            "en-pushy-webinar",
            "team@growthhackersummit.io",
            "Growth Hackers Summit",
            "LAST CHANCE: your seat expires in 2 hours!!!",
            [
                ("h", "Your seat is about to be released"),
                (
                    "p",
                    "This is your FINAL reminder. Only 3 seats left for the webinar that will "
                    "DOUBLE your income in 30 days. Guaranteed results or your money back. "
                    "Don't miss out — register now before it's too late!",
                ),
                ("btn", "SAVE MY SEAT NOW", "https://growthhackersummit.io/register"),
                ("p", "P.S. The replay will NOT be available. Act now."),
            ],
            footer="Growth Hackers Summit, 100 Main St, Austin TX",
            unsubscribe="https://growthhackersummit.io/unsubscribe",
        )
    )
    m.append(
        Mail(
            "fr-pushy-sans-desinscription",
            "bons.plans.marie@hotmail.fr",
            "Marie Bons Plans",
            "URGENT !!! Gagnez de l'argent depuis chez vous",
            [
                (
                    "p",
                    "Bonjour !!!\nVous voulez gagner 3 000 € par mois depuis chez vous ??? "
                    "C'est possible, je l'ai fait !!! Méthode 100 % garantie, sans "
                    "investissement. Places limitées, répondez vite !!!",
                ),
                ("btn", "JE VEUX GAGNER", "http://argent-facile-maison.xyz/methode"),
            ],
        )
    )

    # --- image-only and image-heavy -------------------------------------------------------
    m.append(
        Mail(
            "fr-image-seule-distante",
            "news@destockage-mode.fr",
            "Déstockage Mode",
            "Vente privée : jusqu'à -60 %",
            [
                (
                    "raw",
                    '<a href="https://www.destockage-mode.fr/vente-privee">'
                    '<img src="https://cdn.destockage-mode.fr/campagnes/vp-mars.jpg" '
                    'width="600" height="1400" alt=""></a>',
                    "",
                ),
            ],
            text_part=False,
        )
    )
    m.append(
        Mail(
            "en-image-only-cid",
            "promo@luxury-watches-outlet.com",
            "Luxury Watches Outlet",
            "Exclusive prices inside",
            [
                (
                    "raw",
                    '<a href="https://www.luxury-watches-outlet.com/shop">'
                    '<img src="cid:banner" width="600" height="1200"></a>',
                    "",
                ),
                ("img", "cid:banner2", ""),
            ],
            text_part=False,
            cte="base64",
        )
    )
    m.append(
        Mail(
            "en-image-heavy-catalogue",
            "hello@sunnysidefurniture.com",
            "Sunnyside Furniture",
            "New garden furniture in store",
            [
                ("img", "https://www.sunnysidefurniture.com/img/garden1.jpg", "Teak table"),
                ("img", "https://www.sunnysidefurniture.com/img/garden2.jpg", "Bench"),
                ("img", "https://www.sunnysidefurniture.com/img/garden3.jpg", "Parasol"),
                ("img", "https://www.sunnysidefurniture.com/img/garden4.jpg", "Chairs"),
                ("img", "https://www.sunnysidefurniture.com/img/garden5.jpg", "Lounger"),
                ("img", "https://www.sunnysidefurniture.com/img/garden6.jpg", "Planters"),
                ("p", "New in store."),
            ],
            footer="Sunnyside Furniture, Retail Park, Swindon SN1 1AA",
            unsubscribe="https://www.sunnysidefurniture.com/unsubscribe",
        )
    )

    # --- URL shorteners, bare IPs, mismatched links ---------------------------------------
    m.append(
        Mail(
            "en-shortener-links",
            "info@quickdeals-daily.net",
            "Quick Deals Daily",
            "Today's top 3 deals",
            [
                ("p", "Hi,\nHere are today's picks, hand-chosen by our team:"),
                ("p", "1. Wireless earbuds at 40% off: [see deal](https://bit.ly/3xQz9Ab)"),
                (
                    "p",
                    "2. Robot vacuum, lowest price ever: [see deal](https://tinyurl.com/4k8mzp2)",
                ),
                ("p", "3. Smart watch bundle: [see deal](https://goo.gl/Zr7fKq)"),
                ("btn", "All deals", "https://bit.ly/3qDeals"),
            ],
            footer="Quick Deals Daily",
            unsubscribe="https://bit.ly/unsub-qdd",
        )
    )
    m.append(
        Mail(
            "fr-raccourcisseur-gmail",
            "asso.petanque.lunel@gmail.com",
            "Pétanque Club Lunelois",
            "Concours du 1er mai : inscriptions ouvertes",
            [
                (
                    "p",
                    "Bonjour les boulistes,\nLe concours du 1er mai est ouvert à tous, en "
                    "doublettes. Inscription : [formulaire](https://bit.ly/petanque-1mai).\n"
                    "Photos de l'an dernier : [album](https://tinyurl.com/petanque-photos).",
                ),
                ("p", "Amicalement,\nLe bureau"),
            ],
            footer="Pétanque Club Lunelois — boulodrome des Arènes, 34400 Lunel",
            unsubscribe="https://tinyurl.com/petanque-stop",
            charset="iso-8859-1",
        )
    )
    m.append(
        Mail(
            "en-bare-ip-invoice",
            "billing@account-services-online.com",
            "Account Services",
            "Your invoice #88231 is ready",
            [
                (
                    "p",
                    "Dear customer,\nYour invoice #88231 for $349.99 is ready. If you did not "
                    "authorise this payment, cancel it within 24 hours: "
                    "[view invoice](http://203.0.113.45/invoice/88231.php).",
                ),
                ("btn", "Cancel payment", "http://203.0.113.45/cancel.php?id=88231"),
            ],
            footer="Account Services",
        )
    )
    m.append(
        Mail(
            "fr-ip-nue-promo",
            "promo@bons-plans-express.fr",
            "Bons Plans Express",
            "Votre code de réduction personnel",
            [
                (
                    "p",
                    "Bonjour,\nVotre code de réduction personnel vous attend. Il est valable "
                    "48 heures sur [notre boutique](http://198.51.100.23/boutique/index.php).",
                ),
                ("btn", "Voir mon code", "http://198.51.100.23/code?u=claire"),
            ],
            footer="Bons Plans Express",
            unsubscribe="http://198.51.100.23/stop",
        )
    )
    m.append(
        Mail(
            "en-mismatched-link",
            "support@secure-payments-notice.com",
            "PayPaI Support",
            "Action required: unusual sign-in activity",
            [
                (
                    "p",
                    "Hello,\nWe noticed an unusual sign-in to your account from a new device. "
                    "Please review the activity at ",
                ),
                (
                    "raw",
                    '<p><a href="http://paypal-review.account-verify.top/login">'
                    "https://www.paypal.com/signin</a></p>",
                    "https://www.paypal.com/signin",
                ),
                ("p", "If you do not review it within 48 hours your account will be limited."),
            ],
            footer="PayPal Security Team",
        )
    )

    # --- phishing -------------------------------------------------------------------------
    m.append(
        Mail(
            "fr-hameconnage-banque",
            "service-client@securite-banque-en-ligne.com",
            "Service Client",
            "Votre compte sera suspendu sous 24 heures",
            [
                ("h", "Alerte de sécurité"),
                (
                    "p",
                    "Cher client,\nSuite à une activité inhabituelle, votre compte sera suspendu "
                    "sous 24 heures. Pour éviter la suspension, confirmez vos identifiants et "
                    "votre mot de passe, ainsi que vos coordonnées bancaires (numéro de carte, "
                    "date d'expiration et cryptogramme).",
                ),
                (
                    "raw",
                    '<p><a href="http://192.0.2.77/banque/connexion.php">'
                    "https://www.labanquepostale.fr/particulier/connexion</a></p>",
                    "https://www.labanquepostale.fr/particulier/connexion",
                ),
                ("p", "Cordialement,\nLe service sécurité"),
            ],
        )
    )
    m.append(
        Mail(
            "en-phishing-password",
            "no-reply@mail-account-team.info",
            "Mailbox Administrator",
            "Your mailbox storage is full - verify your account",
            [
                (
                    "p",
                    "Dear user,\nYour mailbox has exceeded its storage limit and will be "
                    "deactivated. To keep your account, verify your email address and password "
                    "now. Failure to verify will result in permanent account suspension.",
                ),
                ("btn", "VERIFY ACCOUNT", "http://mailbox-upgrade.click/verify?u=claire"),
                ("p", "Mail Administrator\nIT Helpdesk"),
            ],
        )
    )
    m.append(
        Mail(
            "fr-hameconnage-impots",
            "remboursement@impots-gouv-service.com",
            "Impots.gouv",
            "Avis de remboursement : 312,45 € en attente",
            [
                ("h", "Direction générale des Finances publiques"),
                (
                    "p",
                    "Après le calcul de votre impôt, vous pouvez recevoir un remboursement de "
                    "312,45 €. Pour le recevoir, remplissez le formulaire ci-dessous avec vos "
                    "coordonnées bancaires.",
                ),
                (
                    "raw",
                    '<form action="http://impots-remboursement.top/recevoir.php" method="post">'
                    '<p>Nom : <input type="text" name="nom"></p>'
                    '<p>IBAN : <input type="text" name="iban"></p>'
                    '<p>Numéro de carte : <input type="text" name="carte"></p>'
                    '<p>Mot de passe : <input type="password" name="mdp"></p>'
                    '<p><input type="submit" value="Recevoir mon remboursement"></p></form>',
                    "Remplissez le formulaire dans la version HTML de ce message.",
                ),
            ],
            charset="iso-8859-15",
            cte="base64",
        )
    )
    m.append(
        Mail(
            "en-phishing-form",
            "security@online-banking-alerts.net",
            "Online Banking",
            "Confirm your details to restore access",
            [
                (
                    "p",
                    "Dear valued customer,\nYour online banking access has been restricted. "
                    "Please confirm your login details below to restore access.",
                ),
                (
                    "raw",
                    '<form action="http://198.51.100.9/restore.php" method="post">'
                    '<p>Customer number: <input type="text" name="id"></p>'
                    '<p>Password: <input type="password" name="pw"></p>'
                    '<p>Card number: <input type="text" name="card"></p>'
                    '<p><input type="submit" value="Restore access"></p></form>',
                    "Please use the HTML version of this message.",
                ),
            ],
        )
    )

    # --- lottery, pharmacy, crypto --------------------------------------------------------
    m.append(
        Mail(
            "fr-loterie-gagnant",
            "tirage@grand-jeu-national.fr",
            "Grand Jeu National",
            "Félicitations ! Vous avez gagné 15 000 €",
            [
                ("big", "VOUS AVEZ GAGNÉ !!!"),
                (
                    "p",
                    "Félicitations ! Votre adresse a été tirée au sort parmi des milliers de "
                    "participants. Gagnez jusqu'à 15 000 € : il vous suffit de confirmer votre "
                    "participation et de régler les frais de dossier de 2,99 €.",
                ),
                ("btn", "RÉCLAMER MES GAINS", "http://gagnant-tirage.top/reclamer"),
                ("p", "Offre sans obligation d'achat. Gagnez, gagnez, gagnez !"),
            ],
            unsubscribe="http://gagnant-tirage.top/stop",
        )
    )
    m.append(
        Mail(
            "en-lottery-winner",
            "claims.agent.williams@yahoo.com",
            "Mr. James Williams",
            "Your email won 1,500,000.00 GBP in the UK National Lottery",
            [
                (
                    "p",
                    "Dear Winner,\nWe are pleased to inform you that your email address has won "
                    "the sum of ONE MILLION FIVE HUNDRED THOUSAND POUNDS STERLING (1,500,000.00 "
                    "GBP) in our international email lottery programme. To claim your prize, "
                    "contact our claims agent with your full name, address, telephone number, "
                    "age, occupation and bank account details. Keep this notice confidential "
                    "to avoid double claiming.",
                ),
                ("p", "Yours faithfully,\nMr. James Williams\nClaims Department"),
            ],
            html_part=False,
        )
    )
    m.append(
        Mail(
            "en-pharmacy",
            "orders@cheap-meds-online.top",
            "Online Pharmacy",
            "Viagra and Cialis 80% off - no prescription needed",
            [
                ("big", "CHEAP MEDS"),
                (
                    "p",
                    "Buy Viagra, Cialis and Levitra online at the lowest prices. No "
                    "prescription needed, discreet packaging, worldwide shipping. Generic "
                    "pills from $0.99. Weight loss pills and Xanax also available.",
                ),
                ("btn", "ORDER NOW", "http://cheap-meds-online.top/shop"),
            ],
            unsubscribe="http://cheap-meds-online.top/remove",
        )
    )
    m.append(
        Mail(
            "fr-pharmacie-minceur",
            "contact@minceur-express-pilules.fr",
            "Minceur Express",
            "Perdez 10 kilos en 2 semaines, sans régime !",
            [
                ("big", "-10 KG EN 14 JOURS"),
                (
                    "p",
                    "Nos pilules minceur brûlent les graisses pendant votre sommeil. Résultats "
                    "garantis, sans ordonnance, sans effort, 100 % naturel. Livraison discrète "
                    "et GRATUITE. Satisfait ou remboursé !",
                ),
                ("btn", "Commander mes pilules", "https://minceur-express-pilules.fr/commande"),
            ],
            unsubscribe="https://minceur-express-pilules.fr/stop",
            charset="iso-8859-1",
        )
    )
    m.append(
        Mail(
            "en-crypto-investment",
            "invest@btc-profit-signals.io",
            "Crypto Profit Signals",
            "Turn $250 into $12,000 with our Bitcoin robot",
            [
                ("h", "Make money while you sleep"),
                (
                    "p",
                    "Our AI trading robot earned members 4,700% last year. Deposit just $250 in "
                    "Bitcoin and watch your profits grow daily. Guaranteed returns, no "
                    "experience needed. Send BTC to our wallet "
                    "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh to activate your account.",
                ),
                ("btn", "START EARNING", "https://btc-profit-signals.io/join"),
            ],
            unsubscribe="https://btc-profit-signals.io/unsub",
        )
    )
    m.append(
        Mail(
            "fr-crypto-bitcoin",
            "conseiller@patrimoine-crypto-invest.com",
            "Patrimoine Crypto",
            "Investissez en Bitcoin : rendement garanti de 30 % par mois",
            [
                (
                    "p",
                    "Madame, Monsieur,\nNotre plateforme vous garantit un rendement de 30 % par "
                    "mois sur vos placements en Bitcoin. Investissez dès 250 € : nos experts "
                    "s'occupent de tout. Offre réservée aux 50 premiers inscrits, "
                    "répondez vite !",
                ),
                ("btn", "J'investis maintenant", "https://patrimoine-crypto-invest.com/ouvrir"),
                ("p", "Votre conseiller dédié,\nThomas"),
            ],
            unsubscribe="https://patrimoine-crypto-invest.com/desinscription",
        )
    )

    # --- structural problems --------------------------------------------------------------
    m.append(
        Mail(
            "en-clean-no-unsubscribe",
            "newsletter@brightsmilesdental.co.uk",
            "Bright Smiles Dental",
            "Reminder: check-ups and our new hygienist",
            [
                ("h", "News from the practice"),
                (
                    "p",
                    "Hello,\nWe are pleased to welcome Emma, our new hygienist, who joins us on "
                    "Tuesdays and Thursdays. Remember that a check-up every six months helps "
                    "catch problems early.",
                ),
                ("p", "Book online at [our website](https://www.brightsmilesdental.co.uk/book)."),
            ],
            footer="Bright Smiles Dental, 14 Church Street, York YO1 8AA",
        )
    )
    m.append(
        Mail(
            "fr-html-seul-propre",
            "lettre@theatre-des-tilleuls.fr",
            "Théâtre des Tilleuls",
            "La saison prochaine se dévoile",
            [
                ("h", "Saison 2025-2026"),
                (
                    "p",
                    "Chers spectateurs,\nLa nouvelle saison compte douze spectacles : du "
                    "théâtre, de la danse et deux concerts. Les abonnements ouvrent le 2 juin à "
                    "la billetterie et sur [notre site](https://www.theatre-des-tilleuls.fr/saison).",
                ),
                ("img", "cid:affiche", "Affiche de la saison"),
            ],
            footer="Théâtre des Tilleuls — 3 allée des Tilleuls, 86000 Poitiers",
            unsubscribe="https://www.theatre-des-tilleuls.fr/lettre/desabonnement",
            text_part=False,
        )
    )
    m.append(
        Mail(
            "fr-catalogue-trop-long",
            "catalogue@papeterie-lumiere.fr",
            "Papeterie Lumière",
            "Le catalogue de printemps : 400 références",
            [
                ("h", "Le catalogue de printemps"),
                ("p", "Bonjour,\nVoici notre catalogue complet, fabriqué en Charente."),
                *_catalogue("fr", 400),
            ],
            footer="Papeterie Lumière — 2 rue des Papetiers, 16000 Angoulême",
            unsubscribe="https://www.papeterie-lumiere.fr/lettre/desabonnement",
        )
    )
    m.append(
        Mail(
            "en-catalogue-too-long",
            "shop@harbourtools.co.uk",
            "Harbour Tools",
            "The full spring catalogue",
            [
                ("h", "Spring catalogue"),
                ("p", "Hello,\nEvery tool we sell, restored in Bristol."),
                *_catalogue("en", 380),
            ],
            footer="Harbour Tools, 9 Harbourside, Bristol BS1 5AA",
            unsubscribe="https://www.harbourtools.co.uk/unsubscribe",
            cte="base64",
        )
    )
    m.append(
        Mail(
            "fr-club-gmail-propre",
            "club.photo.annecy@gmail.com",
            "Club photo d'Annecy",
            "Sortie photo au lac et exposition de juin",
            [
                (
                    "p",
                    "Bonjour à tous,\nLa prochaine sortie aura lieu dimanche 6 avril au lever du "
                    "soleil, rendez-vous à 6 h 30 au parking du Pâquier. L'exposition annuelle "
                    "se tiendra du 7 au 15 juin à la médiathèque : envoyez vos trois photos "
                    "avant le 15 mai.",
                ),
                ("p", "À dimanche,\nAnne, pour le bureau"),
            ],
            footer="Club photo d'Annecy — Maison des associations, 74000 Annecy",
            unsubscribe="mailto:club.photo.annecy@gmail.com?subject=desinscription",
        )
    )
    m.append(
        Mail(
            "en-freemail-pushy",
            "bestdeals.sarah2025@yahoo.com",
            "Sarah's Deals",
            "OMG!!! 90% OFF designer bags - TODAY ONLY",
            [
                (
                    "p",
                    "Hey!!!\nI found a secret outlet selling designer bags at 90% OFF!!! "
                    "Genuine, brand new, free shipping. Only today, hurry before they're "
                    "gone!!! Click here: [secret outlet](http://designer-outlet-sale.shop/bags)",
                ),
            ],
        )
    )
    m.append(
        Mail(
            "en-hidden-text",
            "news@smart-home-gadgets.net",
            "Smart Home Gadgets",
            "New arrivals",
            [
                ("img", "https://www.smart-home-gadgets.net/img/arrivals.jpg", "New arrivals"),
                (
                    "raw",
                    '<p style="font-size:1px;color:#ffffff">garden kitchen weather holiday '
                    "recipe family school garden weather kitchen holiday recipe family</p>",
                    "",
                ),
                ("btn", "Shop now", "https://www.smart-home-gadgets.net/new"),
            ],
            footer="Smart Home Gadgets",
            unsubscribe="https://www.smart-home-gadgets.net/unsubscribe",
        )
    )
    m.append(
        Mail(
            "fr-texte-et-html-differents",
            "infos@garage-central-auto.fr",
            "Garage Central",
            "Contrôle technique : pensez-y",
            [
                (
                    "raw",
                    '<p style="font-size:16px">Bonjour,<br>Votre contrôle technique arrive à '
                    "échéance. Prenez rendez-vous en ligne et profitez de -10 % sur la "
                    "vidange.</p>"
                    '<p><a href="https://www.garage-central-auto.fr/rdv">Prendre rendez-vous</a>'
                    "</p>",
                    "Bonjour, ceci est un message de notre garage.",
                ),
            ],
            footer="Garage Central — 40 avenue de la Gare, 63000 Clermont-Ferrand",
            unsubscribe="https://www.garage-central-auto.fr/desinscription",
            cte="base64",
        )
    )
    m.append(
        Mail(
            "en-http-links-suspicious-tld",
            "promo@best-offers-club.xyz",
            "Best Offers Club",
            "Members-only prices this week",
            [
                (
                    "p",
                    "Hi,\nAs a member you get early access to this week's prices on electronics "
                    "and home goods. [Laptops](http://best-offers-club.xyz/laptops), "
                    "[phones](http://best-offers-club.xyz/phones), "
                    "[TVs](http://best-offers-club.xyz/tv) and "
                    "[more](http://best-offers-club.xyz/all).",
                ),
            ],
            footer="Best Offers Club",
            unsubscribe="http://best-offers-club.xyz/unsubscribe",
        )
    )
    return m


def wild_mails() -> list[Mail]:
    """The second part of the corpus: mail as bulk scripts and spammers send it (see
    ``tools/spam_corpus_wild.py``)."""
    from spam_corpus_wild import wild_mails as wild

    return [Mail(**vars(mail)) for mail in wild()]


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.eml"):
        old.unlink()
    index = 0
    for name in STARTERS:
        index += 1
        lang = name.rsplit("-", 1)[1]
        path = OUT / f"{lang}-starter-{name.rsplit('-', 1)[0]}.eml"
        path.write_bytes(starter_message(name, index).as_bytes())
    seen: set[str] = set()
    for mail in [*mails(), *wild_mails()]:
        index += 1
        assert mail.name not in seen, mail.name
        seen.add(mail.name)
        (OUT / f"{mail.name}.eml").write_bytes(message_of(mail, index).as_bytes())
    print(f"{index} messages in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
