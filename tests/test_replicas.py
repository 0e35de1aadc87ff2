"""Two app replicas on real shared services: PostgreSQL, Redis and a Chroma server.

The replicas sit behind a (pretend) trusted proxy at 127.0.0.1, so each test
is its own client by its X-Forwarded-For address and has its own budgets.
The outage test runs last: it stops and restarts the session's servers.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator

import httpx
import pytest

from bench.replicas import load_check
from tests.conftest import KNOWLEDGE, LiveServer, start_server, stop_server

pytestmark = [pytest.mark.services, pytest.mark.slow]

PASSWORD = "replica-console-secret"
BUDGET = 60  # messages a minute per client
SIGNIN_FAILURES = 10
SYNC_SECONDS = 1
PLANTED_EMAIL = "jane.candidate@example.org"
SALARY_FILE = "05-pay-and-benefits.md"
OLD_RANGE, NEW_RANGE = "$136800 - $205000", "$151500 - $219000"


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory):
    """A copy of knowledge/ that both replicas read (one volume in compose.yaml)."""
    folder = tmp_path_factory.mktemp("shared-knowledge") / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    return folder


@pytest.fixture(scope="module")
def replicas(postgres, redis_server, chroma, knowledge, tmp_path_factory) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Replicas A and B sharing the database, the rate-limit storage, the Chroma server and knowledge/."""
    env = {
        "DATABASE_URL": postgres.create_database("replicas"),
        "RATE_LIMIT_STORAGE_URI": redis_server.url,
        "CHROMA_HOST": "127.0.0.1",
        "CHROMA_PORT": str(chroma.port),
        "KNOWLEDGE_DIR": str(knowledge),
        "KNOWLEDGE_SYNC_SECONDS": str(SYNC_SECONDS),
        "RECRUITER_PASSWORD": PASSWORD,
        "RATE_LIMIT_PER_MINUTE": str(BUDGET),
        "RECRUITER_SIGNIN_FAILURES_PER_MINUTE": str(SIGNIN_FAILURES),
        "TRUSTED_PROXIES": "127.0.0.1",
    }
    a = start_server(tmp_path_factory.mktemp("replica-a"), env)  # ingests into the Chroma server first
    try:
        b = start_server(tmp_path_factory.mktemp("replica-b"), env)
    except Exception:
        stop_server(a)
        raise
    yield a, b
    stop_server(b)
    stop_server(a)


def client(server: LiveServer, address: str, **headers: str) -> httpx.Client:
    return server.client(headers={"X-Forwarded-For": address, **headers})


def recruiter(server: LiveServer, address: str) -> httpx.Client:
    return client(server, address, Authorization=f"Bearer {PASSWORD}")


def ask(server: LiveServer, address: str, message: str, session: str = "s") -> httpx.Response:
    with client(server, address) as http:
        return http.post("/api/chat", json={"message": message, "session_id": session})


