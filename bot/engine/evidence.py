"""Every quotable unit of a posting, embedded once, so a question is scored against all of them.

A posting has a few hundred sentences and list items. Embedding each once
(with its section heading, and a list item with its lead) and keeping the
vectors as one matrix makes scoring a question against the whole posting a
single matrix product, which is what the answerability features need: how
far the best unit stands out from the rest, not only how close it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.engine.dates import DateMention, find_dates, unit_date
from bot.knowledge.text import term_set
from bot.knowledge.units import Unit, split_units
from bot.knowledge.vector_cache import vector_file

# A number in digits, or one span of time in words ("for one year", "durante un año", "保留一年"; not "第一天",
# "每一天" or the "一周" in "周一周三").
_NUMBER = re.compile(
    r"\d|\b(?:one|un|una)\s+(?:year|month|week|day|hour|año|mes|semana|día|dia|hora)\b|(?<![第每周星])一(?:年|个月|周|天|个星期|小时)",
    re.IGNORECASE,
)
# An amount of money: a currency sign, code or name, or a Chinese amount in yuan ("1500元", "3千元").
_MONEY = re.compile(
    r"[$£€¥₹]|\b(?:USD|EUR|GBP|RMB|CNY|MXN|COP|dollars?|euros?|pounds?|pesos?|yuan)\b|\d\s*[千万]?\s*(?:元|块)|人民币",
    re.IGNORECASE,
)
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]*\w|https?://\S+|www\.\S+", re.I)
_CLAUSE_BREAK = re.compile(r"[,;]\s*(?:(?:and|or|y|o)\s+)?")
MIN_LISTING_WORDS = 15  # a sentence this long that lists things is also embedded one part at a time
MIN_CLAUSE_WORDS = 3


def clause_parts(text: str) -> list[str]:
    """Cut a long listing sentence at its commas and semicolons into parts of three words or more.

    Words are counted between spaces, so Chinese, written without them, is read whole.
    """
    if len(text.split()) < MIN_LISTING_WORDS:
        return []
    parts: list[str] = []
    for piece in _CLAUSE_BREAK.split(text):
        piece = piece.strip()
        if parts and len(piece.split()) < MIN_CLAUSE_WORDS:
            parts[-1] = f"{parts[-1]}, {piece}"
        elif piece:
            parts.append(piece)
    return parts if len(parts) > 1 else []


@dataclass(frozen=True)
class UnitRef:
    """A unit, the chunk it belongs to, and the text embedded for it."""

    chunk: Document
    unit: Unit
    context: str  # "Section: lead item" as embedded
    terms: frozenset[str]  # stems of the unit and its section heading

    @property
    def chunk_id(self) -> str:
        """Id of the chunk the unit belongs to."""
        return self.chunk.metadata["chunk_id"]

    @property
    def section(self) -> str:
        """Section heading of the unit."""
        return self.chunk.metadata.get("section", "")

    @property
    def own_text(self) -> str:
        """Return the unit with its list lead (an FAQ answer with its question), without its section heading."""
        return self.context.removeprefix(f"{self.section}: ")


def in_context(chunk: Document, unit: Unit) -> str:
    """Return the text embedded for a unit: its section, and for a list item its lead (an FAQ answer its question).

    "January 15, 2024" alone says little; "Start dates: ... start dates below:
    January 15, 2024" says what the date is, as "Do I need a degree? A: No."
    says what "No." is about.
    """
    section = chunk.metadata.get("section", "")
    if unit.lead is not None:
        lead = split_units(chunk.page_content)[unit.lead].text
        return f"{section}: {lead} {unit.text}"
    return f"{section}: {unit.text}"


def _unit_norm(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms == 0, 1, norms)


class PostingUnits:
    """The units of one posting with their vectors and facts (numbers, contacts, dates)."""

    def __init__(
        self,
        refs: list[UnitRef],
        vectors: np.ndarray,
        today_dates: list,
        named: list[tuple],
        parts: tuple[np.ndarray, np.ndarray, list[frozenset[str]]] | None = None,
    ) -> None:
        self.refs = refs
        self.vectors = vectors
        # The parts of long listing sentences: their vectors, the unit each belongs to, and their stems.
        empty: tuple[np.ndarray, np.ndarray, list[frozenset[str]]] = (np.zeros((0, 1)), np.zeros(0, dtype=int), [])
        self.part_vectors, self.part_units, self.part_terms = parts or empty
        self.has_number = np.array([bool(_NUMBER.search(r.unit.text)) for r in refs], dtype=bool)
        self.has_money = np.array([bool(_MONEY.search(r.unit.text)) for r in refs], dtype=bool)
        self.has_contact = np.array([bool(_CONTACT.search(r.unit.text)) for r in refs], dtype=bool)
        self.dates = today_dates
        self.has_dated_items = any(d is not None for d in today_dates)  # a list of dates
        self.names_date = np.array([bool(dates) for dates in named], dtype=bool)  # "start between 1 May and 3 June"
        # The full dates each unit names: "Applications close on March 14, 2031".
        self.mentions = [tuple(m for m in mentions if m.has_day and m.has_year) for mentions in named]
        self.named = [tuple(m.date for m in mentions) for mentions in self.mentions]
        self._date_by_ref = {id(ref): when for ref, when in zip(refs, today_dates, strict=True)}
        self._index = {id(ref): i for i, ref in enumerate(refs)}
        languages = Counter(r.chunk.metadata.get("language", "en") for r in refs)
        self.language = languages.most_common(1)[0][0] if languages else "en"  # the posting's own language

    def date_of(self, ref: UnitRef):
        """Return the date a list item states, or None."""
        return self._date_by_ref.get(id(ref))

    def mentions_of(self, ref: UnitRef) -> tuple:
        """Return the full dates (day and year) a unit names, as DateMentions."""
        return self.mentions[self._index[id(ref)]]

    def __len__(self) -> int:
        return len(self.refs)

    def similarities(self, query_vector: list[float] | None) -> np.ndarray:
        """Cosine similarity of a query to every unit (zeros without a query vector)."""
        if query_vector is None or not len(self.refs):
            return np.zeros(len(self.refs), dtype=np.float32)
        q = _unit_norm(np.asarray(query_vector, dtype=np.float32))
        return self.vectors @ q

    def part_similarities(self, query_vector: list[float] | None) -> np.ndarray:
        """Cosine similarity of a query to every part of a long listing sentence."""
        if query_vector is None or not len(self.part_units):
            return np.zeros(len(self.part_units), dtype=np.float32)
        return self.part_vectors @ _unit_norm(np.asarray(query_vector, dtype=np.float32))


class UnitIndex:
    """The units of every posting, embedded per posting on first use and then kept.

    A small corpus is embedded up front (`warm`); with thousands of postings
    only the ones candidates ask about are embedded.
    """

    def __init__(
        self, chunks: list[Document], embeddings: Embeddings, today, space: str = "", cache_dir: Path | None = None
    ) -> None:
        self.embeddings = embeddings
        self.today = today
        self.space = space
        self.cache_dir = cache_dir  # unit vectors kept here across restarts (None: embed every time)
        self._chunks: dict[str, list[Document]] = {}
        for chunk in chunks:
            self._chunks.setdefault(chunk.metadata["posting_id"], []).append(chunk)
        self._built: dict[str, PostingUnits] = {}

    def warm(self, max_units: int) -> None:
        """Embed postings up front while the corpus holds at most max_units units in all."""
        if sum(len(split_units(c.page_content)) for cs in self._chunks.values() for c in cs) <= max_units:
            for posting in self._chunks:
                self.get(posting)

    def get(self, posting: str) -> PostingUnits:
        """Return a posting's units, embedding them on first use."""
        built = self._built.get(posting)
        if built is None:
            built = self._built[posting] = self._build(posting, self._chunks.get(posting, []))
        return built

    def _build(self, posting: str, chunks: list[Document]) -> PostingUnits:
        refs = [
            UnitRef(chunk, unit, in_context(chunk, unit), unit_terms(chunk, unit))
            for chunk in chunks
            for unit in split_units(chunk.page_content)
        ]
        cache = vector_file(self.cache_dir, self.space, f"units/{posting}")
        vectors = _unit_norm(cache.embed([r.context for r in refs], self.embeddings.embed_documents))
        found = [(i, part) for i, r in enumerate(refs) for part in clause_parts(r.unit.text)]
        parts = None
        if found:
            texts = [f"{refs[i].section}: {part}" for i, part in found]
            part_cache = vector_file(self.cache_dir, self.space, f"parts/{posting}")
            part_vectors = _unit_norm(part_cache.embed(texts, self.embeddings.embed_documents))
            language = [refs[i].chunk.metadata.get("language", "en") for i, _ in found]
            terms = [term_set(part, lang) for (_, part), lang in zip(found, language, strict=True)]
            parts = (part_vectors, np.array([i for i, _ in found]), terms)
        return PostingUnits(refs, vectors, list_dates(refs, self.today), named_dates(refs, self.today), parts)


