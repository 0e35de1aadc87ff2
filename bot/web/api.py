"""The JSON and SSE API: /api/chat and /api/chat/stream (/api/health is in bot/web/health.py).

Handlers are thin: they validate the request, call the engine in a worker
thread (answering is CPU-bound) and shape the reply. Anything a person sent
wrong gets a 4xx with a sentence naming the problem, never a stack trace.
"""

import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Literal, cast

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator
from pydantic_core import PydanticCustomError
from sse_starlette import EventSourceResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.routing import Match, Mount
from starlette.types import Scope

from bot.answerers.base import ChatAnswer
from bot.config import Settings
from bot.engine.engine import Engine, EngineResult, UnknownPostingError
from bot.web.security import MISSING_BODY

log = logging.getLogger(__name__)

NOT_AN_OBJECT = "The request body must be a JSON object."
NOT_JSON = "The request body must be a JSON object sent with the header 'Content-Type: application/json'."

# Called after each answer with (session_id, message, result, latency_ms, posting);
# returns the stored message id (or None). The storage module provides it.
ExchangeRecorder = Callable[[str | None, str, EngineResult, float, str | None], str | None]


class Turn(BaseModel):
    """One earlier message of the conversation."""

    model_config = ConfigDict(extra="forbid")

    role: Literal["user", "assistant"]
    content: str


class ChatRequest(BaseModel):
    """A candidate's message with the conversation so far (limits are set per deployment)."""

    model_config = ConfigDict(extra="ignore")

    message: str = Field(min_length=1, description="The candidate's question.")
    history: list[Turn] = Field(default_factory=list, description="Earlier messages, oldest first.")
    posting: str | None = Field(
        default=None, max_length=200, description="Posting id; default: the only or configured posting."
    )
    session_id: str | None = Field(
        default=None, max_length=100, description="Opaque id of the chat session (for feedback)."
    )

    @field_validator("message")
    @classmethod
    def _has_text(cls, message: str) -> str:
        """Refuse a message of only spaces and line breaks: there is nothing to answer."""
        if not message.strip():
            raise PydanticCustomError("blank", "is blank: send the candidate's question as text")
        return message


def chat_request_model(settings: Settings) -> type[ChatRequest]:
    """Build the request schema with the configured length limits."""
    return create_model(
        "ChatRequest",
        __base__=ChatRequest,
        __doc__=ChatRequest.__doc__,
        message=(
            str,
            Field(min_length=1, max_length=settings.max_message_chars, description="The candidate's question."),
        ),
        history=(
            list[Turn],
            Field(
                default_factory=list,
                max_length=settings.max_history_turns * 2,
                description="Earlier messages, oldest first.",
            ),
        ),
    )


class ChatResponse(ChatAnswer):
    """The answer plus the id under which it was stored, for feedback."""

    message_id: str | None = None


def _describe_errors(exc: RequestValidationError, json_sent: bool = True) -> str:
    """Turn pydantic's error list into one readable sentence per problem."""
    parts = []
    for error in exc.errors():
        location = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
        if error.get("type") == "json_invalid":
            parts.append("The request body is not valid JSON.")
        elif not location and error.get("type") in ("model_attributes_type", "dict_type"):
            parts.append(NOT_AN_OBJECT if json_sent else NOT_JSON)
        elif error.get("type") == "missing":
            parts.append(f"'{location}' is required." if location else MISSING_BODY)
        else:
            parts.append(f"'{location or 'body'}': {error.get('msg', 'is invalid')}.")
    return " ".join(dict.fromkeys(parts)) or "The request is invalid."


def install_error_handlers(app: FastAPI) -> None:
    """Answer malformed requests with a readable 422 instead of pydantic's raw list."""

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        json_sent = "json" in request.headers.get("content-type", "").lower()
        return JSONResponse(status_code=422, content={"detail": _describe_errors(exc, json_sent)})

    @app.exception_handler(UnknownPostingError)
    async def _unknown_posting(_request: Request, exc: UnknownPostingError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(exc)})


