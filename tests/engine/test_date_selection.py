"""Which units a date question quotes: the list of dates, a sentence naming them, or a nearer date.

Each test builds a tiny posting by hand and a query vector that gives every
unit the score the test needs, as in test_selection.
"""

from __future__ import annotations

import datetime as dt

from bot.engine import date_selection
from bot.engine.dates import question_dates
from tests.mini_posting import BENEFITS, DATES, SKILLS, TEAM, chunk, posting, score, texts

START_RANGE = """## Start date

We would like you to start between 1 September 2031 and 3 November 2031. Tell us when you could start."""


APPLY_BY = """## How to apply

Send your application by 4 August 2031. We reply to everyone."""


INTERVIEWS = """## Interview days

Interviews take place on these days:

- Monday 7 July 2031
- Tuesday 8 July 2031"""


def test_dated_list_picks_the_dated_items_and_their_lead_in_reading_order():
    units = posting(chunk("skills", SKILLS), chunk("dates", DATES))
    _, scores = score(units, {"March 4": 0.9, "A PhD": 1.0, "We will prioritize": 0.8})
    assert texts(units, date_selection.dated_list(units, scores)) == [
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
    assert texts(units, date_selection.dated_list(units, scores)) == [
        "成功的候选人须在以下入职日期中选择一个：",
        "2024年1月15日",
        "2024年3月4日",
    ]


def test_dated_list_prefers_the_list_the_question_is_closest_to():
    units = posting(chunk("dates", DATES), chunk("interviews", INTERVIEWS))
    _, scores = score(units, {"Tuesday 8 July": 0.9, "March 4": 0.3})
    chosen = texts(units, date_selection.dated_list(units, scores))
    assert chosen == ["Interviews take place on these days:", "Monday 7 July 2031", "Tuesday 8 July 2031"]


def test_a_dated_list_about_something_else_is_not_used():
    units = posting(chunk("skills", SKILLS), chunk("interviews", INTERVIEWS))
    _, scores = score(
        units, {"A PhD": 1.0, "Strong communication": 0.9, "You will need": 0.8, "Interviews take place": 0.1}
    )
    assert date_selection.dated_list(units, scores) == []


def test_a_section_that_gives_its_dates_in_a_sentence_is_quoted_not_a_dated_list_elsewhere():
    """ "Could I start in October?" is answered by "start between 1 September and 3 November", not interview days."""
    units = posting(chunk("start", START_RANGE), chunk("interviews", INTERVIEWS))
    _, scores = score(units, {"Tell us when": 1.0, "We would like": 0.9, "Interviews take place": 0.8})
    assert date_selection.dated_list(units, scores) == []
    assert date_selection.dated_list(units, scores, topical=False) == []


def test_a_dated_list_among_the_best_units_is_kept_when_a_sentence_elsewhere_names_a_date():
    units = posting(chunk("dates", DATES), chunk("apply", APPLY_BY))
    _, scores = score(units, {"Send your application": 1.0, "May 20": 0.95})
    assert "May 20, 2024" in texts(units, date_selection.dated_list(units, scores))


KEY_DATES = """## Key dates

- Application deadline for this round: January 20, 2027
- Start: March 1, 2027
- Interviews are held online"""


def test_a_labelled_date_in_a_list_of_dates_is_one_of_the_lists_dates():
    # "Is the deadline January 20?" was told "January 20, 2027 is not one of the dates the posting lists".
    units = posting(chunk("dates", KEY_DATES))
    _, scores = score(units, {"Start:": 1.0})
    chosen = date_selection.dated_list(units, scores)
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
    listed = date_selection.dated_list(units, scores, topical=False)
    today = dt.date(2026, 12, 1)
    [interview] = question_dates("Can I interview on March 25, 2031?", today)
    assert texts(units, date_selection.nearer_dates(units, listed, (interview,), today))[0] == (
        "First-round interviews take place between March 24, 2031 and March 28, 2031."
    )
    [late] = question_dates("Can I still apply on March 16, 2031?", today)
    assert texts(units, date_selection.nearer_dates(units, listed, (late,), today))[0].startswith("Applications open")
    [start] = question_dates("Can I start in July 2031?", today)
    assert date_selection.nearer_dates(units, listed, (start,), today) == []


COHORTS = """## Training

New supervisors join one of our training cohorts, starting on 7 July 2031, 18 August 2031 and 6 October 2031."""


def test_start_dates_are_a_list_or_a_sentence_worded_about_starting_however_they_score():
    # "2032年3月可以入职吗？" scored the cohort sentence low and was told the posting says nothing about it.
    units = posting(chunk("skills", SKILLS), chunk("dates", DATES))
    _, scores = score(units, {"A PhD": 1.0, "March 4": 0.1})
    assert "March 4, 2024" in texts(units, date_selection.start_dates(units, scores))
    units = posting(chunk("skills", SKILLS), chunk("cohorts", COHORTS))
    _, scores = score(units, {"A PhD": 1.0})
    assert texts(units, date_selection.start_dates(units, scores)) == [COHORTS.split("\n\n")[1]]


def test_interview_days_are_no_start_dates():
    units = posting(chunk("skills", SKILLS), chunk("interviews", INTERVIEWS))
    _, scores = score(units, {"A PhD": 1.0})
    assert date_selection.start_dates(units, scores) == []


def test_dated_list_is_empty_without_dated_items():
    units = posting(chunk("skills", SKILLS), chunk("team", TEAM))
    _, scores = score(units, {"A PhD": 1.0})
    assert date_selection.dated_list(units, scores) == []


def test_a_sentence_naming_the_dates_answers_a_date_question_when_the_posting_lists_none():
    # "Can I start in March 2027?" on a posting that names its start dates in a sentence got unrelated lines.
    starts = """## Start dates

You can start on one of these dates: January 12, 2027, February 9, 2027 or March 9, 2027. Bring your ID."""
    units = posting(chunk("benefits", BENEFITS), chunk("starts", starts), chunk("apply", APPLY_BY))
    _, scores = score(units, {"Employees get medical": 1.0})
    assert texts(units, date_selection.dated_prose(units, scores)) == [
        "You can start on one of these dates: January 12, 2027, February 9, 2027 or March 9, 2027."
    ]
    assert (
        date_selection.dated_prose(posting(chunk("dates", DATES), chunk("starts", starts)), scores) == []
    )  # a list rules
