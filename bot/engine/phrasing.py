"""Each language's words for how candidates frame a message, read from prompts/language/<lang>.yaml.

Greetings, thanks and goodbyes, question and request words, follow-up
words, and the names of languages: the question reader (bot.engine.question)
and the pipeline ask these whether a message asks anything, what it asks
for, and which language it is in when it is too short to detect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.knowledge.language import SUPPORTED, fold_accents, tokenize
from bot.knowledge.text import content_terms, trim_symbols
from bot.yamlfile import parse_yaml

ANAPHORIC_QUESTION_TERMS = 3  # "does that apply to affiliates" leans on context; longer ones rarely do
QUESTION_MARK = re.compile(r"[?？]")
_GAP = r"[\s,，.。!！?？~～:;)(、👍👌🙏😊🙂]*"
DASHES = re.compile(r"^[\s>\-–—:,，.。]+|[\s\-–—:,，]+$")


@dataclass(frozen=True)
class _Patterns:
    """A language's patterns and fixed words, one field per key of its file."""

    greeting: re.Pattern
    closing: re.Pattern
    interrogative: str
    open_question: str
    request: str
    reason: re.Pattern
    conjunction: str
    pair: re.Pattern
    options: re.Pattern
    determiner: str
    about: str
    opener: str
    refers: re.Pattern
    follow_up: re.Pattern
    quantity: re.Pattern
    money: re.Pattern
    measure: re.Pattern
    contact: re.Pattern
    about_role: re.Pattern
    role_question: str
    about_company: re.Pattern
    company_question: str
    company_noun: str
    job_word: str
    company_heading: re.Pattern
    job_noun: re.Pattern
    acknowledgement: re.Pattern
    thanks: re.Pattern
    farewell: re.Pattern
    names: str
    switch: str
    short_switch: str
    about_language: re.Pattern


@lru_cache(maxsize=8)
def _patterns(prompts_dir: Path, language: str) -> _Patterns:
    """Read a language's file: each field typed `re.Pattern` is compiled, the others are kept as written."""
    data = parse_yaml((prompts_dir / "language" / f"{language}.yaml").read_text(encoding="utf-8"))
    ack = data["acknowledgement"]
    data["acknowledgement"] = rf"^(?:{ack})(?:{_GAP}(?:{ack}))*{_GAP}$"  # "ok thanks 👍": any run of them
    values: dict[str, Any] = {
        field.name: re.compile(data[field.name], re.IGNORECASE) if field.type == "re.Pattern" else data[field.name]
        for field in fields(_Patterns)
    }
    return _Patterns(**values)


@lru_cache(maxsize=32)
def _switch(prompts_dir: Path, framing: str, target: str, short: bool = False) -> re.Pattern:
    """A language's way of asking for another language (or its short way), with that language's names filled in."""
    names = _patterns(prompts_dir, target).names
    patterns = _patterns(prompts_dir, framing)
    return re.compile((patterns.short_switch if short else patterns.switch).replace("{{name}}", names), re.IGNORECASE)


def _drop_measure(match: re.Match) -> str:
    """Replace a measure word with a space; of a match with a group named `word`, only that group."""
    if "word" not in match.re.groupindex or match.group("word") is None:
        return " "
    start, end = (i - match.start() for i in match.span("word"))
    return f"{match.group(0)[:start]} {match.group(0)[end:]}"


