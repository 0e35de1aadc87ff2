"""Records on SQLite: migrating today's files, one migrator among many openers, DATABASE_URL parsing."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
import sqlalchemy as sa

from bot.answerers.base import ChatAnswer
from bot.config import Settings
from bot.records.database import Database, StorageError, normalise_url, sqlite_url
from bot.records.migrations import migrate
from bot.records.schema import SCHEMA_VERSION, metadata
from bot.records.sql import SQLRepository

# A file as the release before DATABASE_URL wrote it: schema version 2, with a conversation in it.
T = TypeVar("T")
OLD_SALT = "old-salt"
OLD_SESSION = "candidate-session"
OLD_HASH = hashlib.sha256(f"{OLD_SALT}:{OLD_SESSION}".encode()).hexdigest()
V2_FILE = f"""
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE conversations (id INTEGER PRIMARY KEY, session_hash TEXT NOT NULL UNIQUE, posting TEXT,
    started_at TEXT NOT NULL, last_at TEXT NOT NULL);
CREATE TABLE messages (id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question TEXT NOT NULL, answer TEXT NOT NULL, status TEXT NOT NULL, mode TEXT NOT NULL, posting TEXT,
    latency_ms INTEGER NOT NULL, created_at TEXT NOT NULL,
    degraded INTEGER NOT NULL DEFAULT 0, session_hash TEXT NOT NULL DEFAULT '');
CREATE TABLE feedback (id INTEGER PRIMARY KEY, session_hash TEXT NOT NULL,
    message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE, answer TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')), comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL);
CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL DEFAULT '{{}}',
    created_at TEXT NOT NULL);
CREATE INDEX messages_created ON messages(created_at);
CREATE INDEX messages_status ON messages(status);
CREATE INDEX feedback_created ON feedback(created_at);
CREATE INDEX conversations_last ON conversations(last_at);
CREATE INDEX events_created ON events(created_at);
INSERT INTO meta VALUES ('session_salt', '{OLD_SALT}');
INSERT INTO conversations VALUES (1, '{OLD_HASH}', 'doubao-llm-research', '2099-01-01T00:00:00.000+00:00',
    '2099-01-01T00:00:00.000+00:00');
INSERT INTO messages VALUES (1, 1, 'When can I start?', 'Start dates are in 2026 [1].', 'answered', 'extractive',
    'doubao-llm-research', 21, '2099-01-01T00:00:00.000+00:00', 1, '{OLD_HASH}');
INSERT INTO events VALUES (1, 'knowledge_reload', '{{"added": 1}}', '2099-01-01T00:00:00.000+00:00');
PRAGMA user_version = 2;
"""


def test_a_version_2_file_is_migrated_keeping_rows_salt_and_sessions(tmp_path: Path) -> None:
    path = tmp_path / "careers-chat.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(V2_FILE)
    repository = SQLRepository(Database(sqlite_url(path)), retention_days=30)
    try:
        assert repository.schema_version == SCHEMA_VERSION == 4
        [message] = repository.export()["messages"]
        assert message["question"] == "When can I start?" and message["degraded"] == 1
        # The salt survived, so the same browser session still rates its own earlier answer.
        repository.record_feedback(OLD_SESSION, "down", comment="too vague", message_id=1)
        assert repository.feedback()[0]["question"] == "When can I start?"
        assert (
            repository.record_exchange(
                "new",
                "Is it remote?",
                ChatAnswer(answer="No.", status="answered", citations=[], mode="extractive"),
                5,
                None,
            )
            == 2
        )
    finally:
        repository.close()


def column_mismatches(database: Database) -> dict[str, set[str]]:
    """Return, per table, the columns the migrated database lacks or has beyond those the queries name."""
    inspector = sa.inspect(database.engine)
    mismatches = {}
    for table in metadata.sorted_tables:
        found = {column["name"] for column in inspector.get_columns(table.name)}
        if found ^ set(table.columns.keys()):
            mismatches[table.name] = found ^ set(table.columns.keys())
    return mismatches


def at_once(address: str, replicas: int, work: Callable[[Database, int], T]) -> list[T]:
    """Run `work` from `replicas` threads released together, each with its own connections as a replica has; sorted results."""
    start = threading.Barrier(replicas)

    def run(n: int) -> T:
        database = Database(address)
        start.wait()
        try:
            return work(database, n)
        finally:
            database.close()

    with ThreadPoolExecutor(replicas) as pool:
        return sorted(pool.map(run, range(replicas)))


def migrate_at_once(address: str, openers: int) -> list[int]:
    """Open the database from `openers` threads at once and migrate; return the versions found."""
    return at_once(address, openers, lambda database, _: migrate(database))


def test_the_migrated_schema_has_every_column_the_queries_name(tmp_path: Path) -> None:
    database = Database(sqlite_url(tmp_path / "fresh.sqlite3"))
    migrate(database)
    assert column_mismatches(database) == {}
    database.close()


def test_many_replicas_opening_an_empty_file_at_once_migrate_it_exactly_once(tmp_path: Path) -> None:
    assert migrate_at_once(sqlite_url(tmp_path / "shared.sqlite3"), 8) == [0] + [SCHEMA_VERSION] * 7


def test_default_database_is_the_sqlite_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    assert settings.database_address == f"sqlite:///{tmp_path / 'data' / 'careers-chat.sqlite3'}"
    assert Database(settings.database_address).backend == "sqlite"
    assert Settings(data_dir=tmp_path, database_url="").database_url is None


@pytest.mark.parametrize("address", ["postgresql://u:secret@db:5432/chat", "postgres://u:secret@db/chat"])
def test_postgresql_urls_use_the_psycopg_driver(address: str) -> None:
    url = normalise_url(address)
    assert url.drivername == "postgresql+psycopg" and url.database == "chat"
    database = Database(address)
    assert database.backend == "postgresql"
    assert "secret" not in database.name and "db:" in database.name


@pytest.mark.parametrize("address", ["mysql://u@db/chat", "not a url", "sqlite://"])
def test_an_unusable_database_url_is_a_clear_error(address: str) -> None:
    with pytest.raises(StorageError, match="DATABASE_URL"):
        normalise_url(address)


def test_an_unreachable_database_is_a_storage_error_naming_it(tmp_path: Path) -> None:
    repository = SQLRepository(Database(sqlite_url(tmp_path / "gone" / "chat.sqlite3")))
    repository.close()
    (tmp_path / "gone" / "chat.sqlite3").unlink()
    (tmp_path / "gone").rename(tmp_path / "moved")
    (tmp_path / "gone").write_text("a file where the folder was")
    with pytest.raises(StorageError, match="could not store an exchange"):
        repository.record_exchange(
            "s", "q", ChatAnswer(answer="a", status="answered", citations=[], mode="extractive"), 1, None
        )
    assert repository.failures == 1
    assert "unavailable" in (repository.ping() or "")
