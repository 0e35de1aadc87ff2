"""Read a question that names the job or its employer the way the reader and the retriever need it.

"What does the shift lead job pay?" asks for the pay: the job's name is in the title, the
email subject line and the company blurb, so it would find them rather than what is asked.
"What does Pellworth do?" and "What does the night shift supervisor do?" ask about the
company and the job as a whole, which only "the company" and "the role" in place of the
names let the reader see.
"""

from __future__ import annotations

from bot.engine.analysis import MIN_FOCUS_WEIGHT, PartAnalyser
from bot.engine.employer import header
from bot.engine.question import Question, QuestionReader
from bot.engine.state import State
from bot.engine.titles import titled_readings, with_employer_named, without_title


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
        asked = without_title(said, title, language, self.reader.patterns(language).job_noun)
        if asked != said and self.analyser.weight(asked, language) >= MIN_FOCUS_WEIGHT:
            return self.reader.read(asked, language)
        return None

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
