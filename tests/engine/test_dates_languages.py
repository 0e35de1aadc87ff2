"""Dates in Chinese and Spanish questions are found at the precision given; list items that are dates are dated."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.engine.dates import find_dates, unit_date
from tests.conftest import TODAY  # 2026-11-29


@pytest.mark.parametrize(
    ("question", "date", "has_year", "has_day"),
    [
        ("四月可以入职吗", dt.date(2026, 4, 1), False, False),
        ("我三月份可以入职吗", dt.date(2026, 3, 1), False, False),
        ("2024年3月4日", dt.date(2024, 3, 4), True, True),
        ("2024年3月可以吗", dt.date(2024, 3, 1), True, False),
        ("3月15号可以入职吗", dt.date(2026, 3, 15), False, True),
        ("明年一月", dt.date(2027, 1, 1), True, False),
        ("去年5月", dt.date(2025, 5, 1), True, False),
        ("下个月可以入职吗", dt.date(2026, 12, 1), True, False),
    ],
)
def test_chinese_question_dates(question, date, has_year, has_day):
    [mention] = find_dates(question, TODAY, "zh")
    assert (mention.date, mention.has_year, mention.has_day) == (date, has_year, has_day)


@pytest.mark.parametrize(
    ("question", "date", "has_year", "has_day"),
    [
        ("¿Puedo empezar en abril?", dt.date(2026, 4, 1), False, False),
        ("el 5 de febrero de 2024", dt.date(2024, 2, 5), True, True),
        ("¿Puedo empezar en marzo de 2024?", dt.date(2024, 3, 1), True, False),
        ("¿Puedo empezar el 3 de marzo?", dt.date(2026, 3, 3), False, True),
        ("¿Puedo empezar el mes que viene?", dt.date(2026, 12, 1), True, False),
        ("¿Puedo empezar el próximo mes?", dt.date(2026, 12, 1), True, False),
        ("¿Podría incorporarme el 5/2/2024?", dt.date(2024, 2, 5), True, True),  # day first, as Spanish writes it
    ],
)
def test_spanish_question_dates(question, date, has_year, has_day):
    [mention] = find_dates(question, TODAY, "es")
    assert (mention.date, mention.has_year, mention.has_day) == (date, has_year, has_day)


def test_a_spanish_relative_date_keeps_the_candidates_words():
    [mention] = find_dates("¿Puedo empezar el mes que viene?", TODAY, "es")
    assert "mes que viene" in mention.text


def test_chinese_dates_are_found_without_being_told_the_language():
    [mention] = find_dates("2024年3月4日可以入职吗", TODAY)
    assert mention.date == dt.date(2024, 3, 4)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("什么时候可以入职", "zh"),
        ("13月可以吗", "zh"),
        ("¿Puedo empezar pronto?", "es"),
        ("¿Cuál es el salario?", "es"),
    ],
)
def test_no_false_dates(text, language):
    assert find_dates(text, TODAY, language) == ()


@pytest.mark.parametrize(
    ("question", "language", "described"),
    [
        ("2024年3月4日", "zh", "2024年3月4日"),
        ("四月可以入职吗", "zh", "4月"),
        ("el 5 de febrero de 2024", "es", "5 de febrero de 2024"),
        ("¿Puedo empezar en abril?", "es", "abril"),
    ],
)
def test_a_mention_is_described_at_the_precision_it_was_given(question, language, described):
    [mention] = find_dates(question, TODAY, language)
    assert mention.describe(language) == described


def test_a_month_mention_matches_every_day_of_that_month_and_a_day_mention_only_its_day():
    [month] = find_dates("四月可以入职吗", TODAY, "zh")
    assert month.matches(dt.date(2024, 4, 1)) and month.matches(dt.date(2031, 4, 30))
    assert not month.matches(dt.date(2024, 5, 1))
    [day] = find_dates("el 5 de febrero de 2024", TODAY, "es")
    assert day.matches(dt.date(2024, 2, 5))
    assert not day.matches(dt.date(2024, 2, 6)) and not day.matches(dt.date(2025, 2, 5))


@pytest.mark.parametrize(
    ("item", "date"),
    [
        ("January 15, 2024", dt.date(2024, 1, 15)),
        ("May 20, 2024 (tentative)", dt.date(2024, 5, 20)),
        ("Monday 7 July 2031 (night shift)", dt.date(2031, 7, 7)),
        ("2024年3月4日", dt.date(2024, 3, 4)),
    ],
)
def test_list_items_that_are_dates(item, date):
    assert unit_date(item, TODAY) == date


@pytest.mark.parametrize(
    "item",
    [
        "From May 2024",  # no day: a month is not a start date
        "2024年3月",
        "January 15, 2024 or February 5, 2024",  # two dates: not one date
        "Applications sent after the deadline of 4 August 2031 will not be reviewed",
        "Collaborate with a large and globally distributed team",
    ],
)
def test_list_items_that_are_not_dates(item):
    assert unit_date(item, TODAY) is None


def test_a_sentence_that_happens_to_name_a_date_is_not_a_date_item():
    assert unit_date("We reply by 4 August 2031", TODAY) is None


def test_a_spanish_list_item_that_is_a_date():
    assert unit_date("5 de febrero de 2024", TODAY, "es") == dt.date(2024, 2, 5)


def test_typeset_chinese_dates_with_spaces_around_the_numbers_are_dates():
    # "2027 年 1 月 11 日" was no date, so a posting giving its start dates that way had none.
    found = find_dates("三批集中入职：2027 年 1 月 11 日、2027 年 3 月 1 日 和 2027 年 4 月 6 日。", TODAY, "zh")
    assert [m.date for m in found] == [dt.date(2027, 1, 11), dt.date(2027, 3, 1), dt.date(2027, 4, 6)]
