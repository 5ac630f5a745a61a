"""Read contact tables: text pasted from a spreadsheet, CSV/TSV/TXT files, XLSX and ODS workbooks.

:func:`open_table` gives a :class:`Table` whatever the source: its column headers (found even
below title rows, or generated when the file has none), a preview, and the data rows streamed
one at a time with the row number the user sees in Excel, so a rejected row can be found and a
200 MB text file costs no more memory than a small one (a workbook read by calamine is held whole,
up to :data:`MAX_GRID_CELLS` cells; larger sheets are streamed). Every value is a trimmed string.

Files come from anywhere, so the kind is read from the content, not the name (an XLSX renamed
``.csv`` opens as a workbook), and every way a file can be wrong ends in an
:class:`ImportFileError` whose message tells the user what to do: a PDF or an image, an old
``.xls``, a password-protected workbook, a truncated download, a zip bomb (refused from the zip
directory, before anything is decompressed).

Workbooks (XLSX, and ODS as LibreOffice saves them) are read with python-calamine (Rust, about
ten times faster than openpyxl). Calamine holds the whole sheet in memory as a dense grid, so
the sheet's XML is scanned first (without building anything) for how many cells that grid would
have: a sheet beyond :data:`MAX_GRID_CELLS` (or with row numbers past Excel's limit) is read by
openpyxl's streaming reader instead (an ODS, which openpyxl cannot read, is refused), and so is
a workbook calamine cannot open. openpyxl stays the writer of exports.

Decisions the pipeline relies on:

- Text encoding: UTF-8 (with or without BOM), UTF-16/32 with BOM (Excel's « Unicode text »), else
  cp1252 as French Excel saves CSV, or Mac Roman (Excel for Mac's « CSV (Macintosh) ») when
  that decoding gives more accented letters; bytes that the chosen encoding cannot decode are
  read as cp1252 (Latin-1 for the five bytes cp1252 leaves undefined), so a file mixing both
  never fails and never shows « � » in a name.
- A first line ``sep=;`` (which Excel writes and hides) sets the delimiter and is not a row.
- Workbook values: integers as ``123`` (never ``123.0``), other numbers with Excel's 15 significant
  digits, dates ``2024-03-05``, date-times ``2024-03-05 14:30`` (seconds when not zero), times
  ``14:30``, booleans ``TRUE``/``FALSE`` whatever the interface language (so re-importing a file
  does not change a stored value), formulas as the value Excel last computed, errors as Excel
  shows them (``#N/A``). Display formats are not applied: 25 % is ``0.25``, 12,50 € is ``12.5``.
- Blank rows are skipped (row numbers still count them); rows are padded or cut to the headers;
  a row that had values beyond the last column comes as a :class:`WideRow`, so the importer
  can reject it rather than import shifted cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from inspect import GEN_CLOSED, getgeneratorstate
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, TypeAlias
from xml.etree import ElementTree

import openpyxl
from python_calamine import CalamineSheet, CalamineWorkbook, SheetTypeEnum

from editor.contacts.emails import looks_like_email
from editor.contacts.mapping import known_target
from editor.i18n import N_, _
from editor.i18n import number as number_text

__all__ = ["ImportFileError", "PastedText", "Table", "WideRow", "open_table"]

HeaderChoice: TypeAlias = int | Literal["auto"] | None
Rows: TypeAlias = Generator[tuple[int, list[str]], None, None]

MAX_UNCOMPRESSED = 500 * 1024 * 1024  # a workbook's parts once decompressed (zip bombs)
# openpyxl keeps every shared string in memory even in read-only mode: cap that one part
# (100 MB of XML is millions of distinct cells, far beyond any contact list).
MAX_SHARED_STRINGS = 100 * 1024 * 1024
# calamine builds the whole sheet as a grid of cells, about 100 bytes each once read (measured:
# 60 MB for 100,000 rows × 6 columns): a larger grid is streamed by openpyxl instead.
MAX_GRID_CELLS = 3_000_000
MAX_WORKBOOK_XML = 5 * 1024 * 1024  # xl/workbook.xml, its relations, ODS settings: parsed whole
MAX_RATIO = 300  # real sheets compress 5-50×, bombs ~1000×
MAX_ENTRIES = 10_000
MAX_COLUMNS = 16_384  # Excel's limit (column XFD)
MAX_ROWS = 1_048_576  # Excel's limit; only workbooks are held to it
MAX_LINE = 4_000_000  # characters in one physical line of text
MAX_HEADER = 200  # characters kept of a header cell
HEADER_WINDOW = 30  # rows searched for the header
_PROBE = 80  # rows read at opening: header search, column count, preview
_SAMPLE = 64 * 1024  # bytes read to tell the kind, encoding and delimiter
_DELIMITERS = ("\t", ";", ",", "|")  # in order of preference when equally likely
_SEP_LINE = re.compile(r"sep=(.)", re.IGNORECASE)
# Characters a text file is decoded by at a time (one read from disk each). Each read lets go
# of the GIL for a moment; with Python's default 8 KB (every ~100 rows), the import's writer
# thread, which needs the GIL back after each SQLite statement, kept losing it to the reading
# thread re-taking it, and waited up to 100 ms at a time. A megabyte is ~13,000 rows between
# reads: the writer then waits at most the usual switch interval. Measured on 100,000 new
# contacts from CSV: 1.6-1.7 s before, 1.3-1.4 s after.
_READ_BUFFER = 1024 * 1024

_CP1252 = tuple(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b)  # undefined bytes: Latin-1
    for b in range(256)
)


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode what the main encoding cannot as cp1252: French files mix UTF-8 and Windows text."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(_CP1252[b] for b in exc.object[exc.start : exc.end]), exc.end


codecs.register_error("bulletin.cp1252", _cp1252_fallback)


class WideRow(list[str]):
    """A row that had values beyond the last column (cut to the headers like any row): often
    an unquoted separator inside a value, which shifts every cell after it. ``width`` is how
    many cells it had, up to its last non-empty one."""

    __slots__ = ("width",)

    def __init__(self, cells: list[str], width: int) -> None:
        super().__init__(cells)
        self.width = width


class ImportFileError(ValueError):
    """A source that cannot be read as a table, with a message meant for the user."""


@dataclass(frozen=True)
class PastedText:
    """Text from the clipboard: cells copied from Excel, LibreOffice or Google Sheets."""

    text: str


class Table:
    """A table being imported: headers and preview at once, then rows streamed on demand.

    Use it as a context manager (or call :meth:`close`): files stay open between calls.
    :meth:`rows` and :meth:`preview` each read from the start, so they can be called again.
    """

    kind: str  # "paste" | "csv" | "xlsx" | "ods"
    sheets: list[str]
    sheet: str | None
    encoding: str | None
    delimiter: str | None
    header_row: int | None  # 1-based row of the header in the file; None: no header
    headers: list[str]

    def __init__(self) -> None:
        self.sheets = []
        self.sheet = None
        self.encoding = None
        self.delimiter = None
        self.header_row = None
        self.headers = []
        self._start = 1  # first row that may hold data
        self._done = 0.0  # progress of the last rows() iteration, 0..1
        self._iterators: list[Rows] = []

    # -- what subclasses provide ------------------------------------------------------------

    def _records(self, track: bool) -> Rows:
        """Every row from the top as (row number, trimmed cells); ``track`` updates progress."""
        raise NotImplementedError

    def _position(self) -> float:
        """How far the tracked iteration has read, 0..1."""
        raise NotImplementedError

    def _release(self) -> None:
        """Close what the subclass holds open."""

    # -- public API ---------------------------------------------------------------------------

    def preview(self, limit: int = 20) -> list[list[str]]:
        """The first ``limit`` data rows, as :meth:`rows` gives them."""
        with closing(self._data(track=False)) as rows:
            return [cells for _, cells in islice(rows, limit)]

    def rows(self) -> Rows:
        """The data rows with their row number in the file, streamed, blank rows skipped."""
        self._done = 0.0
        rows = self._data(track=True)
        self._iterators = [it for it in self._iterators if getgeneratorstate(it) != GEN_CLOSED]
        self._iterators.append(rows)
        return rows

    def progress(self) -> float:
        """How much of the source :meth:`rows` has read, 0..1 (for a progress bar)."""
        return self._done or min(self._position(), 0.99)

    def close(self) -> None:
        """Release the file; unfinished :meth:`rows` iterations end there."""
        for rows in self._iterators:
            rows.close()
        self._iterators.clear()
        self._release()

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- shared machinery -------------------------------------------------------------------

    def _data(self, track: bool) -> Rows:
        width = len(self.headers)
        start = self._start
        with closing(self._records(track)) as records:
            for number, cells in records:
                if number < start or not any(cells):
                    continue
                if len(cells) != width:
                    used = _used(cells)
                    cells = (cells + [""] * (width - len(cells)))[:width]
                    if used > width:
                        cells = WideRow(cells, used)
                yield number, cells
        if track:
            self._done = 1.0

    def _detect(self, header_row: HeaderChoice) -> None:
        """Find the header and the columns from the first rows."""
        with closing(self._records(track=False)) as records:
            # The first non-blank rows (a sheet may start with many blank ones).
            filled = ((n, cells) for n, cells in islice(records, 100_000) if any(cells))
            probe = [(n, cells[:MAX_COLUMNS]) for n, cells in islice(filled, _PROBE)]
        header: list[str] = []
        if header_row == "auto":
            self.header_row = _find_header(probe)
        elif header_row is not None:
            if header_row < 1:
                raise ImportFileError(_("The header row must be 1 or more."))
            self.header_row = header_row
        if self.header_row is not None:
            header = self._find_row(self.header_row, probe)
            self._start = self.header_row + 1
            probe = [(n, cells) for n, cells in probe if n > self.header_row]
        else:
            self._start = _data_start(probe)
        widths = sorted((_used(cells) for n, cells in probe if n >= self._start), reverse=True)
        # Data wider than the header counts when two rows agree: one odd row adds no columns.
        width = max(_used(header), widths[min(1, len(widths) - 1)] if widths else 0)
        self.headers = _headers(header, min(width, MAX_COLUMNS))

    def _find_row(self, number: int, probe: list[tuple[int, list[str]]]) -> list[str]:
        for n, cells in probe:
            if n == number:
                return cells
        with closing(self._records(track=False)) as records:
            for n, cells in records:
                if n == number:
                    return cells[:MAX_COLUMNS]
        raise ImportFileError(
            _("There is no row {number}: the table is shorter.").format(number=number)
        )


def open_table(
    source: Path | str | PastedText,
    *,
    sheet: str | None = None,
    header_row: HeaderChoice = "auto",
) -> Table:
    """Open a file (CSV/TSV/TXT, XLSX or ODS, told apart by content) or pasted text as a table.

    ``sheet`` picks a workbook's sheet (default: the one Excel opens on); other sources ignore
    it. ``header_row`` is found automatically unless given (a row number, or None for none).
    """
    if isinstance(source, PastedText):
        return _TextTable.from_paste(source.text, header_row)
    path = Path(source)
    name = path.name
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ImportFileError(
            _('Cannot open "{name}": {value}.').format(name=name, value=exc.strerror or exc)
        ) from exc
    try:
        head = handle.read(_SAMPLE)
        kind = _sniff(head, name)
        if kind in ("xlsx", "ole"):
            return _open_workbook(handle, name, sheet, header_row)
        handle.close()
        return _TextTable.from_file(path, head, header_row)
    except BaseException:
        handle.close()
        raise


# -- telling what a file is ----------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", N_("a PDF document")),
    (b"\x89PNG", N_("an image")),
    (b"\xff\xd8\xff", N_("an image")),
    (b"GIF8", N_("an image")),
    (b"BM", N_("an image")),
    (b"\x1f\x8b", N_("a compressed archive")),
    (b"7z\xbc\xaf", N_("a compressed archive")),
    (b"Rar!", N_("a compressed archive")),
    (b"BZh", N_("a compressed archive")),
    (b"\x7fELF", N_("a program")),
    (b"MZ\x90\x00", N_("a program")),
    (b"SQLite format 3\x00", N_("a database")),
    (b"{\\rtf", N_("an RTF document (word processor)")),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1a")


def _not_a_table(name: str, what: str) -> ImportFileError:
    """``what`` is already in the UI language (« un document PDF » / "a PDF document")."""
    return ImportFileError(
        _('"{name}" is not a text table (CSV) nor an Excel workbook: it is {what}.').format(
            name=name, what=what
        )
    )


def _sniff(head: bytes, name: str) -> str:
    """``xlsx`` or ``text``, or the ImportFileError saying what the file really is."""
    if not head:
        raise ImportFileError(_('The file "{name}" is empty.').format(name=name))
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "xlsx"
    if head.startswith(_OLE):
        return "ole"  # read further by _XlsxTable, which says which kind of Office file
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise _not_a_table(name, _("an image"))
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise _not_a_table(name, _(what))
    if _bom(head) or _utf16_without_bom(head):
        return "text"
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    if controls * 10 > len(head) and not _utf8_without_nul(head):
        raise _not_a_table(name, _("a binary file"))
    return "text"


def _utf8_without_nul(head: bytes) -> bool:
    """Valid UTF-8 (the last character may be cut by the sample's end) without a NUL byte: text
    whatever control characters its cells hold (escape or backspace codes pasted into a name),
    where a binary file almost never decodes."""
    if b"\0" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.reason == "unexpected end of data" and exc.start >= len(head) - 3
    return True


def _bom(head: bytes) -> tuple[str, int] | None:
    """The codec and BOM length of a text file that starts with a byte-order mark."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return codec, len(bom)
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 text with no BOM: one byte of each pair is nearly always zero."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    even = head[0 : pairs * 2 : 2].count(0) / pairs
    odd = head[1 : pairs * 2 : 2].count(0) / pairs
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _encoding(head: bytes, whole: bool) -> tuple[str, str, str]:
    """(codec, error handler, name shown to the user) for a text file's first bytes."""
    bom = _bom(head)
    if bom:
        codec = bom[0]
        errors = "bulletin.cp1252" if codec == "utf-8-sig" else "replace"
        return codec, errors, codec
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16, "replace", utf16
    sample = head if whole else head[: head.rfind(b"\n") + 1] or head
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is no evidence against UTF-8.
        if (whole or exc.start < len(sample) - 3) and not _mostly_utf8(sample):
            if _mac_roman(sample):
                return "mac_roman", "strict", "mac_roman"
            undefined = any(b in sample for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
            name = "latin-1" if undefined else "cp1252"
            return "cp1252", "bulletin.cp1252", name
    return "utf-8", "bulletin.cp1252", "utf-8"


# Lowercase accented letters of French (and its neighbours) inside a word: what a correctly
# decoded sample is full of, and what a wrong 8-bit decoding turns into symbols or capitals.
_IN_WORD_ACCENT = re.compile(r"(?<=[^\W\d_])[àâäçéèêëîïôöùûüÿœæ]|[àâäçéèêëîïôöùûüÿœæ](?=[^\W\d_])")


def _mac_roman(sample: bytes) -> bool:
    """Whether 8-bit text is Mac Roman (Excel for Mac's « CSV (Macintosh) ») rather than cp1252.

    Mac Roman puts é, è, ç, à… at 0x80-0x9F, where cp1252 has punctuation, rare letters and
    five undefined bytes (0x8D and 0x8F are ç and è on a Mac); cp1252 puts them at 0xC0-0xFF,
    where Mac Roman has symbols and capitals (« déjà » in cp1252 reads « dÈj‡ » on a Mac).
    The decoding with more lowercase accented letters inside words wins; cp1252 on a tie.
    """
    mac = len(_IN_WORD_ACCENT.findall(sample.decode("mac_roman")))
    windows = len(_IN_WORD_ACCENT.findall(sample.decode("cp1252", errors="ignore")))
    return mac > windows


_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _mostly_utf8(sample: bytes) -> bool:
    """More valid UTF-8 sequences than stray non-ASCII bytes: a UTF-8 file with a few cp1252
    values, read as UTF-8 (the error handler reads those values as cp1252). A cp1252 file
    rarely forms a valid sequence (an accented capital before a symbol), never more than it
    has lone accented letters."""
    sequences = _UTF8_SEQUENCE.findall(sample)
    if not sequences:
        return False
    non_ascii = sum(1 for b in sample if b >= 0x80)
    in_sequences = sum(len(seq) for seq in sequences)
    return len(sequences) > non_ascii - in_sequences


def _delimiter(text: str, default: str) -> str:
    """The delimiter that splits the sample's rows into the most equal, multi-cell rows; on a
    tie, into more cells (a tab inside a comma-separated cell splits fewer)."""
    best, best_score = default, (0, 0)
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
        try:
            widths = [len(row) for row in islice(reader, 50) if len(row) > 1]
        except csv.Error:
            continue
        if widths:
            width, rows = Counter(widths).most_common(1)[0]
            score = (rows, width)
            if score > best_score:
                best, best_score = delimiter, score
    return best


# -- text: CSV, TSV, pasted cells -------------------------------------------------------------


class _TextTable(Table):
    def __init__(self) -> None:
        super().__init__()
        self._path: Path | None = None
        self._text = ""
        self._codec = "utf-8"
        self._errors = "strict"
        self._skip_first_line = False
        self._size = 1
        self._consumed = 0

    @classmethod
    def from_paste(cls, text: str, header_row: HeaderChoice) -> _TextTable:
        table = cls()
        table.kind = "paste"
        table._text = text
        table._size = max(len(text), 1)
        if not text.strip():
            raise ImportFileError(_("The pasted text is empty."))
        table._finish(text[:_SAMPLE], "\t", header_row)
        return table

    @classmethod
    def from_file(cls, path: Path, head: bytes, header_row: HeaderChoice) -> _TextTable:
        table = cls()
        table.kind = "csv"
        table._path = path
        size = path.stat().st_size
        table._size = max(size, 1)
        table._codec, table._errors, table.encoding = _encoding(head, len(head) == size)
        text = head.decode(table._codec, errors=table._errors)
        if not text.strip():
            raise ImportFileError(_('The file "{name}" is empty.').format(name=path.name))
        if len(head) < size:
            text = text[: max(text.rfind("\n"), text.rfind("\r")) + 1] or text
        table._finish(text, ",", header_row)
        return table

    def _finish(self, sample: str, default: str, header_row: HeaderChoice) -> None:
        sample = sample.lstrip("\ufeff")
        sep = _SEP_LINE.fullmatch(sample.split("\n", 1)[0].rstrip("\r"))
        if sep:
            self.delimiter = sep.group(1)
            self._skip_first_line = True
        else:
            self.delimiter = _delimiter(sample, default)
        self._detect(header_row)

    def _stream(self) -> IO[str]:
        """The text, read from disk a megabyte at a time (see :data:`_READ_BUFFER`)."""
        if self._path is None:
            return io.StringIO(self._text, newline="")
        stream = open(  # noqa: SIM115 (the caller's with closes it)
            self._path, encoding=self._codec, errors=self._errors, newline=""
        )
        with suppress(AttributeError):  # CPython's text files all have it; a tuning knob only
            stream._CHUNK_SIZE = _READ_BUFFER  # type: ignore[attr-defined]
        return stream

    def _lines(self, stream: IO[str], track: bool) -> Generator[str, None, None]:
        """Physical lines, NUL bytes removed, each at most MAX_LINE characters long."""
        readline = stream.readline
        if self._skip_first_line:
            readline(MAX_LINE)
        number = 0
        while line := readline(MAX_LINE):
            number += 1
            if len(line) == MAX_LINE and line[-1] not in "\r\n":
                max_line = number_text(MAX_LINE)
                raise ImportFileError(
                    _(
                        "Line {number} of the file is far too long (over {max_line} "
                        "characters): this is probably not a table."
                    ).format(number=number, max_line=max_line)
                )
            if track:
                self._consumed += len(line)
            yield line.replace("\x00", "") if "\x00" in line else line

    def _records(self, track: bool) -> Rows:
        if track:
            self._consumed = 0
        with self._stream() as stream:
            lines = self._lines(stream, track)
            reader = csv.reader(lines, delimiter=self.delimiter or ",", strict=False)
            number = lines_read = 0
            try:
                for number, row in enumerate(reader, 1):
                    cells = list(map(str.strip, row))
                    if reader.line_num > lines_read + 1:  # a quoted cell spanned lines
                        cells = [_one_newline(cell) for cell in cells]
                    lines_read = reader.line_num
                    yield number, cells
            except csv.Error as exc:
                raise _csv_error(number + 1, exc) from exc
            except UnicodeError as exc:  # only a broken UTF-16/32 file gets here
                raise ImportFileError(
                    _("The text cannot be read from row {number} on.").format(number=number + 1)
                ) from exc
            finally:
                lines.close()

    def _position(self) -> float:
        return self._consumed / self._size


def _one_newline(cell: str) -> str:
    """Line breaks inside a cell as Excel stores them: ``\\n``, whatever the file's line ends."""
    return cell.replace("\r\n", "\n").replace("\r", "\n") if "\r" in cell else cell


def _csv_error(number: int, exc: csv.Error) -> ImportFileError:
    if "field larger than field limit" in str(exc):
        limit_shown = number_text(csv.field_size_limit())
        return ImportFileError(
            _(
                "Row {number}: a cell is over {limit_shown} characters long; "
                'perhaps a quote (") is not closed.'
            ).format(number=number, limit_shown=limit_shown)
        )
    return ImportFileError(
        _("Row {number}: malformed table ({exc}).").format(number=number, exc=exc)
    )


# -- XLSX workbooks -----------------------------------------------------------------------------


@contextmanager
def _quiet() -> Iterator[None]:
    """openpyxl warns about workbook features it drops (validation, extensions): not our users'.

    ``catch_warnings`` swaps process-wide filters, so it only wraps openpyxl's own calls (a batch
    of rows at a time), never code of the caller between two rows.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _open_workbook(
    handle: IO[bytes], name: str, sheet: str | None, header_row: HeaderChoice
) -> Table:
    """A workbook read by calamine, or by openpyxl where calamine cannot answer (see the module
    docstring); every check on the zip is done first, from its directory."""
    handle.seek(0)
    if handle.read(8) == _OLE:
        raise _ole_error(handle, name)
    layout = _check_zip(handle, name)
    try:
        return _CalamineTable(handle, name, layout, sheet, header_row)
    except _UseOpenpyxl:
        return _XlsxTable(handle, name, sheet, header_row)


class _UseOpenpyxl(Exception):
    """Raised while opening an XLSX with calamine: openpyxl's streaming reader takes over."""


@dataclass
class _Layout:
    """What the zip directory and the small workbook parts say: the kind, each sheet's part."""

    kind: str  # "xlsx" | "ods"
    parts: dict[str, str]  # sheet name → its XML part (XLSX)
    active: str | None  # the sheet the program opens on, when the file says


class _CalamineTable(Table):
    def __init__(
        self,
        handle: IO[bytes],
        name: str,
        layout: _Layout,
        sheet: str | None,
        header_row: HeaderChoice,
    ) -> None:
        super().__init__()
        self.kind = layout.kind
        self._handle = handle
        self._name = name
        self._rows_read = 0
        self._height = 0
        self._errors: dict[tuple[int, int], str] = {}
        self._workbook: CalamineWorkbook | None = None
        self._sheet: CalamineSheet | None = None
        try:
            if layout.kind == "ods":
                _check_ods_grid(handle, name)
            handle.seek(0)
            self._workbook = _calamine(lambda: CalamineWorkbook.from_filelike(handle), layout, name)
            metadata = self._workbook.sheets_metadata
            self.sheets = [m.name for m in metadata if m.typ == SheetTypeEnum.WorkSheet]
            self.sheet = _choose_sheet(self.sheets, sheet, layout.active, name)
            if layout.kind == "xlsx":
                self._errors = _check_xlsx_grid(handle, layout, self.sheet)
            chosen = self.sheet
            workbook = self._workbook
            self._sheet = _calamine(lambda: workbook.get_sheet_by_name(chosen), layout, name)
            self._height = self._sheet.height
            # The sheet holds its own cells: the shared strings and styles can go now.
            self._workbook = None
            with suppress(Exception):
                workbook.close()
            self._detect(header_row)
        except _UseOpenpyxl:
            self._drop_workbook()  # the handle goes on to openpyxl
            raise
        except BaseException:
            self._release()
            raise

    def _records(self, track: bool) -> Rows:
        sheet = self._sheet
        if sheet is None or sheet.start is None:
            return
        # iter_rows starts at row 1 but at the grid's first column: put the left columns back.
        pad = [""] * sheet.start[1]
        errors = self._errors
        for number, values in enumerate(sheet.iter_rows(), 1):
            cells = [v.strip() if v.__class__ is str else _cell(v) for v in values]
            if pad:
                cells = pad + cells
            if errors:
                _put_errors(cells, number, errors)
            if "\x00" in "".join(cells):
                cells = [c.replace("\x00", "") for c in cells]
            if track:
                self._rows_read = number
            yield number, cells if len(cells) <= MAX_COLUMNS else cells[:MAX_COLUMNS]

    def _position(self) -> float:
        sheet = self._sheet
        total = (sheet.start[0] if sheet and sheet.start else 0) + self._height
        return self._rows_read / total if total else 0.0

    def _drop_workbook(self) -> None:
        self._sheet = None
        workbook, self._workbook = self._workbook, None
        if workbook is not None:
            with suppress(Exception):  # already closed: nothing to release
                workbook.close()

    def _release(self) -> None:
        self._drop_workbook()
        self._handle.close()


def _calamine(call: Callable[[], Any], layout: _Layout, name: str) -> Any:
    """Run a calamine call: an XLSX it cannot read goes to openpyxl, an ODS is damaged.

    A Rust panic reaches Python as a ``BaseException``: it is a refusal like any other."""
    try:
        return call()
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:
        if layout.kind == "xlsx":
            raise _UseOpenpyxl from exc
        if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
            raise _ods_password(name) from exc
        raise _damaged(name, program="LibreOffice") from exc


def _choose_sheet(sheets: list[str], sheet: str | None, active: str | None, name: str) -> str:
    """The sheet asked for (exact name, else whatever its case), else the one the file opens on."""
    if not sheets:
        raise ImportFileError(_('The workbook "{name}" holds no worksheet.').format(name=name))
    if sheet is None:
        return active if active in sheets else sheets[0]
    exact = [s for s in sheets if s == sheet]
    loose = [s for s in sheets if s.casefold() == sheet.strip().casefold()]
    if not (exact or loose):
        listed = ", ".join(_('"{sheet}"').format(sheet=s) for s in sheets)
        raise ImportFileError(
            _('The workbook has no sheet "{sheet}". Its sheets: {listed}.').format(
                sheet=sheet, listed=listed
            )
        )
    return (exact or loose)[0]


def _put_errors(cells: list[str], number: int, errors: dict[tuple[int, int], str]) -> None:
    """Error cells as Excel shows them (« #N/A »): calamine reads them as empty."""
    for column in range(len(cells)):
        shown = errors.get((number, column))
        if shown is not None and not cells[column]:
            cells[column] = shown


# -- what a sheet would cost calamine, from its XML -------------------------------------------

_CHUNK = 1024 * 1024
# Row and cell references (r="12", r="AB12") in any attribute order, namespace prefix or not
# (a literal start keeps the search fast: about 700,000 references a second here).
_REF = re.compile(rb' r="([A-Z]{0,3}\d{1,9})"')
_DIGITS = b"0123456789"
_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})(\d{1,9})"[^>]*?\st="e"[^>]*>(?:<f\b[^>]*?(?:/>|>[^<]*</f>))?'
    rb"<v>([^<]{1,40})</v>"
)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_xlsx_grid(handle: IO[bytes], layout: _Layout, sheet: str) -> dict[tuple[int, int], str]:
    """Scan the sheet's XML for the grid calamine would build; its error cells, by position.

    Raises :class:`_UseOpenpyxl` for a grid over :data:`MAX_GRID_CELLS` cells or row numbers
    past Excel's limit (openpyxl streams those, and stops at the limit with a message). About
    0.1 s for 100,000 rows: decompressing the part and two regular expressions, no parsing.
    """
    part = layout.parts.get(sheet)
    if part is None:
        raise _UseOpenpyxl
    max_row = max_column = refs = cell_refs = row_tags = cell_tags = 0
    errors: dict[tuple[int, int], str] = {}
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive, archive.open(part) as stream:
            tail = b""
            while True:
                chunk = stream.read(_CHUNK)
                data = tail + chunk
                # Whole cells in each piece: cut before the last cell or row that starts.
                cut = max(data.rfind(b"<c "), data.rfind(b"<row")) if chunk else len(data)
                if cut <= 0 and chunk and len(data) < 16 * _CHUNK:
                    tail = data
                    continue
                if cut <= 0:
                    cut = len(data)
                piece, tail = data[:cut], data[cut:]
                found = _REF.findall(piece)
                if found:
                    joined = b" ".join(found)  # one pass each below, in C
                    max_row = max(max_row, max(map(int, joined.translate(None, _LETTERS).split())))
                    columns = set(joined.translate(None, _DIGITS).split())
                    if columns:
                        max_column = max(max_column, max(map(_column_number, columns)))
                    refs += len(found)
                    cell_refs += len(found) - sum(map(bytes.isdigit, found))
                # Tags, to count those without a reference: « <c » also counts <col> and
                # <cfRule> (a few, on the safe side); prefixed tags (<x:c>) only when present.
                row_tags += piece.count(b"<row")
                cell_tags += piece.count(b"<c")
                if b":c" in piece:
                    row_tags += piece.count(b":row")
                    cell_tags += piece.count(b":c ") + piece.count(b":c>") + piece.count(b":c/")
                if b't="e"' in piece:
                    for letters, row, value in _ERROR_CELL.findall(piece):
                        position = (int(row), _column_number(letters) - 1)
                        errors[position] = value.decode("utf-8", "replace").strip()
                if not chunk:
                    break
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error) as exc:
        raise _UseOpenpyxl from exc
    # Rows and cells without a reference follow the previous one: count them on top.
    height = max_row + max(0, row_tags - (refs - cell_refs))
    width = max_column + max(0, cell_tags - cell_refs)
    if max_row > MAX_ROWS or height * width > MAX_GRID_CELLS:
        raise _UseOpenpyxl
    return errors


