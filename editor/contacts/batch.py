"""A batch of incoming contacts: merged by address and prepared for the store.

Preparing a contact (folding its address, encoding its custom fields, its search and sort keys)
is Python work; storing it is SQLite work, which runs outside the GIL. An import prepares batch
N + 1 on its reading thread while a writer thread stores batch N (see
:func:`editor.contacts.importer.run_import`), so that work is done here rather than in
:meth:`ContactStore.upsert_batch`.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from editor.contacts.keys import email_key, encode_fields, search_text, sort_key

# email, key, first name, last name, custom fields as JSON, then the search text and the two
# sort keys, each None where SQLite's lower() gives it (ASCII text: most names).
Row = tuple[str, str, str, str, str, str | None, str | None, str | None]


def key_of(email: str) -> str:
    """:func:`email_key` of an address already trimmed (the import's hot path)."""
    return email.lower() if email.isascii() else email_key(email)


def prepare(email: str, key: str, first: str, last: str, fields: dict[str, str]) -> Row:
    ascii_first = first.isascii()
    ascii_last = last.isascii()
    return (
        email,
        key,
        first,
        last,
        encode_fields(fields) if fields else "{}",
        None if ascii_first and ascii_last else search_text(key, first, last),
        None if ascii_first else sort_key(first),
        None if ascii_last else sort_key(last),
    )


class Batch:
    """Contacts by address key, in arrival order. A repeated address is merged into the first
    occurrence (whose spelling is kept): with ``later_wins`` its non-blank values overwrite, as
    when someone types a correction further down; otherwise they only fill blanks, as an import
    treats repeated rows. Blank values never count. The caller's dicts are never mutated."""

    __slots__ = ("fields", "later_wins", "rows")

    def __init__(self, *, later_wins: bool = True) -> None:
        self.later_wins = later_wins
        self.rows: dict[str, Row] = {}
        self.fields: dict[str, dict[str, str]] = {}  # non-empty custom fields, by key

    def __len__(self) -> int:
        return len(self.rows)

    def add(
        self,
        email: str,
        first: str = "",
        last: str = "",
        fields: dict[str, str] | None = None,
        key: str | None = None,
    ) -> bool:
        """Add a contact (``email`` trimmed, not empty); False when its address was already
        here and it was merged."""
        if first and first.isspace():
            first = ""
        if last and last.isspace():
            last = ""
        if fields and ("" in fields.values() or any(map(str.isspace, fields.values()))):
            fields = {k: v for k, v in fields.items() if v and not v.isspace()}
        return self.add_trimmed(email, first, last, fields or {}, key or key_of(email))

    def add_trimmed(
        self, email: str, first: str, last: str, fields: dict[str, str], key: str
    ) -> bool:
        """:meth:`add` for values known to be trimmed, with no blank field (an import's cells)."""
        seen = self.rows.get(key)
        if seen is None:
            self.rows[key] = prepare(email, key, first, last, fields)
            if fields:
                self.fields[key] = fields
            return True
        held = self.fields.get(key, {})
        if self.later_wins:
            first, last = first or seen[2], last or seen[3]
            merged = {**held, **fields} if fields else held
        else:
            first, last = seen[2] or first, seen[3] or last
            merged = {**fields, **held} if fields else held
        self.rows[key] = prepare(seen[0], key, first, last, merged)
        if merged:
            self.fields[key] = merged
        return False

    def split(self, size: int) -> Iterator[Batch]:
        """This batch in parts of at most ``size`` addresses."""
        items = iter(self.rows.items())
        while part := list(islice(items, size)):
            batch = Batch(later_wins=self.later_wins)
            batch.rows = dict(part)
            batch.fields = {key: self.fields[key] for key, _ in part if key in self.fields}
            yield batch
