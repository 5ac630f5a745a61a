"""The one-off converter from ``t(fr, en)`` to gettext, on small snippets (one per pattern)."""

from __future__ import annotations

import ast
import importlib.util
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest
from babel.messages.pofile import read_po

TOOL = Path(__file__).resolve().parent.parent / "tools" / "convert_to_gettext.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("convert_to_gettext", TOOL)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


conv = _load()
HEADER = "from editor.i18n import t\n\n"


def convert(body: str, known: dict[tuple[str | None, str], str] | None = None) -> object:
    return conv.convert_source(HEADER + textwrap.dedent(body), "pkg/mod.py", known)


def code(result: object) -> str:
    source: str = result.source  # type: ignore[attr-defined]
    return source.split("\n", 2)[2] if source.startswith("from") else source


def run_snippet(result: object, names: dict[str, object], language: str = "en") -> object:
    """Execute the converted code with a fake gettext that knows the snippet's French."""
    entries = {(m.context, m.msgid): m for m in result.messages}  # type: ignore[attr-defined]

    def _(msgid: str) -> str:
        m = entries.get((None, msgid))
        return m.msgstr if language == "fr" and m else msgid

    def ngettext(singular: str, plural: str, n: int) -> str:
        m = entries.get((None, singular))
        if language == "fr" and m:
            return m.msgstr if n <= 1 else m.msgstr_plural
        return singular if n == 1 else plural

    def pgettext(context: str, msgid: str) -> str:
        m = entries.get((context, msgid))
        return m.msgstr if language == "fr" and m else msgid

    namespace = dict(names, _=_, ngettext=ngettext, pgettext=pgettext)
    exec(code(result), namespace)
    return namespace["out"]


def test_plain_string_becomes_the_english_msgid() -> None:
    result = convert('out = t("Enregistré.", "Saved.")\n')
    assert code(result) == 'out = _("Saved.")\n'
    assert result.source.startswith("from editor.i18n import _\n")
    [m] = result.messages
    assert (m.msgid, m.msgstr, m.line, m.brace) == ("Saved.", "Enregistré.", 3, False)


def test_fstring_fields_become_named_placeholders_shared_with_french() -> None:
    result = convert(
        """\
        out = t(
            f"{what} : « {value} » n'est pas valide ({self.size // 1024} Ko, {n:.1f}).",
            f'{what}: "{value}" is not valid ({self.size // 1024} KB, {n:.1f}).',
        )
        """
    )
    [m] = result.messages
    assert m.msgid == '{what}: "{value}" is not valid ({size} KB, {n:.1f}).'
    assert m.msgstr == "{what} : « {value} » n'est pas valide ({size} Ko, {n:.1f})."
    assert m.brace
    assert ".format(what=what, value=value, size=self.size // 1024, n=n)" in code(result)

    class Obj:
        size = 4096

    names = {"what": "Colour", "value": "red", "self": Obj(), "n": 2.25}
    assert run_snippet(result, names) == 'Colour: "red" is not valid (4 KB, 2.2).'
    assert run_snippet(result, names, "fr") == ("Colour : « red » n'est pas valide (4 Ko, 2.2).")


def test_placeholder_names_come_from_the_expression_and_stay_unique() -> None:
    result = convert(
        """\
        out = t(
            f"{len(rows)} {row['email']} {a.name} {b.name} {path.resolve()} {x!r} {{brace}}",
            f"{len(rows)} {row['email']} {a.name} {b.name} {path.resolve()} {x!r} {{brace}}",
        )
        """
    )
    [m] = result.messages
    assert m.msgid == "{rows_count} {email} {name} {name_2} {path} {x!r} {{brace}}"
    assert "name=a.name, name_2=b.name" in code(result)


