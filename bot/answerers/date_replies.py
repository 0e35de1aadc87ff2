"""Say how the dates a question names compare with the dates the posting lists, in the candidate's language.

"Can I start in March?", "after June 2024", "between March and June 2032":
each sentence is a fixed reply from prompts/i18n/<lang>.yaml ("dates"), filled
with the candidate's date and the verbatim text of the listed items it names.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.engine.date_lists import about_starting, enumerates
from bot.engine.dates import DateMention
from bot.engine.evidence import PostingUnits, UnitRef
from bot.engine.replies import fill

Dated = list[tuple[str, dt.date]]  # each listed date as the posting writes it ("January 15, 2024"), and its date
MIN_PROSE_LIST = 3  # full dates a sentence enumerates to list them; two may be a range ("between X and Y")


def listed_dates(selected: list[UnitRef], units: PostingUnits, prose: bool) -> tuple[UnitRef | None, Dated]:
    """Return the dates an answer quotes as a list, with a unit of it to cite.

    The items of a dated list, or failing that (when `prose`) the dates a
    quoted sentence enumerates: "new cooks can start on 11 January 2027,
    1 February 2027 or 1 March 2027" is a list written as prose. Not "start
    between 1 September and 3 November", nor a preferred and a latest date:
    any day between those is allowed, so no listed date answers a question.
    """
    items = [(ref, when) for ref in selected if (when := units.date_of(ref)) is not None]
    if items:
        return items[0][0], [(ref.unit.text, when) for ref, when in items]
    lists = [ref for ref in selected if prose and _lists(ref.unit.text, units.mentions_of(ref))]
    if not lists:
        return None, []
    best = max(lists, key=lambda ref: len(units.mentions_of(ref)))
    return best, [(m.written, m.date) for m in units.mentions_of(best)]


def _lists(text: str, mentions: tuple[DateMention, ...]) -> bool:
    """Tell whether a sentence lists start dates: three or more, enumerated, in words about starting.

    "Assessment days are held on 14, 28 January and 11 February" or "Apply by
    1 February, 1 May or 1 August" lists dates of something else.
    """
    return (
        len(mentions) >= MIN_PROSE_LIST
        and all(m.direction == "on" for m in mentions)
        and about_starting(text)
        and enumerates(text, mentions)
    )


def compare(
    mentions: tuple[DateMention, ...], dated: Dated, language: str, words: dict, marker: str, today: dt.date
) -> str:
    """Return one or two sentences per date the question names, each ending with the list's citation marker."""
    listed = [d for _, d in dated]
    sentences = []
    for mention in mentions:
        mention = mention.anchored(listed, today)
        if mention.direction == "between":
            sentences += _within(mention, dated, language, words)
        elif mention.direction != "on":
            sentences.append(_bound_sentence(mention, dated, language, words))
        else:
            sentences += _on(mention, dated, language, words)
    # "este mes de diciembre" names December twice: say it once.
    return " ".join(f"{sentence} {marker}" for sentence in dict.fromkeys(sentences))


def _label(mention: DateMention, language: str) -> str:
    label = mention.describe(language)
    return label[0].upper() + label[1:]


def _on(mention: DateMention, dated: Dated, language: str, words: dict) -> list[str]:
    """Say whether a date is listed, and if not, the listed dates closest to it."""
    hits = [text for text, d in dated if mention.matches(d)]
    if hits:
        return [fill(words["listed"], mention=_label(mention, language), dates=join(hits, words))]
    return [fill(words["not_listed"], mention=_label(mention, language)), *_closest(mention, dated, words)]


def _within(mention: DateMention, dated: Dated, language: str, words: dict) -> list[str]:
    """Name the listed dates inside a range, or say there are none and give the closest ones."""
    start, end = mention.period()
    inside = [text for text, d in sorted(dated, key=lambda pair: pair[1]) if start <= d <= end]
    first, last = _ends(mention, language, words)
    if inside:
        return [fill(words["within"], start=first, end=last, dates=join(inside, words))]
    return [fill(words["none_within"], start=first, end=last), *_closest(mention, dated, words)]


def _ends(mention: DateMention, language: str, words: dict) -> tuple[str, str]:
    """Render a range's two ends, its year said once: "March and June 2032", "2032年3月到6月"."""
    start, end = replace(mention, end=None), mention.end or mention
    if start.has_year and end.has_year and start.date.year == end.date.year:
        if language == "zh":
            end = replace(end, has_year=False)
        else:
            start = replace(start, has_year=False)
    article = words.get("day_article", "")  # Spanish "entre el 1 de marzo y el 30 de junio"

    def said(end_of_range: DateMention) -> str:
        return (article if end_of_range.has_day else "") + end_of_range.describe(language)

    return said(start), said(end)


def _closest(mention: DateMention, dated: Dated, words: dict) -> list[str]:
    """Name the last listed date before a mention's period and the first one after it."""
    start, end = mention.period()
    before = [(r, d) for r, d in dated if d < start]
    after = [(r, d) for r, d in dated if d > end]
    closest = ([max(before, key=lambda p: p[1])[0]] if before else []) + (
        [min(after, key=lambda p: p[1])[0]] if after else []
    )
    if not closest:
        return []
    return [fill(words["closest" if len(closest) > 1 else "closest_one"], dates=join(closest, words))]


def _bound_sentence(mention: DateMention, dated: Dated, language: str, words: dict) -> str:
    """Name the first listed date after (or from) a date, or the last before (or by) it: "after June 2024"."""
    start, end = mention.period()
    inside = {
        "after": lambda d: d > end,
        "from": lambda d: d >= start,
        "before": lambda d: d < start,
        "by": lambda d: d <= end,
    }[mention.direction]
    found = [(ref, d) for ref, d in dated if inside(d)]
    label = mention.describe(language)
    if not found:
        return fill(words[f"none_{mention.direction}"], mention=label)
    later = mention.direction in ("after", "from")
    text, _ = (min if later else max)(found, key=lambda pair: pair[1])
    return fill(words[("first_" if later else "last_") + mention.direction], mention=label, dates=text)


def join(values: list[str], words: dict) -> str:
    """Join listed items as the language lists them ("A, B and C")."""
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + words.get("joiner", " and ") + values[-1]
