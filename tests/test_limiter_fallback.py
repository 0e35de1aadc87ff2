"""Rate-limit budgets when the shared storage is unreachable, and the recruiter sign-in limit."""

from __future__ import annotations

import asyncio
import base64
import logging
from types import SimpleNamespace

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from limits import RateLimitItemPerMinute

from bot.config import Settings
from bot.records.database import Database
from bot.records.migrations import migrate
from bot.web.budgets import Budgets
from bot.web.ratelimit import RateLimitMiddleware, SignInLimiter
from bot.web.recruiter import router as recruiter_router
from tests.aio import run
from tests.fakes import FakeEmbeddings
from tests.services import free_port

PASSWORD = "console-secret"


def unreachable_redis() -> str:
    return f"redis://127.0.0.1:{free_port()}"  # nothing listens there


def test_an_unreachable_redis_falls_back_to_a_local_budget_and_says_so(caplog) -> None:
    async def scenario() -> tuple[list[bool], str | None, str | None]:
        budgets = Budgets(unreachable_redis(), recheck_seconds=60)
        item = RateLimitItemPerMinute(2)
        spent = []
        for _ in range(3):
            allowed = await budgets.allowed(item, "messages", "ip", "192.0.2.1")
            spent.append(allowed)
            if allowed:
                await budgets.spend(item, "messages", "ip", "192.0.2.1")
        return spent, await budgets.problem(), str(budgets.fallbacks)

    with caplog.at_level(logging.ERROR, logger="bot.web.budgets"):
        spent, problem, fallbacks = run(scenario())
    assert spent == [True, True, False], "the local budget still limits"
    assert fallbacks == "1", "one outage, counted once"
    assert problem is not None and problem.startswith("Redis rate-limit storage at 127.0.0.1:")
    assert "per replica" in problem
    assert [r for r in caplog.records if getattr(r, "event", None) == "rate_limit_fallback"]


def test_memory_storage_has_nothing_to_report() -> None:
    assert run(Budgets("memory://").problem()) is None


def test_chat_stays_limited_not_broken_while_redis_is_away() -> None:
    app = FastAPI()

    @app.post("/api/chat")
    async def chat(body: dict) -> dict:
        return {"ok": True}

    budgets = Budgets(unreachable_redis())
    app.add_middleware(RateLimitMiddleware, per_minute=2, trusted=set(), budgets=budgets)
    with TestClient(app, client=("192.0.2.7", 1)) as client:
        replies = [client.post("/api/chat", json={"message": "hi"}) for _ in range(3)]
    assert [r.status_code for r in replies] == [200, 200, 429]
    assert 1 <= int(replies[-1].headers["retry-after"]) <= 60


def test_an_unknown_storage_scheme_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="RATE_LIMIT_STORAGE_URI"):
        Budgets("carrier-pigeon://loft")


@pytest.fixture
def console(tmp_path) -> FastAPI:
    """The recruiter API alone, allowing 3 wrong passwords a minute per address."""
    settings = Settings(data_dir=tmp_path, recruiter_password=PASSWORD)
    engine = SimpleNamespace(
        answerer=SimpleNamespace(mode="extractive"), embeddings=FakeEmbeddings(), settings=settings
    )
    database = Database(settings.database_address)
    migrate(database)
    app = FastAPI()
    app.include_router(recruiter_router(engine, None, settings, SignInLimiter(Budgets(), 3, set()), database=database))
    return app


def _session(client: TestClient, password: str | None) -> int:
    headers = {"Authorization": f"Bearer {password}"} if password is not None else {}
    return client.get("/api/recruiter/session", headers=headers).status_code


def test_password_guessing_is_refused_with_429_after_the_budget(console: FastAPI) -> None:
    with (
        TestClient(console, client=("198.51.100.9", 1)) as guesser,
        TestClient(console, client=("192.0.2.4", 1)) as colleague,
    ):
        assert [_session(guesser, f"guess-{n}") for n in range(3)] == [401, 401, 401]
        refused = guesser.get("/api/recruiter/session", headers={"Authorization": "Bearer guess-4"})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "wrong recruiter passwords" in refused.json()["detail"]
        assert _session(guesser, PASSWORD) == 429, "the right password from a guessing address waits too"
        assert _session(colleague, PASSWORD) == 200, "other addresses are not affected"


def test_only_wrong_passwords_spend_the_budget(console: FastAPI) -> None:
    basic = "Basic " + base64.b64encode(f"anyone:{PASSWORD}".encode()).decode()
    with TestClient(console, client=("192.0.2.5", 1)) as recruiter:
        assert [_session(recruiter, None) for _ in range(5)] == [401] * 5
        assert [_session(recruiter, PASSWORD) for _ in range(5)] == [200] * 5
        assert recruiter.get("/api/recruiter/session", headers={"Authorization": basic}).status_code == 200
        assert [_session(recruiter, "typo") for _ in range(3)] == [401] * 3


@pytest.mark.services
@pytest.mark.slow
def test_two_replicas_share_budgets_in_redis_before_and_after_an_outage(redis_server) -> None:
    item = RateLimitItemPerMinute(3)

    async def spend_all(budgets: Budgets, *key: str) -> None:
        for _ in range(3):
            await budgets.spend(item, *key)

    async def scenario() -> None:
        a, b = Budgets(redis_server.url, recheck_seconds=0.2), Budgets(redis_server.url, recheck_seconds=0.2)
        await spend_all(a, "messages", "ip", "192.0.2.60")
        assert not await b.allowed(item, "messages", "ip", "192.0.2.60"), "b sees what a spent"
        redis_server.stop()
        assert await b.allowed(item, "messages", "ip", "192.0.2.61"), "no Redis: b still answers, from memory"
        assert b.outage is not None and b.fallbacks == 1
        assert "unavailable" in (await a.problem() or "")
        redis_server.start()
        await asyncio.sleep(0.3)
        assert await a.problem() is None
        await spend_all(a, "messages", "ip", "192.0.2.62")
        assert not await b.allowed(item, "messages", "ip", "192.0.2.62"), "shared again once Redis is back"
        assert b.outage is None

    run(scenario())
