"""Keyword search over the knowledge: BM25 per posting, spelling correction and term lookup."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from bot.knowledge.lexical import LexicalIndex, query_terms
from bot.knowledge.text import content_terms, stem


def doc(chunk_id: str, posting: str, text: str) -> Document:
    metadata = {"chunk_id": chunk_id, "posting_id": posting, "section": "", "language": "en", "source": f"{posting}.md"}
    return Document(page_content=text, metadata=metadata)


CHUNKS = [
    doc("a-pay", "alpha", "The base salary range is $100000 - $150000 annually."),
    doc("a-dates", "alpha", "Successful candidates must commit to one of the start dates below:\n\n- January 15, 2024"),
    doc("a-benefits", "alpha", "Employees receive medical, dental and vision insurance."),
    doc("b-move", "beta", "We offer a relocation package for international hires."),
    doc("b-pay", "beta", "Compensation is competitive and reviewed yearly."),
    doc("b-team", "beta", "The team works across three offices."),
]


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex(CHUNKS)


def ids(results: list[tuple[Document, float]]) -> list[str]:
    return [d.metadata["chunk_id"] for d, _ in results]


def test_postings_are_listed(index):
    assert index.postings == ["alpha", "beta"]


def test_search_ranks_the_chunk_with_the_term_first(index):
    results = index.search(content_terms("What is the salary?"), 5)
    assert ids(results)[0] == "a-pay"
    assert all(score > 0 for _, score in results)


def test_search_matches_inflected_forms(index):
    assert ids(index.search(content_terms("When is the start date?"), 5))[0] == "a-dates"


def test_search_within_a_posting_only_returns_its_chunks(index):
    assert ids(index.search(content_terms("relocation"), 5)) == ["b-move"]
    assert index.search(content_terms("relocation"), 5, posting="alpha") == []
    assert {d.metadata["posting_id"] for d, _ in index.search(content_terms("insurance salary"), 5, "alpha")} == {
        "alpha"
    }


def test_search_returns_at_most_n_chunks(index):
    assert len(index.search(content_terms("salary start insurance"), 2, posting="alpha")) == 2


def test_search_without_terms_or_for_an_unknown_posting_finds_nothing(index):
    assert index.search([], 5) == []
    assert index.search(content_terms("salary"), 5, posting="gamma") == []
    assert LexicalIndex([]).search(content_terms("salary"), 5) == []


def test_search_finds_a_word_in_one_chunk_of_a_two_chunk_posting():
    small = LexicalIndex([doc("m-move", "mini", CHUNKS[3].page_content), doc("m-pay", "mini", CHUNKS[4].page_content)])
    assert ids(small.search(content_terms("relocation"), 5, posting="mini")) == ["m-move"]


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [
        ("what is the salery?", "what is the salary?"),  # one substitution
        ("when can I strat", "when can I start"),  # a swap of neighbours counts as one edit
        ("is there releocation help", "is there relocation help"),  # long word: two edits allowed
        ("insurnace", "insurance"),
    ],
)
def test_correct_spelling_fixes_typos_of_knowledge_words(index, typed, corrected):
    assert index.correct_spelling(typed) == corrected


@pytest.mark.parametrize("text", ["is it remote", "can I promote it", "what about abid", "hybrid work", "the SALARY"])
def test_correct_spelling_keeps_real_words_and_far_typos(index, text):
    assert index.correct_spelling(text) == text


def test_correct_spelling_without_knowledge_changes_nothing():
    assert LexicalIndex([]).correct_spelling("salery") == "salery"


def test_known_terms_are_looked_up_per_posting(index):
    relocation = stem("relocation")
    assert index.known(relocation)
    assert index.known(relocation, "beta")
    assert not index.known(relocation, "alpha")
    assert not index.known(stem("gym"))
    assert stem("salary") in index.stems("alpha") and stem("salary") not in index.stems("beta")


def test_query_terms_add_english_glossary_expansions_to_the_questions_own_words():
    terms = query_terms("¿Cuál es el salario?", "es", ["salary", "compensation"])
    assert terms[: len(content_terms("¿Cuál es el salario?", "es"))] == content_terms("¿Cuál es el salario?", "es")
    assert {stem("compensation"), stem("salary")} <= set(terms)


def test_query_terms_of_a_chinese_question_keep_its_words_and_reach_english_chunks(index):
    terms = query_terms("薪资是多少", "zh", ["salary"])
    assert "薪资" in terms
    assert ids(index.search(terms, 5, posting="alpha")) == ["a-pay"]
