"""The spam score and deliverability checks: pure Python rules over a newsletter, an HTML page
or an ``.eml``, each producing the same :class:`~editor.findings.Finding` the renderer does.

Public entry points (imported lazily, so importing :mod:`editor.spam.model` stays cheap):
:func:`check_newsletter`, :func:`check_eml`, :func:`check_html`, :func:`check_file`, and
:func:`fix_for` for the one-click fixes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from editor.spam.check import (
        CheckError,
        check_eml,
        check_file,
        check_html,
        check_newsletter,
    )
    from editor.spam.fixes import fix_for

__all__ = ["CheckError", "check_eml", "check_file", "check_html", "check_newsletter", "fix_for"]


def __getattr__(name: str) -> Any:
    if name == "fix_for":
        from editor.spam import fixes

        return fixes.fix_for
    if name in __all__:
        from editor.spam import check

        return getattr(check, name)
    raise AttributeError(name)
