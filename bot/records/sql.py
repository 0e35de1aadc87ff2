"""The `Repository` over SQL: a SQLite file by default, PostgreSQL shared by every replica when configured.

Free text is redacted before it is written, session ids are hashed with a
salt kept in the database (so every replica hashes alike), and
conversations older than `RETENTION_DAYS` are deleted when the repository
opens and then at most once an hour as it is used. A failing database
raises `StorageError` after logging and counting the failure, so callers
can keep serving answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
from collections.abc import Callable, Collection

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.answerers.base import ChatAnswer
from bot.config import Settings
from bot.records import reports
from bot.records.database import Database
from bot.records.migrations import migrate, schema_version
from bot.records.redaction import knowledge_emails, redact
from bot.records.repository import WITHHELD, Rating, UnknownMessageError
from bot.records.schema import conversations, events, feedback, messages, meta

logger = logging.getLogger(__name__)

RETENTION_CHECK_INTERVAL = dt.timedelta(hours=1)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


class SQLRepository:
    """The `Repository` over one database, safe to share between threads and between replicas."""

    def __init__(
        self,
        database: Database,
        allowed_emails: Collection[str] = (),
        retention_days: int | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        self.database = database
        self.allowed_emails = allowed_emails  # a live PublicEmails follows knowledge reloads
        self.retention_days = retention_days
        self._clock = clock
        self._insert = postgresql.insert if database.backend == "postgresql" else sqlite.insert
        migrate(database)
        self._salt = self._load_salt()
        self._last_retention: dt.datetime | None = None
        self._apply_retention()

    @property
    def failures(self) -> int:
        """Count the database operations that failed since the app started."""
        return self.database.failures

    @property
    def schema_version(self) -> int:
        """Return the version the database is at."""
        return schema_version(self.database)

    # Helpers

    def _load_salt(self) -> str:
        with self.database.failing("load the session salt"), self.database.writing() as connection:
            connection.execute(
                self._insert(meta).values(key="session_salt", value=secrets.token_hex(16)).on_conflict_do_nothing()
            )
            return connection.execute(sa.select(meta.c.value).where(meta.c.key == "session_salt")).scalar_one()

    def _clean(self, text: str | None) -> str:
        return redact(text or "", self.allowed_emails)

    def _session_hash(self, session_id: str | None) -> str:
        """Hash a session id; a missing one becomes a fresh random session."""
        raw = session_id or secrets.token_hex(16)
        return hashlib.sha256(f"{self._salt}:{raw}".encode()).hexdigest()

    def _rows(self, query: sa.Executable) -> list[dict]:
        self._apply_retention()  # reads too, so an idle app shows nothing past retention
        with self.database.failing("read records"), self.database.reading() as connection:
            return [dict(row._mapping) for row in connection.execute(query)]

    def _apply_retention(self) -> None:
        if self.retention_days is None:
            return
        now = self._clock()
        if self._last_retention and now - self._last_retention < RETENTION_CHECK_INTERVAL:
            return
        deleted = self.purge_older_than(self.retention_days)
        self._last_retention = now
        if deleted:
            logger.info("retention deleted old conversations", extra={"conversations": deleted})

    # Writes

    def record_exchange(
        self,
        session_id: str | None,
        question: str,
        answer: ChatAnswer,
        latency_ms: float,
        posting: str | None,
        store_question: bool = True,
    ) -> int:
        """Store one question and its answer, redacted; return the message id.

        `store_question=False` (the guards' verdict for messages about
        protected characteristics or carrying personal data) keeps only a
        placeholder instead of the question.
        """
        now = _timestamp(self._clock())
        session_hash = self._session_hash(session_id)
        upsert = self._insert(conversations).values(
            session_hash=session_hash, posting=posting, started_at=now, last_at=now
        )
        upsert = upsert.on_conflict_do_update(
            index_elements=["session_hash"], set_={"last_at": upsert.excluded.last_at}
        )
        with self.database.failing("store an exchange"), self.database.writing() as connection:
            conversation_id = connection.execute(upsert.returning(conversations.c.id)).scalar_one()
            message_id = connection.execute(
                sa.insert(messages)
                .values(
                    conversation_id=conversation_id,
                    session_hash=session_hash,
                    question=self._clean(question) if store_question else WITHHELD,
                    answer=self._clean(answer.answer),
                    status=answer.status,
                    mode=answer.mode,
                    degraded=int(answer.degraded),
                    posting=posting,
                    latency_ms=round(latency_ms),
                    created_at=now,
                )
                .returning(messages.c.id)
            ).scalar_one()
        self._apply_retention()
        return message_id

    def record_feedback(
        self,
        session_id: str | None,
        rating: Rating,
        comment: str = "",
        message_id: int | None = None,
        answer: str | None = None,
    ) -> int:
        """Store a rating, linked to the rated message when it belongs to the same session.

        The message is found by id, or else by the answer text within the
        session; a rating of another session's message keeps only its text.
        """
        if rating not in ("up", "down"):
            raise ValueError("rating must be 'up' or 'down'")
        session_hash = self._session_hash(session_id)
        answer_text = self._clean(answer)
        rated = sa.select(messages.c.id, messages.c.answer).where(messages.c.session_hash == session_hash)
        if message_id is not None:
            rated = rated.where(messages.c.id == message_id)
        else:
            rated = rated.where(messages.c.answer == answer_text).order_by(messages.c.id.desc()).limit(1)
        with self.database.failing("store feedback"), self.database.writing() as connection:
            row = connection.execute(rated).first() if message_id is not None or answer_text else None
            if row is None and message_id is not None and not (answer_text or "").strip():
                raise UnknownMessageError(message_id)  # a rating of nothing known: store nothing
            linked_id, rated_answer = (row.id, row.answer) if row else (None, answer_text)
            feedback_id = connection.execute(
                sa.insert(feedback)
                .values(
                    session_hash=session_hash,
                    message_id=linked_id,
                    answer=rated_answer,
                    rating=rating,
                    comment=self._clean(comment),
                    created_at=_timestamp(self._clock()),
                )
                .returning(feedback.c.id)
            ).scalar_one()
        self._apply_retention()
        return feedback_id

    def record_event(self, kind: str, data: dict | None = None) -> int:
        """Store an operational event; string values in data are redacted."""
        clean = {key: self._clean(value) if isinstance(value, str) else value for key, value in (data or {}).items()}
        with self.database.failing("store an event"), self.database.writing() as connection:
            return connection.execute(
                sa.insert(events)
                .values(kind=kind, data=json.dumps(clean, default=str), created_at=_timestamp(self._clock()))
                .returning(events.c.id)
            ).scalar_one()

    def purge_older_than(self, days: int) -> int:
        """Delete conversations whose last message is older than days, with their messages and feedback."""
        cutoff = _timestamp(self._clock() - dt.timedelta(days=days))
        with self.database.failing("delete old records"), self.database.writing() as connection:
            deleted = connection.execute(sa.delete(conversations).where(conversations.c.last_at < cutoff)).rowcount
            connection.execute(sa.delete(feedback).where(feedback.c.created_at < cutoff))
            connection.execute(sa.delete(events).where(events.c.created_at < cutoff))
        return deleted

    # Reads (the queries are in bot/records/reports.py)

    def feedback(self, limit: int = 100) -> list[dict]:
        """Return feedback newest first, with the question and answer rated."""
        return self._rows(reports.feedback(limit))

    def not_found_questions(self, limit: int = 1000) -> list[dict]:
        """Return questions that ended not_found, newest first."""
        return self._rows(reports.not_found_questions(limit))

    def downvoted(self, limit: int = 1000) -> list[dict]:
        """Return down-voted answers with their question and comment, newest first."""
        return self._rows(reports.downvoted(limit))

    def overview(self) -> dict:
        """Return questions per day, status shares, median latency and feedback counts."""
        return reports.overview(self._rows) | {"retention_days": self.retention_days}

    def export(self) -> dict[str, list[dict]]:
        """Return the kept messages and feedback as rows (session ids stay hashed)."""
        return {table.name: self._rows(query) for table, query in reports.export_queries()}

    def ping(self) -> str | None:
        """Return None when the database answers, else the problem to report in /api/health."""
        return self.database.ping()

    def close(self) -> None:
        """Close the database's connections."""
        self.database.close()


def open_repository(settings: Settings, allowed_emails: Collection[str] | None = None) -> SQLRepository:
    """Open the configured database (`DATABASE_URL`, or SQLite at `settings.database_path`), migrated.

    `allowed_emails` are kept in stored text; by default, those the knowledge holds now.
    """
    return SQLRepository(
        Database(settings.database_address),
        allowed_emails=knowledge_emails(settings.knowledge_dir) if allowed_emails is None else allowed_emails,
        retention_days=settings.retention_days,
    )
