"""A real OS keychain for the tests: gnome-keyring's Secret Service on a private D-Bus session.

``Keychain`` starts ``dbus-daemon --session`` and ``gnome-keyring-daemon --unlock`` (its login
keyring created and unlocked with a test password, kept in a temporary folder so the user's own
keyrings are never touched), points ``DBUS_SESSION_BUS_ADDRESS`` at that bus and makes keyring's
SecretService backend the active one; ``stop()`` restores the environment and the backend and
ends both daemons. The ``keychain`` fixture does it around one test (skipped, or failed in CI,
when the programs are missing: ``tests/system.py``).

Other helpers: ``Keychain.lock()`` locks the collection (a "keychain locked" case); ``no_keychain``
is a fixture that makes keyring's active backend an unusable one (for refusal tests).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

from tests.system import need_gnome_keyring, need_program

PASSWORD = "keychain-test-password"
_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir={folder}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""
_ENV_KEYS = ("DBUS_SESSION_BUS_ADDRESS", "XDG_DATA_HOME", "XDG_RUNTIME_DIR")


class Keychain:
    """A private Secret Service (see the module doc); a context manager."""

    def __init__(self, dbus_daemon: str, gnome_keyring: str) -> None:
        self._dbus_daemon = dbus_daemon
        self._gnome_keyring = gnome_keyring
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._dbus: subprocess.Popen[bytes] | None = None
        self._daemon: subprocess.Popen[bytes] | None = None
        self._saved_env: dict[str, str | None] = {}
        self._saved_backend: keyring.backend.KeyringBackend | None = None
        self.address = ""
        self.backend: keyring.backend.KeyringBackend | None = None

    def start(self) -> Keychain:
        self._folder = tempfile.TemporaryDirectory(prefix="bulletin-keychain-")
        root = Path(self._folder.name)
        (root / "data").mkdir()
        runtime = root / "run"
        runtime.mkdir(mode=0o700)
        # A bus without service activation: nothing but our daemon may answer as the Secret
        # Service (activation would start a second, passwordless gnome-keyring if a query came
        # before ours had registered).
        config = root / "session.conf"
        config.write_text(_BUS_CONFIG.format(folder=root), encoding="utf-8")
        self._dbus = subprocess.Popen(
            [self._dbus_daemon, f"--config-file={config}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self._dbus.stdout is not None
        self.address = self._dbus.stdout.readline().decode().strip()
        if not self.address:
            self.stop()
            raise RuntimeError("dbus-daemon did not print its address")
        env = dict(os.environ)
        env.update(
            DBUS_SESSION_BUS_ADDRESS=self.address,
            XDG_DATA_HOME=str(root / "data"),
            XDG_RUNTIME_DIR=str(runtime),
        )
        self._daemon = subprocess.Popen(
            [self._gnome_keyring, "--foreground", "--unlock", "--components=secrets"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        assert self._daemon.stdin is not None
        self._daemon.stdin.write(PASSWORD.encode())
        self._daemon.stdin.close()
        for key in _ENV_KEYS:
            self._saved_env[key] = os.environ.get(key)
            os.environ[key] = env[key]
        self._saved_backend = keyring.get_keyring()
        from keyring.backends import SecretService

        self.backend = SecretService.Keyring()  # type: ignore[no-untyped-call]
        keyring.set_keyring(self.backend)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 10.0) -> None:
        """Until the default collection answers (the daemon registers on the bus asynchronously)."""
        import secretstorage

        deadline = time.monotonic() + timeout
        while True:
            try:
                with secretstorage.dbus_init() as connection:
                    # By alias: get_default_collection would try to create one (a prompt).
                    collection = secretstorage.get_collection_by_alias(connection, "default")
                    if not collection.is_locked():
                        return
            except Exception:
                if time.monotonic() > deadline:
                    self.stop()
                    raise
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("gnome-keyring's default collection stayed locked")
            time.sleep(0.05)

    def lock(self) -> None:
        """Lock the default collection, as a screen lock or the user would."""
        import secretstorage

        with secretstorage.dbus_init() as connection:
            collection = secretstorage.get_collection_by_alias(connection, "default")
            collection.lock()

    def stop(self) -> None:
        if self._saved_backend is not None:
            keyring.set_keyring(self._saved_backend)
            self._saved_backend = None
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env = {}
        for process in (self._daemon, self._dbus):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)
            if process is not None and process.stdout is not None:
                process.stdout.close()
        self._daemon = self._dbus = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None

    def __enter__(self) -> Keychain:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_keychain() -> Keychain:
    """A started :class:`Keychain`, or a skip (a failure in CI) without the programs."""
    dbus = need_program("dbus-daemon", package="dbus")
    gnome = need_gnome_keyring()
    return Keychain(dbus, gnome).start()


@pytest.fixture
def keychain() -> Iterator[Keychain]:
    """A real, unlocked Secret Service for one test; environment and backend restored after."""
    chain = start_keychain()
    try:
        yield chain
    finally:
        chain.stop()


@pytest.fixture
def no_keychain() -> Iterator[keyring.backend.KeyringBackend]:
    """keyring's active backend is ``keyring.backends.fail.Keyring`` (no keychain at all)."""
    from keyring.backends import fail

    saved = keyring.get_keyring()
    backend = fail.Keyring()  # type: ignore[no-untyped-call]
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(saved)