def test_implicit_concatenation_and_long_text_are_wrapped() -> None:
    result = convert(
        """\
        out = t(
            "Une phrase assez longue pour être coupée en morceaux, "
            f"avec {count} éléments et encore du texte pour dépasser la largeur.",
            "A sentence long enough to be cut into pieces, "
            f"with {count} items and more text to go over the width.",
        )
        """
    )
    [m] = result.messages
    assert m.msgid == (
        "A sentence long enough to be cut into pieces, with {count} items and more text to "
        "go over the width."
    )
    widest = max(len(line) for line in code(result).splitlines())
    assert widest <= conv.WRAP + 3  # a piece, its trailing space, its quotes
    ast.parse(result.source)
    assert run_snippet(result, {"count": 3}).startswith("A sentence long enough")


def test_plural_pattern_becomes_ngettext_with_french_forms() -> None:
    result = convert('out = t(f"{n} contact(s) effacé(s).", f"{n} contact(s) erased.")\n')
    [m] = result.messages
    assert (m.msgid, m.plural) == ("{n} contact erased.", "{n} contacts erased.")
    assert (m.msgstr, m.msgstr_plural) == ("{n} contact effacé.", "{n} contacts effacés.")
    assert result.plurals == 1
    assert code(result).startswith('out = ngettext("{n} contact erased.", ')
    assert result.source.startswith("from editor.i18n import ngettext\n")
    assert run_snippet(result, {"n": 1}) == "1 contact erased."
    assert run_snippet(result, {"n": 2}) == "2 contacts erased."
    assert run_snippet(result, {"n": 0}, "fr") == "0 contact effacé."
    assert run_snippet(result, {"n": 2}, "fr") == "2 contacts effacés."
    assert not result.issues
    assert m.old_wording == ("contact(s) erased", "contact(s) effacé")
    test_source = 'def test_x():\n    assert "1 contact(s) erased" in out\n'
    [stale] = conv.stale_expectations(test_source, "tests/t.py", m.old_wording)
    assert str(stale) == "tests/t.py:2: expects the old wording « contact(s) erased »: update it"


def test_plural_with_several_numbers_or_no_number_is_left_for_a_human() -> None:
    result = convert(
        """\
        a = t(f"{x} ajouté(s), {y} ligne(s)", f"{x} added, {y} row(s)")
        b = t("Effacer le(s) contact(s) ?", "Erase the contact(s)?")
        c = t(f"{url} n'est pas une URL http(s)", f"{url} is not an http(s) URL")
        """
    )
    assert result.plurals == 0
    lines = sorted(issue.line for issue in result.issues)
    assert lines == [3, 4]  # a: two numbers; b: no number. c is "http(s)", no plural
    assert code(result).startswith('a = t(f"{x} ajouté(s)')
    assert '_("{url} is not an http(s) URL").format(url=url)' in code(result)
    assert result.source.startswith("from editor.i18n import _, t\n")  # t still used


def test_same_english_with_another_french_gets_a_context() -> None:
    known: dict[tuple[str | None, str], str] = {}
    first = convert('out = t("Importer", "Import")\n', known)
    second = conv.convert_source(
        HEADER + 'class Page:\n    def title(self):\n        return t("Import", "Import")\n',
        "pkg/other.py",
        known,
    )
    assert code(first) == 'out = _("Import")\n'
    assert 'pgettext("pkg.other.Page.title", "Import")' in code(second)
    assert second.messages[0].context == "pkg.other.Page.title"
    assert second.source.startswith("from editor.i18n import pgettext\n")


def test_call_inside_an_fstring_is_left_for_a_human() -> None:
    """Babel's extractor does not look inside f-strings on Python 3.11."""
    result = convert("""out = f"{t('attention', 'warning')}: {message}"\n""")
    assert result.converted == 0
    assert [str(i) for i in result.issues] == ["pkg/mod.py:3: inside an f-string: move it out"]


def test_throwaway_underscore_is_renamed_where_it_would_shadow_gettext() -> None:
    result = convert(
        """\
        def f(pair, *_):
            a, _ = pair
            return t("Oui", "Yes") + a

        def g(pair):
            a, _ = pair
            return a
        """
    )
    out = code(result)
    assert "def f(pair, *_unused):" in out and "a, _unused = pair" in out
    assert "def g(pair):\n    a, _ = pair" in out  # no _() there: left alone
    namespace: dict[str, object] = {"_": lambda s: s}
    exec(out, namespace)
    assert namespace["f"](("x", "y")) == "Yesx"  # type: ignore[operator]


