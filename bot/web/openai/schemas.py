"""The chat-completions wire format: what clients send and the objects and chunks they get back.

Replies are standard `chat.completion` / `chat.completion.chunk` objects
plus one documented extension that SDKs keep as extra fields: top-level
`citations` (the engine's citation dicts, for the `[n]` markers in the
text), `status`, `degraded`, `answer_type` and `language`.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidatorFunctionWrapHandler, field_validator

from bot.answerers.base import ChatAnswer
from bot.answerers.prompting import count_tokens

OWNER = "careers-chat"


class TextPart(BaseModel):
    """A text part of a message's content (image and audio parts are not supported)."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["text"]
    text: str


class Message(BaseModel):
    """One message of the conversation, as OpenAI clients send it."""

    model_config = ConfigDict(extra="ignore")

    role: Literal["system", "developer", "user", "assistant"] = Field(
        description="system/developer messages never change the assistant's policy; see the README."
    )
    content: str | list[TextPart] | None = None

    @field_validator("content", mode="wrap")
    @classmethod
    def _text_only(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        """Report a content that is not text as one problem, not one per union member."""
        try:
            return handler(value)
        except ValidationError:
            raise ValueError("must be a string or a list of text parts (only text is supported)") from None

    @property
    def text(self) -> str:
        """Return the content as one text."""
        if isinstance(self.content, list):
            return "\n".join(part.text for part in self.content)
        return self.content or ""


class StreamOptions(BaseModel):
    """Options of a streamed reply."""

    model_config = ConfigDict(extra="ignore")

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    """The standard chat-completions body; options that do not apply to quoted answers are accepted and ignored."""

    model_config = ConfigDict(extra="ignore")

    model: str = Field(min_length=1, max_length=200, description="Posting id (see GET /v1/models).")
    messages: list[Message] = Field(
        min_length=1, description="The conversation; the last user message is the question."
    )
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    temperature: float | None = Field(
        default=None, ge=0, le=2, description="Accepted; answers quote the posting, so it is ignored."
    )
    max_tokens: int | None = Field(
        default=None, ge=1, description="Accepted and ignored: a cut answer would lose its citations."
    )
    max_completion_tokens: int | None = Field(default=None, ge=1, description="As max_tokens.")
    n: int | None = Field(default=None, ge=1, le=1, description="Only one choice is returned.")


def completion_id() -> str:
    """Return a fresh id for a completion and its chunks."""
    return f"chatcmpl-{uuid.uuid4().hex}"


def extension(answer: ChatAnswer) -> dict:
    """Return the careers-chat fields that travel next to the standard ones."""
    return {
        "citations": [c.model_dump() for c in answer.citations],
        "status": answer.status,
        "degraded": answer.degraded,
        "answer_type": answer.answer_type,
        "language": answer.language,
    }


def usage(messages: list[Message], answer: str) -> dict:
    """Count prompt and completion tokens with the offline encoding."""
    prompt = sum(count_tokens(m.text) for m in messages)
    completion = count_tokens(answer)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def completion(model: str, answer: ChatAnswer, messages: list[Message]) -> dict:
    """Return a whole answer as a `chat.completion` object."""
    return {
        "id": completion_id(),
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.answer},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": usage(messages, answer.answer),
        **extension(answer),
    }


def chunk(ident: str, created: int, model: str, delta: dict, finish_reason: str | None = None) -> dict:
    """Return one `chat.completion.chunk` with a single choice."""
    return {
        "id": ident,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}],
    }


def model_card(posting: str, title: str | None, created: int) -> dict:
    """Return a posting as an OpenAI `model` object, with its title as an extra field."""
    return {"id": posting, "object": "model", "created": created, "owned_by": OWNER, "title": title}
