"""`POST /api/feedback`: a candidate's thumbs up or down on an answer, with an optional comment.

The chat page and the widget send it; the recruiter console reads it back.
The rated message is named by the `message_id` the chat API returned or, for
clients that do not keep it, by the answer text; the repository redacts the
comment and links the rating only to a message of the same session.
"""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.concurrency import run_in_threadpool

from bot.records.database import StorageError
from bot.records.repository import Repository, UnknownMessageError
from bot.records.schema import MAX_ID

log = logging.getLogger(__name__)

MAX_COMMENT_CHARS = 1000
MAX_ANSWER_CHARS = 20000


class FeedbackRequest(BaseModel):
    """A rating of one answer."""

    model_config = ConfigDict(extra="ignore")

    session_id: str = Field(min_length=1, max_length=100, description="The session_id sent with the chat request.")
    message_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="The message_id the chat API returned.")
    answer: str | None = Field(
        default=None, max_length=MAX_ANSWER_CHARS, description="The answer text, when no message_id is known."
    )
    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=MAX_COMMENT_CHARS, description="Optional free text.")

    @model_validator(mode="after")
    def _names_the_answer(self) -> FeedbackRequest:
        """Require message_id or answer, so the rating can be tied to something."""
        if self.message_id is None and not (self.answer or "").strip():
            raise ValueError("give the message_id of the answer, or its text as answer")
        return self


class FeedbackReceipt(BaseModel):
    """Confirmation that the rating was stored."""

    ok: bool = True
    feedback_id: int


def router(repository: Repository) -> APIRouter:
    """Return the feedback route, storing into repository."""
    api = APIRouter(prefix="/api", tags=["feedback"])

    @api.post("/feedback", status_code=201, response_model=FeedbackReceipt)
    async def feedback(body: FeedbackRequest) -> FeedbackReceipt:
        """Store a thumbs up or down (and comment) on an answer."""
        try:
            feedback_id = await run_in_threadpool(
                repository.record_feedback,
                body.session_id,
                body.rating,
                body.comment,
                body.message_id,
                body.answer,
            )
        except UnknownMessageError as exc:
            raise HTTPException(
                404,
                f"No answer with message_id {body.message_id} in this session: send the message_id the chat API "
                "returned for this session_id, or the answer text as answer.",
            ) from exc
        except StorageError as exc:
            log.error("could not store feedback", extra={"event": "storage_error", "error": type(exc).__name__})
            raise HTTPException(
                503, "Your feedback could not be saved just now. Please try again in a moment."
            ) from exc
        return FeedbackReceipt(feedback_id=feedback_id)

    return api
