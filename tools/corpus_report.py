"""How Bulletin's spam points agree with SpamAssassin and rspamd on the validation corpus.

Reads the stored filter results (``tests/data/spam_corpus/filters.json``, written by
``tools/score_corpus.py``), checks every message with :func:`editor.spam.check_eml` and prints:
the filters' Spearman correlation with each other, Bulletin's with their consensus (the mean of
the two filters' ranks), the messages a filter flags (SpamAssassin ≥ 5 or rspamd ≥ 6) that
Bulletin scores above 5/10, and the messages whose rank differs most from the consensus, with
the rules that fired on each side — what to look at when tuning the rules.

    uv run python tools/corpus_report.py [--top 10]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from score_corpus import CORPUS, RESULTS, ranks, rspamd_excluded, spearman

from editor.spam import check_eml
from editor.spam.model import SpamReport

SA_FLAG = 5.0  # SpamAssassin's default required score
RSPAMD_FLAG = 6.0  # rspamd's "add header" action
BULLETIN_MAX_WHEN_FLAGGED = 5.0
TARGET = 0.75  # issue 10: Spearman with the filters' consensus


@dataclass
class Row:
    name: str
    spamassassin: float
    rspamd: float
    sa_rules: dict[str, float]
    rspamd_symbols: dict[str, float]
    report: SpamReport
    consensus: float = 0.0  # mean of the two filters' ranks
    consensus_rank: float = 0.0
    bulletin_rank: float = 0.0

    @property
    def flagged(self) -> bool:
        return self.spamassassin >= SA_FLAG or self.rspamd >= RSPAMD_FLAG


def load_rows() -> list[Row]:
    """Every stored result with Bulletin's report on the same message, ranks filled in."""
    stored = json.loads(RESULTS.read_text(encoding="utf-8"))
    rows = []
    for name in sorted(stored):
        entry = stored[name]
        raw = (CORPUS / name).read_bytes()
        rows.append(
            Row(
                name,
                float(entry["spamassassin"]),
                float(entry["rspamd"]),
                {k: float(v) for k, v in entry["sa_rule_points"].items()},
                {k: float(v) for k, v in entry["rspamd_symbols"].items()},
                check_eml(raw),
            )
        )
    for row, value in zip(rows, consensus_of(rows), strict=True):
        row.consensus = value
    for row, c, p in zip(
        rows,
        ranks([r.consensus for r in rows]),
        ranks([r.report.points for r in rows]),
        strict=True,
    ):
        row.consensus_rank, row.bulletin_rank = c, p
    return rows


def consensus_of(rows: Sequence[Row]) -> list[float]:
    """Each message's mean of its two filter ranks, ranked among ``rows``."""
    sa_ranks = ranks([r.spamassassin for r in rows])
    rs_ranks = ranks([r.rspamd for r in rows])
    return [(a + b) / 2 for a, b in zip(sa_ranks, rs_ranks, strict=True)]


def filters_agreement(rows: Sequence[Row]) -> float:
    return spearman([r.spamassassin for r in rows], [r.rspamd for r in rows])


def bulletin_agreement(rows: Sequence[Row]) -> float:
    """Spearman between Bulletin's points and the mean of the two filters' ranks."""
    return spearman([r.report.points for r in rows], [r.consensus for r in rows])


def part_agreement(rows: Sequence[Row]) -> tuple[float, float]:
    """(filters with each other, Bulletin with their consensus) on a part of the corpus, the
    consensus ranked within that part."""
    return filters_agreement(rows), spearman([r.report.points for r in rows], consensus_of(rows))


