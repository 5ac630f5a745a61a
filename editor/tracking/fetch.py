"""Reading the events back from the user's endpoint into the profile database.

``POST ENDPOINT?export=1`` (the secret in the ``X-Bulletin-Secret`` header, ``since`` the last
event number already stored) answers JSON lines ``{"n", "k": "o"|"c", "t": token, "l": link,
"at": hour}``, a page at a time. Each page is stored in one transaction together with the new
cursor, so an interrupted fetch resumes where it stopped and never counts an event twice. Then,
unless asked to keep them, ``?purge=1&upto=N&tokens=…`` tells the endpoint to forget what this
profile recognised in that page (data minimisation: the server keeps nothing it no longer
needs). Naming the tokens keeps another profile's events on an endpoint two profiles share: the
endpoint forgets those only once they are 30 days old, time enough for their reader's fetch.

An event whose token is unknown (another profile's, a person since erased, a guess) or whose
link is not one of its campaign's is skipped and counted as ignored. The network side is
bounded: a timeout on every request, at most :data:`MAX_PAGE_BYTES` read per answer, at most
:data:`MAX_PAGES` pages per fetch; redirects are refused (they would carry the secret
elsewhere).
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from editor.contacts.db import Database
from editor.i18n import _
from editor.tracking import TrackingError

TIMEOUT = 20.0
PAGE = 5000
MAX_PAGE_BYTES = 8 * 1024 * 1024
MAX_PAGES = 1000
MAX_LINK = 9999
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_HOUR = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}")
_KINDS = {"o": "open", "c": "click"}


@dataclass(frozen=True, slots=True)
class Event:
    """One line of the endpoint's export."""

    number: int
    kind: str  # "open" | "click"
    token: str
    link: int  # -1 for an open
    hour: str  # "2026-03-02T09:00:00Z"


@dataclass
class FetchResult:
    """What a fetch did: events read, stored (counted), ignored, and the new cursor."""

    read: int = 0
    stored: int = 0
    ignored: int = 0
    cursor: int = 0
    purged: bool = False
    purge_error: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "read": self.read,
            "stored": self.stored,
            "ignored": self.ignored,
            "cursor": self.cursor,
            "purged": self.purged,
            "purge_error": self.purge_error,
        }


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> None:
        raise TrackingError(
            _(
                "The endpoint answered with a redirection to {url}: set up its final address "
                "(bulletin tracking setup) instead."
            ).format(url=newurl)
        )


_opener = urllib.request.build_opener(_NoRedirect)


