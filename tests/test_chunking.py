"""Chunks are token-bounded, keep their section and have content-derived ids."""

from __future__ import annotations

import tiktoken

from bot.config import PROJECT_ROOT, TOKEN_ENCODING
from bot.knowledge.chunking import chunk_documents
from bot.knowledge.documents import load_knowledge
from bot.knowledge.units import split_units

KNOWLEDGE = PROJECT_ROOT / "knowledge"


def test_chunks_are_token_bounded_and_labelled():
    chunks = chunk_documents(load_knowledge(KNOWLEDGE), 64, 8)
    encoding = tiktoken.get_encoding(TOKEN_ENCODING)
    assert len(chunks) > 14
    for chunk in chunks:
        body = chunk.page_content.split("\n\n", 1)[1]
        assert len(encoding.encode(body)) <= 64
        assert chunk.metadata["posting_id"] == "doubao-llm-research"
        assert chunk.metadata["section"] and chunk.metadata["source"].endswith(".md")
        assert chunk.page_content.startswith("## ")


def test_ids_are_stable_and_follow_content():
    documents = load_knowledge(KNOWLEDGE)
    first = [c.id for c in chunk_documents(documents, 256, 32)]
    again = [c.id for c in chunk_documents(documents, 256, 32)]
    assert first == again and len(set(first)) == len(first)
    smaller = {c.id for c in chunk_documents(documents, 64, 8)}
    assert smaller != set(first)


def test_lists_stay_whole_under_their_lead():
    chunks = chunk_documents(load_knowledge(KNOWLEDGE), 256, 32)
    start = next(c for c in chunks if c.metadata["section"] == "Start dates")
    units = split_units(start.page_content)
    lead = next(u for u in units if u.kind == "lead")
    items = [u for u in units if u.kind == "item"]
    assert len(items) == 7 and all(i.lead == lead.position for i in items)
