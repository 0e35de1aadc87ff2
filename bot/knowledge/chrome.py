"""Drop what a job board puts around a pasted posting: its controls, its notices and the other jobs it lists.

A recruiter who copies a posting from LinkedIn, BOSS直聘 or a Spanish-language
job board brings the page along: "Apply", "Show more", "立即沟通",
"Postularme   Guardar   Compartir", "Try Premium for $0", and under the
posting the board's "Similar jobs" with their own pay. Quoted as an answer
they are noise, or another job's pay. The words are each board's, listed in
prompts/job_boards.yaml; no library knows them. A label the board writes on a
line of its own ("Seniority level", then "Entry level") is joined to its value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.config import resource_dir
from bot.knowledge.language import fold_accents
from bot.yamlfile import read_yaml

MORE_JOBS_FROM = 0.5  # a "Similar jobs" heading ends the posting only in the second half of the text
_PARTS = re.compile(r"\s{2,}|\s*[|·•]\s*")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True)
class BoardWords:
    """The words of job boards' pages, folded for comparison."""

    controls: frozenset[str]
    notices: tuple[str, ...]
    more_jobs: frozenset[str]
    labels: frozenset[str]


def _fold(text: str) -> str:
    return _EDGES.sub("", " ".join(fold_accents(text).lower().split()))


@lru_cache(maxsize=4)
def board_words(path: Path | None = None) -> BoardWords:
    """Read prompts/job_boards.yaml."""
    data = read_yaml(path or resource_dir("prompts") / "job_boards.yaml")
    return BoardWords(
        controls=frozenset(_fold(w) for w in data["controls"]),
        notices=tuple(_fold(w) for w in data["notices"]),
        more_jobs=frozenset(_fold(w) for w in data["more_jobs"]),
        labels=frozenset(_fold(w) for w in data["labels"]),
    )


def without_chrome(text: str, words: BoardWords | None = None) -> str:
    """Return a pasted posting without its job board's controls, notices and other jobs."""
    words = words or board_words()
    lines = text.split("\n")
    for number, line in enumerate(lines):
        heading = _fold(line.lstrip("#").strip())
        if number >= len(lines) * MORE_JOBS_FROM and heading in words.more_jobs:
            lines = lines[:number]
            break
    kept: list[str] = []
    for line in lines:
        folded = _fold(line)
        parts = [_fold(part) for part in _PARTS.split(line.strip()) if _fold(part)]
        if folded and (
            all(part in words.controls for part in parts) or any(notice in folded for notice in words.notices)
        ):
            continue
        if kept and _fold(kept[-1]) in words.labels and folded and folded not in words.labels:
            kept[-1] = f"{kept[-1].rstrip()}: {line.strip()}"
            continue
        kept.append(line)
    while kept and (not kept[-1].strip() or kept[-1].rstrip().endswith((":", "："))):
        kept.pop()  # a title whose text was the board's notice ("温馨提示：")
    return "\n".join(kept)
