"""The store against a real Chroma server (`chroma run`), as several replicas would share it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import httpx
import pytest
from chromadb.config import Settings as ChromaSettings

from bot.config import Settings
from bot.engine.engine import Engine
from bot.knowledge.embeddings import space_of
from bot.knowledge.vectorstore import collection_name

CHROMA = Path(sys.executable).parent / "chroma"
READY_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """Run `chroma run` on a free local port until the module's tests finish."""
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False", HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    log = (path / "server.log").open("wb")
    process = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + READY_SECONDS
        while True:
            assert process.poll() is None, (path / "server.log").read_text(errors="replace")
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "chroma server did not become ready"
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


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
