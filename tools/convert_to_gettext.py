"""Convert the bilingual ``t("français", "English")`` calls to gettext, once, mechanically.

    uv run python tools/convert_to_gettext.py editor widgets            # rewrite + update the .po
    uv run python tools/convert_to_gettext.py --tests tests             # tests that switch language
    uv run python tools/convert_to_gettext.py --dry-run editor widgets  # report only

For each call whose two arguments are string literals (plain, f-strings, implicit concatenation):

* the English text becomes the msgid: ``_("Saved.")``;
* f-string fields become named placeholders filled by ``.format()``; the name comes from the
  expression (a variable, the last attribute, ``len(x)`` → ``x_count``…), format specs and
  conversions are kept, and the same expression in the French text gets the same name;
* a text with a plural pattern — ``contact(s)`` after a number field — becomes
  ``ngettext(singular, plural, n)``, with the French forms written the same way
  (« 1 contact effacé », « 2 contacts effacés ») or listed for review when unsure;
* the French text goes into ``resources/locale/fr/LC_MESSAGES/bulletin.po`` (merged: existing
  entries and translations are kept), with ``#:`` locations and ``python-brace-format`` flags;
* ``from editor.i18n import t`` becomes ``from editor.i18n import _, ngettext`` (as needed);
* a function that uses ``_`` as a throwaway name and now calls ``_()`` gets ``_unused`` instead.

Whatever cannot be converted safely (a non-literal argument, a placeholder only in French…) is
left as it is and printed as ``path:line: reason``. Running it again changes nothing. Run
``ruff format`` on the result (``--format`` does it, with import sorting).

``--tests``: after each ``monkeypatch.setenv("BULLETIN_LANG", X)`` add ``set_language(X)``,
since ``_()`` no longer reads the environment on every call.
"""

from __future__ import annotations

import argparse
import ast
import io
import keyword
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PO_HEADER = """\
# French translations for Bulletin.
# Edit the msgstr lines; msgids come from the English in the code (pybabel extract/update).
#"""
FRENCH_PLURALS = "nplurals=2; plural=(n > 1);"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PO = ROOT / "resources" / "locale" / "fr" / "LC_MESSAGES" / "bulletin.po"
I18N_MODULE = "editor.i18n"
THROWAWAY = "_unused"
WRAP = 64
"""Longest string literal piece written on one line; ruff keeps pieces as they are."""

# "contact(s)", "effacé(s)", "nouveau(x)", "address(es)": a word then a short plural ending.
PLURAL = re.compile(r"(?<=\w)\((s|es|x)\)")
SLASHED = re.compile(r"\b\w+/\w+\b")  # "was/were", "a/ont": agreement the tool cannot decide


@dataclass(frozen=True)
class Field:
    """One f-string field: the expression's source (normalised), conversion and format spec."""

    expr: str
    conversion: str
    spec: str


Part = str | Field
Known = dict[tuple[str | None, str], str]


@dataclass
class Message:
    msgid: str
    msgstr: str
    line: int
    path: str
    plural: str | None = None
    msgstr_plural: str | None = None
    brace: bool = False
    context: str | None = None
    old_wording: tuple[str, ...] = ()
    """Plurals: the « contact(s) erased » pieces that tests may still expect."""


@dataclass
class Issue:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


@dataclass
class Result:
    source: str
    messages: list[Message] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    converted: int = 0
    formatted: int = 0
    plurals: int = 0
    contexts: int = 0
    renamed: int = 0

    @property
    def changed(self) -> bool:
        return self.converted > 0 or self.renamed > 0


class Unsupported(Exception):
    """A call left as it is, with the reason printed for a human."""


# --- reading the two arguments ---------------------------------------------------------------


