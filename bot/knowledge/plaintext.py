"""Give a plain-text posting the structure its layout shows: headings, paragraphs and lists.

Careers sites export postings as text in which a heading is a short line of
its own and a list is a run of lines without markers. Marking them as
Markdown (`## ` and `- `) lets chunking keep sections apart and lets answers
quote one list item at a time. Only markers are added; every line keeps its
words, so quotes stay verbatim. No parser library reads this layout: it is
a convention of exported postings, not a format.

Text copied out of a PDF brings its page furniture along ("Job Announcement
24-117    Page 1 of 3", a running header under it), often in the middle of a
sentence; those lines are dropped and the sentence is joined again.
"""

from __future__ import annotations

import itertools
import re

from bot.knowledge.text import BOARD_GLYPHS, HEADING, LIST_MARKER
from bot.knowledge.wrapping import rejoin_wrapped

MAX_HEADING_WORDS = 9
MAX_HEADING_CHARS = 80
MAX_ITEM_WORDS = 40
_SENTENCE_END = re.compile(r"[.!?。！？;；,，\"”]$")
# "\uf0b7": a PDF's bullet glyph; "·" and "–": how Spanish job boards mark their items ("—" opens dialogue).
_MARKED = re.compile(rf"^\s*(?:[-*+•{BOARD_GLYPHS}\ue000-\uf8ff]|\d+[.)]|\(?[a-z]\))\s+")
_BOARD_GLYPH = re.compile(rf"^\s*[{BOARD_GLYPHS}]\s+")
# "1. POSITION SUMMARY", "2.1 Essential Duties": a numbered section title, not the first item of a list.
_NUMBERED_TITLE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+(?=\S)")
# "Page 2 of 3" ending a line, or "Page 2" alone or set apart by a wide gap; not "see page 2" in a sentence.
_PAGE_NUMBER = re.compile(r"\bpage\s+\d+\s*((?:of|/)\s*\d+)\s*$|(?:^|\s{2,}|\|)\s*page\s+\d+\s*$", re.I)
_LABELLED = re.compile(r"[:：]\s*\S")  # "Opening Date: November 20, 2026" states a fact; "Benefits:" heads some
FURNITURE_REACH = 2  # lines around a page number that a repeated line may be a running header or footer in
_INNER_SENTENCE = re.compile(r"[.!?。！？]\s+\S")
_QUESTION_END = re.compile(r"[?？]\s*$")
# A line ending on a word no sentence ends with ("… a night shift differential of" over "$1.25 per hour …")
# goes on in the next line, whatever that line starts with; "…; and" or "…, or" ends a list's item instead.
_OPEN_END = re.compile(
    r"(?<![;,])\s(?:a|an|the|of|to|for|with|in|on|at|by|from|and|or|nor|as|than|per|via|into|"
    r"de|del|la|el|los|las|un|una|y|o|en|con|por|para|al)$",
    re.IGNORECASE,
)


def _looks_like_heading(line: str) -> bool:
    """A short line that does not end like a sentence, e.g. "Qualifications", "Compensation:" or "3. BENEFITS"."""
    text = line.strip()
    numbered = _NUMBERED_TITLE.match(text)
    if numbered and (text[numbered.end() :].isupper() or "." in numbered.group().strip()[:-1]):
        text = text[numbered.end() :]
    if not text or _MARKED.match(text) or len(text) > MAX_HEADING_CHARS or _LABELLED.search(text):
        return False
    if len(text.split()) > MAX_HEADING_WORDS:
        return False
    return not _SENTENCE_END.search(text)


def _is_wrapped(lines: list[str]) -> bool:
    """Tell whether a block's lines are one paragraph hard-wrapped across lines."""
    return any(
        not _SENTENCE_END.search(a.strip())
        and not a.rstrip().endswith(":")
        and (b.strip()[:1].islower() or _OPEN_END.search(a.rstrip()))
        and not _MARKED.match(b)
        for a, b in itertools.pairwise(lines)
    )


def _is_item(line: str) -> bool:
    """A list item is one short sentence or phrase; a line of several sentences is a paragraph."""
    text = line.strip()
    return bool(_MARKED.match(text)) or (len(text.split()) <= MAX_ITEM_WORDS and not _INNER_SENTENCE.search(text))


