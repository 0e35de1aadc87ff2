"""Ingestion is incremental: only new chunks are embedded, vanished ones deleted."""

from __future__ import annotations

import shutil

import pytest
from langchain_core.embeddings import Embeddings

from bot.config import PROJECT_ROOT, Settings
from bot.knowledge import vectorstore
from bot.knowledge.embeddings import make_embeddings
from bot.knowledge.vectorstore import index_is_stale, ingest, open_store

KNOWLEDGE = PROJECT_ROOT / "knowledge"


class CountingEmbeddings(Embeddings):
    """The real model, counting how many texts it embeds."""

    def __init__(self, inner: Embeddings):
        self.inner = inner
        self.embedded = 0

    def embed_documents(self, texts):
        self.embedded += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


@pytest.fixture(scope="module")
def model():
    return make_embeddings(Settings())


def test_incremental_ingest(tmp_path, model):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=knowledge)
    counting = CountingEmbeddings(model)
    store = open_store(settings, counting)
    assert index_is_stale(settings)

    chunks, report = ingest(settings, store)
    assert report.added == len(chunks) == counting.embedded > 0
    assert not index_is_stale(settings)

    counting.embedded = 0
    _, report = ingest(settings, store)
    assert (report.added, report.changed, report.removed, counting.embedded) == (0, 0, 0, 0)
    assert report.unchanged == len(chunks)

    privacy = knowledge / "doubao-llm-research" / "04-privacy.md"
    privacy.write_text(privacy.read_text().replace("## Global applicant privacy policy", "## Privacy policy"))
    (knowledge / "doubao-llm-research" / "06-fair-chance.md").unlink()
    assert index_is_stale(settings)
    _, report = ingest(settings, store)
    assert counting.embedded == 1 and report.added == 1
    assert report.removed >= 1 and any("06-fair-chance.md" in s for s in report.removed_sections)
    stored = store.get(include=["metadatas"])
    assert not any(m["source"].endswith("06-fair-chance.md") for m in stored["metadatas"])


def test_a_new_reader_of_the_knowledge_makes_the_index_stale(tmp_path, model, monkeypatch):
    # The same files read by a new version of the parser make other chunks; the old index no longer matches them.
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)
    ingest(settings, open_store(settings, model))
    assert not index_is_stale(settings)
    monkeypatch.setattr(vectorstore, "reader_version", lambda: "another-reader")
    assert index_is_stale(settings)


def test_reopened_store_keeps_the_index(tmp_path, model):
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)
    chunks, _ = ingest(settings, open_store(settings, model))
    reopened = open_store(settings, model)
    assert len(reopened.get()["ids"]) == len(chunks)
    assert not index_is_stale(settings)


def test_chroma_never_falls_back_to_its_downloading_default(tmp_path, model):
    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)
    ingest(settings, open_store(settings, model))
    collection = open_store(settings, model)._collection
    assert collection.configuration_json["embedding_function"]["name"] == "careers_chat_packaged_e5"
    # Asking Chroma itself to embed uses the packaged model (HF_HUB_OFFLINE=1, no network here).
    hits = collection.query(query_texts=["How many positions can I apply for?"], n_results=1)
    assert "maximum of TWO positions" in hits["documents"][0][0]
