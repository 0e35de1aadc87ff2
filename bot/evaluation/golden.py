"""Golden sets: a recruiter-readable CSV of questions and what answers must say.

Columns: question, must_mention, must_not_mention, expected_status, notes;
a development set adds lang, topic, style and split (calibration or test).
Rows that share a `conversation` id are the turns of one conversation, in
order: each is asked with the turns before it and the engine's answers to
them as history. Several values in one cell are separated by `|`. The same loader and runner
serve `python -m bot eval`, the test suite, the benchmark and the recruiter console.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from pathlib import Path

from langchain_core.documents import Document

from bot.knowledge.documents import load_knowledge
from bot.knowledge.text import plain_text

COLUMNS = ("question", "must_mention", "must_not_mention", "expected_status", "notes")
STATUSES = ("answered", "not_found", "refused")


class GoldenSetError(ValueError):
    """The golden-set CSV is malformed; the message names the row."""


@dataclass(frozen=True)
class GoldenCase:
    """One question and what its answer must and must not say."""

    row: int
    question: str
    must_mention: tuple[str, ...]
    must_not_mention: tuple[str, ...]
    expected_status: str
    notes: str = ""
    lang: str = "en"
    topic: str = ""
    split: str = ""
    conversation: str = ""  # rows with the same id are one conversation's turns, in order


@dataclass
class CaseResult:
    """The outcome of one golden case."""

    row: int
    question: str
    expected_status: str
    status: str
    passed: bool
    reasons: list[str] = field(default_factory=list)
    answer: str = ""
    citations: int = 0
    relevant_rank: int | None = None  # 1-based rank of the first chunk holding the expected facts
    latency_ms: float = 0.0
    lang: str = "en"
    split: str = ""
    answer_type: str = ""


def _values(cell: str | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in (cell or "").split("|") if v.strip())


def load_golden(source: str | Path) -> list[GoldenCase]:
    """Parse a golden set from a CSV file path or CSV text."""
    text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else source
    try:
        return _cases(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as exc:  # an unclosed quote, a cell over the csv module's size limit
        raise GoldenSetError(f"The CSV cannot be read ({exc}); save it as CSV UTF-8 (comma delimited).") from exc


def _cases(reader: csv.DictReader) -> list[GoldenCase]:
    """Read and check every row; raise GoldenSetError naming the first bad one."""
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ("question", "expected_status") if c not in header]
    if missing:
        raise GoldenSetError(f"Row 1 (header): missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}.")
    cases = []
    for row_number, row in enumerate(reader, start=2):
        row = {(k or "").strip(): v for k, v in row.items()}
        if None in row or row.get(""):
            raise GoldenSetError(f"Row {row_number}: more cells than columns (quote cells that contain commas).")
        question = (row.get("question") or "").strip()
        status = (row.get("expected_status") or "").strip()
        if not question:
            raise GoldenSetError(f"Row {row_number}: the question is empty.")
        if status not in STATUSES:
            raise GoldenSetError(f"Row {row_number}: expected_status is '{status}'; use one of {', '.join(STATUSES)}.")
        cases.append(
            GoldenCase(
                row=row_number,
                question=question,
                must_mention=_values(row.get("must_mention")),
                must_not_mention=_values(row.get("must_not_mention")),
                expected_status=status,
                notes=(row.get("notes") or "").strip(),
                lang=(row.get("lang") or "en").strip() or "en",
                topic=(row.get("topic") or "").strip(),
                split=(row.get("split") or "").strip(),
                conversation=(row.get("conversation") or "").strip(),
            )
        )
    if not cases:
        raise GoldenSetError("Row 2: the golden set has no questions.")
    return cases


def knowledge_text(knowledge_dir: Path) -> str:
    """Return all knowledge as one normalised plain text, for verbatim checks."""
    return " ".join(plain_text(d.body) for d in load_knowledge(knowledge_dir))


def _relevant_rank(case: GoldenCase, chunks: list[Document], knowledge: str) -> int | None:
    """Rank of the first chunk holding every expected fact that the knowledge states."""
    facts = [m.lower() for m in case.must_mention if m.lower() in knowledge.lower()]
    if not facts:
        return None
    for rank, chunk in enumerate(chunks, start=1):
        text = plain_text(chunk.page_content).lower()
        if all(f in text for f in facts):
            return rank
    return 0


def check_case(case: GoldenCase, response, knowledge: str) -> list[str]:
    """Return why an answer fails its case (empty when it passes)."""
    reasons = []
    answer = response.answer.lower()
    if response.status != case.expected_status:
        reasons.append(f"status is {response.status}, expected {case.expected_status}")
    reasons += [f"does not mention '{m}'" for m in case.must_mention if m.lower() not in answer]
    reasons += [f"mentions '{m}'" for m in case.must_not_mention if m.lower() in answer]
    for citation in response.citations:
        if plain_text(citation.quote) not in knowledge:
            reasons.append(f"citation [{citation.id}] is not verbatim knowledge")
        if f"[{citation.id}]" not in response.answer:
            reasons.append(f"citation [{citation.id}] is never referenced")
    if response.status == "answered" and not response.citations:
        reasons.append("answer has no citation")
    return reasons


def retrieved_chunks(engine, trace: dict) -> list[Document]:
    """Return the chunks the engine retrieved for the first question of an answer, best first."""
    by_id = {c.metadata["chunk_id"]: c for c in engine.chunks}
    return [by_id[c["chunk_id"]] for c in trace.get("chunks", []) if c["chunk_id"] in by_id]


def run_golden(engine, cases: list[GoldenCase], posting: str | None = None) -> list[CaseResult]:
    """Ask every question and check each answer against its case."""
    knowledge = knowledge_text(engine.settings.knowledge_dir)
    results = []
    histories: dict[str, list[dict]] = {}
    for case in cases:
        history = histories.setdefault(case.conversation, []) if case.conversation else []
        result = engine.ask(case.question, list(history), posting)
        history += [
            {"role": "user", "content": case.question},
            {"role": "assistant", "content": result.response.answer},
        ]
        retrieved = retrieved_chunks(engine, result.trace)
        reasons = check_case(case, result.response, knowledge)
        results.append(
            CaseResult(
                row=case.row,
                question=case.question,
                expected_status=case.expected_status,
                status=result.response.status,
                passed=not reasons,
                reasons=reasons,
                answer=result.response.answer,
                citations=len(result.response.citations),
                relevant_rank=_relevant_rank(case, retrieved, knowledge)
                if case.expected_status == "answered"
                else None,
                latency_ms=result.trace.get("timings", {}).get("total_ms", 0.0),
                lang=case.lang,
                split=case.split,
                answer_type=result.response.answer_type,
            )
        )
    return results


def summary(results: list[CaseResult]) -> dict:
    """Return pass rate, recall@1/@4 and MRR over the cases with labelled facts."""
    ranked = [r.relevant_rank for r in results if r.relevant_rank is not None]
    n = len(ranked) or 1
    return {
        "cases": len(results),
        "passed": sum(r.passed for r in results),
        "pass_rate": round(sum(r.passed for r in results) / (len(results) or 1), 4),
        "recall_at_1": round(sum(1 for r in ranked if r == 1) / n, 4),
        "recall_at_4": round(sum(1 for r in ranked if 1 <= r <= 4) / n, 4),
        "mrr": round(sum(1 / r for r in ranked if r) / n, 4),
        "retrieval_cases": len(ranked),
    }


def results_to_csv(results: list[CaseResult]) -> str:
    """Render results as CSV for download."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "question", "expected_status", "status", "passed", "reasons", "answer"])
    for r in results:
        writer.writerow(
            [
                r.row,
                r.question,
                r.expected_status,
                r.status,
                "pass" if r.passed else "fail",
                "; ".join(r.reasons),
                r.answer,
            ]
        )
    return out.getvalue()


def result_dicts(results: list[CaseResult]) -> list[dict]:
    """Return results as plain data."""
    return [asdict(r) for r in results]