def _page_lines(lines: list[str]) -> list[int]:
    """Return the lines that number a page: "… Page 1 of 3", or "Page 2" set apart by a blank line."""
    found = []
    for i, line in enumerate(lines):
        match = _PAGE_NUMBER.search(line)
        if match and not match.group(1):  # "Page 2" alone: a wrapped "… on\npage 4" is no page number
            apart = (i == 0 or not lines[i - 1].strip()) or (i + 1 == len(lines) or not lines[i + 1].strip())
            match = match if apart else None
        if match:
            found.append(i)
    return found


def _running_lines(lines: list[str], pages: list[int]) -> set[int]:
    """Return the lines beside page numbers that recur, their numbers aside, beside two or more of them.

    Two pay steps ("Level 1 $28.50", "Level 2 $31.00") beside one page number are content.
    """
    beside: dict[int, int] = {}  # line -> the page number line it stands beside
    for page in pages:
        for i in range(max(0, page - FURNITURE_REACH), min(len(lines), page + FURNITURE_REACH + 1)):
            if i not in pages and lines[i].strip():
                beside.setdefault(i, page)
    pages_of: dict[str, set[int]] = {}
    for i, page in beside.items():
        pages_of.setdefault(re.sub(r"\d+", "0", lines[i].strip()), set()).add(page)
    return {i for i in beside if len(pages_of[re.sub(r"\d+", "0", lines[i].strip())]) > 1}


def _without_page_furniture(text: str) -> str:
    """Drop page numbers and the running headers and footers beside them; rejoin a sentence they cut.

    A running line recurs beside two page numbers or more: "Bus Technician I
    Rev. 11/2026" under "Page 1 of 3" and under "Page 2 of 3". A line like
    another (a pay step, a shift) is content unless it recurs so.
    """
    lines = text.split("\n")
    pages = _page_lines(lines)
    if not pages:
        return text
    furniture = set(pages) | _running_lines(lines, pages)
    kept: list[str] = []
    last = -1  # the last line of text kept
    for i, line in enumerate(lines):
        if i in furniture:
            continue
        if line.strip():
            page_break = any(j in furniture for j in range(last + 1, i))
            if page_break and last >= 0 and line.strip()[:1].islower() and not _SENTENCE_END.search(lines[last]):
                while not kept[-1].strip():
                    kept.pop()  # the sentence went on after the page break
            last = i
        kept.append(line)
    return "\n".join(kept)


def _items(lines: list[str]) -> list[str]:
    """Join the lines a list item wraps onto ("a) Performs inspections, includ-" + "   ing brakes") to it.

    A wrapped line is indented, or goes on in lower case; "There is no cohort
    in December." under "- 1 March 2027" is a sentence of its own.
    """
    joined: list[str] = []
    for line in lines:
        item = bool(joined) and bool(_MARKED.match(joined[-1])) and not _looks_like_heading(joined[-1])
        if item and not _MARKED.match(line) and (line[:1].isspace() or line.strip()[:1].islower()):
            joined[-1] = f"{joined[-1].rstrip()} {line.strip()}"
        else:
            joined.append(line)
    return joined


def _joined_items(blocks: list[str]) -> list[str]:
    """Join list items that blank lines set apart ("Funciones:", "– Carga…", "– Picking…") into one block.

    Apart, each item was a paragraph of its own and the lead ("Funciones:") a unit that answers nothing.
    """
    joined: list[str] = []
    for block in blocks:
        lines = [line for line in block.splitlines() if line.strip()]
        last = joined[-1].splitlines()[-1] if joined else ""
        # Items under a lead ("Funciones:"), or a board's glyph items; two "- " lists apart stay apart.
        glyph = _marker(lines[0]) in tuple(BOARD_GLYPHS) and _marker(last) == _marker(lines[0])
        continues = glyph or (last.rstrip().endswith((":", "：")) and _marker(lines[0]) != "1")
        if continues and all(_MARKED.match(line) for line in lines):
            joined[-1] = f"{joined[-1]}\n{block.strip(chr(10))}"
        else:
            joined.append(block)
    return joined


