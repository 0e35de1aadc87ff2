"""Which units an answer quotes: the best one, close runners-up, whole lists, the contact.

Each test builds a tiny posting by hand (Markdown chunks split into units, one
one-hot vector per unit) and a query vector that gives every unit the score
the test needs, so no embedding model is involved.
"""

from __future__ import annotations

import numpy as np
import pytest

from bot.engine import selection
from bot.engine.analysis import ACCOMMODATION_TOPIC, EQUAL_OPPORTUNITY_TOPIC, HOUSING
from tests.mini_posting import BENEFITS, SKILLS, TEAM, chunk, index_of, posting, score, texts

ACCOMMODATIONS = """## Reasonable accommodations

We provide reasonable accommodations for candidates with disabilities. If you need one, write to access@example.com."""


PRIVACY = """## Privacy

For questions about your data, write to privacy@example.com."""


EQUAL = """## Equal opportunity

We hire on skills alone. Applicants of every age and background are welcome."""


IGUALDAD = """## Sobre nosotros

Somos un empleador que ofrece igualdad de oportunidades. Valoramos cada candidatura."""


def test_the_query_vector_sets_each_units_score():
    units = posting(chunk("team", TEAM))
    order, scores = score(units, {"The team publishes": 0.6, "The team works": 0.8})
    assert texts(units, order.tolist()) == ["The team works in Singapore.", "The team publishes research."]
    assert scores[0] / scores[1] == pytest.approx(0.8 / 0.6)


def test_support_stops_at_a_score_gap():
    units = posting(chunk("benefits", BENEFITS))
    order, scores = score(
        units, {"Employees get medical": 0.9, "Employees get dental": 0.8, "Benefits may": 0.3, "Offices": 0.2}
    )
    chosen = selection.support(units, order, scores)
    assert texts(units, chosen) == ["Employees get medical insurance.", "Employees get dental insurance."]


def test_support_takes_a_short_paragraph_whole():
    units = posting(chunk("team", TEAM), chunk("benefits", BENEFITS))
    order, scores = score(units, {"The team works": 0.9, "Employees get medical": 0.2})
    chosen = selection.support(units, order, scores)
    assert texts(units, chosen) == ["The team works in Singapore.", "The team publishes research."]


def test_support_asks_more_of_a_unit_from_another_chunk():
    units = posting(chunk("benefits", BENEFITS), chunk("team", TEAM))
    order, scores = score(
        units,
        {"Employees get medical": 1.0, "Employees get dental": 0.85, "The team works": 0.85, "The team publishes": 0.1},
    )
    chosen = texts(units, selection.support(units, order, scores))
    assert "Employees get dental insurance." in chosen  # same chunk: 0.85 clears the 0.80 ratio
    assert "The team works in Singapore." not in chosen  # other chunk: 0.85 misses the 0.90 ratio


def test_support_quotes_at_most_four_units_before_lists():
    units = posting(chunk("benefits", BENEFITS), chunk("team", TEAM))
    order, scores = score(
        units,
        {
            "Employees get medical": 1.0,
            "Employees get dental": 0.99,
            "Benefits may": 0.98,
            "Offices": 0.97,
            "The team works": 0.96,
            "The team publishes": 0.95,
        },
    )
    assert len(selection.support(units, order, scores)) == selection.MAX_UNITS


def test_support_compares_scores_above_the_lowest_one():
    # Ratios are taken after shifting the lowest score to zero: 0.2 and 0.1 over a floor of -0.8
    # are 1.0 and 0.9 apart from it, close enough to quote both.
    units = posting(chunk("benefits", BENEFITS))
    order, scores = score(
        units, {"Employees get medical": 0.2, "Employees get dental": 0.1, "Benefits may": -0.8, "Offices": -0.8}
    )
    assert texts(units, selection.support(units, order, scores)) == [
        "Employees get medical insurance.",
        "Employees get dental insurance.",
    ]


def test_a_chosen_list_item_brings_its_close_siblings_and_its_lead():
    # The lead scores far below the items, yet a list item is never quoted without it.
    units = posting(chunk("skills", SKILLS))
    order, scores = score(
        units, {"A PhD": 0.9, "Python experience": 0.8, "Strong communication": 0.75, "You will need": 0.1}
    )
    chosen = selection.support(units, order, scores)
    assert set(texts(units, chosen)) == {
        "You will need:",
        "Python experience",
        "Strong communication skills",
        "A PhD in NLP",
    }


def test_a_far_sibling_stays_out_of_an_items_family():
    units = posting(chunk("skills", SKILLS))
    scores = np.zeros(len(units))
    phd, python, communication = (index_of(units, t) for t in ("A PhD", "Python", "Strong"))
    scores[[phd, python, communication]] = [1.0, 0.9, 0.5]
    chosen = selection.expand_lists(units, [phd], scores)
    assert python in chosen and index_of(units, "You will need") in chosen
    assert communication not in chosen


