"""BM25 over the knowledge chunks, one index per posting plus one for all.

Per-posting indexes keep term statistics local to a posting, so a query
filtered to one posting scores the same whether the corpus holds one posting
or a thousand. The index also knows the posting's words, which is what
spelling correction and term coverage need.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable

from langchain_core.documents import Document
from rank_bm25 import BM25Okapi
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.knowledge.text import content_terms, indexed_terms, words
from bot.knowledge.vocabulary import is_rare

SHORT_WORD = 5  # up to this length one edit makes a typo; longer words may have two
_WORD = re.compile(r"[A-Za-z]+")


def chunk_terms(chunk: Document) -> list[str]:
    """Stemmed content words of a chunk, in the chunk's language."""
    return indexed_terms(chunk.page_content, chunk.metadata.get("language", "en"))


class _LuceneIdfBM25(BM25Okapi):
    """BM25Okapi with Lucene's idf, log(1 + (N - n + 0.5) / (n + 0.5)), which is always positive.

    rank_bm25's Okapi idf is zero for a term in half the chunks and floored
    by the corpus average when negative, so in a posting of two chunks a word
    found in one of them scored nothing and could never be found.
    """

    def _calc_idf(self, nd: dict) -> None:
        for word, freq in nd.items():
            self.idf[word] = math.log(1 + (self.corpus_size - freq + 0.5) / (freq + 0.5))


class _Bm25:
    def __init__(self, chunks: list[Document]):
        self.chunks = chunks
        self.model = _LuceneIdfBM25([chunk_terms(c) or ["_"] for c in chunks])

    def top(self, terms: list[str], n: int) -> list[tuple[Document, float]]:
        if not terms:
            return []
        scores = self.model.get_scores(terms)
        ranked = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)[:n]
        return [(self.chunks[i], float(scores[i])) for i in ranked if scores[i] > 0]


class LexicalIndex:
    """Keyword search, spelling correction and term lookup over the knowledge."""

    def __init__(self, chunks: list[Document]):
        self.chunks = chunks
        by_posting: dict[str, list[Document]] = defaultdict(list)
        for chunk in chunks:
            by_posting[chunk.metadata["posting_id"]].append(chunk)
        self._all = _Bm25(chunks) if chunks else None
        self._by_posting = {p: _Bm25(c) for p, c in by_posting.items()}
        self._words = {p: frozenset(w for c in cs for w in words(c.page_content)) for p, cs in by_posting.items()}
        self._stems = {
            p: frozenset(chunk_term for c in cs for chunk_term in chunk_terms(c)) for p, cs in by_posting.items()
        }
        self.vocabulary = frozenset().union(*self._words.values()) if self._words else frozenset()
        self._sorted_vocabulary = sorted(w for w in self.vocabulary if w.isalpha())

    @property
    def postings(self) -> list[str]:
        """Posting ids present in the index."""
        return sorted(self._by_posting)

    def stems(self, posting: str | None) -> frozenset[str]:
        """Every content-term stem of a posting (of all postings when None)."""
        if posting is None:
            return frozenset().union(*self._stems.values()) if self._stems else frozenset()
        return self._stems.get(posting, frozenset())

    def correct_spelling(self, text: str) -> str:
        """Replace misspelled English words with the closest knowledge word.

        A word is corrected only when it is rare in English and absent from
        the knowledge, so real words are never rewritten ("remote" is not
        "promote"), and only to a word one edit away (two for long words),
        counting a swap of neighbours as one: "strat" becomes "start" and
        "salery" "salary", while "abid" stays "abid".
        """

        def fix(match: re.Match) -> str:
            token = match.group()
            core = token.lower()
            if len(core) < 4 or core in self.vocabulary or not is_rare(core):
                return token
            edits = 1 if len(core) <= SHORT_WORD else 2
            found = process.extractOne(
                core, self._sorted_vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=edits
            )
            return found[0] if found else token

        return _WORD.sub(fix, text)

    def search(self, terms: Iterable[str], n: int, posting: str | None = None) -> list[tuple[Document, float]]:
        """Return up to n chunks with their BM25 scores for stemmed terms."""
        index = self._by_posting.get(posting) if posting else self._all
        if index is None:
            return []
        return index.top(list(terms), n)

    def known(self, term: str, posting: str | None = None) -> bool:
        """Tell whether a stemmed term occurs in a posting's knowledge."""
        return term in self.stems(posting)


def query_terms(text: str, language: str, expansions: Iterable[str] = ()) -> list[str]:
    """Return the BM25 terms of a question: its own words in its language plus English glossary words."""
    terms = content_terms(text, language)
    for expansion in expansions:
        terms += content_terms(expansion, "en")
    return terms
