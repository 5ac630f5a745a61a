"""The PHP endpoint for real, under ``php -S``: pixel, signed click redirect, refusals, export,
purge, and what its data file keeps (no IP address, no user agent, the hour only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from editor.tracking.endpoint import PLACEHOLDER, php_source, template
from editor.tracking.links import click_url, open_url, sign
from tests.tracking.php_server import SECRET, PhpEndpoint

TOKEN = "AbCdEfGhIjKlMnOpQrStUv"
TARGET = "https://boulangerie.example/pain?utm_source=newsletter&x=%C3%A9#top"
SCRIPT = "javascript:alert(1)"
OTHER = "another-secret-xyz"
BROKEN = "https://a.example/\r\nSet-Cookie: x=1"


@pytest.fixture
def endpoint(tmp_path: Path) -> Iterator[PhpEndpoint]:
    with PhpEndpoint(tmp_path / "site") as running:
        yield running


def export(
    endpoint: PhpEndpoint, since: int = 0, secret: str = SECRET
) -> tuple[int, list[dict[str, Any]]]:
    answer = endpoint.get(
        f"{endpoint.url}?export=1",
        data=f"since={since}".encode(),
        headers={"X-Bulletin-Secret": secret},
    )
    if answer.status != 200:
        return answer.status, []
    lines = [json.loads(line) for line in answer.body.decode().splitlines() if line.strip()]
    return answer.status, lines


def test_open_pixel_is_a_gif_and_logs_an_open(endpoint: PhpEndpoint) -> None:
    answer = endpoint.get(open_url(endpoint.url, TOKEN))
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "image/gif"
    assert answer.body.startswith(b"GIF89a") and len(answer.body) < 100
    assert "no-store" in answer.headers["Cache-Control"]
    status, events = export(endpoint)
    assert status == 200
    assert len(events) == 1
    (event,) = events
    assert (event["n"], event["k"], event["t"], event["l"]) == (1, "o", TOKEN, -1)
    assert event["at"].endswith(":00:00Z")  # the hour, never the exact time


def test_a_bad_token_still_gets_the_image_but_is_not_logged(endpoint: PhpEndpoint) -> None:
    answer = endpoint.query("o=" + quote("<script>"))
    assert answer.status == 200 and answer.body.startswith(b"GIF")
    assert export(endpoint)[1] == []


def test_signed_click_redirects_and_logs(endpoint: PhpEndpoint) -> None:
    answer = endpoint.get(click_url(endpoint.url, SECRET, TOKEN, 3, TARGET))
    assert answer.status == 302
    assert answer.headers["Location"] == TARGET
    _status, events = export(endpoint)
    assert [(e["k"], e["t"], e["l"]) for e in events] == [("c", TOKEN, 3)]


@pytest.mark.parametrize(
    "query",
    [
        # signature of another link number, URL or token
        f"c={TOKEN}&l=4&u={quote(TARGET, safe='')}&s={sign(SECRET, TOKEN, 3, TARGET)}",
        f"c={TOKEN}&l=3&u={quote('https://evil.example/', safe='')}"
        f"&s={sign(SECRET, TOKEN, 3, TARGET)}",
        f"c={'Z' * 22}&l=3&u={quote(TARGET, safe='')}&s={sign(SECRET, TOKEN, 3, TARGET)}",
        # signed with another secret
        f"c={TOKEN}&l=3&u={quote(TARGET, safe='')}&s={sign(OTHER, TOKEN, 3, TARGET)}",
        # no signature, an empty one
        f"c={TOKEN}&l=3&u={quote(TARGET, safe='')}",
        f"c={TOKEN}&l=3&u={quote(TARGET, safe='')}&s=",
        # a signed javascript: URL is refused all the same
        f"c={TOKEN}&l=3&u={quote(SCRIPT, safe='')}&s={sign(SECRET, TOKEN, 3, SCRIPT)}",
        # a signed URL with a header break in it
        f"c={TOKEN}&l=3&u={quote(BROKEN, safe='')}&s={sign(SECRET, TOKEN, 3, BROKEN)}",
    ],
)
def test_tampered_or_unsigned_clicks_are_refused(endpoint: PhpEndpoint, query: str) -> None:
    answer = endpoint.query(query)
    assert answer.status == 400
    assert "Location" not in answer.headers
    assert export(endpoint)[1] == []


def test_export_needs_the_secret(endpoint: PhpEndpoint) -> None:
    endpoint.get(open_url(endpoint.url, TOKEN))
    assert export(endpoint, secret="wrong-secret-wrong")[0] == 403
    assert endpoint.query("export=1").status == 403
    assert endpoint.query(f"export=1&secret={SECRET}").status == 403  # never in the URL
    # The secret as a POST field works as well as the header.
    answer = endpoint.get(f"{endpoint.url}?export=1", data=f"secret={SECRET}&since=0".encode())
    assert answer.status == 200 and TOKEN.encode() in answer.body


def test_export_since_a_cursor_in_pages_then_purge(endpoint: PhpEndpoint) -> None:
    for n in range(5):
        endpoint.get(click_url(endpoint.url, SECRET, TOKEN, n, TARGET))
    _status, events = export(endpoint, since=2)
    assert [e["n"] for e in events] == [3, 4, 5]
    answer = endpoint.get(
        f"{endpoint.url}?export=1",
        data=b"since=0&limit=2",
        headers={"X-Bulletin-Secret": SECRET},
    )
    assert [json.loads(x)["n"] for x in answer.body.decode().splitlines()] == [1, 2]
    purge = endpoint.get(
        f"{endpoint.url}?purge=1", data=b"upto=3", headers={"X-Bulletin-Secret": SECRET}
    )
    assert purge.status == 200 and json.loads(purge.body) == {"removed": 3}
    assert [e["n"] for e in export(endpoint)[1]] == [4, 5]
    # Numbers keep growing after a purge: a cursor never sees an old number again.
    endpoint.get(open_url(endpoint.url, TOKEN))
    assert [e["n"] for e in export(endpoint, since=5)[1]] == [6]
    assert endpoint.get(f"{endpoint.url}?purge=1", data=b"upto=9").status == 403


def test_data_file_keeps_no_ip_or_user_agent_and_is_not_served(endpoint: PhpEndpoint) -> None:
    endpoint.get(
        open_url(endpoint.url, TOKEN),
        headers={"User-Agent": "SpyAgent/1.0", "X-Forwarded-For": "203.0.113.9"},
    )
    endpoint.get(click_url(endpoint.url, SECRET, TOKEN, 0, TARGET))
    text = endpoint.data_file.read_text(encoding="utf-8")
    assert TOKEN in text
    for leak in ("127.0.0.1", "203.0.113.9", "SpyAgent", "Python-urllib"):
        assert leak not in text
    served = endpoint.get(f"http://127.0.0.1:{endpoint.port}/bulletin-track-data.php")
    assert served.status == 404 and TOKEN.encode() not in served.body


def test_unknown_requests_are_404(endpoint: PhpEndpoint) -> None:
    assert endpoint.get(endpoint.url).status == 404


def test_without_a_secret_it_refuses_clicks_and_exports(tmp_path: Path) -> None:
    with PhpEndpoint(tmp_path / "site") as running:
        (running.folder / "track.php").write_text(template(), encoding="utf-8")
        assert running.get(click_url(running.url, "", TOKEN, 0, TARGET)).status == 503
        assert export(running, secret="")[0] == 403


def test_php_source_fills_the_secret_once_and_refuses_quotes() -> None:
    text = php_source(SECRET)
    assert PLACEHOLDER not in text and f"const BULLETIN_SECRET = '{SECRET}';" in text
    assert PLACEHOLDER in template()
    from editor.tracking import TrackingError

    with pytest.raises(TrackingError):
        php_source("it's-a-secret-0123")


def test_a_purge_naming_tokens_keeps_other_readers_events_for_30_days(
    endpoint: PhpEndpoint,
) -> None:
    mine, other, old = TOKEN, "other-profile-token-0001", "other-profile-token-0002"
    for token in (mine, other, old, mine):
        endpoint.get(open_url(endpoint.url, token))
    # Event 3 happened 31 days ago: age the hour written in the data file.
    data = endpoint.data_file.read_text(encoding="utf-8")
    lines = data.split("\n")
    aged = [
        line.replace(json.loads(line)["at"], "2000-01-01T00:00:00Z") if old in line else line
        for line in lines
    ]
    endpoint.data_file.write_text("\n".join(aged), encoding="utf-8")
    purge = endpoint.get(
        f"{endpoint.url}?purge=1",
        data=f"upto=3&tokens={mine}%0Anot%20a%20token".encode(),
        headers={"X-Bulletin-Secret": SECRET},
    )
    assert purge.status == 200 and json.loads(purge.body) == {"removed": 2}
    # Event 1 (named) and 3 (old) are gone; 2 (another reader's, recent) and 4 (after upto) stay.
    assert [(e["n"], e["t"]) for e in export(endpoint)[1]] == [(2, other), (4, mine)]
