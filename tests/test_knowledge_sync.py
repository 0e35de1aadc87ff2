"""The shared knowledge version: replicas follow a reload published by any of them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.records.database import Database, sqlite_url
from bot.records.knowledge_version import KnowledgeSync, KnowledgeVersions
from bot.records.migrations import migrate


class Replica:
    """One replica's view: the knowledge fingerprint it reads from disk, and its reloads."""

    def __init__(self, versions: KnowledgeVersions, disk: dict, name: str, interval: float = 0) -> None:
        self.disk = disk
        self.reloads = 0
        self.broken = False
        self.sync = KnowledgeSync(versions, self.reload, lambda: self.disk["fingerprint"], interval, replica=name)

    def reload(self) -> None:
        if self.broken:
            raise ValueError("a broken document")
        self.reloads += 1


@pytest.fixture
def versions(tmp_path: Path) -> KnowledgeVersions:
    database = Database(sqlite_url(tmp_path / "shared.sqlite3"))
    migrate(database)
    yield KnowledgeVersions(database)
    database.close()


def test_a_reload_on_one_replica_is_followed_by_the_others(versions: KnowledgeVersions) -> None:
    disk = {"fingerprint": "v1"}  # one knowledge/ volume shared by every replica
    a, b = Replica(versions, disk, "a"), Replica(versions, disk, "b")
    a.sync.start()
    b.sync.start()
    assert versions.latest().fingerprint == "v1" and versions.latest().replica == "a"
    assert (a.reloads, b.reloads) == (0, 0), "a replica starting on the served knowledge does not reload"

    disk["fingerprint"] = "v2"
    a.reload()  # the recruiter's reload on a ...
    a.sync.published()  # ... is published
    assert b.sync.poll() is True and b.reloads == 1
    assert a.sync.poll() is False and a.reloads == 1, "the publisher does not reload its own version"
    assert b.sync.poll() is False and b.reloads == 1, "a version is followed once"
    assert a.sync.serving == b.sync.serving == versions.latest().id


def test_a_replica_starting_on_changed_files_makes_the_others_reload(versions: KnowledgeVersions) -> None:
    old, new = {"fingerprint": "v1"}, {"fingerprint": "v2"}
    running = Replica(versions, old, "running")
    running.sync.start()
    running.disk = new  # the volume was updated, then one replica restarted and picked it up
    Replica(versions, new, "restarted").sync.start()
    assert versions.latest().reason == "start" and versions.latest().fingerprint == "v2"
    assert running.sync.poll() is True and running.reloads == 1


def test_a_failed_reload_keeps_trying_until_it_works(versions: KnowledgeVersions) -> None:
    disk = {"fingerprint": "v1"}
    a, b = Replica(versions, disk, "a"), Replica(versions, disk, "b")
    a.sync.start()
    b.sync.start()
    b.broken = True
    disk["fingerprint"] = "v2"
    a.sync.published()
    assert b.sync.poll() is False and b.sync.serving != versions.latest().id
    b.broken = False
    assert b.sync.poll() is True and b.sync.serving == versions.latest().id


def test_the_background_poll_follows_within_its_interval(versions: KnowledgeVersions) -> None:
    disk = {"fingerprint": "v1"}
    a, b = Replica(versions, disk, "a"), Replica(versions, disk, "b", interval=0.05)
    a.sync.start()
    b.sync.start()
    try:
        disk["fingerprint"] = "v2"
        a.sync.published()
        deadline = time.monotonic() + 5
        while b.reloads == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert b.reloads == 1
    finally:
        b.sync.stop()


def test_replicas_publishing_the_same_files_do_not_reload_each_other(versions: KnowledgeVersions) -> None:
    disk = {"fingerprint": "v1"}
    a, b = Replica(versions, disk, "a"), Replica(versions, disk, "b")
    a.sync.start()
    b.sync.start()
    disk["fingerprint"] = "v2"
    a.reload()
    b.reload()  # both were reloaded by hand at about the same time
    a.sync.published()
    b.sync.published()
    assert not a.sync.poll() and not b.sync.poll()
    assert (a.reloads, b.reloads) == (1, 1)
    assert a.sync.serving == b.sync.serving == versions.latest().id


def test_a_database_outage_at_start_is_caught_up_by_polling(tmp_path: Path) -> None:
    database = Database(sqlite_url(tmp_path / "later.sqlite3"))
    versions = KnowledgeVersions(database)
    disk = {"fingerprint": "v1"}
    early = Replica(versions, disk, "early")
    early.sync.start()  # no schema yet: the read fails, is counted, and start goes on
    assert early.sync.serving is None and database.failures == 1
    migrate(database)
    Replica(versions, disk, "a").sync.start()
    assert early.sync.poll() is False and early.sync.serving == versions.latest().id
    database.close()
