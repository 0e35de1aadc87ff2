"""Keep conversations, feedback and events, redacted, in SQLite under the data dir.

The rest of the app talks to the `Repository` protocol only, so a server
database can replace SQLite by changing `open_repository`. The SQLite
repository redacts every free-text field before writing (raw text is never
written), hashes session ids with a per-database salt, migrates its schema
from `PRAGMA user_version`, and deletes conversations older than
`RETENTION_DAYS` when it opens and then at most once an hour as it is used.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import secrets
import sqlite3
import statistics
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from bot.answerers.base import ChatAnswer
from bot.config import Settings
from bot.records.redaction import knowledge_emails, redact

if TYPE_CHECKING:
    from bot.engine.engine import EngineResult

logger = logging.getLogger(__name__)

Rating = Literal["up", "down"]
EXPORT_TABLES = ("messages", "feedback")
RETENTION_CHECK_INTERVAL = dt.timedelta(hours=1)
WITHHELD = "[question not stored]"

# Each step moves the schema from version i to i + 1; never edit a released step, append one.
# Steps are split on ';', so they hold plain statements (no triggers or ';' in literals).
MIGRATIONS: tuple[str, ...] = (
    # 1: conversations, their messages and feedback
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        session_hash TEXT NOT NULL UNIQUE,
        posting TEXT,
        started_at TEXT NOT NULL,
        last_at TEXT NOT NULL
    );
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        status TEXT NOT NULL,
        mode TEXT NOT NULL,
        posting TEXT,
        latency_ms INTEGER NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE feedback (
        id INTEGER PRIMARY KEY,
        session_hash TEXT NOT NULL,
        message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE,
        answer TEXT NOT NULL,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    """,
    # 2: events, degraded answers, session hash on messages, indexes for the console
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
    );
    ALTER TABLE messages ADD COLUMN degraded INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE messages ADD COLUMN session_hash TEXT NOT NULL DEFAULT '';
    UPDATE messages SET session_hash =
        (SELECT session_hash FROM conversations WHERE conversations.id = messages.conversation_id);
    CREATE INDEX messages_created ON messages(created_at);
    CREATE INDEX messages_status ON messages(status);
    CREATE INDEX feedback_created ON feedback(created_at);
    CREATE INDEX conversations_last ON conversations(last_at);
    CREATE INDEX events_created ON events(created_at);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StorageError(RuntimeError):
    """The database cannot be used (e.g. it was written by a newer version)."""


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
        """Store a rating of an answer; return the feedback id."""
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


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")


