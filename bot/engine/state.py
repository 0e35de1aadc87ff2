"""The typed state one message carries through the pipeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.engine.answerability import Decision
from bot.engine.dates import DateMention
from bot.engine.evidence import PostingUnits, UnitRef
from bot.engine.features import Scored
from bot.engine.guards import Verdict
from bot.engine.index import Index
from bot.engine.question import Part, Question
from bot.knowledge.retrieval import Retrieval, SearchQuery

START_TOPICS = frozenset({"start_dates_list", "earliest_start", "start_date_flexibility", "start_date_deferral"})


@dataclass
class PartResult:
    """What the pipeline found for one question of a message."""

    part: Part
    topic: str  # the question with its dates taken out
    search: SearchQuery
    retrieval: Retrieval
    scored: Scored
    decision: Decision
    dates: tuple[DateMention, ...] = ()
    weak_topic: bool = False  # too few telling words once the dates are out
    selected: list[UnitRef] = field(default_factory=list)  # quoted (answered) or closest (related)
    nearest_topic: str | None = None  # the topic catalog's nearest topic to the question
    held_for_its_date: bool = False  # answerable only through its date: about that, not anything else

    @property
    def answered(self) -> bool:
        """Tell whether the posting answers this part."""
        return self.decision.outcome == "answered"

    @property
    def about_starting(self) -> bool:
        """Tell whether the topic catalog finds the question about starting ("Can I start in March?").

        Not "Will you reply by December 10?": its date is no start date.
        """
        return self.nearest_topic in START_TOPICS


@dataclass
class State:
    """One message on its way through guards, retrieval and the decision."""

    message: str
    history: list[dict]
    posting: str | None
    today: dt.date
    index: Index
    verdict: Verdict
    question: Question
    language: str
    standalone: str = ""
    units: PostingUnits | None = None
    parts: list[PartResult] = field(default_factory=list)
    preface: str = ""
    unclear_posting: bool = False  # several postings, none chosen: the reply asks which one
    timings: dict[str, float] = field(default_factory=dict)
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def follows_earlier_turn(self) -> bool:
        """Tell whether the message was read with an earlier turn of the conversation (its standalone form)."""
        return self.standalone != (self.question.core or self.question.text)

    @property
    def answered_parts(self) -> list[PartResult]:
        """Parts the posting answers."""
        return [p for p in self.parts if p.answered]
