"""The ``.bulletin`` file: a zip holding the document and the images it embeds.

Layout, ODF-style so the file is recognisable without opening it::

    mimetype                  "application/x-bulletin", first entry, not compressed
    document.json             editor.document.to_json(), UTF-8
    images/<sha256>.<ext>     image bytes; the name is the hash of the bytes (png/jpg/gif/webp)

Files arrive from anywhere (mail attachments, USB keys, other programs), so :func:`load` trusts
nothing: every problem becomes a :class:`PackageError` whose message tells the user what is wrong,
never a traceback. :func:`save` is atomic, so a crash or a full disk never costs the last version.

Autosaves live in the data folder (``<data>/autosave/``), not next to the document: no clutter in
the user's folders, no half-written copies picked up by sync tools, and it works for documents in
read-only folders. The file name carries a hash of the document's full path, so two
``news.bulletin`` in different folders do not share an autosave.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from editor.atomic import atomic_binary
from editor.document import DocumentError, ImageBlock, Newsletter, from_json, to_json
from editor.i18n import _, number
from editor.limits import MAX_DOCUMENT_BYTES, LimitError, check_document_data, check_image
from editor.settings import data_dir
from editor.upgrade import VersionError, upgrade

StrPath: TypeAlias = str | os.PathLike[str]

MIMETYPE = "application/x-bulletin"
SUFFIX = ".bulletin"
DOCUMENT_NAME = "document.json"
MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # everything, once decompressed (zip bombs)
MAX_ENTRIES = 5000
IMAGE_EXTENSIONS: tuple[str, ...] = ("png", "jpg", "gif", "webp")

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed entry dates: the same document gives the same bytes
_CHUNK = 64 * 1024


class PackageError(DocumentError):
    """A ``.bulletin`` file that cannot be read or written, with a message meant for the user."""


def image_format(data: bytes) -> str | None:
    """The image extension (png, jpg, gif, webp) the bytes really are, from their magic number.

    The file name is not trusted: a PDF renamed ``photo.png`` is no image.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


@dataclass
class BulletinFile:
    """A newsletter and its embedded images, keyed by the ``images/<sha>.<ext>`` blocks use."""

    newsletter: Newsletter = field(default_factory=Newsletter)
    images: dict[str, bytes] = field(default_factory=dict)

    def add_image(self, data: bytes, filename_or_ext: str) -> str:
        """Embed ``data`` and return the reference for ``ImageBlock.src``.

        The format comes from the bytes, not from ``filename_or_ext`` (only used in messages):
        a PNG named ``photo.jpg`` is stored as ``.png``. The same bytes are stored once.
        """
        if len(data) > MAX_IMAGE_BYTES:
            size = number(len(data) / 1_048_576, 1)
            raise PackageError(
                _(
                    '"{filename_or_ext}" is too large ({size} MB): an image is at most 10 MB.'
                ).format(filename_or_ext=filename_or_ext, size=size)
            )
        ext = image_format(data)
        if ext is None:
            raise PackageError(
                _('"{filename_or_ext}" is not a PNG, JPEG, GIF or WebP image.').format(
                    filename_or_ext=filename_or_ext
                )
            )
        ref = f"images/{hashlib.sha256(data).hexdigest()}.{ext}"
        self.images.setdefault(ref, bytes(data))
        return ref

    def referenced_images(self) -> set[str]:
        """The embedded images some block uses, columns' children included."""
        return {
            b.src for b in self.newsletter.walk() if isinstance(b, ImageBlock) and b.is_embedded
        }

    def unused_images(self) -> set[str]:
        """Images no block uses any more; kept in memory (undo may bring the block back) but
        left out by :func:`save`."""
        return set(self.images) - self.referenced_images()


# ------------------------------------------------------------------------------------------ load


def load(path: StrPath) -> BulletinFile:
    """Open a ``.bulletin`` file, upgrading older formats; any problem raises PackageError."""
    path = Path(path)
    name = path.name
    try:
        fh = path.open("rb")
    except FileNotFoundError as exc:
        raise _open_error(name, _("the file does not exist.")) from exc
    except IsADirectoryError as exc:
        raise _open_error(name, _("it is a folder.")) from exc
    except PermissionError as exc:
        raise _open_error(name, _("you are not allowed to read it.")) from exc
    except OSError as exc:
        raise _open_error(name, f"{exc.strerror or exc}.") from exc
    with fh, _reading(name):
        head = fh.read(16)
        fh.seek(0)
        try:
            archive = zipfile.ZipFile(fh)
        except zipfile.BadZipFile as exc:
            raise _not_a_zip(name, head) from exc
        with archive:
            return _load_archive(archive, name)


