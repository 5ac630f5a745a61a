"""GDPR tools: right of access, right to erasure, retention, sensitive-data warnings.

* :func:`export_person` / :func:`write_person_export`: everything held about one address (art. 15),
  as JSON and as a two-column CSV a person can open in Excel.
* :func:`forget`: erase one person (art. 17). Only a salted hash of the address stays, in the
  suppression list, so a later import of an old file does not bring them back. The hash is kept
  even for an address the store does not know: the person asked not to be contacted, and the
  next import might contain them (this is the "opposition list" the CNIL describes).
* :func:`inactive` / :func:`purge`: retention (CNIL: 3 years without contact for prospects);
  preview first, then purge, which erases like :func:`forget`.
* :func:`sensitive_field_warnings`: custom field names that look like special-category data
  (art. 9: health, religion, politics, union, sex life, ethnic origin, genetics, biometrics),
  which needs explicit consent.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from editor.atomic import write_atomic
from editor.contacts.db import transaction
from editor.contacts.keys import plain_fold
from editor.contacts.store import Contact, ContactStore, iso_utc
from editor.i18n import N_, _, pgettext
from editor.tracking.consent import person_measurement

EXPORT_FORMAT = 1
RETENTION_DAYS_PROSPECTS = 3 * 365  # CNIL: 3 years after the last contact from a prospect

# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^\w.@+-]+")


# --- right of access -------------------------------------------------------------------------


def export_person(store: ContactStore, email: str, *, now: str | None = None) -> dict[str, Any]:
    """Everything the store holds about ``email``: contact, basis, lists, history, suppression,
    and what open/click measurement holds (its consent record, the opens and clicks counted)."""
    contact = store.get(email)
    suppression = store.suppression_info(email)
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": iso_utc(now),
        "email": email.strip(),
        "held": contact is not None,
        "contact": None,
        "basis": None,
        "lists": [],
        "history": [],
        "measurement": None,
        "suppressed": suppression is not None,
        "suppression": (
            {"reason": suppression[0], "at": suppression[1]} if suppression is not None else None
        ),
    }
    if contact is None:
        return data
    data["contact"] = {
        "id": contact.id,
        "email": contact.email,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "fields": dict(contact.fields),
        "status": contact.status,
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
        "last_activity_at": contact.last_activity_at,
    }
    if contact.basis is not None:
        data["basis"] = {
            "kind": contact.basis,
            "source": contact.basis_source,
            "date": contact.basis_date,
            "proof": contact.basis_proof,
        }
    data["lists"] = [
        {"name": name, "added_at": added} for name, added in store.memberships(contact.id)
    ]
    data["history"] = [asdict(event) for event in store.history(contact.id)]
    data["measurement"] = person_measurement(store.db, contact.id)
    return data


def defuse(value: str) -> str:
    """A cell value a spreadsheet will show as text, never run as a formula.

    A value that already starts with ``'`` before a formula sign gets one more, so that
    :func:`undefuse` gives back exactly what was stored.
    """
    return "'" + value if value.lstrip("'").startswith(_FORMULA_START) else value


def undefuse(value: str) -> str:
    """Undo :func:`defuse` (one ``'`` before a formula sign), so exported data imports back."""
    if value.startswith("'") and value.lstrip("'").startswith(_FORMULA_START):
        return value[1:]
    return value


def _rows(data: dict[str, Any]) -> list[tuple[str, str]]:
    """The export as readable (label, value) lines."""
    rows: list[tuple[str, str]] = [
        (_("Email address"), data["email"]),
        (_("Exported at"), data["exported_at"]),
    ]
    contact = data["contact"]
    if contact is None:
        rows.append((_("Data held"), _("no contact record")))
    else:
        rows += [
            (_("First name"), contact["first_name"]),
            (_("Last name"), contact["last_name"]),
            (_("Status"), contact["status"]),
            (_("Created"), contact["created_at"]),
            (_("Updated"), contact["updated_at"]),
            (_("Last activity"), contact["last_activity_at"] or ""),
        ]
        rows += [
            (_("Field: {name}").format(name=name), value)
            for name, value in contact["fields"].items()
        ]
        basis = data["basis"]
        if basis is not None:
            rows += [
                (_("Lawful basis"), basis["kind"]),
                (_("Source"), basis["source"]),
                (pgettext("editor.contacts.privacy._rows", "Basis date"), basis["date"] or ""),
                (_("Proof"), basis["proof"]),
            ]
        rows += [
            (_("List: {name}").format(name=item["name"]), item["added_at"])
            for item in data["lists"]
        ]
        for event in data["history"]:
            change = " → ".join(v for v in (event["old"], event["new"]) if v)
            details = "; ".join(v for v in (event["reason"], event["source"]) if v)
            text = event["kind"] + (f": {change}" if change else "")
            text += f" ({details})" if details else ""
            rows.append((_("History {at}").format(at=event["at"]), text))
        rows += _measurement_rows(data.get("measurement"))
    suppression = data["suppression"]
    rows.append(
        (
            _("Suppression list"),
            f"{suppression['reason']} ({suppression['at']})" if suppression else _("no"),
        )
    )
    return rows


def _measurement_rows(measurement: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The consent to measurement and the opens and clicks counted, as readable lines."""
    if not measurement:
        return []
    rows: list[tuple[str, str]] = []
    consent = measurement["consent"]
    if consent is not None:
        state = consent["given_at"]
        if consent["withdrawn_at"]:
            state += " — " + _("withdrawn {at}").format(at=consent["withdrawn_at"])
        rows += [
            (_("Consent to open and click measurement"), state),
            (_("Proof of that consent"), consent["proof"]),
        ]
    if measurement["measured_messages"]:
        rows.append((_("Messages measured"), str(measurement["measured_messages"])))
    for event in measurement["events"]:
        what = _("opened") if event["kind"] == "open" else _("clicked {link}")
        text = what.format(link=event["link"] or "") + f" ×{event['count']}"
        rows.append(
            (_("Measured {at}").format(at=event["first_at"]), f"{event['campaign']}: {text}")
        )
    return rows


def person_csv(data: dict[str, Any]) -> bytes:
    """The export as a two-column CSV, UTF-8 with a BOM so Excel shows accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("field"), _("value")])
    for label, value in _rows(data):
        writer.writerow([defuse(label), defuse(value)])
    return buffer.getvalue().encode("utf-8-sig")


