"""Starter newsletters shipped in ``resources/starters`` (one JSON document each, plus images)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from editor.document import DocumentError, from_json, new_id
from editor.i18n import _, language
from editor.package import BulletinFile
from editor.settings import resources_dir


@dataclass(frozen=True)
class Starter:
    name: str
    description_fr: str
    description_en: str
    path: Path

    @property
    def description(self) -> str:
        return self.description_en if language() == "en" else self.description_fr


def starters_dir() -> Path:
    return resources_dir() / "starters"


def list_starters() -> list[Starter]:
    """Every starter, sorted by name."""
    out = []
    for path in sorted(starters_dir().glob("*.json")):
        meta = json.loads(path.read_text(encoding="utf-8"))["starter"]
        out.append(Starter(path.stem, meta["description_fr"], meta["description_en"], path))
    return out


def create(name: str) -> BulletinFile:
    """A new document from starter ``name``, with fresh block ids and its images embedded."""
    found = {s.name: s for s in list_starters()}
    if name not in found:
        raise DocumentError(
            _('Unknown template "{name}". Available templates: {found}.').format(
                name=name, found=", ".join(found)
            )
        )
    data = json.loads(found[name].path.read_text(encoding="utf-8"))
    data.pop("starter")
    newsletter = from_json(data)
    for block in newsletter.walk():
        block.id = new_id()
    images: dict[str, bytes] = {}
    for block in newsletter.walk():
        src = getattr(block, "src", "")
        if src.startswith("images/"):
            images[src] = (starters_dir() / src).read_bytes()
    return BulletinFile(newsletter=newsletter, images=images)