def literal_parts(node: ast.expr) -> list[Part]:
    """A string literal as text pieces and fields; raises Unsupported for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if not isinstance(node, ast.JoinedStr):
        raise Unsupported("argument is not a string literal")
    parts: list[Part] = []
    for value in node.values:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            parts.append(value.value)
        elif isinstance(value, ast.FormattedValue):
            spec = ""
            if value.format_spec is not None:
                spec_parts = literal_parts(value.format_spec)
                if any(isinstance(p, Field) for p in spec_parts):
                    raise Unsupported("nested field in a format spec")
                spec = "".join(p for p in spec_parts if isinstance(p, str))
            conversion = "" if value.conversion == -1 else chr(value.conversion)
            parts.append(Field(ast.unparse(value.value), conversion, spec))
        else:  # pragma: no cover - JoinedStr holds only these two
            raise Unsupported("unexpected f-string content")
    return parts


def readable_name(node: ast.expr) -> str:
    """A placeholder name a translator can read, from the expression it stands for."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id == "len" and node.args:
            return f"{readable_name(node.args[0])}_count"
        if node.args:
            return readable_name(node.args[0])
        if isinstance(func, ast.Attribute):
            owner = func.value
            if isinstance(owner, ast.Name) and owner.id not in ("self", "cls"):
                return owner.id
            return func.attr
        return readable_name(func)
    if isinstance(node, ast.Subscript):
        key = node.slice
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and key.value.isidentifier()
        ):
            return key.value
        return readable_name(node.value)
    if isinstance(node, ast.BinOp):
        return readable_name(node.left)
    if isinstance(node, ast.UnaryOp):
        return readable_name(node.operand)
    return "value"


def clean_name(name: str) -> str:
    name = re.sub(r"\W", "_", name).strip("_").lower() or "value"
    if name[0].isdigit() or keyword.iskeyword(name) or name in ("self", "cls"):
        name = f"value_{name}"
    return name


class Names:
    """Expression → placeholder name, unique within one call, shared by English and French."""

    def __init__(self) -> None:
        self.by_expr: dict[str, str] = {}

    def name(self, expr: str) -> str:
        if expr not in self.by_expr:
            base = clean_name(readable_name(ast.parse(expr, mode="eval").body))
            name, n = base, 2
            while name in self.by_expr.values():
                name, n = f"{base}_{n}", n + 1
            self.by_expr[expr] = name
        return self.by_expr[expr]


def render_text(parts: Sequence[Part], names: Names) -> tuple[str, list[tuple[int, str]]]:
    """The ``str.format`` template, and each field's (offset in the template, expression)."""
    has_fields = any(isinstance(p, Field) for p in parts)
    out: list[str] = []
    fields: list[tuple[int, str]] = []
    length = 0
    for part in parts:
        if isinstance(part, str):
            text = part.replace("{", "{{").replace("}", "}}") if has_fields else part
        else:
            fields.append((length, part.expr))
            text = "{" + names.name(part.expr)
            text += f"!{part.conversion}" if part.conversion else ""
            text += f":{part.spec}" if part.spec else ""
            text += "}"
        out.append(text)
        length += len(text)
    return "".join(out), fields


# --- writing the new call ----------------------------------------------------------------------


def quote(text: str, quote_char: str = '"') -> str:
    body = text.replace("\\", "\\\\").replace(quote_char, "\\" + quote_char)
    body = body.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    body = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", lambda m: f"\\x{ord(m[0]):02x}", body)
    return quote_char + body + quote_char


def pieces(text: str, width: int = WRAP) -> list[str]:
    """``text`` cut after spaces into pieces of about ``width`` characters (never inside ``{}``)."""
    if len(text) <= width:
        return [text]
    out: list[str] = []
    start = depth = 0
    last_space = -1
    for i, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == " " and depth == 0:
            last_space = i
        if i - start >= width and last_space >= start:
            out.append(text[start : last_space + 1])
            start = last_space + 1
    out.append(text[start:])
    return [p for p in out if p]


def literal(text: str, inline_quote: str | None) -> str:
    """Source for ``text``: one literal inside an f-string, else pieces on their own lines."""
    if inline_quote is not None:
        return quote(text, inline_quote)
    parts = pieces(text)
    if len(parts) == 1:
        return quote(text)
    return "\n" + "\n".join(quote(p) for p in parts) + "\n"


# --- one file ----------------------------------------------------------------------------------


def _offsets(source: str) -> list[int]:
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


