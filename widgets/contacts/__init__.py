"""The contacts UI: lists, the lazy contacts table, the import wizard, export and GDPR tools.

The main window opens :class:`ContactsWindow`; ``python -m widgets.contacts [DATABASE]`` opens it
alone. The window is imported on first use, so a light part of the package (``labels``, which the
inbox windows use) does not bring the whole contacts window into the app's start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from widgets.contacts.window import ContactsWindow

__all__ = ["ContactsWindow"]


def __getattr__(name: str) -> Any:
    if name == "ContactsWindow":
        from widgets.contacts.window import ContactsWindow

        return ContactsWindow
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
