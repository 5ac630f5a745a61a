"""Measurement settings: the endpoint's address in ``tracking.json``, its secret in the keychain.

The address must be https (the export carries the secret, and the clicks go through it), except
on this computer (``http://127.0.0.1``, for trying it out). The secret signs every wrapped link
(so the endpoint redirects only to links Bulletin wrote) and lets Bulletin read the events back;
like passwords, it lives only in the OS keychain (service :data:`SERVICE`), never in a file of
the data folder. ``enabled``: whether campaigns that start sending measure their consenting
recipients; off by default, on after setup, off again with ``bulletin tracking disable``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from editor.atomic import write_text_atomic
from editor.i18n import _
from editor.sending.accounts import is_loopback, valid_host
from editor.tracking import TrackingError

SETTINGS_FILE = "tracking.json"
SERVICE = "Bulletin tracking"
KEYCHAIN_USER = "endpoint"  # the keychain entry's user name (one endpoint per profile)
MIN_SECRET = 16
MAX_SECRET = 256
MAX_URL = 500


@dataclass(frozen=True)
class TrackingSettings:
    """Where the endpoint is, and whether new campaigns are measured (no secret here)."""

    url: str = ""
    enabled: bool = False

    @property
    def configured(self) -> bool:
        return bool(self.url)


def check_url(url: str) -> str:
    """The endpoint's address, trimmed; :class:`TrackingError` when it is not usable.

    https only (http on this computer); no user name or password, query or fragment in it
    (Bulletin adds its own ``?o=…``/``?c=…``).
    """
    url = url.strip()
    if not url:
        raise TrackingError(_("Give the address of your measurement endpoint."))
    if len(url) > MAX_URL or any(c.isspace() or ord(c) < 32 for c in url):
        raise TrackingError(_("{url} is not a valid address.").format(url=url[:80]))
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError as exc:
        raise TrackingError(_("{url} is not a valid address.").format(url=url)) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not valid_host(host):
        raise TrackingError(_("{url} is not a valid address.").format(url=url))
    if scheme == "http" and not is_loopback(host):
        raise TrackingError(
            _(
                "The measurement endpoint must use https: the secret and the clicks would "
                "otherwise cross the network unencrypted ({url})."
            ).format(url=url)
        )
    if parts.username is not None or parts.password is not None:
        raise TrackingError(_("Leave the user name and password out of the address."))
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise TrackingError(
            _("The endpoint's address must end with the file's name, without ? or #.")
        )
    return url


def check_secret(secret: str) -> str:
    """The secret without its line ending; :class:`TrackingError` when too short or odd."""
    secret = secret.strip("\r\n")
    if len(secret) < MIN_SECRET:
        raise TrackingError(
            _("The secret must be at least {n} characters long.").format(n=MIN_SECRET)
        )
    if len(secret) > MAX_SECRET or not secret.isascii() or not secret.isprintable():
        raise TrackingError(
            _("The secret must be printable ASCII, at most {n} characters.").format(n=MAX_SECRET)
        )
    if "'" in secret or "\\" in secret:  # it goes into a PHP string literal
        raise TrackingError(_("The secret must not contain ' or \\."))
    return secret


def settings_path() -> Path:
    from editor.settings import data_dir

    return data_dir() / SETTINGS_FILE


def load(path: Path | None = None) -> TrackingSettings:
    """The settings; the defaults (measurement off) when there is no file yet."""
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return TrackingSettings()
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise TrackingError(
            _(
                "The measurement settings {path} are damaged; run bulletin tracking setup again."
            ).format(path=path)
        ) from exc
    if not isinstance(data, dict):
        raise TrackingError(
            _(
                "The measurement settings {path} are damaged; run bulletin tracking setup again."
            ).format(path=path)
        )
    url = data.get("url", "")
    return TrackingSettings(
        url=url if isinstance(url, str) else "", enabled=data.get("enabled") is True
    )


def save(settings: TrackingSettings, path: Path | None = None) -> None:
    """Write the settings atomically (the address and the switch, never the secret)."""
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "url": settings.url, "enabled": settings.enabled}
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def setup(url: str, secret: str, path: Path | None = None) -> TrackingSettings:
    """Check both, store the secret in the keychain, then the address; measurement on."""
    settings = TrackingSettings(url=check_url(url), enabled=True)
    set_secret(check_secret(secret))
    save(settings, path)
    return settings


def set_enabled(enabled: bool, path: Path | None = None) -> TrackingSettings:
    """Turn measurement of new campaigns on or off (on needs an endpoint)."""
    current = load(path)
    if enabled and not current.configured:
        raise TrackingError(
            _("Set up the endpoint first: bulletin tracking setup --url URL --secret-stdin.")
        )
    settings = TrackingSettings(url=current.url, enabled=enabled)
    save(settings, path)
    return settings


def set_secret(secret: str) -> None:
    from editor.sending import secrets

    secrets.set_password(KEYCHAIN_USER, secret, service=SERVICE)


def get_secret() -> str:
    """The endpoint's secret; ``KeychainError`` (a sentence) when missing or unavailable."""
    from editor.sending import secrets

    missing = _(
        "The keychain holds no secret for the measurement endpoint: run "
        "bulletin tracking setup again."
    )
    return secrets.get_password(KEYCHAIN_USER, service=SERVICE, missing=missing)
