"""Join two dates that are the ends of one range: "between March and June 2032", "del 1 de marzo al 30 de junio", "3月到6月".

Two dates make one range when the words between them join them ("March to
June", "3月至6月"), or when "between" or "from" opens the pair ("between March
and June", "entre marzo y junio", "3月和6月之间"). "March or June" stays two
dates. The words are matched on accent-folded lower-case text, as the bounds
of bot.engine.date_bounds are.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.engine.date_bounds import DAY_BEFORE_MONTH
from bot.knowledge.language import fold_accents

if TYPE_CHECKING:
    from bot.engine.dates import DateMention

_JOINS: dict[str, str] = {
    "en": r"^\s*(?:-|–|—|to|till|until|through|thru)\s*$",
    "es": r"^\s*(?:-|–|—|hasta(?: el)?)\s*$",
    "zh": r"^\s*(?:到|至|-|–|—|~|～)\s*$",
}
# An opening word and the word that joins the second date to the first: "between ... and", "de ... a".
_OPENED: dict[str, tuple[tuple[str, str], ...]] = {
    "en": (
        (r"\bbetween\s+(?:the\s+)?$", r"^\s*and\s+(?:the\s+)?$"),
        (r"\bfrom\s+(?:the\s+)?$", r"^\s*(?:to|until|till|through|thru)\s+(?:the\s+)?$"),
    ),
    "es": (
        (r"\bentre\s+(?:el\s+)?$", r"^\s*y\s+(?:el\s+)?$"),
        (r"\b(?:de|del)\s+(?:el\s+)?$", r"^\s*(?:a|al)\s+(?:el\s+)?$"),
        (r"\bdesde\s+(?:el\s+)?$", r"^\s*(?:a|al|hasta)\s+(?:el\s+)?$"),
    ),
}
_CLOSED_ZH = (r"^\s*(?:和|与|跟)\s*$", r"^\s*(?:之间|中间)")  # "3月和6月之间"
_OPENING_WORDS = re.compile(r"^(?:(?:from|between|in|on|the|entre|desde|del?|el)\s+)+")  # dateparser's "del 1 de marzo"
# dateparser takes the joining word into a date's text now and then ("marzo a", "1 de marzo y", "a junio").
_JOINER_AT_END = re.compile(r"\s+(?:y|a|al|and|to|hasta)$")
_JOINER_AT_START = re.compile(r"^(?:y|a|al|and|to|hasta)\s+")
_OPENER = re.compile(r"\b(?:between|from|entre|desde|del?)\s+(?:the\s+|el\s+)?$")  # taken into the range's text
_CLOSER = re.compile(r"^\s*(?:之间|中间)")
# A year after the range ("between March and June 2032", "de 2032", "of 2032"): dateparser took only "June".
_TRAILING_YEAR = re.compile(r"^,?\s*(?:(?:de|del|of)\s+)?((?:19|20)\d{2})\b")


def joins_range(before: str, between: str, after: str, language: str) -> bool:
    """Tell whether two dates are the ends of one range, from the folded words around and between them."""
    if re.search(_JOINS.get(language, _JOINS["en"]), between):
        return True
    if language == "zh":
        joined, closing = _CLOSED_ZH
        return bool(re.search(joined, between) and re.search(closing, after))
    before = DAY_BEFORE_MONTH.sub("", before)
    return any(
        re.search(opening, before) and re.search(joined, between)
        for opening, joined in _OPENED.get(language, _OPENED["en"])
    )


def ranges(mentions: tuple[DateMention, ...], text: str, language: str) -> tuple[DateMention, ...]:
    """Join each pair of dates that ends one range into one "between" mention.

    The mention's text runs from the first date to the last (with "between" and a trailing year), so taking
    it out of the question leaves no half of the range behind. An end without a year takes the other's.
    """
    folded = fold_accents(text).lower()
    if len(folded) != len(text):  # a ligature or a decomposed accent: the folded offsets would not fit the text
        return mentions
    spans: list[tuple[int, int] | None] = []
    at = 0
    for mention in mentions:
        said = fold_accents(mention.text).lower()
        found = folded.find(said, at)
        if found < 0:
            spans.append(None)
            continue
        at = found + len(said)
        tail, head = _JOINER_AT_END.search(said), _JOINER_AT_START.match(said)
        spans.append((found + (head.end() if head else 0), found + (tail.start() if tail else len(said))))
    result: list[DateMention] = []
    index = 0
    while index < len(mentions):
        first, span, following = mentions[index], spans[index], spans[index + 1] if index + 1 < len(spans) else None
        if span and following and following[0] >= span[1]:
            (a, b), (c, d) = span, following
            opening = _OPENING_WORDS.match(folded[a:b])
            before = folded[: a + (opening.end() if opening else 0)]
            if joins_range(before, folded[b:c], folded[d:], language):
                result.append(_joined(first, mentions[index + 1], text, folded, a, d))
                index += 2
                continue
        result.append(first)
        index += 1
    return tuple(result)


def _joined(first: DateMention, last: DateMention, text: str, folded: str, a: int, d: int) -> DateMention:
    """Return the range from one mention to the next, its text taking in "between" and a trailing year."""
    year = _TRAILING_YEAR.match(folded[d:])
    if year and not last.has_year:
        last = last.in_year(int(year.group(1)))
        d += year.end()
    opener, closer = _OPENER.search(folded[:a]), _CLOSER.match(folded[d:])
    a, d = (opener.start() if opener else a), d + (closer.end() if closer else 0)
    start = replace(first, direction="on").in_year_to(last)
    end = replace(last, direction="on").in_year_from(start)
    if end.date < start.date and end.has_year:  # "between November 2031 and October 2031": the earlier one first
        start, end = end, start
    elif end.date < start.date:  # "between November and February", no year said: the February after
        end = replace(end.in_year(start.date.year + 1), has_year=False)
    return replace(start, text=text[a:d], direction="between", end=end)