def write_person_export(
    store: ContactStore, email: str, folder: Path, *, now: str | None = None
) -> tuple[Path, Path]:
    """Write the export of ``email`` into ``folder`` as ``<address>.json`` and ``<address>.csv``
    (atomically: an interrupted export never leaves a half file to send); returns both paths."""
    data = export_person(store, email, now=now)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = _UNSAFE_NAME.sub("_", email.strip()).strip("._") or "contact"
    prefix = pgettext("file name", "data")  # a file name: no accents (« donnees »)
    stem = f"{prefix}-{stem[:100]}"
    json_path = folder / f"{stem}.json"
    csv_path = folder / f"{stem}.csv"
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    write_atomic(json_path, text.encode("utf-8"))
    write_atomic(csv_path, person_csv(data))
    return json_path, csv_path


# --- erasure and retention -------------------------------------------------------------------


class Forgotten(NamedTuple):
    """What :func:`forget` did: whether a contact was held, and whether no copy of its data
    is left on disk (False while another program reads the database: finished at next start)."""

    held: bool
    complete: bool


def forget(store: ContactStore, email: str, *, now: str | None = None) -> Forgotten:
    """Erase everything about ``email`` but a salted hash in the suppression list ("erased").

    An unknown address is suppressed all the same (see the module docstring). The write-ahead
    log is then emptied into the file, where deleted rows are zeroed (``secure_delete``), so no
    copy of the data stays on disk; when a reader blocks that, the result says so.
    """
    held = store.erase(email, now=now)
    return Forgotten(held, store.erasure.finish())


def erasure_pending_message() -> str:
    """What to tell the user when :attr:`Forgotten.complete` is False."""
    return _(
        "Another program or window is still reading the contacts database, so copies of the "
        "erased data remain in its journal file (contacts.sqlite3-wal) for now. Close the "
        "other windows: Bulletin removes them the next time it opens the contacts."
    )


def inactive(
    store: ContactStore,
    days: int,
    now: str | datetime | None = None,
    *,
    basis: str | None = None,
) -> list[Contact]:
    """Contacts with no sign of life for more than ``days`` days: the latest of last activity
    (a message sent, opened, clicked), last change (consent renewed, an edit) and creation.
    ``basis`` narrows to one lawful basis (e.g. ``consent`` for prospects). The preview to
    show before :func:`purge`."""
    if days < 0:
        raise ValueError(_("Days must be positive."))
    reference = datetime.fromisoformat(iso_utc(now).replace("Z", "+00:00"))
    cutoff = (reference - timedelta(days=days)).astimezone(UTC)
    return store.inactive(cutoff.strftime("%Y-%m-%dT%H:%M:%SZ"), basis=basis)


