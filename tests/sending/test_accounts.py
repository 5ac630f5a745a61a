"""Account validation and the accounts file."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from editor.sending.accounts import Account, AccountBook, AccountError, is_loopback, valid_host


def good(**changes: object) -> Account:
    account = Account(
        name="Work",
        host="smtp.example.org",
        port=587,
        security="starttls",
        username="me@example.org",
        from_email="news@example.org",
        from_name="Marie",
    )
    return replace(account, **changes)  # type: ignore[arg-type]


def test_a_good_account_validates() -> None:
    good().validate()
    good(host="192.0.2.10").validate()
    good(host="[2001:db8::1]").validate()
    good(host="smtp.exemple-é.fr").validate()


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"name": " "}, "name"),
        ({"host": ""}, "server"),
        ({"host": "smtp example.org"}, "server"),
        ({"host": "-bad.example.org"}, "server"),
        ({"port": 0}, "port"),
        ({"port": 65536}, "port"),
        ({"security": "ssl"}, "security"),
        ({"from_email": ""}, "sender"),
        ({"from_email": "not-an-address"}, "not a valid"),
        ({"reply_to": "x@"}, "reply-to"),
        ({"envelope_from": "bounce@@example.org"}, "bounce"),
        ({"rate_per_minute": -1}, "whole numbers"),
        ({"daily_quota": -5}, "whole numbers"),
        ({"connections": 0}, "connections"),
        ({"connections": 11}, "connections"),
        ({"timeout": 0}, "timeout"),
    ],
)
def test_bad_values_are_refused_with_a_sentence(changes: dict[str, object], words: str) -> None:
    with pytest.raises(AccountError, match=words):
        good(**changes).validate()


@pytest.mark.parametrize(
    "field", ["name", "host", "username", "from_email", "from_name", "reply_to", "envelope_from"]
)
def test_no_line_break_anywhere(field: str) -> None:
    account = good()
    setattr(account, field, getattr(account, field) + "\r\nRCPT TO:<victim@example.com>")
    with pytest.raises(AccountError, match="one line"):
        account.validate()


def test_unencrypted_only_to_this_computer_unless_confirmed() -> None:
    for host in ("127.0.0.1", "127.3.4.5", "::1", "localhost", "LOCALHOST."):
        good(host=host, security="none").validate()
    with pytest.raises(AccountError, match="unencrypted"):
        good(host="smtp.example.org", security="none").validate()
    with pytest.raises(AccountError, match="unencrypted"):
        good(host="10.0.0.1", security="none").validate()
    good(host="smtp.example.org", security="none", insecure_confirmed=True).validate()


def test_loopback_and_host_helpers() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("[::1]") and is_loopback("localhost")
    assert not is_loopback("128.0.0.1") and not is_loopback("localhost.example.org")
    assert valid_host("a.b") and not valid_host("a..b") and not valid_host("a_b.example")


def test_book_saves_lists_replaces_and_removes(tmp_path: Path) -> None:
    book = AccountBook(tmp_path / "accounts.json")
    assert book.list() == []
    book.save(good())
    book.save(good(name="Another", port=465, security="tls"))
    assert [a.name for a in book.list()] == ["Another", "Work"]
    book.save(good(from_name="Changed"))
    assert book.get("Work").from_name == "Changed"
    assert len(book.list()) == 2
    book.remove("Another")
    assert book.names() == ["Work"]
    with pytest.raises(AccountError, match='No account named "Another"'):
        book.get("Another")
    with pytest.raises(AccountError, match="No account"):
        book.remove("Another")


def test_book_lives_in_the_data_folder(bulletin_home: Path) -> None:
    AccountBook().save(good())
    assert (bulletin_home / "accounts.json").exists()


def test_an_invalid_account_is_not_saved(tmp_path: Path) -> None:
    book = AccountBook(tmp_path / "accounts.json")
    with pytest.raises(AccountError):
        book.save(good(port=0))
    assert not (tmp_path / "accounts.json").exists()


def test_unknown_keys_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    data = {"version": 2, "accounts": [{**good().to_json(), "dkim_selector": "s1"}]}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert AccountBook(path).get("Work") == good()


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'{"accounts": 3}', b"[1, 2]", b'{"accounts": [1]}', b"\xff\xfe\x00"],
)
def test_a_damaged_file_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "accounts.json"
    path.write_bytes(content)
    with pytest.raises(AccountError, match="accounts file"):
        AccountBook(path).list()


def test_the_file_has_no_password_field(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    AccountBook(path).save(good())
    saved = json.loads(path.read_text(encoding="utf-8"))["accounts"][0]
    assert not any("pass" in key or "secret" in key or key == "key" for key in saved)
