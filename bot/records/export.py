"""Serialise the kept records for the recruiter console's download: one JSON document or one CSV table."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from bot.records.repository import Repository

EXPORT_TABLES = ("messages", "feedback")


def export_json(repository: Repository) -> str:
    """Serialise the kept data as one JSON document."""
    return json.dumps(repository.export(), ensure_ascii=False, indent=2)


def export_csv(repository: Repository, table: str) -> str:
    """Serialise one exported table (`messages` or `feedback`) as CSV."""
    if table not in EXPORT_TABLES:
        raise ValueError(f"table must be one of: {', '.join(EXPORT_TABLES)}")
    rows: list[dict[str, Any]] = repository.export()[table]
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()
