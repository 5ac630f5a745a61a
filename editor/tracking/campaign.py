"""A campaign's measurement, prepared each time it starts or resumes sending.

The decision (measured or not, through which endpoint) is taken once, the first time the
campaign runs, from the settings of that moment, and recorded: a paused campaign resumed after
the user turned measurement off or on keeps what it started with, so one campaign's figures
always cover one way of sending. A campaign that had already sent messages before this existed
is never measured.

For a measured campaign, each run gives a random token to every delivery still to be sent whose
contact consents now (a withdrawal since the last run removes the token of that person's unsent
delivery), and returns the :class:`~editor.tracking.links.Measurement` the message factory uses.
Everyone else's message is the one they would get without measurement.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from editor.contacts.db import Database
from editor.contacts.model import iso_utc
from editor.i18n import _
from editor.sending.frozen import FrozenNewsletter
from editor.tracking import TrackingError
from editor.tracking import settings as tracking_settings
from editor.tracking.links import LinkPlan, Measurement, plan_links

#: Merge fields whose value is (or carries) the unsubscribe link: never measured.
UNSUBSCRIBE_FIELDS = frozenset({"unsubscribe_url", "unsubscribe_token"})
_UNSENT = ("queued", "sending")


def new_token() -> str:
    """A random measurement token: 128 bits, base64url (22 characters)."""
    return secrets.token_urlsafe(16)


def link_plan(frozen: FrozenNewsletter) -> LinkPlan:
    """The campaign's measured links (see :class:`~editor.tracking.links.LinkPlan`)."""
    tags = frozen.rendered.tags
    unsubscribe = tuple(key for key in tags.expressions if tags.names([key]) & UNSUBSCRIBE_FIELDS)

    def label(marker: str) -> str:
        expression = tags.expressions.get(marker[4:-1])
        return f"{{{{ {expression.source} }}}}" if expression is not None else marker

    return plan_links(frozen.rendered.html, unsubscribe, label)


def decision(db: Database, campaign_id: int) -> tuple[bool, str] | None:
    """(measured, endpoint) recorded for the campaign, or None before its first run."""
    row = db.connection.execute(
        "SELECT measured, endpoint FROM tracking_campaigns WHERE campaign_id = ?", (campaign_id,)
    ).fetchone()
    return None if row is None else (bool(row[0]), str(row[1]))


def prepare(
    db: Database,
    campaign_id: int,
    frozen: FrozenNewsletter,
    *,
    settings: tracking_settings.TrackingSettings | None = None,
    secret: Callable[[], str] = tracking_settings.get_secret,
    now: str | None = None,
) -> Measurement | None:
    """Decide (first run) or read the campaign's measurement; register this run's tokens.

    None: the campaign is not measured, and every message is the usual one. Raises
    :class:`TrackingError` (nothing recorded) when measurement is on but the secret cannot be
    read from the keychain: sending then waits until the user fixes it or turns measurement off.
    """
    known = decision(db, campaign_id)
    if known is not None and not known[0]:
        return None
    if known is None:
        current = settings if settings is not None else tracking_settings.load()
        started = db.connection.execute(
            "SELECT 1 FROM deliveries WHERE campaign_id = ? AND state NOT IN"
            " ('queued', 'skipped') LIMIT 1",
            (campaign_id,),
        ).fetchone()
        measured = current.enabled and current.configured and started is None
        if not measured:
            _record(db, campaign_id, False, "", now)
            return None
        endpoint = current.url
    else:
        endpoint = known[1]
    key = _secret(secret)
    plan = link_plan(frozen)
    with db.transaction() as conn:
        if known is None:
            _record(db, campaign_id, True, endpoint, now)
            conn.executemany(
                "INSERT OR IGNORE INTO tracking_links (campaign_id, link, url) VALUES (?, ?, ?)",
                [(campaign_id, n, url) for n, url in enumerate(plan.labels)],
            )
        # A withdrawal since the last run: that person's unsent message is no longer measured.
        conn.execute(
            "DELETE FROM tracking_deliveries WHERE campaign_id = ? AND delivery_id IN"
            " (SELECT d.id FROM deliveries d WHERE d.campaign_id = ? AND d.state IN (?, ?))"
            " AND contact_id NOT IN"
            " (SELECT contact_id FROM tracking_consent WHERE withdrawn_at IS NULL)",
            (campaign_id, campaign_id, *_UNSENT),
        )
        fresh = conn.execute(
            "SELECT d.id, d.contact_id FROM deliveries d"
            " JOIN tracking_consent t ON t.contact_id = d.contact_id AND t.withdrawn_at IS NULL"
            " WHERE d.campaign_id = ? AND d.state IN (?, ?)"
            " AND d.id NOT IN (SELECT delivery_id FROM tracking_deliveries WHERE campaign_id = ?)",
            (campaign_id, *_UNSENT, campaign_id),
        ).fetchall()
        conn.executemany(
            "INSERT INTO tracking_deliveries (delivery_id, campaign_id, contact_id, token)"
            " VALUES (?, ?, ?, ?)",
            [(int(d), campaign_id, int(c), new_token()) for d, c in fresh],
        )
        tokens = {
            int(d): str(t)
            for d, t in conn.execute(
                "SELECT m.delivery_id, m.token FROM tracking_deliveries m"
                " JOIN deliveries d ON d.id = m.delivery_id"
                " WHERE m.campaign_id = ? AND d.state IN (?, ?)",
                (campaign_id, *_UNSENT),
            )
        }
    return Measurement(endpoint=endpoint, secret=key, tokens=tokens, plan=plan)


def _record(db: Database, campaign_id: int, measured: bool, endpoint: str, now: str | None) -> None:
    with db.transaction() as conn:
        conn.execute(
            "INSERT OR IGNORE INTO tracking_campaigns (campaign_id, measured, endpoint, decided_at)"
            " VALUES (?, ?, ?, ?)",
            (campaign_id, int(measured), endpoint, iso_utc(now)),
        )


def _secret(secret: Callable[[], str]) -> str:
    from editor.sending.secrets import KeychainError

    try:
        return secret()
    except KeychainError as exc:
        raise TrackingError(
            _(
                "Opens and clicks are measured for consenting contacts, but the endpoint's "
                "secret cannot be read: {reason} (or turn measurement off: bulletin tracking "
                "disable)."
            ).format(reason=str(exc).rstrip("."))
        ) from exc
