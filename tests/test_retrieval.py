"""Hybrid retrieval returns fused chunks with both scores, filtered by posting."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from bot.config import Settings
from bot.engine.engine import Engine
from bot.knowledge.lexical import query_terms
from bot.knowledge.retrieval import SearchQuery
from tests.conftest import FICTIONAL, KNOWLEDGE


def query(text: str) -> SearchQuery:
    return SearchQuery(text, tuple(query_terms(text, "en")))


def test_fused_chunks_carry_dense_lexical_and_fused_scores(engine):
    result = engine.retriever.search(query("How many positions can I apply for?"), "doubao-llm-research")
    top = result.chunks[0]
    assert top.metadata["section"] == "Application limit"
    assert top.metadata["dense_score"] is not None and top.metadata["lexical_score"] is not None
    assert top.metadata["fused_score"] >= result.chunks[-1].metadata["fused_score"]
    assert set(result.timings) == {"embed_ms", "dense_ms", "lexical_ms", "fuse_ms"}


def test_langchain_retriever_interface_accepts_a_posting_filter(engine):
    docs = engine.retriever.invoke("What are the start dates?", posting="doubao-llm-research")
    assert docs and docs[0].metadata["posting_id"] == "doubao-llm-research"


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> Engine:
    """An engine over two postings: the seed and the fictional one (built on the real embedding model)."""
    root = tmp_path_factory.mktemp("two-postings")
    shutil.copytree(KNOWLEDGE, root / "knowledge", dirs_exist_ok=True)
    shutil.copytree(FICTIONAL, root / "knowledge", dirs_exist_ok=True)
    return Engine.build(Settings(data_dir=root / "data", knowledge_dir=root / "knowledge", today=dt.date(2026, 11, 29)))


@pytest.mark.slow
def test_posting_filter_with_two_postings(both):
    assert both.lexical.postings == ["doubao-llm-research", "zephyr-data-engineer"]
    for posting in both.lexical.postings:
        chunks = both.retriever.search(query("What are the start dates?"), posting).chunks
        assert chunks and {c.metadata["posting_id"] for c in chunks} == {posting}
    answer = both.ask("What are the start dates?", [], "zephyr-data-engineer").response
    assert "October 3, 2031" in answer.answer and "2024" not in answer.answer


@pytest.mark.slow
def test_a_job_named_in_the_question_or_after_which_job_is_answered_about(both):
    asked = both.ask("When can I start?").response
    assert asked.answer_type == "clarify" and "zephyr-data-engineer" in asked.answer
    # "zephyr-data-engineer" answers the question asked before it, for that job
    history = [{"role": "user", "content": "When can I start?"}, {"role": "assistant", "content": asked.answer}]
    chosen = both.ask("zephyr-data-engineer", history).response
    assert chosen.status == "answered" and "October 3, 2031" in chosen.answer and "bakery" not in chosen.answer
    # the job's name is not searched for: it would find the company's description, not the start dates
    named = both.ask("What are the start dates for the Zephyr Pretzel Works job?").response
    assert named.status == "answered" and "October 3, 2031" in named.answer and "bakery" not in named.answer
    # a question whose topic is the job's own words is still a question, not a reply naming a job
    assert both.ask("What do data engineers do at Zephyr?").response.answer_type != "invitation"


def test_spelling_is_corrected_against_the_knowledge_but_real_words_are_kept(engine):
    assert engine.lexical.correct_spelling("wat are the strat dates") == "wat are the start dates"
    assert engine.lexical.correct_spelling("Is this role remote?") == "Is this role remote?"
