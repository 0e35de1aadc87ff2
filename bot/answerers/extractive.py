"""Grounded extractive answers: pick the sentences that answer, quote them, cite them.

Every sentence of an extractive answer is either a verbatim unit of the
knowledge or a fixed reply from prompts/replies.yaml, so the answer cannot
state a fact the posting lacks. The selector also decides whether the
posting covers the question at all (`not_found`), for every answerer.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.answerers.base import ChatAnswer, Citation, ScoredUnit
from bot.engine.dates import DateMention, find_dates, unit_date
from bot.knowledge.lexical import LexicalIndex
from bot.engine.replies import fill, replies
from bot.knowledge.text import Unit, content_terms, split_units, term_set

# Weights of the evidence score of a unit. Calibrated on tests/evals/golden.csv
# (see `python -m bot eval --calibrate`), not tuned to one posting's wording.
UNIT_WEIGHT = 0.55
CHUNK_WEIGHT = 0.30
LEXICAL_WEIGHT = 0.30
UNKNOWN_TERM_PENALTY = 0.05
SUPPORT_RATIO = 0.80
CROSS_CHUNK_RATIO = 0.90
SIBLING_RATIO = 0.80
MAX_UNITS = 4
SHORT_PARAGRAPH = 2
MAX_LIST_ITEMS = 12
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]*\w")


@dataclass
class Selection:
    """The evidence chosen for a question and the status it implies."""

    status: str
    selected: list[ScoredUnit]
    scored: list[ScoredUnit]
    best_score: float
    date_mentions: tuple[DateMention, ...] = ()


class UnitEmbeddingCache:
    """Embed knowledge units once and keep their vectors.

    Units are the same few hundred sentences on every request, so caching
    their vectors keeps an answer to one query embedding.
    """

    def __init__(self, embeddings: Embeddings):
        self.embeddings = embeddings
        self._vectors: dict[str, np.ndarray] = {}

    def vectors(self, texts: list[str]) -> np.ndarray:
        """Return unit vectors for texts, embedding only the unseen ones."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embeddings.embed_documents(missing)):
                self._vectors[text] = _unit_norm(np.asarray(vector, dtype=np.float32))
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def warm(self, chunks: list[Document]) -> None:
        """Embed the units of chunks ahead of the first question."""
        pairs = [(c, u) for c in chunks for u in split_units(c.page_content)]
        self.vectors([_in_context(c, u) for c, u in pairs])


def _in_context(chunk: Document, unit: Unit) -> str:
    """Return the text embedded for a unit: its section, and for a list item its lead.

    "January 15, 2024" alone says little; "Start dates: ... start dates below:
    January 15, 2024" says what the date is.
    """
    section = chunk.metadata.get("section", "")
    if unit.kind == "item" and unit.lead is not None:
        lead = split_units(chunk.page_content)[unit.lead].text
        return f"{section}: {lead} {unit.text}"
    return f"{section}: {unit.text}"


