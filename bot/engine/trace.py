"""Describe how an answer came about: for the recruiter console's trace and the answer log line.

The trace carries scores, features, the decision and timings. The log line
carries none of the candidate's text, only the outcome and numbers.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from bot.answerers.base import ChatAnswer
from bot.engine.state import PartResult, State

log = logging.getLogger("bot.engine")


def _part_trace(part: PartResult) -> dict[str, Any]:
    scored = part.scored
    best = float(scored.scores[scored.order[0]]) if len(scored.order) else None
    return {
        "question": part.part.text,
        "context": part.part.context,
        "searched": part.search.text,
        "terms": list(dict.fromkeys(part.search.terms)),
        "outcome": part.decision.outcome,
        "probability": round(part.decision.probability, 4),
        "features": {k: round(v, 4) for k, v in scored.features.items()},
        "best_score": round(best, 4) if best is not None else None,
        "dates": [m.text for m in part.dates],
        "chunks": [
            {
                "chunk_id": c.metadata["chunk_id"],
                "section": c.metadata["section"],
                "source": c.metadata["source"],
                "dense": c.metadata.get("dense_score"),
                "lexical": c.metadata.get("lexical_score"),
                "fused": c.metadata.get("fused_score"),
            }
            for c in part.retrieval.chunks
        ],
        "used": [{"text": ref.unit.text, "section": ref.section} for ref in part.selected],
        "dense_failed": part.retrieval.dense_failed,
    }


def trace_of(state: State, response: ChatAnswer, started: float) -> dict[str, Any]:
    """Return the trace of one answer and log the answer event."""
    verdict = state.verdict
    timings = dict(state.timings)
    for part in state.parts:
        for name, value in part.retrieval.timings.items():
            timings[name] = timings.get(name, 0.0) + value
    timings["total_ms"] = (time.perf_counter() - started) * 1000
    trace: dict[str, Any] = {
        "standalone": state.standalone,
        "language": state.language,
        "guard": verdict.category,
        "guard_action": verdict.action,
        "store_text": verdict.store_text,
        "posting": state.posting,
        "parts": [_part_trace(p) for p in state.parts],
        "timings": {k: round(v, 2) for k, v in timings.items()},
    }
    if state.parts:
        first = trace["parts"][0]
        trace["best_score"] = first["best_score"]
        trace["chunks"] = first["chunks"]
        trace["used"] = [u for p in trace["parts"] for u in p["used"]]
        trace["dense_failed"] = any(p["dense_failed"] for p in trace["parts"])
    if state.notes.get("llm"):
        trace["llm"] = state.notes["llm"]
    log.info(
        "answer",
        extra={
            "event": "answer",
            "status": response.status,
            "answer_type": response.answer_type,
            "mode": response.mode,
            "degraded": response.degraded,
            "language": state.language,
            "guard": verdict.category,
            "posting": state.posting,
            "parts": len(state.parts),
            "latency_ms": trace["timings"]["total_ms"],
        },
    )
    return trace