@contextmanager
def _reading(name: str) -> Iterator[None]:
    """Turn whatever a damaged zip makes :mod:`zipfile`/zlib raise into a PackageError."""
    try:
        yield
    except PackageError:
        raise
    except DocumentError as exc:
        raise PackageError(str(exc)) from exc
    except OSError as exc:
        if exc.errno == errno.EINVAL:  # a seek to a nonsense offset read from the zip
            raise _damaged(name) from exc
        raise _open_error(
            name,
            _("read error ({value}).").format(value=exc.strerror or exc),
        ) from exc
    except (
        zipfile.BadZipFile,
        EOFError,
        zlib.error,
        struct.error,
        ValueError,  # e.g. a name flagged UTF-8 that is not, a negative seek
        NotImplementedError,  # an unknown compression method
        RuntimeError,  # includes RecursionError
    ) as exc:
        raise _damaged(name) from exc


def _damaged(name: str) -> PackageError:
    return _open_error(name, _("the file is damaged or incomplete."))


def _open_error(name: str, why: str) -> PackageError:
    """``why`` is already in the UI language."""
    return PackageError(_('Cannot open "{name}": {why}').format(name=name, why=why))


def _not_a_zip(name: str, head: bytes) -> PackageError:
    """Say what the file looks like, since "not a zip" means nothing to most users."""
    if not head:
        return _open_error(name, _("the file is empty."))
    if head.startswith(b"PK"):
        return _open_error(
            name,
            _("the file is damaged or incomplete (truncated?)."),
        )
    if head.startswith(b"%PDF"):
        what = _("this is not a Bulletin file (it is a PDF document).")
    elif image_format(head):
        what = _("this is not a Bulletin file (it is an image).")
    else:
        what = _("this is not a Bulletin file (it is of another kind).")
    return _open_error(name, what)


def _unsafe_name(name: str) -> bool:
    """Absolute paths, drive letters and ``..`` could escape a folder if ever extracted."""
    parts = re.split(r"[/\\]", name)
    return (
        name.startswith(("/", "\\"))
        or bool(re.match(r"[A-Za-z]:", name))
        or ".." in parts
        or "\0" in name
    )


def _check_entries(infos: list[zipfile.ZipInfo], name: str) -> None:
    if len(infos) > MAX_ENTRIES:
        raise _open_error(
            name,
            _("it holds too many entries ({infos_count}, at most {max_entries}).").format(
                infos_count=len(infos), max_entries=MAX_ENTRIES
            ),
        )
    seen: set[str] = set()
    for info in infos:
        if _unsafe_name(info.filename):
            raise _open_error(
                name,
                _('it holds an unsafe path ("{filename}"); refused as a precaution.').format(
                    filename=info.filename
                ),
            )
        if info.filename in seen:
            raise _open_error(
                name,
                _('the entry "{filename}" appears twice.').format(filename=info.filename),
            )
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise _open_error(
                name,
                _("it is encrypted with a password."),
            )


def _too_big(name: str) -> PackageError:
    return _open_error(
        name,
        _("once decompressed it is over 200 MB; refused as a precaution."),
    )


