"""Realistic French contacts for the contacts UI tests and screenshots (deterministic)."""

from __future__ import annotations

import random
import unicodedata

from editor.contacts.store import Basis, ContactInput, ContactQuery, ContactStore


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words(
    "Camille Léa Manon Chloé Inès Jade Louise Emma Zoé Lucie Élodie Hélène Céline Nathalie "
    "Sophie Isabelle Valérie Françoise Amélie Maëlle Océane Noémie Anaïs Clémence Margaux "
    "Lucas Hugo Louis Gabriel Arthur Jules Théo Raphaël Nathan Mathis Étienne Frédéric "
    "Jérôme Sébastien Nicolas Julien Thomas François Benoît Grégoire Maxime Antoine Rémi "
    "Loïc Yann Mickaël"
)
LAST = _words(  # and four surnames of two words, below
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefèvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre "
    "Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc "
    "Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez "
    "Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly "
    "Gautier Roger Roche Roy Noël Meyer Lucas Meunier Jean Pérez Marchand Dufour Blanchard "
    "Marie Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez"
)
LAST += ["Le Goff", "Le Gall", "de La Fontaine", "d’Arcy"]
DOMAINS = _words(
    "orange.fr wanadoo.fr free.fr laposte.net gmail.com sfr.fr hotmail.fr yahoo.fr "
    "outlook.fr bbox.fr"
)
CITIES = _words(
    "Paris Lyon Marseille Toulouse Nantes Bordeaux Lille Rennes Strasbourg Montpellier "
    "Grenoble Dijon Angers Tours Brest Annecy Nancy Rouen Caen Limoges"
)

COMPANIES = (
    "Boulangerie Martin",
    "Atelier du Bois",
    "Cabinet Dubois & Associés",
    "Fleurs de Provence",
    "Garage des Tilleuls",
    "Librairie La Plume",
    "Pharmacie Centrale",
    "SARL Lefèvre Bâtiment",
    "",
    "",
    "",
)


def ascii_part(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return "".join(c for c in plain.lower() if c.isalnum() or c == "-")


def people(count: int, seed: int = 3) -> list[ContactInput]:
    """``count`` distinct French-looking contacts."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[ContactInput] = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = f"{ascii_part(first)}.{ascii_part(last)}"
        email = f"{local}@{rng.choice(DOMAINS)}"
        if email in seen:
            email = f"{local}{i}@{rng.choice(DOMAINS)}"
        seen.add(email)
        fields = {"ville": rng.choice(CITIES)}
        company = rng.choice(COMPANIES)
        if company:
            fields["société"] = company
        if rng.random() < 0.5:
            fields["téléphone"] = "06 " + " ".join(f"{rng.randrange(100):02d}" for _ in range(4))
        out.append(ContactInput(email, first, last, fields))
    return out


def populate(store: ContactStore, count: int, seed: int = 3) -> None:
    """Fill ``store`` as a small business's would look: three lists, three bases, some
    unsubscribed and bounced addresses."""
    rows = people(count, seed)
    clients = store.create_list("Clients")
    letter = store.create_list("Lettre mensuelle")
    fair = store.create_list("Salon Maison & Jardin 2025")
    third = len(rows) // 3
    store.upsert_many(
        rows[:third],
        list_id=clients,
        basis=Basis("customer", source="fichier clients", proof="factures 2023-2025"),
    )
    store.upsert_many(
        rows[third : 2 * third],
        list_id=letter,
        basis=Basis(
            "consent",
            source="formulaire du site",
            proof="J’accepte de recevoir la lettre d’information",
        ),
    )
    store.upsert_many(
        rows[2 * third :],
        list_id=fair,
        basis=Basis("professional", source="salon Maison & Jardin 2025", proof="carte de visite"),
    )
    ids = store.ids(ContactQuery(sort="created_at"))
    store.add_to_list(ids[: count // 10], letter)
    store.set_status(ids[5::31], "unsubscribed", "lien de désinscription")
    store.set_status(ids[11::97], "bounced", "boîte inexistante")


def fast_rows(count: int) -> list[ContactInput]:
    """Many cheap distinct rows: ``user00042@exemple.fr``, names cycling."""
    return [
        ContactInput(f"user{i:06d}@exemple.fr", FIRST[i % len(FIRST)], LAST[i % len(LAST)])
        for i in range(count)
    ]
