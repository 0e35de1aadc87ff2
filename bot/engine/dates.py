"""Find dates in questions and knowledge text, and compare them.

Parsing uses dateparser, which understands "April 2024", "the 3rd of March",
"2024-05-20" and "next month". What it cannot tell us is how precise a
mention is, so the precision (year, month, day) is read off the matched text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateparser.search import search_dates

_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    "august|september|october|november|december"
)
_DATE_HINT = re.compile(rf"\b({_MONTHS})\b|\d{{1,4}}[-/.]\d{{1,2}}|\b(next|this|last) (month|year|week)\b", re.I)
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_DAY = re.compile(r"\b(\d{1,2})(st|nd|rd|th)?\b")
_NUMERIC = re.compile(r"\d{1,4}[-/.]\d{1,2}([-/.]\d{1,4})?")
_RELATIVE = re.compile(r"\b(next|this|last)\b", re.I)
_LEADING_WORDS = re.compile(r"^(in|on|at|by|from|for|of|the|around|before|after|until)\s+", re.I)


@dataclass(frozen=True)
class DateMention:
    """A date found in text, with how precisely it was stated."""

    text: str
    date: dt.date
    has_year: bool
    has_day: bool

    def matches(self, other: dt.date) -> bool:
        """Tell whether a concrete date falls within this mention."""
        if self.date.month != other.month:
            return False
        if self.has_year and self.date.year != other.year:
            return False
        return not self.has_day or self.date.day == other.day

    def describe(self) -> str:
        """Render the mention at the precision it was given."""
        if self.has_day:
            return self.date.strftime("%B %-d, %Y") if self.has_year else self.date.strftime("%B %-d")
        return self.date.strftime("%B %Y") if self.has_year else self.date.strftime("%B")


@lru_cache(maxsize=4096)
def find_dates(text: str, today: dt.date) -> tuple[DateMention, ...]:
    """Return the dates mentioned in a text (cached: list items and common questions recur)."""
    if not _DATE_HINT.search(text):
        return ()
    found = search_dates(
        text,
        languages=["en"],
        settings={
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    ) or []
    mentions = []
    for matched, when in found:
        core = _LEADING_WORDS.sub("", matched.strip())
        # "May I ..." and "I may ..." are the verb, not the month.
        if core.lower() == "may" and not _LEADING_WORDS.match(matched.strip()):
            continue
        if not _DATE_HINT.search(core):
            continue
        relative = bool(_RELATIVE.search(core))
        numeric = bool(_NUMERIC.search(core))
        without_year = _YEAR.sub("", core)
        mentions.append(
            DateMention(
                text=matched.strip(),
                date=when.date(),
                has_year=relative or numeric or bool(_YEAR.search(core)),
                has_day=numeric or bool(_DAY.search(without_year)),
            )
        )
    return tuple(mentions)


def unit_date(text: str, today: dt.date) -> dt.date | None:
    """Return the date a list item states, when the item is essentially a date."""
    mentions = find_dates(text, today)
    if len(mentions) == 1 and mentions[0].has_day and mentions[0].has_year:
        return mentions[0].date
    return None
