"""Call the chat model within a deadline, on a bounded pool of worker threads.

The openai client's timeout bounds each read, but its retries and backoff
can add up to several times that, and a call the answerer gave up on keeps
running. A fixed pool caps how many calls can be in flight at once: when a
provider stalls, new questions get the extractive answer at once instead of
stacking up threads, and a call that outlives its deadline is told to stop
at its next streamed token.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from bot.config import Settings


class LLMFailure(Exception):
    """The model gave no usable answer; the reason names why (for logs and traces)."""


def make_chat_model(
    settings: Settings,
    *,
    timeout: float | None = None,
    max_retries: int | None = None,
    max_tokens: int | None = None,
) -> BaseChatModel:
    """Build the chat client for the configured OpenAI-compatible endpoint.

    The openai client retries 408/409/429/5xx and connection errors itself,
    with exponential backoff that honours `Retry-After`. It is imported here,
    not at module load, so extractive mode starts without the openai SDK.
    """
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.chat_model,
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_seconds if timeout is None else timeout,
        max_retries=settings.llm_max_retries if max_retries is None else max_retries,
        temperature=settings.llm_temperature,
        max_completion_tokens=max_tokens or settings.llm_max_answer_tokens,
    )


def failure_name(exc: BaseException) -> str:
    """Name a provider fault for logs (no message text, which may echo input).

    The client's read timeout and the per-token wait (`Call.deltas`) are the
    same fault, whichever fires first, so both are named "timeout".
    """
    if isinstance(exc, TimeoutError) or "Timeout" in type(exc).__name__:
        return "timeout"
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}:{status}" if status else type(exc).__name__


class ModelCalls:
    """Run model calls on at most `workers` threads; refuse at once when all are busy."""

    def __init__(self, workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="model-call")
        self._slots = threading.BoundedSemaphore(workers)

    def start(self, model: BaseChatModel, messages: list[BaseMessage], streaming: bool) -> Call:
        """Start a call, or raise LLMFailure("busy") when every worker is taken."""
        if not self._slots.acquire(blocking=False):
            raise LLMFailure("busy")
        call = Call()
        future = self._pool.submit(call.run, model, messages, streaming)
        future.add_done_callback(lambda _: self._slots.release())
        return call


class Call:
    """One model call's output, read with a deadline per token."""

    def __init__(self) -> None:
        self.events: queue.Queue = queue.Queue()
        self.cancelled = threading.Event()

    def run(self, model: BaseChatModel, messages: list[BaseMessage], streaming: bool) -> None:
        """Run in a worker thread: put deltas, then the end or the error, on the queue."""
        try:
            if streaming:
                for chunk in model.stream(messages):
                    if self.cancelled.is_set():
                        return
                    if chunk.text:
                        self.events.put(("delta", chunk.text))
            else:
                self.events.put(("delta", model.invoke(messages).text))
            self.events.put(("end", None))
        except Exception as exc:  # every provider fault becomes a fallback, never a 500
            self.events.put(("error", exc))

    def deltas(self, wait_seconds: float) -> Iterator[str]:
        """Yield text deltas; raise LLMFailure on a fault, or when no token comes for wait_seconds."""
        try:
            while True:
                try:
                    kind, value = self.events.get(timeout=wait_seconds)
                except queue.Empty:
                    raise LLMFailure("timeout") from None
                if kind == "end":
                    return
                if kind == "error":
                    raise LLMFailure(failure_name(value)) from value
                yield value
        finally:
            self.cancelled.set()
