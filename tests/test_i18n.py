"""Translations: the French catalog is complete and consistent, compiles by itself, and the
language is chosen once and switched on demand."""

from __future__ import annotations

import gettext
import io
import shutil
import string
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from editor import i18n
from editor.i18n import _, detect_language, language, ngettext, pgettext, set_language
from editor.settings import Preferences, load_preferences, preferences_path, save_preferences

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "resources" / "locale" / "fr" / "LC_MESSAGES" / "bulletin.po"
LANG_VARIABLE = "BULLETIN_LANG"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def catalog() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle)


def entries() -> list[Message]:
    return [m for m in catalog() if m.id]


def forms(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def fields(text: str) -> list[str]:
    """The ``str.format`` fields of ``text`` (with conversion and spec), sorted."""
    return sorted(
        f"{name}!{conversion}:{spec}"
        for _literal, name, spec, conversion in string.Formatter().parse(text)
        if name is not None
    )


@pytest.fixture
def restore_language() -> Iterator[None]:
    yield
    set_language(None)


# --- the catalog ---------------------------------------------------------------------------


def test_catalog_compiles_with_every_entry() -> None:
    mo = i18n.compile_po(PO.read_bytes())
    compiled = gettext.GNUTranslations(io.BytesIO(mo))
    assert compiled.info()["plural-forms"] == "nplurals=2; plural=(n > 1);"
    for m in entries():
        ids = forms(m.id)
        if m.pluralizable:
            assert compiled.ngettext(ids[0], ids[1], 1) == forms(m.string)[0]
            assert compiled.ngettext(ids[0], ids[1], 2) == forms(m.string)[1]
        elif m.context:
            assert compiled.pgettext(m.context, ids[0]) == m.string
        else:
            assert compiled.gettext(ids[0]) == m.string


def test_no_message_is_defined_twice() -> None:
    """Babel keeps the last of two entries silently, where GNU msgfmt refuses the file: a
    merge that appends a message the catalog has already must fail here."""
    keys: list[tuple[str, str]] = []
    context, current, field = "", "", ""
    for line in [*PO.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith('"') and field:
            current += line
            continue
        if field == "msgid":
            keys.append((context, current))
            context = ""
        field = ""
        if line.startswith("msgctxt "):
            context = line[len("msgctxt ") :]
        elif line.startswith("msgid "):
            field, current = "msgid", line[len("msgid ") :]
    twice = sorted(key for key, count in Counter(keys).items() if count > 1)
    assert len(keys) > 1000 and not twice, twice


def test_every_message_has_a_french_translation() -> None:
    cat = catalog()
    assert cat.num_plurals == 2  # French: one form for 0 and 1, one for the rest
    missing = [m.id for m in entries() if not all(forms(m.string)) or m.fuzzy]
    assert missing == []
    assert len(entries()) >= 4


def test_placeholders_match_between_english_and_french() -> None:
    wrong = []
    for m in entries():
        english = {tuple(fields(text)) for text in forms(m.id)}
        french = {tuple(fields(text)) for text in forms(m.string)}
        if english != french or len(english) != 1:
            wrong.append((m.id, m.string))
        if any(fields(text) for text in forms(m.id)):
            assert "python-brace-format" in m.flags, m.id
    assert wrong == []


def test_every_marked_string_in_the_code_is_in_the_catalog() -> None:
    """Babel's extractor (what ``pybabel extract`` runs) over the sources, against the .po."""
    cat = catalog()
    missing = []
    for folder in ("editor", "widgets"):
        for filename, line, message, _comments, context in extract_from_dir(
            ROOT / folder, keywords=KEYWORDS
        ):
            msgid = message if isinstance(message, str) else message[0]
            if cat.get(msgid, context=context) is None:
                missing.append(f"{folder}/{filename}:{line}: {message!r}")
    assert missing == []


# --- choosing the language -----------------------------------------------------------------


def test_switching_at_run_time(restore_language: None) -> None:
    assert set_language("fr") == "fr"
    assert (language(), _("Language"), _("&Language")) == ("fr", "Langue", "&Langue")
    assert _("A message nobody translated") == "A message nobody translated"
    assert pgettext("no such context", "Language") == "Language"
    assert set_language("en") == "en"
    assert (language(), _("Language")) == ("en", "Language")
    assert ngettext("{n} contact", "{n} contacts", 0) == "{n} contacts"


def test_deferred_marking_translates_where_shown(restore_language: None) -> None:
    labels = [i18n.N_("Language")]  # a table built at import, in no language yet
    assert labels == ["Language"]
    set_language("fr")
    assert [_(label) for label in labels] == ["Langue"]


def test_french_plural_rule_counts_zero_as_singular(locale_copy: Path) -> None:
    with locale_copy.open("a", encoding="utf-8") as po:
        po.write(
            '\n#, python-brace-format\nmsgid "{n} contact erased."\n'
            'msgid_plural "{n} contacts erased."\n'
            'msgstr[0] "{n} contact effacé."\nmsgstr[1] "{n} contacts effacés."\n'
        )
    french = i18n.translation("fr")
    erased = [french.ngettext("{n} contact erased.", "{n} contacts erased.", n) for n in (0, 1, 2)]
    assert erased == ["{n} contact effacé.", "{n} contact effacé.", "{n} contacts effacés."]


def test_the_language_is_chosen_once_not_per_message(
    monkeypatch: pytest.MonkeyPatch, restore_language: None
) -> None:
    set_language(None)  # detected from BULLETIN_LANG=en (conftest)
    monkeypatch.setenv(LANG_VARIABLE, "fr")  # a name, so the converter's --tests leaves it
    assert _("Language") == "Language"  # no environment reading per call
    set_language(None)  # choosing again reads it
    assert _("Language") == "Langue"


@pytest.mark.parametrize(
    ("env", "preferred", "expected"),
    [
        ({"BULLETIN_LANG": "en", "LANG": "fr_FR.UTF-8"}, "fr", "en"),  # the variable wins
        ({"BULLETIN_LANG": "FR"}, None, "fr"),
        ({"BULLETIN_LANG": "de", "LANG": "en_GB.UTF-8"}, None, "en"),  # unknown: ignored
        ({"LANG": "en_US.UTF-8"}, "fr", "fr"),  # the saved preference beats the locale
        ({"LANG": "en_US.UTF-8"}, None, "en"),
        ({"LC_ALL": "fr_CA.UTF-8", "LANG": "en_US.UTF-8"}, None, "fr"),
        ({"LC_MESSAGES": "en_US", "LANG": "fr_FR"}, None, "en"),
        ({"LANG": "de_DE.UTF-8"}, None, "fr"),  # unsure: French
        ({"LANG": "C"}, None, "fr"),
    ],
)
def test_detection_order(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], preferred: str | None, expected: str
) -> None:
    for var in ("BULLETIN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    assert detect_language(preferred) == expected


def test_without_any_variable_the_system_locale_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("BULLETIN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr("locale.getlocale", lambda *a: ("en_GB", "UTF-8"))
    assert detect_language() == "en"
    monkeypatch.setattr("locale.getlocale", lambda *a: (None, None))
    assert detect_language() == "fr"


# --- compiling the catalog by itself -------------------------------------------------------


@pytest.fixture
def locale_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of resources/locale, used instead of the real one; its French .po."""
    folder = tmp_path / "locale"
    po = folder / "fr" / "LC_MESSAGES" / "bulletin.po"
    po.parent.mkdir(parents=True)
    shutil.copy(PO, po)
    monkeypatch.setattr(i18n, "locale_dir", lambda: folder)
    return po


def test_mo_is_compiled_on_first_use_and_again_when_the_po_changes(locale_copy: Path) -> None:
    mo = locale_copy.with_suffix(".mo")
    assert not mo.exists()
    assert i18n.translation("fr").gettext("Language") == "Langue"
    first = mo.read_bytes()
    assert i18n.translation("fr").gettext("Language") == "Langue"
    assert mo.read_bytes() == first  # fresh: reused

    text = locale_copy.read_text(encoding="utf-8")
    locale_copy.write_text(text.replace('msgstr "Langue"', 'msgstr "Idioma"'), encoding="utf-8")
    assert i18n.translation("fr").gettext("Language") == "Idioma"
    assert mo.read_bytes() != first


def test_a_damaged_mo_is_compiled_again(locale_copy: Path) -> None:
    locale_copy.with_suffix(".mo").write_bytes(b"\xde\x12\x04\x95 broken")
    assert i18n.translation("fr").gettext("Language") == "Langue"


def test_read_only_resources_compile_into_the_data_folder(
    locale_copy: Path, bulletin_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from editor import atomic

    real = atomic.write_atomic

    def refuse_resources(path: Path, data: bytes) -> None:
        if locale_copy.parent in Path(path).parents or Path(path).parent == locale_copy.parent:
            raise PermissionError(13, "read-only", str(path))
        real(path, data)

    monkeypatch.setattr(atomic, "write_atomic", refuse_resources)
    assert i18n.translation("fr").gettext("Language") == "Langue"
    assert not locale_copy.with_suffix(".mo").exists()
    cached = bulletin_home / "locale" / "fr" / "LC_MESSAGES" / "bulletin.mo"
    assert cached.is_file()
    monkeypatch.setattr(atomic, "write_atomic", lambda *a: pytest.fail("compiled again"))
    assert i18n.translation("fr").gettext("Language") == "Langue"  # the cache is reused


def test_english_needs_no_catalog() -> None:
    assert type(i18n.translation("en")) is gettext.NullTranslations


# --- preferences ---------------------------------------------------------------------------


def test_preferences_round_trip_and_keep_unknown_keys(bulletin_home: Path) -> None:
    assert load_preferences() == Preferences()
    preferences_path().write_text('{"language": "en", "future": [1, 2]}', encoding="utf-8")
    prefs = load_preferences()
    assert prefs.language == "en" and prefs.other == {"future": [1, 2]}
    prefs.language = None
    save_preferences(prefs)
    saved = preferences_path().read_text(encoding="utf-8")
    assert saved == '{\n  "future": [\n    1,\n    2\n  ]\n}\n'
    assert load_preferences() == Preferences(None, {"future": [1, 2]})
    assert [p.name for p in bulletin_home.iterdir()] == ["preferences.json"]  # no temp file left


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"language": "klingon"}'])
def test_unreadable_preferences_fall_back_to_defaults(content: str) -> None:
    preferences_path().write_text(content, encoding="utf-8")
    assert load_preferences().language is None
