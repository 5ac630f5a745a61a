"""The composer's inspector: the right-hand panel editing the selected block or the newsletter.

:class:`~widgets.inspector.inspector.Inspector` (also importable from this package) picks the
panel; each block type's panel is a :class:`~widgets.inspector.base.BlockPanel`. The export is
lazy so that a panel module importing :mod:`widgets.inspector.base` does not load the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from widgets.inspector.inspector import Inspector

__all__ = ["Inspector"]


def __getattr__(name: str) -> Any:
    if name == "Inspector":
        from widgets.inspector.inspector import Inspector

        return Inspector
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
