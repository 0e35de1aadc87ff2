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
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.knowledge.language import SUPPORTED, detect_language, fold_accents, has_han
from bot.knowledge.text import content_terms, strip_markup, trim_symbols, without_list_marker
from bot.yamlfile import parse_yaml

MIN_QUOTE_WORDS = 3
MIN_QUOTE_HAN = 6
MAX_PARTS = 4
ANAPHORIC_QUESTION_TERMS = 3  # "does that apply to affiliates" leans on context; longer ones rarely do
_QUOTE = re.compile(r"[\"“”«]([^\"“”«»]{2,400})[\"”“»]")  # long enough: MIN_QUOTE_WORDS / MIN_QUOTE_HAN
_SENTENCES = re.compile(r"(?<=[?？!！。])(?![?？!！。])\s*|(?<=[.])\s+(?=[A-Z¿¡\"“])")  # "???" ends one sentence
# After a question particle: 吗, 呢, or a 么 that is not part of 什么/怎么/那么 ("什么时候" is one question).
_ZH_PARTICLE_END = r"(?:(?<=[吗呢？?])|(?<=么)(?<![什怎甚那这多要]么))"
_ZH_QUESTION_END = re.compile(_ZH_PARTICLE_END + r"\s+(?=\S)")
_QUESTION_MARK = re.compile(r"[?？]")
_GAP = r"[\s,，.。!！?？~～:;)(、👍👌🙏😊🙂]*"
_WORD_SHAPED = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")  # letters, with inner apostrophes or hyphens
_EDGE_PUNCTUATION = ".,;:!?()[]\"'“”‘’"
_DASHES = re.compile(r"^[\s>\-–—:,，.。]+|[\s\-–—:,，]+$")


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


@dataclass(frozen=True)
class _Patterns:
    greeting: re.Pattern
    closing: re.Pattern
    interrogative: str
    request: str
    reason: re.Pattern
    conjunction: str
    opener: re.Pattern
    refers: re.Pattern
    follow_up: re.Pattern
    quantity: re.Pattern
    contact: re.Pattern
    acknowledgement: re.Pattern
    thanks: re.Pattern
    farewell: re.Pattern
    names: str
    switch: str


@lru_cache(maxsize=8)
def _patterns(prompts_dir: Path, language: str) -> _Patterns:
    data = parse_yaml((prompts_dir / "language" / f"{language}.yaml").read_text(encoding="utf-8"))
    flags = re.IGNORECASE
    return _Patterns(
        greeting=re.compile(data["greeting"], flags),
        closing=re.compile(data["closing"], flags),
        interrogative=data["interrogative"],
        request=data["request"],
        reason=re.compile(data["reason"], flags),
        conjunction=data["conjunction"],
        opener=re.compile(data["opener"], flags),
        refers=re.compile(data["refers"], flags),
        follow_up=re.compile(data["follow_up"], flags),
        quantity=re.compile(data["quantity"], flags),
        contact=re.compile(data["contact"], flags),
        acknowledgement=re.compile(
            rf"^(?:{data['acknowledgement']})(?:{_GAP}(?:{data['acknowledgement']}))*{_GAP}$", flags
        ),
        thanks=re.compile(data["thanks"], flags),
        farewell=re.compile(data["farewell"], flags),
        names=data["names"],
        switch=data["switch"],
    )


@lru_cache(maxsize=16)
def _switch(prompts_dir: Path, framing: str, target: str) -> re.Pattern:
    """A language's way of asking for another language, with that language's names filled in."""
    names = _patterns(prompts_dir, target).names
    return re.compile(_patterns(prompts_dir, framing).switch.replace("{{name}}", names), re.IGNORECASE)


