"""Citation checks: invalid markers go, the rest are renumbered, quotes come from the chunks."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from langchain_core.documents import Document

from bot.answerers.citations import MarkerFilter, best_quote, check_citations, claims_by_citation, strip_markers
from bot.engine.evidence import UnitRef
from bot.knowledge.text import normalize_space, plain_text
from bot.knowledge.units import Unit

LIMIT = Document(
    page_content=(
        "## Application limit\n\nCandidates can apply for a maximum of TWO positions and will be considered "
        "for jobs in the order you applied for. The application limit is applicable to ByteDance and its "
        "affiliates' jobs globally."
    ),
    metadata={"chunk_id": "limit", "source": "02-start-dates-and-applications.md", "section": "Application limit"},
)
DATES = Document(
    page_content=(
        "## Start dates\n\nSuccessful candidates must be able to commit to one of the following start dates "
        "below:\n\n- January 15, 2024\n- February 5, 2024\n- March 4, 2024\n\nWe will prioritize candidates "
        "who are able to commit to these start dates."
    ),
    metadata={"chunk_id": "dates", "source": "02-start-dates-and-applications.md", "section": "Start dates"},
)
PAY = Document(
    page_content="## Compensation\n\nThe base salary range for this position in the selected city is $136800 - $205000 annually.",
    metadata={"chunk_id": "pay", "source": "05-pay-and-benefits.md", "section": "Compensation"},
)
CHUNKS = [DATES, LIMIT, PAY]


def _verbatim(quote: str, chunk: Document) -> bool:
    return normalize_space(quote) in plain_text(chunk.page_content)


def test_markers_beyond_the_context_are_removed_and_the_rest_renumbered():
    result = check_citations("It covers affiliates [2] [7]. The range starts at $136800 [3][9].", CHUNKS)
    assert result.text == "It covers affiliates [1]. The range starts at $136800 [2]."
    assert [c.id for c in result.citations] == [1, 2]
    assert [c.section for c in result.citations] == ["Application limit", "Compensation"]
    assert result.dropped_markers == 2


def test_only_cited_chunks_are_listed():
    result = check_citations("You may apply to two positions [2].", CHUNKS)
    assert [c.section for c in result.citations] == ["Application limit"]
    assert result.cited_chunks == [LIMIT]


def test_lists_and_repeats_of_markers_are_normalised():
    result = check_citations("Two positions, also at affiliates [2, 2; 1].", CHUNKS)
    assert result.text == "Two positions, also at affiliates [1][2]."
    assert {c.section for c in result.citations} == {"Application limit", "Start dates"}


def test_an_answer_citing_nothing_valid_has_no_citations():
    result = check_citations("The team sponsors visas [0] [12].", CHUNKS)
    assert result.citations == []
    assert result.text == "The team sponsors visas."


def test_quote_is_the_chunk_sentence_that_supports_the_claim():
    result = check_citations("Yes, the limit applies to ByteDance affiliates too [1].", [LIMIT])
    quote = result.citations[0].quote
    assert quote == "The application limit is applicable to ByteDance and its affiliates' jobs globally."
    assert _verbatim(quote, LIMIT)


def test_quote_never_contains_model_text():
    result = check_citations("Candidates may apply to unlimited roles, says the policy [1].", [LIMIT])
    quote = result.citations[0].quote
    assert "unlimited" not in quote and _verbatim(quote, LIMIT)


def test_quote_extends_to_adjacent_units_that_cover_more_of_the_claim():
    quote = best_quote(DATES, "You can start on January 15, 2024 or February 5, 2024.")
    assert quote == "January 15, 2024 February 5, 2024"
    assert _verbatim(quote, DATES)


def test_quote_without_overlap_falls_back_to_the_engine_selection():
    unit = Unit("We will prioritize candidates who are able to commit to these start dates.", "sentence", 2, 4)
    selected = [UnitRef(DATES, unit, unit.text, frozenset())]
    assert best_quote(DATES, "Yes.", selected) == unit.text
    assert (
        best_quote(DATES, "Yes.")
        == "Successful candidates must be able to commit to one of the following start dates below:"
    )


def test_each_citation_is_matched_with_the_sentence_citing_it():
    claims = claims_by_citation("You can apply to two roles [1]. Start in March [2]. Or January [2].")
    assert claims == {1: "You can apply to two roles.", 2: "Start in March. Or January."}


def test_strip_markers_removes_every_marker():
    assert strip_markers("Two roles [1]. Start dates [2, 3] apply [4].") == "Two roles. Start dates apply."


TEXTS = st.lists(
    st.sampled_from(["Two roles", " [1]", " [4]", "[2, 9]", ". ", "[", "]", "3", " ", "x", "[1][1]", "\n"]),
    max_size=25,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(text=TEXTS, cuts=st.lists(st.integers(min_value=0, max_value=200), max_size=8))
def test_streamed_text_equals_text_checked_at_once(text, cuts):
    whole = MarkerFilter(3)
    whole.feed(text)
    whole.flush()
    streamed = MarkerFilter(3)
    bounds = sorted({min(c, len(text)) for c in cuts} | {0, len(text)})
    pieces = [streamed.feed(text[a:b]) for a, b in itertools.pairwise(bounds)] + [streamed.flush()]
    assert "".join(pieces) == whole.text
    assert streamed.renumber == whole.renumber


def test_stream_holds_back_a_marker_until_it_is_complete():
    markers = MarkerFilter(2)
    shown = [markers.feed(d) for d in ["Two roles [", "5", "] and dates [", "2", "]."]] + [markers.flush()]
    assert shown == ["Two roles", "", " and dates", "", " [1].", ""]
    assert "[5" not in "".join(shown)


def test_full_width_markers_are_recognised():
    result = check_citations("两个职位【2】，也适用于关联公司【1、2】。", CHUNKS)
    assert result.text == "两个职位[1]，也适用于关联公司[2][1]。"
    assert [c.section for c in result.citations] == ["Application limit", "Start dates"]
