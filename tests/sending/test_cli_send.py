"""``bulletin send|resume|campaigns|run-due`` through editor.cli.run, against a real SMTP
server on 127.0.0.1 and, for passwords, a real keychain."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.cli import run
from editor.contacts.store import ContactStore
from editor.package import save
from editor.sending import secrets
from editor.sending.accounts import AccountBook
from editor.sending.campaigns import CampaignStore
from editor.starters import create
from tests.keychain import Keychain, keychain
from tests.sending.campaign_support import account, addresses, profile
from tests.smtp_server import SmtpServer, closed_port

__all__ = ["keychain"]


@pytest.fixture
def server() -> Iterator[SmtpServer]:
    with SmtpServer() as running:
        yield running


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "news.bulletin"
    save(create("monthly-en"), path)
    return path


def contacts(home: Path, n: int = 5) -> None:
    profile(home / "contacts.sqlite3", {"Readers": addresses(n)}).close()


def send(doc: Path, *extra: str) -> int:
    return run(["send", str(doc), "--list", "Readers", "--account", "local", *extra])


def test_send_yes_prints_the_id_and_campaigns_json(
    bulletin_home: Path, doc: Path, server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    contacts(bulletin_home)
    AccountBook().save(account(server.port))
    assert send(doc, "--yes") == 0
    out, err = capsys.readouterr()
    assert out.strip() == "1"
    assert "5 people will receive it" in err and "5 sent, 0 failed, 0 unknown, 0 left" in err
    assert sorted(Counter(server.recipients()).values()) == [1] * 5
    assert run(["campaigns", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 1
    assert set(listed[0]) == {"id", "subject", "status", "created", "counts"}
    assert listed[0]["id"] == 1 and listed[0]["status"] == "done"
    assert listed[0]["counts"] == {
        "queued": 0,
        "sending": 0,
        "sent": 5,
        "failed": 0,
        "unknown": 0,
        "skipped": 0,
    }
    assert run(["campaigns"]) == 0
    assert "5/5 sent" in capsys.readouterr().out


def test_without_yes_and_no_terminal_nothing_is_sent(
    bulletin_home: Path, doc: Path, server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    contacts(bulletin_home)
    AccountBook().save(account(server.port))
    assert send(doc) == 2
    assert "--yes" in capsys.readouterr().err
    assert server.messages == []
    with ContactStore() as store:
        assert CampaignStore(store.db).list() == []


@pytest.mark.parametrize(
    ("setup", "words"),
    [
        ("unknown_account", 'No account named "local"'),
        ("unreachable", "refused"),
        ("no_one", "No eligible recipient"),
    ],
)
def test_errors_exit_2_in_one_sentence(
    bulletin_home: Path,
    doc: Path,
    capsys: pytest.CaptureFixture[str],
    setup: str,
    words: str,
) -> None:
    contacts(bulletin_home)
    if setup == "unreachable":
        AccountBook().save(account(closed_port()))
    elif setup == "no_one":
        AccountBook().save(account(closed_port()))
        with ContactStore() as store:
            store.set_status([c.id for c in store.iter_contacts()], "unsubscribed", "t")
    assert send(doc, "--yes") == 2
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("bulletin: ") and words in last
    with ContactStore() as store:
        assert CampaignStore(store.db).list() == []


def test_at_schedules_then_run_due_sends(
    bulletin_home: Path, doc: Path, server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    contacts(bulletin_home, 3)
    AccountBook().save(account(server.port))
    assert send(doc, "--yes", "--at", "2099-01-05T18:30") == 0
    out, err = capsys.readouterr()
    assert out.strip() == "1" and "Scheduled for 2099-01-05 18:30" in err
    assert run(["run-due"]) == 0
    assert server.messages == []
    with ContactStore() as store:
        campaigns = CampaignStore(store.db)
        assert campaigns.get(1).status == "scheduled"
        store.connection.execute("UPDATE campaigns SET scheduled_at = '2020-01-01T00:00:00Z'")
    assert run(["run-due"]) == 0
    assert sorted(server.recipients()) == addresses(3)
    with ContactStore() as store:
        assert CampaignStore(store.db).get(1).status == "done"


def test_resume_and_resend_unknown(
    bulletin_home: Path, doc: Path, server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    contacts(bulletin_home, 4)
    AccountBook().save(account(server.port, connections=1))
    server.drop_messages = {2}
    assert send(doc, "--yes", "--json") == 0
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert (result["status"], result["sent"], result["unknown"]) == ("done", 3, 1)
    assert "--resend-unknown" in err
    assert run(["resume", "1"]) == 0
    assert "nothing left" in capsys.readouterr().err
    assert len(server.messages) == 3
    assert run(["resume", "1", "--resend-unknown"]) == 0
    assert sorted(server.recipients()) == addresses(4)
    assert run(["resume", "99"]) == 2
    assert "No campaign with id 99" in capsys.readouterr().err


def test_password_from_the_keychain_and_a_locked_one(
    keychain: Keychain,
    bulletin_home: Path,
    doc: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    contacts(bulletin_home, 2)
    password = "s3cret-campaign-9d1a"
    with SmtpServer(auth=("user", password)) as server:
        AccountBook().save(account(server.port, username="user"))
        secrets.set_password("local", password)
        assert send(doc, "--yes") == 0
        assert sorted(server.recipients()) == addresses(2)
        assert server.logins == ["user"] * 3  # the check, then each of the two workers
        keychain.lock()
        assert send(doc, "--yes") == 2
        assert "locked" in capsys.readouterr().err.splitlines()[-1]
        assert len(server.messages) == 2
    for path in bulletin_home.rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path


def test_run_due_leaves_a_campaign_another_process_is_sending(
    bulletin_home: Path, doc: Path, server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    from editor.sending.campaigns import CampaignLock

    contacts(bulletin_home, 2)
    AccountBook().save(account(server.port))
    assert send(doc, "--yes", "--at", "2099-01-05T18:30") == 0
    with ContactStore() as store:
        store.connection.execute("UPDATE campaigns SET scheduled_at = '2020-01-01T00:00:00Z'")
        lock = CampaignLock(store.db.path, 1)
    assert lock.acquire()  # as the app would while sending it
    try:
        assert run(["run-due"]) == 2
        assert "another Bulletin" in capsys.readouterr().err
        assert server.messages == []
    finally:
        lock.release()
    assert run(["run-due"]) == 0
    assert sorted(server.recipients()) == addresses(2)
