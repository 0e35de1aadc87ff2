"""Build the careers-chat app: engine, API, chat page, widget and console on one FastAPI app."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from bot.web.api import install_error_handlers, router as api_router
from bot.config import Settings, get_settings
from bot.web.feedback import router as feedback_router
from bot.logs import setup_logging
from bot.engine.engine import Engine
from bot.web.ratelimit import install_rate_limit
from bot.web.recruiter import router as recruiter_router
from bot.records.redaction import RedactingFilter, knowledge_emails
from bot.web.security import install_request_guards, install_security_headers
from bot.records.repository import exchange_recorder, open_repository
from bot.web.chat_page import mount_ui
from bot.web.openai.routes import install_openai_api
from bot.web.widget import install_cors, router as widget_router


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the FastAPI app with every surface mounted (an engine may be passed in, as tests do)."""
    settings = settings or get_settings()
    redacting = RedactingFilter(knowledge_emails(settings.knowledge_dir))
    setup_logging(settings.log_level, settings.data_dir / "logs", filters=(redacting,))
    engine = engine or Engine.build(settings)
    app = FastAPI(title="careers-chat", version="1.0.0", docs_url="/api/docs", redoc_url=None)
    app.state.engine = engine
    app.state.settings = settings
    repository = open_repository(settings)
    app.state.repository = repository
    install_error_handlers(app)
    app.include_router(api_router(engine, settings, exchange_recorder(repository)))
    app.include_router(feedback_router(repository))
    if settings.recruiter_password is not None:
        app.include_router(recruiter_router(engine, repository, settings))
    app.include_router(widget_router(settings))
    install_openai_api(app, engine, settings, exchange_recorder(repository))
    install_rate_limit(app, settings)  # inside CORS, so 429 and 413 replies stay readable cross-origin
    install_request_guards(app, settings)
    install_cors(app, settings)
    install_security_headers(app)
    return mount_ui(app, engine, settings)  # last: the chat page at / catches every other path


def serve(settings: Settings | None = None) -> None:
    """Serve the app on HOST:PORT."""
    settings = settings or get_settings()
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, server_header=False, log_config=None,
        proxy_headers=False,  # the rate limiter decides whom to believe (TRUSTED_PROXIES)
        access_log=False,  # access lines carry client IPs; the engine logs each answer without them
    )

