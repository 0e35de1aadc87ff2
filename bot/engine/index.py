"""The knowledge index and its lifecycle: build at start, reload without a restart, report health.

Everything built from one version of the knowledge (chunks, BM25, the
retriever, the embedded units, titles and topics) is one frozen `Index`,
swapped in a single assignment, so a request never mixes two versions.
A broken document keeps the last good index; a vector store that is
unusable or vanished leaves keyword search serving until a reload rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass

from chromadb.api.client import SharedSystemClient
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.config import Settings
from bot.engine.evidence import UnitIndex
from bot.knowledge.chunking import chunk_documents
from bot.knowledge.documents import KnowledgeError, load_knowledge
from bot.knowledge.embeddings import space_of
from bot.knowledge.lexical import LexicalIndex
from bot.knowledge.retrieval import HybridRetriever
from bot.knowledge.vectorstore import IngestReport, index_is_stale, ingest, open_store
from bot.records.redaction import emails_in

log = logging.getLogger(__name__)

WARM_UNITS = 5000  # embed every unit at start while the corpus has at most this many


class UnknownPostingError(ValueError):
    """The request names a posting the knowledge does not hold."""


@dataclass(frozen=True)
class Index:
    """Everything built from one version of the knowledge."""

    chunks: list[Document]
    lexical: LexicalIndex
    retriever: HybridRetriever
    units: UnitIndex
    topics: dict[str, list[str]]  # posting -> what it covers, for the help line (help_topics)
    titles: dict[str, str]  # posting -> title
    public_emails: frozenset[str]  # the contacts the knowledge publishes, which redaction keeps

    @property
    def postings(self) -> list[str]:
        """Posting ids present in the index."""
        return self.lexical.postings


class KnowledgeIndex:
    """Build the index from knowledge/, keep it in step with the files, report its health."""

    def __init__(self, settings: Settings, embeddings: Embeddings, today: dt.date) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self.today = today
        self.knowledge_error: str | None = None
        self.store_error: str | None = None
        self.last_ingest: IngestReport | None = None
        self._lock = threading.Lock()
        self.store = self._open_store()
        self.current = self._build(self._load_chunks(initial=True))

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
        if self.store is not None and (
            not initial or index_is_stale(self.settings, space_of(self.embeddings, self.settings))
        ):
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
            for cid, text, meta in zip(stored["ids"], stored["documents"], stored["metadatas"], strict=True)
        ]

    def _build(self, chunks: list[Document]) -> Index:
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
        space = space_of(self.embeddings, self.settings)
        units = UnitIndex(chunks, self.embeddings, self.today, space, self.settings.data_dir / "cache")
        units.warm(WARM_UNITS)
        titles: dict[str, str] = {}
        for chunk in chunks:
            titles.setdefault(chunk.metadata["posting_id"], chunk.metadata.get("title") or chunk.metadata["posting_id"])
        emails = emails_in(chunk.page_content for chunk in chunks)
        return Index(chunks, lexical, retriever, units, help_topics(chunks), titles, emails)

    def _store_files_present(self) -> bool:
        """Tell whether embedded Chroma's files are still on disk (a server is trusted)."""
        return bool(self.settings.chroma_host) or (self.settings.chroma_dir / "chroma.sqlite3").exists()

    def check_store(self) -> None:
        """Fall back to keyword search when the vector store's files vanished under us.

        Chroma keeps working on deleted files without raising, so absence is
        checked directly; `reload()` or a restart rebuilds the index.
        """
        retriever = self.current.retriever
        if self.store is not None and retriever.dense_available and not self._store_files_present():
            retriever.dense_available = False
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
            self.current = self._build(chunks)
            return self.last_ingest or IngestReport(total=len(chunks), unchanged=len(chunks))

    def problems(self) -> list[str]:
        """Name what is degraded, if anything."""
        self.check_store()
        problems = [p for p in (self.store_error, self.knowledge_error) if p]
        if not self.current.retriever.dense_available and not self.store_error:
            problems.append("vector store files missing: answering from the keyword index until reload or restart")
        return problems

    def resolve_posting(self, posting: str | None) -> str | None:
        """Return the posting to search, or raise for an unknown one."""
        postings = self.current.postings
        posting = posting or self.settings.default_posting
        if posting is None:
            return postings[0] if len(postings) == 1 else None
        if posting not in postings:
            known = ", ".join(postings[:10])
            raise UnknownPostingError(f"Unknown posting '{posting}'. Known postings: {known}.")
        return posting


def help_topics(chunks: list[Document]) -> dict[str, list[str]]:
    """Return what each posting covers, for the help line: its documents' titles, or else its sections.

    A posting kept as several documents ("Start dates", "Accommodations") is
    named by them; a posting kept as one document has one title, the job's,
    which says nothing about what can be asked, so its section headings are listed.
    """
    documents: dict[str, dict[str, None]] = {}
    sections: dict[str, dict[str, None]] = {}
    for chunk in chunks:
        posting = chunk.metadata["posting_id"]
        topic = chunk.metadata.get("topic") or chunk.metadata["section"]
        documents.setdefault(posting, {})[topic] = None
        heading = chunk.metadata["section"].strip().rstrip(":").strip()
        if heading and heading != topic:
            sections.setdefault(posting, {})[heading] = None
    return {
        posting: list(titles) if len(titles) > 1 or not sections.get(posting) else list(sections[posting])
        for posting, titles in documents.items()
    }
