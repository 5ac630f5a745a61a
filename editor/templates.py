"""The user's own templates ("Save as my template"): ``.bulletin`` files in the data folder.

A template is a document saved under a name the user chose, in ``<data>/templates/``; the
gallery lists them beside the starters, and a document made from one is a new, unsaved document
with fresh block ids (as from a starter). Names become file names, so they are sanitised: no
path separators, no characters Windows refuses, no reserved device names, no leading dot.
Writes go through :func:`editor.package.save`, which is atomic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from editor import package
from editor.document import DocumentError, new_id
from editor.i18n import _
from editor.package import BulletinFile
from editor.settings import data_dir

MAX_NAME = 80
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


class TemplateError(DocumentError):
    """A template name or file that cannot be used, with a message meant for the user."""


@dataclass(frozen=True)
class Template:
    """One saved template: its name (the file's stem) and its file."""

    name: str
    path: Path


def templates_dir() -> Path:
    path = data_dir() / "templates"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sanitise_name(name: str) -> str:
    """``name`` made safe as a file name on every system; TemplateError when nothing is left."""
    text = unicodedata.normalize("NFC", name)
    text = _FORBIDDEN.sub(" ", text)
    text = " ".join(text.split()).strip(" .")[:MAX_NAME].strip(" .")
    if not text:
        raise TemplateError(_("Give the template a name."))
    if text.split(".")[0].casefold() in _RESERVED:
        text = f"{text} (1)"
    return text


def _path(name: str) -> Path:
    return templates_dir() / f"{sanitise_name(name)}{package.SUFFIX}"


def list_templates() -> list[Template]:
    """Every saved template, sorted by name (case and accents ignored as far as casefold goes)."""
    found = [Template(p.stem, p) for p in templates_dir().glob(f"*{package.SUFFIX}") if p.is_file()]
    return sorted(found, key=lambda t: t.name.casefold())


def exists(name: str) -> bool:
    return _path(name).is_file()


def save_template(bf: BulletinFile, name: str, replace: bool = False) -> Template:
    """Store ``bf`` as template ``name``; an existing one is replaced only when ``replace``."""
    path = _path(name)
    if path.exists() and not replace:
        raise TemplateError(_('A template named "{name}" already exists.').format(name=path.stem))
    package.save(bf, path)
    return Template(path.stem, path)


def load_template(name: str) -> BulletinFile:
    """A new document from template ``name``, with fresh block ids."""
    path = _path(name)
    if not path.is_file():
        raise TemplateError(_('There is no template named "{name}".').format(name=path.stem))
    bf = package.load(path)
    for block in bf.newsletter.walk():
        block.id = new_id()
    return bf


def delete_template(name: str) -> None:
    path = _path(name)
    try:
        path.unlink()
    except FileNotFoundError:
        raise TemplateError(
            _('There is no template named "{name}".').format(name=path.stem)
        ) from None
    except OSError as exc:
        raise TemplateError(
            _('Cannot delete the template "{name}": {why}').format(
                name=path.stem, why=exc.strerror or exc
            )
        ) from exc


def rename_template(old: str, new: str) -> Template:
    """Rename template ``old`` to ``new`` (refused when ``new`` is taken by another one)."""
    source, target = _path(old), _path(new)
    if not source.is_file():
        raise TemplateError(_('There is no template named "{name}".').format(name=source.stem))
    same = source.name.casefold() == target.name.casefold()
    if target.exists() and not same:
        raise TemplateError(_('A template named "{name}" already exists.').format(name=target.stem))
    try:
        source.rename(target)
    except OSError as exc:
        raise TemplateError(
            _('Cannot rename the template "{name}": {why}').format(
                name=source.stem, why=exc.strerror or exc
            )
        ) from exc
    return Template(target.stem, target)