def test_a_chosen_lead_brings_every_item_of_its_list():
    units = posting(chunk("skills", SKILLS))
    order, scores = score(units, {"You will need": 1.0})
    chosen = selection.support(units, order, scores)
    assert texts(units, chosen) == [
        "You will need:",
        "Python experience",
        "Strong communication skills",
        "A PhD in NLP",
    ]


def test_a_lead_brings_at_most_twelve_items():
    many = "## Offices\n\nWe have offices in:\n\n" + "\n".join(f"- City number {n}" for n in range(20))
    units = posting(chunk("offices", many))
    chosen = selection.expand_lists(units, [index_of(units, "We have offices")], np.zeros(len(units)))
    assert len(chosen) == 1 + selection.MAX_LIST_ITEMS


TELL_US = """## How to apply

Send your CV to jobs@example.com.

## Equal opportunity

We do not discriminate. Si necesitas algún ajuste para tu entrevista, avísanos al WhatsApp."""


def test_contact_without_an_address_is_the_sentence_asking_to_be_told():
    # "necesito un ajuste para la entrevista…" got the interview hours: no email or phone beside the adjustment.
    units = posting(chunk("apply", TELL_US))
    order, _ = score(units, {"Send your CV": 1.0, "We do not discriminate": 0.5})
    chosen = texts(units, selection.contact(units, order, ACCOMMODATION_TOPIC, HOUSING))
    assert chosen[-1] == "Si necesitas algún ajuste para tu entrevista, avísanos al WhatsApp."


def test_a_sentence_asking_to_be_told_about_something_else_is_no_contact():
    rota = (
        "## Schedule\n\nIf your availability changes, let your manager know so we can make an adjustment to the rota."
    )
    units = posting(chunk("schedule", rota))
    order, _ = score(units, {"If your availability": 1.0})
    assert selection.contact(units, order, ACCOMMODATION_TOPIC, HOUSING) == []


def test_contact_picks_the_email_under_an_accommodation_heading():
    units = posting(chunk("privacy", PRIVACY), chunk("accommodations", ACCOMMODATIONS), chunk("team", TEAM))
    order, _ = score(units, {"For questions about your data": 1.0, "The team works": 0.9, "If you need one": 0.1})
    chosen = texts(units, selection.contact(units, order, ACCOMMODATION_TOPIC, HOUSING))
    assert chosen == [
        "We provide reasonable accommodations for candidates with disabilities.",
        "If you need one, write to access@example.com.",
    ]


APPLY_THEN_ACCOMMODATE = """## How to apply

Questions about the role go to Lena Okafor at talent@example.com.

If you need an accommodation during hiring, call Rafael Duarte, our People Partner, at (555) 019-7720.
"""


def test_contact_is_the_paragraph_naming_the_accommodation_even_by_phone_alone():
    # The recruiter's address in the paragraph before it was given as the accommodation contact.
    units = posting(chunk("apply", APPLY_THEN_ACCOMMODATE), chunk("team", TEAM))
    order, _ = score(units, {"Questions about the role": 1.0, "If you need an accommodation": 0.5})
    chosen = texts(units, selection.contact(units, order, ACCOMMODATION_TOPIC, HOUSING))
    assert chosen == [
        "If you need an accommodation during hiring, call Rafael Duarte, our People Partner, at (555) 019-7720."
    ]


HOUSING_THEN_ADJUSTMENTS = """## Accommodation

Staff accommodation is available in Kirkwall; call Morag Lindsay on +44 1856 555 010 or write to housing@example.com.

## Adjustments

If you need an adjustment for the interview, write to adjustments@example.com.
"""


def test_contact_is_not_a_staff_housing_paragraph():
    # A disclosure got the staff-housing contact: "accommodation" there means a room, not an adjustment.
    units = posting(chunk("housing", HOUSING_THEN_ADJUSTMENTS))
    order, _ = score(units, {"Staff accommodation": 1.0, "If you need an adjustment": 0.5})
    chosen = texts(units, selection.contact(units, order, ACCOMMODATION_TOPIC, HOUSING))
    assert chosen == ["If you need an adjustment for the interview, write to adjustments@example.com."]


def test_contact_is_empty_when_no_accommodation_passage_gives_an_email():
    units = posting(chunk("privacy", PRIVACY), chunk("team", TEAM))
    order, _ = score(units, {"For questions about your data": 1.0})
    assert selection.contact(units, order, ACCOMMODATION_TOPIC, HOUSING) == []


def test_statement_picks_the_equal_opportunity_paragraph_by_its_heading_whatever_scores_best():
    units = posting(chunk("team", TEAM), chunk("equal", EQUAL), chunk("benefits", BENEFITS))
    order, _ = score(units, {"The team works": 1.0, "Employees get medical": 0.9, "We hire on skills": 0.2})
    chosen = texts(units, selection.statement(units, order, EQUAL_OPPORTUNITY_TOPIC))
    assert chosen == ["We hire on skills alone.", "Applicants of every age and background are welcome."]


