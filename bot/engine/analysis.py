"""One question of a message, from words to a decision: retrieve, score every unit, decide, select.

Dates are taken out of the question before its topic is searched ("start in
April" searches "start"); a question with too few telling words borrows the
words of the one before it; the answerability model then judges the scored
units, and selection picks what an answer quotes.
"""

from __future__ import annotations

import re

import numpy as np

from bot.engine import date_selection, selection
from bot.engine.answerability import AnswerabilityModel, Decision
from bot.engine.dates import question_dates, referred_dates
from bot.engine.employer import employer
from bot.engine.evidence import PostingUnits, UnitRef
from bot.engine.features import Scored, Scorer, Term, covers, question_terms
from bot.engine.glossary import Glossary
from bot.engine.guards import Guards
from bot.engine.index import Index
from bot.engine.question import Part, QuestionReader
from bot.engine.state import PartResult, State
from bot.engine.topics import TopicCatalog
from bot.knowledge.language import SUPPORTED
from bot.knowledge.lexical import query_terms
from bot.knowledge.retrieval import SearchQuery
from bot.knowledge.text import term_set

DUTIES_TOPIC = "duties_day_to_day"  # the catalog's topic that answers a question about the job as a whole
MIN_FOCUS_WEIGHT = 1.0  # a question with fewer telling words than this borrows its context's
ACCOMMODATION_TOPIC = re.compile(
    r"accommodat|adjustment|accessib|disabilit|adaptaci|ajustes? razonable|discapacidad|无障碍|便利|合理调整|残疾"
    r"|ajustes?\s+(?:para|en|durante)\s+(?:tu|su|la|el)\s+(?:entrevista|proceso\s+de\s+selecci|postulaci|candidatura)",
    re.I,
)
# "Staff accommodation", "alojamiento", "宿舍": a room to live in, not an adjustment to the hiring process.
HOUSING = re.compile(
    r"staff (?:accommodation|housing)|housing|\brent\b|live-in|alojamiento|vivienda|宿舍|住宿|住房", re.I
)
# How postings in English, Spanish and Chinese word an equal-opportunity statement, or head its section.
_IDENTITY = r"(race|age|sex|gender|religion|disability|ethnicity|colou?r|national|sexual|background|identity|origin)"
_IDENTIDAD = r"(raza|edad|sexo|genero|género|religi[oó]n|discapacidad|origen|etnia|orientaci[oó]n|identidad)"
EQUAL_OPPORTUNITY_TOPIC = re.compile(
    rf"equal (employment )?opportunit|without regard to (\w+'s |an individual's |their |your )?{_IDENTITY}"
    rf"|regardless of (\w+'s |their |your )?{_IDENTITY}|discriminat|(value|celebrate|embrace) diversity"
    r"|inclusive (space|workplace|environment|employer|hiring|culture|team|company)|diversity, equity and inclusion"
    r"|(welcomes?|encourages?) (applications|applicants|candidates) (from|of)|under-?represented"
    r"|^(diversity|inclusion|diversity and inclusion|equal opportunit\w*|diversidad|inclusi[oó]n|igualdad|多元|包容|平等)"
    rf"|igualdad de oportunidades|sin (distinci[oó]n de|importar (su |tu )?){_IDENTIDAD}|no discrimina"
    r"|diversidad e inclusi[oó]n|entorno inclusivo|平等|一视同仁|歧视|多元(与|和|、)?包容",
    re.I,
)  # the heading alternatives match only at the start, where `selection.statement` puts the section's heading


