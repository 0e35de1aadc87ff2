"""LLM answers through the real ChatOpenAI client against a scripted local server (real-part tier).

The fake server (tests/fake_openai_server.py) runs as its own process and
speaks the OpenAI chat-completions protocol over HTTP, so retries, timeouts,
streaming and malformed bodies go through the same code as with a provider.
What the answerer does with a reply (sentence checks, fallbacks) is covered
in process in test_llm.py.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator

import httpx
import pytest
from langchain_core.documents import Document

from bot.answerers.base import ChatAnswer, Evidence
from bot.answerers.llm import LLMAnswerer
from bot.answerers.prompts import load_prompts
from bot.config import PROJECT_ROOT, Settings
from bot.knowledge.chunking import chunk_documents
from bot.knowledge.documents import load_knowledge
from bot.knowledge.text import normalize_space, plain_text
from tests.conftest import LiveServer, free_port, start_server, stop_server
from tests.fake_openai_server import FakeOpenAI, measure_ttft_overhead, start
from tests.fakes import FALLBACK, answerer_evidence

TIMEOUT = 1.5
MARGIN = 0.75  # thread hand-off, fallback and scheduling on a busy 2-core machine
TODAY = dt.date(2024, 1, 10)


@pytest.fixture
def isolated() -> Iterator[FakeOpenAI]:
    """A server of its own, for tests whose abandoned calls would retry into later tests."""
    server = start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chunks() -> dict[str, Document]:
    settings = Settings(_env_file=None)
    documents = load_knowledge(settings.knowledge_dir)
    return {
        c.metadata["section"]: c
        for c in chunk_documents(documents, settings.chunk_tokens, settings.chunk_overlap_tokens)
    }


def llm_settings(fake: FakeOpenAI, **overrides) -> Settings:
    values = dict(
        openai_api_key="test",
        openai_base_url=fake.base_url,
        chat_model="fake-model",
        llm_timeout_seconds=TIMEOUT,
        llm_max_retries=1,
    )
    values.update(overrides)
    return Settings(_env_file=None, **values)


def evidence(
    chunks: dict[str, Document],
    sections: list[str],
    question: str = "Does the limit apply to affiliates?",
    history: list[dict] | None = None,
) -> Evidence:
    return answerer_evidence(chunks, sections, question, history, today=TODAY)


def run_stream(answerer: LLMAnswerer, ev: Evidence) -> tuple[list[str], ChatAnswer, float]:
    started = time.perf_counter()
    items = list(answerer.stream(ev))
    elapsed = time.perf_counter() - started
    assert isinstance(items[-1], ChatAnswer)
    assert all(isinstance(i, str) for i in items[:-1])
    return items[:-1], items[-1], elapsed


def assert_verbatim(answer: ChatAnswer, chunks: dict[str, Document]) -> None:
    for citation in answer.citations:
        assert normalize_space(citation.quote) in plain_text(chunks[citation.section].page_content)


def assert_fallback(answer: ChatAnswer, ev: Evidence, reason: str) -> None:
    assert answer.degraded is True
    assert answer.answer == FALLBACK.answer and answer.citations == FALLBACK.citations
    assert reason in ev.notes["llm"]["fallback"], ev.notes["llm"]


# --- answers -------------------------------------------------------------------


def test_stream_yields_deltas_then_a_validated_answer(server, chunks):
    server.script([{"cite": ["affiliates"], "chunk_chars": 7}])
    ev = evidence(chunks, ["Start dates", "Application limit"])
    deltas, final, _ = run_stream(LLMAnswerer(llm_settings(server)), ev)
    assert len(deltas) == 1  # one sentence, shown once it passed the checks
    assert final.mode == "llm" and final.status == "answered" and not final.degraded
    assert "".join(deltas) == final.answer
    assert final.answer.endswith("[1]")
    assert [c.section for c in final.citations] == ["Application limit"]
    assert (
        final.citations[0].quote
        == "The application limit is applicable to ByteDance and its affiliates' jobs globally."
    )
    assert_verbatim(final, chunks)
    assert ev.notes["llm"]["prompt_version"] == load_prompts(PROJECT_ROOT / "prompts").version
    assert server.requests()[0]["body"]["stream"] is True


def test_answer_asks_without_streaming(server, chunks):
    server.script([{"cite": ["affiliates"]}])
    final = LLMAnswerer(llm_settings(server)).answer(evidence(chunks, ["Application limit"]))
    assert not final.degraded and final.citations[0].section == "Application limit"
    assert server.requests()[0]["body"]["stream"] is False


# --- faults --------------------------------------------------------------------


def test_rate_limit_retry_honours_retry_after(server, chunks):
    server.script([{"status": 429, "headers": {"Retry-After": "0.9"}}, {"cite": ["affiliates"]}])
    _, final, _ = run_stream(
        LLMAnswerer(llm_settings(server, llm_timeout_seconds=3)), evidence(chunks, ["Application limit"])
    )
    assert not final.degraded
    first, second = server.requests()
    # The client's own first backoff is at most 0.5 s; waiting 0.9 s shows Retry-After was used.
    assert 0.85 <= second["time"] - first["time"] < 1.6


def test_server_errors_are_retried_then_fall_back(server, chunks):
    server.script([{"status": 500, "times": -1}])
    ev = evidence(chunks, ["Application limit"])
    _, final, elapsed = run_stream(LLMAnswerer(llm_settings(server, llm_max_retries=1)), ev)
    assert_fallback(final, ev, ":500")
    assert len(server.requests()) == 2
    assert elapsed < TIMEOUT + MARGIN


def test_rate_limit_longer_than_the_timeout_falls_back_in_time(isolated, chunks):
    isolated.script([{"status": 429, "headers": {"Retry-After": "30"}, "times": -1}])
    ev = evidence(chunks, ["Application limit"])
    _, final, elapsed = run_stream(LLMAnswerer(llm_settings(isolated)), ev)
    assert_fallback(final, ev, "timeout")
    assert elapsed < TIMEOUT + MARGIN


@pytest.mark.parametrize("streaming", [True, False])
def test_a_slow_model_falls_back_within_the_timeout(isolated, chunks, streaming):
    isolated.script([{"latency": 10, "times": -1}])
    ev = evidence(chunks, ["Application limit"])
    answerer = LLMAnswerer(llm_settings(isolated))
    started = time.perf_counter()
    final = run_stream(answerer, ev)[1] if streaming else answerer.answer(ev)
    assert_fallback(final, ev, "timeout")
    assert time.perf_counter() - started < TIMEOUT + MARGIN


def test_a_late_first_token_falls_back_within_the_timeout(isolated, chunks):
    isolated.script([{"ttft": 10, "cite": ["affiliates"]}])
    ev = evidence(chunks, ["Application limit"])
    deltas, final, elapsed = run_stream(LLMAnswerer(llm_settings(isolated)), ev)
    assert deltas == [FALLBACK.answer]
    assert_fallback(final, ev, "timeout")
    assert elapsed < TIMEOUT + MARGIN


def test_a_stalled_stream_ends_with_the_fallback(isolated, chunks):
    isolated.script([{"cite": ["affiliates"], "chunk_chars": 10, "chunk_delay": 10}])
    ev = evidence(chunks, ["Application limit"])
    deltas, final, elapsed = run_stream(LLMAnswerer(llm_settings(isolated)), ev)
    assert deltas == [FALLBACK.answer]  # half a sentence is never shown
    assert_fallback(final, ev, "timeout")
    assert elapsed < TIMEOUT + MARGIN


def test_a_dropped_stream_ends_with_the_fallback(server, chunks):
    server.script([{"cite": ["affiliates"], "chunk_chars": 10, "drop_after": 2}])
    ev = evidence(chunks, ["Application limit"])
    deltas, final, _ = run_stream(LLMAnswerer(llm_settings(server)), ev)
    assert deltas == [FALLBACK.answer]  # half a sentence is never shown
    assert final.degraded and final.answer == FALLBACK.answer


@pytest.mark.parametrize("streaming", [True, False])
def test_malformed_responses_fall_back(server, chunks, streaming):
    server.script([{"malformed": True, "times": -1}])
    ev = evidence(chunks, ["Application limit"])
    answerer = LLMAnswerer(llm_settings(server, llm_max_retries=0))
    final = run_stream(answerer, ev)[1] if streaming else answerer.answer(ev)
    assert final.degraded and final.answer == FALLBACK.answer
    assert "timeout" not in ev.notes["llm"]["fallback"]


def test_connection_refused_falls_back_quickly(chunks):
    settings = Settings(
        _env_file=None,
        openai_api_key="test",
        openai_base_url=f"http://127.0.0.1:{free_port()}/v1",
        llm_timeout_seconds=TIMEOUT,
        llm_max_retries=1,
    )
    ev = evidence(chunks, ["Application limit"])
    _, final, elapsed = run_stream(LLMAnswerer(settings), ev)
    assert_fallback(final, ev, "ConnectionError")
    assert elapsed < TIMEOUT + MARGIN


# --- what is sent ----------------------------------------------------------------


# --- through the live app --------------------------------------------------------


@pytest.fixture(scope="module")
def llm_app(fake, tmp_path_factory) -> Iterator[str]:
    server = start_server(
        tmp_path_factory.mktemp("llm-app"),
        {
            "OPENAI_API_KEY": "test",
            "OPENAI_BASE_URL": fake.base_url,
            "CHAT_MODEL": "fake-model",
            "LLM_TIMEOUT_SECONDS": str(TIMEOUT),
            "LLM_MAX_RETRIES": "1",
            "LLM_CONTEXT_TOKENS": "2500",
            "LLM_MAX_ANSWER_TOKENS": "300",
        },
    )
    yield server.url
    stop_server(server)


@pytest.fixture(scope="module")
def extractive_app(live_server: LiveServer) -> str:
    return live_server.url


def sse(url: str, body: dict, timeout: float = 30) -> tuple[list[tuple[str, object]], float]:
    """Post to /api/chat/stream; return the parsed events and the seconds taken."""
    events = []
    started = time.perf_counter()
    with httpx.stream("POST", url + "/api/chat/stream", json=body, timeout=timeout) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        event = None
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event:
                events.append((event, json.loads(line.split(":", 1)[1])))
                event = None
    return events, time.perf_counter() - started


def assert_stream_shape(events: list[tuple[str, object]]) -> dict:
    names = [name for name, _ in events]
    assert names[-2:] == ["citations", "done"] and names.count("citations") == 1
    assert set(names[:-2]) == {"delta"} and len(names) >= 3
    done = events[-1][1]
    assert events[-2][1] == done["citations"]
    return done


LIMIT_HISTORY = [
    {"role": "user", "content": "How many positions can I apply for?"},
    {"role": "assistant", "content": "Candidates can apply for a maximum of TWO positions [1]."},
]


def test_health_reports_llm_mode_and_model(llm_app):
    health = httpx.get(llm_app + "/api/health").json()
    assert health["mode"] == "llm" and health["model"] == "fake-model"


def test_live_stream_in_llm_mode(llm_app, server, chunks):
    server.script(default={"cite": ["maximum of TWO"], "chunk_chars": 6})
    events, _ = sse(llm_app, {"message": "How many positions can I apply for?"})
    done = assert_stream_shape(events)
    assert done["mode"] == "llm" and done["degraded"] is False and done["status"] == "answered"
    assert "".join(d["text"] for n, d in events if n == "delta") == done["answer"]
    assert [c["section"] for c in done["citations"]] == ["Application limit"]
    assert_verbatim(ChatAnswer.model_validate(done), chunks)


def test_live_follow_up_in_llm_mode_retrieves_the_right_section(llm_app, server):
    server.script(
        [{"when": "<latest>", "reply": "Does the application limit apply to ByteDance jobs globally?"}],
        default={"cite": ["globally"]},
    )
    events, _ = sse(llm_app, {"message": "Is that global?", "history": LIMIT_HISTORY})
    done = assert_stream_shape(events)
    assert done["degraded"] is False
    assert [c["section"] for c in done["citations"]] == ["Application limit"]
    condense, answer = server.requests()
    assert "<latest>\nIs that global?\n</latest>" in condense["body"]["messages"][-1]["content"]
    assert "Candidate: How many positions can I apply for?" in condense["body"]["messages"][-1]["content"]
    context = answer["body"]["messages"][-1]["content"]
    assert "read on its own: Does the application limit apply to ByteDance jobs globally?" in context
    assert '<chunk id="1" section="Application limit">' in context


def test_live_a_reply_that_says_not_in_posting_shows_nothing_after_it(llm_app, server):
    # Even a sentence that would pass its checks: the model has said the passages do not answer.
    server.script(default={"reply": "NOT_IN_POSTING Candidates can apply for a maximum of TWO positions [1]."})
    events, _ = sse(llm_app, {"message": "How many positions can I apply for?"})
    done = assert_stream_shape(events)
    shown = "".join(d["text"] for n, d in events if n == "delta")
    assert "NOT_IN_POSTING" not in shown and shown == done["answer"] and done["status"] == "not_found"


def test_live_the_model_reads_the_passages_for_a_fact_the_decision_misses(llm_app, server):
    # Offline, "Do you offer stock?" gets "doesn't say anything about that": the stock is named only at
    # the end of the long pay sentence. In LLM mode the model gets the retrieved passages all the same.
    server.script(default={"cite": ["restricted stock units"]})
    events, _ = sse(llm_app, {"message": "Do you offer stock?"})
    done = assert_stream_shape(events)
    assert done["status"] == "answered" and done["degraded"] is False
    assert "restricted stock units" in done["answer"]
    assert [c["section"] for c in done["citations"]] == ["【For Pay Transparency】Compensation Description (Annually)"]
    server.reset()
    server.script(default={"reply": "NOT_IN_POSTING"})
    declined = httpx.post(llm_app + "/api/chat", json={"message": "Is the office dog friendly?"}, timeout=30).json()
    assert (declined["status"], declined["degraded"]) == ("not_found", False) and len(server.requests()) == 1
    refused = httpx.post(llm_app + "/api/chat", json={"message": "Will I get hired?"}, timeout=30).json()
    assert refused["answer_type"] == "refusal" and len(server.requests()) == 1  # guards stop it before the model


@pytest.mark.parametrize(
    "step",
    [
        {"status": 500, "times": -1},
        {"status": 429, "headers": {"Retry-After": "3"}, "times": -1},
        {"latency": 10, "times": -1},
        {"malformed": True, "times": -1},
        {"reply": "Apply for as many as you like.", "times": -1},
    ],
    ids=["500", "429", "timeout", "malformed", "uncited"],
)
def test_live_faults_degrade_to_the_extractive_answer(llm_app, server, step):
    # Every step repeats: the app's retry of an abandoned call may arrive late and take one.
    server.script([step])
    events, elapsed = sse(llm_app, {"message": "How many positions can I apply for?"})
    done = assert_stream_shape(events)
    assert done["degraded"] is True and done["status"] == "answered" and done["citations"]
    assert "TWO positions" in done["answer"]
    assert elapsed < TIMEOUT + 2.0  # retrieval on 2 cores plus the timeout
    response = httpx.post(llm_app + "/api/chat", json={"message": "How many positions can I apply for?"}, timeout=30)
    assert response.status_code == 200 and response.json()["degraded"] is True
    if "latency" in step or "headers" in step:
        time.sleep(TIMEOUT + 1.0)  # let abandoned calls retry here, not into the next test


def test_live_request_holds_only_the_message_and_trimmed_history(llm_app, server):
    history = []
    for turn in range(20):
        history.append({"role": "user", "content": f"Earlier question {turn} " + "about the team " * 30})
        history.append({"role": "assistant", "content": f"Earlier answer {turn} " + "from the posting " * 30})
    server.script([{"when": "<latest>", "reply": "What qualifications are preferred?"}], default={"cite": ["PhD"]})
    message = "What about qualifications?"
    events, _ = sse(llm_app, {"message": message, "history": history, "session_id": "session-7f3a9c"})
    assert assert_stream_shape(events)["degraded"] is False
    answer = server.requests()[-1]["body"]
    raw = json.dumps(server.requests())
    assert "session-7f3a9c" not in raw
    sent_history = answer["messages"][1:-1]
    assert 0 < len(sent_history) < len(history)
    assert sent_history[-1]["content"].startswith("Earlier answer 19")
    assert all(not m["content"].startswith("Earlier question 0 ") for m in sent_history)
    assert answer["messages"][0]["role"] == "system"
    assert f"<question>\n{message}\n</question>" in answer["messages"][-1]["content"]
    assert '<chunk id="1" section="Qualifications">' in answer["messages"][-1]["content"]


def test_live_stream_in_extractive_mode(extractive_app, fake):
    before = len(fake.requests())
    events, _ = sse(extractive_app, {"message": "How many positions can I apply for?"})
    done = assert_stream_shape(events)
    assert done["mode"] == "extractive" and done["degraded"] is False
    assert "TWO positions" in done["answer"]
    assert httpx.get(extractive_app + "/api/health").json()["mode"] == "extractive"
    assert len(fake.requests()) == before


def test_live_follow_up_in_extractive_mode_retrieves_the_right_section(extractive_app):
    alone, _ = sse(extractive_app, {"message": "Is that global?"})
    assert assert_stream_shape(alone)["citations"][0]["section"] != "Application limit"
    events, _ = sse(extractive_app, {"message": "Is that global?", "history": LIMIT_HISTORY})
    done = assert_stream_shape(events)
    assert done["status"] == "answered"
    assert done["citations"][0]["section"] == "Application limit"
    assert "globally" in done["citations"][0]["quote"]


def test_app_overhead_on_time_to_first_token(llm_app, server):
    figures = measure_ttft_overhead(llm_app, server, runs=8, model_ttft=0.3)
    assert figures["model_ttft_ms"] >= 300
    assert 0 < figures["overhead_ms"] < 1500
