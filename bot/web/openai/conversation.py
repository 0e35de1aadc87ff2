"""Read an OpenAI message list as careers-chat reads a chat: one question, its history, untrusted system text.

The last user message is the question and the user and assistant turns
before it are the history, trimmed to the limits `/api/chat` applies.
System (and developer) messages are the client's, not ours: they never
reach the engine, so they cannot change its policy. They still go through
the same guards as every candidate message, and when the guards refuse one,
the request is answered with the engine's refusal of that text, so an
injection in a system message is refused and recorded like one in a question.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.engine.guards import load_guards
from bot.knowledge.language import detect_language
from bot.web.openai.errors import OpenAIError
from bot.web.openai.schemas import Message

SYSTEM_ROLES = frozenset({"system", "developer"})
SYSTEM_LABEL = "[system message] "


@dataclass(frozen=True)
class Ask:
    """What to ask the engine, and what to record as the question."""

    message: str
    history: list[dict]
    recorded: str


def read_conversation(messages: list[Message], settings: Settings) -> Ask:
    """Return the question and history of a message list, or the hostile system text to refuse."""
    last = next((i for i in range(len(messages) - 1, -1, -1) if messages[i].role == "user"), None)
    if last is None:
        raise OpenAIError(400, "'messages' needs a user message: the last one is the question.", param="messages")
    question = messages[last].text
    param = f"messages.{last}.content"
    if not question:
        raise OpenAIError(400, "The last user message is empty: it is the question.", param=param)
    if len(question) > settings.max_message_chars:
        message = f"The question (the last user message) is too long: at most {settings.max_message_chars} characters."
        raise OpenAIError(400, message, param=param, code="string_above_max_length")
    hostile = _hostile_system_text(messages, settings)
    if hostile is not None:
        return Ask(hostile, [], SYSTEM_LABEL + hostile)
    turns = [
        {"role": m.role, "content": m.text[: settings.max_history_message_chars]}
        for m in messages[:last]
        if m.role in ("user", "assistant") and m.text
    ]
    return Ask(question, turns[-settings.max_history_turns * 2 :], question)


def _hostile_system_text(messages: list[Message], settings: Settings) -> str | None:
    """Return the first system text the guards refuse, if any."""
    guards = load_guards(settings.prompts_dir / "guards.yaml")
    for message in messages:
        text = message.text
        if (
            message.role in SYSTEM_ROLES
            and text.strip()
            and guards.check(text, detect_language(text)).action == "refuse"
        ):
            return text
    return None
