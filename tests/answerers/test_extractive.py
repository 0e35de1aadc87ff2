"""Extractive answers: quoted units grouped into cited runs, and the composer on the fast engine.

The first half builds units by hand and checks how selected units become
numbered, verbatim citations and readable text. The second half asks the
engine on fake embeddings (no model) about the project's knowledge and checks
what a candidate would notice: a cited answer, quotes that are really in the
posting, both parts of a two-part question, and what it says about dates.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from langchain_core.documents import Document

from bot.answerers.base import ChatAnswer, Evidence
from bot.answerers.date_replies import compare, listed_dates
from bot.answerers.extractive import Citations, ExtractiveAnswerer, groups, quote, render
from bot.config import Settings
from bot.engine.dates import describe_date, question_dates, unit_date
from bot.engine.evidence import UnitRef, in_context
from bot.engine.replies import fill, replies
from bot.knowledge.text import normalize_space, plain_text, term_set
from bot.knowledge.units import split_units
from tests.conftest import KNOWLEDGE, TODAY
from tests.mini_posting import DATES, TEAM, chunk, index_of, posting

DATES_CHUNK, TEAM_CHUNK = chunk("dates", DATES), chunk("team", TEAM)


def refs(doc: Document, *starts: str) -> list[UnitRef]:
    """The units of a chunk whose text starts with each of `starts`, in that order."""
    units = split_units(doc.page_content)
    found = [next(u for u in units if u.text.startswith(s)) for s in starts]
    return [UnitRef(doc, u, in_context(doc, u), term_set(u.text)) for u in found]


LEAD = "Successful candidates"


# --- groups, quote, render -----------------------------------------------


def test_groups_put_a_lead_and_its_items_in_reading_order_as_one_run():
    [run] = groups(refs(DATES_CHUNK, "May 20", LEAD, "January 15", "March 4"))
    assert [u.text for u in run.units] == [
        "Successful candidates must commit to one of the start dates below:",
        "January 15, 2024",
        "March 4, 2024",
        "May 20, 2024",
    ]


def test_groups_split_at_a_gap_and_per_chunk_in_order_of_first_appearance():
    runs = groups(refs(TEAM_CHUNK, "The team works") + refs(DATES_CHUNK, "January 15", "We will prioritize"))
    assert [[u.text for u in r.units] for r in runs] == [
        ["The team works in Singapore."],
        ["January 15, 2024"],
        ["We will prioritize candidates who commit to these dates."],
    ]
    assert [r.ref.chunk_id for r in runs] == ["team", "dates", "dates"]


def test_groups_quote_a_unit_selected_twice_once():
    [run] = groups(refs(TEAM_CHUNK, "The team works", "The team publishes", "The team works"))
    assert len(run.units) == 2


def test_quote_is_verbatim_knowledge_text():
    for selected in (
        refs(DATES_CHUNK, LEAD, "January", "March", "May"),
        refs(TEAM_CHUNK, "The team works", "The team publishes"),
    ):
        [run] = groups(selected)
        assert normalize_space(quote(run.units)) in plain_text(DATES + "\n\n" + TEAM)


def test_quote_keeps_list_items_on_their_own_lines():
    [run] = groups(refs(DATES_CHUNK, LEAD, "January", "March"))
    assert quote(run.units).splitlines() == [
        "Successful candidates must commit to one of the start dates below:",
        "January 15, 2024",
        "March 4, 2024",
    ]


def test_render_shows_several_items_as_a_bullet_list_under_their_lead():
    [run] = groups(refs(DATES_CHUNK, LEAD, "January", "March"))
    lines = render(run.units).splitlines()
    assert lines[0].endswith("below:")
    assert lines[1:] == ["- January 15, 2024", "- March 4, 2024"]


def test_a_nested_lists_lead_starts_a_line_of_its_own_under_the_items_before_it():
    # "Nice to have:" was glued onto the last required item ("TypeScript or Go Nice to have:").
    units = list(split_units("- **Must have:**\n  - TypeScript or Go\n- **Nice to have:**\n  - GraphQL\n  - gRPC"))
    assert quote(units).splitlines() == ["Must have:", "TypeScript or Go", "Nice to have:", "GraphQL", "gRPC"]
    assert render(units).splitlines() == [
        "- Must have:",
        "  - TypeScript or Go",
        "- Nice to have:",
        "  - GraphQL",
        "  - gRPC",
    ]
    # "A clean driving licence" after the nested list is no nice-to-have
    after = list(split_units("- Nice to have:\n  - Route-planning apps\n- A clean driving licence"))
    assert render(after).splitlines() == ["- Nice to have:", "  - Route-planning apps", "- A clean driving licence"]


def test_render_shows_one_item_and_sentences_as_prose():
    [item] = groups(refs(DATES_CHUNK, "March"))
    assert render(item.units) == "March 4, 2024"
    [prose] = groups(refs(TEAM_CHUNK, "The team works", "The team publishes"))
    assert render(prose.units) == "The team works in Singapore. The team publishes research."


def test_citations_are_numbered_by_first_use_and_each_run_is_cited_once():
    cite = Citations()
    [team] = groups(refs(TEAM_CHUNK, "The team works"))
    [dates] = groups(refs(DATES_CHUNK, "March"))
    assert [cite.cite(team), cite.cite(dates), cite.cite(team)] == [1, 2, 1]
    assert [(c.id, c.source, c.section, c.quote) for c in cite.citations] == [
        (1, "acme/team.md", "About the team", "The team works in Singapore."),
        (2, "acme/dates.md", "Start dates", "March 4, 2024"),
    ]


def test_new_sentences_around_one_shown_already_are_quoted_with_it_as_one_run():
    # "试用期多久，工资打几折" quoted sentences one and three of a paragraph as one passage, skipping the second,
    # which the first part's answer had shown: no such passage is in the posting.
    pay = chunk(
        "pay", "## Pay\n\nBase pay is 8,000. Probation lasts three months at 80% pay. Commission is paid monthly."
    )
    cite = Citations()
    assert cite.quoted(refs(pay, "Probation")) == ["Probation lasts three months at 80% pay. [1]"]
    [whole] = cite.quoted(refs(pay, "Base pay", "Probation", "Commission"))
    assert whole == "Base pay is 8,000. Probation lasts three months at 80% pay. Commission is paid monthly. [2]"


def test_quoted_paragraphs_end_with_their_citation_number():
    cite = Citations()
    paragraphs = cite.quoted(refs(TEAM_CHUNK, "The team works") + refs(DATES_CHUNK, LEAD, "January"))
    assert paragraphs[0] == "The team works in Singapore. [1]"
    assert paragraphs[1].endswith("January 15, 2024 [2]")
    assert cite.quoted(refs(TEAM_CHUNK, "The team works")) == []  # quoted once per answer
    assert cite.markers(refs(TEAM_CHUNK, "The team works")) == "[1]"
    assert len(cite.citations) == 2


def test_a_run_already_shown_is_not_repeated_and_an_overlapping_run_is_shown_whole():
    cite = Citations()
    assert len(cite.quoted(refs(DATES_CHUNK, LEAD, "January", "March"))) == 1
    assert cite.quoted(refs(DATES_CHUNK, LEAD, "January", "March")) == []
    assert cite.markers(refs(DATES_CHUNK, LEAD, "January", "March")) == "[1]"
    [whole] = cite.quoted(refs(DATES_CHUNK, LEAD, "January", "March", "May 20"))
    assert whole.startswith(LEAD) and whole.endswith("May 20, 2024 [2]")


def test_a_sentence_already_shown_is_not_shown_again_in_a_longer_or_shorter_run():
    # "¿Qué beneficios hay? ¿Y cuánto pagan?" showed a passage, then the same passage again with one more sentence.
    cite = Citations()
    assert cite.quoted(refs(TEAM_CHUNK, "The team works")) == ["The team works in Singapore. [1]"]
    assert cite.quoted(refs(TEAM_CHUNK, "The team works", "The team publishes")) == ["The team publishes research. [2]"]
    again = Citations()
    assert len(again.quoted(refs(TEAM_CHUNK, "The team works", "The team publishes"))) == 1
    assert again.quoted(refs(TEAM_CHUNK, "The team publishes")) == []
    assert again.markers(refs(TEAM_CHUNK, "The team publishes")) == "[1]"
    assert len(again.citations) == 1


def test_a_part_whose_best_passage_is_above_points_back_to_it_and_still_quotes_the_rest():
    # "What is the salary? What's the pay and what are the benefits?" lost the pay passage the second part added.
    cite = Citations()
    cite.quoted(refs(TEAM_CHUNK, "The team works"))
    second = refs(TEAM_CHUNK, "The team works") + refs(DATES_CHUNK, LEAD, "January")
    assert cite.above(second) == "[1]"
    [dates] = cite.quoted(second)
    assert dates.startswith(LEAD) and dates.endswith("[2]")
    assert cite.above(refs(DATES_CHUNK, "May 20")) == ""


def test_the_extractive_answerer_streams_the_composed_answer_word_by_word():
    answer = ChatAnswer(answer="The team works in Singapore. [1]", status="answered", citations=[], mode="extractive")
    evidence = Evidence("q", "q", [], [], [], TODAY, answer)
    *pieces, final = ExtractiveAnswerer().stream(evidence)
    assert len(pieces) == 6 and "".join(pieces) == answer.answer
    assert final is answer and ExtractiveAnswerer().answer(evidence) is answer


# --- the composer on the fast engine ---------------------------------------

KNOWLEDGE_TEXT = {
    p.relative_to(KNOWLEDGE).as_posix(): plain_text(p.read_text(encoding="utf-8")) for p in KNOWLEDGE.rglob("*.md")
}
ENGLISH = replies(Settings(_env_file=None).prompts_dir, "en")


@pytest.fixture(scope="module")
def compose(fast_engine):
    """Compose the extractive reply to a first message, as the engine does."""

    def run(message: str) -> ChatAnswer:
        return fast_engine.composer.compose(fast_engine.pipeline.prepare(message, [], None))

    return run


def assert_cited_verbatim(answer: ChatAnswer) -> None:
    """Every citation is numbered in order, used in the answer, and quotes its knowledge file word for word."""
    assert [c.id for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)} == {c.id for c in answer.citations}
    for citation in answer.citations:
        assert normalize_space(citation.quote) in KNOWLEDGE_TEXT[citation.source], citation


def test_a_start_date_question_is_answered_with_the_list_of_dates(compose):
    answer = compose("What are the start dates?")
    assert (answer.answer_type, answer.status, answer.mode) == ("answer", "answered", "extractive")
    assert answer.citations
    assert_cited_verbatim(answer)
    bullets = [line for line in answer.answer.splitlines() if line.startswith("- ")]
    for date in ("January 15, 2024", "March 4, 2024", "August 12, 2024"):
        assert any(line.startswith(f"- {date}") for line in bullets)  # shown as a list, not run together
    assert any("August 12, 2024" in c.quote and c.section == "Start dates" for c in answer.citations)


def test_dates_that_are_all_past_are_pointed_out(compose):
    answer = compose("What are the start dates?")
    assert fill(ENGLISH["dates"]["all_past"], today=describe_date(TODAY)) in answer.answer


def test_an_unrelated_question_is_not_covered_and_cites_nothing(compose):
    answer = compose("Is there a company gym with a climbing wall?")
    assert (answer.answer_type, answer.status) == ("not_covered", "not_found")
    assert answer.citations == []
    assert ENGLISH["not_found"] in answer.answer and "[1]" not in answer.answer
    assert "Start dates and application policy" in answer.answer  # says what the posting does cover


def test_a_two_part_question_addresses_both_parts_in_order(compose):
    answer = compose("What are the start dates and do I need a PhD?")
    assert answer.status == "answered"
    assert_cited_verbatim(answer)
    dates = answer.answer.index("January 15, 2024")
    phd = answer.answer.index("PhD graduate")
    assert dates < phd
    assert any(c.quote.startswith("PhD graduate") for c in answer.citations)


def test_two_requests_without_question_marks_are_both_answered(compose):
    answer = compose("List the start dates. Then tell me who to contact for an accommodation.")
    assert answer.status == "answered"
    assert_cited_verbatim(answer)
    assert answer.answer.index("January 15, 2024") < answer.answer.index("earlycareers.accommodations@bytedance.com")


def test_a_part_the_posting_does_not_answer_is_named_in_the_candidates_words_without_markup(compose):
    answer = compose("What are the start dates? And is there a [climbing wall](http://example.com/wall) at the gym??")
    assert answer.status == "answered"
    assert "“is there a climbing wall at the gym”" in answer.answer
    assert "http" not in answer.answer and "“And" not in answer.answer


def test_two_parts_answered_by_one_passage_show_it_once(compose):
    answer = compose("How do I ask for an accommodation? Who do I contact for an accommodation?")
    assert answer.answer.count("earlycareers.accommodations@bytedance.com") == 1
    assert "On “Who do I contact for an accommodation”, see what is quoted above [1]." in answer.answer
    assert_cited_verbatim(answer)
    closest = compose("What is the salary? What is the base salary range?")
    assert closest.answer.count("The base salary range") == 1


def test_a_month_not_in_the_list_gets_the_closest_listed_dates(compose):
    answer = compose("Is April one of the start dates?")
    assert answer.answer_type == "answer"
    assert_cited_verbatim(answer)
    words = ENGLISH["dates"]
    # April has no year: it is read in the year of the listed dates, 2024.
    assert answer.answer.startswith(fill(words["not_listed"], mention="April 2024"))
    closest = fill(words["closest"], dates="March 4, 2024" + words["joiner"] + "May 20, 2024")
    assert closest in answer.answer


def test_a_listed_month_names_the_matching_date(compose):
    answer = compose("Is March 2024 one of the start dates?")
    assert answer.answer.startswith(fill(ENGLISH["dates"]["listed"], mention="March 2024", dates="March 4, 2024"))
    assert fill(ENGLISH["dates"]["not_listed"], mention="March 2024") not in answer.answer


def test_an_accommodation_question_carries_the_contact(compose):
    answer = compose("Who do I contact for a disability accommodation?")
    assert answer.status == "answered"
    assert_cited_verbatim(answer)
    assert "earlycareers.accommodations@bytedance.com" in answer.answer
    assert any("earlycareers.accommodations@bytedance.com" in c.quote for c in answer.citations)


def test_the_not_found_reply_offers_the_closest_passages(fast_engine):
    state = fast_engine.pipeline.prepare("What are the start dates?", [], None)
    answer = fast_engine.composer.unanswered(state)
    assert (answer.answer_type, answer.status) == ("closest", "not_found")
    assert answer.answer.startswith(ENGLISH["closest"])
    assert_cited_verbatim(answer)


def test_a_month_the_question_names_twice_is_compared_once():
    # "Quiero empezar este mes de diciembre" said "December 2026 is not one of the dates" twice.
    today = dt.date(2023, 12, 1)  # the listed dates lie ahead, so "diciembre" is this December too
    dated = [
        (ref.unit.text, unit_date(ref.unit.text, today)) for ref in refs(DATES_CHUNK, "January 15", "March 4", "May 20")
    ]
    mentions = question_dates("Quiero empezar este mes de diciembre, ¿se puede?", today, "es")
    assert len(mentions) == 2
    reply = compare(mentions, dated, "es", replies(Settings(_env_file=None).prompts_dir, "es")["dates"], "[1]", today)
    assert reply.count("no es una de las fechas") == 1


PROSE_DATES = """## Start dates

