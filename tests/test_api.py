"""The HTTP contract of /api/health, /api/chat and /api/chat/stream, on a live server."""

from __future__ import annotations

import json

import pytest


def sse_events(text: str) -> list[tuple[str, dict]]:
    """Parse a text/event-stream body into (event, data) pairs."""
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        name, data = None, []
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
        if name:
            events.append((name, json.loads("\n".join(data)) if data else None))
    return events


def test_health_reports_ready_and_mode(live_server):
    with live_server.client() as client:
        body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["mode"] == "extractive"
    assert body["postings"] == ["doubao-llm-research"]


def test_chat_answers_with_citations(live_server):
    with live_server.client() as client:
        response = client.post(
            "/api/chat", json={"message": "Can I start in April 2024?", "history": [], "posting": None}
        )
    assert response.status_code == 200
    body = response.json()
    assert {"answer", "status", "citations", "mode"} <= set(body)
    assert body["status"] == "answered" and body["mode"] == "extractive"
    assert "March 4, 2024" in body["answer"] and "May 20, 2024" in body["answer"]
    citation = body["citations"][0]
    assert set(citation) == {"id", "source", "section", "quote"} and citation["id"] == 1
    assert "[1]" in body["answer"]


def test_stream_sends_deltas_then_citations_then_done(live_server):
    request = {"message": "How many jobs can I apply to?", "history": []}
    with live_server.client() as client:
        response = client.post("/api/chat/stream", json=request)
        plain = client.post("/api/chat", json=request).json()
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[0] == "delta" and names[-2:] == ["citations", "done"]
    streamed = "".join(data["text"] for name, data in events if name == "delta")
    done = events[-1][1]
    assert streamed == done["answer"] == plain["answer"]
    assert events[-2][1] == done["citations"] == plain["citations"]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({}, "'message' is required"),
        ({"message": ""}, "message"),
        ({"message": "  \r\n "}, "'message': is blank"),
        ({"message": 42}, "message"),
        ({"message": "x" * 1001}, "at most 1000 characters"),
        ({"message": "hi", "history": "nope"}, "history"),
        ({"message": "hi", "history": [{"role": "system", "content": "x"}]}, "role"),
        ({"message": "hi", "posting": "no-such-posting"}, "Unknown posting 'no-such-posting'"),
    ],
)
def test_bad_input_gets_a_readable_422(live_server, body, problem):
    with live_server.client() as client:
        response = client.post("/api/chat", json=body)
    assert response.status_code == 422
    assert problem in response.json()["detail"]


def test_invalid_json_is_a_422_not_a_500(live_server):
    with live_server.client() as client:
        response = client.post("/api/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and "not valid JSON" in response.json()["detail"]


def test_json_sent_as_plain_text_is_told_to_set_the_content_type(live_server):
    with live_server.client() as client:
        response = client.post("/api/chat", content=b'{"message": "hi"}', headers={"content-type": "text/plain"})
    assert response.status_code == 422 and "Content-Type: application/json" in response.json()["detail"]


def test_stream_rejects_bad_input_before_streaming(live_server):
    with live_server.client() as client:
        response = client.post("/api/chat/stream", json={"message": "hi", "posting": "nope"})
    assert response.status_code == 422
