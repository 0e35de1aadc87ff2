"""Generative answers through any OpenAI-compatible chat endpoint.

One `ChatOpenAI` client serves OpenAI, Azure OpenAI (v1 API), Doubao/Ark,
vLLM and Ollama alike. The retrieved chunks go to the model as numbered,
delimited, untrusted data, within a token budget; what comes back is
checked (citations, invented facts, prompt leaks) and on any fault -- time
out, rate limit, server error, refused connection, malformed or unsupported
output -- the extractive answer is returned instead, marked degraded.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

import tiktoken
from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI

from bot.answerers.base import ChatAnswer, Evidence
from bot.answerers.citations import MarkerFilter, build_citations, strip_markers
from bot.config import TOKEN_ENCODING, Settings
from bot.answerers.grounding import leaked_prompt, unsupported_facts
from bot.answerers.prompts import Prompts, load_prompts
from bot.knowledge.text import plain_text

log = logging.getLogger(__name__)

MESSAGE_OVERHEAD_TOKENS = 4  # role and separators the chat format adds per message
BUDGET_SAFETY_TOKENS = 32  # tokenizers differ between providers; keep some slack
_DELIMITER_TAG = re.compile(r"<(/?)(context|chunk|question|latest|conversation)\b", re.I)


class LLMFailure(Exception):
    """The model gave no usable answer; the reason names why (for logs and traces)."""


def make_chat_model(
    settings: Settings,
    *,
    timeout: float | None = None,
    max_retries: int | None = None,
    max_tokens: int | None = None,
) -> ChatOpenAI:
    """Build the chat client for the configured OpenAI-compatible endpoint.

    The openai client retries 408/409/429/5xx and connection errors itself,
    with exponential backoff that honours `Retry-After` (up to 120 s).
    """
    return ChatOpenAI(
        model=settings.chat_model,
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_seconds if timeout is None else timeout,
        max_retries=settings.llm_max_retries if max_retries is None else max_retries,
        temperature=settings.llm_temperature,
        max_tokens=max_tokens or settings.llm_max_answer_tokens,
    )


@lru_cache(maxsize=1)
def encoding() -> tiktoken.Encoding:
    """Return the offline tokenizer used for budgeting."""
    return tiktoken.get_encoding(TOKEN_ENCODING)


def count_tokens(text: str) -> int:
    """Count tokens of a text with the offline encoding."""
    return len(encoding().encode(text))


def neutralise(text: str) -> str:
    """Stop data from opening or closing the prompt's delimiter tags."""
    return _DELIMITER_TAG.sub(lambda m: "&lt;" + m.group(1) + m.group(2), text)


def render_chunk(number: int, chunk: Document, body: str | None = None) -> str:
    """Render one chunk as a numbered, delimited passage."""
    section = escape(str(chunk.metadata.get("section", "")), quote=True)
    text = body if body is not None else chunk_body(chunk)
    return f'<chunk id="{number}" section="{section}">\n{neutralise(text)}\n</chunk>'


def chunk_body(chunk: Document) -> str:
    """Return a chunk's text without its leading heading line (the section says it)."""
    lines = chunk.page_content.strip().splitlines()
    if lines and lines[0].startswith("#"):
        lines = lines[1:]
    return "\n".join(lines).strip()


@dataclass
class Prompt:
    """The messages of one model call and what went into them."""

    messages: list[BaseMessage]
    chunks: list[Document]
    history_messages: int
    tokens: int
    context_texts: list[str] = field(default_factory=list)


def _history_message(turn: dict) -> BaseMessage | None:
    content = str(turn.get("content") or "").strip()
    if not content:
        return None
    if turn.get("role") == "user":
        return HumanMessage(neutralise(content))
    if turn.get("role") == "assistant":
        return AIMessage(neutralise(strip_markers(content)))
    return None


def build_prompt(evidence: Evidence, prompts: Prompts, settings: Settings) -> Prompt:
    """Assemble system prompt, trimmed history and numbered context within the token budget.

    The answer's tokens are reserved first; chunks are added best first,
    the last one cut to fit; history fills what is left, newest first, so
    the oldest turns are the ones dropped.
    """
    question = neutralise(evidence.question)
    standalone = neutralise(evidence.standalone)
    today = evidence.today.isoformat()
    frame = prompts.answer.format(today=today, context="", question=question, standalone=standalone)
    budget = (
        settings.llm_context_tokens
        - settings.llm_max_answer_tokens
        - BUDGET_SAFETY_TOKENS
        - count_tokens(prompts.system)
        - count_tokens(frame)
        - 2 * MESSAGE_OVERHEAD_TOKENS
    )
    if budget <= 0:
        raise LLMFailure("context budget too small for the prompt")

    passages: list[str] = []
    sent: list[Document] = []
    for chunk in evidence.chunks:
        passage = render_chunk(len(sent) + 1, chunk)
        cost = count_tokens(passage) + 1
        if cost > budget:
            head = render_chunk(len(sent) + 1, chunk, body="")
            room = budget - count_tokens(head) - 1
            if room < 16:
                break
            body = encoding().decode(encoding().encode(chunk_body(chunk))[:room])
            passage = render_chunk(len(sent) + 1, chunk, body=body)
            cost = count_tokens(passage) + 1
            if cost > budget:
                break
        passages.append(passage)
        sent.append(chunk)
        budget -= cost
    if not sent:
        raise LLMFailure("no chunk fits the context budget")

    history: list[BaseMessage] = []
    for turn in reversed(evidence.history[-2 * settings.max_history_turns :]):
        message = _history_message(turn)
        if message is None:
            continue
        cost = count_tokens(message.content) + MESSAGE_OVERHEAD_TOKENS
        if cost > budget:
            break
        history.insert(0, message)
        budget -= cost

    user = prompts.answer.format(
        today=today, context="\n".join(passages), question=question, standalone=standalone
    )
    messages = [SystemMessage(prompts.system), *history, HumanMessage(user)]
    tokens = sum(count_tokens(m.content) + MESSAGE_OVERHEAD_TOKENS for m in messages)
    return Prompt(
        messages=messages,
        chunks=sent,
        history_messages=len(history),
        tokens=tokens,
        context_texts=[plain_text(c.page_content) for c in sent],
    )