def purge(store: ContactStore, ids: Iterable[int | Contact], *, now: str | None = None) -> int:
    """Erase these contacts (as :func:`forget`, in one transaction); returns how many.

    Give the contacts of the preview (:func:`inactive`) rather than their ids: a contact that
    changed or showed activity since the preview (a message opened, consent given again, an
    edit) is then spared, since it is no longer what the user agreed to erase.
    """
    with transaction(store.connection) as conn:
        seen: dict[int, tuple[str, str | None]] = {}
        plain: list[int] = []
        for item in ids:
            if isinstance(item, Contact):
                seen[item.id] = (item.updated_at, item.last_activity_at)
            else:
                plain.append(item)
        if seen:
            now_rows = conn.execute(
                "SELECT id, updated_at, last_activity_at FROM contacts"
                " WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(list(seen)),),
            ).fetchall()
            plain += [row[0] for row in now_rows if seen[row[0]] == (row[1], row[2])]
        count = store.erase_ids(plain, now=now)
    store.erasure.finish()  # store.erasure.pending tells the caller if a reader blocked it
    return count


# --- sensitive data --------------------------------------------------------------------------

# What each category of special data is called in the warning below.
_CATEGORIES: dict[str, str] = {
    "health": N_("health data"),
    "religion": N_("religious data"),
    "politics": N_("political data"),
    "union": N_("trade-union data"),
    "sex": N_("sex-life or sexual-orientation data"),
    "ethnic": N_("ethnic-origin data"),
    "genetic": N_("genetic or biometric data"),
}

# Whole words (accents and case folded), so "Unionville", "Partner" or "Syndic" never match.
_WORDS: dict[str, str] = {}
for _category, _vocabulary in {
    "health": (
        "sante health medical medicale medicales medicaux medecin maladie maladies disease"
        " illness handicap handicape handicapee disability allergie allergies allergy"
        " allergique allergic pathologie pathology diagnosis vaccin vaccination vaccinated"
        " vaccine grossesse pregnancy pregnant sanguin blood diabete diabetes"
    ),
    "religion": (
        "religion religions religieux religieuse religious confession confessionnel culte"
        " cultes faith croyance croyances belief beliefs"
    ),
    "politics": "politique politiques political politics parti partis",
    "union": "syndicat syndicats syndical syndicale syndicaux syndique syndiquee union unions",
    "sex": (
        "sexualite sexuality sexual sexuel sexuelle sexuels sexuelles lgbt lgbtq lgbtqia"
        " homosexuel homosexuelle homosexual heterosexual bisexual"
    ),
    "ethnic": "ethnie ethnique ethniques ethnic ethnicity race racial raciale",
    "genetic": (
        "genetique genetiques genetic genetics genome adn dna biometrique biometriques biometrie"
        " biometric biometrics fingerprint fingerprints"
    ),
}.items():
    for _word in _vocabulary.split():
        _WORDS[_word] = _category
# Pairs of words that only together mean special-category data.
_PAIRS: dict[tuple[str, str], str] = {
    ("sex", "life"): "sex",
    ("vie", "sexuelle"): "sex",
    ("orientation", "sexuelle"): "sex",
    ("sexual", "orientation"): "sex",
    ("trade", "union"): "union",
    ("empreinte", "digitale"): "genetic",
    ("empreintes", "digitales"): "genetic",
    ("groupe", "sanguin"): "health",
    ("opinion", "politique"): "politics",
    ("opinions", "politiques"): "politics",
}
_CAMEL = re.compile(r"(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ])")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def _words(name: str) -> list[str]:
    """The words of a field name, accents and case folded; camelCase and snake_case split."""
    plain = plain_fold(_CAMEL.sub(" ", name))
    return [word for word in _NON_WORD.split(plain) if word]


def sensitive_category(name: str) -> str | None:
    """The art. 9 category a field name suggests (``health``, ``religion``...), if any."""
    words = _words(name)
    for pair in pairwise(words):
        if pair in _PAIRS:
            return _PAIRS[pair]
    for word in words:
        if word in _WORDS:
            return _WORDS[word]
    return None


def sensitive_field_warnings(names: Iterable[str]) -> list[str]:
    """One warning per field name that looks like special-category data (art. 9 GDPR)."""
    warnings: list[str] = []
    for name in names:
        category = sensitive_category(name)
        if category is None:
            continue
        kind = _(_CATEGORIES[category])
        warnings.append(
            _(
                'The field "{name}" looks like {kind}: the GDPR (art. 9) forbids collecting '
                "it without the person's explicit consent. Import it only if you have that."
            ).format(name=name, kind=kind)
        )
    return warnings
