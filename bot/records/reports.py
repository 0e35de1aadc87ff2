"""The read queries behind the recruiter console: feedback, unanswered questions, the overview, the export."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from typing import Any

import sqlalchemy as sa

from bot.records.schema import feedback as feedback_table
from bot.records.schema import messages

Rows = Callable[[sa.Executable], list[dict]]  # runs a query, returns its rows as dicts

EXPORTED = (
    (
        messages,
        (
            "id",
            "session_hash",
            "posting",
            "question",
            "answer",
            "status",
            "mode",
            "degraded",
            "latency_ms",
            "created_at",
        ),
    ),
    (feedback_table, ("id", "session_hash", "message_id", "rating", "comment", "answer", "created_at")),
)


def _rated(*columns: Any) -> sa.Select:
    """Select columns of feedback joined to the message it rates, newest first."""
    return (
        sa.select(*columns, sa.func.coalesce(messages.c.answer, feedback_table.c.answer).label("answer"))
        .select_from(feedback_table.outerjoin(messages, messages.c.id == feedback_table.c.message_id))
        .order_by(feedback_table.c.created_at.desc(), feedback_table.c.id.desc())
    )


def feedback(limit: int) -> sa.Select:
    """Select feedback newest first, with the question and answer rated."""
    f, m = feedback_table.c, messages.c
    return _rated(f.id, f.rating, f.comment, f.created_at, f.message_id, m.question, m.status, m.posting).limit(limit)


def not_found_questions(limit: int) -> sa.Select:
    """Select questions that ended not_found, newest first."""
    return (
        sa.select(messages.c.id, messages.c.question, messages.c.posting, messages.c.created_at)
        .where(messages.c.status == "not_found")
        .order_by(messages.c.created_at.desc(), messages.c.id.desc())
        .limit(limit)
    )


def downvoted(limit: int) -> sa.Select:
    """Select down-voted answers with their question and comment, newest first."""
    f = feedback_table.c
    return (
        _rated(f.id, f.message_id, messages.c.question, f.comment, f.created_at).where(f.rating == "down").limit(limit)
    )


def _counts(rows: Rows, column: sa.Column) -> dict[str, int]:
    """Count rows per value of column."""
    query = sa.select(column.label("value"), sa.func.count().label("n")).group_by(column)
    return {row["value"]: row["n"] for row in rows(query)}


def overview(rows: Rows) -> dict:
    """Return questions per day, status shares, median latency and feedback counts."""
    day = sa.func.substr(messages.c.created_at, 1, 10).label("day")
    per_day = rows(sa.select(day, sa.func.count().label("questions")).group_by(day).order_by(day))
    statuses = _counts(rows, messages.c.status)
    latencies = [row["latency_ms"] for row in rows(sa.select(messages.c.latency_ms))]
    ratings = _counts(rows, feedback_table.c.rating)
    total = sum(statuses.values())
    return {
        "questions": total,
        "questions_per_day": per_day,
        "share": {
            status: (statuses.get(status, 0) / total if total else 0.0)
            for status in ("answered", "not_found", "refused")
        },
        "median_latency_ms": statistics.median(latencies) if latencies else None,
        "feedback": {"up": ratings.get("up", 0), "down": ratings.get("down", 0)},
    }


def export_queries() -> Iterator[tuple[sa.Table, sa.Select]]:
    """Yield each exported table with the query of its kept rows (session ids stay hashed)."""
    for table, columns in EXPORTED:
        yield table, sa.select(*(table.c[name] for name in columns)).order_by(table.c.id)
