"""Assemble the model's messages: system prompt, trimmed history and numbered passages, within a token budget.

Passages go to the model as numbered, delimited, untrusted data; nothing in
them or in the candidate's messages can open or close a delimiter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

import tiktoken
from langchain_core.documents import Document
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from bot.answerers.base import Evidence
from bot.answerers.citations import strip_markers
from bot.answerers.prompts import Prompts
from bot.config import TOKEN_ENCODING, Settings
from bot.knowledge.text import plain_text


class BudgetError(ValueError):
    """The prompt cannot fit the configured context window."""


MESSAGE_OVERHEAD_TOKENS = 4  # role and separators the chat format adds per message
BUDGET_SAFETY_TOKENS = 32  # tokenizers differ between providers; keep some slack
_DELIMITER_TAG = re.compile(r"<(/?)(context|chunk|question|latest|conversation)\b", re.I)


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
        raise BudgetError("context budget too small for the prompt")

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
        raise BudgetError("no chunk fits the context budget")

    history: list[BaseMessage] = []
    for turn in reversed(evidence.history[-2 * settings.max_history_turns :]):
        message = _history_message(turn)
        if message is None:
            continue
        cost = count_tokens(message.text) + MESSAGE_OVERHEAD_TOKENS
        if cost > budget:
            break
        history.insert(0, message)
        budget -= cost

    user = prompts.answer.format(today=today, context="\n".join(passages), question=question, standalone=standalone)
    messages = [SystemMessage(prompts.system), *history, HumanMessage(user)]
    tokens = sum(count_tokens(m.text) + MESSAGE_OVERHEAD_TOKENS for m in messages)
    return Prompt(
        messages=messages,
        chunks=sent,
        history_messages=len(history),
        tokens=tokens,
        context_texts=[plain_text(c.page_content) for c in sent],
    )
