"""The features the answerability decision weighs, on a hand-made posting with one-hot unit vectors."""

from __future__ import annotations

import numpy as np

from bot.config import Settings
from bot.engine.evidence import PostingUnits, clause_parts
from bot.engine.features import Scorer
from bot.engine.glossary import load_glossary
from bot.knowledge.text import term_set
from tests.mini_posting import chunk, posting, score

LEAVE = """## Time off

- Paid bereavement leave
- 25 days of annual leave a year"""

START = """## Start date

We would like you to start between 1 September 2031 and 3 November 2031. Tell us when you could start."""

TEAM = """## The team

The team works in Singapore. The team publishes research."""


VACACIONES = """## Vacaciones

- 30 días naturales de vacaciones al año
- Un día libre por tu cumpleaños"""


def features(units, text: str, wanted: dict[str, float], language: str = "en", **asks) -> dict[str, float]:
    """Score a question whose dense similarities are `wanted` and return its features."""
    _, similarities = score(units, wanted)
    words = frozenset().union(*(r.terms for r in units.refs))
    scorer = Scorer(load_glossary(Settings().prompts_dir / "glossary.yaml"))
    return scorer.score(text, language, similarities.tolist(), units, words, words, **asks).features


def test_a_spanish_question_to_a_spanish_posting_is_judged_by_its_own_words() -> None:
    """ "¿Cuántos días de vacaciones hay?" on a Spanish posting: its words are the posting's, not foreign ones."""
    units = posting(chunk("vacaciones", VACACIONES, "es"))
    asked = features(units, "¿Cuántos días de vacaciones hay?", {"30 días": 1.0}, "es")
    assert asked["same_language"] == 1.0 and asked["lex_best"] > 0.4 and asked["uncovered_max"] < 1.0
    english = features(units, "How many vacation days?", {"30 días": 1.0}, "en")
    assert english["same_language"] == 0.0 and english["lex_best"] == 0.0
    assert features(units, "How many vacation days?", {"30 días": 1.0}, "en")["unjudged"] == 2.0
    tools = posting(chunk("herramientas", "## Herramientas\n\n- Usamos Python y SQL a diario", "es"))
    assert features(tools, "Do you use Python and SQL?", {"Usamos": 1.0}, "en")["lex_best"] == 1.0  # the same words


def test_a_spanish_questions_function_words_are_not_missing_from_the_posting() -> None:
    """ "¿Hay comisiones por ventas?": "hay" was a telling word the passage lacked, and the answer was withheld."""
    units = posting(chunk("salario", "## Salario\n\n- Comisión del 2 % sobre las ventas de pedidos especiales", "es"))
    asked = features(units, "¿Hay comisiones por ventas?", {"Comisión": 1.0}, "es")
    assert asked["lex_best"] == 1.0 and asked["uncovered_max"] == 0.0
    assert features(units, "¿A quién le pregunto por las comisiones?", {"Comisión": 1.0}, "es")["uncovered_max"] > 0


def test_a_chinese_questions_question_words_are_not_missing_from_the_posting() -> None:
    """ "宿舍在哪里？": "哪里" was a telling word the passage lacked."""
    units = posting(chunk("福利", "## 福利\n\n- 提供员工宿舍，步行五分钟到厂区", "zh"))
    asked = features(units, "宿舍在哪里？", {"提供员工宿舍": 1.0}, "zh")
    assert asked["lex_best"] == 1.0 and asked["uncovered_max"] == 0.0


def test_an_amount_asked_for_is_missing_when_the_best_passage_states_no_number() -> None:
    """ "How many days of bereavement leave?": the bereavement line has no number, the annual leave line's 25 is not it."""
    units = posting(chunk("leave", LEAVE))
    asked = features(
        units, "How many days of bereavement leave?", {"Paid bereavement": 1.0, "25 days": 0.9}, asks_quantity=True
    )
    assert asked["quantity_mismatch"] == 1.0
    annual = features(
        units, "How many days of annual leave?", {"25 days": 1.0, "Paid bereavement": 0.9}, asks_quantity=True
    )
    assert annual["quantity_mismatch"] == 0.0