New cooks can start on 11 January 2027, 1 February 2027 or 1 March 2027. Applications close on 15 January 2027.

We would like you to start between 1 September 2027 and 3 November 2027."""


def test_dates_a_sentence_enumerates_are_compared_like_a_list_but_a_range_is_not():
    # "Can I start in April?" quoted the sentence without saying that April is not one of its dates.
    units = posting(chunk("dates", PROSE_DATES))
    enumerating, closing, ranged = (units.refs[index_of(units, s)] for s in ("New cooks", "Applications", "We would"))
    unit, dated = listed_dates([enumerating, closing], units, prose=True)
    assert unit is enumerating
    assert [text for text, _ in dated] == ["11 January 2027", "1 February 2027", "1 March 2027"]
    april = question_dates("Can I start in April 2027?", TODAY, "en")
    reply = compare(april, dated, "en", ENGLISH["dates"], "[1]", TODAY)
    assert "April 2027 is not one of the dates" in reply and "1 March 2027" in reply
    assert listed_dates([ranged], units, prose=True) == (None, [])  # any day between the two is allowed
    other = posting(
        chunk("dates", "## Dates\n\nAssessment days are held on 14 January 2027, 28 January 2027 and 11 February 2027.")
    )
    assert listed_dates(list(other.refs), other, prose=True) == (None, [])  # dates of something else
    assert listed_dates([enumerating], units, prose=False) == (None, [])  # not a question about starting
