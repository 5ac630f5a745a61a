"""The merge fields the composer offers, and the exact tag it writes for one.

The rich-text editor's merge-tag menu lists the built-in fields (first name, last name, email)
and the contacts store's custom fields (:meth:`editor.contacts.store.ContactStore.known_fields`).
A field is offered only when ``{{ name }}`` is a tag the grammar accepts
(:mod:`editor.merge_grammar`): a custom field named « Code postal » could never be filled,
so offering it would only write a tag that fails at sending time.

The tag is written the way README documents it, ``{{ first_name | default("ami") }}``: the
renderer reads it with the same grammar, so what the menu inserts is what gets filled.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from editor import merge_grammar
from editor.i18n import N_, _

# (field, English label), worded when asked for: the menu may outlive a language switch.
BUILTIN: tuple[tuple[str, str], ...] = (
    ("first_name", N_("First name")),
    ("last_name", N_("Last name")),
    ("email", N_("Email")),
)

MAX_DEFAULT = 200  # characters: a default is a word or two (« cher client »), not a paragraph


class FieldSource(Protocol):
    """What the store offers (``ContactStore`` and its reader both fit)."""

    def known_fields(self) -> list[str]: ...


def is_field_name(name: str) -> bool:
    """Whether ``{{ name }}`` is a plain field the merge-tag grammar reads."""
    if not name or name != name.strip() or "{" in name or "}" in name:
        return False
    try:
        tag = merge_grammar.parse(name)
    except merge_grammar.TagGrammarError:
        return False
    return tag.field == name and not tag.filters


def builtin_fields() -> list[tuple[str, str]]:
    """``(field, label)`` for first name, last name and email, labels in the UI language."""
    return [(name, _(label)) for name, label in BUILTIN]


def merge_fields(custom: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The fields to offer: the built-in ones, then each usable custom field (labelled by its
    name), without duplicates, in the order given."""
    out = builtin_fields()
    seen = {name for name, _label in out}
    for name in custom:
        if name not in seen and is_field_name(name):
            seen.add(name)
            out.append((name, name))
    return out


def store_fields(store: FieldSource) -> list[tuple[str, str]]:
    """:func:`merge_fields` for the custom fields at least one contact of ``store`` has."""
    return merge_fields(store.known_fields())


def default_problem(default: str) -> str | None:
    """Why ``default`` cannot be a tag's default (in the UI language), or None when it can.

    Braces would end or open a tag, angle brackets would be read as markup around it, and a
    line break has no place in a greeting.
    """
    if "{{" in default or "}}" in default or "{%" in default or "%}" in default:
        return _("A default cannot hold {{ or }}.")
    if "<" in default or ">" in default:
        return _("A default cannot hold < or >.")
    if any(c in default for c in "\r\n\t\x00"):
        return _("A default fits on one line.")
    if len(default) > MAX_DEFAULT:
        return _("A default has at most {count} characters.").format(count=MAX_DEFAULT)
    return None


def _literal(text: str) -> str:
    """``text`` as a Jinja string literal, in double quotes as README writes defaults."""
    if "\\" not in text:
        if '"' not in text:
            return f'"{text}"'
        if "'" not in text:
            return f"'{text}'"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def merge_tag(field: str, default: str = "") -> str:
    """The tag for ``field``: ``{{ first_name }}``, or ``{{ first_name | default("ami") }}``.

    An empty (or blank) default writes the bare tag. Raises ValueError for a field the grammar
    cannot read or a default :func:`default_problem` refuses; the result always parses back to
    this field and this default.
    """
    if not is_field_name(field):
        raise ValueError(_("{name} cannot be used as a merge field.").format(name=field))
    default = default.strip()
    if not default:
        return "{{ " + field + " }}"
    problem = default_problem(default)
    if problem is not None:
        raise ValueError(problem)
    return "{{ " + field + " | default(" + _literal(default) + ") }}"
