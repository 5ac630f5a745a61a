"""Importing bounces and replies from an mbox file or a maildir folder a mail client exported.

For someone whose mailbox Bulletin cannot reach over IMAP, or for old messages: each message is
read up to :data:`~editor.inbox.batch.MAX_MESSAGE_BYTES` (never the whole file in memory) and
processed like a synced one, in batches of one transaction each. Importing the same file twice
changes nothing (:func:`~editor.inbox.process.process_message` remembers what it processed).
The file is only read: no lock taken, nothing rewritten.
"""

from __future__ import annotations

import mailbox as stdlib_mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
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

if TYPE_CHECKING:
    from editor.contacts.store import ContactStore
    from editor.inbox.mailboxes import Mailbox
    from editor.inbox.process import Tally


class MailImportError(Exception):
    """A path that is neither an mbox file nor a maildir folder, or that cannot be read."""


@dataclass
class ImportResult:
    tally: Tally
    messages: int = 0
    cancelled: bool = False


def file_source(path: Path) -> str:
    """Where an imported message came from, as the contact's history shows it (translated)."""
    return _("file {name}").format(name=path.name)


def is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / sub).is_dir() for sub in ("cur", "new"))


def open_mail_store(path: Path) -> stdlib_mailbox.Mailbox[stdlib_mailbox.Message]:
    """The mbox or maildir at ``path``, read-only in practice; MailImportError otherwise."""
    if path.is_dir():
        if not is_maildir(path):
            raise MailImportError(
                _(
                    "{path} is a folder but not a maildir (it has no cur and new folders): "
                    "give an mbox file or a maildir folder."
                ).format(path=path)
            )
        return stdlib_mailbox.Maildir(path, factory=None, create=False)
    try:
        with path.open("rb") as file:
            start = file.read(5)
    except FileNotFoundError:
        raise MailImportError(_("{path} does not exist.").format(path=path)) from None
    except OSError as exc:
        raise MailImportError(
            _("{path} cannot be read ({reason}).").format(path=path, reason=exc.strerror or exc)
        ) from None
    if start != b"From ":
        raise MailImportError(
            _(
                '{path} is not an mbox file (it does not start with a "From " line): give an '
                "mbox file or a maildir folder."
            ).format(path=path)
        )
    return stdlib_mailbox.mbox(path, factory=None, create=False)


def _messages(store: stdlib_mailbox.Mailbox[stdlib_mailbox.Message]) -> Iterator[tuple[str, bytes]]:
    """Each message's key and its first MAX_MESSAGE_BYTES bytes, one at a time."""
    for key in store.iterkeys():
        try:
            file = store.get_file(key)
        except (OSError, KeyError):  # gone meanwhile (a maildir another program changes)
            continue
        try:
            raw = file.read(MAX_MESSAGE_BYTES)
        finally:
            file.close()
        yield str(key), raw


def _batches(items: Iterator[tuple[str, bytes]]) -> Iterator[list[tuple[str, bytes]]]:
    batch: list[tuple[str, bytes]] = []
    size = 0
    for key, raw in items:
        batch.append((key, raw))
        size += len(raw)
        if len(batch) >= BATCH_MESSAGES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def import_messages(
    store: ContactStore,
    path: Path,
    *,
    now: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    mailbox: Mailbox | None = None,
) -> ImportResult:
    """Process every message of the mbox file or maildir at ``path``; MailImportError when it
    is neither. Batches already processed stay processed when cancelled or on an error.
    ``mailbox``: the mailbox the file was exported from, whose subscription settings apply
    (None: subscription requests go to the review list)."""
    from editor.inbox.process import Tally
    from editor.inbox.subscriptions import SubscribeSettings

    subscriptions = SubscribeSettings.of(mailbox) if mailbox is not None else None

    mail = open_mail_store(path)
    result = ImportResult(Tally())
    try:
        try:
            total = len(mail)  # mbox: one scan of the file for the "From " lines
        except OSError as exc:
            raise MailImportError(
                _("{path} cannot be read ({reason}).").format(path=path, reason=exc.strerror or exc)
            ) from None
        source = file_source(path)  # as the contact's history shows it
        for batch in _batches(_messages(mail)):
            done, stopped = process_batch(
                store,
                batch,
                result.tally,
                source=source,
                now=now,
                cancelled=cancelled,
                subscriptions=subscriptions,
            )
            result.messages += len(done)
            if progress is not None:
                progress(result.messages, total)
            if stopped:
                result.cancelled = True
                break
    finally:
        mail.close()
    return result
