"""How common a word is in its language, from wordfreq's frequency lists.

Two jobs need this and no posting can provide it: telling a typo from a real
word ("strat" is rare, "start" is not), and weighing how much a question word
says about its topic ("relocation" says a lot, "really" says nothing). The
Zipf scale is log10 of occurrences per billion words: "the" is about 7.7,
"salary" 4.4, "relocation" 3.6, a typo 0 to 2.
"""

from __future__ import annotations

from functools import lru_cache

from wordfreq import zipf_frequency

# Below this a word is rare enough to be a likely typo when a close posting word exists.
RARE_ZIPF = 3.0
# Salience falls from 1 at SALIENT_ZIPF to MIN_SALIENCE at COMMON_ZIPF: a common content
# word ("age", "start") still counts, a rare one ("relocation") counts most.
SALIENT_ZIPF = 4.25
COMMON_ZIPF = 6.0
MIN_SALIENCE = 0.35


@lru_cache(maxsize=65536)
def zipf(word: str, language: str = "en") -> float:
    """Return a word's Zipf frequency in a language (0 for unknown words)."""
    return zipf_frequency(word, language)


@lru_cache(maxsize=65536)
def salience(word: str, language: str = "en") -> float:
    """Return how much a word says about a question's topic, from MIN_SALIENCE (common) to 1 (rare term).

    Unknown words count as salient: names, acronyms and product terms are
    often what a question is about.
    """
    frequency = zipf(word, language)
    rarity = max(0.0, min(1.0, (COMMON_ZIPF - frequency) / (COMMON_ZIPF - SALIENT_ZIPF)))
    return MIN_SALIENCE + (1.0 - MIN_SALIENCE) * rarity


def is_rare(word: str, language: str = "en") -> bool:
    """Tell whether a word is rare enough to be a typo."""
    return zipf(word, language) < RARE_ZIPF
