"""Dates in questions are found at the precision they were given."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.engine.date_lists import about_an_event
from bot.engine.dates import find_dates, question_dates, referred_dates, unit_date

TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize(
    ("question", "date", "has_year", "has_day"),
    [
        ("Can I start in April 2024?", dt.date(2024, 4, 1), True, False),
        ("Could I begin in april?", dt.date(2026, 4, 1), False, False),
        ("is june 10 ok", dt.date(2026, 6, 10), False, True),
        ("start 2024-05-20?", dt.date(2024, 5, 20), True, True),
        ("can i start in sept 2024", dt.date(2024, 9, 1), True, False),
        ("Can I start next month?", dt.date(2026, 12, 1), True, False),
    ],
)
def test_question_dates(question, date, has_year, has_day):
    [mention] = find_dates(question, TODAY)
    assert (mention.date, mention.has_year, mention.has_day) == (date, has_year, has_day)


@pytest.mark.parametrize(
    "text", ["What are the start dates?", "I may start later, is that ok?", "10 paid holidays per year"]
)
def test_no_false_dates(text):
    assert find_dates(text, TODAY) == ()


@pytest.mark.parametrize(
    ("text", "mentioned"),
    [("root 4096 Jan 1 12:00 bin", "Jan 1 12:00"), ("I'm moving on June 1, 3000 km from Madrid", "on June 1")],
)
def test_a_number_that_would_be_an_impossible_year_is_not_the_dates_year(text, mentioned):
    """A file listing's "4096 Jan 1" is a size and a day, and "June 1, 3000 km" a day and a distance."""
    [mention] = find_dates(text, TODAY)
    assert (mention.text, mention.has_year, mention.plausible) == (mentioned, False, False)
    assert (mention.date.month, mention.date.day) in ((1, 1), (6, 1))


def test_month_mention_matches_any_day_of_that_month():
    [mention] = find_dates("in May 2024", TODAY)
    assert mention.matches(dt.date(2024, 5, 20)) and not mention.matches(dt.date(2025, 5, 20))


def test_list_items_that_are_dates():
    assert unit_date("January 15, 2024", TODAY) == dt.date(2024, 1, 15)
    assert unit_date("Collaborate with a large and globally distributed team", TODAY) is None


@pytest.mark.parametrize(
    ("question", "language", "date", "direction"),
    [
        ("Could I start sometime after October 2031?", "en", dt.date(2031, 10, 1), "after"),
        ("starting no earlier than 3 March 2031", "en", dt.date(2031, 3, 3), "from"),
        ("is there a cohort before September 2031", "en", dt.date(2031, 9, 1), "before"),
        ("I need to be working no later than July 2031", "en", dt.date(2031, 7, 1), "by"),
        ("Can I join in December 2031?", "en", dt.date(2031, 12, 1), "on"),
        ("¿Hay alguna fecha antes de noviembre de 2031?", "es", dt.date(2031, 11, 1), "before"),
        ("Estoy libre a partir de enero de 2032", "es", dt.date(2032, 1, 1), "from"),
        ("2031年10月之后还有培训班吗？", "zh", dt.date(2031, 10, 1), "after"),
        ("2031年9月以前能开始吗", "zh", dt.date(2031, 9, 1), "before"),
        # Inclusive and negated bounds: a start, not an end.
        ("Is there a cohort not later than March 2031?", "en", dt.date(2031, 3, 1), "by"),
        ("I'm not free before June 2031, which dates work?", "en", dt.date(2031, 6, 1), "from"),
        ("on or after 10 June 2031", "en", dt.date(2031, 6, 10), "from"),
        ("June 2031 or later", "en", dt.date(2031, 6, 1), "from"),
        ("No puedo incorporarme antes de junio de 2031", "es", dt.date(2031, 6, 1), "from"),
        ("después del 10 de junio de 2031", "es", dt.date(2031, 6, 10), "after"),
        ("我2031年6月之前不能入职", "zh", dt.date(2031, 6, 1), "from"),
        # Words that are no bound: Spanish "para" (for), Chinese 前后 (around), a past "desde".
        ("¿Hay fechas de inicio para abril de 2031?", "es", dt.date(2031, 4, 1), "on"),
        ("2031年10月前后可以开始吗？", "zh", dt.date(2031, 10, 1), "on"),
        ("Desde marzo de 2020 trabajo como técnico, ¿cuándo empiezo?", "es", dt.date(2020, 3, 1), "on"),
    ],
)
def test_a_date_bounded_by_the_words_around_it(question, language, date, direction):
    [mention] = find_dates(question, TODAY, language)
    assert (mention.date, mention.direction) == (date, direction)


