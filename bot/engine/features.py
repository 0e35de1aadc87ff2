"""Score a question against every unit of a posting and describe the match as features.

The features are what the answerability decision (bot.engine.answerability)
weighs: how close the best unit is and how far it stands out from the rest
of the posting (dense, multilingual), how many of the question's telling
words the best unit and the posting contain (lexical, weighted by how rare
each word is in its language), and whether the question asks for something
the best units cannot give (an amount where they state no number). None of
them names a word of any posting, so a decision trained on one posting
applies to another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from bot.engine.evidence import PostingUnits
from bot.engine.glossary import Glossary
from bot.engine.topics import TopicMatch
from bot.knowledge.language import has_han, tokenize
from bot.knowledge.text import is_content_word, stem
from bot.knowledge.units import is_title
from bot.knowledge.vocabulary import salience, zipf

LEXICAL_WEIGHT = 1.5  # weight of lexical overlap against the standardised dense score, per unit
CHUNK_WEIGHT = 1.0  # bonus of units in the best retrieved chunk (halved for the second, and so on)
TOPIC_WEIGHT = 0.75  # weight of a unit's standing on the question's topics (bot.engine.topics)
TOP_UNITS = 3  # units inspected for contacts and lexical coverage
MIN_PREFIX = 4  # "tech" covers "technologies", "teamwork" is covered by "team"
MIN_TRANSLATION_SALIENCE = 0.6  # a glossary word this common ("work", "home") does not prove a topic
PHRASE_WEIGHT = 0.5  # a glossary phrase counts half as much as a word of the question itself
ENGLISH_MARGIN = 1.0  # a word of a Spanish question is English when it is this much more common in English

FEATURES = (
    "dense_max",
    "dense_z",
    "dense_gap",
    "lex_best",
    "lex_top",
    "cov_posting",
    "uncovered_max",
    "uncovered_sum",
    "judged",
    "unjudged",
    "quantity_mismatch",
    "contact_match",
    "dated",
    "same_language",
    "topic_similarity",
    "topic_margin",
    "topic_coverage",
    "topic_blended_coverage",
    "dense_over_topic",
    "unit_topic_standing",
    "unit_topic_correlation",
)


@dataclass(frozen=True)
class Term:
    """A telling word of a question: the stems that count as finding it, how many of them, and its weight.

    A word of the question is found by its own stem (need 1). An English
    glossary phrase ("my data" -> "privacy policy personal data") is found
    where at least two, and at least half, of its other words stand together: one shared word
    ("assistance" for "relocation") proves nothing.
    """

    text: str
    stems: frozenset[str]
    weight: float
    need: int = 1
    wording: Term | None = None  # the glossary's wording of the word ("pto" -> "paid time off ... personal time")

    def found_in(self, stems: frozenset[str]) -> bool:
        """Tell whether a set of stems (one unit's, or a posting's) contains the term, or its glossary wording."""
        return len(self.stems & stems) >= self.need or (self.wording is not None and self.wording.found_in(stems))


@dataclass
class Scored:
    """A question scored against a posting's units."""

    order: np.ndarray  # unit indices, best first
    scores: np.ndarray  # combined score per unit
    similarities: np.ndarray  # dense cosine per unit
    features: dict[str, float] = field(default_factory=dict)


def question_terms(
    text: str, language: str, glossary: Glossary, posting_language: str = "en", known: frozenset[str] = frozenset()
) -> tuple[list[Term], int]:
    """Return a question's telling words and how many words could not be judged.

    English words (also inside a Chinese or Spanish question) are matched by
    stem. A Chinese or Spanish word is matched through the English words the
    glossary gives for it; one the glossary does not know cannot be judged.
    A question in the language of a posting that is not in English is matched
    by its own words; in another language, only by the words the posting
    uses too ("Python", "SQL"), and the rest cannot be judged.
    """
    if posting_language != "en":
        return _own_language_terms(text, language, posting_language, known)
    terms: list[Term] = []
    unjudged = 0
    foreign = language != "en"
    spans: list[tuple[int, int]] = []
    if foreign:
        for span, expansion in glossary.matches(text, language):
            stems = frozenset(
                stem(w) for w in tokenize(expansion) if is_content_word(w) and salience(w) >= MIN_TRANSLATION_SALIENCE
            )
            if stems and expansion not in {t.text for t in terms}:
                terms.append(Term(expansion, stems, 1.0))
                spans.append(span)
    wordings: dict[str, Term] = {}
    if not foreign:
        wordings = _phrases(text, glossary)
        terms += list(wordings.values())
    lowered = text.lower()
    for word in dict.fromkeys(tokenize(text)):
        if foreign and not _english_word(word, language):
            at = lowered.find(word)
            inside = any(start <= at < end for start, end in spans)
            if is_content_word(word, language) and not inside:
                unjudged += 1
            continue
        if not is_content_word(word, "en"):
            continue
        terms.append(Term(word, frozenset({stem(word)}), salience(word, "en"), wording=wordings.get(word)))
    return terms, unjudged


