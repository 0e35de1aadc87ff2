"""The store against a real Chroma server (`chroma run`), as several replicas would share it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from bot.config import Settings
from bot.engine.engine import Engine
from bot.knowledge.embeddings import space_of
from bot.knowledge.vectorstore import collection_name
from tests.services import ChromaServer


@pytest.fixture(scope="module")
def chroma_server() -> Iterator[int]:
    """Run `chroma run` on a free local port until the module's tests finish."""
    server = ChromaServer().start()
    yield server.port
    server.remove()


def test_engine_ingests_into_and_answers_through_a_chroma_server(chroma_server: int, tmp_path: Path) -> None:
    settings = Settings(chroma_host="127.0.0.1", chroma_port=chroma_server, data_dir=tmp_path)
    engine = Engine.build(settings)

    assert engine.knowledge.store_error is None
    assert engine.health()["status"] == "ok"
    assert not (tmp_path / "chroma").exists(), "a server-backed store must not write an embedded index"

    client = chromadb.HttpClient(
        host="127.0.0.1", port=chroma_server, settings=ChromaSettings(anonymized_telemetry=False)
    )
    served = client.get_collection(collection_name(space_of(engine.embeddings, settings)))
    assert served.count() == len(engine.chunks) > 0

    result = engine.ask("What are the start dates?")
    assert result.response.status == "answered"
    assert "January 15, 2024" in result.response.answer
    assert result.response.citations
    assert result.trace["dense_failed"] is False
    assert any(chunk["dense"] is not None for chunk in result.trace["chunks"])


def test_a_second_replica_reuses_the_served_index(chroma_server: int, tmp_path: Path) -> None:
    first = Engine.build(Settings(chroma_host="127.0.0.1", chroma_port=chroma_server, data_dir=tmp_path / "a"))
    second = Engine.build(Settings(chroma_host="127.0.0.1", chroma_port=chroma_server, data_dir=tmp_path / "b"))

    assert second.last_ingest is not None
    assert second.last_ingest.added == 0
    assert second.last_ingest.unchanged == len(first.chunks)
    assert second.ask("When can I start?").response.citations
