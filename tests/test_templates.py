"""The user's own templates and the recent-files list: core modules, no Qt."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from editor import package
from editor.document import HeadingBlock, Newsletter, TextBlock
from editor.package import BulletinFile
from editor.recent import MAX_RECENT, add_recent, clear_recent, load_recent, remove_recent
from editor.templates import (
    TemplateError,
    delete_template,
    list_templates,
    load_template,
    rename_template,
    sanitise_name,
    save_template,
    templates_dir,
)


def document(subject: str = "Lettre") -> BulletinFile:
    return BulletinFile(
        Newsletter(subject=subject, blocks=[HeadingBlock(text="Bonjour"), TextBlock()])
    )


def test_save_list_load_gives_the_document_with_fresh_ids(bulletin_home: Path) -> None:
    original = document()
    saved = save_template(original, "  Ma lettre   du mois ")
    assert saved.name == "Ma lettre du mois"
    assert saved.path.parent == bulletin_home / "templates"
    assert [t.name for t in list_templates()] == ["Ma lettre du mois"]
    loaded = load_template("Ma lettre du mois")
    assert loaded.newsletter.subject == "Lettre"
    old_ids = {b.id for b in original.newsletter.walk()}
    new_ids = {b.id for b in loaded.newsletter.walk()}
    assert len(new_ids) == 2 and not old_ids & new_ids
    # The template is an ordinary .bulletin file: the core reads it as it is.
    assert package.load(saved.path).newsletter == original.newsletter


def test_an_existing_name_is_refused_unless_replacing() -> None:
    save_template(document("un"), "Promo")
    with pytest.raises(TemplateError, match='"Promo" already exists'):
        save_template(document("deux"), "Promo")
    save_template(document("deux"), "Promo", replace=True)
    assert load_template("Promo").newsletter.subject == "deux"
    assert len(list_templates()) == 1


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "etc passwd"),
        ('a<b>c:d"e|f?g*h', "a b c d e f g h"),
        ("..cachée", "cachée"),
        ("CON", "CON (1)"),
        ("nul.txt", "nul.txt (1)"),
        ("ligne\nnouvelle\ttab", "ligne nouvelle tab"),
        ("x" * 200, "x" * 80),
    ],
)
def test_names_are_sanitised_into_safe_file_names(name: str, safe: str) -> None:
    assert sanitise_name(name) == safe
    template = save_template(document(), name)
    assert template.path.parent == templates_dir()
    assert template.name == safe


@pytest.mark.parametrize("name", ["", "   ", "...", "/\\", "\x00"])
def test_an_empty_name_is_refused(name: str) -> None:
    with pytest.raises(TemplateError, match="Give the template a name"):
        save_template(document(), name)
    assert list_templates() == []


def test_rename_and_delete() -> None:
    save_template(document("a"), "Avant")
    save_template(document("b"), "Autre")
    with pytest.raises(TemplateError, match='"Autre" already exists'):
        rename_template("Avant", "Autre")
    renamed = rename_template("Avant", "Après")
    assert renamed.name == "Après"
    assert [t.name for t in list_templates()] == ["Après", "Autre"]
    assert load_template("Après").newsletter.subject == "a"
    rename_template("Après", "APRÈS")  # a change of case only is allowed
    delete_template("APRÈS")
    assert [t.name for t in list_templates()] == ["Autre"]
    with pytest.raises(TemplateError, match="no template"):
        delete_template("APRÈS")
    with pytest.raises(TemplateError, match="no template"):
        load_template("Avant")


def test_saving_leaves_no_temporary_file() -> None:
    save_template(document(), "Propre")
    assert sorted(p.name for p in templates_dir().iterdir()) == ["Propre.bulletin"]


# --- recent files ----------------------------------------------------------------------------


def touch(path: Path) -> Path:
    path.write_bytes(b"x")
    return path


def test_recent_files_most_recent_first_without_duplicates(tmp_path: Path) -> None:
    a, b = touch(tmp_path / "a.bulletin"), touch(tmp_path / "b.bulletin")
    add_recent(a)
    add_recent(b)
    add_recent(a)
    assert load_recent() == [a.resolve(), b.resolve()]
    remove_recent(a)
    assert load_recent() == [b.resolve()]
    clear_recent()
    assert load_recent() == []


def test_recent_files_keep_the_last_ten(tmp_path: Path) -> None:
    paths = [touch(tmp_path / f"{i}.bulletin") for i in range(MAX_RECENT + 3)]
    for path in paths:
        add_recent(path)
    assert load_recent() == [p.resolve() for p in reversed(paths[-MAX_RECENT:])]


def test_missing_files_are_pruned(tmp_path: Path) -> None:
    a, b = touch(tmp_path / "a.bulletin"), touch(tmp_path / "b.bulletin")
    add_recent(a)
    add_recent(b)
    os.remove(b)
    assert load_recent() == [a.resolve()]


@pytest.mark.parametrize("content", ["{not json", '{"a": 1}', "[1, null]"])
def test_an_unreadable_recent_list_is_empty(bulletin_home: Path, content: str) -> None:
    (bulletin_home / "recent.json").write_text(content, encoding="utf-8")
    assert load_recent() == []