class QuestionReader:
    """Parse messages with the per-language patterns of a prompts folder."""

    def __init__(self, prompts_dir: Path) -> None:
        self.prompts_dir = prompts_dir
        for language in SUPPORTED:
            _patterns(prompts_dir, language)  # fail at start, not on the first message

    def patterns(self, language: str) -> _Patterns:
        """Return the compiled patterns of a language (English for any other)."""
        return _patterns(self.prompts_dir, language if language in SUPPORTED else "en")

    def matchable(self, text: str, language: str) -> str:
        """Return the form patterns are matched on: Spanish without accents, the rest as is."""
        return fold_accents(text) if language == "es" else text

    def read(self, message: str, language: str | None = None) -> Question:
        """Return the question(s) a message asks."""
        text = strip_markup(message)
        language = language or detect_language(text)
        quotes, rest = self._quotes(text)
        core = self.unwrap(rest, language)
        parts = self._parts(core, language) if core else ()
        if not parts and quotes:
            parts = (Part(" ".join(quotes)),)
        return Question(text=text, language=language, core=core, quotes=quotes, parts=parts)

    def unwrap(self, text: str, language: str) -> str:
        """Remove greetings at the start and thanks or a signature at the end."""
        patterns = self.patterns(language)
        english = self.patterns("en")
        # A greeting in any language ("Hola, what's the salary?"); thanks and signatures in its own or English.
        for greeting in dict.fromkeys(self.patterns(lang).greeting for lang in (language, *SUPPORTED)):
            match = greeting.match(self.matchable(text, language))
            if match and match.end() < len(text):
                text = text[match.end() :]
        for pattern in dict.fromkeys((patterns.closing, english.closing)):
            match = pattern.search(self.matchable(text, language))
            if match and match.start() > 0:
                text = text[: match.start()]
        return _DASHES.sub("", text).strip()

    def is_acknowledgement(self, text: str, language: str) -> bool:
        """Tell whether a message only greets, thanks or acknowledges (asks nothing).

        A message this short is often too short to tell its language ("genial"),
        so every supported language's words are tried.
        """
        stripped = trim_symbols(text)
        if not any(ch.isalnum() for ch in stripped):
            return True  # empty, punctuation or emoji only
        for lang in dict.fromkeys((language, *SUPPORTED)):
            patterns = self.patterns(lang)
            candidate = self.matchable(stripped, lang)
            closing = patterns.closing.search(candidate)
            if closing:
                candidate = _DASHES.sub("", candidate[: closing.start()]).strip()
                if not candidate:
                    return True
            if patterns.acknowledgement.match(candidate):
                return True
            greeting = patterns.greeting.match(candidate)
            if greeting and greeting.end() >= len(candidate.rstrip()):
                return True
        return False

    def framing_language(self, text: str, preferred: str) -> str | None:
        """Return the language whose own words frame a message too short to detect ("Hola", "cuando empiezo").

        The words tried are greetings and acknowledgements filling the whole
        message, and question or request words opening it; `preferred` (the
        conversation's language) is tried first, so "ok" keeps the conversation's.
        """
        stripped = trim_symbols(text)
        for language in dict.fromkeys((preferred, *SUPPORTED)):
            if language not in SUPPORTED or (language == "zh" and language != preferred):
                continue  # Chinese is told by its characters, but "ok" in a Chinese conversation stays Chinese
            patterns = self.patterns(language)
            candidate = self.matchable(stripped, language).rstrip("?!.")
            greeting = patterns.greeting.match(candidate)
            if (greeting and greeting.end() >= len(candidate)) or patterns.acknowledgement.match(candidate):
                return language
            opening = rf"(?:{patterns.interrogative}|{patterns.request})\b"
            if re.match(opening, candidate.lstrip("¿¡ "), re.IGNORECASE) and len(candidate.split()) > 1:
                return language
        return None

    def requested_language(self, text: str, language: str) -> str | None:
        """Return the language a message asks the last answer in ("in Spanish please", "用中文回答"), if that is all it asks."""
        for framing in dict.fromkeys((language, *SUPPORTED)):
            candidate = self.matchable(text.strip(), framing)
            for target in SUPPORTED:
                if _switch(self.prompts_dir, framing, target).match(candidate):
                    return target
        return None

    def thanks(self, text: str, language: str) -> bool:
        """Tell whether a message says thank you (in its language or in English)."""
        return any(
            self.patterns(lang).thanks.search(self.matchable(text, lang)) for lang in dict.fromkeys((language, "en"))
        )

    def farewell(self, text: str, language: str) -> bool:
        """Tell whether a message says goodbye (in its language or in English); "That's all?" asks instead."""
        return not _QUESTION_MARK.search(text) and any(
            self.patterns(lang).farewell.search(self.matchable(text, lang)) for lang in dict.fromkeys((language, "en"))
        )

    def is_follow_up(self, text: str, language: str) -> bool:
        """Tell whether a message only makes sense with the conversation before it.

        It opens as a follow-up ("And the start dates?", "¿Y el bono?", "那奖金呢？"), has no
        telling word ("Why?"), or points back and is short ("Does that apply to affiliates?").
        """
        patterns = self.patterns(language)
        matchable = self.matchable(text, language)
        terms = len(content_terms(text, language))
        if patterns.follow_up.match(matchable) or terms == 0:
            return True
        return bool(patterns.refers.search(matchable)) and terms <= ANAPHORIC_QUESTION_TERMS

    def stands_alone(self, text: str, language: str) -> bool:
        """Tell whether a short question can do without the one before it ("… Benefits?", "… when can I start?").

        One that points back ("is it paid?", "¿eso es pagado?", "它带薪吗？") or
        asks an amount of what came before ("how long?", "多少天？") leans on it.
        """
        matchable = self.matchable(text, language)
        return not self.patterns(language).refers.search(matchable) and not self.asks_quantity(text, language)

    def asks_quantity(self, text: str, language: str) -> bool:
        """Tell whether a question asks for an amount, a count or a duration."""
        return bool(self.patterns(language).quantity.search(self.matchable(text, language)))

    def asks_contact(self, text: str, language: str) -> bool:
        """Tell whether a question asks whom or how to contact."""
        return bool(self.patterns(language).contact.search(self.matchable(text, language)))

    def _quotes(self, text: str) -> tuple[tuple[str, ...], str]:
        """Take out quoted passages long enough to be lines of the posting."""
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
        sentences = [without_list_marker(_DASHES.sub("", s)).strip() for s in _SENTENCES.split(core) if s]
        if language == "zh":
            sentences = [p.strip() for s in sentences for p in _ZH_QUESTION_END.split(s) if p.strip()]
        sentences = [s for s in sentences if any(ch.isalnum() for ch in s)]
        joined = [self._without_opener(s, language) != s for s in sentences]
        sentences = [self._without_opener(s, language) for s in sentences]
        asked = [
            s
            for i, s in enumerate(sentences)
            if self.is_question(s, language) or (i and joined[i] and self._requests(sentences[i - 1], language))
        ]  # "Dime el salario. Luego las fechas de inicio.": the second request is the first one's, elided
        if len(asked) <= 1:
            question = asked[0] if asked else sentences[-1] if sentences else core
            context = " ".join(s for s in sentences if s is not question)
            return tuple(Part(p, context) for p in self._split_clauses(question, language))
        parts = [p for s in asked for p in self._split_clauses(s, language)]
        return tuple(Part(p) for p in parts[:MAX_PARTS])

    def _without_opener(self, sentence: str, language: str) -> str:
        """Drop the word that joins a question to the one before it ("And do you…" -> "do you…")."""
        mark = len(sentence) - len(sentence.lstrip("¿¡ "))  # "¿Y hay bonos?" keeps its "¿"
        opener = self.patterns(language).opener.match(self.matchable(sentence[mark:], language))
        rest = sentence[:mark] + sentence[mark + opener.end() :] if opener else sentence
        return rest if any(ch.isalnum() for ch in rest) else sentence

    def without_request(self, text: str, language: str) -> str:
        """Drop the words that make a question a request ("Tell me about the bonus" -> "about the bonus").

        They frame what is asked and say nothing about the posting, so they are not scored.
        """
        mark = len(text) - len(text.lstrip("¿¡ "))
        end = "" if language == "zh" else r"\b"
        request = re.match(self.patterns(language).request + end, self.matchable(text[mark:], language), re.I)
        rest = text[mark + request.end() :].strip() if request else text
        return rest if any(ch.isalnum() for ch in rest) else text

    def is_question(self, sentence: str, language: str) -> bool:
        """Tell whether a sentence asks: a question mark, a question word, or a request ("Tell me about…")."""
        if _QUESTION_MARK.search(sentence) or sentence.startswith("¿"):
            return True
        patterns = self.patterns(language)
        if language == "zh":  # Chinese asks with particles anywhere in the sentence ("能远程吗")
            return bool(re.search(patterns.interrogative, sentence)) or self._requests(sentence, language)
        opening = rf"\s*{patterns.interrogative}\b"
        return bool(re.match(opening, self.matchable(sentence, language), re.IGNORECASE)) or self._requests(
            sentence, language
        )

    def _requests(self, sentence: str, language: str) -> bool:
        """Tell whether a sentence asks for something by name ("Tell me about the bonus", not "I want to know more")."""
        rest = self.without_request(sentence, language)
        if rest == sentence or self.patterns(language).reason.match(self.matchable(rest, language)):
            return False
        return bool(content_terms(rest, language))

    def _split_clauses(self, sentence: str, language: str) -> list[str]:
        """Split "when can I start and how much does it pay" into its two questions."""
        patterns = self.patterns(language)
        boundary = rf"{patterns.conjunction}(?=(?:¿\s*)?(?:{patterns.interrogative}|{patterns.request})\b)"
        if language == "zh":
            boundary = (
                rf"{_ZH_PARTICLE_END}\s*{patterns.conjunction}?"
                rf"|{patterns.conjunction}(?=\S*{patterns.interrogative}|{patterns.request})"
            )
        matchable = self.matchable(sentence, language)
        end = len(matchable.rstrip())
        cuts = [m for m in re.finditer(boundary, matchable, re.IGNORECASE) if 0 < m.start() < end]
        if not cuts:
            return [sentence.strip()]
        pieces, start = [], 0
        for cut in cuts:
            pieces.append(sentence[start : cut.start()])
            start = cut.end()
        pieces.append(sentence[start:])
        pieces = [_DASHES.sub("", p).strip() for p in pieces]
        # A fragment without a content word ("and so on") stays with its neighbour, and a
        # condition ("if I get rejected, how long ...") is not a question of its own.
        if any(not content_terms(p, language) for p in pieces) or not self.is_question(pieces[0], language):
            return [sentence.strip()]
        return [self._without_opener(p, language) for p in pieces if p]
