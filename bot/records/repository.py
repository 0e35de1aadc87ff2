"""What the app stores about conversations, and the chat API's hook that stores each exchange.

The rest of the app talks to the `Repository` protocol only; `open_repository`
in bot/records/sql.py picks the database (SQLite file or PostgreSQL) from
the settings. Every implementation redacts free text before writing (raw
text is never written), keeps session ids only as salted hashes, keeps a
placeholder instead of a question the guards say not to store, links a
rating only to a message of the same session, and deletes conversations
older than `RETENTION_DAYS`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, Protocol

from bot.answerers.base import ChatAnswer
from bot.records.database import StorageError

if TYPE_CHECKING:
    from bot.engine.engine import EngineResult

logger = logging.getLogger(__name__)

Rating = Literal["up", "down"]
WITHHELD = "[question not stored]"


class UnknownMessageError(LookupError):
    """A rating names a message_id that is not a message of its session, and gives no answer text."""


class Repository(Protocol):
    """What the app stores and what the recruiter console reads back."""

    def record_exchange(
        self,
        session_id: str | None,
        question: str,
        answer: ChatAnswer,
        latency_ms: float,
        posting: str | None,
        store_question: bool = True,
    ) -> int:
        """Store one question (or `WITHHELD`) and its answer; return the message id."""
        ...

    def record_feedback(
        self,
        session_id: str | None,
        rating: Rating,
        comment: str = "",
        message_id: int | None = None,
        answer: str | None = None,
    ) -> int:
        """Store a rating of an answer; return the feedback id.

        Raise UnknownMessageError when message_id names no message of the
        session and no answer text says what was rated.
        """
        ...

    def record_event(self, kind: str, data: dict | None = None) -> int:
        """Store an operational event (e.g. a knowledge reload)."""
        ...

    def feedback(self, limit: int = 100) -> list[dict]:
        """Return feedback newest first, with the question and answer rated."""
        ...

    def not_found_questions(self, limit: int = 1000) -> list[dict]:
        """Return questions the assistant could not answer, newest first."""
        ...

    def downvoted(self, limit: int = 1000) -> list[dict]:
        """Return down-voted answers with their question and comment, newest first."""
        ...

    def overview(self) -> dict:
        """Return questions per day, status shares, median latency and feedback counts."""
        ...

    def purge_older_than(self, days: int) -> int:
        """Delete conversations (and their messages and feedback) older than days; return how many."""
        ...

    def export(self) -> dict[str, list[dict]]:
        """Return the kept messages and feedback as rows."""
        ...

    def close(self) -> None:
        """Release the database."""
        ...


def exchange_recorder(
    repository: Repository,
) -> Callable[[str | None, str, EngineResult, float, str | None], str | None]:
    """Adapt the repository to the chat API's recorder hook.

    The guards' `store_text` verdict decides whether the question is kept. A
    storage failure (logged and counted by the repository) leaves the
    message without an id, and the candidate still gets the answer.
    """

    def record(
        session_id: str | None, message: str, result: EngineResult, latency_ms: float, posting: str | None
    ) -> str | None:
        try:
            message_id = repository.record_exchange(
                session_id,
                message,
                result.response,
                latency_ms,
                posting,
                store_question=result.trace.get("store_text", True),
            )
        except StorageError:
            return None
        return str(message_id)

    return record
