"""Background jobs: Cancel interrupts SQLite mid-statement and rolls the change back."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from editor.contacts.privacy import forget
from editor.contacts.store import Basis, ContactQuery, ContactStore
from tests.widgets.contacts.fake import fast_rows
from widgets.contacts.workers import JobContext, Worker

pytestmark = pytest.mark.gui


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """5,000 contacts: enough for a statement to run long enough to be interrupted."""
    path = tmp_path / "contacts.sqlite3"
    with ContactStore(path) as store:
        store.upsert_many(fast_rows(5_000), list_id=None, basis=Basis("consent"))
    return path


def statuses(path: Path) -> set[str]:
    with ContactStore(path) as store:
        return {c.status for c in store.page(ContactQuery(), 0, 10_000)}


def test_cancel_interrupts_a_change_and_rolls_it_back(store_path: Path) -> None:
    cancel = threading.Event()
    job = JobContext(store_path, cancel, lambda fraction: None)
    store = job.store()
    ids = store.ids(ContactQuery())
    before = statuses(store_path)
    cancel.set()
    with pytest.raises(sqlite3.OperationalError, match="interrupt"):
        store.set_status(ids, "unsubscribed", "campagne arrêtée")
    assert statuses(store_path) == before and not store.connection.in_transaction
    # outside a transaction nothing is interrupted: the checkpoint that follows a committed
    # erasure is never reported as cancelled when it was too late to undo anything
    assert store.checkpoint() and store.count() == 5_000
    with pytest.raises(sqlite3.OperationalError, match="interrupt"):
        forget(store, "user000001@exemple.fr")
    assert store.get("user000001@exemple.fr") is not None
    job.close()


def test_an_import_store_is_not_interrupted(store_path: Path) -> None:
    cancel = threading.Event()
    cancel.set()
    job = JobContext(store_path, cancel, lambda fraction: None)
    store = job.store(interruptible=False)
    assert store.set_status(store.ids(ContactQuery())[:5], "unsubscribed", "test") == 5
    job.close()


def test_a_cancelled_worker_reports_cancelled_not_an_error(qtbot: QtBot, store_path: Path) -> None:
    started = threading.Event()

    def work(job: JobContext) -> int:
        store = job.store()
        ids = store.ids(ContactQuery())
        started.set()
        worker.cancel()  # as the Cancel button would, while the job runs
        return store.set_status(ids, "bounced", "test")

    worker = Worker(store_path, work)
    outcomes: list[str] = []
    worker.cancelled.connect(lambda: outcomes.append("cancelled"))
    worker.failed.connect(outcomes.append)
    worker.succeeded.connect(lambda result: outcomes.append(f"done {result}"))
    with qtbot.waitSignal(worker.finished, timeout=20_000):
        worker.start()
    assert started.is_set() and outcomes == ["cancelled"]
    assert "bounced" not in statuses(store_path)
