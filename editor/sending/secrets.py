"""Account passwords and API keys in the OS keychain, through ``keyring``, and nowhere else.

Only a real keychain is accepted: macOS Keychain, Windows Credential Locker, or a Secret Service
(GNOME Keyring, KWallet) on Linux. keyring's ``fail`` and ``null`` backends, ``keyrings.alt``'s
plaintext or "encrypted" files, and a chainer with nothing usable in it are refused with a
:class:`KeychainError` that says how to get a keychain: a file next to the data would be read by
anyone who gets a copy of the disk or a backup. No exception text or repr here ever holds a
password (the keyring backends' own error messages are replaced, not chained into the text).
"""

from __future__ import annotations

import sys
from contextlib import closing

import keyring
import keyring.backend
import keyring.errors

from editor.i18n import _

SERVICE = "Bulletin SMTP"

# Backends that keep secrets in a file beside the user's data, or not at all.
_REFUSED_MODULES = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")


class KeychainError(Exception):
    """The keychain cannot be used (missing, locked, refused); says what to do."""


class PasswordMissing(KeychainError):
    """The keychain works but holds no password for the account."""


def _how_to_get_one() -> str:
    if sys.platform.startswith("linux"):
        return _(
            "Bulletin keeps passwords in the system keychain: start GNOME Keyring or KWallet "
            "in your session (for example: apt-get install gnome-keyring, then log in again)."
        )
    return _("Bulletin keeps passwords in the system keychain, which did not answer.")


def usable(backend: keyring.backend.KeyringBackend) -> bool:
    """Whether ``backend`` is a real OS keychain (see the module doc)."""
    module = type(backend).__module__
    if module.startswith(_REFUSED_MODULES):
        return False
    if "plaintext" in type(backend).__name__.lower() or "plaintext" in module.lower():
        return False
    try:  # keyring.backends.chainer.ChainerBackend computes its list (and may fail) here
        backends = getattr(backend, "backends", None)
    except Exception:
        return False
    if backends is not None:
        return any(usable(inner) for inner in backends)
    try:
        return float(backend.priority) > 0
    except Exception:
        return False


def _backend() -> keyring.backend.KeyringBackend:
    backend = keyring.get_keyring()
    if not usable(backend):
        raise KeychainError(_("No usable keychain was found.") + " " + _how_to_get_one())
    if type(backend).__module__ == "keyring.backends.SecretService":
        _unlock_secret_service(backend)
    return backend


def _unlock_secret_service(backend: keyring.backend.KeyringBackend) -> None:
    """Unlock the Secret Service collection (the desktop may prompt) or raise "locked".

    keyring does the same, but leaves its D-Bus connection open when the collection stays
    locked (keyring 25: a leaked socket per attempt); this one is always closed.
    """
    import secretstorage

    try:
        with closing(secretstorage.dbus_init()) as bus:
            path = getattr(backend, "preferred_collection", None)
            if path:
                collection = secretstorage.Collection(bus, path)
            else:
                collection = secretstorage.get_default_collection(bus)
            if collection.is_locked():
                collection.unlock()
                if collection.is_locked():
                    raise _locked()
    except secretstorage.exceptions.SecretStorageException:
        raise KeychainError(_("The keychain did not answer.") + " " + _how_to_get_one()) from None


def _locked() -> KeychainError:
    return KeychainError(
        _("The keychain is locked: unlock it (log in to your session again) and retry.")
    )


def _failed(sentence: str) -> KeychainError:
    return KeychainError(sentence + " " + _how_to_get_one())


def set_password(account_name: str, password: str, *, service: str = SERVICE) -> None:
    """Store ``password`` for the account (replacing any previous one); ``service`` is the
    keychain entry's service (the inbox's mailboxes keep theirs apart)."""
    backend = _backend()
    try:
        backend.set_password(service, account_name, password)
    except keyring.errors.KeyringLocked:
        raise _locked() from None
    except Exception:
        raise _failed(_("The keychain refused to store the password.")) from None


def get_password(account_name: str, *, service: str = SERVICE, missing: str = "") -> str:
    """The account's password; :class:`KeychainError` when missing, locked or unavailable.
    ``missing``: the sentence of :class:`PasswordMissing` (the account's by default)."""
    backend = _backend()
    try:
        password = backend.get_password(service, account_name)
    except keyring.errors.KeyringLocked:
        raise _locked() from None
    except Exception:
        raise _failed(_("The keychain refused to give the password.")) from None
    if password is None:
        raise PasswordMissing(
            missing
            or _('The keychain holds no password for the account "{name}".').format(
                name=account_name
            )
        )
    return password


def has_password(account_name: str) -> bool:
    """Whether a password is stored (False when missing; KeychainError when unusable)."""
    try:
        get_password(account_name)
    except PasswordMissing:
        return False
    return True


def delete_password(account_name: str, *, service: str = SERVICE) -> None:
    """Forget the account's password; nothing stored is not an error."""
    backend = _backend()
    try:
        backend.delete_password(service, account_name)
    except keyring.errors.PasswordDeleteError:
        return
    except keyring.errors.KeyringLocked:
        raise _locked() from None
    except Exception:
        raise _failed(_("The keychain refused to delete the password.")) from None
