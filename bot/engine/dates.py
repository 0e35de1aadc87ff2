"""Find dates in questions and knowledge text, and compare them.

English and Spanish use dateparser, which understands "April 2024", "the
3rd of March", "mayo de 2024", "2024-05-20" and "next month". What it cannot
tell us is how precise a mention is, so the precision (year, month, day) is
read off the matched text. Chinese is parsed by bot.engine.dates_zh: dateparser reads
"2024年4月" as the year 2 and "4月" as July.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from dateparser.search import search_dates

from bot.engine.dates_zh import chinese_dates
from bot.knowledge.language import fold_accents

_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    "august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
    "septiembre|setiembre|octubre|noviembre|diciembre"
)
_DATE_HINT = re.compile(
    rf"\b({_MONTHS})\b|\d{{1,4}}[-/.]\d{{1,2}}|\b(next|this|last) (month|year|week)\b|"
    r"\b(proximo|siguiente|este) (mes|ano)\b|\bmes que viene\b",
    re.I,
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
MIN_YEAR, MAX_YEAR = 1900, 2099  # the years a candidate's date can fall in
_NOT_A_YEAR = re.compile(r"\b\d{3,}\b(?![:.]\d)")
_DAY = re.compile(r"\b(\d{1,2})(st|nd|rd|th)?\b")
_NUMERIC = re.compile(r"\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?")
_NUMERIC_WITH_YEAR = re.compile(r"\d{4}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_BEFORE = re.compile(r"\bbefore\b", re.I)
_RELATIVE = re.compile(r"\b(next|this|last|proximo|siguiente|este|que viene)\b", re.I)
_LEADING_WORDS = re.compile(
    r"^(in|on|at|by|from|for|of|the|around|before|after|until|en|el|de|para|a partir del?)\s+", re.I
)
# Spanish relative phrases dateparser does not know, said in words it does.
_SPANISH_RELATIVE = ((re.compile(r"\b(el )?mes que viene\b|\b(el )?(proximo|siguiente) mes\b", re.I), "next month"),)

_ES_MONTHS = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


Direction = Literal["on", "after", "from", "before", "by"]

# The words that turn a date into a bound, matched on accent-folded lower-case text: before the date in
# English and Spanish ("no later than May"), after it in Chinese ("5月以后"). Inclusive bounds come first,
# so "not before May" is a start, not an end.
_BOUND_BEFORE: dict[str, tuple[tuple[Direction, str], ...]] = {
    "en": (
        ("from", r"\b(?:from|starting|beginning|as of|no earlier than|not before)\s+(?:the\s+)?$"),
        ("by", r"\b(?:by|no later than|not after)\s+(?:the\s+)?$"),
        ("after", r"\b(?:after|later than|past)\s+(?:the\s+)?$"),
        ("before", r"\b(?:before|earlier than|prior to|sooner than)\s+(?:the\s+)?$"),
    ),
    "es": (
        ("from", r"\b(?:a partir|desde)(?:\s+(?:de|del|el))?\s+$"),
        ("by", r"\bpara(?:\s+(?:el|finales de))?\s+$"),
        ("after", r"\b(?:despues|mas tarde)\s+(?:de|del)\s+$"),
        ("before", r"\bantes\s+(?:de|del)\s+$"),
    ),
}
_BOUND_AFTER_ZH: tuple[tuple[Direction, str], ...] = (
    ("from", r"^\s*(?:起|开始)"),
    ("by", r"^\s*(?:为止|之内)"),
    ("after", r"^\s*(?:以后|之后|后)"),
    ("before", r"^\s*(?:以前|之前|前)"),
)
# "I graduate in May 2024. Is there a start date after that?": the bound refers back to a date said before.
_BOUND_BACK: dict[str, tuple[tuple[Direction, str], ...]] = {
    "en": (
        ("after", r"\b(?:after|later than) (?:that|then)\b"),
        ("before", r"\b(?:before|earlier than) (?:that|then)\b"),
    ),
    "es": (("after", r"\b(?:despues|mas tarde) de (?:eso|esa fecha)\b"), ("before", r"\bantes de (?:eso|esa fecha)\b")),
    "zh": (("after", r"(?:那|这)(?:之后|以后)|^(?:之后|以后)"), ("before", r"(?:那|这)(?:之前|以前)")),
}


@dataclass(frozen=True)
class DateMention:
    """A date found in text, with how precisely it was stated."""

    text: str
    date: dt.date
    has_year: bool
    has_day: bool
    plausible: bool = True  # False: a number beside it looked like a year no candidate means ("4096 Jan 1")
    direction: Direction = "on"  # "after June", "from March", "before May", "by April"

    def matches(self, other: dt.date) -> bool:
        """Tell whether a concrete date falls within this mention."""
        if self.date.month != other.month:
            return False
        if self.has_year and self.date.year != other.year:
            return False
        return not self.has_day or self.date.day == other.day

    def describe(self, language: str = "en") -> str:
        """Render the mention at the precision it was given, in a language."""
        d = self.date
        if language == "zh":
            text = (f"{d.year}年" if self.has_year else "") + f"{d.month}月"
            return text + (f"{d.day}日" if self.has_day else "")
        if language == "es":
            text = (f"{d.day} de " if self.has_day else "") + _ES_MONTHS[d.month - 1]
            return text + (f" de {d.year}" if self.has_year else "")
        if self.has_day:
            return d.strftime("%B %-d, %Y") if self.has_year else d.strftime("%B %-d")
        return d.strftime("%B %Y") if self.has_year else d.strftime("%B")


def describe_date(date: dt.date, language: str = "en") -> str:
    """Render a full date in a language."""
    return DateMention("", date, True, True).describe(language)


@lru_cache(maxsize=4096)
def _this_year(date: dt.date, today: dt.date) -> dt.date:
    """Return a date's day and month in today's year (29 February becomes the 28th)."""
    return dt.date(today.year, date.month, min(date.day, 28) if date.month == 2 else date.day)


def find_dates(text: str, today: dt.date, language: str = "en") -> tuple[DateMention, ...]:
    """Return the dates mentioned in a text, each with the bound a question puts on it ("after June")."""
    if language == "zh" or "月" in text:
        found_zh = tuple(DateMention(*found) for found in chinese_dates(text, today))
        if found_zh or language == "zh":
            return _bounded(found_zh, text, "zh")
    return _bounded(_latin_dates(text, today, language), text, language)


def referred_dates(question: str, context: str, today: dt.date, language: str) -> tuple[DateMention, ...]:
    """Return the dates a question points back to ("I graduate in May. Any start date after that?"), bounded.

    The dates may be in the question itself or in what came before it; a question without such words gets none.
    """
    folded = fold_accents(question).lower()
    direction = next((d for d, pattern in _BOUND_BACK.get(language, ()) if re.search(pattern, folded)), None)
    if direction is None:
        return ()
    said = find_dates(f"{context} {question}".strip(), today, language)
    return tuple(replace(m, direction=direction) if m.direction == "on" else m for m in said)


def _bounded(mentions: tuple[DateMention, ...], text: str, language: str) -> tuple[DateMention, ...]:
    """Read the bound each mention is given by the words around it ("no later than May 2024")."""
    folded = fold_accents(text).lower()
    result = []
    for mention in mentions:
        at = folded.find(fold_accents(mention.text).lower())
        if at < 0:
            result.append(mention)
            continue
        if language == "zh":
            rules, probe = _BOUND_AFTER_ZH, folded[at + len(mention.text) :]
        else:
            lead = _LEADING_WORDS.match(mention.text)  # "after June 2024": the bound is inside the match
            rules, probe = _BOUND_BEFORE.get(language, _BOUND_BEFORE["en"]), folded[: at + (lead.end() if lead else 0)]
        direction: Direction = next((d for d, pattern in rules if re.search(pattern, probe)), "on")
        result.append(replace(mention, direction=direction))
    return tuple(result)


def _latin_dates(text: str, today: dt.date, language: str) -> tuple[DateMention, ...]:
    """Find English and Spanish dates with dateparser."""
    originals: dict[str, str] = {}
    if language == "es":
        for pattern, replacement in _SPANISH_RELATIVE:
            match = pattern.search(fold_accents(text))
            if match:
                originals[replacement] = text[match.start() : match.end()]
                text = text[: match.start()] + replacement + text[match.end() :]
    if not _DATE_HINT.search(fold_accents(text)):
        return ()
    found = (
        search_dates(
            _BEFORE.sub("prior to", text),  # dateparser reads "before February 2024" as February of this year
            languages=list(dict.fromkeys((language if language in ("en", "es") else "en", "en"))),
            settings={
                "PREFER_DAY_OF_MONTH": "first",
                "DATE_ORDER": "DMY" if language == "es" else "MDY",  # "4/3/2024" is 4 March in Spanish
                "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
                "RETURN_AS_TIMEZONE_AWARE": False,
            },
        )
        or []
    )
    mentions = []
    for matched, when in found:
        core = _LEADING_WORDS.sub("", matched.strip())
        # "May I ..." and "I may ..." are the verb, not the month.
        if core.lower() == "may" and not _LEADING_WORDS.match(matched.strip()):
            continue
        if not _DATE_HINT.search(core):
            continue
        plausible = MIN_YEAR <= when.year <= MAX_YEAR  # "June 1, 3000 km" and "4096 Jan 1" name no year
        relative = bool(_RELATIVE.search(core))
        numeric = bool(_NUMERIC.search(core))
        without_year = _YEAR.sub("", core)
        said = originals.get(matched.strip(), matched.strip())
        if not plausible:
            said = _NOT_A_YEAR.sub("", said).strip(" ,")  # the number is a size or a distance: leave it in the text
        mentions.append(
            DateMention(
                text=said,
                date=when.date() if plausible else _this_year(when.date(), today),
                has_year=plausible and (relative or bool(_NUMERIC_WITH_YEAR.search(core) or _YEAR.search(core))),
                has_day=numeric or bool(_DAY.search(without_year)),
                plausible=plausible,
            )
        )
    return tuple(mentions)


# A list item is "a date" when it opens with the date ("Monday 7 July 2031 (night shift)") or the
# date is most of it, not when a sentence happens to name one ("We reply by 4 August 2031").
DATE_ITEM_SHARE = 0.6
DATE_ITEM_OPENING_WORDS = 1  # words before the date, room for a weekday
_WORD = re.compile(r"\w+")


def unit_date(text: str, today: dt.date, language: str = "en") -> dt.date | None:
    """Return the date a list item states, when the item is essentially a date."""
    mentions = find_dates(text, today, language)
    if len(mentions) != 1 or not (mentions[0].has_day and mentions[0].has_year):
        return None
    mention = mentions[0].text
    start = text.find(mention)
    opens = start >= 0 and len(_WORD.findall(text[:start])) <= DATE_ITEM_OPENING_WORDS
    share = len(_LEADING_WORDS.sub("", mention)) / max(len(text.strip().rstrip(".;")), 1)  # "by 4 May": the date
    return mentions[0].date if opens or share >= DATE_ITEM_SHARE else None