class SQLiteRepository:
    """The `Repository` over one SQLite file, safe to share between threads.

    One connection guarded by a lock: FastAPI runs sync endpoints in a
    thread pool, and SQLite serialises writers anyway. WAL mode lets other
    processes (e.g. `python -m bot` commands) read while the app writes.
    """

    def __init__(
        self,
        path: Path,
        allowed_emails: Iterable[str] = (),
        retention_days: int | None = None,
        clock: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.allowed_emails = {email.lower() for email in allowed_emails}
        self.retention_days = retention_days
        self._clock = clock
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
        self._connection.row_factory = sqlite3.Row
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute("PRAGMA foreign_keys=ON")
        self._connection.execute("PRAGMA busy_timeout=10000")
        self._migrate()
        self._salt = self._load_salt()
        self._last_retention: dt.datetime | None = None
        self._apply_retention()

    # Schema

    @property
    def schema_version(self) -> int:
        """Return the version the database file is at."""
        with self._lock:
            return self._connection.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        """Apply the missing migration steps in one immediate transaction.

        Taking the write lock before reading the version means two processes
        opening a new file at once cannot both run the same step.
        """
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                if version > SCHEMA_VERSION:
                    raise StorageError(
                        f"{self.path} has schema version {version}, newer than this app's {SCHEMA_VERSION}"
                    )
                for number in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[number].split(";"):
                        if statement.strip():
                            connection.execute(statement)
                    connection.execute(f"PRAGMA user_version = {number + 1}")
                connection.execute("COMMIT")
            except sqlite3.Error as exc:
                connection.execute("ROLLBACK")
                raise StorageError(f"{self.path}: schema migration failed: {exc}") from exc
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            if version < SCHEMA_VERSION:
                logger.info("database migrated", extra={"schema_from": version, "schema_to": SCHEMA_VERSION})

    def _load_salt(self) -> str:
        with self._lock:
            self._connection.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('session_salt', ?)", (secrets.token_hex(16),)
            )
            return self._connection.execute("SELECT value FROM meta WHERE key = 'session_salt'").fetchone()[0]

    # Helpers

    def _clean(self, text: str | None) -> str:
        return redact(text or "", self.allowed_emails)

    def _session_hash(self, session_id: str | None) -> str:
        """Hash a session id; a missing one becomes a fresh random session."""
        raw = session_id or secrets.token_hex(16)
        return hashlib.sha256(f"{self._salt}:{raw}".encode()).hexdigest()

    def _rows(self, sql: str, parameters: tuple = ()) -> list[dict]:
        self._apply_retention()  # reads too, so an idle app shows nothing past retention
        with self._lock:
            return [dict(row) for row in self._connection.execute(sql, parameters).fetchall()]

    def _apply_retention(self) -> None:
        if self.retention_days is None:
            return
        now = self._clock()
        if self._last_retention and now - self._last_retention < RETENTION_CHECK_INTERVAL:
            return
        self._last_retention = now
        deleted = self.purge_older_than(self.retention_days)
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
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute(
                    "INSERT INTO conversations (session_hash, posting, started_at, last_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(session_hash) DO UPDATE SET last_at = excluded.last_at",
                    (session_hash, posting, now, now),
                )
                conversation_id = connection.execute(
                    "SELECT id FROM conversations WHERE session_hash = ?", (session_hash,)
                ).fetchone()[0]
                message_id = connection.execute(
                    "INSERT INTO messages (conversation_id, session_hash, question, answer, status, mode, "
                    "degraded, posting, latency_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        conversation_id,
                        session_hash,
                        self._clean(question) if store_question else WITHHELD,
                        self._clean(answer.answer),
                        answer.status,
                        answer.mode,
                        int(answer.degraded),
                        posting,
                        round(latency_ms),
                        now,
                    ),
                ).lastrowid
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
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
        with self._lock:
            row = None
            if message_id is not None:
                row = self._connection.execute(
                    "SELECT id, answer FROM messages WHERE id = ? AND session_hash = ?", (message_id, session_hash)
                ).fetchone()
            elif answer_text:
                row = self._connection.execute(
                    "SELECT id, answer FROM messages WHERE session_hash = ? AND answer = ? ORDER BY id DESC LIMIT 1",
                    (session_hash, answer_text),
                ).fetchone()
            linked_id, rated_answer = (row["id"], row["answer"]) if row else (None, answer_text)
            feedback_id = self._connection.execute(
                "INSERT INTO feedback (session_hash, message_id, answer, rating, comment, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (session_hash, linked_id, rated_answer, rating, self._clean(comment), _timestamp(self._clock())),
            ).lastrowid
        self._apply_retention()
        return feedback_id

    def record_event(self, kind: str, data: dict | None = None) -> int:
        """Store an operational event; string values in data are redacted."""
        clean = {key: self._clean(value) if isinstance(value, str) else value for key, value in (data or {}).items()}
        with self._lock:
            return self._connection.execute(
                "INSERT INTO events (kind, data, created_at) VALUES (?, ?, ?)",
                (kind, json.dumps(clean, default=str), _timestamp(self._clock())),
            ).lastrowid

    def purge_older_than(self, days: int) -> int:
        """Delete conversations whose last message is older than days, with their messages and feedback."""
        cutoff = _timestamp(self._clock() - dt.timedelta(days=days))
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                deleted = connection.execute("DELETE FROM conversations WHERE last_at < ?", (cutoff,)).rowcount
                connection.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff,))
                connection.execute("DELETE FROM events WHERE created_at < ?", (cutoff,))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return deleted

    # Reads

    def feedback(self, limit: int = 100) -> list[dict]:
        """Return feedback newest first, with the question and answer rated."""
        return self._rows(
            "SELECT f.id, f.rating, f.comment, f.created_at, f.message_id, m.question, "
            "COALESCE(m.answer, f.answer) AS answer, m.status, m.posting "
            "FROM feedback f LEFT JOIN messages m ON m.id = f.message_id "
            "ORDER BY f.created_at DESC, f.id DESC LIMIT ?",
            (limit,),
        )

    def not_found_questions(self, limit: int = 1000) -> list[dict]:
        """Return questions that ended not_found, newest first."""
        return self._rows(
            "SELECT id, question, posting, created_at FROM messages WHERE status = 'not_found' "
            "ORDER BY created_at DESC, id DESC LIMIT ?",
            (limit,),
        )

    def downvoted(self, limit: int = 1000) -> list[dict]:
        """Return down-voted answers with their question and comment, newest first."""
        return self._rows(
            "SELECT f.id, f.message_id, m.question, COALESCE(m.answer, f.answer) AS answer, f.comment, "
            "f.created_at FROM feedback f LEFT JOIN messages m ON m.id = f.message_id "
            "WHERE f.rating = 'down' ORDER BY f.created_at DESC, f.id DESC LIMIT ?",
            (limit,),
        )

    def overview(self) -> dict:
        """Return questions per day, status shares, median latency and feedback counts."""
        per_day = self._rows(
            "SELECT substr(created_at, 1, 10) AS day, COUNT(*) AS questions FROM messages GROUP BY day ORDER BY day"
        )
        statuses = {row["status"]: row["n"] for row in self._rows("SELECT status, COUNT(*) AS n FROM messages GROUP BY status")}
        latencies = [row["latency_ms"] for row in self._rows("SELECT latency_ms FROM messages")]
        ratings = {row["rating"]: row["n"] for row in self._rows("SELECT rating, COUNT(*) AS n FROM feedback GROUP BY rating")}
        total = sum(statuses.values())
        return {
            "questions": total,
            "questions_per_day": per_day,
            "share": {
                status: (statuses.get(status, 0) / total if total else 0.0)
                for status in ("answered", "not_found", "refused")
            },
            "median_latency_ms": statistics.median(latencies) if latencies else None,
            "feedback": {"up": ratings.get("up", 0), "down": ratings.get("down", 0)},
            "retention_days": self.retention_days,
        }

    def export(self) -> dict[str, list[dict]]:
        """Return the kept messages and feedback as rows (session ids stay hashed)."""
        return {
            "messages": self._rows(
                "SELECT id, session_hash, posting, question, answer, status, mode, degraded, latency_ms, created_at "
                "FROM messages ORDER BY id"
            ),
            "feedback": self._rows(
                "SELECT id, session_hash, message_id, rating, comment, answer, created_at FROM feedback ORDER BY id"
            ),
        }

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._connection.close()


