"""Open the records database: a SQLite file by default, PostgreSQL (psycopg 3) when DATABASE_URL says so.

This is the one place that knows the two backends apart. SQLite gets WAL
mode, foreign keys and a busy timeout on every connection, and SQLAlchemy
issues `BEGIN` itself so a write can take the file's write lock up front
(`BEGIN IMMEDIATE`). PostgreSQL connections are checked before use, so a
restarted server is picked up again without restarting the app.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

logger = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 3
SQLITE_BUSY_SECONDS = 10
WAL_ATTEMPTS = 20  # tries at switching a new file to write-ahead logging while other replicas do the same
WAL_RETRY_SECONDS = 0.05
POSTGRES_BACKENDS = {"postgresql", "postgres"}
IMMEDIATE = "records_immediate"  # execution option: take SQLite's write lock when the transaction begins


class StorageError(RuntimeError):
    """The database cannot be used: unreachable, failing, or written by a newer version."""


def sqlite_url(path: Path) -> str:
    """Return the SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


def normalise_url(address: str) -> URL:
    """Parse DATABASE_URL; `postgresql://` (or `postgres://`) means the psycopg 3 driver."""
    try:
        url = make_url(address)
    except ArgumentError as exc:
        raise StorageError(f"DATABASE_URL is not a database URL: {exc}") from exc
    if url.get_backend_name() in POSTGRES_BACKENDS:
        return url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return url
    raise StorageError("DATABASE_URL must start with postgresql:// (or be unset for the SQLite file in DATA_DIR)")


class Database:
    """A SQLAlchemy engine over one records database, with its backend's transaction rules."""

    def __init__(self, address: str) -> None:
        self.url = normalise_url(address)
        self.backend = "postgresql" if self.url.get_backend_name() == "postgresql" else "sqlite"
        self.engine = _postgres_engine(self.url) if self.backend == "postgresql" else _sqlite_engine(self.url)
        self.failures = 0
        self._count_lock = threading.Lock()

    @property
    def name(self) -> str:
        """Name the database for people: the backend and where it is, without the password."""
        if self.backend == "sqlite":
            return f"SQLite database {self.url.database}"
        return f"PostgreSQL database {self.url.host or 'localhost'}:{self.url.port or 5432}/{self.url.database or ''}"

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """Yield a connection in a plain transaction."""
        with self.engine.connect() as connection, connection.begin():
            yield connection

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """Yield a connection in a transaction that holds SQLite's write lock from the start."""
        with self.engine.connect().execution_options(**{IMMEDIATE: True}) as connection, connection.begin():
            yield connection

    @contextmanager
    def failing(self, action: str) -> Iterator[None]:
        """Turn a database error into a logged, counted `StorageError` naming the action."""
        try:
            yield
        except SQLAlchemyError as exc:
            with self._count_lock:
                self.failures += 1
            error = type(getattr(exc, "orig", None) or exc).__name__
            logger.error(
                "storage failed",
                extra={"event": "storage_error", "action": action, "error": error, "failures": self.failures},
            )
            raise StorageError(f"{self.name}: could not {action} ({error})") from exc

    def ping(self) -> str | None:
        """Return None when the database answers, else what is wrong (for /api/health)."""
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except SQLAlchemyError as exc:
            error = type(getattr(exc, "orig", None) or exc).__name__
            return f"{self.name} unavailable ({error}): conversations and feedback are not being stored"
        return None

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _postgres_engine(url: URL) -> sa.Engine:
    return sa.create_engine(
        url,
        pool_pre_ping=True,  # a connection that died with the server is replaced, not used
        pool_size=5,
        max_overflow=10,
        pool_timeout=CONNECT_TIMEOUT_SECONDS * 2,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "application_name": "careers-chat"},
    )


def _write_ahead(cursor: Any) -> None:
    """Switch a new SQLite file to write-ahead logging, retrying a switch that races another process's.

    SQLite answers "database is locked" at once, without its busy timeout,
    when two connections change the journal mode together (replicas opening
    an empty file at the same moment); a short wait and a retry settles it.
    """
    for attempt in range(WAL_ATTEMPTS):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == WAL_ATTEMPTS - 1:
                raise
            time.sleep(WAL_RETRY_SECONDS * (1 + random.random()))


def _sqlite_engine(url: URL) -> sa.Engine:
    Path(url.database or "").parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False})

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # leave BEGIN to the "begin" hook below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        _write_ahead(cursor)
        for pragma in ("synchronous=NORMAL", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(IMMEDIATE) else "BEGIN")

    return engine
