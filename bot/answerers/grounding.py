"""Check a generated answer sentence by sentence against the passages it cites.

A sentence reaches the candidate only if it cites a passage the model was
given, every number, date, email address and link in it occurs in the cited
passages (or the question, or today's date), and its content is about those
passages: most of its telling words are in them, or the cited passage is the
one the sentence is semantically nearest to. "$136,800", "136.8k" and
"Jan 15" match "$136800" and "January 15, 2024"; "2.5" does not match "2"
and "5". A sentence that fails is dropped, never repaired.

Whatever it cites, a sentence that asks the candidate something or judges
them (a prediction, a rating, a verdict on their fit) is dropped too, unless
it is a question the posting itself asks ("Status quo? Never."): the
assistant answers from the posting, never asks about disability, pregnancy,
religion or criminal history, and makes no hiring decision (`policy`, the
guards' answer rules). A question grounded in the accommodations passage
("Do you have a disability? [3]") would pass every check above.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.answerers.citations import strip_markers
from bot.answerers.claims import negates, says_posting_is_silent, word_numbers
from bot.answerers.clauses import unsupported_clause
from bot.engine.dates import find_dates
from bot.knowledge.language import detect_language, has_han
from bot.knowledge.text import EMAIL, content_terms, plain_text, words
from bot.knowledge.vocabulary import salience

LEAK_SHINGLE_WORDS = 8
LEXICAL_SUPPORT = 0.5  # share of a sentence's telling words the cited passages must contain
DENIAL_SUPPORT = 0.8  # share of a negated sentence's telling words that makes it a copy of its passage
LISTING_WORDS = 0  # telling words a list line may have besides dates and numbers to borrow a citation
_MARKER = re.compile(r"[\[【]\s*(\d{1,3}(?:\s*[,;，、]\s*\d{1,3})*)\s*[\]】]")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(k|K|m|M|万|千)?(?![A-Za-z0-9_])")
_SPACED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,]\d)")
_NUMERIC_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")  # written in an order a reader must know
# A link written without its scheme: "careers.example.com/accommodations" (a domain, then a path).
_BARE_URL = re.compile(r"(?<![\w@./-])(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/[^\s<>()\[\]\"'，。（）【】、；：！？]*")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]\"'，。（）【】、；：！？]+", re.I)
_MULTIPLIERS = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000, "千": 1_000, "万": 10_000}
_LIST_MARK = re.compile(r"^\s*(?:[-*+•]|\d+[.)])\s+")
_ANSWER_NO = re.compile(r"^\W*(no|nope)\s*[,.!;:]\s*", re.I)  # "No, the role is on site [1]."
_HAN_NEGATION = re.compile(r"[不没无未非]")
_ZH_NEGATION = re.compile(r"不会|不能|不可以|不是|不被|不予|不得|不再|不提供|不接受|不考虑|不需要|不用|没有|无法|未")


def numbers(text: str) -> set[float]:
    """Return the numeric values a text states ("$136,800" and "136.8k" are both 136800, "TWO" is 2)."""
    return set().union(word_numbers(text), *readings(text))


def readings(text: str) -> list[set[float]]:
    """Return what each number written in digits may be: "136.800" is 136.8, or 136800 where dots group thousands."""
    found = []
    for match in _SPACED_THOUSANDS.finditer(text):  # "136 800" in Spanish and French: one number
        found.append({float(re.sub(r"\D", "", match.group()))})
    text = _SPACED_THOUSANDS.sub(" ", text)
    for whole, decimals, suffix in _NUMBER.findall(text):
        scale = _MULTIPLIERS.get(suffix, 1)
        values = {round(float(whole.replace(",", "") + (f".{decimals}" if decimals else "")) * scale, 6)}
        if len(decimals) == 3 and "," not in whole and len(whole) <= 3:
            values.add(float(int(whole + decimals) * scale))
        found.append(values)
    return found


def _link(url: str) -> str:
    """A link as it is compared: no scheme, no "www.", no trailing slash or punctuation, lower case."""
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower())
    return url.rstrip(".,;:!?/")


def unsupported_facts(sentence: str, sources: Iterable[str], today: dt.date, language: str = "en") -> list[str]:
    """Return the numbers, dates, emails and links of a sentence that no source states."""
    text = strip_markers(sentence)
    joined = "\n".join(sources)
    # An address is a fact only whole: "accommodations@bytedance.com" inside "earlycareers.accommodations@…"
    # is another mailbox, and ".../en/legal" inside ".../en/legal/privacy" another page.
    emails = {email.lower().rstrip(".") for email in EMAIL.findall(joined)}
    missing = [email for email in EMAIL.findall(text) if email.lower().rstrip(".") not in emails]
    rest = EMAIL.sub(" ", text)
    addresses = EMAIL.sub(" ", joined)
    links = {_link(url) for url in [*_URL.findall(addresses), *_BARE_URL.findall(addresses)]}
    missing += [url for url in _URL.findall(rest) if _link(url) not in links]
    rest = _URL.sub(" ", rest)
    missing += [url for url in _BARE_URL.findall(rest) if _link(url) not in links]
    rest = _BARE_URL.sub(" ", rest)
    # Dates are read line by line: a list of dates on one line reads as one odd date.
    known_dates = [
        m for source in sources for line in re.split(r"\n|(?<=[.;])\s", source) for m in find_dates(line, today)
    ]
    for mention in find_dates(rest, today, language):
        # "04/03/2024" copied from the posting is the posting's date, whichever order a language reads it in.
        numeric = _NUMERIC_DATE.search(mention.text)
        copied = bool(numeric and re.search(rf"(?<![\w/.-]){re.escape(numeric.group())}(?![\w/-]|\.\d)", joined))
        if not copied and not mention.matches(today) and not any(mention.matches(k.date) for k in known_dates):
            missing.append(mention.text)
        rest = rest.replace(mention.text, " ")
    known_numbers = numbers(joined) | {float(today.year)}  # "as of 2026"; today's day and month are no counts
    missing += [str(min(values)) for values in readings(rest) if not values & known_numbers]
    missing += [str(value) for value in word_numbers(rest) if value not in known_numbers]
    return missing


def _shingles(text: str, size: int = LEAK_SHINGLE_WORDS) -> set[tuple[str, ...]]:
    tokens = words(text)
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def leaked_prompt(answer: str, prompts: Iterable[str], context: Iterable[str]) -> bool:
    """Tell whether the answer repeats a long run of words from a prompt (and not from the context)."""
    prompt_shingles = set().union(*(_shingles(p) for p in prompts))
    prompt_shingles -= set().union(set(), *(_shingles(c) for c in context))
    return bool(_shingles(answer) & prompt_shingles)


def markers(sentence: str) -> list[int]:
    """Return the passage numbers a sentence cites, in order of appearance."""
    return [int(n) for match in _MARKER.finditer(sentence) for n in re.findall(r"\d+", match.group(1))]


def lexical_support(sentence: str, sources: Iterable[str]) -> float:
    """Return the share of a sentence's telling words (weighted by rarity) found in the sources."""
    terms = {t: salience(w) for w in words(strip_markers(sentence)) for t in content_terms(w)}
    if not terms:
        return 1.0
    known = set(content_terms(" ".join(sources)))
    return sum(weight for term, weight in terms.items() if term in known) / sum(terms.values())


