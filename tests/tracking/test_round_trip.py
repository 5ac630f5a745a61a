"""The whole path for real: setup (secret in the keychain), a campaign sent through the runner
to the test SMTP server, readers opening and clicking through the PHP endpoint under
``php -S``, ``fetch`` into the database, the report's aggregates, and erasure."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from editor.contacts.privacy import export_person, forget, person_csv
from editor.reports import campaign_report, report_html, summary_lines, write_csv
from editor.tracking import aggregates, settings
from editor.tracking.aggregates import figures
from editor.tracking.fetch import fetch
from tests.keychain import Keychain, keychain
from tests.smtp_server import SmtpServer
from tests.tracking.php_server import SECRET, PhpEndpoint
from tests.tracking.support import (
    CONSENTING,
    READERS,
    Sent,
    hrefs,
    html_of,
    measured_profile,
    params,
    send,
)

__all__ = ["keychain"]


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[PhpEndpoint]:
    with PhpEndpoint(tmp_path / "site") as running:
        yield running


@pytest.fixture(autouse=True)
def small_groups_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Three consenting readers keep the round trip readable; the report would withhold totals
    that small (tests/test_reports.py tests that), so the floor is lowered here."""
    monkeypatch.setattr(aggregates, "MIN_GROUP", 1)


@pytest.fixture
def sent(tmp_path: Path, keychain: Keychain, endpoint: PhpEndpoint) -> Iterator[Sent]:
    settings.setup(endpoint.url, SECRET)  # http is accepted on this computer only
    store = measured_profile(tmp_path / "c.sqlite3")
    with store, SmtpServer() as server:
        yield send(store, server)


def wrapped(sent: Sent, email: str, endpoint: PhpEndpoint) -> list[str]:
    return [h for h in hrefs(html_of(sent.messages[email])) if h.startswith(endpoint.url)]


def pixel(sent: Sent, email: str, endpoint: PhpEndpoint) -> str:
    page = html_of(sent.messages[email])
    start = page.index(f'src="{endpoint.url}?o=') + len('src="')
    return page[start : page.index('"', start)]


