"""Read the part of a month a question names: "mid-January", "a principios de marzo", "1月底".

"Can I start mid-January?" is not answered by a start date of 2 January: the
part is the first, middle or last ten days or so of the month, and a listed
date matches only inside it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.knowledge.language import fold_accents

PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}  # days of the month each part covers
_PART_OF = {
    "early": "early",
    "beginning": "early",
    "start": "early",
    "mid": "mid",
    "middle": "mid",
    "late": "late",
    "end": "late",
    "principios": "early",
    "inicios": "early",
    "comienzos": "early",
    "mediados": "mid",
    "finales": "late",
    "fines": "late",
    "初": "early",
    "上旬": "early",
    "中旬": "mid",
    "中": "mid",
    "下旬": "late",
    "底": "late",
    "末": "late",
}
# The words right before a month ("at the end of", "a mediados de", "mid-") and right after one ("1月底").
_BEFORE = re.compile(
    r"(?:\b(early|mid|late)(?:\s+|-)|\b(beginning|start|middle|end)\s+of\s+(?:the\s+month\s+of\s+)?"
    r"|\b(principios|inicios|comienzos|mediados|finales|fines)\s+de\s+)$"
)
# A bound before the part ("before the end of March", "antes de finales de marzo", "3月底前") is the bound's:
# the month is left whole, as the bound reads it.
_BOUND_BEFORE = re.compile(
    r"\b(?:before|by|until|till|later\s+than|after|from|since|antes|hasta|tardar|despues|desde)\b[^.?!]{0,12}$"
)
_BOUND_AFTER = re.compile(r"^(?:上旬|中旬|下旬|初|中|底|末)?\s*(?:前|后|以前|以后|之前|之后)")
_MONTH_NAMED = re.compile(r"[^\W\d_]{3,}|月")  # "March", "marzo", "3月": not "next year"
_RELATIVE = re.compile(r"\b(?:next|this|last|year|ano|proximo|siguiente)\b")
_AFTER = re.compile(r"^(上旬|中旬|下旬|初|中|底|末)")
# How each language says a part of a month: "{month}" is the month as the reply names it.
WORDING = {
    "en": {"early": "early {month}", "mid": "mid-{month}", "late": "late {month}"},
    "es": {"early": "principios de {month}", "mid": "mediados de {month}", "late": "finales de {month}"},
    "zh": {"early": "{month}初", "mid": "{month}中旬", "late": "{month}底"},
}


def with_month_parts(mentions: tuple, text: str) -> tuple:
    """Return the mentions, a month without a day narrowed to the part of it the text names."""
    folded = fold_accents(text).lower()
    found = []
    at = 0
    for mention in mentions:
        needle = fold_accents(mention.written).lower().strip()
        start = folded.find(needle, at) if needle else -1
        if mention.has_day or start < 0:
            found.append(mention)
            continue
        at = start + len(needle)
        before = _BEFORE.search(folded[max(0, start - 30) : start])
        after = _AFTER.match(folded[at : at + 2])
        phrase = max(0, start - 30) + before.start() if before else start  # where "the end of" begins
        ahead = folded[max(0, phrase - 20) : phrase]
        named = _MONTH_NAMED.search(needle) and not _RELATIVE.search(needle)
        if not named or _BOUND_BEFORE.search(ahead) or _BOUND_AFTER.match(folded[at : at + 4]):
            found.append(mention)
            continue
        word = next((w for w in before.groups() if w), None) if before else after.group(1) if after else None
        found.append(replace(mention, part=_PART_OF[word]) if word else mention)
    return tuple(found)
