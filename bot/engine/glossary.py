"""Expand everyday hiring terms in a question (prompts/glossary.yaml).

Candidates say "PTO" and "my data"; postings say "Paid Personal Time" and
"applicant privacy policy". A small general glossary bridges the two for
retrieval without naming anything of a particular posting.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml


@lru_cache(maxsize=4)
def _patterns(path: Path) -> tuple[tuple[re.Pattern, str], ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        (re.compile(rf"\b{re.escape(key)}\b", re.IGNORECASE), expansion)
        for key, expansion in data["expansions"].items()
    )


def expand(question: str, prompts_dir: Path) -> str:
    """Return the question followed by the expansions of the terms it uses."""
    extra = [expansion for pattern, expansion in _patterns(prompts_dir / "glossary.yaml") if pattern.search(question)]
    return question if not extra else f"{question} ({'; '.join(dict.fromkeys(extra))})"
