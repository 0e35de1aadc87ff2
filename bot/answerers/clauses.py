"""Find the clause of an English answer sentence that its cited passages do not support.

A sentence whose words mostly come from its passage passes the sentence
checks even with an invented clause joined on: "The base salary range is
$136,800 - $205,000 annually, and the role is fully remote [1]." Each clause
(cut at commas, semicolons and joining words) must therefore be about its
passages too: a clause whose telling words the passages lack, weighted by
rarity, is an addition the model made up. Numbers and dates are left out here:
the fact checks compare them. A clause saying the posting is silent may repeat
the question's words ("doesn't say whether the job is remote").

No offline library tells whether a clause follows from a passage without a
model, so this is a word measure, calibrated on the calibration half of a
labelled set of faithful and unsupported answer sentences (BENCHMARKS.md).
It is English only: a Spanish or Chinese answer about an English posting
shares no words with it, and is checked by meaning, sentence by sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from bot.answerers.citations import strip_markers
from bot.answerers.claims import says_posting_is_silent
from bot.engine.dates import find_dates
from bot.knowledge.text import content_terms, words
from bot.knowledge.vocabulary import salience

MISSING_WEIGHT = 0.8  # salience of a clause's telling words the passages lack, summed, that makes it unsupported
MISSING_SHARE = 0.3  # ... when they are also this share of the clause's telling words
_SEPARATOR = re.compile(
    r"[,;:()\u2014]|\s\u2013\s|\b(?:and|but|plus|with|while|whereas|although|though|which|who|whose|where|so"
    r"|including|as well as|also|then|or|if|once|after|before|because|since|unless|whenever)\b",
    re.I,
)
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
# A lead-in that frames the answer: "Good news: ", "La oferta dice: ", "Unfortunately, ", "Sí, ".
_LEAD_IN = re.compile(
    r"^\W*(?:(?:\S+\s+){0,2}\S+?[:!]|\w+ly,|(?:yes|no|sure|also|however|in short|s[ií]|claro|adem[aá]s"
    r"|lamentablemente|desafortunadamente|afortunadamente|por suerte)\s*,)\s+",
    re.I,
)
# Words an answer frames the posting's facts with ("you'll get", "it doesn't mention", "a range of … per year").
_FRAMING = frozenset(
    content_terms(
        "you'll you're you've you'd they've they're it's there's doesn't don't can't won't isn't aren't "
        "get gets getting include includes included including mention mentions mentioned say says said "
        "state states list lists listed note notes noted posting offer offers offered provide provides provided "
        "available year years month months week weeks day days hour hours per yes go goes going run runs "
        "whether give gives given describe describes described besides top benefit benefits earn earns "
        "nice mean means closest nearest annually yearly monthly weekly daily hourly anytime "
        "receive receives received cover covers covered pay pays paying submit choose chosen start starts end ends "
        "work works need needs take takes make makes use uses help helps allow allows able typically usually "
        "generally normally roughly approximately around based depending experienced along "
        "unfortunately fortunately luckily sadly happily importantly specifically however overall good great news "
        "question sure absolutely course worth"
    )
)


def clauses(sentence: str, today: dt.date) -> list[str]:
    """Cut a sentence into clauses, without its markers, dates and numbers, nor a lead-in ("Good news:")."""
    text = _LEAD_IN.sub("", strip_markers(sentence))
    for mention in find_dates(text, today):
        text = text.replace(mention.text, " ")
    text = _NUMBER.sub(" ", text)
    return [clause.strip() for clause in _SEPARATOR.split(text) if clause and clause.strip()]


def unsupported_clause(sentence: str, sources: Iterable[str], question: Iterable[str], today: dt.date) -> str | None:
    """Return the first clause whose telling words the cited passages lack, or None."""
    known = set(content_terms(" ".join(sources))) | _FRAMING
    if says_posting_is_silent(strip_markers(sentence)):
        known |= set(content_terms(" ".join(question)))
    for clause in clauses(sentence, today):
        terms = {term: salience(word) for word in words(clause) for term in content_terms(word)}
        missing = sum(weight for term, weight in terms.items() if term not in known)
        if missing >= MISSING_WEIGHT and missing >= MISSING_SHARE * sum(terms.values()):
            return clause
    return None