_ODS_ROW = re.compile(
    rb"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)|<table:table[\s>]", re.DOTALL
)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ROWS_REPEATED = re.compile(rb'number-rows-repeated="(\d{1,9})"')
_COLUMNS_REPEATED = re.compile(rb'number-columns-repeated="(\d{1,9})"')


def _check_ods_grid(handle: IO[bytes], name: str) -> None:
    """Refuse an ODS whose sheets calamine would build into more than :data:`MAX_GRID_CELLS`.

    calamine reads every sheet of an ODS when it opens it, and expands repeated rows and cells
    (« 1,000 times this row »): the bound is computed the same way, from ``content.xml``.
    Empty rows and cells at the end of a sheet, which LibreOffice repeats to the sheet's edge,
    cost nothing (calamine drops them too).
    """
    total = 0
    height = width = pending = 0
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive, archive.open("content.xml") as stream:
            tail = b""
            while True:
                chunk = stream.read(_CHUNK)
                data = tail + chunk
                starts = (b"<table:table-row", b"<table:table ", b"<table:table>")
                cut = max(data.rfind(start) for start in starts) if chunk else len(data)
                if cut <= 0 and chunk and len(data) < 16 * _CHUNK:
                    tail = data
                    continue
                if cut <= 0:
                    cut = len(data)
                piece, tail = data[:cut], data[cut:]
                for match in _ODS_ROW.finditer(piece):
                    attributes, content = match.group(1), match.group(2)
                    if attributes is None:  # a new sheet
                        total += height * width
                        height = width = pending = 0
                        continue
                    repeated = _ROWS_REPEATED.search(attributes)
                    rows = int(repeated.group(1)) if repeated else 1
                    used = _ods_row_width(content or b"")
                    if not used:
                        pending += rows
                        continue
                    height += pending + rows
                    pending = 0
                    width = max(width, used)
                    if height * width + total > MAX_GRID_CELLS:
                        raise _too_big(name)
                if not chunk:
                    break
    except ImportFileError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error) as exc:
        raise _damaged(name, program="LibreOffice") from exc
    if total + height * width > MAX_GRID_CELLS:
        raise _too_big(name)


