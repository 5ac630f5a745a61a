"""The keychain wrapper against a real Secret Service, and its refusals."""

from __future__ import annotations

import keyring
import keyring.backend
import pytest
from keyring.backends import fail, null

from editor.sending import secrets
from editor.sending.secrets import KeychainError, PasswordMissing
from tests.keychain import Keychain, keychain, no_keychain

__all__ = ["keychain", "no_keychain"]

PASSWORD = "s3cr3t-Ünïcode-pw"


class PlaintextKeyring(keyring.backend.KeyringBackend):
    """Stands for keyrings.alt's file backend: a "keyring" that writes a file."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.stored.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.stored[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.stored.pop((service, username), None)


PlaintextKeyring.__module__ = "keyrings.alt.file"


class EmptyChainer(PlaintextKeyring):
    """Like keyring's ChainerBackend when every backend it found is unusable."""

    def __init__(self) -> None:
        super().__init__()
        self.backends = [fail.Keyring(), null.Keyring(), PlaintextKeyring()]  # type: ignore[no-untyped-call]


EmptyChainer.__module__ = "keyring.backends.chainer"


def test_set_get_delete_through_gnome_keyring(keychain: Keychain) -> None:
    secrets.set_password("Work", PASSWORD)
    assert secrets.get_password("Work") == PASSWORD
    # Stored under the documented service name, visible to other keychain tools.
    assert keyring.get_password(secrets.SERVICE, "Work") == PASSWORD
    secrets.set_password("Work", "second")
    assert secrets.get_password("Work") == "second"
    assert secrets.has_password("Work")
    secrets.delete_password("Work")
    assert not secrets.has_password("Work")
    with pytest.raises(PasswordMissing, match="Work"):
        secrets.get_password("Work")
    secrets.delete_password("Work")  # nothing stored: not an error


def test_locked_keychain_is_a_clear_error(keychain: Keychain) -> None:
    secrets.set_password("Work", PASSWORD)
    keychain.lock()
    with pytest.raises(KeychainError, match="locked") as caught:
        secrets.get_password("Work")
    assert PASSWORD not in str(caught.value) + repr(caught.value)
    with pytest.raises(KeychainError, match="locked"):
        secrets.set_password("Work", PASSWORD)


def test_no_backend_says_how_to_get_one(no_keychain: keyring.backend.KeyringBackend) -> None:
    with pytest.raises(KeychainError) as caught:
        secrets.set_password("Work", PASSWORD)
    text = str(caught.value)
    assert "gnome-keyring" in text and "KWallet" in text
    assert PASSWORD not in text


@pytest.mark.parametrize(
    "make",
    [
        PlaintextKeyring,
        null.Keyring,
        fail.Keyring,
        lambda: EmptyChainer(),
    ],
    ids=["plaintext-file", "null", "fail", "empty-chainer"],
)
def test_unusable_backends_are_refused(make: object) -> None:
    backend = make()  # type: ignore[operator]
    saved = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        with pytest.raises(KeychainError, match="keychain"):
            secrets.set_password("Work", PASSWORD)
        with pytest.raises(KeychainError):
            secrets.get_password("Work")
    finally:
        keyring.set_keyring(saved)
    if isinstance(backend, PlaintextKeyring):
        assert backend.stored == {}  # nothing was written to the "file"


def test_usable_accepts_a_real_backend_type() -> None:
    class Real(PlaintextKeyring):
        pass

    Real.__module__ = "keyring.backends.macOS"
    assert secrets.usable(Real())
    assert not secrets.usable(PlaintextKeyring())
    chain = EmptyChainer()
    chain.backends.append(Real())
    assert secrets.usable(chain)
