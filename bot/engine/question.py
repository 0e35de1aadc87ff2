"""Read a candidate's message: what it asks, apart from how it is wrapped.

Messages arrive with greetings and thanks around them, with markup pasted
from a page, with a line of the posting quoted, and often with two
questions in one. Answerability must be judged on the questions alone, and
each question on its own, so this module turns a message into a `Question`:
the cleaned text, its language, the quoted lines (search hints), and its
parts, each with the context sentences that give it a topic. The framing
words are per-language data in prompts/language/<lang>.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from bot.engine.phrasing import DASHES, Phrasing
from bot.knowledge.language import SUPPORTED, detect_language, has_han
from bot.knowledge.text import content_terms, rejoin_abbreviations, strip_markup, without_list_marker

MIN_QUOTE_WORDS = 3
MIN_QUOTE_HAN = 6
MAX_PARTS = 4
_COMPOUND_START = re.compile(r"^\W*\w+-\w")  # a text opening with a hyphenated word
_QUOTE = re.compile(r"[\"“”«]([^\"“”«»]{2,400})[\"”“»]")  # long enough: MIN_QUOTE_WORDS / MIN_QUOTE_HAN
_SENTENCES = re.compile(r"(?<=[?？!！。])(?![?？!！。])\s*|(?<=[.])\s+(?=[A-Z¿¡\"“])")  # "???" ends one sentence
# After a question particle: 吗, 呢, or a 么 that is not part of 什么/怎么/那么 ("什么时候" is one question).
_ZH_PARTICLE_END = r"(?:(?<=[吗呢？?])|(?<=么)(?<![什怎甚那这多要]么))"
_ZH_QUESTION_END = re.compile(_ZH_PARTICLE_END + r"\s+(?=\S)")
_WORD_SHAPED = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")  # letters, with inner apostrophes or hyphens
_EDGE_PUNCTUATION = ".,;:!?()[]\"'“”‘’"
_EXISTENTIAL = re.compile(r"\b(?:is|are|was|were)\s+there\b|\bthere\s+(?:is|are)\b", re.IGNORECASE)
# "$136,800" is no clause break; Chinese punctuation, folded to ASCII ("我坐过牢,什么…"), is one without a space.
_CLAUSE = re.compile(r"(?<=[,;:.!?])(?:\s+|(?=[\u3400-\u9fff]))|(?<=[，；：。！？])\s*(?=\S)")


def data_share(text: str) -> float:
    """Return the share of a message's space-separated pieces that are not words: numbers, hashes, codes, paths.

    Chinese is not written with spaces, so a Chinese message counts as words.
    """
    if has_han(text):
        return 0.0
    pieces = [piece.strip(_EDGE_PUNCTUATION) for piece in text.split()]
    pieces = [piece for piece in pieces if piece]
    if not pieces:
        return 0.0
    return sum(not _WORD_SHAPED.fullmatch(piece) for piece in pieces) / len(pieces)


@dataclass(frozen=True)
class Part:
    """One question of a message; `context` is the message's other sentences that give it a topic."""

    text: str
    context: str = ""
    follow_up: bool = False  # the question leans on its context ("does that apply to affiliates?")
    may_stand_alone: bool = False  # a short question that may not need its context ("… and benefits?")
    offers_options: bool = False  # options for the question before it ("… Day one or after a waiting period?")
    # "job" for a question about the job as a whole ("Tell me about this role"), which its duties answer;
    # "company" for one about the employer ("What kind of company is this?"), which the posting's "About us" answers.
    whole: str = ""

    @property
    def full(self) -> str:
        """The question with its context, for retrieval."""
        return f"{self.context} {self.text}".strip() if self.context else self.text


@dataclass(frozen=True)
class Question:
    """A message read for answering."""

    text: str  # the message with markup removed
    language: str
    core: str  # without greeting, thanks and quoted lines
    quotes: tuple[str, ...] = ()
    parts: tuple[Part, ...] = field(default_factory=tuple)


