"""Records on a real PostgreSQL server: migrations, redaction, retention and sessions as on SQLite, shared by replicas."""

from __future__ import annotations

import datetime as dt
import uuid

import psycopg
import pytest

from bot.records.database import Database, StorageError
from bot.records.migrations import migrate
from bot.records.repository import WITHHELD
from bot.records.schema import SCHEMA_VERSION
from bot.records.sql import SQLRepository
from tests.test_records_migrations import column_mismatches, migrate_at_once
from tests.test_storage import KNOWN_CONTACT, PLANTED, Clock, answer, assert_retention_keeps_only_recent_conversations

pytestmark = [pytest.mark.services, pytest.mark.slow]


@pytest.fixture
def database_url(postgres) -> str:
    """A new, empty database on the session's server."""
    return postgres.create_database(f"records_{uuid.uuid4().hex[:12]}")


def all_text(url: str) -> str:
    """Every value in every table, as text: what someone reading the database would see."""
    with psycopg.connect(url) as connection:
        tables = [row[0] for row in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return "\n".join(str(row) for table in tables for row in connection.execute(f'SELECT * FROM "{table}"'))


def test_an_empty_database_is_migrated_to_every_column_the_queries_name(database_url: str) -> None:
    database = Database(database_url)
    assert migrate(database) == 0
    assert migrate(database) == SCHEMA_VERSION, "a second start finds the work done"
    assert column_mismatches(database) == {}
    database.close()


def test_replicas_starting_together_migrate_exactly_once(database_url: str) -> None:
    assert migrate_at_once(database_url, 6) == [0] + [SCHEMA_VERSION] * 5


def test_personal_data_is_redacted_before_it_reaches_the_server(database_url: str) -> None:
    repository = SQLRepository(Database(database_url), allowed_emails={KNOWN_CONTACT}, retention_days=30)
    planted = " ".join(f"my {kind} is {value}," for kind, value in PLANTED.items())
    message_id = repository.record_exchange(
        "session-raw-id", planted, answer(f"Write to {KNOWN_CONTACT} [1]."), 9, None
    )
    repository.record_feedback("session-raw-id", "down", comment=f"call {PLANTED['phone']}", message_id=message_id)
    repository.record_event("note", {"text": f"card {PLANTED['card']}"})
    repository.record_exchange("session-raw-id", "I am pregnant, can I apply?", answer(), 5, None, store_question=False)
    repository.close()
    stored = all_text(database_url)
    for value in PLANTED.values():
        assert value not in stored
    assert "session-raw-id" not in stored and "pregnant" not in stored
    assert KNOWN_CONTACT in stored and WITHHELD in stored and "[email]" in stored


def test_two_replicas_share_salt_sessions_and_feedback_links(database_url: str) -> None:
    a = SQLRepository(Database(database_url))
    b = SQLRepository(Database(database_url))
    try:
        message_id = a.record_exchange(
            "browser-1", "Is it remote?", answer("I could not find that.", "not_found"), 30, None
        )
        b.record_feedback("browser-1", "down", comment="please add", message_id=message_id)
        b.record_feedback("browser-2", "up", message_id=message_id, answer="what I saw")
        down, up = sorted(b.feedback(), key=lambda row: row["rating"])
        assert down["message_id"] == message_id and down["question"] == "Is it remote?"
        assert up["message_id"] is None and up["answer"] == "what I saw", "another session cannot link the message"
        assert [row["question"] for row in a.not_found_questions()] == ["Is it remote?"]
        assert a.overview()["questions"] == 1 and a.overview()["feedback"] == {"up": 1, "down": 1}
    finally:
        a.close()
        b.close()


def test_retention_deletes_old_conversations(database_url: str) -> None:
    clock = Clock(dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    repository = SQLRepository(Database(database_url), retention_days=30, clock=clock)
    assert_retention_keeps_only_recent_conversations(repository, clock)
    assert repository.purge_older_than(10) == 1
    repository.close()


def test_a_stopped_server_is_a_counted_storage_error_and_recovery_needs_no_restart(postgres, database_url: str) -> None:
    repository = SQLRepository(Database(database_url))
    repository.record_exchange("s", "before", answer(), 1, None)
    postgres.stop()
    try:
        with pytest.raises(StorageError, match="PostgreSQL database"):
            repository.record_exchange("s", "during", answer(), 1, None)
        assert repository.failures == 1
        assert "PostgreSQL database 127.0.0.1" in (repository.ping() or "")
    finally:
        postgres.start()
    repository.record_exchange("s", "after", answer(), 1, None)
    assert repository.ping() is None
    assert [m["question"] for m in repository.export()["messages"]] == ["before", "after"]
    repository.close()


def test_posting_versions_and_accounts_on_postgresql(database_url: str) -> None:
    from bot.records.accounts import Accounts
    from bot.records.versions import PostingVersions
    from tests.test_versions import FILES, record_at_once

    database = Database(database_url)
    migrate(database)
    assert record_at_once(database_url, 6) == list(range(1, 7)), "replicas recording at once never share a number"
    versions = PostingVersions(database)
    assert versions.latest("night-baker").version == 6
    assert versions.record("night-baker", "ana", "restored version 1", "Night Baker", FILES).version == 7
    accounts = Accounts(database)
    assert accounts.add("ana", "correct horse battery") and accounts.verify("ana", "correct horse battery")
    assert "correct horse battery" not in all_text(database_url)
    database.close()
