"""The product's own words, per language (prompts/i18n/<lang>.yaml), with English as the fallback.

Every sentence a candidate reads that is not a verbatim quote comes from
these files: fixed replies, the disclosure, the chat page's and the
widget's labels. A language file may leave keys out; English fills them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.knowledge.language import DEFAULT_LANGUAGE, SUPPORTED
from bot.yamlfile import parse_yaml, read_yaml


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


@lru_cache(maxsize=16)
def strings(prompts_dir: Path, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Return every string of a language, English filling what it leaves out."""
    folder = prompts_dir / "i18n"
    english = parse_yaml((folder / f"{DEFAULT_LANGUAGE}.yaml").read_text(encoding="utf-8"))
    path = folder / f"{language}.yaml"
    if language == DEFAULT_LANGUAGE or language not in SUPPORTED or not path.exists():
        return english
    return _merge(english, read_yaml(path) or {})


def replies(prompts_dir: Path, language: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """Return the fixed replies of a language."""
    return strings(prompts_dir, language)["replies"]


def fill(template: str, **values: str) -> str:
    """Fill a reply template's placeholders."""
    return template.format(**values)
