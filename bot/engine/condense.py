"""Rewrite a follow-up message into a standalone question before retrieval.

"Does that apply to affiliates too?" retrieves nothing useful on its own.
In extractive mode a rule joins a follow-up to the earlier question it
refers to; in LLM mode the model rewrites it (prompts/condense.md), and any
fault or odd output falls back to the rule.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from bot.answerers.calls import make_chat_model
from bot.answerers.citations import strip_markers
from bot.answerers.prompting import neutralise
from bot.answerers.prompts import load_prompts
from bot.config import Settings
from bot.engine.phrasing import Phrasing
from bot.knowledge.language import detect_language
from bot.knowledge.text import normalize_space

log = logging.getLogger(__name__)

Condenser = Callable[[str, list[dict], str], str]  # (message, history, language) -> standalone question

MAX_EARLIER_QUESTIONS = 3
CONDENSE_HISTORY_TURNS = 6
CONDENSE_TURN_CHARS = 600
CONDENSE_MAX_TOKENS = 128
_LABEL = re.compile(r"^\s*(standalone question|question|rewritten question)\s*:\s*", re.I)
_JOINED = re.compile(r"^(?P<question>.*) \(follow-up to: (?P<topic>.*)\)$", re.S)  # what RuleCondenser writes


class RuleCondenser:
    """Join a follow-up to the earlier question(s) it refers to.

    Walks back over the candidate's earlier messages until one stands on its
    own, so a chain of follow-ups keeps the original topic; thanks and
    requests for another language are passed over. What makes a follow-up is
    each language's words (Phrasing.is_follow_up).
    """

    def __init__(self, phrasing: Phrasing) -> None:
        self.phrasing = phrasing

    def __call__(self, question: str, history: list[dict], language: str) -> str:
        """Return the question, with the earlier question(s) it follows."""
        earlier = [
            normalize_space(str(turn.get("content") or ""))
            for turn in history
            if turn.get("role") == "user" and str(turn.get("content") or "").strip()
        ]
        if not earlier or not self.phrasing.is_follow_up(question, language):
            return question
        topic: list[str] = []
        for at in range(len(earlier) - 1, -1, -1):
            previous = earlier[at]
            previous_language = detect_language(previous, default=language)
            if self.phrasing.only_frames(previous, previous_language, earlier[at - 1] if at else ""):
                continue
            topic.insert(0, previous)
            if len(topic) == MAX_EARLIER_QUESTIONS or not self.phrasing.is_follow_up(previous, previous_language):
                break
        return f"{question} (follow-up to: {' '.join(topic)})" if topic else question


def earlier_context(standalone: str, question: str) -> str:
    """Return what a standalone question adds to the candidate's words: the earlier question(s), or the rewrite.

    The rule's own label ("follow-up to:") is no word of the candidate's: searched, it finds "following".
    """
    joined = _JOINED.match(standalone)
    if joined and joined["question"] == question:
        return joined["topic"]
    return standalone.replace(question, " ").strip(" ()")


def _conversation(history: list[dict]) -> str:
    lines = []
    for turn in history[-CONDENSE_HISTORY_TURNS:]:
        content = normalize_space(strip_markers(str(turn.get("content") or "")))[:CONDENSE_TURN_CHARS]
        if content and turn.get("role") in ("user", "assistant"):
            speaker = "Candidate" if turn["role"] == "user" else "Assistant"
            lines.append(f"{speaker}: {content}")
    return "\n".join(lines)


def clean_rewrite(text: str, question: str) -> str | None:
    """Return the model's rewrite as one question, or None when it is unusable."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines:
        return None
    rewrite = _LABEL.sub("", lines[0]).strip().strip("\"'“”").strip()
    if not rewrite or "<" in rewrite or len(rewrite) > max(300, 3 * len(question)):
        return None
    return rewrite


class LLMCondenser:
    """Rewrite follow-ups with the chat model, falling back to the rule."""

    def __init__(self, settings: Settings, phrasing: Phrasing, model: BaseChatModel | None = None):
        self.rule = RuleCondenser(phrasing)
        self.prompts = load_prompts(settings.prompts_dir)
        self.model = model or make_chat_model(
            settings,
            timeout=min(settings.llm_condense_timeout_seconds, settings.llm_timeout_seconds),
            max_retries=0,
            max_tokens=CONDENSE_MAX_TOKENS,
        )

    def __call__(self, question: str, history: list[dict], language: str) -> str:
        """Return the standalone question; a question that stands on its own costs no model call."""
        if not history or not self.rule.phrasing.is_follow_up(question, language):
            return question
        user = (
            f"<conversation>\n{neutralise(_conversation(history))}\n</conversation>\n"
            f"<latest>\n{neutralise(question)}\n</latest>"
        )
        try:
            reply = self.model.invoke([SystemMessage(self.prompts.condense), HumanMessage(user)])
            rewrite = clean_rewrite(reply.text, question)
        except Exception as exc:  # any provider fault: the rule still gives a usable query
            log.warning("condense failed", extra={"event": "condense_fallback", "error": type(exc).__name__})
            rewrite = None
        if rewrite is None:
            return self.rule(question, history, language)
        return rewrite


def make_condenser(settings: Settings, phrasing: Phrasing) -> Condenser:
    """Return the condenser for the configured mode."""
    if settings.llm_enabled:
        return LLMCondenser(settings, phrasing)
    return RuleCondenser(phrasing)
