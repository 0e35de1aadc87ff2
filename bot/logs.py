"""Structured (JSON lines) logging to stderr and a file under the data dir.

Log records carry event names and numbers, never a candidate's raw text;
a redaction filter (bot.redact) is installed on top as a second line of defence.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object with its extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a JSON line."""
        payload: dict[str, object] = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        payload.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            payload["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else None
        return json.dumps(payload, default=str)


def setup_logging(
    level: str, log_dir: Path, filters: tuple[logging.Filter, ...] = (), retention_days: int = 30
) -> None:
    """Send JSON logs to stderr and log_dir/careers-chat.log, a new file each day, kept `retention_days` days."""
    log_dir.mkdir(parents=True, exist_ok=True)
    formatter = JsonFormatter()
    handlers: list[logging.Handler] = [
        logging.StreamHandler(sys.stderr),
        TimedRotatingFileHandler(
            log_dir / "careers-chat.log",
            when="midnight",
            backupCount=max(retention_days, 1),
            encoding="utf-8",
            utc=True,
        ),
    ]
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        handler.setFormatter(formatter)
        for log_filter in filters:
            handler.addFilter(log_filter)
        root.addHandler(handler)
    root.setLevel(level.upper())
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
