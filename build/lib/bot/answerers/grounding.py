"""Reject model output that leaks the prompts or states facts its sources lack.

A generated answer may only repeat numbers, dates, amounts, email addresses
and links that occur in the chunks it cites (or in the question, or today's
date, which the prompt supplies). And it must not quote the instructions:
any long run of words shared with a prompt file, and not with the context,
counts as a leak.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.answerers.citations import strip_markers
from bot.knowledge.text import words

LEAK_SHINGLE_WORDS = 8
_NUMBER = re.compile(r"\d+(?:[,.]\d+)*")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"']+", re.I)


def _shingles(text: str, size: int = LEAK_SHINGLE_WORDS) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def _numbers(text: str) -> set[str]:
    """Numbers of a text without thousands separators or trailing dots."""
    found = set()
    for raw in _NUMBER.findall(text):
        value = raw.rstrip(".,")
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", value):
            value = value.replace(",", "")
        found.add(value)
        found.update(part for part in re.split(r"[,.]", value) if part)
    return found


def _urls(text: str) -> set[str]:
    return {u.rstrip(".,;:!?").lower() for u in _URL.findall(text)}


def leaked_prompt(answer: str, prompts: Iterable[str], context: Iterable[str]) -> bool:
    """Tell whether the answer repeats a long run of words from a prompt."""
    prompt_shingles = set().union(*(_shingles(p) for p in prompts))
    prompt_shingles -= set().union(set(), *(_shingles(c) for c in context))
    return bool(_shingles(answer) & prompt_shingles)


def unsupported_facts(answer: str, sources: Iterable[str]) -> list[str]:
    """Return numbers, emails and links in the answer that no source contains."""
    text = strip_markers(answer)
    joined = "\n".join(sources)
    lowered = joined.lower()
    known_numbers = _numbers(joined)
    missing = []
    for email in _EMAIL.findall(text):
        if email.lower().rstrip(".") not in lowered:
            missing.append(email)
    without_emails = _EMAIL.sub(" ", text)
    for url in _urls(without_emails):
        if url not in lowered:
            missing.append(url)
    without_links = _URL.sub(" ", without_emails)
    for raw in _NUMBER.findall(without_links):
        value = raw.rstrip(".,")
        grouped = value.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", value) else value
        if grouped not in known_numbers and not all(p in known_numbers for p in re.split(r"[,.]", value) if p):
            missing.append(value)
    return missing
