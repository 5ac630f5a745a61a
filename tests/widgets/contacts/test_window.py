"""The contacts window: lists, search and filters, selection actions, GDPR tools, export."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from editor.contacts.store import Basis, ContactInput, ContactQuery, ContactStore
from editor.tracking.consent import consenting_count, record
from widgets.contacts import prompts
from widgets.contacts.contact_dialog import ContactDialog
from widgets.contacts.table_model import EMAIL, LISTS, STATUS
from widgets.contacts.window import ContactsWindow

pytestmark = pytest.mark.gui

JOB_TIMEOUT_MS = 20_000


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """QMessageBox.question answers Yes (No after ``answers.no = True``); the questions asked
    are recorded as (title, text)."""

    class Recorder(list[tuple[str, str]]):
        no = False

    recorder = Recorder()

    def record(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        recorder.append((title, text))
        return QMessageBox.StandardButton.No if recorder.no else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(record))
    return recorder


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text: shown.append(text))
    return shown


def wait_idle(qtbot: QtBot, window: ContactsWindow) -> None:
    qtbot.waitUntil(lambda: not window.tracker.busy(), timeout=JOB_TIMEOUT_MS)
    qtbot.wait(10)  # deliver the job's last signals


def row_of(window: ContactsWindow, email: str) -> int:
    for row in range(window.model.rowCount()):
        if window.model.data(window.model.index(row, EMAIL)) == email:
            return row
    raise AssertionError(email)


def test_window_shows_lists_and_contacts(window: ContactsWindow) -> None:
    assert window.model.rowCount() == 300
    tree = window.lists_panel.tree
    names = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert names == ["All contacts", "Clients", "Lettre mensuelle", "Salon Maison & Jardin 2025"]
    assert tree.topLevelItem(0).text(1) == "300"
    assert window.count_label.text() == "300 contacts"
    window.lists_panel.select_list(window.store.list_id("Clients"))
    assert window.model.rowCount() == 100
    assert window.model.query.list_id == window.store.list_id("Clients")
    window.lists_panel.select_list(None)
    assert window.model.rowCount() == 300


def test_search_is_debounced_and_filters_combine(qtbot: QtBot, window: ContactsWindow) -> None:
    window.search.setText("martin")
    assert window.model.rowCount() == 300  # not yet: the user may still be typing
    qtbot.waitUntil(lambda: window.model.rowCount() < 300, timeout=2000)
    found = window.model.rowCount()
    assert found == window.store.count(ContactQuery(search="martin"))
    window.status_filter.setCurrentIndex(window.status_filter.findData("unsubscribed"))
    assert window.model.rowCount() == window.store.count(
        ContactQuery(search="martin", status="unsubscribed")
    )
    window.search.clear()
    window.apply_query()
    assert window.model.rowCount() == window.store.count(ContactQuery(status="unsubscribed"))
    window.basis_filter.setCurrentIndex(window.basis_filter.findData("customer"))
    assert window.model.rowCount() == window.store.count(
        ContactQuery(status="unsubscribed", basis="customer")
    )
    window.status_filter.setCurrentIndex(0)
    window.basis_filter.setCurrentIndex(0)
    assert window.model.rowCount() == 300


def test_header_clicks_sort_and_the_lists_column_does_not(
    qtbot: QtBot, window: ContactsWindow
) -> None:
    header = window.table.horizontalHeader()
    first = window.model.data(window.model.index(0, EMAIL))

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click(EMAIL)  # ascending → descending
    assert window.model.query.descending
    assert window.model.data(window.model.index(0, EMAIL)) != first
    click(STATUS)
    assert window.model.query.sort == "status"
    click(LISTS)
    assert window.model.query.sort == "status"
    assert header.sortIndicatorSection() == STATUS


def test_forget_asks_and_removes_the_row(
    qtbot: QtBot, window: ContactsWindow, answers: Any
) -> None:
    email = window.model.data(window.model.index(3, EMAIL))
    window.select_rows(3)
    assert window.forget_action.isEnabled()
    answers.no = True
    window.forget_action.trigger()
    assert len(answers) == 1 and "cannot be undone" in answers[0][1]
    assert window.store.get(email) is not None and window.model.rowCount() == 300
    answers.no = False
    window.forget_action.trigger()
    assert window.store.get(email) is None
    assert window.store.is_suppressed(email)  # never imported again
    assert window.model.rowCount() == 299
    assert email not in [
        window.model.data(window.model.index(r, EMAIL)) for r in range(window.model.rowCount())
    ]
    assert window.lists_panel.tree.topLevelItem(0).text(1) == "299"


def test_unsubscribe_and_resubscribe_keep_the_reason(
    qtbot: QtBot, window: ContactsWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.status_filter.setCurrentIndex(window.status_filter.findData("subscribed"))
    ids = window.model.ids_in_rows([(0, 2)])
    window.select_rows(0, 2)
    assert window.unsubscribe_action.isEnabled() and not window.edit_action.isEnabled()
    reasons = iter(["Demande par téléphone", None, "Redemandé au salon"])
    monkeypatch.setattr(prompts, "ask_reason", lambda *args: next(reasons))
    window.unsubscribe_action.trigger()
    wait_idle(qtbot, window)
    for contact_id in ids:
        contact = window.store.get_by_id(contact_id)
        assert contact is not None and contact.status == "unsubscribed"
        last = window.store.history(contact_id)[-1]
        assert (last.kind, last.new, last.reason) == (
            "status",
            "unsubscribed",
            "Demande par téléphone",
        )
    assert window.store.count(ContactQuery(status="subscribed")) == (
        window.model.rowCount()  # the filtered table follows
    )
    # Cancelling the reason changes nothing.
    window.status_filter.setCurrentIndex(window.status_filter.findData("unsubscribed"))
    window.select_rows(0, window.model.rowCount() - 1)
    before = window.model.rowCount()
    window.resubscribe_action.trigger()
    wait_idle(qtbot, window)
    assert window.model.rowCount() == before
    window.select_rows(0)
    first = window.model.ids_in_rows([(0, 0)])[0]
    window.resubscribe_action.trigger()
    wait_idle(qtbot, window)
    contact = window.store.get_by_id(first)
    assert contact is not None and contact.status == "subscribed"
    assert window.store.history(first)[-1].reason == "Redemandé au salon"
    assert not window.store.is_suppressed(contact.email)


def test_consent_to_measurement_is_recorded_with_its_proof_and_withdrawn(
    qtbot: QtBot, window: ContactsWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = window.model.ids_in_rows([(0, 1)])
    window.select_rows(0, 1)
    assert window.measure_consent_action.isEnabled()
    assert window.measure_consent_action in window.privacy_menu.actions()
    proofs = iter([None, "Case cochée au salon du 4 mars"])
    monkeypatch.setattr(prompts, "ask_reason", lambda *args: next(proofs))
    window.measure_consent_action.trigger()  # no proof given: nothing recorded
    wait_idle(qtbot, window)
    emails = [window.store.get_by_id(i).email for i in ids]  # type: ignore[union-attr]
    assert all(record(window.store.db, e) is None for e in emails)
    window.measure_consent_action.trigger()
    wait_idle(qtbot, window)
    for email in emails:
        found = record(window.store.db, email)
        assert found is not None and found.active
        assert found.proof == "Case cochée au salon du 4 mars"
    assert consenting_count(window.store.db) == 2
    window.select_rows(0)
    window.measure_withdraw_action.trigger()
    wait_idle(qtbot, window)
    assert consenting_count(window.store.db) == 1
    withdrawn = record(window.store.db, emails[0])
    assert withdrawn is not None and not withdrawn.active and withdrawn.withdrawn_at


def test_add_to_and_remove_from_a_list(qtbot: QtBot, window: ContactsWindow) -> None:
    target = window.store.create_list("VIP")
    window.refresh()
    ids = window.model.ids_in_rows([(10, 14)])
    window.select_rows(10, 14)
    window.add_to_list(target)
    wait_idle(qtbot, window)
    assert window.store.count(ContactQuery(list_id=target)) == 5
    assert "VIP" in window.model.data(window.model.index(10, LISTS))
    vip = next(i for i in window.lists_panel.lists() if i.name == "VIP")
    assert vip.count == 5
    window.select_rows(10, 11)
    window.remove_from_list(target)
    wait_idle(qtbot, window)
    assert set(window.store.ids(ContactQuery(list_id=target))) == set(ids[2:])


def test_list_menus_offer_every_list(window: ContactsWindow) -> None:
    window.select_rows(0)
    window.add_menu.aboutToShow.emit()
    texts = [a.text() for a in window.add_menu.actions() if a.text()]
    assert texts[:3] == [
        "Clients (100)",
        "Lettre mensuelle (130)",
        "Salon Maison & Jardin 2025 (100)",
    ]
    assert texts[-1] == "New list…"


def test_lists_panel_creates_renames_and_deletes(
    window: ContactsWindow, monkeypatch: pytest.MonkeyPatch, answers: Any, errors: list[str]
) -> None:
    panel = window.lists_panel
    names = iter(["Bénévoles", "clients", "Bénévoles 2026"])
    monkeypatch.setattr(prompts, "ask_text", lambda *args: next(names))
    panel.new_button.click()
    assert panel.current_name() == "Bénévoles" and window.model.rowCount() == 0
    assert window.placeholder.isVisible() and "No contact matches" in window.placeholder.text()
    panel.rename_button.click()  # « clients » exists already (case-insensitively)
    assert errors and "Clients" in errors[-1]
    panel.rename_button.click()
    assert panel.current_name() == "Bénévoles 2026"
    panel.delete_button.click()
    assert answers and "Bénévoles 2026" in answers[-1][1]
    assert panel.current_list() is None and window.model.rowCount() == 300
    assert "Bénévoles 2026" not in [info.name for info in panel.lists()]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_a_list_in_the_background(
    qtbot: QtBot,
    window: ContactsWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    suffix: str,
) -> None:
    out = tmp_path / f"clients{suffix}"
    monkeypatch.setattr(prompts, "save_path", lambda *args: out)
    window.lists_panel.select_list(window.store.list_id("Clients"))
    window.lists_panel.export_button.click()
    wait_idle(qtbot, window)
    assert out.exists()
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle, delimiter=","))
    else:
        book = load_workbook(out, read_only=True)
        rows = [list(row) for row in book.active.iter_rows(values_only=True)]
        book.close()
    assert rows[0][0] == "Email" and len(rows) == 101
    assert "exported" in window.statusBar().currentMessage()


def test_export_refused_is_a_message(
    qtbot: QtBot,
    window: ContactsWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    errors: list[str],
) -> None:
    monkeypatch.setattr(prompts, "save_path", lambda *args: tmp_path / "contacts.pdf")
    window.export_list(None)
    wait_idle(qtbot, window)
    assert errors and ".csv" in errors[-1]
    assert not (tmp_path / "contacts.pdf").exists()


def test_export_this_persons_data(
    window: ContactsWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = window.model.data(window.model.index(0, EMAIL))
    window.select_rows(0)
    shown: list[str] = []
    folder = tmp_path / "access-request"
    monkeypatch.setattr(prompts, "choose_folder", lambda *args: folder)
    monkeypatch.setattr(prompts, "info", lambda parent, title, text: shown.append(text))
    window.person_export_action.trigger()
    files = sorted(p.suffix for p in folder.iterdir())
    assert files == [".csv", ".json"]
    assert shown and email in shown[0]


def test_purge_previews_then_erases_only_after_confirmation(
    qtbot: QtBot, window: ContactsWindow, answers: Any
) -> None:
    old = [ContactInput(f"ancien{i}@exemple.fr", "Ancien", str(i)) for i in range(4)]
    window.store.upsert_many(old, list_id=None, basis=Basis("consent"), now="2019-01-01T00:00:00Z")
    window.refresh()
    dialog = window.purge_dialog()
    dialog.days.setValue(365)
    dialog.basis.setCurrentIndex(0)  # any basis
    dialog.search()
    qtbot.waitUntil(lambda: bool(dialog.found), timeout=JOB_TIMEOUT_MS)
    assert sorted(c.email for c in dialog.found) == sorted(c.email for c in old)
    assert dialog.table.model().rowCount() == 4
    assert window.store.count() == 304  # a preview deletes nothing
    assert dialog.erase_button.isEnabled() and "4 contacts" in dialog.erase_button.text()
    answers.no = True
    dialog.erase()
    assert window.store.count() == 304
    answers.no = False
    with qtbot.waitSignal(dialog.purged, timeout=JOB_TIMEOUT_MS) as blocker:
        dialog.erase()
    assert blocker.args == [4]
    assert "cannot be undone" in answers[-1][1]
    assert window.store.count() == 300 and window.model.rowCount() == 300
    assert window.store.is_suppressed("ancien0@exemple.fr")
    assert not dialog.erase_button.isEnabled()


def test_contact_dialog_edits_fields_basis_and_shows_history(
    window: ContactsWindow, errors: list[str]
) -> None:
    contact = window.store.page(ContactQuery(basis="customer"), 0, 1)[0]
    dialog = ContactDialog(window.store, contact, window)
    history = dialog.history
    assert history.topLevelItemCount() >= 1
    assert history.topLevelItem(history.topLevelItemCount() - 1).text(1).startswith("imported")
    dialog.first_name.setText("Anne-Sophie")
    dialog._add_field_row("religion", "catholique")
    assert "religion" in dialog.warnings.text()
    dialog.basis.setCurrentIndex(dialog.basis.findData("consent"))
    dialog.proof.setText("Case cochée le 3 mars")
    dialog.save()
    assert dialog.result() == ContactDialog.DialogCode.Accepted
    stored = window.store.get_by_id(contact.id)
    assert stored is not None
    assert stored.first_name == "Anne-Sophie" and stored.fields["religion"] == "catholique"
    assert (stored.basis, stored.basis_proof) == ("consent", "Case cochée le 3 mars")
    kinds = [event.kind for event in window.store.history(contact.id)]
    assert kinds[-2:] == ["edited", "basis"]

    # The store's refusal keeps the dialog open with its message.
    other = window.store.page(ContactQuery(), 5, 1)[0]
    dialog = ContactDialog(window.store, stored, window)
    dialog.email.setText(other.email.upper())
    dialog.save()
    assert errors and "already" in errors[-1]
    assert dialog.result() != ContactDialog.DialogCode.Accepted
    dialog.email.setText("pas une adresse")
    dialog.save()
    assert "refused" in errors[-1]


def test_new_contact_needs_a_basis(window: ContactsWindow) -> None:
    list_id = window.store.list_id("Clients")
    dialog = ContactDialog(window.store, None, window, list_id=list_id)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    dialog.email.setText("nouvelle@exemple.fr")
    assert not ok.isEnabled()
    dialog.basis.setCurrentIndex(dialog.basis.findData("professional"))
    assert ok.isEnabled()
    dialog.save()
    created = window.store.get("nouvelle@exemple.fr")
    assert created is not None and created.lists == ["Clients"]
    assert created.basis == "professional" and dialog.contact_id == created.id


def test_empty_database_invites_to_paste(qtbot: QtBot, empty_store_path: Path) -> None:
    window = ContactsWindow(empty_store_path)
    qtbot.addWidget(window)
    window.show()
    assert window.model.rowCount() == 0
    assert window.placeholder.isVisible() and "Ctrl+V" in window.placeholder.text()
    assert not window.edit_action.isEnabled() and not window.forget_action.isEnabled()


def test_closing_the_window_closes_its_store(qtbot: QtBot, store_path: Path) -> None:
    window = ContactsWindow(store_path)
    qtbot.addWidget(window)
    window.show()
    window.close()
    with ContactStore(store_path) as store:  # nothing left locked
        assert store.count() == 300


def test_a_cancelled_export_leaves_no_file(store_path: Path, tmp_path: Path) -> None:
    import threading

    from editor.contacts.export import export_contacts
    from widgets.contacts.window import _ExportStore
    from widgets.contacts.workers import Cancelled, JobContext

    cancel = threading.Event()
    seen: list[float] = []
    job = JobContext(store_path, cancel, seen.append)
    out = tmp_path / "out" / "contacts.csv"
    out.parent.mkdir()
    store = job.store(lambda path: _ExportStore(path, job, 300))
    assert export_contacts(store, out) == 300 and seen[0] == 0.0
    out.unlink()
    cancel.set()
    with pytest.raises(Cancelled):
        export_contacts(store, out)
    assert list(out.parent.iterdir()) == []  # neither the file nor its temporary
    job.close()
