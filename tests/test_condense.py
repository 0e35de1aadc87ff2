"""Follow-up questions are rewritten into standalone ones before retrieval."""

from __future__ import annotations

import time

import pytest

from bot.answerers.prompts import load_prompts
from bot.config import PROJECT_ROOT, Settings
from bot.engine.condense import LLMCondenser, RuleCondenser, clean_rewrite, earlier_context, make_condenser
from bot.engine.question import QuestionReader
from bot.knowledge.chunking import chunk_documents
from bot.knowledge.documents import load_knowledge
from bot.knowledge.lexical import LexicalIndex, query_terms
from tests.fake_openai_server import FakeOpenAI

HISTORY = [
    {"role": "user", "content": "How many positions can I apply for?"},
    {"role": "assistant", "content": "Candidates can apply for a maximum of TWO positions [1]."},
]
FOLLOW_UP = "Does that apply to affiliates too?"
READER = QuestionReader(PROJECT_ROOT / "prompts")
rule = RuleCondenser(READER)


def rule_rewrite(question: str, history: list[dict], language: str = "en") -> str:
    return rule(question, history, language)


@pytest.fixture(scope="module")
def lexical() -> LexicalIndex:
    settings = Settings(_env_file=None)
    chunks = chunk_documents(
        load_knowledge(settings.knowledge_dir), settings.chunk_tokens, settings.chunk_overlap_tokens
    )
    return LexicalIndex(chunks)


def llm_settings(fake: FakeOpenAI, **overrides) -> Settings:
    values = dict(openai_api_key="test", openai_base_url=fake.base_url, chat_model="fake-model", llm_timeout_seconds=5)
    values.update(overrides)
    return Settings(_env_file=None, **values)


# --- rule-based (extractive mode) ---------------------------------------------------


def test_follow_up_is_joined_to_the_question_it_refers_to():
    rewrite = rule_rewrite(FOLLOW_UP, HISTORY)
    assert rewrite == "Does that apply to affiliates too? (follow-up to: How many positions can I apply for?)"


def test_follow_up_rewrite_retrieves_the_application_limit(lexical):
    rewrite = rule_rewrite(FOLLOW_UP, HISTORY)
    top = lexical.search(query_terms(rewrite, "en"), 3)[0][0]
    assert top.metadata["section"] == "Application limit"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Does that apply to affiliates too?", True),
        ("And the start dates?", True),
        ("What about Singapore?", True),
        ("Why?", True),
        ("Is it the same for interns?", True),
        ("What is the salary range?", False),
        ("Is it possible to apply for three research positions at the Singapore lab?", False),
        ("When are the start dates for this role in 2024?", False),
    ],
)
def test_follow_ups_are_told_from_standalone_questions(question, expected):
    assert READER.is_follow_up(question, "en") is expected


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        ("¿Y el bono?", "es", True),
        ("y eso cuándo empieza?", "es", True),
        ("¿Eso incluye las filiales?", "es", True),
        ("¿Cuál es el salario de este puesto?", "es", False),
        ("那奖金呢？", "zh", True),
        ("它包括家属吗？", "zh", True),
        ("这个职位的薪资是多少？", "zh", False),
        ("¿Dónde está la oficina?", "es", False),  # "está" is not "esta"
        ("¿Cuánto es?", "es", True),  # a question word is no topic of its own
        ("¿Qué pongo en el asunto?", "es", False),
        ("¿E-mail para adaptaciones?", "es", False),
        ("还有实习岗位吗？", "zh", False),  # "还有" here is "still have"
        ("其他福利有哪些？", "zh", False),
        ("应该怎么申请？", "zh", False),
    ],
)
def test_follow_ups_are_told_in_every_language(question, language, expected):
    # The rule knew English words only: "¿Y el bono?" after the salary searched for a bonus alone.
    assert READER.is_follow_up(question, language) is expected


def test_a_spanish_follow_up_is_joined_to_the_spanish_question_before_it():
    history = [{"role": "user", "content": "¿Hay seguro médico?"}, {"role": "assistant", "content": "…"}]
    assert rule("¿y eso cuándo empieza?", history, "es") == "¿y eso cuándo empieza? (follow-up to: ¿Hay seguro médico?)"


