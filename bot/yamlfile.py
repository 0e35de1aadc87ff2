"""Read YAML with libyaml's C parser when PyYAML has it (the pure-Python one takes a second at start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """Parse YAML text safely (no custom tags)."""
    return yaml.load(text, Loader=_LOADER)


def read_yaml(path: Path) -> Any:
    """Parse a UTF-8 YAML file safely."""
    return parse_yaml(path.read_text(encoding="utf-8"))
