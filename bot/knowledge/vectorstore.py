"""Keep the Chroma collection in step with the knowledge chunks.

Embedded Chroma under the data dir by default; `CHROMA_HOST`/`CHROMA_PORT`
use a Chroma server so several replicas share one index. Ingestion is
incremental: chunk ids are content hashes, so only new chunks are embedded
and chunks that left `knowledge/` are deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.config import COLLECTION_NAME, Settings, resource_dir
from bot.knowledge.chunking import chunk_documents
from bot.knowledge.documents import knowledge_fingerprint, load_knowledge
from bot.knowledge.embeddings import PackagedE5, embeddings_name, space_of

log = logging.getLogger(__name__)

ADD_BATCH = 256
MANIFEST_NAME = "index-manifest.json"


@dataclass
class IngestReport:
    """What an ingest changed in the index."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    total: int = 0
    seconds: float = 0.0
    added_sections: list[str] = field(default_factory=list)
    changed_sections: list[str] = field(default_factory=list)
    removed_sections: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Return the report as plain data."""
        return asdict(self)


def make_client(settings: Settings) -> chromadb.ClientAPI:
    """Open the configured Chroma client with telemetry off."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def collection_name(space: str) -> str:
    """Name the collection after the embedding space it holds."""
    return f"{COLLECTION_NAME}_{space}".replace(".", "-")


def open_store(settings: Settings, embeddings: Embeddings) -> Chroma:
    """Open (or create) the cosine-distance collection behind LangChain's Chroma."""
    return Chroma(
        client=make_client(settings),
        collection_name=collection_name(space_of(embeddings, settings)),
        embedding_function=embeddings,
        collection_metadata={"hnsw:space": "cosine"},
        collection_configuration={"embedding_function": PackagedE5()},
    )


def _section_key(metadata: dict) -> str:
    return f"{metadata.get('posting_id')}/{metadata.get('source')}#{metadata.get('section')}"


def sync_chunks(store: Chroma, chunks: list[Document]) -> IngestReport:
    """Add new chunks and delete vanished ones; leave unchanged chunks alone."""
    started = time.perf_counter()
    existing = store.get(include=["metadatas"])
    existing_meta = dict(zip(existing["ids"], existing["metadatas"], strict=True))
    wanted = {chunk.id: chunk for chunk in chunks}
    new = [chunk for cid, chunk in wanted.items() if cid not in existing_meta]
    gone = [cid for cid in existing_meta if cid not in wanted]

    if gone:
        store.delete(ids=gone)
    for start in range(0, len(new), ADD_BATCH):
        batch = new[start : start + ADD_BATCH]
        store.add_documents(batch, ids=[chunk.id for chunk in batch])

    gone_keys = {_section_key(existing_meta[cid] or {}) for cid in gone}
    new_keys = {_section_key(chunk.metadata) for chunk in new}
    changed = sorted(gone_keys & new_keys)
    report = IngestReport(
        added=len([c for c in new if _section_key(c.metadata) not in gone_keys]),
        changed=len([c for c in new if _section_key(c.metadata) in gone_keys]),
        removed=len([cid for cid in gone if _section_key(existing_meta[cid] or {}) not in new_keys]),
        unchanged=len(wanted) - len(new),
        total=len(wanted),
        seconds=round(time.perf_counter() - started, 3),
        added_sections=sorted(new_keys - gone_keys),
        changed_sections=changed,
        removed_sections=sorted(gone_keys - new_keys),
    )
    log.info(
        "ingest", extra={"event": "ingest", **{k: v for k, v in report.as_dict().items() if not k.endswith("sections")}}
    )
    return report


def manifest_path(settings: Settings) -> Path:
    """Return where the fingerprint of the last ingested knowledge is kept."""
    return settings.data_dir / MANIFEST_NAME


@cache
def reader_version() -> str:
    """Hash the code and word lists that read knowledge files into chunks.

    A new version of the reader cuts the same files into other chunks, which
    the index must hold before it answers from them.
    """
    digest = hashlib.sha256()
    for path in [*sorted(Path(__file__).parent.glob("*.py")), resource_dir("prompts") / "job_boards.yaml"]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _manifest_state(settings: Settings, space: str | None = None) -> dict:
    return {
        "fingerprint": knowledge_fingerprint(settings.knowledge_dir),
        "reader": reader_version(),
        "embeddings": space or embeddings_name(settings),
        "chunk_tokens": settings.chunk_tokens,
        "chunk_overlap_tokens": settings.chunk_overlap_tokens,
        "chroma": settings.chroma_host or str(settings.chroma_dir.resolve()),
    }


def index_is_stale(settings: Settings, space: str | None = None) -> bool:
    """Tell whether knowledge/, the chunking or the embedding space changed since the last ingest."""
    path = manifest_path(settings)
    if not path.exists() or (not settings.chroma_host and not settings.chroma_dir.exists()):
        return True
    try:
        return json.loads(path.read_text()) != _manifest_state(settings, space)
    except (OSError, ValueError):
        return True


def ingest(settings: Settings, store: Chroma) -> tuple[list[Document], IngestReport]:
    """Load knowledge/, chunk it and bring the store in step; return the chunks."""
    documents = load_knowledge(settings.knowledge_dir)
    chunks = chunk_documents(documents, settings.chunk_tokens, settings.chunk_overlap_tokens)
    report = sync_chunks(store, chunks)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    manifest_path(settings).write_text(
        json.dumps(_manifest_state(settings, space_of(store.embeddings, settings)), indent=2)
    )
    return chunks, report
