"""The OpenAI-compatible API: GET /v1/models and POST /v1/chat/completions.

Each posting is a model; a completion answers the conversation's last user
message from that posting with the same engine, guards and records as
`/api/chat`, so the official `openai` SDK, LangChain's `ChatOpenAI` and
OpenAI-compatible chat UIs get the same grounded, cited answers. The
routes exist only when `INTEGRATION_API_KEYS` is set; each call names its
integration by key, and the key's name stands in for the session id in the
records.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from bot.config import Settings
from bot.engine.engine import Engine, EngineResult, UnknownPostingError
from bot.web.api import ExchangeRecorder
from bot.web.budgets import Budgets
from bot.web.openai.access import Access
from bot.web.openai.conversation import read_conversation
from bot.web.openai.errors import OpenAIError, openai_route
from bot.web.openai.schemas import ChatCompletionRequest, completion, model_card
from bot.web.openai.streaming import completion_chunks

ROUTES = {"/v1/models": "GET", "/v1/chat/completions": "POST"}
STREAM_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def _unknown_model(model: str) -> OpenAIError:
    message = f"The model '{model}' does not exist: models are posting ids, listed by GET /v1/models."
    return OpenAIError(404, message, param="model", code="model_not_found")


def router(
    engine: Engine, settings: Settings, recorder: ExchangeRecorder | None = None, budgets: Budgets | None = None
) -> APIRouter:
    """Return the /v1 routes bound to an engine; every failure comes out in OpenAI's error shape."""
    access = Access(settings, budgets)
    api = APIRouter(prefix="/v1", tags=["openai"], route_class=openai_route(settings.max_request_bytes))
    started_at = int(time.time())

    def posting_of(model: str) -> str:
        if model not in engine.index.postings:
            raise _unknown_model(model)
        return model

    def record(integration: str, question: str, result: EngineResult, started: float, posting: str) -> None:
        if recorder is not None:
            recorder(integration, question, result, (time.perf_counter() - started) * 1000, posting)

    @api.get("/models")
    def list_models(_integration: str = Depends(access.identify())) -> dict:
        """List the postings as models: the id is the posting id."""
        index = engine.index
        return {"object": "list", "data": [model_card(p, index.titles.get(p), started_at) for p in index.postings]}

    @api.get("/models/{model}")
    def retrieve_model(model: str, _integration: str = Depends(access.identify())) -> dict:
        """Describe one posting as a model."""
        return model_card(posting_of(model), engine.index.titles.get(model), started_at)

    @api.post("/chat/completions", response_model=None)
    async def chat_completions(
        body: ChatCompletionRequest, integration: str = Depends(access.limit())
    ) -> JSONResponse | StreamingResponse:
        """Answer the last user message from the posting named by `model`, with `[n]` citations.

        The reply is a `chat.completion` (or, with `stream`, `chat.completion.chunk` events ending in
        `[DONE]`) plus top-level `citations`, `status`, `degraded`, `answer_type` and `language`.
        """
        posting = posting_of(body.model)
        ask = read_conversation(body.messages, settings)
        started = time.perf_counter()
        if body.stream:
            include_usage = body.stream_options is not None and body.stream_options.include_usage
            chunks = completion_chunks(
                engine.stream_with_trace(ask.message, ask.history, posting),
                body.model,
                body.messages,
                include_usage,
                lambda result: record(integration, ask.recorded, result, started, posting),
            )
            return StreamingResponse(chunks, media_type="text/event-stream", headers=STREAM_HEADERS)
        try:
            result = await run_in_threadpool(engine.ask, ask.message, ask.history, posting)
        except UnknownPostingError:  # the posting left the knowledge since the check (a reload)
            raise _unknown_model(body.model) from None
        await run_in_threadpool(record, integration, ask.recorded, result, started, posting)
        return JSONResponse(completion(body.model, result.response, body.messages))

    @api.api_route("/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def unknown_route(request: Request, path: str) -> None:
        """Answer any other /v1 URL in OpenAI's error shape."""
        allowed = ROUTES.get(request.url.path)
        if allowed is not None:
            message = f"{request.method} is not allowed here: use {allowed} {request.url.path}."
            raise OpenAIError(405, message, code="method_not_allowed", headers={"Allow": allowed})
        raise OpenAIError(404, f"Invalid URL ({request.method} /v1/{path}).", code="unknown_url")

    return api


def install_openai_api(
    app: FastAPI, engine: Engine, settings: Settings, recorder: ExchangeRecorder | None, budgets: Budgets | None = None
) -> None:
    """Add the /v1 routes when INTEGRATION_API_KEYS is set; without keys they do not exist.

    `budgets` is the app's rate-limit storage, so replicas share the per-key budgets too.
    """
    if settings.integration_api_keys is not None:
        app.include_router(router(engine, settings, recorder, budgets))