def _ods_row_width(content: bytes) -> int:
    """How many cells calamine keeps of a row: up to its last one with a value."""
    if b"repeated" not in content:
        if b"value-type" not in content and b"<text:" not in content:
            return 0
        return content.count(b"<table:table-cell") + content.count(b"<table:covered-table-cell")
    width = used = 0
    for match in _ODS_CELL.finditer(content):
        attributes, closed = match.group(1), match.group(2)
        repeated = _COLUMNS_REPEATED.search(attributes)
        width += int(repeated.group(1)) if repeated else 1
        if not closed or b"value-type" in attributes:
            used = width
    return min(used, MAX_COLUMNS)


def _too_big(name: str) -> ImportFileError:
    cells = number_text(MAX_GRID_CELLS)
    return ImportFileError(
        _(
            '"{name}" is too large to be read in memory (over {cells} cells). '
            "In LibreOffice, save it as Excel (.xlsx) or CSV, then import "
            "that file."
        ).format(name=name, cells=cells)
    )


# -- openpyxl: sheets calamine does not read ----------------------------------------------


class _XlsxTable(Table):
    def __init__(self, handle: IO[bytes], name: str, sheet: str | None, header_row: HeaderChoice):
        super().__init__()
        self.kind = "xlsx"
        self._handle = handle
        self._name = name
        self._rows_read = 0
        self._declared_rows = 0
        handle.seek(0)
        try:
            with _quiet():
                self._workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except ImportFileError:
            raise
        except Exception as exc:  # openpyxl raises anything on a damaged workbook
            raise _damaged(name) from exc
        try:
            self._open_sheet(sheet)
            self._detect(header_row)
        except BaseException:
            self._release()
            raise

    def _open_sheet(self, sheet: str | None) -> None:
        worksheets = list(self._workbook.worksheets)
        self.sheets = [ws.title for ws in worksheets]
        if not worksheets:
            raise ImportFileError(
                _('The workbook "{name}" holds no worksheet.').format(name=self._name)
            )
        if sheet is None:
            active = self._workbook.active
            chosen = active if active in worksheets else worksheets[0]
        else:
            exact = [ws for ws in worksheets if ws.title == sheet]
            loose = [ws for ws in worksheets if ws.title.casefold() == sheet.strip().casefold()]
            if not (exact or loose):
                listed = ", ".join(_('"{sheet}"').format(sheet=s) for s in self.sheets)
                raise ImportFileError(
                    _('The workbook has no sheet "{sheet}". Its sheets: {listed}.').format(
                        sheet=sheet, listed=listed
                    )
                )
            chosen = (exact or loose)[0]
        self.sheet = chosen.title
        self._sheet = chosen
        self._declared_rows = chosen.max_row or 0
        # The <dimension> tag can be wrong (some programs write "A1"): never trust it.
        chosen.reset_dimensions()

    def _records(self, track: bool) -> Rows:
        rows: Generator[tuple[Any, ...], None, None] = self._sheet.iter_rows(values_only=True)
        number = 0
        try:
            while True:
                try:
                    with _quiet():
                        batch = list(islice(rows, 256))
                except Exception as exc:  # openpyxl raises anything on a damaged sheet
                    raise _damaged(self._name, number + 1) from exc
                if not batch:
                    break
                for values in batch:
                    number += 1
                    if number > MAX_ROWS:
                        max_rows = number_text(MAX_ROWS)
                        raise ImportFileError(
                            _(
                                "The sheet has more rows than Excel allows ({max_rows}): the file "
                                "is damaged."
                            ).format(max_rows=max_rows)
                        )
                    if track:
                        self._rows_read = number
                    yield number, [_cell(v) for v in values[:MAX_COLUMNS]]
        finally:
            rows.close()

    def _position(self) -> float:
        if self._declared_rows > 1:
            return self._rows_read / self._declared_rows
        # No <dimension> (some generators write none): how far into the sheet's zip entry.
        try:
            archive: zipfile.ZipFile = getattr(self._workbook, "_archive")  # noqa: B009
            info = archive.getinfo(getattr(self._sheet, "_worksheet_path"))  # noqa: B009
            done = self._handle.tell() - info.header_offset
            return max(0.0, done / max(info.compress_size, 1)) if self._rows_read else 0.0
        except Exception:  # progress is a hint; never fail the import for it
            return 0.0

    def _release(self) -> None:
        workbook = getattr(self, "_workbook", None)
        if workbook is not None:
            workbook.close()
        self._handle.close()


