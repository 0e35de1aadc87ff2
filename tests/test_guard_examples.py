"""The guards in Chinese and Spanish: each category catches its examples and spares ordinary questions.

Examples live in tests/fixtures/guard_examples.yaml. `no_question` is decided by the pipeline
(a greeting or thanks gets an invitation), so it is checked through the engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine.guards import load_guards
from bot.yamlfile import read_yaml

EXAMPLES = read_yaml(Path(__file__).resolve().parent / "fixtures" / "guard_examples.yaml")["examples"]
GUARDS = load_guards()


def cases(kind: str) -> list[tuple[str, str, str]]:
    """Return (language, category, message) for every example of a kind (match or no_match)."""
    return [
        (language, category, message)
        for language, categories in EXAMPLES.items()
        for category, sets in categories.items()
        if category not in ("ordinary", "no_question")
        for message in sets.get(kind) or ()
    ]


@pytest.mark.parametrize(("language", "category", "message"), cases("match"))
def test_each_category_catches_its_examples(language: str, category: str, message: str) -> None:
    assert GUARDS.check(message, language).category == category


@pytest.mark.parametrize(("language", "category", "message"), cases("no_match"))
def test_look_alikes_are_not_caught_by_the_category(language: str, category: str, message: str) -> None:
    assert GUARDS.check(message, language).category != category


@pytest.mark.parametrize(
    ("language", "message"),
    [(language, m) for language, categories in EXAMPLES.items() for m in categories["ordinary"]],
)
def test_ordinary_job_questions_pass_every_guard(language: str, message: str) -> None:
    assert GUARDS.check(message, language).action == "allow"


@pytest.mark.parametrize(
    ("language", "message", "invited"),
    [
        (language, message, kind == "match")
        for language, categories in EXAMPLES.items()
        for kind in ("match", "no_match")
        for message in categories["no_question"].get(kind) or ()
    ],
)
def test_greetings_and_thanks_get_an_invitation(fast_engine, language: str, message: str, invited: bool) -> None:
    answer = fast_engine.ask(message).response
    assert (answer.answer_type == "invitation") is invited, answer.answer


@pytest.mark.parametrize(("message", "welcome"), [("thanks a lot!! 🙏", "You're welcome"), ("谢谢啦", "不客气")])
def test_thanks_get_a_welcome_and_a_greeting_an_invitation(fast_engine, message: str, welcome: str) -> None:
    assert fast_engine.ask(message).response.answer.startswith(welcome)
    assert fast_engine.ask("hey there").response.answer.startswith("Hi! Ask me anything")


@pytest.mark.parametrize(
    ("message", "language", "reply"),
    [
        ("Hola 👋", "es", "¡Hola!"),
        ("buenas", "es", "¡Hola!"),
        ("adiós!", "es", "¡Hasta luego"),
        ("ok, see ya", "en", "Goodbye"),
        ("拜拜~", "zh", "再见"),
    ],
)
def test_a_greeting_or_goodbye_alone_is_answered_in_its_own_language(
    fast_engine, message: str, language: str, reply: str
) -> None:
    # "Hola" alone was too short for the detector and got the English greeting; goodbyes got a greeting.
    answer = fast_engine.ask(message).response
    assert (answer.answer_type, answer.language) == ("invitation", language), answer.answer
    assert answer.answer.startswith(reply)


def test_an_acknowledgement_mid_conversation_does_not_greet_again(fast_engine) -> None:
    history = [{"role": "user", "content": "What is the salary?"}, {"role": "assistant", "content": "…"}]
    answer = fast_engine.ask("ok cool", history=history).response
    assert answer.answer_type == "invitation"
    assert answer.answer.startswith("Anything else") and "Hi!" not in answer.answer


def test_a_short_spanish_question_without_accents_or_marks_is_asked_in_spanish(fast_engine) -> None:
    # "cuando empiezo" (too short to detect, words the English posting lacks) got the English invitation.
    answer = fast_engine.ask("cuando empiezo").response
    assert answer.language == "es"
    assert answer.answer_type != "invitation"


def test_asking_for_another_language_answers_the_last_question_in_it(fast_engine) -> None:
    # "in Spanish please" was searched as a question and got unrelated passages.
    history = [{"role": "user", "content": "What are the start dates?"}, {"role": "assistant", "content": "…"}]
    answer = fast_engine.ask("in Spanish please", history=history).response
    assert (answer.status, answer.language) == ("answered", "es")
    assert "January 15, 2024" in answer.answer and "Nota:" in answer.answer
    first = fast_engine.ask("用中文回答").response  # nothing asked yet: the invitation, in Chinese
    assert (first.answer_type, first.language) == ("invitation", "zh")


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ('"Candidates can apply for a maximum of TWO positions" que significa esto', "es"),
        ("“Please state your availability and graduation date clearly in your resume” 这是什么意思？", "zh"),
        ('"Please state your availability and graduation date clearly in your resume" what does it mean?', "en"),
    ],
)
def test_a_quoted_line_of_the_posting_does_not_set_the_reply_language(fast_engine, message, language) -> None:
    # A Spanish question quoting an English line of the posting was answered in English.
    assert fast_engine.ask(message).response.language == language


def test_a_short_question_about_another_language_is_not_taken_for_a_request_later(fast_engine) -> None:
    # "and in Spanish?" after "Is the interview in English?" asks; "in Chinese please" then re-answers it, not the first.
    history = [
        {"role": "user", "content": "Is the interview in English?"},
        {"role": "assistant", "content": "…"},
        {"role": "user", "content": "and in Spanish?"},
        {"role": "assistant", "content": "…"},
    ]
    assert fast_engine.pipeline._last_question(history) == 2


@pytest.mark.parametrize(("request_", "language"), [("en español", "es"), ("in Chinese?", "zh"), ("中文呢？", "zh")])
def test_a_short_request_for_another_language_answers_the_last_question_in_it(fast_engine, request_, language) -> None:
    # "en español" after a question was searched as a question and quoted passages about the team.
    history = [{"role": "user", "content": "What are the start dates?"}, {"role": "assistant", "content": "…"}]
    answer = fast_engine.ask(request_, history=history).response
    assert (answer.status, answer.language) == ("answered", language)
    assert "January 15, 2024" in answer.answer


@pytest.mark.parametrize("word", ["Abid", "Taig", "Vrenkol", "Quasimbe"])
def test_an_unknown_word_gets_an_invitation_in_the_conversation_language(fast_engine, word: str) -> None:
    alone = fast_engine.ask(word).response
    assert (alone.answer_type, alone.language) == ("invitation", "en"), alone.answer
    spanish = [{"role": "user", "content": "¿Cuál es el rango salarial?"}, {"role": "assistant", "content": "…"}]
    followed = fast_engine.ask(word, history=spanish).response
    assert followed.language == "es", followed.answer


@pytest.mark.parametrize(
    ("message", "language", "disclosure"),
    [
        ("are you a bot?", "en", "I'm an AI assistant"),
        ("¿Eres un humano o una IA?", "es", "Soy un asistente de IA"),
        ("你能做什么？", "zh", "我是 AI 助手"),
    ],
)
def test_a_question_about_the_assistant_gets_the_disclosure_and_what_it_can_answer(
    fast_engine, message: str, language: str, disclosure: str
) -> None:
    # These got posting passages about "the AI field" or "help imaginations thrive" before.
    answer = fast_engine.ask(message).response
    assert (answer.answer_type, answer.language, answer.citations) == ("invitation", language, [])
    assert answer.answer.startswith(disclosure)
    assert "Start dates and application policy" in answer.answer  # what it can answer


@pytest.mark.parametrize(
    ("message", "invited"),
    [
        ("0x3f2a9b7c4d5e6f7a8b9c0d1e2f3a4b5c", True),
        ("d41d8cd98f00b204e9800998ecf8427e 7c4a8d09ca3762af61e59520943dc26494f8941b", True),
        ("https://jobs.example.com/apply/123", True),
        ("drwxr-xr-x 2 root root 4096 Jan 1 12:00 bin\n-rw-r--r-- 1 root root 220 Jan 1 12:00 .bashrc", True),
        ("Jan 15 2024 or Feb 1 2024", False),
        ("salary 136800", False),
        ("start dates", False),
    ],
)
def test_a_message_of_hashes_numbers_or_links_gets_an_invitation(fast_engine, message: str, invited: bool) -> None:
    answer = fast_engine.ask(message).response
    assert (answer.answer_type == "invitation") is invited, answer.answer
