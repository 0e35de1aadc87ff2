"""Fit the answerability decision on the calibration half of a development set.

Only the calibration half is read. Each single-question case the posting
answers is a positive, each near miss a negative; refusals, sensitive
disclosures (answered by policy) and two-part questions (one label for two
decisions) are left out. Features are standardised, the regularisation is
chosen by cross-validation, and the answer threshold is the one with the
fewest calibration errors, its margin to the nearest error maximised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from bot.engine.answerability import AnswerabilityModel
from bot.evaluation.golden import GoldenCase

# The features the decision weighs: each has one plain meaning that holds for any posting.
# (bot.engine.features computes a few more, for the console's trace and for experiments.)
MODEL_FEATURES = (
    "dense_max",  # how close the nearest passage is
    "dense_gap",  # how far it stands out from the next one
    "lex_best",  # the share of the question's telling words in the best passage
    "cov_posting",  # ... anywhere in the posting
    "uncovered_max",  # the most telling word the posting never uses
    "topic_blended_coverage",  # how well the posting covers the question's topic
    "unit_topic_standing",  # whether the best passage is about the question's topic
    "quantity_mismatch",  # an amount asked for, and no number in the best passage
    "dated",  # a date asked about, and the posting lists dates or the best passages name one
    "same_language",  # scores of questions in another language than the posting's run lower
)
REGULARISATION = (0.03, 0.1, 0.3, 1.0, 3.0)
RELATED_FRACTION = 0.4  # the relatedness threshold, as a fraction of the answer threshold
# Quoting an unrelated passage as the answer costs more than an honest "the posting doesn't say
# exactly that" with the closest passage, so a false answer counts this many times a false refusal.
FALSE_ANSWER_COST = 1.5
EXCLUDED_TOPICS = ("sensitive_disclosure",)


@dataclass
class Sample:
    """The features of one calibration question and whether the posting answers it."""

    question: str
    lang: str
    features: dict[str, float]
    answered: bool
    group: str = ""  # the posting, so cross-validation holds whole postings out


def samples(engine, cases: list[GoldenCase], posting: str | None = None) -> list[Sample]:
    """Run the pipeline on the calibration cases and keep one feature row per usable case."""
    rows = []
    for case in cases:
        if case.split != "calibration" or case.expected_status not in ("answered", "not_found"):
            continue
        if case.topic in EXCLUDED_TOPICS or case.conversation:  # a turn of a conversation needs its history
            continue
        state = engine.pipeline.prepare(case.question, [], posting)
        if state.verdict.action != "allow" or len(state.parts) != 1:
            continue
        features = dict(state.parts[0].scored.features)
        rows.append(Sample(case.question, case.lang, features, case.expected_status == "answered", state.posting or ""))
    return rows


def _threshold(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """Pick the cut with the lowest error cost; among ties, the one furthest from its neighbours."""
    ordered = np.sort(np.unique(probabilities))
    cuts = (ordered[:-1] + ordered[1:]) / 2 if len(ordered) > 1 else np.array([0.5])

    def errors(cut: float) -> float:
        answered = probabilities >= cut
        return float((answered & ~labels).sum() * FALSE_ANSWER_COST + (~answered & labels).sum())

    fewest = min(errors(c) for c in cuts)
    best = [c for c in cuts if errors(c) == fewest]

    def gap(cut: float) -> float:
        return float(np.abs(probabilities - cut).min())

    return float(max(best, key=gap))


def fit(
    rows: list[Sample], today: dt.date | None = None, features: tuple[str, ...] = MODEL_FEATURES
) -> AnswerabilityModel:
    """Fit the model on calibration samples; regularisation is chosen holding whole postings out.

    `features` defaults to the shipped model's; the benchmark's ablation passes subsets of them.
    """
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import GroupKFold, cross_val_score
        from sklearn.preprocessing import StandardScaler
    except ImportError as exc:
        raise ValueError("training needs scikit-learn: pip install 'careers-chat[train]'") from exc
    if len({r.answered for r in rows}) < 2:
        raise ValueError("the calibration half needs both answered and not-found questions")
    x = np.array([[r.features.get(name, 0.0) for name in features] for r in rows])
    y = np.array([r.answered for r in rows])
    groups = [r.group for r in rows]
    scaler = StandardScaler().fit(x)
    scaled = scaler.transform(x)
    folds = (
        GroupKFold(min(5, len(set(groups)))) if len(set(groups)) > 2 else max(2, min(5, int(y.sum()), int((~y).sum())))
    )

    def score(c: float) -> float:
        return float(cross_val_score(LogisticRegression(C=c, max_iter=2000), scaled, y, cv=folds, groups=groups).mean())

    scores = {c: score(c) for c in REGULARISATION}
    c = max(scores, key=lambda k: (round(scores[k], 3), -k))
    classifier = LogisticRegression(C=c, max_iter=2000).fit(scaled, y)
    probabilities = classifier.predict_proba(scaled)[:, 1]
    threshold = _threshold(probabilities, y)
    accuracy = float(((probabilities >= threshold) == y).mean())
    return AnswerabilityModel(
        features=tuple(features),
        mean=tuple(round(float(v), 6) for v in scaler.mean_),
        scale=tuple(round(float(v), 6) for v in scaler.scale_),
        weights=tuple(round(float(v), 6) for v in classifier.coef_[0]),
        bias=round(float(classifier.intercept_[0]), 6),
        answer_threshold=round(threshold, 4),
        related_threshold=round(threshold * RELATED_FRACTION, 4),
        trained_on={
            "date": (today or dt.date.today()).isoformat(),
            "samples": len(rows),
            "answered": int(y.sum()),
            "regularisation": c,
            "cross_validated_accuracy": round(float(scores[c]), 4),
            "calibration_accuracy": round(accuracy, 4),
            "languages": sorted({r.lang for r in rows}),
            "postings": sorted(set(groups)),
        },
    )
