"""The SQLite repository: redacted writes, concurrency, migrations, retention, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.answerers.base import ChatAnswer
from bot.config import Settings
from bot.records.database import Database, StorageError, sqlite_url
from bot.records.export import export_csv, export_json
from bot.records.repository import WITHHELD, UnknownMessageError
from bot.records.schema import SCHEMA_VERSION
from bot.records.sql import SQLRepository, open_repository

KNOWN_CONTACT = "earlycareers.accommodations@bytedance.com"
PLANTED = {
    "email": "jane.candidate@example.org",
    "phone": "415-555-0123",
    "ssn": "123-45-6789",
    "card": "4111 1111 1111 1111",
    "id": "533380006",
    "address": "742 Evergreen Terrace",
}


def answer(text: str = "The role is based in San Jose [1].", status: str = "answered") -> ChatAnswer:
    return ChatAnswer(answer=text, status=status, citations=[], mode="extractive")


def sqlite_repository(path: Path, **options) -> SQLRepository:
    """Open the repository over a SQLite file, as the default DATABASE_URL does."""
    return SQLRepository(Database(sqlite_url(path)), **options)


def file_of(repository: SQLRepository) -> Path:
    return Path(repository.database.url.database)


class Clock:
    """A settable clock, so retention can be tested without waiting."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def repo(tmp_path: Path):
    repository = sqlite_repository(tmp_path / "chat.sqlite3", allowed_emails={KNOWN_CONTACT}, retention_days=30)
    yield repository
    repository.close()