def test_a_question_pointing_back_takes_the_date_said_before_it():
    [mention] = referred_dates("Is there a cohort later than that?", "My visa starts in August 2031.", TODAY, "en")
    assert (mention.date, mention.direction) == (dt.date(2031, 8, 1), "after")
    assert referred_dates("When is the next cohort?", "My visa starts in August 2031.", TODAY, "en") == ()
    # Only a question that asks for a date, and only the date it can mean: the latest one for "after".
    assert referred_dates("What happens after that?", "My interview is on 3 June 2031.", TODAY, "en") == ()
    [latest] = referred_dates(
        "Any start date after that?", "Exams end in May 2031, my visa comes in July 2031.", TODAY, "en"
    )
    assert latest.date == dt.date(2031, 7, 1)
    [zh] = referred_dates("那之后最早哪天能开始？", "我2031年8月毕业", TODAY, "zh")
    assert (zh.date, zh.direction) == (dt.date(2031, 8, 1), "after")


@pytest.mark.parametrize(
    ("question", "direction"),
    [
        ("Can I start before May?", "before"),
        ("Is there a cohort no later than May?", "by"),
        ("What about after May?", "after"),
    ],
)
def test_may_after_a_bound_is_the_month(question, direction):
    [mention] = find_dates(question, TODAY)
    assert (mention.date.month, mention.has_year, mention.direction) == (5, False, direction)
    assert find_dates("May I start before I apply?", TODAY) == ()


@pytest.mark.parametrize(
    ("question", "language", "first", "last"),
    [
        ("Can I start sometime between March and June 2032?", "en", dt.date(2032, 3, 1), dt.date(2032, 6, 30)),
        ("Is there a cohort between September 2031 and January 2032?", "en", dt.date(2031, 9, 1), dt.date(2032, 1, 31)),
        ("I'm free from the 10th of March to 4 June 2032", "en", dt.date(2032, 3, 10), dt.date(2032, 6, 4)),
        ("¿Puedo empezar entre marzo y junio de 2032?", "es", dt.date(2032, 3, 1), dt.date(2032, 6, 30)),
        ("del 1 de marzo al 30 de junio de 2032", "es", dt.date(2032, 3, 1), dt.date(2032, 6, 30)),
        ("2032年3月到6月之间可以入职吗？", "zh", dt.date(2032, 3, 1), dt.date(2032, 6, 30)),
        ("2031年11月和2032年2月之间有吗", "zh", dt.date(2031, 11, 1), dt.date(2032, 2, 29)),
        # dateparser takes the joining word into a date ("marzo a"), or the year comes as "of 2032".
        ("¿Hay fechas de inicio de octubre a diciembre de 2032?", "es", dt.date(2032, 10, 1), dt.date(2032, 12, 31)),
        ("entre el 1 de marzo y el 30 de junio de 2032", "es", dt.date(2032, 3, 1), dt.date(2032, 6, 30)),
        (
            "Is there a start date between October and December of 2032?",
            "en",
            dt.date(2032, 10, 1),
            dt.date(2032, 12, 31),
        ),
        # "May" between two months is the month.
        ("Is there a cohort between May and August 2032?", "en", dt.date(2032, 5, 1), dt.date(2032, 8, 31)),
        ("Can I start from April to May 2032?", "en", dt.date(2032, 4, 1), dt.date(2032, 5, 31)),
        # dateparser alone reads "1 October and 30" as one date in 2030, and "October-December" as none.
        (
            "Is there anything between 1 October and 30 November 2031?",
            "en",
            dt.date(2031, 10, 1),
            dt.date(2031, 11, 30),
        ),
        ("Any cohort October-December 2031?", "en", dt.date(2031, 10, 1), dt.date(2031, 12, 31)),
        # Two years said the wrong way round: the earlier date starts the range.
        ("between November 2031 and October 2031", "en", dt.date(2031, 10, 1), dt.date(2031, 11, 30)),
    ],
)
def test_two_dates_that_end_one_range_are_one_mention(question, language, first, last):
    [mention] = question_dates(question, TODAY, language)
    assert (mention.direction, mention.period()) == ("between", (first, last))
    assert mention.text in question  # the whole range leaves the question's topic


