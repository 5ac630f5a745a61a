"""Which column of an imported table holds what: automatic guess, French and English headers.

A mapping is one target per column, in column order:

``email``       the address (exactly one column, or none when none can be found)
``first_name``  ``last_name``
``full_name``   « Jean Dupont », « DUPONT Jean », « Dupont, Jean »: the pipeline splits it with
                :func:`split_full_name`, and only fills a first or last name no other column gives
``measurement_consent``  whether the person agreed to have opens and clicks measured (at most
                one column; see :func:`consent_answer`). Guessed from its header only, never
                from its values: a column of « oui » could as well be the newsletter's consent
``field:Name``  a custom field called ``Name``
``ignore``      not imported

Known columns other than names and address (company, city, phone…) become custom fields with a
canonical English name (``field:company``), so « Société » in one file and « Company » in another
fill the same field and merge tags read ``{{ company }}`` as they read ``{{ first_name }}``. An
unknown column keeps its header as field name; a column that is empty in every sample and a Google
or Outlook bookkeeping column are ignored until the user says otherwise. Headers match whatever
their case, accents and punctuation; when no header names the address, the column whose samples
are mostly addresses gets it.

A column without a header (a file without a header row: « Colonne 3 » / "Column 3") is guessed
from its values (:func:`content_target`): given names (from ``resources/contacts/first_names.txt``)
→ first name, « Jean Dupont » → full name, single capitalised words beside the first names → last
name, phone numbers, postcodes, dates, web addresses, civilities → the usual custom fields; any
other column with values is kept as a custom field named after its generated header, never
dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

from editor.contacts.emails import check_email
from editor.contacts.keys import plain_fold
from editor.settings import resources_dir

__all__ = [
    "FIELD_PREFIX",
    "MEASUREMENT_CONSENT",
    "TARGETS",
    "consent_answer",
    "content_target",
    "field_name",
    "guess_mapping",
    "header_key",
    "is_generated_header",
    "known_target",
    "mapping_fields",
    "parse_target",
    "split_full_name",
    "target_spec",
]

MEASUREMENT_CONSENT = "measurement_consent"
TARGETS: tuple[str, ...] = (
    "email",
    "first_name",
    "last_name",
    "full_name",
    MEASUREMENT_CONSENT,
    "field:",
    "ignore",
)
"""The targets; ``field:`` stands for ``field:<Name>``, a custom field of any name."""
FIELD_PREFIX = "field:"
# at most one column each
_SINGLE = ("email", "first_name", "last_name", "full_name", MEASUREMENT_CONSENT)

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
    # Consent to open/click measurement, not to the newsletter: a bare « Consentement » is not
    # here (it usually means the latter). ``measurement_consent`` is what the signup form posts.
    MEASUREMENT_CONSENT: (
        "measurement consent",
        "consent measurement",
        "consent to measurement",
        "measurement opt in",
        "audience measurement",
        "audience measurement consent",
        "tracking consent",
        "consent tracking",
        "consent to tracking",
        "tracking opt in",
        "email tracking consent",
        "open tracking consent",
        "accepts measurement",
        "accept measurement",
        "accepts tracking",
        "accept tracking",
        "consentement mesure",
        "consentement a la mesure",
        "consentement mesure audience",
        "consentement a la mesure d audience",
        "consentement mesure d audience",
        "consentement suivi",
        "consentement au suivi",
        "consentement tracking",
        "consentement au tracking",
        "mesure d audience",
        "mesure audience",
        "accepte la mesure",
        "accepte mesure",
        "accepte la mesure d audience",
        "accepte mesure audience",
        "j accepte la mesure",
        "j accepte la mesure d audience",
        "accepte le suivi",
        "accepte suivi",
        "accord mesure",
        "accord pour la mesure",
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


def target_spec(target: str) -> str:
    """A target as scripts write it (``--map``, the import report's JSON): ``email``,
    ``first_name``, ``last_name``, ``full_name``, ``measurement_consent``, ``ignore``, or a
    custom field's name — ``field:<name>`` only for a field whose name is one of those words."""
    name = field_name(target)
    if name is None:
        return target
    return target if name in _SPECS else name


_SPECS = frozenset({*_SINGLE, "ignore"})


def parse_target(spec: str) -> str | None:
    """The target a ``--map`` FIELD names (see :func:`target_spec`), None for an empty one."""
    text = " ".join(spec.split())
    if text in _SPECS:
        return text
    if text.startswith(FIELD_PREFIX):
        text = " ".join(text[len(FIELD_PREFIX) :].split())
    return FIELD_PREFIX + text if text else None


# What a measurement consent cell may say, compared without case, accents or outer spaces.
# Strict on purpose: consent must be unambiguous (CNIL), so « peut-être », « 2 » or « oui?»
# are neither, and the import lists them rather than guessing.
_CONSENT_YES = frozenset(
    {"oui", "o", "yes", "y", "true", "vrai", "1", "x", "on"}
    | {"accepte", "acceptee", "accepted"}
    | {"\u2713", "\u2714", "\u2611", "\u2705"}  # ✓ ✔ ☑ ✅
)
_CONSENT_NO = frozenset(
    {"", "non", "n", "no", "false", "faux", "0", "off", "-"}
    | {"refuse", "refusee", "refused", "declined"}
    | {"\u2717", "\u2718", "\u2610", "\u274c"}  # ✗ ✘ ☐ ❌
)


@lru_cache(maxsize=1024)  # a column holds a few spellings 100,000 times
def consent_answer(value: str) -> bool | None:
    """What a measurement consent cell says: True (yes-like), False (no-like or empty), or
    None when it is neither and must not be read as either."""
    text = " ".join(plain_fold(value).split())
    if text in _CONSENT_YES:
        return True
    if text in _CONSENT_NO:
        return False
    return None


def guess_mapping(headers: list[str], samples: list[list[str]]) -> list[str]:
    """One target per header, from the header names and the sample rows (``Table.preview()``).

    Never two columns on ``email``, ``first_name``, ``last_name``, ``full_name``,
    ``measurement_consent`` or the same field: the first (for ``email``, the one holding most
    valid addresses) wins, the others keep their header as custom field name.
    """
    columns = [[row[i] for row in samples if i < len(row) and row[i]] for i in range(len(headers))]
    targets = [
        _first_guess(header, column, bool(samples))
        for header, column in zip(headers, columns, strict=True)
    ]
    _choose_email(targets, headers, columns)
    _guess_unnamed(targets, headers, columns)
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


_UNNAMED = "?"  # a column without header, guessed from its values once the address is found


def _first_guess(header: str, column: list[str], have_samples: bool) -> str:
    if is_generated_header(header):
        return _UNNAMED if column else "ignore"
    if not header.strip():
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


def _guess_unnamed(targets: list[str], headers: list[str], columns: list[list[str]]) -> None:
    """Columns without header: what their values look like, names settled between them."""
    unnamed = [i for i, target in enumerate(targets) if target == _UNNAMED]
    guesses = {i: content_target(columns[i]) for i in unnamed}
    # The column with the most given names holds the first names; single words beside it
    # are the last names.
    firsts = [i for i in unnamed if guesses[i] == "first_name"]
    if "first_name" not in targets and firsts:
        best = max(firsts, key=lambda i: (_given_share(columns[i]), -i))
        for i in firsts:
            if i != best:
                guesses[i] = "last_name" if _words(columns[i]) else None
    elif firsts:
        for i in firsts:
            guesses[i] = None
    for i in unnamed:
        guess = guesses[i]
        if guess == "last_name" and not ("first_name" in targets or firsts):
            guess = None
        if guess is None and _words(columns[i]) and (firsts or "first_name" in targets):
            guess = "last_name"
        if guess in targets:
            guess = None
        targets[i] = guess or FIELD_PREFIX + _clean_header(headers[i])


_NAME = re.compile(r"[^\W\d_]+(?:(?:[-'’]|\.? |, |\.)[^\W\d_]+)*\.?")
_PHONE = re.compile(r"\+?[\d\s.()/-]{6,22}")
_POSTCODE = re.compile(r"\d{5}|\d{4}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{3} ?\d{2}", re.IGNORECASE)
_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
)
_WEBSITE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MOSTLY = 0.8


