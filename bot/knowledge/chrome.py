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
from bot.knowledge.language import fold_accents, has_han
from bot.knowledge.text import LIST_MARKER, SYMBOL_MARKER
from bot.yamlfile import read_yaml

MORE_JOBS_FROM = 0.5  # a "Similar jobs" heading ends the posting only in the second half of the text
MAX_LISTING_WORDS = 25  # words of one job a board lists
MAX_VALUE_WORDS = 6  # words of a label's value on the line under it ("Hospitals and Health Care")
MAX_CHINESE_VALUE_CHARS = 40  # characters of a Chinese value ("上海市浦东新区张江高科技园区碧波路690号3号楼")
_CLAUSE_PUNCTUATION = re.compile(r"[。！？；，,;]")
_SENTENCE_END = re.compile(r"[.!?。！？]$")
_LISTING_SEPARATOR = re.compile(r"\s[·|•–-]\s|·")
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
    lines = _without_other_jobs(text.split("\n"), words)
    controls = [_is_controls(line, words) for line in lines]
    kept: list[str] = []
    for number, line in enumerate(lines):
        folded = _fold(line)
        # "Apply" alone may head the posting's own instructions; beside other controls it is a button.
        beside = (number > 0 and controls[number - 1]) or (number + 1 < len(lines) and controls[number + 1])
        if controls[number] and (len(_parts(line)) > 1 or beside):
            continue
        if folded and any(notice in folded for notice in words.notices):
            continue
        if kept and _labels(kept[-1], words) and _is_value(line, words) and _ends_pair(lines, number, words):
            kept[-1] = f"{kept[-1].rstrip()}{'：' if has_han(kept[-1]) else ': '}{line.strip()}"
            continue
        kept.append(line)
    while kept and (not kept[-1].strip() or kept[-1].rstrip().endswith((":", "："))):
        kept.pop()  # a title whose text was the board's notice ("温馨提示：")
    return "\n".join(kept)


def _parts(line: str) -> list[str]:
    return [folded for part in _PARTS.split(line.strip()) if (folded := _fold(part))]


def _is_controls(line: str, words: BoardWords) -> bool:
    parts = _parts(line)
    return bool(parts) and all(part in words.controls for part in parts)


def _labels(line: str, words: BoardWords) -> bool:
    """Tell whether a line is only a board's label ("Seniority level"); a Markdown heading never is."""
    return not line.lstrip().startswith("#") and _fold(line) in words.labels


def _ends_pair(lines: list[str], number: int, words: BoardWords) -> bool:
    """Tell whether a label's value ends its pair: a blank line, another label or the end comes next.

    "Salary" over "Competitive, plus tips." and more lines is a section with its heading, not a pair.
    """
    following = lines[number + 1] if number + 1 < len(lines) else ""
    return not following.strip() or _labels(following, words)


def _is_value(line: str, words: BoardWords) -> bool:
    """Tell whether a line is a label's value: short, no list item, no label itself ("Entry level")."""
    text = line.strip()
    return (
        bool(text)
        and (_is_chinese_value(text) if has_han(text) else len(text.split()) <= MAX_VALUE_WORDS)
        and not LIST_MARKER.match(text)
        and not SYMBOL_MARKER.match(text)
        and not text.startswith("#")
        and (_fold(text) not in words.labels)
    )


def _is_chinese_value(text: str) -> bool:
    """Tell whether a Chinese line is a value ("上海市浦东新区碧波路690号"), not a sentence: no clause punctuation.

    Chinese has no spaces to count words by, and jieba cuts an address into many words.
    """
    return len(text) <= MAX_CHINESE_VALUE_CHARS and not _CLAUSE_PUNCTUATION.search(text)


def _without_other_jobs(lines: list[str], words: BoardWords) -> list[str]:
    """Cut the other jobs a board lists under the posting: a "Similar jobs" heading and listing lines only.

    A listing line is short, ends no sentence and names its job's company,
    place or pay after a separator ("Monitor Technician - Cascade Heart · Salem, OR").
    """
    for number, line in enumerate(lines):
        if number < len(lines) * MORE_JOBS_FROM or _fold(line.lstrip("#").strip()) not in words.more_jobs:
            continue
        rest = [item.strip() for item in lines[number + 1 :] if item.strip()]
        listings = all(len(item.split()) <= MAX_LISTING_WORDS and not _SENTENCE_END.search(item) for item in rest)
        if listings and any(_LISTING_SEPARATOR.search(item) for item in rest):
            return lines[:number]
    return lines
