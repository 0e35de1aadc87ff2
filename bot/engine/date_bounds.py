"""Read the bound a question puts on a date: "after June 2024", "no later than May", "2024年4月以后".

The words are matched on accent-folded lower-case text: the words before the
date in English and Spanish, the words after it in Chinese (and "June or
later" in English and Spanish). Inclusive bounds are tried first, so "not
before May" is a start, not an end, and a negation in the same clause turns a
bound around: "I can't start before June" means from June.
"""

from __future__ import annotations

import re
from typing import Literal

Direction = Literal["on", "after", "from", "before", "by", "between"]  # "between": bot.engine.date_ranges
Rules = tuple[tuple[Direction, str], ...]

_BEFORE_THE_DATE: dict[str, Rules] = {
    "en": (
        (
            "from",
            r"\b(?:from|starting|beginning|as of|no earlier than|not earlier than|no sooner than|not before|on or after)\s+$",
        ),
        ("by", r"\b(?:by|no later than|not later than|not after|on or before)\s+$"),
        ("after", r"\b(?:after|later than|past)\s+(?:the\s+)?$"),
        ("before", r"\b(?:before|earlier than|prior to|sooner than)\s+(?:the\s+)?$"),
    ),
    "es": (
        ("from", r"\b(?:a partir de|a partir del|no antes de|no antes del)\s+$"),
        ("by", r"\b(?:a mas tardar|no despues de|no despues del)\s+(?:el\s+)?$"),  # not "hasta": "busy until June"
        ("after", r"\b(?:despues|mas tarde)\s+(?:de|del)\s+$"),
        ("before", r"\bantes\s+(?:de|del)\s+$"),
    ),
}
_AFTER_THE_DATE: dict[str, Rules] = {
    "en": (("from", r"^\s*(?:or|and) (?:later|after)\b"), ("by", r"^\s*(?:or|and) (?:earlier|before)\b")),
    "es": (("from", r"^\s*o (?:mas tarde|despues)\b"), ("by", r"^\s*o antes\b")),
    "zh": (
        ("from", r"^\s*(?:起|开始)"),
        ("by", r"^\s*(?:为止|之内)"),
        ("after", r"^\s*(?:以后|之后|后(?![期半]))"),
        ("before", r"^\s*(?:以前|之前|前(?![后期半]))"),  # 前后 is "around"
    ),
}
# A day before the month ("after the 10th of June", "antes del 4 de marzo") stands between the bound and the month.
DAY_BEFORE_MONTH = re.compile(r"(?:\bthe\s+|\bel\s+)?\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+|de\s+)?$")
_NEGATION = {
    "en": re.compile(r"\b(?:not|never|cannot)\b|n't\b"),
    "es": re.compile(r"\b(?:no|nunca)\b"),
    "zh": re.compile(r"[不没]"),
}
_CLAUSE_END = re.compile(r"[.,;:!?¿¡，。；：！？]")
_TURNED = {"before": "from", "after": "by"}
# "I graduate in May 2024. Is there a start date after that?": a bound on a date said before, in a question
# that asks for a date ("What happens after that?" does not).
_BACK: dict[str, Rules] = {
    "en": (
        ("after", r"\b(?:after|later than) (?:that|then)\b"),
        ("before", r"\b(?:before|earlier than) (?:that|then)\b"),
    ),
    "es": (("after", r"\b(?:despues|mas tarde) de (?:eso|esa fecha)\b"), ("before", r"\bantes de (?:eso|esa fecha)\b")),
    "zh": (("after", r"(?:那|这)(?:之后|以后)|^(?:之后|以后)"), ("before", r"(?:那|这)(?:之前|以前)")),
}
_ASKS_A_DATE = {
    "en": re.compile(r"\b(?:start|starting|date|dates|cohort|cohorts|intake|begin|join|when|available)\b"),
    "es": re.compile(r"\b(?:empez\w*|empiez\w*|inici\w*|fecha\w*|cuando|incorpor\w*|comenz\w*|comienz\w*)"),
    "zh": re.compile(r"入职|开始|日期|什么时候|哪天|几号|上班|报到"),
}


def bound(before: str, after: str, language: str) -> Direction:
    """Return the bound the words before and after a date put on it (folded text), or "on" for none."""
    before = DAY_BEFORE_MONTH.sub("", before)
    for direction, pattern in _BEFORE_THE_DATE.get(language, ()):
        found = re.search(pattern, before)
        if found:
            clause = _CLAUSE_END.split(before[: found.start()])[-1]
            return _turned(direction, clause, language)
    for direction, pattern in _AFTER_THE_DATE.get(language, ()):
        found = re.search(pattern, after)
        if found:
            # Chinese says the negation around the bound: "我6月之前不能入职", "我不能6月之前入职".
            clause = _CLAUSE_END.split(before)[-1] + _CLAUSE_END.split(after[found.end() :])[0]
            return _turned(direction, clause if language == "zh" else "", language)
    return "on"


def back_reference(question: str, language: str) -> Direction | None:
    """Return the bound of "... after that?" in a question that asks for a date (folded text), or None."""
    if not _ASKS_A_DATE.get(language, _ASKS_A_DATE["en"]).search(question):
        return None
    return next((d for d, pattern in _BACK.get(language, ()) if re.search(pattern, question)), None)


def _turned(direction: Direction, clause: str, language: str) -> Direction:
    """Turn "before" into "from" (and "after" into "by") under a negation: "I can't start before June"."""
    negation = _NEGATION.get(language)
    if direction in _TURNED and negation is not None and negation.search(clause):
        return _TURNED[direction]  # type: ignore[return-value]
    return direction