class QuestionReader(Phrasing):
    """Parse messages with the per-language patterns of a prompts folder."""

    def read(self, message: str, language: str | None = None) -> Question:
        """Return the question(s) a message asks."""
        text = strip_markup(message)
        language = language or detect_language(text)
        quotes, rest = self.quoted(text)
        core = self.unwrap(rest, language)
        core = self.about_whole(core, language)
        parts = tuple(self.as_whole_question(p, language) for p in self._parts(core, language)) if core else ()
        if not parts and quotes:
            parts = (Part(" ".join(quotes)),)
        return Question(text=text, language=language, core=core, quotes=quotes, parts=parts)

    def unwrap(self, text: str, language: str) -> str:
        """Remove greetings at the start and thanks or a signature at the end."""
        patterns = self.patterns(language)
        english = self.patterns("en")
        text = self._without_greeting(text, language)
        for pattern in dict.fromkeys((patterns.closing, english.closing)):
            match = pattern.search(self.matchable(text, language))
            if match and match.start() > 0:
                text = text[: match.start()]
        return DASHES.sub("", text).strip()

    def quoted(self, text: str) -> tuple[tuple[str, ...], str]:
        """Take out quoted passages long enough to be lines of the posting; return them and the rest."""
        quotes = []
        for match in _QUOTE.finditer(text):
            quoted = match.group(1).strip()
            long_enough = len(quoted.split()) >= MIN_QUOTE_WORDS or sum(map(has_han, quoted)) >= MIN_QUOTE_HAN
            if long_enough:
                quotes.append(quoted)
        rest = text
        for quoted in quotes:
            rest = re.sub(r"[\"“”«]\s*" + re.escape(quoted) + r"\s*[\"”“»]", " ", rest)
        return tuple(quotes), " ".join(rest.split())

    def _parts(self, core: str, language: str) -> tuple[Part, ...]:
        """Split the core into its questions, keeping statements as context."""
        pieces = rejoin_abbreviations(_SENTENCES.split(core))  # "Can I email Ms. Ochoa?" is one sentence
        sentences = [without_list_marker(DASHES.sub("", s)).strip() for s in pieces]
        if language == "zh":
            sentences = [p.strip() for s in sentences for p in _ZH_QUESTION_END.split(s) if p.strip()]
        sentences = [s for s in sentences if any(ch.isalnum() for ch in s)]
        # A later sentence may open with a lead-in of its own: "Is it remote? One more thing, do you sponsor visas?"
        bare = [
            self._without_opener(self._without_greeting(s, language) if i else s, language)
            for i, s in enumerate(sentences)
        ]
        # "Dime el salario. Luego las fechas de inicio.": a joined thing after a request is that request, elided.
        elided = [
            i > 0
            and bare[i] != sentences[i]
            and bool(re.match(rf"{self.patterns(language).determiner}\b", self.matchable(bare[i], language), re.I))
            and self.requests_something(bare[i - 1], language)
            for i in range(len(sentences))
        ]
        sentences = bare
        asked = [s for i, s in enumerate(sentences) if self.is_question(s, language) or elided[i]]
        if len(asked) <= 1:
            question = asked[0] if asked else sentences[-1] if sentences else core
            context = " ".join(s for s in sentences if s is not question)
            return tuple(Part(p, context) for p in self._split_clauses(question, language))
        parts = [p for s in asked for p in self._split_clauses(s, language)][:MAX_PARTS]
        return tuple(Part(p, offers_options=i > 0 and self.offers_options(p, language)) for i, p in enumerate(parts))

    def about_whole(self, text: str, language: str) -> str:
        """Return the duties question for a question about the job as a whole ("Tell me about this role"),
        the company question for one about the employer ("What kind of company is this?"), else the text.

        Their words ("job", "role", "doing", "company") say nothing the posting's passages could match.
        """
        patterns = self.patterns(language)
        said = self.matchable(text.strip(), language)
        if patterns.about_role.match(said):
            return patterns.role_question
        return patterns.company_question if patterns.about_company.match(said) else text

    def asked_clause(self, text: str, language: str) -> str | None:
        """Return the clause of a text that asks for a fact, when the text ends with it ("…, when could I start?").

        Beside a disclosure only that clause is answered: the rest may say more about the
        candidate ("for 5 years for drug dealing, which team…", "my due date is in March, when…"),
        and none of it may be echoed, stored or read as a date. A yes-or-no clause ("can I still
        apply?", "is that a problem?") or one that points back ("how do I arrange that?") asks about the disclosure.
        """
        clauses = rejoin_abbreviations(c.strip() for c in _CLAUSE.split(text))
        if not clauses:
            return None
        clause = self._without_opener(self._without_greeting(clauses[-1], language), language)
        if self.patterns(language).about_role.match(self.matchable(clause, language)):
            return clause
        asks = self.asks_for_fact(clause, language) or self.requests_something(clause, language)
        if not asks or not content_terms(clause, language):
            return None
        # "how do I arrange that?" points back at the disclosure; "what benefits are there?" does not
        return None if self.is_follow_up(_EXISTENTIAL.sub(" ", clause), language) else clause

    def as_whole_question(self, part: Part, language: str) -> Part:
        """Return a part that asks about the job or the company as a whole as its fixed question, marked `whole`."""
        text = self.about_whole(part.text, language)
        patterns = self.patterns(language)
        return replace(
            part, text=text, whole={patterns.role_question: "job", patterns.company_question: "company"}.get(text, "")
        )

    def pair(self, text: str, language: str) -> tuple[str, str] | None:
        """Return the two things a question names and nothing else ("Salary and start date?"), or None.

        Whether they are two questions ("salary", "start date") or one ("medical and dental
        insurance") depends on the posting, so the caller answers each and compares.
        """
        patterns = self.patterns(language)
        match = patterns.pair.match(self.matchable(text.strip(), language))
        if not match:
            return None
        mark = "？" if language == "zh" else "?"  # each half is asked on its own: "Salario?" scores as a question
        first, second = (text.strip()[match.start(g) : match.end(g)] + mark for g in ("first", "second"))
        opening = re.compile(rf"{patterns.interrogative}" + ("" if language == "zh" else r"\b"), re.IGNORECASE)
        if any(opening.search(side) if language == "zh" else opening.match(side) for side in (first, second)):
            return None  # "Is it remote and paid?" asks about one thing
        if not all(content_terms(side, language) for side in (first, second)):
            return None
        return first, second

    def _without_greeting(self, text: str, language: str) -> str:
        """Drop a greeting or a lead-in at the start ("Hola, …", "One more thing, …"), in any language."""
        if _COMPOUND_START.match(text):
            return text  # "Well-being benefits?", "Okay-ish hours?": a word, not a lead-in
        for greeting in dict.fromkeys(self.patterns(lang).greeting for lang in (language, *SUPPORTED)):
            match = greeting.match(self.matchable(text, language))
            if match and match.end() < len(text):
                text = text[match.end() :]
        return text

    def _without_opener(self, sentence: str, language: str) -> str:
        """Drop the word that joins a question to the one before it ("And do you…" -> "do you…")."""
        return self.drop_lead(sentence, self.patterns(language).opener, language)

    def _cut(self, text: str, boundary: str, language: str) -> list[str]:
        """Cut a text where a boundary pattern matches its matchable form; the pieces without edge dashes."""
        matchable = self.matchable(text, language)
        end = len(matchable.rstrip())
        pieces, start = [], 0
        for cut in re.finditer(boundary, matchable, re.IGNORECASE):
            if 0 < cut.start() < end:
                pieces.append(text[start : cut.start()])
                start = cut.end()
        return [DASHES.sub("", p).strip() for p in [*pieces, text[start:]]]

    def _split_clauses(self, sentence: str, language: str) -> list[str]:
        """Split "when can I start and how much does it pay" into its two questions."""
        patterns = self.patterns(language)
        boundary = rf"{patterns.conjunction}(?=(?:¿\s*)?(?:{patterns.interrogative}|{patterns.request})\b)"
        if language == "zh":
            boundary = (
                rf"{_ZH_PARTICLE_END}\s*{patterns.conjunction}?"
                rf"|{patterns.conjunction}(?=\S*{patterns.interrogative}|{patterns.request})"
            )
        pieces = self._cut(sentence, boundary, language)
        if len(pieces) == 1:
            return self._split_objects(sentence, language)
        # A fragment without a content word ("and so on") stays with its neighbour, and a
        # condition ("if I get rejected, how long ...") is not a question of its own.
        if any(not content_terms(p, language) for p in pieces) or not self.is_question(pieces[0], language):
            return [sentence.strip()]
        return [self._without_opener(p, language) for p in pieces if p]

    def _split_objects(self, sentence: str, language: str) -> list[str]:
        """Split a request for two things ("Tell me the salary and the start dates") into one request each.

        A thing after the first must open with a determiner, so "medical and dental insurance" stays one.
        """
        rest = self.without_request(sentence, language)
        if rest == sentence or not self.requests_something(sentence, language):
            return [sentence.strip()]
        patterns = self.patterns(language)
        about = re.match(rf"{patterns.about}\s+", self.matchable(rest, language), re.IGNORECASE)
        if about:  # "Tell me about the pay and the bonus": each request keeps its "about"
            rest = rest[about.end() :]
        request = sentence[: len(sentence) - len(rest)].strip()
        things = self._cut(rest, rf"{patterns.conjunction}(?={patterns.determiner}\b)", language)
        if len(things) < 2 or any(not content_terms(t, language) for t in things):
            return [sentence.strip()]
        return [f"{request} {thing}" for thing in things[:MAX_PARTS]]
