"""Publish a posting's files: write them, reload the engine, record the version, tell the other replicas.

The files in `knowledge/` are the truth; versions record them. Before each
change, and whenever the console lists postings or versions, what is on
disk is compared with the newest version, and a difference is recorded as
a version by `disk` ("found on disk", "edited on disk", "deleted on disk"),
so edits made by hand are kept in the history and a console change can be
rolled back to them. A change whose files make the knowledge fail to load
is undone (the old files are written back) and refused naming the problem.
One change at a time per process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.engine.engine import Engine
from bot.knowledge.documents import KnowledgeError
from bot.knowledge.drafts import files_title
from bot.knowledge.postings import (
    PostingFilesError,
    StoredFile,
    fingerprint,
    postings_on_disk,
    replace_files,
    snapshot,
)
from bot.knowledge.vectorstore import IngestReport
from bot.records.database import StorageError
from bot.records.versions import DISK, PostingVersion, PostingVersions

logger = logging.getLogger(__name__)


class PublishError(ValueError):
    """A change was not published (or not recorded); `status` is the HTTP status to answer with."""

    def __init__(self, detail: str, status: int = 422) -> None:
        super().__init__(detail)
        self.status = status


@dataclass(frozen=True)
class Published:
    """What a published change did."""

    version: PostingVersion
    report: IngestReport

    def as_dict(self) -> dict:
        """Return the version and the reload's summary as JSON-ready data."""
        return {"version": self.version.summary(), "reload": self.report.as_dict()}


class Publisher:
    """Change postings on disk and keep the engine and the version history in step."""

    def __init__(self, engine: Engine, versions: PostingVersions, on_reload: Callable[[], None] | None = None) -> None:
        self.engine = engine
        self.versions = versions
        self.on_reload = on_reload
        self._lock = threading.RLock()

    @property
    def root(self) -> Path:
        """The knowledge folder the engine reads."""
        return self.engine.settings.knowledge_dir

    def files(self, posting_id: str) -> list[StoredFile]:
        """Return the posting's files as they are on disk now."""
        return snapshot(self.root, posting_id)

    def _notice(self, posting_id: str, files: list[StoredFile], latest: PostingVersion | None) -> None:
        if latest is None and not files:
            return
        if latest is not None and latest.fingerprint == fingerprint(files):
            return
        action = "found on disk" if latest is None else "deleted on disk" if not files else "edited on disk"
        title = files_title(files, posting_id) if files else latest.title if latest else ""
        recorded = self.versions.record(posting_id, DISK, action, title, files, if_changed=True)
        if recorded is not None:
            logger.info(
                "posting change noticed on disk",
                extra={"event": "posting_change", "posting": posting_id, "version": recorded.version, "action": action},
            )

    def sync(self, posting_id: str | None = None) -> dict[str, PostingVersion]:
        """Record what changed on disk since the newest versions (one posting, or all); return the newest versions."""
        with self._lock:
            on_disk = postings_on_disk(self.root)
            latest = self.versions.latest_of_all()
            wanted = [posting_id] if posting_id else sorted(set(on_disk) | set(latest))
            for posting in wanted:
                self._notice(posting, snapshot(self.root, posting, on_disk.get(posting, [])), latest.get(posting))
            return self.versions.latest_of_all() if wanted else latest

    def publish(self, posting_id: str, files: list[StoredFile], author: str, action: str, title: str) -> Published:
        """Make the posting's files exactly `files`, reload, and record the change as a version by `author`."""
        with self._lock:
            self.sync(posting_id)
            old = self.files(posting_id)
            if not files and not any(p != posting_id for p in postings_on_disk(self.root)):
                raise PublishError("This is the only posting: the assistant needs at least one. Add another first.")
            try:
                replace_files(self.root, old, files)
            except PostingFilesError as exc:  # paths are checked before anything is written
                raise PublishError(str(exc)) from exc
            try:
                report = self.engine.reload()
            except KnowledgeError as exc:
                replace_files(self.root, files, old)
                self._reload_quietly()
                raise PublishError(f"Not published: the knowledge would not load ({exc}).") from exc
            try:
                version = self.versions.record(posting_id, author, action, title, files)
            except StorageError as exc:
                raise PublishError(
                    "Published, but the records database is unavailable, so this change was not recorded as a "
                    "version; it will be recorded as 'edited on disk' once the database is back.",
                    status=503,
                ) from exc
            assert version is not None  # recorded unconditionally
            if self.on_reload is not None:
                self.on_reload()
        logger.info(
            "posting changed",
            extra={
                "event": "posting_change",
                "posting": posting_id,
                "version": version.version,
                "action": action,
                "account": author,
                **{k: v for k, v in report.as_dict().items() if k in ("added", "changed", "removed", "total")},
            },
        )
        return Published(version, report)

    def _reload_quietly(self) -> None:
        """Reload after undoing a change; a knowledge error here (another posting's) keeps the last good index."""
        try:
            self.engine.reload()
        except KnowledgeError:
            logger.warning("knowledge still fails to load after undoing a change", extra={"event": "knowledge_error"})
