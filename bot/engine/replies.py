"""Load the fixed replies (prompts/replies.yaml) that frame quoted answers."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from bot.config import get_settings


@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def replies(prompts_dir: Path | None = None) -> dict:
    """Return the fixed replies, read once."""
    return _load((prompts_dir or get_settings().prompts_dir) / "replies.yaml")


def fill(template: str, **values: str) -> str:
    """Fill a reply template's placeholders."""
    return template.format(**values)