def content_target(values: Sequence[str]) -> str | None:
    """What a column without header holds, from its non-empty values, or None when unsure.

    ``first_name`` (single words, mostly known given names), ``full_name`` (two to four words
    with a given name or a surname in capitals), ``last_name`` (capitalised single words: only
    used beside a first-name column), or a custom field: ``field:phone``, ``field:postal_code``,
    ``field:date``, ``field:website``, ``field:civility``.
    """
    if not values:
        return None

    def share(test: Callable[[str], object]) -> float:
        return sum(1 for v in values if test(v)) / len(values)

    if share(lambda v: _CIVILITY.fullmatch(v.strip())) >= _MOSTLY:
        return "field:civility"
    if share(_DATE.fullmatch) >= _MOSTLY:
        return "field:date"
    if share(_is_phone) >= _MOSTLY:
        return "field:phone"
    if share(_POSTCODE.fullmatch) >= _MOSTLY and not share(_is_year) >= _MOSTLY:
        return "field:postal_code"
    if share(_WEBSITE.fullmatch) >= _MOSTLY:
        return "field:website"
    if share(lambda v: _NAME.fullmatch(v) and len(v) <= 60) < _MOSTLY:
        return None
    words = [v.replace(",", " ").split() for v in values]
    # One word, or a surname in capitals (« LE GOFF »)
    single = sum(1 for w in words if len(w) == 1 or all(map(_is_capitalised, w)))
    if single >= _MOSTLY * len(values):
        if _given_share(values) >= 0.5:
            return "first_name"
        return "last_name" if _words(values) else None
    if sum(1 for w in words if 2 <= len(w) <= 4) >= _MOSTLY * len(values):
        named = sum(
            1
            for w in words
            if _is_given(w[0]) or _is_given(w[-1]) or any(_is_capitalised(x) for x in w)
        )
        if named * 2 >= len(values):
            return "full_name"
    return None


def _is_phone(value: str) -> bool:
    if not _PHONE.fullmatch(value):
        return False
    digits = sum(c.isdigit() for c in value)
    return 8 <= digits <= 15


def _is_year(value: str) -> bool:
    return value.isdigit() and len(value) == 4 and 1900 <= int(value) <= 2100


def _words(values: Sequence[str]) -> bool:
    """Mostly single capitalised words (« Martin », « LE GOFF »), as surnames are written."""
    if not values:
        return False
    good = sum(1 for v in values if _NAME.fullmatch(v) and v[:1].isupper())
    return good >= _MOSTLY * len(values)


@cache
def _given_names() -> frozenset[str]:
    path = resources_dir() / "contacts" / "first_names.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(header_key(line) for line in lines if line and not line.startswith("#"))


def _is_given(word: str) -> bool:
    """A known given name, or a compound of one (« Jean-François », « Marie-Ève »)."""
    key = header_key(word)
    names = _given_names()
    return key in names or key.split(" ", 1)[0] in names


def _given_share(values: Sequence[str]) -> float:
    return sum(1 for v in values if _is_given(v.split(" ", 1)[0])) / len(values) if values else 0.0


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