def test_a_range_without_years_runs_forward_and_two_options_stay_two_dates():
    [winter] = question_dates("Is there anything between November and February?", TODAY)
    start, end = winter.period()
    assert (start.month, end.month, end.year - start.year) == (11, 2, 1)
    assert [m.direction for m in question_dates("Can I start in March or June?", TODAY)] == ["on", "on"]
    assert [m.direction for m in question_dates("3月或者6月可以吗", TODAY, "zh")] == ["on", "on"]


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("¿Hay fechas de inicio de octubre y enero?", "es"),  # "de ... y" is two dates; "de ... a" a range
        ("I am available from March and June works too", "en"),
        ("Can I start in March or June?", "en"),
    ],
)
def test_two_dates_that_are_not_a_range_stay_two(question, language):
    assert [m.direction != "between" for m in question_dates(question, TODAY, language)] == [True, True]


def test_a_date_is_checked_on_its_own_outside_a_question():
    # A generated sentence is checked date by date against its source: a range would hide its end.
    assert len(find_dates("Cohorts start from August 25, 2031 to December 30, 2031.", TODAY)) == 2


def test_after_or_before_a_range_said_before_is_after_its_end_or_before_its_start():
    context = "I have exams from March to June 2032."
    [after] = referred_dates("Is there a start date after that?", context, TODAY, "en")
    assert (after.date, after.direction, after.end) == (dt.date(2032, 6, 1), "after", None)
    [before] = referred_dates("Any start date before that?", context, TODAY, "en")
    assert (before.date, before.direction, before.end) == (dt.date(2032, 3, 1), "before", None)
    [zh] = referred_dates("那之后可以入职吗？", "我2032年3月到6月之间有考试", TODAY, "zh")
    assert (zh.date, zh.direction) == (dt.date(2032, 6, 1), "after")


@pytest.mark.parametrize(
    ("question", "months"),
    [
        ("May I start in May 2032?", [5]),
        ("May I ask whether I can start on May 4?", [5]),
        ("I may start 2 weeks later", []),
        ("I'm a grad student – may I start on November 14?", [11]),
        ("I finish exams in June and may need a later start.", [6]),
        ("April or May?", [4, 5]),
    ],
)
def test_the_verb_may_is_told_from_the_month_where_it_stands(question, months):
    assert [m.date.month for m in find_dates(question, TODAY)] == months


@pytest.mark.parametrize(
    ("question", "language", "said", "date"),
    [
        ("can i start next january?", "en", "next january", dt.date(2027, 1, 1)),
        ("Could I start this coming March?", "en", "this coming March", dt.date(2027, 3, 1)),
        ("is next december too late", "en", "next december", dt.date(2026, 12, 1)),
        ("Can I start in January next year?", "en", "in January next year", dt.date(2027, 1, 1)),
        ("¿puedo empezar el próximo enero?", "es", "el próximo enero", dt.date(2027, 1, 1)),
        ("¿Puedo empezar en marzo del año que viene?", "es", "en marzo del año que viene", dt.date(2027, 3, 1)),
    ],
)
def test_a_month_said_relative_to_today_is_in_the_year_it_comes_next(question, language, said, date):
    # "next January" was read as January of the posting's year: "January 2024 matches a date the posting lists".
    [mention] = question_dates(question, TODAY, language)
    assert (mention.text, mention.date, mention.has_year) == (said, date, True)