def to_markdown(text: str) -> str:
    """Return a plain-text posting with Markdown heading and list markers added.

    A first line that looks like a heading, on its own or above more lines
    (name, place), becomes the `# ` title.
    A short line that opens a block becomes a `## ` heading, unless the block
    before it ends with a colon (then it is the first item of that list) or
    every line of its block looks alike (then the block is a list).
    """
    text = rejoin_wrapped(_without_page_furniture(text.replace("\r\n", "\n").replace("\f", "\n\n")))
    blocks = _joined_items([b for b in re.split(r"\n\s*\n", text.strip()) if b.strip()])
    out: list[str] = []
    previous = ""
    for number, block in enumerate(blocks):
        lines = _items([line.rstrip() for line in block.splitlines() if line.strip()])
        after_lead = previous.rstrip().endswith((":", "："))
        previous = lines[-1]
        if HEADING.match(lines[0]):
            out.append("\n".join(lines))
            continue
        if number == 0 and (len(lines) > 1 or len(blocks) > 1) and _looks_like_heading(lines[0]):
            out.append("# " + lines[0].strip())
            lines = lines[1:]
            if not lines:
                continue
        elif (
            not after_lead
            and _looks_like_heading(lines[0])
            and not _is_wrapped(lines[:2])
            and ((len(lines) == 1 and len(blocks) > 1) or not all(_looks_like_heading(line) for line in lines))
        ):
            out.append("## " + lines[0].strip().rstrip(":："))
            lines = lines[1:]
            if not lines:
                continue
        out.append(_body(lines))
    return "\n\n".join(out) + "\n"


def _body(lines: list[str]) -> str:
    """Render a block's lines as one paragraph, one paragraph per line, or a list with its lead."""
    if len(lines) == 1 or _is_wrapped(lines):
        return " ".join(line.strip() for line in lines)
    first = next((i for i, line in enumerate(lines) if _MARKED.match(line)), 0)
    prose = any(_SENTENCE_END.search(line) for line in lines[: first - 1])
    if first >= 2 and prose and lines[first - 1].rstrip().endswith((":", "：")):
        # "We are hiring … in Getafe." over "Funciones:" and its items: a paragraph, then a list with its lead.
        return f"{_body(lines[: first - 1])}\n\n{_body(lines[first - 1 :])}"
    lead = lines[0] if lines[0].rstrip().endswith((":", "：")) and not _MARKED.match(lines[0]) else None
    body = lines[1:] if lead else lines
    marked = [i for i, line in enumerate(body) if _MARKED.match(line)]
    if marked and marked[-1] < len(body) - 1:
        # An unmarked line after a marked list ends it: "There is no cohort in December." is no date.
        after = "\n\n".join(line.strip() for line in body[marked[-1] + 1 :])
        return f"{_body([*([lead] if lead else []), *body[: marked[-1] + 1]])}\n\n{after}"
    if not all(_is_item(line) for line in body):
        return "\n\n".join(_with_answers([line.strip() for line in lines]))
    items = _list_lines(body)
    return f"{lead}\n\n{items}" if lead else items


def _marker(line: str) -> str | None:
    """Return the kind of a line's list marker: the glyph, "1" for a number, "a" for a letter; None unmarked."""
    marked = _MARKED.match(line)
    if not marked:
        return None
    glyph = marked.group().strip().lstrip("(")[:1]
    return "1" if glyph.isdigit() else "a" if glyph.isalpha() else glyph


def _list_lines(body: list[str]) -> str:
    """Render a block's lines as Markdown list items.

    A job board's own glyph ("· Carné B", "– Contrato indefinido") becomes "- "; an item ending
    with a colon ("Se valorará:") leads the items under it that a different glyph marks, so
    they read as what it introduces.
    """
    lines: list[str] = []
    under: str | None = None  # the marker of the items the last lead introduces
    for i, line in enumerate(body):
        marker = _marker(line)
        if under is not None and marker != under:
            under = None
        if under is not None and marker != "1":
            lines.append("  - " + _MARKED.sub("", line, count=1).strip())  # nested, as Markdown writes it
        else:  # "a) …" keeps its letter; a Markdown marker ("- ", "1. ") is kept as written
            lines.append(line if LIST_MARKER.match(line) else "- " + _BOARD_GLYPH.sub("", line).strip())
        following = _marker(body[i + 1]) if i + 1 < len(body) else None
        if under is None and line.rstrip().endswith((":", "：")) and following not in (None, marker):
            under = following
    return "\n".join(lines)


def _with_answers(paragraphs: list[str]) -> list[str]:
    """Join each question line to the answer line under it ("Q: Can I work part-time?" "A: No, …").

    A question quoted without its answer answers nothing; as one paragraph they are quoted together.
    """
    joined: list[str] = []
    for line in paragraphs:
        if joined and _QUESTION_END.search(joined[-1]) and not _QUESTION_END.search(line):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined
