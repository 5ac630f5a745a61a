"""The one atomic-write helper: all or nothing, no temporary file left, whatever happens."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from editor import atomic
from editor.atomic import atomic_binary, atomic_text, write_atomic, write_text_atomic


def test_write_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "doc.bin"
    write_atomic(target, b"one")
    assert target.read_bytes() == b"one"
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    write_text_atomic(target, "trois €", encoding="utf-8")
    assert target.read_bytes() == "trois €".encode()
    assert os.listdir(tmp_path) == ["doc.bin"]


def test_failure_mid_write_keeps_the_old_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "doc.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="disk on fire"), atomic_binary(target) as out:
        out.write(b"new, half")
        raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["doc.bin"]


def test_failure_of_a_new_file_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(KeyboardInterrupt), atomic_text(tmp_path / "new.csv") as out:
        out.write("a;b\r\n")
        raise KeyboardInterrupt
    assert os.listdir(tmp_path) == []


def test_failing_fsync_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.bin"
    target.write_bytes(b"old")

    def no_space(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["doc.bin"]


def test_failing_rename_removes_the_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "doc.bin"
    target.write_bytes(b"old")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["doc.bin"]


def test_data_and_folder_are_synced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", spy)
    write_atomic(tmp_path / "doc.bin", b"data")
    expected = ["file", "folder"] if os.name == "posix" else ["file"]
    assert synced == expected


def test_text_writer_encoding_and_newlines(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with atomic_text(target, encoding="utf-8-sig", newline="") as out:
        out.write("é;\r\n")
        assert not target.exists()  # nothing visible before the block ends
    assert target.read_bytes() == "\ufeffé;\r\n".encode()


def test_streaming_writer_shows_nothing_until_done(tmp_path: Path) -> None:
    target = tmp_path / "big.bin"
    target.write_bytes(b"old")
    with atomic_binary(target) as out:
        for _ in range(10):
            out.write(b"x" * 100_000)
        assert target.read_bytes() == b"old"
    assert target.stat().st_size == 1_000_000


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and symlinks")
def test_permissions_kept_and_symlink_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.bin"
    real.write_bytes(b"old")
    real.chmod(0o600)
    link = tmp_path / "link.bin"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["link.bin", "real.bin"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX umask")
def test_new_file_gets_the_umask_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.bin", b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.bin").stat().st_mode) == 0o644
