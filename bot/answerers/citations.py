"""Check the `[n]` citations of a model's answer against the numbered context.

The model's markers are not trusted: markers that point to no provided chunk
are dropped, the rest are renumbered by first appearance, and each cited
chunk gets a quote chosen here from the chunk itself (the sentences that
best support the answer sentences citing it), never text the model wrote.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from langchain_core.documents import Document

from bot.answerers.base import Citation
from bot.engine.evidence import UnitRef
from bot.knowledge.text import content_terms, join_sentences, normalize_space, plain_text
from bot.knowledge.units import Unit, split_units

# `[2]`, `[1, 3]`, `[1][2]` or `【2】` (common in Chinese output) with the whitespace before them.
_MARKER = re.compile(r"(\s*)[\[【]\s*(\d{1,3}(?:\s*[,;，、]\s*\d{1,3})*)\s*[\]】]")
# A tail that may still grow into a marker: hold it back while streaming.
_PARTIAL = re.compile(r"\s*([\[【][\d,;，、\s]*)?$")
_MAX_HELD = 40
_ANSWER_SENTENCE = re.compile(r"(?<=[.!?\]])\s+(?=[A-Z0-9\"(“])")
MAX_QUOTE_UNITS = 3
EXTEND_RATIO = 0.5  # a neighbour joins the quote only if it supports the claim about as well


class MarkerFilter:
    """Drop invalid `[n]` markers and renumber the rest, also on streamed text.

    Numbers are assigned by first appearance, so the text emitted while
    streaming already carries the final numbering.
    """

    def __init__(self, chunk_count: int) -> None:
        self.chunk_count = chunk_count
        self.renumber: dict[int, int] = {}
        self.dropped = 0
        self._held = ""
        self._text: list[str] = []

    def _replace(self, match: re.Match) -> str:
        seen: list[int] = []
        for raw in re.findall(r"\d+", match.group(2)):
            number = int(raw)
            if not 1 <= number <= self.chunk_count:
                self.dropped += 1
                continue
            new = self.renumber.setdefault(number, len(self.renumber) + 1)
            if new not in seen:
                seen.append(new)
        if not seen:
            return ""
        return match.group(1) + "".join(f"[{n}]" for n in seen)

    def feed(self, delta: str) -> str:
        """Take streamed text; return the part that is safe to show now."""
        text = _MARKER.sub(self._replace, self._held + delta)
        tail = _PARTIAL.search(text)
        cut = tail.start() if tail and len(text) - tail.start() <= _MAX_HELD else len(text)
        self._held = text[cut:]
        out = text[:cut]
        self._text.append(out)
        return out

    def flush(self) -> str:
        """Return what was held back at the end of the stream."""
        out, self._held = self._held, ""
        self._text.append(out)
        return out

    @property
    def text(self) -> str:
        """Everything emitted so far."""
        return "".join(self._text)

    def cited_chunks(self) -> dict[int, int]:
        """Map new citation numbers to 1-based positions in the context."""
        return {new: old for old, new in self.renumber.items()}


def tidy(text: str) -> str:
    """Remove spaces left before punctuation where markers were dropped."""
    return re.sub(r"[ \t]+([.,;:!?])", r"\1", text).strip()


def strip_markers(text: str) -> str:
    """Remove every `[n]` marker (for matching text and for history)."""
    return tidy(_MARKER.sub("", text))


@dataclass
class CitedAnswer:
    """A model answer after its citations were checked."""

    text: str
    citations: list[Citation]
    cited_chunks: list[Document] = field(default_factory=list)
    dropped_markers: int = 0


def claims_by_citation(text: str) -> dict[int, str]:
    """Return, per citation number, the answer sentences that cite it."""
    claims: dict[int, list[str]] = {}
    for sentence in _ANSWER_SENTENCE.split(text):
        numbers = [int(n) for m in _MARKER.finditer(sentence) for n in re.findall(r"\d+", m.group(2))]
        bare = strip_markers(sentence)
        for number in numbers:
            claims.setdefault(number, []).append(bare)
    return {number: " ".join(parts) for number, parts in claims.items()}


def _body_units(chunk: Document) -> tuple[Unit, ...]:
    """Quotable units of a chunk, without its heading line."""
    return split_units(chunk.page_content)


def _overlap(unit_terms: set[str], claim_terms: set[str]) -> float:
    if not unit_terms:
        return 0.0
    return len(unit_terms & claim_terms) / math.sqrt(len(unit_terms))


def best_quote(chunk: Document, claim: str, selected: list[UnitRef] | None = None) -> str:
    """Return the verbatim sentence(s) of a chunk that best support a claim.

    The best unit by word overlap is extended with adjacent units that cover
    more of the claim and match it nearly as well, so a quote stays one
    contiguous, verbatim span.
    Without any overlap the engine's best-scored unit of the chunk is used.
    """
    units = _body_units(chunk)
    if not units:
        return normalize_space(plain_text(chunk.page_content))
    claim_terms = set(content_terms(claim))
    terms = [set(content_terms(u.text)) for u in units]
    scores = [_overlap(t, claim_terms) for t in terms]
    best = max(range(len(units)), key=lambda i: scores[i])
    if scores[best] == 0:
        chunk_id = chunk.metadata.get("chunk_id")
        ranked = [s for s in selected or [] if s.chunk_id == chunk_id]  # selected is best first
        return ranked[0].unit.text if ranked else units[0].text
    start = end = best
    covered = terms[best] & claim_terms
    while end - start + 1 < MAX_QUOTE_UNITS:
        options = []
        for index in (start - 1, end + 1):
            if 0 <= index < len(units):
                gain = len((terms[index] & claim_terms) - covered)
                if gain and scores[index] >= EXTEND_RATIO * scores[best]:
                    options.append((gain, index))
        if not options:
            break
        _, index = max(options)
        covered |= terms[index] & claim_terms
        start, end = min(start, index), max(end, index)
    quote = join_sentences(u.text for u in units[start : end + 1])
    if normalize_space(quote) not in normalize_space(plain_text(chunk.page_content)):
        return units[best].text
    return quote


def check_citations(text: str, chunks: list[Document], selected: list[UnitRef] | None = None) -> CitedAnswer:
    """Validate a complete answer's markers and build its citation list."""
    markers = MarkerFilter(len(chunks))
    markers.feed(text)
    markers.flush()
    return build_citations(markers, chunks, selected)


def build_citations(
    markers: MarkerFilter, chunks: list[Document], selected: list[UnitRef] | None = None
) -> CitedAnswer:
    """Build the citation list of the text a marker filter let through."""
    text = tidy(markers.text)
    cited = markers.cited_chunks()
    claims = claims_by_citation(text)
    citations = []
    cited_chunks = []
    for new in sorted(cited):
        chunk = chunks[cited[new] - 1]
        citations.append(
            Citation(
                id=new,
                source=chunk.metadata.get("source", ""),
                section=chunk.metadata.get("section", ""),
                quote=best_quote(chunk, claims.get(new, text), selected),
            )
        )
        cited_chunks.append(chunk)
    return CitedAnswer(text=text, citations=citations, cited_chunks=cited_chunks, dropped_markers=markers.dropped)
