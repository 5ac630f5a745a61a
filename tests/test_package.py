"""The .bulletin file: round trips, atomic saves, and every way a file can be broken or foreign."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import random
import stat
import struct
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from editor import package
from editor.document import (
    FORMAT_VERSION,
    ButtonBlock,
    Column,
    ColumnsBlock,
    DividerBlock,
    DocumentError,
    FooterBlock,
    HeadingBlock,
    HtmlBlock,
    ImageBlock,
    Newsletter,
    PostsBlock,
    Sender,
    SocialBlock,
    SocialLink,
    SpacerBlock,
    TextBlock,
    Theme,
    to_json,
)
from editor.i18n import set_language
from editor.package import (
    MIMETYPE,
    BulletinFile,
    PackageError,
    autosave,
    autosave_path,
    discard_autosave,
    image_format,
    load,
    recover,
    save,
)

# ------------------------------------------------------------------------------------- helpers


def image_bytes(fmt: str = "PNG", color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), color).save(buffer, format=fmt)
    return buffer.getvalue()


def full_file() -> BulletinFile:
    """A document using every block type, with embedded images at top level and in a column."""
    bf = BulletinFile()
    logo = bf.add_image(image_bytes("PNG"), "logo.png")
    photo = bf.add_image(image_bytes("JPEG", (10, 120, 10)), "photo.jpg")
    bf.newsletter = Newsletter(
        subject="Les nouvelles d'octobre",
        preheader="Café, « guillemets » et émojis 🎉",
        language="fr",
        sender=Sender("Asso", "asso@example.org", "contact@example.org", ""),
        theme=Theme(content_width=640, page_background="#eeeeee"),
        blocks=[
            HeadingBlock(text="Bonjour", level=2, align="center"),
            TextBlock(html="<p>Premier <b>paragraphe</b></p><p>Second</p>"),
            ImageBlock(src=logo, alt="Logo", link="https://example.org", width=200),
            ImageBlock(src="https://example.org/remote.png", alt="remote"),
            ButtonBlock(label="Lire", url="https://example.org", background="#ff0000", radius=4),
            DividerBlock(color="#cccccc", thickness=2, width_percent=50),
            SpacerBlock(height=40),
            SocialBlock(
                links=[
                    SocialLink("facebook", "https://facebook.com/asso"),
                    SocialLink("email", "mailto:asso@example.org"),
                ],
                icon_style="dark",
                size=24,
            ),
            ColumnsBlock(
                ratio="33-67",
                columns=[
                    Column([ImageBlock(src=photo, alt="Photo")]),
                    Column([TextBlock(html="<p>À côté</p>"), ButtonBlock(label="Go")]),
                ],
            ),
            PostsBlock(feed_url="https://example.org/feed", count=5, show_image=False),
            HtmlBlock(html="<table><tr><td>brut</td></tr></table>"),
            FooterBlock(company="Asso", address="1 rue X, Paris", reason="Vous êtes membre."),
        ],
    )
    return bf


def write_zip(path: Path, entries: dict[str, bytes], mimetype: bool = True) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype:
            archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def doc_bytes(data: Any) -> bytes:
    return json.dumps(data).encode("utf-8")


def minimal_doc(**extra: Any) -> dict[str, Any]:
    return {**to_json(Newsletter(subject="x")), **extra}


def patch_central(raw: bytes, name: str, offset: int, value: int, fmt: str = "<I") -> bytes:
    """Overwrite a field of ``name``'s central directory record (what zipfile trusts)."""
    buf = bytearray(raw)
    pos = buf.find(b"PK\x01\x02")
    while pos != -1:
        (name_len,) = struct.unpack_from("<H", buf, pos + 28)
        if buf[pos + 46 : pos + 46 + name_len] == name.encode():
            struct.pack_into(fmt, buf, pos + offset, value)
        pos = buf.find(b"PK\x01\x02", pos + 4)
    return bytes(buf)


def only_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------------------------- round trip


def test_round_trip_every_block_type(tmp_path: Path) -> None:
    bf = full_file()
    before = to_json(bf.newsletter)
    path = tmp_path / "news.bulletin"
    save(bf, path)
    loaded = load(path)
    assert to_json(loaded.newsletter) == before
    assert loaded.images == bf.images
    assert {b.TYPE for b in loaded.newsletter.walk()} == {
        "heading",
        "text",
        "image",
        "button",
        "divider",
        "spacer",
        "social",
        "columns",
        "posts",
        "footer",
        "html",
    }
    assert only_files(tmp_path) == ["news.bulletin"]


