"""Find the job a question names by its title, and read the question without that name.

With several postings, "What's the salary for the nurse job?" picks the nurse
posting and asks for the salary. With one, the job's name still says nothing
about what is asked, and it would find the lines that repeat the title (the
heading, an email subject line, the company blurb) instead of the answer.
"""

from __future__ import annotations

import re
from itertools import pairwise

from bot.knowledge.language import has_han
from bot.knowledge.text import content_terms

GENERIC_TITLE_TERMS = frozenset({"team", "senior", "junior", "lead", "manag"})  # too common to pick a job by
MIN_HAN_TITLE = 3  # a Chinese title word this long names the job ("质检员"); a shorter one may be the topic
_WORD = re.compile(r"[\w-]+")
_SEGMENT = re.compile(r"[,;:|()/–—]|\s-\s")  # "ByteDance Doubao Team, LLM research": "team research" is no name


def named_posting(text: str, language: str, titles: dict[str, str]) -> tuple[str, frozenset[str]] | None:
    """Return the one posting whose title shares a telling word with the question, and those words."""
    asked = set(content_terms(text, language))
    named = {
        posting: frozenset(shared)
        for posting, title in titles.items()
        if (shared := asked & set(content_terms(title)) - GENERIC_TITLE_TERMS)
    }
    return next(iter(named.items())) if len(named) == 1 else None


def title_mentions(text: str, title: str, language: str) -> frozenset[str]:
    """Return the title's terms a question names the job with, not the ones it asks about.

    Two title words in a row, as in the title ("Do shift leads get stock?"), name the job; one
    alone is often the topic ("how many people are in the lab", on a lab manager's posting;
    "is this more of a research job?"). A long Chinese title word names the job.
    """
    terms = frozenset(content_terms(title, language))
    found: set[str] = {t for t in terms if has_han(t) and len(t) >= MIN_HAN_TITLE and t in text}
    segments = [_stems(segment, language) for segment in _SEGMENT.split(title)]
    pairs = {pair for stems in segments for pair in pairwise(stems)}
    run: list[str] = []
    for word in [*(w for w in _WORD.findall(text) if not has_han(w)), ""]:
        stem = next(iter(set(content_terms(word, language)) & terms), None) if word else None
        if stem and (not run or (run[-1], stem) in pairs):
            run.append(stem)
            continue
        if len(run) >= 2:
            found.update(run)
        run = [stem] if stem else []
    return frozenset(found)


def _stems(text: str, language: str) -> list[str]:
    return [stem for word in _WORD.findall(text) for stem in content_terms(word, language)]


def without_terms(text: str, terms: frozenset[str], language: str) -> str:
    """Return a text without the words whose stems are among terms ("salary for the nurse job" -> "salary for the job").

    Chinese is written without spaces: its terms are cut out where they occur ("这个质检员工资多少" -> "这个 工资多少").
    """
    for term in terms:
        if has_han(term):
            text = text.replace(term, " ")
    return " ".join(
        _WORD.sub(
            lambda w: w[0] if has_han(w[0]) or not set(content_terms(w[0], language)) & terms else "", text
        ).split()
    )