def _check_declared_sizes(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip bomb from its directory, before decompressing anything."""
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise _too_big(name)


class _Reader:
    """Reads entries in chunks under a total budget, in case the declared sizes lie."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.archive = archive
        self.name = name
        self.left = MAX_TOTAL_BYTES

    def read(self, info: zipfile.ZipInfo, limit: int | None = None) -> bytes:
        """The entry's bytes; past ``limit`` (or the total budget) raise PackageError."""
        chunks: list[bytes] = []
        size = 0
        with self.archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                self.left -= len(chunk)
                size += len(chunk)
                if self.left < 0:
                    raise _too_big(self.name)
                if limit is not None and size > limit:
                    raise _document_too_big(self.name)
                chunks.append(chunk)
        return b"".join(chunks)


def _document_too_big(name: str) -> PackageError:
    mb = MAX_DOCUMENT_BYTES // (1024 * 1024)
    return _open_error(
        name,
        _(
            "{document_name} is over {mb} MB once decompressed; a newsletter takes under 100 KB."
        ).format(document_name=DOCUMENT_NAME, mb=mb),
    )


def _load_archive(archive: zipfile.ZipFile, name: str) -> BulletinFile:
    infos = archive.infolist()
    _check_entries(infos, name)
    _check_declared_sizes(infos, name)
    entries = {info.filename: info for info in infos}
    reader = _Reader(archive, name)

    # A missing ``mimetype`` is accepted on purpose: re-zipping an unpacked file (to edit
    # document.json by hand, or by a mail gateway that repacks attachments) drops or moves it.
    # What makes a Bulletin file is a document.json that passes every check below; a mimetype
    # that is present must be ours.
    mimetype = entries.get("mimetype")
    if mimetype is not None:
        kind = reader.read(mimetype).decode("ascii", "replace").strip()[:100]
        if kind != MIMETYPE:
            raise _open_error(
                name,
                _('this is not a Bulletin file (type "{kind}").').format(kind=kind),
            )
    document = entries.get(DOCUMENT_NAME)
    if document is None:
        raise _open_error(
            name,
            _("this is a zip archive but not a Bulletin file ({document_name} is missing).").format(
                document_name=DOCUMENT_NAME
            ),
        )
    if document.file_size > MAX_DOCUMENT_BYTES:
        raise _document_too_big(name)
    newsletter = _newsletter(
        _parse_json(reader.read(document, limit=MAX_DOCUMENT_BYTES), name), name
    )

    images: dict[str, bytes] = {}
    for index, block in _image_blocks(newsletter):
        ref = block.src
        if ref in images:
            continue
        info = entries.get(ref)
        if info is None:
            what = _describe(index, block)
            raise _open_error(
                name,
                _("the image of {what} is missing from the file ({ref}).").format(
                    what=what, ref=ref
                ),
            )
        if info.file_size > MAX_IMAGE_BYTES:
            raise _open_error(
                name,
                _("the image {ref} is over 10 MB.").format(ref=ref),
            )
        data = reader.read(info)
        digest, ext = ref.removeprefix("images/").split(".")
        if hashlib.sha256(data).hexdigest() != digest or image_format(data) != ext:
            raise _open_error(
                name,
                _("the image {ref} is damaged (its content does not match its name).").format(
                    ref=ref
                ),
            )
        try:
            check_image(data, ref)
        except LimitError as exc:
            raise _open_error(name, str(exc)) from exc
        images[ref] = data
    return BulletinFile(newsletter, images)


def _parse_json(raw: bytes, name: str) -> Any:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _open_error(
            name,
            _("{document_name} is not UTF-8 text.").format(document_name=DOCUMENT_NAME),
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _open_error(
            name,
            _("{document_name} is not valid JSON (line {lineno}, column {colno}).").format(
                document_name=DOCUMENT_NAME, lineno=exc.lineno, colno=exc.colno
            ),
        ) from exc
    except (ValueError, RecursionError) as exc:  # huge integers, absurd nesting
        raise _open_error(
            name,
            _("{document_name} is not valid JSON.").format(document_name=DOCUMENT_NAME),
        ) from exc


def _newsletter(data: Any, name: str) -> Newsletter:
    if not isinstance(data, dict):
        raise _open_error(
            name,
            _("{document_name} does not hold a JSON object.").format(document_name=DOCUMENT_NAME),
        )
    try:
        check_document_data(data)  # plain JSON walked once, before any object is built
        return from_json(upgrade(data))
    except LimitError as exc:
        raise _open_error(name, str(exc)) from exc
    except VersionError as exc:
        raise _open_error(name, str(exc)) from exc
    except DocumentError as exc:
        raise _open_error(name, _("the document is invalid. {exc}").format(exc=exc)) from exc
    except (RecursionError, TypeError, AttributeError, KeyError) as exc:
        raise _open_error(name, _("the document is damaged.")) from exc


def _image_blocks(newsletter: Newsletter) -> Iterator[tuple[int, ImageBlock]]:
    """Embedded image blocks with their 1-based position among image blocks (for messages)."""
    images = [b for b in newsletter.walk() if isinstance(b, ImageBlock)]
    for index, block in enumerate(images, start=1):
        if block.is_embedded:
            yield index, block


def _describe(index: int, block: ImageBlock) -> str:
    """A name of an image block the user can find in the composer."""
    if block.alt:
        return _('image #{index} "{alt}" (block {id})').format(
            index=index, alt=block.alt, id=block.id
        )
    return _("image #{index} (block {id})").format(index=index, id=block.id)


# ------------------------------------------------------------------------------------------ save


def save(bf: BulletinFile, path: StrPath) -> None:
    """Write ``bf`` to ``path`` atomically, leaving out images no block uses.

    The document is validated first (a file that cannot be reopened is worse than no save):
    :class:`DocumentError` then, :class:`PackageError` when the disk refuses. Either way the
    previous file is untouched and no temporary file is left behind.
    """
    _write_atomic(Path(path), _entries(bf))


def _entries(bf: BulletinFile) -> list[tuple[str, bytes, int]]:
    bf.newsletter.validate()
    document = json.dumps(to_json(bf.newsletter), ensure_ascii=False, indent=1).encode("utf-8")
    entries = [
        ("mimetype", MIMETYPE.encode("ascii"), zipfile.ZIP_STORED),
        (DOCUMENT_NAME, document, zipfile.ZIP_DEFLATED),
    ]
    total = len(document)
    for index, block in _image_blocks(bf.newsletter):
        if block.src not in bf.images:
            what = _describe(index, block)
            raise PackageError(
                _("The image of {what} is missing; it must be added again.").format(what=what)
            )
    for ref in sorted(bf.referenced_images()):
        total += len(bf.images[ref])
        # Images are already compressed: storing them is faster and no bigger.
        entries.append((ref, bf.images[ref], zipfile.ZIP_STORED))
    if total > MAX_TOTAL_BYTES or len(entries) > MAX_ENTRIES:
        raise PackageError(_("The document is too large to be saved (over 200 MB)."))
    return entries


def _write_atomic(target: Path, entries: list[tuple[str, bytes, int]]) -> None:
    """The zip streamed through :func:`editor.atomic.atomic_binary`: all or nothing."""
    try:
        with atomic_binary(target) as fh, zipfile.ZipFile(fh, "w") as archive:
            for entry_name, data, method in entries:
                info = zipfile.ZipInfo(entry_name, date_time=_ZIP_EPOCH)
                info.compress_type = method
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)
    except OSError as exc:
        raise _write_error(target, exc) from exc


def _write_error(target: Path, exc: OSError) -> PackageError:
    name = target.name
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        why = _("the disk is full.")
    elif isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        why = _("no permission to write here.")
    elif isinstance(exc, FileNotFoundError):
        why = _("the folder does not exist.")
    else:
        why = f"{exc.strerror or exc}."
    if target.exists():
        why += " " + _("The previous version is untouched.")
    return PackageError(_('Cannot save "{name}": {why}').format(name=name, why=why))


# -------------------------------------------------------------------------------------- autosave


def autosave_path(path: StrPath) -> Path:
    """The autosave of ``path``: ``<data>/autosave/<name>.<hash of the full path>.autosave``."""
    full = Path(path).expanduser().resolve()
    digest = hashlib.sha256(str(full).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return data_dir() / "autosave" / f"{full.name}.{digest}.autosave"


def autosave(bf: BulletinFile, path: StrPath) -> None:
    """Save a crash-recovery copy of the document edited as ``path`` (atomic, like :func:`save`)."""
    target = autosave_path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(target, exc) from exc
    _write_atomic(target, _entries(bf))


def recover(path: StrPath) -> BulletinFile | None:
    """The autosave of ``path`` when it is newer than the file (or the file is gone), else None.

    An unreadable autosave raises :class:`PackageError`, so the user hears about it.
    """
    auto = autosave_path(path)
    try:
        auto_time = auto.stat().st_mtime_ns
    except OSError:
        return None
    with suppress(OSError):
        if Path(path).stat().st_mtime_ns >= auto_time:
            return None
    return load(auto)


def discard_autosave(path: StrPath) -> None:
    """Forget the autosave of ``path`` (after a save or a clean close)."""
    with suppress(OSError):
        autosave_path(path).unlink()
