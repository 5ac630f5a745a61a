"""The IMAP sync against a real dovecot: processed once, flagged or moved, never deleted."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from editor.contacts.store import ContactStore
from editor.inbox import imap_sync
from editor.inbox.imap_connect import ImapFailure
from editor.inbox.imap_sync import read_state, sync_mailbox, uid_set
from editor.inbox.mailboxes import KEYWORD, Mailbox
from tests import mail_samples
from tests.imap_server import ImapServer, imap_server

__all__ = ["imap_server"]


def mailbox_for(server: ImapServer, **changes: object) -> Mailbox:
    mailbox = Mailbox("Bounces", server.host, server.tls_port, "tls", server.user, timeout=10)
    return replace(mailbox, **changes)  # type: ignore[arg-type]


def sync(
    server: ImapServer, store: ContactStore, mailbox: Mailbox, **kwargs: object
) -> imap_sync.SyncResult:
    return sync_mailbox(
        store,
        mailbox,
        server.password,
        ssl_context=server.ssl_context_for_clients(),
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def store(tmp_path: Path) -> ContactStore:
    return mail_samples.contacts_store(tmp_path / "contacts.sqlite3")


def test_sync_applies_each_message_then_a_second_sync_changes_nothing(
    imap_server: ImapServer, store: ContactStore
) -> None:
    imap_server.append_many(mail_samples.messages())
    mailbox = mailbox_for(imap_server)
    result = sync(imap_server, store, mailbox)
    tally = result.tally.to_json()
    assert result.messages == 7 and tally["processed"] == 7
    assert (tally["bounces"], tally["complaints"], tally["unsubscribes"]) == (4, 1, 1)
    assert tally["auto_replies"] == 1
    assert mail_samples.statuses(store) == mail_samples.EXPECTED  # the stranger is no contact
    changed = {c.email: c.status for c in result.tally.changed}
    assert changed == {e: s for e, s in mail_samples.EXPECTED.items() if s != "subscribed"}
    # Nothing deleted, nothing marked read: each message only carries the keyword.
    flags = imap_server.messages()
    assert len(flags) == 7
    assert all(KEYWORD in f and "\\Seen" not in f for f in flags.values())
    assert read_state(store.connection, "Bounces", "INBOX") == (
        imap_server.uidvalidity(),
        max(flags),
    )

    again = sync(imap_server, store, mailbox)
    assert (again.messages, again.tally.to_json()["processed"]) == (0, 0)
    assert again.tally.changed == []
    assert mail_samples.statuses(store) == mail_samples.EXPECTED
    assert imap_server.messages() == flags


def test_only_new_messages_are_read_and_mark_read_adds_seen(
    imap_server: ImapServer, store: ContactStore
) -> None:
    mailbox = mailbox_for(imap_server, mark_read=True)
    imap_server.append(mail_samples.dsn(mail_samples.BOUNCED))
    assert sync(imap_server, store, mailbox).messages == 1
    imap_server.append(mail_samples.arf(mail_samples.COMPLAINED))
    result = sync(imap_server, store, mailbox)
    assert result.messages == 1 and result.tally.to_json()["complaints"] == 1
    assert all({KEYWORD, "\\Seen"} <= f for f in imap_server.messages().values())


def test_move_mode_moves_processed_messages_and_deletes_none(
    imap_server: ImapServer, store: ContactStore
) -> None:
    imap_server.append(b"Subject: first\r\n\r\nx\r\n", folder="Bulletin/Traités")
    imap_server.append_many(mail_samples.messages())
    mailbox = mailbox_for(imap_server, processed="move", move_to="Bulletin/Traités")
    result = sync(imap_server, store, mailbox)
    assert result.messages == 7 and result.unmarked == 0
    assert imap_server.messages() == {}
    assert len(imap_server.messages("Bulletin/Traités")) == 8
    assert mail_samples.statuses(store) == mail_samples.EXPECTED
    assert sync(imap_server, store, mailbox).messages == 0


def test_a_missing_move_folder_stops_before_reading(
    imap_server: ImapServer, store: ContactStore
) -> None:
    imap_server.append(mail_samples.dsn(mail_samples.BOUNCED))
    mailbox = mailbox_for(imap_server, processed="move", move_to="Nowhere")
    with pytest.raises(ImapFailure) as caught:
        sync(imap_server, store, mailbox)
    assert (caught.value.kind, caught.value.folder) == ("folder_missing", "Nowhere")
    assert store.get(mail_samples.BOUNCED).status == "subscribed"  # type: ignore[union-attr]
    assert read_state(store.connection, "Bounces", "INBOX") is None


def test_a_new_uidvalidity_starts_the_folder_over(
    imap_server: ImapServer, store: ContactStore
) -> None:
    mailbox = mailbox_for(imap_server, folder="Retours")
    imap_server.append(mail_samples.dsn(mail_samples.BOUNCED), folder="Retours")
    first = sync(imap_server, store, mailbox)
    assert first.messages == 1 and not first.restarted
    old = read_state(store.connection, "Bounces", "Retours")
    imap_server.recreate("Retours")  # new UIDVALIDITY, UIDs start at 1 again
    imap_server.append(mail_samples.arf(mail_samples.COMPLAINED), folder="Retours")
    second = sync(imap_server, store, mailbox)
    assert second.restarted and second.messages == 1  # UID 1 again, read although ≤ last UID
    assert second.tally.to_json()["complaints"] == 1
    new = read_state(store.connection, "Bounces", "Retours")
    assert old is not None and new is not None and new[0] != old[0]
    assert new == (imap_server.uidvalidity("Retours"), 1)


def test_batches_windows_and_progress(
    imap_server: ImapServer, store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap_sync, "SEARCH_WINDOW", 4)
    monkeypatch.setattr(imap_sync, "BATCH_MESSAGES", 3)
    raws = [mail_samples.dsn(f"nobody{i}@example.net", n=i) for i in range(10)]
    imap_server.append_many(raws)
    seen: list[tuple[int, int]] = []
    result = sync(
        imap_server, store, mailbox_for(imap_server), progress=lambda d, t: seen.append((d, t))
    )
    assert result.messages == 10 and result.tally.to_json()["processed"] == 10
    assert seen[-1] == (10, 10) and [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert len(seen) >= 4  # windows of 4 UIDs, batches of 3
    assert read_state(store.connection, "Bounces", "INBOX")[1] == 10  # type: ignore[index]


def test_cancel_keeps_what_was_done_and_the_next_sync_goes_on(
    imap_server: ImapServer, store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap_sync, "BATCH_MESSAGES", 2)
    imap_server.append_many([mail_samples.dsn(f"n{i}@example.net", n=i) for i in range(5)])
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 3:
            stop.set()

    mailbox = mailbox_for(imap_server)
    first = sync(imap_server, store, mailbox, progress=progress, cancelled=stop.is_set)
    assert first.cancelled and first.messages in (4, 5)
    processed = first.tally.to_json()["processed"]
    assert processed == 4
    flagged = [uid for uid, f in imap_server.messages().items() if KEYWORD in f]
    assert flagged == [1, 2, 3, 4]
    assert read_state(store.connection, "Bounces", "INBOX")[1] == 4  # type: ignore[index]
    rest = sync(imap_server, store, mailbox)
    assert rest.tally.to_json()["processed"] == 1 and not rest.cancelled


def test_huge_messages_are_read_up_to_the_cap(
    imap_server: ImapServer, store: ContactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imap_sync, "MAX_MESSAGE_BYTES", 4096)
    big = mail_samples.dsn(mail_samples.BOUNCED) + b"x" * 100_000 + b"\r\n"
    imap_server.append(big)
    result = sync(imap_server, store, mailbox_for(imap_server))
    assert result.messages == 1
    assert store.get(mail_samples.BOUNCED).status == "bounced"  # type: ignore[union-attr]


def test_wrong_password_and_missing_folder_change_nothing(
    imap_server: ImapServer, store: ContactStore
) -> None:
    imap_server.append(mail_samples.dsn(mail_samples.BOUNCED))
    with pytest.raises(ImapFailure) as caught:
        sync_mailbox(
            store,
            mailbox_for(imap_server),
            "wrong",
            ssl_context=imap_server.ssl_context_for_clients(),
        )
    assert caught.value.kind == "auth"
    with pytest.raises(ImapFailure) as caught:
        sync(imap_server, store, mailbox_for(imap_server, folder="Absent"))
    assert (caught.value.kind, caught.value.folder) == ("folder_missing", "Absent")
    assert mail_samples.statuses(store)[mail_samples.BOUNCED] == "subscribed"
    assert imap_server.messages() == {1: {"\\Recent"}} or KEYWORD not in imap_server.messages()[1]


def test_empty_folder_is_fine(imap_server: ImapServer, store: ContactStore) -> None:
    result = sync(imap_server, store, mailbox_for(imap_server))
    assert (result.messages, result.tally.to_json()["processed"]) == (0, 0)


def test_uid_sets() -> None:
    assert uid_set([1]) == "1"
    assert uid_set([1, 2, 3, 7, 9, 10]) == "1:3,7,9:10"
