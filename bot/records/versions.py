"""Every version of each posting's documents: who changed it, when, what, and the full text, for rollback.

A version is numbered per posting (1, 2, ...) and keeps the full text of
every file the posting had after the change, so restoring it writes those
files back exactly. Changes made on disk are recorded too, by whoever
notices them first (author `disk`), so the history has no holes. Version
numbers are unique per posting in the database: when two replicas record
at once, one of them gets the next number, never the same one.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from bot.knowledge.postings import StoredFile, fingerprint
from bot.records.database import Database, StorageError
from bot.records.schema import posting_versions

DISK = "disk"  # the author of changes noticed on disk
ATTEMPTS = 12  # tries at the next version number: each round of replicas recording at once has one winner
RETRY_JITTER_SECONDS = 0.05  # a random pause before a retry, so the losers do not collide again


@dataclass(frozen=True)
class PostingVersion:
    """One version of a posting."""

    posting_id: str
    version: int
    author: str
    action: str
    title: str
    fingerprint: str
    created_at: str
    files: list[StoredFile] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        """Tell whether the posting had no files after this change."""
        return not self.files

    def summary(self) -> dict:
        """Return the version without the files' text (names and sizes only)."""
        return {
            "version": self.version,
            "author": self.author,
            "action": self.action,
            "title": self.title,
            "created_at": self.created_at,
            "documents": [{"path": f.path, "name": f.name, "chars": len(f.text)} for f in self.files],
        }


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _version(row: sa.Row) -> PostingVersion:
    values = dict(row._mapping)
    files = [StoredFile(item["path"], item["text"]) for item in json.loads(values.pop("documents"))]
    values.pop("id", None)
    return PostingVersion(**values, files=files)


class PostingVersions:
    """Record and read posting versions in the records database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def _rows(self, query: sa.Select, action: str) -> list[PostingVersion]:
        with self.database.failing(action), self.database.reading() as connection:
            return [_version(row) for row in connection.execute(query)]

    def latest(self, posting_id: str) -> PostingVersion | None:
        """Return the newest version of a posting, if it has any."""
        query = (
            sa.select(posting_versions)
            .where(posting_versions.c.posting_id == posting_id)
            .order_by(posting_versions.c.version.desc())
            .limit(1)
        )
        found = self._rows(query, "read a posting version")
        return found[0] if found else None

    def latest_of_all(self) -> dict[str, PostingVersion]:
        """Return the newest version of every posting that has one."""
        newest = (
            sa.select(posting_versions.c.posting_id, sa.func.max(posting_versions.c.version).label("version"))
            .group_by(posting_versions.c.posting_id)
            .subquery()
        )
        query = sa.select(posting_versions).join(
            newest,
            sa.and_(
                posting_versions.c.posting_id == newest.c.posting_id, posting_versions.c.version == newest.c.version
            ),
        )
        return {v.posting_id: v for v in self._rows(query, "read posting versions")}

    def history(self, posting_id: str) -> list[PostingVersion]:
        """Return every version of a posting, newest first."""
        query = (
            sa.select(posting_versions)
            .where(posting_versions.c.posting_id == posting_id)
            .order_by(posting_versions.c.version.desc())
        )
        return self._rows(query, "read posting versions")

    def get(self, posting_id: str, version: int) -> PostingVersion | None:
        """Return one version of a posting."""
        query = sa.select(posting_versions).where(
            posting_versions.c.posting_id == posting_id, posting_versions.c.version == version
        )
        found = self._rows(query, "read a posting version")
        return found[0] if found else None

    def record(
        self, posting_id: str, author: str, action: str, title: str, files: list[StoredFile], if_changed: bool = False
    ) -> PostingVersion | None:
        """Record the files a posting has now as its next version; return it.

        With `if_changed`, nothing is recorded (None is returned) when the
        newest version already has exactly these files, or when the posting
        has no versions and no files.
        """
        digest = fingerprint(files)
        documents = json.dumps([{"path": f.path, "text": f.text} for f in files], ensure_ascii=False)
        newest = (
            sa.select(posting_versions.c.version, posting_versions.c.fingerprint)
            .where(posting_versions.c.posting_id == posting_id)
            .order_by(posting_versions.c.version.desc())
            .limit(1)
        )
        for _ in range(ATTEMPTS):
            created_at = _now()
            with self.database.failing("record a posting version"):
                try:
                    with self.database.writing() as connection:
                        latest = connection.execute(newest).first()
                        if if_changed and (latest.fingerprint if latest else fingerprint([])) == digest:
                            return None
                        number = (latest.version if latest else 0) + 1
                        connection.execute(
                            sa.insert(posting_versions).values(
                                posting_id=posting_id,
                                version=number,
                                author=author,
                                action=action,
                                title=title,
                                documents=documents,
                                fingerprint=digest,
                                created_at=created_at,
                            )
                        )
                except IntegrityError:
                    time.sleep(random.uniform(0, RETRY_JITTER_SECONDS))
                    continue  # another replica took this number first: read the newest again
            return PostingVersion(posting_id, number, author, action, title, digest, created_at, files)
        raise StorageError(f"{self.database.name}: could not number a version of {posting_id}; try again")
