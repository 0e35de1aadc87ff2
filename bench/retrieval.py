"""Retrieval recall against LangChain's textbook RAG, on the seed development set's test half.

The baseline is built in the same run from the same knowledge files and the
same embedding model: RecursiveCharacterTextSplitter (1000 characters, 200
overlap) over each file's text, a separate Chroma collection, similarity
search with k=4. careers-chat's side is its hybrid retriever given the query
the pipeline builds (the question's text, its BM25 terms and glossary
expansions). Relevance is bot.evaluation's: the first chunk holding every
must_mention fact that the knowledge states.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bench.common import percentile
from bot.evaluation.golden import CaseResult, GoldenCase, _relevant_rank, knowledge_text
from bot.knowledge.documents import knowledge_files
from bot.knowledge.lexical import query_terms
from bot.knowledge.retrieval import SearchQuery

BASELINE_K = 4


def scores(ranks: list[int]) -> dict:
    """Return recall@1, recall@4 and MRR over ranks (0: not retrieved)."""
    n = len(ranks) or 1
    return {
        "recall_at_1": round(sum(r == 1 for r in ranks) / n, 4),
        "recall_at_4": round(sum(1 <= r <= 4 for r in ranks) / n, 4),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 4),
        "cases": len(ranks),
    }


def _baseline_store(engine, folder: Path) -> tuple[Chroma, int, float]:
    """Index the knowledge files the textbook way; return the store, its chunk count and seconds taken."""
    files = [
        Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": str(p)})
        for p in knowledge_files(engine.settings.knowledge_dir)
    ]
    chunks = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200).split_documents(files)
    started = time.perf_counter()
    store = Chroma.from_documents(chunks, engine.embeddings, persist_directory=str(folder), collection_name="baseline")
    return store, len(chunks), time.perf_counter() - started


def compare(engine, cases: list[GoldenCase], pipeline: list[CaseResult], posting: str | None = None) -> dict:
    """Score both retrievers per language on the answerable cases; time them interleaved.

    `pipeline` are the same cases as the engine answered them (bot.evaluation's
    relevant_rank of the chunks the pipeline retrieved, after spelling
    correction and with dates taken out of the query), shown as a third column.
    """
    knowledge = knowledge_text(engine.settings.knowledge_dir)
    posting = engine.resolve_posting(posting)
    glossary = engine.pipeline.glossary
    ranks: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    ours_ms, theirs_ms = [], []
    with tempfile.TemporaryDirectory(prefix="bench-baseline-") as tmp:
        store, baseline_chunks, ingest_seconds = _baseline_store(engine, Path(tmp))
        for case in cases:
            if case.expected_status != "answered":
                continue
            started = time.perf_counter()
            found = store.similarity_search(case.question, k=BASELINE_K)
            theirs_ms.append((time.perf_counter() - started) * 1000)
            terms = query_terms(case.question, case.lang, glossary.terms(case.question, case.lang))
            started = time.perf_counter()
            retrieval = engine.retriever.search(SearchQuery(text=case.question, terms=tuple(terms)), posting)
            ours_ms.append((time.perf_counter() - started) * 1000)
            ours, theirs = _relevant_rank(case, retrieval.chunks, knowledge), _relevant_rank(case, found, knowledge)
            if ours is None:
                continue
            for lang in (case.lang, "all"):
                ranks[lang]["careers_chat"].append(ours)
                ranks[lang]["baseline"].append(theirs or 0)
        store.delete_collection()
    for r in pipeline:
        if r.relevant_rank is not None:
            for lang in (r.lang, "all"):
                ranks[lang]["pipeline"].append(r.relevant_rank)
    return {
        "by_language": {lang: {side: scores(v) for side, v in sides.items()} for lang, sides in sorted(ranks.items())},
        "chunks": len(engine.chunks),
        "baseline_chunks": baseline_chunks,
        "baseline_ingest_seconds": round(ingest_seconds, 2),
        "careers_chat_p50_ms": round(percentile(ours_ms, 50), 2),
        "careers_chat_p95_ms": round(percentile(ours_ms, 95), 2),
        "baseline_p50_ms": round(percentile(theirs_ms, 50), 2),
        "baseline_p95_ms": round(percentile(theirs_ms, 95), 2),
    }