def _own_language_terms(
    text: str, language: str, posting_language: str, known: frozenset[str]
) -> tuple[list[Term], int]:
    """Return the telling words of a question to a posting that is not in English, by the posting's stems."""
    words = [w for w in dict.fromkeys(tokenize(text)) if is_content_word(w, language)]
    if language != posting_language:
        found = [w for w in words if stem(w, posting_language) in known]
        words, unjudged = found, len(words) - len(found)
    else:
        unjudged = 0
    return [Term(w, frozenset({stem(w, posting_language)}), salience(w, posting_language)) for w in words], unjudged


def _phrases(text: str, glossary: Glossary) -> dict[str, Term]:
    """Terms for the English glossary phrases a question uses, found by half of their other words.

    Keyed by the question's words each phrase stands for ("pto"): a posting that
    says "Paid Personal Time" does not lack the candidate's "PTO". Only a one-word
    key is a word of the question; a phrase key ("stock options") stays a term of its own.
    """
    own = {stem(w) for w in tokenize(text)}
    lowered = text.lower()
    terms = {}
    for (start, end), expansion in glossary.matches(text, "en"):
        stems = (
            frozenset(
                stem(w) for w in tokenize(expansion) if is_content_word(w) and salience(w) >= MIN_TRANSLATION_SALIENCE
            )
            - own
        )
        if len(stems) >= 2:
            terms[lowered[start:end]] = Term(expansion, stems, PHRASE_WEIGHT, need=max(2, (len(stems) + 1) // 2))
    return terms


def _english_word(word: str, language: str) -> bool:
    """Tell whether a word of a Chinese or Spanish question is English ("PhD", "offer", "remote")."""
    if language == "zh":
        return word.isascii()
    return word.isascii() and zipf(word, "en") > zipf(word, language) + ENGLISH_MARGIN


def covers(term: Term, stems: frozenset[str], words: frozenset[str]) -> bool:
    """Tell whether a set of stems (and the words behind them) contains a term."""
    if term.found_in(stems):
        return True
    if term.need > 1:
        return False
    word = term.text.lower()
    if len(word) < MIN_PREFIX or has_han(word) or " " in word:
        return False
    return any((w.startswith(word) or word.startswith(w)) and min(len(w), len(word)) >= MIN_PREFIX for w in words)


def _with_anchored_parts(
    sims: np.ndarray, units: PostingUnits, query_vector: list[float] | None, terms: list[Term], unmatched: np.ndarray
) -> np.ndarray:
    """Raise a long listing sentence's similarity to its best part that holds one of the question's words.

    "Is there any stock in the package?" is far from a sentence about base pay, bonuses and
    restricted stock units as a whole, and close to its part "restricted stock units".
    """
    if not len(units.part_units) or not terms:
        return sims
    part_sims = units.part_similarities(query_vector)
    raised = sims.copy()
    for k, unit in enumerate(units.part_units):
        if not unmatched[unit] and any(t.found_in(units.part_terms[k]) for t in terms):
            raised[unit] = max(raised[unit], part_sims[k])
    return raised


def _coverage(terms: list[Term], unit_terms: list[frozenset[str]], total: float) -> float:
    """Share of the question's telling words that a few units contain between them."""
    joined = frozenset().union(*unit_terms) if unit_terms else frozenset()
    return sum(t.weight for t in terms if t.found_in(joined)) / total if total else 0.0


class Scorer:
    """Score questions against posting units and compute the decision's features."""

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary

    def score(
        self,
        text: str,
        language: str,
        query_vector: list[float] | None,
        units: PostingUnits,
        posting_stems: frozenset[str],
        posting_words: frozenset[str],
        asks_quantity: bool = False,
        asks_money: bool = False,
        asks_contact: bool = False,
        asks_date: bool = False,
        chunk_ranks: dict[str, int] | None = None,
        topic: TopicMatch | None = None,
        agreement=None,
        topical: np.ndarray | None = None,
    ) -> Scored:
        """Rank a posting's units for a question and describe the best match.

        A unit's score is its dense similarity (standardised over the posting),
        its share of the question's telling words, the rank of its chunk in
        hybrid retrieval, which sees the whole section rather than one sentence,
        and how much it is about the question's topics (`topical`, per unit).
        The features describe the best match by words and meaning alone: the
        topic term changes which units are quoted, not whether to answer.
        """
        sims = units.similarities(query_vector)
        # A posting's FAQ question ("Can students apply?") is quoted with its answer, never found by itself:
        # it is as close to every question the candidate asks as it is to its own. A list's title likewise.
        unmatched = np.array([r.unit.kind == "question" or is_title(r.unit) for r in units.refs], dtype=bool)
        if unmatched.any():
            sims = np.where(unmatched, sims[~unmatched].min() if (~unmatched).any() else 0.0, sims)
        terms, unjudged = question_terms(text, language, self.glossary, units.language, posting_stems)
        sims = _with_anchored_parts(sims, units, query_vector, terms, unmatched)
        total = sum(t.weight for t in terms)
        lexical = np.zeros(len(units), dtype=np.float32)
        if total:
            for i, ref in enumerate(units.refs):
                if not unmatched[i]:
                    lexical[i] = sum(t.weight for t in terms if t.found_in(ref.terms)) / total
        spread = float(sims.std()) if len(sims) > 1 else 0.0
        standard = (sims - sims.mean()) / spread if spread > 1e-6 else np.zeros_like(sims)
        ranks = chunk_ranks or {}
        chunk_bonus = np.array(
            [CHUNK_WEIGHT / (1 + ranks[r.chunk_id]) if r.chunk_id in ranks else 0.0 for r in units.refs]
        )
        matched = standard + LEXICAL_WEIGHT * lexical + chunk_bonus
        scores = matched + TOPIC_WEIGHT * topical if topical is not None else matched
        order = np.argsort(-scores, kind="stable")
        scored = Scored(order=order, scores=scores, similarities=sims)
        if not len(units):
            scored.features = dict.fromkeys(FEATURES, 0.0)
            return scored
        judged = np.argsort(-matched, kind="stable")
        best = int(judged[0])
        covered = [t for t in terms if covers(t, posting_stems, posting_words)]
        uncovered = [t for t in terms if t not in covered]
        top = judged[:TOP_UNITS]
        ranked_sims = np.sort(sims)[::-1]
        scored.features = {
            "dense_max": float(ranked_sims[0]),
            "dense_z": float(standard.max()),
            "dense_gap": float(ranked_sims[0] - ranked_sims[1]) if len(ranked_sims) > 1 else 0.0,
            "lex_best": float(lexical[best]),
            "lex_top": _coverage(terms, [units.refs[int(i)].terms for i in top], total),
            "cov_posting": sum(t.weight for t in covered) / total if total else 0.0,
            "uncovered_max": max((t.weight for t in uncovered), default=0.0),
            "uncovered_sum": sum(t.weight for t in uncovered),
            "judged": total,
            "unjudged": float(unjudged),
            "quantity_mismatch": float(
                (asks_quantity and not units.has_number[best]) or (asks_money and not units.has_money[best])
            ),
            "contact_match": float(asks_contact and units.has_contact[top].any()),
            "dated": float(asks_date and (units.has_dated_items or bool(units.names_date[top].any()))),
            "same_language": float(language == units.language),
            "topic_similarity": topic.similarity if topic else 0.0,
            "topic_margin": topic.margin if topic else 0.0,
            "topic_coverage": topic.coverage if topic else 0.0,
            "topic_blended_coverage": topic.blended_coverage if topic else 0.0,
            "dense_over_topic": float(ranked_sims[0]) - topic.similarity if topic else 0.0,
        }
        standing, correlation = agreement(best) if agreement and topic else (0.0, 0.0)
        scored.features["unit_topic_standing"] = standing
        scored.features["unit_topic_correlation"] = correlation
        return scored
