"""What a question is about, and whether the posting covers that at all (prompts/topics.yaml).

The catalog lists the topics candidates ask about across industries (pay
range, bonus amount, visas, remote work, interview rounds...), each with a
description and example questions in English, Chinese and Spanish. A
question is matched to its nearest topics by example; a posting's coverage
of each topic is how close its best passage comes to the topic's description
and examples, standardised over the catalog. "Is there an age limit?" is
near the age-requirements topic, which the posting does not cover, although
its "application limit" sentence shares a word with it.

Embedding two thousand examples takes half a minute, so their vectors are
kept: shipped with the package for the default model, cached in the data
folder for any other model or an edited catalog.
"""

from __future__ import annotations

import hashlib
import logging
import weakref
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.engine.evidence import PostingUnits
from bot.yamlfile import parse_yaml

log = logging.getLogger(__name__)

SHIPPED = Path(__file__).with_name("topic_vectors.npz")
EXAMPLES_PER_SCORE = 2  # a topic's score for a question: the mean of its two nearest examples
NEAREST_TOPICS = 5  # a unit is mostly about a topic that is among its five nearest
EXAMPLES_PER_UNIT = 5  # a unit's closeness to one topic: the mean of its five nearest examples (of about fifteen)
SOFT_TOP = 3  # topics blended into the coverage feature
SOFTNESS = 50.0  # how sharply the blend favours the nearest topic


@dataclass(frozen=True)
class TopicMatch:
    """The features of a question's nearest topics."""

    topic: str
    similarity: float
    margin: float
    coverage: float
    blended_coverage: float
    scores: np.ndarray  # the question's score for every topic


def _normalise(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=-1, keepdims=True), 1e-12)


