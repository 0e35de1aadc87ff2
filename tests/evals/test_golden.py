"""The project's golden set: every case passes, quotes are verbatim, retrieval finds the facts."""

from __future__ import annotations

from bot.config import PROJECT_ROOT
from bot.evaluation.golden import load_golden, run_golden, summary

GOLDEN = PROJECT_ROOT / "tests" / "evals" / "golden.csv"


def test_golden_set_covers_every_topic():
    cases = load_golden(GOLDEN)
    assert len(cases) >= 60
    statuses = {c.expected_status for c in cases}
    assert statuses == {"answered", "not_found", "refused"}


def test_every_golden_case_passes(engine):
    results = run_golden(engine, load_golden(GOLDEN))
    failures = [(r.row, r.question, r.reasons) for r in results if not r.passed]
    assert failures == []
    stats = summary(results)
    assert stats["recall_at_4"] >= 0.95 and stats["mrr"] >= 0.85
