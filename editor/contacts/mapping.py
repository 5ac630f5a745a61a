"""Which column of an imported table holds what: automatic guess, French and English headers.

A mapping is one target per column, in column order:

``email``       the address (exactly one column, or none when none can be found)
``first_name``  ``last_name``
``full_name``   « Jean Dupont », « DUPONT Jean », « Dupont, Jean »: the pipeline splits it with
                :func:`split_full_name`, and only fills a first or last name no other column gives
``field:Name``  a custom field called ``Name``
``ignore``      not imported

Known columns other than names and address (company, city, phone…) become custom fields with a
canonical English name (``field:company``), so « Société » in one file and « Company » in another
fill the same field and merge tags read ``{{ company }}`` as they read ``{{ first_name }}``. An
unknown column keeps its header as field name; a column that is empty in every sample, a Google or
Outlook bookkeeping column, and a column without a header (« Column 3 ») are ignored until the user
says otherwise. Headers match whatever their case, accents and punctuation; when no header names
the address, the column whose samples are mostly addresses gets it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from editor.contacts.emails import check_email

__all__ = [
    "FIELD_PREFIX",
    "TARGETS",
    "field_name",
    "guess_mapping",
    "header_key",
    "is_generated_header",
    "known_target",
    "mapping_fields",
    "split_full_name",
]

TARGETS: tuple[str, ...] = ("email", "first_name", "last_name", "full_name", "field:", "ignore")
"""The targets; ``field:`` stands for ``field:<Name>``, a custom field of any name."""
FIELD_PREFIX = "field:"
_SINGLE = ("email", "first_name", "last_name", "full_name")  # at most one column each

_EMAIL_CORE = frozenset(
    {"email", "e mail", "mail", "courriel", "mel", "emails", "e mails", "electronique"}
    | {"messagerie", "adresse electronique", "adresse mail", "adresse email", "adresse e mail"}
)
# Words that qualify a header without changing what it holds: « Courriel (pro) », « E-mail 1 ».
_QUALIFIERS = frozenset(
    [
        "principal",
        "principale",
        "primary",
        "main",
        "pro",
        "professionnel",
        "professionnelle",
        "professional",
        "business",
        "work",
        "bureau",
        "perso",
        "personnel",
        "personnelle",
        "personal",
        "home",
        "domicile",
        "prive",
        "privee",
        "private",
        "autre",
        "other",
        "value",
        "valeur",
        "du",
        "de",
        "la",
        "le",
        "l",
        "d",
        "the",
        "your",
        "votre",
        "vos",
        "contact",
        "client",
    ]
)
_ADDRESS_WORDS = frozenset({"adresse", "address", "adr", "addr"})

_VOCABULARY: dict[str, tuple[str, ...]] = {
    "first_name": (
        "prenom",
        "prenoms",
        "first name",
        "firstname",
        "first",
        "given name",
        "givenname",
        "forename",
    ),
    "last_name": (
        "nom",
        "nom de famille",
        "last name",
        "lastname",
        "last",
        "surname",
        "family name",
        "familyname",
        "nom d usage",
        "nom de naissance",
        "nom patronymique",
    ),
    "full_name": (
        "nom complet",
        "full name",
        "fullname",
        "name",
        "nom et prenom",
        "nom et prenoms",
        "nom prenom",
        "prenom nom",
        "prenom et nom",
        "display name",
        "nom affiche",
        "nom du contact",
        "contact name",
        "contact",
        "identite",
        "destinataire",
    ),
    "field:company": (
        "societe",
        "entreprise",
        "company",
        "company name",
        "organization",
        "organisation",
        "organization name",
        "organisation name",
        "raison sociale",
        "nom de l entreprise",
        "nom de la societe",
        "employeur",
        "employer",
        "etablissement",
        "structure",
        "business name",
    ),
    "field:job_title": (
        "fonction",
        "poste",
        "job title",
        "jobtitle",
        "profession",
        "occupation",
        "metier",
        "organization title",
    ),
    "field:department": ("service", "department", "organization department"),
    "field:civility": (
        "civilite",
        "titre de civilite",
        "titre",
        "title",
        "salutation",
        "name prefix",
        "prefix",
    ),
    "field:gender": ("sexe", "genre", "gender"),
    "field:phone": (
        "telephone",
        "tel",
        "phone",
        "phone number",
        "numero de telephone",
        "no de telephone",
        "telephone fixe",
        "fixe",
        "landline",
        "business phone",
        "home phone",
        "telephone bureau",
    ),
    "field:mobile": (
        "portable",
        "mobile",
        "mobile phone",
        "mobile number",
        "telephone portable",
        "telephone mobile",
        "tel portable",
        "tel mobile",
        "numero de portable",
        "gsm",
        "cell",
        "cell phone",
        "cellphone",
        "sms",
    ),
    "field:address": (
        "adresse",
        "address",
        "adresse postale",
        "postal address",
        "street",
        "street address",
        "rue",
        "voie",
        "adresse 1",
        "adresse ligne 1",
        "address line 1",
        "address 1",
    ),
    "field:address_2": (
        "adresse 2",
        "adresse ligne 2",
        "address line 2",
        "address 2",
        "complement d adresse",
        "complement adresse",
    ),
    "field:postal_code": (
        "code postal",
        "cp",
        "zip",
        "zip code",
        "zipcode",
        "postal code",
        "postcode",
        "post code",
    ),
    "field:city": ("ville", "city", "commune", "localite", "town", "locality"),
    "field:region": ("region", "state", "province"),
    "field:country": ("pays", "country", "country region"),
    "field:birthday": (
        "date de naissance",
        "anniversaire",
        "date anniversaire",
        "birthday",
        "birth date",
        "birthdate",
        "date of birth",
        "naissance",
        "dob",
    ),
    "field:website": (
        "site web",
        "site internet",
        "site",
        "website",
        "web site",
        "web",
        "url",
        "homepage",
        "page web",
    ),
    "field:notes": (
        "notes",
        "note",
        "remarques",
        "remarque",
        "commentaire",
        "commentaires",
        "comments",
        "comment",
        "observations",
        "observation",
    ),
    "field:language": ("langue", "language", "lang"),
    "field:middle_name": ("deuxieme prenom", "autres prenoms", "middle name", "additional name"),
    "field:nickname": ("surnom", "nickname"),
    "field:groups": ("groupe", "groupes", "group membership", "labels", "categories", "tags"),
    # Bookkeeping columns of Google Contacts and Outlook exports, noise in a mailing list.
    "ignore": (
        "photo",
        "file as",
        "initials",
        "sensitivity",
        "priority",
        "mileage",
        "billing information",
        "directory server",
        "yomi name",
        "given name yomi",
        "additional name yomi",
        "family name yomi",
        "phonetic first name",
        "phonetic middle name",
        "phonetic last name",
        "name suffix",
        "suffix",
        "e mail display name",
        "email display name",
        "suffixe",
    ),
}
_KNOWN: dict[str, str] = {key: target for target, keys in _VOCABULARY.items() for key in keys}
# Google Contacts numbers repeated groups: « E-mail 1 - Value », « Address 1 - City »…
_NUMBERED = re.compile(r"(?P<base>.+?) \d+ (?P<part>.+)")
_ADDRESS_PARTS = {
    "street": "field:address",
    "city": "field:city",
    "postal code": "field:postal_code",
    "region": "field:region",
    "country": "field:country",
}
_ORGANIZATION_PARTS = {
    "name": "field:company",
    "title": "field:job_title",
    "department": "field:department",
}
_GENERATED = re.compile(r"(?:colonne|column) \d+")
_CIVILITY = re.compile(
    r"(?:m|mr|mrs|ms|miss|mme|mlle|mmes|mm|messrs|dr|pr|me|prof|monsieur|madame|mademoiselle)\.?",
    re.IGNORECASE,
)
_PARTICLES = frozenset(
    [
        "de",
        "du",
        "des",
        "d'",
        "d’",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "di",
        "da",
        "del",
        "della",
        "dos",
        "das",
        "ben",
        "ibn",
        "bin",
        "al",
        "el",
    ]
)


def header_key(header: str) -> str:
    """The header as compared: no case, accents or punctuation (« E-mail » → ``e mail``)."""
    text = unicodedata.normalize("NFKD", header.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.replace("œ", "oe").replace("æ", "ae")).split())


def is_generated_header(header: str) -> bool:
    """« Colonne 3 » / « Column 3 »: the name the reader gives a column of a file without header."""
    return _GENERATED.fullmatch(header_key(header)) is not None


def known_target(header: str) -> str | None:
    """The target a header names, or None for a header outside the vocabulary."""
    key = header_key(header)
    if not key:
        return None
    numbered = _NUMBERED.fullmatch(key)
    if numbered:
        return _numbered_target(numbered.group("base"), numbered.group("part"))
    if key in _KNOWN:
        return _KNOWN[key]
    words = key.split()
    if _is_email(words):
        return "email"
    kept = [w for w in words if w not in _QUALIFIERS and not w.isdigit()]
    if kept and kept != words:
        return _KNOWN.get(" ".join(kept))
    return None


def _is_email(words: list[str]) -> bool:
    core = [w for w in words if w not in _QUALIFIERS and w not in _ADDRESS_WORDS]
    core = [w for w in core if not w.isdigit()]
    return bool(core) and (" ".join(core) in _EMAIL_CORE)


def _numbered_target(base: str, part: str) -> str | None:
    if part in ("type", "label", "display name"):
        return "ignore"
    if base in _ADDRESS_WORDS:
        return _ADDRESS_PARTS.get(part, "ignore")
    if base in ("organization", "organisation"):
        return _ORGANIZATION_PARTS.get(part, "ignore")
    if part == "value":
        return known_target(base)
    return None


def field_name(target: str) -> str | None:
    """The custom field a ``field:<Name>`` target fills, else None."""
    return target[len(FIELD_PREFIX) :] if target.startswith(FIELD_PREFIX) else None


def guess_mapping(headers: list[str], samples: list[list[str]]) -> list[str]:
    """One target per header, from the header names and the sample rows (``Table.preview()``).

    Never two columns on ``email``, ``first_name``, ``last_name``, ``full_name`` or the same
    field: the first (for ``email``, the one holding most valid addresses) wins, the others keep
    their header as custom field name.
    """
    columns = [[row[i] for row in samples if i < len(row) and row[i]] for i in range(len(headers))]
    targets = [
        _first_guess(header, column, bool(samples))
        for header, column in zip(headers, columns, strict=True)
    ]
    _choose_email(targets, headers, columns)
    _settle_names(targets, headers, columns)
    used: set[str] = set()
    for i, target in enumerate(targets):
        if target == "ignore":
            continue
        if target in used:
            target = FIELD_PREFIX + _clean_header(headers[i])
            if target in used:
                target = "ignore"
        targets[i] = target
        used.add(target)
    return targets


def _first_guess(header: str, column: list[str], have_samples: bool) -> str:
    if is_generated_header(header) or not header.strip():
        return "ignore"
    target = known_target(header)
    if target is not None:
        return target
    if have_samples and not column:
        return "ignore"
    return FIELD_PREFIX + _clean_header(header)


def _clean_header(header: str) -> str:
    return " ".join(header.split())


def _email_score(column: list[str]) -> tuple[float, int]:
    """(share of valid addresses among the filled samples, how many)."""
    valid = sum(check_email(value)[0] is not None for value in column)
    return (valid / len(column) if column else 0.0), valid


def _choose_email(targets: list[str], headers: list[str], columns: list[list[str]]) -> None:
    """Keep one ``email`` column: named so and holding addresses, else mostly addresses."""
    scores = [_email_score(column) for column in columns]
    named = [i for i, target in enumerate(targets) if target == "email"]
    by_content = [i for i, score in enumerate(scores) if score[0] >= 0.5 and i not in named]
    candidates = named + by_content
    if not candidates:
        return
    best = max(candidates, key=lambda i: (scores[i], i in named, -i))
    if best not in named and any(scores[i][1] for i in named):
        best = max(named, key=lambda i: (scores[i], -i))
    for i in named:
        if i != best:
            targets[i] = FIELD_PREFIX + _clean_header(headers[i])
    targets[best] = "email"


def _settle_names(targets: list[str], headers: list[str], columns: list[list[str]]) -> None:
    """« Nom » / « Name » alone holds whole names; beside a full first/last pair, ignore them."""
    has_first = "first_name" in targets
    for i, target in enumerate(targets):
        if header_key(headers[i]) not in ("nom", "name") or target not in (
            "last_name",
            "full_name",
        ):
            continue
        if has_first:
            if "last_name" not in targets[:i] + targets[i + 1 :]:
                targets[i] = "last_name"
        elif columns[i] and sum(len(v.split()) > 1 for v in columns[i]) * 2 > len(columns[i]):
            targets[i] = "full_name"
    if "first_name" in targets and "last_name" in targets:
        for i, target in enumerate(targets):
            if target == "full_name":
                targets[i] = "ignore"


def split_full_name(value: str) -> tuple[str, str]:
    """(first name, last name) of a whole name, as French and English lists write them.

    « Dupont, Jean » and « DUPONT Jean » (surname in capitals first, the French habit) put the
    surname first; otherwise the first word is the first name and the rest the surname, from
    the first particle on (« Jean de La Fontaine »). A civility (« M. », « Mme », « Dr ») is
    dropped; a single word is taken as a first name, since greetings use it.
    """
    text = " ".join(value.split())
    if "," in text:
        last, _, first = text.partition(",")
        return " ".join(first.split()), last.strip()
    words = text.split(" ")
    while len(words) > 1 and _CIVILITY.fullmatch(words[0]):
        words = words[1:]
    if len(words) <= 1:
        return (words[0] if words else ""), ""
    capitals = [_is_capitalised(w) for w in words]
    if not all(capitals):
        if capitals[0]:
            n = capitals.index(False)
            return " ".join(words[n:]), " ".join(words[:n])
        if capitals[-1]:
            n = len(words) - capitals[::-1].index(False)
            return " ".join(words[:n]), " ".join(words[n:])
    for i in range(1, len(words) - 1):
        if words[i].casefold() in _PARTICLES or words[i].casefold().startswith(("d'", "d’")):
            return " ".join(words[:i]), " ".join(words[i:])
    return words[0], " ".join(words[1:])


def _is_capitalised(word: str) -> bool:
    """A surname written in capitals (« DUPONT », « LE GOFF »), not an initial (« J. »)."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) > 1 and word.isupper()


def mapping_fields(targets: Sequence[str]) -> list[str]:
    """The custom field names a mapping fills, in column order."""
    return [name for target in targets if (name := field_name(target))]
