"""Words dateparser misreads in English and Spanish text, put right before and after it reads them.

dateparser reads "before February 2024" as February of this year, "1 October
and 30 November" as one date in 2030 and "October-December" as no date, and
it takes every "may" for the month. It also drops "next" from "next January"
and reads "January next year" as two dates. bot.engine.dates calls it on the
text `for_dateparser` returns, after `with_years` has put a year on each month
said relative to today, and asks `may_is_the_month` about each lone "May".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    "august|september|october|november|december|enero|febrero|marzo|abril|mayo|junio|julio|agosto|"
    "septiembre|setiembre|octubre|noviembre|diciembre"
)
_BEFORE = re.compile(r"\bbefore\b", re.I)
# "May I ..." and "I may ..." are the verb; "before May", "between April and May", "May to June" and "May 4" the month.
_MAY_AS_MONTH_AFTER = re.compile(
    rf"(?:\b(?:before|after|by|than|until|till|from|between|to|through|thru)\s+|\b(?:{MONTHS})\s*[-–]\s*|"
    rf"\b(?:{MONTHS})\s+(?:and|or)\s+)$",
    re.I,
)
_MAY_AS_MONTH_BEFORE = re.compile(rf"^\s*(?:\d|(?:to|through|thru|until|and|or)\s+(?:{MONTHS})\b|[-–])", re.I)
_MAY_AS_VERB_BEFORE = re.compile(  # "... and may need", "... - may I": a subject or a verb follows the verb
    r"^\s+(?:i|we|you|they|he|she|it|one|someone|not|also|still|just|well|be|need|have|get|take|want|require|"
    r"ask|start|join|apply|work|bring|use)\b",
    re.I,
)
# dateparser reads "1 October and 30 November" as one date in 2030 and "October-December" as none:
# a comma before the joining word and spaces around a dash keep the two dates apart.
_DAY_RANGE_JOIN = re.compile(rf"(\b(?:{MONTHS})\b)(\s+(?:and|to|until|through|till)\s+\d)", re.I)
_MONTH_DASH = re.compile(rf"(\b(?:{MONTHS})\b)\s*([-–—])\s*(?=(?:{MONTHS})\b)", re.I)
# The month each name in MONTHS stands for, by its first three letters ("setiembre" is September too).
_MONTH_HEADS = {
    head: number
    for heads in (
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"),
    )
    for number, head in enumerate(heads, start=1)
} | {"set": 9}
# "next January", "el próximo enero": the first such month after this one.
_NEXT = r"(?:(?:this |the )?coming|next|(?:el |la )?(?:proximo|siguiente))"
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d.]\d|\d)")
SPANISH_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
    "diciembre",
)  # fmt: skip
_NEXT_MONTH = re.compile(rf"\b{_NEXT}\s+(?P<month>{MONTHS})\b(?!\s+\d)", re.I)
_NEXT_AT_END = re.compile(rf"(?:\b{_NEXT}\s+|\bmid[-\s])$", re.I)
_MID_MONTH = re.compile(rf"\bmid-(?P<month>{MONTHS})\b", re.I)  # dateparser reads "mid March", not "mid-March"
# "January next year", "marzo del año que viene": that month of next year.
_MONTH_NEXT_YEAR = re.compile(
    rf"\b(?P<month>{MONTHS})\s+(?:of\s+next\s+year|next\s+year|del?\s+(?:(?:l\s+)?ano\s+(?:que\s+viene|proximo|siguiente)|"
    r"(?:proximo|siguiente)\s+ano))\b",
    re.I,
)


def with_years(folded: str, today: dt.date, language: str) -> list[tuple[int, int, str]]:
    """Return where a month is said relative to today ("next January") and how to say it with its year.

    "mid-March" is respelt too ("mid March"), for dateparser reads only that.

    `folded` is the text lower-cased without accents, as long as the original,
    so the spans apply to both.
    """
    found = [(m.start(), m.end(), f"mid {m['month']}") for m in _MID_MONTH.finditer(folded)]  # "mid-March"
    for pattern, next_year in ((_NEXT_MONTH, False), (_MONTH_NEXT_YEAR, True)):
        for match in pattern.finditer(folded):
            if match["month"] == "may" and _MAY_AS_VERB_BEFORE.match(folded[match.end() :]):
                continue  # "what happens next, may I ask?"
            month = _MONTH_HEADS[match["month"][:3]]
            year = today.year + 1 if next_year or month <= today.month else today.year
            name = match["month"]
            found.append((match.start(), match.end(), f"{name} de {year}" if language == "es" else f"{name} {year}"))
    return sorted(found)


def dotted_dates(folded: str, language: str) -> list[tuple[int, int, str]]:
    """Return where a date is written with dots ("03.05.2027") and how to spell it ("3 May 2027").

    Dotted dates are day first wherever they are written, but an English
    text is read month first, so "03.05.2027" would be 5 March.
    """
    found = []
    for match in _DOTTED.finditer(folded):
        day, month, year = (int(n) for n in match.groups())
        year += 2000 if year < 100 else 0  # "03.05.27"
        if 1 <= month <= 12 and 1 <= day <= 31:
            name = SPANISH_MONTHS[month - 1] if language == "es" else calendar.month_name[month]
            found.append(
                (
                    match.start(),
                    match.end(),
                    f"{day} de {name} de {year}" if language == "es" else f"{day} {name} {year}",
                )
            )
    return found


def before_next(text: str) -> str:
    """Return the words before a month without the "next" or "mid" that opens it ("before next March" -> "before ")."""
    return _NEXT_AT_END.sub("", text)


def for_dateparser(text: str) -> str:
    """Return the text dateparser should read: the same dates, kept apart and not shifted a year."""
    text = _BEFORE.sub("prior to", text)
    return _MONTH_DASH.sub(r"\1 \2 ", _DAY_RANGE_JOIN.sub(r"\1,\2", text))


def may_is_the_month(text: str, at: int, matched: str) -> bool:
    """Tell whether a lone "May" at a position of a text is the month, by the words around it."""
    if at < 0:
        return False
    after = text[at + len(matched) :]
    if _MAY_AS_VERB_BEFORE.match(after):
        return False
    return bool(_MAY_AS_MONTH_AFTER.search(text[:at]) or _MAY_AS_MONTH_BEFORE.match(after))