def wait_for(condition, seconds: float = 30.0, every: float = 0.5):
    """Return condition()'s first truthy value, polling for up to seconds."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def test_both_replicas_are_ready_and_healthy(replicas) -> None:
    for server in replicas:
        with server.client() as http:
            ready, health = http.get("/api/ready"), http.get("/api/health").json()
        assert ready.status_code == 200 and ready.json()["ready"] is True
        assert health["status"] == "ok" and health["problems"] == []


def test_a_question_asked_on_a_is_in_the_export_on_b_redacted(replicas) -> None:
    a, b = replicas
    reply = ask(a, "192.0.2.10", f"I am {PLANTED_EMAIL}. When does the role start?", session="export-session")
    assert reply.status_code == 200 and reply.json()["message_id"] is not None
    with recruiter(b, "192.0.2.10") as http:
        exported = http.get("/api/recruiter/export")
    assert exported.status_code == 200
    questions = [m["question"] for m in exported.json()["messages"]]
    assert "I am [email]. When does the role start?" in questions
    assert PLANTED_EMAIL not in exported.text and "export-session" not in exported.text


def test_a_client_alternating_replicas_spends_one_shared_budget(replicas) -> None:
    codes = [
        ask(replicas[n % 2], "192.0.2.20", "When can I start?", session=f"s{n}").status_code for n in range(BUDGET)
    ]
    assert codes == [200] * BUDGET
    for server in replicas:
        refused = ask(server, "192.0.2.20", "When can I start?", session="another")
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert refused.headers["retry-after"] in refused.json()["detail"]
    assert ask(replicas[1], "192.0.2.21", "When can I start?").status_code == 200, "other clients keep their budget"


def test_recruiter_password_guesses_count_across_replicas(replicas) -> None:
    codes = []
    for n in range(SIGNIN_FAILURES):
        with client(replicas[n % 2], "198.51.100.66", Authorization=f"Bearer guess-{n}") as http:
            codes.append(http.get("/api/recruiter/session").status_code)
    assert codes == [401] * SIGNIN_FAILURES
    for server in replicas:
        with recruiter(server, "198.51.100.66") as http:
            refused = http.get("/api/recruiter/session")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    with recruiter(replicas[0], "192.0.2.30") as http:
        assert http.get("/api/recruiter/session").status_code == 200


def test_a_reload_on_a_is_answered_from_the_new_text_on_b(replicas, knowledge) -> None:
    a, b = replicas

    def salary_on_b() -> str:
        reply = ask(b, "192.0.2.40", "What is the base salary range?")
        assert reply.status_code == 200
        return reply.json()["answer"]

    assert "136800" in salary_on_b()
    posting = knowledge / "doubao-llm-research" / SALARY_FILE
    posting.write_text(posting.read_text(encoding="utf-8").replace(OLD_RANGE, NEW_RANGE), encoding="utf-8")
    with recruiter(a, "192.0.2.40") as http:
        reload = http.post("/api/recruiter/reload")
    assert reload.status_code == 200 and reload.json()["changed"] >= 1
    started = time.monotonic()
    answer = wait_for(lambda: next((text for text in [salary_on_b()] if "151500" in text), None), seconds=30)
    assert answer and "136800" not in answer, "B answers from the new text"
    assert time.monotonic() - started < 30
    with a.client() as on_a, b.client() as on_b:
        assert on_a.get("/api/ready").json()["knowledge_version"] == on_b.get("/api/ready").json()["knowledge_version"]


def test_sixteen_clients_across_both_replicas_get_no_errors(replicas) -> None:
    questions = ["When can I start?", "What is the base salary range?", "Is relocation offered?", "How do I apply?"]
    result = load_check([server.url for server in replicas], questions, seconds=5)
    assert result["n"] > 16 and result["errors"] == 0, result


def test_redis_then_postgres_going_away_never_breaks_chat_and_both_recover(replicas, redis_server, postgres) -> None:
    address = "192.0.2.50"

    def chat_everywhere() -> list[httpx.Response]:
        replies = [ask(server, address, "When can I start?", session="outage") for server in replicas]
        with client(replicas[0], address) as http:
            stream = http.post("/api/chat/stream", json={"message": "When can I start?", "session_id": "outage"})
        assert stream.status_code == 200 and "event: done" in stream.text
        assert [r.status_code for r in replies] == [200, 200], [r.text for r in replies]
        return replies

    def problems(server: LiveServer) -> list[str]:
        with server.client() as http:
            health = http.get("/api/health")
            ready = http.get("/api/ready")
        assert health.status_code == 200 and ready.status_code == 200
        report = health.json()
        assert set(report) >= {"status", "mode", "model", "postings", "chunks", "problems"}
        assert (report["status"] == "degraded") == bool(report["problems"])
        return report["problems"]

    def outage_named(word: str) -> bool:
        return all(any(word in problem for problem in problems(server)) for server in replicas)

    redis_server.stop()
    try:
        chat_everywhere()
        assert wait_for(lambda: outage_named("Redis rate-limit storage"), seconds=10)
    finally:
        redis_server.start()
    assert wait_for(lambda: all(problems(server) == [] for server in replicas), seconds=20)

    postgres.stop()
    try:
        replies = chat_everywhere()
        assert all(reply.json()["message_id"] is None for reply in replies), "answered, though not stored"
        assert wait_for(lambda: outage_named("PostgreSQL database"), seconds=10)
        with recruiter(replicas[1], address) as http:
            export = http.get("/api/recruiter/export")
        assert export.status_code == 503 and "unavailable" in export.json()["detail"]
    finally:
        postgres.start()
    assert wait_for(lambda: all(problems(server) == [] for server in replicas), seconds=20)
    stored = ask(replicas[0], address, "After the outage, when can I start?", session="outage").json()
    assert stored["message_id"] is not None
    with recruiter(replicas[1], address) as http:
        assert "After the outage, when can I start?" in http.get("/api/recruiter/export").text
    with replicas[0].client() as http:
        assert http.get("/api/ready").json()["storage_failures"] >= 1