class TopicCatalog:
    """The catalog, its example and description vectors, and per-posting coverage."""

    def __init__(self, path: Path, embeddings: Embeddings, model_name: str, cache_dir: Path) -> None:
        text = path.read_text(encoding="utf-8")
        topics = parse_yaml(text)["topics"]
        self.ids = [t["id"] for t in topics]
        self.examples = [e for t in topics for lang in sorted(t["examples"]) for e in t["examples"][lang]]
        self.example_topic = np.array(
            [i for i, t in enumerate(topics) for lang in sorted(t["examples"]) for _ in t["examples"][lang]]
        )
        self.descriptions = [t["description"] for t in topics]
        key = hashlib.sha256(f"{model_name}\0{text}".encode()).hexdigest()[:16]
        self.example_vectors, self.description_vectors = self._vectors(embeddings, key, cache_dir)
        self._groups = [np.flatnonzero(self.example_topic == i) for i in range(len(self.ids))]
        self._coverage: weakref.WeakKeyDictionary[PostingUnits, np.ndarray] = weakref.WeakKeyDictionary()
        self._unit_topics: weakref.WeakKeyDictionary[PostingUnits, np.ndarray] = weakref.WeakKeyDictionary()

    def _vectors(self, embeddings: Embeddings, key: str, cache_dir: Path) -> tuple[np.ndarray, np.ndarray]:
        for path in (SHIPPED, cache_dir / f"topic_vectors-{key}.npz"):
            if path.exists():
                with np.load(path) as stored:
                    if str(stored["key"]) == key:
                        return stored["examples"].astype(np.float32), stored["descriptions"].astype(np.float32)
        log.info("embedding the topic catalog", extra={"event": "topics_embed", "examples": len(self.examples)})
        examples = _normalise(np.asarray([embeddings.embed_query(e) for e in self.examples], dtype=np.float32))
        descriptions = _normalise(np.asarray(embeddings.embed_documents(self.descriptions), dtype=np.float32))
        cache_dir.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            cache_dir / f"topic_vectors-{key}.npz",
            key=key,
            examples=examples.astype(np.float16),
            descriptions=descriptions.astype(np.float16),
        )
        return examples, descriptions

    def coverage(self, units: PostingUnits) -> np.ndarray:
        """Return how well a posting covers each topic, standardised over the catalog."""
        cached = self._coverage.get(units)
        if cached is not None:
            return cached
        if not len(units):
            result = np.zeros(len(self.ids), dtype=np.float32)
        else:
            # The parts of long listing sentences count: "… bonuses/incentives, and restricted stock units" covers equity.
            vectors = np.vstack([units.vectors, units.part_vectors]) if len(units.part_units) else units.vectors
            best = (self.example_vectors @ vectors.T).max(axis=1)
            by_examples = np.array([best[group].mean() for group in self._groups])
            by_description = (self.description_vectors @ vectors.T).max(axis=1)
            result = _standard(by_examples) + _standard(by_description)
        self._coverage[units] = result
        return result

    def unit_topics(self, units: PostingUnits) -> np.ndarray:
        """Return each unit's score for every topic (units x topics), standardised per unit."""
        cached = self._unit_topics.get(units)
        if cached is None:
            sims = units.vectors @ self.example_vectors.T if len(units) else np.zeros((0, len(self.example_topic)))
            if len(units.part_units):  # a listing sentence is about each thing it lists
                np.maximum.at(sims, units.part_units, units.part_vectors @ self.example_vectors.T)
            scores = np.stack(
                [np.sort(sims[:, g], axis=1)[:, -EXAMPLES_PER_SCORE:].mean(axis=1) for g in self._groups], axis=1
            )
            spread = scores.std(axis=1, keepdims=True)
            cached = (scores - scores.mean(axis=1, keepdims=True)) / np.where(spread > 1e-9, spread, 1.0)
            self._unit_topics[units] = cached
        return cached

    def most_about(self, topic: str, units: PostingUnits) -> int | None:
        """Return the unit most about one topic, or None if no unit is mostly about it (or the catalog lacks it).

        A unit near the topic's examples may be near every topic's ("Upload your CV…" is
        close to any question about the job), so its standing among its own topics counts
        too; and the unit found must count the topic among its few nearest ones, so a posting
        that lists no duties gets no benefits line for "What would I be doing?".
        """
        if topic not in self.ids or not len(units):
            return None
        at = self.ids.index(topic)
        profiles = self.unit_topics(units)
        closeness = np.sort(units.vectors @ self.example_vectors[self._groups[at]].T, axis=1)
        best = int(np.argmax(_standard(closeness[:, -EXAMPLES_PER_UNIT:].mean(axis=1)) + _standard(profiles[:, at])))
        return best if int((profiles[best] > profiles[best, at]).sum()) < NEAREST_TOPICS else None

    def standing(self, match: TopicMatch, units: PostingUnits) -> np.ndarray:
        """Return how much each unit is about the question's nearest topics (blended as for coverage).

        "When does health insurance start?" shares "start" with a list of start
        dates; the benefits line shares less, but it is the one about insurance.
        """
        top, weights = _nearest(match.scores)
        return self.unit_topics(units)[:, top] @ weights

    def agreement(self, match: TopicMatch, units: PostingUnits, unit: int) -> tuple[float, float]:
        """Return how well a unit is about the question's topics: the question topic's standing among
        the unit's topics, and the correlation of the two topic profiles."""
        profile = self.unit_topics(units)[unit]
        best = self.ids.index(match.topic)
        question = match.scores - match.scores.mean()
        spread = question.std()
        correlation = float((question / spread) @ profile / len(profile)) if spread > 1e-9 else 0.0
        return float(profile[best]), correlation

    def match(self, query_vector: list[float] | None, coverage: np.ndarray) -> TopicMatch | None:
        """Return the question's nearest topic and how well the posting covers it."""
        if query_vector is None:
            return None
        q = _normalise(np.asarray(query_vector, dtype=np.float32))
        sims = self.example_vectors @ q
        scores = np.array(
            [np.sort(sims[group])[-EXAMPLES_PER_SCORE:].mean() for group in self._groups], dtype=np.float32
        )
        order = np.argsort(-scores)
        best = int(order[0])
        top, weights = _nearest(scores)
        return TopicMatch(
            topic=self.ids[best],
            similarity=float(scores[best]),
            margin=float(scores[best] - scores[order[1]]),
            coverage=float(coverage[best]),
            blended_coverage=float((weights * coverage[top]).sum()),
            scores=scores,
        )


def _nearest(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the nearest topics and their blend weights, which sharply favour the nearest."""
    top = np.argsort(-scores)[:SOFT_TOP]
    weights = np.exp((scores[top] - scores[top[0]]) * SOFTNESS)
    return top, weights / weights.sum()


def _standard(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 1e-9 else np.zeros_like(values)