@dataclass
class Verdict:
    """What the checks decided for one sentence."""

    sentence: str
    cited: list[int] = field(default_factory=list)
    reason: str | None = None  # None: the sentence may be shown

    @property
    def kept(self) -> bool:
        """Tell whether the sentence passed."""
        return self.reason is None


def _lines(markdown: str) -> str:
    """A passage as plain lines: list marks gone, line breaks kept (they separate facts)."""
    return "\n".join(plain_text(line) for line in markdown.splitlines() if line.strip())


class SentenceChecker:
    """Check sentences of one answer against the numbered passages the model was given."""

    def __init__(
        self,
        passages: list[str],
        allowed: list[str],
        today: dt.date,
        language: str,
        nearest: Callable[[str], set[int]] | None = None,
        policy: Callable[[str], str | None] | None = None,
    ) -> None:
        self.passages = [_lines(p) for p in passages]
        self.allowed = allowed  # question, standalone question: what the candidate said may be repeated
        self.today = today
        self.language = language
        self.nearest = nearest  # passage numbers a sentence is semantically nearest to
        self.policy = policy  # why a sentence may not be shown whatever it cites (Guards.answer_problem), or None

    def check(self, sentence: str) -> Verdict:
        """Return whether a sentence may be shown, and why not."""
        cited = markers(sentence)
        verdict = Verdict(sentence, cited)
        if not strip_markers(sentence):
            verdict.reason = "empty"
        elif (problem := self._policy_problem(sentence)) is not None:
            verdict.reason = problem
        elif not cited:
            verdict.reason = "uncited"
        elif any(not 1 <= n <= len(self.passages) for n in cited):
            verdict.reason = "cites a passage it was not given"
        else:
            sources = [self.passages[n - 1] for n in dict.fromkeys(cited)]
            if unsupported_facts(sentence, [*sources, *self.allowed], self.today, self.language):
                verdict.reason = "unsupported facts"
            elif self._denies(sentence, sources):
                verdict.reason = "denies what the cited passage says"
            elif not self._about(sentence, sources, cited):
                verdict.reason = "not supported by the cited passage"
            elif self._in_english(sentence) and unsupported_clause(sentence, sources, self.allowed, self.today):
                verdict.reason = "a clause is not supported by the cited passage"
        return verdict

    def _policy_problem(self, sentence: str) -> str | None:
        """Return why the answer rules refuse a sentence; a question the posting itself asks may be quoted."""
        problem = self.policy(strip_markers(sentence)) if self.policy else None
        if problem == "asks the candidate" and self._quotes_a_passage(sentence):
            return None  # "Status quo? Never." is the posting's voice, not a question to the candidate
        return problem

    def lists_only(self, line: str) -> bool:
        """Tell whether a line says nothing of its own: a passage's words, or only a date or number.

        Such a line ("- January 15, 2024") may take the citation of the list
        line after it; a line that claims anything ("- Any date after March 4",
        "- 17 sick days", "- Free lunch") must cite for itself.
        """
        text = _LIST_MARK.sub("", strip_markers(line)).strip()
        if self._quotes_a_passage(text):
            return True
        for mention in find_dates(text, self.today, self.language):
            text = text.replace(mention.text, " ")
        return len(content_terms(_NUMBER.sub(" ", text))) <= LISTING_WORDS

    def _quotes_a_passage(self, sentence: str) -> bool:
        """Tell whether a sentence is the posting's own words, markup aside."""
        text = " ".join(plain_text(strip_markers(sentence)).split()).lower()
        return bool(text) and any(text in " ".join(p.split()).lower() for p in self.passages)

    def _denies(self, sentence: str, sources: list[str]) -> bool:
        """Tell whether a sentence denies something its passages only affirm ("will not be considered").

        A negated English sentence passes only on its words, and not when it is
        nearly the passage's own words with a "not" added: "It is not fully
        remote; it is hybrid" is an ordinary answer, "People with a record can't
        be hired here", near the fair-chance passage in meaning only, is not. In
        Spanish and Chinese no word measure tells them apart, so a denial needs
        a "not" in the passage. Saying that the posting is silent, or that the
        candidate's own date or figure is not in it ("April 2024 is not one of
        the dates"), denies nothing; an opening "No," is no claim either.
        """
        text = _ANSWER_NO.sub("", strip_markers(sentence))
        if not (negates(text) or _ZH_NEGATION.search(text)) or says_posting_is_silent(text):
            return False
        if any(negates(source) or _HAN_NEGATION.search(source) for source in sources):
            return False
        asked = [m for text_ in self.allowed for m in find_dates(text_, self.today, self.language)]
        if any(
            m.matches(a.date) or a.matches(m.date) for m in find_dates(text, self.today, self.language) for a in asked
        ):
            return False
        if numbers(text) & numbers(" ".join(self.allowed)):
            return False
        if has_han(text) or self.language != "en":
            return True  # no word measure tells a denial from an answer: only the passage's own "not" is safe
        support = lexical_support(text, sources)
        return support >= DENIAL_SUPPORT or support < LEXICAL_SUPPORT  # a near copy, or vouched for by meaning only

    @staticmethod
    def _in_english(sentence: str) -> bool:
        """Tell whether a sentence is English, whatever the candidate's language: it is checked clause by clause.

        A Spanish or Chinese answer about an English passage shares no words
        with it, and is checked by meaning.
        """
        return not has_han(sentence) and detect_language(strip_markers(sentence)) == "en"

    def _about(self, sentence: str, sources: list[str], cited: list[int]) -> bool:
        english = not has_han(sentence) and self.language == "en"
        words_only = strip_markers(sentence)
        for mention in find_dates(words_only, self.today, self.language):  # already checked as facts
            words_only = words_only.replace(mention.text, " ")
        if english and lexical_support(_NUMBER.sub(" ", words_only), sources) >= LEXICAL_SUPPORT:
            return True
        return bool(self.nearest and self.nearest(strip_markers(sentence)) & set(cited))
