"""An English answer sentence is checked clause by clause against the passages it cites."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.answerers.clauses import unsupported_clause

TODAY = dt.date(2026, 12, 1)
PAY = "The base salary range for this position in the selected city is $136800 - $205000 annually."
BENEFITS = (
    "Employees have day one access to medical, dental, and vision insurance, a 401(k) savings plan with company "
    "match, paid parental leave, short-term and long-term disability coverage, life insurance, wellbeing benefits."
)
HYBRID = "Up to 1 day a week of remote work for administrative tasks, agreed with Professor Sarkissian"


@pytest.mark.parametrize(
    ("sentence", "passage"),
    [
        ("The base salary range is $136,800 - $205,000 annually, and the role is fully remote [1].", PAY),
        ("The base salary range for this position is $136,800 - $205,000 annually, plus a signing bonus [1].", PAY),
        ("You get medical, dental and vision insurance from day one, plus unlimited PTO [1].", BENEFITS),
        ("Employees have day one access to medical, dental, and vision insurance, and a gym membership [1].", BENEFITS),
        ("You can work remotely up to 1 day a week, and the university pays for your home office [1].", HYBRID),
    ],
)
def test_an_invented_clause_is_found(sentence, passage):
    assert unsupported_clause(sentence, [passage], ["What does it pay?"], TODAY)


@pytest.mark.parametrize(
    ("sentence", "passage"),
    [
        ("The base salary range is $136,800 to $205,000 per year in the selected city [1].", PAY),
        (
            "From day one you get medical, dental and vision insurance, a 401(k) with company match and life insurance [1].",
            BENEFITS,
        ),
        ("Yes, you'll have paid parental leave and both short-term and long-term disability coverage [1].", BENEFITS),
        (
            "You can do remote work up to 1 day a week for administrative tasks, agreed with Professor Sarkissian [1].",
            HYBRID,
        ),
    ],
)
def test_a_faithful_paraphrase_passes(sentence, passage):
    assert unsupported_clause(sentence, [passage], ["What does it pay?"], TODAY) is None


def test_a_clause_saying_the_posting_is_silent_may_repeat_the_question():
    sentence = (
        "The posting doesn't say whether the job is remote, but the base salary range is $136,800 - $205,000 [1]."
    )
    assert unsupported_clause(sentence, [PAY], ["Is the job remote?"], TODAY) is None
    assert unsupported_clause("Yes, the job is remote [1].", [PAY], ["Is the job remote?"], TODAY)
