"""The job's own name in a question: which posting it picks, and the words the question is read without."""

from __future__ import annotations

import pytest

from bot.engine.titles import named_posting, title_mentions, without_terms


@pytest.mark.parametrize(
    ("question", "title", "named"),
    [
        ("hi! what does the shift lead job pay?", "Crumb & Kettle, Shift Lead", {"shift", "lead"}),
        ("Do shift leads get stock options?", "Shift Lead", {"shift", "lead"}),
        (
            "what does the informatics pharmacist job pay?",
            "Clinical Informatics Pharmacist",
            {"informat", "pharmacist"},
        ),
        ("how many ppl are in the lab", "Soil Lab Manager", set()),  # one title word is often the topic
        ("is this more of a research job or an engineering one?", "Doubao Team, LLM research", set()),
        ("what does the team research besides NLP", "ByteDance Doubao Team, LLM research", set()),  # not a run there
    ],
)
def test_two_title_words_in_a_row_name_the_job(question, title, named):
    # "what does the shift lead job pay?" got the schedule, which repeats "shift lead", and no pay.
    assert title_mentions(question, title, "en") == named


def test_a_long_chinese_title_word_names_the_job_and_is_cut_out():
    # "请问这个质检员一个月工资多少？" got the email line whose subject names 质检员.
    named = title_mentions("你好，请问这个质检员一个月工资多少？", "质检员（食品厂）", "zh")
    assert named == {"质检员"}
    assert without_terms("你好，请问这个质检员一个月工资多少？", named, "zh") == "你好，请问这个 一个月工资多少？"


def test_a_posting_is_picked_by_a_telling_title_word():
    titles = {"nurse": "Harbor Clinic, Practice Nurse", "qa": "Lumen Games, QA Tester"}
    assert named_posting("What's the salary for the nurse job?", "en", titles) == ("nurse", frozenset({"nurs"}))
    assert named_posting("What's the salary for the team lead?", "en", titles) is None  # generic words pick nothing
