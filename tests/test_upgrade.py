"""Older document JSON is brought up to the current format one step at a time."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from editor.document import FORMAT_VERSION, DocumentError, Newsletter, TextBlock, from_json, to_json
from editor.i18n import set_language
from editor.upgrade import STEPS, VersionError, plain_text_to_html, upgrade


def v1_document() -> dict[str, Any]:
    """A format-1 document as the previous Bulletin wrote it (no version key at all)."""
    return {
        "subject": "Ancien bulletin",
        "preheader": "",
        "sender": {"name": "Asso", "email": "a@example.org"},
        "theme": {"width": 560, "font_size": 15},
        "blocks": [
            {"type": "heading", "text": "Bienvenue", "level": 1},
            {"type": "text", "text": "Bonjour à tous,\nvoici les nouvelles.\n\nÀ bientôt !"},
            {
                "type": "columns",
                "ratio": "50-50",
                "columns": [
                    {"blocks": [{"type": "text", "text": "<gauche> & droite"}]},
                    {"blocks": [{"type": "button", "label": "Lire", "url": "https://a.org"}]},
                ],
            },
            {"type": "footer", "company": "Asso"},
        ],
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("Bonjour", "<p>Bonjour</p>"),
        ("a\nb", "<p>a<br>b</p>"),
        ("a\n\nb", "<p>a</p><p>b</p>"),
        ("a\r\nb\r\n\r\nc", "<p>a<br>b</p><p>c</p>"),
        ("\n\na\n  \n\t\n\nb\n\n", "<p>a</p><p>b</p>"),
        (
            "<script>x</script> & 'quotes' \"too\"",
            "<p>&lt;script&gt;x&lt;/script&gt; &amp; 'quotes' \"too\"</p>",
        ),
        ("l'été", "<p>l'été</p>"),
    ],
)
def test_plain_text_to_html(text: str, expected: str) -> None:
    assert plain_text_to_html(text) == expected


def test_version_1_upgrades_to_current() -> None:
    data = upgrade(v1_document())
    assert data["version"] == FORMAT_VERSION
    assert data["language"] == "fr"
    assert data["theme"] == {"content_width": 560, "font_size": 15}
    heading, text, columns, footer = data["blocks"]
    assert heading["text"] == "Bienvenue"  # headings keep their plain text
    assert "text" not in text
    assert text["html"] == "<p>Bonjour à tous,<br>voici les nouvelles.</p><p>À bientôt !</p>"
    left = columns["columns"][0]["blocks"][0]
    assert left["html"] == "<p>&lt;gauche&gt; &amp; droite</p>"
    ids = [heading["id"], text["id"], columns["id"], footer["id"], left["id"]]
    ids.append(columns["columns"][1]["blocks"][0]["id"])
    assert all(re.fullmatch(r"[0-9a-f]{12}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    news = from_json(data)
    assert news.theme.content_width == 560
    assert isinstance(news.blocks[1], TextBlock)


def test_explicit_version_1_is_the_same_as_no_version() -> None:
    doc = v1_document()
    doc["version"] = 1
    data = upgrade(doc)
    assert data["version"] == FORMAT_VERSION
    assert data["theme"]["content_width"] == 560


def test_upgrade_keeps_existing_ids_and_values() -> None:
    doc = v1_document()
    doc["blocks"][0]["id"] = "keepme"
    doc["language"] = "en"
    doc["theme"]["content_width"] = 600  # both keys: the new one wins
    data = upgrade(doc)
    assert data["blocks"][0]["id"] == "keepme"
    assert data["language"] == "en"
    assert data["theme"]["content_width"] == 600 and "width" not in data["theme"]


def test_upgrade_does_not_touch_its_input() -> None:
    doc = v1_document()
    snapshot = copy.deepcopy(doc)
    upgrade(doc)
    assert doc == snapshot


def test_current_version_is_unchanged() -> None:
    current = to_json(Newsletter(subject="now"))
    assert upgrade(current) == current


def test_every_step_is_registered() -> None:
    assert set(STEPS) == set(range(1, FORMAT_VERSION))


def test_newer_version_is_refused_clearly() -> None:
    with pytest.raises(VersionError, match=r"newer Bulletin.*Please update") as caught:
        upgrade({"version": FORMAT_VERSION + 1})
    assert isinstance(caught.value, DocumentError)


def test_newer_version_in_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_LANG", "fr")
    set_language("fr")
    with pytest.raises(VersionError, match=r"plus récente de Bulletin.*Mettez Bulletin à jour"):
        upgrade({"version": 99})


@pytest.mark.parametrize("version", ["2", True, 0, -1, 1.5, None])
def test_nonsense_version(version: object) -> None:
    with pytest.raises(VersionError, match="Unknown format version"):
        upgrade({"version": version})


def test_not_an_object() -> None:
    with pytest.raises(DocumentError, match="not a JSON object"):
        upgrade([1, 2])  # type: ignore[arg-type]


def test_text_of_the_wrong_type() -> None:
    with pytest.raises(DocumentError, match="text block holds an unexpected value"):
        upgrade({"blocks": [{"type": "text", "text": 42}]})


def test_odd_shapes_are_left_for_from_json() -> None:
    """Upgrading must not crash on junk; from_json then gives the readable error."""
    data = upgrade({"theme": "dark", "blocks": [1, {"type": "columns", "columns": [3]}]})
    assert data["theme"] == "dark"
    with pytest.raises(DocumentError):
        from_json(data)
