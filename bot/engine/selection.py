"""Choose the units an answer quotes: the best one, its close runners-up, and whole lists.

Once a question is judged answerable, the answer quotes the best-scoring
unit and the ones that support it about as well: the rest of a short
paragraph, a list's lead with its items, an item's close siblings. A date
question quotes the list of dates (bot.engine.date_selection); an accommodation request always carries
the contact, a question whether who the candidate is counts against them the
equal-opportunity statement, and a question about the job as a whole its duties
(one about the employer its description: bot.engine.employer).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from bot.engine.evidence import PostingUnits, UnitRef
from bot.knowledge.text import EMAIL
from bot.records.redaction import personal_data

SUPPORT_RATIO = 0.80  # of the best unit's score, for a unit of the same chunk
CROSS_CHUNK_RATIO = 0.90  # for a unit of another chunk
SIBLING_RATIO = 0.80
MAX_UNITS = 4
SHORT_PARAGRAPH = 2
MAX_LIST_ITEMS = 12
FAQ_UNITS = 3  # a question and its answer of one or two sentences
GAP_ITEMS = 2  # items quoted between a lead and a chosen item far down its list
RELATED_UNITS = 2
# A question the posting asks: "Can I work part-time?", or "Q: Is it remote? A: No." with its short answer joined.
_QUESTION_LABEL = re.compile(r"^\s*(?:Q|P|问)\s*[:：.]")
# Asking to be told or contacted, in three languages: "let us know", "tell your recruiter", "avísanos", "请告知".
_REACH = re.compile(
    r"\b(?:contact|e-?mail|call|phone|tell|let\s+(?:us|your\s+\w+|the\s+\w+)\s+know|reach\s+out|write\s+to|text"
    r"|av[ií]s\w*|escr[ií]b\w*|ll[aá]m\w*|cont[aá]ct\w*|comun[ií]c\w*|d[ií]nos|h[aá]znos\s+saber)\b"
    r"|联系|告知|告诉|致电|拨打",
    re.I,
)
_HIRING = re.compile(
    r"\b(?:interview\w*|appl(?:y|ying|ication\w*)|hiring|recruit\w*|assessment\w*|entrevista\w*|postula\w*"
    r"|solicitud\w*|selecci[oó]n|candidatura)\b|面试|招聘|应聘|笔试",
    re.I,
)
_QUESTION = re.compile(rf"[?？][*_]*$|{_QUESTION_LABEL.pattern}")


def positive(scores: np.ndarray) -> np.ndarray:
    """Shift scores so the lowest is zero, making ratios between them meaningful."""
    return scores - min(float(scores.min()), 0.0) if len(scores) else scores


def support(units: PostingUnits, order: np.ndarray, scores: np.ndarray) -> list[int]:
    """Take the best unit and close runners-up from the same chunk; expand lists."""
    shifted = positive(scores)
    top = int(order[0])
    refs = units.refs
    chosen = [top]
    if refs[top].unit.kind == "sentence":
        # A short paragraph is one thought: quote it whole rather than cut it.
        paragraph = [i for i in range(len(refs)) if same_paragraph(refs[i], refs[top])]
        if len(paragraph) <= SHORT_PARAGRAPH:
            chosen += [i for i in paragraph if i != top]
    for candidate in (int(i) for i in order[1:]):
        if len(chosen) >= MAX_UNITS:
            break
        ratio = SUPPORT_RATIO if refs[candidate].chunk_id == refs[top].chunk_id else CROSS_CHUNK_RATIO
        if candidate not in chosen and shifted[candidate] >= shifted[top] * ratio:
            chosen.append(candidate)
    return expand_lists(units, with_answers(units, chosen), shifted)


def whole(units: PostingUnits, top: int) -> list[int]:
    """Quote a unit with the rest of its list or paragraph: "What would I be doing?" gets every duty."""
    refs = units.refs
    family = [i for i in range(len(refs)) if same_paragraph(refs[i], refs[top])]
    family = sorted(family, key=lambda i: refs[i].unit.position)[:MAX_LIST_ITEMS]
    return with_leads(units, family if top in family else [top, *family])


def with_answers(units: PostingUnits, chosen: list[int]) -> list[int]:
    """Quote a question the posting asks with its answer, whichever of them was chosen.

    "Q: Can I work part-time?" answers nothing alone, and "A: Yes, you get a
    two-week onboarding" read without its question answers the wrong one.
    """
    refs = units.refs
    result = list(chosen)
    for index in chosen:
        paragraph = sorted(
            (i for i in range(len(refs)) if same_paragraph(refs[i], refs[index])), key=lambda i: refs[i].unit.position
        )
        first = refs[paragraph[0]].unit.text
        # An unlabelled question opening a longer paragraph is rhetoric ("Ready to grow? The salary is …").
        limit = MAX_UNITS if _QUESTION_LABEL.match(first) else FAQ_UNITS
        if _QUESTION.search(first) and 1 < len(paragraph) <= limit:
            result += [i for i in paragraph if i not in result]
    return result


def same_paragraph(a: UnitRef, b: UnitRef) -> bool:
    return a.chunk_id == b.chunk_id and a.unit.paragraph == b.unit.paragraph


def expand_lists(units: PostingUnits, chosen: list[int], scores: np.ndarray) -> list[int]:
    """Bring a lead's list items along, and an item's close siblings and lead."""
    refs = units.refs
    result = list(chosen)
    for index in chosen:
        ref = refs[index]
        same_chunk = [i for i in range(len(refs)) if refs[i].chunk_id == ref.chunk_id]
        if ref.unit.kind == "lead":
            items = [i for i in same_chunk if refs[i].unit.lead == ref.unit.position]
            result += [i for i in items[:MAX_LIST_ITEMS] if i not in result]
        elif ref.unit.kind == "item":
            family = [
                i
                for i in same_chunk
                if refs[i].unit.kind == "item"
                and refs[i].unit.paragraph == ref.unit.paragraph
                and scores[i] >= scores[index] * SIBLING_RATIO
            ]
            result += [i for i in family if i not in result]
    return with_leads(units, result)


def contact(units: PostingUnits, order: np.ndarray, topic: re.Pattern, unlike: re.Pattern) -> list[int]:
    """Return the paragraph that gives the contact for a topic, such as accommodations.

    A paragraph that names the topic, itself or under its heading, and gives
    an email address or a phone number comes first, unless it reads as
    something the topic's words also name (`unlike`: staff housing for
    "accommodation"): the recruiter's address in the paragraph before it is
    not the accommodation contact. Failing that, a sentence about the topic
    and the hiring process that asks to be told ("If you need an adjustment
    for your interview, let your recruiter know", "avísanos al WhatsApp"; not
    "an adjustment to the rota"), or an email address in a passage about the topic.
    """
    texts = _paragraph_texts(units)

    def names_and_reaches(ref: UnitRef) -> bool:
        text = f"{ref.section}\n{texts[(ref.chunk_id, ref.unit.paragraph)]}"
        reaches = EMAIL.search(text) or "phone" in personal_data(text)[1]
        return bool(topic.search(text) and not unlike.search(text) and reaches)

    def asks_to_be_told(ref: UnitRef) -> bool:
        text = ref.unit.text
        hiring = _HIRING.search(text)
        return bool(hiring and topic.search(text) and _REACH.search(text) and not unlike.search(text))

    return (
        _first_paragraph(units, order, names_and_reaches)
        or _first_paragraph(units, order, asks_to_be_told)
        or _first_paragraph(
            units, order, lambda ref: bool(EMAIL.search(ref.unit.text) and topic.search(ref.chunk.page_content))
        )
    )


def _paragraph_texts(units: PostingUnits) -> dict[tuple[str, int], str]:
    """Return each paragraph's text, keyed by its chunk and number."""
    texts: dict[tuple[str, int], list[str]] = {}
    for ref in units.refs:
        texts.setdefault((ref.chunk_id, ref.unit.paragraph), []).append(ref.unit.text)
    return {key: " ".join(parts) for key, parts in texts.items()}