def test_layout_is_recognisable_and_deterministic(tmp_path: Path) -> None:
    bf = full_file()
    first, second = tmp_path / "a.bulletin", tmp_path / "b.bulletin"
    save(bf, first)
    save(bf, second)
    assert first.read_bytes() == second.read_bytes()
    raw = first.read_bytes()
    # ODF-style: "mimetype" stored first, so its content sits at a fixed offset (file(1) magic).
    assert raw[30:38] == b"mimetype" and raw[38 : 38 + len(MIMETYPE)] == MIMETYPE.encode()
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype"
        assert infos[0].compress_type == zipfile.ZIP_STORED
        names = [i.filename for i in infos]
        assert "document.json" in names
        data = json.loads(archive.read("document.json").decode("utf-8"))
        assert data["version"] == FORMAT_VERSION
        for name in names:
            if name.startswith("images/"):
                content = archive.read(name)
                digest, ext = name.removeprefix("images/").split(".")
                assert hashlib.sha256(content).hexdigest() == digest
                assert image_format(content) == ext


def test_images_kept_byte_for_byte(tmp_path: Path) -> None:
    bf = BulletinFile()
    blobs = {fmt: image_bytes(fmt) for fmt in ("PNG", "JPEG", "GIF", "WEBP")}
    refs = [bf.add_image(blob, f"x.{fmt}") for fmt, blob in blobs.items()]
    bf.newsletter.blocks = [ImageBlock(src=ref) for ref in refs]
    save(bf, tmp_path / "i.bulletin")
    loaded = load(tmp_path / "i.bulletin")
    assert sorted(loaded.images.values()) == sorted(blobs.values())
    assert [r.rsplit(".", 1)[1] for r in refs] == ["png", "jpg", "gif", "webp"]


# ------------------------------------------------------------------------------------ add_image


def test_add_image_detects_real_format_and_dedupes() -> None:
    bf = BulletinFile()
    png = image_bytes("PNG")
    ref = bf.add_image(png, "photo.jpg")  # lying extension: the bytes win
    assert ref == f"images/{hashlib.sha256(png).hexdigest()}.png"
    assert bf.add_image(png, "copy.png") == ref
    assert bf.images == {ref: png}
    assert ImageBlock(src=ref).is_embedded


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7\n...", b"", b"just text", b"RIFF\0\0\0\0WAVEfmt "], ids=repr
)
def test_add_image_refuses_non_images(data: bytes) -> None:
    with pytest.raises(PackageError, match=r'"doc\.png" is not a PNG, JPEG, GIF or WebP image'):
        BulletinFile().add_image(data, "doc.png")


def test_add_image_refuses_over_10_mb() -> None:
    big = b"\x89PNG\r\n\x1a\n" + bytes(10 * 1024 * 1024)
    with pytest.raises(PackageError, match=r"too large.*10 MB") as caught:
        BulletinFile().add_image(big, "huge.png")
    assert isinstance(caught.value, DocumentError)


