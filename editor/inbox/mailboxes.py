"""Mailboxes to watch: where bounces and replies arrive, in ``mailboxes.json``.

A mailbox says which IMAP server, account and folder to read, and what to do with a message once
it is processed: flag it (an IMAP keyword, and optionally "read") or move it to a folder the
user chose. Bulletin never deletes a message. Like sending accounts
(:mod:`editor.sending.accounts`), the file holds no secret: the password lives in the OS
keychain only, under its own service name (:data:`SERVICE`), so a mailbox and a sending account
may share a name without sharing a password entry.
"""

from __future__ import annotations

import builtins
import dataclasses
import json
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast, get_args

from editor.atomic import write_text_atomic
from editor.i18n import _
from editor.sending.accounts import SECURITIES, Security, is_loopback, valid_host
from editor.sending.secrets import KeychainError

MAILBOXES_FILE = "mailboxes.json"
SERVICE = "Bulletin IMAP"
KEYWORD = "$Bulletin"  # the IMAP keyword marking a message Bulletin has processed

SUBSCRIBE_LANGUAGES = ("auto", "fr", "en")
MAX_CHECK_EVERY = 24 * 60  # minutes
Processed = Literal["flag", "move"]
PROCESSED: tuple[Processed, ...] = get_args(Processed)

__all__ = [
    "KEYWORD",
    "MAILBOXES_FILE",
    "MAX_CHECK_EVERY",
    "PROCESSED",
    "SECURITIES",
    "SERVICE",
    "SUBSCRIBE_LANGUAGES",
    "Mailbox",
    "MailboxBook",
    "MailboxError",
    "Processed",
    "Security",
    "delete_password",
    "get_password",
    "set_password",
]


class MailboxError(ValueError):
    """A mailbox that cannot be used as given (a sentence for the user)."""


@dataclass
class Mailbox:
    """One IMAP folder Bulletin reads (see the module doc); no secret in it."""

    name: str
    host: str
    port: int
    security: Security
    username: str
    folder: str = "INBOX"
    account: str = ""  # the sending account whose replies arrive here; "" = none said
    processed: Processed = "flag"
    move_to: str = ""  # the folder processed messages go to when processed == "move"
    mark_read: bool = False  # flag mode: also mark processed messages as read (\Seen)
    insecure_confirmed: bool = False  # security "none" on a non-loopback host, user confirmed
    timeout: float = 30.0
    # Subscriptions by email (double opt-in): whether requests get a confirmation, the list
    # new subscribers join, the confirmation's language ("auto": the request's wording).
    accept_subscriptions: bool = False
    subscribe_list: str = ""
    subscribe_language: str = "auto"
    check_every: int = 0  # minutes between automatic checks while the app is open; 0 = never

    def validate(self) -> None:
        """Raise :class:`MailboxError` (one sentence) if the mailbox cannot or must not be used."""
        for field, value in dataclasses.asdict(self).items():
            if isinstance(value, str) and any(c in value for c in "\r\n\0"):
                raise MailboxError(_("The field {field} must be on one line.").format(field=field))
        if not self.name.strip():
            raise MailboxError(_("Give the mailbox a name."))
        if len(self.name) > 100:
            raise MailboxError(_("The mailbox name is too long (100 characters at most)."))
        if not valid_host(self.host):
            raise MailboxError(
                _("{host} is not a valid server name.").format(host=self.host or "«»")
            )
        if not isinstance(self.port, int) or not 1 <= self.port <= 65535:
            raise MailboxError(_("The port must be a number from 1 to 65535."))
        if self.security not in SECURITIES:
            raise MailboxError(_("The security must be TLS, STARTTLS or none."))
        if self.security == "none" and not is_loopback(self.host) and not self.insecure_confirmed:
            raise MailboxError(
                _(
                    "An unencrypted connection is only allowed to this computer: anyone on "
                    "the network could read the password and the messages. Choose TLS or "
                    "STARTTLS, or confirm that you accept the risk."
                )
            )
        if not self.username.strip():
            raise MailboxError(_("Give the user name of the mailbox."))
        if not self.folder.strip():
            raise MailboxError(_("Give the folder to read (usually INBOX)."))
        if self.processed not in PROCESSED:
            raise MailboxError(_("Processed messages are either flagged or moved."))
        if self.processed == "move":
            if not self.move_to.strip():
                raise MailboxError(_("Give the folder processed messages are moved to."))
            if _same_folder(self.move_to, self.folder):
                raise MailboxError(
                    _("Processed messages must go to another folder than the one read.")
                )
        if not self.timeout > 0:
            raise MailboxError(_("The timeout must be more than 0 seconds."))
        if self.accept_subscriptions and not self.subscribe_list.strip():
            raise MailboxError(_("Give the list new subscribers join."))
        if len(self.subscribe_list) > 200:
            raise MailboxError(_("The list name is too long (200 characters at most)."))
        if self.subscribe_language not in SUBSCRIBE_LANGUAGES:
            raise MailboxError(_("The confirmation's language is automatic, French or English."))
        if (
            not isinstance(self.check_every, int)
            or isinstance(self.check_every, bool)
            or not 0 <= self.check_every <= MAX_CHECK_EVERY
        ):
            raise MailboxError(
                _("Automatic checks are every 1 to {most} minutes, or 0 for never.").format(
                    most=MAX_CHECK_EVERY
                )
            )

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Mailbox:
        """A mailbox from its JSON object; unknown keys (a newer version's) are ignored."""
        known = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        try:
            return cls(**values)
        except TypeError as exc:
            raise MailboxError(_("A mailbox in the mailboxes file is incomplete.")) from exc


