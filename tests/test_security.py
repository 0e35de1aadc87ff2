"""Request guards and security headers, against the live app and a tiny app for the 500 path."""

from __future__ import annotations

import logging
import re

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.web.security import API_CSP, SERVER_ERROR, install_request_guards, install_security_headers

DEFAULT_LIMIT = Settings().max_request_bytes


def test_json_responses_carry_the_security_headers_and_no_banner(live_server) -> None:
    response = httpx.get(f"{live_server.url}/api/health")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"] == API_CSP
    assert "server" not in response.headers
    assert "x-powered-by" not in response.headers


def test_the_chat_page_keeps_its_own_frame_ancestors_policy(live_server) -> None:
    response = httpx.get(f"{live_server.url}/")
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"] == "nosniff"
    policies = response.headers.get_list("content-security-policy")
    assert len(policies) == 1 and "frame-ancestors" in policies[0]
    assert "default-src 'none'" not in policies[0]


@pytest.mark.parametrize("route", ["/api/chat", "/api/chat/stream", "/api/feedback"])
def test_a_body_over_the_limit_is_a_413(live_server, route: str) -> None:
    body = '{"message": "' + "a" * DEFAULT_LIMIT + '"}'
    response = httpx.post(f"{live_server.url}{route}", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_chunked_body_over_the_limit_is_a_413(live_server) -> None:
    def chunks():
        yield b'{"message": "'
        for _ in range(DEFAULT_LIMIT // 1024 + 2):
            yield b"a" * 1024
        yield b'"}'

    response = httpx.post(f"{live_server.url}/api/chat", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_a_body_just_under_the_limit_is_parsed(live_server) -> None:
    body = '{"message": "When can I start?", "pad": "' + "a" * (DEFAULT_LIMIT - 100) + '"}'
    response = httpx.post(
        f"{live_server.url}/api/chat", content=body, headers={"content-type": "application/json"}, timeout=30
    )
    assert response.status_code == 200


def test_invalid_utf8_is_a_400_naming_the_problem(live_server) -> None:
    response = httpx.post(
        f"{live_server.url}/api/chat",
        content=b'{"message": "hi \xff\xfe"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid UTF-8 text."}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"[1, 2]", "must be a JSON object"),
        (b'"just a string"', "must be a JSON object"),
        (b"null", "must be a JSON object"),
        (b'{"message": 5}', "'message'"),
        (b'{"message": "hi", "history": "no"}', "'history'"),
        (b'{"message": "hi", "history": [{"role": "system", "content": "x"}]}', "'history.0.role'"),
        (b'{"message": "hi", "posting": ["x"]}', "'posting'"),
        (b'{"message": "hi"', "not valid JSON"),
    ],
)
def test_malformed_bodies_get_a_clear_4xx(live_server, body: bytes, problem: str) -> None:
    response = httpx.post(f"{live_server.url}/api/chat", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert problem in response.json()["detail"]
    assert "Traceback" not in response.text


def test_an_unexpected_error_is_a_generic_json_500_logged_with_where_it_was_raised(caplog) -> None:
    app = FastAPI()

    @app.get("/api/boom")
    def boom() -> dict:
        return {"first": [][0]}  # an IndexError from a candidate's input would carry nothing of it to the log

    install_request_guards(app, Settings())
    install_security_headers(app)
    with (
        caplog.at_level(logging.ERROR, logger="bot.web.security"),
        TestClient(app, raise_server_exceptions=False) as client,
    ):
        response = client.get("/api/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": SERVER_ERROR}
    assert response.headers["x-content-type-options"] == "nosniff"
    [record] = [r for r in caplog.records if r.getMessage() == "unhandled error"]
    assert record.error == "IndexError" and re.fullmatch(r"test_security\.py:\d+ boom", record.raised_in)


def test_an_unexpected_error_tells_the_client_nothing_of_it() -> None:
    app = FastAPI()

    @app.get("/api/boom")
    def boom() -> dict:
        raise RuntimeError("secret detail /etc/passwd line 42")

    install_request_guards(app, Settings())
    install_security_headers(app)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/boom")
    assert response.status_code == 500 and "secret detail" not in response.text


def test_the_limit_follows_the_setting() -> None:
    app = FastAPI()

    @app.post("/api/echo")
    async def echo(body: dict) -> dict:
        return body

    install_request_guards(app, Settings(max_request_bytes=100))
    with TestClient(app) as client:
        assert client.post("/api/echo", json={"a": "x" * 50}).status_code == 200
        too_big = client.post("/api/echo", json={"a": "x" * 200})
    assert too_big.status_code == 413
    assert "100 bytes" in too_big.json()["detail"]


SURROGATE_HISTORY = b'{"message": "hi", "history": [{"role": "user", "content": "start dates \\ud800?"}]}'


@pytest.mark.parametrize(
    ("route", "body", "problem"),
    [
        ("/api/chat", b'{"message": "\\udfff"}', "lone UTF-16 surrogate"),
        ("/api/chat", SURROGATE_HISTORY, "lone UTF-16 surrogate"),
        ("/api/chat/stream", SURROGATE_HISTORY, "lone UTF-16 surrogate"),
        ("/api/chat", b'{"message": "hi", "x": ' + b"[" * 3000 + b"]" * 3000 + b"}", "nested too deeply"),
        (
            "/api/feedback",
            b'{"session_id": "s", "rating": "up", "message_id": ' + b"9" * 5000 + b"}",
            "number too long",
        ),
    ],
)
def test_bodies_json_reads_but_nothing_can_use_get_a_400_naming_the_problem(live_server, route, body, problem) -> None:
    """A lone surrogate escape, deep nesting or a huge number parse, then fail wherever they go next (a 500)."""
    response = httpx.post(f"{live_server.url}{route}", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400 and problem in response.json()["detail"]


def test_a_missing_body_and_a_message_id_beyond_any_stored_one_are_named(live_server) -> None:
    empty = httpx.post(f"{live_server.url}/api/chat", content=b"", headers={"content-type": "application/json"})
    assert empty.status_code == 422 and empty.json() == {
        "detail": "The request body is missing or empty: send a JSON object."
    }
    body = {"session_id": "s", "rating": "up", "message_id": 2**31}  # ids are 32-bit on PostgreSQL
    response = httpx.post(f"{live_server.url}/api/feedback", json=body)
    assert response.status_code == 422 and "'message_id'" in response.json()["detail"]


def test_a_wrong_method_or_unknown_api_url_is_named_not_a_bare_not_found(live_server) -> None:
    wrong = httpx.get(f"{live_server.url}/api/chat")
    assert wrong.status_code == 405 and wrong.headers["allow"] == "POST"
    assert wrong.json() == {"detail": "GET is not allowed on /api/chat: use POST."}
    assert httpx.post(f"{live_server.url}/api/health").headers["allow"] == "GET"
    unknown = httpx.get(f"{live_server.url}/api/chats")
    assert unknown.status_code == 404 and "no API route /api/chats" in unknown.json()["detail"]
    assert httpx.get(f"{live_server.url}/").status_code == 200  # the chat page still takes every other path
