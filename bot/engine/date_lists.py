"""Read dates a sentence enumerates: "Cohorts start on 12 January, 9 March and 4 May 2027".

A list written as prose names its dates one after another with only
separators between them, and often gives the year once, at the end.
"""

from __future__ import annotations

import calendar
import itertools
import re
from dataclasses import replace

from bot.knowledge.language import fold_accents

YEAR_END_MONTH = 10  # a run from October or later to a month half a year earlier crosses the turn of the year
# Words of a sentence about starting, and of one about another event (an interview, a deadline), in three languages.
_STARTING = re.compile(
    r"\b(?:start|starts|starting|begin|begins|join|joins|intake|intakes|cohort|cohorts|onboarding|first\s+day"
    r"|empez\w*|incorpor\w*|comienz\w*|inicio|ingreso)\b|入职|到岗|上岗|批次"
)
_OTHER_EVENT = re.compile(
    r"\b(?:interview\w*|assessment\w*|apply|application\w*|deadline|close\w*|open\s+days?|exam\w*|test\w*"
    r"|entrevista\w*|plazo|solicitud\w*|cierre|examen\w*)\b|面试|截止|报名|考试|笔试"
)
# What a candidate can miss: a deadline, an application window, a start, an interview; whole words only
# ("example", "closely", "testing" and "申请人" name none of them).
_MISSABLE = re.compile(
    r"\b(?:deadlines?|clos(?:e|es|ed|ing)|due|until|apply|submit(?:ted)?|start(?:s|ing)?|begins?|join(?:s|ing)?"
    r"|intakes?|cohorts?|onboarding|first\s+day|interviews?|open\s+days?|plazo|cierre|cierra|hasta|postulaci\w*"
    r"|inscripci\w*|convocatoria|entrevistas?|incorpora\w*|inicio|ingreso|empieza\w*|comienza\w*)\b"
    r"|截止|截至|网申|报名|投递|面试|笔试|入职|到岗|开放申请"
)
# Only a separator between two dates of an enumeration: "11 January 2027, 1 February 2027 or 1 March 2027".
_SEPARATOR = re.compile(r"\s*[,;，、]?\s*(?:and|or|y|o|e|u|和|或|及|以及)?\s*(?:on|the|el|la)?\s*", re.I)


def _spans(text: str, mentions: tuple) -> list[tuple[int, int]] | None:
    """Return where each mention stands in the text, in order, or None if one is not found."""
    spans, at = [], 0
    for mention in mentions:
        start = text.find(mention.text, at)
        if start < 0:
            return None
        spans.append((start, start + len(mention.text)))
        at = start + len(mention.text)
    return spans


def enumerates(text: str, mentions: tuple) -> bool:
    """Tell whether a text names its dates one after another with only separators between them."""
    spans = _spans(text, mentions)
    return spans is not None and all(
        _SEPARATOR.fullmatch(text[end:start]) for (_, end), (start, _) in itertools.pairwise(spans)
    )


def with_shared_years(mentions: tuple, text: str) -> tuple:
    """Give the days of an enumeration without a year the year of the date that ends it.

    "12 January, 9 March and 4 May 2027": all three are in 2027; a run that
    crosses the turn of the year ("15 December, 12 January 2027") starts in
    the year before.
    """
    spans = _spans(text, mentions)
    if spans is None:
        return mentions
    found = list(mentions)
    for i in range(len(found) - 2, -1, -1):
        later, mention = found[i + 1], found[i]
        joined = _SEPARATOR.fullmatch(text[spans[i][1] : spans[i + 1][0]])
        if joined and mention.has_day and not mention.has_year and later.has_year:
            crossing = mention.date.month >= YEAR_END_MONTH and later.date.month < mention.date.month - 6
            year = later.date.year - crossing
            if mention.date.day <= calendar.monthrange(year, mention.date.month)[1]:  # not "29 February 2027"
                found[i] = replace(mention, date=mention.date.replace(year=year), has_year=True)
    return tuple(found)


def about_an_event(text: str) -> bool:
    """Tell whether a passage's dates are of something a candidate can miss: a deadline, a start, an interview."""
    return bool(_MISSABLE.search(fold_accents(text).lower()))


def about_starting(text: str) -> bool:
    """Tell whether a passage's dates are start dates: worded about starting, not about an interview or a deadline."""
    folded = fold_accents(text).lower()
    return bool(_STARTING.search(folded)) and not _OTHER_EVENT.search(folded)