def test_what_cannot_be_converted_is_reported_and_left_working() -> None:
    result = convert(
        """\
        x = t(fr, en)
        y = t(f"Taille : {size_fr}", f"Size: {size_en}")
        z = t(*PAIR)
        f = lambda t: t.group(1)
        """
    )
    assert result.converted == 0
    assert [(i.path, i.line) for i in result.issues] == [
        ("pkg/mod.py", 3),
        ("pkg/mod.py", 4),
        ("pkg/mod.py", 5),
    ]
    assert "French text has fields the English lacks: size_fr" in str(result.issues[1])
    assert result.source == HEADER + textwrap.dedent(
        """\
        x = t(fr, en)
        y = t(f"Taille : {size_fr}", f"Size: {size_en}")
        z = t(*PAIR)
        f = lambda t: t.group(1)
        """
    )


def test_modules_without_the_import_are_untouched() -> None:
    source = 'def t(a, b):\n    return a\n\nout = t("x", "y")\n'
    assert conv.convert_source(source, "m.py").source == source


def test_tests_that_switch_language_call_set_language() -> None:
    source = textwrap.dedent(
        """\
        import pytest


        def test_x(monkeypatch):
            monkeypatch.setenv("BULLETIN_LANG", "fr")
            assert True
        """
    )
    once = conv.convert_test_source(source)
    assert 'monkeypatch.setenv("BULLETIN_LANG", "fr")\n    set_language("fr")\n' in once
    assert "import pytest\nfrom editor.i18n import set_language\n" in once
    assert conv.convert_test_source(once) == once


def test_whole_run_writes_the_catalog_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = tmp_path / "mod.py"
    module.write_text(
        HEADER
        + 'A = t("Enregistré.", "Saved.")\n'
        + 'B = t(f"{n} contact(s) effacé(s).", f"{n} contact(s) erased.")\n'
        + "C = t(fr, en)\n",
        encoding="utf-8",
    )
    po = tmp_path / "fr" / "bulletin.po"
    assert conv.main([str(module), "--po", str(po)]) == 0
    report = capsys.readouterr().out
    assert "mod.py:5: argument is not a string literal" in report
    assert "2 calls converted (1 with .format, 1 ngettext, 0 pgettext), 1 to check" in report
    converted = module.read_text(encoding="utf-8")
    catalog_text = po.read_bytes()
    with po.open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.num_plurals == 2
    assert catalog.get("Saved.").string == "Enregistré."
    plural = catalog.get("{n} contact erased.")
    assert plural.id == ("{n} contact erased.", "{n} contacts erased.")
    assert plural.string == ("{n} contact effacé.", "{n} contacts effacés.")
    assert "python-brace-format" in plural.flags
    assert plural.locations == [(module.as_posix(), 4)]

    assert conv.main([str(module), "--po", str(po)]) == 0
    assert "0 calls converted" in capsys.readouterr().out
    assert module.read_text(encoding="utf-8") == converted
    assert po.read_bytes() == catalog_text


def test_catalog_merge_keeps_existing_translations(tmp_path: Path) -> None:
    po = tmp_path / "bulletin.po"
    message = conv.Message("Saved.", "Enregistré.", 3, "a.py")
    assert conv.merge_into_po(po, [message]) == (1, [])
    text = po.read_text(encoding="utf-8").replace('"Enregistré."', '"Sauvegardé."')
    po.write_text(text, encoding="utf-8")
    added, conflicts = conv.merge_into_po(po, [conv.Message("Saved.", "Enregistré.", 9, "b.py")])
    assert added == 0 and len(conflicts) == 1
    with po.open("rb") as handle:
        entry = read_po(handle).get("Saved.")
    assert entry.string == "Sauvegardé."
    assert entry.locations == [("a.py", 3), ("b.py", 9)]
