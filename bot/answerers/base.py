"""The answerer seam: what every answerer receives and returns.

The engine retrieves chunks, scores their sentences and decides the status
(answered / not_found / refused) the same way for every answerer. An
answerer only turns the evidence of an answerable question into prose with
`[n]` citations: the extractive answerer quotes sentences, the LLM answerer
asks a model and validates what comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from langchain_core.documents import Document
from pydantic import BaseModel, Field

from bot.engine.evidence import PostingUnits, UnitRef

Status = Literal["answered", "not_found", "refused"]
Mode = Literal["extractive", "llm"]
AnswerType = Literal["answer", "closest", "not_covered", "refusal", "invitation", "clarify"]


class Citation(BaseModel):
    """A numbered source: `[id]` in the answer points here; `quote` is verbatim knowledge."""

    id: int = Field(description="Number used by the [n] marker in the answer.")
    source: str = Field(description="Knowledge file the quote comes from.")
    section: str = Field(description="Section heading of the quote.")
    quote: str = Field(description="Verbatim text of the knowledge that supports the answer.")


class ChatAnswer(BaseModel):
    """The reply to one chat message, as `/api/chat` returns it."""

    answer: str
    status: Status
    citations: list[Citation]
    mode: Mode
    degraded: bool = Field(default=False, description="True when the LLM failed and the extractive answer was used.")
    answer_type: AnswerType = Field(
        default="answer",
        description=(
            "answer: the citations answer the question; closest: the posting does not answer it and the "
            "citations are the closest it says; not_covered: nothing relevant; refusal; invitation: the "
            "message asked nothing; clarify: several postings could be meant, and the reply names them."
        ),
    )
    language: str = Field(default="en", description="Language of the reply: en, zh or es.")


@dataclass
class Evidence:
    """Everything an answerer may use for one answerable question."""

    question: str  # the candidate's message as sent (cleaned)
    standalone: str  # the question rewritten without reference to history
    history: list[dict]
    chunks: list[Document]  # retrieved chunks, best first
    selected: list[UnitRef]  # units chosen as the answer's support (or the closest passages)
    today: dt.date
    fallback: ChatAnswer  # the extractive answer, used when another answerer fails
    language: str = "en"
    not_found: ChatAnswer | None = None  # the reply when the model finds no answer (closest passages, or none)
    units: PostingUnits | None = None  # the posting's embedded units, for checking what a sentence is about
    notes: dict = field(default_factory=dict)


class Answerer(Protocol):
    """Turn evidence into a cited answer."""

    mode: Mode

    def answer(self, evidence: Evidence) -> ChatAnswer:
        """Return the full answer."""
        ...

    def stream(self, evidence: Evidence) -> Iterator[str | ChatAnswer]:
        """Yield text deltas, then the final `ChatAnswer` as the last item.

        The final answer is authoritative: clients replace the streamed text
        with it, since validation may drop markers the deltas contained.
        """
        ...
