"""A tiny fictional posting ("acme") as chunks, for unit tests of selection and quoting."""

from __future__ import annotations

import numpy as np
from langchain_core.documents import Document

from bot.engine.evidence import PostingUnits, UnitRef, in_context, list_dates, named_dates, unit_terms
from bot.knowledge.units import split_units
from tests.conftest import TODAY

DATES = """## Start dates

Successful candidates must commit to one of the start dates below:

- January 15, 2024
- March 4, 2024
- May 20, 2024

We will prioritize candidates who commit to these dates. Please state your availability."""

TEAM = """## About the team

The team works in Singapore. The team publishes research."""


def chunk(chunk_id: str, markdown: str, language: str = "en", title: str = "Acme Engineer") -> Document:
    """A knowledge chunk as the ingest makes it, its section taken from the heading."""
    section = markdown.splitlines()[0].lstrip("# ").strip()
    metadata = {
        "chunk_id": chunk_id,
        "posting_id": "acme",
        "title": title,
        "section": section,
        "language": language,
        "source": f"acme/{chunk_id}.md",
    }
    return Document(page_content=markdown, metadata=metadata)


def posting(*chunks: Document) -> PostingUnits:
    """The units of the chunks with one-hot vectors and list-item dates, as UnitIndex builds them."""
    refs = [
        UnitRef(c, unit, in_context(c, unit), unit_terms(c, unit))
        for c in chunks
        for unit in split_units(c.page_content)
    ]
    return PostingUnits(refs, np.eye(len(refs), dtype=np.float32), list_dates(refs, TODAY), named_dates(refs, TODAY))


def index_of(units: PostingUnits, text: str) -> int:
    """Index of the one unit whose text starts with `text`."""
    [index] = [i for i, r in enumerate(units.refs) if r.unit.text.startswith(text)]
    return index


def score(units: PostingUnits, wanted: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Scores from a query vector that gives the named units their scores (others zero), and the ranking."""
    query = np.zeros(len(units), dtype=np.float32)
    for text, value in wanted.items():
        query[index_of(units, text)] = value
    scores = units.similarities(query.tolist())
    return np.argsort(-scores, kind="stable"), scores


BENEFITS = """## Benefits

Employees get medical insurance. Employees get dental insurance. Benefits may change at any time. Offices have free snacks."""


SKILLS = """## Qualifications

You will need:

- Python experience
- Strong communication skills
- A PhD in NLP"""


def texts(units: PostingUnits, chosen: list[int]) -> list[str]:
    """Return the chosen units' texts, in the order given."""
    return [units.refs[i].unit.text for i in chosen]