class _Source:
    """Turns AST positions (line, UTF-8 byte column) into string offsets."""

    def __init__(self, source: str) -> None:
        self.text = source
        self.lines = source.splitlines(keepends=True)
        self.starts = _offsets(source)

    def offset(self, line: int, col: int) -> int:
        text = self.lines[line - 1] if line - 1 < len(self.lines) else ""
        return self.starts[line - 1] + len(text.encode("utf-8")[:col].decode("utf-8"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _scope_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """Nodes evaluated in ``scope`` itself (nested functions, classes, comprehensions excluded)."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (*_SCOPES, *_COMPREHENSIONS)):
            continue  # its own scope (decorators/defaults are rare enough to ignore here)
        stack.extend(ast.iter_child_nodes(node))


def _binds_underscore(scope: ast.AST) -> list[ast.Name | ast.arg]:
    """The ``_`` names of ``scope``: assignment targets, uses, and parameters (``*_``)."""
    if isinstance(scope, _COMPREHENSIONS):
        nodes: Iterable[ast.AST] = (n for g in scope.generators for n in ast.walk(g.target))
    else:
        nodes = _scope_nodes(scope)
    found: list[ast.Name | ast.arg] = [n for n in nodes if isinstance(n, ast.Name) and n.id == "_"]
    if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        a = scope.args
        params = [*a.posonlyargs, *a.args, a.vararg, *a.kwonlyargs, a.kwarg]
        found.extend(p for p in params if p is not None and p.arg == "_")
    return found


def _inside_fstring(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> ast.JoinedStr | None:
    current = parents.get(node)
    while current is not None:
        if isinstance(current, ast.JoinedStr):
            return current
        current = parents.get(current)
    return None


def _imports_t(tree: ast.Module) -> list[ast.ImportFrom]:
    return [
        node
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and node.module == I18N_MODULE
        and any(alias.name == "t" and alias.asname is None for alias in node.names)
    ]


def convert_call(
    call: ast.Call,
    path: str,
    inline_quote: str | None,
    known: Known | None = None,
    context: str = "",
) -> tuple[str, Message, bool]:
    """(new source, catalog entry, is plural) for one ``t(fr, en)`` call.

    ``known`` maps (context, msgid) to the French already chosen (this run or the catalog): the
    same English with another French gets ``pgettext(context, …)`` so no wording is lost.
    """
    if call.keywords or len(call.args) != 2:
        raise Unsupported("t() without exactly two positional arguments")
    fr_parts, en_parts = literal_parts(call.args[0]), literal_parts(call.args[1])
    names = Names()
    msgid, en_fields = render_text(en_parts, names)
    msgstr, fr_fields = render_text(fr_parts, names)
    en_exprs = [e for _o, e in en_fields]
    extra = [e for _o, e in fr_fields if e not in en_exprs]
    if extra:
        raise Unsupported(f"French text has fields the English lacks: {', '.join(extra)}")
    missing = [e for e in en_exprs if e not in [x for _o, x in fr_fields]]
    if missing:
        raise Unsupported(f"English text has fields the French lacks: {', '.join(missing)}")
    both = msgid + msgstr
    if inline_quote is not None and any(c in both for c in ("\\", "\n", "\t", inline_quote)):
        raise Unsupported("inside an f-string: a backslash cannot be written there (Python 3.11)")

    message = Message(msgid, msgstr, call.lineno, path, brace=bool(en_fields))
    if not en_fields and re.search(r"\{[A-Za-z_]\w*\}", msgid):
        message.brace = True  # formatted later by the caller
    plural = _plural_word(msgid)
    count_expr = None
    if plural is not None:
        before = [(o, e) for o, e in en_fields if o < plural.start()]
        between = msgid[msgid.index("}", before[-1][0]) + 1 : plural.start()] if before else ""
        if not before or not re.fullmatch(r"\s+(\w+\s+){0,2}\w+", between):
            raise Unsupported("plural pattern « (s) » without a number field just before it")
        count_expr = before[-1][1]
        if _counts(msgid, en_fields) != {count_expr}:
            raise Unsupported("plural words that depend on different numbers: check by hand")
        french_counts = _counts(msgstr, fr_fields)
        if french_counts and french_counts != {count_expr}:
            raise Unsupported("French plural words that depend on other numbers: check by hand")
        message.old_wording = tuple(
            m.group(0) for m in re.finditer(r"\w+\((?:s|es|x)\)(?:\s+\w+)?", msgid + "\n" + msgstr)
        )
        message.msgid = PLURAL.sub("", msgid)
        message.plural = PLURAL.sub(r"\1", msgid)
        message.msgstr = PLURAL.sub("", msgstr)
        message.msgstr_plural = PLURAL.sub(r"\1", msgstr)

    if known is not None:
        key: tuple[str | None, str] = (None, message.msgid)
        if key in known and known[key] != message.msgstr:
            if count_expr is not None:
                raise Unsupported(f"« {message.msgid} » has two French plurals: check by hand")
            message.context = context
            key = (context, message.msgid)
            if key in known and known[key] != message.msgstr:
                raise Unsupported(f"« {message.msgid} » has two French texts in {context}")
        known.setdefault(key, message.msgstr)
    if message.context is not None:
        code = f"pgettext({quote(message.context, inline_quote or chr(34))}, "
        code += f"{literal(msgid, inline_quote)})"
    elif count_expr is not None:
        assert message.plural is not None
        code = (
            f"ngettext({literal(message.msgid, inline_quote)}, "
            f"{literal(message.plural, inline_quote)}, {count_expr})"
        )
    else:
        code = f"_({literal(msgid, inline_quote)})"
    if en_fields:
        kwargs = ", ".join(f"{name}={expr}" for expr, name in names.by_expr.items())
        code += f".format({kwargs})"
    return code, message, count_expr is not None


def _plural_word(msgid: str) -> re.Match[str] | None:
    for match in PLURAL.finditer(msgid):
        if not msgid[: match.start()].lower().endswith("http"):  # "http(s)" is no plural
            return match
    return None


def _counts(text: str, fields: list[tuple[int, str]]) -> set[str | None]:
    """For each plural word of ``text``, the field just before it (None when there is none)."""
    found: set[str | None] = set()
    for match in PLURAL.finditer(text):
        if text[: match.start()].lower().endswith("http"):
            continue
        before = [e for o, e in fields if o < match.start()]
        found.add(before[-1] if before else None)
    return found


def _qualname(node: ast.AST, parents: dict[ast.AST, ast.AST], path: str) -> str:
    """``module.Class.function`` around ``node``: the context of a same-English message."""
    names: list[str] = []
    current = parents.get(node)
    while current is not None:
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(current.name)
        current = parents.get(current)
    module = path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")
    return ".".join([module, *reversed(names)])


def _shadowed_t(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """``t`` is a parameter here (``lambda t: t.group(1)``), not the translation function."""
    current = parents.get(node)
    while current is not None:
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            a = current.args
            if any(arg.arg == "t" for arg in [*a.posonlyargs, *a.args, *a.kwonlyargs]):
                return True
        current = parents.get(current)
    return False


def convert_source(source: str, path: str = "<string>", known: Known | None = None) -> Result:
    """Convert every ``t(fr, en)`` call of one module; the text is unchanged when there is none.

    Pass the same ``known`` to every file of a run (see :func:`convert_call`).
    """
    result = Result(source)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        result.issues.append(Issue(path, exc.lineno or 0, f"not parsed: {exc.msg}"))
        return result
    imports = _imports_t(tree)
    if not imports:
        return result
    src = _Source(source)
    parents = _parents(tree)
    edits: list[tuple[int, int, str]] = []
    left_t = 0
    used: set[str] = set()
    calls_with_underscore: list[ast.Call] = []
    found = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == "t" and isinstance(node.ctx, ast.Load)
    ]
    for node in sorted(found, key=lambda n: (n.lineno, n.col_offset)):
        if _shadowed_t(node, parents):
            continue
        call = parents.get(node)
        if not (isinstance(call, ast.Call) and call.func is node):
            left_t += 1
            result.issues.append(Issue(path, node.lineno, "t used without being called"))
            continue
        if _inside_fstring(call, parents) is not None:
            # Babel reads no calls inside f-strings before Python 3.12: pybabel would drop it.
            left_t += 1
            result.issues.append(Issue(path, call.lineno, "inside an f-string: move it out"))
            continue
        inline_quote = None
        try:
            context = _qualname(call, parents, path)
            code, message, is_plural = convert_call(call, path, inline_quote, known, context)
        except Unsupported as exc:
            left_t += 1
            result.issues.append(Issue(path, call.lineno, str(exc)))
            continue
        start, end = src.span(call)
        edits.append((start, end, code))
        result.messages.append(message)
        result.converted += 1
        result.formatted += ".format(" in code
        result.plurals += is_plural
        if message.context is not None:
            used.add("pgettext")
            result.contexts += 1
        elif is_plural:
            used.add("ngettext")
            if message.msgstr_plural == message.msgstr or SLASHED.search(
                message.msgid + message.msgstr
            ):
                result.issues.append(
                    Issue(path, call.lineno, f"review the plural forms of « {message.msgid} »")
                )
        else:
            used.add("_")
        calls_with_underscore.append(call)
    if not edits:
        return result

    # A throwaway "_" in a scope that now calls _() would shadow it: rename it.
    renamed: set[ast.Name | ast.arg] = set()
    for call in calls_with_underscore:
        scope = parents.get(call)
        while scope is not None:
            if isinstance(scope, (*_SCOPES, *_COMPREHENSIONS)):
                renamed.update(_binds_underscore(scope))
            scope = parents.get(scope)
    if any(isinstance(n, ast.Name) and n.id == "_" for n in _scope_nodes(tree)):
        result.issues.append(Issue(path, 1, "the module itself binds _: check by hand"))
    for name in renamed:
        start, _end = src.span(name)  # a parameter's span covers its annotation
        edits.append((start, start + 1, THROWAWAY))
    result.renamed = len(renamed)

    for imp in imports:
        kept = [a.name for a in imp.names if a.name != "t" or left_t]
        start, end = src.span(imp)
        names = sorted(set(kept) | used, key=lambda n: (n != "_", n))
        edits.append((start, end, f"from {I18N_MODULE} import {', '.join(names)}"))

    text = source
    for start, end, code in sorted(edits, reverse=True):
        text = text[:start] + code + text[end:]
    ast.parse(text)  # never write a file Python cannot read
    result.source = text
    return result


# --- tests that switch language ----------------------------------------------------------------


def convert_test_source(source: str) -> str:
    """After ``monkeypatch.setenv("BULLETIN_LANG", X)`` add ``set_language(X)`` (idempotent)."""
    tree = ast.parse(source)
    src = _Source(source)
    inserts: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for i, stmt in enumerate(body):
            call = stmt.value if isinstance(stmt, ast.Expr) else None
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "setenv"
                and len(call.args) == 2
                and isinstance(call.args[0], ast.Constant)
                and call.args[0].value == "BULLETIN_LANG"
            ):
                continue
            following = body[i + 1] if i + 1 < len(body) else None
            if following is not None and "set_language(" in ast.unparse(following):
                continue
            _start, end = src.span(stmt)
            indent = " " * stmt.col_offset
            arg_start, arg_end = src.span(call.args[1])
            inserts.append((end, f"\n{indent}set_language({source[arg_start:arg_end]})"))
    if not inserts:
        return source
    text = source
    for offset, code in sorted(inserts, reverse=True):
        text = text[:offset] + code + text[offset:]
    has_import = any(
        isinstance(n, ast.ImportFrom)
        and n.module == I18N_MODULE
        and any(a.name == "set_language" for a in n.names)
        for n in tree.body
    )
    if not has_import:
        last_import = max(
            (n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))),
            key=lambda n: n.end_lineno or 0,
            default=None,
        )
        line = last_import.end_lineno if last_import is not None else 0
        lines = text.splitlines(keepends=True)
        lines.insert(line or 0, f"from {I18N_MODULE} import set_language\n")
        text = "".join(lines)
    ast.parse(text)
    return text


def stale_expectations(source: str, path: str, old_wordings: Iterable[str]) -> list[Issue]:
    """Test lines that still expect a « contact(s) » wording now written as real plurals."""
    issues = []
    for number, line in enumerate(source.splitlines(), 1):
        found = [w for w in old_wordings if w in line]
        if found:
            wording = found[0]
            issues.append(Issue(path, number, f"expects the old wording « {wording} »: update it"))
    return issues


# --- the catalog -------------------------------------------------------------------------------


def merge_into_po(po_path: Path, messages: Iterable[Message]) -> tuple[int, list[str]]:
    """Add the messages to the French catalog, keeping what is there; (new entries, conflicts)."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    if po_path.exists():
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale="fr", domain="bulletin")
    else:
        catalog = Catalog(
            locale="fr",
            domain="bulletin",
            header_comment=PO_HEADER,
            project="Bulletin",
            version="",
            copyright_holder="the Bulletin authors",
            msgid_bugs_address="",
            last_translator="",
            language_team="French",
            fuzzy=False,
        )
    # CLDR gives French a third form for millions (« 1 000 000 de contacts »); like GNU gettext
    # we keep the usual two, so no form is left empty for translators to forget.
    catalog.mime_headers = [("Plural-Forms", FRENCH_PLURALS)]
    before = _po_bytes(catalog, write_po)
    added = 0
    conflicts: list[str] = []
    for m in messages:
        key: str | tuple[str, str] = m.msgid if m.plural is None else (m.msgid, m.plural)
        string: str | tuple[str, ...] = (
            m.msgstr if m.plural is None else (m.msgstr, m.msgstr_plural or m.msgstr)
        )
        flags = {"python-brace-format"} if m.brace else set()
        existing = catalog.get(m.msgid, context=m.context)
        old = tuple(existing.string) if existing and isinstance(existing.string, list) else None
        if existing is not None and existing.string and (old or existing.string) != string:
            conflicts.append(
                f"{m.path}:{m.line}: « {m.msgid} » is already translated "
                f"« {_first(existing.string)} », not « {_first(string)} » (kept the first)"
            )
            string = tuple(existing.string) if old else str(existing.string)
        if existing is None:
            added += 1
        catalog.add(key, string, locations=[(m.path, m.line)], flags=flags, context=m.context)
    after = _po_bytes(catalog, write_po)
    if after != before or not po_path.exists():
        from editor.atomic import write_atomic

        po_path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(po_path, after)
    return added, conflicts


def known_translations(po_path: Path) -> Known:
    """(context, msgid) → French already in the catalog (the first form for plurals)."""
    if not po_path.exists():
        return {}
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="fr", domain="bulletin")
    known: Known = {}
    for m in catalog:
        if m.id and m.string:
            known[(m.context, _first(m.id))] = _first(m.string)
    return known