def _history(request_history: list[Turn], settings: Settings) -> list[dict]:
    turns = request_history[-settings.max_history_turns * 2 :]
    return [{"role": t.role, "content": t.content[: settings.max_history_message_chars]} for t in turns]


def router(engine: Engine, settings: Settings, recorder: ExchangeRecorder | None = None) -> APIRouter:
    """Return the public API routes bound to an engine."""
    api = APIRouter(prefix="/api", tags=["chat"])
    Limited = chat_request_model(settings)

    def record(body: ChatRequest, result: EngineResult, started: float) -> str | None:
        if recorder is None:
            return None
        latency_ms = (time.perf_counter() - started) * 1000
        return recorder(body.session_id, body.message, result, latency_ms, body.posting)

    @api.post("/chat", response_model=ChatResponse)
    def chat(limited: Limited) -> ChatResponse:  # type: ignore[valid-type]
        """Answer a message from the posting, with citations."""
        body = cast(ChatRequest, limited)
        started = time.perf_counter()
        result = engine.ask(body.message, _history(body.history, settings), body.posting)
        message_id = record(body, result, started)
        return ChatResponse(**result.response.model_dump(), message_id=message_id)

    @api.post("/chat/stream", response_class=EventSourceResponse)
    async def chat_stream(limited: Limited) -> EventSourceResponse:  # type: ignore[valid-type]
        """Stream the answer as server-sent events: delta*, citations, done (or error)."""
        body = cast(ChatRequest, limited)
        history = _history(body.history, settings)
        # Resolve the posting before streaming starts, so a bad one is a 422, not an event.
        await run_in_threadpool(engine.resolve_posting, body.posting)
        started = time.perf_counter()

        async def events() -> AsyncIterator[dict]:
            done: dict = {}
            try:
                stream = engine.stream_with_trace(body.message, history, body.posting)
                async for event, data in iterate_in_threadpool(stream):
                    if event == "done":
                        done = data
                    elif event == "result":
                        # Store first, so the final event carries the message id for feedback.
                        message_id = await run_in_threadpool(record, body, data, started)
                        yield {"event": "done", "data": json.dumps(dict(done, message_id=message_id))}
                    else:
                        yield {"event": event, "data": json.dumps(data)}
            except Exception:  # the stream has started: report in-band, never as a broken response
                log.exception("stream failed", extra={"event": "stream_error"})
                message = "Sorry, something went wrong while answering. Please try again."
                yield {"event": "error", "data": json.dumps({"message": message})}

        return EventSourceResponse(events(), ping=15)

    return api


def install_api_fallback(app: FastAPI) -> None:
    """Answer a wrong method on an /api route with a 405 naming the right one, and an unknown /api URL with a 404.

    Install it after every /api router: the chat page mounted at / would otherwise take these requests
    and answer with a bare "Not Found".
    """

    @app.api_route("/api/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def api_fallback(request: Request, rest: str) -> JSONResponse:
        path = request.url.path
        allowed = [
            method for method in ("GET", "POST", "PUT", "PATCH", "DELETE") if _routed(app, request.scope, method)
        ]
        if allowed:
            detail = f"{request.method} is not allowed on {path}: use {' or '.join(allowed)}."
            return JSONResponse(status_code=405, content={"detail": detail}, headers={"Allow": ", ".join(allowed)})
        return JSONResponse(status_code=404, content={"detail": f"There is no API route {path}; see /api/docs."})


def _routed(app: FastAPI, scope: Scope, method: str) -> bool:
    """Tell whether a route other than the fallback (and the chat page's mount) takes a path with a method."""
    probe = {**scope, "method": method}
    return any(
        route.matches(probe)[0] == Match.FULL
        for route in app.router.routes
        if getattr(route, "name", None) != "api_fallback" and not isinstance(route, Mount)
    )
