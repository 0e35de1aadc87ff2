"""Answerability ablation: what each group of features adds, every variant trained on calibration rows only.

Each variant is fitted with bot.evaluation.train on the calibration rows of
every set (the seed set's calibration half and the four calibration-only
postings), swapped into the built engines' analysers, and judged on the seed
test half and the held-out postings, as the shipped model is.
"""

from __future__ import annotations

import math

from bench.quality import every_nth, held_out, unrelated
from bot.engine.answerability import AnswerabilityModel
from bot.evaluation.golden import CaseResult, run_golden
from bot.evaluation.sets import Engines, EvalSet
from bot.evaluation.train import MODEL_FEATURES, fit, samples

DENSE_LEXICAL = ("dense_max", "dense_gap", "lex_best", "cov_posting", "uncovered_max", "same_language")
TOPICS = ("topic_blended_coverage", "unit_topic_standing")
VARIANTS = {
    "a": ("one threshold on dense_max", ("dense_max",)),
    "b": ("dense + lexical", DENSE_LEXICAL),
    "c": ("dense + lexical + topic catalog", DENSE_LEXICAL + TOPICS),
    "d": ("all MODEL_FEATURES (+ quantity_mismatch, dated): the shipped recipe", MODEL_FEATURES),
}


def _dense_cut(model: AnswerabilityModel) -> float:
    """Return the dense_max value at which a one-feature model starts answering."""
    p = model.answer_threshold
    logit = math.log(p / (1 - p))
    return model.mean[0] + model.scale[0] * (logit - model.bias) / model.weights[0]


def _scores(results: list[CaseResult]) -> dict:
    n = len(results) or 1
    return {
        "cases": len(results),
        "right_outcome": round(sum(r.passed for r in results) / n, 4),
        "unrelated_presented": sum(unrelated(r) for r in results),
    }


def _matches_shipped(model: AnswerabilityModel) -> bool:
    """Tell whether a refit of the shipped recipe gives the shipped answerability.json's weights (to 0.01)."""
    shipped = AnswerabilityModel.load()
    return shipped.features == model.features and all(
        abs(a - b) < 0.01 for a, b in zip((*shipped.weights, shipped.bias), (*model.weights, model.bias), strict=True)
    )


def run(engines: Engines, sets: list[EvalSet], step: int = 1) -> dict:
    """Fit every variant on the calibration rows and score it on the test rows; restore the shipped models."""
    rows = [s for item in sets for s in samples(engines.for_set(item), every_nth(item.cases, step), item.posting)]
    tests = [(item, [c for c in every_nth(item.cases, step) if c.split == "test"]) for item in sets]
    tests = [(item, cases) for item, cases in tests if cases]
    shipped = {id(engines.for_set(item)): engines.for_set(item).pipeline.analyser.model for item, _ in tests}
    variants = {}
    try:
        for key, (label, features) in VARIANTS.items():
            model = fit(rows, sets[0].today, features)
            seed, held = [], []
            for item, cases in tests:
                engine = engines.for_set(item)
                engine.pipeline.analyser.model = model
                (held if held_out(item) else seed).extend(run_golden(engine, cases, item.posting))
            variants[key] = {
                "label": label,
                "features": list(features),
                "cross_validated_accuracy": model.trained_on["cross_validated_accuracy"],
                "calibration_accuracy": model.trained_on["calibration_accuracy"],
                "seed_test": _scores(seed),
                "held_out": _scores(held),
                "all_test": _scores(seed + held),
            }
            if key == "a":
                variants[key]["dense_max_cut"] = round(_dense_cut(model), 4)
            if features == MODEL_FEATURES:
                variants[key]["matches_shipped"] = _matches_shipped(model)
    finally:
        for item, _ in tests:
            engine = engines.for_set(item)
            engine.pipeline.analyser.model = shipped[id(engine)]
    return {
        "every_nth_case": step,
        "calibration_samples": len(rows),
        "calibration_answered": sum(r.answered for r in rows),
        "variants": variants,
    }
