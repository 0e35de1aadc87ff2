"""Group what candidates asked and did not get answered into knowledge gaps.

Twenty phrasings of "Is this role remote?" should reach the recruiter as one
gap with a count and examples. Questions are embedded with the engine's
model and grouped by centroid: each wording joins the group whose average
vector it is closest to, if close enough, so a group holds questions similar
to the group as a whole rather than a chain of pairwise neighbours. (A dozen
lines of numpy; the clustering libraries would add scipy, about 190 MB, to
every install for this one view.)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

Embed = Callable[[list[str]], Sequence[Sequence[float]]]

# Calibrated on multilingual-e5-small: paraphrases of one question score 0.92-0.96,
# different questions on one topic 0.86-0.89 (MiniLM would need about 0.5).
DEFAULT_SIMILARITY = 0.92
MAX_EXAMPLES = 5
MAX_RECHECKED = 30  # gaps asked again per view; each is one answer (one model call in LLM mode)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


class CachedEmbed:
    """Embed texts once: the gaps view regroups the same questions on every visit."""

    def __init__(self, embed: Embed, max_texts: int = 20000) -> None:
        self.embed = embed
        self.max_texts = max_texts
        self._vectors: dict[str, Sequence[float]] = {}

    def __call__(self, texts: list[str]) -> list[Sequence[float]]:
        """Return a vector per text, embedding only the ones not seen before."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            if len(self._vectors) + len(missing) > self.max_texts:
                self._vectors.clear()
            self._vectors.update(zip(missing, self.embed(missing), strict=True))
        return [self._vectors[t] for t in texts]


def cluster_labels(texts: list[str], embed: Embed, similarity: float = DEFAULT_SIMILARITY) -> list[int]:
    """Return a group label per text; a text joins the group whose centroid it is at least `similarity` close to."""
    if len(texts) < 2:
        return [0] * len(texts)
    vectors = np.asarray(embed(texts), dtype=float)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    sums: list[np.ndarray] = []
    labels = []
    for vector in vectors:
        if sums:
            centroids = np.stack(sums)
            centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
            scores = centroids @ vector
            best = int(np.argmax(scores))
            if scores[best] >= similarity:
                sums[best] = sums[best] + vector
                labels.append(best)
                continue
        sums.append(vector.copy())
        labels.append(len(sums) - 1)
    return labels


def group_gaps(
    items: list[dict],
    embed: Embed,
    similarity: float = DEFAULT_SIMILARITY,
    text_key: str = "question",
) -> list[dict]:
    """Group rows by the similarity of their `text_key`, largest group first.

    Each group has a representative `question` (its most frequent wording),
    the `posting` asked about most (or None), `count` (rows in the group), up
    to five distinct `examples`, the `last_asked` timestamp and up to five
    non-empty `comments`.
    """
    rows = [row for row in items if (row.get(text_key) or "").strip()]
    wordings: dict[str, str] = {}
    for row in rows:
        wordings.setdefault(_normalise(row[text_key]), row[text_key].strip())
    keys = list(wordings)
    labels = dict(zip(keys, cluster_labels([wordings[k] for k in keys], embed, similarity), strict=True))
    groups: dict[int, list[dict]] = {}
    for row in rows:
        groups.setdefault(labels[_normalise(row[text_key])], []).append(row)
    result: list[dict[str, Any]] = []
    for members in groups.values():
        counts = Counter(_normalise(row[text_key]) for row in members)
        examples = [wordings[key] for key, _ in counts.most_common(MAX_EXAMPLES)]
        comments = [row["comment"] for row in members if row.get("comment")]
        postings = Counter(row["posting"] for row in members if row.get("posting"))
        result.append(
            {
                "question": examples[0],
                "posting": postings.most_common(1)[0][0] if postings else None,
                "count": len(members),
                "examples": examples,
                "last_asked": max((row.get("created_at") or "" for row in members), default="") or None,
                "comments": comments[:MAX_EXAMPLES],
            }
        )
    result.sort(key=lambda group: group["last_asked"] or "", reverse=True)
    result.sort(key=lambda group: group["count"], reverse=True)
    return result


class Asker(Protocol):
    """What rechecking needs of the engine: answer a question about a posting."""

    def ask(self, message: str, history: list[dict] | None = None, posting: str | None = None) -> Any:
        """Return an EngineResult."""
        ...


def recheck(groups: list[dict], engine: Asker, limit: int = MAX_RECHECKED) -> list[dict]:
    """Ask each gap's question again (the first `limit` groups) and add `now`: its status and citations today.

    A gap the knowledge answers now (after a curated answer, say) shows
    `now.status == "answered"`. Nothing asked here is stored.
    """
    checked = []
    for number, group in enumerate(groups):
        if number >= limit:
            checked.append(group)
            continue
        try:
            response = engine.ask(group["question"], [], group.get("posting")).response
        except ValueError:  # the posting it was asked about is gone
            checked.append({**group, "now": None})
            continue
        citations = [{"source": c.source, "section": c.section, "quote": c.quote} for c in response.citations]
        checked.append({**group, "now": {"status": response.status, "citations": citations}})
    return checked
