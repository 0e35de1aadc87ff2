"""The job's own name in a question: which posting it picks, and the words the question is read without."""

from __future__ import annotations

import re

import pytest

from bot.engine.titles import named_posting, titled_readings, with_employer_named, with_title_named, without_title

EN_JOB = re.compile(r"(?:job|role|position)", re.I)
ZH_JOB = re.compile(r"(?:岗位|职位|工作)")


@pytest.mark.parametrize(
    ("question", "title", "read"),
    [
        ("hi! what does the shift lead job pay?", "Crumb & Kettle, Shift Lead", "hi! what does the job pay?"),
        ("what does the informatics pharmacist job pay?", "Clinical Informatics Pharmacist", "what does the job pay?"),
        ("Is there a night shift differential?", "Night Shift Warehouse Supervisor", None),  # the topic
        ("Which shift does the shift lead work?", "Shift Lead", None),
        ("is this more of a research job?", "Doubao Team, LLM research", None),  # one title word
        ("what does the team research job involve", "ByteDance Doubao Team, LLM research", None),  # no run there
    ],
)
def test_title_words_right_before_a_word_for_a_job_name_the_job(question, title, read):
    # "what does the shift lead job pay?" got the schedule, which repeats "shift lead", and no pay.
    assert without_title(question, title, "en", EN_JOB) == (read or question)


def test_a_long_chinese_title_word_after_this_or_before_a_word_for_a_job_names_the_job():
    # "请问这个质检员一个月工资多少？" got the email line whose subject names 质检员.
    assert (
        without_title("请问这个质检员一个月工资多少？", "质检员（食品厂）", "zh", ZH_JOB) == "请问这个 一个月工资多少？"
    )
    assert without_title("质检员需要什么证书", "质检员（食品厂）", "zh", ZH_JOB) == "质检员需要什么证书"


def test_a_posting_is_picked_by_a_telling_title_word():
    titles = {"nurse": "Harbor Clinic, Practice Nurse", "qa": "Lumen Games, QA Tester"}
    assert named_posting("What's the salary for the nurse job?", "en", titles) == ("nurse", frozenset({"nurs"}))
    assert named_posting("What's the salary for the team lead?", "en", titles) is None  # generic words pick nothing


@pytest.mark.parametrize(
    ("question", "language", "read"),
    [
        ("What does Pellworth do?", "en", "What does the company do?"),
        ("tell me about pellworth cold chain", "en", "tell me about the company"),
        ("¿A qué se dedica Pellworth?", "es", "¿A qué se dedica the company?"),
        ("Pellworth是做什么的", "zh", "the company是做什么的"),
        ("What does the night shift supervisor do?", "en", None),  # common words: the job, not a name
        ("Is the cold chain warehouse heated?", "en", None),
    ],
)
def test_a_run_of_header_words_holding_a_rare_one_is_the_employers_name(question, language, read):
    header = "Night Shift Warehouse Supervisor - Pellworth Cold Chain Logistics"
    assert with_employer_named(question, header, language, "the company") == (read or question)


@pytest.mark.parametrize(
    ("question", "title", "language", "readings"),
    [
        ("What does the night shift supervisor do?", "Night Shift Supervisor", "en", ["What does the role do?"]),
        # each run on its own: "night" is the job's name once and the topic once
        (
            "What does the supervisor do all night?",
            "Night Shift Supervisor",
            "en",
            ["What does the role do all night?", "What does the supervisor do all role?"],
        ),
        ("what does the head of operations do", "Head of Operations", "en", ["what does the role do"]),  # no "of" kept
        ("夜班主管是做什么的", "夜班主管", "zh", ["岗位是做什么的"]),
        ("What does the team do?", "Team Lead", "en", []),  # a word too common to pick a job by names none
    ],
)
def test_each_run_of_title_words_holding_a_telling_one_is_read_as_the_job(question, title, language, readings):
    # "What does the night shift supervisor do?" got the company's description ("we need a ... supervisor").
    noun = "岗位" if language == "zh" else "role"
    assert titled_readings(question, title, language, noun) == readings


@pytest.mark.parametrize(
    ("question", "title", "language", "read"),
    [
        (
            "How much does a night shift supervisor make?",
            "Night Shift Warehouse Supervisor - Pellworth",
            "en",
            "How much does a role make?",
        ),
        ("do warehouse supervisors get overtime", "Night Shift Warehouse Supervisor", "en", "do role get overtime"),
        ("Is there a night shift differential?", "Night Shift Warehouse Supervisor", "en", None),  # the topic
        ("Is the supervisor paid weekly?", "Night Shift Warehouse Supervisor", "en", None),  # one word may be the topic
        (
            "¿Cuánto gana un recepcionista de noche?",
            "Recepcionista de noche, Hotel Brisamar",
            "es",
            "¿Cuánto gana un role?",
        ),
        ("¿Hay turno de noche?", "Recepcionista de noche, Hotel Brisamar", "es", None),
    ],
)
def test_the_jobs_full_name_is_said_as_a_word_for_the_job(question, title, language, read):
    # "How much does a night shift supervisor make?" got the company blurb that names the supervisor, not the pay.
    assert with_title_named(question, title, language, "role") == (read or question)


def test_a_name_the_postings_passages_use_is_kept():
    # "Shift leads share the tip pool" answers "do the shift leads get tips?" by the job's name.
    used = {frozenset({"shift", "lead"})}
    question = "do the shift leads get tips?"
    assert with_title_named(question, "Shift Lead, Crumb & Kettle", "en", "role") == "do the role get tips?"
    assert with_title_named(question, "Shift Lead, Crumb & Kettle", "en", "role", lambda name: name in used) == question


def test_a_name_that_ends_in_a_common_word_names_something_of_the_employers():
    # "What does the Doubao team do?" asks about the team: read as "the company team", it lost the team's passage.
    header = "ByteDance Doubao Team, LLM research"
    assert with_employer_named("Does ByteDance pay weekly?", header, "en", "the company", True) == (
        "Does the company pay weekly?"
    )
    assert with_employer_named("What does the Doubao team do?", header, "en", "the company", True) == (
        "What does the Doubao team do?"
    )
