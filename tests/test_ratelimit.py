"""Rate limits per client IP and per session: live 429s, forged headers, trusted proxies."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.web.client_ip import client_ip
from bot.web.ratelimit import RateLimitMiddleware, install_rate_limit

LIMIT = 3
ALLOWED_ORIGIN = "http://careers.example.test"
QUESTION = {"message": "When can I start?"}


@pytest.fixture(scope="module")
def limited_server(start_app):
    """The app with a small budget and one allowed widget origin."""
    return start_app({"RATE_LIMIT_PER_MINUTE": str(LIMIT), "WIDGET_ALLOWED_ORIGINS": ALLOWED_ORIGIN})


def test_the_ip_budget_ends_in_a_friendly_429_with_retry_after(limited_server) -> None:
    with limited_server.client() as client:
        codes = []
        for n in range(LIMIT):
            # A forged X-Forwarded-For from an untrusted peer must not buy a fresh budget.
            codes.append(
                client.post("/api/chat", json=QUESTION, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
            )
        refused = client.post("/api/chat", json=QUESTION, headers={"X-Forwarded-For": "198.51.100.7"})
        health = client.get("/api/health")
    assert codes == [200] * LIMIT
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    detail = refused.json()["detail"]
    assert "try again" in detail and refused.headers["retry-after"] in detail
    assert health.status_code == 200


def test_a_429_is_readable_by_an_allowed_widget_site(limited_server) -> None:
    headers = {"Origin": ALLOWED_ORIGIN}
    with limited_server.client() as client:
        replies = [
            client.post("/api/feedback", json={"session_id": "s", "answer": "x", "rating": "up"}, headers=headers)
            for _ in range(LIMIT + 1)
        ]
    assert [r.status_code for r in replies[:LIMIT]] == [201] * LIMIT
    assert replies[-1].status_code == 429
    assert replies[-1].headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "retry-after" in replies[-1].headers["access-control-expose-headers"].lower()


@pytest.fixture
def limited_app(make_client):
    """The whole app in process with the same small budget, fresh for each test."""
    return make_client(rate_limit_per_minute=LIMIT)


def test_streaming_still_works_through_the_limiter(limited_app) -> None:
    response = limited_app.post("/api/chat/stream", json=QUESTION)
    assert response.status_code == 200
    assert "event: done" in response.text


def test_every_way_of_sending_a_message_shares_one_budget(limited_app) -> None:
    codes = [limited_app.post("/api/chat", json=QUESTION).status_code for _ in range(LIMIT - 1)]
    codes.append(limited_app.post("/api/chat/stream", json=QUESTION).status_code)
    codes.append(limited_app.post("/api/chat/stream", json=QUESTION).status_code)
    assert codes == [200] * LIMIT + [429]


def test_the_chat_page_queue_is_limited_too(limited_app) -> None:
    join = {"data": [], "fn_index": 0, "session_hash": "gradio-session"}
    codes = [limited_app.post("/gradio_api/queue/join", json=join).status_code for _ in range(LIMIT + 1)]
    assert codes[:LIMIT] == [200] * LIMIT
    assert codes[-1] == 429


def _app(per_minute: int = 2, trusted: set[str] | None = None) -> FastAPI:
    app = FastAPI()

    @app.post("/api/chat")
    async def chat(body: dict) -> dict:
        return {"ok": True}

    @app.post("/api/other")
    async def other(body: dict) -> dict:
        return {"ok": True}

    app.add_middleware(RateLimitMiddleware, per_minute=per_minute, trusted=trusted or set())
    return app


def _codes(client: TestClient, n: int, body: dict, headers: dict | None = None, path: str = "/api/chat") -> list[int]:
    return [client.post(path, json=body, headers=headers or {}).status_code for _ in range(n)]


def test_a_session_is_limited_across_addresses() -> None:
    app = _app()
    session = {"message": "hi", "session_id": "abc"}
    with TestClient(app, client=("192.0.2.1", 1)) as first, TestClient(app, client=("192.0.2.2", 1)) as second:
        assert _codes(first, 2, session) == [200, 200]
        assert _codes(second, 1, session) == [429]
        assert _codes(second, 1, {"message": "hi", "session_id": "other"}) == [200]


def test_addresses_have_separate_budgets_and_unlimited_routes_pass() -> None:
    app = _app()
    with TestClient(app, client=("192.0.2.1", 1)) as first, TestClient(app, client=("192.0.2.2", 1)) as second:
        assert _codes(first, 3, {"message": "hi"}) == [200, 200, 429]
        assert _codes(second, 2, {"message": "hi"}) == [200, 200]
        assert _codes(first, 3, {"message": "hi"}, path="/api/other") == [200, 200, 200]


def test_a_body_too_deep_to_read_for_a_session_is_limited_by_address_alone() -> None:
    deep = b'{"session_id": "s", "x": ' + b"[" * 3000 + b"]" * 3000 + b"}"
    with TestClient(_app(), client=("192.0.2.3", 1)) as client:
        codes = [client.post("/api/other", content=deep).status_code for _ in range(2)]
        codes += [client.post("/api/chat", content=deep).status_code for _ in range(3)]
    assert all(400 <= code < 500 for code in codes) and codes[-1] == 429  # read as no session, never a 500


def test_behind_a_trusted_proxy_the_forwarded_client_is_limited() -> None:
    app = _app(trusted={"10.0.0.1"})
    with TestClient(app, client=("10.0.0.1", 1)) as proxy:
        # The proxy appends the real peer; whatever the client forged to its left is ignored.
        forged = [{"X-Forwarded-For": f"198.51.100.{n}, 203.0.113.9"} for n in range(3)]
        assert [proxy.post("/api/chat", json={"message": "hi"}, headers=h).status_code for h in forged] == [
            200,
            200,
            429,
        ]
        assert _codes(proxy, 1, {"message": "hi"}, {"X-Forwarded-For": "203.0.113.10"}) == [200]


def test_zero_turns_limiting_off() -> None:
    app = FastAPI()
    install_rate_limit(app, Settings(rate_limit_per_minute=0))
    assert not any(m.cls is RateLimitMiddleware for m in app.user_middleware)


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("192.0.2.1", [], set(), "192.0.2.1"),
        ("192.0.2.1", ["6.6.6.6"], set(), "192.0.2.1"),  # untrusted peer: header ignored
        ("10.0.0.1", ["6.6.6.6"], set(), "10.0.0.1"),
        ("10.0.0.1", ["6.6.6.6, 203.0.113.9"], {"10.0.0.1"}, "203.0.113.9"),
        ("10.0.0.1", ["6.6.6.6", "203.0.113.9, 10.0.0.2"], {"10.0.0.1", "10.0.0.2"}, "203.0.113.9"),
        ("10.0.0.1", [], {"10.0.0.1"}, "10.0.0.1"),
        ("10.0.0.1", ["10.0.0.2"], {"10.0.0.1", "10.0.0.2"}, "10.0.0.2"),
        ("::ffff:0:1", [], set(), "::ffff:0:1"),
        ("2001:db8::1", [], set(), "2001:db8::1"),
        ("2001:DB8:0::1", ["6.6.6.6"], {"2001:db8::1"}, "6.6.6.6"),
        (None, [], set(), "unknown"),
    ],
)
def test_client_ip(peer, forwarded, trusted, expected) -> None:
    assert client_ip(peer, forwarded, trusted) == expected