def test_add_image_error_in_french(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_LANG", "fr")
    set_language("fr")
    with pytest.raises(PackageError, match="n'est pas une image"):
        BulletinFile().add_image(b"nope", "a.gif")


# ---------------------------------------------------------------------------------- unused images


def test_unused_images_are_dropped_on_save(tmp_path: Path) -> None:
    bf = BulletinFile()
    used = bf.add_image(image_bytes("PNG"), "a.png")
    in_column = bf.add_image(image_bytes("GIF"), "b.gif")
    unused = bf.add_image(image_bytes("PNG", (0, 0, 255)), "c.png")
    bf.newsletter.blocks = [
        ImageBlock(src=used),
        ColumnsBlock(columns=[Column([ImageBlock(src=in_column)]), Column()]),
    ]
    assert bf.unused_images() == {unused}
    save(bf, tmp_path / "u.bulletin")
    assert unused in bf.images  # kept in memory: undo may bring its block back
    with zipfile.ZipFile(tmp_path / "u.bulletin") as archive:
        stored = {n for n in archive.namelist() if n.startswith("images/")}
    assert stored == {used, in_column}
    assert set(load(tmp_path / "u.bulletin").images) == {used, in_column}


def test_save_refuses_a_block_whose_image_is_missing(tmp_path: Path) -> None:
    bf = BulletinFile()
    ref = f"images/{'a' * 64}.png"
    bf.newsletter.blocks = [ImageBlock(src=ref, alt="Affiche", id="blk1")]
    with pytest.raises(PackageError, match=r'image #1 "Affiche" \(block blk1\) is missing'):
        save(bf, tmp_path / "m.bulletin")
    assert only_files(tmp_path) == []


def test_save_refuses_an_invalid_document(tmp_path: Path) -> None:
    bf = BulletinFile(Newsletter(theme=Theme(text_color="red")))
    with pytest.raises(DocumentError, match="colour"):
        save(bf, tmp_path / "bad.bulletin")
    assert only_files(tmp_path) == []


# ----------------------------------------------------------------------------------- atomic save


def _enospc(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["fsync", "write"])
def test_full_disk_leaves_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    path = tmp_path / "news.bulletin"
    bf = full_file()
    save(bf, path)
    before = path.read_bytes()
    bf.newsletter.subject = "Changed"
    if where == "fsync":
        monkeypatch.setattr(package.os, "fsync", _enospc)
    else:
        monkeypatch.setattr(zipfile.ZipFile, "writestr", _enospc)
    with pytest.raises(PackageError, match=r"disk is full.*previous version is untouched"):
        save(bf, path)
    assert path.read_bytes() == before
    assert only_files(tmp_path) == ["news.bulletin"]


def test_full_disk_on_a_new_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(package.os, "fsync", _enospc)
    with pytest.raises(PackageError, match="disk is full") as caught:
        save(full_file(), tmp_path / "new.bulletin")
    assert "previous version" not in str(caught.value)
    assert only_files(tmp_path) == []


def test_save_into_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="folder does not exist"):
        save(full_file(), tmp_path / "nowhere" / "x.bulletin")


def test_save_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "news.bulletin"
    bf = full_file()
    save(bf, path)
    if sys.platform != "win32":
        path.chmod(0o640)
    bf.newsletter.subject = "Second"
    save(bf, path)
    assert load(path).newsletter.subject == "Second"
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert only_files(tmp_path) == ["news.bulletin"]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")
def test_save_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.bulletin"
    save(full_file(), real)
    link = tmp_path / "link.bulletin"
    link.symlink_to(real)
    bf = full_file()
    bf.newsletter.subject = "via link"
    save(bf, link)
    assert link.is_symlink()
    assert load(real).newsletter.subject == "via link"


# ------------------------------------------------------------------------------ corrupt / foreign


def _saved(tmp_path: Path) -> bytes:
    path = tmp_path / "good.bulletin"
    save(full_file(), path)
    return path.read_bytes()


def _expect(path: Path, pattern: str) -> PackageError:
    with pytest.raises(PackageError, match=pattern) as caught:
        load(path)
    assert f'"{path.name}"' in str(caught.value)
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    _expect(tmp_path / "ghost.bulletin", "does not exist")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    (tmp_path / "dir.bulletin").mkdir()
    _expect(tmp_path / "dir.bulletin", "folder")


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "not a Bulletin file.*PDF"),
        (b"Dear friends,\nthis is plain text.\n", "not a Bulletin file.*another kind"),
        (b"", "empty"),
    ],
    ids=["pdf", "text", "empty"],
)
def test_not_a_zip(tmp_path: Path, content: bytes, pattern: str) -> None:
    path = tmp_path / "renamed.bulletin"
    path.write_bytes(content)
    _expect(path, pattern)


def test_image_renamed(tmp_path: Path) -> None:
    path = tmp_path / "photo.bulletin"
    path.write_bytes(image_bytes("WEBP"))
    _expect(path, "an image")


def test_not_a_zip_in_french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BULLETIN_LANG", "fr")
    set_language("fr")
    path = tmp_path / "doc.bulletin"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(PackageError, match=r"Impossible d'ouvrir « doc.bulletin ».*PDF"):
        load(path)


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_truncated(tmp_path: Path, keep: float) -> None:
    raw = _saved(tmp_path)
    path = tmp_path / "cut.bulletin"
    path.write_bytes(raw[: int(len(raw) * keep)])
    _expect(path, "damaged or incomplete")


