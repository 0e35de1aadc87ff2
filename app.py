"""Wire careers-chat: settings, engine, API, chat page, widget and console on one app."""

from __future__ import annotations

import uvicorn
from fastapi import FastAPI

from bot.api import install_error_handlers, router as api_router
from bot.config import Settings, get_settings
from bot.logs import setup_logging
from bot.pipeline import Engine
from bot.ui import mount_ui
from bot.widget import install_cors, router as widget_router


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the FastAPI app with every surface mounted."""
    settings = settings or get_settings()
    setup_logging(settings.log_level, settings.data_dir / "logs")
    engine = Engine.build(settings)
    app = FastAPI(title="careers-chat", version="1.0.0", docs_url="/api/docs", redoc_url=None)
    app.state.engine = engine
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(api_router(engine, settings))
    app.include_router(widget_router(settings))
    install_cors(app, settings)
    return mount_ui(app, engine, settings)  # last: the chat page at / catches every other path


def main() -> None:
    """Serve the app on HOST:PORT."""
    settings = get_settings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, server_header=False, log_config=None)


if __name__ == "__main__":
    main()
