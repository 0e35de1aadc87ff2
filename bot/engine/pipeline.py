"""The steps from a message to what the answer can say: read -> guards -> condense -> analyse.

The steps are LangChain runnables over a typed `State`. Guards come before
anything else, so refusals never reach retrieval or a model; each question
of a message is then retrieved, scored against every unit of the posting
and judged answered, related or not covered, the same way for every answerer.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from langchain_core.runnables import RunnableLambda

from bot.config import Settings
from bot.engine.analysis import MIN_FOCUS_WEIGHT, PartAnalyser
from bot.engine.answerability import AnswerabilityModel
from bot.engine.condense import Condenser, earlier_context
from bot.engine.dates import find_dates
from bot.engine.glossary import Glossary
from bot.engine.guards import Verdict, load_guards
from bot.engine.index import KnowledgeIndex
from bot.engine.naming import NamedJob
from bot.engine.phrasing import QUESTION_MARK
from bot.engine.question import Part, QuestionReader, data_share
from bot.engine.state import PartResult, State
from bot.engine.titles import named_posting, without_terms
from bot.engine.topics import TopicCatalog
from bot.knowledge.language import DEFAULT_LANGUAGE, detect_language, has_han, tokenize
from bot.knowledge.text import clean_input, content_terms, is_content_word, strip_markup

log = logging.getLogger(__name__)

# A message whose space-separated pieces are mostly not words (hashes, numbers, codes) asks nothing.
MAX_DATA_SHARE = 0.5
MAX_JOB_REPLY_WORDS = 4  # "the nurse one", "harbor-clinic-nurse": a reply naming a job and nothing else


class Pipeline:
    """Turn a message into a `State` the answerers compose from."""

    def __init__(
        self,
        settings: Settings,
        knowledge: KnowledgeIndex,
        condense: Condenser,
        reader: QuestionReader,
        glossary: Glossary,
        model: AnswerabilityModel,
        topics: TopicCatalog,
    ) -> None:
        self.settings = settings
        self.knowledge = knowledge
        self.condense = condense
        self.reader = reader
        self.glossary = glossary
        self.model = model
        self.topics = topics
        self.guards = load_guards(settings.prompts_dir / "guards.yaml")
        self.analyser = PartAnalyser(reader, glossary, model, topics, self.guards)
        self.names = NamedJob(reader, self.analyser)
        # Steps that each return the state, not RunnablePassthrough.assign:
        # assign runs its step through a thread pool, a thread hand-off per step.
        self.chain = (RunnableLambda(self._condense) | RunnableLambda(self._analyse)).with_config(
            run_name="careers_chat_prepare"
        )

    def prepare(self, message: str, history: list[dict], posting: str | None) -> State:
        """Run guards, condense, retrieval and the decision; return the state.

        A message that only asks for another language ("in Spanish please")
        answers the candidate's last question again: read in its own language,
        replied to in the one asked for.
        """
        text = clean_input(message)
        language = self._language(text, history)
        wanted = self.reader.requested_language(strip_markup(text), language)
        earlier = self._last_question(history) if wanted else None  # only then: it reads the whole history
        if wanted and earlier is not None:  # "and in Spanish?" asks a question after one about languages
            wanted = self.reader.requested_language(strip_markup(text), language, str(history[earlier]["content"]))
        if wanted:
            if earlier is not None:
                state = self.prepare(str(history[earlier]["content"]), history[:earlier], posting)
                state.language = wanted
                return state
            language = wanted
        question = self.reader.read(text, language)
        verdict = self.guards.check(text, question.language)
        index = self.knowledge.current
        state = State(
            message=text,
            history=history,
            posting=self.knowledge.resolve_posting(posting),
            today=self.settings.current_date(),
            index=index,
            verdict=verdict,
            question=question,
            language=question.language,
        )
        if verdict.action == "refuse":
            return state
        if wanted:  # a language asked for before any question: the invitation, in that language
            state.verdict = Verdict("refuse", "no_question", store_text=verdict.store_text)
            return state
        if verdict.action == "allow" and self._asks_nothing(state):
            said = question.text, question.language
            category = "thanks" if self.reader.thanks(*said) else "goodbye" if self.reader.farewell(*said) else None
            category = category or ("anything_else" if history else "no_question")  # "ok" mid-conversation: no "Hi!"
            state.verdict = Verdict("refuse", category, store_text=verdict.store_text)
            if not has_han(text) and not self.reader.is_acknowledgement(question.core or text, question.language):
                state.language = self._conversation_language(history)  # an unknown word tells no language
            return state
        if state.posting is None and len(index.postings) > 1:
            named = named_posting(state.question.text, state.language, index.titles)
            if named is None:
                state.unclear_posting = True  # never blend two jobs' facts: ask which one is meant
                return state
            return self._for_named_posting(state, *named)
        if (reread := self.names.reread(state)) is not None:
            state.question = reread
        return self._without_employer(state)

    def _without_employer(self, state: State) -> State:
        """Answer a question that names the employer as one about "the company", unless only its name answers it.

        The name finds the employer's description and the header lines: "Does Northgale pay
        overtime?" is about the overtime. "When was ByteDance founded?" finds nothing once the
        name is gone, and is answered as it was asked.
        """
        unnamed = self.names.without_employer(state)
        if unnamed is None:
            return self.chain.invoke(state)
        read = self.chain.invoke(replace(state, question=unnamed, parts=[], timings={}, notes={}))
        if read.answered_parts:
            return read
        as_said = self.chain.invoke(state)
        return as_said if as_said.answered_parts else read

    def _for_named_posting(self, state: State, posting: str, title_terms: frozenset[str]) -> State:
        """Answer about the job a message names: its question without the job's name, or the one before it.

        "What's the salary for the nurse job?" asks for the salary ("nurse" would find the role's
        description); "the nurse one", after "Which job do you mean?", answers the question asked before.
        """
        state.posting = posting
        named = title_terms | frozenset(content_terms(posting.replace("-", " ")))  # "harbor-clinic-nurse" too
        said = state.question.core or state.question.text
        asked = without_terms(said, named, state.language)
        if self.analyser.weight(asked, state.language) >= MIN_FOCUS_WEIGHT:
            state.question = self.reader.read(asked, state.language)
        elif len(tokenize(said)) <= MAX_JOB_REPLY_WORDS and not self.reader.is_question(said, state.language):
            # only a job's name ("the nurse one"): the answer to "Which job do you mean?"
            earlier = self._last_question(state.history)
            if earlier is None:
                state.verdict = Verdict("refuse", "no_question", store_text=state.verdict.store_text)
                return state
            question = without_terms(str(state.history[earlier]["content"]), named, state.language)
            return self.prepare(question, state.history[:earlier], posting)
        return self.chain.invoke(state)  # the job's words are the topic too ("How many nurses work there?")

    def _last_question(self, history: list[dict]) -> int | None:
        """Return where the candidate's last question is in the history: not thanks, not a language request."""
        asked = [i for i, turn in enumerate(history) if turn.get("role") == "user"]
        for at in range(len(asked) - 1, -1, -1):
            content = strip_markup(clean_input(str(history[asked[at]].get("content") or "")))
            before = str(history[asked[at - 1]].get("content") or "") if at else ""
            if content and not self.reader.only_frames(content, detect_language(content), before):
                return asked[at]
        return None

    def _language(self, text: str, history: list[dict]) -> str:
        """Detect the message's language; one too short to tell goes by its framing words, or the conversation's."""
        # The candidate's own words tell the language, not a line of an English posting they quote.
        quotes, own = self.reader.quoted(strip_markup(text))
        if quotes and own:
            detected = detect_language(own, default="") or self.reader.framing_language(
                own, self._conversation_language(history)
            )
            if detected:
                return detected
        detected = detect_language(text, default="")
        if detected:
            return detected
        conversation = self._conversation_language(history)
        return self.reader.framing_language(strip_markup(text), conversation) or conversation

    @staticmethod
    def _conversation_language(history: list[dict]) -> str:
        """Return the language of the candidate's last message, or the default language."""
        earlier = next((str(t.get("content") or "") for t in reversed(history) if t.get("role") == "user"), "")
        return detect_language(earlier) if earlier else DEFAULT_LANGUAGE

    def _asks_nothing(self, state: State) -> bool:
        """Tell whether a message only greets or thanks, or is a word the posting and glossary do not know."""
        question = state.question
        if self.reader.is_acknowledgement(question.core or question.text, question.language):
            return True
        if state.history or QUESTION_MARK.search(question.text) or question.quotes:
            return False
        if any(part.whole for part in question.parts):
            return False  # "tell me about the company": its words are every posting's, yet it asks
        undated = question.core
        for mention in find_dates(undated, state.today, question.language):
            if mention.plausible:
                undated = undated.replace(mention.text, " ")  # a date counts as words, not as numbers
        if data_share(undated) > MAX_DATA_SHARE:
            return True  # mostly numbers, hashes or codes: nothing is asked
        words = [w for w in tokenize(question.core) if is_content_word(w, question.language)]
        if not words:
            return True
        if len(words) > 2 or self.reader.is_question(question.core, question.language):
            return False  # "cuando empiezo" asks, though the posting's words are English
        vocabulary = state.index.lexical.vocabulary
        corrected = state.index.lexical.correct_spelling(question.core).lower()
        known = [w for w in tokenize(corrected) if w in vocabulary]
        return not known and not self.glossary.terms(question.core, question.language)

    def _condense(self, state: State) -> State:
        started = time.perf_counter()
        core = state.question.core or state.question.text
        if state.verdict.query:
            state.standalone = state.verdict.query
        elif state.history:
            state.standalone = self.condense(core, state.history, state.language)
        else:
            state.standalone = core
        state.timings["condense_ms"] = (time.perf_counter() - started) * 1000
        return state

    def _parts(self, state: State) -> list[Part]:
        question = state.question
        core = question.core or question.text
        if state.verdict.query:
            # A disclosure beside a question ("I'm pregnant, when could I start?"): the question is answered too.
            rest = state.verdict.rest
            asked = self.reader.asked_clause(rest, state.language) if rest else None
            policy = Part(state.verdict.query)
            # Only the question is read: what came before it is the candidate's own (a date, a conviction).
            return [self.reader.as_whole_question(Part(asked), state.language), policy] if asked else [policy]
        if state.follows_earlier_turn:
            # A follow-up: the earlier question gives the topic, unless it names its own ("¿Y las fechas?").
            context = earlier_context(state.standalone, core)
            return [Part(core, context, follow_up=True, may_stand_alone=self.reader.stands_alone(core, state.language))]
        parts = list(question.parts) or [Part(core)]
        for i in range(1, len(parts)):
            if parts[i].offers_options:  # "When does cover start? Day one or after 90 days?": about the one before
                parts[i] = replace(parts[i], context=parts[i - 1].text, follow_up=True)
            elif self.analyser.weight(parts[i].text, state.language) < MIN_FOCUS_WEIGHT:
                # "... and is it paid?" is read with the question before it; "... and benefits?" may stand alone.
                alone = self.reader.stands_alone(parts[i].text, state.language)
                parts[i] = replace(parts[i], context=parts[i - 1].text, follow_up=True, may_stand_alone=alone)
        return parts

    def _analyse(self, state: State) -> State:
        started = time.perf_counter()
        self.knowledge.check_store()
        posting = state.posting
        state.units = state.index.units.get(posting) if posting else None
        for part in self._parts(state):
            state.parts.extend(self._each_of_pair(state, part, self._follow_up(state, part)))
        if state.verdict.query and len(state.parts) > 1:
            # Neither a question beside a disclosure that the posting does not answer (it is about the disclosure)
            # nor the policy query (no question of the candidate's) is labelled "doesn't say" or "see above".
            *asked, policy = state.parts
            asked = [part for part in asked if part.decision.outcome == "answered"]
            quoted = [ref for part in asked for ref in part.selected]
            if asked and (policy.decision.outcome != "answered" or all(ref in quoted for ref in policy.selected)):
                state.parts = asked
            else:
                state.parts = [*asked, policy]
        state.timings["analyse_ms"] = (time.perf_counter() - started) * 1000
        return state

    def _follow_up(self, state: State, part: Part) -> PartResult:
        """Read a question with its context, or alone when that is what answers it.

        A short part of the message ("… and benefits?") is read alone when that answers it. A follow-up
        to an earlier turn is read with that turn's question when its quotes hold a word of its own:
        searched alone, "and part-time?" after a question on paid time off found the weekly hours.
        Quotes that hold none of its words answered the earlier question: "and what about relocation
        help?" after the start dates got the start dates again, so it is read alone, answered or not.
        """
        alone_part = Part(part.text, offers_options=part.offers_options)
        if part.context and part.may_stand_alone and not state.follows_earlier_turn:
            alone = self.analyser.analyse(state, alone_part)
            return alone if alone.answered else self.analyser.analyse(state, part)
        joined = self.analyser.analyse(state, part)
        if not part.context or not part.may_stand_alone:
            if part.context and joined.answered:
                self.analyser.quote_own_neighbours(state, joined)
            return joined
        if joined.answered and self.analyser.quotes_own_words(state, joined):
            self.analyser.keep_own_quotes(state, joined)
            return joined
        alone = self.analyser.analyse(state, alone_part)
        return alone if alone.answered or joined.answered else joined

    def _each_of_pair(self, state: State, part: Part, whole: PartResult) -> list[PartResult]:
        """Answer "Salary and start date?" as two questions when the posting answers each in a passage of its own.

        "Medical and dental insurance?" stays one question: both halves find the same passage.
        """
        pair = None if part.context else self.reader.pair(part.text, state.language)
        if pair is None:
            return [whole]
        sides = [self.analyser.analyse(state, Part(side)) for side in pair]
        if not all(side.decision.outcome == "answered" and side.selected for side in sides):
            return [whole]
        first, second = (side.selected for side in sides)
        apart = first[0] not in second and second[0] not in first
        if whole.decision.outcome != "answered":
            return sides  # "What is the salary and the bonus?" is answered by each half, not by both in one passage
        return sides if apart and not (first[0] in whole.selected and second[0] in whole.selected) else [whole]
