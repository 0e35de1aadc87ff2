"""Hybrid retrieval: dense (Chroma) and lexical (BM25) fused by reciprocal rank.

Exposed as a LangChain retriever. Every returned chunk carries its dense,
lexical and fused scores in its metadata, and the retriever records how long
each stage took, for the recruiter console and the benchmarks.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from langchain_chroma import Chroma
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.knowledge.lexical import LexicalIndex, query_terms

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchQuery:
    """What one search looks for: text to embed, and stemmed terms for BM25."""

    text: str
    terms: tuple[str, ...]


@dataclass
class Retrieval:
    """The fused chunks of one query and the time each stage took."""

    chunks: list[Document]
    query_vector: list[float] | None  # None when the query could not be embedded
    timings: dict[str, float] = field(default_factory=dict)
    dense_failed: bool = False


class HybridRetriever(BaseRetriever):
    """Retrieve chunks by dense and BM25 search fused with reciprocal rank fusion."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Chroma | None
    embeddings: Embeddings
    lexical: LexicalIndex
    k: int = 6
    dense_candidates: int = 20
    lexical_candidates: int = 20
    rrf_k: int = 60
    dense_available: bool = True

    def _dense(self, store: Chroma, vector: list[float], posting: str | None) -> list[tuple[Document, float]]:
        where = {"posting_id": posting} if posting else None
        pairs = store.similarity_search_by_vector_with_relevance_scores(vector, k=self.dense_candidates, filter=where)
        # Chroma returns cosine distance; report similarity (higher is better).
        return [(doc, 1.0 - distance) for doc, distance in pairs]

    def search(self, query: SearchQuery, posting: str | None = None) -> Retrieval:
        """Return the top-k fused chunks for a query, with per-stage timings."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        vector: list[float] | None = None
        try:
            vector = self.embeddings.embed_query(query.text)
        except Exception as exc:  # e.g. a remote embedding endpoint down: keyword search still serves
            log.warning("query embedding failed", extra={"event": "embed_failed", "error": type(exc).__name__})
        timings["embed_ms"] = (time.perf_counter() - started) * 1000

        dense: list[tuple[Document, float]] = []
        dense_failed = False
        started = time.perf_counter()
        if self.store is not None and self.dense_available and vector is not None:
            try:
                dense = self._dense(self.store, vector, posting)
            except Exception as exc:  # a broken store must not stop answers: BM25 still serves
                dense_failed = True
                log.warning("dense search failed", extra={"event": "dense_failed", "error": type(exc).__name__})
        else:
            dense_failed = True
        timings["dense_ms"] = (time.perf_counter() - started) * 1000

        started = time.perf_counter()
        lexical = self.lexical.search(query.terms, self.lexical_candidates, posting)
        timings["lexical_ms"] = (time.perf_counter() - started) * 1000

        started = time.perf_counter()
        fused = self._fuse(dense, lexical)
        timings["fuse_ms"] = (time.perf_counter() - started) * 1000
        return Retrieval(fused, vector, timings, dense_failed)

    def _fuse(self, dense: list[tuple[Document, float]], lexical: list[tuple[Document, float]]) -> list[Document]:
        """Combine both rankings with reciprocal rank fusion (Cormack et al., 2009)."""
        entries: dict[str, dict] = {}
        for kind, ranking in (("dense", dense), ("lexical", lexical)):
            for rank, (doc, score) in enumerate(ranking):
                cid = doc.metadata["chunk_id"]
                entry = entries.setdefault(cid, {"doc": doc, "dense": None, "lexical": None, "fused": 0.0})
                entry[kind] = round(score, 4)
                entry["fused"] += 1.0 / (self.rrf_k + rank + 1)
        ranked = sorted(entries.values(), key=lambda e: e["fused"], reverse=True)[: self.k]
        results = []
        for entry in ranked:
            doc = entry["doc"]
            metadata = dict(doc.metadata)
            metadata.update(
                dense_score=entry["dense"], lexical_score=entry["lexical"], fused_score=round(entry["fused"], 5)
            )
            results.append(Document(id=doc.metadata["chunk_id"], page_content=doc.page_content, metadata=metadata))
        return results

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, posting: str | None = None
    ) -> list[Document]:
        return self.search(SearchQuery(query, tuple(query_terms(query, "en"))), posting).chunks
