"""Which units an answer quotes: the best one, close runners-up, whole lists, dated lists, the contact.

Each test builds a tiny posting by hand (Markdown chunks split into units, one
one-hot vector per unit) and a query vector that gives every unit the score
the test needs, so no embedding model is involved.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from bot.engine import selection
from bot.engine.analysis import ACCOMMODATION_TOPIC, EQUAL_OPPORTUNITY_TOPIC, HOUSING
from bot.engine.dates import question_dates
from bot.engine.evidence import PostingUnits
from tests.mini_posting import DATES, TEAM, chunk, index_of, posting, score

BENEFITS = """## Benefits

Employees get medical insurance. Employees get dental insurance. Benefits may change at any time. Offices have free snacks."""

SKILLS = """## Qualifications

You will need:

- Python experience
- Strong communication skills
- A PhD in NLP"""

ACCOMMODATIONS = """## Reasonable accommodations

We provide reasonable accommodations for candidates with disabilities. If you need one, write to access@example.com."""

PRIVACY = """## Privacy

For questions about your data, write to privacy@example.com."""

START_RANGE = """## Start date

We would like you to start between 1 September 2031 and 3 November 2031. Tell us when you could start."""

APPLY_BY = """## How to apply

Send your application by 4 August 2031. We reply to everyone."""

EQUAL = """## Equal opportunity

We hire on skills alone. Applicants of every age and background are welcome."""

IGUALDAD = """## Sobre nosotros

Somos un empleador que ofrece igualdad de oportunidades. Valoramos cada candidatura."""

INTERVIEWS = """## Interview days

Interviews take place on these days:

- Monday 7 July 2031
- Tuesday 8 July 2031"""


def texts(units: PostingUnits, chosen: list[int]) -> list[str]:
    return [units.refs[i].unit.text for i in chosen]


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


def test_dated_list_picks_the_dated_items_and_their_lead_in_reading_order():
    units = posting(chunk("skills", SKILLS), chunk("dates", DATES))
    _, scores = score(units, {"March 4": 0.9, "A PhD": 1.0, "We will prioritize": 0.8})
    assert texts(units, selection.dated_list(units, scores)) == [
        "Successful candidates must commit to one of the start dates below:",
        "January 15, 2024",
        "March 4, 2024",
        "May 20, 2024",
    ]


def test_dated_list_is_found_in_a_chinese_posting():
    """Chinese has no spaces: a whole Chinese sentence is one "word" when split on them."""
    dates = chunk("dates", "## 入职日期\n\n成功的候选人须在以下入职日期中选择一个：\n\n- 2024年1月15日\n- 2024年3月4日")
    dates.metadata["language"] = "zh"
    units = posting(chunk("skills", SKILLS), dates)
    _, scores = score(units, {"成功的候选人": 1.0, "2024年3月4日": 0.9, "A PhD": 0.5})
    assert texts(units, selection.dated_list(units, scores)) == [
        "成功的候选人须在以下入职日期中选择一个：",
        "2024年1月15日",
        "2024年3月4日",
    ]


def test_dated_list_prefers_the_list_the_question_is_closest_to():
    units = posting(chunk("dates", DATES), chunk("interviews", INTERVIEWS))
    _, scores = score(units, {"Tuesday 8 July": 0.9, "March 4": 0.3})
    chosen = texts(units, selection.dated_list(units, scores))
    assert chosen == ["Interviews take place on these days:", "Monday 7 July 2031", "Tuesday 8 July 2031"]


def test_a_dated_list_about_something_else_is_not_used():
    units = posting(chunk("skills", SKILLS), chunk("interviews", INTERVIEWS))
    _, scores = score(
        units, {"A PhD": 1.0, "Strong communication": 0.9, "You will need": 0.8, "Interviews take place": 0.1}
    )
    assert selection.dated_list(units, scores) == []


def test_a_section_that_gives_its_dates_in_a_sentence_is_quoted_not_a_dated_list_elsewhere():
    """ "Could I start in October?" is answered by "start between 1 September and 3 November", not interview days."""
    units = posting(chunk("start", START_RANGE), chunk("interviews", INTERVIEWS))
    _, scores = score(units, {"Tell us when": 1.0, "We would like": 0.9, "Interviews take place": 0.8})
    assert selection.dated_list(units, scores) == []
    assert selection.dated_list(units, scores, topical=False) == []


def test_a_dated_list_among_the_best_units_is_kept_when_a_sentence_elsewhere_names_a_date():
    units = posting(chunk("dates", DATES), chunk("apply", APPLY_BY))
    _, scores = score(units, {"Send your application": 1.0, "May 20": 0.95})
    assert "May 20, 2024" in texts(units, selection.dated_list(units, scores))


KEY_DATES = """## Key dates