class _Call:
    """Run one model call in a worker thread so the caller can keep a deadline.

    The openai client's timeout bounds each read, but retries and backoff
    can add up to several times that; the caller stops waiting when the
    first token is later than the timeout, or the stream stalls that long.
    """

    def __init__(self, model: BaseChatModel, messages: list[BaseMessage], streaming: bool):
        self.events: queue.Queue = queue.Queue()
        self.cancelled = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(model, messages, streaming), daemon=True)
        self.thread.start()

    def _run(self, model: BaseChatModel, messages: list[BaseMessage], streaming: bool) -> None:
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
        """Yield text deltas; raise LLMFailure on a fault or a stall."""
        try:
            while True:
                try:
                    kind, value = self.events.get(timeout=wait_seconds)
                except queue.Empty:
                    raise LLMFailure("timeout") from None
                if kind == "end":
                    return
                if kind == "error":
                    raise LLMFailure(_failure_name(value)) from value
                yield value
        finally:
            self.cancelled.set()


def _failure_name(exc: BaseException) -> str:
    """Name a provider fault for logs (no message text, which may echo input)."""
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}:{status}" if status else type(exc).__name__


class LLMAnswerer:
    """Answer from the evidence with a chat model; fall back to the extractive answer."""

    mode = "llm"

    def __init__(self, settings: Settings, model: BaseChatModel | None = None):
        self.settings = settings
        self.prompts = load_prompts(settings.prompts_dir)
        self.model = model or make_chat_model(settings)
        self.wait_seconds = settings.llm_timeout_seconds

    def answer(self, evidence: Evidence) -> ChatAnswer:
        """Return the validated answer, asking the model without streaming."""
        return list(self._iterate(evidence, streaming=False))[-1]

    def stream(self, evidence: Evidence) -> Iterator[str | ChatAnswer]:
        """Yield cleaned text deltas, then the validated (or fallback) answer.

        When the model fails before any text was shown, the fallback's text is
        streamed, so clients that render deltas show the answer too.
        """
        yield from self._iterate(evidence, streaming=True)

    def _iterate(self, evidence: Evidence, streaming: bool) -> Iterator[str | ChatAnswer]:
        started = time.perf_counter()
        stats: dict = {"prompt_version": self.prompts.version, "model": self.settings.chat_model}
        shown_any = False  # on a fault before any text, the fallback is streamed instead
        try:
            prompt = build_prompt(evidence, self.prompts, self.settings)
            stats.update(prompt_tokens=prompt.tokens, chunks_sent=len(prompt.chunks), history_sent=prompt.history_messages)
            markers = MarkerFilter(len(prompt.chunks))
            call = _Call(self.model, prompt.messages, streaming)
            for delta in call.deltas(self.wait_seconds):
                stats.setdefault("ttft_ms", round((time.perf_counter() - started) * 1000, 1))
                shown = markers.feed(delta)
                if shown and streaming:
                    shown_any = True
                    yield shown
            tail = markers.flush()
            if tail and streaming:
                shown_any = True
                yield tail
            final = self._validate(markers, prompt, evidence)
        except LLMFailure as failure:
            final = evidence.fallback.model_copy(update={"degraded": True})
            stats["fallback"] = str(failure)
            if streaming and not shown_any:
                yield final.answer
        stats["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        stats["outcome"] = "fallback" if final.degraded else "answered"
        evidence.notes["llm"] = stats
        log.info("llm answer", extra={"event": "llm_answer", **stats})
        yield final

    def _validate(self, markers: MarkerFilter, prompt: Prompt, evidence: Evidence) -> ChatAnswer:
        """Turn checked model text into the answer, or raise LLMFailure."""
        cited = build_citations(markers, prompt.chunks, evidence.selected)
        if not strip_markers(cited.text):
            raise LLMFailure("empty output")
        if not cited.citations:
            raise LLMFailure("no valid citation")
        allowed = [*(plain_text(c.page_content) for c in cited.cited_chunks), evidence.question, evidence.standalone]
        today = evidence.today
        allowed.append(f"{today.isoformat()} {today:%B} {today.day}, {today.year}")
        if leaked_prompt(cited.text, self.prompts.texts(), [*prompt.context_texts, evidence.question]):
            raise LLMFailure("prompt leak")
        if unsupported_facts(cited.text, allowed):
            raise LLMFailure("unsupported facts")
        return ChatAnswer(answer=cited.text, status="answered", citations=cited.citations, mode="llm")
