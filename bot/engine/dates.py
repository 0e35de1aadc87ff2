"""Find dates in questions and knowledge text, and compare them.

English and Spanish use dateparser, which understands "April 2024", "the
3rd of March", "mayo de 2024", "2024-05-20" and "next month". What it cannot
tell us is how precise a mention is, so the precision (year, month, day) is
read off the matched text. Chinese is parsed here: dateparser reads
"2024年4月" as the year 2 and "4月" as July, so the few forms candidates use
(年, 月, 日/号, 下个月, 明年) are matched directly.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateparser.search import search_dates

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
_RELATIVE = re.compile(r"\b(next|this|last|proximo|siguiente|este|que viene)\b", re.I)
_LEADING_WORDS = re.compile(
    r"^(in|on|at|by|from|for|of|the|around|before|after|until|en|el|de|para|a partir del?)\s+", re.I
)
# Spanish relative phrases dateparser does not know, said in words it does.
_SPANISH_RELATIVE = ((re.compile(r"\b(el )?mes que viene\b|\b(el )?(proximo|siguiente) mes\b", re.I), "next month"),)

_ZH_NUMERALS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_ZH_NUMBER = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_ZH_DATE = re.compile(
    rf"(?:(\d{{4}})年|(明年|今年|去年))?{_ZH_NUMBER}月份?(?:{_ZH_NUMBER}[日号])?|(下个?月|上个?月|这个月|本月)"
)
_ZH_MONTH_NAMES = ("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月")
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


@dataclass(frozen=True)
class DateMention:
    """A date found in text, with how precisely it was stated."""

    text: str
    date: dt.date
    has_year: bool
    has_day: bool
    plausible: bool = True  # False: a number beside it looked like a year no candidate means ("4096 Jan 1")

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


def _zh_number(text: str) -> int:
    return int(text) if text.isdigit() else _ZH_NUMERALS[text]


def _add_months(date: dt.date, months: int) -> dt.date:
    index = date.year * 12 + date.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _chinese_dates(text: str, today: dt.date) -> tuple[DateMention, ...]:
    mentions = []
    for match in _ZH_DATE.finditer(text):
        year, relative_year, month, day, relative_month = match.groups()
        if relative_month:
            offset = 1 if relative_month.startswith("下") else -1 if relative_month.startswith("上") else 0
            mentions.append(DateMention(match.group(), _add_months(today.replace(day=1), offset), True, False))
            continue
        number = _zh_number(month)
        if not 1 <= number <= 12:
            continue
        shift = {"明年": 1, "今年": 0, "去年": -1}.get(relative_year or "")
        when_year = int(year) if year else today.year + (shift or 0)
        day_number = _zh_number(day) if day else 1
        try:
            date = dt.date(when_year, number, day_number)
        except ValueError:
            continue
        mentions.append(DateMention(match.group(), date, bool(year or relative_year), bool(day)))
    return tuple(mentions)


@lru_cache(maxsize=4096)
def _this_year(date: dt.date, today: dt.date) -> dt.date:
    """Return a date's day and month in today's year (29 February becomes the 28th)."""
    return dt.date(today.year, date.month, min(date.day, 28) if date.month == 2 else date.day)


def find_dates(text: str, today: dt.date, language: str = "en") -> tuple[DateMention, ...]:
    """Return the dates mentioned in a text (cached: list items and common questions recur)."""
    if language == "zh" or any(name in text for name in _ZH_MONTH_NAMES) or "月" in text:
        found_zh = _chinese_dates(text, today)
        if found_zh or language == "zh":
            return found_zh
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
            text,
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
        text = originals.get(matched.strip(), matched.strip())
        if not plausible:
            text = _NOT_A_YEAR.sub("", text).strip(" ,")  # the number is a size or a distance: leave it in the text
        mentions.append(
            DateMention(
                text=text,
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
