"""Share the knowledge version between replicas through the records database.

A replica that reloads its knowledge (or starts on knowledge that differs
from the newest version) publishes a new version: a row with the
fingerprint of `knowledge/`. Every replica polls for the newest row every
`KNOWLEDGE_SYNC_SECONDS` and, when it is newer than the one it serves,
reloads its index (which swaps in one snapshot). Replicas are meant to
share `knowledge/` (one volume) and the Chroma server, so a reload there
finds the store already in step and only rebuilds the in-memory index.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from bot.records.database import Database, StorageError
from bot.records.schema import knowledge_versions

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnowledgeVersion:
    """One published version of the knowledge."""

    id: int
    fingerprint: str
    replica: str
    reason: str
    created_at: str


def replica_name() -> str:
    """Name this process among the replicas (host and process id)."""
    return f"{socket.gethostname()}:{os.getpid()}"


class KnowledgeVersions:
    """Read and publish knowledge versions in the database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def latest(self) -> KnowledgeVersion | None:
        """Return the newest published version, if any."""
        query = sa.select(knowledge_versions).order_by(knowledge_versions.c.id.desc()).limit(1)
        with self.database.failing("read the knowledge version"), self.database.reading() as connection:
            row = connection.execute(query).first()
        return KnowledgeVersion(**row._mapping) if row else None

    def publish(self, fingerprint: str, replica: str, reason: str) -> KnowledgeVersion:
        """Record a new version; every replica serving an older one will reload."""
        values = {
            "fingerprint": fingerprint,
            "replica": replica,
            "reason": reason,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        }
        insert = sa.insert(knowledge_versions).values(**values).returning(knowledge_versions.c.id)
        with self.database.failing("publish the knowledge version"), self.database.writing() as connection:
            version_id = connection.execute(insert).scalar_one()
        logger.info(
            "knowledge version published", extra={"event": "knowledge_version", "version": version_id, "reason": reason}
        )
        return KnowledgeVersion(id=version_id, **values)


class KnowledgeSync:
    """Keep this replica serving the newest published knowledge version.

    `reload` rebuilds the local index from `knowledge/`; `fingerprint`
    hashes `knowledge/` as this replica sees it.
    """

    def __init__(
        self,
        versions: KnowledgeVersions,
        reload: Callable[[], object],
        fingerprint: Callable[[], str],
        interval_seconds: float,
        replica: str | None = None,
    ) -> None:
        self.versions = versions
        self.reload = reload
        self.fingerprint = fingerprint
        self.interval_seconds = interval_seconds
        self.replica = replica or replica_name()
        self.serving: int | None = None  # the version id this replica's index is built from
        self._loaded: str | None = None  # the fingerprint of the knowledge this replica loaded
        self._failed: int | None = None  # the version whose reload last failed, logged once
        self._lock = threading.Lock()  # one reload or publish at a time
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Adopt or publish the version this replica loaded, then poll in the background."""
        try:
            with self._lock:
                self._loaded = self.fingerprint()
                latest = self.versions.latest()
                if latest is not None and latest.fingerprint == self._loaded:
                    self.serving = latest.id
                else:
                    self.serving = self.versions.publish(self._loaded, self.replica, "start").id
        except StorageError:
            pass  # logged and counted by the database; polling catches up when it returns
        if self.interval_seconds > 0:
            self._thread = threading.Thread(target=self._run, name="knowledge-sync", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Stop polling."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval_seconds + 5)

    def published(self, reason: str = "reload") -> None:
        """Publish what this replica just loaded (after a reload), so the others follow."""
        with self._lock:
            self._loaded = self.fingerprint()
            self.serving = self.versions.publish(self._loaded, self.replica, reason).id

    def poll(self) -> bool:
        """Reload when a newer version was published elsewhere; return whether it reloaded.

        A reload that fails (e.g. a broken document) keeps the current index
        serving and is tried again at the next poll.
        """
        latest = self.versions.latest()
        with self._lock:
            if latest is None or (self.serving is not None and latest.id <= self.serving):
                return False
            if latest.fingerprint == self._loaded:  # e.g. another replica published the same files
                self.serving = latest.id
                return False
            try:
                self.reload()
            except Exception as exc:
                if self._failed != latest.id:
                    logger.error(
                        "knowledge sync could not reload",
                        extra={"event": "knowledge_sync_error", "version": latest.id, "error": type(exc).__name__},
                    )
                self._failed = latest.id
                return False
            self.serving = latest.id
            self._loaded = loaded = self.fingerprint()
        logger.info(
            "knowledge reloaded from another replica's version",
            extra={"event": "knowledge_sync", "version": latest.id, "from_replica": latest.replica},
        )
        if loaded != latest.fingerprint:
            logger.warning(
                "knowledge here differs from the published version: do the replicas share knowledge/?",
                extra={"event": "knowledge_sync_mismatch", "version": latest.id},
            )
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval_seconds):
            try:
                self.poll()
            except StorageError:
                continue  # logged and counted by the database; try again at the next poll
