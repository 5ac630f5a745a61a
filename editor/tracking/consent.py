"""Who agreed to have opens and clicks measured: consent, its date and proof, its withdrawal.

Separate from the lawful basis to receive the newsletter (a subscriber may want the letter
without being measured): CNIL asks for prior consent to individual open measurement. Giving
consent again after a withdrawal replaces the old record; a withdrawal keeps the row with its
date, as proof of when measuring stopped. A withdrawal applies from the next campaign that
starts or resumes; counts already read back stay in the campaign's aggregates (erasing the
contact removes them).

Each consent given or withdrawn is also a line of the contact's history (kind
``measurement``, new = ``given``/``withdrawn``, reason = the proof), in the same transaction,
so the contacts window shows when and how it changed beside the subscription's own changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from editor.contacts.db import Database
from editor.contacts.keys import email_key
from editor.contacts.model import INSERT_EVENTS, iso_utc

MAX_PROOF = 2000


@dataclass
class ConsentChange:
    """What :func:`give` or :func:`withdraw` did: how many changed, which addresses are not
    contacts (nothing recorded for them)."""

    changed: int = 0
    unknown: list[str] = field(default_factory=list)


def _contact_ids(db: Database, emails: Iterable[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    unknown: list[str] = []
    conn = db.connection
    for email in emails:
        row = conn.execute(
            "SELECT id FROM contacts WHERE email_key = ?", (email_key(email),)
        ).fetchone()
        if row is None:
            unknown.append(email)
        else:
            found[email] = int(row[0])
    return found, unknown


def give(
    db: Database,
    emails: Iterable[str],
    *,
    proof: str = "",
    now: str | None = None,
    source: str = "",
) -> ConsentChange:
    """Record consent to measurement for these contacts (one transaction)."""
    found, unknown = _contact_ids(db, emails)
    changed = give_ids(db, found.values(), proof=proof, now=now, source=source)
    return ConsentChange(changed, unknown)


EVENT = "measurement"  # the history's kind for consent to measurement given or withdrawn


def give_ids(
    db: Database,
    contact_ids: Iterable[int],
    *,
    proof: str = "",
    now: str | None = None,
    source: str = "",
) -> int:
    """Record consent to measurement for these contacts (the contacts window's selection);
    returns how many. ``source``: where it came from, for the history (an import's file…)."""
    stamp = iso_utc(now)
    proof = " ".join(proof.split())[:MAX_PROOF]
    ids = sorted(set(contact_ids))
    with db.transaction() as conn:
        for contact_id in ids:
            conn.execute(
                "INSERT INTO tracking_consent (contact_id, given_at, proof) VALUES (?, ?, ?)"
                " ON CONFLICT (contact_id) DO UPDATE SET given_at = excluded.given_at,"
                " proof = excluded.proof, withdrawn_at = NULL",
                (contact_id, stamp, proof),
            )
        conn.executemany(
            INSERT_EVENTS + " VALUES (?, ?, ?, NULL, 'given', ?, ?)",
            [(contact_id, stamp, EVENT, proof, source) for contact_id in ids],
        )
    return len(ids)


def withdraw(
    db: Database, emails: Iterable[str], *, now: str | None = None, source: str = ""
) -> ConsentChange:
    """Record that these contacts withdrew their consent (those who had given it)."""
    found, unknown = _contact_ids(db, emails)
    return ConsentChange(withdraw_ids(db, found.values(), now=now, source=source), unknown)


def withdraw_ids(
    db: Database, contact_ids: Iterable[int], *, now: str | None = None, source: str = ""
) -> int:
    """Record the withdrawal for these contacts; returns how many had consented."""
    stamp = iso_utc(now)
    changed: list[int] = []
    with db.transaction() as conn:
        for contact_id in sorted(set(contact_ids)):
            if conn.execute(
                "UPDATE tracking_consent SET withdrawn_at = ?"
                " WHERE contact_id = ? AND withdrawn_at IS NULL",
                (stamp, contact_id),
            ).rowcount:
                changed.append(contact_id)
        conn.executemany(
            INSERT_EVENTS + " VALUES (?, ?, ?, 'given', 'withdrawn', '', ?)",
            [(contact_id, stamp, EVENT, source) for contact_id in changed],
        )
    return len(changed)


@dataclass(frozen=True)
class ConsentRecord:
    given_at: str
    proof: str
    withdrawn_at: str | None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


def record(db: Database, email: str) -> ConsentRecord | None:
    """The consent record of one contact (for the person's own access request), or None."""
    row = db.connection.execute(
        "SELECT t.given_at, t.proof, t.withdrawn_at FROM tracking_consent t"
        " JOIN contacts c ON c.id = t.contact_id WHERE c.email_key = ?",
        (email_key(email),),
    ).fetchone()
    return None if row is None else ConsentRecord(str(row[0]), str(row[1]), row[2])


def consenting_ids(db: Database) -> set[int]:
    """The contacts who consent to measurement now (a withdrawn consent is not one)."""
    rows = db.connection.execute(
        "SELECT contact_id FROM tracking_consent WHERE withdrawn_at IS NULL"
    )
    return {int(row[0]) for row in rows}


def consenting_count(db: Database) -> int:
    """How many contacts currently consent to measurement."""
    row = db.connection.execute(
        "SELECT count(*) FROM tracking_consent WHERE withdrawn_at IS NULL"
    ).fetchone()
    return int(row[0])


def person_measurement(db: Database, contact_id: int) -> dict[str, object]:
    """What measurement holds about one contact, for their right of access (GDPR art. 15):
    the consent record and, per measured message, the opens and clicks counted (the hour of the
    first, and how many)."""
    conn = db.connection
    row = conn.execute(
        "SELECT given_at, proof, withdrawn_at FROM tracking_consent WHERE contact_id = ?",
        (contact_id,),
    ).fetchone()
    consent = None if row is None else {"given_at": row[0], "proof": row[1], "withdrawn_at": row[2]}
    events = [
        {
            "campaign": subject,
            "kind": kind,
            "link": url if link >= 0 else None,
            "first_at": first_at,
            "count": hits,
        }
        for subject, kind, link, url, first_at, hits in conn.execute(
            "SELECT c.subject, h.kind, h.link, coalesce(l.url, ''), h.first_at, h.hits"
            " FROM tracking_deliveries m JOIN tracking_hits h ON h.delivery_id = m.delivery_id"
            " JOIN campaigns c ON c.id = m.campaign_id"
            " LEFT JOIN tracking_links l ON l.campaign_id = m.campaign_id AND l.link = h.link"
            " WHERE m.contact_id = ? ORDER BY h.first_at, h.kind, h.link",
            (contact_id,),
        )
    ]
    measured = conn.execute(
        "SELECT count(*) FROM tracking_deliveries WHERE contact_id = ?", (contact_id,)
    ).fetchone()[0]
    return {"consent": consent, "measured_messages": int(measured), "events": events}