class PartAnalyser:
    """Analyse one question of a message against the posting's units."""

    def __init__(
        self,
        reader: QuestionReader,
        glossary: Glossary,
        model: AnswerabilityModel,
        topics: TopicCatalog,
        guards: Guards,
    ) -> None:
        self.reader = reader
        self.glossary = glossary
        self.model = model
        self.topics = topics
        self.guards = guards
        self.scorer = Scorer(glossary)

    def weight(self, text: str, language: str) -> float:
        """Return how many telling words a text has, weighted (few: it needs its context).

        "How long?" has none: "long" only says what is asked of the topic before it.
        """
        terms, _ = question_terms(self.reader.without_measure(text, language), language, self.glossary)
        return sum(t.weight for t in terms)

    def quotes_own_words(self, state: State, result: PartResult) -> bool:
        """Tell whether what a follow-up would quote holds a telling word of its own (a follow-up names one thing).

        "And part-time?", read with "How much paid time off do full-timers get?", quotes "… and 5 days
        for part-time associates"; what only the earlier question's words chose does not answer it. A
        passage's own words and its list's lead count, not its section's: under "Pay and time off", the
        pay line does not answer "and paid time off?".
        """
        terms = self._own_terms(state, result)
        if terms is None:
            return True  # "how much is it?" is all context, and so is a word no glossary knows: its context judges
        return _holds_any(terms, result.selected)

    def keep_own_quotes(self, state: State, result: PartResult) -> None:
        """Quote only the passages that hold the most of a follow-up's own words.

        "And vision?", read with "Is there dental insurance?", chose the dental line for the earlier
        question's words and the vision line for its own; "and on weekends?", read with "What's the
        pay?", chose every pay line, and only "Weekend hours are paid at time and a half" holds its word.
        """
        terms = self._own_terms(state, result) or []
        held = [_weight_held(terms, ref) for ref in result.selected]
        if held and max(held) > 0:
            result.selected = [ref for ref, weight in zip(result.selected, held, strict=True) if weight == max(held)]

    def quote_own_neighbours(self, state: State, result: PartResult) -> None:
        """Quote the passages beside the chosen ones that hold a follow-up's own words, when the chosen hold none.

        "Is that before tax?" after the night-shift pay chose the pay lines for the earlier question's
        words; the line beside them, "All pay rates shown are before tax and deductions", answers it.
        A passage beside them must hold a word of the earlier question too: "is it paid?" after the
        parental leave is not answered by "2 paid volunteering days a year".
        """
        terms = self._own_terms(state, result)
        if not terms or state.units is None or result.dates or _holds_any(terms, result.selected):
            return
        earlier, _ = question_terms(result.part.context, state.language, self.glossary, state.units.language)
        chunks = {ref.chunk_id for ref in result.selected}
        near = [
            ref
            for ref in state.units.refs
            if ref.chunk_id in chunks and ref not in result.selected and _weight_held(earlier, ref) > 0
        ]
        held = [sum(t.weight for t in terms if covers(t, own, own)) for own in map(_own_text_terms, near)]
        if held and max(held) > 0:
            result.selected = [ref for ref, weight in zip(near, held, strict=True) if weight == max(held)]

    def _own_terms(self, state: State, result: PartResult) -> list[Term] | None:
        """Return the telling words of a follow-up's own, or None when it has none to judge."""
        if state.units is None:
            return []
        known = state.index.lexical.stems(state.posting)
        own = self.reader.topic_words(result.part.text, state.language)
        terms, _ = question_terms(own, state.language, self.glossary, state.units.language, known)
        return terms or None

    def analyse(self, state: State, part: Part) -> PartResult:
        """Retrieve for one question, score every unit of the posting, decide and select."""
        index: Index = state.index
        language, text = state.language, part.text
        if part.whole and state.units is not None and state.units.language in SUPPORTED:
            # The duties (or the employer) are found by the posting's own words, in any language the candidate asks.
            language = state.units.language
            patterns = self.reader.patterns(language)
            text = patterns.role_question if part.whole == "job" else patterns.company_question
        topic = self.reader.without_request(text, language)
        dates = referred_dates(topic, part.context, state.today, language) or question_dates(
            topic, state.today, language
        )
        for mention in dates:
            topic = topic.replace(mention.text, " ")
        topic = " ".join(topic.split())
        weak = self.weight(topic, language) < MIN_FOCUS_WEIGHT
        focus = f"{part.context} {topic}" if part.context and (part.follow_up or weak) else topic
        if language == "en":
            focus = index.lexical.correct_spelling(focus)
        words = self.reader.without_measure(focus, language)  # the meaning keeps "how long", the words do not
        hint = " ".join(state.question.quotes)
        search = SearchQuery(
            text=f"{hint} {self.glossary.rephrase(focus, language)}".strip(),
            terms=tuple(query_terms(f"{hint} {words}", language, self.glossary.terms(words, language))),
        )
        retrieval = index.retriever.search(search, state.posting)
        units = state.units
        if units is None or not len(units):
            empty = Scored(np.zeros(0, dtype=int), np.zeros(0), np.zeros(0))
            return PartResult(part, topic, search, retrieval, empty, Decision("none", 0.0), dates, weak)
        match = self.topics.match(retrieval.query_vector, self.topics.coverage(units))
        scored = self.scorer.score(
            words,
            language,
            retrieval.query_vector,
            units,
            index.lexical.stems(state.posting),
            index.lexical.vocabulary,
            asks_quantity=self.reader.asks_quantity(focus, language),
            asks_money=self.reader.asks_money(focus, language),
            asks_contact=self.reader.asks_contact(focus, language),
            asks_date=bool(dates),
            chunk_ranks={c.metadata["chunk_id"]: rank for rank, c in enumerate(retrieval.chunks)},
            topic=match,
            agreement=(lambda unit: self.topics.agreement(match, units, unit)) if match else None,
            topical=self.topics.standing(match, units) if match else None,
        )
        decision = self.model.decide(scored.features)
        held = False
        if dates and not weak and decision.outcome == "answered":
            undated = self.model.decide({**scored.features, "dated": 0.0})
            if undated.outcome == "none":
                decision, held = undated, True  # a date makes a question about the dates, not one about anything else
        result = PartResult(part, topic, search, retrieval, scored, decision, dates, weak)
        result.held_for_its_date = held
        result.nearest_topic = match.topic if match else None
        result.selected = self._select(state, units, result)
        if state.verdict.action == "sensitive" and result.selected and part.text == state.verdict.query:
            result.decision = Decision("answered", decision.probability)
        return result

    def _is_company_heading(self, heading: str, language: str) -> bool:
        """Tell whether a section heading introduces the employer ("About us", "Quiénes somos", "公司简介")."""
        return bool(self.reader.patterns(language).company_heading.match(self.reader.matchable(heading, language)))

    def _select(self, state: State, units: PostingUnits, result: PartResult) -> list:
        scored = result.scored
        forced: list[int] = []
        own = state.verdict.category != "third_party_health"  # a relative's pregnancy asks for no accommodation
        # Beside a disclosure, the candidate's own question is answered on its words; the policy part brings the contact.
        beside = bool(state.verdict.query) and result.part.text != state.verdict.query
        said = result.part.text if beside else state.message
        if self.guards.wants_accommodation(said, state.language, own=own) or (
            state.verdict.category == "protected_characteristic" and not beside
        ):
            forced = selection.contact(units, scored.order, ACCOMMODATION_TOPIC, HOUSING)
        if result.part.whole == "job" and (duties := self.topics.most_about(DUTIES_TOPIC, units)) is not None:
            # The passage most about duties says what the job is, whatever words the question and the posting use.
            result.decision = Decision("answered", result.decision.probability)
            return [units.refs[i] for i in selection.whole(units, duties)]
        if result.part.whole == "company":
            # Every posting shares its words: the posting's description of the employer answers it, or nothing does.
            about = employer(units, self._is_company_heading)
            result.decision = Decision("answered" if about is not None else "none", result.decision.probability)
            return [units.refs[i] for i in selection.whole(units, about)] if about is not None else []
        starting = (
            result.dates and result.about_starting and not (result.answered or result.held_for_its_date or forced)
        )
        # "2032年3月可以入职吗？" asks about the posting's start dates, whatever its other words score.
        if starting and (dated := date_selection.start_dates(units, scored.scores)):
            result.decision = Decision("answered", result.decision.probability)
            return [units.refs[i] for i in dated]
        if self.guards.asks_equal_treatment(f"{result.part.context} {result.part.text}", state.language):
            # The posting's equal-opportunity statement is the answer, whatever else scores well.
            statement = selection.statement(units, scored.order, EQUAL_OPPORTUNITY_TOPIC)
            if statement:
                result.decision = Decision("answered", result.decision.probability)
                return [units.refs[i] for i in statement + [i for i in forced if i not in statement]]
        if result.decision.outcome == "answered" or forced:
            # A date question that says little else ("is 5/20 ok?") is about the posting's dated list.
            chosen = (
                date_selection.dated_list(units, scored.scores, topical=not result.weak_topic) if result.dates else []
            )
            if nearer := date_selection.nearer_dates(units, chosen, result.dates, state.today):
                chosen = selection.with_leads(units, nearer)
            if not chosen:
                chosen = (
                    selection.support(units, scored.order, scored.scores)
                    if result.decision.outcome == "answered"
                    else []
                )
            if (
                result.dates
                and result.weak_topic
                and result.about_starting
                and not any(units.names_date[i] for i in chosen)
            ):
                # "Can I start in March?" asks about the posting's start dates: a passage naming none is unrelated.
                chosen = date_selection.dated_prose(units, scored.scores) or chosen
            chosen += [i for i in forced if i not in chosen]
            if forced and result.decision.outcome != "answered":
                result.decision = Decision("answered", result.decision.probability)
        elif result.decision.outcome == "related":
            chosen = selection.with_answers(
                units, selection.with_leads(units, selection.related(scored.order, scored.scores))
            )
        else:
            chosen = []
        return [units.refs[i] for i in chosen]


def _weight_held(terms: list[Term], ref: UnitRef) -> float:
    """Return the weight of the terms a passage holds, in its text, its list's lead or its section heading.

    Under "Paid time off", "12 days a year" holds the words through its heading.
    """
    held = ref.terms | _own_text_terms(ref)
    return sum(t.weight for t in terms if covers(t, held, held))


def _holds_any(terms: list[Term], refs: list[UnitRef]) -> bool:
    """Tell whether passages hold any of the terms in their own text or their list's lead."""
    quoted = frozenset().union(*(_own_text_terms(ref) for ref in refs))
    return any(covers(t, quoted, quoted) for t in terms)


def _own_text_terms(ref: UnitRef) -> frozenset[str]:
    """Return the indexed terms of a passage and its list's lead, without its section heading's."""
    return term_set(ref.own_text, ref.chunk.metadata.get("language", "en"))
