"""Build the careers-chat app: engine, API, chat page, widget and console on one FastAPI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import uvicorn
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from bot.config import Settings, get_settings
from bot.engine.engine import Engine
from bot.knowledge.documents import knowledge_fingerprint
from bot.logs import setup_logging
from bot.records.knowledge_version import KnowledgeSync, KnowledgeVersions
from bot.records.redaction import PublicEmails, RedactingFilter
from bot.records.repository import exchange_recorder
from bot.records.sql import open_repository
from bot.web.api import install_api_fallback, install_error_handlers
from bot.web.api import router as api_router
from bot.web.auth import console_enabled
from bot.web.budgets import Budgets
from bot.web.chat_page import install_posting_pages, mount_ui
from bot.web.feedback import router as feedback_router
from bot.web.health import install_storage_errors
from bot.web.health import router as health_router
from bot.web.openai.routes import install_openai_api
from bot.web.postings_page import ExampleQuestions
from bot.web.ratelimit import install_rate_limit, sign_in_limiter
from bot.web.recruiter import router as recruiter_router
from bot.web.security import install_request_guards, install_security_headers
from bot.web.widget import install_cors
from bot.web.widget import router as widget_router


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the FastAPI app with every surface mounted (an engine may be passed in, as tests do)."""
    settings = settings or get_settings()
    public_emails = PublicEmails(settings.knowledge_dir)  # the posting's contacts, kept by redaction
    setup_logging(
        settings.log_level, settings.data_dir / "logs", (RedactingFilter(public_emails),), settings.retention_days
    )
    engine = engine or Engine.build(settings)
    public_emails.follow(lambda: engine.index.public_emails)  # a reload swaps the index, and its contacts
    repository = open_repository(settings, public_emails)
    budgets = Budgets(settings.rate_limit_storage_uri)
    sync = KnowledgeSync(
        KnowledgeVersions(repository.database),
        engine.reload,
        partial(knowledge_fingerprint, settings.knowledge_dir),
        settings.knowledge_sync_seconds,
    )

    @asynccontextmanager
    async def serving(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(sync.start)  # follow the knowledge version the other replicas serve
        yield
        sync.stop()
        repository.close()

    app = FastAPI(title="careers-chat", version="1.0.0", docs_url="/api/docs", redoc_url=None, lifespan=serving)
    app.state.engine = engine
    app.state.settings = settings
    app.state.repository = repository
    install_error_handlers(app)
    install_storage_errors(app)
    app.include_router(health_router(engine, repository, budgets, sync))
    app.include_router(api_router(engine, settings, exchange_recorder(repository)))
    app.include_router(feedback_router(repository))
    if console_enabled(settings, repository.database):
        sign_in = sign_in_limiter(settings, budgets)
        app.include_router(
            recruiter_router(engine, repository, settings, sign_in, sync.published, database=repository.database)
        )
    examples = ExampleQuestions(engine, settings.prompts_dir)
    app.include_router(widget_router(settings, examples))
    install_openai_api(app, engine, settings, exchange_recorder(repository), budgets)
    install_api_fallback(app)  # after every /api router, before the chat page takes every other path
    install_posting_pages(app, engine, settings)  # innermost, so its pages get the security headers
    install_rate_limit(app, settings, budgets)  # inside CORS, so 429 and 413 replies stay readable cross-origin
    install_request_guards(app, settings)
    install_cors(app, settings)
    install_security_headers(app)
    return mount_ui(app, engine, settings, examples)  # last: the chat page at / catches every other path


def serve(settings: Settings | None = None) -> None:
    """Serve the app on HOST:PORT."""
    settings = settings or get_settings()
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        server_header=False,
        log_config=None,
        proxy_headers=False,  # the rate limiter decides whom to believe (TRUSTED_PROXIES)
        access_log=False,  # access lines carry client IPs; the engine logs each answer without them
    )
