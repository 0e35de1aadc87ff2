"""Posting versions in the records database: numbered per posting, full text kept, safe when replicas record at once."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.postings import StoredFile
from bot.records.database import Database, sqlite_url
from bot.records.migrations import migrate
from bot.records.versions import PostingVersions
from tests.test_records_migrations import at_once

FILES = [StoredFile("night-baker/posting.md", "---\nposting_id: night-baker\n---\n\n# Night Baker\n\nText.\n")]


def record_at_once(address: str, replicas: int) -> list[int]:
    """Record a version of one posting from `replicas` threads at once; return the numbers they got."""

    def record(database: Database, n: int) -> int:
        files = [StoredFile(FILES[0].path, FILES[0].text + f"Change {n}.\n")]
        version = PostingVersions(database).record("night-baker", f"replica-{n}", "updated", "Night Baker", files)
        assert version is not None
        return version.version

    return at_once(address, replicas, record)


def test_versions_are_numbered_per_posting_and_keep_the_full_text(tmp_path: Path) -> None:
    database = Database(sqlite_url(tmp_path / "records.sqlite3"))
    migrate(database)
    versions = PostingVersions(database)
    first = versions.record("night-baker", "ana", "created", "Night Baker", FILES)
    assert first is not None and first.version == 1
    assert versions.record("night-baker", "disk", "edited on disk", "Night Baker", FILES, if_changed=True) is None
    assert versions.record("other", "ana", "created", "Other", FILES).version == 1
    deleted = versions.record("night-baker", "ana", "deleted", "Night Baker", [])
    assert deleted.version == 2 and deleted.deleted
    assert versions.get("night-baker", 1).files == FILES
    assert [v.version for v in versions.history("night-baker")] == [2, 1]
    assert {p: v.version for p, v in versions.latest_of_all().items()} == {"night-baker": 2, "other": 1}
    database.close()


def test_replicas_recording_at_once_get_distinct_consecutive_numbers(tmp_path: Path) -> None:
    address = sqlite_url(tmp_path / "shared.sqlite3")
    database = Database(address)
    migrate(database)
    database.close()
    assert record_at_once(address, 8) == list(range(1, 9))
