"""`GET /api/health` (what is degraded) and `GET /api/ready` (whether a load balancer may send traffic here).

Health keeps its contract: the engine's report, with status `degraded` and a
sentence in `problems` for each shared service that cannot be reached (the
records database, the rate-limit storage). Candidates still get answers
then, so readiness does not depend on those services: a replica is ready
when it has a knowledge index to answer from.
"""

from __future__ import annotations

from typing import Protocol

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from bot.engine.engine import Engine
from bot.records.database import StorageError
from bot.records.knowledge_version import KnowledgeSync
from bot.web.budgets import Budgets


class Pingable(Protocol):
    """A store that can say whether it is reachable and how often it failed."""

    @property
    def failures(self) -> int:
        """Count the operations that failed since the app started."""
        ...

    def ping(self) -> str | None:
        """Return None when reachable, else the problem."""
        ...


def router(engine: Engine, records: Pingable, budgets: Budgets, sync: KnowledgeSync | None = None) -> APIRouter:
    """Return the health and readiness routes."""
    api = APIRouter(prefix="/api", tags=["health"])

    @api.get("/health")
    async def health() -> dict:
        """Report readiness, answer mode and model, and anything degraded (the engine or a shared service)."""
        report = await run_in_threadpool(engine.health)
        outages = [problem for problem in (await run_in_threadpool(records.ping), await budgets.problem()) if problem]
        if outages:
            report = {**report, "status": "degraded", "problems": [*report["problems"], *outages]}
        return report

    @api.get("/ready", responses={503: {"description": "Not ready: no knowledge index to answer from."}})
    def ready() -> JSONResponse:
        """Answer 200 when this replica can serve answers, 503 with the reason otherwise."""
        index = engine.index
        if not index.chunks:
            reason = engine.knowledge.knowledge_error or "no knowledge is loaded: add documents to knowledge/"
            return JSONResponse({"ready": False, "reason": reason}, status_code=503)
        return JSONResponse(
            {
                "ready": True,
                "postings": index.postings,
                "chunks": len(index.chunks),
                "knowledge_version": sync.serving if sync else None,
                "storage_failures": records.failures,
                "rate_limit_fallbacks": budgets.fallbacks,
            }
        )

    return api


def install_storage_errors(app: FastAPI) -> None:
    """Answer 503 with a sentence, not a 500, when a route needs the database and it is unavailable."""

    @app.exception_handler(StorageError)
    async def _unavailable(_request: Request, _exc: StorageError) -> JSONResponse:
        return JSONResponse(
            status_code=503,
            content={"detail": "The records database is unavailable just now. Please try again in a moment."},
            headers={"Retry-After": "5"},
        )