def test_opens_in_wal_mode_at_the_latest_schema(repo: SQLRepository) -> None:
    assert repo.schema_version == SCHEMA_VERSION
    with sqlite3.connect(file_of(repo)) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_open_repository_uses_settings(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", retention_days=7)
    repository = open_repository(settings)
    try:
        assert settings.database_path.exists()
        assert repository.overview()["retention_days"] == 7
        message_id = repository.record_exchange("s", f"write to {KNOWN_CONTACT}", answer(KNOWN_CONTACT), 5, None)
        assert message_id > 0
        assert KNOWN_CONTACT in repository.export()["messages"][0]["question"]
    finally:
        repository.close()


def test_planted_personal_data_never_reaches_the_file(repo: SQLRepository) -> None:
    secrets = " ".join(f"my {kind} is {value}," for kind, value in PLANTED.items())
    message_id = repo.record_exchange("session-1", secrets, answer(f"Contact {KNOWN_CONTACT} [1]."), 12.4, None)
    repo.record_feedback("session-1", "down", comment=f"call me on {PLANTED['phone']}", message_id=message_id)
    repo.record_event("note", {"text": f"card {PLANTED['card']}"})
    repo.close()
    raw = b"".join(p.read_bytes() for p in file_of(repo).parent.iterdir() if p.name.startswith(file_of(repo).name))
    for value in PLANTED.values():
        assert value.encode() not in raw
    assert b"session-1" not in raw
    assert KNOWN_CONTACT.encode() in raw


def test_exchange_and_feedback_round_trip(repo: SQLRepository) -> None:
    first = repo.record_exchange("s1", "Is it remote?", answer("No answer.", "not_found"), 30, "doubao-llm-research")
    second = repo.record_exchange("s1", "Where is it?", answer(), 10, "doubao-llm-research")
    repo.record_feedback("s1", "up", message_id=second)
    repo.record_feedback("s1", "down", comment="not helpful", answer="No answer.")
    rows = repo.feedback()
    assert [row["rating"] for row in rows] == ["down", "up"]
    assert rows[0]["question"] == "Is it remote?" and rows[0]["comment"] == "not helpful"
    assert rows[0]["message_id"] == first
    assert rows[1]["question"] == "Where is it?" and rows[1]["answer"] == answer().answer
    assert [row["question"] for row in repo.not_found_questions()] == ["Is it remote?"]
    assert [row["question"] for row in repo.downvoted()] == ["Is it remote?"]


def test_feedback_cannot_link_another_sessions_message(repo: SQLRepository) -> None:
    message_id = repo.record_exchange("owner", "Where is it?", answer(), 10, None)
    repo.record_feedback("stranger", "down", message_id=message_id, answer="what I saw")
    row = repo.feedback()[0]
    assert row["message_id"] is None and row["question"] is None and row["answer"] == "what I saw"


def test_a_rating_of_an_unknown_message_without_its_text_is_refused(repo: SQLRepository) -> None:
    message_id = repo.record_exchange("owner", "Where is it?", answer(), 10, None)
    for session, unknown in (("owner", message_id + 1), ("stranger", message_id)):
        with pytest.raises(UnknownMessageError):
            repo.record_feedback(session, "up", message_id=unknown)
        with pytest.raises(UnknownMessageError):
            repo.record_feedback(session, "up", message_id=unknown, answer="   ")
    assert repo.feedback() == []


def test_bad_rating_is_rejected(repo: SQLRepository) -> None:
    with pytest.raises(ValueError):
        repo.record_feedback("s", "meh")


def test_overview_counts_shares_and_median(repo: SQLRepository) -> None:
    for latency, status in ((10, "answered"), (20, "answered"), (30, "not_found"), (40, "refused")):
        repo.record_exchange("s", "q", answer("a", status), latency, None)
    repo.record_feedback("s", "up", answer="a")
    overview = repo.overview()
    assert overview["questions"] == 4
    assert overview["share"] == {"answered": 0.5, "not_found": 0.25, "refused": 0.25}
    assert overview["median_latency_ms"] == 25
    assert overview["questions_per_day"] == [{"day": dt.datetime.now(dt.UTC).date().isoformat(), "questions": 4}]
    assert overview["feedback"] == {"up": 1, "down": 0}


def test_concurrent_writes_from_many_threads_lose_nothing(repo: SQLRepository) -> None:
    threads, per_thread = 16, 25
    start = threading.Barrier(threads)

    def write(worker: int) -> list[int]:
        start.wait()
        ids = []
        for n in range(per_thread):
            ids.append(repo.record_exchange(f"session-{worker}", f"question {worker}-{n}", answer(), n, None))
            if n % 5 == 0:
                repo.record_feedback(f"session-{worker}", "up", message_id=ids[-1])
        return ids

    with ThreadPoolExecutor(threads) as pool:
        ids = [i for batch in pool.map(write, range(threads)) for i in batch]
    assert len(set(ids)) == threads * per_thread
    exported = repo.export()
    assert len(exported["messages"]) == threads * per_thread
    assert {row["question"] for row in exported["messages"]} == {
        f"question {w}-{n}" for w in range(threads) for n in range(per_thread)
    }
    assert len(exported["feedback"]) == threads * 5
    assert all(row["message_id"] is not None for row in exported["feedback"])


def test_migrates_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    sqlite3.connect(path).close()
    repository = sqlite_repository(path)
    assert repository.schema_version == SCHEMA_VERSION
    repository.record_event("started")
    repository.close()


V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE conversations (id INTEGER PRIMARY KEY, session_hash TEXT NOT NULL UNIQUE, posting TEXT,
    started_at TEXT NOT NULL, last_at TEXT NOT NULL);
CREATE TABLE messages (id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question TEXT NOT NULL, answer TEXT NOT NULL, status TEXT NOT NULL, mode TEXT NOT NULL, posting TEXT,
    latency_ms INTEGER NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE feedback (id INTEGER PRIMARY KEY, session_hash TEXT NOT NULL,
    message_id INTEGER REFERENCES messages(id) ON DELETE CASCADE, answer TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')), comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL);
INSERT INTO meta VALUES ('session_salt', 'old-salt');
INSERT INTO conversations VALUES (1, 'abc', 'doubao-llm-research', '2099-01-01T00:00:00.000+00:00',
    '2099-01-01T00:00:00.000+00:00');
INSERT INTO messages VALUES (1, 1, 'Is it remote?', 'I could not find that.', 'not_found', 'extractive',
    'doubao-llm-research', 42, '2099-01-01T00:00:00.000+00:00');
INSERT INTO feedback VALUES (1, 'abc', 1, 'I could not find that.', 'down', 'please add', '2099-01-01T00:00:00.000+00:00');
PRAGMA user_version = 1;
"""


def test_migrates_a_version_1_database_keeping_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "v1.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(V1_SCHEMA)
    repository = sqlite_repository(path)
    try:
        assert repository.schema_version == SCHEMA_VERSION
        message = repository.export()["messages"][0]
        assert message["question"] == "Is it remote?" and message["session_hash"] == "abc"
        assert message["degraded"] == 0
        assert repository.downvoted()[0]["comment"] == "please add"
        repository.record_event("migrated")
        repository.record_exchange("new", "Where?", answer(), 5, None)
        assert len(repository.export()["messages"]) == 2
    finally:
        repository.close()


def test_refuses_a_database_from_a_newer_version(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    with sqlite3.connect(path) as future:
        future.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match="newer"):
        sqlite_repository(path)


def assert_retention_keeps_only_recent_conversations(repository: SQLRepository, clock: Clock) -> None:
    """Write at three moments 35 days apart in all; only the last two conversations survive 30 days' retention."""
    old_id = repository.record_exchange("old", "old question", answer(), 1, None)
    repository.record_feedback("old", "down", message_id=old_id)
    clock.moment += dt.timedelta(days=20)
    repository.record_exchange("recent", "recent question", answer(), 1, None)
    clock.moment += dt.timedelta(days=15)
    repository.record_exchange("new", "new question", answer(), 1, None)
    assert [m["question"] for m in repository.export()["messages"]] == ["recent question", "new question"]
    assert repository.export()["feedback"] == []


def test_retention_deletes_old_conversations_on_open_and_while_writing(tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    path = tmp_path / "retention.sqlite3"
    repository = sqlite_repository(path, retention_days=30, clock=clock)
    assert_retention_keeps_only_recent_conversations(repository, clock)
    repository.close()

    clock.moment += dt.timedelta(days=25)
    reopened = sqlite_repository(path, retention_days=30, clock=clock)
    assert [m["question"] for m in reopened.export()["messages"]] == ["new question"]
    reopened.close()


def test_purge_reports_deleted_conversations(tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    repository = sqlite_repository(tmp_path / "purge.sqlite3", clock=clock)
    repository.record_exchange("a", "q", answer(), 1, None)
    repository.record_exchange("b", "q", answer(), 1, None)
    clock.moment += dt.timedelta(days=3)
    assert repository.purge_older_than(5) == 0
    assert repository.purge_older_than(2) == 2
    repository.close()


def test_export_as_json_and_csv(repo: SQLRepository) -> None:
    message_id = repo.record_exchange("s", 'Is there a visa, comma, "quote"?', answer(), 3, None)
    repo.record_feedback("s", "up", message_id=message_id, comment="great")
    as_json = json.loads(export_json(repo))
    assert as_json["messages"][0]["question"] == 'Is there a visa, comma, "quote"?'
    rows = list(csv.DictReader(io.StringIO(export_csv(repo, "messages"))))
    assert rows[0]["question"] == 'Is there a visa, comma, "quote"?'
    assert next(csv.DictReader(io.StringIO(export_csv(repo, "feedback"))))["comment"] == "great"
    with pytest.raises(ValueError):
        export_csv(repo, "conversations")


def test_a_withheld_question_is_not_stored(repo: SQLRepository) -> None:
    repo.record_exchange("s", "I am pregnant, can I still apply?", answer(), 5, None, store_question=False)
    repo.close()
    raw = b"".join(p.read_bytes() for p in file_of(repo).parent.iterdir() if p.name.startswith(file_of(repo).name))
    assert b"pregnant" not in raw
    assert WITHHELD.encode() in raw


def test_retention_also_applies_when_only_reading(tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    repository = sqlite_repository(tmp_path / "idle.sqlite3", retention_days=30, clock=clock)
    repository.record_exchange("old", "old question", answer(), 1, None)
    clock.moment += dt.timedelta(days=31)
    assert repository.export()["messages"] == []
    repository.close()


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(V1_SCHEMA + "CREATE TABLE events (clash INTEGER);")
    with pytest.raises(StorageError, match="migration failed"):
        sqlite_repository(path)
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA user_version").fetchone()[0] == 1
        assert "degraded" not in {row[1] for row in check.execute("PRAGMA table_info(messages)")}