def _unit_norm(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


# Words every posting uses; matching them says nothing about the topic.
GENERIC_TERMS = frozenset(
    content_terms("job jobs role position positions posting candidate candidates company work apply applicant")
)


def _lexical_overlap(question_terms: set[str], text: str) -> float:
    terms = question_terms - GENERIC_TERMS
    if not terms:
        return 0.0
    return len(terms & term_set(text)) / len(terms)


class EvidenceSelector:
    """Score the units of retrieved chunks and choose the ones that answer."""

    def __init__(self, cache: UnitEmbeddingCache, lexical: LexicalIndex, threshold: float):
        self.cache = cache
        self.lexical = lexical
        self.threshold = threshold

    def score(
        self, question: str, query_vector: list[float] | None, chunks: list[Document], asked: str | None = None
    ) -> list[ScoredUnit]:
        """Score every unit of the retrieved chunks against the (expanded) question.

        `asked` is the question as the candidate put it; words of it that the
        knowledge never uses lower every score (an expansion must not hide them).
        """
        pairs = [(chunk, unit) for chunk in chunks for unit in split_units(chunk.page_content)]
        if not pairs:
            return []
        if query_vector is None:  # no embedding: judge on keywords alone
            unit_sims = np.zeros(len(pairs), dtype=np.float32)
        else:
            q = _unit_norm(np.asarray(query_vector, dtype=np.float32))
            unit_sims = self.cache.vectors([_in_context(c, u) for c, u in pairs]) @ q
        terms = set(content_terms(question))
        unknown = len(self.lexical.unknown_terms(asked or question))
        scored = []
        for (chunk, unit), unit_sim in zip(pairs, unit_sims):
            chunk_sim = chunk.metadata.get("dense_score") or 0.0
            context = unit.text + " " + chunk.metadata.get("section", "")
            score = (
                UNIT_WEIGHT * float(unit_sim)
                + CHUNK_WEIGHT * float(chunk_sim)
                + LEXICAL_WEIGHT * _lexical_overlap(terms, context)
                - UNKNOWN_TERM_PENALTY * unknown
            )
            scored.append(ScoredUnit(unit, chunk, round(score, 4)))
        return sorted(scored, key=lambda s: s.score, reverse=True)

    def select(
        self,
        question: str,
        query_vector: list[float] | None,
        chunks: list[Document],
        today: dt.date,
        must_include: str | None = None,
        asked: str | None = None,
        topic_score: float | None = None,
    ) -> Selection:
        """Choose supporting units, or decide the posting does not cover the question.

        `topic_score` is the best evidence score of the question with its dates
        taken out: a date pulls any question towards a list of dates, so
        "relocation in March 2024" must be judged on "relocation" alone.
        """
        scored = self.score(question, query_vector, chunks, asked)
        mentions = find_dates(asked or question, today)
        dated = self._dated_list(scored, today) if mentions else []
        best = scored[0].score if scored else 0.0
        covered = best >= self.threshold and (topic_score is None or topic_score >= self.threshold)
        if dated and covered:
            return Selection("answered", dated, scored, best, mentions)
        if not scored or not covered:
            forced = self._forced(scored, must_include)
            if forced:
                return Selection("answered", forced, scored, best)
            return Selection("not_found", [], scored, best)
        chosen = self._support(scored)
        chosen += [u for u in self._forced(scored, must_include) if u not in chosen]
        return Selection("answered", chosen, scored, best)

    def _support(self, scored: list[ScoredUnit]) -> list[ScoredUnit]:
        """Take the best unit and close runners-up from the same chunk; expand lists."""
        top = scored[0]
        chosen = [top]
        if top.unit.kind == "sentence":
            # A short paragraph is one thought: quote it whole rather than cut it.
            paragraph = [s for s in scored if s.chunk_id == top.chunk_id and s.unit.paragraph == top.unit.paragraph]
            if len(paragraph) <= SHORT_PARAGRAPH:
                chosen += [s for s in paragraph if s is not top]
        for candidate in scored[1:]:
            if len(chosen) >= MAX_UNITS:
                break
            same_chunk = candidate.chunk_id == top.chunk_id
            ratio = SUPPORT_RATIO if same_chunk else CROSS_CHUNK_RATIO
            if candidate not in chosen and candidate.score >= top.score * ratio:
                chosen.append(candidate)
        return self._expand_lists(chosen, scored)

    def _expand_lists(self, chosen: list[ScoredUnit], scored: list[ScoredUnit]) -> list[ScoredUnit]:
        """Bring a lead's list items along, and an item's close siblings."""
        by_chunk: dict[str, list[ScoredUnit]] = {}
        for s in scored:
            by_chunk.setdefault(s.chunk_id, []).append(s)
        result = list(chosen)
        for unit in chosen:
            siblings = by_chunk[unit.chunk_id]
            if unit.unit.kind == "lead":
                items = [s for s in siblings if s.unit.lead == unit.unit.position]
                result += [s for s in items[:MAX_LIST_ITEMS] if s not in result]
            elif unit.unit.kind == "item":
                family = [
                    s for s in siblings
                    if s.unit.kind == "item" and s.unit.paragraph == unit.unit.paragraph
                    and s.score >= unit.score * SIBLING_RATIO
                ]
                result += [s for s in family if s not in result]
                if unit.unit.lead is not None:
                    lead = [s for s in siblings if s.unit.position == unit.unit.lead]
                    result += [s for s in lead if s not in result]
        return result

    def _forced(self, scored: list[ScoredUnit], must_include: str | None) -> list[ScoredUnit]:
        """Return units that must be in the answer, such as the accommodation contact."""
        if must_include != "accommodation_contact":
            return []
        contact = [
            s for s in scored
            if _EMAIL.search(s.unit.text) and "accommodat" in s.chunk.page_content.lower()
        ]
        if not contact:
            return []
        first = contact[0]
        same_paragraph = [
            s for s in scored
            if s.chunk_id == first.chunk_id and s.unit.paragraph == first.unit.paragraph
        ]
        return same_paragraph

    def _dated_list(self, scored: list[ScoredUnit], today: dt.date) -> list[ScoredUnit]:
        """Return the best-scoring list of dated items with its lead, if any."""
        groups: dict[tuple[str, int], list[ScoredUnit]] = {}
        for s in scored:
            if s.unit.kind == "item" and unit_date(s.unit.text, today):
                groups.setdefault((s.chunk_id, s.unit.paragraph), []).append(s)
        if not groups:
            return []
        best_key = max(groups, key=lambda k: max(s.score for s in groups[k]) + 0.01 * len(groups[k]))
        items = sorted(groups[best_key], key=lambda s: s.unit.position)
        lead = [
            s for s in scored
            if s.chunk_id == best_key[0] and items[0].unit.lead is not None
            and s.unit.position == items[0].unit.lead
        ]
        return lead + items


@dataclass
class _Group:
    chunk: Document
    units: list[Unit]


def _groups(selected: list[ScoredUnit]) -> list[_Group]:
    """Group selected units into contiguous runs per chunk, in reading order."""
    order: list[str] = []
    per_chunk: dict[str, tuple[Document, list[Unit]]] = {}
    for s in selected:
        if s.chunk_id not in per_chunk:
            order.append(s.chunk_id)
            per_chunk[s.chunk_id] = (s.chunk, [])
        per_chunk[s.chunk_id][1].append(s.unit)
    groups = []
    for cid in order:
        chunk, units = per_chunk[cid]
        units = sorted(set(units), key=lambda u: u.position)
        run = [units[0]]
        for unit in units[1:]:
            if unit.position == run[-1].position + 1 and (
                unit.paragraph == run[-1].paragraph or unit.lead == run[-1].position or unit.lead is not None and unit.lead == run[-1].lead
            ):
                run.append(unit)
            else:
                groups.append(_Group(chunk, run))
                run = [unit]
        groups.append(_Group(chunk, run))
    return groups


def _quote(units: list[Unit]) -> str:
    """Join units into the verbatim quote they form in the knowledge."""
    parts = []
    for unit in units:
        separator = "\n" if unit.kind == "item" or (parts and units[0].kind == "item") else " "
        parts.append((separator if parts else "") + unit.text)
    return "".join(parts)


def _render(units: list[Unit]) -> str:
    """Render units for reading: sentences as prose, list items as a bullet list."""
    text = ""
    as_list = sum(unit.kind == "item" for unit in units) > 1
    for unit in units:
        if unit.kind == "item" and as_list:
            text += ("\n" if text else "") + "- " + unit.text
        else:
            text += (" " if text else "") + unit.text
    return text


def _join_dates(values: list[str]) -> str:
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " and " + values[-1]


class ExtractiveAnswerer:
    """Compose an answer from verbatim knowledge units with [n] citations."""

    mode = "extractive"

    def compose(self, selection: Selection, today: dt.date) -> ChatAnswer:
        """Build the cited answer for an answerable selection."""
        groups = _groups(selection.selected)
        citations: list[Citation] = []
        paragraphs: list[str] = []
        for number, group in enumerate(groups, start=1):
            meta = group.chunk.metadata
            citations.append(
                Citation(id=number, source=meta["source"], section=meta["section"], quote=_quote(group.units))
            )
            paragraphs.append(f"{_render(group.units)} [{number}]")
        preface = self._date_preface(selection, groups, today)
        answer = "\n\n".join(([preface] if preface else []) + paragraphs)
        past = self._past_note(selection, today)
        if past:
            answer += "\n\n" + past
        return ChatAnswer(answer=answer, status="answered", citations=citations, mode="extractive")

    def _dated_units(self, selection: Selection, today: dt.date) -> list[tuple[Unit, dt.date]]:
        pairs = []
        for s in selection.selected:
            if s.unit.kind == "item":
                when = unit_date(s.unit.text, today)
                if when:
                    pairs.append((s.unit, when))
        return pairs

    def _date_preface(self, selection: Selection, groups: list[_Group], today: dt.date) -> str:
        """Compare the dates a question names with the dates the knowledge lists."""
        dated = self._dated_units(selection, today)
        if not selection.date_mentions or not dated:
            return ""
        texts = replies()["dates"]
        number = next(
            (i for i, g in enumerate(groups, start=1) if any(u.kind == "item" for u in g.units)), 1
        )
        sentences = []
        for mention in selection.date_mentions:
            mention = _anchor_year(mention, [d for _, d in dated])
            hits = [u.text for u, d in dated if mention.matches(d)]
            label = mention.describe()
            label = label[0].upper() + label[1:]
            if hits:
                sentences.append(fill(texts["listed"], mention=label, dates=_join_dates(hits)) + f" [{number}]")
                continue
            sentences.append(fill(texts["not_listed"], mention=label) + f" [{number}]")
            start, end = _period(mention)
            before = [(u, d) for u, d in dated if d < start]
            after = [(u, d) for u, d in dated if d > end]
            closest = ([max(before, key=lambda p: p[1])[0].text] if before else []) + (
                [min(after, key=lambda p: p[1])[0].text] if after else []
            )
            if closest:
                key = "closest" if len(closest) > 1 else "closest_one"
                sentences.append(fill(texts[key], dates=_join_dates(closest)) + f" [{number}]")
        return " ".join(sentences)

    def _past_note(self, selection: Selection, today: dt.date) -> str:
        dated = self._dated_units(selection, today)
        if dated and all(d < today for _, d in dated):
            return fill(replies()["dates"]["all_past"], today=today.strftime("%B %-d, %Y"))
        return ""

    def answer(self, evidence) -> ChatAnswer:
        """Return the extractive answer prepared with the evidence."""
        return evidence.fallback

    def stream(self, evidence) -> Iterator[str | ChatAnswer]:
        """Stream the extractive answer in word-sized pieces, then the answer itself."""
        answer = evidence.fallback
        for piece in re.findall(r"\S+\s*", answer.answer):
            yield piece
        yield answer


def _anchor_year(mention: DateMention, listed: list[dt.date]) -> DateMention:
    """Give a mention without a year the year of the listed dates nearest to it."""
    if mention.has_year or not listed:
        return mention
    years = sorted({d.year for d in listed})
    year = min(years, key=lambda y: min(abs((dt.date(y, mention.date.month, 1) - d).days) for d in listed))
    # Clamp the day: February 29 has no place in most years.
    day = min(mention.date.day, calendar.monthrange(year, mention.date.month)[1]) if mention.has_day else 1
    return DateMention(mention.text, dt.date(year, mention.date.month, day), True, mention.has_day)


def _period(mention: DateMention) -> tuple[dt.date, dt.date]:
    """Return the first and last day a mention covers."""
    if mention.has_day:
        return mention.date, mention.date
    start = mention.date.replace(day=1)
    next_month = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, next_month - dt.timedelta(days=1)