def test_corrupted_document_bytes(tmp_path: Path) -> None:
    raw = bytearray(_saved(tmp_path))
    start = raw.find(b"document.json") + len(b"document.json") + 10  # inside the deflate data
    for i in range(start, start + 20):
        raw[i] ^= 0x55
    path = tmp_path / "flipped.bulletin"
    path.write_bytes(bytes(raw))
    _expect(path, "damaged")


def test_random_damage_never_escapes_as_a_traceback(tmp_path: Path) -> None:
    """Whatever the damage, the user gets a PackageError (or, rarely, a file that still loads)."""
    raw = _saved(tmp_path)
    rng = random.Random(1234)
    path = tmp_path / "fuzz.bulletin"
    for _ in range(300):
        data = bytearray(raw)
        if rng.random() < 0.3:
            data = data[: rng.randrange(len(data))]
        for _ in range(rng.randint(1, 8)):
            if data:
                data[rng.randrange(len(data))] = rng.randrange(256)
        path.write_bytes(bytes(data))
        with contextlib.suppress(PackageError):
            load(path)


def test_zip_without_document(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "other.bulletin", {"readme.txt": b"hello"}, mimetype=False)
    _expect(path, r"zip archive but not a Bulletin file \(document\.json is missing\)")


def test_foreign_mimetype(tmp_path: Path) -> None:
    path = tmp_path / "letter.bulletin"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document/>")
    _expect(path, "not a Bulletin file.*opendocument")


def test_document_not_utf8(tmp_path: Path) -> None:
    text = json.dumps(minimal_doc(subject="Été"), ensure_ascii=False).encode("latin-1")
    path = write_zip(tmp_path / "latin.bulletin", {"document.json": text})
    _expect(path, "document.json is not UTF-8")