def test_a_date_said_twice_is_asked_about_once():
    [may] = question_dates("my visa expires in May, can i start in may?", TODAY)
    assert (may.date.month, may.has_year) == (5, False)


@pytest.mark.parametrize(
    ("question", "language", "direction"),
    [
        ("can I start before next March?", "en", "before"),
        ("any start after next january?", "en", "after"),
        ("¿antes del próximo marzo?", "es", "before"),
    ],
)
def test_a_bound_before_next_month_is_kept(question, language, direction):
    [mention] = question_dates(question, TODAY, language)
    assert (mention.date.year, mention.direction) == (2027, direction)


def test_next_may_i_ask_names_no_month():
    assert question_dates("What happens next may I ask?", TODAY) == ()


def test_a_month_without_a_year_is_the_next_one_while_listed_dates_are_to_come():
    # "Can I start in March?" on 1 June 2031 was read as the March just gone.
    listed = [dt.date(2031, 7, 7), dt.date(2031, 12, 1), dt.date(2032, 1, 12)]
    june = dt.date(2031, 6, 1)
    [march] = question_dates("Can I start in March?", june)
    assert march.anchored(listed, june).date == dt.date(2032, 3, 1)
    [may_july] = question_dates("Can I start between May and July?", june)
    anchored = may_july.anchored(listed, june)
    assert (anchored.date, anchored.end.date) == (dt.date(2031, 5, 1), dt.date(2031, 7, 1))
    past = [dt.date(2024, 1, 15), dt.date(2024, 5, 20)]  # every listed date has passed: the posting's own year
    assert march.anchored(past, june).date == dt.date(2024, 3, 1)


def test_a_month_without_a_year_is_the_one_nearest_dates_listed_years_ahead():
    # Seen in 2026, "can i start in june?" was June 2027 for a posting listing June to September 2031.
    listed = [dt.date(2031, 6, 2), dt.date(2031, 7, 7), dt.date(2031, 9, 2)]
    today = dt.date(2026, 12, 1)
    for month, year in (("June", 2031), ("August", 2031), ("October", 2031), ("March", 2031)):
        [mention] = question_dates(f"can i start in {month}?", today)
        assert mention.anchored(listed, today).date.year == year


def test_a_date_written_with_dots_is_read_day_first_and_one_with_slashes_month_first():
    # "Second start: 03.05.2027" was read as 5 March; dotted dates are day-first wherever they are used.
    today = dt.date(2026, 12, 1)
    assert [m.date for m in find_dates("Second start: 03.05.2027", today)] == [dt.date(2027, 5, 3)]
    assert [m.date for m in find_dates("Posted: 02.12.2026", today)] == [dt.date(2026, 12, 2)]
    assert [m.date for m in find_dates("Start on 03/05/2027", today)] == [dt.date(2027, 3, 5)]
    assert [m.date for m in find_dates("The program starts on 03.05.27.", today)] == [dt.date(2027, 5, 3)]
    mixed = find_dates("Apply by 12/01/2027. Start: 01.02.2027", today)  # each date keeps its own order
    assert [m.date for m in mixed] == [dt.date(2027, 12, 1), dt.date(2027, 2, 1)]
    assert [m.text for m in mixed] == ["by 12/01/2027", "01.02.2027"]


def test_every_date_of_a_run_is_found():
    # dateparser found two of "on 16 June 2031, 21 July 2031, 1 September 2031 and 3 November 2031".
    text = "Groups start on 16 June 2031, 21 July 2031, 1 September 2031 and 3 November 2031."
    assert [m.date for m in find_dates(text, TODAY)] == [
        dt.date(2031, 6, 16),
        dt.date(2031, 7, 21),
        dt.date(2031, 9, 1),
        dt.date(2031, 11, 3),
    ]
    us = [m.date for m in find_dates("January 15, 2024 and March 4, 2024", TODAY)]
    assert us == [dt.date(2024, 1, 15), dt.date(2024, 3, 4)]