def _damaged(name: str, row: int | None = None, program: str = "Excel") -> ImportFileError:
    if row:
        return ImportFileError(
            _(
                'The workbook "{name}" is damaged or incomplete (reading stopped '
                "at row {row}). Open it in {program} and save it again."
            ).format(name=name, row=row, program=program)
        )
    return ImportFileError(
        _(
            'The workbook "{name}" is damaged or incomplete. Open it in '
            "{program} and save it again."
        ).format(name=name, program=program)
    )


def _check_zip(handle: IO[bytes], name: str) -> _Layout:
    """Refuse what is no XLSX or ODS, or a zip bomb, from the zip directory alone; then read
    the small parts saying where each sheet is and which one the file opens on."""
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except Exception as exc:  # BadZipFile, NotImplementedError ("zip file version")...
        raise _damaged(name) from exc
    try:
        kind = _check_archive(archive, name)
        return _layout(archive, kind)
    except ImportFileError:
        raise
    except Exception as exc:
        raise _damaged(name) from exc
    finally:
        archive.close()


def _check_archive(archive: zipfile.ZipFile, name: str) -> str:
    """``xlsx`` or ``ods``, or say what a zip that is no workbook is; declared sizes must be
    sane (lies are caught later: zipfile never inflates an entry past its declared size)."""
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if len(infos) > MAX_ENTRIES:
        raise _bomb(name)
    _check_sizes(infos, name)
    if "mimetype" in names:
        mimetype = archive.getinfo("mimetype")
        kind = archive.read(mimetype)[:100] if mimetype.file_size < 200 else b""
        if b"opendocument.spreadsheet" in kind:
            if any(info.flag_bits & 0x1 for info in infos) or _ods_encrypted(archive):
                raise _ods_password(name)
            if "content.xml" not in names:
                raise _damaged(name, program="LibreOffice")
            return "ods"
        if b"opendocument" in kind:
            raise ImportFileError(
                _('"{name}" is an OpenDocument file but not a spreadsheet (.ods).').format(
                    name=name
                )
            )
    if "xl/workbook.bin" in names:
        raise ImportFileError(
            _(
                '"{name}" is a binary Excel workbook (.xlsb). In Excel, save it as .xlsx or CSV.'
            ).format(name=name)
        )
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise ImportFileError(
            _('"{name}" is an archive (zip) but not an Excel workbook (.xlsx).').format(name=name)
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise _password(name)
    _check_held_parts(archive, infos, name)
    return "xlsx"


_WORKSHEET_TYPE = "spreadsheetml.worksheet+xml"


def _check_held_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    """Cap every part a reader holds whole in memory, whatever its name.

    Readers find the shared strings (and styles…) through the workbook's relations, not by
    name, so a 146 MB shared-strings part called ``xl/notes.xml`` would pass a name check.
    Only parts declared as worksheets in ``[Content_Types].xml`` are streamed or grid-scanned;
    any other part over :data:`MAX_SHARED_STRINGS` is refused, and so is a part declared or
    related as shared strings over that cap.
    """
    big = [info for info in infos if info.file_size > MAX_SHARED_STRINGS]
    if not big:
        return
    declared: dict[str, str] = {}
    types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
    if types is not None and types.file_size <= MAX_WORKBOOK_XML:
        try:
            root = ElementTree.fromstring(archive.read(types))  # noqa: S314 (expat, capped)
        except ElementTree.ParseError:
            root = None
        if root is not None:
            for item in root.iter():
                part, kind = item.get("PartName"), item.get("ContentType")
                if part and kind:
                    declared[part.lstrip("/")] = kind
    for info in big:
        kind = declared.get(info.filename, "")
        if not kind.endswith(_WORKSHEET_TYPE) or "sharedStrings" in kind:
            raise _bomb(name)


def _check_sizes(infos: list[zipfile.ZipInfo], name: str) -> None:
    if sum(info.file_size for info in infos) > MAX_UNCOMPRESSED:
        raise _bomb(name)
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * info.compress_size:
            raise _bomb(name)
        if info.filename.lower().endswith("sharedstrings.xml") and (
            info.file_size > MAX_SHARED_STRINGS
        ):
            raise _bomb(name)


def _ods_encrypted(archive: zipfile.ZipFile) -> bool:
    """LibreOffice's « Save with password » encrypts the parts and says so in the manifest."""
    try:
        info = archive.getinfo("META-INF/manifest.xml")
    except KeyError:
        return False
    return info.file_size <= MAX_WORKBOOK_XML and b"encryption-data" in archive.read(info)


def _layout(archive: zipfile.ZipFile, kind: str) -> _Layout:
    """Each XLSX sheet's part and the sheet the file opens on (ODS: the latter only).

    The parts are small and parsed whole, only when under :data:`MAX_WORKBOOK_XML` (expat
    refuses entity-expansion bombs); anything odd leaves the answer empty, and the reader
    falls back on what needs no layout."""
    sizes = {info.filename: info.file_size for info in archive.infolist()}

    def parsed(part: str) -> ElementTree.Element | None:
        if sizes.get(part, MAX_WORKBOOK_XML + 1) > MAX_WORKBOOK_XML:
            return None
        try:
            # Python's expat (2.4.1+) refuses entity-expansion bombs; no external entities.
            return ElementTree.fromstring(archive.read(part))  # noqa: S314
        except ElementTree.ParseError:
            return None

    layout = _Layout(kind, {}, None)
    if kind == "ods":
        settings = parsed("settings.xml")
        if settings is not None:
            for item in settings.iter(
                "{urn:oasis:names:tc:opendocument:xmlns:config:1.0}config-item"
            ):
                if (
                    item.get("{urn:oasis:names:tc:opendocument:xmlns:config:1.0}name")
                    == "ActiveTable"
                ):
                    layout.active = item.text
                    break
        return layout
    workbook, relations = parsed("xl/workbook.xml"), parsed("xl/_rels/workbook.xml.rels")
    if workbook is None or relations is None:
        return layout
    targets = {}
    for relation in relations:
        target = relation.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[relation.get("Id")] = path
    names = []
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        sheet_name = element.get("name", "")
        names.append(sheet_name)
        rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        if rid in targets and targets[rid] in sizes:
            layout.parts[sheet_name] = targets[rid]
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] == "workbookView":
            tab = element.get("activeTab", "0")
            if tab.isdigit() and int(tab) < len(names):
                layout.active = names[int(tab)]
            break
    return layout