def test_statement_finds_a_spanish_equal_opportunity_sentence_under_another_heading():
    units = posting(chunk("about", IGUALDAD), chunk("team", TEAM))
    order, _ = score(units, {"The team works": 1.0})
    chosen = texts(units, selection.statement(units, order, EQUAL_OPPORTUNITY_TOPIC))
    assert chosen[0].startswith("Somos un empleador que ofrece igualdad de oportunidades")


@pytest.mark.parametrize(
    "statement",
    [
        "## Diversidad e inclusión\n\nFomentamos un entorno inclusivo. Valoramos cada candidatura.",
        "## 关于我们\n\n我们致力于打造多元包容的工作环境。欢迎投递。",
        "## Our culture\n\nWe value diversity, equity and inclusion in everything we do.",
    ],
)
def test_statement_is_found_in_spanish_and_chinese_postings_and_under_other_headings(statement):
    units = posting(chunk("team", TEAM), chunk("culture", statement))
    order, _ = score(units, {"The team works": 1.0})
    assert selection.statement(units, order, EQUAL_OPPORTUNITY_TOPIC)


def test_statement_is_empty_when_the_posting_states_no_equal_opportunity():
    # "All staff get 25 vacation days regardless of seniority." was quoted to "Am I too old to apply at 62?".
    leave = "## Leave\n\nAll staff get 25 vacation days regardless of seniority. Pay is inclusive of holiday pay."
    units = posting(chunk("team", TEAM), chunk("benefits", BENEFITS), chunk("accommodations", ACCOMMODATIONS))
    order, _ = score(posting(chunk("leave", leave)), {"All staff": 1.0})
    assert selection.statement(posting(chunk("leave", leave)), order, EQUAL_OPPORTUNITY_TOPIC) == []
    order, _ = score(units, {"The team works": 1.0})
    assert selection.statement(units, order, EQUAL_OPPORTUNITY_TOPIC) == []


FAQ = """## FAQ

Q: Can I work part-time? A: No. The role is full-time.

Q: Will I be trained? A: Yes, you get two weeks of onboarding."""


def test_a_question_the_posting_asks_is_quoted_with_its_answer_and_an_answer_with_its_question():
    units = posting(chunk("faq", FAQ))
    order, scores = score(units, {"A: No": 1.0})
    assert texts(units, selection.support(units, order, scores)) == [
        "A: No. The role is full-time.",  # a fragment joins the sentence after it
        "Q: Can I work part-time?",
    ]
    order, _ = score(units, {"A: Yes": 1.0})
    assert texts(units, selection.with_answers(units, [int(order[0])])) == [
        "A: Yes, you get two weeks of onboarding.",
        "Q: Will I be trained?",
    ]


def test_a_rhetorical_question_or_a_link_with_a_query_does_not_pull_in_its_paragraph():
    pay = posting(
        chunk("pay", "## Pay\n\nReady to grow? The salary is EUR 40,000. You get 30 days off. Lunch is free.")
    )
    order, _ = score(pay, {"The salary": 1.0})
    assert texts(pay, selection.with_answers(pay, [int(order[0])])) == ["The salary is EUR 40,000."]
    apply = posting(chunk("apply", "## Apply\n\nApply at https://jobs.example/apply?id=7 today. We reply in a week."))
    order, _ = score(apply, {"We reply": 1.0})
    assert texts(apply, selection.with_answers(apply, [int(order[0])])) == ["We reply in a week."]


def test_related_offers_the_two_closest_units():
    units = posting(chunk("benefits", BENEFITS), chunk("team", TEAM))
    order, scores = score(units, {"Offices": 0.9, "The team works": 0.8, "Employees get medical": 0.5})
    assert texts(units, selection.related(order, scores)) == [
        "Offices have free snacks.",
        "The team works in Singapore.",
    ]


def test_related_leaves_out_a_runner_up_far_behind_the_closest_unit():
    units = posting(chunk("benefits", BENEFITS), chunk("team", TEAM))
    order, scores = score(units, {"Offices": 0.9, "The team works": 0.4, "Employees get medical": 0.3})
    assert texts(units, selection.related(order, scores)) == ["Offices have free snacks."]


def test_a_closest_list_item_is_shown_with_its_lead():
    units = posting(chunk("skills", SKILLS), chunk("team", TEAM))
    order, scores = score(units, {"A PhD": 0.9, "The team works": 0.2})
    closest = selection.with_leads(units, selection.related(order, scores))
    # The items between come along: a quote is a run of text, and "You will need: [1]" alone says nothing.
    assert texts(units, closest) == [
        "A PhD in NLP",
        "You will need:",
        "Python experience",
        "Strong communication skills",
    ]


def test_a_lead_far_above_its_item_is_quoted_without_the_items_between():
    units = posting(chunk("cities", "## Offices\n\nWe have offices in:\n\n- Lima\n- Oslo\n- Pune\n- Kyiv\n- Baku"))
    chosen = texts(units, selection.with_leads(units, [index_of(units, "Baku")]))
    assert chosen == ["Baku", "We have offices in:"]