def test_an_amount_of_money_asked_for_is_missing_when_the_best_passage_names_no_currency() -> None:
    """ "How much do you pay for the trial shift?": "a paid two-hour trial shift" has a number, but no amount of money."""
    units = posting(chunk("hiring", "## How we hire\n\n- A 20-minute call, then a paid two-hour trial shift", "en"))
    asked = features(units, "How much do you pay for the trial shift?", {"A 20-minute": 1.0}, asks_quantity=True)
    assert asked["quantity_mismatch"] == 0.0  # without asks_money, any number counts
    money = {"asks_quantity": True, "asks_money": True}
    assert (
        features(units, "How much do you pay for the trial shift?", {"A 20-minute": 1.0}, **money)["quantity_mismatch"]
        == 1.0
    )
    for line, wanted in (("- The trial shift is paid at $18 an hour", "The trial"), ("- 试岗一天补贴150元", "试岗")):
        units = posting(chunk("pay", f"## Pay\n\n{line}", "en"))
        assert features(units, "How much?", {wanted: 1.0}, **money)["quantity_mismatch"] == 0.0


def test_one_span_of_time_in_words_is_an_amount() -> None:
    """ "¿Cuánto tiempo guardáis mis datos?" against "durante un año": the year was no number, the answer withheld."""
    units = posting(chunk("datos", "## Datos\n\n- Los conservamos durante un año y después los borramos", "es"))
    kept = features(units, "¿Cuánto tiempo guardáis mis datos?", {"Los conservamos": 1.0}, "es", asks_quantity=True)
    assert kept["quantity_mismatch"] == 0.0
    for line, wanted in (("- 简历保留一年", "简历保留"), ("- We keep CVs for one year", "We keep")):
        units = posting(chunk("data", f"## Data\n\n{line}", "en"))
        assert features(units, "How long?", {wanted: 1.0}, asks_quantity=True)["quantity_mismatch"] == 0.0
    units = posting(chunk("benefits", "## 福利\n\n- 入职第一天即缴纳五险一金", "zh"))
    assert features(units, "入职培训几天？", {"入职第一天": 1.0}, "zh", asks_quantity=True)["quantity_mismatch"] == 1.0
    units = posting(chunk("team", "## Team\n\n- You will join one of our teams", "en"))
    assert features(units, "How big?", {"You will join": 1.0}, asks_quantity=True)["quantity_mismatch"] == 1.0


def test_a_date_question_is_dated_when_the_best_passages_name_dates_in_a_sentence() -> None:
    units = posting(chunk("start", START), chunk("team", TEAM), chunk("leave", LEAVE))
    assert not units.has_dated_items
    near = features(
        units, "Could I start in October 2031?", {"We would like": 1.0, "Tell us when": 0.9}, asks_date=True
    )
    assert near["dated"] == 1.0
    far = features(
        units,
        "Could the team meet in October 2031?",
        {"The team works": 1.0, "The team publishes": 0.9, "Paid bereavement": 0.8},
        asks_date=True,
    )
    assert far["dated"] == 0.0


def test_the_unit_about_the_question_topic_is_quoted_while_the_decision_judges_the_word_match() -> None:
    """A unit that stands high on the question's topics is quoted first; the features still describe the word match."""
    units = posting(chunk("leave", LEAVE), chunk("start", START))
    _, similarities = score(units, {"25 days": 1.0, "We would like": 0.95})
    words = frozenset().union(*(r.terms for r in units.refs))
    scorer = Scorer(load_glossary(Settings().prompts_dir / "glossary.yaml"))
    topical = np.array([3.0 if "start between" in r.unit.text else 0.0 for r in units.refs])
    plain = scorer.score("How many days a year?", "en", similarities.tolist(), units, words, words)
    on_topic = scorer.score("How many days a year?", "en", similarities.tolist(), units, words, words, topical=topical)
    assert "25 days" in units.refs[int(plain.order[0])].unit.text
    assert "start between" in units.refs[int(on_topic.order[0])].unit.text
    assert on_topic.features == plain.features


PERSONAL_TIME = """## Benefits

- 17 days of Paid Personal Time a year
- A gym in the office"""


def test_a_word_the_posting_says_the_glossarys_way_is_not_missing() -> None:
    """ "PTO" is in the posting as "Paid Personal Time": the telling word is found, not the most telling one missing."""
    units = posting(chunk("benefits", PERSONAL_TIME))
    asked = features(units, "How much PTO do I get?", {"17 days": 1.0, "A gym": 0.5})
    assert (asked["lex_best"], asked["cov_posting"], asked["uncovered_max"]) == (1.0, 1.0, 0.0)
    absent = features(units, "Is there a bonus?", {"17 days": 1.0, "A gym": 0.5})
    assert absent["uncovered_max"] > 0.0


