"""The answering engine: guards -> condense -> retrieve -> select -> answer.

The steps are LangChain runnables chained into one pipeline that accepts
chat history. Guards and the not-found decision come before any answerer,
so every answerer (extractive or LLM) sees only answerable questions and
refusals never reach a model.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from chromadb.api.client import SharedSystemClient
from langchain_core.documents import Document
from langchain_core.runnables import RunnableLambda

from bot.engine import guards
from bot.answerers.base import Answerer, ChatAnswer, Evidence
from bot.knowledge.chunking import chunk_documents
from bot.engine.condense import make_condenser
from bot.config import Settings
from bot.knowledge.embeddings import make_embeddings
from bot.engine.dates import find_dates
from bot.engine.glossary import expand
from bot.answerers.extractive import EvidenceSelector, ExtractiveAnswerer, Selection, UnitEmbeddingCache
from bot.knowledge.documents import KnowledgeError, load_knowledge
from bot.knowledge.lexical import LexicalIndex
from bot.engine.replies import fill, replies
from bot.knowledge.retrieval import HybridRetriever
from bot.knowledge.vectorstore import IngestReport, index_is_stale, ingest, open_store
from bot.knowledge.text import clean_input

log = logging.getLogger(__name__)


class UnknownPostingError(ValueError):
    """The request names a posting the knowledge does not hold."""


@dataclass
class EngineResult:
    """An answer and what led to it."""

    response: ChatAnswer
    trace: dict[str, Any] = field(default_factory=dict)


def _make_answerer(settings: Settings) -> Answerer:
    if settings.llm_enabled:
        from bot.answerers.llm import LLMAnswerer

        return LLMAnswerer(settings)
    return ExtractiveAnswerer()


@dataclass(frozen=True)
class Index:
    """Everything built from one version of the knowledge, swapped as a whole on reload."""

    chunks: list[Document]
    lexical: LexicalIndex
    retriever: HybridRetriever
    selector: EvidenceSelector
    topics: dict[str, list[str]]


class Engine:
    """Answer candidates' questions from the knowledge, with citations."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.embeddings = make_embeddings(settings)
        self.extractive = ExtractiveAnswerer()
        self.answerer = _make_answerer(settings)
        self.condense = make_condenser(settings)
        self.cache = UnitEmbeddingCache(self.embeddings)
        self.knowledge_error: str | None = None
        self.store_error: str | None = None
        self.last_ingest: IngestReport | None = None
        self._lock = threading.Lock()
        self.store = self._open_store()
        self._install(self._load_chunks(initial=True))
        # Steps that each return the extended state, not RunnablePassthrough.assign:
        # assign runs its step through a thread pool, a thread hand-off per step.
        self.prepare_chain = (
            RunnableLambda(self._condense_step) | RunnableLambda(self._retrieve_step) | RunnableLambda(self._select_step)
        ).with_config(run_name="careers_chat_prepare")

    @classmethod
    def build(cls, settings: Settings) -> Engine:
        """Open the index (ingesting knowledge/ when it changed) and get ready to answer."""
        return cls(settings)

    # --- index lifecycle -------------------------------------------------

    def _open_store(self):
        try:
            return open_store(self.settings, self.embeddings)
        except Exception as exc:  # keep serving from BM25 when the vector store is unusable
            self.store_error = f"vector store unavailable ({type(exc).__name__})"
            log.error("vector store unavailable", extra={"event": "store_error", "error": type(exc).__name__})
            return None

    def _load_chunks(self, initial: bool) -> list[Document]:
        """Chunk knowledge/, syncing the store when it changed; keep the last good index on error."""
        try:
            documents = load_knowledge(self.settings.knowledge_dir)
        except KnowledgeError as exc:
            self.knowledge_error = str(exc)
            log.error("knowledge error", extra={"event": "knowledge_error", "error": str(exc)})
            if not initial:
                raise
            return self._chunks_from_store(exc)
        self.knowledge_error = None
        if self.store is not None and (not initial or index_is_stale(self.settings)):
            chunks, self.last_ingest = ingest(self.settings, self.store)
            return chunks
        return chunk_documents(documents, self.settings.chunk_tokens, self.settings.chunk_overlap_tokens)

    def _chunks_from_store(self, error: KnowledgeError) -> list[Document]:
        if self.store is None:
            raise error
        stored = self.store.get(include=["documents", "metadatas"])
        if not stored["ids"]:
            raise error
        return [
            Document(id=cid, page_content=text, metadata=meta)
            for cid, text, meta in zip(stored["ids"], stored["documents"], stored["metadatas"])
        ]

    def _install(self, chunks: list[Document]) -> None:
        lexical = LexicalIndex(chunks)
        retriever = HybridRetriever(
            store=self.store,
            embeddings=self.embeddings,
            lexical=lexical,
            k=self.settings.retrieval_k,
            dense_candidates=self.settings.dense_candidates,
            lexical_candidates=self.settings.lexical_candidates,
            rrf_k=self.settings.rrf_k,
        )
        self.cache.warm(chunks[:2000])
        # One assignment swaps the whole index, so a request never mixes two versions.
        self._index = Index(
            chunks=chunks,
            lexical=lexical,
            retriever=retriever,
            selector=EvidenceSelector(self.cache, lexical, self.settings.not_found_threshold),
            topics=_topics(chunks),
        )

    @property
    def chunks(self) -> list[Document]:
        """Chunks of the current index."""
        return self._index.chunks

    @property
    def lexical(self) -> LexicalIndex:
        """Keyword index of the current index."""
        return self._index.lexical

    @property
    def retriever(self) -> HybridRetriever:
        """Hybrid retriever of the current index."""
        return self._index.retriever

    def _store_files_present(self) -> bool:
        """Tell whether embedded Chroma's files are still on disk (a server is trusted)."""
        return bool(self.settings.chroma_host) or (self.settings.chroma_dir / "chroma.sqlite3").exists()

    def _check_store(self) -> None:
        """Fall back to keyword search when the vector store's files vanished under us.

        Chroma keeps working on deleted files without raising, so absence is
        checked directly; `reload()` or a restart rebuilds the index.
        """
        if self.store is not None and self.retriever.dense_available and not self._store_files_present():
            self.retriever.dense_available = False
            log.error("vector store files missing", extra={"event": "store_missing"})

    def reload(self) -> IngestReport:
        """Re-ingest knowledge/ and swap in the new index without a restart."""
        with self._lock:
            if self.store is None or not self._store_files_present():
                # Drop Chroma's cached client for this path, then rebuild from knowledge/.
                SharedSystemClient.clear_system_cache()
                self.store_error = None
                self.store = self._open_store()
            chunks = self._load_chunks(initial=False)
            self._install(chunks)
            return self.last_ingest or IngestReport(total=len(chunks), unchanged=len(chunks))

    def health(self) -> dict[str, Any]:
        """Report readiness, mode and anything degraded."""
        self._check_store()
        problems = [p for p in (self.store_error, self.knowledge_error) if p]
        if not self.retriever.dense_available and not self.store_error:
            problems.append("vector store files missing: answering from the keyword index until reload or restart")
        return {
            "status": "degraded" if problems else "ok",
            "mode": self.answerer.mode,
            "model": self.settings.chat_model if self.settings.llm_enabled else None,
            "postings": self.lexical.postings,
            "chunks": len(self.chunks),
            "problems": problems,
        }

    # --- answering -------------------------------------------------------

    def resolve_posting(self, posting: str | None) -> str | None:
        """Return the posting to search, or raise for an unknown one."""
        posting = posting or self.settings.default_posting
        if posting is None:
            postings = self.lexical.postings
            return postings[0] if len(postings) == 1 else None
        if posting not in self.lexical.postings:
            known = ", ".join(self.lexical.postings[:10])
            raise UnknownPostingError(f"Unknown posting '{posting}'. Known postings: {known}.")
        return posting

    def _condense_step(self, state: dict) -> dict:
        if state["verdict"].query:
            standalone = state["verdict"].query
        elif state["history"]:
            standalone = self.condense(state["message"], state["history"])
        else:
            standalone = state["message"]
        return {**state, "standalone": standalone}

    def search_query(self, question: str, index: Index | None = None) -> str:
        """Return what is searched for a standalone question: spelling fixed, hiring terms expanded."""
        return expand((index or self._index).lexical.correct_spelling(question), self.settings.prompts_dir)

    def _retrieve_step(self, state: dict) -> dict:
        self._check_store()
        index: Index = state["index"]
        asked = index.lexical.correct_spelling(state["standalone"])
        query = expand(asked, self.settings.prompts_dir)
        return {**state, "asked": asked, "query": query, "retrieval": index.retriever.search(query, state["posting"])}

    def _select_step(self, state: dict) -> dict:
        started = time.perf_counter()
        retrieval = state["retrieval"]
        must = "accommodation_contact" if guards.wants_accommodation(state["message"]) else None
        if state["verdict"].action == "sensitive" and state["verdict"].category == "protected_characteristic":
            must = "accommodation_contact"
        index: Index = state["index"]
        selection = index.selector.select(
            state["query"],
            retrieval.query_vector,
            retrieval.chunks,
            state["today"],
            must_include=must,
            asked=state["asked"],
            topic_score=self._score_without_dates(index, state),
        )
        state["timings"] = dict(retrieval.timings, select_ms=(time.perf_counter() - started) * 1000)
        state["selection"] = selection
        return state

    def _score_without_dates(self, index: Index, state: dict) -> float | None:
        """Score the question with its dates removed (None when it names no date)."""
        mentions = find_dates(state["asked"], state["today"])
        if not mentions:
            return None
        topic = state["asked"]
        for mention in mentions:
            topic = topic.replace(mention.text, " ")
        query = expand(topic, self.settings.prompts_dir)
        retrieval = index.retriever.search(query, state["posting"])
        scored = index.selector.score(query, retrieval.query_vector, retrieval.chunks, topic)
        return scored[0].score if scored else 0.0

    def _prepare(self, message: str, history: list[dict], posting: str | None) -> dict:
        """Run guards, condense, retrieve and select; return the pipeline state."""
        message = clean_input(message)
        verdict = guards.check(message)
        state = {
            "message": message,
            "history": history,
            "posting": self.resolve_posting(posting),
            "verdict": verdict,
            "today": self.settings.current_date(),
            "index": self._index,
        }
        if verdict.action == "refuse":
            return state
        return self.prepare_chain.invoke(state)

    def _finish(self, state: dict) -> tuple[ChatAnswer | None, Evidence | None]:
        """Return a final answer (refused / not found) or the evidence to answer from."""
        verdict = state["verdict"]
        texts = replies(self.settings.prompts_dir)
        if verdict.action == "refuse":
            reason = texts["refusals"].get(verdict.category, texts["refusals"]["off_topic"])
            help_line = self._help_line(state, texts)
            return ChatAnswer(answer=f"{reason} {help_line}", status="refused", citations=[], mode=self.answerer.mode), None
        selection: Selection = state["selection"]
        if selection.status == "not_found":
            help_line = self._help_line(state, texts)
            return ChatAnswer(answer=f"{texts['not_found']} {help_line}", status="not_found", citations=[], mode=self.answerer.mode), None
        fallback = self.extractive.compose(selection, state["today"])
        if verdict.action == "sensitive":
            state["preface"] = texts["sensitive"] + "\n\n"
        evidence = Evidence(
            question=state["message"],
            standalone=state["standalone"],
            history=state["history"],
            chunks=state["retrieval"].chunks,
            selected=selection.selected,
            today=state["today"],
            fallback=fallback,
        )
        return None, evidence

    def _help_line(self, state: dict, texts: dict) -> str:
        """Say what the posting's documents cover (all postings' when none is chosen)."""
        topics = state["index"].topics
        named = topics.get(state["posting"]) or list(dict.fromkeys(t for ts in topics.values() for t in ts))
        return fill(texts["help"], topics=", ".join(named))

    def _trace(self, state: dict, response: ChatAnswer, started: float) -> dict[str, Any]:
        verdict = state["verdict"]
        trace: dict[str, Any] = {
            "standalone": state.get("standalone"),
            "guard": verdict.category,
            "guard_action": verdict.action,
            "store_text": verdict.store_text,
            "posting": state.get("posting"),
            "timings": {k: round(v, 2) for k, v in state.get("timings", {}).items()},
        }
        selection = state.get("selection")
        if selection is not None:
            trace["best_score"] = selection.best_score
            trace["chunks"] = [
                {
                    "chunk_id": c.metadata["chunk_id"],
                    "section": c.metadata["section"],
                    "source": c.metadata["source"],
                    "dense": c.metadata.get("dense_score"),
                    "lexical": c.metadata.get("lexical_score"),
                    "fused": c.metadata.get("fused_score"),
                }
                for c in state["retrieval"].chunks
            ]
            trace["used"] = [
                {"text": s.unit.text, "score": s.score, "section": s.chunk.metadata["section"]}
                for s in selection.selected
            ]
            trace["dense_failed"] = state["retrieval"].dense_failed
        if state.get("llm"):
            trace["llm"] = state["llm"]
        trace["timings"]["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
        log.info(
            "answer",
            extra={
                "event": "answer",
                "status": response.status,
                "mode": response.mode,
                "degraded": response.degraded,
                "guard": verdict.category,
                "posting": state.get("posting"),
                "latency_ms": trace["timings"]["total_ms"],
            },
        )
        return trace

    def ask(self, message: str, history: list[dict] | None = None, posting: str | None = None) -> EngineResult:
        """Answer one message in the context of the conversation so far."""
        started = time.perf_counter()
        state = self._prepare(message, history or [], posting)
        final, evidence = self._finish(state)
        if final is None:
            answer_started = time.perf_counter()
            final = _prefaced(self.answerer.answer(evidence), state)
            state.setdefault("timings", {})["answer_ms"] = (time.perf_counter() - answer_started) * 1000
            state["llm"] = evidence.notes.get("llm")
        return EngineResult(final, self._trace(state, final, started))

    def stream_with_trace(
        self, message: str, history: list[dict] | None = None, posting: str | None = None
    ) -> Iterator[tuple[str, Any]]:
        """Yield ("delta", {...}) events, ("citations", [...]), ("done", {...}), then ("result", EngineResult).

        The last item is for callers that store the exchange; clients get the first three.
        """
        started = time.perf_counter()
        state = self._prepare(message, history or [], posting)
        final, evidence = self._finish(state)
        if final is None:
            answer_started = time.perf_counter()
            if state.get("preface"):
                yield "delta", {"text": state["preface"]}
            for item in self.answerer.stream(evidence):
                if isinstance(item, ChatAnswer):
                    final = item
                elif item:
                    yield "delta", {"text": item}
            state.setdefault("timings", {})["answer_ms"] = (time.perf_counter() - answer_started) * 1000
            state["llm"] = evidence.notes.get("llm")
            final = _prefaced(final or evidence.fallback, state)
        else:
            yield "delta", {"text": final.answer}
        citations = [c.model_dump() for c in final.citations]
        yield "citations", citations
        yield "done", final.model_dump()
        yield "result", EngineResult(final, self._trace(state, final, started))


def _prefaced(answer: ChatAnswer, state: dict) -> ChatAnswer:
    """Put the fixed preface (for sensitive messages) before any answerer's text."""
    preface = state.get("preface")
    return answer.model_copy(update={"answer": preface + answer.answer}) if preface else answer


def _topics(chunks: list[Document]) -> dict[str, list[str]]:
    """List each posting's document headings in knowledge order, for the help line."""
    topics: dict[str, dict[str, None]] = {}
    for chunk in chunks:
        heading = chunk.metadata.get("topic") or chunk.metadata["section"]
        topics.setdefault(chunk.metadata["posting_id"], {})[heading] = None
    return {posting: list(headings) for posting, headings in topics.items()}
