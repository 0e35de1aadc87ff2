"""Break evaluation results down by half and language, as `eval` prints and BENCHMARKS.md shows."""

from __future__ import annotations

from collections import defaultdict

from bot.evaluation.golden import CaseResult

UNFAITHFUL = "is not verbatim knowledge"


def breakdown(results: list[CaseResult]) -> dict[str, dict[str, dict]]:
    """Return accuracy and failure counts per half (calibration, test, or all) and language."""
    groups: dict[tuple[str, str], list[CaseResult]] = defaultdict(list)
    for r in results:
        half = r.split or "all"
        groups[(half, r.lang)].append(r)
        groups[(half, "all")].append(r)
    table: dict[str, dict[str, dict]] = defaultdict(dict)
    for (half, lang), rows in sorted(groups.items()):
        by_status: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in rows:
            by_status[r.expected_status][0] += r.passed
            by_status[r.expected_status][1] += 1
        table[half][lang] = {
            "cases": len(rows),
            "passed": sum(r.passed for r in rows),
            "accuracy": round(sum(r.passed for r in rows) / len(rows), 4),
            "by_status": {status: {"passed": p, "cases": n} for status, (p, n) in sorted(by_status.items())},
            "unrelated_answers": sum(r.expected_status == "not_found" and r.status == "answered" for r in rows),
            "unfaithful_quotes": sum(any(UNFAITHFUL in reason for reason in r.reasons) for r in rows),
        }
    return dict(table)


def format_breakdown(table: dict[str, dict[str, dict]]) -> str:
    """Render the breakdown as plain lines."""
    lines = []
    for half, languages in table.items():
        for lang, row in languages.items():
            statuses = ", ".join(f"{s} {v['passed']}/{v['cases']}" for s, v in row["by_status"].items())
            lines.append(
                f"{half:<11} {lang:<3} {row['passed']:>4}/{row['cases']:<4} {row['accuracy']:.1%}  ({statuses}; "
                f"{row['unrelated_answers']} unrelated answers, {row['unfaithful_quotes']} unfaithful quotes)"
            )
    return "\n".join(lines)
