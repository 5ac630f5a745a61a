"""``python -m widgets.contacts [DATABASE]``: the contacts window alone (the profile's database
by default), for trying the contacts UI without the rest of the app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from editor.contacts.db import StoreError
from editor.i18n import _


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m widgets.contacts",
        description=_("Opens the contacts window."),
    )
    parser.add_argument(
        "database",
        nargs="?",
        type=Path,
        help=_("contacts SQLite file"),
    )
    args = parser.parse_args(argv)

    from PySide6.QtWidgets import QMessageBox

    from widgets.app import application
    from widgets.contacts.window import ContactsWindow

    app = application(sys.argv[:1])
    try:
        window = ContactsWindow(args.database)
    except StoreError as exc:
        QMessageBox.critical(None, _("Contacts"), str(exc))
        return 1
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