def test_opens_and_clicks_come_back_as_aggregates(sent: Sent, endpoint: PhpEndpoint) -> None:
    for email in READERS:
        is_measured = email in CONSENTING
        assert bool(wrapped(sent, email, endpoint)) is is_measured
        assert (f"{endpoint.url}?o=".encode() in sent.messages[email]) is is_measured
    first, second, _third = CONSENTING
    # Reader one opens twice, clicks link 0 twice and link 1 once; reader two only opens.
    for _ in range(2):
        assert endpoint.get(pixel(sent, first, endpoint)).status == 200
    links = wrapped(sent, first, endpoint)
    for link in (links[0], links[0], links[1]):
        answer = endpoint.get(link)
        assert answer.status == 302 and answer.headers["Location"] == params(link)["u"]
    endpoint.get(pixel(sent, second, endpoint))
    # A forged click (reader two's token, reader one's signature) is refused by the endpoint.
    token_two = params(wrapped(sent, second, endpoint)[0])["c"]
    assert endpoint.get(links[0].replace(params(links[0])["c"], token_two)).status == 400

    result = fetch(sent.store.db, endpoint.url, SECRET)
    assert (result.read, result.stored, result.ignored, result.purged) == (6, 6, 0, True)
    assert endpoint.data_file.read_text().count('"n"') == 0  # forgotten on the server
    again = fetch(sent.store.db, endpoint.url, SECRET)
    assert (again.read, again.stored) == (0, 0)

    m = figures(sent.store.db, sent.campaign_id)
    assert m is not None
    assert (m.measured, m.unique_opens, m.unique_clicks) == (3, 2, 1)
    assert m.open_rate == pytest.approx(2 / 3) and m.click_rate == pytest.approx(1 / 3)
    by_index = {link.index: (link.clicks, link.unique_clicks) for link in m.links}
    assert by_index[0] == (2, 1) and by_index[1] == (1, 1)
    assert len(m.links) == 4 and all(v == (0, 0) for k, v in by_index.items() if k > 1)
    assert m.links[0].url == params(links[0])["u"]  # the link as written (no merge tag here)

    report = campaign_report(sent.store.db, sent.campaign_id)
    data = report.to_json()
    assert data["measurement"]["measured"] == 3
    assert data["measurement"]["unique_opens"] == 2
    assert data["measurement"]["links"][0]["clicks"] == 2
    labels = dict(summary_lines(report))
    assert labels["Measured (consenting recipients)"] == "3"
    assert labels["Unique opens"].startswith("2 (66.67")
    page = report_html(report)
    assert "Measured among 3 consenting recipients" in page

    # Nothing about a person in the report's JSON or CSV: no address, no token, no open.
    tokens = {params(wrapped(sent, e, endpoint)[0])["c"] for e in CONSENTING}
    text = json.dumps(data["measurement"])
    assert not any(t in text for t in tokens) and "@" not in text
    out = io.StringIO()
    write_csv(sent.store.db, sent.campaign_id, out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert len(rows[0]) == 11 and not any(
        "open" in h.lower() or "click" in h.lower() for h in rows[0]
    )
    assert not any(t in out.getvalue() for t in tokens)


def test_erasure_removes_the_persons_measurement(sent: Sent, endpoint: PhpEndpoint) -> None:
    first = CONSENTING[0]
    endpoint.get(pixel(sent, first, endpoint))
    endpoint.get(wrapped(sent, first, endpoint)[2])
    fetch(sent.store.db, endpoint.url, SECRET, purge=False)
    before = figures(sent.store.db, sent.campaign_id)
    assert before is not None and (before.measured, before.unique_opens) == (3, 1)

    forget(sent.store, first)
    conn = sent.store.db.connection
    for table in ("tracking_consent", "tracking_deliveries", "tracking_hits"):
        n = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        assert n == {"tracking_consent": 2, "tracking_deliveries": 2, "tracking_hits": 0}[table]
    after = figures(sent.store.db, sent.campaign_id)
    assert after is not None
    assert (after.measured, after.unique_opens, after.unique_clicks) == (2, 0, 0)
    # Reading the endpoint's old events again finds no one to tie them to.
    conn.execute("DELETE FROM tracking_cursor")
    again = fetch(sent.store.db, endpoint.url, SECRET)
    assert (again.read, again.stored, again.ignored) == (2, 0, 2)


def test_the_persons_access_export_shows_their_measurement(
    sent: Sent, endpoint: PhpEndpoint
) -> None:
    """Right of access (GDPR art. 15): the consent record, the messages measured and the opens
    and clicks counted are in the person's export; someone who did not consent has none."""
    first = CONSENTING[0]
    endpoint.get(pixel(sent, first, endpoint))
    endpoint.get(wrapped(sent, first, endpoint)[0])
    fetch(sent.store.db, endpoint.url, SECRET)
    data = export_person(sent.store, first)["measurement"]
    assert data["consent"]["given_at"] and data["consent"]["withdrawn_at"] is None
    assert data["measured_messages"] == 1
    kinds = sorted((e["kind"], e["count"]) for e in data["events"])
    assert kinds == [("click", 1), ("open", 1)]
    click = next(e for e in data["events"] if e["kind"] == "click")
    assert click["link"] and click["campaign"]
    text = person_csv(export_person(sent.store, first)).decode("utf-8-sig")
    assert "Consent to open and click measurement" in text and "clicked" in text
    other = next(r for r in READERS if r not in CONSENTING)
    assert export_person(sent.store, other)["measurement"] == {
        "consent": None,
        "measured_messages": 0,
        "events": [],
    }


def test_the_secret_is_in_no_file_of_the_data_folder(sent: Sent, bulletin_home: Path) -> None:
    assert settings.get_secret() == SECRET
    assert settings.load().url.startswith("http://127.0.0.1:")
    sent.store.db.checkpoint()
    files = [*bulletin_home.rglob("*"), *sent.store.db.path.parent.glob("c.sqlite3*")]
    assert any(p.name == "tracking.json" for p in files)
    for path in files:
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_two_profiles_sharing_an_endpoint_each_get_their_own_events(
    sent: Sent, endpoint: PhpEndpoint, tmp_path: Path
) -> None:
    """A fetch forgets on the server only what its profile recognised: the other profile's
    opens wait there (30 days at most) and its own fetch still counts them."""
    with measured_profile(tmp_path / "other.sqlite3") as other_store, SmtpServer() as server:
        other = send(other_store, server)
        first, second, _third = CONSENTING
        endpoint.get(pixel(sent, first, endpoint))
        endpoint.get(pixel(other, first, endpoint))
        endpoint.get(pixel(other, second, endpoint))

        mine = fetch(sent.store.db, endpoint.url, SECRET)
        assert (mine.read, mine.stored, mine.ignored, mine.purged) == (3, 1, 2, True)
        assert endpoint.data_file.read_text().count('"n"') == 2  # the other profile's, kept

        theirs = fetch(other_store.db, endpoint.url, SECRET)
        assert (theirs.read, theirs.stored, theirs.ignored, theirs.purged) == (2, 2, 0, True)
        assert endpoint.data_file.read_text().count('"n"') == 0
        m = figures(other_store.db, other.campaign_id)
        assert m is not None and m.unique_opens == 2