def _first(string: object) -> str:
    return str(string[0]) if isinstance(string, (tuple, list)) else str(string)


def _po_bytes(catalog: object, write_po: object) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=76)  # type: ignore[operator]  # pybabel's own width
    return out.getvalue()


# --- command line ------------------------------------------------------------------------------


def python_files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*.py")) if ".venv" not in p.parts)
        elif path.suffix == ".py":
            found.append(path)
    return found


def _relative(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders to convert")
    parser.add_argument("--po", type=Path, default=DEFAULT_PO, help="the French catalog")
    parser.add_argument("--tests", nargs="*", type=Path, default=[], help="test files/folders")
    parser.add_argument("--dry-run", action="store_true", help="report, change nothing")
    parser.add_argument("--format", action="store_true", help="ruff: sort imports, format")
    args = parser.parse_args(argv)

    changed: list[Path] = []
    totals = Result("")
    messages: list[Message] = []
    known = known_translations(args.po)
    for path in python_files(args.paths):
        source = path.read_text(encoding="utf-8")
        result = convert_source(source, _relative(path), known)
        messages.extend(result.messages)
        totals.issues.extend(result.issues)
        totals.converted += result.converted
        totals.formatted += result.formatted
        totals.plurals += result.plurals
        totals.contexts += result.contexts
        totals.renamed += result.renamed
        if result.changed and not args.dry_run:
            path.write_text(result.source, encoding="utf-8")
            changed.append(path)
    tests_changed = 0
    old_wordings = {w for m in messages for w in m.old_wording}
    for path in python_files(args.tests):
        source = path.read_text(encoding="utf-8")
        if path.name != Path(__file__).with_name("test_" + Path(__file__).name).name:
            # (the converter's own tests quote the old wordings on purpose)
            totals.issues.extend(stale_expectations(source, _relative(path), old_wordings))
        text = convert_test_source(source)
        if text != source:
            tests_changed += 1
            if not args.dry_run:
                path.write_text(text, encoding="utf-8")
                changed.append(path)
    added, conflicts = 0, list[str]()
    if messages and not args.dry_run:
        added, conflicts = merge_into_po(args.po, messages)
    if args.format and changed:
        files = [str(p) for p in changed]
        subprocess.run(["ruff", "check", "--select", "I,F401", "--fix", "-q", *files], check=False)
        subprocess.run(["ruff", "format", "-q", *files], check=False)

    for issue in totals.issues:
        print(issue)
    for conflict in conflicts:
        print(conflict)
    print(
        f"{totals.converted} calls converted ({totals.formatted} with .format, "
        f"{totals.plurals} ngettext, {totals.contexts} pgettext), "
        f"{len(totals.issues)} to check by hand, "
        f"{len(conflicts)} msgid conflicts; {totals.renamed} throwaway _ renamed; "
        f"{len(changed) - tests_changed} modules and {tests_changed} test files changed; "
        f"{added} new catalog entries" + (" (dry run)" if args.dry_run else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
