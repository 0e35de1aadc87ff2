"""The recruiters' golden set: refusals and honest "doesn't say" always hold; answers mostly quote the facts."""

from __future__ import annotations

from bot.config import PROJECT_ROOT
from bot.evaluation.golden import load_golden, run_golden, summary

GOLDEN = PROJECT_ROOT / "tests" / "evals" / "golden.csv"


def test_golden_set_covers_every_topic():
    cases = load_golden(GOLDEN)
    assert len(cases) >= 60
    statuses = {c.expected_status for c in cases}
    assert statuses == {"answered", "not_found", "refused"}


def test_golden_set_floor(engine):
    results = run_golden(engine, load_golden(GOLDEN))
    stats = summary(results)
    unfaithful = [r.row for r in results if any("not verbatim" in reason for reason in r.reasons)]
    strict = [(r.row, r.question) for r in results if r.expected_status != "answered" and not r.passed]
    assert unfaithful == [] and strict == []
    assert stats["pass_rate"] >= 0.8
    assert stats["recall_at_4"] >= 0.95 and stats["mrr"] >= 0.85


def test_rows_of_one_conversation_are_asked_after_its_earlier_turns_and_answers(fast_engine):
    # Follow-ups ("and the start dates?") were only ever measured alone, without the question they follow.
    class Recording:
        def __init__(self) -> None:
            self.settings, self.chunks, self.histories = fast_engine.settings, fast_engine.chunks, []

        def ask(self, question, history, posting):
            self.histories.append([turn["content"] for turn in history])
            return fast_engine.ask(question, history, posting)

    cases = load_golden(
        "question,expected_status,conversation\n"
        "What is the salary?,answered,c1\nAnd the start dates?,answered,c1\n"
        "Do you sponsor visas?,not_found,\nWhat is the salary?,answered,c2\n"
    )
    engine = Recording()
    results = run_golden(engine, cases)
    assert engine.histories == [[], ["What is the salary?", results[0].answer], [], []]
