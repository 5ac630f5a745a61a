"""What the contacts repositories share: the data they return, checks, timestamps, SQL pieces.

Kept apart so each repository module (:mod:`~editor.contacts.contacts_repo`,
:mod:`~editor.contacts.lists`, :mod:`~editor.contacts.suppression`, ...) reads on its own and none
imports another just for a dataclass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from editor.contacts.db import StoreError
from editor.contacts.keys import SEP as _SEP
from editor.contacts.keys import fold as _fold
from editor.contacts.keys import sort_key
from editor.i18n import _

DB_NAME = "contacts.sqlite3"

Status = Literal["subscribed", "unsubscribed", "bounced", "complained"]
BasisKind = Literal["consent", "customer", "professional"]
STATUSES: tuple[Status, ...] = ("subscribed", "unsubscribed", "bounced", "complained")
SUPPRESSED_STATUSES: tuple[Status, ...] = ("unsubscribed", "bounced", "complained")
BASES: tuple[BasisKind, ...] = ("consent", "customer", "professional")
ERASED = "erased"  # suppression reason of a forgotten person

CONTACT_COLUMNS = (
    "c.id, c.email, c.first_name, c.last_name, c.fields, c.status, c.basis, c.basis_source,"
    " c.basis_date, c.basis_proof, c.created_at, c.updated_at, c.last_activity_at,"
    " (SELECT json_group_array(l.name) FROM memberships m JOIN lists l ON l.id = m.list_id"
    " WHERE m.contact_id = c.id)"
)
INSERT_EVENTS = "INSERT INTO events (contact_id, at, kind, old, new, reason, source)"
INSERT_EVENT = f"{INSERT_EVENTS} VALUES (?, ?, ?, ?, ?, ?, ?)"

EventRow = tuple[int, str, str, str | None, str | None, str, str]


class ContactError(StoreError, ValueError):
    """A request the store refuses (unknown list, duplicate address...), explained for the user."""


def search_terms(search: str) -> list[str]:
    """The folded words of a search box: a contact matches when it contains every one."""
    return [_fold(word) for word in search.replace(_SEP, " ").split()]


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_utc(value: str | datetime | None = None) -> str:
    """A timestamp as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC), the one form stored, so text order is time
    order. Naive values are taken as UTC; ``None`` is now."""
    if value is None:
        return utc_now()
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ContactError(_('Invalid date: "{value}".').format(value=value)) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def blank(value: str) -> bool:
    return not value or value.isspace()


def ids_json(ids: Iterable[int]) -> str:
    return json.dumps([int(i) for i in ids])


# --- data ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Basis:
    """The lawful basis for emailing someone, with what proves it.

    ``source``: where the address came from (« formulaire du site », « salon 2025 »);
    ``proof``: e.g. the wording of the consent checkbox; ``date``: ISO date of the consent or
    relationship, empty for "when recorded".
    """

    kind: str
    source: str = ""
    proof: str = ""
    date: str = ""


@dataclass(slots=True)
class ContactInput:
    """One incoming contact; ``email`` already validated and trimmed by the caller."""

    email: str
    first_name: str = ""
    last_name: str = ""
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Contact:
    id: int
    email: str
    first_name: str
    last_name: str
    fields: dict[str, str]
    status: Status
    basis: BasisKind | None
    basis_source: str
    basis_date: str | None
    basis_proof: str
    lists: list[str]
    created_at: str
    updated_at: str
    last_activity_at: str | None


@dataclass(frozen=True, slots=True)
class ListInfo:
    id: int
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Event:
    """One line of a contact's history.

    ``kind`` is one of: ``created``/``imported`` (new = the list it went into, if any;
    reason = basis kind; the contact starts subscribed),
    ``updated`` (an import merged new values; old/new are JSON of the changed values),
    ``edited`` (same, by hand), ``basis`` (old/new = basis kind, reason = proof),
    ``status`` (old/new = status), ``list_added`` (new = list), ``list_removed``/``list_deleted``
    (old = list).
    """

    at: str
    kind: str
    old: str | None
    new: str | None
    reason: str
    source: str


@dataclass(slots=True)
class UpsertResult:
    """What an import did. ``updated`` counts existing contacts found in the batch (merged and
    put in the list), ``changed`` those of them whose stored data actually changed;
    ``suppressed`` lists the addresses skipped (suppressed or not subscribed), as given."""

    added: int = 0
    updated: int = 0
    suppressed: list[str] = field(default_factory=list)
    changed: int = 0


@dataclass(frozen=True, slots=True)
class ContactQuery:
    """What the contacts table shows: ``search`` matches email, first and last name (every word,
    case-insensitively); ``sort`` is one of :data:`SORTS`, ties broken by id."""

    search: str = ""
    status: str | None = None
    basis: str | None = None
    list_id: int | None = None
    sort: str = "email"
    descending: bool = False


def check_status(status: str) -> Status:
    if status not in STATUSES:
        raise ContactError(
            _('Unknown status: "{status}" (expected: {statuses}).').format(
                status=status, statuses=", ".join(STATUSES)
            )
        )
    return status


def check_basis_kind(kind: str) -> BasisKind:
    if kind not in BASES:
        raise ContactError(
            _(
                'Unknown lawful basis: "{kind}" (expected: consent, customer or professional).'
            ).format(kind=kind)
        )
    return kind


def basis_date(basis: Basis, stamp: str) -> str:
    """The basis date as given when it is an ISO date, normalised to UTC when a timestamp."""
    text = basis.date.strip()
    if not text:
        return stamp
    if len(text) == 10:
        try:
            return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
        except ValueError:
            pass
    return iso_utc(text)


def contact_from_row(row: Sequence[Any]) -> Contact:
    lists = sorted(json.loads(row[13]), key=sort_key) if row[13] != "[]" else []
    return Contact(
        id=row[0],
        email=row[1],
        first_name=row[2],
        last_name=row[3],
        fields=json.loads(row[4]) if row[4] != "{}" else {},
        status=row[5],
        basis=row[6],
        basis_source=row[7],
        basis_date=row[8],
        basis_proof=row[9],
        lists=lists,
        created_at=row[10],
        updated_at=row[11],
        last_activity_at=row[12],
    )
