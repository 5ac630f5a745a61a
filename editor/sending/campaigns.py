"""Campaigns and their per-recipient queue, in the profile database.

A campaign is a frozen copy of the newsletter (:mod:`editor.sending.frozen`, stored as a BLOB),
the chosen lists, the account's name and a schedule. :meth:`CampaignStore.create` writes the
campaign and one delivery per member of the audience (recipients ``queued``, the others
``skipped`` with their reason, see :mod:`editor.sending.audience`) in one transaction: a crash
during creation leaves no half campaign.

The queue is crash-safe because every state change is its own committed transaction, made
*before* the network step it announces: a delivery is ``sending`` (committed) before its
message goes to the server, and ``sent`` (committed, with the reply) after. If the process dies
in between, the delivery is still ``sending`` on restart; :meth:`CampaignStore.recover` turns it
into ``unknown`` — the message may or may not have left — and nothing resends it unless the user
chooses to (:meth:`CampaignStore.resume` with ``resend_unknown=True``, ``bulletin resume ID
--resend-unknown``). A running campaign holds a lock file next to the database
(:class:`CampaignLock`), so a second process never mistakes a live campaign for a crashed one.

Campaign states: ``draft`` (created, not started), ``scheduled`` (waits for ``scheduled_at``),
``sending``, ``paused`` (by the user, Ctrl+C, an authentication failure or an unreachable server:
``pause_reason`` says which), ``waiting`` (a daily or monthly quota is used up: resumes at
``scheduled_at``), ``done``, ``cancelled``.

The runner (:mod:`editor.sending.runner`) is the only writer of delivery states while a
campaign runs; the UI and the inbox (issue 11) read through this class.
"""

from __future__ import annotations

import builtins
import json
import secrets
import sqlite3
import sys
import threading
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from editor.contacts.db import Database, StoreError, insert_rows, transaction
from editor.contacts.model import iso_utc
from editor.i18n import _
from editor.sending.audience import (
    SKIP_REASONS,
    AudienceRow,
    AudienceSummary,
    iter_audience,
    known_fields,
    list_ids,
    merge_findings,
)
from editor.sending.campaign_db import DELIVERY_STATES

if TYPE_CHECKING:
    from editor.sending.frozen import FrozenNewsletter

Clock = Callable[[], datetime]
BATCH = 2000  # deliveries inserted per statement group while creating a campaign
ACTIVE_STATES = ("draft", "scheduled", "sending", "paused", "waiting")


class CampaignError(StoreError):
    """A campaign request refused, in a sentence for the user (e.g. no eligible recipient)."""


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Counts:
    """Deliveries per state (the ``counts`` object of ``bulletin campaigns --json``)."""

    queued: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    unknown: int = 0
    skipped: int = 0

    @property
    def recipients(self) -> int:
        """Everyone the campaign is for (skipped rows excluded)."""
        return self.queued + self.sending + self.sent + self.failed + self.unknown

    @property
    def remaining(self) -> int:
        return self.queued + self.sending

    def as_dict(self) -> dict[str, int]:
        return {state: getattr(self, state) for state in DELIVERY_STATES}


@dataclass(frozen=True, slots=True)
class Campaign:
    """A campaign as listed (newest first) and summarised; ``counts`` per delivery state."""

    id: int
    uid: str
    subject: str
    status: str
    pause_reason: str
    created: str
    scheduled_at: str | None
    started_at: str | None
    finished_at: str | None
    account: str
    lists: list[str]
    document: str
    spread: bool
    counts: Counts = field(default_factory=Counts)

    def to_json(self) -> dict[str, Any]:
        """The exact shape of ``bulletin campaigns --json`` (one element)."""
        return {
            "id": self.id,
            "subject": self.subject,
            "status": self.status,
            "created": self.created,
            "counts": self.counts.as_dict(),
        }


CampaignInfo = Campaign  # the name sending_api.md gives the listed form


@dataclass(frozen=True, slots=True)
class DeliveryRef:
    """What the inbox (issue 11) needs to attach a reply, bounce or unsubscription."""

    delivery_id: int
    campaign_id: int
    contact_id: int | None
    email: str
    state: str
    token: str | None
    message_id: str | None