@pytest.mark.parametrize(
    ("question", "language", "said", "first", "last"),
    [
        ("Can I start mid-January 2027?", "en", "mid-January 2027", 11, 20),
        ("I could start at the end of March 2027", "en", "late March 2027", 21, 31),
        ("can i start in early june 2027", "en", "early June 2027", 1, 10),
        ("¿Puedo empezar a mediados de enero de 2027?", "es", "mediados de enero de 2027", 11, 20),
        ("2027年1月初能开始上班吗？", "zh", "2027年1月初", 1, 10),
    ],
)
def test_a_part_of_a_month_is_that_part_not_the_whole_month(question, language, said, first, last):
    # "¿Puedo empezar a mediados de enero?" was told it "matches" a start date of 2 January.
    [mention] = question_dates(question, TODAY, language)
    assert mention.describe(language) == said
    start, end = mention.period()
    assert (start.day, end.day) == (first, last)
    assert not mention.matches(dt.date(2027, start.month, 2 if first > 1 else 25))


def test_a_month_without_a_part_is_the_whole_month():
    [mention] = question_dates("I am late with my thesis, can I start in March 2027?", TODAY)
    assert mention.part is None and mention.matches(dt.date(2027, 3, 4))


def test_the_days_of_an_enumeration_share_the_year_that_ends_it():
    # "Cohorts start on 12 January, 9 March and 4 May 2027" named one full date, so "Can I start in April?"
    # was compared with the application deadlines instead.
    found = find_dates("Cohorts start on 12 January, 9 March and 4 May 2027.", TODAY)
    assert [(m.written, m.date) for m in found] == [
        ("12 January", dt.date(2027, 1, 12)),
        ("9 March", dt.date(2027, 3, 9)),
        ("4 May 2027", dt.date(2027, 5, 4)),
    ]
    december = find_dates("Start on 15 December, 12 January 2027 or 1 March 2027", TODAY)[0]
    assert december.date == dt.date(2026, 12, 15)
    alone = find_dates("We met on 3 May and hired more people in 2027", TODAY)[0]
    assert not alone.has_year


def test_a_bound_before_a_part_of_a_month_keeps_the_month_whole():
    # "Can I start before the end of March?" was told "Late March 2027 is not one of the dates".
    for question, language in [
        ("Can I start before the end of March?", "en"),
        ("antes de finales de marzo", "es"),
        ("3月底前可以入职吗？", "zh"),
    ]:
        [mention] = question_dates(question, TODAY, language)
        assert mention.part is None


def test_a_day_that_no_year_of_the_run_has_does_not_stop_the_reading():
    # "29 February and 1 March 2027" crashed the index build.
    found = find_dates("Open days are held on 29 February and 1 March 2027.", TODAY)
    assert [m.date for m in found][-1] == dt.date(2027, 3, 1)


@pytest.mark.parametrize(
    ("sentence", "missable"),
    [
        ("Applications close on January 15, 2027.", True),
        ("网申时间：2026年9月15日至2026年11月30日。", True),
        ("La convocatoria cierra el 3 de marzo de 2027.", True),
        ("Training starts on 3 November 2031.", True),
        ("公司于2015年3月3日在昆山成立，同年开始招聘本地员工。", False),  # history, not a deadline
        ("Desde el 1 de enero de 2020 realizamos exámenes médicos.", False),
        ("2024年6月30日前毕业的申请人优先。", False),  # who may apply, not when
        ("For example, we have worked closely with clinics since May 4, 2021.", False),
    ],
)
def test_a_sentence_names_something_a_candidate_can_miss_only_in_whole_words(sentence: str, missable: bool) -> None:
    # "example", "closely", "exámenes" and "申请人" made company history look like a passed deadline.
    assert about_an_event(sentence) is missable
