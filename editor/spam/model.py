"""What a check returns: scored findings and the 0–10 score, shared by the rules, the optional
SpamAssassin (spamd) and DNS checks, the CLI and the composer's panel.

A :class:`ScoredFinding` is a renderer-style :class:`~editor.findings.Finding` (stable code,
severity, block id, parameters — worded only when shown, in the UI's language) plus the points
it costs and the rule that found it, so the panel can list renderer findings and spam findings in
one list and sort them by impact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from editor import findings
from editor.findings import Finding


@dataclass(frozen=True)
class ScoredFinding:
    """One problem and what it costs (points > 0 hurt, < 0 help, as in SpamAssassin)."""

    finding: Finding
    points: float
    rule: str  # the rule id, e.g. "subject_all_caps" or "dns_spf_missing"

    def to_json(self) -> dict[str, Any]:
        """One element of ``bulletin check --json``'s ``findings`` (worded in the UI language)."""
        return {
            "id": self.rule,
            "points": round(self.points, 2),
            "severity": str(self.finding.severity),
            "message": findings.message(self.finding),
            "fix": findings.fix(self.finding),
            "block": self.finding.block_id,
        }


@dataclass(frozen=True)
class SpamdRule:
    """A SpamAssassin rule that hit, as spamd reported it."""

    name: str
    points: float
    description: str


@dataclass(frozen=True)
class SpamdReport:
    """SpamAssassin's verdict through a running spamd (shown beside ours, not mixed in)."""

    score: float
    threshold: float
    rules: list[SpamdRule] = field(default_factory=list)


@dataclass
class SpamReport:
    """A whole check: ``score`` 0–10 (10 best), the raw ``points`` behind it, the findings
    sorted by impact (most points first), the HTML size, and the optional extra checks."""

    score: float
    points: float
    findings: list[ScoredFinding]
    html_bytes: int
    spamd: SpamdReport | None = None

    def to_json(self) -> dict[str, Any]:
        """The exact shape of ``bulletin check --json`` (plus ``spamd`` when it was asked)."""
        out: dict[str, Any] = {
            "score": self.score,
            "points": round(self.points, 2),
            "findings": [f.to_json() for f in self.findings],
            "html_bytes": self.html_bytes,
        }
        if self.spamd is not None:
            out["spamd"] = {
                "score": self.spamd.score,
                "threshold": self.spamd.threshold,
                "rules": [
                    {"name": r.name, "points": r.points, "description": r.description}
                    for r in self.spamd.rules
                ],
            }
        return out