def _post(url: str, secret: str, fields: dict[str, str], query: str, timeout: float) -> bytes:
    """POST ``fields`` to ``url?query`` with the secret; the answer, at most MAX_PAGE_BYTES."""
    data = urllib.parse.urlencode(fields).encode("ascii")
    request = urllib.request.Request(  # noqa: S310 (the address was checked: http(s) only)
        f"{url}?{query}",
        data=data,
        headers={"X-Bulletin-Secret": secret, "User-Agent": "Bulletin"},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            body: bytes = response.read(MAX_PAGE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise TrackingError(_http_sentence(url, exc.code)) from None
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise TrackingError(
            _("Could not reach the measurement endpoint {url}: {reason}.").format(
                url=url, reason=reason
            )
        ) from None
    if len(body) > MAX_PAGE_BYTES:
        raise TrackingError(
            _("The endpoint's answer is too large (over {mb} MB).").format(
                mb=MAX_PAGE_BYTES // (1024 * 1024)
            )
        )
    return body


def _http_sentence(url: str, code: int) -> str:
    if code in (401, 403):
        return _(
            "The endpoint {url} refused the secret: upload the file printed by "
            "bulletin tracking endpoint again, or set up the right secret."
        ).format(url=url)
    if code == 404:
        return _(
            "No measurement endpoint answers at {url}: upload the file printed by "
            "bulletin tracking endpoint there."
        ).format(url=url)
    return _("The measurement endpoint {url} answered with an error (HTTP {code}).").format(
        url=url, code=code
    )


def parse_page(body: bytes, url: str = "") -> tuple[list[Event], int, int]:
    """The valid events of one answer, the highest number seen and how many lines were bad.

    A line that is not an event of ours is skipped (counted), never fatal: one damaged line
    must not block the others. An answer that is not text at all is an error.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TrackingError(
            _("The answer of {url} is not the expected list of events.").format(url=url)
        ) from exc
    events: list[Event] = []
    highest = 0
    bad = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            if not events and highest == 0 and bad == 0 and line.lstrip().startswith("<"):
                raise TrackingError(  # an HTML page: not our endpoint
                    _("The answer of {url} is not the expected list of events.").format(url=url)
                ) from None
            bad += 1
            continue
        event = _event(item)
        if isinstance(item, dict) and isinstance(item.get("n"), int):
            highest = max(highest, int(item["n"]))
        if event is None:
            bad += 1
        else:
            events.append(event)
    return events, highest, bad


def _event(item: object) -> Event | None:
    if not isinstance(item, dict):
        return None
    number, kind, token, link, at = (item.get(k) for k in ("n", "k", "t", "l", "at"))
    if not isinstance(number, int) or isinstance(number, bool) or number <= 0:
        return None
    if kind not in _KINDS or not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    if not isinstance(link, int) or isinstance(link, bool) or not -1 <= link <= MAX_LINK:
        return None
    if (kind == "o") != (link == -1):
        return None
    if not isinstance(at, str) or not _HOUR.match(at):
        return None
    return Event(number, _KINDS[kind], token, link, at[:13] + ":00:00Z")


def cursor(db: Database, endpoint: str) -> int:
    row = db.connection.execute(
        "SELECT cursor FROM tracking_cursor WHERE endpoint = ?", (endpoint,)
    ).fetchone()
    return 0 if row is None else int(row[0])


def store(
    db: Database,
    endpoint: str,
    events: list[Event],
    highest: int,
    recognised: set[str] | None = None,
) -> tuple[int, int]:
    """Count ``events`` and move the cursor to ``highest``, in one transaction.

    Returns (stored, ignored). Events at or below the cursor already stored are skipped, so a
    page read twice counts once. ``recognised`` collects the tokens of this profile's
    deliveries among them (what the purge may name).
    """
    stored = ignored = 0
    with db.transaction() as conn:
        done = cursor(db, endpoint)
        for event in events:
            if event.number <= done:
                continue
            row = conn.execute(
                "SELECT delivery_id, campaign_id FROM tracking_deliveries WHERE token = ?",
                (event.token,),
            ).fetchone()
            if row is None:
                ignored += 1
                continue
            if recognised is not None:
                recognised.add(event.token)
            delivery_id, campaign_id = int(row[0]), int(row[1])
            if event.kind == "click" and (
                conn.execute(
                    "SELECT 1 FROM tracking_links WHERE campaign_id = ? AND link = ?",
                    (campaign_id, event.link),
                ).fetchone()
                is None
            ):
                ignored += 1
                continue
            conn.execute(
                "INSERT INTO tracking_hits (delivery_id, kind, link, first_at, hits)"
                " VALUES (?, ?, ?, ?, 1) ON CONFLICT (delivery_id, kind, link) DO UPDATE"
                " SET hits = hits + 1, first_at = min(first_at, excluded.first_at)",
                (delivery_id, event.kind, event.link, event.hour),
            )
            stored += 1
        if highest > done:
            conn.execute(
                "INSERT INTO tracking_cursor (endpoint, cursor) VALUES (?, ?)"
                " ON CONFLICT (endpoint) DO UPDATE SET cursor = excluded.cursor",
                (endpoint, highest),
            )
    return stored, ignored


def fetch(
    db: Database,
    endpoint: str,
    secret: str,
    *,
    purge: bool = True,
    timeout: float = TIMEOUT,
    page: int = PAGE,
    progress: Callable[[FetchResult], None] | None = None,
) -> FetchResult:
    """Read every new event from ``endpoint`` and count it (see the module doc)."""
    result = FetchResult(cursor=cursor(db, endpoint))
    purging = purge
    for _page in range(MAX_PAGES):
        since = cursor(db, endpoint)
        body = _post(
            endpoint, secret, {"since": str(since), "limit": str(page)}, "export=1", timeout
        )
        events, highest, bad = parse_page(body, endpoint)
        recognised: set[str] = set()
        stored, ignored = store(db, endpoint, events, highest, recognised)
        result.read += len(events) + bad
        result.stored += stored
        result.ignored += ignored + bad
        result.cursor = cursor(db, endpoint)
        if purging and result.cursor > since:
            # Page by page: a page names at most ``page`` tokens, whatever the fetch's size.
            purging = _purge(endpoint, secret, result, recognised, timeout)
        if progress is not None:
            progress(result)
        if len(events) + bad < page or result.cursor <= since:
            break
    return result


def _purge(
    endpoint: str, secret: str, result: FetchResult, tokens: set[str], timeout: float
) -> bool:
    """Ask the endpoint to forget this profile's events up to the cursor; False (and the
    error in ``result``) when it could not, so the fetch stops asking but keeps reading."""
    fields = {"upto": str(result.cursor), "tokens": "\n".join(sorted(tokens))}
    try:
        _post(endpoint, secret, fields, "purge=1", timeout)
    except TrackingError as exc:
        result.purged = False
        result.purge_error = str(exc)
        return False
    result.purged = True
    return True
