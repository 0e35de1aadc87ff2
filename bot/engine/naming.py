"""Read a question that names the job or its employer the way the reader and the retriever need it.

The names are in the title, the header lines, the email subject line and the company blurb, so
they find those rather than what is asked. "What does the shift lead job pay?" and "How much
does a night shift supervisor make?" ask for the pay, read without the name or with "the role"
in its place; "Does Northgale pay overtime?" asks about overtime, read with "the company" (the
pipeline keeps the question as asked when only the name answers it). "What does Pellworth do?"
and "What does the night shift supervisor do?" ask about the company and the job as a whole,
which only "the company" and "the role" in place of the names let the reader see.
"""

from __future__ import annotations

from bot.engine.analysis import MIN_FOCUS_WEIGHT, PartAnalyser
from bot.engine.employer import header
from bot.engine.question import Question, QuestionReader
from bot.engine.state import State
from bot.engine.titles import titled_readings, with_employer_named, with_title_named, without_title
from bot.knowledge.text import content_terms


class NamedJob:
    """Reread a question without the names of the job and its employer where that is what it asks."""

    def __init__(self, reader: QuestionReader, analyser: PartAnalyser) -> None:
        self.reader = reader
        self.analyser = analyser

    def reread(self, state: State) -> Question | None:
        """Return the question as one about the whole company or job, or without the job's name; None if unchanged."""
        if (whole := self._whole_named(state)) is not None:
            return whole
        title = state.index.titles.get(state.posting or "")
        said = state.question.core
        if not title or not said or len(state.question.parts) != 1:
            return None
        language = state.language
        patterns = self.reader.patterns(language)
        asked = without_title(said, title, language, patterns.job_noun)
        if self.analyser.weight(asked, language) < MIN_FOCUS_WEIGHT:
            asked = said  # "what about the shift lead job?" asks nothing once its name is cut
        # Said as "the role", the job's name leaves the question what it asks ("How much does a role make?").
        asked = with_title_named(asked, title, language, patterns.job_word, lambda name: self._in_body(state, name))
        return self.reader.read(asked, language) if asked != said and self.analyser.weight(asked, language) else None

    def without_employer(self, state: State) -> Question | None:
        """Return the question with the employer's name said as "the company" ("Does Northgale pay overtime?"), or None.

        The name finds the employer's description and the header lines, which answer what the
        employer is, not what it pays or offers.
        """
        units = state.index.units.get(state.posting or "")
        said = state.question.core
        if units is None or not said or len(state.question.parts) != 1:
            return None
        language = state.language
        asked = with_employer_named(said, header(units), language, self.reader.patterns(language).company_noun, True)
        return self.reader.read(asked, language) if asked != said and self.analyser.weight(asked, language) else None

    @staticmethod
    def _in_body(state: State, name: frozenset[str]) -> bool:
        """Tell whether a passage below the posting's opening holds every word of a name of the job.

        "Shift leads share the tip pool" answers "do the shift leads get tips?" by the job's name; where
        only the title and the opening say it ("… and needs a night baker"), the name finds only them.
        """
        units = state.index.units.get(state.posting or "")
        if units is None or not units.refs:
            return False
        opening = units.refs[0].section
        return any(
            name <= set(content_terms(ref.unit.text, state.language)) for ref in units.refs if ref.section != opening
        )

    def _whole_named(self, state: State) -> Question | None:
        """Read a question that names the employer or the job as one about the company or the job as a whole, if it is."""
        units = state.index.units.get(state.posting or "")
        said = state.question.core
        if units is None or not said:
            return None
        language = state.language
        patterns = self.reader.patterns(language)
        readings = [("company", with_employer_named(said, header(units), language, patterns.company_noun))]
        if title := state.index.titles.get(state.posting or ""):
            readings += [("job", text) for text in titled_readings(said, title, language, patterns.job_word)]
        for whole, text in readings:
            question = self.reader.read(text, language) if text != said else None
            if question is not None and any(part.whole == whole for part in question.parts):
                return question
        return None
