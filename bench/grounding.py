"""LLM mode's sentence checks on labelled answer sentences: faithful ones kept, unsupported ones dropped.

tests/evals/grounding_probes.yaml holds answer sentences as a model writes
them about passages of the eval postings, in three languages, each labelled
`keep` (everything it says is in the passages it cites) or `drop` (an
invented clause or qualifier, a fact of another passage, a flipped negation),
split once into a calibration and a test half. The checker is the product's
(`SentenceChecker`), with the real embeddings for its meaning check; the
passages sent are the probe's, each cut into its lines and sentences as the
units the answerer would compare a sentence with.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from bot.answerers.grounding import SentenceChecker
from bot.answerers.llm import NEAREST_MARGIN
from bot.config import Settings
from bot.engine.guards import load_guards
from bot.knowledge.embeddings import make_embeddings
from bot.yamlfile import read_yaml

PROBES = Path(__file__).resolve().parents[1] / "tests" / "evals" / "grounding_probes.yaml"
TODAY = dt.date(2026, 12, 1)
_SENTENCE_END = re.compile(r"(?<=[.!?。])\s+")


def _units(passages: list[str]) -> tuple[list[str], list[int]]:
    """Cut passages into their lines and sentences, each with the number of its passage."""
    units, owners = [], []
    for number, passage in enumerate(passages, start=1):
        for line in passage.splitlines():
            for sentence in _SENTENCE_END.split(line.strip()):
                if sentence.strip():
                    units.append(sentence.strip())
                    owners.append(number)
    return units, owners


def probes(settings: Settings, path: Path = PROBES) -> dict:
    """Check every probe sentence; return kept and dropped counts per split, language and kind."""
    embeddings = make_embeddings(settings)
    guards = load_guards()
    counts: dict = defaultdict(lambda: {"keep": 0, "kept": 0, "drop": 0, "dropped": 0})
    for probe in read_yaml(path):
        units, owners = _units(probe["passages"])
        vectors = np.array(embeddings.embed_documents(units))
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)

        def nearest(sentence: str, vectors=vectors, owners=owners) -> set[int]:
            query = np.array(embeddings.embed_query(sentence))
            sims = vectors @ (query / np.linalg.norm(query))
            best = float(sims.max())
            if best < settings.grounding_min_similarity:
                return set()
            return {owners[i] for i in np.flatnonzero(sims >= best - NEAREST_MARGIN)}

        language = probe["language"]

        def policy(sentence: str, language: str = language) -> str | None:
            return guards.answer_problem(sentence, language)

        checker = SentenceChecker(probe["passages"], [probe["question"]], TODAY, language, nearest, policy)
        kept = checker.check(probe["sentence"]).kept
        expected = probe["expected"]
        for key in (probe["split"], f"{probe['split']}:{language}", f"{probe['split']}:{probe['kind']}"):
            counts[key][expected] += 1
            counts[key]["kept" if expected == "keep" else "dropped"] += kept == (expected == "keep")
    return dict(sorted(counts.items()))