def test_document_with_bom_is_accepted(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + doc_bytes(minimal_doc(subject="BOM"))
    path = write_zip(tmp_path / "bom.bulletin", {"document.json": raw})
    assert load(path).newsletter.subject == "BOM"


@pytest.mark.parametrize(
    ("raw", "pattern"),
    [
        (b'{"version": 2, "subject": ', r"not valid JSON \(line 1, column 27\)"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
        (b"[1, 2]", "does not hold a JSON object"),
        (b'{"version": 2, "subject": 12}', "invalid.*subject"),
        (b'{"version": 2, "blocks": [{"type": "rocket"}]}', 'invalid.*Unknown block type "rocket"'),
    ],
    ids=["cut", "nested", "list", "bad-type", "bad-block"],
)
def test_document_not_json_or_invalid(tmp_path: Path, raw: bytes, pattern: str) -> None:
    path = write_zip(tmp_path / "bad.bulletin", {"document.json": raw})
    _expect(path, pattern)


def test_newer_version_is_refused(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "future.bulletin",
        {"document.json": doc_bytes(minimal_doc(version=FORMAT_VERSION + 1))},
    )
    _expect(path, "newer Bulletin.*update")


def test_missing_image_names_the_block(tmp_path: Path) -> None:
    ref = f"images/{'b' * 64}.png"
    doc = minimal_doc(
        blocks=[
            {"type": "image", "id": "img1", "src": "https://example.org/a.png"},
            {
                "type": "columns",
                "id": "col1",
                "columns": [
                    {"blocks": [{"type": "image", "id": "img2", "src": ref, "alt": "Banner"}]},
                    {"blocks": []},
                ],
            },
        ]
    )
    path = write_zip(tmp_path / "noimg.bulletin", {"document.json": doc_bytes(doc)})
    error = _expect(path, "missing from the file")
    assert 'image #2 "Banner" (block img2)' in str(error)
    assert ref in str(error)


@pytest.mark.parametrize("content", ["wrong bytes", "right hash, not a png"])
def test_image_that_does_not_match_its_name(tmp_path: Path, content: str) -> None:
    if content == "wrong bytes":
        data = image_bytes("PNG")
        ref = f"images/{hashlib.sha256(b'other').hexdigest()}.png"
    else:
        data = image_bytes("GIF")
        ref = f"images/{hashlib.sha256(data).hexdigest()}.png"
    doc = minimal_doc(blocks=[{"type": "image", "id": "i", "src": ref}])
    path = write_zip(tmp_path / "hash.bulletin", {"document.json": doc_bytes(doc), ref: data})
    _expect(path, "damaged.*does not match its name")


@pytest.mark.parametrize(
    "entry",
    ["../evil.txt", "/etc/passwd", "images/../../x.png", "..\\win.txt", "C:\\boot.ini", "a/../b"],
)
def test_zip_slip_is_refused(tmp_path: Path, entry: str) -> None:
    path = write_zip(
        tmp_path / "slip.bulletin",
        {"document.json": doc_bytes(minimal_doc()), entry: b"pwned"},
    )
    with zipfile.ZipFile(path) as archive:  # zipfile keeps the name as written
        assert entry in archive.namelist()
    _expect(path, "unsafe path")


def test_duplicate_entries_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.bulletin"
    with (
        zipfile.ZipFile(path, "w") as archive,
        pytest.warns(UserWarning, match="Duplicate name"),
    ):
        archive.writestr("document.json", doc_bytes(minimal_doc()))
        archive.writestr("document.json", doc_bytes(minimal_doc(subject="other")))
    _expect(path, "appears twice")


def test_too_many_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(package, "MAX_ENTRIES", 10)
    entries = {"document.json": doc_bytes(minimal_doc())}
    entries.update({f"junk/{i}.txt": b"" for i in range(10)})
    _expect(write_zip(tmp_path / "many.bulletin", entries), r"too many entries \(12, at most 10\)")


def test_declared_size_over_200_mb(tmp_path: Path) -> None:
    """A directory announcing 300 MB is refused before anything is decompressed."""
    path = write_zip(
        tmp_path / "bomb.bulletin",
        {"document.json": doc_bytes(minimal_doc()), "zeros.bin": bytes(1000)},
    )
    raw = patch_central(path.read_bytes(), "zeros.bin", 24, 300 * 1024 * 1024)
    path.write_bytes(raw)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("zeros.bin").file_size == 300 * 1024 * 1024
    _expect(path, "over 200 MB")


def test_streamed_limit_catches_lying_sizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if the declared sizes got past, reading stops as soon as the budget is spent."""
    document = doc_bytes(minimal_doc(preheader=" " * 500_000))  # compresses to almost nothing
    path = write_zip(tmp_path / "bomb.bulletin", {"document.json": document})
    monkeypatch.setattr(package, "MAX_TOTAL_BYTES", 100_000)
    monkeypatch.setattr(package, "_check_declared_sizes", lambda *_: None)
    reads: list[int] = []
    real_open = zipfile.ZipFile.open

    def counting_open(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> Any:
        stream = real_open(self, *args, **kwargs)
        real_read = stream.read

        def read(n: int = -1) -> bytes:
            chunk = real_read(n)
            reads.append(len(chunk))
            return chunk

        stream.read = read  # type: ignore[method-assign]
        return stream

    monkeypatch.setattr(zipfile.ZipFile, "open", counting_open)
    _expect(path, "over 200 MB")
    assert sum(reads) < 300_000  # stopped early, did not decompress the whole entry


def test_declared_image_over_10_mb(tmp_path: Path) -> None:
    data = image_bytes("PNG")
    ref = f"images/{hashlib.sha256(data).hexdigest()}.png"
    doc = minimal_doc(blocks=[{"type": "image", "id": "i", "src": ref}])
    path = write_zip(tmp_path / "big.bulletin", {"document.json": doc_bytes(doc), ref: data})
    path.write_bytes(patch_central(path.read_bytes(), ref, 24, 11 * 1024 * 1024))
    _expect(path, "over 10 MB")


def test_encrypted_entry(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "locked.bulletin", {"document.json": doc_bytes(minimal_doc())})
    path.write_bytes(patch_central(path.read_bytes(), "document.json", 8, 0x1, "<H"))
    _expect(path, "encrypted")


def test_file_without_mimetype_still_opens(tmp_path: Path) -> None:
    path = write_zip(
        tmp_path / "plain.bulletin",
        {"document.json": doc_bytes(minimal_doc(subject="no mimetype"))},
        mimetype=False,
    )
    assert load(path).newsletter.subject == "no mimetype"


# ------------------------------------------------------------------------------------- upgrades


def test_version_1_file_is_upgraded(tmp_path: Path) -> None:
    png = image_bytes("PNG")
    ref = f"images/{hashlib.sha256(png).hexdigest()}.png"
    v1 = {
        "subject": "Ancien",
        "theme": {"width": 580, "text_color": "#333333"},
        "blocks": [
            {"type": "heading", "text": "Titre"},
            {"type": "text", "text": "Ligne 1\nLigne 2\n\nR&D <2>"},
            {
                "type": "columns",
                "columns": [
                    {"blocks": [{"type": "text", "text": "gauche"}]},
                    {"blocks": [{"type": "image", "src": ref, "alt": "pic"}]},
                ],
            },
        ],
    }
    path = write_zip(tmp_path / "old.bulletin", {"document.json": doc_bytes(v1), ref: png})
    bf = load(path)
    news = bf.newsletter
    assert news.language == "fr"
    assert news.theme.content_width == 580
    assert news.theme.text_color == "#333333"
    heading, text, columns = news.blocks
    assert isinstance(heading, HeadingBlock) and heading.text == "Titre"
    assert isinstance(text, TextBlock)
    assert text.html == "<p>Ligne 1<br>Ligne 2</p><p>R&amp;D &lt;2&gt;</p>"
    assert isinstance(columns, ColumnsBlock)
    left = columns.columns[0].blocks[0]
    assert isinstance(left, TextBlock) and left.html == "<p>gauche</p>"
    ids = [b.id for b in news.walk()]
    assert all(len(i) == 12 for i in ids) and len(set(ids)) == len(ids)
    assert bf.images == {ref: png}
    # Saving writes the current format; the generated ids then stay put.
    save(bf, path)
    again = load(path)
    assert [b.id for b in again.newsletter.walk()] == ids
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("document.json"))["version"] == FORMAT_VERSION


# ------------------------------------------------------------------------------------- autosave


def test_autosave_lives_in_the_data_folder(tmp_path: Path, bulletin_home: Path) -> None:
    a = autosave_path(tmp_path / "one" / "news.bulletin")
    b = autosave_path(tmp_path / "two" / "news.bulletin")
    assert a != b
    assert a.parent == bulletin_home / "autosave"
    assert a.name.startswith("news.bulletin.") and a.suffix == ".autosave"
    assert autosave_path(str(tmp_path / "one" / "news.bulletin")) == a


def test_recover_returns_newer_autosave(tmp_path: Path) -> None:
    path = tmp_path / "news.bulletin"
    bf = full_file()
    save(bf, path)
    assert recover(path) is None  # no autosave yet
    bf.newsletter.subject = "unsaved edit"
    autosave(bf, path)
    auto = autosave_path(path)
    saved_ns = path.stat().st_mtime_ns
    os.utime(auto, ns=(saved_ns + 10**9, saved_ns + 10**9))
    recovered = recover(path)
    assert recovered is not None
    assert recovered.newsletter.subject == "unsaved edit"
    assert recovered.images == bf.images
    # Once the file is newer (saved again), the autosave is stale.
    os.utime(auto, ns=(saved_ns - 10**9, saved_ns - 10**9))
    assert recover(path) is None
    discard_autosave(path)
    assert not auto.exists()
    assert only_files(auto.parent) == []
    discard_autosave(path)  # nothing to discard: no error


def test_recover_when_file_was_never_saved(tmp_path: Path) -> None:
    path = tmp_path / "draft.bulletin"
    bf = full_file()
    autosave(bf, path)
    recovered = recover(path)
    assert recovered is not None
    assert to_json(recovered.newsletter) == to_json(bf.newsletter)
    assert not path.exists()


def test_autosave_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "news.bulletin"
    bf = full_file()
    autosave(bf, path)
    auto = autosave_path(path)
    before = auto.read_bytes()
    bf.newsletter.subject = "lost"
    monkeypatch.setattr(package.os, "fsync", _enospc)
    with pytest.raises(PackageError, match="disk is full"):
        autosave(bf, path)
    assert auto.read_bytes() == before
    assert only_files(auto.parent) == [auto.name]


def test_recover_reports_a_damaged_autosave(tmp_path: Path) -> None:
    path = tmp_path / "news.bulletin"
    auto = autosave_path(path)
    auto.parent.mkdir(parents=True)
    auto.write_bytes(b"garbage")
    with pytest.raises(PackageError):
        recover(path)