def statement(units: PostingUnits, order: np.ndarray, topic: re.Pattern) -> list[int]:
    """Return the best-scoring paragraph that states a policy, such as equal opportunity, by it or its heading."""
    return _first_paragraph(units, order, lambda ref: bool(topic.search(f"{ref.section}\n{ref.unit.text}")))


def _first_paragraph(units: PostingUnits, order: np.ndarray, wanted: Callable[[UnitRef], bool]) -> list[int]:
    refs = units.refs
    for index in (int(i) for i in order):
        if wanted(refs[index]):
            return [i for i in range(len(refs)) if same_paragraph(refs[i], refs[index])]
    return []


def with_leads(units: PostingUnits, chosen: list[int]) -> list[int]:
    """Bring each list item's lead along, so "January 15, 2024" is not shown without what it is a date of.

    A quote is a run of the posting's text, so a lead that no chosen item
    follows would be quoted alone ("Required: [1]"): up to GAP_ITEMS items
    between them come along too.
    """
    refs = units.refs
    result = list(chosen)
    for index in chosen:
        ref = refs[index]
        if ref.unit.kind != "item" or ref.unit.lead is None:
            continue
        same_chunk = [i for i in range(len(refs)) if refs[i].chunk_id == ref.chunk_id]
        between = [i for i in same_chunk if ref.unit.lead < refs[i].unit.position < ref.unit.position]
        if any(i in result for i in between[:1]) or len([i for i in between if i not in result]) > GAP_ITEMS:
            between = []  # the lead is quoted with the item right after it, or stands alone above a long gap
        lead = [i for i in same_chunk if refs[i].unit.position == ref.unit.lead]
        result += [i for i in lead + between if i not in result]
    return result


def related(order: np.ndarray, scores: np.ndarray) -> list[int]:
    """Return the closest unit for a question the posting does not answer, and a runner-up about as close.

    A runner-up far behind the closest passage is just another part of the
    posting; shown as "the closest it says", it would read as if it were related.
    """
    shifted = positive(scores)
    best = int(order[0])
    return [best] + [int(i) for i in order[1:RELATED_UNITS] if shifted[int(i)] >= shifted[best] * SUPPORT_RATIO]
