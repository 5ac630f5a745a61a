"""Importing an mbox file or a maildir folder: processed once, read-only, bounded, hostile input."""

from __future__ import annotations

import mailbox as stdlib_mailbox
from pathlib import Path

import pytest

from editor.contacts.store import ContactStore
from editor.inbox import batch, mail_import
from editor.inbox.mail_import import MailImportError, import_messages
from tests import mail_samples


@pytest.fixture
def store(tmp_path: Path) -> ContactStore:
    return mail_samples.contacts_store(tmp_path / "contacts.sqlite3")


def write_mbox(path: Path, raws: list[bytes]) -> Path:
    box = stdlib_mailbox.mbox(path)
    for raw in raws:
        box.add(raw)
    box.close()
    return path


def write_maildir(path: Path, raws: list[bytes]) -> Path:
    box = stdlib_mailbox.Maildir(path)
    for raw in raws:
        box.add(raw)
    box.close()
    return path


@pytest.mark.parametrize("write", [write_mbox, write_maildir])
def test_each_message_applied_once_and_the_file_untouched(
    store: ContactStore, tmp_path: Path, write: object
) -> None:
    path = write(tmp_path / "export", mail_samples.messages())  # type: ignore[operator]
    before = {p: p.stat().st_mtime_ns for p in [path, *path.rglob("*")]}
    result = import_messages(store, path)
    assert result.messages == 7 and not result.cancelled
    assert result.tally.to_json()["complaints"] == 1
    assert mail_samples.statuses(store) == mail_samples.EXPECTED
    again = import_messages(store, path)
    assert again.tally.changed == [] and again.tally.already_processed == 7
    assert {p: p.stat().st_mtime_ns for p in [path, *path.rglob("*")]} == before


def test_batches_progress_and_cancel(
    store: ContactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mail_import, "BATCH_MESSAGES", 3)
    raws = [mail_samples.dsn(f"n{i}@example.net", n=i) for i in range(8)]
    path = write_mbox(tmp_path / "b.mbox", raws)
    seen: list[tuple[int, int]] = []
    result = import_messages(store, path, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(3, 8), (6, 8), (8, 8)] and result.messages == 8

    other = write_mbox(
        tmp_path / "c.mbox", [mail_samples.dsn(f"m{i}@x.net", n=i) for i in range(8)]
    )
    stop = {"now": False}

    def progress(done: int, total: int) -> None:
        stop["now"] = done >= 3

    cut = import_messages(store, other, progress=progress, cancelled=lambda: stop["now"])
    assert cut.cancelled and cut.messages == 3


def test_huge_messages_are_read_up_to_the_cap(
    store: ContactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mail_import, "MAX_MESSAGE_BYTES", 4096)
    big = mail_samples.dsn(mail_samples.BOUNCED) + b"x" * 200_000 + b"\r\n"
    result = import_messages(store, write_maildir(tmp_path / "md", [big]))
    assert result.messages == 1
    assert mail_samples.statuses(store)[mail_samples.BOUNCED] == "bounced"
    assert batch.MAX_MESSAGE_BYTES == 2 * 1024 * 1024


def test_hostile_and_wrong_paths(store: ContactStore, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.mbox"
    garbage.write_bytes(b"From x\n" + bytes(range(256)) * 100 + b"\nFrom \xff\xfe\n\x00\x00")
    result = import_messages(store, garbage)
    assert result.messages >= 1
    assert result.tally.to_json()["unrecognised"] == result.messages
    (tmp_path / "folder").mkdir()
    with pytest.raises(MailImportError, match="not a maildir"):
        import_messages(store, tmp_path / "folder")
    with pytest.raises(MailImportError, match="does not exist"):
        import_messages(store, tmp_path / "absent")
    (tmp_path / "x.eml").write_bytes(b"Subject: hi\r\n\r\nhi\r\n")
    with pytest.raises(MailImportError, match="not an mbox file"):
        import_messages(store, tmp_path / "x.eml")
    empty = tmp_path / "empty"
    for sub in ("cur", "new", "tmp"):
        (empty / sub).mkdir(parents=True)
    assert import_messages(store, empty).messages == 0