def _same_folder(a: str, b: str) -> bool:
    # INBOX is case-insensitive in IMAP; other names are not.
    if a.upper() == "INBOX" or b.upper() == "INBOX":
        return a.upper() == b.upper()
    return a == b


class MailboxBook:
    """The mailboxes in ``<data_dir>/mailboxes.json`` (atomic writes; never a password)."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            from editor.settings import data_dir

            path = data_dir() / MAILBOXES_FILE
        self.path = path

    def _read(self) -> builtins.list[Mailbox]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise MailboxError(
                _("The mailboxes file {path} cannot be read.").format(path=self.path)
            ) from exc
        try:
            data = json.loads(text)
            items = data["mailboxes"] if isinstance(data, dict) else None
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise ValueError
        except (ValueError, KeyError) as exc:
            raise MailboxError(
                _(
                    "The mailboxes file {path} is damaged; fix it or remove it and add the "
                    "mailboxes again."
                ).format(path=self.path)
            ) from exc
        return [Mailbox.from_json(cast(dict[str, Any], item)) for item in items]

    def _write(self, mailboxes: builtins.list[Mailbox]) -> None:
        data = {"version": 1, "mailboxes": [mailbox.to_json() for mailbox in mailboxes]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def list(self) -> list[Mailbox]:
        """Every mailbox, sorted by name."""
        return sorted(self._read(), key=lambda m: m.name.casefold())

    def get(self, name: str) -> Mailbox:
        for mailbox in self._read():
            if mailbox.name == name:
                return mailbox
        raise MailboxError(_('No mailbox named "{name}".').format(name=name))

    def names(self) -> builtins.list[str]:
        return [mailbox.name for mailbox in self.list()]

    def save(self, mailbox: Mailbox) -> None:
        """Add ``mailbox``, or replace the one with the same name (validated first)."""
        mailbox.validate()
        mailboxes = [m for m in self._read() if m.name != mailbox.name]
        mailboxes.append(mailbox)
        self._write(mailboxes)

    def remove(self, name: str) -> None:
        """Remove the mailbox and its keychain entry (a keychain problem does not keep it)."""
        mailboxes = self._read()
        kept = [m for m in mailboxes if m.name != name]
        if len(kept) == len(mailboxes):
            raise MailboxError(_('No mailbox named "{name}".').format(name=name))
        self._write(kept)
        with suppress(KeychainError):  # no keychain, or nothing stored: gone either way
            delete_password(name)


# -- the keychain, under SERVICE (the same checks and wording as editor.sending.secrets)


def set_password(mailbox_name: str, password: str) -> None:
    """Store the mailbox's password in the keychain (replacing any previous one)."""
    from editor.sending import secrets

    secrets.set_password(mailbox_name, password, service=SERVICE)


def get_password(mailbox_name: str) -> str:
    """The mailbox's password; :class:`KeychainError` when missing, locked or unavailable."""
    from editor.sending import secrets

    missing = _('The keychain holds no password for the mailbox "{name}".').format(
        name=mailbox_name
    )
    return secrets.get_password(mailbox_name, service=SERVICE, missing=missing)


def delete_password(mailbox_name: str) -> None:
    """Forget the mailbox's password; nothing stored is not an error."""
    from editor.sending import secrets

    secrets.delete_password(mailbox_name, service=SERVICE)
