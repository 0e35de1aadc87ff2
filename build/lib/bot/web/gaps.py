"""Group what candidates asked and did not get answered into knowledge gaps.

Twenty phrasings of "Is this role remote?" should reach the recruiter as one
gap with a count and examples. Questions are embedded with the engine's
model and merged by average-linkage agglomerative clustering on cosine
distance, so a group holds questions that are similar on average rather than
a chain of pairwise neighbours.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering

Embed = Callable[[list[str]], Sequence[Sequence[float]]]

# Calibrated on MiniLM: paraphrases of one question score about 0.5-0.9.
DEFAULT_SIMILARITY = 0.5
MAX_EXAMPLES = 5


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def cluster_labels(texts: list[str], embed: Embed, similarity: float = DEFAULT_SIMILARITY) -> list[int]:
    """Return a group label per text; texts closer than `similarity` (cosine) on average share one."""
    if len(texts) < 2:
        return [0] * len(texts)
    vectors = np.asarray(embed(texts), dtype=float)
    clustering = AgglomerativeClustering(
        n_clusters=None, distance_threshold=1.0 - similarity, metric="cosine", linkage="average"
    )
    return clustering.fit_predict(vectors).tolist()


def group_gaps(
    items: list[dict],
    embed: Embed,
    similarity: float = DEFAULT_SIMILARITY,
    text_key: str = "question",
) -> list[dict]:
    """Group rows by the similarity of their `text_key`, largest group first.

    Each group has a representative `question` (its most frequent wording),
    `count` (rows in the group), up to five distinct `examples`, the
    `last_asked` timestamp and up to five non-empty `comments`.
    """
    rows = [row for row in items if (row.get(text_key) or "").strip()]
    wordings: dict[str, str] = {}
    for row in rows:
        wordings.setdefault(_normalise(row[text_key]), row[text_key].strip())
    keys = list(wordings)
    labels = dict(zip(keys, cluster_labels([wordings[k] for k in keys], embed, similarity)))
    groups: dict[int, list[dict]] = {}
    for row in rows:
        groups.setdefault(labels[_normalise(row[text_key])], []).append(row)
    result = []
    for members in groups.values():
        counts = Counter(_normalise(row[text_key]) for row in members)
        examples = [wordings[key] for key, _ in counts.most_common(MAX_EXAMPLES)]
        comments = [row["comment"] for row in members if row.get("comment")]
        result.append(
            {
                "question": examples[0],
                "count": len(members),
                "examples": examples,
                "last_asked": max((row.get("created_at") or "" for row in members), default="") or None,
                "comments": comments[:MAX_EXAMPLES],
            }
        )
    result.sort(key=lambda group: group["last_asked"] or "", reverse=True)
    result.sort(key=lambda group: group["count"], reverse=True)
    return result
