"""Reading a mailbox's new messages over IMAP and processing each one once.

Per mailbox and folder the database keeps the folder's UIDVALIDITY and the last UID read
(``mailbox_state``). A sync selects the folder; if UIDVALIDITY changed (the server rebuilt the
folder: its UIDs mean other messages now) it starts over from UID 1, else it reads only UIDs
above the last one. It never holds the whole mailbox: UIDs are searched in windows of
:data:`SEARCH_WINDOW` UIDs, bodies fetched in batches of at most :data:`BATCH_MESSAGES`
messages and :data:`BATCH_BYTES` bytes, each message read up to :data:`MAX_MESSAGE_BYTES`
(headers, reports and quoted headers are at the start). Bodies are fetched with
``BODY.PEEK[]``, so nothing is marked read implicitly.

Each batch is processed in one database transaction that also stores the new last UID; then
the processed messages are flagged (the :data:`~editor.inbox.mailboxes.KEYWORD` keyword, plus
``\\Seen`` if the mailbox asks) or moved (``UID MOVE``; a server without MOVE gets a copy and the
keyword on the original, never an expunge). Nothing is ever deleted. In flag mode messages
already carrying the keyword are skipped, so a UIDVALIDITY reset does not read them again. A
second sync of the same mailbox changes nothing.
"""

from __future__ import annotations

import imaplib
import re
import sqlite3
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from editor.i18n import _
from editor.inbox.batch import (
    BATCH_BYTES,
    BATCH_MESSAGES,
    MAX_MESSAGE_BYTES,
    Cancelled,
    Progress,
    process_batch,
)
from editor.inbox.imap_connect import (
    ImapFailure,
    _classified,
    close,
    folder_exists,
    open_imap,
    quote,
    select_folder,
)
from editor.inbox.mailboxes import KEYWORD, Mailbox
from editor.inbox.subscriptions import SubscribeSettings

if TYPE_CHECKING:
    from editor.contacts.store import ContactStore
    from editor.inbox.process import Tally

SEARCH_WINDOW = 50_000  # UIDs per SEARCH: its answer stays well under imaplib's 1 MB line

_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_NUMBERS = re.compile(rb"\d+")


@dataclass
class SyncResult:
    """What a sync did: the tally of outcomes, and how it ended."""

    tally: Tally
    messages: int = 0  # messages read from the server
    cancelled: bool = False
    unmarked: int = 0  # processed, but the server refused to flag or move them
    restarted: bool = False  # UIDVALIDITY changed: the folder was read from the start


def mailbox_source(name: str) -> str:
    """Where a synced message came from, as the contact's history shows it (translated)."""
    return _('mailbox "{name}"').format(name=name)


# -- the bookmark in the database


