"""Decide whether the posting answers a question: a logistic regression over posting-independent features.

A single threshold on one hand-weighted score does not carry from the
questions it was set on to new ones. This model weighs a dozen features
(bot.engine.features) learned on the calibration half of the development
set (`careers-chat eval tests/evals/devset.csv --train`) and is stored as
plain JSON next to this module, with the figures it was trained on.

It gives three outcomes: `answered` (quote the answer), `related` (the
posting touches the topic but does not answer it: say so and show the
closest passage) and `none` (nothing relevant: say the posting does not
cover it).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

MODEL_FILE = Path(__file__).with_name("answerability.json")

Outcome = Literal["answered", "related", "none"]


@dataclass(frozen=True)
class Decision:
    """The outcome for one question, and the probability it rests on."""

    outcome: Outcome
    probability: float


@dataclass
class AnswerabilityModel:
    """Standardised logistic regression with an answer threshold and a relatedness threshold."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    answer_threshold: float = 0.5
    related_threshold: float = 0.2
    related_lexical: float = 0.34  # a passage sharing this share of the telling words is related
    trained_on: dict = field(default_factory=dict)

    def probability(self, features: dict[str, float]) -> float:
        """Return the probability that the posting answers the question."""
        z = self.bias
        for name, mean, scale, weight in zip(self.features, self.mean, self.scale, self.weights, strict=True):
            z += weight * (features.get(name, 0.0) - mean) / (scale or 1.0)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def decide(self, features: dict[str, float]) -> Decision:
        """Return answered, related or none for a question's features."""
        p = self.probability(features)
        if p >= self.answer_threshold:
            return Decision("answered", p)
        if p >= self.related_threshold or features.get("lex_best", 0.0) >= self.related_lexical:
            return Decision("related", p)
        return Decision("none", p)

    def save(self, path: Path = MODEL_FILE) -> None:
        """Write the model as JSON."""
        path.write_text(json.dumps(asdict(self), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> AnswerabilityModel:
        """Read a model written by `save`."""
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in ("features", "mean", "scale", "weights"):
            data[key] = tuple(data[key])
        return cls(**data)