- Application deadline for this round: January 20, 2027
- Start: March 1, 2027
- Interviews are held online"""


def test_a_labelled_date_in_a_list_of_dates_is_one_of_the_lists_dates():
    # "Is the deadline January 20?" was told "January 20, 2027 is not one of the dates the posting lists".
    units = posting(chunk("dates", KEY_DATES))
    _, scores = score(units, {"Start:": 1.0})
    chosen = selection.dated_list(units, scores)
    assert [units.date_of(units.refs[i]) for i in chosen] == [dt.date(2027, 1, 20), dt.date(2027, 3, 1)]


TIMELINE = """## Hiring timeline

- Applications open on February 3, 2031 and close on March 14, 2031.
- First-round interviews take place between March 24, 2031 and March 28, 2031.

## Start dates

You can start on one of these dates:

- June 2, 2031
- July 7, 2031"""


def test_a_date_nearer_another_passage_than_the_dated_list_is_answered_from_that_passage():
    # "Can I interview on March 25?" was told "March 25, 2031 is not one of the dates the posting lists".
    units = posting(chunk("timeline", TIMELINE))
    _, scores = score(units, {"June 2": 1.0})
    listed = selection.dated_list(units, scores, topical=False)
    today = dt.date(2026, 12, 1)
    [interview] = question_dates("Can I interview on March 25, 2031?", today)
    assert texts(units, selection.nearer_dates(units, listed, (interview,), today))[0] == (
        "First-round interviews take place between March 24, 2031 and March 28, 2031."
    )
    [late] = question_dates("Can I still apply on March 16, 2031?", today)
    assert texts(units, selection.nearer_dates(units, listed, (late,), today))[0].startswith("Applications open")
    [start] = question_dates("Can I start in July 2031?", today)
    assert selection.nearer_dates(units, listed, (start,), today) == []


COHORTS = """## Training

New supervisors join one of our training cohorts, starting on 7 July 2031, 18 August 2031 and 6 October 2031."""


def test_start_dates_are_a_list_or_a_sentence_worded_about_starting_however_they_score():
    # "2032年3月可以入职吗？" scored the cohort sentence low and was told the posting says nothing about it.
    units = posting(chunk("skills", SKILLS), chunk("dates", DATES))
    _, scores = score(units, {"A PhD": 1.0, "March 4": 0.1})
    assert "March 4, 2024" in texts(units, selection.start_dates(units, scores))
    units = posting(chunk("skills", SKILLS), chunk("cohorts", COHORTS))
    _, scores = score(units, {"A PhD": 1.0})
    assert texts(units, selection.start_dates(units, scores)) == [COHORTS.split("\n\n")[1]]


def test_interview_days_are_no_start_dates():
    units = posting(chunk("skills", SKILLS), chunk("interviews", INTERVIEWS))
    _, scores = score(units, {"A PhD": 1.0})
    assert selection.start_dates(units, scores) == []


def test_dated_list_is_empty_without_dated_items():
    units = posting(chunk("skills", SKILLS), chunk("team", TEAM))
    _, scores = score(units, {"A PhD": 1.0})
    assert selection.dated_list(units, scores) == []


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


def test_a_sentence_naming_the_dates_answers_a_date_question_when_the_posting_lists_none():
    # "Can I start in March 2027?" on a posting that names its start dates in a sentence got unrelated lines.
    starts = """## Start dates

You can start on one of these dates: January 12, 2027, February 9, 2027 or March 9, 2027. Bring your ID."""
    units = posting(chunk("benefits", BENEFITS), chunk("starts", starts), chunk("apply", APPLY_BY))
    _, scores = score(units, {"Employees get medical": 1.0})
    assert texts(units, selection.dated_prose(units, scores)) == [
        "You can start on one of these dates: January 12, 2027, February 9, 2027 or March 9, 2027."
    ]
    assert selection.dated_prose(posting(chunk("dates", DATES), chunk("starts", starts)), scores) == []  # a list rules
