"""Answer quality: careers-chat against LangChain's textbook RAG on the golden set.

The baseline is built in the same run from the same knowledge files and the
same embedding model: RecursiveCharacterTextSplitter (1000 characters, 200
overlap) over each file's text, a separate Chroma collection, similarity
search with k=4. Relevance is the one bot.evaluation uses: the first chunk
holding every must_mention fact that the knowledge states.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bench.common import median, percentile
from bot.evaluation.golden import _relevant_rank, knowledge_text, run_golden, summary
from bot.knowledge.documents import knowledge_files
from bot.knowledge.text import plain_text

BASELINE_K = 4


def _retrieval_metrics(ranks: list[int | None]) -> dict:
    ranked = [r for r in ranks if r is not None]
    n = len(ranked) or 1
    return {
        "recall_at_1": round(sum(1 for r in ranked if r == 1) / n, 4),
        "recall_at_4": round(sum(1 for r in ranked if 1 <= r <= 4) / n, 4),
        "mrr": round(sum(1 / r for r in ranked if r) / n, 4),
        "retrieval_cases": len(ranked),
    }


def baseline(engine, cases) -> dict:
    """Build the textbook pipeline next to the engine and score its retrieval.

    Baseline and careers-chat queries are timed interleaved, so both see the
    same load on the machine.
    """
    knowledge_dir = engine.settings.knowledge_dir
    knowledge = knowledge_text(knowledge_dir)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    files = [
        Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": str(p)})
        for p in knowledge_files(knowledge_dir)
    ]
    chunks = splitter.split_documents(files)
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tmp:
        started = time.perf_counter()
        store = Chroma.from_documents(
            chunks, engine.embeddings, persist_directory=str(Path(tmp) / "chroma"), collection_name="baseline"
        )
        ingest_seconds = time.perf_counter() - started
        for case in cases[:3]:
            store.similarity_search(case.question, k=BASELINE_K)
        ranks, latencies, ours = [], [], []
        for case in cases:
            started = time.perf_counter()
            found = store.similarity_search(case.question, k=BASELINE_K)
            latencies.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            engine.retriever.search(engine.search_query(case.question), engine.resolve_posting(None))
            ours.append((time.perf_counter() - started) * 1000)
            if case.expected_status == "answered":
                ranks.append(_relevant_rank(case, found, knowledge))
        store.delete_collection()
    return {
        **_retrieval_metrics(ranks),
        "chunks": len(chunks),
        "ingest_seconds": round(ingest_seconds, 2),
        "retrieval_p50_ms": round(percentile(latencies, 50), 2),
        "retrieval_p95_ms": round(percentile(latencies, 95), 2),
        "careers_chat_retrieval_p50_ms": round(percentile(ours, 50), 2),
        "careers_chat_retrieval_p95_ms": round(percentile(ours, 95), 2),
    }


def careers_chat(engine, cases, posting: str | None = None) -> dict:
    """Score the engine: retrieval, golden pass rate, citations, deflection and false refusals."""
    knowledge = knowledge_text(engine.settings.knowledge_dir)
    results = run_golden(engine, cases, posting)
    scores = summary(results)
    citations = valid = 0
    for case in cases:
        response = engine.ask(case.question, [], posting).response
        for citation in response.citations:
            citations += 1
            valid += plain_text(citation.quote) in knowledge and f"[{citation.id}]" in response.answer
    deflect = [r for r in results if r.expected_status in ("refused", "not_found")]
    answerable = [r for r in results if r.expected_status == "answered"]
    failed = [f"row {r.row}: {r.question} ({'; '.join(r.reasons)})" for r in results if not r.passed]
    return {
        **scores,
        "citations": citations,
        "citation_validity": round(valid / (citations or 1), 4),
        "deflection_cases": len(deflect),
        "correct_deflection": round(sum(r.status == r.expected_status for r in deflect) / (len(deflect) or 1), 4),
        "answerable_cases": len(answerable),
        "false_refusal": round(
            sum(r.status in ("refused", "not_found") for r in answerable) / (len(answerable) or 1), 4
        ),
        "ask_p50_ms": round(median([r.latency_ms for r in results]), 2),
        "failures": failed,
    }