def test_thanks_and_language_requests_are_passed_over_when_looking_back():
    history = [
        {"role": "user", "content": "What's the salary?"},
        {"role": "assistant", "content": "…"},
        {"role": "user", "content": "in Spanish please"},
        {"role": "assistant", "content": "…"},
        {"role": "user", "content": "gracias"},
        {"role": "assistant", "content": "…"},
    ]
    assert rule("¿y eso es fijo?", history, "es") == "¿y eso es fijo? (follow-up to: What's the salary?)"


def test_standalone_questions_and_first_messages_are_left_alone():
    assert rule_rewrite("What is the salary range?", HISTORY) == "What is the salary range?"
    assert rule_rewrite(FOLLOW_UP, []) == FOLLOW_UP


def test_a_chain_of_follow_ups_keeps_the_original_topic():
    history = [
        *HISTORY,
        {"role": "user", "content": "And what about affiliates?"},
        {"role": "assistant", "content": "It applies to affiliates [1]."},
    ]
    rewrite = rule_rewrite("Is that global?", history)
    assert rewrite == "Is that global? (follow-up to: How many positions can I apply for? And what about affiliates?)"


def test_make_condenser_without_a_key_is_rule_based():
    assert isinstance(make_condenser(Settings(_env_file=None, openai_api_key=None), READER), RuleCondenser)


# --- with the model (LLM mode) -----------------------------------------------------


def test_model_rewrite_is_used_and_the_request_holds_the_conversation(server, lexical):
    server.script([{"reply": "Standalone question: Does the application limit apply to ByteDance affiliates?"}])
    condense = make_condenser(llm_settings(server), READER)
    assert isinstance(condense, LLMCondenser)
    rewrite = condense(FOLLOW_UP, HISTORY, "en")
    assert rewrite == "Does the application limit apply to ByteDance affiliates?"
    assert lexical.search(query_terms(rewrite, "en"), 3)[0][0].metadata["section"] == "Application limit"
    (request,) = server.requests()
    messages = request["body"]["messages"]
    assert messages[0] == {"role": "system", "content": load_prompts(PROJECT_ROOT / "prompts").condense}
    assert messages[1]["content"] == (
        "<conversation>\nCandidate: How many positions can I apply for?\n"
        "Assistant: Candidates can apply for a maximum of TWO positions.\n</conversation>\n"
        f"<latest>\n{FOLLOW_UP}\n</latest>"
    )
    assert request["body"]["stream"] is False


def test_no_history_means_no_model_call(server):
    assert make_condenser(llm_settings(server), READER)("What is the salary?", [], "en") == "What is the salary?"
    assert server.requests() == []


@pytest.mark.parametrize(
    "step",
    [
        {"status": 500},
        {"status": 429, "headers": {"Retry-After": "5"}},
        {"malformed": True},
        {"reply": ""},
        {"reply": "<b>x</b>"},
    ],
    ids=["500", "429", "malformed", "empty", "markup"],
)
def test_model_faults_fall_back_to_the_rule(server, step):
    server.script([step])
    rewrite = make_condenser(llm_settings(server), READER)(FOLLOW_UP, HISTORY, "en")
    assert rewrite == rule_rewrite(FOLLOW_UP, HISTORY)
    assert len(server.requests()) == 1  # no retries: the rule is a good enough answer


def test_a_slow_model_falls_back_within_the_condense_timeout(server):
    server.script([{"latency": 10}])
    started = time.perf_counter()
    rewrite = make_condenser(llm_settings(server, llm_condense_timeout_seconds=1.0), READER)(FOLLOW_UP, HISTORY, "en")
    assert time.perf_counter() - started < 1.75
    assert rewrite == rule_rewrite(FOLLOW_UP, HISTORY)


def test_clean_rewrite_takes_one_plain_question():
    assert clean_rewrite('"Is the limit global?"\nExplanation: ...', "Is it global?") == "Is the limit global?"
    assert clean_rewrite("Question: Is the limit global?", "Is it global?") == "Is the limit global?"
    assert clean_rewrite("  \n ", "q") is None
    assert clean_rewrite("x" * 400, "Is it global?") is None


def test_the_condensers_label_is_not_searched():
    # "¿y cuánto cuesta? (follow-up to: ¿hay aparcamiento?)" searched "follow-up to:", which found "following".
    assert earlier_context("¿y cuánto cuesta? (follow-up to: ¿hay aparcamiento?)", "¿y cuánto cuesta?") == (
        "¿hay aparcamiento?"
    )
    assert earlier_context("Is the parking lot free?", "is it free?") == "Is the parking lot free?"  # a model's rewrite
