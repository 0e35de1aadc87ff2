"""Stream an engine answer as `chat.completion.chunk` server-sent events ending in `data: [DONE]`.

The deltas are the engine's; the last chunk before `[DONE]` carries the
extension (citations, status, degraded, answer_type, language). The
engine's final answer is authoritative: when it only adds to what was
streamed the rest goes out as one more delta, and when it differs (an LLM
marker that failed validation was dropped) the last chunk also carries
`answer`, the text that replaces the streamed one.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from bot.engine.engine import EngineResult
from bot.web.openai.errors import SERVER_ERROR, OpenAIError
from bot.web.openai.schemas import Message, chunk, completion_id, extension, usage

log = logging.getLogger(__name__)

DONE = "data: [DONE]\n\n"


def sse(payload: dict) -> str:
    """Frame one JSON payload as a server-sent event."""
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"


async def completion_chunks(
    events: Iterator[tuple[str, Any]],
    model: str,
    messages: list[Message],
    include_usage: bool,
    on_result: Callable[[EngineResult], Any],
) -> AsyncIterator[str]:
    """Turn the engine's stream into chunk events; `on_result` (e.g. storing the exchange) runs before the last chunk."""
    ident, created = completion_id(), int(time.time())
    yield sse(chunk(ident, created, model, {"role": "assistant", "content": ""}))
    streamed: list[str] = []
    result: EngineResult | None = None
    try:
        async for event, data in iterate_in_threadpool(events):
            if event == "delta" and data.get("text"):
                streamed.append(data["text"])
                yield sse(chunk(ident, created, model, {"content": data["text"]}))
            elif event == "result":
                result = data
                await run_in_threadpool(on_result, data)
        if result is None:
            raise RuntimeError("the engine's stream ended without a result")
    except Exception:  # the stream has started: report in-band, as OpenAI does
        log.exception("stream failed", extra={"event": "stream_error"})
        yield sse(OpenAIError(500, SERVER_ERROR, "server_error").body())
        return
    answer = result.response
    text = "".join(streamed)
    fields = extension(answer)
    if answer.answer != text:
        if answer.answer.startswith(text):
            yield sse(chunk(ident, created, model, {"content": answer.answer[len(text) :]}))
        else:
            fields["answer"] = answer.answer
    last = chunk(ident, created, model, {}, "stop")
    if include_usage:
        yield sse(last)
        last = {**last, "choices": [], "usage": usage(messages, answer.answer)}
    yield sse({**last, **fields})
    yield DONE