class Phrasing:
    """Ask a prompts folder's per-language patterns about a message."""

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
                candidate = DASHES.sub("", candidate[: closing.start()]).strip()
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

    def requested_language(self, text: str, language: str, earlier: str = "") -> str | None:
        """Return the language a message asks the last answer in ("in Spanish please", "用中文回答"), if that is all it asks.

        The short forms ("in Spanish?", "¿en chino?") ask a question instead after one about
        languages ("Is the interview in English?"), so they count only when `earlier` names none.
        """
        short = not self.about_language(earlier)
        for framing in dict.fromkeys((language, *SUPPORTED)):
            candidate = self.matchable(text.strip(), framing)
            for target in SUPPORTED:
                if _switch(self.prompts_dir, framing, target).match(candidate) or (
                    short and _switch(self.prompts_dir, framing, target, short=True).match(candidate)
                ):
                    return target
        return None

    def about_language(self, text: str) -> bool:
        """Tell whether a text names a language served ("English", "西班牙语") or asks about languages."""
        folded = fold_accents(text)
        return any(
            re.search(rf"(?<![a-z]){self.patterns(lang).names}(?![a-z])", folded, re.IGNORECASE)
            or self.patterns(lang).about_language.search(folded)
            for lang in SUPPORTED
        )

    def only_frames(self, text: str, language: str, earlier: str = "") -> bool:
        """Tell whether a message asks nothing of the posting: thanks, a greeting, a request for another language.

        `earlier` is the question before it, which tells a short request ("and in Spanish?") from a question.
        """
        return self.is_acknowledgement(text, language) or self.requested_language(text, language, earlier) is not None

    def thanks(self, text: str, language: str) -> bool:
        """Tell whether a message says thank you (in its language or in English)."""
        return any(self.patterns(lang).thanks.search(self.matchable(text, lang)) for lang in (language, "en"))

    def farewell(self, text: str, language: str) -> bool:
        """Tell whether a message says goodbye (in its language or in English); "That's all?" asks instead."""
        said = any(self.patterns(lang).farewell.search(self.matchable(text, lang)) for lang in (language, "en"))
        return said and not QUESTION_MARK.search(text)

    def is_follow_up(self, text: str, language: str) -> bool:
        """Tell whether a message only makes sense with the conversation before it.

        It opens as a follow-up ("And the start dates?", "¿Y el bono?", "那奖金呢？"), has no
        telling word ("Why?"), or points back and is short ("Does that apply to affiliates?").
        """
        patterns = self.patterns(language)
        matchable = self.matchable(text, language)
        terms = len(content_terms(self.topic_words(text, language), language))
        if patterns.follow_up.match(matchable) or terms == 0:
            return True
        return bool(patterns.refers.search(matchable)) and terms <= ANAPHORIC_QUESTION_TERMS

    def topic_words(self, text: str, language: str) -> str:
        """Return a question's words without its question words ("¿qué pongo en el asunto?" -> "pongo en el asunto").

        Spanish and Chinese have no stopword list, and "qué", "cuánto" and "多少" are rare enough to pass for topics.
        The word an amount is measured in goes too: "How often?" after a question is a follow-up to it.
        """
        asking = re.compile(self.patterns(language).interrogative, re.IGNORECASE)
        words = tokenize(self.without_measure(text, language))
        return " ".join(w for w in words if not asking.fullmatch(self.matchable(w, language)))

    def stands_alone(self, text: str, language: str) -> bool:
        """Tell whether a short question can do without the one before it ("… Benefits?", "… when can I start?").

        One that points back ("is it paid?", "¿eso es pagado?", "它带薪吗？") or
        asks an amount of what came before ("how long?", "多少天？") leans on it.
        """
        matchable = self.matchable(text, language)
        return not self.patterns(language).refers.search(matchable) and not self.asks_quantity(text, language)

    def offers_options(self, sentence: str, language: str) -> bool:
        """Tell whether a sentence only offers answers to the question before it ("Day one or after a waiting period?").

        It names options and neither opens with a question word nor requests anything: "Is it paid or unpaid?"
        asks for itself.
        """
        patterns = self.patterns(language)
        matchable = self.matchable(sentence, language)
        if not patterns.options.search(matchable) or self.requests_something(sentence, language):
            return False
        if language == "zh":  # Chinese asks with particles anywhere in the sentence
            return not re.search(patterns.interrogative, matchable)
        return not re.match(rf"\s*{patterns.interrogative}\b", matchable, re.IGNORECASE)

    def asks_quantity(self, text: str, language: str) -> bool:
        """Tell whether a question asks for an amount, a count or a duration."""
        return bool(self.patterns(language).quantity.search(self.matchable(text, language)))

    def asks_money(self, text: str, language: str) -> bool:
        """Tell whether a question asks for an amount of money ("How much do you pay for it?")."""
        return bool(self.patterns(language).money.search(self.matchable(text, language)))

    def without_measure(self, text: str, language: str) -> str:
        """Drop the word that only names what an amount is measured in ("how long" -> "how").

        "How long until I hear back?" is about hearing back: "long" would find
        "long-term disability" instead.
        """
        return " ".join(self.patterns(language).measure.sub(_drop_measure, text).split())

    def asks_contact(self, text: str, language: str) -> bool:
        """Tell whether a question asks whom or how to contact."""
        return bool(self.patterns(language).contact.search(self.matchable(text, language)))

    def drop_lead(self, text: str, pattern: str, language: str) -> str:
        """Drop what a pattern matches at the start of a text, after any "¿" or "¡" ("¿Y hay bonos?" -> "¿hay bonos?").

        A text that would be left without a word is returned whole.
        """
        mark = len(text) - len(text.lstrip("¿¡ "))
        lead = re.match(pattern, self.matchable(text[mark:], language), re.IGNORECASE)
        rest = text[:mark] + text[mark + lead.end() :].lstrip() if lead else text
        return rest if any(ch.isalnum() for ch in rest) else text

    def without_request(self, text: str, language: str) -> str:
        """Drop the words that make a question a request ("Tell me about the bonus" -> "about the bonus").

        They frame what is asked and say nothing about the posting, so they are not scored.
        """
        end = "" if language == "zh" else r"\b"
        return self.drop_lead(text.strip(), self.patterns(language).request + end, language)

    def is_question(self, sentence: str, language: str) -> bool:
        """Tell whether a sentence asks: a question mark, a question word, or a request ("Tell me about…")."""
        if QUESTION_MARK.search(sentence) or sentence.startswith("¿"):
            return True
        patterns = self.patterns(language)
        if language == "zh":  # Chinese asks with particles anywhere in the sentence ("能远程吗")
            return bool(re.search(patterns.interrogative, sentence)) or self.requests_something(sentence, language)
        opening = rf"\s*{patterns.interrogative}\b"
        return bool(re.match(opening, self.matchable(sentence, language), re.IGNORECASE)) or self.requests_something(
            sentence, language
        )

    def asks_for_fact(self, text: str, language: str) -> bool:
        """Tell whether a text asks for a fact by a question word ("When could I start?"), not for a yes or no."""
        patterns = self.patterns(language)
        if language == "zh":
            return bool(re.search(patterns.open_question, text))
        clause = rf"(?:^|[,;:.!?¿]\s*){patterns.open_question}\b"
        return bool(re.search(clause, self.matchable(text, language).strip(), re.IGNORECASE))

    def requests_something(self, sentence: str, language: str) -> bool:
        """Tell whether a sentence asks for something by name ("Tell me about the bonus", not "I want to know more")."""
        rest = self.without_request(sentence, language)
        if rest == sentence or self.patterns(language).reason.match(self.matchable(rest, language)):
            return False
        return bool(content_terms(rest, language))
