"""Each language's framing words: acknowledgements, thanks, goodbyes, requests, follow-ups, language names."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.engine.phrasing import Phrasing


@pytest.fixture(scope="module")
def phrasing() -> Phrasing:
    return Phrasing(Settings(_env_file=None).prompts_dir)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ok thanks!", "en"),
        ("Great, thanks!", "en"),
        ("👍", "en"),
        ("...", "en"),
        ("genial", "es"),
        ("genial", "en"),  # too short to tell its language: every language's words are tried
        ("perfecto, gracias", "es"),
        ("muchas gracias!", "es"),
        ("好的", "zh"),
        ("谢谢", "zh"),
        ("明白了，谢谢你的帮助！", "zh"),
        ("明白了，谢谢你的帮助！", "en"),
        ("Thank you, that is all I needed!", "en"),
        ("thx 🙏🙏", "en"),
        ("gracias por tu ayuda 🙌", "es"),
    ],
)
def test_acknowledgements_ask_nothing(phrasing, text, language):
    assert phrasing.is_acknowledgement(text, language)


@pytest.mark.parametrize(
    ("text", "language", "thanked"),
    [
        ("Thank you so much, that's everything", "en", True),
        ("gracias, muy amable", "es", True),
        ("太感谢了", "zh", True),
        ("ok cool", "en", False),
        ("hola", "es", False),
    ],
)
def test_thanks_are_told_from_other_acknowledgements(phrasing, text, language, thanked):
    assert phrasing.thanks(text, language) is thanked


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("great, what is the salary?", "en"),
        ("Thanks, but what about the salary?", "en"),
        ("No PhD, is that ok?", "en"),
        ("vale, ¿y el salario?", "es"),
        ("¿Cuál es el salario?", "es"),
        ("好的，那薪资是多少？", "zh"),
        ("可以远程吗", "zh"),
    ],
)
def test_questions_are_not_acknowledgements(phrasing, text, language):
    assert not phrasing.is_acknowledgement(text, language)


@pytest.mark.parametrize(
    ("text", "language", "quantity"),
    [
        ("How much does it pay?", "en", True),
        ("How long is the review?", "en", True),
        ("What are the start dates?", "en", False),
        ("¿Cuánto pagan?", "es", True),
        ("¿Dónde está la oficina?", "es", False),
        ("薪资是多少", "zh", True),
        ("可以远程吗", "zh", False),
    ],
)
def test_asks_quantity(phrasing, text, language, quantity):
    assert phrasing.asks_quantity(text, language) is quantity


@pytest.mark.parametrize(
    ("text", "language", "money"),
    [
        ("How much would you pay me for the trial day?", "en", True),
        ("how much money do interns make", "en", True),
        ("How much is the sign-on bonus?", "en", True),
        ("How much experience do I need?", "en", False),
        ("How much time do I get to pay back the course fee?", "en", False),
        ("how much PTO do I get", "en", False),
        ("How much paid time off do full-time staff get?", "en", False),
        ("¿Cuánto me pagan en el periodo de prueba?", "es", True),
        ("¿Cuánto es el bono?", "es", True),
        ("cada cuánto pagan, quincenal o mensual?", "es", False),
        ("¿Cuántos días de vacaciones hay?", "es", False),
        ("夜班补贴一晚多少钱", "zh", True),
        ("底薪是多少", "zh", True),
        ("年假多少天", "zh", False),
    ],
)
def test_asks_money(phrasing, text, language, money):
    """A question asking for an amount of money, not a duration, a count or a pay frequency."""
    assert phrasing.asks_money(text, language) is money


@pytest.mark.parametrize(
    ("text", "language", "words"),
    [
        ("How long until I hear back?", "en", "How until I hear back?"),
        ("how OFTEN are applications reviewed", "en", "how are applications reviewed"),
        ("Is the long-term disability paid?", "en", "Is the long-term disability paid?"),
        ("Can you explain how long-term disability works?", "en", "Can you explain how long-term disability works?"),
        ("How flexible are the hours?", "en", "How flexible are the hours?"),
        ("¿Cuánto tiempo guardáis mis datos?", "es", "¿Cuánto guardáis mis datos?"),
        ("¿Con qué frecuencia hay turnos de noche?", "es", "¿Con qué hay turnos de noche?"),
        ("¿Es a tiempo completo?", "es", "¿Es a tiempo completo?"),
        ("¿Cuánto tiempo libre tengo?", "es", "¿Cuánto tiempo libre tengo?"),
        ("¿Qué tanto tiempo dura el contrato?", "es", "¿Qué tanto dura el contrato?"),
        ("面试要等多少时间？", "zh", "面试要等多少 ？"),
        ("培训需要多长的时间？", "zh", "培训需要多长的 ？"),
        # "start" when something other than the job starts: the question is about that thing
        ("When does health insurance start?", "en", "When does health insurance ?"),
        ("when would the night shift begin", "en", "when would the night shift"),
        ("When do I start?", "en", "When do I start?"),
        ("When does the job start?", "en", "When does the job start?"),
        ("When can I start?", "en", "When can I start?"),
        ("¿Cuándo empieza el seguro médico?", "es", "¿Cuándo el seguro médico?"),
        ("¿Cuándo empieza el trabajo?", "es", "¿Cuándo empieza el trabajo?"),
        ("医疗保险什么时候开始？", "zh", "医疗保险什么时候 ？"),
        ("我什么时候开始？", "zh", "我什么时候开始？"),
        # so is offering or providing what the question names
        ("Do you offer life insurance?", "en", "Do you life insurance?"),
        ("Does the company provide uniforms?", "en", "Does the company uniforms?"),
        ("Are RSUs offered?", "en", "Are RSUs ?"),
        ("Is the job offer conditional on anything?", "en", "Is the job offer conditional on anything?"),
        ("Do I get an offer letter?", "en", "Do I get an offer letter?"),
    ],
)
def test_the_word_an_amount_is_measured_in_is_dropped(phrasing, text, language, words):
    assert phrasing.without_measure(text, language) == words


@pytest.mark.parametrize(
    ("text", "language", "contact"),
    [
        ("Who do I contact about accommodations?", "en", True),
        ("What email should I write to?", "en", True),
        ("When can I start?", "en", False),
        ("¿A quién puedo escribir?", "es", True),
        ("¿Cuánto pagan?", "es", False),
        ("我应该联系谁", "zh", True),
        ("薪资是多少", "zh", False),
    ],
)
def test_asks_contact(phrasing, text, language, contact):
    assert phrasing.asks_contact(text, language) is contact


@pytest.mark.parametrize(
    ("text", "language", "topic"),
    [
        ("Tell me about the bonus", "en", "about the bonus"),
        ("Please explain the relocation policy.", "en", "the relocation policy."),
        ("Listing agents are paid how?", "en", "Listing agents are paid how?"),
        ("Explain", "en", "Explain"),
        ("Cuéntame de las vacaciones", "es", "de las vacaciones"),
        ("说说福利", "zh", "福利"),
        ("我想了解一下加班情况", "zh", "加班情况"),
    ],
)
def test_the_words_of_a_request_are_not_its_topic(phrasing, text, language, topic):
    assert phrasing.without_request(text, language) == topic


@pytest.mark.parametrize(
    ("text", "language", "alone"),
    [
        ("Benefits?", "en", True),
        ("the bonus?", "en", True),
        ("when can I start?", "en", True),
        ("how many days?", "en", False),
        ("is it paid?", "en", False),
        ("that one?", "en", False),
        ("¿el bono?", "es", True),
        ("¿es pagado eso?", "es", False),
        ("福利呢？", "zh", True),
        ("多少天？", "zh", False),
        ("它带薪吗？", "zh", False),
    ],
)
def test_a_short_question_that_leans_on_the_one_before_it_is_told_apart(phrasing, text, language, alone):
    assert phrasing.stands_alone(text, language) is alone


@pytest.mark.parametrize(
    ("text", "preferred", "language"),
    [
        ("Hola", "en", "es"),
        ("hola!!", "en", "es"),
        ("ok", "es", "es"),
        ("ok", "en", "en"),
        ("donde queda la oficina", "en", "es"),
        ("tell me more", "es", "en"),
        ("Vrenkol", "en", None),
    ],
)
def test_the_framing_words_of_a_short_message_tell_its_language(phrasing, text, preferred, language):
    assert phrasing.framing_language(text, preferred) == language


@pytest.mark.parametrize(
    ("text", "language", "wanted"),
    [
        ("in Spanish please", "en", "es"),
        ("can you say that in Chinese?", "en", "zh"),
        ("¿me lo dices en inglés?", "es", "en"),
        ("请用英文回答", "zh", "en"),
        ("español, por favor", "es", "es"),
        ("Is the interview in English?", "en", None),
        ("¿Hay que hablar español?", "es", None),
        ("需要会说中文吗？", "zh", None),
        ("Chinese?", "en", None),  # after "What languages are required?" it asks, it does not switch
        ("translate that into Spanish", "en", "es"),
        ("tradúcelo al inglés", "es", "en"),
        ("把答案翻译成英文吧", "zh", "en"),
        ("in spanish, what are the start dates?", "en", None),
    ],
)
def test_a_message_that_only_asks_for_another_language_is_told_apart(phrasing, text, language, wanted):
    assert phrasing.requested_language(text, language) == wanted


@pytest.mark.parametrize(
    ("text", "language", "earlier", "wanted"),
    [
        ("and in Spanish?", "en", "What is the base salary?", "es"),
        ("in Chinese?", "en", "When can I start?", "zh"),
        ("en español", "es", "¿Cuál es el salario?", "es"),
        ("¿y en inglés?", "es", "¿Cuándo empiezo?", "en"),
        ("中文呢？", "zh", "What is the salary?", "zh"),
        # after a question about languages the same words ask about another language
        ("and in Spanish?", "en", "Is the interview in English?", None),
        ("¿y en inglés?", "es", "¿La entrevista es en español?", None),
        ("中文呢？", "zh", "面试用英文吗？", None),
        ("and in Spanish?", "en", "Which languages do I need?", None),
        ("中文呢？", "zh", "面试用什么语言？", None),
        ("¿en español?", "es", "¿Qué idiomas piden?", None),
    ],
)
def test_a_short_request_for_another_language_switches_unless_the_last_question_was_about_languages(
    phrasing, text, language, earlier, wanted
):
    # "en español" after a salary question was searched as a question and answered with passages about the team.
    assert phrasing.requested_language(text, language, earlier) == wanted


def test_ok_in_a_chinese_conversation_stays_chinese(phrasing):
    assert phrasing.framing_language("ok", "zh") == "zh"


def test_a_goodbye_asked_as_a_question_is_not_a_goodbye(phrasing):
    assert phrasing.farewell("that's all, bye", "en")
    assert not phrasing.farewell("That's all?", "en")


@pytest.mark.parametrize(
    ("text", "language", "asks"),
    [
        ("when could I start?", "en", True),
        ("hi, what's the salary?", "en", True),
        ("How do I apply?", "en", True),
        ("can I still apply or is that a dealbreaker?", "en", False),
        ("Does that automatically disqualify me?", "en", False),
        ("¿cuándo puedo empezar?", "es", True),
        ("me descartan automaticamente??", "es", False),
        ("什么时候可以入职？", "zh", True),
        ("还能申请这个岗位吗", "zh", False),
    ],
)
def test_a_fact_is_asked_by_a_question_word_and_not_by_a_yes_or_no(phrasing, text, language, asks):
    # Beside a disclosure, "when could I start?" is answered as well; "can I still apply?" is about the disclosure.
    assert phrasing.asks_for_fact(text, language) is asks
