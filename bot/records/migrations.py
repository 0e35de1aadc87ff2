"""Bring a records database to the latest schema, once, however many replicas start together.

The version is SQLite's `PRAGMA user_version` (as files written before
PostgreSQL support have it) or a one-row `schema_version` table on
PostgreSQL. Every missing step runs in one transaction that first takes a
lock only one process can hold: SQLite's write lock (`BEGIN IMMEDIATE`) or
a PostgreSQL advisory lock. A replica that waited finds the work done; a
failing step rolls back, leaving the database as it was.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from bot.records.database import Database, StorageError
from bot.records.schema import SCHEMA_VERSION, statements

logger = logging.getLogger(__name__)

ADVISORY_LOCK_KEY = 7_466_205_318_227_201  # any constant: it names careers-chat's migration lock
VERSION_TABLE = "schema_version"


def read_version(connection: Connection, backend: str) -> int:
    """Return the schema version the database is at (0 for an empty one)."""
    if backend == "sqlite":
        return int(connection.exec_driver_sql("PRAGMA user_version").scalar_one())
    if not sa.inspect(connection).has_table(VERSION_TABLE):
        return 0
    return int(connection.exec_driver_sql(f"SELECT version FROM {VERSION_TABLE}").scalar_one_or_none() or 0)


def _write_version(connection: Connection, backend: str, version: int) -> None:
    if backend == "sqlite":
        connection.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
        return
    connection.exec_driver_sql(f"DELETE FROM {VERSION_TABLE}")
    connection.execute(sa.text(f"INSERT INTO {VERSION_TABLE} (version) VALUES (:version)"), {"version": version})


def _lock(connection: Connection, backend: str) -> None:
    """Hold the migration lock until the transaction ends (SQLite's is taken by BEGIN IMMEDIATE)."""
    if backend == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        connection.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER NOT NULL)")


def migrate(database: Database) -> int:
    """Apply the missing steps; return the version the database was at before."""
    try:
        with database.writing() as connection:
            _lock(connection, database.backend)
            version = read_version(connection, database.backend)
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"{database.name} has schema version {version}, newer than this app's {SCHEMA_VERSION}"
                )
            for step in range(version, SCHEMA_VERSION):
                for statement in statements(step, database.backend):
                    connection.exec_driver_sql(statement)
                _write_version(connection, database.backend, step + 1)
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        raise StorageError(f"{database.name}: schema migration failed: {cause}") from exc
    if version < SCHEMA_VERSION:
        logger.info("database migrated", extra={"schema_from": version, "schema_to": SCHEMA_VERSION})
    return version


def schema_version(database: Database) -> int:
    """Return the version the database is at."""
    with database.reading() as connection:
        return read_version(connection, database.backend)