def export_json(repository: Repository) -> str:
    """Serialise the kept data as one JSON document."""
    return json.dumps(repository.export(), ensure_ascii=False, indent=2)


def export_csv(repository: Repository, table: str) -> str:
    """Serialise one exported table (`messages` or `feedback`) as CSV."""
    if table not in EXPORT_TABLES:
        raise ValueError(f"table must be one of: {', '.join(EXPORT_TABLES)}")
    rows: list[dict[str, Any]] = repository.export()[table]
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def open_repository(settings: Settings) -> Repository:
    """Open the configured repository: SQLite at `settings.database_path`.

    This is the one place to choose another backend (e.g. a server database)
    by configuration; callers depend only on `Repository`.
    """
    return SQLiteRepository(
        settings.database_path,
        allowed_emails=knowledge_emails(settings.knowledge_dir),
        retention_days=settings.retention_days,
    )


def exchange_recorder(
    repository: Repository,
) -> Callable[[str | None, str, EngineResult, float, str | None], str | None]:
    """Adapt the repository to the chat API's recorder hook.

    The guards' `store_text` verdict decides whether the question is kept. A
    storage failure is logged and the candidate still gets the answer.
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
        except sqlite3.Error as exc:
            logger.error("could not store exchange", extra={"event": "storage_error", "error": type(exc).__name__})
            return None
        return str(message_id)

    return record
