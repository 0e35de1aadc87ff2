"""Read the words of a generated sentence that state a fact without digits: numbers in words, and negations.

The grounding checks compare a sentence's numbers with its passage's, and its
words with the passage's words. "A maximum of three positions" against "TWO
positions" has no digit to compare, and "will not be considered" shares every
telling word with "will be considered". No library reads number words in
English, Spanish and Chinese together or tells a negated claim from its
passage without a model, so the few words that matter are listed here.
"""

from __future__ import annotations

import re

from bot.knowledge.language import fold_accents

# "one"/"uno"/"una"/"一" are left out: they are as often "a" or "someone" as a count; "once" is English too.
_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
    "doce": 12, "quince": 15, "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50,
}  # fmt: skip
_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.I)
_ZH_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# A Chinese count stands before a measure word ("十七天", "两个"); "第二" is an order, not a count.
_ZH_NUMBER = re.compile(
    r"(?<![第一二两三四五六七八九十])([二两三四五六七八九]?十[一二三四五六七八九]?|[两二三四五六七八九])(?=[天个周年月岁小时次名份项轮位种家周])"
)
_ZH_UNITS = {"一": 1, **_ZH_DIGITS}

_NEGATION = re.compile(
    r"\b(not|no|never|none|nobody|nothing|neither|nor|cannot|without|nunca|ni|ningun[oa]?|nada|nadie|sin|jamas"
    r"|tampoco)\b|n't\b",
    re.I,
)
# A maximum said with a "not": "no more than two", "can't apply for more than two", "no later than May".
_LIMIT = re.compile(
    r"\b((no|not)|(can'?t|cannot|can not|may not|must not|won'?t)(\s+\w+){0,4}?)\s+(more|later|longer)\s+than\b"
    r"|\bsin embargo\b",
    re.I,
)
# "The posting does not say whether …": a sentence about the posting's silence negates no fact of it.
_SILENCE = re.compile(
    r"\b(does not|doesn't|do not|don't|did not|didn't|is not|isn't)\s+(say|mention|state|specify|list|include|give"
    r"|name|cover|address|explain|detail|clarify|confirm)\b|\bnot (mentioned|stated|specified|listed|covered|given)\b"
    r"|\bno (mention|information|details?)\b|\bno (dice|menciona|indica|especifica|aclara|detalla|confirma)\b"
    r"|\bno se (menciona|indica|especifica|dice)\b",
    re.I,
)


def word_numbers(text: str) -> set[float]:
    """Return the counts a text writes in words ("three positions", "veinte días", "十七天")."""
    found = {float(_WORDS[m.group(1).lower()]) for m in _WORD.finditer(text)}
    for match in _ZH_NUMBER.finditer(text):
        numeral = match.group(1)
        if "十" in numeral:
            tens, _, ones = numeral.partition("十")
            found.add(float(_ZH_UNITS.get(tens, 1) * 10 + _ZH_UNITS.get(ones, 0)))
        else:
            found.add(float(_ZH_DIGITS[numeral]))
    return found


def negates(text: str) -> bool:
    """Tell whether an English or Spanish text denies something ("will not be considered", "no hay").

    A limit is no denial: "no more than two positions" says what "a maximum of TWO" says
    ("no fewer than two" does not, and stays a denial); "sin embargo" is "however".
    """
    return bool(_NEGATION.search(_LIMIT.sub(" ", fold_accents(text))))


def says_posting_is_silent(text: str) -> bool:
    """Tell whether a sentence says the posting does not say something, which states no fact of the posting."""
    return bool(_SILENCE.search(fold_accents(text)))