def test_a_postings_faq_question_is_never_the_best_match_itself() -> None:
    # "I'm 17, can I apply?" got "Can students apply? Yes. …": the FAQ's question matched any question about applying.
    faq = "## FAQ\n\n### Can students apply?\n\nYes. We schedule around your classes."
    units = posting(chunk("faq", faq), chunk("age", "## Requirements\n\n- Must be 18 or older"))
    assert [u.unit.kind for u in units.refs][:2] == ["question", "sentence"]
    _, similarities = score(units, {"Can students apply": 1.0, "Must be 18": 0.6})
    words = frozenset().union(*(r.terms for r in units.refs))
    scored = Scorer(load_glossary(Settings().prompts_dir / "glossary.yaml")).score(
        "can students apply", "en", similarities.tolist(), units, words, words
    )
    assert units.refs[int(scored.order[0])].unit.kind != "question"
    assert scored.features["dense_max"] < 1.0  # the question's own similarity is not the best one


def test_a_lists_title_line_is_never_the_best_match_itself() -> None:
    # "¿Dan uniforme de trabajo?" got "二、【岗位职责】" alone as the closest passage.
    board = "## Offer\n\n💰 **What we offer**\n✅ A uniform and safety boots\n✅ A company phone"
    units = posting(chunk("offer", board), chunk("age", "## Requirements\n\n- Must be 18 or older"))
    assert [u.unit.kind for u in units.refs][:2] == ["lead", "item"]
    _, similarities = score(units, {"What we offer": 1.0, "A uniform": 0.6})
    words = frozenset().union(*(r.terms for r in units.refs))
    scored = Scorer(load_glossary(Settings().prompts_dir / "glossary.yaml")).score(
        "what do you offer", "en", similarities.tolist(), units, words, words
    )
    assert units.refs[int(scored.order[0])].unit.kind != "lead"


def test_the_postings_title_is_no_word_of_the_lines_under_it() -> None:
    # "Is there a night shift bonus?" on "Night Shift Dispatcher" got "Fjordline Freight GmbH | Req ID: FF-2027-118":
    # the title heads the lines above the first section, and its words matched as if that line said them.
    title = "Night Shift Dispatcher"
    units = posting(
        chunk("top", f"## {title}\n\nFjordline Freight GmbH | Req ID: FF-2027-118", title=title),
        chunk("offer", "## What we offer\n\n- Night shift allowance of 25% on top of the base salary", title=title),
        chunk("team", TEAM, title=title),
    )
    assert "night" not in units.refs[0].terms and "night" in units.refs[1].terms
    _, similarities = score(units, {"Fjordline": 1.0, "Night shift allowance": 0.95})
    words = frozenset().union(*(r.terms for r in units.refs))
    scored = Scorer(load_glossary(Settings().prompts_dir / "glossary.yaml")).score(
        "Is there a night shift bonus?", "en", similarities.tolist(), units, words, words
    )
    assert units.refs[int(scored.order[0])].unit.text.startswith("Night shift allowance")


PAY = (
    "## Pay\n\nBase pay is one part of the total package that rewards your work, and this role may be eligible "
    "for discretionary bonuses, and restricted stock units."
)


def test_a_long_listing_sentence_is_cut_into_its_parts_and_a_short_one_is_not() -> None:
    assert clause_parts(PAY.split("\n\n")[1]) == [
        "Base pay is one part of the total package that rewards your work",
        "this role may be eligible for discretionary bonuses",
        "restricted stock units.",
    ]
    assert clause_parts("We pay bonuses, stock and a pension.") == []  # too short to be read by parts


def test_a_listing_sentence_is_as_close_as_its_part_that_holds_a_word_of_the_question() -> None:
    # "Is there any stock in the package?" was far from the whole sentence about pay, bonuses and stock units,
    # and the posting was said not to answer it.
    base = posting(chunk("pay", PAY), chunk("team", "## The team\n\nThe team works in Singapore."))
    parts = clause_parts(base.refs[0].unit.text)
    vectors = np.eye(3, dtype=np.float32)[:2]  # the two units, and a third direction only the stock part points to
    part_vectors = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], dtype=np.float32)
    units = PostingUnits(
        base.refs, vectors, [None, None], [(), ()], (part_vectors, np.zeros(3, dtype=int), [term_set(p) for p in parts])
    )
    words = frozenset().union(*(r.terms for r in units.refs))
    scorer = Scorer(load_glossary(Settings().prompts_dir / "glossary.yaml"))
    query = [0.0, 0.6, 0.8]  # nearer the team sentence as a whole, and nearest the stock part
    stock = scorer.score("Is there any stock?", "en", query, units, words, words)
    assert stock.similarities[0] == np.float32(0.8) and int(stock.order[0]) == 0
    office = scorer.score("Is the office in Singapore?", "en", query, units, words, words)
    assert office.similarities[0] == np.float32(0.0)  # no part holds "office" or "Singapore": the whole unit counts
