"""SMTP accounts: the non-secret settings of each sending service, in ``accounts.json``.

An account says where and how to send (host, port, security, sender, limits). Its password or
API key is never here: it lives in the OS keychain (:mod:`editor.sending.secrets`), so this file
can be read, copied or shown in a bug report without leaking anything. :meth:`Account.validate`
refuses what could not work or would be unsafe: an unencrypted connection to anything but this
machine unless the user confirmed it, and any CR/LF that could inject SMTP commands or headers.
"""

from __future__ import annotations

import builtins
import dataclasses
import ipaddress
import json
import re
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast, get_args

from editor.atomic import write_text_atomic
from editor.contacts.emails import validate_address
from editor.i18n import _

Security = Literal["tls", "starttls", "none"]
SECURITIES: tuple[Security, ...] = get_args(Security)
ACCOUNTS_FILE = "accounts.json"
MAX_CONNECTIONS = 10

# A host name as DNS allows (labels of letters, digits and hyphens), or an IP address.
_HOST_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)\Z")


class AccountError(ValueError):
    """An account that cannot be used as given (a sentence for the user)."""


@dataclass
class Account:
    """One SMTP service the user sends through (see the module doc); no secret in it."""

    name: str
    host: str
    port: int
    security: Security
    username: str = ""
    from_email: str = ""
    from_name: str = ""
    reply_to: str = ""
    envelope_from: str = ""  # MAIL FROM for bounces; "" = from_email
    rate_per_minute: int = 0  # 0 = no limit
    rate_per_hour: int = 0
    connections: int = 1
    daily_quota: int = 0  # 0 = none
    monthly_quota: int = 0
    preset: str = "custom"
    insecure_confirmed: bool = False  # security "none" on a non-loopback host, user confirmed
    timeout: float = 30.0

    @property
    def sender(self) -> str:
        """The envelope sender (MAIL FROM): where bounces go."""
        return self.envelope_from or self.from_email

    def validate(self) -> None:
        """Raise :class:`AccountError` (one sentence) if the account cannot or must not be used."""
        for name, value in dataclasses.asdict(self).items():
            if isinstance(value, str) and any(c in value for c in "\r\n\0"):
                raise AccountError(_("The field {field} must be on one line.").format(field=name))
        if not self.name.strip():
            raise AccountError(_("Give the account a name."))
        if len(self.name) > 100:
            raise AccountError(_("The account name is too long (100 characters at most)."))
        if not valid_host(self.host):
            raise AccountError(
                _("{host} is not a valid server name.").format(host=self.host or "«»")
            )
        if not isinstance(self.port, int) or not 1 <= self.port <= 65535:
            raise AccountError(_("The port must be a number from 1 to 65535."))
        if self.security not in SECURITIES:
            raise AccountError(_("The security must be TLS, STARTTLS or none."))
        if self.security == "none" and not is_loopback(self.host) and not self.insecure_confirmed:
            raise AccountError(
                _(
                    "An unencrypted connection is only allowed to this computer: anyone on "
                    "the network could read the password and the messages. Choose TLS or "
                    "STARTTLS, or confirm that you accept the risk."
                )
            )
        if not self.from_email:
            raise AccountError(_("Give the sender's address."))
        for address, sentence in (
            (self.from_email, _("The sender's address {address} is not a valid email address.")),
            (self.reply_to, _("The reply-to address {address} is not a valid email address.")),
            (self.envelope_from, _("The bounce address {address} is not a valid email address.")),
        ):
            if address and validate_address(address)[0] is None:
                raise AccountError(sentence.format(address=address))
        for value in (
            self.rate_per_minute,
            self.rate_per_hour,
            self.daily_quota,
            self.monthly_quota,
        ):
            if not isinstance(value, int) or value < 0:
                raise AccountError(_("Rates and quotas must be whole numbers, 0 for no limit."))
        if not isinstance(self.connections, int) or not 1 <= self.connections <= MAX_CONNECTIONS:
            raise AccountError(
                _("Parallel connections must be from 1 to {most}.").format(most=MAX_CONNECTIONS)
            )
        if not self.timeout > 0:
            raise AccountError(_("The timeout must be more than 0 seconds."))

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Account:
        """An account from its JSON object; unknown keys (a newer version's) are ignored."""
        known = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        try:
            return cls(**values)
        except TypeError as exc:
            raise AccountError(_("An account in the accounts file is incomplete.")) from exc


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this computer (127.0.0.0/8, ::1, localhost)."""
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def valid_host(host: str) -> bool:
    """A syntactically valid DNS name or IP address (nothing is looked up)."""
    name = host.strip("[]")
    if not name or len(name) > 253 or name != name.strip():
        return False
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    try:
        ascii_name = name.rstrip(".").encode("idna").decode("ascii")
    except UnicodeError:
        return False
    return all(_HOST_LABEL.match(label) for label in ascii_name.split("."))


class AccountBook:
    """The accounts in ``<data_dir>/accounts.json`` (atomic writes; never a password)."""

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            from editor.settings import data_dir

            path = data_dir() / ACCOUNTS_FILE
        self.path = path

    def _read(self) -> builtins.list[Account]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise AccountError(
                _("The accounts file {path} cannot be read.").format(path=self.path)
            ) from exc
        try:
            data = json.loads(text)
            items = data["accounts"] if isinstance(data, dict) else None
            if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
                raise ValueError
        except (ValueError, KeyError) as exc:
            raise AccountError(
                _(
                    "The accounts file {path} is damaged; fix it or remove it and add the "
                    "accounts again."
                ).format(path=self.path)
            ) from exc
        return [Account.from_json(cast(dict[str, Any], item)) for item in items]

    def _write(self, accounts: builtins.list[Account]) -> None:
        data = {"version": 1, "accounts": [account.to_json() for account in accounts]}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")

    def list(self) -> list[Account]:
        """Every account, sorted by name."""
        return sorted(self._read(), key=lambda a: a.name.casefold())

    def get(self, name: str) -> Account:
        for account in self._read():
            if account.name == name:
                return account
        raise AccountError(_('No account named "{name}".').format(name=name))

    def names(self) -> builtins.list[str]:
        return [account.name for account in self.list()]

    def save(self, account: Account) -> None:
        """Add ``account``, or replace the one with the same name (validated first)."""
        account.validate()
        accounts = [a for a in self._read() if a.name != account.name]
        accounts.append(account)
        self._write(accounts)

    def remove(self, name: str) -> None:
        """Remove the account and its keychain entry (a keychain problem does not keep it)."""
        accounts = self._read()
        kept = [a for a in accounts if a.name != name]
        if len(kept) == len(accounts):
            raise AccountError(_('No account named "{name}".').format(name=name))
        self._write(kept)
        from editor.sending import secrets

        # No keychain, or nothing stored: the account is gone either way.
        with suppress(secrets.KeychainError):
            secrets.delete_password(name)
