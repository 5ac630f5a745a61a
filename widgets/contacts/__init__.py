"""The contacts UI: lists, the lazy contacts table, the import wizard, export and GDPR tools.

The main window opens :class:`ContactsWindow`; ``python -m widgets.contacts [DATABASE]`` opens it
alone.
"""

from widgets.contacts.window import ContactsWindow

__all__ = ["ContactsWindow"]
