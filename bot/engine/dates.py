"""Find dates in questions and knowledge text, and compare them.

English and Spanish use dateparser, which understands "April 2024", "the
3rd of March", "mayo de 2024", "2024-05-20" and "next month". What it cannot
tell us is how precise a mention is, so the precision (year, month, day) is
read off the matched text, and what it misreads ("May I", "October-December")
is put right by bot.engine.dates_latin. Chinese is parsed by bot.engine.dates_zh:
dateparser reads "2024年4月" as the year 2 and "4月" as July. Bounds ("after
June") are read by bot.engine.date_bounds, ranges in questions by bot.engine.date_ranges.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from dateparser.search import search_dates

from bot.engine.date_bounds import Direction, back_reference, bound
from bot.engine.date_lists import with_shared_years
from bot.engine.date_ranges import ranges
from bot.engine.dates_latin import (
    MONTHS,
    SPANISH_MONTHS,
    before_next,
    dotted_dates,
    for_dateparser,
    may_is_the_month,
    with_years,
)
from bot.engine.dates_zh import chinese_dates
from bot.engine.month_parts import PARTS, WORDING, with_month_parts
from bot.knowledge.language import fold_accents

_AFTER_A_YEAR = re.compile(
    r"(?<=\b\d{4})\s*(?:[,;]|\band\b|\bor\b|\by\b|\bo\b)\s*(?=\d{1,2}\b|[^\W\d_]{3,9}\.?\s+\d{1,2}\b)"
)
_DATE_HINT = re.compile(
    rf"\b({MONTHS})\b|\d{{1,4}}[-/.]\d{{1,2}}|\b(next|this|last) (month|year|week)\b|"
    r"\b(proximo|siguiente|este) (mes|ano)\b|\bmes que viene\b",
    re.I,
)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
MIN_YEAR, MAX_YEAR = 1900, 2099  # the years a candidate's date can fall in
_NOT_A_YEAR = re.compile(r"\b\d{3,}\b(?![:.]\d)")
_DAY = re.compile(r"\b(\d{1,2})(st|nd|rd|th)?\b")
_NUMERIC = re.compile(r"\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?")
_NUMERIC_WITH_YEAR = re.compile(r"\d{4}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_RELATIVE = re.compile(r"\b(next|this|last|proximo|siguiente|este|que viene)\b", re.I)
_JOINING_WORD = re.compile(r"^(?:and|or|y|o|e|u)\s+|\s+(?:and|or|y|o|e|u)$", re.I)  # "and 4 May 2027", "1 de … y"
_LEADING_WORDS = re.compile(
    r"^(in|on|at|by|from|for|of|the|around|before|after|until|en|el|del?|para|a partir del?)\s+", re.I
)
# Spanish relative phrases dateparser does not know, said in words it does.
_SPANISH_RELATIVE = ((re.compile(r"\b(el )?mes que viene\b|\b(el )?(proximo|siguiente) mes\b", re.I), "next month"),)


@dataclass(frozen=True)
class DateMention:
    """A date found in text, with how precisely it was stated."""

    text: str
    date: dt.date
    has_year: bool
    has_day: bool
    plausible: bool = True  # False: a number beside it looked like a year no candidate means ("4096 Jan 1")
    direction: Direction = "on"  # "after June", "from March", "before May", "by April", "between March and June"
    end: DateMention | None = None  # the last date of a range ("June" in "between March and June")
    part: str | None = None  # "early", "mid" or "late" in a month without a day ("mid-January")

    @property
    def written(self) -> str:
        """Return the date as the text writes it, without the words beside it ("on 7 July 2031" -> "7 July 2031")."""
        return _LEADING_WORDS.sub("", _JOINING_WORD.sub("", self.text.strip(" ,;.")))

    def matches(self, other: dt.date) -> bool:
        """Tell whether a concrete date falls within this mention."""
        if self.date.month != other.month:
            return False
        if self.has_year and self.date.year != other.year:
            return False
        if self.part and not self.has_day:
            first, last = PARTS[self.part]
            return first <= other.day <= last
        return not self.has_day or self.date.day == other.day

    def period(self) -> tuple[dt.date, dt.date]:
        """Return the first and last day the mention covers (to the end of its range's last date)."""
        if self.end is not None:
            return self._own_period()[0], self.end.period()[1]
        return self._own_period()

    def _own_period(self) -> tuple[dt.date, dt.date]:
        if self.has_day:
            return self.date, self.date
        first, last = PARTS[self.part] if self.part else (1, 31)
        days = calendar.monthrange(self.date.year, self.date.month)[1]
        return self.date.replace(day=first), self.date.replace(day=min(last, days))

    def anchored(self, listed: list[dt.date], today: dt.date | None = None) -> DateMention:
        """Give a mention without a year a year: a month to come when dates are still to come, else the listed one.

        With dates to come, it is the coming such month nearest them; when every
        listed date has passed, it is the year of the listed dates nearest to it,
        which the reply then says are past. A range's end follows its start.
        """
        if self.has_year or not listed:
            return self
        upcoming = today is not None and max(listed) >= today
        if self.end is not None:
            if upcoming and not self.end.has_year:  # "between May and July" on 1 June: the July to come, May before it
                end = self.end.anchored(listed, today)
                return replace(replace(self, end=None).in_year_to(end), end=end)
            start = replace(self, end=None).anchored(listed, today)
            return replace(start, end=self.end.in_year_from(start))
        month = self.date.month
        if today is not None and upcoming:
            # The month to come nearest the dates to come: "June" is June 2031 for a posting that lists June and
            # July 2031, seen in 2026, and "March" on 1 June 2031 is March 2032, not the March just gone.
            to_come = [d for d in listed if d >= today]
            first = today.year + (month < today.month)
            return self.in_year(
                min(
                    range(first, max(to_come).year + 2),
                    key=lambda y: min(abs((dt.date(y, month, 1) - d).days) for d in to_come),
                )
            )
        year = min(
            sorted({d.year for d in listed}), key=lambda y: min(abs((dt.date(y, month, 1) - d).days) for d in listed)
        )
        # Clamp the day: February 29 has no place in most years.
        day = min(self.date.day, calendar.monthrange(year, month)[1]) if self.has_day else 1
        return replace(self, date=dt.date(year, month, day), has_year=True)

    def in_year_from(self, start: DateMention) -> DateMention:
        """Give the end of a range without a year the first year that puts it on or after its start."""
        if self.has_year or not start.has_year:
            return self
        return self.in_year(start.date.year + (self.date.month < start.date.month))

    def in_year_to(self, end: DateMention) -> DateMention:
        """Give the start of a range without a year the last year that puts it on or before its end."""
        if self.has_year or not end.has_year:
            return self
        return self.in_year(end.date.year - (self.date.month > end.date.month))

    def in_year(self, year: int) -> DateMention:
        """Move the mention to a year, which it then states."""
        day = min(self.date.day, calendar.monthrange(year, self.date.month)[1])  # 29 February
        return replace(self, date=dt.date(year, self.date.month, day), has_year=True)

    def describe(self, language: str = "en") -> str:
        """Render the mention at the precision it was given, in a language ("mid-January 2027")."""
        if self.part and not self.has_day:
            month = replace(self, part=None).describe(language)
            return WORDING.get(language, WORDING["en"])[self.part].format(month=month)
        d = self.date
        if language == "zh":
            text = (f"{d.year}年" if self.has_year else "") + f"{d.month}月"
            return text + (f"{d.day}日" if self.has_day else "")
        if language == "es":
            text = (f"{d.day} de " if self.has_day else "") + SPANISH_MONTHS[d.month - 1]
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
    return _bounded(with_shared_years(_latin_dates(text, today, language), text), text, language)


def question_dates(text: str, today: dt.date, language: str = "en") -> tuple[DateMention, ...]:
    """Return the dates a question names, two that end one range joined ("between March and June 2032").

    Only a question is read for ranges: checking a generated sentence against its source needs each date.
    """
    mentions = with_month_parts(find_dates(text, today, language), text)
    chinese = language == "zh" or any("月" in m.text for m in mentions)
    joined = ranges(mentions, text, "zh" if chinese else language)
    first: dict[DateMention, DateMention] = {}  # "My visa ends in May, can I start in may?" asks about May once
    for mention in joined:
        first.setdefault(replace(mention, text=""), mention)
    return tuple(first.values())


def referred_dates(question: str, context: str, today: dt.date, language: str) -> tuple[DateMention, ...]:
    """Return the date a question asking for a date points back to ("I graduate in May. Any start after that?").

    The date may be in the question itself or in what came before it: the latest one for "after", the
    earliest for "before". A question without such words gets none.
    """
    direction = back_reference(fold_accents(question).lower(), language)
    if direction is None:
        return ()
    said = question_dates(f"{context} {question}".strip(), today, language)
    if not said:
        return ()
    if direction == "after":  # the end of a range: "exams from March to June, any start after that?"
        latest = max(said, key=lambda m: m.period()[1])
        chosen = latest.end or latest
    else:
        chosen = replace(min(said, key=lambda m: m.date), end=None)
    # "I'm free from March. The closest start after that?" keeps its own bound.
    return (chosen if chosen.direction not in ("on", "between") else replace(chosen, direction=direction),)


def _bounded(mentions: tuple[DateMention, ...], text: str, language: str) -> tuple[DateMention, ...]:
    """Give each mention the bound the words around it put on it ("no later than May 2024")."""
    folded = fold_accents(text).lower()
    result = []
    for mention in mentions:
        said = fold_accents(mention.text).lower()
        at = folded.find(said)
        if at < 0:
            result.append(mention)
            continue
        core = _DATE_HINT.search(said) if language != "zh" else None  # "one after June 2024": the month
        before = before_next(folded[: at + (core.start() if core else 0)])
        result.append(replace(mention, direction=bound(before, folded[at + len(said) :], language)))
    return tuple(result)


def _latin_dates(text: str, today: dt.date, language: str) -> tuple[DateMention, ...]:
    """Find English and Spanish dates with dateparser."""
    originals: dict[str, str] = {}  # what dateparser is given -> what the candidate said
    if language == "es":
        for pattern, replacement in _SPANISH_RELATIVE:
            match = pattern.search(fold_accents(text))
            if match:
                originals[replacement] = text[match.start() : match.end()]
                text = text[: match.start()] + replacement + text[match.end() :]
    folded = fold_accents(text).lower()
    for start, end, replacement in reversed(
        sorted(with_years(folded, today, language) + dotted_dates(folded, language))
    ):
        originals[replacement] = text[start:end]
        text = text[:start] + replacement + text[end:]
    if not _DATE_HINT.search(fold_accents(text)):
        return ()
    searched = for_dateparser(text)
    settings = {
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY" if language == "es" else "MDY",  # "4/3/2024" is 4 March in Spanish
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    languages = list(dict.fromkeys((language if language in ("en", "es") else "en", "en")))
    # dateparser finds one or two dates of a run ("on 16 June 2031, 21 July 2031, 1 September 2031 and
    # 3 November 2031" gave two): each date of a run, cut after its year, is searched on its own.
    found = [
        hit
        for piece in _AFTER_A_YEAR.split(searched)
        for hit in search_dates(piece, languages, settings=settings) or []
    ]
    mentions = []
    cursor = 0
    for matched, when in found:
        at = searched.find(matched, cursor)
        cursor = at + len(matched) if at >= 0 else cursor
        core = _LEADING_WORDS.sub("", matched.strip())
        if (
            core.lower() == "may"
            and not _LEADING_WORDS.match(matched.strip())
            and not may_is_the_month(searched, at, matched)
        ):
            continue
        if not _DATE_HINT.search(core):
            continue
        plausible = MIN_YEAR <= when.year <= MAX_YEAR  # "June 1, 3000 km" and "4096 Jan 1" name no year
        relative = bool(_RELATIVE.search(core))
        numeric = bool(_NUMERIC.search(core))
        without_year = _YEAR.sub("", core)
        said = matched.strip()
        for given, original in originals.items():  # "in january 2027" was "in January next year"
            said = said.replace(given, original)
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
