"""A tiny fictional posting ("acme") as chunks, for unit tests of selection and quoting."""

from __future__ import annotations

from langchain_core.documents import Document

DATES = """## Start dates

Successful candidates must commit to one of the start dates below:

- January 15, 2024
- March 4, 2024
- May 20, 2024

We will prioritize candidates who commit to these dates. Please state your availability."""

TEAM = """## About the team

The team works in Singapore. The team publishes research."""


def chunk(chunk_id: str, markdown: str) -> Document:
    """A knowledge chunk as the ingest makes it, its section taken from the heading."""
    section = markdown.splitlines()[0].lstrip("# ").strip()
    metadata = {
        "chunk_id": chunk_id,
        "posting_id": "acme",
        "section": section,
        "language": "en",
        "source": f"acme/{chunk_id}.md",
    }
    return Document(page_content=markdown, metadata=metadata)
