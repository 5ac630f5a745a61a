"""A measured campaign's figures: counts and rates over its measured recipients, never a list
of people.

``measured`` is the number of messages that went out with the pixel and wrapped links (the
consenting recipients' deliveries that were sent); every rate is over it, which is why the
figures are always shown as "measured among N consenting recipients". Unique opens and unique
clicks count recipients (a person who opened five times counts once); per link, ``clicks`` is
every click and ``unique_clicks`` the recipients who clicked it. Opens are approximate: mail
apps that block images undercount them, and Apple Mail's privacy protection loads every image
(so counts an open) whether or not the person read the message.

Every figure is one aggregate query; no row about a person leaves SQLite. Below
:data:`MIN_GROUP` measured recipients the figures are withheld: « 1 open among 2 » says who
opened as surely as a list would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from editor.contacts.db import Database

MIN_GROUP = 5  # measured recipients under which totals would point at individuals


@dataclass(frozen=True, slots=True)
class LinkFigures:
    """One wrapped link of the campaign: its URL (merge tags as written) and its clicks."""

    index: int
    url: str
    clicks: int
    unique_clicks: int

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "url": self.url,
            "clicks": self.clicks,
            "unique_clicks": self.unique_clicks,
        }


@dataclass(frozen=True, slots=True)
class MeasurementFigures:
    """The aggregates of one measured campaign (see the module doc)."""

    measured: int
    unique_opens: int
    unique_clicks: int
    links: list[LinkFigures] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        """Too few measured recipients to show totals without pointing at someone."""
        return self.measured < MIN_GROUP

    def _rate(self, n: int) -> float | None:
        return n / self.measured if self.measured else None

    @property
    def open_rate(self) -> float | None:
        return self._rate(self.unique_opens)

    @property
    def click_rate(self) -> float | None:
        return self._rate(self.unique_clicks)

    def link_rate(self, link: LinkFigures) -> float | None:
        return self._rate(link.unique_clicks)

    def to_json(self) -> dict[str, Any]:
        """The ``measurement`` object of ``bulletin report ID --json``: aggregates only (none
        but ``measured`` when :attr:`withheld`)."""
        if self.withheld:
            return {
                "measured": self.measured,
                "withheld": True,
                "unique_opens": None,
                "unique_clicks": None,
                "open_rate": None,
                "click_rate": None,
                "links": [],
            }
        return {
            "measured": self.measured,
            "withheld": False,
            "unique_opens": self.unique_opens,
            "unique_clicks": self.unique_clicks,
            "open_rate": self.open_rate,
            "click_rate": self.click_rate,
            "links": [
                {**link.to_json(), "unique_click_rate": self.link_rate(link)} for link in self.links
            ],
        }


def figures(db: Database, campaign_id: int) -> MeasurementFigures | None:
    """The campaign's measurement aggregates; None when it was not measured."""
    conn = db.connection
    row = conn.execute(
        "SELECT measured FROM tracking_campaigns WHERE campaign_id = ?", (campaign_id,)
    ).fetchone()
    if row is None or not row[0]:
        return None
    measured, opens, clicks = conn.execute(
        "SELECT count(*),"
        " coalesce(sum(EXISTS (SELECT 1 FROM tracking_hits h"
        "   WHERE h.delivery_id = m.delivery_id AND h.kind = 'open')), 0),"
        " coalesce(sum(EXISTS (SELECT 1 FROM tracking_hits h"
        "   WHERE h.delivery_id = m.delivery_id AND h.kind = 'click')), 0)"
        " FROM tracking_deliveries m JOIN deliveries d ON d.id = m.delivery_id"
        " WHERE m.campaign_id = ? AND d.state = 'sent'",
        (campaign_id,),
    ).fetchone()
    per_link = {
        int(link): (int(total), int(unique))
        for link, total, unique in conn.execute(
            "SELECT h.link, sum(h.hits), count(*) FROM tracking_hits h"
            " JOIN tracking_deliveries m ON m.delivery_id = h.delivery_id"
            " JOIN deliveries d ON d.id = m.delivery_id"
            " WHERE m.campaign_id = ? AND d.state = 'sent' AND h.kind = 'click'"
            " GROUP BY h.link",
            (campaign_id,),
        )
    }
    links = [
        LinkFigures(int(n), str(url), *per_link.get(int(n), (0, 0)))
        for n, url in conn.execute(
            "SELECT link, url FROM tracking_links WHERE campaign_id = ? ORDER BY link",
            (campaign_id,),
        )
    ]
    return MeasurementFigures(int(measured), int(opens), int(clicks), links)