@dataclass(frozen=True, slots=True)
class Delivery:
    """One row of the per-recipient report."""

    id: int
    contact_id: int | None
    email: str
    name: str
    state: str
    skip_reason: str
    attempts: int
    smtp_code: int | None
    smtp_reply: str
    updated_at: str
    sent_at: str | None


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery the runner has just marked ``sending``: everything to build its message."""

    id: int
    contact_id: int | None
    email: str
    first_name: str
    last_name: str
    fields: dict[str, str]
    token: str
    message_id: str
    attempts: int


class _ClaimRequest:
    """One worker's claim waiting for the group commit (see :meth:`CampaignStore.claim`)."""

    __slots__ = ("campaign_id", "done", "error", "make_message_id", "now", "result", "sent")

    def __init__(
        self,
        campaign_id: int,
        make_message_id: Callable[[int], str],
        now: datetime,
        sent: tuple[int, int, str, datetime] | None,
    ) -> None:
        self.campaign_id = campaign_id
        self.make_message_id = make_message_id
        self.now = now
        self.sent = sent
        self.result: Claimed | None = None
        self.error: BaseException | None = None
        self.done = False


_CAMPAIGN_COLUMNS = (
    "id, uid, subject, status, pause_reason, created, scheduled_at, started_at, finished_at,"
    " account, lists, document, spread"
)
_MARK_SENT = (
    "UPDATE deliveries SET state = 'sent', smtp_code = ?, smtp_reply = ?, updated_at = ?,"
    " next_attempt_at = NULL, sent_at = ? WHERE id = ?"
)
_DELIVERY_REF = "id, campaign_id, contact_id, email, state, token, message_id"


class CampaignLock:
    """An exclusive lock file for one running campaign (``<db>.campaign-<id>.lock``).

    Held by the runner while it sends; the operating system releases it when the process dies,
    even by SIGKILL, which is how a crashed campaign is told apart from one another process is
    sending. Where no file locking is available the lock always succeeds.
    """

    def __init__(self, db_path: Path, campaign_id: int) -> None:
        self.path = Path(f"{db_path}.campaign-{campaign_id}.lock")
        self._file: IO[bytes] | None = None

    def acquire(self) -> bool:
        """Take the lock without waiting; False if another process holds it."""
        if self._file is not None:
            return True
        handle = open(self.path, "a+b")  # noqa: SIM115 (kept open while the lock is held)
        try:
            if sys.platform == "win32":  # pragma: no cover - Windows
                import msvcrt

                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is not None:
            with suppress(OSError):
                self._file.close()
            self._file = None
            with suppress(OSError):
                self.path.unlink()


