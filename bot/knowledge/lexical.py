"""BM25 over the knowledge chunks, one index per posting plus one for all.

Per-posting indexes keep term statistics local to a posting, so a query
filtered to one posting scores the same whether the corpus holds one posting
or a thousand.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from langchain_core.documents import Document
from rank_bm25 import BM25Okapi

from bot.knowledge.text import STOPWORDS, content_terms, stem, words


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Return whole words of the embedding model's WordPiece vocabulary.

    They serve as a dictionary of real words: a question word found there is
    not a typo, even when it is close to a knowledge word ("remote" is not
    "promote").
    """
    from bot.knowledge.embeddings import local_model_path

    vocab = Path(local_model_path()) / "vocab.txt"
    return frozenset(
        line.strip() for line in vocab.read_text(encoding="utf-8").splitlines()
        if line.strip().isalpha()
    )


class _Bm25:
    def __init__(self, chunks: list[Document]):
        self.chunks = chunks
        self.model = BM25Okapi([content_terms(c.page_content) or ["_"] for c in chunks])

    def top(self, terms: list[str], n: int) -> list[tuple[Document, float]]:
        if not terms:
            return []
        scores = self.model.get_scores(terms)
        ranked = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)[:n]
        return [(self.chunks[i], float(scores[i])) for i in ranked if scores[i] > 0]


class LexicalIndex:
    """Keyword search with typo correction against the corpus vocabulary."""

    def __init__(self, chunks: list[Document]):
        self.chunks = chunks
        by_posting: dict[str, list[Document]] = defaultdict(list)
        for chunk in chunks:
            by_posting[chunk.metadata["posting_id"]].append(chunk)
        self._all = _Bm25(chunks) if chunks else None
        self._by_posting = {p: _Bm25(c) for p, c in by_posting.items()}
        self.vocabulary = frozenset(w for c in chunks for w in words(c.page_content))
        self._sorted_vocabulary = sorted(self.vocabulary)
        self._stems = frozenset(stem(w) for w in self.vocabulary)

    @property
    def postings(self) -> list[str]:
        """Posting ids present in the index."""
        return sorted(self._by_posting)

    def correct_spelling(self, text: str) -> str:
        """Replace misspelled words with the closest knowledge word.

        A word is corrected only when it is neither a knowledge word nor an
        English word, so real words are never rewritten.
        """
        known = english_words()
        fixed = []
        for token in text.split():
            core = token.strip(".,!?;:()\"'").lower()
            if (
                len(core) >= 4
                and core.isalpha()
                and core not in self.vocabulary
                and core not in known
                and core not in STOPWORDS
            ):
                candidates = difflib.get_close_matches(core, self._sorted_vocabulary, n=5, cutoff=0.75)
                if candidates:
                    # Prefer a transposition ("strat" -> "start") over another near word.
                    best = max(candidates, key=lambda c: (sorted(c) == sorted(core), difflib.SequenceMatcher(None, core, c).ratio()))
                    token = token.lower().replace(core, best)
            fixed.append(token)
        return " ".join(fixed)

    def search(self, query: str, n: int, posting: str | None = None) -> list[tuple[Document, float]]:
        """Return up to n chunks with their BM25 scores."""
        index = self._by_posting.get(posting) if posting else self._all
        if index is None:
            return []
        return index.top(content_terms(query), n)

    def unknown_terms(self, text: str) -> list[str]:
        """Real words of a text that appear nowhere in the knowledge.

        A question about something the posting never mentions ("visa",
        "remote") is likely not covered; unknown non-words are typos, not topics.
        """
        known = english_words()
        return [
            w for w in words(text)
            if len(w) >= 4 and w not in STOPWORDS and w in known
            and w not in self.vocabulary and stem(w) not in self._stems
        ]
