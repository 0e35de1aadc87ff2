"""Faults at start and while running: a broken document, the vector store deleted under the app."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.conftest import KNOWLEDGE, LiveServer, start_server, stop_server

pytestmark = pytest.mark.slow  # real processes

POSTING = "doubao-llm-research"
BROKEN = f"{POSTING}/99-broken.md"
QUESTION = {"message": "When can I start?", "session_id": "fault-session"}


@pytest.fixture(scope="module")
def faulty_server(tmp_path_factory) -> Iterator[LiveServer]:
    """The app restarted over a good index after a broken document was added to its knowledge."""
    base = tmp_path_factory.mktemp("faults")
    knowledge = base / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    env = {"KNOWLEDGE_DIR": str(knowledge)}
    first = start_server(base / "data", env)
    stop_server(first)
    (knowledge / BROKEN).write_bytes(
        b"---\nposting_id: " + POSTING.encode() + b"\n---\n\n# Broken\n\nBad bytes \xff\xfe here.\n"
    )
    server = start_server(base / "data", env)
    yield server
    stop_server(server)


def test_a_broken_document_keeps_the_last_good_index_and_is_reported(faulty_server) -> None:
    with faulty_server.client() as client:
        health = client.get("/api/health").json()
        answer = client.post("/api/chat", json=QUESTION).json()
    assert health["status"] == "degraded"
    assert any("99-broken.md" in problem for problem in health["problems"])
    assert health["chunks"] > 0
    assert answer["status"] == "answered"
    assert "March 4, 2024" in answer["answer"]
    assert answer["citations"]


def test_deleting_the_vector_store_while_running_keeps_answers_and_data(faulty_server) -> None:
    with faulty_server.client() as client:
        before = client.post("/api/chat", json=QUESTION)
        assert before.status_code == 200
        shutil.rmtree(faulty_server.data_dir / "chroma")
        replies = [client.post("/api/chat", json=QUESTION) for _ in range(3)]
        streamed = client.post("/api/chat/stream", json=QUESTION)
        feedback = client.post(
            "/api/feedback",
            json={"session_id": QUESTION["session_id"], "answer": before.json()["answer"], "rating": "up"},
        )
        health = client.get("/api/health")
    assert [r.status_code for r in replies] == [200, 200, 200]
    assert all(r.json()["status"] == "answered" and r.json()["citations"] for r in replies)
    assert "event: done" in streamed.text
    assert feedback.status_code == 201
    assert health.status_code == 200 and health.json()["chunks"] > 0
    assert health.json()["status"] == "degraded"
    assert any("vector store files missing" in p for p in health.json()["problems"])
    assert (faulty_server.data_dir / "careers-chat.sqlite3").exists()


def test_a_deleted_vector_store_is_rebuilt_by_reload_and_at_start(tmp_path) -> None:
    from bot.config import Settings
    from bot.engine.engine import Engine

    settings = Settings(data_dir=tmp_path / "data", knowledge_dir=KNOWLEDGE)
    engine = Engine.build(settings)
    shutil.rmtree(settings.chroma_dir)
    assert engine.health()["status"] == "degraded"
    lexical_only = engine.ask("How many jobs can I apply to?").trace
    assert lexical_only["dense_failed"] and lexical_only["chunks"][0]["dense"] is None
    assert "maximum of TWO positions" in engine.ask("How many jobs can I apply to?").response.answer

    report = engine.reload()
    assert report.added == report.total > 0
    assert engine.health()["status"] == "ok"
    assert engine.ask("How many jobs can I apply to?").trace["chunks"][0]["dense"] is not None


def test_a_corrupt_vector_store_at_start_still_serves_answers(start_app, tmp_path_factory) -> None:
    data = tmp_path_factory.mktemp("corrupt-store")
    (data / "chroma").mkdir()
    (data / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database\x00" * 64)
    server = start_app({"DATA_DIR": str(data)})
    with server.client() as client:
        health = client.get("/api/health").json()
        answer = client.post("/api/chat", json=QUESTION).json()
    assert answer["status"] == "answered" and answer["citations"]
    assert health["chunks"] > 0
    assert health["status"] == "degraded"
    assert any("vector store" in problem for problem in health["problems"])


@pytest.fixture(scope="module")
def llm_app(start_app, fake) -> LiveServer:
    """An LLM-mode app pointed at the fake provider, with a short timeout and no retries."""
    return start_app(
        {
            "OPENAI_API_KEY": "test",
            "OPENAI_BASE_URL": fake.base_url,
            "CHAT_MODEL": "fake-model",
            "LLM_TIMEOUT_SECONDS": "1.5",
            "LLM_MAX_RETRIES": "0",
            "RECRUITER_PASSWORD": "console-secret",
        }
    )


@pytest.mark.parametrize(
    ("fault", "step"),
    [
        ("server error", {"status": 500}),
        ("rate limited", {"status": 429, "headers": {"Retry-After": "30"}}),
        ("too slow", {"latency": 25.0}),
        ("garbage", {"malformed": True}),
    ],
)
def test_llm_faults_under_load_fall_back_for_every_client(llm_app, fake, fault, step) -> None:
    """16 candidates at once while the provider fails: every one gets the cited extractive answer in time."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    app = llm_app
    fake.reset()
    fake.script(default=step)
    questions = ["How many jobs can I apply to?", "What is the salary?", "When can I start?", "Is there a bonus?"]

    def ask(i: int):
        started = time.perf_counter()
        with app.client() as client:
            response = client.post("/api/chat", json={"message": questions[i % len(questions)]})
        return response, time.perf_counter() - started

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(ask, range(16)))
    assert [r.status_code for r, _ in results] == [200] * 16, fault
    bodies = [r.json() for r, _ in results]
    assert all(b["degraded"] and b["status"] == "answered" and b["citations"] for b in bodies), fault
    # LLM_TIMEOUT_SECONDS is 1.5 with no retries. 16 requests sharing 2 busy cores took up to 11 s; a client
    # that waited for the slow provider (25 s) or honoured Retry-After (30 s) would take longer than 18 s.
    assert max(seconds for _, seconds in results) < 18.0, fault


def test_the_console_shows_why_the_model_answer_was_replaced(llm_app, fake) -> None:
    fake.reset()
    fake.script(default={"status": 500})
    with llm_app.client(headers={"Authorization": "Bearer console-secret"}) as client:
        data = client.post("/api/recruiter/try", json={"message": "What is the salary?"}).json()
    assert data["response"]["degraded"] is True
    assert data["trace"]["llm"]["outcome"] == "fallback" and data["trace"]["llm"]["fallback"]