class CampaignStore:
    """Campaigns, deliveries and delivery events over the profile :class:`Database`.

    Usable from any thread (one SQLite connection per thread, see :mod:`editor.db`); the
    runner's worker threads write through it. ``clock`` (UTC-aware datetimes) is injectable for
    tests. Opening the store recovers campaigns a crash left ``sending`` (see the module doc).
    """

    def __init__(self, db: Database, *, clock: Clock = utcnow) -> None:
        self.db = db
        self.clock = clock
        self._group = threading.Condition()
        self._waiting: builtins.list[_ClaimRequest] = []
        self._leading = False
        self.recover_all()

    # -- creating -----------------------------------------------------------------------------

    def preview(
        self, list_names: Sequence[str], used_fields: Sequence[str] = ()
    ) -> AudienceSummary:
        """The summary before a campaign exists (nothing written): see
        :func:`editor.sending.audience.summarise`."""
        from editor.sending.audience import summarise

        return summarise(self.db, list_names, used_fields)

    def create(
        self,
        frozen: FrozenNewsletter,
        *,
        lists: list[str],
        account: str,
        scheduled_at: datetime | None,
        document: str = "",
        spread: bool = True,
    ) -> Campaign:
        """Store the campaign with its frozen copy and one delivery per audience member.

        Refused (CampaignError, nothing written) when a merge tag cannot be filled or no one is
        eligible. ``scheduled_at`` in the future makes it ``scheduled``; else it is a ``draft``
        the caller runs at once. ``spread``: when a quota is used up, wait for the next day
        instead of pausing.
        """
        from editor.sending import frozen as frozen_module
        from editor.sending.tokens import new_token

        used = _merge_fields_of(frozen)
        findings = merge_findings(used, known_fields(self.db))
        if findings:
            from editor.findings import message

            raise CampaignError(" ".join(message(f) for f in findings))
        blob = frozen_module.to_bytes(frozen)
        now = self.clock()
        stamp = iso_utc(now)
        when = iso_utc(scheduled_at) if scheduled_at is not None else None
        status = "scheduled" if when is not None and when > stamp else "draft"
        conn = self.db.connection
        with transaction(conn):
            names = [name for _id, name in list_ids(conn, lists)]
            cursor = conn.execute(
                "INSERT INTO campaigns (uid, subject, status, created, scheduled_at, account,"
                " lists, frozen, document, spread) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    secrets.token_hex(8),
                    frozen.subject,
                    status,
                    stamp,
                    when,
                    account,
                    json.dumps(names, ensure_ascii=False),
                    blob,
                    document,
                    int(spread),
                ),
            )
            campaign_id = int(cursor.lastrowid or 0)
            recipients = 0
            batch: list[tuple[object, ...]] = []
            for row in iter_audience(self.db, lists):
                recipients += not row.skip_reason
                batch.append(_delivery_row(campaign_id, account, row, stamp, new_token))
                if len(batch) >= BATCH:
                    _insert_deliveries(conn, batch)
                    batch = []
            _insert_deliveries(conn, batch)
            if recipients == 0:
                raise CampaignError(
                    _("No eligible recipient in {lists}: nobody would receive it.").format(
                        lists=", ".join(f"« {n} »" for n in names)
                    )
                )
        return self.get(campaign_id)

    # -- reading ------------------------------------------------------------------------------

    def get(self, campaign_id: int) -> Campaign:
        row = self.db.connection.execute(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ?",  # noqa: S608
            (campaign_id,),
        ).fetchone()
        if row is None:
            raise CampaignError(_("No campaign with id {id}.").format(id=campaign_id))
        return _campaign(row, self.counts(campaign_id))

    def list(self) -> list[Campaign]:
        """Every campaign, newest first, with its counts."""
        conn = self.db.connection
        counts: dict[int, dict[str, int]] = {}
        for cid, state, n in conn.execute(
            "SELECT campaign_id, state, count(*) FROM deliveries GROUP BY campaign_id, state"
        ):
            counts.setdefault(cid, {})[state] = n
        rows = conn.execute(
            f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns ORDER BY created DESC, id DESC"  # noqa: S608
        ).fetchall()
        return [_campaign(row, Counts(**counts.get(row[0], {}))) for row in rows]

    def counts(self, campaign_id: int) -> Counts:
        rows = self.db.connection.execute(
            "SELECT state, count(*) FROM deliveries WHERE campaign_id = ? GROUP BY state",
            (campaign_id,),
        ).fetchall()
        return Counts(**{state: n for state, n in rows})

    def summary(self, campaign_id: int) -> AudienceSummary:
        """Recipients and skipped people per reason, as stored with the campaign."""
        campaign = self.get(campaign_id)
        summary = AudienceSummary(lists=campaign.lists, recipients=campaign.counts.recipients)
        for reason, n in self.db.connection.execute(
            "SELECT skip_reason, count(*) FROM deliveries WHERE campaign_id = ?"
            " AND state = 'skipped' GROUP BY skip_reason",
            (campaign_id,),
        ):
            summary.skipped[reason] = n
        return summary

    def deliveries(
        self, campaign_id: int, *, state: str | None = None, offset: int = 0, limit: int = 200
    ) -> builtins.list[Delivery]:
        """A page of the per-recipient report, in queue order (``state`` filters)."""
        sql = (
            "SELECT id, contact_id, email, name, state, skip_reason, attempts, smtp_code,"
            " smtp_reply, updated_at, sent_at FROM deliveries WHERE campaign_id = ?"
        )
        params: list[object] = [campaign_id]
        if state is not None:
            sql += " AND state = ?"
            params.append(state)
        sql += " ORDER BY id LIMIT ? OFFSET ?"
        params += [limit, offset]
        return [Delivery(*row) for row in self.db.connection.execute(sql, params)]

    def events(self, delivery_id: int) -> builtins.list[tuple[str, str, str]]:
        """``(at, kind, detail)`` of a delivery, oldest first (attempts, retries, replies)."""
        rows = self.db.connection.execute(
            "SELECT at, kind, detail FROM delivery_events WHERE delivery_id = ? ORDER BY id",
            (delivery_id,),
        ).fetchall()
        return [(str(a), str(k), str(d)) for a, k, d in rows]

    def frozen_bytes(self, campaign_id: int) -> bytes:
        row = self.db.connection.execute(
            "SELECT frozen FROM campaigns WHERE id = ?", (campaign_id,)
        ).fetchone()
        if row is None:
            raise CampaignError(_("No campaign with id {id}.").format(id=campaign_id))
        return bytes(row[0])

    def frozen(self, campaign_id: int) -> FrozenNewsletter:
        """The campaign's frozen newsletter, exactly as confirmed."""
        from editor.sending import frozen as frozen_module

        return frozen_module.from_bytes(self.frozen_bytes(campaign_id))

    def delivery_by_token(self, token: str) -> DeliveryRef | None:
        row = self.db.connection.execute(
            f"SELECT {_DELIVERY_REF} FROM deliveries WHERE token = ?",  # noqa: S608
            (token,),
        ).fetchone()
        return DeliveryRef(*row) if row else None

    def delivery_by_message_id(self, message_id: str) -> DeliveryRef | None:
        """The delivery of a Message-ID, with or without its angle brackets."""
        value = message_id.strip()
        if not value.startswith("<"):
            value = f"<{value}>"
        row = self.db.connection.execute(
            f"SELECT {_DELIVERY_REF} FROM deliveries WHERE message_id = ?",  # noqa: S608
            (value,),
        ).fetchone()
        return DeliveryRef(*row) if row else None

    def due(self, now: datetime | None = None) -> builtins.list[int]:
        """Ids of the campaigns to start now: scheduled or waiting ones whose time has come."""
        from editor.sending.schedule import due_campaigns

        return due_campaigns(self.db, now or self.clock())

    # -- state changes ------------------------------------------------------------------------

    def set_status(
        self, campaign_id: int, status: str, reason: str = "", *, at: datetime | None = None
    ) -> None:
        """Change a campaign's state (``at``: when a ``waiting``/``scheduled`` one resumes)."""
        stamp = iso_utc(self.clock())
        with transaction(self.db.connection) as conn:
            sets = "status = ?, pause_reason = ?"
            params: list[object] = [status, reason]
            if status == "sending":
                sets += ", started_at = coalesce(started_at, ?), finished_at = NULL"
                params.append(stamp)
            if status in ("done", "cancelled"):
                sets += ", finished_at = ?"
                params.append(stamp)
            if at is not None:
                sets += ", scheduled_at = ?"
                params.append(iso_utc(at))
            conn.execute(f"UPDATE campaigns SET {sets} WHERE id = ?", [*params, campaign_id])  # noqa: S608

    def pause(self, campaign_id: int, reason: str = "") -> None:
        """Mark a campaign paused (a running runner is paused with :meth:`CampaignRunner.pause`)."""
        self._check_active(campaign_id)
        self.set_status(campaign_id, "paused", reason)

    def cancel(self, campaign_id: int) -> None:
        """Stop a campaign for good: what is still queued is never sent."""
        self._check_active(campaign_id)
        self.set_status(campaign_id, "cancelled")

    def reschedule(self, campaign_id: int, when: datetime) -> None:
        self._check_active(campaign_id)
        self.set_status(campaign_id, "scheduled", at=when)

    def resume(self, campaign_id: int, *, resend_unknown: bool = False) -> Campaign:
        """Prepare a paused, waiting, scheduled or interrupted campaign to run again.

        ``resend_unknown`` puts the deliveries whose fate is unknown back in the queue: the
        user's explicit choice, since they may already have received the message (allowed on a
        ``done`` campaign too). The status is left to the runner, which sets ``sending`` once it
        holds the campaign's lock (so a campaign another process is sending is not disturbed).
        """
        campaign = self.get(campaign_id)
        if campaign.status == "done" and resend_unknown and campaign.counts.unknown:
            pass  # a finished campaign may still send its unknown deliveries, if asked
        elif campaign.status == "done":
            return campaign  # nothing left to send
        else:
            self._check_active(campaign_id)
        self.recover(campaign_id)
        stamp = iso_utc(self.clock())
        with transaction(self.db.connection) as conn:
            if resend_unknown:
                ids = [
                    r[0]
                    for r in conn.execute(
                        "SELECT id FROM deliveries WHERE campaign_id = ? AND state = 'unknown'",
                        (campaign_id,),
                    )
                ]
                conn.execute(
                    "UPDATE deliveries SET state = 'queued', next_attempt_at = NULL,"
                    " updated_at = ? WHERE campaign_id = ? AND state = 'unknown'",
                    (stamp, campaign_id),
                )
                insert_rows(
                    conn,
                    "INSERT INTO delivery_events (delivery_id, at, kind, detail)",
                    [(i, stamp, "requeued", "resend unknown") for i in ids],
                )
        return self.get(campaign_id)

    def _check_active(self, campaign_id: int) -> Campaign:
        campaign = self.get(campaign_id)
        if campaign.status not in ACTIVE_STATES:
            raise CampaignError(
                _("Campaign {id} is {status}: it cannot be changed any more.").format(
                    id=campaign_id, status=status_label(campaign.status)
                )
            )
        return campaign

    # -- crash recovery -----------------------------------------------------------------------

    def lock(self, campaign_id: int) -> CampaignLock:
        return CampaignLock(self.db.path, campaign_id)

    def recover(self, campaign_id: int) -> int:
        """Deliveries a dead run left ``sending`` become ``unknown``; returns how many.

        Only when no live process holds the campaign's lock (else returns 0, changes nothing).
        """
        lock = self.lock(campaign_id)
        if not lock.acquire():
            return 0
        try:
            return self._recover_locked(campaign_id)
        finally:
            lock.release()

    def _recover_locked(self, campaign_id: int) -> int:
        stamp = iso_utc(self.clock())
        with transaction(self.db.connection) as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM deliveries WHERE campaign_id = ? AND state = 'sending'",
                    (campaign_id,),
                )
            ]
            conn.execute(
                "UPDATE deliveries SET state = 'unknown', updated_at = ?"
                " WHERE campaign_id = ? AND state = 'sending'",
                (stamp, campaign_id),
            )
            insert_rows(
                conn,
                "INSERT INTO delivery_events (delivery_id, at, kind, detail)",
                [(i, stamp, "unknown", "interrupted while sending") for i in ids],
            )
            conn.execute(
                "UPDATE campaigns SET status = 'paused', pause_reason = 'interrupted'"
                " WHERE id = ? AND status = 'sending'",
                (campaign_id,),
            )
            return len(ids)

    def recover_all(self) -> int:
        """:meth:`recover` every campaign left ``sending`` (or with deliveries ``sending``)."""
        rows = self.db.connection.execute(
            "SELECT id FROM campaigns WHERE status = 'sending' UNION"
            " SELECT DISTINCT campaign_id FROM deliveries WHERE state = 'sending'"
        ).fetchall()
        return sum(self.recover(int(row[0])) for row in rows)

    # -- the runner's queue operations (each one committed transaction) ----------------------

    def claim(
        self,
        campaign_id: int,
        make_message_id: Callable[[int], str],
        now: datetime,
        *,
        sent: tuple[int, int, str, datetime] | None = None,
    ) -> Claimed | None:
        """Take the next due queued delivery and mark it ``sending`` (committed) with its
        Message-ID; None when nothing is due now.

        ``sent``: ``(delivery id, code, reply, when)`` of the worker's previous message, recorded
        ``sent`` in the same transaction — one commit per message instead of two, and the
        previous message is still recorded before the next one goes to the server.

        Group commit: claims that arrive from other threads while one is being committed are
        committed together by the next thread in (one transaction, one fsync for several
        workers); every caller still returns only once its own claim is on disk.
        """
        request = _ClaimRequest(campaign_id, make_message_id, now, sent)
        group = self._group
        with group:
            self._waiting.append(request)
            while not request.done:
                if self._leading:
                    group.wait()
                    continue
                self._leading = True
                batch, self._waiting = self._waiting, []
                group.release()
                try:
                    self._claim_batch(batch)
                finally:
                    group.acquire()
                    self._leading = False
                    for item in batch:
                        item.done = True
                    group.notify_all()
        if request.error is not None:
            raise request.error
        return request.result

    def _claim_batch(self, batch: builtins.list[_ClaimRequest]) -> None:
        try:
            with transaction(self.db.connection) as conn:
                for request in batch:
                    request.result = self._claim_one(conn, request)
        except BaseException as exc:  # nothing of the batch was committed
            for request in batch:
                request.result, request.error = None, exc

    @staticmethod
    def _claim_one(conn: sqlite3.Connection, request: _ClaimRequest) -> Claimed | None:
        stamp = iso_utc(request.now)
        if request.sent is not None:
            done_id, code, reply, when = request.sent
            conn.execute(_MARK_SENT, (code, reply, iso_utc(when), iso_utc(when), done_id))
        row = conn.execute(
            "SELECT id, contact_id, email, merge, token, attempts FROM deliveries"
            " WHERE campaign_id = ? AND state = 'queued'"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT 1",
            (request.campaign_id, stamp),
        ).fetchone()
        if row is None:
            return None
        delivery_id, contact_id, email, merge, token, attempts = row
        message_id = request.make_message_id(delivery_id)
        conn.execute(
            "UPDATE deliveries SET state = 'sending', attempts = attempts + 1,"
            " message_id = ?, updated_at = ? WHERE id = ?",
            (message_id, stamp, delivery_id),
        )
        values = json.loads(merge) if merge else {}
        return Claimed(
            delivery_id,
            contact_id,
            email,
            str(values.get("first_name", "")),
            str(values.get("last_name", "")),
            dict(values.get("fields", {})),
            token or "",
            message_id,
            attempts + 1,
        )

    def next_retry(self, campaign_id: int) -> str | None:
        """When the earliest queued delivery may be tried (None: nothing queued)."""
        row = self.db.connection.execute(
            "SELECT min(coalesce(next_attempt_at, '')) , count(*) FROM deliveries"
            " WHERE campaign_id = ? AND state = 'queued'",
            (campaign_id,),
        ).fetchone()
        if not row or not row[1]:
            return None
        return str(row[0])

    def finish(
        self,
        delivery_id: int,
        state: str,
        *,
        now: datetime,
        code: int | None = None,
        reply: str = "",
        retry_at: datetime | None = None,
        detail: str = "",
    ) -> None:
        """Record an attempt's outcome: ``sent``, ``failed``, ``unknown`` or back to
        ``queued`` for a retry at ``retry_at`` (committed, with an event)."""
        stamp = iso_utc(now)
        with transaction(self.db.connection) as conn:
            conn.execute(
                "UPDATE deliveries SET state = ?, smtp_code = ?, smtp_reply = ?, updated_at = ?,"
                " next_attempt_at = ?, sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END"
                " WHERE id = ?",
                (
                    state,
                    code,
                    reply,
                    stamp,
                    iso_utc(retry_at) if retry_at is not None else None,
                    state,
                    stamp,
                    delivery_id,
                ),
            )
            kind = "retry" if state == "queued" else state
            text = detail or (f"{code} {reply}".strip() if code else reply)
            conn.execute(
                "INSERT INTO delivery_events (delivery_id, at, kind, detail) VALUES (?, ?, ?, ?)",
                (delivery_id, stamp, kind, text),
            )

    def release(self, delivery_id: int, *, now: datetime) -> None:
        """Put a claimed delivery back in the queue untouched (its message never left: a
        pause, or a connection that could not be opened)."""
        with transaction(self.db.connection) as conn:
            conn.execute(
                "UPDATE deliveries SET state = 'queued', attempts = max(attempts - 1, 0),"
                " updated_at = ? WHERE id = ? AND state = 'sending'",
                (iso_utc(now), delivery_id),
            )