def read_state(conn: sqlite3.Connection, mailbox: str, folder: str) -> tuple[int, int] | None:
    """``(uidvalidity, last_uid)`` stored for the folder, or None before its first sync."""
    row = conn.execute(
        "SELECT uidvalidity, last_uid FROM mailbox_state WHERE mailbox = ? AND folder = ?",
        (mailbox, folder),
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def write_state(
    conn: sqlite3.Connection, mailbox: str, folder: str, uidvalidity: int, last_uid: int
) -> None:
    conn.execute(
        """INSERT INTO mailbox_state (mailbox, folder, uidvalidity, last_uid)
        VALUES (?, ?, ?, ?)
        ON CONFLICT (mailbox, folder)
        DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid""",
        (mailbox, folder, uidvalidity, last_uid),
    )


def forget_state(conn: sqlite3.Connection, mailbox: str) -> None:
    """Drop a removed mailbox's bookmarks (a new mailbox of that name starts afresh)."""
    conn.execute("DELETE FROM mailbox_state WHERE mailbox = ?", (mailbox,))


# -- IMAP helpers


def uid_set(uids: list[int]) -> str:
    """``[1, 2, 3, 7, 9, 10]`` → ``"1:3,7,9:10"`` (sorted input)."""
    parts: list[str] = []
    start = prev = uids[0]
    for uid in uids[1:]:
        if uid == prev + 1:
            prev = uid
            continue
        parts.append(f"{start}:{prev}" if prev != start else str(start))
        start = prev = uid
    parts.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(parts)


def _ok(imap: imaplib.IMAP4, phase: str, *args: str) -> list[object]:
    """``imap.uid(*args)``'s data, or ImapFailure on a NO/BAD reply or a broken connection."""
    try:
        typ, data = imap.uid(*args)
    except Exception as exc:
        raise _classified(exc, phase) from None
    if typ != "OK":
        raise ImapFailure("other", " ".join(str(d) for d in data if d), phase=phase)
    return list(data)


def _response_number(imap: imaplib.IMAP4, code: str) -> int | None:
    _typ, data = imap.response(code)
    for item in data or []:
        if isinstance(item, bytes) and item.strip().isdigit():
            return int(item)
    return None


def _highest_uid(imap: imaplib.IMAP4) -> int:
    """The UID of the folder's last message (the folder is not empty)."""
    try:
        typ, data = imap.fetch("*", "(UID)")
    except Exception as exc:
        raise _classified(exc, "fetch") from None
    highest = 0
    for item in data if typ == "OK" else []:
        text = item[0] if isinstance(item, tuple) else item
        if isinstance(text, bytes) and (match := _UID.search(text)):
            highest = max(highest, int(match.group(1)))
    return highest


def _keywords_allowed(imap: imaplib.IMAP4) -> bool:
    """Whether the selected folder takes new keywords (``\\*`` in PERMANENTFLAGS)."""
    _typ, data = imap.response("PERMANENTFLAGS")
    return any(isinstance(item, bytes) and b"\\*" in item for item in data or [])


def _new_uids(
    imap: imaplib.IMAP4, first: int, highest: int, skip_flagged: bool
) -> Iterator[tuple[int, list[int]]]:
    """The UIDs from ``first`` to ``highest``, one search window at a time, sorted, with the
    window's last UID."""
    low = first
    while low <= highest:
        high = min(low + SEARCH_WINDOW - 1, highest)
        criteria = [f"UID {low}:{high}"] + (["UNKEYWORD", KEYWORD] if skip_flagged else [])
        data = _ok(imap, "fetch", "SEARCH", *criteria)
        found = sorted(
            uid
            for line in data
            if isinstance(line, bytes)
            for uid in map(int, _NUMBERS.findall(line))
            if low <= uid <= high
        )
        yield high, found
        low = high + 1


def _sizes(imap: imaplib.IMAP4, uids: list[int]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for item in _ok(imap, "fetch", "FETCH", uid_set(uids), "(UID RFC822.SIZE)"):
        text = item[0] if isinstance(item, tuple) else item
        if not isinstance(text, bytes):
            continue
        uid, size = _UID.search(text), _SIZE.search(text)
        if uid and size:
            sizes[int(uid.group(1))] = int(size.group(1))
    return sizes


def _plan(uids: list[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    """Groups of UIDs whose bodies (each capped) fit in a batch's byte budget."""
    group: list[int] = []
    total = 0
    for uid in uids:
        if uid not in sizes:  # expunged by another client since the search
            continue
        size = min(sizes[uid], MAX_MESSAGE_BYTES)
        if group and (total + size > BATCH_BYTES or len(group) >= BATCH_MESSAGES):
            yield group
            group, total = [], 0
        group.append(uid)
        total += size
    if group:
        yield group


def _bodies(imap: imaplib.IMAP4, uids: list[int]) -> list[tuple[int, bytes]]:
    """The (UID, raw message, capped) of ``uids``, in UID order; gone ones are left out."""
    wanted = set(uids)
    found: dict[int, bytes] = {}
    data = _ok(imap, "fetch", "FETCH", uid_set(uids), f"(UID BODY.PEEK[]<0.{MAX_MESSAGE_BYTES}>)")
    pending: bytes | None = None  # a literal whose UID comes after it (")" part)
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            head, body = item
            match = _UID.search(head) if isinstance(head, bytes) else None
            if match:
                found[int(match.group(1))] = bytes(body)
                pending = None
            else:
                pending = bytes(body)
        elif isinstance(item, bytes) and pending is not None:
            match = _UID.search(item)
            if match:
                found[int(match.group(1))] = pending
            pending = None
    return [(uid, found[uid]) for uid in sorted(found) if uid in wanted]


def _mark(imap: imaplib.IMAP4, mailbox: Mailbox, uids: list[int], keyword_ok: bool) -> bool:
    """Flag or move the processed ``uids``; False when the server refused."""
    if not uids:
        return True
    which = uid_set(uids)
    flags = ([KEYWORD] if keyword_ok else []) + (
        ["\\Seen"] if mailbox.mark_read or not keyword_ok else []
    )
    try:
        if mailbox.processed == "move":
            if "MOVE" in imap.capabilities:
                typ, _data = imap.uid("MOVE", which, quote(mailbox.move_to))
                return typ == "OK"
            typ, _data = imap.uid("COPY", which, quote(mailbox.move_to))
            if typ != "OK":
                return False
        typ, _data = imap.uid("STORE", which, "+FLAGS.SILENT", f"({' '.join(flags)})")
        return typ == "OK"
    except imaplib.IMAP4.abort as exc:
        raise _classified(exc, "fetch") from None
    except imaplib.IMAP4.error:
        return False


# -- the sync


def sync_mailbox(
    store: ContactStore,
    mailbox: Mailbox,
    password: str,
    *,
    ssl_context: ssl.SSLContext | None = None,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> SyncResult:
    """Process the folder's new messages (see the module doc); ImapFailure when the server
    cannot be used, StoreError from the database. Batches already processed stay processed."""
    from editor.inbox.process import Tally

    result = SyncResult(Tally())
    imap = open_imap(mailbox, password, ssl_context=ssl_context)
    try:
        _sync(imap, store, mailbox, result, now, progress, cancelled)
    except ImapFailure as failure:
        failure.host, failure.port = failure.host or mailbox.host, failure.port or mailbox.port
        raise
    finally:
        close(imap)
    return result


def _sync(
    imap: imaplib.IMAP4,
    store: ContactStore,
    mailbox: Mailbox,
    result: SyncResult,
    now: datetime | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> None:
    try:
        typ, data = imap.capability()  # again after login: MOVE is often announced only then
        if typ == "OK" and data and isinstance(data[0], bytes):
            imap.capabilities = tuple(data[0].decode("ascii", "replace").upper().split())
    except Exception as exc:
        raise _classified(exc, "select") from None
    if mailbox.processed == "move" and not folder_exists(imap, mailbox.move_to):
        raise ImapFailure("folder_missing", folder=mailbox.move_to, phase="select")
    exists = select_folder(imap, mailbox.folder)
    uidvalidity = _response_number(imap, "UIDVALIDITY") or 0
    keyword_ok = _keywords_allowed(imap)
    conn = store.connection
    stored = read_state(conn, mailbox.name, mailbox.folder)
    last_uid = 0
    if stored is not None:
        if stored[0] == uidvalidity:
            last_uid = stored[1]
        else:
            result.restarted = True
    if exists == 0:
        with store.db.transaction():
            write_state(conn, mailbox.name, mailbox.folder, uidvalidity, last_uid)
        return
    highest = _highest_uid(imap)
    source = mailbox_source(mailbox.name)  # as the contact's history shows it
    subscriptions = SubscribeSettings.of(mailbox)
    skip_flagged = mailbox.processed == "flag" and keyword_ok
    done = 0
    for window_end, window in _new_uids(imap, last_uid + 1, highest, skip_flagged):
        total = done + len(window)
        for start in range(0, len(window), BATCH_MESSAGES):
            uids = window[start : start + BATCH_MESSAGES]
            sizes = _sizes(imap, uids)
            for group in _plan(uids, sizes):
                messages = _bodies(imap, group)
                result.messages += len(messages)

                def bookmark(
                    keys: list[int], group: list[int] = group, got: int = len(messages)
                ) -> None:
                    # All of the group when it all went through (UIDs gone from the server
                    # count as read); else up to the last one processed.
                    reached = group[-1] if len(keys) == got else (keys or [0])[-1]
                    if reached:
                        write_state(conn, mailbox.name, mailbox.folder, uidvalidity, reached)

                processed, stopped = process_batch(
                    store,
                    messages,
                    result.tally,
                    source=source,
                    now=now,
                    cancelled=cancelled,
                    bookmark=bookmark,
                    subscriptions=subscriptions,
                )
                if not _mark(imap, mailbox, processed, keyword_ok):
                    result.unmarked += len(processed)
                done += len(processed)
                if progress is not None:
                    progress(done, total)
                if stopped:
                    result.cancelled = True
                    return
        # The whole window is read, UIDs of deleted or skipped messages too.
        with store.db.transaction():
            write_state(conn, mailbox.name, mailbox.folder, uidvalidity, window_end)