def named_dates(refs: list[UnitRef], today: dt.date) -> list[tuple[DateMention, ...]]:
    """Return the dates each unit names, in order."""
    return [find_dates(r.unit.text, today, r.chunk.metadata.get("language", "en")) for r in refs]


def list_dates(refs: list[UnitRef], today: dt.date) -> list[dt.date | None]:
    """Return the date each list item states, or None.

    An item is a date when it is essentially one ("Monday 7 July 2031").
    In a list that has such an item, an item with a longer label that names
    one full date is a date of the list too: "Application deadline for this
    round: January 20, 2027" beside "Start: March 1, 2027", so a question about
    January 20 is not told that the posting lists no such date.
    """
    dates = [
        unit_date(r.unit.text, today, r.chunk.metadata.get("language", "en")) if r.unit.kind == "item" else None
        for r in refs
    ]
    dated_lists = {(r.chunk_id, r.unit.paragraph) for r, d in zip(refs, dates, strict=True) if d is not None}
    for i, ref in enumerate(refs):
        if dates[i] is None and ref.unit.kind == "item" and (ref.chunk_id, ref.unit.paragraph) in dated_lists:
            named = find_dates(ref.unit.text, today, ref.chunk.metadata.get("language", "en"))
            if len(named) == 1 and named[0].has_day and named[0].has_year:
                dates[i] = named[0].date
    return dates


def unit_terms(chunk: Document, unit: Unit) -> frozenset[str]:
    """Return the stems of a unit and its section heading.

    Not of the posting's title, which heads the lines above the first section: it names the job every
    unit is about, and "Is there a night shift bonus?" found "Night Shift Dispatcher"'s reference line.
    """
    section = chunk.metadata.get("section", "")
    if section == chunk.metadata.get("title"):
        section = ""
    return term_set(f"{section} {unit.text}", chunk.metadata.get("language", "en"))
