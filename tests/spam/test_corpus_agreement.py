"""Bulletin's spam points against two real filters, on the validation corpus (issue 10).

``tests/data/spam_corpus`` holds newsletters from clean to spammy (``tools/make_spam_corpus.py``)
and ``filters.json`` what SpamAssassin and rspamd made of them (``tools/score_corpus.py``), so
these tests need neither filter. The target is agreement with the filters' consensus (the mean of
their two ranks), not a copy of either: Spearman ≥ 0.75, and every message a filter flags gets at
most 5/10 here. ``tools/corpus_report.py`` prints the messages that disagree most.

One test re-scores a few messages with the real SpamAssassin, so the stored data stays honest.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from editor.spam import check_eml
from tests.system import find_program, unavailable

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "spam_corpus"
SA_FLAG = 5.0  # SpamAssassin's default required score
RSPAMD_FLAG = 6.0  # rspamd's "add header" action


def _load_score_corpus() -> ModuleType:
    """``tools/score_corpus.py``: the one place the statistics and SpamAssassin's call live."""
    path = ROOT / "tools" / "score_corpus.py"
    spec = importlib.util.spec_from_file_location("score_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("score_corpus", module)
    spec.loader.exec_module(module)
    return module


sc = _load_score_corpus()


@pytest.fixture(scope="module")
def stored() -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = json.loads(
        (CORPUS / "filters.json").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture(scope="module")
def rows(stored: dict[str, dict[str, object]]) -> list[tuple[str, float, float, float, float]]:
    """(file, SpamAssassin, rspamd, Bulletin points, Bulletin score) for every message."""
    out = []
    for name in sorted(stored):
        report = check_eml((CORPUS / name).read_bytes())
        entry = stored[name]
        out.append(
            (
                name,
                float(entry["spamassassin"]),  # type: ignore[arg-type]
                float(entry["rspamd"]),  # type: ignore[arg-type]
                report.points,
                report.score,
            )
        )
    return out


# ----------------------------------------------------------------------------- statistics


def test_ranks_average_ties() -> None:
    assert sc.ranks([10, 20, 20, 5]) == [2.0, 3.5, 3.5, 1.0]
    assert sc.ranks([3, 3, 3]) == [2.0, 2.0, 2.0]


def test_spearman_known_values() -> None:
    # scipy.stats.spearmanr's documented example (a tie in y): 0.8207826816681233.
    assert sc.spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) == pytest.approx(0.8207826816681233)
    assert sc.spearman([1, 2, 3], [30, 20, 10]) == pytest.approx(-1.0)
    assert sc.spearman([1, 2, 3, 4], [1, 4, 9, 16]) == pytest.approx(1.0)  # monotone, not linear
    assert sc.spearman([1, 1, 1], [1, 2, 3]) == 0.0  # no variation: no correlation


def test_spearman_rejects_unequal_lengths() -> None:
    with pytest.raises(ValueError):
        sc.spearman([1, 2], [1, 2, 3])


# ----------------------------------------------------------------------------- the corpus


def test_corpus_is_large_bilingual_and_spread(stored: dict[str, dict[str, object]]) -> None:
    names = sorted(p.name for p in CORPUS.glob("*.eml"))
    assert sorted(stored) == names  # every message scored, nothing stale
    assert len(names) >= 40
    assert sum(n.startswith("fr-") for n in names) >= 15
    assert sum(n.startswith("en-") for n in names) >= 15
    sa = [float(e["spamassassin"]) for e in stored.values()]  # type: ignore[arg-type]
    rs = [float(e["rspamd"]) for e in stored.values()]  # type: ignore[arg-type]
    flagged = sum(a >= SA_FLAG or b >= RSPAMD_FLAG for a, b in zip(sa, rs, strict=True))
    quiet = sum(a < 1 and b < 1 for a, b in zip(sa, rs, strict=True))
    assert flagged >= 5, "too few messages a filter flags"
    assert quiet >= 10, "too few messages both filters find clean"
    assert len({round(a, 1) for a in sa}) >= 10 and len({round(b, 1) for b in rs}) >= 10


def test_stored_results_have_the_documented_shape(stored: dict[str, dict[str, object]]) -> None:
    for name, entry in stored.items():
        assert set(entry) >= {"spamassassin", "sa_rules", "rspamd", "rspamd_symbols"}, name
        symbols = entry["rspamd_symbols"]
        assert isinstance(symbols, dict)
        content = sum(v for k, v in symbols.items() if not sc.rspamd_excluded(k))
        assert entry["rspamd"] == pytest.approx(content, abs=0.01), name


def consensus_rho(rows: list[tuple[str, float, float, float, float]]) -> float:
    """Spearman between Bulletin's points and the mean of the two filters' ranks."""
    sa_ranks = sc.ranks([r[1] for r in rows])
    rs_ranks = sc.ranks([r[2] for r in rows])
    consensus = [(a + b) / 2 for a, b in zip(sa_ranks, rs_ranks, strict=True)]
    return float(sc.spearman([r[3] for r in rows], consensus))


MEASURED_RHO = 0.77
"""What the rules reach on this corpus (0.780 on 2026-12-06, 87 messages): a regression below it
fails, even while it stays above the target."""


def test_agreement_with_the_filters_does_not_regress(
    rows: list[tuple[str, float, float, float, float]],
) -> None:
    rho = consensus_rho(rows)
    assert rho >= MEASURED_RHO, f"Spearman with the filters' consensus fell to {rho:.3f}"


def test_bulletin_agrees_with_the_filters_consensus(
    rows: list[tuple[str, float, float, float, float]],
) -> None:
    """Issue 10's target."""
    rho = consensus_rho(rows)
    assert rho >= 0.75, f"Spearman with the filters' consensus is {rho:.3f} (< 0.75)"


def test_every_message_a_filter_flags_scores_at_most_5(
    rows: list[tuple[str, float, float, float, float]],
) -> None:
    missed = [
        f"{name} (SA {sa}, rspamd {rs}, Bulletin {score}/10)"
        for name, sa, rs, _points, score in rows
        if (sa >= SA_FLAG or rs >= RSPAMD_FLAG) and score > 5
    ]
    assert not missed, "flagged by a filter but > 5/10 here: " + ", ".join(missed)


# ----------------------------------------------------------------------------- honest data

RESCORED = ["en-lottery-winner.eml", "en-pharmacy.eml", "fr-boulangerie-nouveautes.eml"]


@pytest.mark.parametrize("name", RESCORED)
def test_stored_spamassassin_scores_match_a_fresh_run(
    name: str, stored: dict[str, dict[str, object]]
) -> None:
    program = find_program("spamassassin")
    if program is None:
        unavailable("spamassassin not found: apt-get install spamassassin")
    score, rules = sc.spamassassin(CORPUS / name, program)
    assert score == pytest.approx(float(stored[name]["spamassassin"]), abs=0.5)  # type: ignore[arg-type]
    assert rules, "SpamAssassin's report lists no rule"


# ----------------------------------------------------------------------------- the report


def test_the_disagreement_report_prints_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "tools" / "corpus_report.py"
    spec = importlib.util.spec_from_file_location("corpus_report", path)
    assert spec is not None and spec.loader is not None
    report = importlib.util.module_from_spec(spec)
    sys.modules["corpus_report"] = report  # its dataclasses look their module up there
    spec.loader.exec_module(report)
    assert report.main(["--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "87 messages" in out.splitlines()[0]
    low, high = (float(x) for x in out.split("bootstrap interval ")[1].split(";")[0].split("-"))
    assert 0 < low < 0.78 < high < 1
    assert "but > 5/10 here: 0" in out
    assert out.count("difference ") == 1