def _ods_password(name: str) -> ImportFileError:
    return ImportFileError(
        _(
            'The workbook "{name}" is password-protected: save it without a '
            'password in LibreOffice (File › Save As…, with "Save with '
            'password" unticked), then import it.'
        ).format(name=name)
    )


def _bomb(name: str) -> ImportFileError:
    return ImportFileError(
        _(
            '"{name}" is refused as a precaution: once decompressed it would '
            "be huge (over 500 MB, or far more than its size allows). It may "
            "be malicious; save your contacts as CSV."
        ).format(name=name)
    )


def _password(name: str) -> ImportFileError:
    return ImportFileError(
        _(
            'The workbook "{name}" is password-protected: save it without a '
            "password in Excel (File › Info › Protect Workbook), then import "
            "it."
        ).format(name=name)
    )


_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_XLS_STREAMS = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))


def _ole_error(handle: IO[bytes], name: str) -> ImportFileError:
    """An OLE (compound) file: a password-protected XLSX, an old .xls, or another Office file."""
    handle.seek(0)
    kind = "other"
    tail = b""
    while chunk := handle.read(1024 * 1024):
        block = tail + chunk
        if _ENCRYPTED in block:
            kind = "encrypted"
            break
        if any(stream in block for stream in _XLS_STREAMS):
            kind = "xls"
        tail = block[-64:]
    if kind == "encrypted":
        return _password(name)
    if kind == "xls":
        return ImportFileError(
            _(
                '"{name}" is an old Excel workbook (.xls). In Excel, choose File '
                "› Save As… and the .xlsx or CSV format, then import that file."
            ).format(name=name)
        )
    return _not_a_table(name, _("an old Microsoft Office document"))


