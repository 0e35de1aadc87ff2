"""Choose the units a date question quotes: the list of dates, the sentence naming them, or a nearer date.

"Can I start in October?" is compared with the posting's start dates, wherever
and however it gives them, and "Can I still apply on March 20?" with the
application deadline rather than the start dates.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from bot.engine.date_lists import about_starting
from bot.engine.evidence import PostingUnits
from bot.engine.selection import CROSS_CHUNK_RATIO, RELATED_UNITS, positive, same_paragraph
from bot.knowledge.text import is_fragment

MIN_PROSE_DATES = 2  # a sentence naming this many full dates is the posting's dates when it lists none
DATED_LIST_TOP = 3  # a dated list answers a date question only if its section holds one of the best units


def dated_list(units: PostingUnits, scores: np.ndarray, topical: bool = True) -> list[int]:
    """Return the best-scoring list of dated items with its lead, if it is about what the question asks.

    "Could I start in October?" must not be compared with a list of application
    deadlines when the start dates are given elsewhere, so a list counts only
    when its section holds one of the question's best few units (`topical`).
    When the best unit's section gives its dates in a sentence instead ("start
    between 1 September and 3 November"), that sentence answers, unless a
    dated item scores about as well.
    """
    telling = [int(i) for i in np.argsort(-scores) if not is_fragment(units.refs[int(i)].unit.text)]
    leading = telling[:DATED_LIST_TOP]
    shifted = positive(scores)
    rival = any(units.dates[i] is not None and shifted[i] >= shifted[leading[0]] * CROSS_CHUNK_RATIO for i in leading)
    if leading and _dates_in_prose(units, units.refs[leading[0]].section) and not rival:
        return []  # the best passage's section gives its dates in a sentence ("start between 1 May and 3 June")
    top_sections = {units.refs[i].section for i in leading}
    groups: dict[tuple[str, int], list[int]] = {}
    for i, ref in enumerate(units.refs):
        if units.dates[i] is not None:
            groups.setdefault((ref.chunk_id, ref.unit.paragraph), []).append(i)
    candidates = {}
    for key, items in groups.items():
        items = sorted(items, key=lambda i: units.refs[i].unit.position)
        first = units.refs[items[0]]
        lead = [
            i
            for i, ref in enumerate(units.refs)
            if ref.chunk_id == first.chunk_id and first.unit.lead is not None and ref.unit.position == first.unit.lead
        ]
        if not topical or first.section in top_sections:
            candidates[key] = lead + items
    if not candidates:
        return []
    best = max(candidates, key=lambda k: max(scores[i] for i in groups[k]) + 0.01 * len(groups[k]))
    return candidates[best]


def start_dates(units: PostingUnits, scores: np.ndarray) -> list[int]:
    """Return the posting's start dates, listed or in a sentence, when they are worded about starting.

    A list of interview days or application deadlines is not the answer to
    "Can I start in March?", however well it scores.
    """
    for chosen in (dated_list(units, scores, topical=False), dated_prose(units, scores)):
        worded = " ".join(f"{units.refs[i].section} {units.refs[i].unit.text}" for i in chosen)
        if chosen and about_starting(worded):
            return chosen
    return []


def dated_prose(units: PostingUnits, scores: np.ndarray) -> list[int]:
    """Return the sentence that names the most full dates, with the paragraph's other dated sentences.

    "Can I start in March 2027?" says nothing but a date, and a posting that lists no
    dates may name them in a sentence ("…三批集中入职：2027 年 1 月 11 日、3 月 1 日…");
    any other passage shown for it would be unrelated.
    """
    dated = [i for i in range(len(units.refs)) if len(units.named[i]) >= MIN_PROSE_DATES]
    if units.has_dated_items or not dated:
        return []
    best = max(dated, key=lambda i: (len(units.named[i]), scores[i]))
    return [i for i in range(len(units.refs)) if units.named[i] and same_paragraph(units.refs[i], units.refs[best])]


def nearer_dates(units: PostingUnits, chosen: list[int], mentions, today: dt.date) -> list[int]:
    """Return the units that name a date nearer the question's than any of a dated list's, nearest first.

    "Can I still apply on March 20?" is about "Applications … close on March 14",
    not the list of start dates, and "Can I interview on March 25?" about
    "interviews take place between March 24 and March 28": comparing either with
    the start dates would tell the candidate the posting lists no such date.
    """
    listed = [units.dates[i] for i in chosen if units.dates[i] is not None]
    if not listed:
        return []
    found: dict[int, int] = {}
    for mention in mentions:
        start, end = mention.anchored(listed, today).period()

        def distance(dates: tuple[dt.date, ...], start=start, end=end) -> int:
            if len(dates) > 1 and min(dates) <= start and end <= max(dates):
                return 0  # "between March 24 and March 28" holds March 25
            return min(0 if start <= d <= end else min(abs((d - start).days), abs((d - end).days)) for d in dates)

        best = distance(tuple(listed))
        for i, named in enumerate(units.named):
            if named and i not in chosen and (gap := distance(named)) < best:
                found[i] = min(gap, found.get(i, gap))
    return sorted(found, key=lambda i: (found[i], i))[:RELATED_UNITS]


def _dates_in_prose(units: PostingUnits, section: str) -> bool:
    """Tell whether a section names dates in its sentences and lists none."""
    inside = [i for i, ref in enumerate(units.refs) if ref.section == section]
    return any(units.names_date[i] for i in inside) and all(units.dates[i] is None for i in inside)
