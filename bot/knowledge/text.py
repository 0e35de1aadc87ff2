"""Split knowledge text into quotable units and normalise text for matching.

A unit is a sentence of a paragraph or one item of a list: the smallest piece
an answer can quote verbatim. A paragraph that ends with a colon and is
followed by a list is a "lead"; the list belongs to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Split after ., ! or ? when the next sentence starts with a capital, a quote
# or a digit. Abbreviations such as "e.g.," and "Inc. is" are kept whole because
# the following character is not whitespace-then-capital.
_SENTENCE_BOUNDARY = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(【])")
_LIST_MARKER = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STEMMER = snowballstemmer.stemmer("english")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves tell know please hi hello hey thanks thank us ok okay
    also get got want wanted like much many there's what's it's i'm i'd i've anything
    something someone any thing things let let's go going need needs looking look happen
    happens happening possible possibly able way ways kind sort still really actually""".split()
)


@dataclass(frozen=True)
class Unit:
    """One quotable sentence or list item of a chunk."""

    text: str
    kind: str  # "sentence", "lead" (ends with a colon, owns a list) or "item"
    paragraph: int
    position: int
    lead: int | None = None  # position of the lead that owns this item


def normalize_space(text: str) -> str:
    """Collapse runs of whitespace to one space."""
    return " ".join(text.split())


def clean_input(text: str) -> str:
    """Normalise user text: NFKC, no control or invisible characters, single spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return normalize_space(text)


def plain_text(markdown: str) -> str:
    """Strip heading and list markers so quotes can be compared to the source."""
    lines = []
    for line in markdown.splitlines():
        line = _HEADING.sub("", line)
        line = _LIST_MARKER.sub("", line)
        lines.append(line)
    return normalize_space("\n".join(lines))


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph into sentences."""
    return [s.strip() for s in _SENTENCE_BOUNDARY.split(normalize_space(paragraph)) if s.strip()]


@lru_cache(maxsize=16384)
def split_units(chunk_text: str) -> tuple[Unit, ...]:
    """Split a chunk's Markdown body into sentences and list items (cached: chunks recur)."""
    units: list[Unit] = []
    paragraph = 0
    last_lead: int | None = None
    blocks = re.split(r"\n\s*\n", chunk_text.strip())
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip() and not _HEADING.match(line)]
        if not lines:
            continue
        if all(_LIST_MARKER.match(line) for line in lines):
            for line in lines:
                units.append(
                    Unit(_LIST_MARKER.sub("", line).strip(), "item", paragraph, len(units), last_lead)
                )
        else:
            last_lead = None
            sentences = split_sentences(" ".join(lines))
            for i, sentence in enumerate(sentences):
                is_lead = i == len(sentences) - 1 and sentence.endswith(":")
                units.append(Unit(sentence, "lead" if is_lead else "sentence", paragraph, len(units)))
                if is_lead:
                    last_lead = units[-1].position
        paragraph += 1
    return tuple(units)


def words(text: str) -> list[str]:
    """Lower-case word tokens of a text."""
    return _WORD.findall(text.lower().replace("’", "'"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Reduce a word to its Snowball (Porter 2) stem so 'dates' matches 'date'."""
    return _STEMMER.stemWord(word)


def content_terms(text: str) -> list[str]:
    """Stemmed words of a text without stopwords."""
    return [stem(w) for w in words(text) if w not in STOPWORDS]


@lru_cache(maxsize=65536)
def term_set(text: str) -> frozenset[str]:
    """The set of content terms of a text, cached for knowledge sentences that recur."""
    return frozenset(content_terms(text))