def _cell(value: object) -> str:
    """A workbook value as the text the user sees (see the module's decisions)."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value.strip()
        return text.replace("\x00", "") if "\x00" in text else text
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, timedelta):
        seconds = int(value.total_seconds())
        sign = "-" if seconds < 0 else ""
        hours, rest = divmod(abs(seconds), 3600)
        return f"{sign}{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return str(value).strip()


# -- header and columns ---------------------------------------------------------------------


def _used(cells: list[str]) -> int:
    """The row's width without its trailing empty cells."""
    for i in range(len(cells) - 1, -1, -1):
        if cells[i]:
            return i + 1
    return 0


def _find_header(probe: list[tuple[int, list[str]]]) -> int | None:
    """The header's row number: known column names, or the row just above the first addresses."""
    previous: tuple[int, list[str]] | None = None
    for number, cells in probe:
        if number > HEADER_WINDOW:
            break
        filled = [cell for cell in cells if cell]
        if not filled:
            continue
        if any(looks_like_email(cell) for cell in filled):
            if previous is not None:
                above = [cell for cell in previous[1] if cell]
                # A header names the address column: a row with nothing above the addresses
                # is a first contact without one (« Jean;Dupont; »), kept as data.
                labelled = any(
                    looks_like_email(cell) and i < len(previous[1]) and previous[1][i]
                    for i, cell in enumerate(cells)
                )
                if labelled and len(above) >= 2 and len(above) * 2 >= len(filled):
                    return previous[0]
            return None
        known = [target for cell in filled[:MAX_COLUMNS] if (target := known_target(cell))]
        if len(filled) == 1:
            if known == ["email"]:
                return number
        elif len(known) >= 2 or len(known) * 2 >= len(filled):
            return number
        previous = (number, cells)
    return None


def _data_start(probe: list[tuple[int, list[str]]]) -> int:
    """Without a header, data starts at the first address or multi-cell row (not a title)."""
    first_email = next(
        (n for n, cells in probe if any(looks_like_email(cell) for cell in cells if cell)), None
    )
    for number, cells in probe:
        if first_email is not None and number >= first_email:
            return first_email
        if sum(1 for cell in cells if cell) >= 2:
            return number
    return first_email or next((n for n, cells in probe if any(cells)), 1)


def _headers(cells: list[str], width: int) -> list[str]:
    """Header names: collapsed spaces, generated when empty, numbered when repeated."""
    names: list[str] = []
    seen: set[str] = set()
    counts: dict[str, int] = {}
    for i in range(width):
        name = " ".join(cells[i].split())[:MAX_HEADER] if i < len(cells) else ""
        if not name:
            name = _("Column {i}").format(i=i + 1)
        base = name
        while name.casefold() in seen:
            counts[base.casefold()] = counts.get(base.casefold(), 1) + 1
            name = f"{base} ({counts[base.casefold()]})"
        seen.add(name.casefold())
        names.append(name)
    return names
