"""Split a chunk of knowledge into quotable units: sentences, list items, leads and FAQ questions.

A unit is a sentence of a paragraph or one item of a list: the smallest piece
an answer can quote verbatim. A paragraph that ends with a colon and is
followed by a list is a "lead"; the list belongs to it. A posting written
line by line, as job boards do ("✅ …", "（1）…", "Salario: …"), is read by
its lines the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.knowledge.text import (
    HEADING,
    LIST_MARKER,
    SYMBOL_MARKER,
    TABLE_ROW,
    TABLE_RULE,
    is_fragment,
    plain_line,
    split_sentences,
)

FAQ_ANSWER_SENTENCES = 2  # a question heading over a longer paragraph ("## Why join us?") is a title, not an FAQ
_BOLD_ONLY = re.compile(r"(\*\*|__)[^*_\n]+\1\s*[:：]?")  # "📍 **Where you will work**": a heading, not an item
MAX_LABEL_WORDS = 4
# A line that starts with a label ("Salary: €31,500", "**Jornada:** de lunes a viernes", "工作地点：昆山"):
# lines of labels are facts of their own, however they end.
_LABEL_LINE = re.compile(r"^(?!https?:)([^\s\d:：][^:：.!?。！？,，;；]{0,30})[:：](?=\s*\S)")
# "Q: Is it remote? A: No.", "P: ¿Es remoto? R: No.", "问：可以远程吗？答：不可以。": an FAQ pair on one line.
_ASKED_AND_ANSWERED = re.compile(
    r"^(\W*(?:Q|P|Question|Pregunta|问)\s*[:：.].*?[?？]\W*?)\s*((?<![\w])[*_]*(?:A|R|Answer|Respuesta|答)\s*[:：.].*)$"
)
_SENTENCE_ENDS = (".", "!", "?", ":", ";", "。", "！", "？", "：", "；")
_NUMBER_MARKER = re.compile(r"^\s*(?:[（(]\d{1,2}[）)]|[\u2460-\u2473])\s*(?=\S)")  # "（1）负责…", "(2) …", "① …"


@dataclass(frozen=True)
class Unit:
    """One quotable sentence or list item of a chunk."""

    text: str
    kind: str  # "sentence", "lead" (ends with a colon, owns a list), "item" or "question" (an FAQ's, over its answer)
    paragraph: int
    position: int
    lead: int | None = None  # position of the lead that owns this item, or of the FAQ question this answers
    depth: int = 0  # how deep in a Markdown list: 1 for its items, 2 for a list indented under one of them


def _is_item(line: str, numbered: bool = False) -> bool:
    """Tell whether a line is a list item, marked in Markdown or with a symbol ("✅ …"), or numbered ("（1）…").

    A symbol-marked title ("📍 **Where you will work**"), question ("❓ Can I
    work weekdays only?") or paragraph of several sentences is prose; a line
    opening with "(2)" is an item only among others so numbered (`numbered`),
    since "(30) days of hire." may be the rest of a wrapped sentence.
    """
    if LIST_MARKER.match(line):
        return True
    if numbered and _NUMBER_MARKER.match(line):
        return True
    marker = SYMBOL_MARKER.match(line)
    if marker is None:
        return False
    rest = line[marker.end() :].strip()
    text = plain_line(rest)
    return not _BOLD_ONLY.fullmatch(rest) and not text.endswith(("?", "？")) and len(split_sentences(text)) == 1


def _numbered(lines: list[str]) -> bool:
    """Tell whether a block numbers two or more of its lines ("（1）…", "（2）…")."""
    return sum(bool(_NUMBER_MARKER.match(line)) for line in lines) >= 2


def _is_label_line(text: str) -> bool:
    """Tell whether a line of plain text opens with a short label and a colon ("Salario: 1.650 €")."""
    label = _LABEL_LINE.match(text)
    return label is not None and len(label.group(1).split()) <= MAX_LABEL_WORDS


@lru_cache(maxsize=16384)
def split_units(chunk_text: str) -> tuple[Unit, ...]:
    """Split a chunk's Markdown body into sentences and list items (cached: chunks recur).

    A block whose list lines follow one or more lines of prose ("**Required**"
    then "- A bachelor's degree") is a lead paragraph with its list.
    """
    units: list[Unit] = []
    paragraph = 0
    last_lead: int | None = None
    asked: str | None = None  # a heading or line that asks ("### Can students apply?"): quoted with its answer
    blocks = re.split(r"\n\s*\n", chunk_text.strip())
    for at, block in enumerate(blocks):
        headings = [plain_line(HEADING.sub("", line)) for line in block.splitlines() if HEADING.match(line)]
        if headings:
            asked = headings[-1] if headings[-1].endswith(("?", "？")) else None
        lines = [line for line in block.splitlines() if line.strip() and not HEADING.match(line)]
        numbered = _numbered(lines)
        lines = _with_continuations(
            [part for line in lines for part in ([line] if _is_item(line, numbered) else _question_and_answer(line))],
            numbered,
        )
        if len(lines) == 1 and _asks(lines[0]) and at + 1 < len(blocks) and _short_answer(blocks[at + 1]):
            asked = plain_line(lines[0])  # "**Can I work weekdays only?**" on a line of its own, as in an FAQ
            continue
        if len(lines) > 1 and _asks(lines[0]) and _short_answer("\n".join(lines[1:])):
            asked = plain_line(lines.pop(0))  # "**Q: Do you sponsor visas?**" over "A: Yes. …" in one block
        while lines:
            if TABLE_ROW.match(lines[0]):
                rows = []
                while lines and TABLE_ROW.match(lines[0]):
                    rows.append(lines.pop(0))
                units += _table_units(rows, paragraph, len(units), last_lead)
                asked = None  # a question heading over a table is answered by the table, not the text after it
                paragraph += 1
                continue
            is_list = _is_item(lines[0], numbered)
            run = []
            while lines and _is_item(lines[0], numbered) == is_list and not TABLE_ROW.match(lines[0]):
                run.append(lines.pop(0))
            if is_list:
                units += _list_units(run, paragraph, len(units), last_lead)
            else:
                last_lead = None
                sentences = _prose(run)
                question = None
                if asked and len(sentences) <= FAQ_ANSWER_SENTENCES:
                    # "No. Every shift lead works a weekend shift." answers only the question above it,
                    # which is read with it as a list's lead is read with an item
                    question = len(units)
                    units.append(Unit(asked, "question", paragraph, question))
                for i, sentence in enumerate(sentences):
                    is_lead = i == len(sentences) - 1 and (sentence.endswith((":", "：")) or bool(lines))
                    units.append(Unit(sentence, "lead" if is_lead else "sentence", paragraph, len(units), question))
                    if is_lead:
                        last_lead = units[-1].position
            asked = None
            paragraph += 1
    return tuple(units)


def _with_continuations(lines: list[str], numbered: bool) -> list[str]:
    """Join the lines a list item wraps onto to it ("- Tuition assistance after 6 months of" + "  service.").

    As in Markdown, a wrapped line is indented, or (written lazily) goes on in
    lower case after an item that does not end a sentence; "Apply by email."
    under a list is a sentence of its own.
    """
    joined: list[str] = []
    for line in lines:
        item = bool(joined) and _is_item(joined[-1], numbered) and not _is_item(line, numbered)
        lazy = line.strip()[:1].islower() and not joined[-1].rstrip().endswith(_SENTENCE_ENDS) if joined else False
        if item and not TABLE_ROW.match(line) and (line[:1].isspace() or lazy):
            joined[-1] = f"{joined[-1].rstrip()} {line.strip()}"
        else:
            joined.append(line)
    return joined


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _list_units(run: list[str], paragraph: int, start: int, lead: int | None) -> list[Unit]:
    """Make each line of a list an item; an item ending with a colon over indented ones is their lead.

    "- **Nice to have:**" over "  - Experience with GraphQL" says how much the
    item counts: a candidate asking "do I need GraphQL?" must read both.
    """
    units: list[Unit] = []
    nested: list[tuple[int, int]] = []  # (indent, position) of each lead the current line is nested under
    for i, line in enumerate(run):
        while nested and _indent(line) <= nested[-1][0]:
            nested.pop()  # back out of a nested list, one level at a time
        text, depth = plain_line(line), len(nested) + 1
        if text.endswith((":", "：")) and i + 1 < len(run) and _indent(run[i + 1]) > _indent(line):
            owner = nested[-1][1] if nested else None
            units.append(Unit(text, "lead", paragraph, start + len(units), owner, depth))
            nested.append((_indent(line), units[-1].position))
        else:
            owner = nested[-1][1] if nested else lead
            units.append(Unit(text, "item", paragraph, start + len(units), owner, depth))
    return units


def is_title(unit: Unit) -> bool:
    """Tell whether a unit is a list's title rather than a sentence ("Qué ofrecemos", "二、【岗位职责】").

    A posting written line by line heads its lists with such lines instead of
    Markdown headings; like a heading, a title is quoted with its list, never
    found by itself.
    """
    return unit.kind == "lead" and not re.search(r"[.!?:。！？：]", unit.text)


def _question_and_answer(line: str) -> list[str]:
    """Cut a line that asks and answers ("Q: Is it remote? A: No.") into its question and its answer."""
    both = _ASKED_AND_ANSWERED.match(line)
    return [both.group(1), both.group(2)] if both else [line]


def _asks(line: str) -> bool:
    """Tell whether a line of prose is a question ("**Can students apply?**")."""
    return not _is_item(line) and not TABLE_ROW.match(line) and plain_line(line).endswith(("?", "？"))


def _short_answer(block: str) -> bool:
    """Tell whether a block is a paragraph short enough to be an FAQ answer (not a list, table or heading)."""
    lines = [line for line in block.splitlines() if line.strip()]
    if not lines or any(HEADING.match(line) or _is_item(line) or TABLE_ROW.match(line) for line in lines):
        return False
    return len(_prose(lines)) <= FAQ_ANSWER_SENTENCES


def _prose(lines: list[str]) -> list[str]:
    """Return the sentences of lines of prose, fragments joined to their neighbours.

    A line that opens with a label starts a sentence of its own: "Jornada: de
    lunes a viernes" under "Salario: 1.650 €" is a fact, not the rest of one,
    and a short one ("Ubicación: Madrid") is not joined to its neighbour.
    """
    runs: list[str] = []
    for line in (plain_line(line) for line in lines):
        # A label opens a fact after a finished sentence or another label, not inside a wrapped one ("…start at\n9:00").
        after_a_fact = bool(runs) and (runs[-1][-1:] in ".!?。！？" or _is_label_line(runs[-1]))
        if runs and not (after_a_fact and _is_label_line(line)):
            runs[-1] = f"{runs[-1]} {line}"
        else:
            runs.append(line)
    return [sentence for run in runs for sentence in _join_fragments(split_sentences(run))]


def _table_units(rows: list[str], paragraph: int, start: int, lead: int | None = None) -> list[Unit]:
    """Make each row of a Markdown table below its header a list item ("Salary | EUR 3,450").

    Quoted whole, a table of benefits is about everything and answers nothing
    exactly. A row keeps its words and the pipes between its cells, so each
    quote is still the posting's text. A two-column header ("Benefit |
    Details") says nothing a row does not; a wider one ("Level | Salary |
    Bonus") is the lead its rows are read and quoted with; otherwise the rows
    belong to the lead above the table ("What we offer:"), if any.
    """
    header = rows[0] if len(rows) > 1 and TABLE_RULE.match(rows[1]) else None
    body = [row for row in (rows[2:] if header else rows) if not TABLE_RULE.match(row)]
    texts = [plain_line(row) for row in body]
    texts = [t for t in texts if t.strip("| ")]  # an empty spacer row says nothing
    units = []
    if header is not None and header.count("|") - 1 > 2:
        lead = start
        units.append(Unit(plain_line(header), "lead", paragraph, start))
    return units + [Unit(t, "item", paragraph, start + len(units) + i, lead) for i, t in enumerate(texts)]


def _join_fragments(sentences: list[str]) -> list[str]:
    """Join a fragment to the sentence before it (and a sentence to a fragment before it).

    "Status quo? Never. Courage? Always." states nothing on its own; as units,
    two-word fragments come closest to every short question in the dense search.
    """
    joined: list[str] = []
    for sentence in sentences:
        if joined and (is_fragment(sentence) or is_fragment(joined[-1])):
            joined[-1] = f"{joined[-1]} {sentence}"
        else:
            joined.append(sentence)
    return joined
