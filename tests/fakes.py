"""Test doubles for the outside dependencies: embeddings and the chat model.

`FakeEmbeddings` maps text to a hashed bag of stemmed words, so texts that
share words are close and nothing loads a model. `ScriptedChatModel` is a
LangChain chat model that answers from a script, in process. Both plug into
the same seams as the real ones (`Engine(settings, embeddings=...)`,
`LLMAnswerer(settings, model=...)`). `reply_text` is the behaviour the
in-process model and the fake OpenAI server process (tests/fake_openai_server.py)
share: scripted replies, citations of chosen words, and by default a
grounded answer (the context sentence that shares most words with the
question, cited) or NOT_IN_POSTING.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from bot.answerers.base import ChatAnswer, Citation, Evidence
from bot.knowledge.text import content_terms

DIMENSIONS = 256
CHUNK = re.compile(r'<chunk id="(\d+)"[^>]*>\n?(.*?)\n?</chunk>', re.S)
LATEST = re.compile(r"<latest>\s*(.*?)\s*</latest>", re.S)
QUESTION = re.compile(r"<question>\s*(.*?)\s*</question>", re.S)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
MONTHS = {m: m[:3] for m in calendar.month_name[1:] if len(m) > 3}  # "January" -> "Jan"


class FakeEmbeddings(Embeddings):
    """Deterministic hashed bag-of-stems vectors: shared words make texts close."""

    space = "fake-hash-256"

    def _vector(self, text: str) -> list[float]:
        vector = np.full(DIMENSIONS, 1e-3)
        for term in content_terms(text) or [text.lower()]:
            bucket = int(hashlib.md5(term.encode()).hexdigest()[:8], 16) % DIMENSIONS
            vector[bucket] += 1.0
        return (vector / np.linalg.norm(vector)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        """Embed a query."""
        return self._vector(text)


def _cite(word: str, chunks: list[tuple[str, str]]) -> str:
    for number, text in chunks:
        for line in text.splitlines():
            for sentence in SENTENCE_END.split(line.strip().lstrip("- ")):
                if word.lower() in sentence.lower():
                    return f"{sentence.strip()} [{number}]"
    return ""


def _grounded(question: str, chunks: list[tuple[str, str]]) -> str:
    """Answer with the context sentence that shares most words with the question, or NOT_IN_POSTING."""
    wanted = set(content_terms(question))
    best, best_overlap = "", 0
    for number, text in chunks:
        for line in text.splitlines():
            for sentence in SENTENCE_END.split(line.strip().lstrip("- ")):
                overlap = len(wanted & set(content_terms(sentence)))
                if sentence.strip() and overlap > best_overlap:
                    best, best_overlap = f"{sentence.strip()} [{number}]", overlap
    return best or "NOT_IN_POSTING"


def _reformat(text: str) -> str:
    """Write numbers and dates the way a model might: "$136,800", "Jan 15"."""
    text = re.sub(
        r"\b(" + "|".join(MONTHS) + r") (\d{1,2}), \d{4}", lambda m: f"{MONTHS[m.group(1)]} {m.group(2)}", text
    )
    return re.sub(r"\d{5,}", lambda m: f"{int(m.group()):,}", text)


def reply_text(step: dict, last_user: str) -> str:
    """Compose the reply a scripted step gives to a request whose last user message is `last_user`."""
    chunks = CHUNK.findall(last_user)
    if "reply" in step:
        return step["reply"]
    latest = LATEST.search(last_user)
    if latest and "cite" not in step:
        return latest.group(1)
    if "cite" in step:
        text = " ".join(f for f in (_cite(word, chunks) for word in step["cite"]) if f) or "NOT_IN_POSTING"
    else:
        question = QUESTION.search(last_user)
        text = _grounded(question.group(1) if question else last_user, chunks)
    if step.get("reformat"):
        text = _reformat(text)
    if step.get("bogus_cite"):
        text += f" The team also covers relocation costs [{step['bogus_cite']}]."
    if step.get("clause"):
        text = _with_clause(text, step["clause"])
    if step.get("append"):
        text += " " + step["append"]
    return text


def _with_clause(text: str, clause: str) -> str:
    """Join an invented clause onto the first cited sentence: "… annually, and the role is fully remote [1]"."""
    return re.sub(r"[.!?]?\s*(\[\d+\])", lambda m: f", {clause}. {m.group(1)}", text, count=1)


class ScriptedChatModel(BaseChatModel):
    """A chat model that answers from a list of steps (then `default`), in process.

    A step is a dict like the fake server's: `reply`, `cite`, `reformat`,
    `append`, `clause` (joined onto the first cited sentence), `bogus_cite`, `error` (an exception to raise), `latency`,
    `chunk_chars` (streamed piece size). `calls` records every prompt.
    """

    steps: list[dict] = []
    default: dict = {}
    calls: list[list[BaseMessage]] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _step(self, messages: list[BaseMessage]) -> dict:
        self.calls.append(messages)
        step = self.steps.pop(0) if self.steps else self.default
        time.sleep(step.get("latency", 0))
        if "error" in step:
            raise step["error"]
        return step

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        step = self._step(messages)
        text = reply_text(step, str(messages[-1].content))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(text))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        step = self._step(messages)
        text = reply_text(step, str(messages[-1].content))
        size = step.get("chunk_chars", 5)
        for start in range(0, len(text), size):
            time.sleep(step.get("chunk_delay", 0))
            yield ChatGenerationChunk(message=AIMessageChunk(content=text[start : start + size]))


# The extractive answer an LLM answerer falls back to in the answerer tests.
FALLBACK = ChatAnswer(
    answer="Candidates can apply for a maximum of TWO positions. [1]",
    status="answered",
    citations=[
        Citation(
            id=1,
            source="s.md",
            section="Application limit",
            quote="Candidates can apply for a maximum of TWO positions.",
        )
    ],
    mode="extractive",
)


def answerer_evidence(
    chunks: dict,
    sections: list[str],
    question: str,
    history: list[dict] | None = None,
    not_found: ChatAnswer | None = None,
    today: dt.date = dt.date(2024, 1, 10),
) -> Evidence:
    """Return the evidence an answerer gets for a question: the named sections' chunks, FALLBACK as fallback."""
    return Evidence(
        question=question,
        standalone=question,
        history=history or [],
        chunks=[chunks[s] for s in sections],
        selected=[],
        today=today,
        fallback=FALLBACK,
        not_found=not_found,
    )