def bootstrap_interval(
    rows: Sequence[Row], rounds: int = 2000, seed: int = 1
) -> tuple[float, float, float]:
    """A 95 % bootstrap interval of Bulletin's agreement, and the share of resamples at or
    above the 0.75 target: how much the figure owes to which messages happen to be in the
    corpus. Resamples messages with replacement, the consensus re-ranked in each; a fixed seed
    keeps the printout stable."""
    rng = random.Random(seed)  # noqa: S311  (statistics, not secrets)
    values = sorted(
        spearman([r.report.points for r in sample], consensus_of(sample))
        for sample in ([rng.choice(rows) for _ in rows] for _ in range(rounds))
    )
    low, high = values[int(rounds * 0.025)], values[int(rounds * 0.975) - 1]
    return low, high, sum(v >= TARGET for v in values) / rounds


def violations(rows: Sequence[Row]) -> list[Row]:
    """Messages a filter flags that Bulletin still scores above 5/10."""
    return [r for r in rows if r.flagged and r.report.score > BULLETIN_MAX_WHEN_FLAGGED]


def _ours(row: Row) -> str:
    points: dict[str, float] = {}
    for f in row.report.findings:
        points[f.rule] = points.get(f.rule, 0.0) + f.points
    return ", ".join(f"{k} {v:+.1f}" for k, v in sorted(points.items(), key=lambda kv: -kv[1]))


def _theirs(rules: dict[str, float], *, rspamd: bool = False) -> str:
    kept = {
        k: v for k, v in rules.items() if abs(v) >= 0.05 and not (rspamd and rspamd_excluded(k))
    }
    return ", ".join(f"{k} {v:+.1f}" for k, v in sorted(kept.items(), key=lambda kv: -kv[1]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    rows = load_rows()
    print(f"{len(rows)} messages")
    print(f"Spearman(SpamAssassin, rspamd content)      = {filters_agreement(rows):.3f}")
    print(f"Spearman(Bulletin points, filters' consensus) = {bulletin_agreement(rows):.3f}")
    low, high, share = bootstrap_interval(rows)
    print(
        f"  95% bootstrap interval {low:.2f}-{high:.2f}; resamples at or above {TARGET}: "
        f"{share:.0%}"
    )
    points = [r.report.points for r in rows]
    print(
        f"Spearman(Bulletin, SpamAssassin) = {spearman(points, [r.spamassassin for r in rows]):.3f}"
    )
    print(f"Spearman(Bulletin, rspamd)       = {spearman(points, [r.rspamd for r in rows]):.3f}")
    parts = {
        "newsletters (make_spam_corpus.py)": [r for r in rows if "-wild-" not in r.name],
        "bulk scripts and spam (spam_corpus_wild.py)": [r for r in rows if "-wild-" in r.name],
    }
    for label, part in parts.items():
        if part:
            filters, ours = part_agreement(part)
            print(f"  {len(part)} {label}: filters {filters:.3f}, Bulletin-consensus {ours:.3f}")
    bad = violations(rows)
    print(
        f"\nFlagged by a filter (SA >= {SA_FLAG:g} or rspamd >= {RSPAMD_FLAG:g}) but > 5/10 here: "
        f"{len(bad)}"
    )
    for r in bad:
        print(
            f"  {r.name}: SA {r.spamassassin:.1f}, rspamd {r.rspamd:.1f}, Bulletin {r.report.score}"
        )
    print(
        f"\nThe {args.top} messages whose rank differs most from the consensus "
        "(rank 1 = cleanest; + = Bulletin finds it worse than the filters do):"
    )
    worst = sorted(rows, key=lambda r: -abs(r.bulletin_rank - r.consensus_rank))[: args.top]
    for r in worst:
        print(
            f"\n{r.name}: Bulletin rank {r.bulletin_rank:.1f} ({r.report.points:.1f} points, "
            f"{r.report.score}/10), consensus rank {r.consensus_rank:.1f} "
            f"(SA {r.spamassassin:.1f}, rspamd {r.rspamd:.2f}), "
            f"difference {r.bulletin_rank - r.consensus_rank:+.1f}"
        )
        print(f"  Bulletin:     {_ours(r) or '-'}")
        print(f"  SpamAssassin: {_theirs(r.sa_rules) or '-'}")
        print(f"  rspamd:       {_theirs(r.rspamd_symbols, rspamd=True) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