def status_label(status: str) -> str:
    """A campaign state in the UI language."""
    labels = {
        "draft": _("not started"),
        "scheduled": _("scheduled"),
        "sending": _("sending"),
        "paused": _("paused"),
        "done": _("done"),
        "cancelled": _("cancelled"),
        "waiting": _("waiting for its quota"),
    }
    return labels.get(status, status)


def _merge_fields_of(frozen: object) -> list[str]:
    """See :func:`editor.sending.audience.required_fields`."""
    from editor.sending.audience import required_fields

    return sorted(required_fields(frozen))


def _delivery_row(
    campaign_id: int,
    account: str,
    row: AudienceRow,
    stamp: str,
    new_token: Callable[[], str],
) -> tuple[object, ...]:
    skipped = bool(row.skip_reason)
    return (
        campaign_id,
        row.contact_id,
        account,
        row.email,
        row.name,
        row.merge_json(),
        None if skipped else new_token(),
        "skipped" if skipped else "queued",
        row.skip_reason,
        stamp,
    )


def _insert_deliveries(conn: sqlite3.Connection, rows: list[tuple[object, ...]]) -> None:
    insert_rows(
        conn,
        "INSERT INTO deliveries (campaign_id, contact_id, account, email, name, merge, token,"
        " state, skip_reason, updated_at)",
        rows,
    )


def _campaign(row: Sequence[Any], counts: Counts) -> Campaign:
    return Campaign(
        id=row[0],
        uid=row[1],
        subject=row[2],
        status=row[3],
        pause_reason=row[4],
        created=row[5],
        scheduled_at=row[6],
        started_at=row[7],
        finished_at=row[8],
        account=row[9],
        lists=json.loads(row[10]),
        document=row[11],
        spread=bool(row[12]),
        counts=counts,
    )


__all__ = [
    "SKIP_REASONS",
    "Campaign",
    "CampaignError",
    "CampaignInfo",
    "CampaignLock",
    "CampaignStore",
    "Claimed",
    "Counts",
    "Delivery",
    "DeliveryRef",
    "status_label",
]
