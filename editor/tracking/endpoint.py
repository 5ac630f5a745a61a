"""The PHP endpoint the user uploads to their website (``resources/tracking/track.php``).

:func:`php_source` gives it with the secret filled in: the endpoint must hold the secret to
check the links' signatures and to hand the events only to Bulletin, small-business hosting
takes a file by FTP far more readily than a server setting, and one file is one thing to
upload. ``bulletin tracking endpoint > track.php`` prints it to standard output: Bulletin itself
never writes the secret to a file.
"""

from __future__ import annotations

from editor.settings import resources_dir
from editor.tracking.settings import check_secret

PLACEHOLDER = "const BULLETIN_SECRET = '';"


def template() -> str:
    """The shipped file, without a secret (it refuses clicks and exports until it has one)."""
    return (resources_dir() / "tracking" / "track.php").read_text(encoding="utf-8")


def php_source(secret: str) -> str:
    """The endpoint with ``secret`` in it (checked: printable ASCII, no ``'`` or ``\\``, so it
    stays one PHP string literal)."""
    text = template()
    if text.count(PLACEHOLDER) != 1:  # pragma: no cover - the shipped file is tested
        raise RuntimeError("track.php has no secret placeholder")
    return text.replace(PLACEHOLDER, f"const BULLETIN_SECRET = '{check_secret(secret)}';")
