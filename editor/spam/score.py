"""From raw points to the 0–10 score online testers show (10 best).

The mapping is mail-tester's: ``score = 10 − points``, clamped to [0, 10] and rounded to one
decimal. Points are SpamAssassin-like (SpamAssassin's spam threshold is 5), so a message that
SpamAssassin would call spam (5 points) shows 5/10 or less. Negative points (a rule that
helps, as some of SpamAssassin's do) can make up for others but never lift the score above 10.
"""

from __future__ import annotations

from collections.abc import Iterable

from editor.spam.model import ScoredFinding


def score_of(points: float) -> float:
    """The 0–10 score for ``points`` (10 − points, clamped, one decimal)."""
    return round(min(10.0, max(0.0, 10.0 - points)), 1)


def sort_by_impact(found: Iterable[ScoredFinding]) -> list[ScoredFinding]:
    """Most points first; ties by rule id then block, so the order is stable."""
    return sorted(found, key=lambda f: (-f.points, f.rule, f.finding.block_id or ""))
