"""Find the passage of a posting that describes the employer, and the header that names it.

"Tell me about the company" shares no word with that passage ("company" is in
every posting), so it is found by where postings put it: under a heading such
as "About us", or in an opening sentence that starts with the employer's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.engine.evidence import PostingUnits
from bot.knowledge.language import has_han, tokenize
from bot.knowledge.text import is_content_word, trim_symbols

MIN_OPENING_WORDS = 8  # a sentence near the top this long, ending like prose, may describe the employer
OPENING_SENTENCES = 3  # how many of the posting's first prose sentences may be that one
_PROSE_END = re.compile(r"[.。!！]\s*$")


def employer(units: PostingUnits, is_heading: Callable[[str, str], bool]) -> int | None:
    """Return the first unit describing the employer, or None when the posting has no such passage.

    That is the first unit under a heading such as "About us" (`is_heading` reads a heading in a
    language), else one of the first prose sentences that opens with a name the posting's header carries
    ("Pinecrest Hardware & Garden is a family-owned chain…" under "Overnight Stock Associate -
    Pinecrest Hardware & Garden"): its title and the lines before its first heading.
    """
    refs = units.refs
    for i, ref in enumerate(refs):
        if is_heading(ref.section, ref.chunk.metadata.get("language", units.language)):
            return i
    names = header(units)
    opening = [i for i, ref in enumerate(refs) if ref.unit.kind == "sentence" and _is_prose(ref.unit.text)]
    for i in opening[:OPENING_SENTENCES]:
        if _opens_with_name(refs[i].unit.text, names, refs[i].chunk.metadata.get("language", units.language)):
            return i
    return None


def header(units: PostingUnits) -> str:
    """Return a posting's header: its title, and the short lines or lines of facts before its first heading."""
    refs = units.refs
    if not refs:
        return ""
    lines = [ref.unit.text for ref in refs if ref.section == refs[0].section and not _is_prose(ref.unit.text)]
    return " ".join([refs[0].chunk.metadata.get("title", ""), refs[0].section, *lines])


def _is_prose(text: str) -> bool:
    """Tell whether a line is a sentence of prose: long enough, and ending like one."""
    text = text.strip()
    # Words as written: tokenize would count "S.A. de C.V." (a company's name line) as eight.
    return len(tokenize(text) if has_han(text) else text.split()) >= MIN_OPENING_WORDS and bool(_PROSE_END.search(text))


def _opens_with_name(text: str, names: str, language: str) -> bool:
    """Tell whether a sentence opens with a word of the names: a capitalised word, or two Chinese characters."""
    text = text.strip()
    if has_han(text[:2]):
        return text[:2] in names
    first = trim_symbols(text.split()[0]) if text.split() else ""
    named = re.search(rf"(?<!\w){re.escape(first)}(?!\w)", names, re.IGNORECASE) if first else None
    return first[:1].isupper() and is_content_word(first.lower(), language) and named is not None
